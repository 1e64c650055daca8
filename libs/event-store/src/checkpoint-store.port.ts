/** Durable position of a named reader of the global log (the relay). Never moves backwards. */
export interface CheckpointStore {
  loadCheckpoint(name: string): Promise<bigint>;
  saveCheckpoint(name: string, position: bigint): Promise<void>;
}

/** A stream belongs to the force that created it; another force can never append to it. */
export class StreamForceMismatchError extends Error {
  override readonly name = 'StreamForceMismatchError';
  constructor(
    readonly streamId: string,
    readonly force: string,
  ) {
    super(`stream ${streamId} does not belong to force ${force}`);
  }
}

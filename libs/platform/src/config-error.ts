/** A setting that is missing or malformed: the process refuses to start, naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Something in the command line, the config file or the environment keeps `serve` from starting.
 * The message says what is wrong and how to fix it; the CLI prints it and exits 2.
 */
export class ServeSetupError extends Error {
  override readonly name = 'ServeSetupError';
}

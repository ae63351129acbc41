/** The live audit could not read what it needs: the message names the call and RAM's error code. */
export class LiveReadError extends Error {
  constructor(
    message: string,
    readonly action?: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "LiveReadError";
  }
}

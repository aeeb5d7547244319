/**
 * Say something on stderr that no caller can catch (a failed hook, a forced exit). Shutdown code
 * runs when nobody is left to handle a rejection, so it is written out rather than thrown.
 */
export function report(message: string, error?: unknown): void {
  if (error === undefined) console.error(`graceful-shutdown: ${message}`);
  else console.error(`graceful-shutdown: ${message}`, error);
}

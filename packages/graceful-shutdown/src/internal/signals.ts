import { constants } from "node:os";

/** 128 + the signal's number: the code a shell reports for a process the signal stopped. */
export function exitCodeFor(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/**
 * Install one `process` listener per signal name; the returned function removes exactly those
 * listeners (and nothing else), so a process's listener counts go back to what they were.
 */
export function listenForSignals(signals: readonly NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void): () => void {
  const installed: Array<[NodeJS.Signals, () => void]> = [];
  for (const signal of signals) {
    const listener = (): void => handler(signal);
    process.on(signal, listener);
    installed.push([signal, listener]);
  }
  return () => {
    for (const [signal, listener] of installed.splice(0)) process.removeListener(signal, listener);
  };
}

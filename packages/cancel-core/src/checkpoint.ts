import { checkSignal } from "./validate.js";

/**
 * Yield to the event loop for one macrotask, then throw `signal.reason` if `signal` is aborted.
 *
 * Put it in long synchronous-ish loops so they both let other work run and notice cancellation.
 * Cancellation is level-triggered: once the signal is aborted, every later checkpoint throws.
 *
 * @example
 * ```ts
 * import { CancelScope, checkpoint } from "@corral/cancel-core";
 *
 * const scope = new CancelScope({ timeout: 20 });
 * let rounds = 0;
 * await scope.run(async (signal) => {
 *   for (;;) {
 *     rounds++;
 *     await checkpoint(signal);
 *   }
 * });
 * console.log(scope.cancelledCaught); // true
 * ```
 */
export function checkpoint(signal?: AbortSignal): Promise<void> {
  checkSignal(signal, "signal");
  return new Promise<void>((resolve, reject) => {
    const next = (): void => (signal?.aborted ? reject(signal.reason) : resolve());
    // setImmediate (Node, Bun, Deno) runs after pending I/O, where a 0 ms timeout would wait at
    // least 1 ms; browsers have only the timeout.
    ((globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate ?? globalThis.setTimeout)(next);
  });
}

import { onCancel } from "./on-cancel.js";
import { clearTimer, setTimer, type TimerHolder } from "./internal/timer.js";
import { checkDuration, checkOptions, checkSignal } from "./validate.js";

/**
 * Resolve after `ms` milliseconds, or reject with `signal.reason` as soon as `signal` aborts.
 * `Infinity` waits until the signal aborts. The timer and the abort registration are both gone
 * once the promise settles.
 *
 * @example
 * ```ts
 * import { sleep } from "@corral/cancel-core";
 *
 * const controller = new AbortController();
 * setTimeout(() => controller.abort("enough"), 10);
 * await sleep(60_000, { signal: controller.signal }).catch((reason) => console.log(reason)); // "enough"
 * ```
 *
 * @throws {RangeError} when `ms` is negative or NaN. {@link TypeError} for a non-number or a bad signal.
 */
export function sleep(ms: number, options?: { signal?: AbortSignal }): Promise<void> {
  checkDuration(ms, "ms");
  checkOptions(options);
  const signal = checkSignal(options?.signal, "options.signal");
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const holder: TimerHolder = { timer: undefined };
    const registration = signal
      ? onCancel(signal, (reason) => {
          clearTimer(holder);
          reject(reason);
        })
      : undefined;
    if (ms !== Infinity) {
      setTimer(holder, ms, () => {
        registration?.[Symbol.dispose]();
        resolve();
      });
    }
  });
}

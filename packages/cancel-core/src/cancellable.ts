import { onCancel } from "./on-cancel.js";
import { checkSignal } from "./validate.js";

/**
 * Settle like `promise`, or reject with `signal.reason` as soon as `signal` aborts.
 *
 * Use it to stop *waiting* for work that cannot be cancelled (a third-party promise without a
 * signal). It does not stop that work: the promise keeps running, and its late outcome is
 * handled silently so it never becomes an unhandled rejection.
 *
 * @example
 * ```ts
 * import { cancellable } from "@corral/cancel-core";
 *
 * const controller = new AbortController();
 * const never = new Promise<string>(() => {});
 * setTimeout(() => controller.abort("gave up"), 10);
 * await cancellable(never, controller.signal).catch((reason) => console.log(reason)); // "gave up"
 * ```
 */
export function cancellable<T>(promise: PromiseLike<T>, signal: AbortSignal): Promise<T> {
  checkSignal(signal, "signal", false);
  const settled = Promise.resolve(promise);
  // Whatever `promise` does after we stopped waiting must not become an unhandled rejection.
  const ignoreLateOutcome = (): void => void settled.catch(() => {});
  if (signal.aborted) {
    ignoreLateOutcome();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const registration = onCancel(signal, (reason) => {
      ignoreLateOutcome();
      reject(reason);
    });
    settled.then(
      (value) => {
        registration[Symbol.dispose]();
        resolve(value);
      },
      (error: unknown) => {
        registration[Symbol.dispose]();
        reject(error);
      },
    );
  });
}

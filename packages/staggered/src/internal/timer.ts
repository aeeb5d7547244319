// setTimeout keeps its delay in a signed 32-bit integer: a longer delay would fire after 1 ms.
const maxDelay = 2 ** 31 - 1;

/** Holds one pending timer, so it can be cleared at any point of a chain. */
export interface Timer {
  handle: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Call `callback` after `delay` ms (never synchronously), chaining timers for delays past
 * ~24.8 days. `Infinity` sets no timer. `setTimeout` is looked up at each call, so fake timers
 * installed after this module loaded still apply.
 */
export function setTimer(timer: Timer, delay: number, callback: () => void): void {
  if (delay === Number.POSITIVE_INFINITY) return;
  if (delay > maxDelay) {
    timer.handle = globalThis.setTimeout(() => setTimer(timer, delay - maxDelay, callback), maxDelay);
  } else {
    timer.handle = globalThis.setTimeout(() => {
      timer.handle = undefined;
      callback();
    }, delay);
  }
}

export function clearTimer(timer: Timer): void {
  if (timer.handle !== undefined) {
    globalThis.clearTimeout(timer.handle);
    timer.handle = undefined;
  }
}

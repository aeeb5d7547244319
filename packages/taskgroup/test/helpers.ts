import { sleep } from "@corral/cancel-core";

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Let every pending microtask and one macrotask run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Work that runs until its signal aborts, then rejects with the signal's reason. */
export function untilCancelled(signal: AbortSignal): Promise<void> {
  return sleep(Number.POSITIVE_INFINITY, { signal });
}

/** Collect unhandled rejections while the test runs; `stop()` waits a macrotask first. */
export function watchUnhandledRejections(): { stop: () => Promise<unknown[]> } {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on("unhandledRejection", listener);
  return {
    async stop() {
      await flush();
      await flush();
      process.off("unhandledRejection", listener);
      return seen;
    },
  };
}

/** The rejection of `promise` (fails the test if it fulfils). */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, but the promise fulfilled");
}

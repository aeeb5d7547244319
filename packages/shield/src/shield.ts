import { CancelScope, checkDuration, checkFunction, checkOptions, checkSignal, TimeoutError } from "@corral/cancel-core";

/** Options of {@link shield}. */
export interface ShieldOptions {
  /**
   * The cancellation to defer: when it aborts (before or while `fn` runs), `shield` rejects with
   * its reason after `fn` has finished. `fn`'s own signal never sees it.
   */
  signal?: AbortSignal;
  /**
   * A bound on the shielded work itself, in ms: its expiry does abort `fn`'s signal, and if `fn`
   * rejects with that cancellation, `shield` rejects with a `TimeoutError`.
   */
  timeout?: number;
}

/**
 * Run `fn` to completion even if `options.signal` aborts meanwhile, then deliver that
 * cancellation: trio's shielded cancel scope, aiotools' `ShieldScope` — not `asyncio.shield`,
 * which returns at once and leaves the work running with nobody waiting for it.
 *
 * Use it for the part of a cancellable operation that must not be cut in half: a database
 * transaction, a rollback or `release()` in a `finally`, flushing a file. `fn`'s signal does not
 * abort when `options.signal` does; it aborts only on the shield's own `timeout` (or on a scope
 * created inside the shield). When `fn` has settled:
 * - if `fn` rejected with its own error, that error wins (a `TimeoutError` if the shield's own
 *   `timeout` fired and `fn` rejected with that cancellation);
 * - otherwise, if `options.signal` aborted before or while `fn` ran, `shield` rejects with
 *   `options.signal.reason` — the same object;
 * - otherwise it resolves with `fn`'s value.
 *
 * Nested shields deliver an outer cancellation once, when the outermost one ends: give an inner
 * shield the outer shield's signal, not the caller's. No listener is added to `options.signal`;
 * it is only read once `fn` has settled.
 *
 * What it does not do: it cannot make slow work fast — while shielded, a cancelled caller waits
 * for `fn` to end. Bound it with `timeout`. It also does not stop anything: the shield only
 * withholds a cancellation from `fn`.
 *
 * @example
 * ```ts
 * import { shield } from "@corral/shield";
 *
 * async function transfer(db: { query(sql: string, signal: AbortSignal): Promise<void> }, signal: AbortSignal) {
 *   // The client may hang up at any time; the transaction still commits or rolls back whole.
 *   await shield(
 *     async (inner) => {
 *       await db.query("BEGIN", inner);
 *       await db.query("UPDATE accounts SET balance = balance - 10 WHERE id = 1", inner);
 *       await db.query("UPDATE accounts SET balance = balance + 10 WHERE id = 2", inner);
 *       await db.query("COMMIT", inner);
 *     },
 *     { signal, timeout: 5_000 },
 *   );
 * }
 * ```
 *
 * @throws {TypeError} when `fn` is not a function, `options.signal` not an AbortSignal or
 *   `options.timeout` not a number.
 * @throws {RangeError} when `options.timeout` is negative or NaN.
 * Rejects with `options.signal.reason` (deferred) or `TimeoutError` (own timeout), as above.
 */
export function shield<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, options?: ShieldOptions): Promise<T> {
  checkFunction(fn, "fn");
  checkOptions(options);
  const outer = checkSignal(options?.signal, "options.signal");
  const timeout = options?.timeout;
  // The scope has no parent on purpose: nothing from outside can reach fn's signal, and nothing
  // is registered on options.signal that could be left behind.
  const scope = new CancelScope(
    timeout === undefined ? { name: "shield" } : { timeout: checkDuration(timeout, "options.timeout"), name: "shield" },
  );
  return runShielded(scope, fn, outer, timeout);
}

async function runShielded<T>(
  scope: CancelScope,
  fn: (signal: AbortSignal) => T | PromiseLike<T>,
  outer: AbortSignal | undefined,
  timeout: number | undefined,
): Promise<T> {
  let value: T;
  try {
    value = await fn(scope.signal);
  } catch (error) {
    if (scope.owns(error)) {
      throw new TimeoutError(`Shielded work timed out after ${timeout} ms`, { cause: scope.signal.reason });
    }
    throw error;
  } finally {
    scope[Symbol.dispose]();
  }
  // Deferred delivery: read the caller's signal only now that fn has finished.
  if (outer?.aborted) throw outer.reason;
  return value;
}

import { checkOptions, checkSignal } from "@corral/cancel-core";
import { type AttemptSource, StaggeredRun } from "./internal/staggered-run.js";
import { checkDelay, checkIterable } from "./internal/validate.js";

/** The outcome of a won {@link staggeredRace}. */
export interface StaggeredResult<T> {
  /** What the winning attempt fulfilled with. */
  value: T;
  /** The winner's position in start order (= its position in `fns`). */
  index: number;
  /**
   * One slot per started attempt, in start order: `undefined` for the winner, the error for an
   * attempt that failed, and for a loser what it settled with once cancelled (normally the
   * `CancelledError` its signal aborted with).
   */
  errors: unknown[];
}

/** RFC 8305 §5's recommended "Connection Attempt Delay". */
const defaultDelay = 250;

/**
 * Run attempts one after another, each `delay` ms after the previous one started — or at once
 * when the previous one fails — and keep every earlier attempt running; the first to fulfil wins.
 *
 * This is Happy Eyeballs (RFC 8305) for any async work: hedged requests to mirrors or replicas,
 * connecting to one of several hosts, asking several resolvers. Use it when trying everything
 * at once would be wasteful but waiting for each try to fail would be slow. (To start all at
 * once, use `race` from `@corral/taskgroup`; to try strictly in turn, pass `delay: null`.)
 *
 * - `fns` is consumed lazily: a function is pulled only when its attempt starts, so an endless
 *   generator is fine. Attempt 0 starts on a later microtask, never inside this call.
 * - Exactly one winner: the first fulfilment observed cancels every other running attempt at
 *   once (their signals abort with a `CancelledError`), even one that fulfilled in the same
 *   tick; no further attempt starts; and the race settles only after every loser has settled.
 *   The winner's signal never aborts after the race resolves.
 * - `options.signal` aborting cancels every attempt (with the signal's reason), waits for all of
 *   them, and rejects with that reason — even if a winner appeared meanwhile. Every listener the
 *   race added to `options.signal` is gone once it settles.
 *
 * What it does not stop: an attempt that ignores its signal keeps running, and the race waits for
 * it; its value is then dropped. Hand the signal on (`fetch(url, { signal })`,
 * `sleep(ms, { signal })`).
 *
 * @example
 * ```ts
 * import { staggeredRace } from "@corral/staggered";
 *
 * const mirrors = ["https://eu.example.org/file", "https://us.example.org/file"];
 * const { value: response, index } = await staggeredRace(
 *   mirrors.map((url) => async (signal: AbortSignal) => {
 *     const response = await fetch(url, { signal });
 *     if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
 *     return response;
 *   }),
 *   { delay: 300 },
 * );
 * console.log(`mirror ${index} answered first`, response.status);
 * ```
 *
 * @param fns Attempt functions, each handed its own `AbortSignal`.
 * @param options.delay ms from one start to the next unless the previous attempt fails sooner;
 *   default 250; `null` (or `Infinity`) starts the next attempt only when the previous one fails.
 * @param options.signal Cancels the whole race.
 * @returns The winner's value, its index, and one slot per started attempt in `errors`.
 * @throws {TypeError} when `fns` is not iterable or `options.signal` is not an AbortSignal.
 * @throws {RangeError} when `options.delay` is negative or NaN.
 * Rejects with {@link StaggeredRaceError} when no attempt fulfils (also for an empty `fns`), with
 * `options.signal.reason` when the signal aborts, and with the error of `fns`' iterator if it throws.
 */
export function staggeredRace<T>(
  fns: Iterable<(signal: AbortSignal) => T | PromiseLike<T>>,
  options?: { delay?: number | null; signal?: AbortSignal },
): Promise<StaggeredResult<T>> {
  checkIterable(fns, "fns");
  checkOptions(options);
  const delayOption = options?.delay;
  const delay =
    delayOption === undefined ? defaultDelay : delayOption === null ? Number.POSITIVE_INFINITY : checkDelay(delayOption, "options.delay");
  const signal = checkSignal(options?.signal, "options.signal");
  if (signal?.aborted) return Promise.reject(signal.reason);
  const run = new StaggeredRun<T>(iterableSource(fns), { delay, signal });
  return Promise.resolve().then(() => run.start());
}

function iterableSource(fns: Iterable<unknown>): AttemptSource {
  let iterator: Iterator<unknown> | undefined;
  return {
    next() {
      iterator ??= fns[Symbol.iterator]();
      const step = iterator.next();
      return step.done ? "done" : { attempt: step.value };
    },
    close() {
      iterator?.return?.();
    },
  };
}

import { checkOptions } from "@corral/cancel-core";
import type { Child, Work } from "./child.js";
import { Nursery, type OnSettle } from "./nursery.js";
import { toFunctionList } from "./validate.js";

/**
 * The body of `gather()` and `race()`: check the arguments, run every function as a child of one
 * nursery, and once all have settled, let `finish` read the outcome from the children (in input
 * order). Already aborted at the call: nothing starts.
 *
 * @throws {TypeError} when `fns` is not an iterable of functions or `options.signal` is not an AbortSignal.
 */
export function runAll<R>(
  name: "gather" | "race",
  fns: unknown,
  options: { signal?: AbortSignal } | undefined,
  onSettle: OnSettle,
  finish: (nursery: Nursery, children: Child<unknown>[]) => R,
): Promise<R> {
  const list = toFunctionList<Work<unknown>>(fns, "fns");
  checkOptions(options);
  // Made first: its cancel scope checks the signal.
  const nursery = new Nursery(options?.signal, name, onSettle);
  const parent = nursery.parent;
  const empty = name === "race" && list.length === 0;
  if (empty || parent?.aborted) {
    void nursery.close(); // nothing starts: leave the parent signal at once
    return Promise.reject(empty ? new RangeError("fns must not be empty") : parent!.reason);
  }
  const children = list.map((fn) => nursery.spawn(fn));
  return nursery.close().then(() => finish(nursery, children));
}

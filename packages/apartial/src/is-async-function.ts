import { tagOf } from "./internal/tag.js";

/**
 * Tell whether `fn` is an async function or an async generator function, the way a dispatcher
 * that branches on async-ness needs to know.
 *
 * Recognised: native `async function`s and async arrows and methods, `async function*`s,
 * bound ones (`asyncFn.bind(obj)`: a bound function inherits its target's prototype, so its
 * `Symbol.toStringTag` is still "AsyncFunction"), proxies of them, functions from another
 * realm, and every {@link apartial} of one of these.
 *
 * Not recognised, and no check can recognise it: a plain function that happens to return a
 * promise (`(x) => save(x)`, `function () { return fetch(url) }`), because whether it returns a
 * promise is only known after calling it. Treat `false` as "may still return a promise" — the
 * robust dispatcher does not branch at all and always `await`s the result (`await cb()` costs
 * one microtask for a sync callback). Use this check only where a branch is unavoidable, and
 * use {@link apartial} instead of hand-written wrappers so the async ones stay recognisable.
 *
 * Nothing is called: this only inspects `fn`. A function that sets its own
 * `Symbol.toStringTag` to "AsyncFunction" is taken at its word.
 *
 * @example
 * ```ts
 * import { apartial, isAsyncFunction } from "@corral/apartial";
 *
 * async function save(table: string, row: object): Promise<void> {}
 *
 * isAsyncFunction(save);                      // true
 * isAsyncFunction(save.bind(null));           // true
 * isAsyncFunction(apartial(save, "users"));   // true
 * isAsyncFunction((row: object) => save("users", row)); // false: returns a promise, but is not async
 * ```
 *
 * @param fn - Any value; non-functions give `false`.
 * @returns `true` for async functions and async generator functions, `false` otherwise.
 * @throws Never for ordinary values (only a revoked proxy throws, as `Object.prototype.toString` does).
 */
export function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === "function" && /^Async(Generator)?Function$/.test(tagOf(fn));
}

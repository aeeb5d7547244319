import { tagOf } from "./internal/tag.js";

type AnyFunction = (...args: unknown[]) => unknown;

// What a partial stands for, so a partial of a partial calls the original function directly
// with all bound arguments instead of going through one wrapper per level.
const origins = new WeakMap<AnyFunction, [target: AnyFunction, bound: unknown[]]>();

/**
 * Bind leading arguments of `fn` and get back a function of the remaining ones that is of the
 * same kind as `fn`: an `async function` when `fn` is one, an `async function*` when `fn` is
 * one, a generator function for a generator function, and a plain function otherwise.
 *
 * Use it instead of a hand-written wrapper (`(x) => save(db, x)`) whenever the result is handed
 * to code that branches on async-ness (event hooks, middleware, plugin registries calling
 * {@link isAsyncFunction}): the hand-written arrow is a sync function that returns a promise,
 * so such code stops awaiting it; the partial stays async. When nothing inspects the callback,
 * `fn.bind(null, ...bound)` or an arrow is just as good.
 *
 * - Bound arguments come first, call-time arguments after; `this` is forwarded to `fn`.
 * - `name` is `fn.name`; `length` is `max(0, fn.length - bound.length)`.
 * - Results and errors pass through unchanged: the partial returns what `fn` returns (an
 *   async partial resolves or rejects with exactly `fn`'s value or reason), a generator
 *   partial delegates every `next`/`throw`/`return` to `fn`'s generator with `yield*`.
 * - A partial of a partial is flattened: `apartial(apartial(f, a), b)` calls `f(a, b, ...rest)`
 *   directly.
 * - Bound arguments are kept by reference (objects are not copied) for the partial's lifetime.
 *
 * Not done: nothing is awaited, cancelled or retried on the way; a sync `fn` that returns a
 * promise stays a sync function (apartial cannot know what it returns — make `fn` async if
 * callers should see it as async). The partial cannot be called with `new`. In types, `this`
 * and generic type parameters of `fn` are not carried over, and an overloaded `fn` is seen as
 * its last overload.
 *
 * @example
 * ```ts
 * import { apartial, isAsyncFunction } from "@corral/apartial";
 *
 * async function save(table: string, row: { id: number }): Promise<string> {
 *   return `${table}/${row.id}`;
 * }
 *
 * const saveUser = apartial(save, "users"); // (row: { id: number }) => Promise<string>
 * console.log(isAsyncFunction(saveUser), saveUser.name, saveUser.length); // true "save" 1
 * console.log(await saveUser({ id: 7 })); // "users/7"
 * ```
 *
 * @param fn - The function to call.
 * @param bound - The leading arguments to pass to `fn` on every call.
 * @returns A function taking the remaining arguments, of the same kind as `fn`.
 * @throws {TypeError} when `fn` is not a function.
 */
export function apartial<A extends unknown[], B extends unknown[], R>(
  fn: (...args: [...A, ...B]) => R,
  ...bound: A
): (...rest: B) => R {
  if (typeof fn !== "function") throw new TypeError(`apartial: fn must be a function, got ${typeof fn}`);
  const origin = origins.get(fn as AnyFunction);
  const target = origin ? origin[0] : (fn as AnyFunction);
  const args = origin ? [...origin[1], ...bound] : bound;
  const tag = tagOf(target);
  // Method shorthand: it forwards `this` like a `function`, but cannot be called with `new`.
  const partial =
    tag === "AsyncFunction"
      ? {
          async f(...rest: unknown[]) {
            return target.apply(this, [...args, ...rest]);
          },
        }.f
      : tag === "AsyncGeneratorFunction"
        ? {
            async *f(...rest: unknown[]) {
              return yield* target.apply(this, [...args, ...rest]) as AsyncIterable<unknown>;
            },
          }.f
        : tag === "GeneratorFunction"
          ? {
              *f(...rest: unknown[]) {
                return yield* target.apply(this, [...args, ...rest]) as Iterable<unknown>;
              },
            }.f
          : {
              f(...rest: unknown[]) {
                return target.apply(this, [...args, ...rest]);
              },
            }.f;
  Object.defineProperties(partial, {
    name: { value: fn.name },
    length: { value: Math.max(0, fn.length - bound.length) || 0 },
  });
  origins.set(partial, [target, args]);
  return partial as (...rest: B) => R;
}

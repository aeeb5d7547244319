/**
 * The built-in kind of a function, read from its `Symbol.toStringTag` the way
 * `Object.prototype.toString` reads it: "AsyncFunction", "AsyncGeneratorFunction",
 * "GeneratorFunction", or "Function" for everything else.
 *
 * Why the tag and not `instanceof` or `util.types.isAsyncFunction`: a bound function inherits
 * its target's prototype, so `asyncFn.bind(x)` reports "AsyncFunction" here while Node's
 * `util.types.isAsyncFunction` answers false for it; a proxy reports its target's tag; and
 * the tag is the same in every realm (vm contexts, iframes), where `instanceof` is not.
 */
export function tagOf(fn: unknown): string {
  return Object.prototype.toString.call(fn).slice(8, -1);
}

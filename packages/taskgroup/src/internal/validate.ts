/** Argument checks of this package beyond cancel-core's, and the type tests they share. */
import { checkFunction } from "@corral/cancel-core";

function typeOf(value: unknown): string {
  return value === null ? "null" : typeof value;
}


/** Read an iterable of functions at once, so a bad element is reported before anything starts. */
export function toFunctionList<F>(value: unknown, name: string): F[] {
  if (typeof value === "string" || typeof (value as Iterable<F> | null)?.[Symbol.iterator] !== "function") {
    throw new TypeError(`${name} must be an iterable of functions, got ${typeOf(value)}`);
  }
  const list = Array.from(value as Iterable<F>);
  list.forEach((fn, i) => {
    checkFunction(fn, `${name}[${i}]`);
  });
  return list;
}

export function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return isObject(value) && typeof (value as PromiseLike<unknown>).then === "function";
}

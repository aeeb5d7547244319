/**
 * Argument checks, shared by every corral package so that bad input fails the same way
 * everywhere: synchronously, with a `TypeError` for a wrong type and a `RangeError` for an
 * impossible value, naming the argument. Use them in primitives of your own.
 *
 * @example
 * ```ts
 * import { checkDuration, checkFunction, checkOptions, checkSignal, sleep } from "@corral/cancel-core";
 *
 * export function delayed<T>(ms: number, fn: () => T, options?: { signal?: AbortSignal }): Promise<T> {
 *   checkDuration(ms, "ms");
 *   checkFunction(fn, "fn");
 *   checkOptions(options);
 *   const signal = checkSignal(options?.signal, "options.signal");
 *   return sleep(ms, { signal }).then(fn);
 * }
 * ```
 */

/** True for an `AbortSignal` of any realm or copy (duck-typed: `aborted` and `addEventListener`). */
export function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AbortSignal).aborted === "boolean" &&
    typeof (value as AbortSignal).addEventListener === "function"
  );
}

/**
 * Return `value` if it is an AbortSignal (or `undefined`, unless `optional` is false).
 * @throws {TypeError} naming `name` otherwise.
 */
export function checkSignal(value: unknown, name: string, optional = true): AbortSignal | undefined {
  if (value === undefined && optional) return undefined;
  if (!isAbortSignal(value)) throw new TypeError(`${name} must be an AbortSignal, got ${typeof value}`);
  return value;
}

/**
 * Return `value` if it is a duration in ms: a non-negative number; `Infinity` means no limit.
 * @throws {TypeError} for a non-number; {@link RangeError} for a negative number or NaN.
 */
export function checkDuration(value: unknown, name: string): number {
  if (checkDeadline(value, name) < 0) throw new RangeError(`${name} must not be negative, got ${value}`);
  return value as number;
}

/**
 * Return `value` if it is a deadline on `now()`'s clock: any number but NaN.
 * @throws {TypeError} for a non-number; {@link RangeError} for NaN.
 */
export function checkDeadline(value: unknown, name: string): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number of ms, got ${typeof value}`);
  if (Number.isNaN(value)) throw new RangeError(`${name} must not be NaN`);
  return value;
}

/** @throws {TypeError} naming `name` when `value` is not a function. */
export function checkFunction(value: unknown, name: string): void {
  if (typeof value !== "function") throw new TypeError(`${name} must be a function, got ${typeof value}`);
}

/** @throws {TypeError} naming `name` when `value` is given but is not a plain object (null and arrays included). */
export function checkOptions(value: unknown, name = "options"): void {
  if (value !== undefined && (typeof value !== "object" || !value || Array.isArray(value))) {
    throw new TypeError(`${name} must be an options object`);
  }
}

/** `value` is undefined or of the given `typeof` type. Not exported from the package. */
export function checkOptional(value: unknown, type: "boolean" | "string", name: string): void {
  if (value !== undefined && typeof value !== type) throw new TypeError(`${name} must be a ${type}, got ${typeof value}`);
}

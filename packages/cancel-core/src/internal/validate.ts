/** Argument checks shared by every corral package's public functions. */

export function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AbortSignal).aborted === "boolean" &&
    typeof (value as AbortSignal).addEventListener === "function"
  );
}

/** An AbortSignal, or undefined where `optional`. */
export function checkSignal(value: unknown, name: string, optional = true): AbortSignal | undefined {
  if (value === undefined && optional) return undefined;
  if (!isAbortSignal(value)) throw new TypeError(`${name} must be an AbortSignal, got ${typeof value}`);
  return value;
}

/** A duration in ms: a non-negative number; `Infinity` means no limit. */
export function checkDuration(value: unknown, name: string): number {
  if (checkDeadline(value, name) < 0) throw new RangeError(`${name} must not be negative, got ${value}`);
  return value as number;
}

/** A deadline on now()'s clock: any number but NaN (a past one fires on the next tick). */
export function checkDeadline(value: unknown, name: string): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number of ms, got ${typeof value}`);
  if (value !== value) throw new RangeError(`${name} must not be NaN`);
  return value;
}

export function checkFunction(value: unknown, name: string): void {
  if (typeof value !== "function") throw new TypeError(`${name} must be a function, got ${typeof value}`);
}

/** An options argument: absent, or an object. */
export function checkOptions(value: unknown): void {
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw new TypeError(`options must be an object, got ${value === null ? "null" : typeof value}`);
  }
}

/** Argument checks shared by every corral package's public functions. */

export function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AbortSignal).aborted === "boolean" &&
    typeof (value as AbortSignal).addEventListener === "function"
  );
}

export function checkSignal(value: unknown, name: string): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (!isAbortSignal(value)) throw new TypeError(`${name} must be an AbortSignal, got ${typeof value}`);
  return value;
}

/** A duration in ms: a non-negative number; `Infinity` means no limit. */
export function checkDuration(value: unknown, name: string): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number of milliseconds, got ${typeof value}`);
  if (Number.isNaN(value) || value < 0) throw new RangeError(`${name} must be a non-negative number of milliseconds, got ${value}`);
  return value;
}

/** A deadline on now()'s clock: any number but NaN (a past one fires on the next tick). */
export function checkDeadline(value: unknown, name: string): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number (ms on now()'s clock), got ${typeof value}`);
  if (Number.isNaN(value)) throw new RangeError(`${name} must not be NaN`);
  return value;
}

export function checkFunction(value: unknown, name: string): void {
  if (typeof value !== "function") throw new TypeError(`${name} must be a function, got ${value === null ? "null" : typeof value}`);
}

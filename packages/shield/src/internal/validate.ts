/** Argument checks of `shield`: they throw synchronously and name the argument. */

export function checkFunction(value: unknown, name: string): void {
  if (typeof value !== "function") throw new TypeError(`${name} must be a function, got ${value === null ? "null" : typeof value}`);
}

export function checkDuration(value: unknown, name: string): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number of milliseconds, got ${typeof value}`);
  if (Number.isNaN(value) || value < 0) throw new RangeError(`${name} must be a non-negative number of milliseconds, got ${value}`);
  return value;
}

export function checkSignal(value: unknown, name: string): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== "object" ||
    value === null ||
    typeof (value as AbortSignal).aborted !== "boolean" ||
    typeof (value as AbortSignal).addEventListener !== "function"
  ) {
    throw new TypeError(`${name} must be an AbortSignal, got ${value === null ? "null" : typeof value}`);
  }
  return value as AbortSignal;
}

/** An options argument: absent, or an object. */
export function checkOptions(value: unknown): void {
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw new TypeError(`options must be an object, got ${value === null ? "null" : typeof value}`);
  }
}

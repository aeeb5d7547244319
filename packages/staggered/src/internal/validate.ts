/** Argument checks of the public functions: they throw synchronously and name the argument. */

/** A delay in ms: a non-negative number, `Infinity` included. */
export function checkDelay(value: unknown, name: string): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number of milliseconds, got ${describe(value)}`);
  if (Number.isNaN(value) || value < 0) throw new RangeError(`${name} must be a non-negative number of milliseconds, got ${value}`);
  return value;
}

export function checkOptionalFunction<F>(value: F | undefined, name: string): F | undefined {
  if (value !== undefined && typeof value !== "function") throw new TypeError(`${name} must be a function, got ${describe(value)}`);
  return value;
}

export function checkIterable<T>(value: Iterable<T>, name: string): Iterable<T> {
  if (value === null || value === undefined || typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function") {
    throw new TypeError(`${name} must be an iterable of functions, got ${describe(value)}`);
  }
  return value;
}

export function describe(value: unknown): string {
  return value === null ? "null" : typeof value;
}


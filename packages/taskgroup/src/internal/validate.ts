/** Argument checks of the public functions of this package. */

export function checkFunction(value: unknown, name: string): void {
  if (typeof value !== "function") {
    throw new TypeError(`${name} must be a function, got ${value === null ? "null" : typeof value}`);
  }
}

export function checkOptions(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw new TypeError(`${name} must be an object, got ${value === null ? "null" : typeof value}`);
  }
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

export function checkName(value: unknown, name: string): string | undefined {
  if (value !== undefined && typeof value !== "string") throw new TypeError(`${name} must be a string, got ${typeof value}`);
  return value;
}

/** Read an iterable of functions at once, so a bad element is reported before anything starts. */
export function toFunctionList<F>(value: Iterable<F> | unknown, name: string): F[] {
  if (value === null || value === undefined || typeof (value as Iterable<F>)[Symbol.iterator] !== "function" || typeof value === "string") {
    throw new TypeError(`${name} must be an iterable of functions, got ${value === null ? "null" : typeof value}`);
  }
  const list = Array.from(value as Iterable<F>);
  for (let i = 0; i < list.length; i++) checkFunction(list[i], `${name}[${i}]`);
  return list;
}

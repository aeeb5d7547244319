import type { CancelScope } from "./cancel-scope.js";

// Brands live in the global symbol registry, so two copies of this package (an app whose
// dependencies resolve different cancel-core versions) still recognise each other's errors.
const cancelledBrand: unique symbol = Symbol.for("@corral/cancel-core/CancelledError") as never;
const timeoutBrand: unique symbol = Symbol.for("@corral/cancel-core/TimeoutError") as never;

// The base class answers `instanceof` by brand, so a second copy's errors pass;
// subclasses keep the ordinary prototype check.
function instanceOf(asked: unknown, base: unknown, hasBrand: (value: unknown) => boolean, value: unknown): boolean {
  return asked === base ? hasBrand(value) : Function.prototype[Symbol.hasInstance].call(asked, value);
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  if (typeof reason === "string") return reason;
  return "";
}

/**
 * The reason a corral scope aborts its signal with.
 *
 * `reason` is the value given to `cancel(reason)`, and `scope` is the scope that caused the
 * cancellation, so code can tell its own cancellation from one that came from outside
 * (`scope.owns(error)`). Recognise it with {@link isCancelledError}, which also works across
 * duplicate copies of this package; `instanceof` is answered by the same brand check.
 *
 * @example
 * ```ts
 * import { CancelScope, isCancelledError } from "@corral/cancel-core";
 *
 * const scope = new CancelScope({ name: "job" });
 * scope.cancel("user pressed stop");
 * const reason = scope.signal.reason;
 * console.log(isCancelledError(reason), reason.scope === scope); // true true
 * ```
 */
export class CancelledError extends Error {
  declare readonly name: "CancelledError";
  /** The value given to `cancel(reason)`; `undefined` if none was given. */
  readonly reason: unknown;
  /** The scope that caused this cancellation, if a scope did. */
  readonly scope: CancelScope | undefined;

  constructor(reason?: unknown, options?: ErrorOptions & { scope?: CancelScope }) {
    const detail = describe(reason);
    const scopeName = options?.scope?.name;
    super(
      detail ? `Cancelled: ${detail}` : scopeName ? `Cancelled by scope "${scopeName}"` : "Cancelled",
      options, // Error reads only `cause` from it
    );
    this.reason = reason;
    this.scope = options?.scope;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked about
    return instanceOf(this, CancelledError, isCancelledError, value);
  }
}
// On the prototype, not per instance: the stack trace's first line already reads "CancelledError".
Object.defineProperties(CancelledError.prototype, { name: { value: "CancelledError" }, [cancelledBrand]: { value: true } });

/**
 * The error a timeout turns its own expiry into. Its `cause` is the {@link CancelledError}
 * the timeout's scope aborted with.
 */
export class TimeoutError extends Error {
  declare readonly name: "TimeoutError";

  constructor(message = "Timed out", options?: ErrorOptions) {
    super(message, options);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked about
    return instanceOf(this, TimeoutError, isTimeoutError, value);
  }
}
Object.defineProperties(TimeoutError.prototype, { name: { value: "TimeoutError" }, [timeoutBrand]: { value: true } });

/**
 * True when `error` is a {@link CancelledError} from any copy of `@corral/cancel-core`.
 */
export function isCancelledError(error: unknown): error is CancelledError {
  return branded(error, cancelledBrand);
}

/**
 * True when `error` is a {@link TimeoutError} from any copy of `@corral/cancel-core`.
 */
export function isTimeoutError(error: unknown): error is TimeoutError {
  return branded(error, timeoutBrand);
}

function branded(value: unknown, brand: symbol): boolean {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** An error named "AbortError": what `fetch`, Node's APIs and `AbortSignal.abort()` reject with. */
export function isAbortError(error: unknown): error is Error {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AbortError";
}

/**
 * True when `error` means "this work was cancelled" rather than "this work failed": a
 * {@link CancelledError}, or any error named `AbortError` (what `fetch`, Node's APIs and
 * `AbortSignal.abort()` reject with).
 *
 * Use it in a `catch` to avoid swallowing a cancellation you do not own:
 *
 * @example
 * ```ts
 * import { isCancellation } from "@corral/cancel-core";
 *
 * async function load(signal: AbortSignal): Promise<string | undefined> {
 *   try {
 *     return await (await fetch("http://127.0.0.1:9/", { signal })).text();
 *   } catch (error) {
 *     if (isCancellation(error)) throw error; // never swallow a cancellation
 *     return undefined; // a network error: fall back
 *   }
 * }
 * ```
 */
export function isCancellation(error: unknown): boolean {
  return isCancelledError(error) || isAbortError(error);
}

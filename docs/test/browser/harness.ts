/**
 * The tiny harness of the browser checks. Each docs/test/browser/<package>.browser.ts exports
 * `checks` (name → async function that throws when a promise of the package does not hold)
 * and `needs` (the exports it uses). docs/test/browser-packages.test.ts bundles the file for
 * the browser with esbuild, loads it into headless Chromium, and runs each check there as one
 * vitest test. Nothing here may use Node APIs: it all runs in the page.
 */
export type Checks = Record<string, () => Promise<void> | void>;

export class CheckFailed extends Error {
  override readonly name = "CheckFailed";
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

export function equal<T>(actual: T, expected: T, message: string): void {
  if (!Object.is(actual, expected)) {
    throw new CheckFailed(`${message}: expected ${describe(expected)}, got ${describe(actual)}`);
  }
}

export function deepEqual(actual: unknown, expected: unknown, message: string): void {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new CheckFailed(`${message}: expected ${b}, got ${a}`);
}

/** The rejection reason of `promise`; fails when it fulfils instead. */
export async function rejection(promise: PromiseLike<unknown>, message: string): Promise<unknown> {
  try {
    const value = await promise;
    throw new CheckFailed(`${message}: expected a rejection, got the value ${describe(value)}`);
  } catch (error) {
    if (error instanceof CheckFailed) throw error;
    return error;
  }
}

/** What a synchronous call throws; fails when it returns. */
export function thrown(fn: () => unknown, message: string): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new CheckFailed(`${message}: expected a throw`);
}

/** A real (not fake) timer: the checks exercise the browser's own clock and event loop. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Settles after every queued microtask has run (and one macrotask). */
export function macrotask(): Promise<void> {
  return delay(0);
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Error) return `${value.name}(${JSON.stringify(value.message)})`;
  if (typeof value === "object" && value !== null) return Object.prototype.toString.call(value);
  return String(value);
}

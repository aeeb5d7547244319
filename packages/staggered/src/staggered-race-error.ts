// A brand in the global symbol registry: the CommonJS build of the two entry points (and two
// copies of the package in one app) each carry their own class, and must still agree.
const brand: unique symbol = Symbol.for("@corral/staggered/StaggeredRaceError") as never;

/**
 * The rejection of a staggered race that nobody won: every attempt failed, or there was none.
 *
 * `errors` has one entry per started attempt, in start order — what each attempt rejected with
 * (for `happyEyeballs`, one error per address tried). An empty `errors` means nothing was tried.
 * `instanceof StaggeredRaceError` works across duplicate copies of the package, and it is an
 * `AggregateError`, so code that handles `Promise.any` failures handles it too.
 *
 * @example
 * ```ts
 * import { StaggeredRaceError, staggeredRace } from "@corral/staggered";
 *
 * try {
 *   await staggeredRace([
 *     async () => { throw new Error("mirror A is down"); },
 *     async () => { throw new Error("mirror B is down"); },
 *   ]);
 * } catch (error) {
 *   if (!(error instanceof StaggeredRaceError)) throw error;
 *   console.log(error.errors.map((e) => (e as Error).message)); // ["mirror A is down", "mirror B is down"]
 * }
 * ```
 */
export class StaggeredRaceError extends AggregateError {
  override readonly name = "StaggeredRaceError" as const;

  constructor(errors: Iterable<unknown>, message?: string, options?: ErrorOptions) {
    const list = Array.from(errors);
    super(list, message ?? defaultMessage(list.length), options);
  }
}
Object.defineProperty(StaggeredRaceError.prototype, brand, { value: true });
// `instanceof StaggeredRaceError` answers by brand; subclasses keep ordinary prototype checks.
Object.defineProperty(StaggeredRaceError, Symbol.hasInstance, {
  value: function hasInstance(this: unknown, value: unknown): boolean {
    if (this !== StaggeredRaceError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && (value as { [brand]?: unknown })[brand] === true;
  },
});

function defaultMessage(count: number): string {
  if (count === 0) return "Staggered race had no attempts to run";
  return count === 1 ? "The only attempt of the staggered race failed" : `All ${count} attempts of the staggered race failed`;
}

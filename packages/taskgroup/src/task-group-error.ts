/**
 * The rejection of a task group (and of `gather()` and `race()`) when work failed: `errors`
 * holds every failure, always wrapped, even a single one.
 *
 * For `taskGroup()` and `TaskGroup`, `errors` are the children's errors in the order they
 * failed, followed by the body's error. A nested group that failed appears as one
 * `TaskGroupError` inside its parent's. Cancellations are never in `errors`, except in `race()`,
 * where every attempt's outcome is listed in start order.
 *
 * @example
 * ```ts
 * import { taskGroup, TaskGroupError } from "@corral/taskgroup";
 *
 * try {
 *   await taskGroup((group) => {
 *     group.spawn(async () => {
 *       throw new Error("disk full");
 *     });
 *   });
 * } catch (error) {
 *   if (error instanceof TaskGroupError) console.log(error.errors.map((e) => e.message)); // ["disk full"]
 * }
 * ```
 */
export class TaskGroupError extends AggregateError {
  override readonly name = "TaskGroupError" as const;

  /** `message` defaults to a count of the errors. */
  constructor(errors: Iterable<unknown>, message?: string, options?: ErrorOptions) {
    const list = Array.from(errors);
    super(list, message ?? `${errorCount(list)} in a task group`, options);
  }
}

/** "1 error", "2 errors": the start of a {@link TaskGroupError}'s message. */
export function errorCount(errors: unknown[]): string {
  return `${errors.length} ${errors.length === 1 ? "error" : "errors"}`;
}

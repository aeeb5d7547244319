/** Where a {@link Task} is in its life. */
export type TaskState = "running" | "fulfilled" | "rejected" | "cancelled";

/** Options of `spawn()`. */
export interface SpawnOptions {
  /** Shown in error messages and as the name of the task's cancel scope. Default: the function's name, else "task". */
  name?: string;
}

/**
 * A child started by `spawn()`: a handle to await its result and to cancel it alone.
 *
 * `await task` resolves with the child's value or rejects with its error or cancellation,
 * exactly like the promise the child's function returned. Awaiting is optional: the group
 * already owns the outcome, so a task nobody awaits never causes an unhandled rejection.
 *
 * `state` is `"cancelled"` when the child ended with a cancellation (a rejection that
 * `isCancellation()` recognises), `"rejected"` for any other error.
 *
 * What `cancel()` does not do: it aborts this child's signal and nothing else. It cannot stop a
 * function that never looks at its signal, nor one that declares no parameter: such a function
 * is handed the group's signal, not its own (see `TaskGroup.spawn()`).
 *
 * @example
 * ```ts
 * import { sleep } from "@corral/cancel-core";
 * import { taskGroup } from "@corral/taskgroup";
 *
 * await taskGroup(async (group) => {
 *   const slow = group.spawn((signal) => sleep(10_000, { signal }), { name: "slow" });
 *   const fast = group.spawn(async () => 42);
 *   console.log(await fast); // 42
 *   slow.cancel(); // ends "slow" only; its cancellation is not an error of the group
 * });
 * ```
 */
export interface Task<T> extends PromiseLike<T> {
  /** The `name` given to `spawn()`, else the function's name, else `"task"`. */
  readonly name: string;
  /**
   * This child's signal: aborts when the group aborts (with the group's reason) or on
   * `task.cancel()`. Created on first use for a child whose function takes no parameter.
   * Once the child has settled it never aborts any more.
   */
  readonly signal: AbortSignal;
  /** `"running"` until the child settles. */
  readonly state: TaskState;
  /**
   * Cancel this child only: its signal aborts with a `CancelledError`. Its cancellation is not an
   * error of the group, and its siblings keep running. A no-op once the child has settled.
   */
  cancel(reason?: unknown): void;
}

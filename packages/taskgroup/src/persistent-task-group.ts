import { checkFunction, checkOptions } from "@corral/cancel-core";
import { Nursery } from "./internal/nursery.js";
import { reportError } from "./internal/report.js";
import { isThenable } from "./internal/validate.js";
import type { SpawnOptions, Task } from "./task.js";

/** Options of {@link PersistentTaskGroup}. */
export interface PersistentTaskGroupOptions {
  /** Parent signal: its abort cancels every running child (the group itself stays usable). */
  signal?: AbortSignal;
  /** Names the group's cancel scope and its reports. Default "PersistentTaskGroup". */
  name?: string;
  /**
   * Called with the error of each child that fails (not for cancellations). If it returns a
   * promise, `shutdown()` and disposal wait for it too. When absent, or when it throws, the
   * error is reported with `reportError` where it exists, else `console.error`.
   */
  onError?: (error: unknown, task: Task<unknown>) => void | PromiseLike<void>;
}

/**
 * A long-lived group whose children fail alone (aiotools' PersistentTaskGroup): a child's error
 * goes to `onError` and cancels nothing else. For servers and workers that start one child per
 * request or job and must still stop them all, and wait for them, at shutdown.
 *
 * It holds nothing for a finished child (a counter, not a list), so it can run for hours.
 * `shutdown()` cancels every child and waits for all of them; `await using` (disposal) waits
 * without cancelling. Neither throws a child's error: those went to `onError`. Awaiting a task
 * still rejects with its error, for whoever awaits it.
 *
 * What it does not do: it does not restart failed children, and `shutdown()` cannot stop a child
 * that ignores its signal (it waits for it). It is the one place where work outlives the code
 * that started it, so someone must call `shutdown()` or dispose the group.
 *
 * @example
 * ```ts
 * import { sleep } from "@corral/cancel-core";
 * import { PersistentTaskGroup } from "@corral/taskgroup";
 *
 * const jobs = new PersistentTaskGroup({
 *   name: "jobs",
 *   onError: (error, task) => console.log(`job ${task.name} failed:`, error),
 * });
 * jobs.spawn(async () => {
 *   throw new Error("bad input");
 * }, { name: "job-1" }); // reported, job-2 keeps running
 * jobs.spawn((signal) => sleep(60_000, { signal }), { name: "job-2" });
 * await jobs.shutdown(); // cancels job-2 and waits for it
 * ```
 */
export class PersistentTaskGroup implements AsyncDisposable {
  readonly #nursery: Nursery;
  #shutdown: Promise<void> | undefined;

  /** @throws {TypeError} when an option has the wrong type. */
  constructor(options?: PersistentTaskGroupOptions) {
    checkOptions(options);
    const { signal, name = "PersistentTaskGroup", onError } = options ?? {};
    if (onError !== undefined) checkFunction(onError, "options.onError");
    this.#nursery = new Nursery(signal, name, (child) => {
      // A failure stops nothing: it goes to onError, or is reported.
      if (child.state !== "rejected") return;
      try {
        const result = handle(child.outcome, child);
        // Shutdown and disposal wait for an asynchronous handler too.
        if (isThenable(result)) return Promise.resolve(result).catch(handlerFailed);
      } catch (handlerError) {
        handlerFailed(handlerError);
      }
    });
    // `name` is known to be a string once the nursery exists.
    const context = `"${name}":`;
    const handle = onError ?? ((error, task) => reportError(error, `${context} task "${task.name}" failed:`));
    const handlerFailed = (handlerError: unknown): void => reportError(handlerError, `${context} onError failed:`);
  }

  /** The group's name. */
  get name(): string {
    return this.#nursery.scope.name;
  }

  /** Aborts on `shutdown()` or when the parent signal aborts; every child's signal follows it. */
  get signal(): AbortSignal {
    return this.#nursery.signal;
  }

  /** Children still running. */
  get size(): number {
    return this.#nursery.running;
  }

  /**
   * Start `fn` as a child, on a later microtask, with its own signal linked to the group's
   * (a function that declares no parameter is handed the group's signal instead, as in
   * `TaskGroup.spawn()`). Its failure goes to `onError`.
   *
   * @throws {TypeError} when `fn` is not a function or `options.name` is not a string.
   * @throws {Error} after `shutdown()` was called, or once disposal has completed.
   */
  spawn<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, options?: SpawnOptions): Task<T> {
    return this.#nursery.spawn(fn, options);
  }

  /**
   * Cancel every child (its signal aborts with a `CancelledError` carrying `reason`), refuse new
   * ones, and resolve once all children and pending `onError` handlers have settled. Never
   * rejects. Calling it again returns the same promise.
   */
  shutdown(reason?: unknown): Promise<void> {
    if (!this.#shutdown) {
      const nursery = this.#nursery;
      nursery.cancel(reason);
      nursery.open = false;
      this.#shutdown = nursery.close();
    }
    return this.#shutdown;
  }

  /**
   * Wait for every child (no cancellation) and pending `onError` handler; children may still
   * spawn children meanwhile. Never throws the children's errors. After it resolves, `spawn()`
   * throws.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#nursery.close();
  }
}

import { checkFunction, checkOptions } from "@corral/cancel-core";
import { Nursery } from "./internal/nursery.js";
import type { SpawnOptions, Task } from "./task.js";

/** Options of {@link taskGroup} and {@link TaskGroup}. */
export interface TaskGroupOptions {
  /** Parent signal: its abort cancels every child and the body; the group then rejects with its reason. */
  signal?: AbortSignal;
  /** Names the group's cancel scope (seen in `CancelledError.scope.name`) and its errors. Default "TaskGroup". */
  name?: string;
}

let nurseryOf: (group: TaskGroup) => Nursery;

/**
 * A nursery (trio) / `asyncio.TaskGroup`: children started with `spawn()` never outlive the
 * group, the first child that fails cancels all the others, and every error is reported.
 *
 * Prefer {@link taskGroup}, which also sees the errors of its body. Use the class with
 * `await using group = new TaskGroup()` when a block shape reads better; `[Symbol.asyncDispose]`
 * then waits for every child and throws as `taskGroup()` would. Disposal cannot see an error
 * thrown by the block itself, so that error does not cancel the children: catch it and call
 * `group.cancel()` (see the example).
 *
 * Children get their own signal, linked to `group.signal`. A child that fails with an error (not
 * a cancellation) aborts `group.signal` and every child's signal with the group's own
 * `CancelledError`; the group waits for all of them, then throws `TaskGroupError`. Children may
 * spawn more children into the group until it settles.
 *
 * What it does not stop: code that ignores its signal runs on and is waited for. A function that
 * declares no parameter (`fn.length === 0`) gets no signal of its own (see `spawn()`), so
 * `task.cancel()` cannot reach it unless it reads `task.signal`.
 *
 * @example
 * ```ts
 * import { sleep } from "@corral/cancel-core";
 * import { TaskGroup } from "@corral/taskgroup";
 *
 * await using group = new TaskGroup({ name: "downloads" });
 * try {
 *   group.spawn((signal) => sleep(100, { signal }));
 *   group.spawn((signal) => sleep(200, { signal }));
 *   await sleep(10); // the block's own work
 * } catch (error) {
 *   group.cancel(); // the block failed: stop the children before disposal waits for them
 *   throw error;
 * }
 * ```
 */
export class TaskGroup implements AsyncDisposable {
  readonly #nursery: Nursery;
  #disposal: Promise<void> | undefined;

  static {
    nurseryOf = (group) => group.#nursery;
  }

  /** @throws {TypeError} when `options.signal` is not an AbortSignal or `options.name` not a string. */
  constructor(options?: TaskGroupOptions) {
    checkOptions(options);
    const { signal, name = "TaskGroup" } = options ?? {};
    this.#nursery = new Nursery(signal, name);
  }

  /** The group's name. */
  get name(): string {
    return this.#nursery.scope.name;
  }

  /**
   * Aborts when the group aborts: on the first child error, on `cancel()`, or when the parent
   * signal aborts. It is the body's signal: pass it to the body's own work.
   */
  get signal(): AbortSignal {
    return this.#nursery.signal;
  }

  /** Children still running. */
  get size(): number {
    return this.#nursery.running;
  }

  /**
   * Start `fn` as a child of the group, on a later microtask (never inside this call). A
   * synchronous throw of `fn` is an ordinary child error. While the group is aborting the child
   * still starts, with an aborted signal.
   *
   * `fn` receives the child's own signal as its only argument — unless it declares no parameter
   * (`fn.length === 0`): such a function cannot name a signal, so none is created for it (a
   * signal of its own is most of a child's cost). It is handed the group's signal instead, which
   * aborts with the group but not on `task.cancel()`; `task.signal` still gives the child's own,
   * created on first use. Declare the parameter (`(signal) => …`) to receive the child's own.
   *
   * @throws {TypeError} when `fn` is not a function or `options.name` is not a string.
   * @throws {Error} when the group has settled.
   */
  spawn<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, options?: SpawnOptions): Task<T> {
    return this.#nursery.spawn(fn, options);
  }

  /**
   * Cancel every child and the body's signal, with a `CancelledError` owned by this group. The
   * group then ends without error once the children have settled (resolving `undefined` when
   * the body ends with that cancellation) — unless a child failed, or the parent signal aborted
   * meanwhile: those are still reported. Idempotent; a no-op once the group has settled.
   */
  cancel(reason?: unknown): void {
    this.#nursery.cancel(reason);
  }

  /**
   * Wait for every child (including those spawned meanwhile), then throw as `taskGroup()` does:
   * `TaskGroupError` if any child failed, else the parent's reason if the parent signal aborted.
   * Does not cancel the children. Calling it again returns the same promise.
   */
  [Symbol.asyncDispose](): Promise<void> {
    const nursery = this.#nursery;
    this.#disposal ??= nursery.close().then(() => {
      nursery.outcome(undefined);
    });
    return this.#disposal;
  }
}

/**
 * Run `body` with a new {@link TaskGroup} and wait until the body and every child have settled.
 * The default form of a task group: unlike `await using`, it sees the body's error too.
 *
 * Outcome, in priority order:
 * 1. any child failed or the body threw an error → rejects with `TaskGroupError` (children's
 *    errors in the order they failed, then the body's), even for a single error;
 * 2. `options.signal` aborted → rejects with its reason (after every child has settled);
 * 3. the body rejected with a cancellation that is not the group's own → rejects with it;
 * 4. otherwise resolves with the body's value — `undefined` if the body ended with the group's
 *    own cancellation (after `group.cancel()`).
 *
 * The first error (a child's, or the body's) aborts `group.signal` and every child's signal.
 * Cancellations are never errors: a child cancelled by the group, by `task.cancel()` or by
 * anything else simply ends.
 *
 * What it does not stop: work that ignores its signal; the group waits for it.
 *
 * @example
 * ```ts
 * import { sleep } from "@corral/cancel-core";
 * import { taskGroup } from "@corral/taskgroup";
 *
 * async function load(id: number, signal: AbortSignal): Promise<string> {
 *   await sleep(10 * id, { signal });
 *   return `item ${id}`;
 * }
 *
 * const items = await taskGroup(async (group) => {
 *   const a = group.spawn((signal) => load(1, signal));
 *   const b = group.spawn((signal) => load(2, signal));
 *   group.spawn((signal) => sleep(50, { signal })); // not awaited here, but waited for
 *   return [await a, await b];
 * });
 * console.log(items); // ["item 1", "item 2"], once all three children have settled
 * ```
 *
 * @throws {TypeError} when `body` is not a function, or an option has the wrong type.
 */
export function taskGroup<T>(body: (group: TaskGroup) => T | PromiseLike<T>, options?: TaskGroupOptions): Promise<T | undefined> {
  checkFunction(body, "body");
  const group = new TaskGroup(options);
  return runBody(group, nurseryOf(group), body);
}

async function runBody<T>(group: TaskGroup, nursery: Nursery, body: (group: TaskGroup) => T | PromiseLike<T>): Promise<T | undefined> {
  let value: T | undefined;
  try {
    value = await body(group);
  } catch (error) {
    // An error or a cancellation: stop the children as a failed child would.
    nursery.interrupt(error, "the body failed");
  }
  await nursery.close();
  return nursery.outcome(value);
}

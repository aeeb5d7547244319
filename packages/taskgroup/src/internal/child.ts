import { CancelScope } from "@corral/cancel-core";
import type { Task, TaskState } from "../task.js";
import type { Nursery } from "./nursery.js";
import { isThenable } from "./validate.js";

export type Work<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/**
 * The implementation of {@link Task}: it runs one function for its group and records the outcome.
 * Users see only the `Task` interface.
 *
 * A child's own signal is a plain AbortController's, made only when someone needs it: the
 * function declares a parameter, or someone reads `signal` or calls `cancel()`. A function that
 * declares no parameter is handed the group's signal instead. While the child runs, the
 * controller is in its group's set of controllers (O(1) in and out), which the group aborts
 * when it aborts; a finished child leaves nothing on the group. (A `CancelScope` or an
 * `onCancel` registration per child would do the same, at a measurable cost per child.)
 */
export class Child<T> implements Task<T> {
  state: TaskState = "running";
  /** The value or the error, once settled. */
  outcome: unknown;
  readonly #group: Nursery;
  readonly #work: Work<T>;
  #name: string | undefined;
  #controller: AbortController | undefined;
  /** The native promise the function returned, while it runs: `then` attaches to it directly. */
  #promise: Promise<T> | undefined;
  /** Made only when someone awaits the child before it returned a native promise. */
  #waiting: Promise<T> | undefined;
  #wake: ((settled: PromiseLike<T>) => void) | undefined;

  constructor(group: Nursery, work: Work<T>, name: string | undefined) {
    this.#group = group;
    this.#work = work;
    this.#name = name;
  }

  get name(): string {
    // Computed on demand: most children are never asked for their name.
    this.#name ??= this.#work.name || "task";
    return this.#name;
  }

  get signal(): AbortSignal {
    return this.#own().signal;
  }

  cancel(reason?: unknown): void {
    if (this.state !== "running") return;
    const controller = this.#own();
    if (controller.signal.aborted) return;
    // The child's own cancellation is owned by a scope named after it, so it reads like any
    // other corral cancellation (`reason.scope.name === task.name`).
    const own = new CancelScope({ name: this.name });
    own.cancel(reason);
    controller.abort(own.signal.reason);
  }

  #own(): AbortController {
    let controller = this.#controller;
    if (!controller) {
      controller = this.#controller = new AbortController();
      // A settled child's signal no longer follows the group.
      if (this.state === "running") this.#group.link(controller);
    }
    return controller;
  }

  /** Run the function (on a later microtask than `spawn()`), then settle with its outcome. */
  start(): void {
    const work = this.#work;
    let result: unknown;
    try {
      // A function that declares no parameter cannot name its own signal: hand it the group's.
      result = work(work.length === 0 ? this.#group.signal : this.signal);
      if (result instanceof Promise) this.#promise = result;
      // Inside the try: a thenable whose `then` getter throws is a failure of this child.
      else if (isThenable(result)) result = Promise.resolve(result);
      else {
        this.#settle(true, result);
        return;
      }
    } catch (error) {
      this.#settle(false, error);
      return;
    }
    // These handlers never throw, so the promise `then` returns never rejects.
    (result as Promise<unknown>).then(
      (value) => this.#settle(true, value),
      (error: unknown) => this.#settle(false, error),
    );
  }

  #settle(fulfilled: boolean, outcome: unknown): void {
    const group = this.#group;
    this.state = fulfilled ? "fulfilled" : group.isCancellation(outcome) ? "cancelled" : "rejected";
    this.outcome = outcome;
    this.#promise = undefined;
    if (this.#controller) group.controllers.delete(this.#controller);
    this.#wake?.(this.then());
    group.settled(this as Child<unknown>);
  }

  // biome-ignore lint/suspicious/noThenProperty: a Task is PromiseLike by contract, so `await task` works
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const state = this.state;
    if (state === "running") {
      if (this.#promise) return this.#promise.then(onfulfilled, onrejected);
      this.#waiting ??= new Promise<T>((wake) => {
        this.#wake = wake;
      });
      return this.#waiting.then(onfulfilled, onrejected);
    }
    return (state === "fulfilled" ? Promise.resolve(this.outcome as T) : Promise.reject(this.outcome)).then(onfulfilled, onrejected);
  }

  get [Symbol.toStringTag](): string {
    return "Task";
  }

  /** What `console.log(task)` shows in Node: its name and state, not the group's bookkeeping. */
  [Symbol.for("nodejs.util.inspect.custom")](_depth: number, options: unknown, inspect: (value: unknown, options: unknown) => string): string {
    return `Task ${inspect({ name: this.name, state: this.state }, options)}`;
  }
}

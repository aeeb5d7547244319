import { CancelScope } from "@corral/cancel-core";
import type { Task, TaskState } from "../task.js";

export type Work<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/** What a child needs from the group that owns it. */
export interface Parent {
  /** Abort `controller` at once if the group has aborted, else list the child to be aborted with it. */
  link(child: Child<unknown>, controller: AbortController): void;
}

class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (error: unknown) => void;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

/**
 * The implementation of {@link Task}. The group writes its fields directly; users see only the
 * `Task` interface.
 *
 * A child's signal is a plain AbortController's, listed in its group's intrusive list of
 * children (O(1) in and out) so the group's abort reaches it. A child whose function declares
 * no parameter is handed the group's signal and gets no controller at all unless someone reads
 * `signal` or calls `cancel()`: it is made then, already aborted if the group is.
 */
export class Child<T> implements Task<T> {
  state: TaskState = "running";
  /** The value or the error, once settled. */
  outcome: unknown = undefined;
  /** The native promise the function returned, while it runs: `then` attaches to it directly. */
  promise: Promise<T> | undefined = undefined;
  /** Made only when someone awaits the child before it returned a native promise. */
  deferred: Deferred<T> | undefined = undefined;
  controller: AbortController | undefined = undefined;
  /** Neighbours in the group's list of running children that have a controller. */
  prev: Child<unknown> | undefined = undefined;
  next: Child<unknown> | undefined = undefined;
  /** Position in the input of `gather()` / `race()`. */
  index = 0;
  readonly parent: Parent;
  readonly work: Work<T>;
  #name: string | undefined;

  constructor(parent: Parent, work: Work<T>, name: string | undefined) {
    this.parent = parent;
    this.work = work;
    this.#name = name;
  }

  get name(): string {
    // Computed on demand: most children are never asked for their name.
    this.#name ??= this.work.name || "task";
    return this.#name;
  }

  get signal(): AbortSignal {
    return this.controllerOf().signal;
  }

  cancel(reason?: unknown): void {
    if (this.state !== "running") return;
    const controller = this.controllerOf();
    if (controller.signal.aborted) return;
    // The child's own cancellation is owned by a scope named after it, so it reads like any
    // other corral cancellation (`reason.scope.name === task.name`).
    const own = new CancelScope({ name: this.name });
    own.cancel(reason);
    controller.abort(own.signal.reason);
  }

  controllerOf(): AbortController {
    let controller = this.controller;
    if (!controller) {
      controller = this.controller = new AbortController();
      // A settled child keeps no link to its group.
      if (this.state === "running") this.parent.link(this as Child<unknown>, controller);
    }
    return controller;
  }

  // biome-ignore lint/suspicious/noThenProperty: a Task is PromiseLike by contract, so `await task` works
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    switch (this.state) {
      case "running": {
        if (this.promise) return this.promise.then(onfulfilled, onrejected);
        this.deferred ??= new Deferred<T>();
        return this.deferred.promise.then(onfulfilled, onrejected);
      }
      case "fulfilled":
        return Promise.resolve(this.outcome as T).then(onfulfilled, onrejected);
      default:
        return Promise.reject(this.outcome).then(onfulfilled, onrejected);
    }
  }

  get [Symbol.toStringTag](): string {
    return "Task";
  }

  /** What `console.log(task)` shows in Node: its name and state, not the group's bookkeeping. */
  [Symbol.for("nodejs.util.inspect.custom")](_depth: number, options: unknown, inspect: (value: unknown, options: unknown) => string): string {
    return `Task ${inspect({ name: this.name, state: this.state }, options)}`;
  }
}

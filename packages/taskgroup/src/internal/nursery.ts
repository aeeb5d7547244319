import { CancelScope, checkFunction, checkOptions, isCancellation, onCancel } from "@corral/cancel-core";
import type { SpawnOptions } from "../task.js";
import { errorCount, TaskGroupError } from "../task-group-error.js";
import { Child, type Work } from "./child.js";
import { isObject } from "./validate.js";

/**
 * What a child's outcome means to its group, called once per child as it settles. A native
 * promise it returns (an asynchronous `onError`) is waited for before the group settles; it must
 * not reject. Any other return value is ignored.
 */
export type OnSettle = (child: Child<unknown>, group: Nursery) => unknown;

const resolved = Promise.resolve();

/** Children started per microtask turn. */
const SLICE = 1024;

/** The strict behaviour of `TaskGroup` and `gather()`: a failure aborts everything and is collected. */
export const failFast: OnSettle = (child, group) => {
  if (child.state === "rejected") group.fail(child.outcome, `task "${child.name}" failed`);
};

/**
 * The engine behind every group of this package: a cancel scope, the children not yet started,
 * a count of those running, and the errors they raised.
 *
 * It lists only the controllers of the running children that have a signal of their own, and
 * aborts them through one `onCancel` registration on its signal, so no child adds a listener to
 * a shared signal, and a long-lived group holds nothing per finished child.
 */
export class Nursery {
  readonly scope: CancelScope;
  /** The group's signal, handed to children that declare no parameter. */
  readonly signal: AbortSignal;
  readonly parent: AbortSignal | undefined;
  /** Children spawned and not yet settled. */
  running = 0;
  /** `spawn()` is allowed: until the group settles, or a persistent group's `shutdown()`. */
  open = true;
  /** The controllers of the running children that have a signal of their own. */
  readonly controllers = new Set<AbortController>();
  readonly #onSettle: OnSettle;
  readonly #registration: Disposable;
  #queue: (Child<unknown> | undefined)[] = [];
  /** How many children of `#queue` have started. */
  #started = 0;
  /** Other work the group waits for before it settles (pending `onError` handlers). */
  #pending = 0;
  #closed: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #errors: unknown[] | undefined;
  #seen: WeakSet<object> | undefined;
  #interrupted = false;
  #interruption: unknown;

  /** @throws {TypeError} when `parent` is not an AbortSignal or `name` not a string (checked by CancelScope). */
  constructor(parent: AbortSignal | undefined, name: string, onSettle = failFast) {
    this.scope = new CancelScope({ signal: parent, name });
    this.signal = this.scope.signal;
    this.parent = parent;
    this.#onSettle = onSettle;
    this.#registration = onCancel(this.signal, (reason) => {
      for (const controller of this.controllers) controller.abort(reason);
      this.controllers.clear();
    });
  }

  /** Make `controller` follow the group: aborted now if the group has aborted, else listed. */
  link(controller: AbortController): void {
    const signal = this.signal;
    if (signal.aborted) controller.abort(signal.reason);
    else this.controllers.add(controller);
  }

  /** Check the arguments of `spawn()` and queue a child: user code never runs inside `spawn()`. */
  spawn<T>(work: Work<T>, options?: SpawnOptions): Child<T> {
    checkFunction(work, "fn");
    checkOptions(options);
    const name = options?.name;
    if (name !== undefined && typeof name !== "string") throw new TypeError(`options.name must be a string, got ${typeof name}`);
    if (!this.open) throw new Error(`"${this.scope.name}" takes no more tasks`);
    const child = new Child(this, work, name);
    this.running++;
    if (this.#queue.push(child as Child<unknown>) === 1) void resolved.then(this.#drain);
    return child;
  }

  /**
   * Start the queued children in order, a slice per microtask turn: the children of a large
   * burst that settle at once are then collected young, instead of all staying alive until the
   * last one has started (less memory, less time in the garbage collector).
   */
  readonly #drain = (): void => {
    const queue = this.#queue;
    const start = this.#started;
    const end = Math.min(queue.length, start + SLICE);
    for (let i = start; i < end; i++) {
      const child = queue[i]!;
      queue[i] = undefined;
      child.start();
    }
    // Children spawned meanwhile (by the ones just started) are in the queue too.
    if (end < queue.length) {
      this.#started = end;
      void resolved.then(this.#drain);
    } else {
      this.#queue = [];
      this.#started = 0;
    }
  };

  /**
   * A rejection means "cancelled" when `isCancellation()` says so, or when it is the reason the
   * group's signal aborted with (a child's signal aborts with the same reason, or with its own
   * `CancelledError`): a parent's reason travels unchanged and may be any value, yet it is still
   * a cancellation, not a failure.
   */
  isCancellation(error: unknown): boolean {
    const signal = this.signal;
    return isCancellation(error) || (signal.aborted && signal.reason === error);
  }

  /** Called by a child once it has settled. */
  settled(child: Child<unknown>): void {
    const handling = this.#onSettle(child, this);
    if (handling instanceof Promise) {
      this.#pending++;
      void handling.then(() => {
        this.#pending--;
        this.#check();
      });
    }
    this.running--;
    this.#check();
  }

  /** Cancel the group (children and body), unless it is closed. */
  cancel(reason: unknown): void {
    if (this.open) this.scope.cancel(reason);
  }

  /**
   * Record a child's error, then cancel the group. Errors are recorded once: a body or child that
   * awaited a failed task rethrows that task's error object, which is the same failure.
   */
  fail(error: unknown, reason: string): void {
    this.#collect(error);
    this.cancel(reason);
  }

  #collect(error: unknown): void {
    if (isObject(error)) {
      this.#seen ??= new WeakSet();
      if (this.#seen.has(error)) return;
      this.#seen.add(error);
    }
    this.#errors ??= [];
    this.#errors.push(error);
  }

  /**
   * Stop the children because the body failed (with an error or a cancellation), or because a
   * child of `gather()` was cancelled by something else: {@link outcome} then reports `error`.
   */
  interrupt(error: unknown, reason: string): void {
    if (this.#interrupted) return;
    this.#interrupted = true;
    this.#interruption = error;
    this.cancel(reason);
  }

  /** Resolves once the group has settled: nothing running, nothing pending. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((wake) => {
      this.#wake = wake;
      this.#check();
    });
    return this.#closed;
  }

  #check(): void {
    const wake = this.#wake;
    if (!wake || this.running || this.#pending) return;
    this.#wake = undefined;
    this.open = false;
    // Leave the parent signal: nothing stays registered on it once the group has settled.
    this.scope[Symbol.dispose]();
    this.#registration[Symbol.dispose]();
    wake();
  }

  /** The rejection for `errors`: always a `TaskGroupError`, even for one. */
  error(errors: unknown[]): TaskGroupError {
    return new TaskGroupError(errors, `${errorCount(errors)} in "${this.scope.name}"`);
  }

  /**
   * The outcome of a strict group once it has settled, in priority order: errors (children's,
   * then the interruption's if it is not a cancellation) → `TaskGroupError`; the parent aborted →
   * its reason; an interruption that is not the group's own cancellation → it; else `value`
   * (`undefined` after the group's own cancellation).
   */
  outcome<T>(value: T): T | undefined {
    const interrupted = this.#interrupted;
    const interruption = this.#interruption;
    if (interrupted && !this.isCancellation(interruption)) this.#collect(interruption);
    if (this.#errors) throw this.error(this.#errors);
    if (this.parent?.aborted) throw this.parent.reason;
    if (!interrupted) return value;
    if (this.scope.owns(interruption)) return undefined;
    throw interruption;
  }
}

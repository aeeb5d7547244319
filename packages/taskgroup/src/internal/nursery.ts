import { CancelScope, isCancellation, onCancel } from "@corral/cancel-core";
import { TaskGroupError } from "../task-group-error.js";
import { Child, type Work } from "./child.js";

const resolved = Promise.resolve();

/**
 * Children started per microtask turn. Starting a large burst in slices lets the children that
 * settle at once be collected young, instead of keeping every burst's promises and signals alive
 * until the last one has started: less memory, and less time in the garbage collector.
 */
const SLICE = 1024;

/**
 * The engine behind every group of this package: a cancel scope, a count of running children
 * and the errors they raised.
 *
 * The only children it lists are the running ones that have a signal, in an intrusive list (O(1)
 * to link and unlink). One `onCancel` registration on the group's signal walks that list when the
 * group aborts, so no child ever adds a listener to a shared signal, and a settled child is
 * forgotten at once: a long-lived group holds nothing per finished child.
 *
 * The `on*` hooks decide what a child's outcome means. This class gives the strict behaviour of
 * `TaskGroup` (a failure aborts everything, errors are collected); subclasses give the others.
 */
export class Nursery {
  readonly scope: CancelScope;
  readonly parent: AbortSignal | undefined;
  /** Children spawned and not yet settled. */
  running = 0;
  /** Other work the group waits for before it settles (pending `onError` handlers). */
  pending = 0;
  /** Errors of the children, in the order they failed. */
  errors: unknown[] | undefined = undefined;
  /** The body is done: the group settles as soon as nothing is running. */
  closing = false;
  settled = false;
  #queue: (Child<unknown> | undefined)[] = [];
  #cursor = 0;
  #scheduled = false;
  #head: Child<unknown> | undefined = undefined;
  #registration: Disposable | undefined = undefined;
  #closed: Promise<void> | undefined = undefined;
  #wake: (() => void) | undefined = undefined;
  #seen: WeakSet<object> | undefined = undefined;
  #signal: AbortSignal | undefined = undefined;

  constructor(parent: AbortSignal | undefined, name: string) {
    this.parent = parent;
    this.scope = new CancelScope(parent ? { signal: parent, name } : { name });
  }

  spawn<T>(work: Work<T>, name: string | undefined): Child<T> {
    if (this.settled) throw new Error(`"${this.scope.name}" has settled: it cannot spawn more tasks`);
    const child = new Child<T>(this, work, name);
    this.running++;
    this.#queue.push(child as Child<unknown>);
    // User code never runs inside spawn(): children start on a later microtask, in order.
    if (!this.#scheduled) {
      this.#scheduled = true;
      void resolved.then(this.#drain);
    }
    return child;
  }

  readonly #drain = (): void => {
    const queue = this.#queue;
    let i = this.#cursor;
    const end = Math.min(queue.length, i + SLICE);
    while (i < end) {
      const child = queue[i]!;
      queue[i++] = undefined;
      this.#start(child);
    }
    // Children spawned meanwhile (by the ones just started) are in the queue too.
    if (i < queue.length) {
      this.#cursor = i;
      void resolved.then(this.#drain);
    } else {
      this.#queue = [];
      this.#cursor = 0;
      this.#scheduled = false;
    }
  };

  #start(child: Child<unknown>): void {
    const work = child.work;
    let result: unknown;
    let native: boolean;
    try {
      // A function that declares no parameter cannot name its own signal: do not make one for
      // it, hand it the group's (it still aborts with the group).
      result = work(work.length === 0 ? this.#groupSignal() : child.controllerOf().signal);
      // Inside the try: a thenable whose `then` getter throws is a failure of that child.
      native = result instanceof Promise;
      if (!native && !isThenable(result)) {
        this.fulfilled(child, result);
        return;
      }
    } catch (error) {
      this.rejected(child, error);
      return;
    }
    if (native) child.promise = result as Promise<unknown>;
    else result = Promise.resolve(result);
    // These handlers never throw, so the promise `then` returns never rejects.
    (result as Promise<unknown>).then(
      (value) => this.fulfilled(child, value),
      (error: unknown) => this.rejected(child, error),
    );
  }

  #groupSignal(): AbortSignal {
    this.#signal ??= this.scope.signal;
    return this.#signal;
  }

  link(child: Child<unknown>, controller: AbortController): void {
    const signal = this.scope.signal;
    if (signal.aborted) {
      controller.abort(signal.reason);
      return;
    }
    this.#registration ??= onCancel(signal, this.#abortChildren);
    const head = this.#head;
    child.next = head;
    if (head) head.prev = child;
    this.#head = child;
  }

  #unlink(child: Child<unknown>): void {
    const { prev, next } = child;
    if (prev) prev.next = next;
    else if (this.#head === child) this.#head = next;
    else return; // not listed (never had a controller, or already aborted by the group)
    if (next) next.prev = prev;
    child.prev = child.next = undefined;
  }

  readonly #abortChildren = (reason: unknown): void => {
    this.#registration = undefined;
    let child = this.#head;
    this.#head = undefined;
    while (child) {
      const next = child.next;
      child.prev = child.next = undefined;
      child.controller!.abort(reason);
      child = next;
    }
  };

  fulfilled(child: Child<unknown>, value: unknown): void {
    child.state = "fulfilled";
    child.outcome = value;
    child.promise = undefined;
    if (child.controller) this.#unlink(child);
    const deferred = child.deferred;
    if (deferred) {
      child.deferred = undefined;
      deferred.resolve(value);
    }
    this.onFulfilled(child, value);
    if (--this.running === 0) this.check();
  }

  rejected(child: Child<unknown>, error: unknown): void {
    const cancelled = this.isCancellation(error, child);
    child.state = cancelled ? "cancelled" : "rejected";
    child.outcome = error;
    child.promise = undefined;
    if (child.controller) this.#unlink(child);
    const deferred = child.deferred;
    if (deferred) {
      child.deferred = undefined;
      deferred.reject(error);
    }
    if (cancelled) this.onCancelled(child, error);
    else this.onFailed(child, error);
    if (--this.running === 0) this.check();
  }

  /**
   * A rejection means "cancelled" when `isCancellation()` says so, or when it is the reason the
   * group's (or the child's own) signal aborted with: a parent's reason travels unchanged, and
   * may be any value (an `Error`, a string), yet it is still a cancellation, not a failure.
   */
  isCancellation(error: unknown, child?: Child<unknown>): boolean {
    if (isCancellation(error)) return true;
    const signal = this.scope.signal;
    if (signal.aborted && signal.reason === error) return true;
    const own = child?.controller?.signal;
    return own?.aborted === true && own.reason === error;
  }

  onFulfilled(_child: Child<unknown>, _value: unknown): void {}

  onCancelled(_child: Child<unknown>, _error: unknown): void {}

  onFailed(child: Child<unknown>, error: unknown): void {
    this.#collect(error);
    this.scope.cancel(`task "${child.name}" failed`);
  }

  /**
   * Record an error once: a body or child that awaited a failed task rethrows that task's error
   * object, which is the same failure, not a second one.
   */
  #collect(error: unknown): void {
    if (isObject(error)) {
      this.#seen ??= new WeakSet();
      if (this.#seen.has(error)) return;
      this.#seen.add(error);
    }
    if (this.errors) this.errors.push(error);
    else this.errors = [error];
  }

  /** The body ended with an error or a cancellation: stop the children as a failed child would. */
  bodyFailed(): void {
    this.scope.cancel("the body of the group failed");
  }

  /** Resolves once the group has settled: nothing running, nothing pending. Idempotent. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.closing = true;
      this.#closed = new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.check();
    }
    return this.#closed;
  }

  check(): void {
    if (!this.closing || this.running !== 0 || this.pending !== 0 || this.settled) return;
    this.settled = true;
    // Leave the parent signal: nothing stays registered on it once the group has settled.
    this.scope[Symbol.dispose]();
    this.#registration?.[Symbol.dispose]();
    this.#registration = undefined;
    const wake = this.#wake!;
    this.#wake = undefined;
    wake();
  }

  /**
   * The outcome of a strict group once it has settled, in priority order: errors (children's,
   * then the body's) → `TaskGroupError`; the parent aborted → its reason; the body's cancellation
   * that is not the group's own → that cancellation; else the body's value (`undefined` after the
   * group's own cancellation).
   */
  outcome<T>(bodyFailed: boolean, bodyError: unknown, value: T): T | undefined {
    if (bodyFailed && !this.isCancellation(bodyError)) this.#collect(bodyError);
    const errors = this.errors;
    if (errors) {
      const count = errors.length;
      throw new TaskGroupError(errors, `${count} ${count === 1 ? "error" : "errors"} in task group "${this.scope.name}"`);
    }
    const parent = this.parent;
    if (parent?.aborted) throw parent.reason;
    if (bodyFailed) {
      if (this.scope.owns(bodyError)) return undefined;
      throw bodyError;
    }
    return value;
  }
}

function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return isObject(value) && typeof (value as PromiseLike<unknown>).then === "function";
}

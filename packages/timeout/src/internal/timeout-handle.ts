import { type CancelScope, checkDeadline, TimeoutError } from "@corral/cancel-core";
import type { Timeout } from "../timeout.js";

/** What the runner does with the timeout's own cancellation. */
export type OnExpiry = "fail" | "move-on";

/**
 * The `Timeout` a timed function receives: a thin view of the `CancelScope` that carries the
 * deadline. The scope's `cancelCalled` means "the deadline fired", since nothing else ever
 * calls `cancel()` on it.
 */
export class TimeoutHandle implements Timeout {
  readonly #scope: CancelScope;
  #settled = false;
  #rescheduled = false;

  constructor(scope: CancelScope) {
    this.#scope = scope;
  }

  get deadline(): number {
    return this.#scope.deadline;
  }

  get expired(): boolean {
    return this.#scope.cancelCalled;
  }

  get state(): "active" | "expired" | "finished" {
    if (this.#scope.cancelCalled) return "expired";
    return this.#settled ? "finished" : "active";
  }

  reschedule(deadline: number): void {
    checkDeadline(deadline, "deadline");
    const state = this.state;
    if (state !== "active") throw new Error(`Cannot reschedule a timeout that has ${state === "expired" ? "expired" : "finished"}`);
    this.#rescheduled = true;
    this.#scope.deadline = deadline;
  }

  /**
   * Run `fn` under `scope` and dispose the scope (clearing its timer) the moment `fn` settles.
   *
   * Only the scope's own cancellation is handled: converted to `TimeoutError` ("fail") or
   * swallowed ("move-on") — unless `parent` was cancelled as well, in which case the parent's
   * reason is thrown so the outermost owner decides. Everything else propagates unchanged.
   * `ms` only feeds the error message (`-1` for a deadline).
   */
  static async run<T>(
    scope: CancelScope,
    fn: (signal: AbortSignal, timeout: Timeout) => T | PromiseLike<T>,
    parent: AbortSignal | undefined,
    onExpiry: OnExpiry,
    ms: number,
  ): Promise<T | undefined> {
    const handle = new TimeoutHandle(scope);
    try {
      const value = await fn(scope.signal, handle);
      handle.#settled = true;
      return value;
    } catch (error) {
      handle.#settled = true;
      if (!scope.owns(error)) throw error;
      if (parent?.aborted) throw parent.reason;
      if (onExpiry === "move-on") return undefined;
      const message = ms >= 0 && !handle.#rescheduled ? `Timed out after ${ms} ms` : "Timed out: the deadline passed";
      throw new TimeoutError(message, { cause: scope.signal.reason });
    } finally {
      scope[Symbol.dispose]();
    }
  }
}

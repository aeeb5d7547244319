// @corral/cancel-core in a real browser: scopes, reasons, ownership, deadlines, shields and the
// helpers, on Chromium's own AbortSignal, timers and performance.now().
import {
  anySignal,
  CancelledError,
  CancelScope,
  cancellable,
  checkpoint,
  isCancellation,
  isCancelledError,
  isTimeoutError,
  now,
  onCancel,
  sleep,
  TimeoutError,
} from "@corral/cancel-core";
import { assert, type Checks, delay, equal, macrotask, rejection, thrown } from "./harness.js";

export const needs = {
  "@corral/cancel-core": ["CancelScope", "CancelledError", "TimeoutError", "isCancellation", "sleep", "checkpoint", "cancellable", "anySignal", "onCancel", "now"],
};

export const checks: Checks = {
  "cancel(reason) aborts the signal with a CancelledError that names the scope and the reason"() {
    const scope = new CancelScope({ name: "job" });
    scope.cancel("stop");
    const reason = scope.signal.reason as CancelledError;
    assert(scope.signal.aborted, "signal aborted");
    assert(isCancelledError(reason) && reason instanceof CancelledError, "reason is a CancelledError");
    equal(reason.reason, "stop", "reason.reason");
    equal(reason.scope, scope, "reason.scope");
    assert(scope.cancelCalled && scope.owns(reason), "cancelCalled and owns()");
    scope.cancel("again");
    equal((scope.signal.reason as CancelledError).reason, "stop", "cancel() is idempotent");
  },

  "a child scope aborts with the very same reason object as its parent"() {
    const parent = new CancelScope();
    const child = new CancelScope({ signal: parent.signal });
    const grandchild = new CancelScope({ signal: child.signal });
    parent.cancel("bye");
    assert(child.signal.aborted && grandchild.signal.aborted, "descendants aborted");
    equal(grandchild.signal.reason, parent.signal.reason, "same reason object");
    assert(!child.owns(child.signal.reason), "the child does not own the parent's cancellation");
  },

  "a foreign signal's reason is passed down unchanged"() {
    const controller = new AbortController();
    const scope = new CancelScope({ signal: controller.signal });
    const reason = { why: "navigation" };
    controller.abort(reason);
    equal(scope.signal.reason, reason, "the foreign reason object");
  },

  "a shielded scope ignores its parent but not its own cancel()"() {
    const parent = new CancelScope();
    const shielded = new CancelScope({ signal: parent.signal, shield: true });
    parent.cancel();
    assert(!shielded.signal.aborted, "shielded scope still running");
    shielded.shield = false;
    assert(shielded.signal.aborted, "unshielding under an aborted parent cancels at once");
    const other = new CancelScope({ signal: new CancelScope().signal, shield: true });
    other.cancel("own");
    assert(other.signal.aborted, "own cancel() applies to a shielded scope");
  },

  async "run() swallows only the scope's own cancellation and sets cancelledCaught"() {
    const scope = new CancelScope();
    const value = await scope.run(async (signal) => {
      scope.cancel();
      await sleep(1_000, { signal });
      return "finished";
    });
    equal(value, undefined, "run() resolves undefined");
    assert(scope.cancelledCaught, "cancelledCaught");
    const failing = new CancelScope();
    const error = await rejection(
      failing.run(() => {
        throw new RangeError("boom");
      }),
      "other errors propagate",
    );
    assert(error instanceof RangeError, "the same error");
  },

  async "run() rejects with the parent's reason when the parent was cancelled too"() {
    const parent = new CancelScope({ name: "outer" });
    const child = new CancelScope({ signal: parent.signal, name: "inner" });
    const outcome = rejection(
      child.run((signal) => sleep(1_000, { signal })),
      "inner run",
    );
    parent.cancel("outer reason");
    const error = await outcome;
    equal(error, parent.signal.reason, "the parent's reason reaches the outer owner");
    assert(!child.cancelledCaught, "the inner scope did not swallow it");
  },

  async "a second run() rejects with an Error"() {
    const scope = new CancelScope();
    await scope.run(() => "first");
    const error = await rejection(scope.run(() => "second"), "second run");
    assert(error instanceof Error && !isCancellation(error), "an Error, not a cancellation");
  },

  async "a timeout fires on the browser's clock and a moved deadline reschedules it"() {
    const started = now();
    const scope = new CancelScope({ timeout: 30 });
    assert(Math.abs(scope.deadline - (started + 30)) < 5, "deadline is now() + timeout");
    scope.deadline = now() + 1_000;
    await delay(60);
    assert(!scope.signal.aborted, "moving the deadline later postponed the expiry");
    scope.deadline = now() - 10;
    assert(!scope.signal.aborted, "a past deadline never cancels synchronously");
    await delay(10);
    assert(scope.signal.aborted && scope.cancelCalled, "a past deadline cancels on the next tick");
    assert(scope.owns(scope.signal.reason), "the expiry is the scope's own cancellation");
  },

  async "disposing a scope detaches it from its parent and clears its timer"() {
    const parent = new CancelScope();
    const child = new CancelScope({ signal: parent.signal, timeout: 20 });
    child[Symbol.dispose]();
    parent.cancel();
    await delay(40);
    assert(!child.signal.aborted, "a disposed scope follows neither its parent nor its deadline");
  },

  "bad options throw TypeError and RangeError synchronously"() {
    assert(thrown(() => new CancelScope({ timeout: -1 }), "negative timeout") instanceof RangeError, "RangeError for a negative timeout");
    assert(thrown(() => new CancelScope({ timeout: 1, deadline: 2 }), "both") instanceof TypeError, "TypeError for timeout and deadline");
    assert(thrown(() => new CancelScope({ deadline: Number.NaN }), "NaN") instanceof RangeError, "RangeError for a NaN deadline");
  },

  async "sleep() resolves on time and rejects with signal.reason on abort"() {
    const before = now();
    await sleep(20);
    assert(now() - before >= 15, "slept");
    const controller = new AbortController();
    const pending = rejection(sleep(Number.POSITIVE_INFINITY, { signal: controller.signal }), "aborted sleep");
    controller.abort("enough");
    equal(await pending, "enough", "rejects with the reason");
    equal(await rejection(sleep(10, { signal: controller.signal }), "pre-aborted"), "enough", "an aborted signal rejects at once");
  },

  async "checkpoint() yields, then throws the reason while the signal stays aborted"() {
    const scope = new CancelScope();
    await checkpoint(scope.signal);
    scope.cancel("halt");
    const first = await rejection(checkpoint(scope.signal), "first checkpoint");
    const second = await rejection(checkpoint(scope.signal), "second checkpoint");
    equal(first, scope.signal.reason, "throws the reason");
    equal(second, first, "level-triggered: every later checkpoint throws again");
  },

  async "cancellable() stops the wait and handles the late rejection silently"() {
    const controller = new AbortController();
    let reject: (error: unknown) => void = () => undefined;
    const work = new Promise<string>((_, r) => {
      reject = r;
    });
    const pending = rejection(cancellable(work, controller.signal), "cancellable");
    controller.abort("gave up");
    equal(await pending, "gave up", "rejects with the reason");
    reject(new Error("late failure"));
    await delay(20); // an unhandled rejection would be reported to the test here
    equal(await cancellable(Promise.resolve(7), new AbortController().signal), 7, "settles like the promise");
  },

  "anySignal() aborts with the first reason, and disposing unlinks it"() {
    const a = new AbortController();
    const b = new AbortController();
    const combined = anySignal([a.signal, b.signal]);
    b.abort("b first");
    a.abort("a second");
    equal(combined.reason, "b first", "first reason wins");
    const c = new AbortController();
    const disposed = anySignal([c.signal]);
    disposed[Symbol.dispose]();
    c.abort("late");
    assert(!disposed.aborted, "a disposed composite no longer follows its inputs");
  },

  async "onCancel() calls its listener once with the reason, never synchronously for an aborted signal"() {
    const controller = new AbortController();
    const seen: unknown[] = [];
    onCancel(controller.signal, (reason) => seen.push(reason));
    const removed = onCancel(controller.signal, () => seen.push("removed"));
    removed[Symbol.dispose]();
    controller.abort("r");
    await macrotask();
    equal(seen.join(","), "r", "called once, disposed listener not called");
    const late: unknown[] = [];
    onCancel(controller.signal, (reason) => late.push(reason));
    equal(late.length, 0, "not called synchronously for an already aborted signal");
    await Promise.resolve();
    equal(late[0], "r", "called on a microtask");
  },

  "isCancellation() tells cancellations from failures, including the browser's own AbortError"() {
    assert(isCancellation(new CancelledError()), "CancelledError");
    assert(isCancellation(AbortSignal.abort().reason), "the browser's AbortError DOMException");
    assert(!isCancellation(new Error("boom")), "a plain Error");
    assert(!isCancellation(new DOMException("slow", "TimeoutError")), "a TimeoutError DOMException is a timeout, not a cancellation");
    assert(isTimeoutError(new TimeoutError()) && !isTimeoutError(new Error()), "isTimeoutError brand check");
    const foreign = Object.assign(new Error("copy"), { name: "CancelledError" });
    assert(!isCancelledError(foreign), "the brand is not just the name");
  },

  async "a scope's signal aborts a real fetch() in the browser"() {
    const scope = new CancelScope();
    const url = URL.createObjectURL(new Blob(["x"]));
    scope.cancel("no longer needed");
    const error = await rejection(fetch(url, { signal: scope.signal }), "fetch");
    URL.revokeObjectURL(url);
    equal(error, scope.signal.reason, "fetch rejects with the scope's reason");
  },

  "now() is the monotonic performance.now() clock"() {
    const a = now();
    const p = performance.now();
    const b = now();
    assert(a <= p && p <= b && b >= a, "monotonic and on performance.now()'s timeline");
  },
};

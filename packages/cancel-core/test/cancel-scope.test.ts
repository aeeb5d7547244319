import { getEventListeners } from "node:events";
import { CancelScope, CancelledError, checkpoint, isCancelledError, now, sleep } from "@corral/cancel-core";
import { afterEach, describe, expect, it, vi } from "vitest";

const listeners = (signal: AbortSignal): number => getEventListeners(signal, "abort").length;

afterEach(() => {
  vi.useRealTimers();
});

describe("CancelScope", () => {
  it("aborts its signal on cancel() with a CancelledError naming the scope and the reason", () => {
    const scope = new CancelScope({ name: "job" });
    expect(scope.signal.aborted).toBe(false);
    scope.cancel("stop");
    const reason = scope.signal.reason;
    expect(isCancelledError(reason)).toBe(true);
    expect(reason).toBeInstanceOf(CancelledError);
    expect(reason.scope).toBe(scope);
    expect(reason.reason).toBe("stop");
    expect(reason.name).toBe("CancelledError");
    expect(reason.message).toContain("stop");
    expect(scope.cancelCalled).toBe(true);
    expect(scope.owns(reason)).toBe(true);
  });

  it("keeps the first reason when cancel() is called again", () => {
    const scope = new CancelScope();
    scope.cancel("first");
    const first = scope.signal.reason;
    scope.cancel("second");
    expect(scope.signal.reason).toBe(first);
  });

  it("passes the very same reason object to children and grandchildren", () => {
    const root = new CancelScope({ name: "root" });
    const child = new CancelScope({ signal: root.signal });
    const grandchild = new CancelScope({ signal: child.signal });
    const seen: unknown[] = [];
    grandchild.signal.addEventListener("abort", () => seen.push(grandchild.signal.reason));
    root.cancel();
    expect(child.signal.reason).toBe(root.signal.reason);
    expect(grandchild.signal.reason).toBe(root.signal.reason);
    expect(seen).toEqual([root.signal.reason]);
    expect(child.cancelCalled).toBe(false);
    expect(child.owns(child.signal.reason)).toBe(false);
  });

  it("passes a foreign parent's reason down unchanged, whatever it is", () => {
    for (const reason of ["a string", new DOMException("gone", "AbortError"), { custom: true }, 42]) {
      const controller = new AbortController();
      const scope = new CancelScope({ signal: controller.signal });
      controller.abort(reason);
      expect(scope.signal.reason).toBe(reason);
    }
  });

  it("marks every descendant aborted before any abort listener runs", () => {
    const root = new CancelScope();
    const child = new CancelScope({ signal: root.signal });
    let childAbortedWhenRootFired: boolean | undefined;
    root.signal.addEventListener("abort", () => {
      childAbortedWhenRootFired = child.signal.aborted;
    });
    root.cancel();
    expect(childAbortedWhenRootFired).toBe(true);
  });

  it("starts cancelled when its parent is already aborted", () => {
    const controller = new AbortController();
    controller.abort("early");
    const scope = new CancelScope({ signal: controller.signal });
    expect(scope.signal.aborted).toBe(true);
    expect(scope.signal.reason).toBe("early");
    expect(listeners(controller.signal)).toBe(0);
  });

  it("ignores the parent's cancellation while shielded, but not its own cancel()", () => {
    const parent = new CancelScope();
    const shielded = new CancelScope({ signal: parent.signal, shield: true });
    const inside = new CancelScope({ signal: shielded.signal });
    parent.cancel();
    expect(shielded.signal.aborted).toBe(false);
    expect(inside.signal.aborted).toBe(false);
    shielded.cancel("own");
    expect(shielded.signal.aborted).toBe(true);
    expect(inside.signal.reason).toBe(shielded.signal.reason);
  });

  it("cancels at once with the parent's reason when unshielded while the parent is aborted", () => {
    const parent = new AbortController();
    const scope = new CancelScope({ signal: parent.signal, shield: true });
    parent.abort("outer");
    expect(scope.signal.aborted).toBe(false);
    expect(scope.shield).toBe(true);
    scope.shield = false;
    expect(scope.signal.aborted).toBe(true);
    expect(scope.signal.reason).toBe("outer");
    expect(scope.cancelCalled).toBe(false);
  });

  it("follows the parent again after being unshielded before the parent aborts", () => {
    const parent = new AbortController();
    const scope = new CancelScope({ signal: parent.signal, shield: true });
    scope.shield = false;
    parent.abort("later");
    expect(scope.signal.reason).toBe("later");
  });

  it("computes `timeout` at construction and cancels when it passes", () => {
    vi.useFakeTimers();
    const before = now();
    const scope = new CancelScope({ timeout: 100 });
    expect(scope.deadline).toBeGreaterThanOrEqual(before + 100);
    vi.advanceTimersByTime(99);
    expect(scope.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(scope.signal.aborted).toBe(true);
    expect(scope.cancelCalled).toBe(true);
    expect(scope.owns(scope.signal.reason)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reschedules when `deadline` is assigned, and Infinity disables it", () => {
    vi.useFakeTimers();
    const scope = new CancelScope({ timeout: 100 });
    scope.deadline = now() + 500;
    vi.advanceTimersByTime(400);
    expect(scope.signal.aborted).toBe(false);
    scope.deadline = Number.POSITIVE_INFINITY;
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(scope.signal.aborted).toBe(false);
    expect(scope.deadline).toBe(Number.POSITIVE_INFINITY);
  });

  it("cancels on the next tick, never synchronously, for a deadline in the past", async () => {
    const scope = new CancelScope({ deadline: -1_000 });
    expect(scope.signal.aborted).toBe(false);
    const late = new CancelScope();
    late.deadline = now() - 5;
    expect(late.signal.aborted).toBe(false);
    await sleep(5);
    expect(scope.signal.aborted).toBe(true);
    expect(late.signal.aborted).toBe(true);
  });

  it("clears its deadline timer as soon as it is cancelled some other way", () => {
    vi.useFakeTimers();
    const parent = new CancelScope();
    const scope = new CancelScope({ signal: parent.signal, timeout: 60_000 });
    expect(vi.getTimerCount()).toBe(1);
    parent.cancel();
    expect(vi.getTimerCount()).toBe(0);
    expect(scope.cancelCalled).toBe(false);
  });

  it("handles deadlines beyond setTimeout's 32-bit limit without firing early", () => {
    vi.useFakeTimers();
    const scope = new CancelScope({ timeout: 2 ** 31 + 10_000 });
    vi.advanceTimersByTime(2 ** 31);
    expect(scope.signal.aborted).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(scope.signal.aborted).toBe(true);
  });

  it("cancels a 10,000-deep chain of scopes without overflowing the stack", () => {
    const root = new CancelScope();
    let leaf = root;
    for (let i = 0; i < 10_000; i++) leaf = new CancelScope({ signal: leaf.signal });
    root.cancel();
    expect(leaf.signal.reason).toBe(root.signal.reason);
  });

  it("is no longer cancelled by its parent after [Symbol.dispose]", () => {
    const parent = new AbortController();
    const scope = new CancelScope({ signal: parent.signal, timeout: 60_000 });
    expect(listeners(parent.signal)).toBe(1);
    scope[Symbol.dispose]();
    expect(listeners(parent.signal)).toBe(0);
    parent.abort();
    expect(scope.signal.aborted).toBe(false);
  });

  it("rejects bad options with errors that name the option", () => {
    expect(() => new CancelScope({ timeout: -1 })).toThrow(RangeError);
    expect(() => new CancelScope({ timeout: -1 })).toThrow(/timeout/);
    expect(() => new CancelScope({ timeout: Number.NaN })).toThrow(RangeError);
    expect(() => new CancelScope({ deadline: Number.NaN })).toThrow(/deadline/);
    expect(() => new CancelScope({ timeout: 1, deadline: 1 })).toThrow(TypeError);
    expect(() => new CancelScope({ shield: "yes" as unknown as boolean })).toThrow(/shield/);
    expect(() => new CancelScope({ signal: {} as AbortSignal })).toThrow(/signal/);
    expect(() => new CancelScope({ timeout: "5" as unknown as number })).toThrow(TypeError);
    const scope = new CancelScope();
    expect(() => {
      scope.deadline = Number.NaN;
    }).toThrow(RangeError);
  });

  it("accepts any non-NaN deadline, negative and infinite included", () => {
    expect(new CancelScope({ deadline: -5 }).deadline).toBe(-5);
    expect(new CancelScope({ deadline: Number.POSITIVE_INFINITY }).deadline).toBe(Number.POSITIVE_INFINITY);
    expect(new CancelScope({ timeout: Number.POSITIVE_INFINITY }).deadline).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("CancelScope#run()", () => {
  it("resolves with the value of fn and hands fn the scope's signal", async () => {
    const scope = new CancelScope();
    let received: AbortSignal | undefined;
    await expect(
      scope.run((signal) => {
        received = signal;
        return 7;
      }),
    ).resolves.toBe(7);
    expect(received).toBe(scope.signal);
    expect(scope.cancelledCaught).toBe(false);
  });

  it("swallows its own cancellation, resolves undefined and sets cancelledCaught", async () => {
    const scope = new CancelScope({ timeout: 10 });
    const result = await scope.run(async (signal) => {
      await sleep(10_000, { signal });
      return "never";
    });
    expect(result).toBeUndefined();
    expect(scope.cancelledCaught).toBe(true);
    expect(scope.cancelCalled).toBe(true);
  });

  it("propagates any other rejection unchanged", async () => {
    const scope = new CancelScope();
    const error = new Error("boom");
    await expect(scope.run(() => Promise.reject(error))).rejects.toBe(error);
    const syncScope = new CancelScope();
    await expect(
      syncScope.run(() => {
        throw error;
      }),
    ).rejects.toBe(error);
    expect(scope.cancelledCaught).toBe(false);
  });

  it("does not swallow a parent's cancellation", async () => {
    const parent = new AbortController();
    const scope = new CancelScope({ signal: parent.signal });
    const run = scope.run(async (signal) => {
      await sleep(10_000, { signal });
    });
    parent.abort("outer");
    await expect(run).rejects.toBe("outer");
    expect(scope.cancelledCaught).toBe(false);
  });

  it("lets the outer scope own a cancellation when both scopes were cancelled", async () => {
    const outer = new CancelScope({ name: "outer" });
    const inner = new CancelScope({ signal: outer.signal, name: "inner" });
    const result = await outer.run(() =>
      inner.run(async (signal) => {
        inner.cancel();
        outer.cancel();
        await checkpoint(signal);
      }),
    );
    expect(result).toBeUndefined();
    expect(inner.cancelledCaught).toBe(false);
    expect(outer.cancelledCaught).toBe(true);
  });

  it("swallows its own cancellation inside a shield even if the parent was cancelled", async () => {
    const parent = new AbortController();
    const scope = new CancelScope({ signal: parent.signal, shield: true });
    const result = await scope.run(async (signal) => {
      parent.abort();
      scope.cancel();
      await checkpoint(signal);
    });
    expect(result).toBeUndefined();
    expect(scope.cancelledCaught).toBe(true);
  });

  it("rejects a second run() with an Error and a non-function with a TypeError", async () => {
    const scope = new CancelScope();
    await scope.run(() => 1);
    await expect(scope.run(() => 2)).rejects.toThrow(Error);
    expect(() => new CancelScope().run(42 as unknown as () => void)).toThrow(TypeError);
  });

  it("disposes the scope when fn settles: no timer, no listener left", async () => {
    vi.useFakeTimers();
    const parent = new AbortController();
    const scope = new CancelScope({ signal: parent.signal, timeout: 60_000 });
    await scope.run(async () => "done");
    expect(vi.getTimerCount()).toBe(0);
    expect(listeners(parent.signal)).toBe(0);
  });

  it("is level-triggered: every later checkpoint and sleep in a cancelled scope throws", async () => {
    const scope = new CancelScope();
    const thrown: unknown[] = [];
    await scope.run(async (signal) => {
      scope.cancel();
      for (let i = 0; i < 3; i++) {
        try {
          await checkpoint(signal);
        } catch (error) {
          thrown.push(error);
        }
        try {
          await sleep(1, { signal });
        } catch (error) {
          thrown.push(error);
        }
      }
    });
    expect(thrown).toHaveLength(6);
    for (const error of thrown) expect(error).toBe(scope.signal.reason);
  });
});

describe("CancelScope#owns()", () => {
  it("recognises Node's AbortError wrapper around the scope's own cancellation", async () => {
    const { setTimeout: delay } = await import("node:timers/promises");
    const scope = new CancelScope({ timeout: 5 });
    const other = new CancelScope();
    const error = await delay(10_000, undefined, { signal: scope.signal }).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe("AbortError");
    expect(scope.owns(error)).toBe(true);
    expect(other.owns(error)).toBe(false);
    expect(scope.owns(new DOMException("x", "AbortError"))).toBe(false);
  });

  it("lets run() swallow a timers/promises rejection caused by its own deadline", async () => {
    const { setTimeout: delay } = await import("node:timers/promises");
    const scope = new CancelScope({ timeout: 5 });
    await expect(scope.run((signal) => delay(10_000, "late", { signal }))).resolves.toBeUndefined();
    expect(scope.cancelledCaught).toBe(true);
  });
});

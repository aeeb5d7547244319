import { getEventListeners } from "node:events";
import { anySignal, CancelScope, onCancel } from "@corral/cancel-core";
import { describe, expect, it, vi } from "vitest";

const listeners = (signal: AbortSignal): number => getEventListeners(signal, "abort").length;

describe("anySignal()", () => {
  it("aborts with the first reason among its inputs", () => {
    const a = new AbortController();
    const b = new AbortController();
    const signal = anySignal([a.signal, b.signal]);
    b.abort("b first");
    a.abort("a second");
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe("b first");
  });

  it("is aborted at once when an input already is", () => {
    const a = new AbortController();
    const signal = anySignal([a.signal, AbortSignal.abort("done")]);
    expect(signal.reason).toBe("done");
    expect(listeners(a.signal)).toBe(0);
  });

  it("removes every listener it added once disposed", () => {
    const a = new AbortController();
    const b = new AbortController();
    const signal = anySignal([a.signal, b.signal]);
    expect(listeners(a.signal)).toBe(1);
    signal[Symbol.dispose]();
    expect(listeners(a.signal)).toBe(0);
    expect(listeners(b.signal)).toBe(0);
    a.abort();
    expect(signal.aborted).toBe(false);
  });

  it("unlinks from the other inputs when one aborts", () => {
    const a = new AbortController();
    const b = new AbortController();
    anySignal([a.signal, b.signal]);
    a.abort();
    expect(listeners(b.signal)).toBe(0);
  });

  it("can parent a CancelScope, and follows CancelScope signals", () => {
    const scope = new CancelScope();
    const other = new AbortController();
    const signal = anySignal([scope.signal, other.signal]);
    const child = new CancelScope({ signal });
    scope.cancel("stop");
    expect(child.signal.reason).toBe(scope.signal.reason);
  });

  it("keeps one listener on a shared input however many composites use it", () => {
    const shared = new AbortController();
    const composites = Array.from({ length: 1_000 }, () => anySignal([shared.signal, new AbortController().signal]));
    expect(listeners(shared.signal)).toBe(1);
    for (const composite of composites) composite[Symbol.dispose]();
    expect(listeners(shared.signal)).toBe(0);
  });

  it("rejects what is not an iterable of signals", () => {
    expect(() => anySignal(5 as unknown as AbortSignal[])).toThrow(TypeError);
    expect(() => anySignal([{} as AbortSignal])).toThrow(TypeError);
  });
});

describe("onCancel()", () => {
  it("calls the listener once with the reason", () => {
    const controller = new AbortController();
    const listener = vi.fn();
    onCancel(controller.signal, listener);
    controller.abort("why");
    controller.abort("again");
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith("why");
    expect(listeners(controller.signal)).toBe(0);
  });

  it("calls the listener on a microtask for an already-aborted signal", async () => {
    const listener = vi.fn();
    onCancel(AbortSignal.abort("past"), listener);
    expect(listener).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(listener).toHaveBeenCalledWith("past");
  });

  it("does not call a disposed listener, even for an already-aborted signal", async () => {
    const controller = new AbortController();
    const listener = vi.fn();
    const registration = onCancel(controller.signal, listener);
    registration[Symbol.dispose]();
    expect(listeners(controller.signal)).toBe(0);
    controller.abort();
    const early = vi.fn();
    onCancel(AbortSignal.abort(), early)[Symbol.dispose]();
    await Promise.resolve();
    expect(listener).not.toHaveBeenCalled();
    expect(early).not.toHaveBeenCalled();
  });

  it("reports a throwing listener without stopping the others", () => {
    const controller = new AbortController();
    const reported: unknown[] = [];
    const original = (globalThis as { reportError?: unknown }).reportError;
    (globalThis as { reportError?: unknown }).reportError = (error: unknown) => reported.push(error);
    try {
      const error = new Error("listener failed");
      const second = vi.fn();
      onCancel(controller.signal, () => {
        throw error;
      });
      onCancel(controller.signal, second);
      controller.abort();
      expect(reported).toEqual([error]);
      expect(second).toHaveBeenCalled();
    } finally {
      (globalThis as { reportError?: unknown }).reportError = original;
    }
  });
});

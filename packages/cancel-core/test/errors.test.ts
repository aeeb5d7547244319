import { setTimeout as nodeSleep } from "node:timers/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type * as core from "@corral/cancel-core";
import { CancelledError, CancelScope, TimeoutError, isCancellation, isCancelledError, isTimeoutError } from "@corral/cancel-core";
import { describe, expect, it, vi } from "vitest";

async function secondCopy(): Promise<typeof core> {
  // A fresh module graph: the same source evaluated again, as with two installed copies.
  vi.resetModules();
  return (await import("../src/index.js")) as typeof core;
}

describe("CancelledError", () => {
  it("carries the reason, the scope, a literal name and ErrorOptions' cause", () => {
    const scope = new CancelScope({ name: "db" });
    const cause = new Error("root cause");
    const error = new CancelledError("stop", { scope, cause });
    expect(error.name).toBe("CancelledError");
    expect(error.reason).toBe("stop");
    expect(error.scope).toBe(scope);
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(new CancelledError().reason).toBeUndefined();
    expect(new CancelledError().scope).toBeUndefined();
    expect(new CancelledError(undefined, { scope }).message).toContain("db");
  });

  it("is recognised by a second copy of the package, by brand and by instanceof", async () => {
    const other = await secondCopy();
    expect(other.CancelledError).not.toBe(CancelledError);
    const fromOther = new other.CancelledError("x");
    expect(isCancelledError(fromOther)).toBe(true);
    expect(fromOther instanceof CancelledError).toBe(true);
    expect(isCancellation(fromOther)).toBe(true);
    expect(other.isCancelledError(new CancelledError())).toBe(true);
    const timeout = new other.TimeoutError();
    expect(isTimeoutError(timeout)).toBe(true);
    expect(timeout instanceof TimeoutError).toBe(true);
  });

  it("accepts a scope of one copy as the parent signal of another copy's scope", async () => {
    const other = await secondCopy();
    const parent = new CancelScope({ name: "mine" });
    const child = new other.CancelScope({ signal: parent.signal });
    parent.cancel();
    expect(child.signal.reason).toBe(parent.signal.reason);
    expect(other.isCancelledError(child.signal.reason)).toBe(true);
  });

  it("keeps ordinary instanceof for subclasses", () => {
    class Special extends CancelledError {}
    expect(new Special() instanceof Special).toBe(true);
    expect(new CancelledError() instanceof Special).toBe(false);
    expect(new Special() instanceof CancelledError).toBe(true);
  });
});

describe("TimeoutError", () => {
  it("has a literal name and keeps its cause", () => {
    const cause = new CancelledError();
    const error = new TimeoutError("too slow", { cause });
    expect(error.name).toBe("TimeoutError");
    expect(error.message).toBe("too slow");
    expect(error.cause).toBe(cause);
    expect(isCancelledError(error)).toBe(false);
    expect(isCancellation(error)).toBe(false);
  });
});

describe("isCancellation()", () => {
  it("recognises CancelledError and AbortErrors from the platform, and nothing else", async () => {
    const controller = new AbortController();
    controller.abort();
    expect(isCancellation(controller.signal.reason)).toBe(true);
    const nodeError = await nodeSleep(10_000, undefined, { signal: controller.signal }).catch((error: unknown) => error);
    expect(isCancellation(nodeError)).toBe(true);
    expect(isCancellation(new CancelledError())).toBe(true);
    expect(isCancellation(new Error("AbortError"))).toBe(false);
    expect(isCancellation("AbortError")).toBe(false);
    expect(isCancellation(null)).toBe(false);
    expect(isCancellation(undefined)).toBe(false);
    expect(isCancellation(AbortSignal.timeout(0))).toBe(false);
  });

  it("recognises the error fetch rejects with when its signal aborts", async () => {
    const server = createServer((_request, response) => {
      setTimeout(() => response.end("late"), 2_000).unref();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const controller = new AbortController();
      const request = fetch(`http://127.0.0.1:${port}/`, { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      const error = await request.catch((caught: unknown) => caught);
      expect(isCancellation(error)).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

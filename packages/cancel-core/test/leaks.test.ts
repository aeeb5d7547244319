import { getEventListeners } from "node:events";
import { anySignal, CancelScope, onCancel, sleep } from "@corral/cancel-core";
import { describe, expect, it } from "vitest";

const listeners = (signal: AbortSignal): number => getEventListeners(signal, "abort").length;

describe("links from long-lived signals", () => {
  it("leave no listener on the parent after 100,000 short-lived child scopes", () => {
    const parent = new AbortController();
    for (let i = 0; i < 100_000; i++) {
      const scope = new CancelScope({ signal: parent.signal, timeout: 60_000 });
      if (i % 2) void scope.signal; // half of them materialise their own signal
      scope[Symbol.dispose]();
    }
    expect(listeners(parent.signal)).toBe(0);
  });

  it("hang a single native listener on the parent for 100,000 live children", () => {
    const parent = new AbortController();
    const children = Array.from({ length: 100_000 }, () => new CancelScope({ signal: parent.signal }));
    expect(listeners(parent.signal)).toBe(1);
    parent.abort("all");
    expect(children.every((child) => child.signal.reason === "all")).toBe(true);
    for (const child of children) child[Symbol.dispose]();
    expect(listeners(parent.signal)).toBe(0);
  });

  it("leave nothing behind after sleeps, registrations and composites on one signal", async () => {
    const parent = new AbortController();
    for (let i = 0; i < 1_000; i++) {
      await sleep(0, { signal: parent.signal });
      onCancel(parent.signal, () => {})[Symbol.dispose]();
      anySignal([parent.signal])[Symbol.dispose]();
    }
    expect(listeners(parent.signal)).toBe(0);
  });
});

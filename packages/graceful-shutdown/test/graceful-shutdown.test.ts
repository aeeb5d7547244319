import { getEventListeners } from "node:events";
import { isCancelledError } from "@corral/cancel-core";
import { gracefulShutdown, type Shutdown } from "@corral/graceful-shutdown";
import { afterEach, describe, expect, it, vi } from "vitest";

const watched = ["SIGINT", "SIGTERM", "SIGHUP", "SIGUSR2"] as const;
const counts = (): number[] => watched.map((name) => process.listenerCount(name));

const open: Shutdown[] = [];
function create(...args: Parameters<typeof gracefulShutdown>): Shutdown {
  const shutdown = gracefulShutdown(...args);
  open.push(shutdown);
  return shutdown;
}

/** Deliver a stop signal to the listener a shutdown installed, without signalling the test process. */
function deliver(signal: NodeJS.Signals, run: () => Shutdown): Shutdown {
  const before = process.listeners(signal);
  const shutdown = run();
  const added = process.listeners(signal).filter((listener) => !before.includes(listener));
  expect(added).toHaveLength(1);
  (added[0] as (signal: NodeJS.Signals) => void)(signal);
  return shutdown;
}

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const shutdown of open.splice(0)) await shutdown[Symbol.asyncDispose]();
});

describe("gracefulShutdown()", () => {
  it("installs one listener per stop signal and removes them all on asyncDispose", async () => {
    const before = counts();
    const shutdown = gracefulShutdown({ signals: ["SIGTERM", "SIGHUP", "SIGUSR2"] });
    expect(counts()).toEqual([before[0], before[1]! + 1, before[2]! + 1, before[3]! + 1]);
    await shutdown[Symbol.asyncDispose]();
    expect(counts()).toEqual(before);
  });

  it("listens for SIGINT and SIGTERM by default", async () => {
    const before = counts();
    const shutdown = gracefulShutdown();
    expect(counts()).toEqual([before[0]! + 1, before[1]! + 1, before[2], before[3]]);
    await shutdown[Symbol.asyncDispose]();
    expect(counts()).toEqual(before);
  });

  it("removes its listeners once the hooks are done", async () => {
    const before = counts();
    const shutdown = create();
    await shutdown.shutdown();
    expect(counts()).toEqual(before);
  });

  it("aborts its signal with a reason naming the stop signal", () => {
    const shutdown = deliver("SIGTERM", () => create());
    expect(shutdown.signal.aborted).toBe(true);
    const reason = shutdown.signal.reason as Error & { reason: unknown };
    expect(isCancelledError(reason)).toBe(true);
    expect(reason.reason).toBe("SIGTERM");
    expect(reason.message).toMatch(/SIGTERM/);
  });

  it("aborts its signal with a CancelledError carrying the reason given to shutdown()", async () => {
    const shutdown = create();
    const done = shutdown.shutdown("deploy");
    expect(shutdown.signal.aborted).toBe(true);
    expect((shutdown.signal.reason as { reason: unknown }).reason).toBe("deploy");
    await done;
  });

  it("runs hooks one after another, last-registered-first", async () => {
    const shutdown = create();
    const order: string[] = [];
    for (const name of ["first", "second", "third"]) {
      shutdown.onShutdown(async () => {
        order.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(`${name} end`);
      });
    }
    await shutdown.shutdown();
    expect(order).toEqual(["third start", "third end", "second start", "second end", "first start", "first end"]);
  });

  it("does not start a hook synchronously inside shutdown()", async () => {
    const shutdown = create();
    const hook = vi.fn();
    shutdown.onShutdown(hook);
    const done = shutdown.shutdown();
    expect(hook).not.toHaveBeenCalled();
    await done;
    expect(hook).toHaveBeenCalledOnce();
  });

  it("gives each hook a signal that aborts when the grace period ends", async () => {
    vi.useFakeTimers();
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const shutdown = create({ timeout: 1_000 });
    const seen: boolean[] = [];
    let graceSignal: AbortSignal | undefined;
    shutdown.onShutdown((signal) => {
      graceSignal = signal;
      return new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    });
    const done = shutdown.shutdown();
    await vi.advanceTimersByTimeAsync(999);
    seen.push(graceSignal!.aborted);
    await vi.advanceTimersByTimeAsync(1);
    seen.push(graceSignal!.aborted);
    await done;
    expect(seen).toEqual([false, true]);
    expect(isCancelledError(graceSignal!.reason)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    // The hook stopped as soon as its signal aborted: that is finishing in time, not a failure.
    expect(error).not.toHaveBeenCalled();
  });

  it("clears the grace timer when the hooks finish early", async () => {
    vi.useFakeTimers();
    const shutdown = create({ timeout: 60_000 });
    shutdown.onShutdown(() => {});
    await shutdown.shutdown();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("waits for a hook that outlives the grace period before it starts the next one", async () => {
    vi.useFakeTimers();
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const shutdown = create({ timeout: 100 });
    const ran: string[] = [];
    let resolved = false;
    shutdown.onShutdown((signal) => ran.push(`older starts, aborted=${signal.aborted}`));
    shutdown.onShutdown(async (signal) => {
      // Ignores its signal: ends 300 ms into the shutdown, 200 ms after the grace period.
      await new Promise((resolve) => setTimeout(resolve, 300));
      ran.push(`newer ends, aborted=${signal.aborted}`);
    });
    const done = shutdown.shutdown().then(() => {
      resolved = true;
    });
    await vi.advanceTimersByTimeAsync(299);
    expect(ran).toEqual([]);
    expect(resolved).toBe(false);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/still running after the grace period \(100 ms\)/));
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(ran).toEqual(["newer ends, aborted=true", "older starts, aborted=true"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("resolves shutdown() only once a hook that ignores its signal has settled", async () => {
    vi.useFakeTimers();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const shutdown = create({ timeout: 50 });
    let finish: () => void = () => {};
    let settled = false;
    shutdown.onShutdown(() => new Promise<void>((resolve) => (finish = resolve)));
    const done = shutdown.shutdown().then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(settled).toBe(false);
    finish();
    await done;
    expect(settled).toBe(true);
  });

  it("reports a hook that rejects with its grace period's cancellation", async () => {
    vi.useFakeTimers();
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const shutdown = create({ timeout: 100 });
    shutdown.onShutdown(
      (signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true })),
    );
    const done = shutdown.shutdown();
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(error).toHaveBeenCalledOnce();
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/did not finish within the grace period \(100 ms\)/));
  });

  it("reports a hook that throws and still runs the next one", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const shutdown = create();
    const ran: string[] = [];
    const boom = new Error("hook failed");
    shutdown.onShutdown(() => ran.push("older"));
    shutdown.onShutdown(() => Promise.reject(boom));
    shutdown.onShutdown(() => {
      throw boom;
    });
    await expect(shutdown.shutdown()).resolves.toBeUndefined();
    expect(ran).toEqual(["older"]);
    expect(error).toHaveBeenCalledTimes(2);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/shutdown hook failed/), boom);
  });

  it("returns the same promise from a second shutdown()", () => {
    const shutdown = create();
    const first = shutdown.shutdown("a");
    expect(shutdown.shutdown("b")).toBe(first);
    expect((shutdown.signal.reason as { reason: unknown }).reason).toBe("a");
    return first;
  });

  it("does not run a hook whose registration was disposed", async () => {
    const shutdown = create();
    const hook = vi.fn();
    const registration = shutdown.onShutdown(hook);
    registration[Symbol.dispose]();
    await shutdown.shutdown();
    expect(hook).not.toHaveBeenCalled();
  });

  it("runs a hook registered during shutdown next", async () => {
    const shutdown = create();
    const order: string[] = [];
    shutdown.onShutdown(() => order.push("older"));
    shutdown.onShutdown(() => {
      order.push("newer");
      shutdown.onShutdown(() => order.push("added during shutdown"));
    });
    await shutdown.shutdown();
    expect(order).toEqual(["newer", "added during shutdown", "older"]);
  });

  it("refuses a hook once its hooks have run", async () => {
    const shutdown = create();
    await shutdown.shutdown();
    expect(() => shutdown.onShutdown(() => {})).toThrow(Error);
  });

  it("never calls process.exit on the first stop signal", async () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const shutdown = deliver("SIGINT", () => create());
    await shutdown.shutdown();
    expect(exit).not.toHaveBeenCalled();
  });

  it("exits at once with 128 + signo on a second stop signal during shutdown", async () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    vi.spyOn(console, "error").mockImplementation(() => {});
    const before = process.listeners("SIGTERM");
    const shutdown = create();
    const listener = process.listeners("SIGTERM").find((candidate) => !before.includes(candidate)) as (signal: string) => void;
    let release: () => void = () => {};
    shutdown.onShutdown(() => new Promise<void>((resolve) => (release = resolve)));
    listener("SIGTERM");
    await Promise.resolve();
    listener("SIGTERM");
    expect(exit).toHaveBeenCalledWith(143);
    release();
    await shutdown.shutdown();
  });

  it("only notes a first stop signal after shutdown(reason), and exits on the next one", async () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    vi.spyOn(console, "error").mockImplementation(() => {});
    const before = process.listeners("SIGTERM");
    const shutdown = create();
    const listener = process.listeners("SIGTERM").find((candidate) => !before.includes(candidate)) as (signal: string) => void;
    let release: () => void = () => {};
    shutdown.onShutdown(() => new Promise<void>((resolve) => (release = resolve)));
    const done = shutdown.shutdown("deploy");
    await Promise.resolve();
    listener("SIGTERM");
    expect(exit).not.toHaveBeenCalled();
    expect((shutdown.signal.reason as { reason: unknown }).reason).toBe("deploy");
    listener("SIGTERM");
    expect(exit).toHaveBeenCalledWith(143);
    release();
    await done;
  });

  it("runs no hook after asyncDispose, and shutdown() still resolves", async () => {
    const before = counts();
    const shutdown = gracefulShutdown();
    const hook = vi.fn();
    shutdown.onShutdown(hook);
    await shutdown[Symbol.asyncDispose]();
    await expect(shutdown.shutdown("late")).resolves.toBeUndefined();
    expect(hook).not.toHaveBeenCalled();
    expect(shutdown.signal.aborted).toBe(true);
    expect(() => shutdown.onShutdown(() => {})).toThrow(Error);
    expect(counts()).toEqual(before);
  });

  it("leaves no listener on the hooks' signals after the shutdown", async () => {
    const shutdown = create({ timeout: 1_000 });
    let graceSignal: AbortSignal | undefined;
    shutdown.onShutdown((signal) => {
      graceSignal = signal;
    });
    await shutdown.shutdown();
    expect(getEventListeners(graceSignal!, "abort")).toHaveLength(0);
    expect(getEventListeners(shutdown.signal, "abort")).toHaveLength(0);
  });

  it("rejects bad options at the call", () => {
    const before = counts();
    expect(() => gracefulShutdown({ signals: ["SIGNOPE" as NodeJS.Signals] })).toThrow(TypeError);
    expect(() => gracefulShutdown({ signals: ["sigterm" as NodeJS.Signals] })).toThrow(TypeError);
    expect(() => gracefulShutdown({ signals: ["SIGKILL"] })).toThrow(TypeError);
    expect(() => gracefulShutdown({ signals: "SIGTERM" as never })).toThrow(TypeError);
    expect(() => gracefulShutdown({ timeout: -1 })).toThrow(RangeError);
    expect(() => gracefulShutdown({ timeout: Number.NaN })).toThrow(RangeError);
    expect(() => gracefulShutdown({ timeout: "10s" as never })).toThrow(TypeError);
    expect(() => gracefulShutdown(null as never)).toThrow(TypeError);
    expect(() => gracefulShutdown(5 as never)).toThrow(TypeError);
    expect(() => gracefulShutdown("SIGTERM" as never)).toThrow(TypeError);
    // An array is not an options object (the timeout property makes a missed check fail loudly).
    expect(() => gracefulShutdown(Object.assign([], { timeout: -1 }) as never)).toThrow(TypeError);
    expect(counts()).toEqual(before);
  });

  it("rejects a hook that is not a function", () => {
    const shutdown = create();
    expect(() => shutdown.onShutdown("cleanup" as never)).toThrow(TypeError);
  });
});

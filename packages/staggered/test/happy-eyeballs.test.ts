import { getEventListeners, once } from "node:events";
import { connect, createServer, Socket } from "node:net";
import { isCancelledError } from "@corral/cancel-core";
import { StaggeredRaceError } from "@corral/staggered";
import { happyEyeballs } from "@corral/staggered/net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clientSocketsTo, closedPort, deadIPv6LiveIPv4, hasProcNet, stalledListener } from "./fixtures/stalled-listener.js";
import { type Deferred, deferred } from "./helpers.js";

/**
 * A scripted network for ordering tests: each lookup and connect is a deferred the test settles,
 * and every call is recorded with its time on the (faked) clock.
 */
function scriptedNetwork() {
  const t0 = performance.now();
  const lookups: { family: 4 | 6; at: number; signal: AbortSignal; answer: Deferred<string[]> }[] = [];
  const attempts: { address: string; family: 4 | 6; at: number; signal: AbortSignal; result: Deferred<Socket> }[] = [];
  const lookup = (_host: string, family: 4 | 6, signal: AbortSignal): Promise<string[]> => {
    const answer = deferred<string[]>();
    lookups.push({ family, at: performance.now() - t0, signal, answer });
    return answer.promise;
  };
  const connect = (address: string, family: 4 | 6, _port: number, signal: AbortSignal): Promise<Socket> => {
    const result = deferred<Socket>();
    signal.addEventListener("abort", () => result.reject(signal.reason), { once: true });
    attempts.push({ address, family, at: performance.now() - t0, signal, result });
    return result.promise;
  };
  const answer = (family: 4 | 6, addresses: string[]): void => lookups.find((l) => l.family === family)!.answer.resolve(addresses);
  const fail = (family: 4 | 6, error: unknown): void => lookups.find((l) => l.family === family)!.answer.reject(error);
  return { lookups, attempts, lookup, connect, answer, fail };
}

const v6 = ["2001:db8::1", "2001:db8::2", "2001:db8::3"];
const v4 = ["192.0.2.1", "192.0.2.2"];

describe("happyEyeballs() ordering", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
  });

  it("looks up both families at once", async () => {
    const net = scriptedNetwork();
    const connecting = happyEyeballs({ host: "example.test", port: 443, lookup: net.lookup, connect: net.connect });
    await vi.advanceTimersByTimeAsync(0);
    expect(net.lookups.map((l) => l.family).sort()).toEqual([4, 6]);
    net.answer(6, [v6[0]!]);
    net.answer(4, [v4[0]!]);
    await vi.advanceTimersByTimeAsync(0);
    const socket = new Socket();
    net.attempts[0]!.result.resolve(socket);
    expect(await connecting).toBe(socket);
  });

  it("starts the first attempt as soon as the AAAA answer is in, without waiting for A", async () => {
    const net = scriptedNetwork();
    let settled = false;
    const connecting = happyEyeballs({ host: "example.test", port: 443, lookup: net.lookup, connect: net.connect }).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(5);
    net.answer(6, [v6[0]!]);
    await vi.advanceTimersByTimeAsync(0);
    expect(net.attempts.map((a) => [a.address, a.at])).toEqual([[v6[0], 5]]);
    net.attempts[0]!.result.resolve(new Socket());
    await vi.advanceTimersByTimeAsync(0);
    // The A lookup is no longer needed: its signal aborts, and the connect waits for it to settle.
    expect(net.lookups.find((l) => l.family === 4)!.signal.aborted).toBe(true);
    expect(settled).toBe(false);
    net.fail(4, new Error("cancelled lookup"));
    await connecting;
  });

  it("waits resolutionDelay after an A answer that comes first, then starts with IPv4", async () => {
    const net = scriptedNetwork();
    const connecting = happyEyeballs({ host: "example.test", port: 443, lookup: net.lookup, connect: net.connect });
    await vi.advanceTimersByTimeAsync(0);
    net.answer(4, [v4[0]!]);
    await vi.advanceTimersByTimeAsync(49);
    expect(net.attempts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(net.attempts.map((a) => [a.address, a.at])).toEqual([[v4[0], 50]]);
    // AAAA arrives late: its address joins the list and is tried at the next start.
    net.answer(6, [v6[0]!]);
    await vi.advanceTimersByTimeAsync(250);
    expect(net.attempts.map((a) => [a.address, a.at])).toEqual([
      [v4[0], 50],
      [v6[0], 300],
    ]);
    net.attempts[1]!.result.resolve(new Socket());
    await connecting;
  });

  it("starts with IPv6 at once when AAAA answers within resolutionDelay of A", async () => {
    const net = scriptedNetwork();
    const connecting = happyEyeballs({ host: "example.test", port: 443, lookup: net.lookup, connect: net.connect });
    await vi.advanceTimersByTimeAsync(0);
    net.answer(4, [v4[0]!]);
    await vi.advanceTimersByTimeAsync(20);
    net.answer(6, [v6[0]!]);
    await vi.advanceTimersByTimeAsync(0);
    expect(net.attempts.map((a) => [a.address, a.at])).toEqual([[v6[0], 20]]);
    net.attempts[0]!.result.resolve(new Socket());
    await connecting;
  });

  it("starts with IPv4 as soon as A answers when AAAA has failed", async () => {
    const net = scriptedNetwork();
    const connecting = happyEyeballs({ host: "example.test", port: 443, lookup: net.lookup, connect: net.connect });
    await vi.advanceTimersByTimeAsync(0);
    net.fail(6, Object.assign(new Error("no AAAA"), { code: "ENODATA" }));
    await vi.advanceTimersByTimeAsync(30);
    net.answer(4, [v4[0]!]);
    await vi.advanceTimersByTimeAsync(0);
    expect(net.attempts.map((a) => [a.address, a.at])).toEqual([[v4[0], 30]]);
    net.attempts[0]!.result.resolve(new Socket());
    await connecting;
  });

  it("interleaves addresses by family, IPv6 first, one attemptDelay apart", async () => {
    const net = scriptedNetwork();
    const connecting = happyEyeballs({ host: "example.test", port: 443, lookup: net.lookup, connect: net.connect });
    await vi.advanceTimersByTimeAsync(0);
    net.answer(4, v4);
    net.answer(6, v6);
    await vi.advanceTimersByTimeAsync(1000);
    expect(net.attempts.map((a) => [a.address, a.family, a.at])).toEqual([
      [v6[0], 6, 0],
      [v4[0], 4, 250],
      [v6[1], 6, 500],
      [v4[1], 4, 750],
      [v6[2], 6, 1000],
    ]);
    net.attempts[4]!.result.resolve(new Socket());
    await connecting;
  });

  it("keeps earlier attempts in flight when the next one starts (RFC 8305 §5)", async () => {
    const net = scriptedNetwork();
    const connecting = happyEyeballs({ host: "example.test", port: 443, lookup: net.lookup, connect: net.connect });
    await vi.advanceTimersByTimeAsync(0);
    net.answer(6, v6);
    net.answer(4, v4);
    await vi.advanceTimersByTimeAsync(500);
    expect(net.attempts).toHaveLength(3);
    expect(net.attempts.map((a) => a.signal.aborted)).toEqual([false, false, false]);
    // The first, slowest attempt can still win; the others are then cancelled.
    const socket = new Socket();
    net.attempts[0]!.result.resolve(socket);
    expect(await connecting).toBe(socket);
    expect(net.attempts.map((a) => a.signal.aborted)).toEqual([false, true, true]);
  });

  it("starts the next address at once when an attempt fails", async () => {
    const net = scriptedNetwork();
    const connecting = happyEyeballs({ host: "example.test", port: 443, lookup: net.lookup, connect: net.connect });
    await vi.advanceTimersByTimeAsync(0);
    net.answer(6, v6);
    net.answer(4, v4);
    await vi.advanceTimersByTimeAsync(40);
    net.attempts[0]!.result.reject(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }));
    await vi.advanceTimersByTimeAsync(0);
    expect(net.attempts.map((a) => [a.address, a.at])).toEqual([
      [v6[0], 0],
      [v4[0], 40],
    ]);
    net.attempts[1]!.result.resolve(new Socket());
    await connecting;
  });

  it("clamps attemptDelay to 10–2000 ms", async () => {
    for (const [attemptDelay, gap] of [
      [0, 10],
      [5000, 2000],
    ] as const) {
      const net = scriptedNetwork();
      const connecting = happyEyeballs({ host: "example.test", port: 443, attemptDelay, lookup: net.lookup, connect: net.connect });
      await vi.advanceTimersByTimeAsync(0);
      net.answer(6, v6);
      net.answer(4, v4);
      await vi.advanceTimersByTimeAsync(gap - 1);
      expect(net.attempts).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(net.attempts).toHaveLength(2);
      net.attempts[1]!.result.resolve(new Socket());
      await connecting;
    }
  });

  it("tries an address of a family that answers after the attempts began", async () => {
    const net = scriptedNetwork();
    const connecting = happyEyeballs({ host: "example.test", port: 443, lookup: net.lookup, connect: net.connect });
    await vi.advanceTimersByTimeAsync(0);
    net.answer(6, [v6[0]!]);
    await vi.advanceTimersByTimeAsync(400);
    expect(net.attempts).toHaveLength(1);
    net.answer(4, [v4[0]!]);
    await vi.advanceTimersByTimeAsync(0);
    expect(net.attempts.map((a) => [a.address, a.at])).toEqual([
      [v6[0], 0],
      [v4[0], 400],
    ]);
    net.attempts[1]!.result.resolve(new Socket());
    await connecting;
  });

  it("destroys a loser's socket that connected in the same tick as the winner", async () => {
    const net = scriptedNetwork();
    const connecting = happyEyeballs({ host: "example.test", port: 443, lookup: net.lookup, connect: net.connect });
    await vi.advanceTimersByTimeAsync(0);
    net.answer(6, v6);
    net.answer(4, v4);
    await vi.advanceTimersByTimeAsync(250);
    const [first, second] = [new Socket(), new Socket()];
    net.attempts[0]!.result.resolve(first);
    net.attempts[1]!.result.resolve(second);
    expect(await connecting).toBe(first);
    expect(first.destroyed).toBe(false);
    expect(second.destroyed).toBe(true);
  });

  it("rejects with an error the winning socket emits before it is handed over", async () => {
    const net = scriptedNetwork();
    const lingering = deferred<void>();
    const connect = (address: string, family: 4 | 6, port: number, signal: AbortSignal): Promise<Socket> =>
      address === v6[0]
        ? net.connect(address, family, port, signal)
        : // A loser that takes its time to let go.
          new Promise<Socket>((_resolve, reject) => {
            signal.addEventListener("abort", () => lingering.promise.then(() => reject(signal.reason)), { once: true });
          });
    const connecting = happyEyeballs({ host: "example.test", port: 443, attemptDelay: 10, lookup: net.lookup, connect });
    const outcome = connecting.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(0);
    net.answer(6, [v6[0]!]);
    net.answer(4, [v4[0]!]);
    await vi.advanceTimersByTimeAsync(10);
    const socket = new Socket();
    net.attempts[0]!.result.resolve(socket);
    await vi.advanceTimersByTimeAsync(0);
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    socket.emit("error", reset);
    lingering.resolve();
    expect(await outcome).toBe(reset);
    expect(socket.destroyed).toBe(true);
  });

  it("connects to an IP address directly, without a lookup", async () => {
    const net = scriptedNetwork();
    const connecting = happyEyeballs({ host: "::1", port: 443, lookup: net.lookup, connect: net.connect });
    await vi.advanceTimersByTimeAsync(0);
    expect(net.lookups).toHaveLength(0);
    expect(net.attempts.map((a) => [a.address, a.family])).toEqual([["::1", 6]]);
    net.attempts[0]!.result.resolve(new Socket());
    await connecting;
  });

  it("rejects with the lookup's error when no address is found", async () => {
    const net = scriptedNetwork();
    const outcome = happyEyeballs({ host: "nowhere.test", port: 443, lookup: net.lookup, connect: net.connect }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    const notFound = Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.test"), { code: "ENOTFOUND" });
    net.fail(6, new Error("no AAAA"));
    net.fail(4, notFound);
    expect(await outcome).toBe(notFound);
    expect(net.attempts).toHaveLength(0);
  });
});

describe("happyEyeballs() on loopback", () => {
  const lookupLoopback = async (_host: string, family: 4 | 6): Promise<string[]> => (family === 6 ? ["::1"] : ["127.0.0.1"]);

  it("connects over IPv4 within about attemptDelay when IPv6 SYNs are dropped, and leaves no IPv6 attempt behind", async () => {
    await using bed = await deadIPv6LiveIPv4();
    const controller = new AbortController();
    const started = performance.now();
    const socket = await happyEyeballs({ host: "dual.test", port: bed.port, lookup: lookupLoopback, signal: controller.signal });
    const elapsed = performance.now() - started;
    try {
      expect(socket.remoteFamily).toBe("IPv4");
      expect(socket.remoteAddress).toBe("127.0.0.1");
      // A sequential fallback would still be waiting for the first SYN retransmit (1 s).
      expect(elapsed).toBeLessThan(1000);
      if (hasProcNet()) {
        // The IPv6 attempt was destroyed: no socket of ours is left in SYN_SENT towards the port.
        expect(clientSocketsTo(bed.port).filter((s) => s.state === "SYN_SENT")).toEqual([]);
      }
      // The socket is the caller's now: aborting the signal later does not touch it.
      controller.abort();
      expect(socket.destroyed).toBe(false);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      while (bed.accepted.length === 0) await once(bed.ipv4, "connection");
      expect(bed.accepted).toHaveLength(1);
    } finally {
      socket.destroy();
    }
  });

  it("resolves the host through node:dns by default", async () => {
    const server = createServer((socket) => socket.end());
    server.listen({ host: "127.0.0.1", port: 0 });
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    try {
      const socket = await happyEyeballs({ host: "localhost", port });
      expect(socket.remoteAddress).toBe("127.0.0.1");
      socket.destroy();
    } finally {
      server.close();
    }
  });

  it("rejects with a StaggeredRaceError holding one error per address when every address fails", async () => {
    const port = await closedPort("::1");
    const error = await happyEyeballs({ host: "dual.test", port, lookup: lookupLoopback }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaggeredRaceError);
    const errors = (error as StaggeredRaceError).errors as { code?: string; address?: string }[];
    expect(errors.map((e) => [e.code, e.address])).toEqual([
      ["ECONNREFUSED", "::1"],
      ["ECONNREFUSED", "127.0.0.1"],
    ]);
  });

  it("rejects promptly with the signal's reason and destroys every attempt when the signal aborts", async () => {
    await using ipv6 = await stalledListener("::1");
    await using ipv4 = await stalledListener("127.0.0.1", ipv6.port);
    const controller = new AbortController();
    // Both addresses drop SYNs: without the abort this would hang for minutes.
    const connecting = happyEyeballs({
      host: "dual.test",
      port: ipv4.port,
      attemptDelay: 10,
      lookup: lookupLoopback,
      signal: controller.signal,
    });
    const outcome = connecting.catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (hasProcNet()) expect(clientSocketsTo(ipv4.port).filter((s) => s.state === "SYN_SENT")).toHaveLength(2);
    const reason = new Error("user cancelled");
    controller.abort(reason);
    expect(await outcome).toBe(reason);
    if (hasProcNet()) expect(clientSocketsTo(ipv4.port).filter((s) => s.state === "SYN_SENT")).toEqual([]);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("cancels a connect whose signal is already aborted without looking anything up", async () => {
    let lookedUp = false;
    const signal = AbortSignal.abort("no");
    await expect(
      happyEyeballs({
        host: "dual.test",
        port: 80,
        signal,
        lookup: async () => {
          lookedUp = true;
          return [];
        },
      }),
    ).rejects.toBe("no");
    expect(lookedUp).toBe(false);
  });

  it("throws synchronously for a missing host or a port outside 0–65535", () => {
    expect(() => happyEyeballs({ port: 80 } as never)).toThrow(TypeError);
    expect(() => happyEyeballs({ host: "", port: 80 })).toThrow(TypeError);
    expect(() => happyEyeballs({ host: "localhost", port: "80" as unknown as number })).toThrow(TypeError);
    expect(() => happyEyeballs({ host: "localhost", port: -1 })).toThrow(RangeError);
    expect(() => happyEyeballs({ host: "localhost", port: 65536 })).toThrow(RangeError);
    expect(() => happyEyeballs({ host: "localhost", port: 80.5 })).toThrow(RangeError);
    expect(() => happyEyeballs({ host: "localhost", port: Number.NaN })).toThrow(RangeError);
    expect(() => happyEyeballs({ host: "localhost", port: 80, attemptDelay: Number.NaN })).toThrow(RangeError);
    expect(() => happyEyeballs({ host: "localhost", port: 80, resolutionDelay: -1 })).toThrow(RangeError);
    expect(() => happyEyeballs({ host: "localhost", port: 80, lookup: "dns" as never })).toThrow(TypeError);
    expect(() => happyEyeballs(undefined as never)).toThrow(TypeError);
  });

  it("gives each attempt a signal of its own that a loser sees aborted with a CancelledError", async () => {
    await using bed = await deadIPv6LiveIPv4();
    const seen: AbortSignal[] = [];
    const socket = await happyEyeballs({
      host: "dual.test",
      port: bed.port,
      attemptDelay: 20,
      lookup: lookupLoopback,
      connect: (address, family, port, signal) => {
        seen.push(signal);
        return new Promise<Socket>((resolve, reject) => {
          const socket = connect({ host: address, family, port, autoSelectFamily: false });
          signal.addEventListener("abort", () => {
            socket.destroy();
            reject(signal.reason);
          });
          socket.once("connect", () => resolve(socket));
          socket.once("error", reject);
        });
      },
    });
    socket.destroy();
    expect(seen).toHaveLength(2);
    expect(isCancelledError(seen[0]!.reason)).toBe(true);
    expect(seen[1]!.aborted).toBe(false);
  });
});

/**
 * staggered: time to connect when one address family is broken, on real loopback sockets.
 *
 * 1. Dead IPv6, live IPv4 on the same port: [::1]:port drops every SYN (a listener whose accept
 *    queue is full, see packages/staggered/test/fixtures/stalled-listener.ts), 127.0.0.1:port
 *    accepts. corral's happyEyeballs vs Node's `net.connect({ autoSelectFamily: true })` with
 *    its 250 ms attempt timeout vs plain `net.connect` to the first address (capped at 2 s: left
 *    alone it would wait for the TCP connect timeout, minutes). Both racers are handed the same
 *    answer (::1 first, then 127.0.0.1) through their `lookup` hooks.
 * 2. Slow but working IPv6, refused IPv4: [::1]:port's queue is drained 700 ms after the connect
 *    began, so the IPv6 handshake completes on the first SYN retransmit (~1 s); 127.0.0.1:port
 *    refuses. A true staggered race keeps the IPv6 attempt running and connects; Node's
 *    kill-and-move-on aborts it at 250 ms, then fails on IPv4.
 */
import { connect, type LookupFunction, type Socket } from "node:net";
import { happyEyeballs } from "@corral/staggered/net";
import { median, type ResultRow, writeResults } from "../lib.js";
import { deadIPv6LiveIPv4, stalledListener } from "../../packages/staggered/test/fixtures/stalled-listener.js";

const samples = 21;
const slowSamples = 5;
const plainCap = 2_000;
const host = "dual.test";

const corralLookup = async (_host: string, family: 4 | 6): Promise<string[]> => (family === 6 ? ["::1"] : ["127.0.0.1"]);
const nodeLookup = ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  const answers = [
    { address: "::1", family: 6 },
    { address: "127.0.0.1", family: 4 },
  ];
  if (options.all) callback(null, answers);
  else callback(null, answers[0]!.address, answers[0]!.family);
}) as unknown as LookupFunction;

interface Outcome {
  ms: number;
  family: string | undefined;
  error?: string;
}

async function timeCorral(port: number): Promise<Outcome> {
  const started = performance.now();
  try {
    const socket = await happyEyeballs({ host, port, lookup: corralLookup });
    const ms = performance.now() - started;
    const family = socket.remoteFamily;
    socket.destroy();
    return { ms, family };
  } catch (error) {
    return { ms: performance.now() - started, family: undefined, error: (error as Error).name };
  }
}

function timeSocket(create: () => Socket, cap = Number.POSITIVE_INFINITY): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = create();
    const timer = cap === Number.POSITIVE_INFINITY ? undefined : setTimeout(() => finish(undefined, "timed out"), cap);
    function finish(family: string | undefined, error?: string): void {
      clearTimeout(timer);
      const ms = performance.now() - started;
      socket.destroy();
      resolve(error === undefined ? { ms, family } : { ms, family, error });
    }
    socket.once("connect", () => finish(socket.remoteFamily));
    socket.once("error", (error: NodeJS.ErrnoException) => finish(undefined, error.code ?? error.name));
  });
}

const timeNode = (port: number): Promise<Outcome> =>
  timeSocket(() => connect({ host, port, lookup: nodeLookup, autoSelectFamily: true, autoSelectFamilyAttemptTimeout: 250 }));
const timePlain = (port: number, cap: number): Promise<Outcome> =>
  timeSocket(() => connect({ host: "::1", port, autoSelectFamily: false }), cap);

const medianOf = (outcomes: Outcome[]): Promise<number> => {
  let i = 0;
  return median(outcomes.length, () => outcomes[i++]!.ms);
};
const connectedVia = (outcomes: Outcome[], family: string): number => outcomes.filter((o) => o.family === family).length;

// 1. Dead IPv6, live IPv4.
const bed = await deadIPv6LiveIPv4();
const corralDead: Outcome[] = [];
const nodeDead: Outcome[] = [];
await timeCorral(bed.port); // warm-up: module loading, first socket
await timeNode(bed.port);
for (let i = 0; i < samples; i++) {
  // Alternate, so a noisy neighbour hits both alike.
  corralDead.push(await timeCorral(bed.port));
  nodeDead.push(await timeNode(bed.port));
}
// The plain connects would each wait minutes; run them side by side, capped.
const plainDead = await Promise.all(Array.from({ length: samples }, () => timePlain(bed.port, plainCap)));
await bed[Symbol.asyncDispose]();

// 2. Slow-but-working IPv6, refused IPv4: a fresh listener per connect (draining empties it).
async function slowCase(run: (port: number) => Promise<Outcome>): Promise<Outcome> {
  const ipv6 = await stalledListener("::1");
  const drain = setTimeout(() => ipv6.release(), 700);
  try {
    return await run(ipv6.port);
  } finally {
    clearTimeout(drain);
    await ipv6.close();
  }
}
const corralSlow: Outcome[] = [];
const nodeSlow: Outcome[] = [];
const plainSlow: Outcome[] = [];
for (let i = 0; i < slowSamples; i++) {
  corralSlow.push(await slowCase(timeCorral));
  nodeSlow.push(await slowCase(timeNode));
  plainSlow.push(await slowCase((port) => timePlain(port, 5_000)));
}

const corralMs = await medianOf(corralDead);
const nodeMs = await medianOf(nodeDead);
const plainMs = await medianOf(plainDead);
const corralSlowMs = await medianOf(corralSlow);
const nodeSlowMs = await medianOf(nodeSlow);
const plainSlowMs = await medianOf(plainSlow);
const corralSlowOk = connectedVia(corralSlow, "IPv6");
const nodeSlowOk = nodeSlow.filter((o) => o.family !== undefined).length;
const plainDeadOk = plainDead.filter((o) => o.family !== undefined).length;
const nodeLabel = "Node net.connect autoSelectFamily (attempt timeout 250)";

const rows: ResultRow[] = [
  {
    name: `dead IPv6 + live IPv4: corral happyEyeballs, median of ${samples} (${connectedVia(corralDead, "IPv4")}/${samples} via IPv4)`,
    value: corralMs,
    unit: "ms",
    ratio: corralMs / nodeMs,
    baseline: nodeLabel,
    // Both start IPv4 off the same 250 ms timer; allow the timers' 1–2 ms of jitter.
    target: "≤ Node autoSelectFamily (+2 ms timer jitter)",
    pass: corralMs <= nodeMs + 2 && connectedVia(corralDead, "IPv4") === samples,
  },
  {
    name: `dead IPv6 + live IPv4: ${nodeLabel}, median of ${samples} (${connectedVia(nodeDead, "IPv4")}/${samples} via IPv4)`,
    value: nodeMs,
    unit: "ms",
  },
  {
    name: `dead IPv6 + live IPv4: plain net.connect to the first address (capped at ${plainCap} ms; ${plainDeadOk}/${samples} connected)`,
    value: plainMs,
    unit: "ms",
    ratio: plainMs / corralMs,
    baseline: "corral happyEyeballs",
    target: "corral and Node ≥ 4× faster than plain connect",
    pass: plainMs >= 4 * corralMs && plainMs >= 4 * nodeMs,
  },
  {
    name: `slow IPv6 (answers after ~1 s) + refused IPv4: corral happyEyeballs, median of ${slowSamples} (${corralSlowOk}/${slowSamples} connected via IPv6)`,
    value: corralSlowMs,
    unit: "ms",
    target: "connects every time (the slow attempt stays in flight)",
    pass: corralSlowOk === slowSamples,
  },
  {
    name: `slow IPv6 + refused IPv4: ${nodeLabel} (${nodeSlowOk}/${slowSamples} connected; fails with ${nodeSlow[0]?.error ?? "-"})`,
    value: nodeSlowMs,
    unit: "ms",
    target: "kill-and-move-on gives up: 0 connected",
    pass: nodeSlowOk === 0,
  },
  {
    name: `slow IPv6 + refused IPv4: plain net.connect to the first address (${connectedVia(plainSlow, "IPv6")}/${slowSamples} connected)`,
    value: plainSlowMs,
    unit: "ms",
  },
];

writeResults(
  "staggered",
  "time to connect with a blackholed or slow IPv6 address (real loopback sockets; SYNs dropped by a full accept queue)",
  rows,
);

/**
 * `npm run demo`: corral end to end on loopback, narrated, in under 30 seconds.
 *
 * 1. An HTTP service (scripts/demo/service.ts: runMain + drainHttpServer + a PersistentTaskGroup
 *    per request + withTimeout + shield) under load from 50 keep-alive clients, some of which
 *    hang up mid-request; a SIGTERM in the middle of the load.
 * 2. happyEyeballs across a dead ::1 (SYNs dropped) and a live 127.0.0.1.
 *
 * It prints a summary with the measured numbers, writes demo-report.html with the timelines,
 * and exits 0 only if every promise it makes held.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { connect as netConnect, type Socket } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { happyEyeballs } from "@corral/staggered/net";
import { deadIPv6LiveIPv4 } from "../packages/staggered/test/fixtures/stalled-listener.js";
import { generateLoad, type Outcome, type RequestRecord } from "./demo/load.js";
import { type AttemptRecord, attemptTimeline, requestTimeline, writeReport } from "./demo/report.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const promises: [string, boolean][] = [];
const promise = (claim: string, held: boolean): void => {
  promises.push([claim, held]);
};
const step = (text: string): void => console.log(`\n▶ ${text}`);

// ── 1. The service, the load and the SIGTERM ────────────────────────────────────────────────
step("Starting the order service (runMain + drainHttpServer + PersistentTaskGroup + withTimeout + shield)");
const t0 = performance.now();
const service = spawn(process.execPath, ["--import", "tsx", "scripts/demo/service.ts"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
const exited = once(service, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
const events: Record<string, unknown>[] = [];
const eventArrived: ((event: Record<string, unknown>) => void)[] = [];
createInterface({ input: service.stdout }).on("line", (line) => {
  const event = JSON.parse(line) as Record<string, unknown>;
  events.push(event);
  for (const listener of eventArrived) listener(event);
});
const nextEvent = (name: string): Promise<Record<string, unknown>> =>
  new Promise((resolve) => {
    const found = events.find((event) => event.event === name);
    if (found) resolve(found);
    else eventArrived.push((event) => event.event === name && resolve(event));
  });
const { port } = (await nextEvent("ready")) as { port: number };
console.log(`  listening on 127.0.0.1:${port}`);

const clients = 50;
step(`${clients} keep-alive clients send orders in a loop (every 9th one hangs up after 5–44 ms)`);
const records: RequestRecord[] = [];
const counts: Record<Outcome, number> = { served: 0, "timed-out": 0, "hung-up": 0, retried: 0, refused: 0, lost: 0 };
const progress = setInterval(
  () => {
    const line = `  served ${counts.served}  timed out ${counts["timed-out"]}  hung up ${counts["hung-up"]}  lost ${counts.lost}`;
    // Redraw in place on a terminal; one line per tick in a log.
    process.stdout.write(process.stdout.isTTY ? `\r${line}   ` : `${line}\n`);
  },
  process.stdout.isTTY ? 200 : 500,
);
const load = generateLoad(port, clients, t0, (record) => {
  records.push(record);
  counts[record.outcome]++;
});
await new Promise((resolve) => setTimeout(resolve, 2_000));
const sigtermAt = performance.now() - t0;
if (process.stdout.isTTY) process.stdout.write("\n");
step(`SIGTERM to the service at ${sigtermAt.toFixed(0)} ms, in the middle of the load`);
service.kill("SIGTERM");
const draining = (await nextEvent("draining")) as { inFlight: number };
console.log(`  draining: ${draining.inFlight} requests in flight are allowed to finish`);
await load;
clearInterval(progress);
const [code] = await exited;
const exitAt = performance.now() - t0;
interface ServiceStats {
  handled: number;
  timeouts: number;
  cancelledHandlers: number;
  failures: number;
  committed: number;
  rolledBack: number;
  idle: number;
  dirty: number;
  poolSize: number;
}
const stopped = (await nextEvent("stopped")) as unknown as ServiceStats;
console.log(`  the service exited with code ${code} at ${exitAt.toFixed(0)} ms`);
for (const lost of records.filter((record) => record.outcome === "lost")) console.log(`  LOST: ${lost.detail}`);

promise("no accepted request was lost: each got a full answer, or was refused at connect (or retried, when sent on a keep-alive connection the drain had just closed)", counts.lost === 0);
promise(`the ${draining.inFlight} requests in flight at the SIGTERM were allowed to finish`, draining.inFlight > 0 && counts.lost === 0);
promise("every client ended on a refused connect, after the server stopped listening", counts.refused === clients);
promise("the service exited 143 (128 + SIGTERM) once the drain was done", code === 143);
promise(
  "every pool connection came back clean: each transaction committed or rolled back, none cut in half",
  stopped.dirty === 0 && stopped.idle === stopped.poolSize,
);
promise("hung-up clients cancelled their own handler, and only theirs", stopped.cancelledHandlers > 0 && stopped.failures === 0);
promise("transactions cut short by a hang-up were rolled back under a shield", stopped.rolledBack > 0);
promise("slow inventory calls were bounded by withTimeout (504s answered)", counts["timed-out"] > 0 && stopped.timeouts === counts["timed-out"]);

// ── 2. Happy Eyeballs across a dead ::1 and a live 127.0.0.1 ─────────────────────────────────
step("happyEyeballs: ::1 drops every SYN (a blackholed IPv6 route), 127.0.0.1 answers");
await using bed = await deadIPv6LiveIPv4();
const attempts: AttemptRecord[] = [];
const h0 = performance.now();
/** Node's own connect, recording each attempt for the timeline. */
function recordingConnect(address: string, family: 4 | 6, port: number, signal: AbortSignal): Promise<Socket> {
  const attempt: AttemptRecord = { address, start: performance.now() - h0, end: 0, outcome: "failed" };
  attempts.push(attempt);
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: address, port, family, autoSelectFamily: false });
    const onAbort = (): void => {
      socket.destroy();
      attempt.outcome = "cancelled";
      attempt.end = performance.now() - h0;
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => {
      signal.removeEventListener("abort", onAbort);
      attempt.outcome = "won";
      attempt.end = performance.now() - h0;
      resolve(socket);
    });
    socket.once("error", (error) => {
      signal.removeEventListener("abort", onAbort);
      attempt.end = performance.now() - h0;
      reject(error);
    });
  });
}
const socket = await happyEyeballs({
  host: "shop.example",
  port: bed.port,
  attemptDelay: 250,
  lookup: async (_host, family) => (family === 6 ? ["::1"] : ["127.0.0.1"]),
  connect: recordingConnect,
  signal: AbortSignal.timeout(10_000),
});
const connectMs = performance.now() - h0;
const winner = socket.remoteAddress;
socket.destroy();
for (const attempt of attempts) console.log(`  ${attempt.address.padEnd(10)} started ${attempt.start.toFixed(0).padStart(4)} ms, ${attempt.outcome} at ${attempt.end.toFixed(0)} ms`);
console.log(`  connected to ${winner} in ${connectMs.toFixed(0)} ms (a plain connect to ::1 would wait for a TCP timeout: minutes)`);
promise("Happy Eyeballs tried ::1 first, then reached 127.0.0.1 within ~attemptDelay", winner === "127.0.0.1" && connectMs < 1_500 && attempts[0]?.address === "::1");
promise("the losing ::1 attempt was cancelled and destroyed", attempts[0]?.outcome === "cancelled");

// ── Summary and report ───────────────────────────────────────────────────────────────────────
const summary: [string, string][] = [
  ["requests served (200)", String(counts.served)],
  ["answered 504 by withTimeout", String(counts["timed-out"])],
  ["clients that hung up mid-request", String(counts["hung-up"])],
  ["requests lost", String(counts.lost)],
  ["sent on a connection the drain had just closed, retried", String(counts.retried)],
  ["connects refused after the listener closed", String(counts.refused)],
  ["transactions committed / rolled back", `${stopped.committed} / ${stopped.rolledBack}`],
  ["handlers cancelled by a hang-up", String(stopped.cancelledHandlers)],
  ["pool connections idle / dirty at exit", `${stopped.idle} / ${stopped.dirty} (of ${stopped.poolSize})`],
  ["SIGTERM → exit", `${(exitAt - sigtermAt).toFixed(0)} ms, exit code ${code}`],
  ["Happy Eyeballs connect", `${connectMs.toFixed(0)} ms to ${winner}`],
];
console.log("\nSummary");
for (const [name, value] of summary) console.log(`  ${name.padEnd(44)} ${value}`);
const reportPath = `${root}demo-report.html`;
writeReport(
  reportPath,
  summary,
  requestTimeline(records, [{ at: sigtermAt, label: "SIGTERM" }, { at: exitAt, label: "exit" }], clients),
  attemptTimeline(attempts),
);
console.log(`\nTimelines written to demo-report.html`);

console.log("\nPromises");
for (const [claim, held] of promises) console.log(`  ${held ? "✔" : "✘"} ${claim}`);
const broken = promises.filter(([, held]) => !held).length;
console.log(broken ? `\n${broken} promise(s) broken.` : `\nEvery promise held (${((performance.now() - t0) / 1000).toFixed(1)} s).`);
process.exitCode = broken ? 1 : 0;

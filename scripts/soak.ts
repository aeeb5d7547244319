/**
 * Soak test: an HTTP server built on graceful-shutdown + taskgroup + timeout, under continuous
 * loopback load for a while, with clients that hang up in the middle of requests.
 *
 *   pnpm soak [--seconds 60] [--clients 32]
 *
 * Each request runs in its own CancelScope (cancelled when the client disconnects), inside
 * withTimeout(), with a taskGroup of a few sub-tasks. At the end the server shuts down
 * gracefully under load. The script reports requests served, handler cancellations, leaked
 * listeners and timers (must be 0) and RSS after warm-up and at the end (must stay within 10%),
 * and exits non-zero if any promise failed. Loopback only; the load is bounded by the number of
 * clients, each sending one request at a time; the script stops by itself.
 */
import { getEventListeners } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { CancelScope, isTimeoutError, sleep } from "@corral/cancel-core";
import { drainHttpServer, gracefulShutdown } from "@corral/graceful-shutdown";
import { taskGroup } from "@corral/taskgroup";
import { withTimeout } from "@corral/timeout";

const { values: args } = parseArgs({
  options: { seconds: { type: "string", default: "60" }, clients: { type: "string", default: "32" } },
});
const seconds = Number(args.seconds);
const clients = Number(args.clients);
if (!(seconds > 0) || !Number.isInteger(clients) || clients < 1) {
  console.error("usage: pnpm soak [--seconds <positive number>] [--clients <positive integer>]");
  process.exit(2);
}

// A real collection before each RSS reading, so that garbage not yet collected does not count.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const budget = 100; // ms each request may take
const failures: string[] = [];
const fail = (message: string): void => {
  if (failures.length < 20) console.error(`FAIL: ${message}`);
  failures.push(message);
};
process.on("unhandledRejection", (reason) => fail(`unhandled rejection: ${String(reason)}`));

const stats = {
  requests: 0,
  served: 0,
  timedOut: 0,
  cancelledByClient: 0,
  cancelledByShutdown: 0,
  inFlight: 0,
  maxInFlight: 0,
  maxListeners: 0,
  clientRequests: 0,
  clientHangUps: 0,
  clientOk: 0,
  clientRefused: 0,
};

const random = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));
const activeTimers = (): number => process.getActiveResourcesInfo().filter((name) => name === "Timeout").length;
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;

const timersBefore = activeTimers();
const processListenersBefore = process.listenerCount("SIGINT") + process.listenerCount("SIGTERM");

// Requests live under this plain signal: corral links every request scope to it through a single
// listener, which must be gone once the last request has ended.
const lifetime = new AbortController();

/** The application's work for one request: two sub-tasks, sometimes a background one, sometimes too slow. */
function work(signal: AbortSignal): Promise<string> {
  return withTimeout(
    budget,
    (timeoutSignal) =>
      taskGroup(
        async (group) => {
          const slow = Math.random() < 0.03;
          const a = group.spawn((taskSignal) => sleep(slow ? budget * 2 : random(0, 15), { signal: taskSignal }).then(() => "a"));
          const b = group.spawn((taskSignal) => sleep(random(0, 15), { signal: taskSignal }).then(() => "b"));
          if (Math.random() < 0.2) group.spawn((taskSignal) => sleep(random(0, 30), { signal: taskSignal }));
          return `${await a}${await b}`;
        },
        { signal: timeoutSignal },
      ),
    { signal },
  ) as Promise<string>;
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  stats.requests++;
  stats.maxInFlight = Math.max(stats.maxInFlight, ++stats.inFlight);
  const scope = new CancelScope({ signal: lifetime.signal, name: "request" });
  let clientGone = false;
  const onClose = (): void => {
    if (res.writableFinished) return;
    clientGone = true;
    scope.cancel("client disconnected");
  };
  res.on("close", onClose);
  stats.maxListeners = Math.max(stats.maxListeners, getEventListeners(lifetime.signal, "abort").length);
  try {
    req.resume();
    const body = await scope.run(work);
    if (scope.cancelledCaught) {
      if (!clientGone) fail("a handler was cancelled although its client was still there");
      stats.cancelledByClient++;
    } else {
      res.end(body);
      stats.served++;
    }
  } catch (error) {
    if (isTimeoutError(error)) {
      stats.timedOut++;
      res.statusCode = 504;
      res.end("too slow");
    } else if (lifetime.signal.aborted && error === lifetime.signal.reason) {
      stats.cancelledByShutdown++;
      res.statusCode = 503;
      res.end("shutting down");
    } else {
      fail(`a handler failed: ${error instanceof Error ? error.stack : String(error)}`);
      res.destroy();
    }
  } finally {
    res.off("close", onClose);
    stats.inFlight--;
  }
}

const server = http.createServer((req, res) => void handle(req, res));
server.keepAliveTimeout = 1_000;
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;

const shutdown = gracefulShutdown({ timeout: 5_000 });
shutdown.onShutdown(async (signal) => {
  // When the grace period runs out, cancel whatever is still running.
  signal.addEventListener("abort", () => lifetime.abort(new Error("grace period over")), { once: true });
  await drainHttpServer(server, { signal });
});

/** One client: one request at a time until shutdown begins; about one request in six hangs up midway. */
async function client(): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    while (!shutdown.signal.aborted) {
      stats.clientRequests++;
      const hangUpAfter = Math.random() < 0.15 ? random(0, 20) : undefined;
      await new Promise<void>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const req = http.get({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode === 200 || res.statusCode === 504 || res.statusCode === 503) stats.clientOk++;
            else fail(`unexpected status ${res.statusCode}`);
            done();
          });
          res.on("error", done);
        });
        req.on("error", (error: NodeJS.ErrnoException) => {
          if (error.code === "ECONNREFUSED" && shutdown.signal.aborted) stats.clientRefused++;
          else if (hangUpAfter === undefined && !shutdown.signal.aborted) fail(`client error: ${error.message}`);
          done();
        });
        if (hangUpAfter !== undefined) {
          timer = setTimeout(() => {
            stats.clientHangUps++;
            req.destroy();
          }, hangUpAfter);
        }
      });
    }
  } finally {
    agent.destroy();
  }
}

function rss(): number {
  gc();
  return process.memoryUsage().rss;
}

console.log(`soak: ${seconds}s, ${clients} clients, http://127.0.0.1:${port}/`);
const started = performance.now();
const load = Promise.all(Array.from({ length: clients }, client));

// Warm-up (JIT, pools, buffers) is not a leak: take the first reading a little into the run.
const warmUp = Math.min(5, seconds * 0.2) * 1000;
await sleep(warmUp);
const rssStart = rss();
const samples: number[] = [rssStart];
const progress = setInterval(() => {
  const elapsed = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`  ${elapsed}s: ${stats.served} served, ${stats.cancelledByClient} cancelled by clients, rss ${mb(process.memoryUsage().rss)}`);
}, 10_000);
await sleep(seconds * 1000 - warmUp);
clearInterval(progress);
const rssEnd = rss();
samples.push(rssEnd);

// Shut down under load: in-flight requests finish, new connections are refused.
const shutdownStarted = performance.now();
await shutdown.shutdown("soak over");
const shutdownMs = performance.now() - shutdownStarted;
await load;
await shutdown[Symbol.asyncDispose]();
await new Promise((resolve) => setImmediate(resolve));

const leakedListeners = getEventListeners(lifetime.signal, "abort").length;
const leakedTimers = activeTimers() - timersBefore;
const leakedProcessListeners = process.listenerCount("SIGINT") + process.listenerCount("SIGTERM") - processListenersBefore;
const growth = (rssEnd - rssStart) / rssStart;

if (stats.inFlight !== 0) fail(`${stats.inFlight} handler(s) still running after shutdown resolved`);
if (leakedListeners !== 0) fail(`${leakedListeners} abort listener(s) left on the server's lifetime signal`);
if (leakedTimers > 0) fail(`${leakedTimers} timer(s) left pending`);
if (leakedProcessListeners !== 0) fail(`${leakedProcessListeners} process signal listener(s) left installed`);
if (stats.maxListeners > 1) fail(`up to ${stats.maxListeners} abort listeners on the lifetime signal (corral should share one)`);
if (Math.abs(growth) > 0.1) fail(`RSS moved ${(growth * 100).toFixed(1)}% between warm-up and the end`);
if (stats.served === 0) fail("no request was served");

console.log(
  [
    "",
    "soak summary",
    `  duration              ${seconds}s with ${clients} clients; graceful shutdown took ${shutdownMs.toFixed(0)} ms`,
    `  requests handled      ${stats.requests} (max ${stats.maxInFlight} at once)`,
    `  served                ${stats.served}`,
    `  timed out (504)       ${stats.timedOut}`,
    `  handler cancellations ${stats.cancelledByClient} by client disconnects (${stats.clientHangUps} hang-ups sent), ${stats.cancelledByShutdown} by the end of the grace period`,
    `  refused after stop    ${stats.clientRefused}`,
    `  leaked listeners      ${leakedListeners} (lifetime signal), ${leakedProcessListeners} (process)`,
    `  leaked timers         ${Math.max(leakedTimers, 0)}`,
    `  RSS                   ${mb(rssStart)} after warm-up → ${mb(rssEnd)} at the end (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)}%)`,
    `  result                ${failures.length === 0 ? "OK" : `${failures.length} failure(s)`}`,
  ].join("\n"),
);
process.exitCode = failures.length === 0 ? 0 : 1;

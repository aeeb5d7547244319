/**
 * shutdown: how long an HTTP service takes from SIGTERM to exit, with 1,000 idle keep-alive
 * connections and 50 slow requests (500 ms) in flight, for corral's drainHttpServer (under
 * runMain) and for the baselines: plain `server.close()`, http-terminator and stoppable. Each
 * server runs in its own process (this file, started with `server <variant>`); the parent opens
 * the connections, sends SIGTERM once the 50 slow requests have arrived, and times the last
 * in-flight response and the exit. "Exit" is the server's own `process.on("exit")`, stamped on a
 * clock both processes share: the OS teardown after it (tens of ms on this machine, the same for
 * every variant) would only add noise. Every variant exits as soon as its library says the server
 * is closed. Target: corral exits within 50 ms of the last in-flight response.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type RequestListener, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";

const allVariants = ["corral", "server.close()", "http-terminator", "stoppable"] as const;
type Variant = (typeof allVariants)[number];
// SHUTDOWN_BENCH_VARIANTS=corral,stoppable and SHUTDOWN_BENCH_RUNS=10 narrow or widen a run.
const variants = allVariants.filter((variant) => process.env.SHUTDOWN_BENCH_VARIANTS?.split(",").includes(variant) ?? true);

const idleConnections = 1_000;
const slowRequests = 50;
const slowMs = 500;
const runs = Number(process.env.SHUTDOWN_BENCH_RUNS ?? 3);
const grace = 10_000;

if (process.argv[2] === "server") {
  await serve(process.argv[3] as Variant);
} else {
  await measureAll();
}

// ---------------------------------------------------------------------------------------------
// The server process

/** Wall-clock ms with sub-ms precision, comparable between the two processes. */
function clock(): number {
  return performance.timeOrigin + performance.now();
}

async function serve(variant: Variant): Promise<void> {
  // The moment the process exits, as the process sees it: the OS's own teardown after that (tens
  // of ms, the same for every variant) is not what is measured.
  process.on("exit", () => process.stdout.write(`exit at ${clock()}\n`));
  let slowSeen = 0;
  const handler: RequestListener = (req, res) => {
    const respond = (): void => {
      res.setHeader("Content-Length", 2);
      res.end("ok");
    };
    if (req.url === "/slow") {
      if (++slowSeen === slowRequests) console.log("in flight");
      setTimeout(respond, slowMs);
    } else {
      respond();
    }
  };
  const listen = async (server: Server): Promise<void> => {
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    console.log(`listening ${(server.address() as { port: number }).port}`);
  };

  if (variant === "corral") {
    const { drainHttpServer, runMain } = await import("@corral/graceful-shutdown");
    runMain(
      async (signal) => {
        const stopped = once(signal, "abort");
        const server = createServer(handler);
        await listen(server);
        await stopped;
        await drainHttpServer(server, { timeout: grace });
      },
      { timeout: grace * 2 },
    );
    return;
  }
  const server = createServer(handler);
  if (variant === "server.close()") {
    process.once("SIGTERM", () => server.close(() => process.exit(0)));
  } else if (variant === "http-terminator") {
    const { createHttpTerminator } = await import("http-terminator");
    const terminator = createHttpTerminator({ server, gracefulTerminationTimeout: grace });
    process.once("SIGTERM", () => void terminator.terminate().then(() => process.exit(0)));
  } else {
    const { default: stoppable } = await import("stoppable");
    const stoppableServer = stoppable(server, grace);
    process.once("SIGTERM", () => stoppableServer.stop(() => process.exit(0)));
  }
  await listen(server);
}

// ---------------------------------------------------------------------------------------------
// The measuring process

interface Run {
  /** SIGTERM → process exit. */
  exit: number;
  /** Last in-flight response → process exit. */
  afterLastResponse: number;
  /** In-flight responses that arrived complete. */
  completed: number;
}

function lineOf(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: string): void => {
      output += chunk;
      const match = pattern.exec(output);
      if (match) {
        child.stdout!.off("data", onData);
        resolve(match);
      }
    };
    child.stdout!.setEncoding("utf8").on("data", onData);
    child.once("close", () => reject(new Error(`server exited before printing ${pattern}: ${output}`)));
  });
}

/** A keep-alive connection that sends one request and resolves when its response is complete. */
function requestOn(socket: Socket, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    let received = "";
    const onData = (chunk: string): void => {
      received += chunk;
      if (/\r\n\r\nok$/.test(received)) {
        socket.off("data", onData);
        resolve(true);
      }
    };
    socket.setEncoding("utf8").on("data", onData);
    socket.once("close", () => resolve(false));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  });
}

async function openConnection(port: number): Promise<Socket> {
  const socket = connect(port, "127.0.0.1");
  socket.on("error", () => {});
  await once(socket, "connect");
  return socket;
}

async function measure(variant: Variant): Promise<Run> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ["--import", "tsx", self, "server", variant], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = lineOf(child, /exit at ([\d.]+)/).then((match) => Number(match[1]));
  try {
    const port = Number((await lineOf(child, /listening (\d+)/))[1]);
    const sockets: Socket[] = [];
    // 1,000 idle keep-alive connections, each after one request (opened in batches of 100).
    for (let batch = 0; batch < idleConnections / 100; batch++) {
      const opened = await Promise.all(Array.from({ length: 100 }, () => openConnection(port)));
      await Promise.all(opened.map((socket) => requestOn(socket, "/fast")));
      sockets.push(...opened);
    }
    const inFlight = lineOf(child, /in flight/);
    const slow = await Promise.all(Array.from({ length: slowRequests }, () => openConnection(port)));
    sockets.push(...slow);
    let lastResponse = 0;
    const responses = slow.map((socket) =>
      requestOn(socket, "/slow").then((complete) => {
        if (complete) lastResponse = Math.max(lastResponse, clock());
        return complete;
      }),
    );
    await inFlight;
    const stoppedAt = clock();
    child.kill("SIGTERM");
    const completed = (await Promise.all(responses)).filter(Boolean).length;
    const exitedAt = await exited;
    for (const socket of sockets) socket.destroy();
    await once(child, "close");
    return { exit: exitedAt - stoppedAt, afterLastResponse: exitedAt - lastResponse, completed };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

async function measureAll(): Promise<void> {
  const { writeResults, median } = await import("../lib.js");
  const results = new Map<Variant, Run[]>();
  for (let run = 0; run < runs; run++) {
    for (const variant of variants) {
      const outcome = await measure(variant);
      results.set(variant, [...(results.get(variant) ?? []), outcome]);
      console.log(
        `${variant.padEnd(16)} run ${run + 1}: exit ${outcome.exit.toFixed(1)} ms after SIGTERM, ${outcome.afterLastResponse.toFixed(1)} ms after the last in-flight response, ${outcome.completed}/${slowRequests} completed`,
      );
    }
  }
  const medianOf = async (variant: Variant, key: keyof Run): Promise<number> => {
    const values = results.get(variant)!.map((run) => run[key]);
    let index = 0;
    return median(values.length, () => values[index++]!);
  };
  const corralExit = await medianOf("corral", "exit");
  const corralAfter = await medianOf("corral", "afterLastResponse");
  const rows = [];
  for (const variant of variants) {
    const exit = await medianOf(variant, "exit");
    const after = await medianOf(variant, "afterLastResponse");
    const completed = Math.min(...results.get(variant)!.map((run) => run.completed));
    const isCorral = variant === "corral";
    rows.push({
      name: `${variant}: SIGTERM → exit`,
      value: exit,
      unit: "ms",
      ...(isCorral ? {} : { ratio: exit / corralExit, baseline: "corral: SIGTERM → exit" }),
    });
    rows.push({
      name: `${variant}: last in-flight response → exit`,
      value: after,
      unit: "ms",
      ...(isCorral
        ? { target: "≤ 50 ms", pass: after <= 50 }
        : { ratio: after / corralAfter, baseline: "corral: last in-flight response → exit" }),
    });
    rows.push({
      name: `${variant}: in-flight responses completed (worst run)`,
      value: completed,
      unit: `of ${slowRequests}`,
      ...(isCorral ? { target: `all ${slowRequests}`, pass: completed === slowRequests } : {}),
    });
  }
  writeResults(
    "shutdown",
    `SIGTERM to exit with ${idleConnections} idle keep-alive connections and ${slowRequests} in-flight ${slowMs} ms requests (median of ${runs} runs)`,
    rows,
  );
}

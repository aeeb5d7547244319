// A real HTTP server on loopback gets SIGTERM while requests are in flight. The shutdown hook
// drains the server: it stops accepting connections, lets in-flight requests finish (their
// responses carry "Connection: close"), and cuts only what is still running when the grace
// period ends. The process then exits on its own: nothing calls process.exit().
import { createServer, type IncomingMessage, request } from "node:http";
import type { AddressInfo } from "node:net";
import { sleep } from "@corral/cancel-core";
import { drainHttpServer, gracefulShutdown } from "@corral/graceful-shutdown";
import { expect, type Lane, Timeline } from "../../timelines/recorder.js";

const timeline = new Timeline("shutdown-drain", "gracefulShutdown() + drainHttpServer(): SIGTERM with requests in flight");
const serverLane = timeline.lane("HTTP server");

// Each request path says how long its handler works, in ms.
const server = createServer(async (req, res) => {
  const ms = Number(new URL(req.url ?? "/", "http://localhost").searchParams.get("ms"));
  await sleep(ms);
  res.end("ok\n");
});

// #region shutdown
const shutdown = gracefulShutdown({ signals: ["SIGTERM"], timeout: 2_000 });
const drained = new Promise<void>((resolve) => {
  shutdown.onShutdown(async (signal) => {
    serverLane.note("drain starts");
    // In-flight requests get 400 ms; `signal` would cut the drain short if the hooks' 2 s ran out.
    await drainHttpServer(server, { timeout: 400, signal });
    serverLane.ok("closed");
    resolve();
  });
});
// #endregion

await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;
serverLane.start();

interface Outcome {
  status?: number;
  connection?: string;
  error?: string;
}

function get(ms: number, lane: Lane): Promise<Outcome> {
  lane.start();
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: `/?ms=${ms}` }, (res: IncomingMessage) => {
      res.resume();
      res.on("end", () => {
        lane.ok(`${res.statusCode}, Connection: ${res.headers.connection}`);
        resolve({ status: res.statusCode ?? 0, connection: String(res.headers.connection) });
      });
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      lane.fail(error.code ?? error.message);
      resolve({ error: error.code ?? error.message });
    });
    req.end();
  });
}

const a = get(250, timeline.lane("GET ?ms=250"));
await sleep(30);
const b = get(400, timeline.lane("GET ?ms=400"));
await sleep(30);
const c = get(2_000, timeline.lane("GET ?ms=2000 (longer than the grace)"));
await sleep(90);

timeline.marker("SIGTERM");
process.kill(process.pid, "SIGTERM");
await sleep(60);
const late = get(50, timeline.lane("GET after SIGTERM"));

const [ra, rb, rc, rlate] = await Promise.all([a, b, c, late]);
await drained;
await shutdown[Symbol.asyncDispose]();
console.log("responses:", JSON.stringify({ ra, rb, rc, rlate }));
const data = timeline.finish();

// What the picture promises.
expect(ra.status === 200 && rb.status === 200, "requests in flight at SIGTERM completed");
expect(ra.connection === "close" && rb.connection === "close", "their responses carried Connection: close");
expect(rc.error !== undefined, "the request longer than the grace period was cut");
expect(rlate.error === "ECONNREFUSED", "a connection after SIGTERM was refused");
const sigterm = data.events.find((event) => event.label === "SIGTERM")!.t;
const cut = data.events.find((event) => event.lane === 3 && event.kind === "fail")!.t;
expect(cut - sigterm >= 390, "the long request was cut only when the 400 ms grace period ended");
expect(process.listenerCount("SIGTERM") === 0, "no SIGTERM listener is left installed");

import { once } from "node:events";
import { Agent, get, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, type FixtureProcess, killFixtures, startFixture, within } from "./helpers/fixture-process.js";

beforeAll(ensureBuilt, 120_000);
afterEach(killFixtures);

type Outcome =
  | { kind: "complete"; headers: IncomingHttpHeaders; bytes: number }
  | { kind: "refused" }
  | { kind: "lost"; detail: string };

/** One request; classifies the outcome the way a user would experience it. */
function attempt(port: number, path: string, agent: Agent | undefined, bodySize: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = get({ host: "127.0.0.1", port, path, agent }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => {
        if (res.complete && res.statusCode === 200 && bytes === bodySize) resolve({ kind: "complete", headers: res.headers, bytes });
        else resolve({ kind: "lost", detail: `incomplete response: status ${res.statusCode}, ${bytes}/${bodySize} bytes` });
      });
      res.on("error", (error: NodeJS.ErrnoException) => resolve({ kind: "lost", detail: `reset mid-response: ${error.code} ${error.message}` }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNREFUSED") resolve({ kind: "refused" });
      else resolve({ kind: "lost", detail: `${error.code} ${error.message} (reused socket: ${req.reusedSocket})` });
    });
  });
}

async function portOf(app: FixtureProcess): Promise<number> {
  return Number((await app.waitForLine(/^listening (\d+)$/))[1]);
}

describe("drainHttpServer() in a process stopped by SIGTERM", () => {
  it("loses no accepted request under 50 keep-alive clients sending in a loop", async () => {
    const bodySize = 16_384;
    const app = startFixture("http-server.mjs", { QUIET: "1", BODY_SIZE: String(bodySize) });
    const port = await portOf(app);
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    const outcomes: Outcome[] = [];
    let completedBeforeStop = 0;
    let stopped = false;
    let reachedLoad: () => void = () => {};
    const loaded = new Promise<void>((resolve) => (reachedLoad = resolve));
    const client = async (): Promise<void> => {
      for (;;) {
        const outcome = await attempt(port, `/work?ms=${Math.floor(Math.random() * 8)}`, agent, bodySize);
        outcomes.push(outcome);
        if (!stopped && outcome.kind === "complete" && ++completedBeforeStop === 500) reachedLoad();
        // A client stops at its first refusal (the server is gone) — or at a loss, which fails the test.
        if (outcome.kind !== "complete") return;
      }
    };
    const clients = Array.from({ length: 50 }, client);
    await within(loaded, 20_000, "500 responses before the stop");
    stopped = true;
    app.kill("SIGTERM");
    await within(Promise.all(clients), 20_000, "every client stopping");
    agent.destroy();
    expect(await within(app.exited, 15_000, "exit")).toEqual({ code: 143, signal: null });

    const lost = outcomes.filter((outcome) => outcome.kind === "lost");
    expect(lost).toEqual([]);
    // Each client ended on a refusal at connect time, after the server stopped listening.
    expect(outcomes.filter((outcome) => outcome.kind === "refused")).toHaveLength(50);
    // Requests were in flight when the stop came: those answers told their client to close.
    const closing = outcomes.filter((outcome) => outcome.kind === "complete" && outcome.headers.connection === "close");
    expect(closing.length).toBeGreaterThan(0);
    expect(app.lines).toContain("drained");
  }, 60_000);

  it("completes slow in-flight requests with Connection: close, closes idle connections first, refuses new ones", async () => {
    const bodySize = 4096;
    const app = startFixture("http-server.mjs", { BODY_SIZE: String(bodySize), DRAIN_TIMEOUT: "10000", GRACE: "15000" });
    const port = await portOf(app);

    // Five idle keep-alive connections, each after one request.
    const idle = Array.from({ length: 5 }, () => connect(port, "127.0.0.1"));
    const idleClosedAt: number[] = [];
    await Promise.all(
      idle.map(async (socket) => {
        socket.on("error", () => {});
        socket.on("close", () => idleClosedAt.push(performance.now()));
        socket.write("GET /fast HTTP/1.1\r\nHost: localhost\r\n\r\n");
        let received = 0;
        while (received < bodySize) {
          const [chunk] = (await once(socket, "data")) as [Buffer];
          received += chunk.length; // headers count too: enough to know the response is there
        }
      }),
    );

    // Ten slow requests (800 ms each), each on its own keep-alive connection.
    const agent = new Agent({ keepAlive: true });
    const slowDoneAt: number[] = [];
    const slow = Array.from({ length: 10 }, () =>
      attempt(port, "/slow?ms=800", agent, bodySize).then((outcome) => {
        slowDoneAt.push(performance.now());
        return outcome;
      }),
    );
    await app.waitForLines(/^request \/slow$/, 10);

    app.kill("SIGTERM");
    await app.waitForLine(/^draining \(listening: false\)$/);
    expect(await attempt(port, "/fast", undefined, bodySize)).toEqual({ kind: "refused" });

    const outcomes = await within(Promise.all(slow), 15_000, "the slow responses");
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ kind: "complete", bytes: bodySize, headers: { connection: "close" } });
    }
    expect(await within(app.exited, 15_000, "exit")).toEqual({ code: 143, signal: null });
    agent.destroy();
    expect(idleClosedAt).toHaveLength(5);
    // The idle connections did not wait for the in-flight ones.
    expect(Math.max(...idleClosedAt)).toBeLessThan(Math.min(...slowDoneAt));
  }, 60_000);

  it("destroys requests still running when the drain's grace period ends, then exits", async () => {
    const app = startFixture("http-server.mjs", { DRAIN_TIMEOUT: "300", GRACE: "10000" });
    const port = await portOf(app);
    const stuck = attempt(port, "/slow?ms=60000", undefined, 1024);
    await app.waitForLine(/^request \/slow$/);
    app.kill("SIGTERM");
    expect(await within(stuck, 15_000, "the stuck request ending")).toMatchObject({ kind: "lost" });
    expect(await within(app.exited, 15_000, "exit")).toEqual({ code: 143, signal: null });
    expect(app.lines).toContain("drained");
  });

  it("keeps serving during drainDelay, with readiness false, then stops listening", async () => {
    const app = startFixture("http-server.mjs", { DRAIN_DELAY: "1000" });
    const port = await portOf(app);
    const ready = (): Promise<{ status: number; connection: string | undefined }> =>
      new Promise((resolve, reject) => {
        get({ host: "127.0.0.1", port, path: "/ready" }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
        }).on("error", reject);
      });
    expect((await ready()).status).toBe(200);
    app.kill("SIGTERM");
    await app.waitForLine(/^stopping/);
    expect(await ready()).toEqual({ status: 503, connection: "close" });
    expect(await within(app.exited, 15_000, "exit")).toEqual({ code: 143, signal: null });
    expect(await attempt(port, "/fast", undefined, 1024)).toEqual({ kind: "refused" });
  });
});

/**
 * The demo's HTTP service, run as its own process so that a real SIGTERM can stop it.
 *
 * - runMain: the process's lifetime, exit code 143 after SIGTERM.
 * - drainHttpServer: stop accepting, finish in-flight requests, close keep-alive sockets.
 * - PersistentTaskGroup: one child per request; a client that hangs up cancels only its child.
 * - withTimeout: a slow inventory dependency is given 120 ms, then the request answers 504.
 * - shield: a transaction's commit or rollback is never cut in half by a cancelled request.
 *
 * It prints one JSON object per line on stdout: the orchestrator (scripts/demo.ts) reads them.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { isCancellation, onCancel, sleep } from "@corral/cancel-core";
import { drainHttpServer, runMain } from "@corral/graceful-shutdown";
import { shield } from "@corral/shield";
import { PersistentTaskGroup } from "@corral/taskgroup";
import { TimeoutError, withTimeout } from "@corral/timeout";

const say = (event: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};

/** A database pool whose connections must come back clean: a dirty one is never reused. */
class Pool {
  readonly size = 16;
  idle = this.size;
  dirty = 0;
  committed = 0;
  rolledBack = 0;
  #waiters: (() => void)[] = [];

  async acquire(signal: AbortSignal): Promise<{ open: boolean }> {
    while (this.idle === 0) {
      await new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          registration[Symbol.dispose]();
          resolve();
        };
        const registration = onCancel(signal, (reason) => {
          this.#waiters.splice(this.#waiters.indexOf(wake), 1);
          reject(reason);
        });
        this.#waiters.push(wake);
      });
    }
    this.idle--;
    return { open: false };
  }

  release(connection: { open: boolean }): void {
    // A transaction left open (cut in half) makes the connection unusable.
    if (connection.open) this.dirty++;
    else this.idle++;
    this.#waiters.shift()?.();
  }
}

const pool = new Pool();
let handled = 0;
let cancelledHandlers = 0;
let timeouts = 0;
let failures = 0;

async function transaction(signal: AbortSignal, order: number): Promise<void> {
  const connection = await pool.acquire(signal);
  try {
    connection.open = true; // BEGIN
    await sleep(5 + (order % 7), { signal }); // INSERT …: cancellable work
    await shield(
      async () => {
        await sleep(4); // COMMIT takes a round trip; a half-sent COMMIT is the bug we prevent
        connection.open = false;
        pool.committed++;
      },
      { signal },
    );
  } catch (error) {
    if (connection.open) {
      // The request was cancelled mid-transaction: roll back, shielded, then let the cancellation go on.
      await shield(async () => {
        await sleep(3);
        connection.open = false;
        pool.rolledBack++;
      });
    }
    throw error;
  } finally {
    pool.release(connection);
  }
}

const requests = new PersistentTaskGroup({
  name: "requests",
  onError: (error) => {
    failures++;
    say({ event: "error", message: String(error) });
  },
});

const server = createServer((request, response) => {
  const order = Number(new URL(request.url ?? "/", "http://x").searchParams.get("id") ?? 0);
  const task = requests.spawn(
    async (signal) => {
      try {
        // The inventory service is slow now and then: bounded to 120 ms, the work stops too.
        const stock = await withTimeout(120, async (inner) => {
          await sleep(order % 23 === 0 ? 400 : 3 + (order % 11), { signal: inner });
          return 42;
        }, { signal });
        await transaction(signal, order);
        handled++;
        response.end(JSON.stringify({ order, stock }));
      } catch (error) {
        if (error instanceof TimeoutError) {
          timeouts++;
          response.statusCode = 504;
          response.end(JSON.stringify({ order, error: "inventory timed out" }));
          return;
        }
        if (isCancellation(error)) cancelledHandlers++;
        throw error;
      }
    },
    { name: `order ${order}` },
  );
  // The client hung up before its answer: cancel that request's work, and only that.
  response.on("close", () => {
    if (!response.writableFinished) task.cancel("client hung up");
  });
});

runMain(
  async (signal) => {
    server.listen({ host: "127.0.0.1", port: 0 });
    await once(server, "listening");
    say({ event: "ready", port: (server.address() as AddressInfo).port });
    await new Promise((resolve) => onCancel(signal, resolve));
    say({ event: "draining", inFlight: requests.size });
    await drainHttpServer(server, { timeout: 5_000 });
    await requests[Symbol.asyncDispose]();
    say({
      event: "stopped",
      handled,
      timeouts,
      cancelledHandlers,
      failures,
      committed: pool.committed,
      rolledBack: pool.rolledBack,
      idle: pool.idle,
      dirty: pool.dirty,
      poolSize: pool.size,
    });
  },
  { timeout: 8_000 },
);

// Bound an HTTP request with withTimeout: the signal reaches fetch, so the request itself is
// aborted (socket closed), not just the wait for it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { isCancelledError, isTimeoutError } from "@corral/cancel-core";
import { withTimeout } from "@corral/timeout";

// A local server with a fast route and a route that answers after 5 s.
const server = createServer((request, response) => {
  if (request.url === "/fast") {
    response.end("fast answer");
    return;
  }
  const timer = setTimeout(() => response.end("slow answer"), 5_000);
  response.on("close", () => clearTimeout(timer)); // the client hung up
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function get(path: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(`${base}${path}`, { signal });
  return await response.text();
}

try {
  const body = await withTimeout(500, (signal) => get("/fast", signal));
  console.log(`fast: ${body}`);
  if (body !== "fast answer") throw new Error("expected the fast answer");

  const started = performance.now();
  try {
    await withTimeout(100, (signal) => get("/slow", signal));
    throw new Error("the slow request should have timed out");
  } catch (error) {
    if (!isTimeoutError(error)) throw error;
    const elapsed = performance.now() - started;
    console.log(`slow: ${error.name} after ~100 ms (cause: ${isCancelledError(error.cause) ? "CancelledError" : "?"})`);
    if (elapsed > 2_000) throw new Error(`gave up too late: ${elapsed} ms`);
  }
} finally {
  server.closeAllConnections();
  server.close();
}

// The Kubernetes way to stop a pod without a failed request. When a pod is deleted, Kubernetes
// sends SIGTERM and removes the pod from the Service's endpoints *at the same time*; load
// balancers and kube-proxy learn about it a few seconds later. So on SIGTERM:
//   1. report "not ready" (readiness probe → 503), so traffic is routed elsewhere;
//   2. keep serving for `drainDelay` ms while the endpoint removal propagates (answers carry
//      `Connection: close`, which moves keep-alive clients off this pod);
//   3. then stop listening and drain what is in flight.
// Keep drainDelay + timeout below the pod's terminationGracePeriodSeconds (default 30 s), and
// runMain's own timeout above them. The delay is 500 ms here to keep the example quick; 5–10 s
// is typical in a cluster.
import { once } from "node:events";
import { createServer, get } from "node:http";
import type { AddressInfo } from "node:net";
import { drainHttpServer, runMain } from "@corral/graceful-shutdown";

function probe(port: number, path: string): Promise<string> {
  return new Promise((resolve) => {
    get({ host: "127.0.0.1", port, path }, (res) => {
      res.resume();
      res.on("end", () => resolve(`${res.statusCode} (Connection: ${res.headers.connection})`));
    }).on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

runMain(
  async (signal) => {
    const stopped = once(signal, "abort");
    const server = createServer((req, res) => {
      if (req.url === "/ready") {
        // Readiness is just the shutdown signal: not ready from the first stop signal on.
        res.statusCode = signal.aborted ? 503 : 200;
        res.end();
        return;
      }
      res.end("hello");
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    console.log(`ready before the stop: ${await probe(port, "/ready")}`);

    process.kill(process.pid, "SIGTERM");
    await stopped;
    const drained = drainHttpServer(server, { drainDelay: 500, timeout: 10_000 });

    const readiness = await probe(port, "/ready");
    const request = await probe(port, "/");
    console.log(`ready during drainDelay: ${readiness}`);
    console.log(`request during drainDelay: ${request}`);
    if (!readiness.startsWith("503") || !request.startsWith("200")) throw new Error("the pod should still serve, but not be ready");

    await drained;
    const after = await probe(port, "/");
    console.log(`request after the drain: ${after}`);
    if (after !== "ECONNREFUSED") throw new Error("the listener should be closed");
  },
  { timeout: 20_000 },
);

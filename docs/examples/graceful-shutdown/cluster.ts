// runCluster: the primary forks the workers (they run this same file), forwards the first stop
// signal to each, waits for them up to the grace period, SIGKILLs stragglers and exits with the
// stop code (143 here). For the example, the primary sends itself SIGTERM once every worker
// listens — in production, that is `kill -TERM <primary pid>` or your orchestrator.
import cluster from "node:cluster";
import { once } from "node:events";
import { createServer } from "node:http";
import { drainHttpServer } from "@corral/graceful-shutdown";
import { runCluster } from "@corral/graceful-shutdown/cluster";

const workers = 2;

runCluster(
  async (signal, worker) => {
    const stopped = once(signal, "abort");
    // All workers share the port: node:cluster hands connections out round-robin.
    const server = createServer((_req, res) => res.end(`hello from worker ${worker.index}`));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    console.log(`worker ${worker.index} listening`);

    await stopped;
    console.log(`worker ${worker.index} stopping (${(signal.reason as Error).message})`);
    await drainHttpServer(server, { timeout: 3_000 });
    console.log(`worker ${worker.index} drained`);
  },
  { workers, timeout: 5_000 },
);

if (cluster.isPrimary) {
  let listening = 0;
  cluster.on("listening", () => {
    if (++listening === workers) process.kill(process.pid, "SIGTERM");
  });
}

import { checkDuration, checkFunction } from "@corral/cancel-core";
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import type { ShutdownOptions } from "./graceful-shutdown.js";
import { indexVariable, runningMessage, runPrimary } from "./internal/cluster-primary.js";
import { runUnder } from "./internal/run-under.js";
import { checkShutdownOptions, ShutdownController } from "./internal/shutdown-controller.js";
import { checkBoolean, checkCount } from "./internal/validate.js";

/** How long after its first stop signal a worker takes a repeat for a copy of the first (ms). */
const repeatWindow = 100;

/** Options of {@link runCluster}. */
export interface ClusterOptions extends ShutdownOptions {
  /** How many worker processes to fork. Default `os.availableParallelism()`. */
  workers?: number;
  /**
   * Replace a worker that dies after start-up (same `index`) instead of stopping the cluster.
   * A worker that dies during start-up always stops the cluster. Default `false`.
   */
  restartOnCrash?: boolean;
  /**
   * A worker's start-up ends when it starts listening, or this many ms after its `main` started,
   * whichever comes first. Default `1_000`.
   */
  startupTimeout?: number;
}

/**
 * Run `main` in `workers` processes of a `node:cluster`, with the stop-signal handling of
 * `runMain` (from `@corral/graceful-shutdown`) in each worker and an orderly shutdown of them
 * all from the primary.
 *
 * In the primary it never calls `main`: it forks the workers (running the same entry script),
 * forwards the first stop signal to each, waits for them up to the grace period (`timeout`,
 * default 10 s), SIGKILLs the stragglers and exits with 128 + signo. A second stop signal
 * SIGKILLs every worker and exits at once. A worker that dies during start-up (before it
 * listens, or within `startupTimeout` of its `main` starting) makes the primary stop the others
 * in order (SIGTERM) and exit 1 — as aiotools' `start_server` does; a worker that dies later
 * does the same, or is replaced when `restartOnCrash` is set. When every worker has exited by
 * itself with code 0, the primary exits 0.
 *
 * In a worker it behaves as `runMain(main)`, with `worker.index` from 0 to `workers - 1` (a
 * replacement keeps the index of the worker it replaces): the first stop signal aborts `signal`,
 * a second one exits the worker at once. One exception: a terminal's Ctrl-C reaches a worker
 * twice, directly (it is in the terminal's process group) and forwarded by the primary, so a
 * repeat that arrives within 100 ms of the first is taken for that copy and ignored.
 *
 * What it does not do: it does not restart workers that exit with code 0, does not limit how
 * often a worker is replaced, and shares listening sockets the way `node:cluster` does
 * (round-robin on Linux).
 *
 * @example
 * ```ts
 * import { once } from "node:events";
 * import { createServer } from "node:http";
 * import { drainHttpServer } from "@corral/graceful-shutdown";
 * import { runCluster } from "@corral/graceful-shutdown/cluster";
 *
 * runCluster(async (signal, worker) => {
 *   const server = createServer((req, res) => res.end(`worker ${worker.index}`)).listen(8080);
 *   await once(signal, "abort");
 *   await drainHttpServer(server, { timeout: 5_000 });
 * }, { workers: 4, timeout: 8_000 });
 * ```
 *
 * @throws {TypeError} when `main` is not a function, `options` is present but not an object,
 *   `options.signals` holds a name that is not a catchable signal, `restartOnCrash` is not a
 *   boolean, or a number option is not a number.
 * @throws {RangeError} when `timeout` or `startupTimeout` is negative or NaN, or `workers` is
 *   not a whole number ≥ 1.
 */
export function runCluster(main: (signal: AbortSignal, worker: { index: number }) => unknown, options?: ClusterOptions): void {
  checkFunction(main, "main");
  const checked = checkShutdownOptions(options);
  const workers = checkCount(options?.workers ?? availableParallelism(), "options.workers");
  const restartOnCrash = checkBoolean(options?.restartOnCrash, "options.restartOnCrash") ?? false;
  const startupTimeout = checkDuration(options?.startupTimeout ?? 1_000, "options.startupTimeout");
  if (cluster.isPrimary) {
    runPrimary({ ...checked, workers, restartOnCrash, startupTimeout });
    return;
  }
  const index = Number(process.env[indexVariable] ?? (cluster.worker ? cluster.worker.id - 1 : 0));
  // A terminal's Ctrl-C reaches a worker twice: directly (same process group) and forwarded by
  // the primary a moment later. A repeat within that window is the same Ctrl-C; a later one
  // exits at once, as under runMain.
  const controller = new ShutdownController(checked, { ignoreRepeatWithin: repeatWindow });
  process.send?.(runningMessage);
  runUnder(controller, () => main(controller.signal, { index }));
}

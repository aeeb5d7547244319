import cluster, { type Worker } from "node:cluster";
import { report } from "./report.js";
import { exitCodeFor, listenForSignals } from "./signals.js";

/** The message a worker sends its primary when its `main` starts. */
export const runningMessage = "@corral/graceful-shutdown:running";
/** The environment variable that tells a worker its index. */
export const indexVariable = "CORRAL_WORKER_INDEX";

export interface PrimaryOptions {
  signals: NodeJS.Signals[];
  timeout: number;
  workers: number;
  restartOnCrash: boolean;
  startupTimeout: number;
}

interface Slot {
  readonly index: number;
  started: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The primary of `runCluster` (aiotools' `start_server`): fork the workers, forward the first
 * stop signal to each, wait for them up to the grace period, SIGKILL the stragglers, exit with
 * the stop code. A worker that dies during start-up (before it listens, or within
 * `startupTimeout` of its `main` starting) stops the others in order and the primary exits 1.
 */
export function runPrimary(options: PrimaryOptions): void {
  const slots = new Map<Worker, Slot>();
  // The signal sent to the other workers when one of them crashed.
  const crashSignal: NodeJS.Signals = options.signals.includes("SIGTERM") ? "SIGTERM" : (options.signals[0] ?? "SIGTERM");
  let exitCode: number | undefined;
  let killTimer: ReturnType<typeof setTimeout> | undefined;

  const removeSignalListeners = listenForSignals(options.signals, (signal) => {
    if (exitCode === undefined) {
      stop(signal, exitCodeFor(signal));
      return;
    }
    const code = exitCodeFor(signal);
    report(`${signal} received again during shutdown: killing ${slots.size} worker(s) and exiting now with code ${code}`);
    for (const worker of slots.keys()) worker.process.kill("SIGKILL");
    process.exit(code);
  });

  const markStarted = (worker: Worker): void => {
    const slot = slots.get(worker);
    if (!slot || slot.started) return;
    slot.started = true;
    if (slot.timer !== undefined) clearTimeout(slot.timer);
    slot.timer = undefined;
  };

  const fork = (index: number): void => {
    const worker = cluster.fork({ [indexVariable]: String(index) });
    slots.set(worker, { index, started: false, timer: undefined });
  };

  const stop = (signal: NodeJS.Signals, code: number): void => {
    exitCode = code;
    for (const worker of slots.keys()) worker.process.kill(signal);
    if (slots.size === 0) {
      finish();
      return;
    }
    if (options.timeout !== Number.POSITIVE_INFINITY) {
      killTimer = setTimeout(() => {
        killTimer = undefined;
        for (const [worker, slot] of slots) {
          report(`worker ${slot.index} did not stop within the grace period (${options.timeout} ms): killing it`);
          worker.process.kill("SIGKILL");
        }
      }, options.timeout);
    }
  };

  const finish = (): void => {
    if (killTimer !== undefined) clearTimeout(killTimer);
    removeSignalListeners();
    process.exit(exitCode ?? 0);
  };

  cluster.on("listening", markStarted);
  cluster.on("message", (worker, message) => {
    const slot = slots.get(worker);
    if (message !== runningMessage || !slot || slot.started || slot.timer !== undefined) return;
    if (options.startupTimeout === Number.POSITIVE_INFINITY) return;
    slot.timer = setTimeout(() => markStarted(worker), options.startupTimeout);
  });
  cluster.on("exit", (worker, code, signal) => {
    const slot = slots.get(worker);
    if (!slot) return;
    slots.delete(worker);
    if (slot.timer !== undefined) clearTimeout(slot.timer);
    if (exitCode !== undefined) {
      if (slots.size === 0) finish();
      return;
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (code === 0 && !signal) {
      if (slots.size === 0) finish();
      return;
    }
    if (slot.started && options.restartOnCrash) {
      report(`worker ${slot.index} ${how}: starting a replacement`);
      fork(slot.index);
      return;
    }
    report(`worker ${slot.index} ${how}${slot.started ? "" : " during start-up"}: stopping the other workers`);
    stop(crashSignal, 1);
  });

  for (let index = 0; index < options.workers; index++) fork(index);
}

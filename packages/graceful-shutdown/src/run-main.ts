import { checkFunction } from "@corral/cancel-core";
import type { ShutdownOptions } from "./graceful-shutdown.js";
import { runUnder } from "./internal/run-under.js";
import { checkShutdownOptions, ShutdownController } from "./internal/shutdown-controller.js";

/**
 * Run a program's `main` with a shutdown signal, and end the process with the right exit code.
 *
 * `main` starts on a later microtask and receives a signal that aborts on the first stop signal
 * (default SIGINT and SIGTERM; its reason is a `CancelledError` whose `reason` is the signal's
 * name). The process then exits:
 * - `0` when `main` fulfils without a stop signal;
 * - `1` when `main` throws or rejects (the error is printed once, on stderr) — also during
 *   shutdown, since an error beats a cancellation;
 * - `128 + signo` (130 for SIGINT, 143 for SIGTERM) once `main` has settled after a stop
 *   signal (a rejection with a cancellation counts as settled), or when the grace period
 *   (`timeout`, default 10 s) plus a 100 ms margin ends first;
 * - at once, with 128 + signo, on a second stop signal during shutdown.
 *
 * The process stays alive while `main` runs, even if `main` only waits for its signal. Do the
 * cleanup in `main` itself after the signal (drain servers, close pools), and give the drains
 * a timeout shorter than the grace period.
 *
 * `runMain` bounds the process: when the grace period ends, `main` gets 100 ms more to settle
 * (so a drain given the same timeout still decides the exit code), then the process exits with
 * the stop code even if `main` — or the hooks of a {@link gracefulShutdown} of your own — is
 * still running. That exit is the one place where work ends without being awaited.
 *
 * What it does not stop: work that ignores the signal is cut short by `process.exit` when the
 * grace period ends; `runMain` calls `process.exit`, so use {@link gracefulShutdown} instead in
 * code that does not own the process (libraries, tests).
 *
 * @example
 * ```ts
 * import { once } from "node:events";
 * import { createServer } from "node:http";
 * import { drainHttpServer, runMain } from "@corral/graceful-shutdown";
 *
 * runMain(async (signal) => {
 *   const server = createServer((req, res) => res.end("hello")).listen(8080);
 *   await once(signal, "abort");
 *   await drainHttpServer(server, { timeout: 5_000 });
 * }, { timeout: 8_000 });
 * ```
 *
 * @throws {TypeError} when `main` is not a function, `options` is present but not an object,
 *   `options.signals` holds a name that is not a catchable signal, or `options.timeout` is not
 *   a number.
 * @throws {RangeError} when `options.timeout` is negative or NaN.
 */
export function runMain(main: (signal: AbortSignal) => unknown, options?: ShutdownOptions): void {
  checkFunction(main, "main");
  const controller = new ShutdownController(checkShutdownOptions(options));
  runUnder(controller, () => main(controller.signal));
}

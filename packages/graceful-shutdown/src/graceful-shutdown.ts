import { checkShutdownOptions, ShutdownController } from "./internal/shutdown-controller.js";

/** Options of {@link gracefulShutdown}, {@link runMain} and `runCluster`. */
export interface ShutdownOptions {
  /** The stop signals to listen for. Default `["SIGINT", "SIGTERM"]`; `[]` listens for none. */
  signals?: NodeJS.Signals[];
  /**
   * The grace period in ms, counted from the start of the shutdown. When it ends, the signal the
   * shutdown hooks got aborts (and `runMain` / a `runCluster` worker exits soon after). Default
   * `10_000`; `Infinity` means no limit.
   */
  timeout?: number;
}

/**
 * A handle on the process's shutdown: its signal, its hooks and the process listeners it installed.
 * Created by {@link gracefulShutdown}.
 */
export interface Shutdown extends AsyncDisposable {
  /**
   * Aborts when shutdown begins: on the first stop signal (the reason is a `CancelledError`
   * whose `reason` is the signal's name, e.g. `"SIGTERM"`) or on `shutdown(reason)` (a
   * `CancelledError` whose `reason` is `reason`). Hand it to long-running work and to
   * readiness checks (`signal.aborted` → "not ready").
   */
  readonly signal: AbortSignal;
  /**
   * Register cleanup to run when shutdown begins. Hooks run strictly one after another,
   * last-registered-first, and each is awaited to completion — also past the grace period, so
   * nothing a hook started is left running. Each gets a signal that aborts when the grace period
   * ends; a hook that starts after that gets it already aborted, and should finish quickly. A
   * hook that throws is reported on stderr and the next one still runs; a hook still running
   * after the grace period is reported on stderr, and still awaited. Dispose the result to
   * unregister the hook (before it runs).
   *
   * @throws {TypeError} when `hook` is not a function.
   * @throws {Error} when the hooks of this shutdown have already run, or it was disposed.
   */
  onShutdown(hook: (signal: AbortSignal) => unknown): Disposable;
  /**
   * Begin shutdown without a signal: `signal` aborts with a `CancelledError` carrying `reason`,
   * then the hooks run. Resolves once every hook has settled (never rejects); calling it again
   * returns the same promise. A stop signal that arrives afterwards is only noted — the
   * shutdown is already under way — and the one after it exits at once. After
   * `[Symbol.asyncDispose]()` it runs no hook and resolves at once.
   */
  shutdown(reason?: unknown): Promise<void>;
  /**
   * Remove every process listener this handle installed (after waiting for a shutdown under
   * way). Hooks that have not run do not run: a later `shutdown()` only aborts `signal`.
   */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Turn the process's stop signals into an `AbortSignal` and an ordered list of cleanup hooks.
 *
 * On the first stop signal (default SIGINT and SIGTERM), `shutdown.signal` aborts and the hooks
 * run one after another, last-registered-first, each awaited to completion, each with a signal
 * that aborts when the grace period (`timeout`, default 10 s) ends. A second stop signal (one
 * arriving after a stop signal was already received) exits the process at once with 128 + the
 * signal's number (130 for SIGINT, 143 for SIGTERM); a stop signal after `shutdown(reason)` is
 * only noted, since the shutdown is already under way. Once the hooks are done, every process
 * listener it installed is removed, so the process ends when its event loop empties.
 *
 * Use it when you own the process's lifecycle yourself; {@link runMain} wraps it for the common
 * "run this function until a stop signal" program and chooses the exit code.
 *
 * What it does not do: it never calls `process.exit` (except on a second stop signal) and never
 * sets `process.exitCode`; it does not stop work that ignores `signal`. The grace period only
 * aborts the hooks' signal: a hook that ignores it is still awaited, so `shutdown()` resolves
 * late (or never) — bound the process with {@link runMain} or your supervisor's kill timeout.
 * Listeners are installed when you call it, never on import.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { drainHttpServer, gracefulShutdown } from "@corral/graceful-shutdown";
 *
 * const shutdown = gracefulShutdown({ timeout: 5_000 });
 * const server = createServer((req, res) => res.end("hello")).listen(8080);
 * shutdown.onShutdown((grace) => drainHttpServer(server, { signal: grace }));
 * shutdown.signal.addEventListener("abort", () => console.log("stopping:", shutdown.signal.reason.message));
 * ```
 *
 * @throws {TypeError} when `options` is present but not an object, `options.signals` holds a
 *   name that is not a catchable signal on this platform (or is not an array), or
 *   `options.timeout` is not a number.
 * @throws {RangeError} when `options.timeout` is negative or NaN.
 */
export function gracefulShutdown(options?: ShutdownOptions): Shutdown {
  return new ShutdownController(checkShutdownOptions(options));
}

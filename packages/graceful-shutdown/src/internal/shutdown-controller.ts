import { CancelScope, onCancel } from "@corral/cancel-core";
import type { Shutdown, ShutdownOptions } from "../graceful-shutdown.js";
import { report } from "./report.js";
import { exitCodeFor, listenForSignals } from "./signals.js";
import { checkDuration, checkFunction, checkOptions, checkSignalNames } from "./validate.js";

export const defaultSignals: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
export const defaultTimeout = 10_000;

/** How the controller treats a stop signal that arrives while shutdown is under way. */
export interface ControllerBehaviour {
  /** Default: write a line to stderr and exit at once with 128 + signo. */
  onRepeatSignal?: (signal: NodeJS.Signals) => void;
}

interface HookEntry {
  readonly hook: (signal: AbortSignal) => unknown;
}

export interface CheckedShutdownOptions {
  signals: NodeJS.Signals[];
  timeout: number;
}

export function checkShutdownOptions(options: ShutdownOptions | undefined, name = "options"): CheckedShutdownOptions {
  checkOptions(options, name);
  return {
    signals: checkSignalNames(options?.signals ?? defaultSignals, `${name}.signals`),
    timeout: checkDuration(options?.timeout ?? defaultTimeout, `${name}.timeout`),
  };
}

/**
 * The object behind `gracefulShutdown()`, `runMain()` and cluster workers. Public surface is
 * {@link Shutdown}; `stopSignal` and the repeat behaviour are for this package's own runners.
 */
export class ShutdownController implements Shutdown {
  readonly #scope = new CancelScope({ name: "shutdown" });
  readonly #hooks: HookEntry[] = [];
  readonly #timeout: number;
  readonly #onRepeatSignal: (signal: NodeJS.Signals) => void;
  #removeListeners: (() => void) | undefined;
  #shutdown: Promise<void> | undefined;
  #hooksDone = false;
  /** The stop signal that began the shutdown, if one did. */
  stopSignal: NodeJS.Signals | undefined;

  constructor(options: CheckedShutdownOptions, behaviour: ControllerBehaviour = {}) {
    this.#timeout = options.timeout;
    this.#onRepeatSignal = behaviour.onRepeatSignal ?? exitNow;
    this.#removeListeners = listenForSignals(options.signals, (signal) => this.#onSignal(signal));
  }

  get signal(): AbortSignal {
    return this.#scope.signal;
  }

  /** The grace period in ms. */
  get timeout(): number {
    return this.#timeout;
  }

  onShutdown(hook: (signal: AbortSignal) => unknown): Disposable {
    checkFunction(hook, "hook");
    if (this.#hooksDone) throw new Error("onShutdown(): this shutdown has already run its hooks");
    const entry: HookEntry = { hook };
    this.#hooks.push(entry);
    return {
      [Symbol.dispose]: () => {
        const index = this.#hooks.lastIndexOf(entry);
        if (index !== -1) this.#hooks.splice(index, 1);
      },
    };
  }

  shutdown(reason?: unknown): Promise<void> {
    if (!this.#shutdown) {
      // Claim the shutdown before aborting: abort listeners run synchronously and may call
      // shutdown() themselves.
      this.#shutdown = this.#runHooks();
      this.#scope.cancel(reason);
    }
    return this.#shutdown;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#shutdown) await this.#shutdown;
    this.#uninstall();
  }

  #onSignal(signal: NodeJS.Signals): void {
    if (this.#shutdown) {
      this.#onRepeatSignal(signal);
      return;
    }
    this.stopSignal = signal;
    // The reason names the signal: `signal.reason` is a CancelledError whose `reason` is "SIGTERM".
    void this.shutdown(signal);
  }

  async #runHooks(): Promise<void> {
    // The grace period starts when the shutdown does, not when the first hook gets to run.
    const grace = new CancelScope({ timeout: this.#timeout, name: "shutdown grace period" });
    try {
      // Hooks never start synchronously inside shutdown(): the caller's abort listeners run first.
      await Promise.resolve();
      for (let entry = this.#hooks.pop(); entry; entry = this.#hooks.pop()) await this.#runHook(entry.hook, grace);
    } finally {
      this.#hooksDone = true;
      grace[Symbol.dispose]();
      this.#uninstall();
    }
  }

  async #runHook(hook: (signal: AbortSignal) => unknown, grace: CancelScope): Promise<void> {
    try {
      const result = hook(grace.signal);
      // Past the grace period a hook that still runs is no longer waited for; the next one starts.
      if (isPromiseLike(result)) await settleWithin(result, grace.signal);
    } catch (error) {
      if (grace.owns(error)) report(`a shutdown hook did not finish within the grace period (${this.#timeout} ms)`);
      else report("a shutdown hook failed:", error);
    }
  }

  #uninstall(): void {
    this.#removeListeners?.();
    this.#removeListeners = undefined;
  }
}

/**
 * Settle like `promise`, or reject with `signal.reason` once `signal` has aborted — one turn of
 * the event loop later, so a hook that stops as soon as its signal aborts counts as finished.
 * The late outcome of an abandoned promise is handled silently.
 */
function settleWithin(promise: PromiseLike<unknown>, signal: AbortSignal): Promise<unknown> {
  const settled = Promise.resolve(promise);
  return new Promise((resolve, reject) => {
    let immediate: ReturnType<typeof setImmediate> | undefined;
    const registration = onCancel(signal, (reason) => {
      immediate = globalThis.setImmediate(() => {
        settled.then(undefined, () => {});
        reject(reason);
      });
    });
    const done = (): void => {
      registration[Symbol.dispose]();
      if (immediate !== undefined) globalThis.clearImmediate(immediate);
    };
    settled.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as PromiseLike<unknown>).then === "function";
}

function exitNow(signal: NodeJS.Signals): never {
  const code = exitCodeFor(signal);
  report(`${signal} received again during shutdown: exiting now with code ${code}`);
  process.exit(code);
}

import { CancelScope, checkDuration, checkFunction, checkOptions, now, onCancel } from "@corral/cancel-core";
import type { Shutdown, ShutdownOptions } from "../graceful-shutdown.js";
import { report } from "./report.js";
import { exitCodeFor, listenForSignals } from "./signals.js";
import { checkSignalNames } from "./validate.js";

export const defaultSignals: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
export const defaultTimeout = 10_000;

/** How the controller treats a stop signal that repeats one it already received. */
export interface ControllerBehaviour {
  /**
   * A repeat that arrives within this many ms of the first stop signal is taken for a copy of it
   * and ignored (a cluster worker gets a terminal's Ctrl-C directly and again from its primary).
   * A later repeat exits at once. Default `0`: every repeat exits at once.
   */
  ignoreRepeatWithin?: number;
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
  readonly #ignoreRepeatWithin: number;
  #removeListeners: (() => void) | undefined;
  #shutdown: Promise<void> | undefined;
  /** Set once the hooks have run, or will never run (disposed): no hook is accepted any more. */
  #closed = false;
  /** When the first stop signal arrived (on the clock of `now()`), whether or not it began the shutdown. */
  #firstSignalAt: number | undefined;
  /** The stop signal that began the shutdown, if one did. */
  stopSignal: NodeJS.Signals | undefined;

  constructor(options: CheckedShutdownOptions, behaviour: ControllerBehaviour = {}) {
    this.#timeout = options.timeout;
    this.#ignoreRepeatWithin = behaviour.ignoreRepeatWithin ?? 0;
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
    if (this.#closed) throw new Error("onShutdown(): this shutdown has already run its hooks, or was disposed");
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
      // shutdown() themselves. After disposal there is nothing left to run.
      this.#shutdown = this.#closed ? Promise.resolve() : this.#runHooks();
      this.#scope.cancel(reason);
    }
    return this.#shutdown;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#shutdown) await this.#shutdown;
    // Hooks that have not run never will.
    this.#closed = true;
    this.#hooks.length = 0;
    this.#uninstall();
  }

  #onSignal(signal: NodeJS.Signals): void {
    if (this.#firstSignalAt !== undefined) {
      // A stop signal was received before: this one means "stop now" — unless it is the copy
      // of the first that a cluster worker gets a moment later.
      if (now() - this.#firstSignalAt < this.#ignoreRepeatWithin) return;
      exitNow(signal);
      return;
    }
    this.#firstSignalAt = now();
    // A shutdown begun with shutdown(reason) is already under way: the signal is only noted,
    // so that the next one exits at once.
    if (this.#shutdown) return;
    this.stopSignal = signal;
    // The reason names the signal: `signal.reason` is a CancelledError whose `reason` is "SIGTERM".
    void this.shutdown(signal);
  }

  async #runHooks(): Promise<void> {
    // The grace period starts when the shutdown does, not when the first hook gets to run.
    // When it ends, the signal every hook got aborts; a hook that starts later gets it aborted.
    const grace = new CancelScope({ timeout: this.#timeout, name: "shutdown grace period" });
    try {
      // Hooks never start synchronously inside shutdown(): the caller's abort listeners run first.
      await Promise.resolve();
      for (let entry = this.#hooks.pop(); entry; entry = this.#hooks.pop()) await this.#runHook(entry.hook, grace);
    } finally {
      this.#closed = true;
      grace[Symbol.dispose]();
      this.#uninstall();
    }
  }

  /** Run one hook to completion, however long it takes: nothing it started is left running. */
  async #runHook(hook: (signal: AbortSignal) => unknown, grace: CancelScope): Promise<void> {
    let overdue: Disposable | undefined;
    let immediate: ReturnType<typeof setImmediate> | undefined;
    try {
      const result = hook(grace.signal);
      if (isPromiseLike(result)) {
        // A hook that stops within one turn of the event loop after its signal aborts finished
        // in time; one still running then is reported, and still awaited.
        overdue = onCancel(grace.signal, () => {
          immediate = globalThis.setImmediate(() => {
            immediate = undefined;
            report(`a shutdown hook is still running after the grace period (${this.#timeout} ms) ended: waiting for it`);
          });
        });
        await result;
      }
    } catch (error) {
      if (grace.owns(error)) report(`a shutdown hook did not finish within the grace period (${this.#timeout} ms)`);
      else report("a shutdown hook failed:", error);
    } finally {
      overdue?.[Symbol.dispose]();
      if (immediate !== undefined) globalThis.clearImmediate(immediate);
    }
  }

  #uninstall(): void {
    this.#removeListeners?.();
    this.#removeListeners = undefined;
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as PromiseLike<unknown>).then === "function";
}

function exitNow(signal: NodeJS.Signals): void {
  const code = exitCodeFor(signal);
  report(`${signal} received again during shutdown: exiting now with code ${code}`);
  process.exit(code);
}

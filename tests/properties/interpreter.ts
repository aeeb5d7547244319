/**
 * Runs a {@link Schedule} under fake timers and records what happened: every primitive call (a
 * "frame"), every piece of work a primitive started, every leaf, every error thrown by user work
 * and where it was observed, and a timestamped event log. The invariants are checked on this
 * record afterwards (invariants.ts); the interpreter itself asserts nothing.
 */
import { getEventListeners } from "node:events";
import { CancelScope, sleep } from "@corral/cancel-core";
import { shield } from "@corral/shield";
import { staggeredRace } from "@corral/staggered";
import { PersistentTaskGroup, taskGroup } from "@corral/taskgroup";
import { moveOnAfter, withTimeout } from "@corral/timeout";
import { vi } from "vitest";
import type { Child, OutsideReason, Schedule, Work } from "./schedule.js";

/** Everything the interpreter calls. The mutation tests swap parts for deliberately broken versions. */
export interface Api {
  sleep: typeof sleep;
  CancelScope: typeof CancelScope;
  taskGroup: typeof taskGroup;
  PersistentTaskGroup: typeof PersistentTaskGroup;
  withTimeout: typeof withTimeout;
  moveOnAfter: typeof moveOnAfter;
  shield: typeof shield;
  staggeredRace: typeof staggeredRace;
}

export const corral: Api = { sleep, CancelScope, taskGroup, PersistentTaskGroup, withTimeout, moveOnAfter, shield, staggeredRace };

/** The error every failing piece of user work throws: a fresh object, so it can be followed by identity. */
export class UserError extends Error {
  override readonly name = "UserError";
  constructor(readonly id: number) {
    super(`E${id}`);
  }
}

export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** One call of a primitive (or the outside caller, the root frame). */
export interface Frame {
  id: number;
  kind: Work["kind"] | "caller";
  /** The schedule node this frame runs (undefined for the caller). */
  work: Work | undefined;
  label: string;
  parent: Frame | undefined;
  /** The signal handed to the primitive as `options.signal`. */
  signal: AbortSignal;
  /** A plain signal bridged from the parent's: nothing may stay registered on it. */
  bridged: boolean;
  shieldedScope: boolean;
  abortedAtCall: boolean;
  /** Work the primitive started itself (body, children, fn, attempts), in start order. */
  works: WorkRun[];
  /** `signal.aborted` when the last of `works` settled. */
  abortedAtLastSettle: boolean;
  outcome: Outcome | undefined;
  /** `signal.aborted` when the primitive settled. */
  abortedAtSettle: boolean;
  /** Checks made when the frame (or its `shutdown()`) settled: what was still running then. */
  settleChecks: { what: string; running: string[] }[];
  listenersAtSettle: number;
  /** staggeredRace: errors of its attempts that the contract lets it drop (outside cancellation). */
  dropped: unknown[];
}

export interface WorkRun {
  frame: Frame;
  label: string;
  signal: AbortSignal | undefined;
  outcome: Outcome | undefined;
  /** `frame.signal.aborted` at the moment this work settled. */
  parentAborted: boolean;
}

export interface LeafRun {
  id: number;
  frame: Frame;
  signal: AbortSignal;
  outcome: Outcome | undefined;
}

interface Activity {
  label: string;
  frame: Frame;
}

export interface Observation {
  error: unknown;
  via: string;
}

export interface RunRecord {
  schedule: Schedule;
  events: string[];
  frames: Frame[];
  leaves: LeafRun[];
  thrown: UserError[];
  observations: Observation[];
  /** Values passed to `onError`, to check that no cancellation is reported as a failure. */
  onErrorCalls: Observation[];
  unhandled: unknown[];
  outsideReason: unknown;
  outsideSignal: AbortSignal;
  caller: Frame;
  hung: string | undefined;
  outsideListeners: number;
  pendingTimers: number;
}

// Captured before any test installs fake timers: flushing microtasks must not depend on fake time.
const realSetImmediate = globalThis.setImmediate;
const flush = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

class Recorder {
  readonly events: string[] = [];
  readonly frames: Frame[] = [];
  readonly leaves: LeafRun[] = [];
  readonly thrown: UserError[] = [];
  readonly observations: Observation[] = [];
  readonly onErrorCalls: Observation[] = [];
  readonly live = new Set<Activity>();
  outsideReason: unknown = undefined;
  #ids = 0;
  readonly #start = performance.now();

  nextId(): number {
    return ++this.#ids;
  }

  log(text: string): void {
    this.events.push(`t=${performance.now() - this.#start} ${text}`);
  }

  describe(value: unknown): string {
    return describe(value, this.outsideReason);
  }

  start(frame: Frame, label: string): Activity {
    const activity = { label, frame };
    this.live.add(activity);
    return activity;
  }

  end(activity: Activity): void {
    this.live.delete(activity);
  }

  /** What is still running below `frame`. */
  runningBelow(frame: Frame): string[] {
    const running: string[] = [];
    for (const activity of this.live) {
      for (let at: Frame | undefined = activity.frame; at; at = at.parent) {
        if (at === frame) {
          running.push(`${activity.label} (in ${activity.frame.label})`);
          break;
        }
      }
    }
    return running;
  }

  userError(frame: Frame, label: string): UserError {
    const error = new UserError(this.nextId());
    this.thrown.push(error);
    this.log(`${label} in ${frame.label} throws E${error.id}`);
    return error;
  }

  observe(value: unknown, via: string): void {
    for (const error of leafErrors(value)) this.observations.push({ error, via });
  }

  frame(work: Work | undefined, parent: Frame | undefined, signal: AbortSignal, bridged: boolean): Frame {
    const id = this.nextId();
    const kind = work?.kind ?? "caller";
    const frame: Frame = {
      id,
      kind,
      work,
      label: `${kind}#${id}`,
      parent,
      signal,
      bridged,
      shieldedScope: false,
      abortedAtCall: signal.aborted,
      works: [],
      abortedAtLastSettle: signal.aborted,
      outcome: undefined,
      abortedAtSettle: false,
      settleChecks: [],
      listenersAtSettle: 0,
      dropped: [],
    };
    this.frames.push(frame);
    this.log(`${frame.label} starts${signal.aborted ? " (signal already aborted)" : ""}`);
    return frame;
  }

  /** Wrap work that `frame`'s primitive runs: record its start, outcome and what its parent signal looked like then. */
  track(frame: Frame, label: string, signal: AbortSignal | undefined, run: () => Promise<unknown>): Promise<unknown> {
    const record: WorkRun = { frame, label, signal, outcome: undefined, parentAborted: false };
    frame.works.push(record);
    const activity = this.start(frame, `${label} of ${frame.label}`);
    const settle = (outcome: Outcome): void => {
      record.outcome = outcome;
      record.parentAborted = frame.abortedAtLastSettle = frame.signal.aborted;
      this.end(activity);
    };
    return run().then(
      (value) => {
        settle({ ok: true, value });
        return value;
      },
      (error: unknown) => {
        settle({ ok: false, error });
        throw error;
      },
    );
  }

  /** Record how `frame`'s primitive settled, right when it settles. */
  settle<T>(frame: Frame, promise: Promise<T>, cleanup?: () => void): Promise<T> {
    const done = (outcome: Outcome): void => {
      frame.outcome = outcome;
      frame.abortedAtSettle = frame.signal.aborted;
      frame.settleChecks.push({ what: "settled", running: this.runningBelow(frame) });
      if (frame.bridged) frame.listenersAtSettle = getEventListeners(frame.signal, "abort").length;
      cleanup?.();
      this.log(`${frame.label} ${outcome.ok ? `fulfils ${this.describe(outcome.value)}` : `rejects ${this.describe(outcome.error)}`}`);
    };
    return promise.then(
      (value) => {
        done({ ok: true, value });
        return value;
      },
      (error: unknown) => {
        done({ ok: false, error });
        throw error;
      },
    );
  }
}

/** The errors inside a value, through `AggregateError`s (TaskGroupError, StaggeredRaceError) at any depth. */
export function leafErrors(value: unknown): unknown[] {
  if (value instanceof AggregateError) return value.errors.flatMap(leafErrors);
  return [value];
}

export function describe(value: unknown, outsideReason: unknown): string {
  if (value !== undefined && value === outsideReason) return "<outside reason>";
  if (value instanceof UserError) return value.message;
  if (value instanceof AggregateError) return `${value.name}[${value.errors.map((error) => describe(error, outsideReason)).join(", ")}]`;
  if (value instanceof Error) {
    const scope = (value as { scope?: { name?: string } }).scope;
    if (value.name === "CancelledError") return `CancelledError(${scope?.name ?? "?"})`;
    if (value.name === "TimeoutError") return `TimeoutError(cause: ${describe(value.cause, outsideReason)})`;
    return `${value.name}(${value.message})`;
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

/** A plain AbortSignal that follows `parent`, for checking that a primitive leaves nothing registered on it. */
function bridge(parent: AbortSignal): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const forward = (): void => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener("abort", forward, { once: true });
  return { signal: controller.signal, release: () => parent.removeEventListener("abort", forward) };
}

const shuttingDown = new WeakSet<Frame>();

interface Spawner {
  spawn(fn: (signal: AbortSignal) => Promise<unknown>): { cancel(reason?: unknown): void };
}

class Interpreter {
  constructor(
    readonly rec: Recorder,
    readonly api: Api,
  ) {}

  run(work: Work, signal: AbortSignal, parent: Frame): Promise<unknown> {
    switch (work.kind) {
      case "resolve":
      case "fail":
      case "ignore":
      case "failCleanup":
        return this.leaf(work, signal, parent);
      default:
        return this.composite(work, signal, parent);
    }
  }

  async leaf(work: Extract<Work, { kind: "resolve" | "fail" | "ignore" | "failCleanup" }>, signal: AbortSignal, frame: Frame): Promise<unknown> {
    const rec = this.rec;
    const id = rec.nextId();
    const record: LeafRun = { id, frame, signal, outcome: undefined };
    rec.leaves.push(record);
    const name = `leaf#${id}`;
    const activity = rec.start(frame, name);
    rec.log(`${name} (${work.kind}) starts in ${frame.label}`);
    try {
      if (work.kind === "ignore") await this.api.sleep(work.delay);
      else if (work.kind === "failCleanup") {
        try {
          await this.api.sleep(work.delay, { signal });
        } catch {
          await this.api.sleep(work.cleanup);
          throw rec.userError(frame, name);
        }
      } else {
        await this.api.sleep(work.delay, { signal });
        if (work.kind === "fail") throw rec.userError(frame, name);
      }
      record.outcome = { ok: true, value: name };
      return name;
    } catch (error) {
      record.outcome = { ok: false, error };
      throw error;
    } finally {
      rec.end(activity);
      rec.log(`${name} ends ${record.outcome?.ok ? "fulfilled" : `rejected ${rec.describe(record.outcome?.error)}`}`);
    }
  }

  composite(work: Exclude<Work, { kind: "resolve" | "fail" | "ignore" | "failCleanup" }>, parentSignal: AbortSignal, parent: Frame): Promise<unknown> {
    const rec = this.rec;
    const bridged = work.foreign ? bridge(parentSignal) : undefined;
    const signal = bridged?.signal ?? parentSignal;
    const frame = rec.frame(work, parent, signal, bridged !== undefined);
    const timers: ReturnType<typeof setTimeout>[] = [];
    const later = (ms: number, what: string, action: () => void): void => {
      timers.push(
        setTimeout(() => {
          rec.log(what);
          action();
        }, ms),
      );
    };
    const cleanup = (): void => {
      for (const timer of timers) clearTimeout(timer);
      bridged?.release();
    };
    return rec.settle(frame, this.start(work, signal, frame, later), cleanup);
  }

  start(
    work: Exclude<Work, { kind: "resolve" | "fail" | "ignore" | "failCleanup" }>,
    signal: AbortSignal,
    frame: Frame,
    later: (ms: number, what: string, action: () => void) => void,
  ): Promise<unknown> {
    const rec = this.rec;
    const body = (inner: Work) => (fnSignal: AbortSignal) => rec.track(frame, "fn", fnSignal, () => this.run(inner, fnSignal, frame));
    switch (work.kind) {
      case "scope": {
        const options = { signal, shield: work.shield, name: frame.label };
        const scope = new this.api.CancelScope(work.timeout === undefined ? options : { ...options, timeout: work.timeout });
        frame.shieldedScope = work.shield;
        if (work.cancelAfter !== undefined) later(work.cancelAfter, `${frame.label}: scope.cancel()`, () => scope.cancel());
        return scope.run(body(work.body));
      }
      case "timeout": {
        const run = work.mode === "withTimeout" ? this.api.withTimeout : this.api.moveOnAfter;
        return run(work.ms, body(work.body), { signal });
      }
      case "shield":
        return this.api.shield(body(work.body), work.timeout === undefined ? { signal } : { signal, timeout: work.timeout });
      case "staggered": {
        const attempts = work.attempts.map(
          (attempt, index) => (attemptSignal: AbortSignal) =>
            rec.track(frame, `attempt ${index}`, attemptSignal, () => this.run(attempt, attemptSignal, frame)),
        );
        const race = this.api.staggeredRace(attempts, { delay: work.delay, signal });
        return race.then(
          (result) => {
            for (const error of result.errors) if (error !== undefined) rec.observe(error, `result.errors of ${frame.label}`);
            return result.value;
          },
          (error: unknown) => {
            // API.md: an outside cancellation makes the race reject with its reason, dropping what the attempts threw.
            if (signal.aborted && error === signal.reason) {
              for (const run of frame.works) if (run.outcome && !run.outcome.ok) frame.dropped.push(...leafErrors(run.outcome.error));
            }
            throw error;
          },
        );
      }
      case "group":
        return this.api.taskGroup(
          (group) =>
            rec.track(frame, "body", group.signal, async () => {
              for (const child of work.children) this.spawn(group, child, frame, later);
              const action = work.body;
              if (action.kind === "return") return "body";
              await this.api.sleep(action.delay, { signal: group.signal });
              if (action.kind === "fail") throw rec.userError(frame, "body");
              if (action.kind === "cancel") {
                rec.log(`${frame.label}: group.cancel()`);
                group.cancel();
                group.signal.throwIfAborted();
              }
              return "body";
            }),
          { signal, name: frame.label },
        );
      case "persistent":
        return this.persistent(work, signal, frame, later);
    }
  }

  async persistent(
    work: Extract<Work, { kind: "persistent" }>,
    signal: AbortSignal,
    frame: Frame,
    later: (ms: number, what: string, action: () => void) => void,
  ): Promise<unknown> {
    const rec = this.rec;
    const { onErrorDelay } = work;
    const group = new this.api.PersistentTaskGroup({
      signal,
      name: frame.label,
      onError: (error) => {
        rec.onErrorCalls.push({ error, via: `onError of ${frame.label}` });
        rec.observe(error, `onError of ${frame.label}`);
        if (onErrorDelay === undefined) return;
        return rec.track(frame, "onError", undefined, () => this.api.sleep(onErrorDelay)).then(() => undefined);
      },
    });
    for (const child of work.children) this.spawn(group, child, frame, later);
    try {
      if (work.shutdownAfter !== undefined) {
        await this.api.sleep(work.shutdownAfter, { signal });
        rec.log(`${frame.label}: shutdown()`);
        shuttingDown.add(frame);
        await group.shutdown();
        frame.settleChecks.push({ what: "shutdown() resolved", running: rec.runningBelow(frame) });
      }
    } finally {
      await group[Symbol.asyncDispose]();
      frame.settleChecks.push({ what: "disposal resolved", running: rec.runningBelow(frame) });
    }
    // Well-behaved user code: the group is done, and the cancellation that stopped it goes on up.
    signal.throwIfAborted();
    return "persistent";
  }

  spawn(group: Spawner, child: Child, frame: Frame, later: (ms: number, what: string, action: () => void) => void): void {
    const rec = this.rec;
    if (child.kind === "task") {
      const task = group.spawn((signal) => rec.track(frame, "task", signal, () => this.run(child.work, signal, frame)));
      if (child.cancelAfter !== undefined) later(child.cancelAfter, `${frame.label}: task.cancel()`, () => task.cancel());
      return;
    }
    group.spawn((signal) =>
      rec.track(frame, "spawner", signal, async () => {
        await this.api.sleep(child.delay, { signal });
        rec.log(`a spawner in ${frame.label} spawns ${child.children.length} more`);
        try {
          for (const grandchild of child.children) this.spawn(group, grandchild, frame, later);
        } catch (error) {
          // API.md: a PersistentTaskGroup refuses new children once shutdown() was called. Its
          // timer can fire in the same tick as the spawner's, so a spawner may still try.
          if (!(frame.kind === "persistent" && shuttingDown.has(frame))) throw error;
          rec.log(`${frame.label} refuses to spawn: it is shutting down`);
        }
        return "spawned";
      }),
    );
  }
}

// What callers abort with in practice: nothing (an AbortError), AbortSignal.timeout()'s reason, a string, an Error.
const outsideReasons: Record<OutsideReason, () => unknown> = {
  default: () => undefined,
  timeout: () => new DOMException("The operation was aborted due to timeout", "TimeoutError"),
  string: () => "stopped from outside",
  error: () => new Error("stopped from outside"),
};

/** Run `schedule` to the end under fake timers and return everything that was recorded. */
export async function runSchedule(schedule: Schedule, api: Api = corral): Promise<RunRecord> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on("unhandledRejection", onUnhandled);
  vi.useFakeTimers();
  try {
    const rec = new Recorder();
    const controller = new AbortController();
    const caller = rec.frame(undefined, undefined, controller.signal, false);
    let outsideTimer: ReturnType<typeof setTimeout> | undefined;
    if (schedule.outside.at !== undefined) {
      const reason = outsideReasons[schedule.outside.reason]();
      outsideTimer = setTimeout(() => {
        controller.abort(reason);
        rec.outsideReason = controller.signal.reason;
        rec.log("outside: controller.abort()");
      }, schedule.outside.at);
    }
    const interpreter = new Interpreter(rec, api);
    let settled = false;
    const root = rec.settle(
      caller,
      rec.track(caller, "root", controller.signal, () => interpreter.run(schedule.root, controller.signal, caller)),
      () => clearTimeout(outsideTimer),
    );
    root.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    let hung: string | undefined;
    for (let steps = 0; ; steps++) {
      await flush();
      if (settled) break;
      if (vi.getTimerCount() === 0 || steps > 10_000) {
        hung = `nothing settled and ${vi.getTimerCount() === 0 ? "no timer is pending" : "10 000 timers fired"}; still running: ${
          rec.runningBelow(caller).join(", ") || "(nothing)"
        }`;
        break;
      }
      vi.advanceTimersToNextTimer();
    }
    await flush();
    await flush();
    if (caller.outcome && !caller.outcome.ok) rec.observe(caller.outcome.error, "the caller");
    return {
      schedule,
      events: rec.events,
      frames: rec.frames,
      leaves: rec.leaves,
      thrown: rec.thrown,
      observations: rec.observations,
      onErrorCalls: rec.onErrorCalls,
      unhandled,
      outsideReason: rec.outsideReason,
      outsideSignal: controller.signal,
      caller,
      hung,
      outsideListeners: getEventListeners(controller.signal, "abort").length,
      pendingTimers: vi.getTimerCount(),
    };
  } finally {
    vi.clearAllTimers();
    vi.useRealTimers();
    process.off("unhandledRejection", onUnhandled);
  }
}

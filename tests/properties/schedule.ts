/**
 * A schedule: a random tree of corral primitives with user work at the leaves, plus an optional
 * cancellation from outside. This file holds the data types, the fast-check arbitrary that
 * generates them and the text form printed when a property fails (after shrinking).
 */
import fc from "fast-check";

/** User work at a leaf. Every delay is in (fake) milliseconds. */
export type Leaf =
  /** Sleeps with its signal, then fulfils (or rejects with the signal's reason). */
  | { kind: "resolve"; delay: number }
  /** Sleeps with its signal, then throws a fresh error (or rejects with the signal's reason). */
  | { kind: "fail"; delay: number }
  /** Sleeps without looking at its signal, then fulfils. */
  | { kind: "ignore"; delay: number }
  /** Sleeps with its signal and fulfils; if cancelled, cleans up for `cleanup` ms and throws a fresh error. */
  | { kind: "failCleanup"; delay: number; cleanup: number };

/** What the body of a fail-fast group does after spawning its children. */
export type Body =
  | { kind: "return" }
  | { kind: "sleep"; delay: number }
  | { kind: "fail"; delay: number }
  /** Sleeps, calls `group.cancel()`, then ends with the group's own cancellation. */
  | { kind: "cancel"; delay: number };

/** A child of a group: a task (maybe cancelled with `task.cancel()`), or a task that spawns more children into the group. */
export type Child =
  | { kind: "task"; cancelAfter: number | undefined; work: Work }
  | { kind: "spawner"; delay: number; children: Child[] };

/** `foreign`: the primitive gets a plain AbortSignal bridged from its parent's, to check that it leaves no listener on it. */
export type Composite =
  | { kind: "scope"; foreign: boolean; timeout: number | undefined; cancelAfter: number | undefined; shield: boolean; body: Work }
  | { kind: "group"; foreign: boolean; body: Body; children: Child[] }
  | { kind: "persistent"; foreign: boolean; shutdownAfter: number | undefined; onErrorDelay: number | undefined; children: Child[] }
  | { kind: "timeout"; foreign: boolean; mode: "withTimeout" | "moveOnAfter"; ms: number; body: Work }
  | { kind: "shield"; foreign: boolean; timeout: number | undefined; body: Work }
  | { kind: "staggered"; foreign: boolean; delay: number | null; attempts: Work[] };

export type Work = Leaf | Composite;

export type OutsideReason = "default" | "timeout" | "string" | "error";

export interface Schedule {
  root: Work;
  /** `controller.abort(reason)` on the caller's signal at `at` ms (never, if undefined). */
  outside: { at: number | undefined; reason: OutsideReason };
}

// Few distinct values, so that events often coincide: ties are where races hide.
const delay = fc.constantFrom(0, 1, 5, 10, 20, 30, 50);
const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arbitrary, { nil: undefined, freq: 2 });

const depth = { depthIdentifier: "schedule", maxDepth: 6, depthSize: "xlarge" } as const;

export function scheduleArbitrary(): fc.Arbitrary<Schedule> {
  const { composite } = fc.letrec<{ work: Work; leaf: Leaf; composite: Composite; child: Child; children: Child[] }>((tie) => {
    const groupBody = fc.oneof(
      fc.record({ kind: fc.constant("return") }),
      fc.record({ kind: fc.constant("sleep"), delay }),
      fc.record({ kind: fc.constant("fail"), delay }),
      fc.record({ kind: fc.constant("cancel"), delay }),
    );
    // Fail-fast groups weigh most: they are where concurrent children meet.
    const composites: fc.WeightedArbitrary<Composite>[] = [
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant("scope"),
          foreign: fc.boolean(),
          timeout: optional(delay),
          cancelAfter: optional(delay),
          shield: fc.boolean(),
          body: tie("work"),
        }),
      },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant("group"), foreign: fc.boolean(), body: groupBody, children: tie("children") }) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant("persistent"),
          foreign: fc.boolean(),
          shutdownAfter: optional(delay),
          onErrorDelay: optional(delay),
          children: tie("children"),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant("timeout"),
          foreign: fc.boolean(),
          mode: fc.constantFrom("withTimeout", "moveOnAfter"),
          ms: delay,
          body: tie("work"),
        }),
      },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("shield"), foreign: fc.boolean(), timeout: optional(delay), body: tie("work") }) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant("staggered"),
          foreign: fc.boolean(),
          delay: fc.constantFrom(null, 0, 5, 20),
          attempts: fc.array(tie("work"), { minLength: 1, maxLength: 3, size: "max" }),
        }),
      },
    ];
    return {
      // The first alternative is the one fast-check falls back to at maximal depth.
      work: fc.oneof(depth, { arbitrary: tie("leaf"), weight: 2 }, { arbitrary: tie("composite"), weight: 3 }),
      leaf: fc.oneof(
        fc.record({ kind: fc.constant("resolve"), delay }),
        fc.record({ kind: fc.constant("fail"), delay }),
        fc.record({ kind: fc.constant("ignore"), delay }),
        fc.record({ kind: fc.constant("failCleanup"), delay, cleanup: delay }),
      ),
      composite: fc.oneof(...composites),
      child: fc.oneof(
        depth,
        fc.record({ kind: fc.constant("task"), cancelAfter: optional(delay), work: tie("work") }),
        fc.record({ kind: fc.constant("spawner"), delay, children: tie("children") }),
      ),
      children: fc.array(tie("child"), { minLength: 1, maxLength: 4, size: "max" }),
    };
  });
  const outside = fc.record({
    at: optional(fc.constantFrom(0, 1, 5, 10, 15, 20, 30, 50)),
    reason: fc.constantFrom<OutsideReason>("default", "timeout", "string", "error"),
  });
  return fc.record({ root: composite, outside }).map((schedule) => withText(schedule));
}

/** Give the schedule the text form fast-check prints for a counterexample. */
export function withText(schedule: Schedule): Schedule {
  Object.defineProperty(schedule, fc.toStringMethod, { value: () => renderSchedule(schedule), enumerable: false });
  return schedule;
}

export function renderSchedule(schedule: Schedule): string {
  const { at, reason } = schedule.outside;
  const head = at === undefined ? "no outside cancellation" : `outside cancel at ${at}ms (reason: ${reason})`;
  return `\n${head}\n${renderWork(schedule.root, "")}`;
}

const ms = (value: number | undefined): string => (value === undefined ? "" : `${value}ms`);

function label(work: Work): string {
  const foreign = "foreign" in work && work.foreign ? " [foreign signal]" : "";
  switch (work.kind) {
    case "resolve":
      return `resolve after ${work.delay}ms`;
    case "fail":
      return `fail after ${work.delay}ms`;
    case "ignore":
      return `ignore signal, resolve after ${work.delay}ms`;
    case "failCleanup":
      return `resolve after ${work.delay}ms; if cancelled, clean up ${work.cleanup}ms then fail`;
    case "scope": {
      const options = [
        work.timeout !== undefined && `timeout ${ms(work.timeout)}`,
        work.cancelAfter !== undefined && `cancel() at ${ms(work.cancelAfter)}`,
        work.shield && "shield",
      ].filter(Boolean);
      return `CancelScope(${options.join(", ")}).run${foreign}`;
    }
    case "group": {
      const body = work.body;
      const text = body.kind === "return" ? "return" : `${body.kind} after ${body.delay}ms`;
      return `taskGroup (body: ${text})${foreign}`;
    }
    case "persistent": {
      const end = work.shutdownAfter === undefined ? "dispose" : `shutdown() at ${ms(work.shutdownAfter)}`;
      const onError = work.onErrorDelay === undefined ? "" : `, async onError ${ms(work.onErrorDelay)}`;
      return `PersistentTaskGroup (${end}${onError})${foreign}`;
    }
    case "timeout":
      return `${work.mode}(${work.ms})${foreign}`;
    case "shield":
      return `shield(${work.timeout === undefined ? "" : `timeout ${ms(work.timeout)}`})${foreign}`;
    case "staggered":
      return `staggeredRace(delay ${work.delay === null ? "null" : ms(work.delay)})${foreign}`;
  }
}

function renderWork(work: Work, indent: string): string {
  const lines = [label(work)];
  const items: { text: string; render: (indent: string) => string }[] = [];
  if (work.kind === "scope" || work.kind === "timeout" || work.kind === "shield") {
    items.push({ text: "", render: (inner) => renderWork(work.body, inner) });
  } else if (work.kind === "group" || work.kind === "persistent") {
    for (const child of work.children) items.push(childItem(child));
  } else if (work.kind === "staggered") {
    work.attempts.forEach((attempt, index) => {
      items.push({ text: `attempt ${index}: `, render: (inner) => renderWork(attempt, inner) });
    });
  }
  items.forEach((item, index) => {
    const last = index === items.length - 1;
    lines.push(`${indent}${last ? "└─ " : "├─ "}${item.text}${item.render(indent + (last ? "   " : "│  "))}`);
  });
  return lines.join("\n");
}

function childItem(child: Child): { text: string; render: (indent: string) => string } {
  if (child.kind === "task") {
    const text = child.cancelAfter === undefined ? "task: " : `task (task.cancel() at ${child.cancelAfter}ms): `;
    return { text, render: (indent) => renderWork(child.work, indent) };
  }
  return {
    text: `after ${child.delay}ms spawn into the group:`,
    render: (indent) =>
      child.children.length === 0
        ? " (nothing)"
        : child.children
            .map((grandchild, index) => {
              const last = index === child.children.length - 1;
              const item = childItem(grandchild);
              return `\n${indent}${last ? "└─ " : "├─ "}${item.text}${item.render(indent + (last ? "   " : "│  "))}`;
            })
            .join(""),
  };
}

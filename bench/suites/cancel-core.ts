/**
 * cancel-core: the cost of linking a short-lived child to a long-lived parent signal, and what
 * the parent retains afterwards.
 */
import { getEventListeners } from "node:events";
import { CancelScope } from "@corral/cancel-core";
import { Bench } from "tinybench";
import { collectedHeap, type ResultRow, writeResults } from "../lib.js";

const MB = 1024 * 1024;

function corralChild(parent: AbortSignal): void {
  const scope = new CancelScope({ signal: parent });
  void scope.signal; // materialise the child's own AbortSignal, as a caller passing it to fetch would
  scope[Symbol.dispose]();
}

function corralLazyChild(parent: AbortSignal): void {
  const scope = new CancelScope({ signal: parent });
  scope[Symbol.dispose]();
}

function handWrittenChild(parent: AbortSignal): void {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(parent.reason);
  parent.addEventListener("abort", onAbort, { once: true });
  void controller.signal;
  parent.removeEventListener("abort", onAbort);
}

function anyChild(parent: AbortSignal): void {
  void AbortSignal.any([parent, new AbortController().signal]);
}

/** Heap retained by `count` children made and dropped on one long-lived parent. */
function retained(make: (parent: AbortSignal) => void, count: number): { growth: number; listeners: number } {
  const parent = new AbortController();
  const before = collectedHeap();
  for (let i = 0; i < count; i++) make(parent.signal);
  const growth = collectedHeap() - before;
  return { growth, listeners: getEventListeners(parent.signal, "abort").length };
}

const rows: ResultRow[] = [];

// Memory first, while the heap is young. AbortSignal.any last: on Node 20 it never lets go.
const memoryCount = 1_000_000;
const corralMemory = retained(corralChild, memoryCount);
const handMemory = retained(handWrittenChild, memoryCount);
const anyMemory = retained(anyChild, 200_000);
rows.push(
  {
    name: `corral: retained heap after ${memoryCount.toLocaleString("en")} child scopes`,
    value: corralMemory.growth / MB,
    unit: "MB",
    target: "< 1 MB and 0 listeners on the parent",
    pass: corralMemory.growth < MB && corralMemory.listeners === 0,
  },
  { name: "corral: listeners left on the parent", value: corralMemory.listeners, unit: "listeners" },
  { name: `hand-written link: retained heap after ${memoryCount.toLocaleString("en")}`, value: handMemory.growth / MB, unit: "MB" },
  { name: "AbortSignal.any: retained heap after 200,000", value: anyMemory.growth / MB, unit: "MB" },
);

const bench = new Bench({ time: 1_500, warmupTime: 300 });
const parents = { corral: new AbortController(), lazy: new AbortController(), hand: new AbortController(), any: new AbortController() };
bench
  .add("corral child scope (signal read)", () => corralChild(parents.corral.signal))
  .add("corral child scope (signal never read)", () => corralLazyChild(parents.lazy.signal))
  .add("hand-written AbortController link", () => handWrittenChild(parents.hand.signal))
  .add("AbortSignal.any([parent, child])", () => anyChild(parents.any.signal));
await bench.run();

const mean = (name: string): number => {
  const task = bench.getTask(name);
  const latency = task?.result && "latency" in task.result ? task.result.latency.mean : undefined;
  if (latency === undefined) throw new Error(`no result for ${name}`);
  return latency * 1000; // ms → µs
};
const corral = mean("corral child scope (signal read)");
const lazy = mean("corral child scope (signal never read)");
const hand = mean("hand-written AbortController link");
const any = mean("AbortSignal.any([parent, child])");
rows.push(
  { name: "hand-written AbortController link", value: hand, unit: "µs/op" },
  { name: "AbortSignal.any([parent, child])", value: any, unit: "µs/op", ratio: any / hand, baseline: "hand-written" },
  {
    name: "corral child scope (signal read)",
    value: corral,
    unit: "µs/op",
    ratio: corral / hand,
    baseline: "hand-written",
    target: "≤ 1.3× hand-written and faster than AbortSignal.any",
    pass: corral <= 1.3 * hand && corral < any,
  },
  { name: "corral child scope (signal never read)", value: lazy, unit: "µs/op", ratio: lazy / hand, baseline: "hand-written" },
);

// Constant time per child, however many live siblings share the parent.
function perChild(liveSiblings: number): number {
  const parent = new AbortController();
  const live = Array.from({ length: liveSiblings }, () => new CancelScope({ signal: parent.signal }));
  const rounds = 200_000;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) corralLazyChild(parent.signal);
  const elapsed = ((performance.now() - start) * 1000) / rounds;
  for (const scope of live) scope[Symbol.dispose]();
  return elapsed;
}
perChild(0); // warm-up, so the first measurement is not the JIT's
const alone = perChild(0);
const crowded = perChild(100_000);
rows.push(
  { name: "corral child create+dispose, parent has 0 live children", value: alone, unit: "µs/op" },
  {
    name: "corral child create+dispose, parent has 100,000 live children",
    value: crowded,
    unit: "µs/op",
    ratio: crowded / alone,
    baseline: "0 live children",
    target: "constant time (≤ 2×)",
    pass: crowded <= 2 * alone,
  },
);

writeResults("cancel-core", "link a short-lived child to a long-lived parent signal", rows);

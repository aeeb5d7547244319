/**
 * taskgroup: the cost of running 100,000 async functions as children of one task group, against
 * `Promise.all` over the same functions (and against Effection and Effect doing the same job),
 * plus peak memory and how the cost grows with the number of children.
 *
 * The workload: async functions that yield once (`await null`) and return a number, as real async
 * work suspends at least once. A second set of rows uses functions that return without ever
 * suspending, the least favourable case for a group (the baseline's per-call garbage dies at once).
 * Time is the CPU time of the process (user + system, every thread, so the garbage collector's
 * helpers count too): on a shared machine it varies far less than wall time. The linear-growth
 * check ("400,000 children take ≤ 5× the time") uses wall-clock time and shows CPU time too.
 * Ratios are medians
 * of per-round ratios, each round running every contender back to back. Peak RSS is measured in
 * a fresh child process per contender.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { gather, taskGroup } from "@corral/taskgroup";
import type { Operation, Task } from "effection";
import { type ResultRow, writeResults } from "../lib.js";

const N = 100_000;
const MB = 1024 * 1024;

type Plain = () => Promise<number>;
type WithSignal = (signal: AbortSignal) => Promise<number>;

function plainWork(count: number, suspends: boolean): Plain[] {
  return Array.from({ length: count }, (_, i) =>
    suspends
      ? async () => {
          await null;
          return i;
        }
      : async () => i,
  );
}

function signalWork(count: number, suspends: boolean): WithSignal[] {
  return Array.from({ length: count }, (_, i) =>
    suspends
      ? async (signal: AbortSignal) => {
          await null;
          return signal.aborted ? -1 : i;
        }
      : async (signal: AbortSignal) => (signal.aborted ? -1 : i),
  );
}

// The contenders. Each resolves once every function has settled.
const contenders = {
  promiseAll: (fns: Plain[]) => Promise.all(fns.map((fn) => fn())),
  promiseAllWithController: (fns: WithSignal[]) => Promise.all(fns.map((fn) => fn(new AbortController().signal))),
  corral: (fns: readonly ((signal: AbortSignal) => Promise<number>)[]) =>
    taskGroup((group) => {
      for (const fn of fns) group.spawn(fn);
    }),
  gather: (fns: Plain[]) => gather(fns),
  // Effection and Effect are imported only when measured, so that they do not weigh on the
  // peak RSS of the child processes.
  effection: async (fns: Plain[]) => {
    const { run, spawn, until } = await import("effection");
    return run(function* (): Operation<number[]> {
      const tasks: Task<number>[] = [];
      for (const fn of fns) tasks.push(yield* spawn(() => until(fn())));
      const values: number[] = [];
      for (const task of tasks) values.push(yield* task);
      return values;
    });
  },
  effect: async (fns: Plain[]) => {
    const { Effect } = await import("effect");
    return Effect.runPromise(Effect.forEach(fns, (fn) => Effect.promise(() => fn()), { concurrency: "unbounded" }));
  },
};

function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

interface Run {
  /** CPU time of the process, ms. */
  cpu: number;
  /** Wall-clock time, ms. */
  wall: number;
}

async function measured(job: () => PromiseLike<unknown>): Promise<Run> {
  collect();
  // Let the collector's background threads finish, so that their work is not billed to `job`.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  await job();
  const used = process.cpuUsage(cpuStart);
  return { cpu: (used.user + used.system) / 1000, wall: performance.now() - wallStart };
}

/** CPU time in ms spent while `job` runs. */
async function timed(job: () => PromiseLike<unknown>): Promise<number> {
  return (await measured(job)).cpu;
}

/** Run `jobs` back to back for `rounds` rounds; median time of each, median ratio of each to the first. */
async function compare(rounds: number, jobs: (() => PromiseLike<unknown>)[]): Promise<{ ms: number[]; ratio: number[] }> {
  const times: number[][] = jobs.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < jobs.length; j++) times[j]!.push(await timed(jobs[j]!));
  }
  const mid = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return {
    ms: times.map(mid),
    ratio: times.map((series) => mid(series.map((t, round) => t / times[0]![round]!))),
  };
}

// Child-process mode: run one contender once and report peak RSS.
if (process.argv[2] === "--rss") {
  const which = process.argv[3];
  const before = process.memoryUsage.rss();
  const fns = which === "promiseAllWithController" || which === "corralWithSignal" ? signalWork(N, true) : plainWork(N, true);
  collect();
  if (which === "promiseAll") await contenders.promiseAll(fns as Plain[]);
  else if (which === "promiseAllWithController") await contenders.promiseAllWithController(fns as WithSignal[]);
  else await contenders.corral(fns);
  process.stdout.write(JSON.stringify({ peak: process.resourceUsage().maxRSS * 1024, before }));
  process.exit(0);
}

function peakRss(which: string): { peak: number; before: number } {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", self, "--rss", which], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`RSS run of ${which} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { peak: number; before: number };
}

const rows: ResultRow[] = [];
const us = (ms: number): number => (ms * 1000) / N;

// Warm up every code path once.
await contenders.promiseAll(plainWork(10_000, true));
await contenders.corral(plainWork(10_000, true));
await contenders.corral(signalWork(10_000, true));
await contenders.promiseAllWithController(signalWork(10_000, true));

// 1. Children that take no signal.
const plainTimes = { promiseAll: 0, corral: 0 };
for (const suspends of [true, false]) {
  const fns = plainWork(N, suspends);
  const label = suspends ? "" : ", never suspending";
  const result = await compare(11, [() => contenders.promiseAll(fns), () => contenders.corral(fns), () => contenders.gather(fns)]);
  if (suspends) {
    plainTimes.promiseAll = result.ms[0]!;
    plainTimes.corral = result.ms[1]!;
  }
  rows.push(
    { name: `Promise.all, ${N.toLocaleString("en")} async functions${label}`, value: us(result.ms[0]!), unit: "µs/child" },
    {
      name: `corral taskGroup, children take no signal${label}`,
      value: us(result.ms[1]!),
      unit: "µs/child",
      ratio: result.ratio[1]!,
      baseline: "Promise.all",
      target: "≤ 2.5× Promise.all",
      pass: result.ratio[1]! <= 2.5,
    },
    { name: `corral gather()${label}`, value: us(result.ms[2]!), unit: "µs/child", ratio: result.ratio[2]!, baseline: "Promise.all" },
  );
}

// 2. Children that take their signal.
for (const suspends of [true, false]) {
  const fns = signalWork(N, suspends);
  const label = suspends ? "" : ", never suspending";
  const result = await compare(7, [() => contenders.promiseAllWithController(fns), () => contenders.corral(fns)]);
  rows.push(
    { name: `Promise.all + one AbortController per function${label}`, value: us(result.ms[0]!), unit: "µs/child" },
    {
      name: `corral taskGroup, children take their signal${label}`,
      value: us(result.ms[1]!),
      unit: "µs/child",
      ratio: result.ratio[1]!,
      baseline: "Promise.all + AbortController",
      target: "≤ 1.5× Promise.all + AbortController",
      pass: result.ratio[1]! <= 1.5,
    },
  );
}

// 3. Effection and Effect on the same workload (children take no signal): far slower, so one
// run each, against the medians of section 1.
{
  const plain = plainWork(N, true);
  await import("effection");
  await import("effect");
  const effection = await timed(() => contenders.effection(plain));
  const effect = await timed(() => contenders.effect(plain));
  rows.push(
    {
      name: "effection: spawn + join each",
      value: us(effection),
      unit: "µs/child",
      ratio: effection / plainTimes.promiseAll,
      baseline: "Promise.all",
      target: "slower than corral",
      pass: plainTimes.corral < effection,
    },
    {
      name: 'effect: Effect.forEach(fns, Effect.promise, { concurrency: "unbounded" })',
      value: us(effect),
      unit: "µs/child",
      ratio: effect / plainTimes.promiseAll,
      baseline: "Promise.all",
      target: "slower than corral",
      pass: plainTimes.corral < effect,
    },
  );
}

// 4. Linear growth: 400,000 children against 100,000 (each size measured in its own block, so
// that the large runs' garbage does not weigh on the small ones). "Take the time" is wall-clock
// time here; the CPU-time ratio, which also bills the collector's background threads for the
// bigger heap, is reported next to it.
{
  const small = plainWork(N, true);
  const large = plainWork(4 * N, true);
  const smallRuns: Run[] = [];
  const largeRuns: Run[] = [];
  for (let i = 0; i < 7; i++) smallRuns.push(await measured(() => contenders.corral(small)));
  for (let i = 0; i < 7; i++) largeRuns.push(await measured(() => contenders.corral(large)));
  const mid = (runs: Run[], key: keyof Run): number => runs.map((run) => run[key]).sort((a, b) => a - b)[runs.length >> 1]!;
  const wall = mid(largeRuns, "wall") / mid(smallRuns, "wall");
  const cpu = mid(largeRuns, "cpu") / mid(smallRuns, "cpu");
  rows.push(
    {
      name: "corral taskGroup: 400,000 children vs 100,000 (wall-clock time)",
      value: mid(largeRuns, "wall"),
      unit: "ms",
      ratio: wall,
      baseline: "100,000 children",
      target: "≤ 5×",
      pass: wall <= 5,
    },
    {
      name: "corral taskGroup: 400,000 children vs 100,000 (CPU time)",
      value: mid(largeRuns, "cpu"),
      unit: "ms",
      ratio: cpu,
      baseline: "100,000 children",
    },
  );
}

// 5. Peak RSS of a fresh process running 100,000 children once.
{
  const promiseAll = peakRss("promiseAll");
  const corral = peakRss("corral");
  const promiseAllWithController = peakRss("promiseAllWithController");
  const corralWithSignal = peakRss("corralWithSignal");
  rows.push(
    { name: "peak RSS: Promise.all, 100,000 async functions", value: promiseAll.peak / MB, unit: "MB" },
    {
      name: "peak RSS: corral taskGroup, 100,000 children (no signal)",
      value: corral.peak / MB,
      unit: "MB",
      ratio: corral.peak / promiseAll.peak,
      baseline: "Promise.all",
      target: "≤ 2× Promise.all",
      pass: corral.peak <= 2 * promiseAll.peak,
    },
    {
      name: "peak RSS growth over the idle process: corral vs Promise.all (no signal)",
      value: (corral.peak - corral.before) / MB,
      unit: "MB",
      ratio: (corral.peak - corral.before) / (promiseAll.peak - promiseAll.before),
      baseline: "Promise.all",
    },
    { name: "peak RSS: Promise.all + AbortController, 100,000", value: promiseAllWithController.peak / MB, unit: "MB" },
    {
      name: "peak RSS: corral taskGroup, 100,000 children (signal)",
      value: corralWithSignal.peak / MB,
      unit: "MB",
      ratio: corralWithSignal.peak / promiseAllWithController.peak,
      baseline: "Promise.all + AbortController",
      target: "≤ 2× Promise.all + AbortController",
      pass: corralWithSignal.peak <= 2 * promiseAllWithController.peak,
    },
  );
}

writeResults("taskgroup", `${N.toLocaleString("en")} children in one task group vs Promise.all, Effection and Effect`, rows);

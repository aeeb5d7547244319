/**
 * Shared helpers of the benchmark suites. A suite is a script in bench/suites/<name>.ts that
 * measures corral against baselines in the same process run, prints a table and calls
 * `writeResults`, which writes bench/results/<name>.json (rendered by the docs' benchmarks page).
 * Only ratios measured in one run are compared: absolute times vary ±30 % on shared machines.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface ResultRow {
  /** What was measured, e.g. "corral withTimeout (work takes its signal)". */
  name: string;
  /** The measured value and its unit, e.g. 1.23 "µs/op", 52 "MB". */
  value: number;
  unit: string;
  /** value divided by the baseline's value in this run, when the row has a baseline. */
  ratio?: number;
  /** Name of the baseline row the ratio is against. */
  baseline?: string;
  /** The goal, in words ("≤ 1.3× hand-written link"), and whether this run met it. */
  target?: string;
  pass?: boolean;
}

export interface SuiteResult {
  suite: string;
  description: string;
  node: string;
  date: string;
  rows: ResultRow[];
}

export function writeResults(suite: string, description: string, rows: ResultRow[]): SuiteResult {
  const result: SuiteResult = { suite, description, node: process.version, date: new Date().toISOString(), rows };
  const dir = fileURLToPath(new URL("./results/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}${suite}.json`, `${JSON.stringify(result, null, 2)}\n`);
  printTable(result);
  return result;
}

export function printTable(result: SuiteResult): void {
  console.log(`\n## ${result.suite}: ${result.description} (${result.node})`);
  console.table(
    result.rows.map((row) => ({
      name: row.name,
      value: `${formatNumber(row.value)} ${row.unit}`,
      ratio: row.ratio === undefined ? "" : `${row.ratio.toFixed(2)}× ${row.baseline ?? ""}`,
      target: row.target ?? "",
      pass: row.pass === undefined ? "" : row.pass ? "yes" : "NO",
    })),
  );
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** Run `fn` `times` times and return the median, the measure that resists a noisy neighbour. */
export async function median(times: number, fn: () => Promise<number> | number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push(await fn());
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** Force a full collection (the runner starts node with --expose-gc) and return heapUsed. */
export function collectedHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run benchmarks through `pnpm bench` (node --expose-gc)");
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Build-time data for benchmarks.md: every bench/results/<suite>.json written by `pnpm bench`
 * (shape: SuiteResult in bench/lib.ts), with the numbers formatted and the ratio bars laid out.
 * A missing or empty results folder gives an empty list, and the page says how to fill it.
 */
import { readFileSync } from "node:fs";
import type { ResultRow, SuiteResult } from "../bench/lib.js";

export interface BenchBar {
  /** Percent of the track: the bar runs from `left` for `width`, `one` is where 1× sits. */
  left: number;
  width: number;
  one: number;
}

export interface BenchRow {
  name: string;
  value: string;
  ratio: string;
  baseline: string;
  target: string;
  pass: "yes" | "no" | "";
  bar: BenchBar | undefined;
}

export interface BenchSuite {
  suite: string;
  description: string;
  node: string;
  date: string;
  rows: BenchRow[];
  /** Rows that have a ratio, for the chart. */
  ratios: BenchRow[];
}

export interface BenchData {
  suites: BenchSuite[];
  problems: string[];
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString("en-US");
  if (abs === 0) return "0";
  return value.toPrecision(3);
}

/** Ratios are drawn on a log scale around 1×, so 0.5× and 2× are the same length. */
function bars(rows: readonly ResultRow[]): Array<BenchBar | undefined> {
  const ratios = rows.map((row) => row.ratio).filter((ratio): ratio is number => typeof ratio === "number" && ratio > 0);
  if (ratios.length === 0) return rows.map(() => undefined);
  const lo = Math.log10(Math.min(0.5, ...ratios));
  const hi = Math.log10(Math.max(2, ...ratios));
  const at = (ratio: number): number => ((Math.log10(ratio) - lo) / (hi - lo)) * 100;
  const one = at(1);
  return rows.map((row) => {
    if (typeof row.ratio !== "number" || row.ratio <= 0) return undefined;
    const x = at(row.ratio);
    return { left: Math.min(one, x), width: Math.max(Math.abs(x - one), 0.6), one };
  });
}

export function toSuite(result: SuiteResult): BenchSuite {
  const layout = bars(result.rows);
  const rows = result.rows.map(
    (row, index): BenchRow => ({
      name: row.name,
      value: `${formatNumber(row.value)} ${row.unit}`,
      ratio: typeof row.ratio === "number" ? `${formatNumber(row.ratio)}×` : "",
      baseline: row.baseline ?? "",
      target: row.target ?? "",
      pass: row.pass === undefined ? "" : row.pass ? "yes" : "no",
      bar: layout[index],
    }),
  );
  return {
    suite: result.suite,
    description: result.description,
    node: result.node,
    date: result.date.slice(0, 10),
    rows,
    ratios: rows.filter((row) => row.bar !== undefined),
  };
}

export function loadResults(files: readonly string[]): BenchData {
  const suites: BenchSuite[] = [];
  const problems: string[] = [];
  for (const file of [...files].sort()) {
    try {
      const result = JSON.parse(readFileSync(file, "utf8")) as SuiteResult;
      if (typeof result.suite !== "string" || !Array.isArray(result.rows)) throw new Error("not a suite result");
      suites.push(toSuite(result));
    } catch (error) {
      problems.push(`${file.split("/").pop()}: ${(error as Error).message}`);
    }
  }
  return { suites, problems };
}

declare const data: BenchData;
export { data };

export default {
  watch: ["../bench/results/*.json"],
  load(files: string[]): BenchData {
    return loadResults(files);
  },
};

/**
 * Suite `timeout`: 100,000 sequential timeouts around an immediately-resolving operation.
 *
 * Every variant runs in its own plain `node` process (no tsx loader, whose hooks thread would
 * add tens of MB to every RSS figure), so its peak RSS is its own. Rounds alternate the
 * variants; each figure is the median over the rounds. The generous timeout (5 s) never fires:
 * this measures what a timeout costs on the path where the work finishes in time.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type ResultRow, writeResults } from "../lib.js";

const OPS = 100_000;
const WARMUP = 20_000;
const ROUNDS = 5;
const MS = 5_000;

/** Each body runs `OPS` times in a loop; `op` is the immediately-resolving operation. */
const variants = {
  bare: { name: "bare loop (no timeout)", body: "await op();" },
  controller: {
    name: "floor: one new AbortController().signal per op",
    body: "await op(new AbortController().signal);",
  },
  corral: { name: "corral withTimeout (work takes its signal)", body: "await withTimeout(MS, (signal) => op(signal));" },
  corralMoveOn: { name: "corral moveOnAfter (work takes its signal)", body: "await moveOnAfter(MS, (signal) => op(signal));" },
  pTimeout: { name: "p-timeout (default options)", body: "await pTimeout(op(), { milliseconds: MS });" },
  pTimeoutNoMessage: {
    name: "p-timeout { message: false }",
    body: "await pTimeout(op(), { milliseconds: MS, message: false });",
  },
  race: {
    name: "AbortSignal.timeout() + Promise.race",
    body: `const signal = AbortSignal.timeout(MS);
      let onAbort;
      const aborted = new Promise((_, reject) => {
        onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
      });
      try {
        await Promise.race([op(signal), aborted]);
      } finally {
        signal.removeEventListener("abort", onAbort);
      }`,
  },
} as const;
type Variant = keyof typeof variants;

function childSource(body: string): string {
  return `
    import { moveOnAfter, withTimeout } from "@corral/timeout";
    import pTimeout from "p-timeout";
    const MS = ${MS};
    const op = async (signal) => signal;
    async function loop(n) {
      for (let i = 0; i < n; i++) {
        ${body}
      }
    }
    await loop(${WARMUP});
    const start = performance.now();
    await loop(${OPS});
    const elapsed = performance.now() - start;
    process.stdout.write(JSON.stringify({ usPerOp: (elapsed * 1000) / ${OPS}, rssMB: process.resourceUsage().maxRSS / 1024 }));
  `;
}

const root = fileURLToPath(new URL("../..", import.meta.url));

function measure(variant: Variant): { usPerOp: number; rssMB: number } {
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", childSource(variants[variant].body)], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`variant ${variant} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { usPerOp: number; rssMB: number };
}

const names = Object.keys(variants) as Variant[];
const samples = new Map<Variant, { time: number[]; rss: number[] }>(names.map((name) => [name, { time: [], rss: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order so that no variant always runs right after the same neighbour.
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + round) % names.length]!;
    const { usPerOp, rssMB } = measure(name);
    samples.get(name)!.time.push(usPerOp);
    samples.get(name)!.rss.push(rssMB);
  }
}

const mid = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const time = (name: Variant): number => mid(samples.get(name)!.time);
const rss = (name: Variant): number => mid(samples.get(name)!.rss);

const rows: ResultRow[] = [];
// corral hands the work a real AbortSignal, so its time is compared with that floor as well.
for (const name of names) {
  const againstFloor = name === "corral" || name === "corralMoveOn";
  rows.push({
    name: variants[name].name,
    value: time(name),
    unit: "µs/op",
    ...(againstFloor ? { ratio: time(name) / time("controller"), baseline: "floor" } : {}),
  });
}
for (const baseline of ["pTimeout", "race"] as const) {
  const ratio = time(baseline) / time("corral");
  rows.push({
    name: `speed-up of corral withTimeout over ${variants[baseline].name}`,
    value: ratio,
    unit: "×",
    ratio: time("corral") / time(baseline),
    baseline: variants[baseline].name,
    target: "≥ 3× faster",
    pass: ratio >= 3,
  });
  // The best any timeout that hands its work a fresh AbortSignal could do here: nothing above
  // the cost of creating that signal. It bounds what the target above can ask of such a design.
  rows.push({
    name: `ceiling: speed-up over ${variants[baseline].name} at zero cost above the floor`,
    value: time(baseline) / time("controller"),
    unit: "×",
  });
}
for (const name of names) {
  const ratio = rss(name) / rss("bare");
  rows.push({
    name: `peak RSS: ${variants[name].name}`,
    value: rss(name),
    unit: "MB",
    ratio,
    baseline: "bare loop",
    ...(name === "corral" ? { target: "≤ 1.2× bare loop", pass: ratio <= 1.2 } : {}),
  });
}

writeResults(
  "timeout",
  `${OPS.toLocaleString("en")} sequential ${MS} ms timeouts around an immediately-resolving operation (median of ${ROUNDS} child processes per variant)`,
  rows,
);

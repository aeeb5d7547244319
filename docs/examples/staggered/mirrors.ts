// Download a file from whichever mirror answers first, without hammering all of them at once:
// a staggered race tries the next mirror 250 ms after the previous one started, or at once when
// it fails, and keeps the earlier ones running. The network is simulated with sleep() (which
// honours its signal the way fetch does), so the timeline is the same on every machine.
import { isCancellation, sleep } from "@corral/cancel-core";
import { staggeredRace } from "@corral/staggered";

interface Mirror {
  name: string;
  /** How long the simulated download takes. */
  takes: number;
  /** If set, the mirror fails with this status once `takes` has passed. */
  fails?: string;
}

const mirrors: Mirror[] = [
  { name: "eu.mirror.example", takes: 100, fails: "HTTP 503" },
  { name: "us.mirror.example", takes: 1_000 },
  { name: "ap.mirror.example", takes: 200 },
  { name: "sa.mirror.example", takes: 50 },
];

/** What happened when, in the shape the docs draw timelines from (one lane per mirror). */
export interface TimelineEvent {
  /** ms since the race began. */
  t: number;
  lane: number;
  kind: "start" | "ok" | "fail" | "cancel" | "win";
  label: string;
}
export const timeline = {
  name: "staggered-mirrors",
  title: "staggeredRace(mirrors, { delay: 250 })",
  lanes: mirrors.map((mirror) => mirror.name),
  events: [] as TimelineEvent[],
  end: 0,
};

const t0 = performance.now();
const mark = (lane: number, kind: TimelineEvent["kind"], label: string): void => {
  timeline.events.push({ t: Math.round(performance.now() - t0), lane, kind, label });
};

function download(mirror: Mirror, lane: number) {
  return async (signal: AbortSignal): Promise<string> => {
    mark(lane, "start", "start");
    try {
      await sleep(mirror.takes, { signal }); // stands in for fetch(url, { signal })
    } catch (error) {
      if (isCancellation(error)) mark(lane, "cancel", "cancelled");
      throw error;
    }
    if (mirror.fails) {
      mark(lane, "fail", mirror.fails);
      throw new Error(`${mirror.name}: ${mirror.fails}`);
    }
    mark(lane, "ok", "downloaded");
    return `file from ${mirror.name}`;
  };
}

const { value, index, errors } = await staggeredRace(
  mirrors.map((mirror, lane) => download(mirror, lane)),
  { delay: 250 },
);
// Only now is it known that this download won.
for (const event of timeline.events) if (event.lane === index && event.kind === "ok") event.kind = "win";
timeline.end = Math.round(performance.now() - t0);

for (const { t, lane, kind, label } of timeline.events) {
  console.log(`${String(t).padStart(5)} ms  ${kind.padEnd(6)} ${mirrors[lane]!.name}${kind === "fail" ? ` (${label})` : ""}`);
}
console.log(`winner: ${value} (attempt ${index})`);
console.log(`errors: ${errors.map((error) => (error === undefined ? "-" : (error as Error).name)).join(", ")}`);

// What this example promises.
function expect(condition: boolean, promise: string): void {
  if (!condition) throw new Error(`broken promise: ${promise}`);
}
const at = (lane: number, kind: TimelineEvent["kind"]): number =>
  timeline.events.find((event) => event.lane === lane && event.kind === kind)?.t ?? Number.NaN;
expect(index === 2 && value === "file from ap.mirror.example", "the quick third mirror wins");
expect(errors.length === 3, "one errors slot per started attempt: the fourth mirror never started");
expect(errors[0] instanceof Error && isCancellation(errors[1]) && errors[2] === undefined, "failure, cancelled loser, winner");
expect(at(1, "start") - at(0, "fail") < 50, "us started as soon as eu failed, not 250 ms after eu started");
expect(at(2, "start") - at(1, "start") >= 245, "ap started 250 ms after us");
expect(at(1, "cancel") >= at(2, "win"), "the slow us download was cancelled when ap won");
expect(!timeline.events.some((event) => event.lane === 3), "no mirror was tried after the winner");

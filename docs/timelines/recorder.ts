/**
 * Records what a timeline scenario (docs/examples/timelines/*.ts) does while it runs: one lane
 * per attempt, task or request, with marks at the moments things happen. `docs/timelines/
 * generate.ts` runs every scenario and draws the recorded events as an SVG, so the pictures in
 * the docs always show what the code really did.
 *
 * Run a scenario by hand (`npx tsx docs/examples/timelines/staggered-race.ts`) and it prints
 * the same events as text.
 */
import { writeFileSync } from "node:fs";

/**
 * What happened at a mark. `ok`, `win`, `fail` and `cancel` end a lane's bar; a `cancel`
 * followed by `settled` draws the time the work spent winding down after it was cancelled.
 */
export type MarkKind = "start" | "ok" | "win" | "fail" | "cancel" | "settled" | "note";

export interface TimelineEvent {
  /** Milliseconds since the timeline was created, rounded to 0.1 ms. */
  t: number;
  /** Index into `lanes`; -1 for an event that concerns the whole scenario (a vertical marker). */
  lane: number;
  kind: MarkKind;
  label: string;
}

export interface TimelineData {
  name: string;
  title: string;
  lanes: string[];
  events: TimelineEvent[];
  /** Time of the last event, or of `finish()`. */
  end: number;
}

const ending = new Set<MarkKind>(["ok", "win", "fail", "cancel", "settled"]);

export class Lane {
  readonly #timeline: Timeline;
  readonly #index: number;
  #ended = false;
  #cancelled = false;

  constructor(timeline: Timeline, index: number) {
    this.#timeline = timeline;
    this.#index = index;
  }

  start(label = "start"): void {
    this.#timeline.record(this.#index, "start", label);
  }

  ok(label = "done"): void {
    this.#end("ok", label);
  }

  fail(label = "failed"): void {
    this.#end("fail", label);
  }

  /** The work saw its cancellation. Call `settled()` later if it then spent time cleaning up. */
  cancel(label = "cancelled"): void {
    this.#end("cancel", label);
    this.#cancelled = true;
  }

  /** The cancelled work has finished its cleanup. */
  settled(label = "settled"): void {
    if (!this.#cancelled) throw new Error(`lane ${this.#index}: settled() without cancel()`);
    this.#cancelled = false;
    this.#timeline.record(this.#index, "settled", label);
  }

  /** Mark this lane's `ok` as the one that won a race (known only once the race returns). */
  won(label?: string): void {
    this.#timeline.promote(this.#index, label);
  }

  note(label: string): void {
    this.#timeline.record(this.#index, "note", label);
  }

  #end(kind: MarkKind, label: string): void {
    if (this.#ended) throw new Error(`lane ${this.#index} ended twice`);
    this.#ended = true;
    this.#timeline.record(this.#index, kind, label);
  }
}

export class Timeline {
  readonly name: string;
  readonly title: string;
  readonly #origin = performance.now();
  readonly #lanes: string[] = [];
  readonly #events: TimelineEvent[] = [];

  constructor(name: string, title: string) {
    this.name = name;
    this.title = title;
  }

  /** Add a row to the picture. Rows appear in the order they are created. */
  lane(label: string): Lane {
    this.#lanes.push(label);
    return new Lane(this, this.#lanes.length - 1);
  }

  /** A moment that concerns the whole scenario (SIGTERM arrives, the race settles). */
  marker(label: string): void {
    this.record(-1, "note", label);
  }

  /** Milliseconds since the timeline began. */
  elapsed(): number {
    return Math.round((performance.now() - this.#origin) * 10) / 10;
  }

  record(lane: number, kind: MarkKind, label: string): void {
    const event: TimelineEvent = { t: this.elapsed(), lane, kind, label };
    this.#events.push(event);
    const where = lane === -1 ? "*" : this.#lanes[lane];
    console.log(`${event.t.toFixed(1).padStart(7)} ms  ${where}: ${label}`);
  }

  promote(lane: number, label: string | undefined): void {
    const event = this.#events.find((candidate) => candidate.lane === lane && candidate.kind === "ok");
    if (!event) throw new Error(`timeline ${this.name}: lane ${lane} has no "ok" mark to promote`);
    event.kind = "win";
    if (label !== undefined) event.label = label;
    console.log(`${"".padStart(7)}     ${this.#lanes[lane]}: that was the winner`);
  }

  events(): readonly TimelineEvent[] {
    return this.#events;
  }

  /**
   * Check that every lane that started also ended, then hand the events to the generator
   * (which sets TIMELINE_OUT) or just return them when the scenario runs on its own.
   */
  finish(): TimelineData {
    for (let lane = 0; lane < this.#lanes.length; lane++) {
      const own = this.#events.filter((event) => event.lane === lane);
      if (own.some((event) => event.kind === "start") && !own.some((event) => ending.has(event.kind))) {
        throw new Error(`timeline ${this.name}: "${this.#lanes[lane]}" started but never ended`);
      }
    }
    const data: TimelineData = { name: this.name, title: this.title, lanes: [...this.#lanes], events: [...this.#events], end: this.elapsed() };
    const out = process.env.TIMELINE_OUT;
    if (out) writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
    return data;
  }
}

/** Throw when a promise the scenario makes does not hold (the docs build then fails). */
export function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(`timeline scenario broken: ${message}`);
}

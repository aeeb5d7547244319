import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runExample } from "./run-example.js";

interface TimelineEvent {
  t: number;
  lane: number;
  kind: string;
  label: string;
}

const recorded = JSON.parse(readFileSync(new URL("../examples/staggered/mirrors.timeline.json", import.meta.url), "utf8")) as {
  lanes: string[];
  events: TimelineEvent[];
};

describe("docs/examples/staggered", () => {
  it("mirrors.ts: a failure starts the next mirror at once, the third wins, the slow one is cancelled", async () => {
    const run = await runExample("staggered/mirrors.ts");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines.slice(-2)).toEqual(["winner: file from ap.mirror.example (attempt 2)", "errors: Error, CancelledError, -"]);
    const printed = lines.slice(0, -2).map((line) => {
      const match = /^\s*(\d+) ms {2}(\w+)\s+(\S+)/.exec(line);
      if (!match) throw new Error(`unexpected line: ${line}`);
      return { t: Number(match[1]), kind: match[2], mirror: match[3] };
    });
    // The printed timeline is the one mirrors.timeline.json records for the docs' picture.
    expect(printed.map(({ kind, mirror }) => [kind, mirror])).toEqual(recorded.events.map((event) => [event.kind, recorded.lanes[event.lane]]));
    printed.forEach((event, i) => {
      expect(Math.abs(event.t - recorded.events[i]!.t)).toBeLessThan(60);
    });
  });

  it("happy-eyeballs.ts: connects to the IPv4-only server on localhost, then reports each refused address", async () => {
    const run = await runExample("staggered/happy-eyeballs.ts");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^connected to 127\.0\.0\.1 port \d+ over IPv4$/);
    expect(lines[1]).toBe("server says: hello over IPv4");
    expect(lines[2]).toMatch(/^StaggeredRaceError: [12] address\(es\) tried$/);
    expect(lines.slice(3).every((line) => /^ {2}(127\.0\.0\.1|::1) -> ECONNREFUSED$/.test(line))).toBe(true);
    expect(lines.slice(3)).toContain("  127.0.0.1 -> ECONNREFUSED");
  });
});

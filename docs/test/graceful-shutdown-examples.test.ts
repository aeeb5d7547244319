import { describe, expect, it } from "vitest";
import { runExample } from "./run-example.js";

const lines = (text: string): string[] => text.split("\n").filter((line) => line.length > 0);

describe("graceful-shutdown examples", () => {
  it("http-server.ts drains the server on SIGTERM and exits 143", async () => {
    const run = await runExample("graceful-shutdown/http-server.ts");
    expect(run.stderr).toBe("");
    expect(lines(run.stdout)).toEqual([
      "listening",
      "done /fast (Connection: keep-alive)",
      "stop signal: Cancelled: SIGTERM",
      "done /slow (Connection: close)",
      "drained: no connection left",
    ]);
    expect(run.code).toBe(143);
  });

  it("kubernetes.ts turns readiness off and keeps serving for drainDelay", async () => {
    const run = await runExample("graceful-shutdown/kubernetes.ts");
    expect(run.stderr).toBe("");
    expect(lines(run.stdout)).toEqual([
      "ready before the stop: 200 (Connection: keep-alive)",
      "ready during drainDelay: 503 (Connection: close)",
      "request during drainDelay: 200 (Connection: close)",
      "request after the drain: ECONNREFUSED",
    ]);
    expect(run.code).toBe(143);
  });

  it("cluster.ts forwards SIGTERM to every worker and exits 143", async () => {
    const run = await runExample("graceful-shutdown/cluster.ts");
    expect(run.stderr).toBe("");
    const printed = lines(run.stdout);
    for (const index of [0, 1]) {
      expect(printed).toContain(`worker ${index} listening`);
      expect(printed).toContain(`worker ${index} stopping (Cancelled: SIGTERM)`);
      expect(printed).toContain(`worker ${index} drained`);
      expect(printed.indexOf(`worker ${index} drained`)).toBeGreaterThan(printed.indexOf(`worker ${index} stopping (Cancelled: SIGTERM)`));
    }
    expect(printed).toHaveLength(6);
    expect(run.code).toBe(143);
  });
});

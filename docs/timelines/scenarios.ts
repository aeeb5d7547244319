/** The timeline scenarios, where their pictures appear, and what they need from the packages. */
export interface Scenario {
  /** Base name of the picture: public/timelines/<name>.svg. */
  name: string;
  /** The scenario's file in docs/examples/timelines/. */
  file: string;
  /** Package entry → the exports the scenario uses (it is skipped until they exist). */
  needs: Record<string, string[]>;
  /** The pages (source files under docs/) that show the picture. */
  pages: string[];
  /** Alt text and SVG description. */
  caption: string;
}

export const scenarios: Scenario[] = [
  {
    name: "staggered-race",
    file: "staggered-race.ts",
    needs: { "@corral/staggered": ["staggeredRace"] },
    pages: ["packages/staggered.md", "index.md"],
    caption:
      "staggeredRace() over four addresses with a 150 ms delay: the first hangs on a dead route, the second is refused, " +
      "which starts the third at once; a fourth starts 150 ms after the third; the third connects and wins, and the " +
      "hanging first and the fourth are cancelled; the race resolves after both have settled.",
  },
  {
    name: "task-group-failure",
    file: "task-group-failure.ts",
    needs: { "@corral/taskgroup": ["taskGroup"] },
    pages: ["packages/taskgroup.md", "guide/cancellation.md"],
    caption:
      "taskGroup() with four children: one finishes, one fails, and the failure cancels the two still running; " +
      "the group rejects with a TaskGroupError only after the cancelled children have finished their cleanup.",
  },
  {
    name: "shutdown-drain",
    file: "shutdown-drain.ts",
    needs: { "@corral/graceful-shutdown": ["gracefulShutdown", "drainHttpServer"] },
    pages: ["packages/graceful-shutdown.md"],
    caption:
      "A real HTTP server receives SIGTERM while three requests are in flight: it stops accepting, the two short " +
      "requests finish with Connection: close, a request that arrives later is refused, and the one request " +
      "longer than the grace period is cut when the grace ends; then the server is closed.",
  },
];

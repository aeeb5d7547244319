/**
 * What the release tests need to know about each package beyond its package.json: which entry
 * points are Node-only, one real call with an assertion (plain JavaScript run both as ESM and as
 * CommonJS, with `mods[specifier]` the loaded entry and `assert` node:assert/strict), and a small
 * TypeScript consumer (type-checked, never run) that exercises the public types, including one
 * misuse the types must reject.
 */

export interface PackageProfile {
  /** Subpaths of the exports map that need Node (the others are universal). */
  nodeOnlyEntries: readonly string[];
  /** Ambient types the consumer compiles against: the DOM library, or @types/node. */
  consumerTypes: "dom" | "node";
  smoke: string;
  consumer: string;
}

export const profiles: Readonly<Record<string, PackageProfile>> = {
  "@corral/cancel-core": {
    nodeOnlyEntries: [],
    consumerTypes: "dom",
    smoke: `
      const { CancelScope, isCancelledError, sleep } = mods["@corral/cancel-core"];
      const scope = new CancelScope({ name: "smoke" });
      const outcome = await scope.run(async (signal) => {
        scope.cancel("stop");
        await sleep(10_000, { signal });
        return "not reached";
      });
      assert.equal(outcome, undefined);
      assert.equal(scope.cancelledCaught, true);
      assert.equal(isCancelledError(scope.signal.reason), true);
      assert.equal(scope.signal.reason.reason, "stop");
    `,
    consumer: `
      import { CancelScope, isCancelledError, sleep, type CancelScopeOptions } from "@corral/cancel-core";

      export async function main(): Promise<boolean> {
        const options: CancelScopeOptions = { timeout: 1000, name: "consumer" };
        using scope = new CancelScope(options);
        const value: number | undefined = await scope.run(async (signal: AbortSignal) => {
          await sleep(1, { signal });
          return 1;
        });
        // @ts-expect-error a timeout is a number of milliseconds
        new CancelScope({ timeout: "1" });
        return value === 1 && !isCancelledError(scope.signal.reason);
      }
    `,
  },
  "@corral/taskgroup": {
    nodeOnlyEntries: [],
    consumerTypes: "dom",
    smoke: `
      const { gather, taskGroup, TaskGroupError } = mods["@corral/taskgroup"];
      assert.deepEqual(await gather([() => 1, async () => "two"]), [1, "two"]);
      const failure = await taskGroup((group) => {
        group.spawn(async () => {
          throw new Error("boom");
        });
        group.spawn((signal) => new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true })));
      }).then(
        () => undefined,
        (error) => error,
      );
      assert.ok(failure instanceof TaskGroupError, String(failure));
      assert.deepEqual(failure.errors.map((error) => error.message), ["boom"]);
    `,
    consumer: `
      import { TaskGroup, TaskGroupError, taskGroup, type Task } from "@corral/taskgroup";

      export async function main(signal: AbortSignal): Promise<number> {
        try {
          const result: number | undefined = await taskGroup(
            async (group: TaskGroup) => {
              const task: Task<number> = group.spawn(async (child: AbortSignal) => (child.aborted ? 0 : 1), { name: "one" });
              // @ts-expect-error spawn takes a function
              group.spawn(42);
              return (await task) + group.size;
            },
            { signal },
          );
          return result ?? 0;
        } catch (error) {
          if (error instanceof TaskGroupError) return error.errors.length;
          throw error;
        }
      }
    `,
  },
  "@corral/shield": {
    nodeOnlyEntries: [],
    consumerTypes: "dom",
    smoke: `
      const { shield } = mods["@corral/shield"];
      assert.equal(await shield(() => 42), 42);
      const outer = new AbortController();
      let finished = false;
      const shielded = shield(
        async (signal) => {
          outer.abort(new Error("outer"));
          await new Promise((resolve) => setTimeout(resolve, 5));
          finished = !signal.aborted;
        },
        { signal: outer.signal },
      );
      await assert.rejects(shielded, (error) => error === outer.signal.reason);
      assert.equal(finished, true);
    `,
    consumer: `
      import { shield } from "@corral/shield";

      export async function main(signal: AbortSignal): Promise<number> {
        const value: number = await shield(async (inner: AbortSignal) => (inner.aborted ? 0 : 1), { signal, timeout: 1000 });
        // @ts-expect-error a timeout is a number of milliseconds
        await shield(() => 1, { timeout: "1" });
        return value;
      }
    `,
  },
  "@corral/timeout": {
    nodeOnlyEntries: [],
    consumerTypes: "dom",
    smoke: `
      const { withTimeout, moveOnAfter, TimeoutError } = mods["@corral/timeout"];
      const untilAborted = (signal) =>
        new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
      assert.equal(await withTimeout(10_000, () => "ok"), "ok");
      await assert.rejects(withTimeout(1, untilAborted), (error) => error instanceof TimeoutError && error.name === "TimeoutError");
      assert.equal(await moveOnAfter(1, untilAborted), undefined);
    `,
    consumer: `
      import { moveOnAfter, TimeoutError, withDeadline, withTimeout, type Timeout } from "@corral/timeout";

      export async function main(): Promise<string> {
        try {
          const value: string = await withTimeout(100, async (signal: AbortSignal, timeout: Timeout) => {
            timeout.reschedule(timeout.deadline + 10);
            return \`\${signal.aborted}:\${timeout.state}\`;
          });
          const moved: number | undefined = await moveOnAfter(100, () => 1);
          const late: boolean = await withDeadline(0, (_signal, timeout) => timeout.expired);
          // @ts-expect-error a duration is a number of milliseconds
          await withTimeout("100", () => 1);
          return value + String(moved) + String(late);
        } catch (error) {
          if (!(error instanceof TimeoutError)) throw error;
          const name: "TimeoutError" = error.name;
          return name;
        }
      }
    `,
  },
  "@corral/staggered": {
    nodeOnlyEntries: ["./net"],
    consumerTypes: "node",
    smoke: `
      const { staggeredRace, StaggeredRaceError } = mods["@corral/staggered"];
      const result = await staggeredRace([async () => { throw new Error("first"); }, async () => "second"], { delay: 10_000 });
      assert.equal(result.value, "second");
      assert.equal(result.index, 1);
      assert.equal(result.errors.length, 2);
      assert.equal(result.errors[0].message, "first");
      assert.equal(result.errors[1], undefined);
      await assert.rejects(staggeredRace([]), (error) => error instanceof StaggeredRaceError);
      assert.equal(typeof mods["@corral/staggered/net"].happyEyeballs, "function");
    `,
    consumer: `
      import type { Socket } from "node:net";
      import { StaggeredRaceError, staggeredRace, type StaggeredResult } from "@corral/staggered";
      import { happyEyeballs } from "@corral/staggered/net";

      export async function main(): Promise<number> {
        const result: StaggeredResult<string> = await staggeredRace([async (signal: AbortSignal) => String(signal.aborted)], {
          delay: null,
        });
        const socket: Socket = await happyEyeballs({ host: "localhost", port: 80, attemptDelay: 100 });
        socket.destroy();
        // @ts-expect-error the delay is a number of milliseconds or null
        await staggeredRace([() => 1], { delay: "1" });
        return result.index + (result.errors[0] instanceof StaggeredRaceError ? 1 : 0);
      }
    `,
  },
  "@corral/graceful-shutdown": {
    nodeOnlyEntries: [".", "./cluster"],
    consumerTypes: "node",
    smoke: `
      const { drainHttpServer, gracefulShutdown, runMain } = mods["@corral/graceful-shutdown"];
      assert.equal(typeof drainHttpServer, "function");
      assert.equal(typeof runMain, "function");
      assert.equal(typeof mods["@corral/graceful-shutdown/cluster"].runCluster, "function");
      const listenersBefore = process.listenerCount("SIGTERM");
      const shutdown = gracefulShutdown({ timeout: 5_000 });
      const order = [];
      shutdown.onShutdown(() => {
        order.push("registered first");
      });
      shutdown.onShutdown((signal) => {
        order.push("registered last, grace ended: " + signal.aborted);
      });
      await shutdown.shutdown("smoke");
      assert.equal(shutdown.signal.aborted, true);
      assert.deepEqual(order, ["registered last, grace ended: false", "registered first"]);
      await shutdown[Symbol.asyncDispose]();
      assert.equal(process.listenerCount("SIGTERM"), listenersBefore);
    `,
    consumer: `
      import { createServer } from "node:http";
      import { drainHttpServer, gracefulShutdown, runMain, type Shutdown, type ShutdownOptions } from "@corral/graceful-shutdown";
      import { runCluster } from "@corral/graceful-shutdown/cluster";

      export async function main(): Promise<void> {
        const options: ShutdownOptions = { signals: ["SIGTERM"], timeout: 1000 };
        const shutdown: Shutdown = gracefulShutdown(options);
        const server = createServer();
        const hook: Disposable = shutdown.onShutdown((signal: AbortSignal) => drainHttpServer(server, { signal, timeout: 500 }));
        hook[Symbol.dispose]();
        await shutdown.shutdown("done");
        await shutdown[Symbol.asyncDispose]();
        // @ts-expect-error a grace period is a number of milliseconds
        gracefulShutdown({ timeout: "1" });
        runMain(async (signal: AbortSignal) => signal.aborted);
        runCluster(async (_signal: AbortSignal, worker: { index: number }) => worker.index, { workers: 2, restartOnCrash: true });
      }
    `,
  },
  "@corral/apartial": {
    nodeOnlyEntries: [],
    consumerTypes: "dom",
    smoke: `
      const { apartial, isAsyncFunction } = mods["@corral/apartial"];
      const add = apartial((a, b, c) => a + b + c, 1, 2);
      assert.equal(add(3), 6);
      assert.equal(add.length, 1);
      assert.equal(isAsyncFunction(add), false);
      const addLater = apartial(async (a, b) => a + b, 1);
      assert.equal(isAsyncFunction(addLater), true);
      assert.equal(await addLater(2), 3);
    `,
    consumer: `
      import { apartial, isAsyncFunction } from "@corral/apartial";

      export async function main(): Promise<number> {
        const describe = apartial((a: number, b: string, c: boolean) => \`\${a}\${b}\${c}\`, 1);
        const text: string = describe("x", true);
        const repeat = apartial(async (url: string, times: number) => url.length * times, "https://example.test");
        const length: number = await repeat(2);
        // @ts-expect-error the remaining parameter is a number
        await repeat("2");
        return isAsyncFunction(repeat) ? length + text.length : 0;
      }
    `,
  },
};

export function profileOf(name: string): PackageProfile {
  const profile = profiles[name];
  if (profile === undefined) {
    throw new Error(`tests/support/profiles.ts has no profile for ${name}: add its smoke call and consumer there`);
  }
  return profile;
}

/** The package's entry points that run anywhere (browsers, workers, Deno, Node). */
export function isUniversal(name: string, subpath: string): boolean {
  return !profileOf(name).nodeOnlyEntries.includes(subpath);
}

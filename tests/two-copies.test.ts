/**
 * Issue 11: two copies of cancel-core in one application still agree. The application depends on
 * two corral packages that each resolve their own copy of cancel-core (npm's nested install
 * strategy, all from the packed tarballs); cancellations and errors made by one copy are recognised
 * by the other, and a CancelScope of one copy is a valid parent signal for the other. The ESM and
 * CommonJS builds of one copy are a third pairing (the dual-package hazard).
 */
import { getEventListeners } from "node:events";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packAll, tempDir } from "./support/pack.js";
import { npmInstall } from "./support/processes.js";
import { coreName, findPackage } from "./support/workspace.js";

type Core = typeof import("@corral/cancel-core");
type TimeoutPackage = typeof import("@corral/timeout");
type TaskgroupPackage = typeof import("@corral/taskgroup");

// Two universal packages that depend on cancel-core; they also take part in the end-to-end checks.
const left = findPackage("@corral/timeout");
const right = findPackage("@corral/taskgroup");

interface Copies {
  leftEsm: Core;
  leftCjs: Core;
  rightEsm: Core;
  leftDir: string;
  rightDir: string;
  app: string;
}

let work: ReturnType<typeof tempDir> | undefined;
let copies: Copies | undefined;

function installed(): Copies {
  if (copies === undefined) throw new Error("the two-copy application was not installed");
  return copies;
}

/** The cancel-core that `dependent` resolves, loaded by Node as ESM from inside that package. */
async function importFrom(dependentDir: string): Promise<Core> {
  const probe = join(dependentDir, "resolve-cancel-core.mjs");
  writeFileSync(probe, `export * from ${JSON.stringify(coreName)};\n`);
  return (await import(pathToFileURL(probe).href)) as Core;
}

beforeAll(async () => {
  work = tempDir("two-copies");
  const packed = await packAll(join(work.path, "tarballs"), [coreName, left.name, right.name]);
  const tarball = (name: string): string => {
    const found = packed.get(name)?.tarball;
    if (found === undefined) throw new Error(`no tarball for ${name}`);
    return found;
  };
  const app = join(work.path, "app");
  mkdirSync(app, { recursive: true });
  // The override points the dependents' `^x.y.z` range at the local tarball; the nested strategy
  // gives each dependent its own copy instead of hoisting one.
  writeFileSync(
    join(app, "package.json"),
    `${JSON.stringify({ name: "two-copies-app", version: "1.0.0", private: true, overrides: { [coreName]: `file:${tarball(coreName)}` } }, null, 2)}\n`,
  );
  await npmInstall(app, [tarball(left.name), tarball(right.name)], { nested: true });
  const leftDir = join(app, "node_modules", left.name);
  const rightDir = join(app, "node_modules", right.name);
  copies = {
    app,
    leftDir,
    rightDir,
    leftEsm: await importFrom(leftDir),
    leftCjs: createRequire(join(leftDir, "package.json"))(coreName) as Core,
    rightEsm: await importFrom(rightDir),
  };
}, 120_000);

afterAll(() => {
  work?.remove();
});

describe("the two-copy application", () => {
  it("resolves a separate copy of cancel-core for each dependent, both from the packed tarball", () => {
    const { app, leftDir, rightDir, leftEsm, rightEsm } = installed();
    const core = findPackage(coreName);
    expect(existsSync(join(app, "node_modules", coreName)), "cancel-core was hoisted into one copy").toBe(false);
    for (const dependent of [leftDir, rightDir]) {
      const copy = join(dependent, "node_modules", coreName);
      expect(readFileSync(join(copy, "dist", "index.js")).equals(readFileSync(join(core.dir, "dist", "index.js")))).toBe(true);
      expect(readFileSync(join(copy, "dist", "index.cjs")).equals(readFileSync(join(core.dir, "dist", "index.cjs")))).toBe(true);
    }
    expect(leftEsm.CancelScope).not.toBe(rightEsm.CancelScope);
    expect(leftEsm.CancelledError).not.toBe(rightEsm.CancelledError);
  });
});

const pairs: [string, (c: Copies) => Core, (c: Copies) => Core][] = [
  [`${left.name}'s copy → ${right.name}'s copy`, (c) => c.leftEsm, (c) => c.rightEsm],
  [`${right.name}'s copy → ${left.name}'s copy`, (c) => c.rightEsm, (c) => c.leftEsm],
  ["the CommonJS build → the ESM build of another copy", (c) => c.leftCjs, (c) => c.rightEsm],
  ["the CommonJS build → the ESM build of the same copy", (c) => c.leftCjs, (c) => c.leftEsm],
];

for (const [title, pickA, pickB] of pairs) {
  describe(`cancel-core across copies: ${title}`, () => {
    const both = (): { a: Core; b: Core } => ({ a: pickA(installed()), b: pickB(installed()) });

    it("a scope's cancellation is a CancelledError and a cancellation to the other copy", () => {
      const { a, b } = both();
      const scope = new a.CancelScope();
      scope.cancel("stop");
      const reason: unknown = scope.signal.reason;
      expect(b.isCancelledError(reason)).toBe(true);
      expect(b.isCancellation(reason)).toBe(true);
      expect(b.isTimeoutError(reason)).toBe(false);
      expect(b.isCancelledError(new a.CancelledError("made directly"))).toBe(true);
    });

    it("a TimeoutError is recognised by its brand, and is not a cancellation", () => {
      const { a, b } = both();
      const error = new a.TimeoutError("too slow", { cause: new a.CancelledError() });
      expect(b.isTimeoutError(error)).toBe(true);
      expect(b.isCancelledError(error)).toBe(false);
      expect(b.isCancellation(error)).toBe(false);
      expect(b.isCancelledError(error.cause)).toBe(true);
    });

    it("an AbortError and a plain Error are classified alike by both copies", () => {
      const { a, b } = both();
      const abort = new DOMException("aborted", "AbortError");
      const plain = new Error("plain");
      for (const core of [a, b]) {
        expect(core.isCancellation(abort)).toBe(true);
        expect(core.isCancelledError(abort)).toBe(false);
        expect(core.isCancellation(plain)).toBe(false);
      }
    });

    it("a scope of one copy is a parent signal for a scope of the other: the reason travels unchanged", () => {
      const { a, b } = both();
      const parent = new a.CancelScope({ name: "parent" });
      using child = new b.CancelScope({ signal: parent.signal, name: "child" });
      expect(child.signal.aborted).toBe(false);
      parent.cancel("stop");
      expect(child.signal.aborted).toBe(true);
      expect(child.signal.reason).toBe(parent.signal.reason);
      expect(parent.owns(child.signal.reason)).toBe(true);
      expect(child.owns(child.signal.reason)).toBe(false);
      expect(child.cancelCalled).toBe(false);
    });

    it("a child of an already-cancelled parent of the other copy starts cancelled", () => {
      const { a, b } = both();
      const parent = new a.CancelScope();
      parent.cancel();
      using child = new b.CancelScope({ signal: parent.signal });
      expect(child.signal.aborted).toBe(true);
      expect(child.signal.reason).toBe(parent.signal.reason);
    });

    it("run() of the child rejects with the foreign parent's cancellation when the parent's deadline passes", async () => {
      const { a, b } = both();
      const parent = new a.CancelScope({ timeout: 1 });
      const child = new b.CancelScope({ signal: parent.signal });
      const outcome = await child.run((signal) => b.sleep(10_000, { signal })).then(
        () => "resolved",
        (error: unknown) => error,
      );
      expect(outcome).toBe(parent.signal.reason);
      expect(parent.owns(outcome)).toBe(true);
      expect(b.isCancelledError(outcome)).toBe(true);
      parent[Symbol.dispose]();
    });

    it("a shielded child ignores the foreign parent until it is unshielded", () => {
      const { a, b } = both();
      const parent = new a.CancelScope();
      using child = new b.CancelScope({ signal: parent.signal, shield: true });
      parent.cancel();
      expect(child.signal.aborted).toBe(false);
      child.shield = false;
      expect(child.signal.aborted).toBe(true);
      expect(child.signal.reason).toBe(parent.signal.reason);
    });

    it("cancellable(), onCancel() and anySignal() accept the other copy's signals and leave no listener behind", async () => {
      const { a, b } = both();
      const first = new a.CancelScope();
      const second = new a.CancelScope();
      const seen: unknown[] = [];
      const registration = b.onCancel(first.signal, (reason) => seen.push(reason));
      const any = b.anySignal([first.signal, second.signal]);
      const pending = b.cancellable(new Promise<never>(() => {}), first.signal);
      first.cancel("first");
      await expect(pending).rejects.toBe(first.signal.reason);
      expect(seen).toEqual([first.signal.reason]);
      expect(any.aborted).toBe(true);
      expect(any.reason).toBe(first.signal.reason);
      registration[Symbol.dispose]();
      any[Symbol.dispose]();

      const child = new b.CancelScope({ signal: second.signal });
      const watched = b.onCancel(second.signal, () => {});
      child[Symbol.dispose]();
      watched[Symbol.dispose]();
      expect(getEventListeners(first.signal, "abort")).toHaveLength(0);
      expect(getEventListeners(second.signal, "abort")).toHaveLength(0);
    });
  });
}

describe.skipIf(!left.hasSources || !right.hasSources)(`${left.name} and ${right.name} with their own copies`, () => {
  /** The two dependents as the application imports them, each bound to its own cancel-core. */
  const loadPackages = async (): Promise<{ timeout: TimeoutPackage; taskgroup: TaskgroupPackage }> => {
    const entry = join(installed().app, "dependents.mjs");
    writeFileSync(entry, `export * as timeout from ${JSON.stringify(left.name)};\nexport * as taskgroup from ${JSON.stringify(right.name)};\n`);
    return (await import(pathToFileURL(entry).href)) as { timeout: TimeoutPackage; taskgroup: TaskgroupPackage };
  };
  const untilAborted = (signal: AbortSignal): Promise<never> =>
    new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));

  it(`a TimeoutError from ${left.name} is an error, not a cancellation, for ${right.name}`, async () => {
    const { timeout, taskgroup } = await loadPackages();
    const { rightEsm } = installed();
    const outcome = await taskgroup
      .taskGroup((group) => {
        group.spawn(() => timeout.withTimeout(1, untilAborted));
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(outcome).toBeInstanceOf(taskgroup.TaskGroupError);
    const [inner] = (outcome as AggregateError).errors as unknown[];
    expect(rightEsm.isTimeoutError(inner)).toBe(true);
    expect(rightEsm.isCancellation(inner)).toBe(false);
  });

  it(`a cancellation made by ${left.name}'s copy ends a ${right.name} child without an error`, async () => {
    const { taskgroup } = await loadPackages();
    const { leftEsm } = installed();
    const value = await taskgroup.taskGroup((group) => {
      group.spawn(() => {
        throw new leftEsm.CancelledError("elsewhere");
      });
      return "done";
    });
    expect(value).toBe("done");
  });

  it(`a scope of ${left.name}'s copy is a parent for ${right.name}'s group, and its listener is removed`, async () => {
    const { taskgroup } = await loadPackages();
    const { leftEsm } = installed();
    const parent = new leftEsm.CancelScope();
    const group = taskgroup.taskGroup(
      (g) => {
        g.spawn(untilAborted);
        queueMicrotask(() => parent.cancel("stop"));
      },
      { signal: parent.signal },
    );
    const outcome = await group.then(
      () => "resolved",
      (error: unknown) => error,
    );
    expect(outcome).toBe(parent.signal.reason);
    expect(parent.owns(outcome)).toBe(true);
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
  });

  it(`a scope of ${right.name}'s copy is a parent for ${left.name}'s timeout, and passes through unconverted`, async () => {
    const { timeout } = await loadPackages();
    const { rightEsm } = installed();
    const parent = new rightEsm.CancelScope();
    const pending = timeout.withTimeout(10_000, untilAborted, { signal: parent.signal });
    parent.cancel("stop");
    await expect(pending).rejects.toBe(parent.signal.reason);
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
  });
});

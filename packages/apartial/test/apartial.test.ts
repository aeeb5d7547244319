import { apartial, isAsyncFunction } from "@corral/apartial";
import { describe, expect, it } from "vitest";

const AsyncFunction = (async () => {}).constructor;
const AsyncGeneratorFunction = (async function* () {}).constructor;
const GeneratorFunction = function* () {}.constructor;
const tag = (value: unknown): string => Object.prototype.toString.call(value);

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of iterable) values.push(value);
  return values;
}

describe("apartial()", () => {
  describe("kind of the result", () => {
    it("returns a real async function for an async function", async () => {
      const partial = apartial(async (a: number, b: number) => a + b, 1);
      expect(isAsyncFunction(partial)).toBe(true);
      expect((partial as unknown as Record<symbol, unknown>)[Symbol.toStringTag]).toBe("AsyncFunction");
      expect(tag(partial)).toBe("[object AsyncFunction]");
      expect(partial).toBeInstanceOf(AsyncFunction);
      const result = partial(2);
      expect(result).toBeInstanceOf(Promise);
      await expect(result).resolves.toBe(3);
    });

    it("returns an async function for a bound async function and an async method", async () => {
      const owner = {
        base: 10,
        async add(x: number) {
          return this.base + x;
        },
      };
      const fromBound = apartial(owner.add.bind(owner), 1);
      const fromMethod = apartial(owner.add, 2);
      expect(tag(fromBound)).toBe("[object AsyncFunction]");
      expect(tag(fromMethod)).toBe("[object AsyncFunction]");
      await expect(fromBound()).resolves.toBe(11);
    });

    it("keeps an async generator function an async generator function that delegates with yield*", async () => {
      async function* count(from: number, to: number) {
        for (let i = from; i <= to; i++) yield i;
        return "done";
      }
      const partial = apartial(count, 3);
      expect(tag(partial)).toBe("[object AsyncGeneratorFunction]");
      expect(partial).toBeInstanceOf(AsyncGeneratorFunction);
      expect(isAsyncFunction(partial)).toBe(true);
      await expect(collect(partial(5))).resolves.toEqual([3, 4, 5]);
      const iterator = partial(3);
      await expect(iterator.next()).resolves.toEqual({ value: 3, done: false });
      await expect(iterator.next()).resolves.toEqual({ value: "done", done: true });
    });

    it("forwards return() to the wrapped async generator, so its finally block runs", async () => {
      const events: string[] = [];
      async function* ticks(label: string) {
        try {
          for (let i = 0; ; i++) yield `${label}${i}`;
        } finally {
          events.push("closed");
        }
      }
      for await (const tick of apartial(ticks, "t")()) {
        if (tick === "t1") break;
      }
      expect(events).toEqual(["closed"]);
    });

    it("forwards throw() to the wrapped async generator", async () => {
      const caught: unknown[] = [];
      async function* listen() {
        try {
          yield 1;
        } catch (error) {
          caught.push(error);
          yield 2;
        }
      }
      const iterator = apartial(listen)();
      await iterator.next();
      const error = new Error("stop");
      await expect(iterator.throw(error)).resolves.toEqual({ value: 2, done: false });
      expect(caught[0]).toBe(error);
    });

    it("keeps a generator function a generator function", () => {
      function* repeat(value: string, times: number) {
        for (let i = 0; i < times; i++) yield value;
        return times;
      }
      const partial = apartial(repeat, "x");
      expect(tag(partial)).toBe("[object GeneratorFunction]");
      expect(partial).toBeInstanceOf(GeneratorFunction);
      expect(isAsyncFunction(partial)).toBe(false);
      expect([...partial(3)]).toEqual(["x", "x", "x"]);
      const iterator = partial(0);
      expect(iterator.next()).toEqual({ value: 0, done: true });
    });

    it("keeps a sync function sync: the result is returned, not a promise", () => {
      const partial = apartial((a: number, b: number) => a * b, 6);
      expect(tag(partial)).toBe("[object Function]");
      expect(isAsyncFunction(partial)).toBe(false);
      expect(partial(7)).toBe(42);
    });

    it("keeps a sync function that returns a promise sync (it cannot know what fn returns)", async () => {
      const returnsPromise = (x: number) => Promise.resolve(x);
      const partial = apartial(returnsPromise, 1);
      expect(isAsyncFunction(partial)).toBe(false);
      const promise = partial();
      expect(promise).toBeInstanceOf(Promise);
      await expect(promise).resolves.toBe(1);
    });

    it("returns a new function of the same kind for every call, without calling fn", () => {
      let calls = 0;
      const fn = async () => {
        calls++;
      };
      const first = apartial(fn);
      const second = apartial(fn);
      expect(first).not.toBe(second);
      expect(first).not.toBe(fn);
      expect(calls).toBe(0);
    });

    it("cannot be called with new, whatever its kind", () => {
      const sync = apartial(function (this: unknown) {
        return this;
      }) as unknown as new () => unknown;
      const async = apartial(async () => {}) as unknown as new () => unknown;
      expect(() => new sync()).toThrow(TypeError);
      expect(() => new async()).toThrow(TypeError);
    });
  });

  describe("values and errors", () => {
    it("rejects with exactly the object an async fn rejects with", async () => {
      const error = new Error("boom");
      const partial = apartial(async (_x: number) => {
        throw error;
      }, 1);
      await expect(partial()).rejects.toBe(error);
    });

    it("rejects with a non-Error rejection value unchanged", async () => {
      const reason = { code: 42 };
      const partial = apartial(() => Promise.reject(reason));
      await expect(partial()).rejects.toBe(reason);
      const asyncPartial = apartial(async () => Promise.reject("plain string"));
      await expect(asyncPartial()).rejects.toBe("plain string");
    });

    it("throws exactly the object a sync fn throws, synchronously", () => {
      const error = new TypeError("bad");
      const partial = apartial((_x: number) => {
        throw error;
      }, 1);
      let thrown: unknown;
      try {
        partial();
      } catch (caught) {
        thrown = caught;
      }
      expect(thrown).toBe(error);
    });

    it("turns a synchronous throw of an async-tagged fn into a rejection with the same object", async () => {
      const error = new Error("sync throw");
      const pretender = () => {
        throw error;
      };
      Object.defineProperty(pretender, Symbol.toStringTag, { value: "AsyncFunction" });
      const partial = apartial(pretender);
      const result = partial();
      expect(result).toBeInstanceOf(Promise);
      await expect(result).rejects.toBe(error);
    });

    it("passes an error thrown inside an async generator through next() unchanged", async () => {
      const error = new Error("generator failed");
      async function* failing(first: number) {
        yield first;
        throw error;
      }
      const iterator = apartial(failing, 1)();
      await expect(iterator.next()).resolves.toEqual({ value: 1, done: false });
      await expect(iterator.next()).rejects.toBe(error);
    });

    it("returns the very object fn resolves with", async () => {
      const value = { id: 1 };
      await expect(apartial(async () => value)()).resolves.toBe(value);
      expect(apartial(() => value)()).toBe(value);
    });
  });

  describe("arguments and this", () => {
    it("passes the bound arguments first and the call-time arguments after", () => {
      const calls: unknown[][] = [];
      const record = (...args: unknown[]) => {
        calls.push(args);
      };
      const partial = apartial(record, "a", "b");
      partial("c", "d");
      partial();
      expect(calls).toEqual([
        ["a", "b", "c", "d"],
        ["a", "b"],
      ]);
    });

    it("passes the bound arguments by reference, unchanged, on every call", async () => {
      const options = { retries: 3 };
      const seen: unknown[] = [];
      const partial = apartial(async (o: object, n: number) => {
        seen.push(o, n);
      }, options);
      await partial(1);
      await partial(2);
      expect(seen[0]).toBe(options);
      expect(seen[2]).toBe(options);
      expect(seen).toEqual([options, 1, options, 2]);
    });

    it("passes undefined bound arguments through instead of dropping them", () => {
      const partial = apartial((...args: unknown[]) => args.length, undefined, undefined);
      expect(partial(undefined)).toBe(3);
    });

    it("forwards this to a sync, async and generator fn", async () => {
      const target = { label: "target" };
      function sync(this: unknown, x: number) {
        return [this, x];
      }
      async function asynchronous(this: unknown, x: number) {
        return [this, x];
      }
      function* generator(this: unknown, x: number) {
        yield [this, x];
      }
      async function* asyncGenerator(this: unknown, x: number) {
        yield [this, x];
      }
      expect(apartial(sync, 1).call(target)).toEqual([target, 1]);
      await expect(apartial(asynchronous, 2).call(target)).resolves.toEqual([target, 2]);
      expect([...apartial(generator, 3).call(target)]).toEqual([[target, 3]]);
      await expect(collect(apartial(asyncGenerator, 4).call(target))).resolves.toEqual([[target, 4]]);
    });

    it("works as a method: this is the object it is called on", async () => {
      const account = {
        balance: 100,
        withdraw: apartial(async function (this: { balance: number }, fee: number, amount: number) {
          this.balance -= amount + fee;
          return this.balance;
        }, 1),
      };
      await expect(account.withdraw(9)).resolves.toBe(90);
    });

    it("leaves this undefined when called as a plain function", () => {
      const partial = apartial(function (this: unknown) {
        return this;
      });
      expect(partial()).toBeUndefined();
    });
  });

  describe("name and length", () => {
    it("takes its name from fn", () => {
      async function loadUser(_id: number) {}
      expect(apartial(loadUser, 1).name).toBe("loadUser");
      expect(apartial(loadUser.bind(null), 1).name).toBe("bound loadUser");
      expect(apartial(() => 1).name).toBe("");
      const custom = () => {};
      Object.defineProperty(custom, "name", { value: "custom name" });
      expect(apartial(custom).name).toBe("custom name");
    });

    it.each([
      [3, 0, 3],
      [3, 1, 2],
      [3, 3, 0],
      [2, 5, 0],
      [0, 2, 0],
    ])("has length max(0, %i - %i) = %i", (fnLength, boundCount, expected) => {
      const fn = (..._args: unknown[]) => {};
      Object.defineProperty(fn, "length", { value: fnLength });
      const partial = apartial(fn, ...Array.from({ length: boundCount }, (_, i) => i));
      expect(partial.length).toBe(expected);
    });

    it("counts length the way JavaScript does: parameters before the first default or rest", () => {
      const withDefault = (a: number, b: number, c = 1, d = 2) => a + b + c + d;
      const withRest = (a: number, b: number, ...rest: number[]) => a + b + rest.length;
      expect(apartial(withDefault, 1).length).toBe(1);
      expect(apartial(withRest, 1).length).toBe(1);
      expect(apartial(withRest, 1, 2, 3).length).toBe(0);
    });

    it("describes name and length like an ordinary function (non-writable, non-enumerable, configurable)", () => {
      const partial = apartial(function sum(a: number, b: number) {
        return a + b;
      }, 1);
      for (const key of ["name", "length"]) {
        expect(Object.getOwnPropertyDescriptor(partial, key)).toMatchObject({
          writable: false,
          enumerable: false,
          configurable: true,
        });
      }
      expect(Object.keys(partial)).toEqual([]);
    });
  });

  describe("partial of a partial", () => {
    it("behaves like one partial with all the bound arguments", async () => {
      const calls: unknown[][] = [];
      async function record(this: unknown, ...args: unknown[]) {
        calls.push([this, ...args]);
        return args.length;
      }
      const target = {};
      const nested = apartial(apartial(apartial(record, 1), 2, 3), 4);
      const flat = apartial(record, 1, 2, 3, 4);
      await expect(nested.call(target, 5)).resolves.toBe(5);
      await expect(flat.call(target, 5)).resolves.toBe(5);
      expect(calls).toEqual([
        [target, 1, 2, 3, 4, 5],
        [target, 1, 2, 3, 4, 5],
      ]);
      expect(isAsyncFunction(nested)).toBe(true);
    });

    it("keeps the name and length rules consistent with a single partial", () => {
      function f(_a: number, _b: number, _c: number, _d: number) {}
      const once = apartial(f, 1, 2);
      const twice = apartial(apartial(f, 1), 2);
      expect(twice.name).toBe("f");
      expect(twice.length).toBe(once.length);
      const overBound = apartial(f, 1, 2, 3) as (...args: number[]) => void;
      expect(apartial(overBound, 4, 5, 6).length).toBe(0);
    });

    it("calls the original function directly instead of going through each wrapper", () => {
      const depth = () => new Error("probe").stack?.split("\n").length ?? 0;
      const previousLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 100;
      try {
        let nested = apartial(depth);
        for (let i = 0; i < 5; i++) nested = apartial(nested);
        expect(nested()).toBe(apartial(depth)());
      } finally {
        Error.stackTraceLimit = previousLimit;
      }
    });

    it("does not change the inner partial", () => {
      const add = (a: number, b: number, c: number) => a + b + c;
      const inner = apartial(add, 1);
      const outer = apartial(inner, 10);
      expect(outer(100)).toBe(111);
      expect(inner(10, 100)).toBe(111);
      expect(inner.length).toBe(2);
      expect(outer.length).toBe(1);
    });

    it("keeps an async generator partial of a partial an async generator function", async () => {
      async function* range(from: number, to: number) {
        for (let i = from; i < to; i++) yield i;
      }
      const nested = apartial(apartial(range, 1), 4);
      expect(tag(nested)).toBe("[object AsyncGeneratorFunction]");
      await expect(collect(nested())).resolves.toEqual([1, 2, 3]);
    });
  });

  describe("bad input", () => {
    it.each([
      ["undefined", undefined],
      ["null", null],
      ["a number", 1],
      ["a string", "fn"],
      ["a plain object", {}],
      ["an object tagged AsyncFunction", { [Symbol.toStringTag]: "AsyncFunction" }],
      ["a promise", Promise.resolve()],
    ])("throws a TypeError naming fn for %s", (_label, value) => {
      expect(() => apartial(value as never)).toThrow(TypeError);
      expect(() => apartial(value as never)).toThrow(/fn must be a function/);
    });
  });

  describe("the dispatcher bug it prevents", () => {
    async function emit(hooks: Array<(event: string) => unknown>, event: string): Promise<void> {
      for (const hook of hooks) {
        if (isAsyncFunction(hook)) await hook(event);
        else hook(event);
      }
    }

    it("a hand-written arrow around an async hook is not awaited by the dispatcher", async () => {
      const log: string[] = [];
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      async function write(into: string[], event: string) {
        await gate;
        into.push(event);
      }
      let pending: Promise<void> | undefined;
      await emit([(event) => (pending = write(log, event))], "a");
      expect(log).toEqual([]);
      release();
      await pending;
      expect(log).toEqual(["a"]);
    });

    it("an apartial of an async hook is awaited by the dispatcher", async () => {
      const log: string[] = [];
      async function write(into: string[], event: string) {
        await new Promise((resolve) => setImmediate(resolve));
        into.push(event);
      }
      await emit([apartial(write, log)], "a");
      expect(log).toEqual(["a"]);
    });
  });
});

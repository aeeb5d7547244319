import { types } from "node:util";
import { runInNewContext } from "node:vm";
import { apartial, isAsyncFunction } from "@corral/apartial";
import { describe, expect, it } from "vitest";

describe("isAsyncFunction()", () => {
  it("recognises async function declarations, arrows and methods", () => {
    async function declaration() {}
    const arrow = async () => {};
    const object = {
      async method() {},
    };
    class Service {
      async method() {}
      static async create() {}
    }
    for (const fn of [declaration, arrow, object.method, Service.prototype.method, Service.create]) {
      expect(isAsyncFunction(fn)).toBe(true);
    }
  });

  it("recognises async generator functions and methods", () => {
    async function* generator() {}
    const object = {
      async *method() {},
    };
    expect(isAsyncFunction(generator)).toBe(true);
    expect(isAsyncFunction(object.method)).toBe(true);
  });

  it("recognises bound async functions, which Node's util.types.isAsyncFunction does not", () => {
    async function load(this: unknown, _id: number) {}
    const bound = load.bind({}, 1);
    // A bound function inherits its target's prototype, hence its Symbol.toStringTag.
    expect(Object.prototype.toString.call(bound)).toBe("[object AsyncFunction]");
    expect(bound.constructor).toBe(load.constructor);
    expect(types.isAsyncFunction(bound)).toBe(false);
    expect(isAsyncFunction(bound)).toBe(true);
    expect(isAsyncFunction(async function* () {}.bind(null))).toBe(true);
  });

  it("recognises apartial results of async functions", () => {
    const fn = async (a: number, b: number) => a + b;
    expect(isAsyncFunction(apartial(fn))).toBe(true);
    expect(isAsyncFunction(apartial(fn, 1))).toBe(true);
    expect(isAsyncFunction(apartial(apartial(fn, 1), 2))).toBe(true);
    expect(isAsyncFunction(apartial(async function* (_x: number) {}, 1))).toBe(true);
  });

  it("recognises async functions from another realm", () => {
    expect(isAsyncFunction(runInNewContext("(async () => {})"))).toBe(true);
    expect(isAsyncFunction(runInNewContext("(function () {})"))).toBe(false);
  });

  it("recognises a proxy of an async function", () => {
    expect(isAsyncFunction(new Proxy(async () => {}, {}))).toBe(true);
  });

  it("returns false for plain functions that return promises (it cannot know without calling them)", () => {
    const arrow = () => Promise.resolve(1);
    function declaration() {
      return new Promise((resolve) => resolve(1));
    }
    const wrapper = (x: number) => (async (y: number) => y)(x);
    expect(isAsyncFunction(arrow)).toBe(false);
    expect(isAsyncFunction(declaration)).toBe(false);
    expect(isAsyncFunction(wrapper)).toBe(false);
    expect(isAsyncFunction(apartial(arrow))).toBe(false);
  });

  it("returns false for sync functions, generator functions and classes", () => {
    expect(isAsyncFunction(() => {})).toBe(false);
    expect(isAsyncFunction(function* () {})).toBe(false);
    expect(isAsyncFunction(class {})).toBe(false);
    expect(isAsyncFunction(Math.max)).toBe(false);
    expect(isAsyncFunction(Promise)).toBe(false);
  });

  it("returns false for values that are not functions, even when they look async", () => {
    for (const value of [
      undefined,
      null,
      0,
      "AsyncFunction",
      Symbol("AsyncFunction"),
      {},
      { [Symbol.toStringTag]: "AsyncFunction" },
      Promise.resolve(),
      (async () => {})(),
    ]) {
      expect(isAsyncFunction(value)).toBe(false);
    }
  });

  it("does not call the function it inspects", () => {
    let calls = 0;
    const fn = async () => {
      calls++;
    };
    isAsyncFunction(fn);
    isAsyncFunction(() => calls++);
    expect(calls).toBe(0);
  });
});

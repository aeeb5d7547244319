// @corral/apartial in a real browser: the kind, name, length and `this` of the wrapped function
// survive, on the browser's own AsyncFunction and AsyncGeneratorFunction.
import { apartial, isAsyncFunction } from "@corral/apartial";
import { assert, type Checks, deepEqual, equal, rejection } from "./harness.js";

export const needs = { "@corral/apartial": ["apartial", "isAsyncFunction"] };

export const checks: Checks = {
  async "an async function stays async, with its name, remaining length, values and errors"() {
    async function load(table: string, id: number, fields?: string[]): Promise<string> {
      if (id < 0) throw new RangeError("no such row");
      return `${table}/${id}${fields ? `:${fields.join(",")}` : ""}`;
    }
    const loadUser = apartial(load, "users");
    assert(isAsyncFunction(loadUser), "isAsyncFunction");
    equal(Object.prototype.toString.call(loadUser), "[object AsyncFunction]", "a real AsyncFunction");
    equal(loadUser.name, "load", "name");
    equal(loadUser.length, 2, "length");
    equal(await loadUser(7, ["name"]), "users/7:name", "bound arguments first");
    assert((await rejection(loadUser(-1), "rejects")) instanceof RangeError, "the same error");
  },

  "a plain function stays plain and `this` is forwarded"() {
    const double = apartial((factor: number, x: number) => factor * x, 2);
    assert(!isAsyncFunction(double), "not async");
    equal(double(21), 42, "value");
    const counter = {
      total: 0,
      add: apartial(function (this: { total: number }, step: number, times: number) {
        this.total += step * times;
        return this.total;
      }, 5),
    };
    equal(counter.add(2), 10, "this forwarded");
  },

  async "an async generator function stays one"() {
    async function* range(step: number, end: number): AsyncGenerator<number> {
      for (let i = 0; i < end; i += step) yield i;
    }
    const byTwo = apartial(range, 2);
    equal(Object.prototype.toString.call(byTwo), "[object AsyncGeneratorFunction]", "a real AsyncGeneratorFunction");
    assert(isAsyncFunction(byTwo), "isAsyncFunction");
    const seen: number[] = [];
    for await (const value of byTwo(7)) seen.push(value);
    deepEqual(seen, [0, 2, 4, 6], "values");
  },
};

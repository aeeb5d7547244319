import { apartial, isAsyncFunction } from "@corral/apartial";
import { describe, expectTypeOf, it } from "vitest";

declare function request(method: string, url: string, body?: string, ...headers: [string, string][]): Promise<Response>;
declare function sum(a: number, b: number, c: number): number;

describe("apartial() types", () => {
  it("has exactly the remaining parameters", () => {
    expectTypeOf(apartial(sum, 1)).toEqualTypeOf<(b: number, c: number) => number>();
    expectTypeOf(apartial(sum, 1)).parameters.toEqualTypeOf<[b: number, c: number]>();
    expectTypeOf(apartial(sum, 1, 2)).parameters.toEqualTypeOf<[c: number]>();
    expectTypeOf(apartial(sum, 1, 2, 3)).toEqualTypeOf<() => number>();
    expectTypeOf(apartial(sum)).toEqualTypeOf<(a: number, b: number, c: number) => number>();
  });

  it("keeps optional and rest parameters", () => {
    expectTypeOf(apartial(request, "POST")).parameters.toEqualTypeOf<
      [url: string, body?: string, ...headers: [string, string][]]
    >();
    expectTypeOf(apartial(request, "POST", "/users")).parameters.toEqualTypeOf<
      [body?: string, ...headers: [string, string][]]
    >();
    expectTypeOf(apartial(request, "POST", "/users", "{}")).parameters.toEqualTypeOf<[...headers: [string, string][]]>();
    expectTypeOf(apartial(request, "POST", "/", "{}", ["a", "b"], ["c", "d"])).parameters.toEqualTypeOf<
      [string, string][]
    >();
    const optionalOnly = (a?: number, b?: string) => a ?? b;
    expectTypeOf(apartial(optionalOnly, 1)).parameters.toEqualTypeOf<[b?: string]>();
  });

  it("preserves the return type: a Promise<T> stays Promise<T>", () => {
    expectTypeOf(apartial(request, "GET")).returns.toEqualTypeOf<Promise<Response>>();
    expectTypeOf(apartial(async (a: number, b: string) => ({ a, b }), 1)).toEqualTypeOf<
      (b: string) => Promise<{ a: number; b: string }>
    >();
    expectTypeOf(apartial(sum, 1)).returns.toEqualTypeOf<number>();
    async function* pages(size: number, from: number): AsyncGenerator<number[], "end", undefined> {
      yield [size, from];
      return "end";
    }
    expectTypeOf(apartial(pages, 10)).toEqualTypeOf<(from: number) => AsyncGenerator<number[], "end", undefined>>();
    function* ids(prefix: string): Generator<string, void, unknown> {
      yield prefix;
    }
    expectTypeOf(apartial(ids, "x")).returns.toEqualTypeOf<Generator<string, void, unknown>>();
  });

  it("types a partial of a partial like one partial", () => {
    expectTypeOf(apartial(apartial(request, "PUT"), "/a")).toEqualTypeOf(apartial(request, "PUT", "/a"));
    expectTypeOf(apartial(apartial(sum, 1), 2)).toEqualTypeOf<(c: number) => number>();
  });

  it("rejects bound arguments of the wrong type", () => {
    // @ts-expect-error a string where a number is expected
    apartial(sum, "1");
    // @ts-expect-error the second bound argument is wrong
    apartial(sum, 1, "2");
    // @ts-expect-error too many bound arguments
    apartial(sum, 1, 2, 3, 4);
    // @ts-expect-error a number where a string is expected
    apartial(request, "GET", 1);
    // @ts-expect-error not a function
    apartial(42);
  });

  it("rejects call-time arguments of the wrong type or number", () => {
    const add = apartial(sum, 1);
    // @ts-expect-error a string where a number is expected
    add("2", 3);
    // @ts-expect-error one argument missing
    add(2);
    // @ts-expect-error one argument too many
    add(2, 3, 4);
    const post = apartial(request, "POST", "/");
    post();
    post("{}", ["accept", "json"]);
    // @ts-expect-error a header must be a pair
    post("{}", ["accept"]);
  });
});

describe("isAsyncFunction() types", () => {
  it("accepts anything and returns a boolean", () => {
    expectTypeOf(isAsyncFunction).parameter(0).toBeUnknown();
    expectTypeOf(isAsyncFunction).returns.toEqualTypeOf<boolean>();
  });
});

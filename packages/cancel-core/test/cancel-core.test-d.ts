import { anySignal, CancelScope, cancellable, isCancelledError, onCancel, sleep, type CancelledError } from "@corral/cancel-core";
import { describe, expectTypeOf, it } from "vitest";

describe("cancel-core types", () => {
  it("run() keeps fn's value type and adds undefined", () => {
    const scope = new CancelScope();
    expectTypeOf(scope.run(async () => 1)).toEqualTypeOf<Promise<number | undefined>>();
    expectTypeOf(scope.run((signal) => signal)).toEqualTypeOf<Promise<AbortSignal | undefined>>();
  });

  it("isCancelledError narrows to CancelledError", () => {
    const error: unknown = null;
    if (isCancelledError(error)) {
      expectTypeOf(error).toEqualTypeOf<CancelledError>();
      expectTypeOf(error.scope).toEqualTypeOf<CancelScope | undefined>();
    }
  });

  it("helpers return what they promise", () => {
    expectTypeOf(sleep(1)).toEqualTypeOf<Promise<void>>();
    expectTypeOf(cancellable(Promise.resolve("x"), new AbortController().signal)).toEqualTypeOf<Promise<string>>();
    expectTypeOf(anySignal([])).toMatchTypeOf<AbortSignal & Disposable>();
    expectTypeOf(onCancel(new AbortController().signal, () => {})).toEqualTypeOf<Disposable>();
    expectTypeOf(new CancelScope()).toMatchTypeOf<Disposable>();
  });

  it("rejects impossible options at compile time", () => {
    // @ts-expect-error shield is a boolean
    new CancelScope({ shield: "yes" });
    // @ts-expect-error signal must be an AbortSignal
    new CancelScope({ signal: 5 });
  });
});

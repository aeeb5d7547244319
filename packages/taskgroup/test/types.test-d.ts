import {
  gather,
  PersistentTaskGroup,
  race,
  type Task,
  TaskGroup,
  type TaskGroupError,
  type TaskState,
  taskGroup,
} from "@corral/taskgroup";
import { describe, expectTypeOf, it } from "vitest";

describe("types of @corral/taskgroup", () => {
  it("types a task by its function's awaited value", () => {
    const group = new TaskGroup();
    expectTypeOf(group.spawn(async () => 1)).toEqualTypeOf<Task<number>>();
    expectTypeOf(group.spawn((signal) => signal.aborted)).toEqualTypeOf<Task<boolean>>();
    expectTypeOf<Task<string>>().toMatchTypeOf<PromiseLike<string>>();
    expectTypeOf<Task<string>["state"]>().toEqualTypeOf<TaskState>();
    expectTypeOf<Task<string>["signal"]>().toEqualTypeOf<AbortSignal>();
  });

  it("resolves taskGroup() with the body's value or undefined", () => {
    expectTypeOf(taskGroup(async () => "x")).toEqualTypeOf<Promise<string | undefined>>();
    expectTypeOf(taskGroup).parameter(1).toEqualTypeOf<{ signal?: AbortSignal; name?: string } | undefined>();
  });

  it("makes both groups async-disposable", () => {
    expectTypeOf<TaskGroup>().toMatchTypeOf<AsyncDisposable>();
    expectTypeOf<PersistentTaskGroup>().toMatchTypeOf<AsyncDisposable>();
    expectTypeOf<PersistentTaskGroup["shutdown"]>().returns.toEqualTypeOf<Promise<void>>();
  });

  it("passes the failed task to onError", () => {
    new PersistentTaskGroup({
      onError: (error, task) => {
        expectTypeOf(error).toBeUnknown();
        expectTypeOf(task).toEqualTypeOf<Task<unknown>>();
      },
    });
  });

  it("infers a tuple of awaited values for gather(), or takes it explicitly", () => {
    expectTypeOf(gather([async () => 1, () => "two", async (signal: AbortSignal) => signal.aborted])).toEqualTypeOf<
      Promise<[number, string, boolean]>
    >();
    expectTypeOf(gather<[number, string]>([async () => 1, () => "two"])).toEqualTypeOf<Promise<[number, string]>>();
  });

  it("infers the union of awaited values for race()", () => {
    expectTypeOf(race([async () => 1, () => "two"])).toEqualTypeOf<Promise<number | string>>();
    expectTypeOf(race<number>([async () => 1])).toEqualTypeOf<Promise<number>>();
  });

  it("makes TaskGroupError an AggregateError with a literal name", () => {
    expectTypeOf<TaskGroupError>().toMatchTypeOf<AggregateError>();
    expectTypeOf<TaskGroupError["name"]>().toEqualTypeOf<"TaskGroupError">();
  });
});

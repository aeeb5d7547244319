import type { Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type DrainHttpServerOptions, drainHttpServer, gracefulShutdown, runMain, type Shutdown, type ShutdownOptions } from "@corral/graceful-shutdown";
import { type ClusterOptions, runCluster } from "@corral/graceful-shutdown/cluster";
import { describe, expectTypeOf, it } from "vitest";

describe("gracefulShutdown()", () => {
  it("returns a Shutdown that is AsyncDisposable", () => {
    expectTypeOf(gracefulShutdown).parameters.toEqualTypeOf<[options?: ShutdownOptions]>();
    expectTypeOf(gracefulShutdown).returns.toEqualTypeOf<Shutdown>();
    expectTypeOf<Shutdown>().toMatchTypeOf<AsyncDisposable>();
    expectTypeOf<Shutdown["signal"]>().toEqualTypeOf<AbortSignal>();
    expectTypeOf<Shutdown["shutdown"]>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<Shutdown["onShutdown"]>().returns.toEqualTypeOf<Disposable>();
  });

  it("accepts only Node's signal names", () => {
    gracefulShutdown({ signals: ["SIGTERM", "SIGHUP"], timeout: 5_000 });
    // @ts-expect-error not a signal name
    gracefulShutdown({ signals: ["SIGNOPE"] });
  });

  it("gives hooks an AbortSignal and accepts any return value", () => {
    const shutdown = gracefulShutdown();
    shutdown.onShutdown((signal) => expectTypeOf(signal).toEqualTypeOf<AbortSignal>());
    shutdown.onShutdown(async () => 42);
  });
});

describe("drainHttpServer()", () => {
  it("takes an http or https server and resolves to void", () => {
    expectTypeOf(drainHttpServer).parameter(0).toEqualTypeOf<Server>();
    expectTypeOf(drainHttpServer).returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf(drainHttpServer(createHttpsServer())).toEqualTypeOf<Promise<void>>();
    expectTypeOf<DrainHttpServerOptions>().toMatchTypeOf<{ timeout?: number; signal?: AbortSignal }>();
  });
});

describe("runMain()", () => {
  it("takes main(signal) and returns nothing", () => {
    expectTypeOf(runMain).parameter(0).toEqualTypeOf<(signal: AbortSignal) => unknown>();
    expectTypeOf(runMain).returns.toEqualTypeOf<void>();
  });
});

describe("runCluster()", () => {
  it("gives main the worker's index", () => {
    expectTypeOf(runCluster).parameter(0).toEqualTypeOf<(signal: AbortSignal, worker: { index: number }) => unknown>();
    expectTypeOf<ClusterOptions>().toMatchTypeOf<ShutdownOptions & { workers?: number; restartOnCrash?: boolean }>();
    expectTypeOf(runCluster).returns.toEqualTypeOf<void>();
  });
});

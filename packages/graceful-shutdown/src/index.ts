export { gracefulShutdown } from "./graceful-shutdown.js";
export type { Shutdown, ShutdownOptions } from "./graceful-shutdown.js";
export { drainHttpServer } from "./drain-http-server.js";
export type { DrainHttpServerOptions } from "./drain-http-server.js";
export { runMain } from "./run-main.js";

import type { Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { CancelScope, checkDuration, checkOptions, checkSignal, now, onCancel } from "@corral/cancel-core";
import { connectionsOf, currentResponse, type HttpServerLike, socketsIn, stopListening } from "./internal/http-connections.js";
import { checkHttpServer } from "./internal/validate.js";

/** Options of {@link drainHttpServer}. */
export interface DrainHttpServerOptions {
  /**
   * Grace period in ms, counted from the moment the server stops listening (after
   * `drainDelay`): when it ends, every connection still open is destroyed. Default `10_000`;
   * `Infinity` waits for every response however long it takes.
   */
  timeout?: number;
  /** Ends the grace period early when it aborts (pass a shutdown hook's signal here). */
  signal?: AbortSignal;
  /**
   * Keep accepting connections for this many ms before closing the listener, so that a load
   * balancer has time to stop routing here (the Kubernetes endpoint-propagation delay). Requests
   * served meanwhile are answered with `Connection: close`. Default `0`.
   */
  drainDelay?: number;
  /**
   * Idle keep-alive connections are closed at most this many ms after they are found idle
   * (when the listener closes, or when a response on them finishes). Default `100`; `0` closes
   * them at once. Why not at once: the client may already have sent its next request on the
   * connection (the keep-alive race); closing it then resets that request (`ECONNRESET`),
   * while during the linger it is served, with `Connection: close`.
   */
  idleLinger?: number;
}

const drains = new WeakMap<object, Promise<void>>();

/**
 * Stop an HTTP server without losing a request: stop accepting connections, close idle
 * keep-alive connections (after at most `idleLinger` ms, default 100; `0` = at once), let every
 * request in flight finish with its full response (sent with `Connection: close`, so the client
 * does not reuse the connection), and destroy whatever is still open when the grace period
 * ends. Resolves once every connection is closed; never rejects.
 *
 * Use it in a shutdown hook or after `runMain`'s signal; it works on `http.Server` and
 * `https.Server` (HTTP/1.1). Calling it again for the same server returns the same promise.
 *
 * Compared with `server.close()` (Node ≥ 19), it also: answers in-flight keep-alive requests
 * with `Connection: close` (close() leaves those connections open until their keep-alive
 * timeout, so the process lingers for seconds); serves a request that was already on the wire
 * when the server stopped (`idleLinger`) instead of resetting it; enforces a grace period; and
 * can keep serving for a `drainDelay` first.
 *
 * What it does not do: it does not stop your request handlers (they see their response closed
 * only when the grace period ends — pass a signal to slow work yourself); it does not drain
 * upgraded connections (WebSockets) or HTTP/2 sessions — close those in your own hook; it does
 * not answer readiness probes (check `shutdown.signal.aborted` in your handler).
 *
 * @example
 * ```ts
 * import { once } from "node:events";
 * import { createServer } from "node:http";
 * import { drainHttpServer, runMain } from "@corral/graceful-shutdown";
 *
 * runMain(async (signal) => {
 *   const server = createServer((req, res) => res.end("hello")).listen(8080);
 *   await once(signal, "abort");
 *   await drainHttpServer(server, { timeout: 5_000 });
 * });
 * ```
 *
 * @throws {TypeError} when `server` is not an `http.Server` or `https.Server`, `options` is
 *   present but not an object, `options.signal` not an AbortSignal or a duration not a number.
 * @throws {RangeError} when `timeout`, `drainDelay` or `idleLinger` is negative or NaN.
 */
export function drainHttpServer(server: Server, options?: DrainHttpServerOptions): Promise<void> {
  checkHttpServer(server, "server");
  checkOptions(options, "options");
  const timeout = checkDuration(options?.timeout ?? 10_000, "options.timeout");
  const signal = checkSignal(options?.signal, "options.signal");
  const drainDelay = checkDuration(options?.drainDelay ?? 0, "options.drainDelay");
  const idleLinger = checkDuration(options?.idleLinger ?? 100, "options.idleLinger");
  let drain = drains.get(server);
  if (!drain) {
    drain = new Drain(server as unknown as HttpServerLike, timeout, idleLinger, signal).run(drainDelay);
    drains.set(server, drain);
  }
  return drain;
}

class Drain {
  readonly #server: HttpServerLike;
  readonly #timeout: number;
  readonly #idleLinger: number;
  readonly #grace: CancelScope;
  readonly #sockets = new Set<Socket>();
  readonly #watched = new WeakSet<ServerResponse>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #connections: ReturnType<typeof connectionsOf>;
  #registration: Disposable | undefined;
  #listenerClosed = false;
  #waitingForClose = false;
  #graceEnded = false;
  #done = false;
  #resolve: () => void = () => {};

  constructor(server: HttpServerLike, timeout: number, idleLinger: number, signal: AbortSignal | undefined) {
    this.#server = server;
    this.#timeout = timeout;
    this.#idleLinger = idleLinger;
    this.#grace = new CancelScope(signal ? { signal, name: "drainHttpServer" } : { name: "drainHttpServer" });
  }

  run(drainDelay: number): Promise<void> {
    const drained = new Promise<void>((resolve) => {
      this.#resolve = resolve;
    });
    this.#server.prependListener("request", this.#onRequest);
    this.#registration = onCancel(this.#grace.signal, () => this.#endGrace());
    if (drainDelay > 0 && !this.#grace.signal.aborted) {
      if (drainDelay !== Number.POSITIVE_INFINITY) this.#later(drainDelay, () => this.#closeListener());
    } else {
      this.#closeListener();
    }
    return drained;
  }

  // Runs before the server's own request listeners, so the header is set before any handler
  // can send the response.
  readonly #onRequest = (req: { socket: Socket }, res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader("Connection", "close");
    if (!this.#listenerClosed) return;
    this.#track(req.socket);
    this.#watch(res, req.socket);
  };

  #closeListener(): void {
    if (this.#listenerClosed) return;
    this.#listenerClosed = true;
    this.#clearTimers();
    const server = this.#server;
    const connections = connectionsOf(server);
    if (!connections) {
      // No list of connections to read: fall back on Node's own idle reaping and wait for the
      // server's 'close' event, which follows the last connection.
      if (server.listening) {
        this.#waitingForClose = true;
        server.once("close", () => {
          this.#waitingForClose = false;
          this.#maybeFinish();
        });
        server.close();
      }
    } else {
      this.#connections = connections;
      if (server.listening) stopListening(server);
      for (const socket of socketsIn(connections.all())) this.#track(socket);
      const idle = new Set(socketsIn(connections.idle()));
      const lingering = [...this.#sockets].filter((socket) => this.#check(socket, this.#idleLinger, idle));
      if (lingering.length > 0) this.#lingerThenCheck(lingering);
    }
    if (!this.#graceEnded && this.#timeout !== Number.POSITIVE_INFINITY) this.#grace.deadline = now() + this.#timeout;
    this.#maybeFinish();
  }

  #track(socket: Socket): void {
    if (this.#sockets.has(socket) || socket.destroyed) return;
    this.#sockets.add(socket);
    socket.once("close", () => {
      this.#sockets.delete(socket);
      this.#maybeFinish();
    });
  }

  /**
   * Decide what an open connection needs now: wait for its response, close it, or (returns
   * true) let it linger `linger` ms for a request that may already be on the wire.
   */
  #check(socket: Socket, linger: number, idle: ReadonlySet<Socket> = this.#idleSockets()): boolean {
    // Ending already (a `Connection: close` response finished): its 'close' untracks it.
    if (this.#done || socket.destroyed || socket.writableEnded) return false;
    const response = currentResponse(socket);
    if (response) {
      this.#watch(response, socket);
      return false;
    }
    // A request is still arriving: its 'request' event brings the socket back here.
    if (!idle.has(socket)) return false;
    if (this.#graceEnded || linger <= 0) {
      socket.destroy();
      return false;
    }
    return true;
  }

  #lingerThenCheck(sockets: Socket[]): void {
    this.#later(this.#idleLinger, () => {
      const idle = this.#idleSockets();
      for (const socket of sockets) this.#check(socket, 0, idle);
    });
  }

  #watch(response: ServerResponse, socket: Socket): void {
    if (!response.headersSent) response.setHeader("Connection", "close");
    if (this.#watched.has(response)) return;
    this.#watched.add(response);
    // Node's own 'finish' listener ran first: the socket is ending (Connection: close), idle,
    // or already writing the next pipelined response.
    response.once("finish", () => {
      if (this.#check(socket, this.#idleLinger)) this.#lingerThenCheck([socket]);
    });
  }

  #idleSockets(): ReadonlySet<Socket> {
    const connections = this.#connections;
    return connections ? new Set(socketsIn(connections.idle())) : new Set(this.#sockets);
  }

  #endGrace(): void {
    if (this.#graceEnded || this.#done) return;
    this.#graceEnded = true;
    this.#closeListener();
    for (const socket of this.#sockets) socket.destroy();
    this.#server.closeAllConnections?.();
    this.#maybeFinish();
  }

  #maybeFinish(): void {
    if (this.#done || !this.#listenerClosed || this.#waitingForClose || this.#sockets.size > 0) return;
    this.#done = true;
    this.#server.removeListener("request", this.#onRequest);
    this.#clearTimers();
    this.#registration?.[Symbol.dispose]();
    this.#grace[Symbol.dispose]();
    this.#resolve();
  }

  #later(ms: number, fn: () => void): void {
    const timer = globalThis.setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  #clearTimers(): void {
    for (const timer of this.#timers) globalThis.clearTimeout(timer);
    this.#timers.clear();
  }
}

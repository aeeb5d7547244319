import { EventEmitter, getEventListeners, once } from "node:events";
import { Agent, createServer, get, type IncomingHttpHeaders, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect, createServer as createNetServer, type Socket } from "node:net";
import { drainHttpServer } from "@corral/graceful-shutdown";
import { afterEach, describe, expect, it } from "vitest";

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const servers: Server[] = [];
const agents: Agent[] = [];

afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    if (server.listening) server.close();
  }
});

async function serve(handler: RequestListener): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const server = createServer(handler);
  servers.push(server);
  const sockets: Socket[] = [];
  server.on("connection", (socket) => sockets.push(socket));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, port: (server.address() as { port: number }).port, sockets };
}

function keepAliveAgent(): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
}

function request(port: number, path: string, agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      res.on("error", reject);
    }).on("error", reject);
  });
}

/** A raw HTTP/1.1 connection: send requests by hand and read responses off the wire. */
class RawConnection {
  readonly socket: Socket;
  received = "";
  readonly closed: Promise<void>;

  constructor(port: number) {
    this.socket = connect(port, "127.0.0.1");
    this.socket.setEncoding("utf8").on("data", (chunk: string) => (this.received += chunk));
    this.socket.on("error", () => {});
    this.closed = once(this.socket, "close").then(() => {});
  }

  send(path: string): void {
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  }

  /** Wait for the n-th complete response (bodies are Content-Length framed). */
  async response(n: number): Promise<string> {
    for (;;) {
      const responses = this.received.split(/(?=HTTP\/1\.1 )/).filter((part) => {
        const [head, body = ""] = part.split("\r\n\r\n");
        const length = /content-length: (\d+)/i.exec(head ?? "");
        return length !== null && body.length >= Number(length[1]);
      });
      if (responses.length >= n) return responses[n - 1]!;
      if (this.socket.destroyed) throw new Error(`connection closed after ${responses.length} response(s): ${this.received}`);
      await once(this.socket, "data");
    }
  }
}

const hello: RequestListener = (_req, res) => {
  res.setHeader("Content-Length", 5);
  res.end("hello");
};

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("drainHttpServer()", () => {
  it("refuses new connections once the drain has begun", async () => {
    const { server, port } = await serve(hello);
    const drained = drainHttpServer(server);
    expect(server.listening).toBe(false);
    await expect(request(port, "/")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await drained;
  });

  it("closes idle keep-alive connections at once with idleLinger: 0", async () => {
    const { server, port, sockets } = await serve(hello);
    const agent = keepAliveAgent();
    await request(port, "/", agent);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.destroyed).toBe(false);
    const drained = drainHttpServer(server, { idleLinger: 0, timeout: 60_000 });
    expect(sockets[0]!.destroyed).toBe(true);
    await drained;
  });

  it("closes idle keep-alive connections after the short linger, long before the grace period", async () => {
    const { server, port, sockets } = await serve(hello);
    const connection = new RawConnection(port);
    connection.send("/");
    await connection.response(1);
    const drained = drainHttpServer(server, { timeout: 60_000 });
    // Still open for a request that may already be on the wire…
    expect(sockets[0]!.destroyed).toBe(false);
    // …then closed, and the drain is over (the test would time out waiting for the grace).
    await connection.closed;
    await drained;
  });

  it("answers a request that reaches an idle connection during the linger, with Connection: close", async () => {
    const { server, port } = await serve(hello);
    const connection = new RawConnection(port);
    connection.send("/first");
    expect(await connection.response(1)).toMatch(/connection: keep-alive/i);
    const drained = drainHttpServer(server, { timeout: 60_000 });
    connection.send("/second");
    const second = await connection.response(2);
    expect(second).toMatch(/^HTTP\/1\.1 200/);
    expect(second).toMatch(/connection: close/i);
    expect(second.endsWith("\r\n\r\nhello")).toBe(true);
    await connection.closed;
    await drained;
  });

  it("lets an in-flight slow request finish with its full response, sent with Connection: close", async () => {
    const arrived = deferred();
    const { server, port } = await serve((_req, res) => {
      arrived.resolve();
      setTimeout(() => {
        res.setHeader("Content-Length", 4);
        res.end("slow");
      }, 300);
    });
    const agent = keepAliveAgent();
    const reply = request(port, "/slow", agent);
    await arrived.promise;
    const drained = drainHttpServer(server, { timeout: 10_000 });
    expect(await reply).toMatchObject({ status: 200, body: "slow", headers: { connection: "close" } });
    await drained;
    expect(Object.keys(agent.freeSockets)).toHaveLength(0);
  });

  it("lets a response that was already streaming with keep-alive finish, then closes its connection", async () => {
    const arrived = deferred();
    let finish: () => void = () => {};
    const { server, port, sockets } = await serve((_req, res) => {
      res.writeHead(200, { "Content-Length": 10 });
      res.write("part1");
      finish = () => res.end("part2");
      arrived.resolve();
    });
    const connection = new RawConnection(port);
    connection.send("/stream");
    await arrived.promise;
    const drained = drainHttpServer(server, { timeout: 60_000 });
    finish();
    const response = await connection.response(1);
    expect(response.endsWith("part1part2")).toBe(true);
    await connection.closed;
    await drained;
    expect(sockets[0]!.destroyed).toBe(true);
  });

  it("destroys what remains when the grace period ends, and resolves", async () => {
    const arrived = deferred();
    const { server, port } = await serve(() => arrived.resolve());
    const failure = request(port, "/never").then(() => undefined, (error: unknown) => error);
    await arrived.promise;
    await drainHttpServer(server, { timeout: 50 });
    expect(await failure).toMatchObject({ code: "ECONNRESET" });
  });

  it("ends the grace period when options.signal aborts, leaving no listener on it", async () => {
    const arrived = deferred();
    const { server, port } = await serve(() => arrived.resolve());
    const failure = request(port, "/never").then(() => undefined, (error: unknown) => error);
    await arrived.promise;
    const controller = new AbortController();
    const drained = drainHttpServer(server, { timeout: Number.POSITIVE_INFINITY, signal: controller.signal });
    controller.abort();
    await drained;
    expect(await failure).toMatchObject({ code: "ECONNRESET" });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("closes at once when options.signal is already aborted", async () => {
    const arrived = deferred();
    const { server, port } = await serve(() => arrived.resolve());
    const failure = request(port, "/never").then(() => undefined, (error: unknown) => error);
    await arrived.promise;
    await drainHttpServer(server, { signal: AbortSignal.abort() });
    expect(await failure).toMatchObject({ code: "ECONNRESET" });
  });

  it("keeps accepting connections during drainDelay, answering with Connection: close", async () => {
    const { server, port } = await serve(hello);
    const drained = drainHttpServer(server, { drainDelay: 200 });
    expect(server.listening).toBe(true);
    expect(await request(port, "/during-delay", keepAliveAgent())).toMatchObject({ body: "hello", headers: { connection: "close" } });
    await drained;
    expect(server.listening).toBe(false);
    await expect(request(port, "/")).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("returns the same promise when called again for the same server", async () => {
    const { server } = await serve(hello);
    const drained = drainHttpServer(server);
    expect(drainHttpServer(server, { timeout: 1 })).toBe(drained);
    await drained;
  });

  it("removes its request listener once drained", async () => {
    const { server, port } = await serve(hello);
    await request(port, "/", keepAliveAgent());
    const listeners = server.listenerCount("request");
    await drainHttpServer(server);
    expect(server.listenerCount("request")).toBe(listeners);
  });

  it("resolves at once for a server that is not listening and has no connection", async () => {
    const server = createServer(hello);
    await drainHttpServer(server);
    expect(server.listening).toBe(false);
  });

  it("rejects bad arguments at the call", () => {
    const server = createServer(hello);
    expect(() => drainHttpServer({} as Server)).toThrow(TypeError);
    expect(() => drainHttpServer(null as never)).toThrow(TypeError);
    expect(() => drainHttpServer(server, { timeout: -1 })).toThrow(RangeError);
    expect(() => drainHttpServer(server, { timeout: Number.NaN })).toThrow(RangeError);
    expect(() => drainHttpServer(server, { drainDelay: -5 })).toThrow(RangeError);
    expect(() => drainHttpServer(server, { idleLinger: -1 })).toThrow(RangeError);
    expect(() => drainHttpServer(server, { signal: "stop" as never })).toThrow(TypeError);
    expect(() => drainHttpServer(server, { timeout: "1s" as never })).toThrow(TypeError);
    expect(() => drainHttpServer(server, 5 as never)).toThrow(TypeError);
    expect(() => drainHttpServer(server, "5s" as never)).toThrow(TypeError);
    expect(() => drainHttpServer(server, null as never)).toThrow(TypeError);
    expect(() => drainHttpServer(server, Object.assign([], { timeout: -1 }) as never)).toThrow(TypeError);
  });

  it("rejects a first argument that is not an HTTP server", () => {
    const lookalike = Object.assign(new EventEmitter(), { listening: false, close: () => {} });
    expect(() => drainHttpServer(createNetServer() as never)).toThrow(TypeError);
    expect(() => drainHttpServer(lookalike as never)).toThrow(TypeError);
    expect(() => drainHttpServer(undefined as never)).toThrow(TypeError);
    expect(() => drainHttpServer("server" as never)).toThrow(TypeError);
    expect(lookalike.listenerCount("request")).toBe(0);
  });

  it("accepts an https.Server", async () => {
    await expect(drainHttpServer(createHttpsServer())).resolves.toBeUndefined();
  });
});

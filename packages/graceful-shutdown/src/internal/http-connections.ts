/**
 * What drainHttpServer needs to know about an `http.Server`'s open connections at the moment it
 * is called. Node has no public way to list them, so this reads the same bookkeeping that
 * `server.closeIdleConnections()` uses (Node ≥ 18.2), found by its symbol's description, and the
 * response a socket is writing (`socket._httpMessage`, what http-terminator and Node itself read).
 * Everything here is feature-checked: if Node changes it, the drain falls back to Node's own
 * `closeIdleConnections()` / `closeAllConnections()`.
 */
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";

interface ConnectionsList {
  all(): Array<{ socket?: Socket }>;
  idle(): Array<{ socket?: Socket }>;
}

export interface HttpServerLike {
  readonly listening: boolean;
  close(): unknown;
  prependListener(event: "request", listener: (req: { socket: Socket }, res: ServerResponse) => void): unknown;
  removeListener(event: "request", listener: (req: { socket: Socket }, res: ServerResponse) => void): unknown;
  once(event: "close", listener: () => void): unknown;
  closeIdleConnections?: () => void;
  closeAllConnections?: () => void;
  getConnections?: (callback: (error: Error | null, count: number) => void) => unknown;
}

/** The server's list of HTTP connections, or undefined when this Node does not keep one we can read. */
export function connectionsOf(server: HttpServerLike): ConnectionsList | undefined {
  for (const symbol of Object.getOwnPropertySymbols(server)) {
    if (symbol.description !== "http.server.connections") continue;
    const list = (server as unknown as Record<symbol, unknown>)[symbol] as Partial<ConnectionsList> | undefined;
    if (list && typeof list.all === "function" && typeof list.idle === "function") return list as ConnectionsList;
  }
  return undefined;
}

export function socketsIn(entries: Array<{ socket?: Socket }>): Socket[] {
  const sockets: Socket[] = [];
  for (const entry of entries) if (entry.socket && typeof entry.socket.destroy === "function") sockets.push(entry.socket);
  return sockets;
}

/** The response this socket is writing now (the head of its pipeline), if any. */
export function currentResponse(socket: Socket): ServerResponse | undefined {
  const response = (socket as Socket & { _httpMessage?: unknown })._httpMessage;
  return response && typeof (response as ServerResponse).setHeader === "function" ? (response as ServerResponse) : undefined;
}

/**
 * Stop listening without closing idle keep-alive sockets: since Node 19 `http.Server#close()`
 * also destroys every idle connection, which resets a request its client sent a moment before
 * (the keep-alive race). The drain closes idle sockets itself, after a short linger.
 */
export function stopListening(server: HttpServerLike): void {
  const own = Object.getOwnPropertyDescriptor(server, "closeIdleConnections");
  Object.defineProperty(server, "closeIdleConnections", { value: () => {}, configurable: true, writable: true });
  try {
    server.close();
  } finally {
    if (own) Object.defineProperty(server, "closeIdleConnections", own);
    else delete (server as { closeIdleConnections?: unknown }).closeIdleConnections;
  }
}

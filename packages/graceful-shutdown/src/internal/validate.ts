/** Argument checks of this package's public functions: bad input fails at the call, not at shutdown. */
import { Server as NetServer } from "node:net";
import { constants } from "node:os";

function describe(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "an array" : typeof value;
}

export function checkBoolean(value: unknown, name: string): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") throw new TypeError(`${name} must be a boolean, got ${typeof value}`);
  return value;
}

// A process cannot install a handler for these two: the kernel never delivers them to it.
const uncatchable = new Set(["SIGKILL", "SIGSTOP"]);

/** A list of stop signals: names Node knows on this platform, minus the uncatchable ones; duplicates dropped. */
export function checkSignalNames(value: unknown, name: string): NodeJS.Signals[] {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of signal names, got ${typeof value}`);
  const names = new Set<NodeJS.Signals>();
  for (const [index, signal] of value.entries()) {
    if (typeof signal !== "string" || !Object.hasOwn(constants.signals, signal)) {
      throw new TypeError(`${name}[${index}] is not a signal name known to Node on this platform: ${String(signal)}`);
    }
    if (uncatchable.has(signal)) throw new TypeError(`${name}[${index}]: ${signal} cannot be caught by a process`);
    names.add(signal as NodeJS.Signals);
  }
  return [...names];
}

/** A positive whole number (a count of workers). */
export function checkCount(value: unknown, name: string): number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number ≥ 1, got ${value}`);
  return value;
}

/**
 * An HTTP/1.1 server: an `http.Server` or `https.Server`. Both are `net.Server`s with Node's
 * HTTP connection bookkeeping (`closeIdleConnections`), which a plain `net.Server`, a
 * `tls.Server` or an HTTP/2 server lacks. (`https` is not imported just to check this.)
 */
export function checkHttpServer(value: unknown, name: string): void {
  if (!(value instanceof NetServer) || typeof (value as { closeIdleConnections?: unknown }).closeIdleConnections !== "function") {
    const got = value instanceof NetServer ? `a ${value.constructor.name} that is not an HTTP/1.1 server` : describe(value);
    throw new TypeError(`${name} must be an http.Server or https.Server, got ${got}`);
  }
}

import { checkSignal } from "@corral/cancel-core";
import type { Socket } from "node:net";
import { connectTcp, lookupFamily } from "./internal/connect.js";
import { type Lookup, Resolution } from "./internal/resolution.js";
import { StaggeredRun } from "./internal/staggered-run.js";
import { checkDelay, checkOptionalFunction, describe } from "./internal/validate.js";
import { StaggeredRaceError } from "./staggered-race-error.js";

/** Options of {@link happyEyeballs}. */
export interface HappyEyeballsOptions {
  /** Host name or IP address. An IP address is connected to directly, without a lookup. */
  host: string;
  /** TCP port, 0–65535. */
  port: number;
  /** Cancels the lookups and every attempt; the connect rejects with its reason. */
  signal?: AbortSignal;
  /** ms from one attempt's start to the next (sooner if it fails): default 250, clamped to 10–2000 (RFC 8305 §5). */
  attemptDelay?: number;
  /** ms to wait for the AAAA answer once the A answer is in: default 50 (RFC 8305 §3). */
  resolutionDelay?: number;
  /**
   * Resolves `host` for one family; called once for 6 and once for 4, concurrently. Default: the
   * system resolver through `node:dns` (`getaddrinfo`, so /etc/hosts applies). Its signal aborts
   * once the answer is no longer needed; the connect waits for every lookup to settle.
   */
  lookup?: (host: string, family: 4 | 6, signal: AbortSignal) => Promise<string[]>;
  /**
   * Opens one connection. Default: `net.connect` to that address with `autoSelectFamily: false`,
   * destroyed when its signal aborts. A custom one must reject (and release the socket) when its
   * signal aborts; a socket it delivers after losing is destroyed.
   */
  connect?: (address: string, family: 4 | 6, port: number, signal: AbortSignal) => Promise<Socket>;
}

const defaultAttemptDelay = 250;
const defaultResolutionDelay = 50;
// RFC 8305 §5: at least 10 ms between attempts ("MUST NOT" go lower), at most 2 s.
const minAttemptDelay = 10;
const maxAttemptDelay = 2000;

/**
 * Open a TCP connection the RFC 8305 way ("Happy Eyeballs v2"): resolve IPv6 and IPv4 at once,
 * then try the addresses IPv6-first, alternating families, starting a new attempt every
 * `attemptDelay` ms (or as soon as the previous one fails) while earlier attempts keep going.
 * The first connection wins; every other attempt is destroyed before the promise resolves.
 *
 * Use it instead of `net.connect({ autoSelectFamily: true })` when a route may be slow rather
 * than dead: Node aborts each attempt when the next one starts, so an address that answers
 * after the attempt timeout can never win, whereas here it still can. For a host with a single
 * address, or when any delay is fine, plain `net.connect` is enough.
 *
 * What it does not do: no TLS (wrap the socket with `tls.connect({ socket })`), no address
 * sorting beyond family alternation (RFC 6724 order is what the resolver returns), and a
 * `getaddrinfo` call in progress cannot be interrupted — on abort its answer is ignored.
 * The resolved socket is yours: it is not tied to `signal` any more.
 *
 * @example
 * ```ts
 * import { happyEyeballs } from "@corral/staggered/net";
 *
 * const socket = await happyEyeballs({ host: "example.org", port: 80, signal: AbortSignal.timeout(5_000) });
 * console.log(`connected to ${socket.remoteAddress} over ${socket.remoteFamily}`);
 * socket.end();
 * ```
 *
 * @returns The connected socket of the winning attempt.
 * @throws {TypeError} when `host` is missing or empty, `port` is not a number, a delay is not a
 *   number, `lookup`/`connect` is not a function, or `signal` is not an AbortSignal.
 * @throws {RangeError} when `port` is not an integer in 0–65535, or a delay is negative or NaN.
 * Rejects with {@link StaggeredRaceError} (one error per address tried, in attempt order) when
 * every attempt fails, with the lookup's error when no address is found, and with
 * `signal.reason` when `signal` aborts.
 */
export function happyEyeballs(options: HappyEyeballsOptions): Promise<Socket> {
  if (options === null || typeof options !== "object") throw new TypeError(`options must be an object, got ${describe(options)}`);
  const { host, port } = options;
  if (typeof host !== "string" || host === "") {
    throw new TypeError(`options.host must be a non-empty string, got ${host === "" ? "an empty string" : describe(host)}`);
  }
  if (typeof port !== "number") throw new TypeError(`options.port must be a number, got ${describe(port)}`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`options.port must be an integer from 0 to 65535, got ${port}`);
  const attemptDelay = Math.min(
    maxAttemptDelay,
    Math.max(minAttemptDelay, options.attemptDelay === undefined ? defaultAttemptDelay : checkDelay(options.attemptDelay, "options.attemptDelay")),
  );
  const resolutionDelay =
    options.resolutionDelay === undefined ? defaultResolutionDelay : checkDelay(options.resolutionDelay, "options.resolutionDelay");
  const lookup = checkOptionalFunction(options.lookup, "options.lookup") ?? lookupFamily;
  const connect = checkOptionalFunction(options.connect, "options.connect") ?? connectTcp;
  const signal = checkSignal(options.signal, "options.signal");
  if (signal?.aborted) return Promise.reject(signal.reason);
  // Nothing of the caller's (lookup, connect) runs inside this call.
  return Promise.resolve().then(() => connectRace({ host, port, signal, attemptDelay, resolutionDelay, lookup, connect }));
}

interface Settings {
  host: string;
  port: number;
  signal: AbortSignal | undefined;
  attemptDelay: number;
  resolutionDelay: number;
  lookup: Lookup;
  connect: (address: string, family: 4 | 6, port: number, signal: AbortSignal) => Promise<Socket>;
}

async function connectRace(settings: Settings): Promise<Socket> {
  const { host, port, signal, connect } = settings;
  if (signal?.aborted) throw signal.reason;
  const resolution = new Resolution(host, settings.lookup, settings.resolutionDelay, signal);
  // Errors a connected socket emits while the race finishes (losers settling, lookups
  // closing) are held here rather than crashing the process as unhandled 'error' events.
  const held = new WeakMap<Socket, { listener: (error: unknown) => void; error?: { value: unknown } }>();
  const run = new StaggeredRun<Socket>(
    {
      next() {
        const next = resolution.next();
        if (typeof next === "string") return next;
        const { address, family } = next;
        return {
          attempt: async (attemptSignal: AbortSignal): Promise<Socket> => {
            const socket: unknown = await connect(address, family, port, attemptSignal);
            if (!isSocket(socket)) throw new TypeError(`connect must resolve to a net.Socket, got ${describe(socket)}`);
            const record: { listener: (error: unknown) => void; error?: { value: unknown } } = {
              listener: (error) => {
                record.error ??= { value: error };
              },
            };
            held.set(socket, record);
            socket.on("error", record.listener);
            return socket;
          },
        };
      },
      close() {},
    },
    { delay: settings.attemptDelay, signal, discard: (socket) => socket.destroy() },
  );
  resolution.onChange = () => run.wake();
  resolution.start();

  let socket: Socket | undefined;
  let failure: { error: unknown } | undefined;
  try {
    socket = (await run.start()).value;
  } catch (error) {
    failure = { error };
  }
  await resolution.close();

  if (failure) {
    const { error } = failure;
    if (error instanceof StaggeredRaceError && !signal?.aborted) {
      if (error.errors.length === 0) throw resolution.lookupError();
      throw new StaggeredRaceError(error.errors, `Could not connect to ${host} port ${port}: every address failed (${error.errors.length} tried)`);
    }
    throw error;
  }
  const winner = socket!;
  const record = held.get(winner)!;
  winner.off("error", record.listener);
  if (signal?.aborted) {
    winner.destroy();
    throw signal.reason;
  }
  if (record.error) {
    winner.destroy();
    throw record.error.value;
  }
  return winner;
}

function isSocket(value: unknown): value is Socket {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Socket).destroy === "function" &&
    typeof (value as Socket).on === "function" &&
    typeof (value as Socket).off === "function"
  );
}

import { isIP } from "node:net";
import { CancelScope } from "@corral/cancel-core";
import { clearTimer, setTimer, type Timer } from "./timer.js";
import { describe } from "./validate.js";

export type Family = 4 | 6;
export type Lookup = (host: string, family: Family, signal: AbortSignal) => Promise<string[]>;

export interface Address {
  address: string;
  family: Family;
}

/**
 * The address list of one happyEyeballs connect, filled while the race runs (RFC 8305 §3–§4).
 *
 * Both families are looked up at once. Attempts may begin as soon as the AAAA answer is in, or
 * `resolutionDelay` after a positive A answer if AAAA is still outstanding. Addresses are handed
 * out alternating families, IPv6 first, and an answer that arrives after attempts began simply
 * joins the alternation: `next()` says "wait" while a family is still resolving and the list has
 * run dry, and `onChange` tells the race to pull again.
 */
export class Resolution {
  /** Called whenever `next()` may answer differently than before. */
  onChange: () => void = () => {};
  readonly #host: string;
  readonly #lookup: Lookup;
  readonly #resolutionDelay: number;
  readonly #scope: CancelScope;
  readonly #queues: Record<Family, string[]> = { 4: [], 6: [] };
  readonly #seen = new Set<string>();
  readonly #pending = new Set<Family>();
  readonly #errors: Partial<Record<Family, unknown>> = {};
  readonly #timer: Timer = { handle: undefined };
  #preferred: Family = 6;
  #ready = false;
  #settled: Promise<unknown> = Promise.resolve();

  constructor(host: string, lookup: Lookup, resolutionDelay: number, signal: AbortSignal | undefined) {
    this.#host = host;
    this.#lookup = lookup;
    this.#resolutionDelay = resolutionDelay;
    this.#scope = new CancelScope(signal ? { signal, name: "happyEyeballs lookup" } : { name: "happyEyeballs lookup" });
  }

  /** Start both lookups (each on a later microtask), or take `host` as is if it is an IP address. */
  start(): void {
    const literal = isIP(this.#host);
    if (literal === 4 || literal === 6) {
      this.#queues[literal].push(this.#host);
      this.#ready = true;
      return;
    }
    const lookups = ([6, 4] as const).map((family) => {
      this.#pending.add(family);
      return Promise.resolve()
        .then(() => this.#lookup(this.#host, family, this.#scope.signal))
        .then(
          (answer) => this.#answered(family, answer),
          (error: unknown) => this.#failed(family, error),
        );
    });
    this.#settled = Promise.all(lookups);
  }

  next(): Address | "wait" | "done" {
    if (!this.#ready) return "wait";
    const preferred = this.#queues[this.#preferred];
    const queue = preferred.length > 0 ? preferred : this.#queues[this.#preferred === 6 ? 4 : 6];
    const address = queue.shift();
    if (address === undefined) return this.#pending.size > 0 ? "wait" : "done";
    const family: Family = isIP(address) === 6 ? 6 : 4;
    this.#preferred = family === 6 ? 4 : 6;
    return { address, family };
  }

  /** The error to report when no address was found at all: IPv4's lookup error, else IPv6's. */
  lookupError(): unknown {
    return this.#errors[4] ?? this.#errors[6] ?? notFound(this.#host, 4);
  }

  /** Abort the lookups still running and wait until each has settled. */
  close(): Promise<unknown> {
    clearTimer(this.#timer);
    this.#scope.cancel("happyEyeballs no longer needs this lookup");
    return this.#settled.finally(() => this.#scope[Symbol.dispose]());
  }

  #answered(family: Family, answer: unknown): void {
    if (!Array.isArray(answer)) {
      this.#failed(family, new TypeError(`lookup must resolve to an array of IP addresses, got ${describe(answer)}`));
      return;
    }
    const bad = answer.find((address) => typeof address !== "string" || isIP(address) === 0);
    if (bad !== undefined) {
      this.#failed(family, new TypeError(`lookup must resolve to IP addresses, got ${JSON.stringify(bad) ?? describe(bad)}`));
      return;
    }
    let found = 0;
    for (const address of answer as string[]) {
      if (this.#seen.has(address)) continue;
      this.#seen.add(address);
      // An address of the other family (a resolver may hand one back) joins that family's queue.
      this.#queues[isIP(address) === 6 ? 6 : 4].push(address);
      found++;
    }
    if (found === 0) this.#errors[family] = notFound(this.#host, family);
    this.#settle(family, found > 0);
  }

  #failed(family: Family, error: unknown): void {
    this.#errors[family] = error;
    this.#settle(family, false);
  }

  #settle(family: Family, positive: boolean): void {
    this.#pending.delete(family);
    if (!this.#ready) {
      if (family === 6 || this.#pending.size === 0) this.#becomeReady();
      else if (positive) setTimer(this.#timer, this.#resolutionDelay, () => this.#becomeReady());
    }
    this.onChange();
  }

  #becomeReady(): void {
    clearTimer(this.#timer);
    this.#ready = true;
    this.onChange();
  }
}

function notFound(host: string, family: Family): Error {
  return Object.assign(new Error(`No IPv${family} address found for ${host}`), { code: "ENOTFOUND", hostname: host });
}

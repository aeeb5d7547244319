// A web handler is cancelled (the client disconnected) in the middle of a database transaction.
// Without a shield the transaction is cut in half and the connection comes back to the pool in
// the middle of it; with `shield` the transaction ends whole, the connection comes back clean,
// and the handler still reports the cancellation — after the transaction, never orphaning it.
import { setImmediate as onTheWire } from "node:timers/promises";
import { shield } from "@corral/shield";

/** A fake connection: every statement takes one event-loop turn and honours its signal. */
class Connection {
  inTransaction = false;

  async query(sql: string, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    await onTheWire(undefined, { signal });
    if (sql === "BEGIN") this.inTransaction = true;
    if (sql === "COMMIT" || sql === "ROLLBACK") this.inTransaction = false;
  }
}

/** A fake pool. A connection released in the middle of a transaction cannot be handed out again. */
class Pool {
  readonly #idle: Connection[] = [];
  opened = 0;
  checkedOut = 0;
  leaked = 0; // released mid-transaction: it still holds the open transaction and its locks

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.#idle.push(this.#open());
  }

  #open(): Connection {
    this.opened++;
    return new Connection();
  }

  acquire(): Connection {
    this.checkedOut++;
    return this.#idle.pop() ?? this.#open();
  }

  release(connection: Connection): void {
    if (connection.inTransaction) {
      this.leaked++;
      return;
    }
    this.checkedOut--;
    this.#idle.push(connection);
  }

  get idle(): number {
    return this.#idle.length;
  }
}

async function transfer(connection: Connection, signal: AbortSignal): Promise<void> {
  await connection.query("BEGIN", signal);
  await connection.query("UPDATE accounts SET balance = balance - 10 WHERE id = 1", signal);
  await connection.query("UPDATE accounts SET balance = balance + 10 WHERE id = 2", signal);
  await connection.query("COMMIT", signal);
}

/** The handler as usually written: the request's signal goes straight into the transaction. */
async function handleUnshielded(pool: Pool, signal: AbortSignal): Promise<void> {
  const connection = pool.acquire();
  try {
    await transfer(connection, signal);
  } finally {
    pool.release(connection);
  }
}

/** The same handler with the transaction shielded (and bounded by its own 5 s timeout). */
async function handleShielded(pool: Pool, signal: AbortSignal): Promise<void> {
  const connection = pool.acquire();
  try {
    await shield((inner) => transfer(connection, inner), { signal, timeout: 5_000 });
  } finally {
    pool.release(connection);
  }
}

/** Abort `controller` after `turns` event-loop turns: the client hangs up mid-transaction. */
function hangUpAfter(controller: AbortController, turns: number, reason: Error): void {
  setImmediate(() => (turns > 1 ? hangUpAfter(controller, turns - 1, reason) : controller.abort(reason)));
}

async function simulate(handler: (pool: Pool, signal: AbortSignal) => Promise<void>) {
  const pool = new Pool(5);
  let cancelled = 0;
  for (let i = 0; i < 1_000; i++) {
    const client = new AbortController();
    const reason = new Error("client disconnected");
    const request = handler(pool, client.signal);
    hangUpAfter(client, 1 + (i % 3), reason); // during the first UPDATE, the second, or COMMIT
    const outcome = await request.then(
      () => "completed",
      (error: unknown) => error,
    );
    if (outcome === reason || (outcome as Error).name === "AbortError") cancelled++;
  }
  return { pool, cancelled };
}

const unshielded = await simulate(handleUnshielded);
console.log(
  `without shield: ${unshielded.cancelled} requests cancelled, ${unshielded.pool.leaked} connections leaked mid-transaction, ${unshielded.pool.opened} opened`,
);

const shielded = await simulate(handleShielded);
console.log(
  `with shield:    ${shielded.cancelled} requests cancelled, ${shielded.pool.leaked} connections leaked, ${shielded.pool.idle}/${shielded.pool.opened} idle`,
);

if (unshielded.pool.leaked === 0) throw new Error("expected the unshielded handler to leak connections");
if (shielded.pool.leaked !== 0 || shielded.pool.checkedOut !== 0 || shielded.pool.idle !== shielded.pool.opened) {
  throw new Error("expected every connection back in the pool, clean");
}
if (shielded.cancelled !== 1_000) throw new Error("expected every shielded request to report the cancellation");

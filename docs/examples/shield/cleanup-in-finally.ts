// The `finally { await shield(cleanup, { signal }) }` idiom: when a job is cancelled, its
// rollback must still run, although the job's signal is already aborted by then.
import { sleep } from "@corral/cancel-core";
import { shield } from "@corral/shield";

const log: string[] = [];

/** A fake transaction whose statements take 10 ms and honour their signal. */
const transaction = {
  async insert(row: number, signal: AbortSignal): Promise<void> {
    await sleep(10, { signal });
    log.push(`insert ${row}`);
  },
  async rollback(signal: AbortSignal): Promise<void> {
    await sleep(10, { signal });
    log.push("rollback");
  },
};

async function importRows(rows: number[], signal: AbortSignal, { shielded }: { shielded: boolean }): Promise<void> {
  try {
    for (const row of rows) await transaction.insert(row, signal);
  } finally {
    if (shielded) {
      // Runs to its end (bounded by 1 s), then the cancellation is delivered.
      await shield((inner) => transaction.rollback(inner), { signal, timeout: 1_000 });
    } else {
      await transaction.rollback(signal); // rejects at once: the signal is already aborted
    }
  }
}

for (const shielded of [false, true]) {
  log.length = 0;
  const controller = new AbortController();
  const reason = new Error("user pressed stop");
  setTimeout(() => controller.abort(reason), 25);
  const error = await importRows([1, 2, 3, 4, 5], controller.signal, { shielded }).catch((e: unknown) => e);
  console.log(`${shielded ? "with shield:   " : "without shield:"} ${log.join(", ")} -> ${error === reason ? "cancelled" : String(error)}`);
  if (error !== reason) throw new Error("the job should end with the caller's cancellation");
  if (shielded !== log.includes("rollback")) throw new Error("the rollback should run exactly when shielded");
}

// Nested cancel scopes: one reason object travels to every descendant, and only the scope
// that caused a cancellation swallows it.
import { CancelScope, sleep } from "@corral/cancel-core";

const request = new CancelScope({ name: "request" });
const database = new CancelScope({ signal: request.signal, name: "database" });

const query = database.run(async (signal) => {
  await sleep(10_000, { signal }); // a slow query that honours its signal
  return "rows";
});
request.cancel("client disconnected");

const outcome = await query.then(
  (value) => ({ value }),
  (error: unknown) => ({ error }),
);
console.log("database run rejected:", "error" in outcome);
console.log("same reason object:", database.signal.reason === request.signal.reason);
console.log("owned by request:", request.owns(database.signal.reason));
console.log("database swallowed it:", database.cancelledCaught);

// A scope with a deadline owns its own expiry: run() resolves undefined instead of rejecting.
const bounded = new CancelScope({ timeout: 20, name: "bounded" });
const result = await bounded.run(async (signal) => {
  await sleep(10_000, { signal });
  return "finished";
});
console.log("bounded result:", result, "cancelledCaught:", bounded.cancelledCaught);
if (result !== undefined || !bounded.cancelledCaught || database.cancelledCaught) throw new Error("scopes misbehaved");

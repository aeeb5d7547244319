// The picture of RFC 8305 §5: connection attempts to four addresses, each started 150 ms after
// the previous one or as soon as the previous one fails. Earlier attempts keep running when a
// new one starts; the first to connect wins and the others are cancelled and awaited.
// (The network is simulated with sleep() so that the picture is the same on every machine.)
import { isCancellation, sleep } from "@corral/cancel-core";
import { staggeredRace } from "@corral/staggered";
import { expect, type Lane, Timeline } from "../../timelines/recorder.js";

const timeline = new Timeline("staggered-race", "staggeredRace(attempts, { delay: 150 })");
const raceLane = timeline.lane("staggeredRace()");

interface Address {
  address: string;
  /** How the simulated connect ends, and after how many ms. */
  outcome: "hangs" | "refused" | "connects";
  after: number;
}

const addresses: Address[] = [
  { address: "[2001:db8::10]:443 (dead route)", outcome: "hangs", after: Number.POSITIVE_INFINITY },
  { address: "192.0.2.10:443", outcome: "refused", after: 30 },
  { address: "[2001:db8::11]:443", outcome: "connects", after: 240 },
  { address: "192.0.2.11:443", outcome: "connects", after: 300 },
];
const lanes = addresses.map((entry, index) => timeline.lane(`attempt ${index} · ${entry.address}`));

// #region race
function attempt(entry: Address, lane: Lane) {
  return async (signal: AbortSignal): Promise<string> => {
    lane.start();
    try {
      await sleep(entry.after, { signal }); // stands in for a TCP handshake that honours the signal
    } catch (error) {
      if (isCancellation(error)) lane.cancel();
      throw error;
    }
    if (entry.outcome === "refused") {
      lane.fail("ECONNREFUSED");
      throw new Error(`connect ECONNREFUSED ${entry.address}`);
    }
    lane.ok("connected");
    return entry.address;
  };
}

raceLane.start();
const result = await staggeredRace(
  addresses.map((entry, index) => attempt(entry, lanes[index]!)),
  { delay: 150 },
);
raceLane.ok(`resolved: attempt ${result.index}`);
lanes[result.index]!.won("connected, won");
// #endregion

console.log("winner:", result.value, "errors:", result.errors.map((error) => (error === undefined ? "-" : (error as Error).name)).join(", "));
timeline.finish();

// What the picture promises.
const events = timeline.events();
const at = (lane: number, kind: string): number => events.find((event) => event.lane === lane && event.kind === kind)?.t ?? Number.NaN;
expect(result.index === 2 && result.errors.length === 4, "attempt 2 wins after four attempts started");
expect(isCancellation(result.errors[0]) && isCancellation(result.errors[3]), "the losers were cancelled");
expect(result.errors[1] instanceof Error && result.errors[2] === undefined, "errors[] has one slot per attempt");
// Lane 0 is the race itself; attempt i is lane i + 1.
expect(at(2, "start") - at(1, "start") >= 145, "attempt 1 started when the delay ran out");
expect(at(3, "start") >= at(2, "fail") && at(3, "start") - at(2, "start") < 145, "attempt 2 started as soon as attempt 1 failed");
expect(at(4, "start") < at(3, "win"), "attempt 3 started before anyone won");
expect(at(0, "ok") >= Math.max(at(1, "cancel"), at(4, "cancel")), "the race resolved only after its losers settled");

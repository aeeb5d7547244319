// moveOnAfter: running out of time is an expected outcome, not an error. Collect answers for
// 100 ms, then go on with whatever arrived.
import { sleep } from "@corral/cancel-core";
import { moveOnAfter } from "@corral/timeout";

// Three mirrors answering after 20, 60 and 1,000 ms.
const mirrors = [
  { name: "eu", latency: 20 },
  { name: "us", latency: 60 },
  { name: "ap", latency: 1_000 },
];

const answers: string[] = [];
const result = await moveOnAfter(100, async (signal, timeout) => {
  await Promise.all(
    mirrors.map(async (mirror) => {
      await sleep(mirror.latency, { signal }); // stands for a request that honours the signal
      answers.push(mirror.name);
    }),
  );
  console.log("every mirror answered", timeout.expired);
  return "complete";
});

console.log(`result: ${result}`);
console.log(`answers in time: ${answers.join(", ")}`);
if (result !== undefined) throw new Error("the slow mirror should have run out the clock");
if (answers.join() !== "eu,us") throw new Error(`unexpected answers: ${answers.join()}`);

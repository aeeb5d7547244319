// A hook dispatcher that awaits only the hooks it recognises as async, the way many event,
// middleware and plugin systems do. Wrapping an async hook in a hand-written arrow silently
// turns it into a "sync" hook that is never awaited; wrapping it with apartial does not.
import { apartial, isAsyncFunction } from "@corral/apartial";

type Hook = (event: string) => unknown;

async function emit(hooks: Hook[], event: string): Promise<void> {
  for (const hook of hooks) {
    if (isAsyncFunction(hook)) await hook(event);
    else hook(event);
  }
}

// The hook we want to register, with its first argument fixed.
async function writeAudit(log: string[], event: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10));
  if (event === "user.deleted") throw new Error(`audit store refused ${event}`);
  log.push(event);
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`example broken: ${message}`);
}

// 1. The bug: a hand-written wrapper is a plain arrow that returns a promise.
const log: string[] = [];
const handWritten: Hook = (event) => writeAudit(log, event);
console.log("hand-written wrapper is async:", isAsyncFunction(handWritten));
await emit([handWritten], "user.created");
console.log("after emit:", JSON.stringify(log));
check(log.length === 0, "emit() returned before the hand-written hook finished");
await new Promise((resolve) => setTimeout(resolve, 50));
console.log("50 ms later:", JSON.stringify(log));
check(log.length === 1, "the hook ran unobserved after emit() returned");

// Worse: its failure escapes emit() as an unhandled rejection instead of reaching the caller.
let escaped: unknown;
const onUnhandled = (reason: unknown) => {
  escaped = reason;
};
process.on("unhandledRejection", onUnhandled);
await emit([handWritten], "user.deleted");
console.log("emit resolved although the hook failed");
await new Promise((resolve) => setTimeout(resolve, 50));
process.off("unhandledRejection", onUnhandled);
console.log("unhandled rejection:", (escaped as Error).message);
check(escaped instanceof Error, "the failure was not seen by emit()'s caller");

// 2. The fix: apartial keeps the wrapper an async function, so emit() awaits it.
log.length = 0;
const partial = apartial(writeAudit, log); // (event: string) => Promise<void>
console.log("apartial wrapper is async:", isAsyncFunction(partial));
await emit([partial], "user.created");
console.log("after emit:", JSON.stringify(log));
check(log.length === 1, "emit() awaited the apartial hook");

const failure = await emit([partial], "user.deleted").then(
  () => undefined,
  (error: unknown) => error,
);
console.log("emit rejected with:", (failure as Error).message);
check(failure instanceof Error, "emit() rejects with the hook's own error");

// 3. What no check can see: a plain function that returns a promise. The robust dispatcher
//    does not branch at all: `await` also accepts a sync hook's plain return value.
async function emitAlwaysAwaiting(hooks: Hook[], event: string): Promise<void> {
  for (const hook of hooks) await hook(event);
}
log.length = 0;
await emitAlwaysAwaiting([handWritten], "user.created");
console.log("always awaiting, hand-written hook:", JSON.stringify(log));
check(log.length === 1, "awaiting every result covers hand-written wrappers too");

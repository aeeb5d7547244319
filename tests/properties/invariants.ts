/**
 * The six promises of issue 10, each a function from a recorded run to the list of ways the run
 * broke it (empty: the promise held). Messages name frames as `<kind>#<id>` and leaves as
 * `leaf#<id>`, the same names the event log uses.
 */
import { isCancellation, isCancelledError, isTimeoutError } from "@corral/cancel-core";
import { describe as show, type Frame, leafErrors, type RunRecord, UserError } from "./interpreter.js";

export type Check = (run: RunRecord) => string[];

const none = Symbol("none");

/** A cancellation: anything `isCancellation` recognises, or the reason given to the outside controller. */
function isCancel(value: unknown, run: RunRecord): boolean {
  return isCancellation(value) || (value !== undefined && value === run.outsideReason);
}

/** The errors (not cancellations) inside a rejection, through aggregates. */
function realErrors(value: unknown, run: RunRecord): unknown[] {
  return leafErrors(value).filter((error) => !isCancel(error, run));
}

/** An error that beats a cancellation: not itself a cancellation, and carrying at least one real error. */
function errorish(value: unknown, run: RunRecord): boolean {
  return !isCancel(value, run) && realErrors(value, run).length > 0;
}

function reasonOf(signal: AbortSignal | undefined): unknown {
  return signal?.aborted ? signal.reason : none;
}

function below(frame: Frame, ancestor: Frame): boolean {
  for (let at = frame.parent; at; at = at.parent) if (at === ancestor) return true;
  return false;
}

function outcomeText(frame: Frame, run: RunRecord): string {
  const outcome = frame.outcome;
  if (!outcome) return "never settled";
  return outcome.ok ? `fulfilled with ${show(outcome.value, run.outsideReason)}` : `rejected with ${show(outcome.error, run.outsideReason)}`;
}

function settledFirst(check: Check): Check {
  return (run) => (run.hung ? [`the run never settled: ${run.hung}`] : check(run));
}

/** 1. No group, timeout, shield or race settles while any work it started is still running. */
export const nothingOrphaned: Check = settledFirst((run) => {
  const broken: string[] = [];
  for (const frame of run.frames) {
    for (const { what, running } of frame.settleChecks) {
      if (running.length > 0) broken.push(`${frame.label} ${what} while this was still running: ${running.join(", ")}`);
    }
  }
  return broken;
});

/** 2. Every error thrown by user work is observed exactly once, and nothing is left unhandled. */
export const errorsObservedOnce: Check = settledFirst((run) => {
  const broken: string[] = [];
  const seen = new Map<unknown, string[]>();
  for (const { error, via } of run.observations) {
    if (error instanceof UserError) seen.set(error, [...(seen.get(error) ?? []), via]);
    else if (!isCancel(error, run) && !isTimeoutError(error)) broken.push(`an error no user work threw reached ${via}: ${show(error, run.outsideReason)}`);
  }
  const dropped = new Set(run.frames.flatMap((frame) => frame.dropped));
  for (const error of run.thrown) {
    const vias = seen.get(error) ?? [];
    if (vias.length === 0 && !dropped.has(error)) broken.push(`${error.message} was lost: no TaskGroupError, rejection or onError call carried it`);
    if (vias.length > 1) broken.push(`${error.message} was observed ${vias.length} times: ${vias.join("; ")}`);
  }
  for (const reason of run.unhandled) broken.push(`unhandled rejection: ${show(reason, run.outsideReason)}`);
  return broken;
});

/** 3. A cancellation is swallowed or converted only by its owner; an outside cancellation reaches the caller. */
export const cancellationOwnership: Check = settledFirst((run) => {
  const broken: string[] = [];
  for (const frame of run.frames) broken.push(...frameOwnership(frame, run));
  // The headline: user work saw the outside cancellation, so the caller must see it too (unless an error beat it).
  const outside = run.outsideReason;
  const caller = run.caller.outcome;
  const sawOutside = run.leaves.filter((leaf) => leaf.outcome && !leaf.outcome.ok && leaf.outcome.error === outside);
  if (outside !== undefined && sawOutside.length > 0 && caller) {
    if (caller.ok || (caller.error !== outside && !errorish(caller.error, run))) {
      broken.push(
        `leaf#${sawOutside[0]!.id} rejected with the outside cancellation, but the caller's promise ${outcomeText(run.caller, run)}`,
      );
    }
  }
  for (const { error, via } of run.onErrorCalls) {
    if (realErrors(error, run).length === 0) broken.push(`${via} was called with a cancellation: ${show(error, run.outsideReason)}`);
  }
  return broken;
});

const strictKinds = new Set<Frame["kind"]>(["group", "persistent", "staggered", "shield"]);

function frameOwnership(frame: Frame, run: RunRecord): string[] {
  const broken: string[] = [];
  const outcome = frame.outcome;
  if (!outcome) return broken;
  const name = frame.label;
  const parentReason = reasonOf(frame.signal);
  const rejection = outcome.ok ? none : outcome.error;
  const passesOn = rejection === parentReason || (rejection !== none && errorish(rejection, run));
  const rejections = frame.works.flatMap((work) => (work.outcome && !work.outcome.ok ? [work.outcome.error] : []));

  // Nobody lets out a cancellation its parent signal did not carry (its own, or one leaked from inside).
  if (rejection !== none && isCancel(rejection, run) && rejection !== parentReason) {
    broken.push(`${name} rejected with a cancellation its parent signal does not carry: ${show(rejection, run.outsideReason)}`);
  }
  // Nor counts a cancellation as an error.
  if (rejection !== none && rejection instanceof AggregateError) {
    const cancellations = leafErrors(rejection).filter((error) => isCancel(error, run));
    if (cancellations.length > 0) {
      broken.push(`${name} reported a cancellation as an error: ${show(rejection, run.outsideReason)}`);
    }
  }
  // Work it started rejected with the parent's cancellation: it is not the owner, so it passes it on.
  if (parentReason !== none && rejections.includes(parentReason) && !passesOn) {
    broken.push(`${name}: its work rejected with its parent's cancellation, but it ${outcomeText(frame, run)}`);
  }
  // Groups, races, shields: the parent was cancelled while they ran, so the caller hears of it.
  if (strictKinds.has(frame.kind) && parentReason !== none && (frame.abortedAtCall || frame.abortedAtLastSettle)) {
    const ok = frame.kind === "staggered" ? rejection === parentReason : passesOn;
    if (!ok) broken.push(`${name}: its parent signal aborted while it ran, but it ${outcomeText(frame, run)}`);
  }
  const fn = frame.works[0];
  const fnRejection = fn?.outcome && !fn.outcome.ok ? fn.outcome.error : none;
  const ownReason = fn && reasonOf(fn.signal) !== parentReason ? reasonOf(fn.signal) : none;
  const work = frame.work;
  // Scopes and timeouts: when their fn ends with a cancellation while the parent is cancelled, the parent's wins.
  if (((work?.kind === "scope" && !work.shield) || work?.kind === "timeout") && fn?.parentAborted && fnRejection !== none) {
    if (isCancel(fnRejection, run) && !passesOn) {
      broken.push(`${name}: its fn ended with a cancellation while its parent was cancelled, but it ${outcomeText(frame, run)}`);
    }
  }
  // Only the owner converts: a TimeoutError it made itself must come from its own expiry.
  if (rejection !== none && isTimeoutError(rejection) && !rejections.includes(rejection)) {
    const mayConvert = (work?.kind === "timeout" && work.mode === "withTimeout") || (work?.kind === "shield" && work.timeout !== undefined);
    const own = ownReason !== none && fnRejection === ownReason && rejection.cause === ownReason;
    const parentWins = work?.kind === "timeout" && fn?.parentAborted === true;
    if (!mayConvert || !own || parentWins) {
      broken.push(`${name} made a TimeoutError it does not own: ${show(rejection, run.outsideReason)}`);
    }
  }
  // And the owner does handle its own cancellation.
  if (ownReason !== none && fnRejection === ownReason && isCancelledError(ownReason)) {
    // Unless the parent was cancelled too by then: its cancellation wins (and 3.4 above checks it).
    const parentMayWin = frame.abortedAtSettle && !(work?.kind === "scope" && work.shield) && work?.kind !== "shield";
    if (!(parentMayWin && rejection === parentReason)) {
      if (work?.kind === "scope" || (work?.kind === "timeout" && work.mode === "moveOnAfter")) {
        if (!outcome.ok || outcome.value !== undefined) broken.push(`${name} did not swallow its own cancellation: it ${outcomeText(frame, run)}`);
      } else if (work?.kind === "timeout" || work?.kind === "shield") {
        if (!isTimeoutError(rejection)) broken.push(`${name} did not turn its own expiry into a TimeoutError: it ${outcomeText(frame, run)}`);
      }
    }
  }
  // A group whose work raised no error, and whose parent was never cancelled, swallows every cancellation.
  if (frame.kind === "group" && !frame.abortedAtSettle && !outcome.ok) {
    if (rejections.every((error) => isCancel(error, run))) {
      broken.push(`${name}: no error and no parent cancellation, yet it ${outcomeText(frame, run)}`);
    }
  }
  // A race with a winner, and no parent cancellation, fulfils.
  if (frame.kind === "staggered" && !frame.abortedAtSettle && !outcome.ok) {
    if (frame.works.some((attempt) => attempt.outcome?.ok)) broken.push(`${name}: an attempt fulfilled, yet it ${outcomeText(frame, run)}`);
  }
  return broken;
}

/** 4. A shielded section runs to its end unless its own timeout fires; the deferred cancellation comes once, after it. */
export const shieldsHold: Check = settledFirst((run) => {
  const broken: string[] = [];
  const shields = run.frames.filter((frame) => frame.kind === "shield" || frame.shieldedScope);
  for (const frame of shields) {
    const outside = new Set<unknown>();
    for (let at: Frame | undefined = frame; at; at = at.parent) if (at.signal.aborted) outside.add(at.signal.reason);
    for (const work of frame.works) {
      if (work.signal?.aborted && outside.has(work.signal.reason)) {
        broken.push(`the ${work.label} of ${frame.label} saw an outside cancellation: ${show(work.signal.reason, run.outsideReason)}`);
      }
    }
    for (const leaf of run.leaves) {
      if ((leaf.frame === frame || below(leaf.frame, frame)) && leaf.signal.aborted && outside.has(leaf.signal.reason)) {
        broken.push(`leaf#${leaf.id} inside ${frame.label} was cancelled from outside: ${show(leaf.signal.reason, run.outsideReason)}`);
      }
    }
    if (frame.kind === "shield") broken.push(...shieldOutcome(frame, run));
  }
  // Delivered once: no shield re-delivers a cancellation that a shield around it delivers.
  const deliveries = shields.filter((frame) => {
    const outcome = frame.outcome;
    const fn = frame.works[0];
    return frame.kind === "shield" && outcome && !outcome.ok && isCancel(outcome.error, run) && !(fn?.outcome && !fn.outcome.ok && fn.outcome.error === outcome.error);
  });
  for (const inner of deliveries) {
    for (const outer of deliveries) {
      if (below(inner, outer) && !inner.outcome!.ok && !outer.outcome!.ok && inner.outcome!.error === outer.outcome!.error) {
        broken.push(`the cancellation was delivered twice: by ${inner.label} and again by ${outer.label} around it`);
      }
    }
  }
  return broken;
});

function shieldOutcome(frame: Frame, run: RunRecord): string[] {
  const outcome = frame.outcome;
  const fn = frame.works[0];
  if (!outcome || !fn?.outcome) return [`${frame.label} never ran its fn to the end`];
  const parentReason = reasonOf(frame.signal);
  const fnOutcome = fn.outcome;
  const own = reasonOf(fn.signal);
  let expected: string;
  let ok: boolean;
  if (!fnOutcome.ok && !isCancel(fnOutcome.error, run)) {
    expected = "the error of its fn";
    ok = !outcome.ok && outcome.error === fnOutcome.error;
  } else if (!fnOutcome.ok && own !== none && fnOutcome.error === own) {
    expected = "a TimeoutError (its own timeout fired)";
    ok = !outcome.ok && isTimeoutError(outcome.error) && outcome.error.cause === own;
  } else if (parentReason !== none && (frame.abortedAtCall || fn.parentAborted)) {
    expected = "the deferred outside cancellation";
    ok = !outcome.ok && outcome.error === parentReason;
  } else if (fnOutcome.ok) {
    expected = "its fn's value";
    // The parent may abort between the end of fn and the shield's return: delivering it is fine too.
    ok = (outcome.ok && outcome.value === fnOutcome.value) || (!outcome.ok && outcome.error === parentReason);
  } else {
    return [];
  }
  return ok ? [] : [`${frame.label} should have settled with ${expected}, but it ${outcomeText(frame, run)}`];
}

/** 5. After everything settles: no listener on a signal handed in from outside, no pending timer. */
export const nothingLeaks: Check = settledFirst((run) => {
  const broken: string[] = [];
  for (const frame of run.frames) {
    if (frame.bridged && frame.listenersAtSettle > 0) {
      broken.push(`${frame.label} left ${frame.listenersAtSettle} abort listener(s) on the plain signal it was given`);
    }
  }
  if (run.outsideListeners > 0) broken.push(`${run.outsideListeners} abort listener(s) left on the caller's signal`);
  if (run.pendingTimers > 0) broken.push(`${run.pendingTimers} timer(s) still pending after everything settled`);
  return broken;
});

/** 6. The same schedule run twice gives the same event log. */
export function sameOutcome(first: RunRecord, second: RunRecord): string[] {
  const a = [...first.events, `hung: ${first.hung ?? "no"}`];
  const b = [...second.events, `hung: ${second.hung ?? "no"}`];
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    if (a[index] !== b[index]) return [`the runs differ at event ${index}: first "${a[index] ?? "(end)"}", then "${b[index] ?? "(end)"}"`];
  }
  return [];
}

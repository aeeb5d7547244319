import { CancelScope } from "@corral/cancel-core";

/** The scope behind one timeout: `ms` relative to now, or an absolute `deadline`. */
export function timeoutScope(name: string, parent: AbortSignal | undefined, ms: number): CancelScope {
  return new CancelScope(parent === undefined ? { timeout: ms, name } : { signal: parent, timeout: ms, name });
}

export function deadlineScope(name: string, parent: AbortSignal | undefined, deadline: number): CancelScope {
  return new CancelScope(parent === undefined ? { deadline, name } : { signal: parent, deadline, name });
}

import { attach, detach, Node, nodeOf } from "./internal/tree.js";
import { checkFunction, checkSignal } from "./validate.js";

/**
 * Call `listener` once when `signal` aborts, with the abort reason; dispose the result to stop
 * listening. If `signal` is already aborted, `listener` runs on a microtask (never synchronously).
 *
 * Unlike `signal.addEventListener("abort", …)`, registering costs O(1) however many other
 * registrations the signal has, and the signal holds nothing once the registration is disposed.
 * An exception thrown by `listener` is reported like one from an event listener would be.
 *
 * @example
 * ```ts
 * import { onCancel } from "@corral/cancel-core";
 *
 * const controller = new AbortController();
 * using registration = onCancel(controller.signal, (reason) => console.log("stopped:", reason));
 * controller.abort("bye"); // prints "stopped: bye"
 * ```
 */
export function onCancel(signal: AbortSignal, listener: (reason: unknown) => void): Disposable {
  checkSignal(signal, "signal", false);
  checkFunction(listener, "listener");
  const parent = nodeOf(signal);
  const node = new Node();
  node.hook = (reason) => {
    node.hook = undefined;
    // Leave the tree at once: a fired registration must not keep the source's listener alive.
    detach(node);
    callSafely(listener, reason);
  };
  if (parent.isAborted()) {
    const reason = parent.abortReason();
    queueMicrotask(() => node.hook?.(reason));
  } else {
    attach(node, parent);
  }
  return {
    [Symbol.dispose]() {
      node.hook = undefined;
      detach(node);
    },
  };
}

function callSafely(listener: (reason: unknown) => void, reason: unknown): void {
  try {
    listener(reason);
  } catch (error) {
    report(error);
  }
}

/** Report an error nobody can catch, the way the platform reports one from an event listener. */
export function report(error: unknown): void {
  const reportError = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof reportError === "function") reportError(error);
  else queueMicrotask(() => {
    throw error;
  });
}

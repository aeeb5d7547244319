import { clearTimer, type TimerHolder } from "./timer.js";

/**
 * The cancellation tree behind every corral signal.
 *
 * Why not one `addEventListener` per child: on Node, adding a listener is linear in the
 * listeners already on that signal, and `AbortSignal.any` keeps dead dependants alive on a
 * long-lived source. So corral links scopes through its own intrusive lists (O(1) attach and
 * detach, nothing left behind once detached), and a signal from outside corral gets exactly one
 * native listener, shared by all of its children, removed when its last child detaches.
 *
 * A node's `AbortController` is created only when someone asks for its signal.
 */
export class Node implements TimerHolder {
  parent: Node | undefined = undefined;
  prev: Node | undefined = undefined;
  next: Node | undefined = undefined;
  head: Node | undefined = undefined;
  aborted = false;
  reason: unknown = undefined;
  shielded = false;
  controller: AbortController | undefined = undefined;
  /** Pending deadline timer, cleared as soon as the node aborts. */
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
  /**
   * Called once when the node aborts (used by `onCancel` and `anySignal`). A source node, which
   * never aborts through the tree, keeps its native abort listener here instead.
   */
  hook: ((reason: unknown) => void) | undefined = undefined;
  /** Set on the node that stands for a signal created outside corral. */
  source: AbortSignal | undefined = undefined;
  /** Children of a source node, to know when its native listener can go. */
  count = 0;

  isAborted(): boolean {
    return this.source ? this.source.aborted : this.aborted;
  }

  abortReason(): unknown {
    return this.source ? this.source.reason : this.reason;
  }

  signal(): AbortSignal {
    if (this.source) return this.source;
    let controller = this.controller;
    if (!controller) {
      controller = this.controller = new AbortController();
      if (this.aborted) controller.abort(this.reason);
      (controller.signal as Linked)[nodeKey] = this;
    }
    return controller.signal;
  }
}

// The node is kept on the signal itself, under a symbol private to this copy of the package:
// it lives exactly as long as the signal, and unlike a WeakMap entry costs no table that grows
// with every signal ever created. Another copy of the package sees a foreign signal and links
// to it through its one native listener, which is still correct.
const nodeKey = Symbol("corral.node");
type Linked = AbortSignal & { [nodeKey]?: Node };

/** The node that stands for `signal`: its own for a corral signal, a shared source node otherwise. */
export function nodeOf(signal: AbortSignal): Node {
  let node = (signal as Linked)[nodeKey];
  if (!node) {
    node = new Node();
    node.source = signal;
    (signal as Linked)[nodeKey] = node;
  }
  return node;
}

export function attach(child: Node, parent: Node): void {
  child.parent = parent;
  const head = parent.head;
  child.next = head;
  if (head) head.prev = child;
  parent.head = child;
  if (parent.source && parent.count++ === 0) {
    const source = parent.source;
    parent.hook ??= () => abortChildren(parent, source.reason);
    source.addEventListener("abort", parent.hook);
  }
}

export function detach(child: Node): void {
  const parent = child.parent;
  if (!parent) return;
  if (child.prev) child.prev.next = child.next;
  else parent.head = child.next;
  if (child.next) child.next.prev = child.prev;
  child.parent = child.prev = child.next = undefined;
  if (parent.source && --parent.count === 0) parent.source.removeEventListener("abort", parent.hook!);
}

/** Abort `node` and every unshielded descendant with `reason` (a no-op if already aborted). */
export function abort(node: Node, reason: unknown): void {
  if (node.aborted) return;
  propagate(node, reason, true);
}

function abortChildren(node: Node, reason: unknown): void {
  propagate(node, reason, false);
}

// Two passes, as the DOM does for AbortSignal.any: every descendant is marked aborted before
// any abort event runs, so a listener never sees a child that still looks alive. The walk is
// iterative: deep nesting cannot overflow the stack.
function propagate(root: Node, reason: unknown, includeRoot: boolean): void {
  const marked: Node[] = [];
  if (includeRoot) {
    root.aborted = true;
    root.reason = reason;
    marked.push(root);
  }
  for (let i = includeRoot ? 0 : -1; i < marked.length; i++) {
    const parent = i < 0 ? root : marked[i]!;
    for (let child = parent.head; child; child = child.next) {
      if (child.shielded || child.aborted) continue;
      child.aborted = true;
      child.reason = reason;
      marked.push(child);
    }
  }
  for (const node of marked) {
    clearTimer(node);
    node.controller?.abort(reason);
    const hook = node.hook;
    if (hook) {
      node.hook = undefined;
      hook(reason);
    }
  }
}

/**
 * Link a new node under `signal`. A node whose parent is already aborted (and which is not
 * shielded) starts aborted with the parent's reason and is not linked at all.
 */
export function link(node: Node, signal: AbortSignal | undefined): void {
  if (!signal) return;
  const parent = nodeOf(signal);
  if (parent.isAborted() && !node.shielded) {
    node.aborted = true;
    node.reason = parent.abortReason();
    return;
  }
  attach(node, parent);
}

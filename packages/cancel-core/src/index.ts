export { CancelScope } from "./cancel-scope.js";
export type { CancelScopeOptions } from "./cancel-scope.js";
export { CancelledError, TimeoutError, isCancelledError, isCancellation, isTimeoutError } from "./errors.js";
export { now } from "./clock.js";
export { sleep } from "./sleep.js";
export { checkpoint } from "./checkpoint.js";
export { cancellable } from "./cancellable.js";
export { anySignal } from "./any-signal.js";
export { onCancel } from "./on-cancel.js";

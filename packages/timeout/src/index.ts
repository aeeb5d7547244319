export { withTimeout, withDeadline } from "./with-timeout.js";
export type { WithTimeoutOptions } from "./with-timeout.js";
export { moveOnAfter, moveOnAt } from "./move-on.js";
export type { Timeout } from "./timeout.js";
export { TimeoutError } from "@corral/cancel-core";

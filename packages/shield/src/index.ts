export { shield } from "./shield.js";
export type { ShieldOptions } from "./shield.js";

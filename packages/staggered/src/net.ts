export { happyEyeballs } from "./happy-eyeballs.js";
export type { HappyEyeballsOptions } from "./happy-eyeballs.js";

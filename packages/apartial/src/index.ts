export { apartial } from "./apartial.js";
export { isAsyncFunction } from "./is-async-function.js";

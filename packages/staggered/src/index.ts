export { staggeredRace } from "./staggered-race.js";
export type { StaggeredResult } from "./staggered-race.js";
export { StaggeredRaceError } from "./staggered-race-error.js";

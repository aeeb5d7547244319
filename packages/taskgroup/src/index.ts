export { taskGroup, TaskGroup } from "./task-group.js";
export type { TaskGroupOptions } from "./task-group.js";
export { PersistentTaskGroup } from "./persistent-task-group.js";
export type { PersistentTaskGroupOptions } from "./persistent-task-group.js";
export type { SpawnOptions, Task, TaskState } from "./task.js";
export { TaskGroupError } from "./task-group-error.js";
export { gather } from "./gather.js";
export { race } from "./race.js";

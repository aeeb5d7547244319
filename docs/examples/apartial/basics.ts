// What an apartial keeps from the function it wraps: its kind, its name, the right length,
// `this`, and every value and error unchanged.
import { apartial, isAsyncFunction } from "@corral/apartial";

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`example broken: ${message}`);
}

async function fetchRow(table: string, id: number, fields?: string[]): Promise<string> {
  if (id < 0) throw new RangeError(`no row ${id} in ${table}`);
  return `${table}/${id}${fields ? `?fields=${fields.join(",")}` : ""}`;
}

// Bound arguments first, call-time arguments after.
const fetchUser = apartial(fetchRow, "users"); // (id: number, fields?: string[]) => Promise<string>
console.log(await fetchUser(7), await fetchUser(8, ["name"]));
console.log("async:", isAsyncFunction(fetchUser), "name:", fetchUser.name, "length:", fetchUser.length);
check(isAsyncFunction(fetchUser) && fetchUser.name === "fetchRow" && fetchUser.length === 2, "kind, name, length");

// Errors pass through as the very same object.
const error = await fetchUser(-1).catch((reason: unknown) => reason);
console.log("rejected with:", (error as Error).message);
check(error instanceof RangeError, "rejection passes through");

// A partial of a partial is flattened: it calls fetchRow("users", 9, ...) directly.
const fetchUser9 = apartial(fetchUser, 9);
console.log(await fetchUser9(), "length:", fetchUser9.length);
check((await fetchUser9()) === "users/9" && fetchUser9.length === 1, "flattened partial");

// `this` is forwarded, so a partial works as a method.
const counter = {
  count: 0,
  add: apartial(function (this: { count: number }, step: number, times: number) {
    this.count += step * times;
    return this.count;
  }, 5),
};
console.log("counter:", counter.add(2));
check(counter.count === 10, "this forwarded");

// An async generator function stays one (and a sync function stays sync).
async function* pages(size: number, total: number): AsyncGenerator<number[]> {
  for (let start = 0; start < total; start += size) {
    yield Array.from({ length: Math.min(size, total - start) }, (_, i) => start + i);
  }
}
const pagesOfTwo = apartial(pages, 2);
const seen: number[][] = [];
for await (const page of pagesOfTwo(5)) seen.push(page);
console.log("pages:", JSON.stringify(seen), Object.prototype.toString.call(pagesOfTwo));
check(seen.length === 3 && isAsyncFunction(pagesOfTwo), "async generator stays one");

const double = apartial((factor: number, x: number) => factor * x, 2);
console.log("sync result:", double(21), "async:", isAsyncFunction(double));
check(double(21) === 42 && !isAsyncFunction(double), "sync stays sync");

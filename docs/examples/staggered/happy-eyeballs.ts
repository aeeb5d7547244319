// Connect the RFC 8305 way on loopback. The server listens on IPv4 only; "localhost" resolves
// to 127.0.0.1 and, on many machines, to ::1 too. IPv6 is tried first; a refused attempt makes
// the next one start at once, and a hanging one would get company after 250 ms.
import { once } from "node:events";
import { type AddressInfo, createServer } from "node:net";
import { StaggeredRaceError } from "@corral/staggered";
import { happyEyeballs } from "@corral/staggered/net";

const server = createServer((socket) => socket.end("hello over IPv4\n"));
server.listen({ host: "127.0.0.1", port: 0 });
await once(server, "listening");
const { port } = server.address() as AddressInfo;

const started = performance.now();
const socket = await happyEyeballs({ host: "localhost", port, signal: AbortSignal.timeout(5_000) });
const elapsed = performance.now() - started;
console.log(`connected to ${socket.remoteAddress} port ${socket.remotePort} over ${socket.remoteFamily}`);
const [greeting] = (await once(socket.setEncoding("utf8"), "data")) as [string];
console.log(`server says: ${greeting.trim()}`);
socket.destroy();

// Nobody listens any more: every address fails, and the error lists one failure per address.
server.close();
await once(server, "close");
try {
  await happyEyeballs({ host: "localhost", port });
  throw new Error("broken promise: a connect to a closed port must fail");
} catch (error) {
  if (!(error instanceof StaggeredRaceError)) throw error;
  console.log(`${error.name}: ${error.errors.length} address(es) tried`);
  for (const failure of error.errors as { address?: string; code?: string }[]) {
    console.log(`  ${failure.address} -> ${failure.code}`);
  }
  if (!error.errors.every((failure) => (failure as { code?: string }).code === "ECONNREFUSED")) throw error;
}

if (socket.remoteAddress !== "127.0.0.1") throw new Error("broken promise: the IPv4 server is the one that answered");
if (elapsed > 2_000) throw new Error(`broken promise: a refused IPv6 attempt must not delay IPv4 (took ${elapsed} ms)`);

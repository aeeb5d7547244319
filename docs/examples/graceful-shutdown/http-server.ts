// An HTTP service run by runMain: it serves until a stop signal, then drains its server so that
// no request is lost. To keep the example self-contained it is its own client, and it sends
// itself SIGTERM (what `kill`, Docker or Kubernetes would do). Exit code: 143 (128 + SIGTERM).
import { once } from "node:events";
import { Agent, createServer, get } from "node:http";
import type { AddressInfo } from "node:net";
import { drainHttpServer, runMain } from "@corral/graceful-shutdown";

interface Reply {
  body: string;
  connection: string | undefined;
}

function fetchText(port: number, path: string, agent: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ body, connection: res.headers.connection }));
    }).on("error", reject);
  });
}

runMain(
  async (signal) => {
    // Listen for the stop before awaiting anything: once() waits for the *next* abort event.
    const stopped = once(signal, "abort");

    const server = createServer((req, res) => {
      const delay = req.url === "/slow" ? 300 : 0;
      setTimeout(() => res.end(`done ${req.url}`), delay);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    console.log("listening");

    // A client with a keep-alive pool, like a load balancer or another service.
    const agent = new Agent({ keepAlive: true });
    const fast = await fetchText(port, "/fast", agent);
    console.log(`${fast.body} (Connection: ${fast.connection})`);
    const slow = fetchText(port, "/slow", agent); // still in flight when the stop arrives

    setTimeout(() => process.kill(process.pid, "SIGTERM"), 50);
    await stopped;
    console.log(`stop signal: ${(signal.reason as Error).message}`);

    // Stop listening, close the idle keep-alive connection, let /slow finish (its response
    // carries Connection: close), and destroy whatever is left after 5 s.
    const [reply] = await Promise.all([slow, drainHttpServer(server, { timeout: 5_000 })]);
    console.log(`${reply.body} (Connection: ${reply.connection})`);
    if (reply.body !== "done /slow" || reply.connection !== "close") throw new Error("the in-flight request was not answered in full");
    console.log("drained: no connection left");
    agent.destroy();
  },
  { timeout: 8_000 },
);

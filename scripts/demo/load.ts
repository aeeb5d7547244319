/**
 * The demo's load generator: keep-alive clients that send requests in a loop and classify every
 * outcome the way a user would experience it.
 */
import { Agent, get } from "node:http";

export type Outcome = "served" | "timed-out" | "hung-up" | "retried" | "refused" | "lost";

export interface RequestRecord {
  client: number;
  start: number;
  end: number;
  outcome: Outcome;
  detail?: string;
}

/** One request. `hangUpAfter` makes the client give up (close its socket) after that many ms. */
function attempt(port: number, id: number, agent: Agent, hangUpAfter: number | undefined): Promise<[Outcome, string?]> {
  return new Promise((resolve) => {
    let answered = false;
    const request = get({ host: "127.0.0.1", port, path: `/order?id=${id}`, agent }, (response) => {
      answered = true;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => {
        let parsed: { order?: number } = {};
        try {
          parsed = JSON.parse(body) as { order?: number };
        } catch {
          // an incomplete body is a lost response, reported below
        }
        if (!response.complete || parsed.order !== id) resolve(["lost", `incomplete response (${response.statusCode})`]);
        else resolve([response.statusCode === 504 ? "timed-out" : response.statusCode === 200 ? "served" : "lost"]);
      });
      response.on("error", (error: NodeJS.ErrnoException) => resolve(["lost", `reset mid-response: ${error.code}`]));
    });
    let hungUp = false;
    const hangUp = (): void => {
      hungUp = true;
      request.destroy();
    };
    const timer = hangUpAfter === undefined ? undefined : setTimeout(hangUp, hangUpAfter);
    request.on("close", () => clearTimeout(timer));
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (hungUp) resolve(["hung-up"]);
      else if (error.code === "ECONNREFUSED") resolve(["refused"]);
      // The keep-alive race: the server closed this idle connection as the request went out, so
      // the request never reached it. Node's documentation tells clients to retry exactly this.
      else if (error.code === "ECONNRESET" && request.reusedSocket && !answered) resolve(["retried"]);
      else resolve(["lost", `${error.code ?? ""} ${error.message}`]);
    });
  });
}

/**
 * `clients` clients, each sending requests one after another until the server refuses a
 * connection (it has stopped listening). Every 9th request of a client hangs up after 5–44 ms.
 */
export async function generateLoad(port: number, clients: number, t0: number, onRequest: (record: RequestRecord) => void): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  let next = 1;
  const client = async (index: number): Promise<void> => {
    const records: RequestRecord[] = [];
    let id = 0;
    for (let n = 1; ; n++) {
      // A retried request is sent again with the same id.
      if (records.at(-1)?.outcome !== "retried") id = next++;
      const start = performance.now() - t0;
      const [outcome, detail] = await attempt(port, id, agent, n % 9 === 0 ? 5 + ((n * 7) % 40) : undefined);
      const record: RequestRecord = { client: index, start, end: performance.now() - t0, outcome, ...(detail ? { detail } : {}) };
      records.push(record);
      onRequest(record);
      if (outcome === "refused" || outcome === "lost") return;
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
  agent.destroy();
}

import { lookup } from "node:dns/promises";
import { createConnection, type Socket } from "node:net";
import { cancellable, onCancel } from "@corral/cancel-core";
import type { Family } from "./resolution.js";

/**
 * The default lookup: the system resolver (`getaddrinfo`, so /etc/hosts applies), one family.
 *
 * `getaddrinfo` cannot be interrupted: on abort this rejects at once with the signal's reason
 * and the resolver's late answer is dropped.
 */
export async function lookupFamily(host: string, family: Family, signal: AbortSignal): Promise<string[]> {
  const answers = await cancellable(lookup(host, { family, all: true }), signal);
  return answers.filter((answer) => answer.family === family).map((answer) => answer.address);
}

/**
 * The default connect: one TCP connection to one address, without Node's own family
 * auto-selection (the race does that). Abort destroys the socket and rejects with the reason.
 */
export function connectTcp(address: string, family: Family, port: number, signal: AbortSignal): Promise<Socket> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<Socket>((resolve, reject) => {
    const socket = createConnection({ host: address, port, family, autoSelectFamily: false });
    const onConnect = (): void => {
      cleanup();
      resolve(socket);
    };
    const onError = (error: Error): void => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const registration = onCancel(signal, (reason) => {
      cleanup();
      socket.destroy();
      reject(reason);
    });
    function cleanup(): void {
      registration[Symbol.dispose]();
      socket.off("connect", onConnect);
      socket.off("error", onError);
    }
    socket.once("connect", onConnect);
    socket.once("error", onError);
  });
}

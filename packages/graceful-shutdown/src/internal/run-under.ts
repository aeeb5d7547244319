import { isCancellation, onCancel } from "@corral/cancel-core";
import { report } from "./report.js";
import type { ShutdownController } from "./shutdown-controller.js";
import { exitCodeFor } from "./signals.js";

type Outcome = { failed: false } | { failed: true; error: unknown };

/**
 * How long past the end of the grace period `main` may still settle and choose the exit code
 * (a drain given the grace period as its own timeout resolves a moment after it ends).
 */
export const exitMargin = 100;

/**
 * Run `main` under `controller` and end the process with the code its outcome deserves: 0 when
 * main fulfils, 1 when it fails (the error is printed once), 128 + signo after a stop signal,
 * also when the grace period (plus {@link exitMargin}) ends before main does — then main is cut
 * short by the exit, the one place where work ends without being awaited.
 */
export function runUnder(controller: ShutdownController, main: () => unknown): void {
  // The process lives as long as main does, even when main only waits for the stop signal
  // (signal listeners alone do not keep Node's event loop alive).
  const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
  let settled: Outcome | undefined;
  const outcome = Promise.resolve()
    .then(main)
    .then(
      (): Outcome => ({ failed: false }),
      (error: unknown): Outcome => ({ failed: true, error }),
    );
  // Shutdown is not over until main is: this hook keeps the process listeners (and so the
  // immediate exit on a second stop signal) in place until main settles or the grace ends.
  // It resolves quietly when the grace period ends: finish() says what happened.
  controller.onShutdown(
    (grace) =>
      new Promise<void>((resolve) => {
        const registration = onCancel(grace, () => resolve());
        void outcome.then(() => {
          registration[Symbol.dispose]();
          resolve();
        });
      }),
  );
  void outcome.then((result) => {
    settled = result;
    clearInterval(keepAlive);
    if (!controller.signal.aborted) finish(controller, result);
  });
  onCancel(controller.signal, () => {
    void controller.shutdown().then(async () => {
      if (settled === undefined) {
        // The grace period is over: main gets a last moment to settle, then the process exits.
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([outcome, new Promise<void>((resolve) => (timer = globalThis.setTimeout(resolve, exitMargin)))]);
        globalThis.clearTimeout(timer);
      }
      finish(controller, settled);
    });
  });
}

function finish(controller: ShutdownController, outcome: Outcome | undefined): never {
  const stopping = controller.signal.aborted;
  const stopCode = controller.stopSignal ? exitCodeFor(controller.stopSignal) : 0;
  let code: number;
  if (outcome === undefined) {
    report(`main did not finish within the grace period (${controller.timeout} ms): exiting with code ${stopCode}`);
    code = stopCode;
  } else if (outcome.failed && !(stopping && isCancellation(outcome.error))) {
    // Errors beat cancellation: a real failure during shutdown still exits 1.
    console.error(outcome.error);
    code = 1;
  } else {
    code = stopCode;
  }
  process.exit(code);
}

/**
 * Report an error that has no caller to reject: with `reportError` where the platform has it
 * (browsers, Deno), else with `console.error`. Never throws.
 */
export function reportError(error: unknown, context: string): void {
  try {
    const platformReport = (globalThis as { reportError?: (error: unknown) => void }).reportError;
    if (typeof platformReport === "function") platformReport(error);
    else console.error(context, error);
  } catch {
    // A broken reporter must not break the group that reports through it.
  }
}

// The only door to the Rust side: generated command bindings, unwrapped into values or AppErrors.
// The UI branches on `error.code` (a generated union), never on message text.

import { commands, events, type CommandError, type ErrorCode } from "./bindings";

export { commands, events };
export type * from "./bindings";

export class AppError extends Error {
  readonly code: ErrorCode;
  /** The form field the error is about, when the core names one. */
  readonly field: string | null;
  constructor(err: CommandError) {
    super(err.message);
    this.code = err.code;
    this.field = err.field ?? null;
  }
}

type Outcome<T> = { status: "ok"; data: T } | { status: "error"; error: CommandError };

/** Fired when any command finds the app locked (idle timeout, or locked elsewhere). */
export const LOCKED_EVENT = "merchant-desk:locked";

/** Fired when a background sync ends, so screens showing synced data (and alerts) re-read it. */
export const SYNC_FINISHED_EVENT = "merchant-desk:sync-finished";

/** Awaits a command and returns its value, throwing an AppError on a typed failure. */
export async function call<T>(pending: Promise<Outcome<T>>): Promise<T> {
  const outcome = await pending;
  if (outcome.status === "error") {
    if (outcome.error.code === "locked") window.dispatchEvent(new Event(LOCKED_EVENT));
    throw new AppError(outcome.error);
  }
  return outcome.data;
}

export function errorOf(e: unknown): AppError {
  if (e instanceof AppError) return e;
  return new AppError({ code: "internal", message: e instanceof Error ? e.message : String(e), field: null });
}

/** A new idempotency key for one confirmation of a money or settings action (`md_` and 32 hex
 * digits, as the core checks). Made when the person confirms; sending the same confirmation
 * again reuses it, so the action happens once. */
export function confirmationKey(): string {
  return `md_${crypto.randomUUID().replaceAll("-", "")}`;
}

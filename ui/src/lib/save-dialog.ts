// The native save dialog for CSV exports: the person picks the file, Rust writes it.

import { save } from "@tauri-apps/plugin-dialog";

/** Asks where to save a CSV file; `null` when the person cancels. `stem` becomes
 * `merchant-desk-<stem>-<today>.csv`. */
export async function chooseCsvPath(stem: string): Promise<string | null> {
  // Today in the person's own calendar (toISOString would give the UTC date).
  const now = new Date();
  const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
  return save({ defaultPath: `merchant-desk-${stem}-${today}.csv`, filters: [{ name: "CSV", extensions: ["csv"] }] });
}

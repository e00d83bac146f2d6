// The native save dialog for CSV exports: the person picks the file, Rust writes it.

import { save } from "@tauri-apps/plugin-dialog";

/** Asks where to save a CSV file; `null` when the person cancels. `stem` becomes
 * `merchant-desk-<stem>-<today>.csv`. */
export async function chooseCsvPath(stem: string): Promise<string | null> {
  const today = new Date().toISOString().slice(0, 10);
  return save({ defaultPath: `merchant-desk-${stem}-${today}.csv`, filters: [{ name: "CSV", extensions: ["csv"] }] });
}

// The native open dialog for dispute evidence: the person picks a file, Rust reads and checks it.

import { open } from "@tauri-apps/plugin-dialog";

/** Asks for one PDF, JPEG or PNG file; `null` when the person cancels. */
export async function chooseEvidenceFile(): Promise<string | null> {
  const picked = await open({
    multiple: false,
    directory: false,
    filters: [{ name: "PDF, JPEG or PNG", extensions: ["pdf", "jpg", "jpeg", "png"] }],
  });
  return typeof picked === "string" ? picked : null;
}

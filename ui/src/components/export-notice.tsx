// What became of a CSV export: where it was saved, or why it could not be.

import type { AppError } from "../api";

export function ExportNotice(props: { saved: string | null; error: AppError | null }) {
  return (
    <>
      {props.saved && (
        <p class="notice success" role="status">
          {props.saved}
        </p>
      )}
      {props.error && (
        <p class="notice error" role="alert">
          Could not export: {props.error.message}
        </p>
      )}
    </>
  );
}

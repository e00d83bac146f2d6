// A settings card before its data has arrived: a skeleton, or why it could not be read.

import type { AppError } from "../../api";

export function SettingsCardLoading(props: { label: string; title: string; error: AppError | null }) {
  return (
    <section class="card settings-card" aria-label={props.label}>
      <h2>{props.title}</h2>
      {props.error ? (
        <div class="notice error" role="alert" data-code={props.error.code}>
          {props.error.message}
        </div>
      ) : (
        <div class="skeleton-table short" aria-busy="true" />
      )}
    </section>
  );
}

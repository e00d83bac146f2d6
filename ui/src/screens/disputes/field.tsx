// One evidence field: a text box with its limit, or a file (attached by the file picker).

import type { EvidenceField_Serialize } from "../../api";

export function EvidenceInput(props: {
  field: EvidenceField_Serialize;
  hint?: string;
  value: string;
  held: string | null;
  disabled: boolean;
  onInput: (value: string) => void;
}) {
  const f = props.field;
  const id = `evidence-${f.name}`;
  const length = [...props.value].length;
  return (
    <div class="evidence-field" data-evidence={f.name}>
      <label for={id}>{f.label}</label>
      {props.hint && <p class="evidence-hint">{props.hint}</p>}
      <p class="help">{f.help}</p>
      {f.kind === "text" ? (
        <>
          <textarea
            id={id}
            rows={f.max_len !== null && f.max_len <= 500 ? 1 : 3}
            maxLength={f.max_len ?? undefined}
            value={props.value}
            disabled={props.disabled}
            onInput={(e) => props.onInput((e.target as HTMLTextAreaElement).value)}
          />
          {f.max_len !== null && length > 0 && (
            <span class="help">
              {length.toLocaleString()} of {f.max_len.toLocaleString()}
            </span>
          )}
        </>
      ) : (
        <input id={id} type="text" class="mono" placeholder="file_… (attach a file)" value={props.value} disabled={props.disabled} onInput={(e) => props.onInput((e.target as HTMLInputElement).value)} />
      )}
      {props.held && props.held !== props.value && <p class="help">Stripe holds: {props.held.length > 120 ? `${props.held.slice(0, 120)}…` : props.held}</p>}
    </div>
  );
}

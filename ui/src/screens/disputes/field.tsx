// One evidence field: a text box with its limit, or a file (attached by the file picker).

import type { AttachedFile, EvidenceField_Serialize } from "../../api";

export function EvidenceInput(props: {
  field: EvidenceField_Serialize;
  hint?: string;
  value: string;
  held: string | null;
  disabled: boolean;
  onInput: (value: string) => void;
  /** Files attached to this field from this PC (the one in use last). */
  attached: AttachedFile[];
  onAttach: () => void;
  attaching: boolean;
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
        <FileValue id={id} value={props.value} attached={props.attached} disabled={props.disabled} attaching={props.attaching} onAttach={props.onAttach} />
      )}
      {props.held && props.held !== props.value && <p class="help">Stripe holds: {props.held.length > 120 ? `${props.held.slice(0, 120)}…` : props.held}</p>}
    </div>
  );
}

function FileValue(props: { id: string; value: string; attached: AttachedFile[]; disabled: boolean; attaching: boolean; onAttach: () => void }) {
  const file = props.attached.find((f) => f.file === props.value) ?? null;
  return (
    <div class="evidence-file">
      {file ? (
        <div class="attached" data-field="attached">
          {file.preview && <img src={file.preview} alt={`Preview of ${file.name}`} class="attached-preview" />}
          <span>
            <strong>{file.name}</strong>
            <span class="help"> {file.summary}</span>
          </span>
        </div>
      ) : props.value ? (
        <span class="mono small">{props.value}</span>
      ) : (
        <span class="muted small">No file attached.</span>
      )}
      <button type="button" id={props.id} class="secondary" disabled={props.disabled || props.attaching} onClick={props.onAttach}>
        {props.attaching ? "Uploading…" : file || props.value ? "Replace file…" : "Attach file…"}
      </button>
    </div>
  );
}

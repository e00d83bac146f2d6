// One evidence field: a text box with its limit, or a file (attached by the file picker).

import type { AttachedFile, EvidenceField_Serialize } from "../../api";

/** Where a message shows: beside what was done, so it is seen without scrolling. "top": the
 * dispute itself (it could not be read); "footer": beside Save, Submit and Accept; "cover": the
 * cover letter; otherwise the evidence field whose file was attached or refused. */
export type Place = "top" | "footer" | "cover" | string;
export type Message = { text: string; tone: "success" | "warning" | "error"; at: Place };

/** A message beside what it is about: an alert for a refusal, a status line for what was done. */
export function MessageLine(props: { message: Message }) {
  const m = props.message;
  return m.tone === "error" ? (
    <div class="notice error" role="alert">
      {m.text}
    </div>
  ) : (
    <div class={`notice ${m.tone}`} role="status" data-field="dispute-result">
      {m.text}
    </div>
  );
}

/** Stripe's limit for the short fields (names, addresses, dates, numbers): one line to start with. */
const SHORT_TEXT = 5_000;

export function EvidenceInput(props: {
  field: EvidenceField_Serialize;
  hint?: string;
  value: string;
  held: string | null;
  disabled: boolean;
  /** Nothing can be sent any more: no buttons to attach files. */
  readOnly: boolean;
  onInput: (value: string) => void;
  /** Files attached to this field from this PC (the one in use last). */
  attached: AttachedFile[];
  onAttach: () => void;
  attaching: boolean;
  /** What became of the file last attached here, or why it was refused. */
  message: Message | null;
}) {
  const f = props.field;
  const id = `evidence-${f.name}`;
  const length = [...props.value].length;
  const over = f.max_len !== null && length > f.max_len;
  return (
    <div class="evidence-field" data-evidence={f.name}>
      <label for={id}>{f.label}</label>
      {props.hint && <p class="evidence-hint">{props.hint}</p>}
      <p class="help">{f.help}</p>
      {f.kind === "text" ? (
        <>
          <textarea
            id={id}
            rows={f.max_len !== null && f.max_len <= SHORT_TEXT ? 1 : 4}
            maxLength={f.max_len ?? undefined}
            value={props.value}
            disabled={props.disabled}
            aria-invalid={over || undefined}
            onInput={(e) => props.onInput((e.target as HTMLTextAreaElement).value)}
          />
          {f.max_len !== null && length > 0 && (
            <span class={over ? "help danger-text" : "help"}>
              {length.toLocaleString()} of {f.max_len.toLocaleString()} characters
              {over ? ` — ${(length - f.max_len).toLocaleString()} too many for Stripe` : ""}
            </span>
          )}
        </>
      ) : (
        <FileValue
          id={id}
          value={props.value}
          attached={props.attached}
          disabled={props.disabled}
          readOnly={props.readOnly}
          attaching={props.attaching}
          onAttach={props.onAttach}
        />
      )}
      {props.message && <MessageLine message={props.message} />}
      {props.held && props.held !== props.value && (
        <p class="help">
          {f.kind === "file"
            ? "Stripe already holds a file here, sent earlier."
            : `Stripe holds: ${props.held.length > 120 ? `${props.held.slice(0, 120)}…` : props.held}`}
        </p>
      )}
    </div>
  );
}

function FileValue(props: {
  id: string;
  value: string;
  attached: AttachedFile[];
  disabled: boolean;
  readOnly: boolean;
  attaching: boolean;
  onAttach: () => void;
}) {
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
        <span class="small" title={props.value}>
          A file attached earlier
        </span>
      ) : (
        <span class="muted small">No file attached.</span>
      )}
      {!props.readOnly && (
        <button type="button" id={props.id} class="secondary" disabled={props.disabled || props.attaching} onClick={props.onAttach}>
          {props.attaching ? "Uploading…" : file || props.value ? "Replace file…" : "Attach file…"}
        </button>
      )}
    </div>
  );
}

// A dispute opened: what the reason means, the deadline, what Stripe holds, and the evidence form
// (recommended fields first for the order type picked, the rest folded below). The draft is kept
// on this PC as the manager types and restored when the dispute is opened again.

import { useEffect, useRef, useState } from "preact/hooks";
import {
  call,
  commands,
  confirmationKey,
  errorOf,
  type AppError,
  type DisputeDetail_Serialize,
  type EvidenceField_Serialize,
  type EvidencePlan_Serialize,
  type OrderType,
} from "../../api";
import { Amount } from "../../components/money";
import { formatDateTime } from "../../lib/format";
import { EvidenceInput, MessageLine, type Message, type Place } from "./field";
import { chooseEvidenceFile } from "../../lib/open-dialog";
import type { AttachedFile } from "../../api";

const TEXT_LIMIT = 150_000;
const SAVE_PAUSE_MS = 600;

type Pending = { kind: "submit" | "accept"; key: string } | null;

export function DisputeView(props: { dispute: string; onBack: () => void; onChanged: () => void }) {
  const [detail, setDetail] = useState<DisputeDetail_Serialize | null>(null);
  const [error, setError] = useState<{ err: AppError; at: Place } | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [orderType, setOrderType] = useState<OrderType | null>(null);
  const [plan, setPlan] = useState<EvidencePlan_Serialize | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [sentAt, setSentAt] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Message | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [files, setFiles] = useState<AttachedFile[]>([]);
  const [attaching, setAttaching] = useState<string | null>(null);
  const [letter, setLetter] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const typed = useRef(false);
  const sending = useRef(false);

  function load(d: DisputeDetail_Serialize) {
    setDetail(d);
    const draft = d.draft;
    setFields(draft ? { ...draft.fields } : {});
    setOrderType((draft?.order_type as OrderType | null) ?? null);
    setSavedAt(draft?.saved_at ?? null);
    setSentAt(draft?.sent_at ?? null);
    setFiles((known) => d.files.map((f) => known.find((k) => k.file === f.file && k.preview) ?? f));
  }

  useEffect(() => {
    let live = true;
    call(commands.disputeGet(props.dispute)).then(
      (d) => {
        if (!live) return;
        load(d);
        // Then as Stripe has it now (a decision, evidence staged elsewhere); what was typed stays.
        call(commands.disputeRefresh(props.dispute)).then(
          (fresh) => {
            if (!live) return;
            if (typed.current) setDetail(fresh);
            else load(fresh);
          },
          () => undefined,
        );
      },
      (e) => setError({ err: errorOf(e), at: "top" }),
    );
    return () => {
      live = false;
    };
  }, [props.dispute]);

  useEffect(() => {
    if (!detail || !orderType) {
      setPlan(null);
      return;
    }
    call(commands.disputePlan(props.dispute, orderType)).then(setPlan, (e) => setError({ err: errorOf(e), at: "top" }));
  }, [detail?.row.id, orderType]);

  // The draft follows the typing, once it pauses.
  useEffect(() => {
    if (!typed.current || !detail?.may_manage) return;
    const timer = window.setTimeout(() => {
      call(commands.disputeDraftSave(props.dispute, { order_type: orderType, fields })).then(
        (d) => {
          setSavedAt(d.saved_at);
          setSentAt(d.sent_at);
        },
        (e) => setError({ err: errorOf(e), at: "footer" }),
      );
    }, SAVE_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [fields, orderType]);

  useEffect(() => {
    const d = dialog.current;
    if (pending && d && !d.open) d.showModal();
  }, [pending]);

  async function attach(field: string) {
    const path = await chooseEvidenceFile();
    if (!path) return;
    setAttaching(field);
    setError(null);
    setNotice(null);
    try {
      const file = await call(commands.disputeAttach(props.dispute, field, path, { order_type: orderType, fields }));
      setFiles((f) => [...f.filter((x) => x.file !== file.file), file]);
      setFields((f) => ({ ...f, [field]: file.file }));
      setNotice({
        text: `${file.name} is uploaded to Stripe and attached here. It goes to the bank with the evidence when you save to Stripe or submit.`,
        tone: "success",
        at: field,
      });
    } catch (e) {
      setError({ err: errorOf(e), at: field });
    } finally {
      setAttaching(null);
    }
  }

  async function previewLetter() {
    setError(null);
    setNotice(null);
    try {
      setLetter(await call(commands.disputeCoverLetterPreview(props.dispute, { order_type: orderType, fields })));
    } catch (e) {
      setError({ err: errorOf(e), at: "cover" });
    }
  }

  async function attachLetter() {
    setAttaching("uncategorized_file");
    setError(null);
    try {
      const file = await call(commands.disputeCoverLetterAttach(props.dispute, { order_type: orderType, fields }));
      setFiles((f) => [...f.filter((x) => x.file !== file.file), file]);
      setFields((f) => ({ ...f, uncategorized_file: file.file }));
      setLetter(null);
      setNotice({
        text: `The cover letter (${file.summary}) is attached as ${labelOf("uncategorized_file")}. It goes to the bank with the evidence when you save to Stripe or submit.`,
        tone: "success",
        at: "cover",
      });
    } catch (e) {
      setError({ err: errorOf(e), at: "cover" });
    } finally {
      setAttaching(null);
    }
  }

  /** A send or accept that did not go through: said beside the buttons. Stripe's dispute was read
   * before anything was sent (a deadline passed, evidence submitted from elsewhere): show it as it is
   * now, keeping what was typed. */
  function refused(err: AppError) {
    if (err.code === "outcome_unknown" || err.code === "unfinished_call") setNotice({ text: err.message, tone: "warning", at: "footer" });
    else setError({ err, at: "footer" });
    if (err.code === "invalid_input") {
      call(commands.disputeGet(props.dispute)).then(
        (d) => setDetail(d),
        () => {},
      );
    }
  }

  /** The message to show at `at`, if any. */
  function messageAt(at: Place): Message | null {
    if (error?.at === at) return { text: error.err.message, tone: "error", at };
    return notice?.at === at ? notice : null;
  }

  function labelOf(field: string): string {
    return detail?.sections.flatMap((s) => s.fields).find((f) => f.name === field)?.label ?? field;
  }

  function edit(name: string, value: string) {
    typed.current = true;
    setNotice(null);
    setFields((f) => ({ ...f, [name]: value }));
  }

  /** Runs one door action (stage, submit, accept) once at a time; shows what it became. */
  async function act(run: () => Promise<DisputeDetail_Serialize>, said: (fresh: DisputeDetail_Serialize) => string) {
    if (sending.current) return;
    sending.current = true;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const fresh = await run();
      load(fresh);
      setNotice({ text: said(fresh), tone: "success", at: "footer" });
      props.onChanged();
    } catch (e) {
      refused(errorOf(e));
    } finally {
      sending.current = false;
      setBusy(false);
      dialog.current?.close();
      setPending(null);
    }
  }

  function send(submit: boolean, key: string) {
    return act(
      () => call(commands.disputeSend(props.dispute, { order_type: orderType, fields }, submit, key)),
      (fresh) =>
        submit
          ? `Evidence submitted. The dispute is now: ${fresh.row.status_label.toLowerCase()}.`
          : "Saved to Stripe. You can still change it, and submit it before the deadline.",
    );
  }

  function accept(key: string) {
    return act(
      () => call(commands.disputeAccept(props.dispute, key)),
      (fresh) => `Dispute accepted. It is now: ${fresh.row.status_label.toLowerCase()}.`,
    );
  }

  if (!detail) {
    return (
      <div class="dispute-detail">
        <button type="button" class="secondary" onClick={props.onBack}>
          ← Back to disputes
        </button>
        {error ? (
          <div class="notice error" role="alert">
            {error.err.message}
          </div>
        ) : (
          <div class="skeleton skeleton-table" aria-busy="true" aria-label="Loading the dispute" />
        )}
      </div>
    );
  }

  const r = detail.row;
  const textTotal = Object.entries(fields)
    .filter(([name]) => detail.sections.some((s) => s.fields.some((f) => f.name === name && f.kind === "text")))
    .reduce((n, [, v]) => n + [...v].length, 0);
  const recommendedNames = new Set((plan?.recommended ?? []).map((x) => x.field.name));
  const editable = detail.may_manage && detail.can_respond;
  // Once nothing can be sent, the form only shows what was prepared or is held at Stripe.
  const prepared = Object.values(fields).some((v) => v.trim() !== "") || Object.keys(detail.held).length > 0;
  const formShown = detail.may_manage && (editable || prepared);
  const input = (f: EvidenceField_Serialize, hint?: string) => (
    <EvidenceInput
      key={f.name}
      field={f}
      hint={hint}
      value={fields[f.name] ?? ""}
      held={detail.held[f.name] ?? null}
      disabled={!editable || busy}
      readOnly={!editable}
      onInput={(v) => edit(f.name, v)}
      attached={files.filter((x) => x.field === f.name)}
      attaching={attaching === f.name}
      onAttach={() => void attach(f.name)}
      message={messageAt(f.name)}
    />
  );
  const footerMessage = messageAt("footer");
  const coverMessage = messageAt("cover");

  return (
    <div class="dispute-detail" role="region" aria-label="Dispute">
      <div class="row-between">
        <button type="button" class="secondary" onClick={props.onBack}>
          ← Back to disputes
        </button>
        {savedAt && (
          <span class="muted small" data-field="draft-status">
            Draft saved on this PC {formatDateTime(savedAt)}
            {sentAt ? ` · last sent to Stripe ${formatDateTime(sentAt)}` : " · not sent to Stripe yet"}
          </span>
        )}
      </div>
      <div class="card dispute-head">
        <div class="pay-head-main">
          <span class="big">
            <Amount value={r.amount} />
          </span>
          <span class={`badge urgency-${r.urgency}`} data-field="due">
            {r.due_words}
          </span>
          <span class="badge pay-muted" data-field="status">
            {r.status_label}
          </span>
        </div>
        <h2 class="dispute-title">{r.reason_title}</h2>
        <p class="dispute-meaning" data-field="meaning">
          {detail.reason_meaning}
        </p>
        <div class="pay-head-sub">
          <span>{r.order_number ? `Order ${r.order_number}` : "No order number"}</span>
          <span>{r.restaurant_name}</span>
          {detail.customer_name && <span>{detail.customer_name}</span>}
          {detail.customer_email && <span>{detail.customer_email}</span>}
          {r.due_by !== null && <span>Answer by {formatDateTime(r.due_by)}</span>}
        </div>
        {detail.payment_timeline.length > 0 && (
          <ol class="dispute-timeline" aria-label="What happened to the payment">
            {detail.payment_timeline.map((e, i) => (
              <li key={i} data-kind={e.kind}>
                <span class="muted small">{formatDateTime(e.at)}</span>
                <span>
                  {e.title}
                  {e.detail && <span class="muted"> · {e.detail}</span>}
                </span>
              </li>
            ))}
          </ol>
        )}
        <p class="muted small">
          {detail.has_evidence ? "Stripe holds evidence for it." : "Stripe holds no evidence yet."}{" "}
          {detail.submission_count === 0
            ? "Nothing submitted to the bank yet"
            : `Submitted to the bank ${detail.submission_count === 1 ? "once" : `${detail.submission_count} times`}`}
          {detail.past_due ? "; the last submission came after the deadline." : "."}
        </p>
      </div>
      {error?.at === "top" && (
        <div class="notice error" role="alert">
          {error.err.message}
        </div>
      )}
      {!detail.can_respond && detail.cannot_respond && (
        <div class="card note-card" role="note" data-field="cannot-respond">
          {detail.cannot_respond}
        </div>
      )}
      {!formShown && footerMessage && <MessageLine message={footerMessage} />}
      {formShown && (
        <form class="card evidence-form" aria-label="Evidence" onSubmit={(e) => e.preventDefault()}>
          {(editable || orderType) && (
            <fieldset class="order-type" disabled={!editable}>
              <legend>How was this order served?</legend>
              {detail.order_types.map((o) => (
                <label key={o.value} class="choice">
                  <input
                    type="radio"
                    name="order-type"
                    value={o.value}
                    checked={orderType === o.value}
                    onChange={() => {
                      typed.current = true;
                      setOrderType(o.value);
                    }}
                  />
                  {o.label}
                </label>
              ))}
            </fieldset>
          )}
          {plan ? (
            <section class="evidence-section recommended" aria-label="Recommended evidence">
              <h3>What wins a {plan.reason.title.toLowerCase()} for a {orderTypeWords(plan.order_type)} order</h3>
              {plan.recommended.map((x) => input(x.field, x.hint))}
            </section>
          ) : (
            editable && <p class="help">Pick how the order was served to see first the evidence that wins this kind of dispute.</p>
          )}
          <details class="other-evidence" open={!plan}>
            <summary>{plan ? "Other evidence" : "All evidence"}</summary>
            {detail.sections.map((s) => {
              const rest = s.fields.filter((f) => !recommendedNames.has(f.name));
              if (rest.length === 0) return null;
              return (
                <section key={s.group} class="evidence-section" aria-label={s.label}>
                  <h3>{s.label}</h3>
                  {rest.map((f) => input(f))}
                </section>
              );
            })}
          </details>
          {editable && (
            <section class="evidence-section cover-letter" aria-label="Cover letter">
              <h3>Cover letter</h3>
              <p class="help">
                A one-page letter for the bank's reviewer, written from this form: the order, what happened, and what each attached file shows. Look at it, then attach
                it; it goes in {labelOf("uncategorized_file")}.
              </p>
              <div class="actions left">
                <button type="button" class="secondary" disabled={busy} onClick={() => void previewLetter()}>
                  Preview cover letter
                </button>
                {letter && (
                  <button type="button" class="primary" disabled={busy || attaching !== null} onClick={() => void attachLetter()}>
                    {attaching === "uncategorized_file" ? "Attaching…" : "Attach this letter"}
                  </button>
                )}
              </div>
              {coverMessage && <MessageLine message={coverMessage} />}
              {letter && <img class="letter-preview" src={letter} alt="Preview of the cover letter" />}
            </section>
          )}
          <div class="evidence-footer">
            {footerMessage && <MessageLine message={footerMessage} />}
            <span class={textTotal > TEXT_LIMIT ? "danger-text" : "muted"} data-field="text-count">
              {textTotal.toLocaleString()} of {TEXT_LIMIT.toLocaleString()} characters used
            </span>
            {editable && (
              <div class="actions">
                <button type="button" class="danger" disabled={busy} onClick={() => setPending({ kind: "accept", key: confirmationKey() })}>
                  Accept dispute…
                </button>
                <button type="button" class="secondary" disabled={busy} onClick={() => void send(false, confirmationKey())}>
                  Save to Stripe
                </button>
                <button type="button" class="primary" disabled={busy} onClick={() => setPending({ kind: "submit", key: confirmationKey() })}>
                  Submit evidence…
                </button>
              </div>
            )}
          </div>
        </form>
      )}
      {pending && (
        <dialog ref={dialog} class="confirm" aria-label={pending.kind === "submit" ? "Submit evidence" : "Accept dispute"} onClose={() => setPending(null)}>
          {pending.kind === "submit" ? (
            <>
              <h2>Submit the evidence?</h2>
              <p>
                Submitting is final: the bank reviews what Stripe holds and you cannot add or change evidence afterwards. The dispute is for <Amount value={r.amount} />{" "}
                at {r.restaurant_name}.
              </p>
            </>
          ) : (
            <>
              <h2>Accept this dispute?</h2>
              <p>
                The cardholder keeps the money: <Amount value={r.amount} /> will not come back to {r.restaurant_name}, and the dispute fee is not refunded. This cannot be
                undone.
              </p>
            </>
          )}
          <div class="actions">
            <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button
              type="button"
              class={pending.kind === "submit" ? "primary" : "danger"}
              disabled={busy}
              onClick={() => void (pending.kind === "submit" ? send(true, pending.key) : accept(pending.key))}
            >
              {pending.kind === "submit" ? "Submit evidence" : "Accept dispute"}
            </button>
          </div>
        </dialog>
      )}
    </div>
  );
}

function orderTypeWords(o: OrderType): string {
  return { dine_in: "dine-in", takeaway: "takeaway or pickup", delivery: "delivery", catering: "catering or event" }[o];
}

// Editing a restaurant's business profile (platform admins; Express and Custom accounts — a
// Standard account's owner edits theirs at Stripe): checked by the core, confirmed, sent keyed.

import { useEffect, useRef, useState } from "preact/hooks";
import { call, commands, confirmationKey, errorOf, type AccountDetail_Serialize, type AppError, type Mcc } from "../../api";

const FIELDS = ["business_name", "mcc", "url", "support_email", "support_phone"];

export function EditProfile(props: { detail: AccountDetail_Serialize; onSaved: (d: AccountDetail_Serialize) => void; onCancel: () => void }) {
  const d = props.detail;
  const [name, setName] = useState(d.business_name ?? "");
  const [mcc, setMcc] = useState(d.mcc ?? "5812");
  const [mccs, setMccs] = useState<Mcc[]>([]);
  const [url, setUrl] = useState(d.url ?? "");
  const [email, setEmail] = useState(d.support_email ?? "");
  const [phone, setPhone] = useState(d.support_phone ?? "");
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef<string | null>(null);

  useEffect(() => {
    void call(commands.accountMccs("")).then(setMccs, () => setMccs([]));
  }, []);

  const edit = (set: (v: string) => void) => (e: Event) => {
    key.current = null;
    setError(null);
    set((e.target as HTMLInputElement).value);
  };

  async function save(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    key.current ??= confirmationKey();
    try {
      const form = { name, mcc, url: url.trim() || null, support_email: email.trim() || null, support_phone: phone.trim() || null };
      props.onSaved(await call(commands.accountProfileUpdate(d.row.id, form, key.current)));
    } catch (err) {
      const e2 = errorOf(err);
      setError(e2);
      if (e2.code !== "outcome_unknown") key.current = null;
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (f: string) =>
    error?.field === f ? (
      <span class="field-error" role="alert">
        {error.message}
      </span>
    ) : null;
  return (
    <form class="card create-account" aria-label="Business profile" onSubmit={save} noValidate>
      <h2>Business profile</h2>
      <p class="help">What card holders and Stripe see of the restaurant. Empty optional fields are cleared at Stripe.</p>
      <div class="form-grid">
        <label class="field">
          <span>Restaurant name</span>
          <input aria-label="Restaurant name" value={name} onInput={edit(setName)} aria-invalid={error?.field === "business_name" ? "true" : undefined} />
          {fieldError("business_name")}
        </label>
        <label class="field">
          <span>Kind of business (MCC)</span>
          <select aria-label="MCC" value={mcc} onChange={edit(setMcc)}>
            {mccs.map((m) => (
              <option key={m.code} value={m.code}>
                {m.code} · {m.name}
              </option>
            ))}
          </select>
          {fieldError("mcc")}
        </label>
        <label class="field">
          <span>Website</span>
          <input aria-label="Website" placeholder="https://…" value={url} onInput={edit(setUrl)} aria-invalid={error?.field === "url" ? "true" : undefined} />
          {fieldError("url")}
        </label>
        <label class="field">
          <span>Support email</span>
          <input aria-label="Support email" type="email" value={email} onInput={edit(setEmail)} aria-invalid={error?.field === "support_email" ? "true" : undefined} />
          {fieldError("support_email")}
        </label>
        <label class="field">
          <span>Support phone</span>
          <input aria-label="Support phone" value={phone} onInput={edit(setPhone)} aria-invalid={error?.field === "support_phone" ? "true" : undefined} />
          {fieldError("support_phone")}
        </label>
      </div>
      {error && !FIELDS.includes(error.field ?? "") && (
        <p class="field-error" role="alert">
          {error.message}
        </p>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Saving…" : "Save at Stripe"}
        </button>
      </div>
    </form>
  );
}

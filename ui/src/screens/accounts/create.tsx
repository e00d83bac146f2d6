// A new restaurant account: type, business type, country, email, business name, MCC (searchable
// list of restaurant codes), website, capabilities; checked by the core before anything is sent,
// confirmed, then created through the door.

import { useEffect, useRef, useState } from "preact/hooks";
import { call, commands, confirmationKey, errorOf, type AccountType, type AppError, type BusinessType, type CountryOption, type Mcc } from "../../api";

export function CreateAccount(props: { onCancel: () => void; onCreated: (id: string) => void }) {
  const [accountType, setAccountType] = useState<AccountType>("express");
  const [businessType, setBusinessType] = useState<BusinessType>("company");
  const [country, setCountry] = useState("US");
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [mcc, setMcc] = useState("5812");
  const [mccText, setMccText] = useState("");
  const [url, setUrl] = useState("");
  const [cards, setCards] = useState(true);
  const [transfers, setTransfers] = useState(true);
  const [countries, setCountries] = useState<CountryOption[]>([]);
  const [mccs, setMccs] = useState<Mcc[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef<string | null>(null);

  useEffect(() => {
    void call(commands.accountCountries()).then(setCountries, (e) => setError(errorOf(e)));
  }, []);
  useEffect(() => {
    void call(commands.accountMccs(mccText)).then(setMccs, () => setMccs([]));
  }, [mccText]);

  async function create(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    // One key per form as filled: pressing Create twice makes one account.
    key.current ??= confirmationKey();
    try {
      const made = await call(
        commands.accountCreate(
          {
            account_type: accountType,
            business_type: businessType,
            country,
            email,
            business_name: name,
            mcc,
            url: url.trim() || null,
            capabilities: { card_payments: cards, transfers },
          },
          key.current,
        ),
      );
      props.onCreated(made.row.id);
    } catch (err) {
      const e2 = errorOf(err);
      setError(e2);
      if (e2.code !== "outcome_unknown") key.current = null;
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (f: string) => (error?.field === f ? error.message : null);
  const edit = <T,>(set: (v: T) => void) => (v: T) => {
    key.current = null;
    setError(null);
    set(v);
  };
  return (
    <form class="card create-account" aria-label="New restaurant account" onSubmit={create} noValidate>
      <h2>New restaurant account</h2>
      <p class="help">Nothing is sent to Stripe until you choose Create. The owner then completes onboarding with the link this screen makes.</p>
      <div class="form-grid">
        <label class="field">
          <span>Account type</span>
          <select aria-label="Account type" value={accountType} onChange={(e) => edit(setAccountType)((e.target as HTMLSelectElement).value as AccountType)}>
            <option value="express">Express — Stripe hosts onboarding and a light dashboard</option>
            <option value="standard">Standard — the owner has a full Stripe account</option>
            <option value="custom">Custom — the platform handles everything</option>
          </select>
        </label>
        <label class="field">
          <span>Business type</span>
          <select aria-label="Business type" value={businessType} onChange={(e) => edit(setBusinessType)((e.target as HTMLSelectElement).value as BusinessType)}>
            <option value="company">Company</option>
            <option value="individual">Individual (sole trader)</option>
            <option value="non_profit">Non-profit</option>
            <option value="government_entity">Government entity</option>
          </select>
        </label>
        <label class="field">
          <span>Country</span>
          <select aria-label="Country" value={country} onChange={(e) => edit(setCountry)((e.target as HTMLSelectElement).value)}>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
                {c.card_payments ? "" : " (payouts only)"}
              </option>
            ))}
          </select>
          {fieldError("country") && <span class="field-error" role="alert">{fieldError("country")}</span>}
        </label>
        <label class="field">
          <span>Owner's email</span>
          <input aria-label="Owner's email" type="email" value={email} onInput={(e) => edit(setEmail)((e.target as HTMLInputElement).value)} aria-invalid={fieldError("email") ? "true" : undefined} />
          {fieldError("email") && <span class="field-error" role="alert">{fieldError("email")}</span>}
        </label>
        <label class="field">
          <span>Restaurant name</span>
          <input aria-label="Restaurant name" value={name} onInput={(e) => edit(setName)((e.target as HTMLInputElement).value)} aria-invalid={fieldError("business_name") ? "true" : undefined} />
          {fieldError("business_name") && <span class="field-error" role="alert">{fieldError("business_name")}</span>}
        </label>
        <label class="field">
          <span>Website (optional)</span>
          <input aria-label="Website" placeholder="https://…" value={url} onInput={(e) => edit(setUrl)((e.target as HTMLInputElement).value)} aria-invalid={fieldError("url") ? "true" : undefined} />
          {fieldError("url") && <span class="field-error" role="alert">{fieldError("url")}</span>}
        </label>
        <div class="field">
          <label for="mcc-search">Kind of business (MCC)</label>
          <input id="mcc-search" placeholder="Search: restaurant, bar, 5814…" value={mccText} onInput={(e) => setMccText((e.target as HTMLInputElement).value)} />
          <select aria-label="MCC" value={mcc} size={4} onChange={(e) => edit(setMcc)((e.target as HTMLSelectElement).value)}>
            {mccs.map((m) => (
              <option key={m.code} value={m.code}>
                {m.code} · {m.name}
              </option>
            ))}
          </select>
          {fieldError("mcc") && <span class="field-error" role="alert">{fieldError("mcc")}</span>}
        </div>
        <fieldset class="field">
          <legend>Capabilities</legend>
          <label class="choice">
            <input type="checkbox" checked={cards} onChange={(e) => edit(setCards)((e.target as HTMLInputElement).checked)} /> Card payments
          </label>
          <label class="choice">
            <input type="checkbox" checked={transfers} onChange={(e) => edit(setTransfers)((e.target as HTMLInputElement).checked)} /> Transfers (payouts from the platform)
          </label>
          {fieldError("capabilities") && <span class="field-error" role="alert">{fieldError("capabilities")}</span>}
        </fieldset>
      </div>
      {error && !["country", "email", "business_name", "url", "mcc", "capabilities"].includes(error.field ?? "") && (
        <p class="field-error" role="alert">
          {error.message}
        </p>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Creating…" : "Create account"}
        </button>
      </div>
    </form>
  );
}

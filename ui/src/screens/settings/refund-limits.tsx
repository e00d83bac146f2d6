// Settings → Refund limits: per role and currency, the most a profile may refund alone; above it a
// manager or owner approves with their PIN on the refund screen. Owners and platform admins edit
// the list here, read the change back in words, and save it in one go (the core checks it again,
// keeps it and audits it as `settings.refund_limits`).

import { useEffect, useRef, useState } from "preact/hooks";
import { call, commands, errorOf, type AppError, type RefundLimit_Serialize, type Role } from "../../api";
import { formatMoney, locale } from "../../lib/format";
import "./refund-limits.css";
import { SettingsCardLoading } from "./loading";

// ---- Pure helpers (unit-tested) -------------------------------------------------------------

export type Limit = RefundLimit_Serialize;

export const ROLES: { id: Role; label: string }[] = [
  { id: "staff", label: "Staff" },
  { id: "manager", label: "Manager" },
  { id: "owner", label: "Owner" },
  { id: "platform_admin", label: "Platform admin" },
];

export function roleLabel(role: Role): string {
  return ROLES.find((r) => r.id === role)?.label ?? role;
}

/** Staff may refund this many major units of any currency alone unless a limit is set
 * (md-core `settings::STAFF_REFUND_LIMIT_MAJOR`); other roles have no limit unless set. */
export const STAFF_DEFAULT_MAJOR = 50;

// The same lists as md-core `money.rs` (Stripe's zero- and three-decimal currencies). Amounts the
// core sends come with their exponent; a limit being typed has none yet, so it is known here too.
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

/** How many decimals `currency`'s major unit has: 0 for JPY, 3 for KWD, otherwise 2. */
export function exponentOf(currency: string): number {
  const c = currency.trim().toLowerCase();
  return ZERO_DECIMAL.has(c) ? 0 : THREE_DECIMAL.has(c) ? 3 : 2;
}

/** A role's limit in `currency` when none is set, in minor units; `null`: no limit. */
export function defaultLimit(role: Role, currency: string): number | null {
  return role === "staff" ? STAFF_DEFAULT_MAJOR * 10 ** exponentOf(currency) : null;
}

/** A limit to type in `currency`'s major unit, as an example: 75.00, 5000, 75.000. */
export function exampleAmount(currency: string): string {
  const e = exponentOf(currency);
  return e === 0 ? "5000" : `75.${"0".repeat(e)}`;
}

/** Minor units as the major-unit text a person types: 7500 USD → "75.00", 5000 JPY → "5000". */
export function majorText(amount: number, currency: string): string {
  const e = exponentOf(currency);
  if (e === 0) return String(amount);
  const digits = String(amount).padStart(e + 1, "0");
  return `${digits.slice(0, -e)}.${digits.slice(-e)}`;
}

/** Far above any refund, and exact as a JS number (the core's own bound). */
const MAX_MINOR = 2 ** 50;

/**
 * Reads a limit typed in major units ("75.00", "5000" for JPY) as minor units, the way md-core's
 * `money::parse_major` reads it: digits with at most the currency's decimals after a dot; no signs,
 * symbols or thousands separators are guessed at (a comma is a decimal mark in some locales).
 */
export function parseMajor(typed: string, currency: string): { amount: number } | { error: string } {
  const text = typed.trim();
  const code = currency.trim().toUpperCase();
  const e = exponentOf(currency);
  const example = exampleAmount(currency);
  if (text === "") return { error: `Type the limit, like ${example}, or tick No limit.` };
  if (/^-[\d.]+$/.test(text)) return { error: "A limit is zero or more: refunds cannot be limited below nothing." };
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) {
    return { error: `“${text}” is not an amount: type digits${e > 0 ? " and a dot" : ""}, like ${example}, without currency signs or thousands separators.` };
  }
  const whole = match[1]!;
  const fraction = match[2] ?? "";
  if (fraction.length > e) {
    return {
      error:
        e === 0
          ? `${code} has no decimals: type a whole amount, like ${example}.`
          : `${code} amounts have at most ${e} decimals; ${text} has ${fraction.length}.`,
    };
  }
  const scale = 10 ** e;
  const amount = whole.length > 16 ? Infinity : Number(whole) * scale + Number(fraction.padEnd(e, "0") || "0");
  if (amount > MAX_MINOR) return { error: `${text} ${code} is more than any refund could be.` };
  return { amount };
}

/** The lower-case code of a typed currency ("usd", " EUR "), or `null` when it is not three letters. */
export function currencyOf(typed: string): string | null {
  const text = typed.trim();
  return /^[A-Za-z]{3}$/.test(text) ? text.toLowerCase() : null;
}

/** A limit in words: "$75.00", "¥5,000", "No limit". */
export function limitText(amount: number | null, currency: string, loc: string = locale()): string {
  if (amount === null) return "No limit";
  try {
    return formatMoney({ amount, currency, exponent: exponentOf(currency) }, loc);
  } catch {
    // A code Intl does not know as a currency still reads plainly.
    return `${majorText(amount, currency)} ${currency.toUpperCase()}`;
  }
}

const RANK: Record<Role, number> = { staff: 0, manager: 1, owner: 2, platform_admin: 3 };

/** Staff first, then managers, owners and platform admins; currencies alphabetically. */
export function sortLimits(list: Limit[]): Limit[] {
  return [...list].sort((a, b) => RANK[a.role] - RANK[b.role] || a.currency.localeCompare(b.currency));
}

const same = (a: Pick<Limit, "role" | "currency">, b: Pick<Limit, "role" | "currency">) => a.role === b.role && a.currency === b.currency;

/** One role and currency whose limit in force changes, with where it comes from before and after. */
export type Change = { role: Role; currency: string; from: number | null; fromDefault: boolean; to: number | null; toDefault: boolean };

/** What saving `draft` over `saved` changes, in the table's order. */
export function changesBetween(saved: Limit[], draft: Limit[]): Change[] {
  const keys = sortLimits([...saved, ...draft.filter((d) => !saved.some((s) => same(s, d)))]);
  const changes: Change[] = [];
  for (const key of keys) {
    const before = saved.find((s) => same(s, key));
    const after = draft.find((d) => same(d, key));
    if (before && after && before.amount === after.amount) continue;
    changes.push({
      role: key.role,
      currency: key.currency,
      from: before ? before.amount : defaultLimit(key.role, key.currency),
      fromDefault: !before,
      to: after ? after.amount : defaultLimit(key.role, key.currency),
      toDefault: !after,
    });
  }
  return changes;
}

/** "Staff in USD: $50.00 (default) → $75.00". */
export function changeSentence(c: Change, loc: string = locale()): string {
  const side = (amount: number | null, isDefault: boolean) => {
    const shown = amount === null ? "no limit" : limitText(amount, c.currency, loc);
    return isDefault ? `${shown} (default)` : shown;
  };
  return `${roleLabel(c.role)} in ${c.currency.toUpperCase()}: ${side(c.from, c.fromDefault)} → ${side(c.to, c.toDefault)}`;
}

/** The row form as typed. `original` is the row being edited (`null`: a new one). */
export type RowDraft = { original: Pick<Limit, "role" | "currency"> | null; role: Role; currency: string; amount: string; noLimit: boolean };

export type RowError = { field: "currency" | "amount"; message: string };

/** The limit the row form makes, or the field it cannot be kept for and why. */
export function limitOf(row: RowDraft, list: Limit[]): { limit: Limit } | RowError {
  const currency = currencyOf(row.currency);
  if (currency === null) {
    const typed = row.currency.trim();
    return { field: "currency", message: typed === "" ? "Type the currency's three-letter code, like USD or JPY." : `“${typed}” is not a currency code: type three letters, like USD or JPY.` };
  }
  const clash = list.find((l) => l.role === row.role && l.currency === currency && !(row.original && same(row.original, l)));
  if (clash) {
    return { field: "currency", message: `${roleLabel(row.role)} already has a limit in ${currency.toUpperCase()}: edit that row instead.` };
  }
  if (row.noLimit) return { limit: { role: row.role, currency, amount: null } };
  const parsed = parseMajor(row.amount, currency);
  if ("error" in parsed) return { field: "amount", message: parsed.error };
  return { limit: { role: row.role, currency, amount: parsed.amount } };
}

/** The list with the row form's limit put in (in place of the row edited). */
export function withLimit(list: Limit[], original: RowDraft["original"], limit: Limit): Limit[] {
  return sortLimits([...list.filter((l) => !(original && same(original, l))), limit]);
}

// ---- The screen ------------------------------------------------------------------------------

export function RefundLimitsSettings() {
  const [saved, setSaved] = useState<Limit[] | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [draft, setDraft] = useState<Limit[]>([]);
  const [row, setRow] = useState<RowDraft | null>(null);
  const [rowError, setRowError] = useState<RowError | null>(null);
  const [saveError, setSaveError] = useState<AppError | null>(null);
  const [done, setDone] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const firstField = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    call(commands.refundLimitsGet()).then(
      (limits) => {
        const list = sortLimits(limits.set);
        setSaved(list);
        setDraft(list);
      },
      (e) => setLoadError(errorOf(e)),
    );
  }, []);

  useEffect(() => {
    if (row) firstField.current?.focus();
  }, [row?.original, row !== null]);

  const changes = saved ? changesBetween(saved, draft) : [];

  function openRow(next: RowDraft) {
    setRow(next);
    setRowError(null);
    setDone(null);
  }

  function putRow(e: Event) {
    e.preventDefault();
    if (!row) return;
    const made = limitOf(row, draft);
    if ("field" in made) {
      setRowError(made);
      return;
    }
    setDraft(withLimit(draft, row.original, made.limit));
    setRow(null);
    setRowError(null);
    setSaveError(null);
  }

  function remove(limit: Limit) {
    setDraft(draft.filter((l) => !same(l, limit)));
    if (row?.original && same(row.original, limit)) setRow(null);
    setSaveError(null);
    setDone(null);
  }

  async function save() {
    if (busy) return;
    setBusy(true);
    setSaveError(null);
    const said = changes.map((c) => changeSentence(c));
    try {
      const kept = await call(commands.refundLimitsSet({ set: draft }));
      const list = sortLimits(kept.set);
      setSaved(list);
      setDraft(list);
      setDone(said);
    } catch (err) {
      // Nothing was kept: the list stays as edited, to be corrected.
      setSaveError(errorOf(err));
    } finally {
      setBusy(false);
      dialog.current?.close();
    }
  }

  if (saved === null) return <SettingsCardLoading label="Refund limits settings" title="Refund limits" error={loadError} />;

  const code = (c: string) => c.toUpperCase();
  const unsaved = (l: Limit) => !saved.some((s) => same(s, l) && s.amount === l.amount);

  return (
    <section class="card settings-card rl-card" aria-label="Refund limits settings">
      <div class="row-between">
        <h2>Refund limits</h2>
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() => openRow({ original: null, role: "staff", currency: "", amount: "", noLimit: false })}
        >
          Add limit
        </button>
      </div>
      <p class="rl-rule">
        A profile may refund up to its role's limit in the payment's currency on its own; above it, a manager or owner
        approves the refund with their PIN on the refund screen.
      </p>
      <ul class="rl-defaults" aria-label="Defaults" data-field="refund-limit-defaults">
        <li>
          <strong>Staff:</strong> 50.00 in every currency unless set (¥50 in yen and other currencies without decimals).
        </li>
        <li>
          <strong>Managers, owners and platform admins:</strong> no limit unless set.
        </li>
      </ul>

      <table class="data rl-table" aria-label="Refund limits set">
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Currency</th>
            <th scope="col" class="num">
              Limit
            </th>
            <th scope="col" class="num">
              Actions
            </th>
          </tr>
        </thead>
        <tbody>
          {draft.length === 0 && (
            <tr>
              <td colSpan={4} class="muted rl-empty">
                No limits set: the defaults above apply. Add a limit to change a role's limit in a currency.
              </td>
            </tr>
          )}
          {draft.map((l) => (
            <tr key={`${l.role}-${l.currency}`} class={row?.original && same(row.original, l) ? "rl-editing" : undefined}>
              <td>{roleLabel(l.role)}</td>
              <td class="mono">{code(l.currency)}</td>
              <td class="num">
                {unsaved(l) && <span class="badge badge-pending rl-unsaved">Not saved</span>}
                <span class={l.amount === null ? "muted" : "amount"} data-field="limit">
                  {limitText(l.amount, l.currency)}
                </span>
              </td>
              <td class="num nowrap">
                <button
                  type="button"
                  class="link-button"
                  aria-label={`Edit ${roleLabel(l.role)} ${code(l.currency)}`}
                  onClick={() =>
                    openRow({
                      original: { role: l.role, currency: l.currency },
                      role: l.role,
                      currency: code(l.currency),
                      amount: l.amount === null ? "" : majorText(l.amount, l.currency),
                      noLimit: l.amount === null,
                    })
                  }
                >
                  Edit
                </button>{" "}
                <button type="button" class="link-button danger-text" aria-label={`Remove ${roleLabel(l.role)} ${code(l.currency)}`} onClick={() => remove(l)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {row && <RowForm row={row} setRow={setRow} error={rowError} firstField={firstField} onSubmit={putRow} onCancel={() => { setRow(null); setRowError(null); }} />}

      {saveError && (
        <div class="notice error" role="alert" data-code={saveError.code} data-field="refund-limits-error">
          Nothing was saved. {saveError.message}
        </div>
      )}
      {done && changes.length === 0 && (
        <div class="notice success" role="status" data-field="refund-limits-saved">
          <p>Saved. Refunds above these limits now need a manager's or owner's PIN:</p>
          <ul>
            {done.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </div>
      )}

      <div class="rl-footer">
        <p class="muted small" aria-live="polite" data-field="refund-limits-pending">
          {changes.length === 0 ? "No unsaved changes." : `${changes.length === 1 ? "1 change" : `${changes.length} changes`} not saved yet.`}
        </p>
        <div class="actions">
          <button
            type="button"
            class="secondary"
            disabled={changes.length === 0 || busy}
            onClick={() => {
              setDraft(saved);
              setRow(null);
              setRowError(null);
              setSaveError(null);
            }}
          >
            Discard changes
          </button>
          <button
            type="button"
            class="primary"
            disabled={changes.length === 0 || busy || row !== null}
            title={row !== null ? "Finish or cancel the limit being edited first" : undefined}
            onClick={() => {
              setSaveError(null);
              setDone(null);
              dialog.current?.showModal();
            }}
          >
            Review and save
          </button>
        </div>
      </div>

      <dialog ref={dialog} class="confirm rl-confirm" aria-labelledby="rl-confirm-title" aria-describedby="rl-confirm-what">
        <h2 id="rl-confirm-title">Save {changes.length === 1 ? "this change" : `these ${changes.length} changes`} to refund limits?</h2>
        <div id="rl-confirm-what">
          <ul class="rl-changes">
            {changes.map((c) => (
              <li key={`${c.role}-${c.currency}`}>{changeSentence(c)}</li>
            ))}
          </ul>
          <p class="muted">
            From the next refund on, at every restaurant, a profile refunding more than its limit needs a manager's or owner's PIN. Roles and
            currencies not listed keep their limit.
          </p>
        </div>
        <div class="actions">
          <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
            Keep editing
          </button>
          <button type="button" class="primary" disabled={busy} onClick={() => void save()}>
            {busy ? "Saving…" : "Save limits"}
          </button>
        </div>
      </dialog>
    </section>
  );
}

function FieldError(props: { id: string; message: string }) {
  return (
    <div id={props.id} class="notice error field-error" role="alert" data-field={props.id}>
      {props.message}
    </div>
  );
}

/** The row form: role, currency, limit in the currency's major unit or no limit. Errors sit under
 * the field they are about, which points to them with `aria-describedby`. */
function RowForm(props: {
  row: RowDraft;
  setRow: (r: RowDraft) => void;
  error: RowError | null;
  firstField: { current: HTMLSelectElement | null };
  onSubmit: (e: Event) => void;
  onCancel: () => void;
}) {
  const { row, setRow, error } = props;
  const currency = currencyOf(row.currency);
  const e = currency ? exponentOf(currency) : null;
  const help =
    currency === null
      ? "in the currency's major unit, like 75.00 for USD or 5000 for JPY."
      : e === 0
        ? `a whole amount (${currency.toUpperCase()} has no decimals), like ${exampleAmount(currency)}; 0 means every refund needs approval.`
        : `in ${currency.toUpperCase()}, with up to ${e} decimals, like ${exampleAmount(currency)}; 0 means every refund needs approval.`;
  const value = (ev: Event) => (ev.target as HTMLInputElement).value;
  const at = (field: RowError["field"]) => error?.field === field;
  const title = row.original ? `Edit ${roleLabel(row.original.role)} in ${row.original.currency.toUpperCase()}` : "New limit";
  return (
    <form class="rl-form" onSubmit={props.onSubmit} noValidate aria-label={title}>
      <h3>{title}</h3>
      <div class="rl-fields">
        <div class="rl-field">
          <label for="rl-role">Role</label>
          <select id="rl-role" ref={props.firstField} value={row.role} onChange={(ev) => setRow({ ...row, role: (ev.target as HTMLSelectElement).value as Role })}>
            {ROLES.map((r) => (
              <option value={r.id} key={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <div class="rl-field">
          <label for="rl-currency">Currency</label>
          <input
            id="rl-currency"
            class="mono rl-currency"
            maxLength={3}
            spellcheck={false}
            autocomplete="off"
            placeholder="USD"
            value={row.currency}
            aria-invalid={at("currency")}
            aria-describedby={at("currency") ? "rl-currency-error rl-currency-help" : "rl-currency-help"}
            onInput={(ev) => setRow({ ...row, currency: value(ev) })}
          />
        </div>
        <div class="rl-field">
          <label for="rl-amount">Limit</label>
          <div class="rl-amount-row">
            <input
              id="rl-amount"
              class="rl-amount"
              inputMode="decimal"
              autocomplete="off"
              placeholder={currency ? exampleAmount(currency) : "75.00"}
              disabled={row.noLimit}
              value={row.noLimit ? "" : row.amount}
              aria-invalid={at("amount")}
              aria-describedby={at("amount") ? "rl-amount-error rl-amount-help" : "rl-amount-help"}
              onInput={(ev) => setRow({ ...row, amount: value(ev) })}
            />
            {currency && <span class="muted mono">{currency.toUpperCase()}</span>}
          </div>
        </div>
        <label class="check rl-none" for="rl-none">
          <input id="rl-none" type="checkbox" checked={row.noLimit} onChange={(ev) => setRow({ ...row, noLimit: (ev.target as HTMLInputElement).checked })} />
          No limit
        </label>
      </div>
      <p id="rl-currency-help" class="help">
        Currency: three letters, like USD, EUR or JPY.
      </p>
      <p id="rl-amount-help" class="help">
        {row.noLimit ? `Limit: none, so ${roleLabel(row.role).toLowerCase()} profiles may refund any amount alone in this currency.` : `Limit: ${help}`}
      </p>
      {at("currency") && <FieldError id="rl-currency-error" message={error!.message} />}
      {at("amount") && <FieldError id="rl-amount-error" message={error!.message} />}

      <div class="actions">
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary">
          {row.original ? "Update the list" : "Add to the list"}
        </button>
      </div>
    </form>
  );
}

// Settings → CardConnect: the CardPointe site, API user and password, and the merchant ID of each
// restaurant on CardConnect. Everything is checked with CardPointe before anything is kept; the
// password is kept only in the system keyring. It is held in this component only until it is sent,
// and never comes back: the view has no field for it.

import { useEffect, useRef, useState } from "preact/hooks";
import {
  call,
  commands,
  errorOf,
  type AppError,
  type CardConnectForm_Deserialize,
  type CardConnectView_Serialize,
  type ConnectionMode,
} from "../../api";
import "./cardconnect.css";
import { SettingsCardLoading } from "./loading";

/** One restaurant row of the form; `key` keeps a row's inputs in place when another is removed. */
export type Row = { key: number; merchid: string; name: string; currency: string };
export type Draft = { site: string; apiUser: string; password: string; rows: Row[] };

let nextKey = 1;
export function blankRow(): Row {
  return { key: nextKey++, merchid: "", name: "", currency: "" };
}

/** The address a site name makes, read the way the core reads it (a pasted address is accepted);
 * `null` while what is typed cannot be a site name. */
export function siteAddress(raw: string): string | null {
  let text = raw.trim().toLowerCase();
  if (text.startsWith("https://")) text = text.slice("https://".length);
  text = text.split("/")[0] ?? "";
  if (text.endsWith(".cardconnect.com")) text = text.slice(0, -".cardconnect.com".length);
  const ok = text.length > 0 && text.length <= 63 && /^[a-z0-9-]+$/.test(text) && !text.startsWith("-") && !text.endsWith("-");
  return ok ? `https://${text}.cardconnect.com` : null;
}

/** The form as a stored set-up fills it: site, user and restaurants, never a password. */
export function draftOf(view: CardConnectView_Serialize | null): Draft {
  const editable = view !== null && view.configured && !view.demo;
  const rows = editable
    ? view.merchants.map((m) => ({ ...blankRow(), merchid: m.merchid, name: m.name, currency: (m.currency ?? "").toUpperCase() }))
    : [];
  return {
    site: editable ? (view.site ?? "") : "",
    apiUser: editable ? (view.api_user ?? "") : "",
    password: "",
    rows: rows.length > 0 ? rows : [blankRow()],
  };
}

/** What is sent: rows left wholly empty are dropped, an empty currency means the core's default. */
export function formOf(draft: Draft): CardConnectForm_Deserialize {
  const merchants = draft.rows
    .map((r) => ({ merchid: r.merchid.trim(), name: r.name.trim(), currency: r.currency.trim() }))
    .filter((r) => r.merchid !== "" || r.name !== "" || r.currency !== "")
    .map((r) => ({ merchid: r.merchid, name: r.name, currency: r.currency === "" ? null : r.currency }));
  return { site: draft.site.trim(), api_user: draft.apiUser.trim(), password: draft.password, merchants };
}

/** Which field a refusal is about, so that its message is shown next to it. */
export type Where =
  | { field: "site" | "api_user" | "password" | "credentials" | "merchants" | "form" }
  | { field: "row"; row: number };

/**
 * Places the core's message. The code decides where it can (wrong credentials, an address that
 * cannot be reached); an invalid_input names its field only in its words, so those are read here:
 * a merchant ID of one of the rows, then the field the sentence is about. Anything else is shown
 * beside the Check and save button. (The core knows the field; once `CommandError` carries it,
 * this reading of words goes.)
 */
export function whereIs(error: Pick<AppError, "code" | "message" | "field">, rows: Row[]): Where {
  switch (error.code) {
    case "key_rejected":
      return { field: "credentials" };
    case "offline":
    case "invalid_base_url":
      return { field: "site" };
  }
  switch (error.field) {
    case "site":
    case "password":
    case "api_user":
      return { field: error.field };
    case "merchants": {
      // The core names the merchant ID a refusal is about: that ID (data, not wording) finds its row.
      const row = rows.findIndex((r) => {
        const id = r.merchid.trim();
        return id !== "" && (error.message.includes(`merchant ID ${id}`) || error.message.includes(`"${id}"`));
      });
      return row >= 0 ? { field: "row", row } : { field: "merchants" };
    }
    default:
      return { field: "form" };
  }
}

/** What "Check and save" says once CardPointe knew everything. */
export function savedSentence(view: CardConnectView_Serialize): string {
  const n = view.merchants.length;
  const restaurants = n === 1 ? "its restaurant" : n === 2 ? "both restaurants" : `all ${n} restaurants`;
  return `Saved: CardPointe accepted the API user and knows ${restaurants} on site ${view.site ?? ""}. The password is stored in the system keyring.`;
}

export function CardConnectSettings(props: { mode: ConnectionMode; onOpenStripe: () => void }) {
  const [view, setView] = useState<CardConnectView_Serialize | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [draft, setDraft] = useState<Draft>(() => draftOf(null));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [forgetError, setForgetError] = useState<AppError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    call(commands.cardconnectSettings()).then(
      (v) => {
        setView(v);
        setDraft(draftOf(v));
      },
      (e) => setLoadError(errorOf(e)),
    );
  }, [props.mode]);

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setForgetError(null);
    setDone(null);
    try {
      const saved = await call(commands.cardconnectConnect(formOf(draft)));
      setView(saved);
      setDraft(draftOf(saved));
      setDone(savedSentence(saved));
    } catch (err) {
      // Nothing was stored: the form stays as typed, to be corrected.
      setError(errorOf(err));
    } finally {
      setBusy(false);
    }
  }

  async function forget() {
    dialog.current?.close();
    setBusy(true);
    setError(null);
    setForgetError(null);
    setDone(null);
    try {
      const left = await call(commands.cardconnectForget());
      setView(left);
      setDraft(draftOf(left));
      setDone("CardConnect was removed from this computer: the API user and password are gone from the keyring.");
    } catch (err) {
      setForgetError(errorOf(err));
    } finally {
      setBusy(false);
    }
  }

  if (view === null) return <SettingsCardLoading label="CardConnect settings" title="CardConnect" error={loadError} />;

  const demo = view.demo || props.mode === "demo";
  return (
    <section>
      <div class="card settings-card cardconnect-card" aria-label="CardConnect settings">
        <h2>CardConnect</h2>
        {demo && (
          <div class="notice info" role="note">
            <p>
              Demo mode shows the demo CardConnect site and its restaurants, served by the built-in emulator; they cannot be
              changed. Your own CardPointe site is set up here after connecting your platform's Stripe key.
            </p>
            <button type="button" class="link-button" onClick={props.onOpenStripe}>
              Open Stripe connection
            </button>
          </div>
        )}
        <CurrentSetup view={view} />

        {forgetError && (
          <div class="notice error" role="alert" data-code={forgetError.code}>
            CardConnect was not removed: {forgetError.message}
          </div>
        )}
        {view.configured && !demo && (
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={() => dialog.current?.showModal()}>
              Forget CardConnect
            </button>
          </div>
        )}

        {!demo && (
          <SetupForm
            draft={draft}
            setDraft={setDraft}
            replacing={view.configured}
            busy={busy}
            error={error}
            done={done}
            onSubmit={save}
          />
        )}
      </div>

      {view.configured && !demo && (
        <dialog ref={dialog} aria-labelledby="cc-forget-title" class="confirm">
          <h2 id="cc-forget-title">Forget CardConnect?</h2>
          <p>
            The API user and password of site {view.site} are removed from this computer's keyring, and its{" "}
            {view.merchants.length === 1 ? "restaurant" : `${view.merchants.length} restaurants`} from this list. Nothing
            more is synced from or sent to CardConnect; nothing changes at CardConnect, and you can set it up again later.
          </p>
          <div class="actions">
            <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
              Keep CardConnect
            </button>
            <button type="button" class="danger" onClick={() => void forget()}>
              Forget CardConnect
            </button>
          </div>
        </dialog>
      )}
    </section>
  );
}

/** The set-up as stored: site and its address, API user, where the password is, the restaurants. */
function CurrentSetup(props: { view: CardConnectView_Serialize }) {
  const { view } = props;
  if (!view.configured) {
    return (
      <p class="muted" data-field="cardconnect-state">
        Not set up. Enter the site, API user and password CardPointe issued, and the merchant ID of each restaurant on
        CardConnect; Merchant Desk checks them with CardPointe before keeping them.
      </p>
    );
  }
  const address = view.site ? siteAddress(view.site) : null;
  return (
    <>
      <dl class="facts" aria-label="Current CardConnect set-up">
        <div>
          <dt>Site</dt>
          <dd data-field="cc-site">
            <span class="mono">{view.site}</span>
            {address && <span class="muted"> ({address})</span>}
          </dd>
        </div>
        {view.base_url && view.base_url !== address && (
          <div>
            <dt>Calls go to</dt>
            <dd data-field="cc-base-url">
              <span class="mono">{view.base_url}</span>
              <span class="muted">{view.demo ? " (the built-in emulator)" : " (an address set for testing)"}</span>
            </dd>
          </div>
        )}
        <div>
          <dt>API user</dt>
          <dd class="mono" data-field="cc-api-user">
            {view.api_user}
          </dd>
        </div>
        <div>
          <dt>Password</dt>
          <dd data-field="cc-password">{view.demo ? "Built in (it opens only the demo site on this computer)" : "Stored in the system keyring; never shown"}</dd>
        </div>
      </dl>
      <table class="data cc-restaurants" aria-label="Restaurants on CardConnect">
        <thead>
          <tr>
            <th>Merchant ID</th>
            <th>Restaurant</th>
            <th>Currency</th>
          </tr>
        </thead>
        <tbody>
          {view.merchants.map((m) => (
            <tr key={m.merchid}>
              <td class="mono">{m.merchid}</td>
              <td>{m.name}</td>
              <td>{(m.currency ?? "usd").toUpperCase()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The core's message beside the field it is about; that field points to it with `aria-describedby`. */
function FieldError(props: { id: string; error: AppError }) {
  return (
    <div id={props.id} class="notice error field-error" role="alert" data-code={props.error.code}>
      {props.error.message}
    </div>
  );
}

function SetupForm(props: {
  draft: Draft;
  setDraft: (d: Draft) => void;
  replacing: boolean;
  busy: boolean;
  error: AppError | null;
  done: string | null;
  onSubmit: (e: Event) => void;
}) {
  const { draft, setDraft, error } = props;
  const where = error ? whereIs(error, draft.rows) : null;
  const at = (field: Where["field"]) => (where?.field === field ? error : null);
  const address = siteAddress(draft.site);
  const credentials = at("credentials");
  const rowError = where?.field === "row" ? where.row : -1;
  const setRow = (i: number, change: Partial<Row>) =>
    setDraft({ ...draft, rows: draft.rows.map((r, j) => (j === i ? { ...r, ...change } : r)) });
  const value = (e: Event) => (e.target as HTMLInputElement).value;

  return (
    <form class="connect-form cc-form" onSubmit={props.onSubmit} aria-label="Set up CardConnect" noValidate>
      <h3>{props.replacing ? "Change the set-up" : "Set up CardConnect"}</h3>
      {props.replacing && <p class="help">Enter the API password again to save a change; it is never shown back.</p>}
      <fieldset disabled={props.busy} class="cc-fields">
        <label for="cc-site">CardPointe site</label>
        <input
          id="cc-site"
          spellcheck={false}
          autocomplete="off"
          placeholder="e.g. fts or fts-uat"
          value={draft.site}
          aria-invalid={at("site") !== null}
          aria-describedby={at("site") ? "cc-site-error cc-site-help" : "cc-site-help"}
          onInput={(e) => setDraft({ ...draft, site: value(e) })}
        />
        <p id="cc-site-help" class="help" data-field="cc-site-address">
          {address ? (
            <>
              The site's address: <span class="mono">{address}</span>
            </>
          ) : (
            "The name CardConnect gave your site: the part before .cardconnect.com."
          )}
        </p>
        {at("site") && <FieldError id="cc-site-error" error={error!} />}

        <label for="cc-user">API user</label>
        <input
          id="cc-user"
          spellcheck={false}
          autocomplete="off"
          value={draft.apiUser}
          aria-invalid={at("api_user") !== null || credentials !== null}
          aria-describedby={at("api_user") ? "cc-user-error" : undefined}
          onInput={(e) => setDraft({ ...draft, apiUser: value(e) })}
        />
        {at("api_user") && <FieldError id="cc-user-error" error={error!} />}

        <label for="cc-password">API password</label>
        <input
          id="cc-password"
          type="password"
          autocomplete="new-password"
          spellcheck={false}
          value={draft.password}
          aria-invalid={at("password") !== null || credentials !== null}
          aria-describedby={at("password") || credentials ? "cc-password-error cc-password-help" : "cc-password-help"}
          onInput={(e) => setDraft({ ...draft, password: value(e) })}
        />
        <p id="cc-password-help" class="help">
          Checked with CardPointe, then kept only in this computer's system keyring.
        </p>
        {(at("password") || credentials) && <FieldError id="cc-password-error" error={error!} />}

        <fieldset class="cc-restaurant-rows" aria-describedby={at("merchants") || rowError >= 0 ? "cc-merchants-error" : undefined}>
          <legend>Restaurants on this site</legend>
          <div class="cc-row cc-row-head" aria-hidden="true">
            <span>Merchant ID</span>
            <span>Restaurant name</span>
            <span>Currency</span>
            <span />
          </div>
          {draft.rows.map((r, i) => (
            <div class={i === rowError ? "cc-row invalid" : "cc-row"} key={r.key} role="group" aria-label={`Restaurant ${i + 1}`}>
              <input
                class="mono"
                inputMode="numeric"
                spellcheck={false}
                autocomplete="off"
                aria-label={`Merchant ID ${i + 1}`}
                placeholder="496400000113"
                value={r.merchid}
                aria-invalid={i === rowError}
                aria-describedby={i === rowError ? "cc-merchants-error" : undefined}
                onInput={(e) => setRow(i, { merchid: value(e) })}
              />
              <input
                aria-label={`Restaurant name ${i + 1}`}
                autocomplete="off"
                placeholder="Restaurant name"
                maxLength={80}
                value={r.name}
                onInput={(e) => setRow(i, { name: value(e) })}
              />
              <input
                class="mono"
                aria-label={`Currency ${i + 1}`}
                autocomplete="off"
                spellcheck={false}
                placeholder="USD"
                maxLength={3}
                value={r.currency}
                onInput={(e) => setRow(i, { currency: value(e).toUpperCase() })}
              />
              <button
                type="button"
                class="link-button danger-text"
                aria-label={`Remove restaurant ${i + 1}`}
                disabled={draft.rows.length === 1}
                onClick={() => setDraft({ ...draft, rows: draft.rows.filter((_, j) => j !== i) })}
              >
                Remove
              </button>
              {i === rowError && <FieldError id="cc-merchants-error" error={error!} />}
            </div>
          ))}
          <button type="button" class="secondary cc-add" onClick={() => setDraft({ ...draft, rows: [...draft.rows, blankRow()] })}>
            Add restaurant
          </button>
          <p class="help">The merchant ID CardConnect gave each restaurant (6 to 16 digits). Currency is optional: USD when left empty.</p>
          {at("merchants") && <FieldError id="cc-merchants-error" error={error!} />}
        </fieldset>
      </fieldset>

      {at("form") && <FieldError id="cc-form-error" error={error!} />}
      {props.done && (
        <div class="notice success" role="status">
          {props.done}
        </div>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={props.busy} aria-busy={props.busy}>
          {props.busy ? "Checking with CardPointe…" : "Check and save"}
        </button>
      </div>
    </form>
  );
}

// Settings → Stripe connection: paste a key, have it checked by Stripe, keep it in the keyring.
// The key is held in this component only until it is sent; it is never shown back in full.

import { useRef, useState } from "preact/hooks";
import { call, commands, errorOf, type AppError, type ConnectionView_Serialize } from "../../api";

const HINTS: Partial<Record<AppError["code"], string>> = {
  invalid_key_format: "Copy the secret key from Stripe Dashboard → Developers → API keys.",
  key_rejected: "Check that the key is current and belongs to your platform account.",
  keyring_unavailable: "Nothing was saved.",
  offline: "Nothing was saved. Check the connection and try again.",
  invalid_base_url: "Leave the API address empty to use Stripe itself.",
};

export function ConnectionSettings(props: { connection: ConnectionView_Serialize; onChanged: () => Promise<void> }) {
  const { connection } = props;
  const [key, setKey] = useState("");
  const [apiBase, setApiBase] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [forgetError, setForgetError] = useState<AppError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  async function connect(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const view = await call(commands.connectionConnect(key, apiBase.trim() === "" ? null : apiBase.trim()));
      setKey("");
      setDone(`Connected with ${view.masked_key}. The key is stored in the system keyring.`);
      await props.onChanged();
    } catch (err) {
      setError(errorOf(err));
      await props.onChanged();
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
      await call(commands.connectionForget());
      setDone("The key was removed from this computer. Merchant Desk is back in demo mode.");
    } catch (err) {
      setForgetError(errorOf(err));
    } finally {
      setBusy(false);
      // Whatever happened, show the connection as it now is.
      await props.onChanged();
    }
  }

  const modeLabel = { demo: "Demo data (built-in emulator)", test: "Stripe, test mode", live: "Stripe, live mode" }[connection.mode];

  return (
    <section>
      <div class="card settings-card">
        <h2>Stripe connection</h2>
        {connection.keyring_problem && (
          <div class="notice warning" role="alert">
            <strong>Keyring problem.</strong> {connection.keyring_problem}
          </div>
        )}
        <dl class="facts" aria-label="Current connection">
          <div>
            <dt>Connected to</dt>
            <dd data-field="mode">{modeLabel}</dd>
          </div>
          <div>
            <dt>Key</dt>
            <dd class="mono" data-field="masked-key">{connection.masked_key ?? "None — demo mode needs no key"}</dd>
          </div>
          <div>
            <dt>API address</dt>
            <dd class="mono" data-field="api-base">{connection.api_base_url}</dd>
          </div>
        </dl>

        {forgetError && (
          <div class="notice error" role="alert" data-code={forgetError.code}>
            The key was not removed: {forgetError.message}
          </div>
        )}
        {connection.mode !== "demo" && (
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={() => dialog.current?.showModal()}>
              Forget key
            </button>
          </div>
        )}

        <form class="connect-form" onSubmit={connect} aria-label="Connect a Stripe account" noValidate>
          <h3>{connection.mode === "demo" ? "Connect your Stripe platform" : "Replace the key"}</h3>
          <label for="stripe-key">Stripe secret key</label>
          <input
            id="stripe-key"
            type="password"
            autocomplete="off"
            spellcheck={false}
            placeholder="sk_live_… or rk_live_…"
            value={key}
            aria-describedby="stripe-key-help"
            aria-invalid={error?.code === "invalid_key_format" || error?.code === "key_rejected"}
            onInput={(e) => setKey((e.target as HTMLInputElement).value)}
          />
          <p id="stripe-key-help" class="help">
            A secret (sk_…) or restricted (rk_…) key of your platform account. It is checked with Stripe, then kept only
            in this computer's system keyring.
          </p>
          <details>
            <summary>Advanced</summary>
            <label for="api-base">API address</label>
            <input
              id="api-base"
              type="url"
              spellcheck={false}
              placeholder={connection.configured_api_base_url}
              value={apiBase}
              onInput={(e) => setApiBase((e.target as HTMLInputElement).value)}
            />
            <p class="help">Only for a Stripe-compatible test server. Leave empty to use {connection.configured_api_base_url}.</p>
          </details>
          {error && (
            <div class="notice error" role="alert" data-code={error.code}>
              {error.message} {HINTS[error.code] ?? ""}
            </div>
          )}
          {done && (
            <div class="notice success" role="status">
              {done}
            </div>
          )}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy || key.trim() === ""}>
              {busy ? "Checking with Stripe…" : "Check and save key"}
            </button>
          </div>
        </form>
      </div>

      <dialog ref={dialog} aria-labelledby="forget-title" class="confirm">
        <h2 id="forget-title">Forget the Stripe key?</h2>
        <p>
          The key {connection.masked_key} is removed from this computer's keyring and Merchant Desk returns to demo
          mode. Nothing changes at Stripe; you can paste the key again later.
        </p>
        <div class="actions">
          <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
            Keep key
          </button>
          <button type="button" class="danger" onClick={() => void forget()}>
            Forget key
          </button>
        </div>
      </dialog>
    </section>
  );
}

// Settings → Onboarding links: where Stripe sends a restaurant's owner back after an onboarding or
// update link, and where a used or expired link leads. Set once; every link uses them.

import { useEffect, useState } from "preact/hooks";
import { call, commands, errorOf, type AppError } from "../../api";
import { SettingsCardLoading } from "./loading";

export function AccountLinkSettings() {
  const [loaded, setLoaded] = useState(false);
  const [returnUrl, setReturnUrl] = useState("");
  const [refreshUrl, setRefreshUrl] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    call(commands.accountLinkUrlsGet()).then(
      (urls) => {
        setReturnUrl(urls?.return_url ?? "");
        setRefreshUrl(urls?.refresh_url ?? "");
        setLoaded(true);
      },
      (e) => setLoadError(errorOf(e)),
    );
  }, []);

  async function save(e: Event) {
    e.preventDefault();
    setError(null);
    setSaved(null);
    try {
      const kept = await call(commands.accountLinkUrlsSet({ return_url: returnUrl, refresh_url: refreshUrl }));
      setSaved(`Saved: owners come back to ${kept.return_url}.`);
    } catch (err) {
      setError(errorOf(err));
    }
  }

  if (!loaded) return <SettingsCardLoading label="Onboarding link settings" title="Onboarding links" error={loadError} />;
  const at = (field: string) => (error?.field === field ? error.message : null);
  return (
    <form class="card settings-card connect-form" aria-label="Onboarding link settings" onSubmit={save} noValidate>
      <h2>Onboarding links</h2>
      <p class="help">Where Stripe sends a restaurant's owner when they finish with an onboarding or update link, and where an expired or used link leads them. Usually pages of the platform's website.</p>
      <label for="return-url">After onboarding (return address)</label>
      <input id="return-url" value={returnUrl} placeholder="https://…" aria-invalid={at("return_url") ? "true" : undefined} onInput={(e) => setReturnUrl((e.target as HTMLInputElement).value)} />
      {at("return_url") && <p class="field-error" role="alert">{at("return_url")}</p>}
      <label for="refresh-url">When a link has expired (refresh address)</label>
      <input id="refresh-url" value={refreshUrl} placeholder="https://…" aria-invalid={at("refresh_url") ? "true" : undefined} onInput={(e) => setRefreshUrl((e.target as HTMLInputElement).value)} />
      {at("refresh_url") && <p class="field-error" role="alert">{at("refresh_url")}</p>}
      {error && !["return_url", "refresh_url"].includes(error.field ?? "") && <p class="field-error" role="alert">{error.message}</p>}
      {saved && <p role="status" class="notice success">{saved}</p>}
      <div class="actions">
        <button type="submit" class="primary">
          Save addresses
        </button>
      </div>
    </form>
  );
}

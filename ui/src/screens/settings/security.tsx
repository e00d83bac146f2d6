// Settings → Lock: how long the PC may sit idle before it locks itself.

import { useState } from "preact/hooks";
import { call, commands, errorOf, type AppError } from "../../api";

export function SecuritySettings(props: { minutes: number; onChanged: () => Promise<void> }) {
  const [minutes, setMinutes] = useState(String(props.minutes));
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);

  async function save(e: Event) {
    e.preventDefault();
    setError(null);
    setSaved(false);
    try {
      await call(commands.settingsSetIdleLock(Number(minutes)));
      setSaved(true);
      await props.onChanged();
    } catch (err) {
      setError(errorOf(err));
    }
  }

  return (
    <form class="card settings-card" onSubmit={save} noValidate aria-label="Idle lock">
      <h2>Lock when idle</h2>
      <p class="muted">After this many minutes without a click or a key press, Merchant Desk locks and asks for a PIN.</p>
      <label for="idle-minutes">Minutes (1 to 120)</label>
      <input id="idle-minutes" class="short" inputMode="numeric" value={minutes} onInput={(e) => setMinutes((e.target as HTMLInputElement).value)} />
      {error && (
        <div class="notice error" role="alert">
          {error.message}
        </div>
      )}
      {saved && (
        <div class="notice success" role="status">
          Saved: the app locks after {minutes} idle minutes.
        </div>
      )}
      <div class="actions">
        <button type="submit" class="primary">
          Save
        </button>
      </div>
    </form>
  );
}

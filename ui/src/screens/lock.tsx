// The lock screen: pick your profile, enter your PIN. Wrong PINs back off in Rust; this only says so.

import { useEffect, useRef, useState } from "preact/hooks";
import { call, commands, errorOf, type AppError, type SessionView_Serialize } from "../api";
import { PinField } from "../components/pin-field";

export function LockScreen(props: { session: SessionView_Serialize; onUnlocked: (s: SessionView_Serialize) => void }) {
  const profiles = props.session.profiles;
  const [chosen, setChosen] = useState<number | null>(profiles.length === 1 ? profiles[0].id : null);
  const [pin, setPin] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (chosen !== null) pinRef.current?.focus();
  }, [chosen]);

  async function unlock(e: Event) {
    e.preventDefault();
    if (chosen === null) return;
    setBusy(true);
    setError(null);
    try {
      props.onUnlocked(await call(commands.sessionUnlock(chosen, pin)));
    } catch (err) {
      setError(errorOf(err));
      setPin("");
    } finally {
      setBusy(false);
    }
  }

  const selected = profiles.find((p) => p.id === chosen);
  return (
    <main class="gate" aria-label="Locked">
      <form class="card gate-card" onSubmit={unlock} noValidate>
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">MD</span>
          <span>Merchant Desk is locked</span>
        </div>
        <fieldset class="profile-picker">
          <legend>Who are you?</legend>
          {profiles.map((p) => (
            <button
              type="button"
              key={p.id}
              class={p.id === chosen ? "profile-choice chosen" : "profile-choice"}
              aria-pressed={p.id === chosen}
              onClick={() => {
                setChosen(p.id);
                setError(null);
              }}
            >
              <span class="avatar" aria-hidden="true">{p.name.slice(0, 1).toUpperCase()}</span>
              <span class="profile-text">
                <strong>{p.name}</strong>
                <span class="muted">{p.role_label}</span>
              </span>
            </button>
          ))}
        </fieldset>
        {selected && (
          <>
            <PinField id="unlock-pin" label={`PIN for ${selected.name}`} value={pin} onInput={setPin} inputRef={pinRef} />
            {selected.locked_for_seconds && !error && (
              <div class="notice warning" role="status">
                Too many wrong PINs: try again in {selected.locked_for_seconds} seconds.
              </div>
            )}
          </>
        )}
        {error && (
          <div class={error.code === "pin_locked_out" ? "notice warning" : "notice error"} role="alert" data-code={error.code}>
            {error.message}
          </div>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || chosen === null || pin.length < 4}>
            Unlock
          </button>
        </div>
      </form>
    </main>
  );
}

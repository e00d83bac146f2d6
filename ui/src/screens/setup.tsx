// First run on a new PC: create the first owner or platform admin, who then adds everyone else.

import { useState } from "preact/hooks";
import { call, commands, errorOf, type AppError, type Role, type SessionView_Serialize } from "../api";
import { PinField } from "../components/pin-field";

export function Setup(props: { onDone: (s: SessionView_Serialize) => void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("owner");
  const [pin, setPin] = useState("");
  const [again, setAgain] = useState("");
  const [error, setError] = useState<AppError | string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (pin !== again) {
      setError("The two PINs differ. Type the same PIN twice.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      props.onDone(await call(commands.setupFirstProfile(name, role, pin)));
    } catch (err) {
      setError(errorOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="gate" aria-label="Set up Merchant Desk">
      <form class="card gate-card" onSubmit={submit} noValidate>
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">MD</span>
          <span>Merchant Desk</span>
        </div>
        <h1>Set up this PC</h1>
        <p class="muted">
          Create the first profile. It can add profiles for managers and staff later; everyone signs in with their own
          PIN.
        </p>
        <label for="setup-name">Your name</label>
        <input id="setup-name" value={name} maxLength={60} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <label for="setup-role">Role</label>
        <select id="setup-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as Role)}>
          <option value="owner">Owner (restaurant group)</option>
          <option value="platform_admin">Platform admin</option>
        </select>
        <PinField id="setup-pin" label="PIN (4 to 8 digits)" value={pin} onInput={setPin} />
        <PinField id="setup-pin-again" label="PIN again" value={again} onInput={setAgain} />
        {error && (
          <div class="notice error" role="alert">
            {typeof error === "string" ? error : error.message}
          </div>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || name.trim() === "" || pin === ""}>
            Create profile and start
          </button>
        </div>
      </form>
    </main>
  );
}

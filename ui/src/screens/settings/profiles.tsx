// Settings → Profiles: who may use this PC, in which role, with which PIN.

import { useEffect, useRef, useState } from "preact/hooks";
import { call, commands, errorOf, type AppError, type ProfileView_Serialize, type Role } from "../../api";
import { PinField } from "../../components/pin-field";

const ROLES: { id: Role; label: string; what: string }[] = [
  { id: "owner", label: "Owner", what: "balances, payouts, settings and profiles" },
  { id: "manager", label: "Manager", what: "disputes, refunds above the staff limit, payments" },
  { id: "staff", label: "Staff", what: "find payments and refund within the staff limit" },
  { id: "platform_admin", label: "Platform admin", what: "everything, including connected accounts" },
];

/** Seniority, as the core ranks roles: nobody may give a role above their own. */
const RANK: Record<Role, number> = { staff: 0, manager: 1, owner: 2, platform_admin: 3 };

type Editing = { id: number | null; name: string; role: Role; pin: string; scope: string[] | null };
type Restaurant = { id: string; name: string };

export function ProfilesSettings(props: { me: number; myRole: Role; onChanged: () => Promise<void> }) {
  const grantable = ROLES.filter((r) => RANK[r.id] <= RANK[props.myRole]);
  const [profiles, setProfiles] = useState<ProfileView_Serialize[] | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<ProfileView_Serialize | null>(null);
  const [restaurants, setRestaurants] = useState<Restaurant[]>([]);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    call(commands.profilesList()).then(setProfiles, (e) => setError(errorOf(e)));
    // The restaurants a profile can be limited to, from the local cache.
    call(commands.overviewGet()).then(
      (o) =>
        setRestaurants(
          [
            ...o.accounts.map((a) => ({ id: a.id, name: a.name })),
            ...o.cardconnect.map((m) => ({ id: m.merchid, name: `${m.name} (CardConnect)` })),
          ].sort((a, b) => a.name.localeCompare(b.name)),
        ),
      () => setRestaurants([]),
    );
  }, []);

  async function save(e: Event) {
    e.preventDefault();
    if (!editing) return;
    setError(null);
    const form = { name: editing.name, role: editing.role, pin: editing.pin === "" ? null : editing.pin, scope: editing.scope };
    try {
      const list = editing.id === null ? await call(commands.profilesCreate(form)) : await call(commands.profilesUpdate(editing.id, form));
      setProfiles(list);
      setEditing(null);
      await props.onChanged();
    } catch (err) {
      setError(errorOf(err));
    }
  }

  async function remove(p: ProfileView_Serialize) {
    dialog.current?.close();
    setError(null);
    try {
      setProfiles(await call(commands.profilesDelete(p.id)));
      await props.onChanged();
    } catch (err) {
      setError(errorOf(err));
    }
  }

  return (
    <section class="card settings-card wide">
      <div class="row-between">
        <h2>Profiles</h2>
        <button type="button" class="primary" onClick={() => setEditing({ id: null, name: "", role: "staff", pin: "", scope: null })}>
          Add profile
        </button>
      </div>
      {error && (
        <div class="notice error" role="alert" data-code={error.code}>
          {error.message}
        </div>
      )}
      {profiles === null ? (
        <div class="skeleton-table short" aria-busy="true" />
      ) : (
        <table class="data" aria-label="Profiles">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Sees</th>
              <th class="num">Actions</th>
            </tr>
          </thead>
          <tbody>
            {profiles.map((p) => (
              <tr key={p.id}>
                <td>
                  <span class="name">{p.name}</span>
                  {p.id === props.me && <span class="muted small"> (you)</span>}
                </td>
                <td>{p.role_label}</td>
                <td class="muted">
                  {p.scope
                    ? p.scope.map((id) => restaurants.find((r) => r.id === id)?.name ?? id).join(", ") || "No restaurants"
                    : "All restaurants"}
                </td>
                <td class="num">
                  <button type="button" class="link-button" onClick={() => setEditing({ id: p.id, name: p.name, role: p.role, pin: "", scope: p.scope })}>
                    Edit
                  </button>{" "}
                  <button
                    type="button"
                    class="link-button danger-text"
                    onClick={() => {
                      setConfirmDelete(p);
                      dialog.current?.showModal();
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {editing && (
        <form class="profile-form" onSubmit={save} noValidate aria-label={editing.id === null ? "New profile" : "Edit profile"}>
          <h3>{editing.id === null ? "New profile" : `Edit ${editing.name}`}</h3>
          <label for="profile-name">Name</label>
          <input id="profile-name" maxLength={60} value={editing.name} onInput={(e) => setEditing({ ...editing, name: (e.target as HTMLInputElement).value })} />
          <label for="profile-role">Role</label>
          <select id="profile-role" value={editing.role} onChange={(e) => setEditing({ ...editing, role: (e.target as HTMLSelectElement).value as Role })}>
            {grantable.map((r) => (
              <option value={r.id} key={r.id}>
                {r.label} — {r.what}
              </option>
            ))}
          </select>
          <fieldset class="scope">
            <legend>Restaurants this profile sees</legend>
            <label class="check">
              <input type="radio" name="scope" checked={editing.scope === null} onChange={() => setEditing({ ...editing, scope: null })} />
              All restaurants
            </label>
            <label class="check">
              <input type="radio" name="scope" checked={editing.scope !== null} onChange={() => setEditing({ ...editing, scope: editing.scope ?? [] })} />
              Only the ones ticked below
            </label>
            {editing.scope !== null && (
              <div class="scope-list" role="group" aria-label="Restaurants">
                {restaurants.length === 0 && <p class="muted small">No restaurants synced yet; open the Overview once to load them.</p>}
                {restaurants.map((r) => (
                  <label class="check" key={r.id}>
                    <input
                      type="checkbox"
                      checked={editing.scope?.includes(r.id) ?? false}
                      onChange={(e) => {
                        const on = (e.target as HTMLInputElement).checked;
                        const current = editing.scope ?? [];
                        setEditing({ ...editing, scope: on ? [...current, r.id] : current.filter((id) => id !== r.id) });
                      }}
                    />
                    {r.name}
                  </label>
                ))}
              </div>
            )}
          </fieldset>
          <PinField
            id="profile-pin"
            label={editing.id === null ? "PIN (4 to 8 digits)" : "New PIN (leave empty to keep the current one)"}
            value={editing.pin}
            onInput={(pin) => setEditing({ ...editing, pin })}
          />
          <div class="actions">
            <button type="button" class="secondary" onClick={() => setEditing(null)}>
              Cancel
            </button>
            <button type="submit" class="primary">
              {editing.id === null ? "Create profile" : "Save changes"}
            </button>
          </div>
        </form>
      )}

      <dialog ref={dialog} class="confirm" aria-labelledby="delete-profile-title">
        <h2 id="delete-profile-title">Delete {confirmDelete?.name}?</h2>
        <p>They will no longer be able to sign in on this PC. Their past actions stay in the audit log.</p>
        <div class="actions">
          <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
            Keep
          </button>
          <button type="button" class="danger" onClick={() => confirmDelete && void remove(confirmDelete)}>
            Delete profile
          </button>
        </div>
      </dialog>
    </section>
  );
}

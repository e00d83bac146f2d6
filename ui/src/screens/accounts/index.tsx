// Accounts (platform admins): the restaurants' connected accounts, most in need of attention
// first; one opened with what Stripe still needs and its links; a new one created.

import { useState } from "preact/hooks";
import { AccountList } from "./list";
import { AccountView } from "./detail";
import { CreateAccount } from "./create";
import { SyncBar } from "../../components/sync-bar";
import "./accounts.css";

type Showing = { kind: "list" } | { kind: "account"; id: string } | { kind: "create" };

export function Accounts(props: {
  /** Platform admins create accounts; owners see their restaurants' and send update links. */
  canCreate: boolean;
  onOpenPayouts: (account: string, payout: string | null) => void;
}) {
  const [showing, setShowing] = useState<Showing>({ kind: "list" });
  const [changed, setChanged] = useState(0);
  return (
    <section class="screen accounts-screen">
      <header class="screen-header">
        <h1>Accounts</h1>
        {showing.kind === "list" && props.canCreate && (
          <button type="button" class="primary" onClick={() => setShowing({ kind: "create" })}>
            New restaurant account…
          </button>
        )}
      </header>
      <SyncBar />
      {showing.kind === "account" && <AccountView account={showing.id} onBack={() => setShowing({ kind: "list" })} onOpenPayouts={props.onOpenPayouts} />}
      {showing.kind === "create" && (
        <CreateAccount
          onCancel={() => setShowing({ kind: "list" })}
          onCreated={(id) => {
            setChanged((c) => c + 1);
            setShowing({ kind: "account", id });
          }}
        />
      )}
      <div hidden={showing.kind !== "list"}>
        <AccountList refreshKey={changed} onOpen={(id) => setShowing({ kind: "account", id })} />
      </div>
    </section>
  );
}

// Payments & Refunds: staff find an order's payment from one search box and refund it; "My
// refunds" lists what this profile refunded and where each stands. The list stays mounted behind
// an opened payment, so going back keeps the search and its results.

import { useState } from "preact/hooks";
import { PaymentList } from "./list";
import { PaymentDetailView } from "./detail";
import { MyRefunds } from "./mine";
import { TakePayment } from "./take";
import { Authorizations } from "./authorizations";
import { SyncBar } from "../../components/sync-bar";
import "./payments.css";

type Tab = "payments" | "mine" | "authorized";
export type Opened = { restaurant: string; payment: string };

export function Payments(props: { showSync: boolean; canTake: boolean; canFees: boolean; canCapture: boolean }) {
  const [tab, setTab] = useState<Tab>("payments");
  const [taking, setTaking] = useState(false);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [changed, setChanged] = useState(0);

  function open(o: Opened) {
    setOpened(o);
  }

  return (
    <section class="screen payments-screen">
      <header class="screen-header">
        <h1>Payments &amp; Refunds</h1>
        {props.canTake && !taking && !opened && (
          <button type="button" class="primary" onClick={() => setTaking(true)}>
            Take a payment…
          </button>
        )}
      </header>
      {props.showSync && <SyncBar />}
      {taking && (
        <TakePayment
          canFees={props.canFees}
          onBack={() => {
            setTaking(false);
            setChanged((c) => c + 1);
          }}
        />
      )}
      {opened ? (
        <PaymentDetailView
          key={`${opened.restaurant}/${opened.payment}`}
          restaurant={opened.restaurant}
          payment={opened.payment}
          onBack={() => setOpened(null)}
          onRefunded={() => setChanged((c) => c + 1)}
        />
      ) : null}
      <div hidden={opened !== null || taking}>
        <div class="tabs" role="tablist" aria-label="Payments views">
          {(
            [
              ["payments", "Payments"],
              ["mine", "My refunds"],
              ...(props.canCapture ? [["authorized", "Authorizations"]] : []),
            ] as [Tab, string][]
          ).map(([id, label]) => (
            <button type="button" role="tab" key={id} aria-selected={id === tab} class={id === tab ? "tab active" : "tab"} onClick={() => setTab(id)}>
              {label}
            </button>
          ))}
        </div>
        <div role="tabpanel" aria-label={tab === "payments" ? "Payments" : tab === "mine" ? "My refunds" : "Authorizations"}>
          {tab === "payments" && <PaymentList active={opened === null} refreshKey={changed} onOpen={open} />}
          {tab === "mine" && <MyRefunds refreshKey={changed} onOpen={open} />}
          {tab === "authorized" && <Authorizations canConfirm={props.canTake} />}
        </div>
      </div>
    </section>
  );
}

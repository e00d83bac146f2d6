// Disputes: the inbox (what is due first) and a dispute opened with its evidence form. The inbox
// stays mounted behind an opened dispute, so going back keeps its filters.

import { useState } from "preact/hooks";
import { DisputeInbox } from "./inbox";
import { DisputeView } from "./detail";
import { SyncBar } from "../../components/sync-bar";
import "./disputes.css";

export function Disputes() {
  const [opened, setOpened] = useState<string | null>(null);
  const [changed, setChanged] = useState(0);
  return (
    <section class="screen disputes-screen">
      <header class="screen-header">
        <h1>Disputes</h1>
      </header>
      <SyncBar />
      {opened && <DisputeView key={opened} dispute={opened} onBack={() => setOpened(null)} onChanged={() => setChanged((c) => c + 1)} />}
      <div hidden={opened !== null}>
        <DisputeInbox refreshKey={changed} onOpen={setOpened} />
      </div>
    </section>
  );
}

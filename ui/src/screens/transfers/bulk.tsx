// A tips file sent as many transfers: pasted or opened (restaurant,amount,description[,currency]),
// every row checked before anything is sent — one bad or repeated row refuses the whole file —
// then sent with one confirmation, each row exactly once (sending the same file again today
// sends nothing more).

import { useState } from "preact/hooks";
import { call, commands, errorOf, type AppError, type BulkOutcome, type BulkPreview } from "../../api";
import { Amount } from "../../components/money";
import { formatMoney } from "../../lib/format";

export function BulkTransfers(props: { onDone: () => void; onCancel: () => void }) {
  const [csv, setCsv] = useState("restaurant,amount,description\n");
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [outcomes, setOutcomes] = useState<BulkOutcome[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  async function review() {
    setError(null);
    setOutcomes(null);
    try {
      setPreview(await call(commands.transfersBulkPreview(csv)));
    } catch (e) {
      setError(errorOf(e));
    }
  }
  async function send() {
    if (!preview || busy) return;
    setBusy(true);
    setError(null);
    try {
      setOutcomes(await call(commands.transfersBulkSend({ csv, batch: preview.batch })));
      props.onDone();
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  }
  function openFile(e: Event) {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    void file.text().then((text) => {
      setCsv(text);
      setPreview(null);
    });
  }

  const ready = preview !== null && preview.problems.length === 0 && preview.rows.length > 0;
  return (
    <div class="card bulk-transfers" aria-label="Transfers from a file">
      <h2>Transfers from a file</h2>
      <p class="help">
        One row per transfer: <span class="mono">restaurant,amount,description</span> (and <span class="mono">currency</span> when not USD); restaurant is
        its acct_ ID, amount in major units. Every row is checked before anything is sent.
      </p>
      <label class="field">
        <span>Open a CSV file</span>
        <input type="file" accept=".csv,text/csv" aria-label="CSV file" onChange={openFile} />
      </label>
      <label class="field">
        <span>Or paste it</span>
        <textarea
          aria-label="CSV rows"
          rows={8}
          value={csv}
          onInput={(e) => {
            setCsv((e.target as HTMLTextAreaElement).value);
            setPreview(null);
            setOutcomes(null);
          }}
        />
      </label>
      <div class="actions left">
        <button type="button" class="secondary" onClick={props.onCancel}>
          Back to transfers
        </button>
        <button type="button" class="secondary" onClick={() => void review()}>
          Review file
        </button>
        {ready && !outcomes && (
          <button type="button" class="primary" disabled={busy} onClick={() => void send()}>
            {busy ? "Sending…" : `Send ${preview.rows.length} transfers (${preview.totals.map((t) => formatMoney(t)).join(" + ")})`}
          </button>
        )}
      </div>
      {error && (
        <p class="field-error" role="alert">
          {error.message}
        </p>
      )}
      {preview && preview.problems.length > 0 && (
        <div class="notice error" role="alert" data-field="bulk-problems">
          <strong>Nothing can be sent until every line is right:</strong>
          <ul>
            {preview.problems.map((p) => (
              <li key={p.line}>
                Line {p.line}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview && preview.rows.length > 0 && (
        <table class="data compact" aria-label={outcomes ? "Transfers sent" : "Transfers to send"}>
          <thead>
            <tr>
              <th>Line</th>
              <th>Restaurant</th>
              <th>What for</th>
              <th class="num">Amount</th>
              {outcomes && <th>Outcome</th>}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r) => {
              const o = outcomes?.find((x) => x.line === r.line);
              return (
                <tr key={r.line} data-outcome={o?.outcome}>
                  <td>{r.line}</td>
                  <td>{r.restaurant_name}</td>
                  <td>{r.description}</td>
                  <td class="num">
                    <Amount value={r.amount} />
                  </td>
                  {outcomes && <td>{o ? (o.outcome === "sent" ? `Sent (${o.transfer})` : `${o.outcome}: ${o.message ?? ""}`) : ""}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {outcomes && (
        <p class="notice success" role="status" data-field="bulk-done">
          {outcomes.filter((o) => o.outcome === "sent").length} of {outcomes.length} transfers sent.
        </p>
      )}
    </div>
  );
}

export function PayoutsTab(_props: { account: string | null; openPayout: string | null; onOpenPayout: (id: string | null) => void }) {
  return <p class="empty">Payouts are being built.</p>;
}

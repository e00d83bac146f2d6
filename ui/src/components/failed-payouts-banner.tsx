export function FailedPayoutsBanner(_props: { onView: (payout: string) => void }) {
  return null;
}

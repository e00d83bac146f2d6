// DEMO and TEST MODE banners: always visible, so nobody mistakes sample data for real money.

import type { ConnectionView_Serialize } from "../api";

export function ModeBanner(props: { connection: ConnectionView_Serialize; onOpenSettings: () => void }) {
  const { connection } = props;
  if (connection.mode === "demo") {
    return (
      <div class="mode-banner demo" role="status" aria-label="Demo mode">
        <strong>DEMO</strong>
        <span>Sample restaurant group from the built-in Stripe and CardConnect emulators. Nothing here is real money.</span>
        <button type="button" class="link" onClick={props.onOpenSettings}>
          Connect your Stripe account
        </button>
      </div>
    );
  }
  if (connection.mode === "test") {
    return (
      <div class="mode-banner test" role="status" aria-label="Test mode">
        <strong>TEST MODE</strong>
        <span>Connected with a Stripe test key ({connection.masked_key}). Payments and payouts are simulated.</span>
      </div>
    );
  }
  return null;
}

// Sections that are not built yet say what they will do, instead of showing an empty page.

import type { Section } from "../app";

const PLANS: Partial<Record<Section, { lead: string; items: string[] }>> = {
  payments: {
    lead: "Staff will find a payment by order number and refund all or part of it.",
    items: ["Search by order number, amount, card last4 or time", "Full and partial refunds with a reason", "Manager approval above the staff limit"],
  },
  disputes: {
    lead: "Managers will answer disputes before their due date.",
    items: ["Disputes sorted by due date, overdue first", "Evidence drafts saved as you type, receipts attached", "Stage or submit evidence to Stripe"],
  },
  accounts: {
    lead: "Platform admins will onboard restaurants and keep them in good standing.",
    items: ["Create connected accounts", "Onboarding and dashboard links with expiry and QR code", "Requirements due, in words, with deadlines"],
  },
};

export function ComingSoon(props: { section: Section; title: string }) {
  const plan = PLANS[props.section];
  return (
    <section class="screen">
      <header class="screen-header">
        <h1>{props.title}</h1>
      </header>
      <div class="card coming-soon">
        <p class="lead">{plan?.lead ?? "This section is on its way."}</p>
        {plan && (
          <ul>
            {plan.items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        )}
        <p class="muted">Coming in a later version of Merchant Desk. The Overview already shows balances and connected accounts.</p>
      </div>
    </section>
  );
}

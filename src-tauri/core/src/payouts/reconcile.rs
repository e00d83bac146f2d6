//! A payout's reconciliation: the balance transactions it settled, grouped the way an accountant
//! reads them, with totals that must add up to the payout — and the difference shown when they
//! do not.

use serde_json::Value;

use super::words::transaction_label;
use crate::money::Money;
use crate::views::{PayoutDetail, PayoutRow, ReconciliationGroup, ReconciliationItem, ReconciliationLine};

/// Groups in the order they are shown.
const GROUPS: [(&str, &str); 6] = [
    ("charges", "Charges"),
    ("refunds", "Refunds"),
    ("disputes", "Disputes"),
    ("transfers", "Transfers"),
    ("fees", "Fees billed separately"),
    ("other", "Other"),
];

/// Which group a balance transaction belongs to (`None`: the payout's own transaction).
pub fn group_of(kind: &str, reporting_category: &str) -> Option<&'static str> {
    Some(match kind {
        "payout" => return None,
        "charge" | "payment" => "charges",
        // A payment_reversal is how a refund of a destination charge shows on the restaurant's side.
        "refund" | "payment_refund" | "payment_failure_refund" | "payment_reversal" => "refunds",
        "adjustment" if reporting_category.starts_with("dispute") => "disputes",
        "transfer" | "transfer_refund" | "transfer_cancel" | "transfer_failure" => "transfers",
        "application_fee" | "application_fee_refund" | "stripe_fee" | "tax_fee" => "fees",
        _ => "other",
    })
}

pub struct Reconciliation {
    pub groups: Vec<ReconciliationGroup>,
    pub summary: Vec<ReconciliationLine>,
    pub total: Money,
    /// `payout − total`, when not zero.
    pub difference: Option<Money>,
}

impl Reconciliation {
    /// The detail screen of `payout` with this breakdown, fetched (or synced) at `fetched_at`.
    pub fn into_detail(self, payout: PayoutRow, fetched_at: Option<String>, note: Option<String>) -> PayoutDetail {
        PayoutDetail {
            payout,
            reconcilable: true,
            reason: None,
            groups: self.groups,
            summary: self.summary,
            total: Some(self.total),
            difference: self.difference,
            fetched_at,
            note,
        }
    }
}

/// Builds the reconciliation of a payout of `amount` `currency` from its balance transactions
/// (sources expanded or not). `order_of` finds the order number behind a source.
pub fn build(
    amount: i64,
    currency: &str,
    transactions: &[Value],
    order_of: impl Fn(&Value) -> Option<String>,
) -> Reconciliation {
    let money = |a: i64| Money::new(a, currency);
    let mut buckets: Vec<(&str, &str, Vec<ReconciliationItem>, [i64; 3])> =
        GROUPS.iter().map(|(k, l)| (*k, *l, Vec::new(), [0; 3])).collect();
    for txn in transactions {
        let kind = txn["type"].as_str().unwrap_or("other");
        let Some(group) = group_of(kind, txn["reporting_category"].as_str().unwrap_or("")) else { continue };
        let (gross, fee, net) =
            (txn["amount"].as_i64().unwrap_or(0), txn["fee"].as_i64().unwrap_or(0), txn["net"].as_i64().unwrap_or(0));
        let source = &txn["source"];
        let item = ReconciliationItem {
            id: txn["id"].as_str().unwrap_or_default().to_string(),
            created: txn["created"].as_i64().unwrap_or(0),
            kind_label: transaction_label(kind),
            description: txn["description"].as_str().map(str::to_string),
            source: source.as_str().or_else(|| source["id"].as_str()).map(str::to_string),
            order_number: order_of(source),
            gross: money(gross),
            fee: money(fee),
            net: money(net),
        };
        if let Some(bucket) = buckets.iter_mut().find(|b| b.0 == group) {
            bucket.2.push(item);
            bucket.3[0] += gross;
            bucket.3[1] += fee;
            bucket.3[2] += net;
        }
    }
    let total: i64 = buckets.iter().map(|b| b.3[2]).sum();
    let fees: i64 = buckets.iter().map(|b| b.3[1]).sum();
    let mut summary: Vec<ReconciliationLine> = buckets
        .iter()
        .filter(|b| !b.2.is_empty())
        .map(|b| ReconciliationLine { label: b.1.to_string(), amount: money(b.3[0]) })
        .collect();
    if fees != 0 {
        summary.push(ReconciliationLine { label: "Fees taken from these transactions".into(), amount: money(-fees) });
    }
    let groups = buckets
        .into_iter()
        .filter(|b| !b.2.is_empty())
        .map(|(key, label, items, [gross, fee, net])| ReconciliationGroup {
            key: key.into(),
            label: label.into(),
            items,
            gross: money(gross),
            fee: money(fee),
            net: money(net),
        })
        .collect();
    Reconciliation {
        groups,
        summary,
        total: money(total),
        difference: (amount != total).then(|| money(amount - total)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn txn(id: &str, kind: &str, amount: i64, fee: i64) -> Value {
        json!({"id": id, "type": kind, "amount": amount, "fee": fee, "net": amount - fee, "created": 1,
               "reporting_category": if kind == "adjustment" { "dispute" } else { kind }, "source": format!("src_{id}")})
    }

    #[test]
    fn groups_add_up_to_the_payout_and_a_gap_is_shown() {
        let txns = [
            txn("a", "charge", 10_000, 320),
            txn("b", "charge", 5_000, 175),
            txn("c", "refund", -2_000, 0),
            txn("d", "adjustment", -1_500, 1_500),
            txn("p", "payout", -9_505, 0),
        ];
        let orders = |s: &Value| (s.as_str() == Some("src_a")).then(|| "HV-01-1001".to_string());
        let r = build(9_505, "usd", &txns, orders);
        let keys: Vec<&str> = r.groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["charges", "refunds", "disputes"]);
        assert_eq!(r.total.amount, 9_505);
        assert_eq!(r.difference, None);
        assert_eq!(r.summary.iter().map(|l| l.amount.amount).sum::<i64>(), 9_505);
        assert_eq!(r.groups[0].items[0].order_number.as_deref(), Some("HV-01-1001"));
        assert_eq!(r.groups[0].gross.amount, 15_000);

        let short = build(9_605, "usd", &txns, |_| None);
        assert_eq!(short.difference.map(|m| m.amount), Some(100));
    }
}

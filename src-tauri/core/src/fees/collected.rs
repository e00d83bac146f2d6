//! The fees the platform collected (Stripe's application fees), per restaurant and period, as a
//! list, totals and a CSV; and a fee refunded — all or part, never above what is left of it —
//! through the door.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use specta::Type;

use crate::csv_writer::CsvWriter;
use crate::desk::files::{create_csv, export_error};
use crate::desk::{Desk, DeskError};
use crate::money::{self, Money};
use crate::money_calls::{Intent, MoneyCall};
use crate::permissions::Action;
use crate::store::audit::AuditRecord;
use crate::store::StoreError;

const AUDIT_REFUND: &str = "fees.refund";

/// Which fees: one restaurant (or all) within `[from, until)` (Unix seconds).
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct CollectedFilter {
    #[serde(default)]
    pub restaurant: Option<String>,
    #[specta(type = Option<specta_typescript::Number>)]
    #[serde(default)]
    pub from: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    #[serde(default)]
    pub until: Option<i64>,
}

/// One fee collected.
#[derive(Debug, Clone, Serialize, Type)]
pub struct CollectedFee {
    pub id: String,
    pub restaurant: String,
    pub restaurant_name: String,
    pub amount: Money,
    pub refunded: Money,
    /// The payment it was taken on, and its order number when known.
    pub charge: Option<String>,
    pub order_number: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub created: i64,
}

/// The fees of a filter with their totals (net of refunds) per currency.
#[derive(Debug, Clone, Serialize, Type)]
pub struct CollectedFees {
    pub rows: Vec<CollectedFee>,
    pub totals: Vec<Money>,
}

impl Desk {
    pub fn collected_fees(&self, filter: &CollectedFilter) -> Result<CollectedFees, DeskError> {
        let profile = self.authorize(Action::ManageFees)?;
        let raws: Vec<String> = {
            let store = self.store();
            let mut stmt = store
                .conn()
                .prepare_cached(
                    "SELECT raw FROM objects WHERE kind = 'application_fee' AND created >= ?1 AND created < ?2
                     ORDER BY created DESC",
                )
                .map_err(StoreError::from)?;
            let rows = stmt
                .query_map([filter.from.unwrap_or(0), filter.until.unwrap_or(i64::MAX)], |r| r.get(0))
                .map_err(StoreError::from)?;
            rows.collect::<Result<_, _>>().map_err(StoreError::from)?
        };
        let wanted = filter.restaurant.as_deref().filter(|r| !r.is_empty());
        let mut rows = Vec::new();
        let mut totals: Vec<Money> = Vec::new();
        for raw in raws {
            let raw: Value = crate::store::objects::parse(&raw)?;
            let restaurant = raw["account"].as_str().unwrap_or_default().to_string();
            if wanted.is_some_and(|w| w != restaurant) || !self.may_see_subject(&profile, Some(&restaurant)) {
                continue;
            }
            let row = self.collected_row(&raw, restaurant)?;
            let net = row.amount.amount - row.refunded.amount;
            match totals.iter_mut().find(|t| t.currency == row.amount.currency) {
                Some(t) => t.amount += net,
                None => totals.push(Money::new(net, &row.amount.currency)),
            }
            rows.push(row);
        }
        Ok(CollectedFees { rows, totals })
    }

    /// Writes the filter's fees to a CSV file at `path` (from the save dialog). Returns how many.
    pub fn export_collected_fees(&self, filter: &CollectedFilter, path: &Path) -> Result<usize, DeskError> {
        let fees = self.collected_fees(filter)?;
        let file = create_csv(path)?;
        let header = [
            "fee",
            "created_utc",
            "restaurant",
            "restaurant_name",
            "order_number",
            "charge",
            "currency",
            "amount",
            "refunded",
        ];
        let write = || -> Result<usize, csv::Error> {
            let mut out = CsvWriter::new(file, &header)?;
            for f in &fees.rows {
                let created =
                    chrono::DateTime::from_timestamp(f.created, 0).map(|t| t.to_rfc3339()).unwrap_or_default();
                out.row([
                    f.id.clone(),
                    created,
                    f.restaurant.clone(),
                    f.restaurant_name.clone(),
                    f.order_number.clone().unwrap_or_default(),
                    f.charge.clone().unwrap_or_default(),
                    f.amount.currency.to_uppercase(),
                    f.amount.to_major_string(),
                    f.refunded.to_major_string(),
                ])?;
            }
            out.finish()
        };
        write().map_err(|e| export_error(path, e.to_string()))
    }

    /// Gives back all that is left of a fee, or `amount` (major units) of it, under `confirmation`.
    pub async fn refund_collected_fee(
        &self,
        fee: &str,
        amount: Option<&str>,
        confirmation: Option<&str>,
    ) -> Result<CollectedFee, DeskError> {
        let profile = self.authorize_audited(Action::ManageFees, AUDIT_REFUND)?;
        let fee = fee.trim();
        let checked = async {
            crate::desk::scope::check_id("fee", fee, "fee_")?;
            let client = self.connection.read().unwrap_or_else(|p| p.into_inner()).client.clone();
            let fresh = client
                .get::<Value>(&format!("/v1/application_fees/{fee}"), &[], None)
                .await
                .map_err(|e| DeskError::from(e).offline_refusal("Stripe"))?
                .value;
            let currency = fresh["currency"].as_str().unwrap_or("usd").to_string();
            let left = fresh["amount"].as_i64().unwrap_or(0) - fresh["amount_refunded"].as_i64().unwrap_or(0);
            let wanted = match amount.map(str::trim).filter(|t| !t.is_empty()) {
                None => left,
                Some(text) => money::parse_major(text, &currency).map_err(|e| DeskError::InvalidInput {
                    field: "amount",
                    reason: crate::views::capitalise(&e.to_string()),
                })?,
            };
            if left <= 0 || wanted <= 0 || wanted > left {
                return Err(DeskError::InvalidInput {
                    field: "amount",
                    reason: format!("Only {} of this fee is left to give back", money::display(left.max(0), &currency)),
                });
            }
            Ok((fresh, currency, wanted))
        }
        .await;
        let (fresh, currency, wanted) = match checked {
            Ok(checked) => checked,
            Err(err) => {
                let record = AuditRecord {
                    action: AUDIT_REFUND.into(),
                    target: Some(fee.to_string()),
                    outcome: "refused".into(),
                    detail: Some(err.to_string()),
                    ..Default::default()
                };
                self.audit(&profile, record)?;
                return Err(err);
            }
        };
        let call = MoneyCall::new(
            "fee_refund",
            format!("/v1/application_fees/{fee}/refunds"),
            None,
            &[("amount", wanted.to_string())],
        );
        let intent = Intent {
            audit_action: AUDIT_REFUND.into(),
            target: Some(fee.to_string()),
            amount: Some(wanted),
            currency: Some(currency.clone()),
            summary: format!("Give back {} of the platform's fee {fee}", money::display(wanted, &currency)),
        };
        self.through_door(&profile, call, intent, confirmation).await?;
        // It happened: a failed re-read is answered from what was known plus the refund.
        let client = self.connection.read().unwrap_or_else(|p| p.into_inner()).client.clone();
        let after = match client.get::<Value>(&format!("/v1/application_fees/{fee}"), &[], None).await {
            Ok(after) => after.value,
            Err(err) => {
                tracing::warn!(error = %err, "fee not re-read after its refund; shown from what was known");
                let mut known = fresh.clone();
                known["amount_refunded"] = serde_json::json!(known["amount_refunded"].as_i64().unwrap_or(0) + wanted);
                known
            }
        };
        crate::store::objects::upsert(
            self.store().conn(),
            crate::store::objects::PLATFORM,
            std::slice::from_ref(&after),
            &self.clock.now().to_rfc3339(),
        )?;
        let restaurant = after["account"].as_str().unwrap_or(fresh["account"].as_str().unwrap_or_default()).to_string();
        self.collected_row(&after, restaurant)
    }

    fn collected_row(&self, raw: &Value, restaurant: String) -> Result<CollectedFee, DeskError> {
        let currency = raw["currency"].as_str().unwrap_or("usd");
        let charge = raw["originating_transaction"].as_str().or_else(|| raw["charge"].as_str()).map(str::to_string);
        let store = self.store();
        let order_number = match &charge {
            Some(c) => crate::payouts::queries::order_number(store.conn(), c)?,
            None => None,
        };
        let restaurant_name = crate::payments::queries::Names::default().of(store.conn(), &restaurant)?;
        Ok(CollectedFee {
            id: raw["id"].as_str().unwrap_or_default().to_string(),
            restaurant,
            restaurant_name,
            amount: Money::new(raw["amount"].as_i64().unwrap_or(0), currency),
            refunded: Money::new(raw["amount_refunded"].as_i64().unwrap_or(0), currency),
            charge,
            order_number,
            created: raw["created"].as_i64().unwrap_or(0),
        })
    }
}

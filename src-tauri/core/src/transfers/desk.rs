//! Transfers for platform admins: the list from the cache, one transfer with its reversals, a new
//! transfer and a reversal through the door. A reversal is checked against the transfer as Stripe
//! has it now, not as cached, so two PCs cannot claw back the same money twice between syncs.

use serde_json::Value;

use super::queries;
use super::rules;
use super::views::{
    ReversalForm, ReversalRow, TransferDetail, TransferFilter, TransferForm, TransferPage, TransferRow,
};
use crate::desk::scope::accounts_of;
use crate::desk::{Desk, DeskError};
use crate::money::{self, Money};
use crate::money_calls::{Intent, MoneyCall};
use crate::permissions::Action;
use crate::profiles::Profile;
use crate::store::audit::AuditRecord;
use crate::store::filters::MAX_PAGE;
use crate::store::objects::{self, PLATFORM};

/// What the rows of one list share, read once per restaurant: its name, and why its transfers
/// cannot be reversed when it disconnected (500 rows read them 500 times: 35 ms).
#[derive(Default)]
struct Seen {
    names: crate::payments::queries::Names,
    refusals: std::collections::HashMap<String, Option<String>>,
}

const AUDIT_CREATE: &str = "transfers.create";
const AUDIT_REVERSE: &str = "transfers.reverse";

impl Desk {
    /// A page of the transfers to the restaurants the profile may see (or to one), newest first.
    pub fn transfers(&self, filter: &TransferFilter, offset: u32, limit: u32) -> Result<TransferPage, DeskError> {
        let profile = self.authorize(Action::ManageTransfers)?;
        let restaurant = filter.restaurant.as_deref().filter(|r| !r.is_empty());
        if let Some(restaurant) = restaurant {
            self.check_account(&profile, restaurant)?;
        }
        let accounts = accounts_of(&profile);
        let listed = queries::Listed { accounts: &accounts, restaurant };
        let (total, raws) = {
            let store = self.store();
            (listed.total(store.conn())?, listed.page(store.conn(), offset, limit.clamp(1, MAX_PAGE))?)
        };
        let mut rows = Vec::with_capacity(raws.len());
        let mut seen = Seen::default();
        for raw in raws {
            rows.push(self.transfer_row(&objects::parse(&raw)?, &mut seen)?);
        }
        Ok(TransferPage { total, offset, rows })
    }

    /// One transfer and its reversals, from the cache.
    pub fn transfer_detail(&self, transfer: &str) -> Result<TransferDetail, DeskError> {
        let profile = self.authorize(Action::ManageTransfers)?;
        crate::desk::scope::check_id("transfer", transfer, "tr_")?;
        let raw = objects::raw_of(self.store().conn(), transfer)?;
        if raw.is_null() {
            return Err(DeskError::NotFound { what: "transfer", id: transfer.to_string() });
        }
        self.check_account(&profile, raw["destination"].as_str().unwrap_or_default())?;
        self.transfer_view(&raw)
    }

    /// Sends `form` under `confirmation` (the key made when the person confirmed).
    pub async fn create_transfer(
        &self,
        form: &TransferForm,
        confirmation: Option<&str>,
    ) -> Result<TransferDetail, DeskError> {
        let profile = self.authorize_audited(Action::ManageTransfers, AUDIT_CREATE)?;
        let checked = self.check_transfer(&profile, form);
        let (restaurant, amount, currency, description, name) = match checked {
            Ok(checked) => checked,
            Err(err) => {
                return Err(self.transfer_refused(&profile, AUDIT_CREATE, Some(form.restaurant.trim()), err)?)
            }
        };
        let call = MoneyCall::new(
            "transfer",
            "/v1/transfers",
            None,
            &[
                ("amount", amount.to_string()),
                ("currency", currency.clone()),
                ("destination", restaurant.clone()),
                ("description", description.clone()),
            ],
        );
        let intent = Intent {
            audit_action: AUDIT_CREATE.into(),
            target: Some(restaurant.clone()),
            amount: Some(amount),
            currency: Some(currency.clone()),
            summary: format!("Transfer of {} to {name}: {description}", money::display(amount, &currency)),
        };
        let done = self.through_door(&profile, call, intent, confirmation).await?;
        self.remember_transfer(&done.value)?;
        self.transfer_view(&done.value)
    }

    /// Reverses all that is left of a transfer, or `form.amount` of it, under `confirmation`.
    pub async fn reverse_transfer(
        &self,
        form: &ReversalForm,
        confirmation: Option<&str>,
    ) -> Result<TransferDetail, DeskError> {
        let profile = self.authorize_audited(Action::ManageTransfers, AUDIT_REVERSE)?;
        let transfer = form.transfer.trim();
        let checked = async {
            crate::desk::scope::check_id("transfer", transfer, "tr_")?;
            let client = self.connection.read().unwrap_or_else(|p| p.into_inner()).client.clone();
            // What is left now, at Stripe: another PC may have reversed some since the last sync.
            let fresh = client
                .get::<Value>(&format!("/v1/transfers/{transfer}"), &[], None)
                .await
                .map_err(|e| DeskError::from(e).offline_refusal("Stripe"))?
                .value;
            let destination = fresh["destination"].as_str().unwrap_or_default().to_string();
            self.check_account(&profile, &destination)?;
            if let Some(refusal) = self.refusal_if_disconnected(&destination)? {
                return Err(refusal);
            }
            self.remember_transfer(&fresh)?;
            let amount = rules::reversal(&fresh, form.amount.as_deref())?;
            let reason = form.reason.as_deref().map(rules::description).transpose()?;
            Ok((fresh, destination, amount, reason))
        }
        .await;
        let (fresh, destination, amount, reason) = match checked {
            Ok(checked) => checked,
            Err(err) => return Err(self.transfer_refused(&profile, AUDIT_REVERSE, Some(transfer), err)?),
        };
        let currency = fresh["currency"].as_str().unwrap_or("usd").to_string();
        let mut params = vec![("amount", amount.to_string())];
        if let Some(reason) = &reason {
            params.push(("metadata[reason]", reason.clone()));
        }
        let call = MoneyCall::new("transfer_reversal", format!("/v1/transfers/{transfer}/reversals"), None, &params);
        let name = crate::payments::queries::Names::default().of(self.store().conn(), &destination)?;
        let intent = Intent {
            audit_action: AUDIT_REVERSE.into(),
            target: Some(transfer.to_string()),
            amount: Some(amount),
            currency: Some(currency.clone()),
            summary: format!("Reversal of {} of the transfer to {name}", money::display(amount, &currency)),
        };
        let done = self.through_door(&profile, call, intent, confirmation).await?;
        // The transfer as it stands now, with the new reversal in its list. It happened: a failed
        // re-read must not look like a failed reversal (someone would send it again), so the
        // answer is then built from what was known plus the reversal itself.
        let client = self.connection.read().unwrap_or_else(|p| p.into_inner()).client.clone();
        let after = match client.get::<Value>(&format!("/v1/transfers/{transfer}"), &[], None).await {
            Ok(after) => after.value,
            Err(err) => {
                tracing::warn!(error = %err, "transfer not re-read after its reversal; shown from the reversal");
                let mut known = fresh;
                known["amount_reversed"] = serde_json::json!(known["amount_reversed"].as_i64().unwrap_or(0) + amount);
                if let Some(list) = known["reversals"]["data"].as_array_mut() {
                    list.insert(0, done.value.clone());
                }
                known
            }
        };
        self.remember_transfer(&after)?;
        self.transfer_view(&after)
    }

    /// The form checked: (restaurant, amount, currency, description, restaurant's name).
    pub(super) fn check_transfer(
        &self,
        profile: &Profile,
        form: &TransferForm,
    ) -> Result<(String, i64, String, String, String), DeskError> {
        let restaurant = form.restaurant.trim().to_string();
        crate::desk::scope::check_id("restaurant", &restaurant, "acct_")?;
        self.check_account(profile, &restaurant)?;
        let raw = crate::store::cache::account_raw(self.store().conn(), &restaurant)?
            .ok_or_else(|| DeskError::NotFound { what: "restaurant", id: restaurant.clone() })?;
        if let Some(refusal) = self.refusal_if_disconnected(&restaurant)? {
            return Err(refusal);
        }
        let currency = rules::currency(&form.currency)?;
        let amount = rules::amount(&form.amount, &currency)?;
        let description = rules::description(&form.description)?;
        Ok((restaurant, amount, currency, description, crate::accounts::account_name(&raw)))
    }

    fn transfer_refused(
        &self,
        profile: &Profile,
        action: &str,
        target: Option<&str>,
        err: DeskError,
    ) -> Result<DeskError, DeskError> {
        let record = AuditRecord {
            action: action.into(),
            target: target.filter(|t| !t.is_empty()).map(str::to_string),
            outcome: "refused".into(),
            detail: Some(err.to_string()),
            ..Default::default()
        };
        self.audit(profile, record)?;
        Ok(err)
    }

    fn remember_transfer(&self, raw: &Value) -> Result<(), DeskError> {
        objects::upsert(self.store().conn(), PLATFORM, std::slice::from_ref(raw), &self.clock.now().to_rfc3339())?;
        Ok(())
    }

    fn transfer_row(&self, raw: &Value, seen: &mut Seen) -> Result<TransferRow, DeskError> {
        let currency = raw["currency"].as_str().unwrap_or("usd");
        let amount = raw["amount"].as_i64().unwrap_or(0);
        let reversed = raw["amount_reversed"].as_i64().unwrap_or(0);
        let destination = raw["destination"].as_str().unwrap_or_default().to_string();
        let left = rules::left(raw);
        let status_label = match (reversed, left) {
            (0, _) => "Sent",
            (_, 0) => "Reversed",
            _ => "Partly reversed",
        };
        let refusal = match seen.refusals.get(&destination) {
            Some(refusal) => refusal.clone(),
            None => {
                let refusal = self.refusal_if_disconnected(&destination)?.map(|r| r.user_message());
                seen.refusals.insert(destination.clone(), refusal.clone());
                refusal
            }
        };
        let cannot_reverse = match refusal {
            Some(refusal) => Some(refusal),
            None if left == 0 => Some("Fully reversed: nothing is left to claw back.".to_string()),
            None => None,
        };
        let restaurant_name = seen.names.of(self.store().conn(), &destination)?;
        // A destination charge's transfer has no description of its own: say which payment made it.
        let description = match (raw["description"].as_str(), raw["source_transaction"].as_str()) {
            (Some(text), _) => Some(text.to_string()),
            (None, Some(charge)) => Some(match crate::payouts::queries::order_number(self.store().conn(), charge)? {
                Some(order) => format!("Payment for order {order}"),
                None => format!("From payment {charge}"),
            }),
            (None, None) => None,
        };
        Ok(TransferRow {
            id: raw["id"].as_str().unwrap_or_default().to_string(),
            restaurant: destination,
            restaurant_name,
            amount: Money::new(amount, currency),
            reversed: Money::new(reversed, currency),
            left: Money::new(left, currency),
            description,
            created: raw["created"].as_i64().unwrap_or(0),
            status_label: status_label.into(),
            cannot_reverse,
        })
    }

    fn transfer_view(&self, raw: &Value) -> Result<TransferDetail, DeskError> {
        let currency = raw["currency"].as_str().unwrap_or("usd");
        let mut reversals: Vec<ReversalRow> = raw["reversals"]["data"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|r| ReversalRow {
                        id: r["id"].as_str().unwrap_or_default().to_string(),
                        amount: Money::new(
                            r["amount"].as_i64().unwrap_or(0),
                            r["currency"].as_str().unwrap_or(currency),
                        ),
                        created: r["created"].as_i64().unwrap_or(0),
                        reason: r["metadata"]["reason"].as_str().map(str::to_string),
                    })
                    .collect()
            })
            .unwrap_or_default();
        reversals.sort_by_key(|r| std::cmp::Reverse(r.created));
        Ok(TransferDetail { row: self.transfer_row(raw, &mut Seen::default())?, reversals })
    }
}

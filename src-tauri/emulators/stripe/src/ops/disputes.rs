//! Disputes: opened against a charge (the money and a dispute fee are taken back at once), answered
//! with evidence (staged or submitted), accepted (closed), and decided when the clock moves on.

use serde_json::{json, Map, Value};

use super::{find, save};
use crate::events::emit;
use crate::ledger::{self, Movement};
use crate::state::{Scope, State};
use crate::ApiError;

/// The cardholder's bank gives the merchant this long to answer.
pub const RESPONSE_DAYS: i64 = 7;
/// A submitted dispute is decided this long after submission.
pub const REVIEW_DAYS: i64 = 10;

/// Every evidence field Stripe accepts (the `dispute_evidence` schema).
pub const EVIDENCE_FIELDS: &[&str] = &[
    "access_activity_log",
    "billing_address",
    "cancellation_policy",
    "cancellation_policy_disclosure",
    "cancellation_rebuttal",
    "customer_communication",
    "customer_email_address",
    "customer_name",
    "customer_purchase_ip",
    "customer_signature",
    "duplicate_charge_documentation",
    "duplicate_charge_explanation",
    "duplicate_charge_id",
    "product_description",
    "receipt",
    "refund_policy",
    "refund_policy_disclosure",
    "refund_refusal_explanation",
    "service_date",
    "service_documentation",
    "shipping_address",
    "shipping_carrier",
    "shipping_date",
    "shipping_documentation",
    "shipping_tracking_number",
    "uncategorized_file",
    "uncategorized_text",
];

/// The fee Stripe charges for a dispute, in the charge's currency (illustrative: 15.00 or ¥2,000).
pub fn dispute_fee(currency: &str) -> i64 {
    if crate::zero_decimal(currency) {
        2_000
    } else {
        1_500
    }
}

/// Opens a dispute on a captured charge.
pub fn open(state: &mut State, scope: &Scope, charge: &Value) -> Value {
    open_with(state, scope, charge, "fraudulent", false, RESPONSE_DAYS)
}

/// Opens a dispute with a reason; an inquiry (`warning_…`) moves no money until it escalates.
pub fn open_with(
    state: &mut State,
    scope: &Scope,
    charge: &Value,
    reason: &str,
    inquiry: bool,
    days_to_respond: i64,
) -> Value {
    let id = state.new_id("dp");
    let now = state.now();
    let amount = charge["amount_captured"].as_i64().unwrap_or(0);
    let currency = charge["currency"].as_str().unwrap_or("usd").to_string();
    let mut txns = Vec::new();
    if !inquiry {
        let txn = ledger::record(
            state,
            Movement {
                scope: scope.clone(),
                kind: "adjustment",
                reporting_category: "dispute",
                amount: -amount,
                currency: currency.clone(),
                fees: vec![("stripe_fee", dispute_fee(&currency), "Dispute fee".to_string())],
                source: Some(id.clone()),
                description: Some(format!("Chargeback withdrawal for {}", charge["id"].as_str().unwrap_or_default())),
                available_on: None,
            },
        );
        if let Some(t) = state.get(scope, &txn).cloned() {
            txns.push(t);
        }
    }
    let evidence: Map<String, Value> = EVIDENCE_FIELDS.iter().map(|f| ((*f).to_string(), Value::Null)).collect();
    let dispute = json!({
        "id": id,
        "object": "dispute",
        "amount": amount,
        "balance_transactions": txns,
        "charge": charge["id"],
        "created": now,
        "currency": currency,
        "evidence": evidence,
        "evidence_details": { "due_by": now + days_to_respond * 86_400, "has_evidence": false, "past_due": false, "submission_count": 0 },
        "is_charge_refundable": inquiry,
        "livemode": false,
        "metadata": {},
        "payment_intent": charge["payment_intent"],
        "reason": reason,
        "status": if inquiry { "warning_needs_response" } else { "needs_response" },
    });
    state.insert(scope.clone(), "dispute", dispute.clone());
    let mut charge = charge.clone();
    charge["disputed"] = json!(true);
    save(state, scope, &charge);
    emit(state, scope, "charge.dispute.created", &dispute, None);
    dispute
}

/// `POST /v1/disputes/{id}`: stages evidence, or submits it with `submit=true`.
pub fn update(
    state: &mut State,
    scope: &Scope,
    id: &str,
    evidence: Option<&Map<String, Value>>,
    metadata: Option<Map<String, Value>>,
    submit: bool,
) -> Result<Value, ApiError> {
    let mut dispute = find(state, scope, "dispute", id, "dispute")?;
    let status = dispute["status"].as_str().unwrap_or_default().to_string();
    if let Some(evidence) = evidence {
        if !matches!(status.as_str(), "needs_response" | "warning_needs_response") {
            return Err(ApiError::invalid_state(
                "dispute_already_submitted",
                format!("This dispute is {status}; evidence can no longer be changed."),
            ));
        }
        if dispute["evidence_details"]["past_due"] == true
            || dispute["evidence_details"]["due_by"].as_i64().unwrap_or(0) < state.now()
        {
            return Err(ApiError::invalid_state(
                "evidence_past_due",
                "The deadline to respond to this dispute has passed.",
            ));
        }
        for (field, value) in evidence {
            if !EVIDENCE_FIELDS.contains(&field.as_str()) {
                return Err(ApiError::invalid_param(
                    &format!("evidence[{field}]"),
                    "parameter_unknown",
                    format!("Received unknown parameter: evidence[{field}]"),
                ));
            }
            if let Some(file) = value.as_str().filter(|_| is_file_field(field)) {
                if !file.is_empty() && state.get(&None, file).or_else(|| state.get(scope, file)).is_none() {
                    return Err(ApiError::missing("file", file, &format!("evidence[{field}]")));
                }
            }
            dispute["evidence"][field] = if value.as_str() == Some("") { Value::Null } else { value.clone() };
        }
        let has = EVIDENCE_FIELDS.iter().any(|f| !dispute["evidence"][*f].is_null());
        dispute["evidence_details"]["has_evidence"] = json!(has);
    }
    if let Some(metadata) = metadata {
        crate::api::merge_metadata(&mut dispute["metadata"], metadata);
    }
    if submit {
        if !matches!(status.as_str(), "needs_response" | "warning_needs_response") {
            return Err(ApiError::invalid_state(
                "dispute_already_submitted",
                format!("This dispute is {status} and cannot be submitted again."),
            ));
        }
        let count = dispute["evidence_details"]["submission_count"].as_i64().unwrap_or(0);
        dispute["evidence_details"]["submission_count"] = json!(count + 1);
        dispute["status"] =
            json!(if status == "warning_needs_response" { "warning_under_review" } else { "under_review" });
        state.ledger.disputes_submitted_at.insert(id.to_string(), state.now());
    }
    save(state, scope, &dispute);
    emit(state, scope, "charge.dispute.updated", &dispute, None);
    Ok(dispute)
}

fn is_file_field(field: &str) -> bool {
    matches!(
        field,
        "cancellation_policy"
            | "customer_communication"
            | "customer_signature"
            | "duplicate_charge_documentation"
            | "receipt"
            | "refund_policy"
            | "service_documentation"
            | "shipping_documentation"
            | "uncategorized_file"
    )
}

/// `POST /v1/disputes/{id}/close`: accepts the dispute (the merchant gives up).
pub fn close(state: &mut State, scope: &Scope, id: &str) -> Result<Value, ApiError> {
    let mut dispute = find(state, scope, "dispute", id, "dispute")?;
    let status = dispute["status"].as_str().unwrap_or_default().to_string();
    let next = match status.as_str() {
        "needs_response" | "under_review" => "lost",
        "warning_needs_response" | "warning_under_review" => "warning_closed",
        other => {
            return Err(ApiError::invalid_state("dispute_already_closed", format!("This dispute is already {other}.")));
        }
    };
    dispute["status"] = json!(next);
    save(state, scope, &dispute);
    emit(state, scope, "charge.dispute.closed", &dispute, None);
    Ok(dispute)
}

/// Marks unanswered disputes past due (lost) and decides submitted ones after review.
pub fn advance(state: &mut State) {
    let now = state.now();
    let open: Vec<(Scope, Value)> = state
        .objects_of_kind("dispute")
        .filter(|(_, d)| {
            matches!(
                d["status"].as_str(),
                Some("needs_response" | "warning_needs_response" | "under_review" | "warning_under_review")
            )
        })
        .map(|(s, d)| (s.clone(), d.clone()))
        .collect();
    for (scope, mut dispute) in open {
        let id = dispute["id"].as_str().unwrap_or_default().to_string();
        let status = dispute["status"].as_str().unwrap_or_default().to_string();
        let due = dispute["evidence_details"]["due_by"].as_i64().unwrap_or(i64::MAX);
        let decided = match status.as_str() {
            "needs_response" | "warning_needs_response" if due < now => {
                dispute["evidence_details"]["past_due"] = json!(true);
                Some(if status == "needs_response" { "lost" } else { "warning_closed" })
            }
            "under_review" | "warning_under_review" => {
                let submitted = state.ledger.disputes_submitted_at.get(&id).copied().unwrap_or(now);
                if now - submitted >= REVIEW_DAYS * 86_400 {
                    let strong = !dispute["evidence"]["receipt"].is_null()
                        || !dispute["evidence"]["service_documentation"].is_null();
                    Some(match (status.as_str(), strong) {
                        ("warning_under_review", _) => "warning_closed",
                        (_, true) => "won",
                        _ => "lost",
                    })
                } else {
                    None
                }
            }
            _ => None,
        };
        let Some(next) = decided else { continue };
        if next == "won" {
            let amount = dispute["amount"].as_i64().unwrap_or(0);
            let currency = dispute["currency"].as_str().unwrap_or("usd").to_string();
            let txn = ledger::record(
                state,
                Movement {
                    scope: scope.clone(),
                    kind: "adjustment",
                    reporting_category: "dispute_reversal",
                    amount,
                    currency,
                    fees: vec![],
                    source: Some(id.clone()),
                    description: Some(format!(
                        "Chargeback reversal for {}",
                        dispute["charge"].as_str().unwrap_or_default()
                    )),
                    available_on: None,
                },
            );
            if let (Some(t), Some(list)) =
                (state.get(&scope, &txn).cloned(), dispute["balance_transactions"].as_array_mut())
            {
                list.push(t);
            }
        }
        dispute["status"] = json!(next);
        save(state, &scope, &dispute);
        emit(state, &scope, "charge.dispute.closed", &dispute, None);
    }
}

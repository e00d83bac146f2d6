//! Fetches what the overview shows — platform balance, connected accounts and each account's
//! balance — and writes it to the cache in one transaction. Account balances are fetched a few at
//! a time rather than one by one, within Stripe's per-endpoint rate limit.

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::gateways::stripe::models::{Account, Balance};
use crate::gateways::stripe::{Response, StripeClient, StripeError};
use crate::store::cache::OverviewSnapshot;

/// Concurrent balance requests; well below the 25/s per-endpoint limit at typical latencies.
const BALANCE_CONCURRENCY: usize = 8;

pub async fn fetch_overview(client: &StripeClient) -> Result<OverviewSnapshot, StripeError> {
    let platform: Response<Balance> = client.get("/v1/balance", &[], None).await?;
    let accounts: Vec<(Account, Value)> = client.list_all("/v1/accounts", None).await?;

    let permits = Arc::new(Semaphore::new(BALANCE_CONCURRENCY));
    let mut tasks = JoinSet::new();
    for (index, (account, _)) in accounts.iter().enumerate() {
        let client = client.clone();
        let id = account.id.clone();
        let permits = permits.clone();
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            let balance: Result<Response<Balance>, StripeError> = client.get("/v1/balance", &[], Some(&id)).await;
            (index, id, balance)
        });
    }
    let mut account_balances = Vec::with_capacity(accounts.len());
    while let Some(joined) = tasks.join_next().await {
        let (index, id, balance) =
            joined.map_err(|e| StripeError::Decode { request_id: None, detail: e.to_string() })?;
        let balance = balance?;
        account_balances.push((index, id, balance.value, balance.raw));
    }
    account_balances.sort_by_key(|(index, ..)| *index);
    Ok(OverviewSnapshot {
        platform_balance: (platform.value, platform.raw),
        accounts,
        account_balances: account_balances.into_iter().map(|(_, id, b, raw)| (id, b, raw)).collect(),
    })
}

//! The accounts list (Accounts): every restaurant the profile may see, most in need of attention
//! first, searched and filtered (`Desk::accounts_list`), over 100,000 connected accounts as the
//! overview caches them, one in ten changed since by an event (a newer copy in the object cache).

use md_core::accounts::views::AccountsFilter;
use md_core::store::objects::{self, PLATFORM};
use md_core::store::StoreError;

use super::desk::Bench;
use super::platform;
use super::timing::{time, Case};
use crate::commands::CliError;

/// Fills a cache with `rows` accounts and times the list.
pub(super) fn measure(rows: usize, runs: usize) -> Result<Vec<Case>, CliError> {
    let mut bench = Bench::new("accounts")?;
    let now = chrono::Utc::now().timestamp();
    platform::restaurants(&mut bench.store, rows, now)?;
    // Events since the overview: a newer copy of one account in ten.
    {
        let tx = bench.store.conn().unchecked_transaction().map_err(StoreError::from)?;
        let changed: Vec<_> = (0..rows).step_by(10).map(|i| platform::account(i, now)).collect();
        for page in changed.chunks(100) {
            objects::upsert(&tx, PLATFORM, page, &chrono::Utc::now().to_rfc3339())?;
        }
        tx.commit().map_err(StoreError::from)?;
    }
    bench.sign_in()?;
    let desk = &bench.desk;
    let list = |f: &AccountsFilter| -> Result<(), CliError> {
        std::hint::black_box(desk.accounts_list(f)?.len());
        Ok(())
    };
    let every = AccountsFilter { search: None, status: None, kind: None };
    let mut cases = Vec::new();
    cases.push(time(format!("every restaurant ({rows})"), runs, |_| list(&every))?);
    let restricted = AccountsFilter { status: Some("restricted".into()), ..every.clone() };
    cases.push(time("restricted only", runs, |_| list(&restricted))?);
    cases.push(time("search: part of a name (`noodle bar 4`)", runs, |i| {
        list(&AccountsFilter { search: Some(platform::name(i).to_lowercase()[3..].to_string()), ..every.clone() })
    })?);
    Ok(cases)
}

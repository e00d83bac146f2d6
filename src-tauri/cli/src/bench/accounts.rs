//! The accounts list (Accounts): a page of the restaurants the profile may see, most in need of
//! attention first, with their total, searched and filtered (`Desk::accounts_list`), over 100,000
//! connected accounts as the overview caches them, one in ten changed since by an event (a newer
//! copy in the object cache). Each case asks what the screen asks: a page of 100 and the total.

use md_core::accounts::views::AccountsFilter;
use md_core::permissions::Role;
use md_core::store::objects::{self, PLATFORM};
use md_core::store::StoreError;

use super::desk::Bench;
use super::platform;
use super::timing::{time, Case};
use crate::commands::CliError;

/// Rows the screen asks for at a time.
const PAGE: u32 = 100;

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
    let list = |f: &AccountsFilter, offset: u32| -> Result<(), CliError> {
        let page = desk.accounts_list(f, offset, PAGE)?;
        std::hint::black_box((page.total, page.rows.len()));
        Ok(())
    };
    let every = AccountsFilter { search: None, status: None, kind: None };
    let mut cases = Vec::new();
    cases.push(time(format!("every restaurant ({rows}): first page and total"), runs, |_| list(&every, 0))?);
    // A page in the middle, a different one each run: the screen's "Show more" far down.
    let middle = (rows / 2) as u32;
    cases
        .push(time("every restaurant: a page in the middle", runs, |i| list(&every, middle + (i as u32 % 50) * PAGE))?);
    let restricted = AccountsFilter { status: Some("restricted".into()), ..every.clone() };
    cases.push(time("restricted only", runs, |_| list(&restricted, 0))?);
    cases.push(time("search: part of a name (`noodle bar 4`)", runs, |i| {
        list(&AccountsFilter { search: Some(platform::name(i).to_lowercase()[3..].to_string()), ..every.clone() }, 0)
    })?);
    cases.push(time("search: a word many names hold (`bar`, 1 in 12)", runs, |_| {
        list(&AccountsFilter { search: Some("bar".into()), ..every.clone() }, 0)
    })?);
    cases.push(time("search: three letters 1 name in 28 holds (`e 1`)", runs, |_| {
        list(&AccountsFilter { search: Some("e 1".into()), ..every.clone() }, 0)
    })?);
    cases.push(time("search: restricted only, a word many names hold (`bar`)", runs, |_| {
        list(&AccountsFilter { search: Some("bar".into()), ..restricted.clone() }, 0)
    })?);
    // One or two letters: held by many names (`a` 69%, `ba` 17%), by a few (`52`, 1.3%: looked
    // up), and by just too many to look up (`22`, 2.7%: met in the list's order).
    for (case, letters) in [
        ("search: one letter (`a`)", "a"),
        ("search: two letters of a name (`ba`)", "ba"),
        ("search: two letters few names hold (`52`)", "52"),
        ("search: two letters a few more hold (`22`)", "22"),
    ] {
        cases.push(time(case, runs, |_| list(&AccountsFilter { search: Some(letters.into()), ..every.clone() }, 0))?);
    }
    cases.push(time("search: an ID's start", runs, |i| {
        let id = platform::account_id(i * 397 % rows.max(1));
        list(&AccountsFilter { search: Some(id[..id.len() - 2].to_string()), ..every.clone() }, 0)
    })?);
    // A platform admin who looks after 20 of the restaurants (a profile's scope).
    let scope = (0..20).map(|i| platform::account_id(i * 4_999 % rows.max(1))).collect();
    bench.sign_in_scoped("Bench regional admin", Role::PlatformAdmin, scope)?;
    let desk = &bench.desk;
    let list = |f: &AccountsFilter| -> Result<(), CliError> {
        std::hint::black_box(desk.accounts_list(f, 0, PAGE)?.rows.len());
        Ok(())
    };
    cases.push(time("a profile's 20 restaurants", runs, |_| list(&every))?);
    cases.push(time("a profile's 20 restaurants, a word many names hold (`bar`)", runs, |_| {
        list(&AccountsFilter { search: Some("bar".into()), ..every.clone() })
    })?);
    Ok(cases)
}

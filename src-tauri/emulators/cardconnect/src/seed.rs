//! Demo data: two restaurants of the demo group (the Stripe emulator's "Harbor & Vine" group) that
//! take cards through CardPointe, with 75 days of history ending at the emulator's now. Every
//! record is made by the same operations the API runs, on the simulated clock: purchases through
//! the day, tabs authorized and captured later, a few declines and voids, partial and full refunds
//! a few days on, nightly settlement and next-day deposits; then a few fixed sales made today, not
//! settled yet ([`today`]). Deterministic for a seed, whatever the day it runs.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde_json::json;

use crate::ops::authorize::{self, AuthReq, CaptureReq};
use crate::ops::reverse::{self, RefundReq, VoidReq};
use crate::ops::settle;
use crate::state::{State, DAY};
use crate::{DEMO_MERCHID_LAKESIDE, DEMO_MERCHID_TAQUERIA};

mod today;

/// The seed demo mode uses.
pub const DEMO_SEED: u64 = 20_231_104;

/// Days of history in demo mode.
pub const DEMO_DAYS: i64 = 75;

struct Restaurant {
    merchid: &'static str,
    name: &'static str,
    /// Number in the order IDs, after the Stripe seed's twelve restaurants (`HV-13-6001`).
    number: u32,
    /// Purchases a day.
    covers: (i64, i64),
    /// Ticket size in cents.
    ticket: (i64, i64),
}

const GROUP: [Restaurant; 2] = [
    Restaurant {
        merchid: DEMO_MERCHID_LAKESIDE,
        name: "Harbor & Vine Lakeside Kitchen",
        number: 13,
        covers: (8, 14),
        ticket: (2_400, 16_500),
    },
    Restaurant {
        merchid: DEMO_MERCHID_TAQUERIA,
        name: "Vine Street Taqueria",
        number: 14,
        covers: (10, 18),
        ticket: (900, 6_800),
    },
];

/// The demo restaurants as (merchant ID, name), for the app's demo set-up.
pub fn demo_restaurants() -> Vec<(&'static str, &'static str)> {
    GROUP.iter().map(|r| (r.merchid, r.name)).collect()
}

/// Test cards that approve (Visa, Mastercard, Amex, Discover) and ones that decline, from
/// CardPointe's UAT test-card table.
const CARDS: [&str; 4] = ["4111111111111111", "5454545454545454", "371449635398431", "6011000995500000"];
const DECLINING: [&str; 3] = ["4387751111111038", "4387751111111053", "5442981111111031"];
const EXPIRY: &str = "1229";

/// Something that happens at a time of the history.
enum Event {
    Purchase { restaurant: usize },
    Capture { merchid: &'static str, retref: String },
    Void { merchid: &'static str, retref: String },
    Refund { merchid: &'static str, retref: String, amount: Option<i64>, orderid: String },
}

/// Fills `state` with the demo restaurants and their history.
pub fn restaurant_group(state: &mut State, seed: u64) {
    restaurant_group_with(state, seed, DEMO_DAYS);
}

/// The restaurants with `days` of history and today's fixed sales (0: boarded, with their
/// regulars' cards on file only).
pub fn restaurant_group_with(state: &mut State, seed: u64, days: i64) {
    state.reseed(seed);
    for r in &GROUP {
        state.board(r.merchid, r.name, "USD");
    }
    let end = state.now();
    let first_day = end.div_euclid(DAY) - days;
    // History happens in the past: wind the clock back to the first morning, then run forward.
    state.move_clock(first_day * DAY + 14 * 3_600 - end);
    state.last_midnight = first_day;
    let regulars: Vec<Vec<String>> = GROUP.iter().map(|r| regulars(state, r.merchid)).collect();

    let mut queue = Queue::default();
    for day in 0..=days {
        let day_start = (first_day + day) * DAY;
        for (index, r) in GROUP.iter().enumerate() {
            let covers = state.rng().range(r.covers.0, r.covers.1);
            for _ in 0..covers {
                // 11:00 to 22:00 on the US east coast.
                let at = day_start + state.rng().range(15 * 3_600, 26 * 3_600);
                queue.push(at, Event::Purchase { restaurant: index });
            }
        }
    }
    let mut order = 6_000;
    while let Some((at, event)) = queue.pop() {
        if at >= end {
            break;
        }
        settle::advance(state, at - state.now());
        match event {
            Event::Purchase { restaurant } => {
                order += 1;
                purchase(state, &mut queue, &GROUP[restaurant], &regulars[restaurant], order);
            }
            Event::Capture { merchid, retref } => {
                authorize::capture(
                    state,
                    CaptureReq { merchid: Some(merchid.into()), retref: Some(retref), amount: None },
                );
            }
            Event::Void { merchid, retref } => {
                reverse::void(state, VoidReq { merchid: Some(merchid.into()), retref: Some(retref), amount: None });
            }
            Event::Refund { merchid, retref, amount, orderid } => {
                reverse::refund(
                    state,
                    RefundReq {
                        merchid: Some(merchid.into()),
                        retref: Some(retref),
                        amount: amount.map(|a| json!(a.to_string())),
                        orderid: Some(orderid),
                    },
                );
            }
        }
    }
    settle::advance(state, end - state.now());
    // Last, so that nothing made before it changes.
    if days > 0 {
        today::run(state);
    }
}

/// Two regulars with cards on file, stored by a $0 verification the way an integration would.
fn regulars(state: &mut State, merchid: &str) -> Vec<String> {
    ["4788250000121443", "5454545454545454"]
        .iter()
        .filter_map(|card| {
            let answer = authorize::auth(
                state,
                AuthReq {
                    merchid: Some(merchid.into()),
                    account: Some((*card).into()),
                    expiry: Some(EXPIRY.into()),
                    amount: Some(json!("0")),
                    profile: Some("Y".into()),
                    ..Default::default()
                },
            );
            Some(format!("{}/{}", answer["profileid"].as_str()?, answer["acctid"].as_str()?))
        })
        .collect()
}

/// One guest paying: mostly a purchase, sometimes a tab authorized now and captured later, a
/// regular's card on file, a decline, or a mistake voided; some are refunded a few days later.
fn purchase(state: &mut State, queue: &mut Queue, r: &Restaurant, regulars: &[String], order: u32) {
    let now = state.now();
    let amount = state.rng().range(r.ticket.0, r.ticket.1);
    let orderid = format!("HV-{:02}-{order}", r.number);
    let roll = state.rng().range(0, 99);
    let (account, profile) = match roll {
        0..=2 => (Some(DECLINING[state.rng().range(0, 2) as usize].to_string()), None),
        3..=7 if !regulars.is_empty() => {
            (None, Some(regulars[state.rng().range(0, regulars.len() as i64 - 1) as usize].clone()))
        }
        _ => (Some(CARDS[state.rng().range(0, 3) as usize].to_string()), None),
    };
    let tab = (8..=15).contains(&roll);
    let answer = authorize::auth(
        state,
        AuthReq {
            merchid: Some(r.merchid.into()),
            expiry: account.as_ref().map(|_| EXPIRY.to_string()),
            account,
            profile,
            amount: Some(json!(amount.to_string())),
            currency: Some("USD".into()),
            orderid: Some(orderid.clone()),
            capture: !tab,
            ..Default::default()
        },
    );
    let Some(retref) = answer["retref"].as_str().filter(|_| answer["respstat"] == "A").map(str::to_string) else {
        return;
    };
    if tab {
        // The bill is settled an hour or two later.
        let at = now + state.rng().range(3_600, 7_200);
        queue.push(at, Event::Capture { merchid: r.merchid, retref });
    } else if (16..=18).contains(&roll) {
        // Rung up on the wrong table and voided before the night's batch.
        let at = now + state.rng().range(300, 1_800);
        queue.push(at, Event::Void { merchid: r.merchid, retref });
    } else if state.rng().chance(6) {
        let partial = state.rng().chance(50);
        let at = now + DAY * state.rng().range(1, 3) + state.rng().range(0, 3 * 3_600);
        let refund = Event::Refund {
            merchid: r.merchid,
            retref,
            amount: partial.then_some(amount / 2),
            orderid: format!("{orderid}-R1"),
        };
        queue.push(at, refund);
    }
}

/// Events by time; equal times keep the order they were planned in.
#[derive(Default)]
struct Queue {
    heap: BinaryHeap<Reverse<(i64, u64)>>,
    events: Vec<Option<Event>>,
}

impl Queue {
    fn push(&mut self, at: i64, event: Event) {
        self.heap.push(Reverse((at, self.events.len() as u64)));
        self.events.push(Some(event));
    }

    fn pop(&mut self) -> Option<(i64, Event)> {
        let Reverse((at, index)) = self.heap.pop()?;
        let event = self.events.get_mut(index as usize)?.take()?;
        Some((at, event))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Setl, TxnKind};

    fn group(seed: u64, days: i64) -> State {
        let mut s = State::new("u", "p", "site");
        restaurant_group_with(&mut s, seed, days);
        s
    }

    #[test]
    fn same_seed_same_history() {
        let (a, b) = (group(7, 5), group(7, 5));
        let retrefs = |s: &State| s.txns().map(|t| t.retref.clone()).collect::<Vec<_>>();
        assert_eq!(retrefs(&a), retrefs(&b));
        assert_ne!(retrefs(&a), retrefs(&group(8, 5)));
    }

    #[test]
    fn the_demo_history_has_every_kind_of_record_and_deposits_that_add_up() {
        let s = group(DEMO_SEED, DEMO_DAYS);
        let txns: Vec<_> = s.txns().collect();
        for r in &GROUP {
            let mine: Vec<_> = txns.iter().filter(|t| t.merchid == r.merchid).collect();
            assert!(mine.len() > 500, "{}: {}", r.name, mine.len());
            for setl in [Setl::Accepted, Setl::Voided, Setl::Declined, Setl::ZeroAmount] {
                assert!(mine.iter().any(|t| t.setl == setl), "{}: no {setl:?}", r.name);
            }
            let refunds: Vec<_> = mine.iter().filter(|t| t.kind == TxnKind::Refund).collect();
            assert!(refunds.len() >= 10, "{}: {} refunds", r.name, refunds.len());
            let partial = refunds
                .iter()
                .filter(|t| t.parent.as_ref().and_then(|p| s.txn(p)).is_some_and(|p| p.refunded < p.amount));
            assert!(partial.count() >= 2, "{}: no partial refunds", r.name);
            let deposits: Vec<_> = s.deposits.iter().filter(|d| d.merchid == r.merchid).collect();
            assert!(deposits.len() >= 70, "{}: {} deposits", r.name, deposits.len());
            for d in deposits {
                let sum: i64 = d
                    .retrefs
                    .iter()
                    .filter_map(|x| s.txn(x))
                    .map(|t| if t.kind == TxnKind::Refund { -t.amount } else { t.amount })
                    .sum();
                assert_eq!(sum, d.net, "deposit {} of {}", d.fundingid, d.date);
            }
        }
        // Today's captures are still waiting for tonight's batch; yesterday's were deposited today.
        assert!(txns.iter().any(|t| t.setl == Setl::QueuedForCapture));
        assert!(s.deposits.iter().any(|d| d.date == s.today()));
        assert!(txns.iter().all(|t| t.authdate <= s.now()));
    }
}

//! A tips file of 20 restaurants' rows through the desk, against the demo group: a malformed or a
//! repeated row refuses the whole file with nothing sent; the file sent under dropped answers and
//! server errors sends each row exactly once, and sending it again sends nothing more.

#[allow(dead_code)]
mod common;

use common::{demo_group_of_admin, DemoGroup as World};
use md_core::transfers::bulk::BulkSend;
use stripe_emulator::Fault;

fn transfers_at_stripe(w: &World) -> usize {
    w._stripe.lock().objects_of_kind("transfer").count()
}

/// 20 rows: each US restaurant that takes payouts, several weeks of tips.
fn tips_file(w: &World) -> String {
    let state = w._stripe.lock();
    let mut ids: Vec<String> = state
        .objects_of_kind("account")
        .filter(|(_, a)| a["payouts_enabled"] == true && a["default_currency"] == "usd")
        .filter_map(|(_, a)| a["id"].as_str().map(str::to_string))
        .collect();
    ids.sort();
    let mut csv = String::from("restaurant,amount,description\n");
    for n in 0..20 {
        let id = &ids[n % ids.len()];
        csv.push_str(&format!("{id},{}.{:02},\"Tips, week {}\"\n", 10 + n, n, n / ids.len() + 1));
    }
    csv
}

#[tokio::test]
async fn a_tips_file_is_checked_whole_and_each_row_sent_exactly_once_under_faults() {
    let w = demo_group_of_admin().await;
    let file = tips_file(&w);
    let before = transfers_at_stripe(&w);

    // One malformed row: the whole file is refused, nothing sent.
    let broken = file.replacen(",10.00,", ",ten dollars,", 1);
    let preview = w.desk.bulk_transfer_preview(&broken).unwrap();
    assert_eq!(preview.problems.len(), 1, "{:?}", preview.problems);
    assert_eq!(preview.problems[0].line, 2);
    let err = w.desk.bulk_transfer_send(&BulkSend { csv: broken, batch: preview.batch }).await.unwrap_err();
    assert!(err.user_message().contains("nothing was sent"), "{}", err.user_message());
    // A repeated row: refused too.
    let second = file.lines().nth(1).unwrap();
    let repeated = format!("{file}{second}\n");
    let preview = w.desk.bulk_transfer_preview(&repeated).unwrap();
    assert!(
        preview.problems.iter().any(|p| p.line == 22 && p.message.contains("Repeats line 2")),
        "{:?}",
        preview.problems
    );
    assert_eq!(transfers_at_stripe(&w), before, "nothing sent");

    // The good file: 20 rows, their total; sent while Stripe drops answers and fails now and then.
    let preview = w.desk.bulk_transfer_preview(&file).unwrap();
    assert!(preview.problems.is_empty(), "{:?}", preview.problems);
    assert_eq!(preview.rows.len(), 20);
    let total: i64 = (0..20).map(|n| (10 + n) * 100 + n).sum();
    assert_eq!(preview.totals[0].amount, total);
    for _ in 0..3 {
        w._stripe.inject(Fault::DropAfterProcessing, Some("POST"), Some("/v1/transfers"));
    }
    w._stripe.inject(Fault::ServerError, Some("POST"), Some("/v1/transfers"));
    let send = BulkSend { csv: file.clone(), batch: preview.batch.clone() };
    let outcomes = w.desk.bulk_transfer_send(&send).await.unwrap();
    assert!(outcomes.iter().all(|o| o.outcome == "sent"), "{outcomes:?}");
    assert_eq!(transfers_at_stripe(&w), before + 20, "each row exactly once");

    // Sent again (a double click, a rerun): the same 20 transfers, nothing new.
    let again = w.desk.bulk_transfer_send(&send).await.unwrap();
    assert_eq!(transfers_at_stripe(&w), before + 20);
    let ids = |o: &[md_core::transfers::bulk::BulkOutcome]| o.iter().map(|x| x.transfer.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&again), ids(&outcomes));

    // A line taken out of the file (a fix) changes nothing for the others: still nothing new.
    let edited: String = file.lines().enumerate().filter(|(i, _)| *i != 5).map(|(_, l)| format!("{l}\n")).collect();
    let preview = w.desk.bulk_transfer_preview(&edited).unwrap();
    let rerun = w.desk.bulk_transfer_send(&BulkSend { csv: edited, batch: preview.batch }).await.unwrap();
    assert!(rerun.iter().all(|o| o.outcome == "sent") && rerun.len() == 19, "{rerun:?}");
    assert_eq!(transfers_at_stripe(&w), before + 20, "no row sent twice");
}

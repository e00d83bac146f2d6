//! The idempotency journal: a call's key, parameters and asker are stored before the request
//! leaves, and its outcome after, so that an unanswered call — in this run or after a crash — is
//! settled with that key (or looked up) instead of being sent as a new request.

use rusqlite::{params, Connection, OptionalExtension};

use super::StoreError;

/// How a journalled call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Journalled; the answer was never recorded (in flight, or the app died).
    Pending,
    /// Sent, but no answer settled it (no answer, 5xx/409 after the last retry, idempotency error).
    Unknown,
    Succeeded,
    /// Stripe said no, definitively: nothing happened.
    Failed,
    /// A settings change Stripe no longer shows: a later change won. Never re-applied.
    Superseded,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Unknown => "unknown",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::Superseded => "superseded",
        }
    }

    fn parse(raw: &str) -> Result<Self, StoreError> {
        Ok(match raw {
            "pending" => Status::Pending,
            "unknown" => Status::Unknown,
            "succeeded" => Status::Succeeded,
            "failed" => Status::Failed,
            "superseded" => Status::Superseded,
            other => return Err(StoreError::Corrupt(format!("journal status {other:?}"))),
        })
    }

    /// Pending and unknown calls are unfinished: they block new calls for their account.
    pub fn is_unfinished(self) -> bool {
        matches!(self, Status::Pending | Status::Unknown)
    }
}

/// Who asked for a call, kept so that its outcome is audited under their name, even after a restart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asker {
    pub profile_id: Option<i64>,
    pub profile_name: String,
    pub role: String,
}

/// One journalled call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    /// Which gateway (`stripe`, `cardconnect`): each settles an unknown call its own way.
    pub gateway: String,
    pub connection: String,
    pub action: String,
    pub audit_action: String,
    pub account: Option<String>,
    pub method: String,
    pub path: String,
    pub params: Vec<(String, String)>,
    pub status: Status,
    pub http_status: Option<u16>,
    pub response: Option<String>,
    pub request_id: Option<String>,
    /// RFC 3339, from the desk's clock: the 23-hour retry window is measured on it.
    pub created_at: String,
    pub asker: Asker,
    pub target: Option<String>,
    pub amount: Option<i64>,
    pub currency: Option<String>,
    /// JSON of `gateways::Settle`.
    pub settle: Option<String>,
    pub settled_by: Option<String>,
    pub summary: String,
    /// The process that journalled it (see `money_calls::settle`).
    pub instance: Option<String>,
}

/// Writes a pending entry; the request may be sent once the surrounding transaction commits.
pub fn begin(conn: &Connection, e: &Entry) -> Result<(), StoreError> {
    let params = serde_json::to_string(&e.params).map_err(|err| StoreError::Corrupt(err.to_string()))?;
    conn.execute(
        "INSERT INTO idempotency_journal (key, connection, action, audit_action, account, method, path, params, status,
                                          created_at, profile_id, profile_name, role, target, amount, currency, settle,
                                          summary, instance, gateway)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        params![
            e.key,
            e.connection,
            e.action,
            e.audit_action,
            e.account,
            e.method,
            e.path,
            params,
            e.created_at,
            e.asker.profile_id,
            e.asker.profile_name,
            e.asker.role,
            e.target,
            e.amount,
            e.currency,
            e.settle,
            e.summary,
            e.instance,
            e.gateway
        ],
    )?;
    Ok(())
}

/// What became of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finish<'a> {
    pub status: Status,
    pub http_status: Option<u16>,
    pub request_id: Option<&'a str>,
    /// The object Stripe returned, its error body, or why the outcome is not known.
    pub response: &'a str,
    /// `answer`, `retry` or `lookup`.
    pub settled_by: &'a str,
    pub at: &'a str,
}

/// Records how a call stands now. A finished call is never changed again.
pub fn finish(conn: &Connection, key: &str, f: &Finish<'_>) -> Result<(), StoreError> {
    // What Stripe answered, minus a PaymentIntent's client secret (see `objects`).
    let scrubbed = serde_json::from_str::<serde_json::Value>(f.response)
        .ok()
        .filter(|v| v.get("client_secret").is_some())
        .map(|v| super::objects::without_client_secret(&v));
    let response = scrubbed.as_deref().unwrap_or(f.response);
    conn.execute(
        "UPDATE idempotency_journal
            SET status = ?2, http_status = ?3, request_id = ?4, response = ?5, settled_by = ?6, finished_at = ?7
          WHERE key = ?1 AND status IN ('pending', 'unknown')",
        params![key, f.status.as_str(), f.http_status, f.request_id, response, f.settled_by, f.at],
    )?;
    Ok(())
}

const COLUMNS: &str = "key, connection, action, audit_action, account, method, path, params, status, http_status,
    response, request_id, created_at, profile_id, profile_name, role, target, amount, currency, settle, settled_by,
    summary, instance, gateway";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Entry, String, String)> {
    let params: String = r.get(7)?;
    let status: String = r.get(8)?;
    let entry = Entry {
        key: r.get(0)?,
        connection: r.get(1)?,
        action: r.get(2)?,
        audit_action: r.get(3)?,
        account: r.get(4)?,
        method: r.get(5)?,
        path: r.get(6)?,
        params: Vec::new(),
        status: Status::Pending,
        http_status: r.get(9)?,
        response: r.get(10)?,
        request_id: r.get(11)?,
        created_at: r.get(12)?,
        asker: Asker { profile_id: r.get(13)?, profile_name: r.get(14)?, role: r.get(15)? },
        target: r.get(16)?,
        amount: r.get(17)?,
        currency: r.get(18)?,
        settle: r.get(19)?,
        settled_by: r.get(20)?,
        summary: r.get(21)?,
        instance: r.get(22)?,
        gateway: r.get(23)?,
    };
    Ok((entry, params, status))
}

fn build((mut entry, params, status): (Entry, String, String)) -> Result<Entry, StoreError> {
    entry.params =
        serde_json::from_str(&params).map_err(|e| StoreError::Corrupt(format!("journal {}: {e}", entry.key)))?;
    entry.status = Status::parse(&status)?;
    Ok(entry)
}

/// Calls to `connection` whose outcome is not known yet, oldest first.
pub fn unfinished(conn: &Connection, connection: &str) -> Result<Vec<Entry>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM idempotency_journal
          WHERE status IN ('pending', 'unknown') AND connection = ?1 ORDER BY created_at, key"
    ))?;
    let rows = stmt.query_map([connection], read)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(build).collect()
}

/// Unfinished calls about `subject` (see `MoneyCall::subject`; `None`: the platform), whatever
/// connection made them: a call made with a key since rolled still blocks until it is settled.
pub fn unfinished_for(conn: &Connection, subject: Option<&str>) -> Result<Vec<Entry>, StoreError> {
    Ok(all_unfinished(conn)?.into_iter().filter(|e| e.subject() == subject).collect())
}

impl Entry {
    /// The account the call is about: the one it acted as, or the account the platform changed.
    pub fn subject(&self) -> Option<&str> {
        self.account
            .as_deref()
            .or_else(|| {
                self.path
                    .strip_prefix("/v1/accounts/")
                    .and_then(|rest| rest.split('/').next())
                    .filter(|id| !id.is_empty())
            })
            // As `MoneyCall::subject`: a platform call paying a restaurant is about it.
            .or_else(|| {
                self.params
                    .iter()
                    .find(|(k, _)| k == "destination" || k == "transfer_data[destination]")
                    .map(|(_, v)| v.as_str())
            })
    }
}

/// Every unfinished call, whatever the connection (the screen lists them all).
pub fn all_unfinished(conn: &Connection) -> Result<Vec<Entry>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM idempotency_journal WHERE status IN ('pending', 'unknown') ORDER BY created_at, key"
    ))?;
    let rows = stmt.query_map([], read)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(build).collect()
}

pub fn get(conn: &Connection, key: &str) -> Result<Option<Entry>, StoreError> {
    let raw =
        conn.query_row(&format!("SELECT {COLUMNS} FROM idempotency_journal WHERE key = ?1"), [key], read).optional()?;
    raw.map(build).transpose()
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    /// Calls journalled by the version before the door: a pending one and one whose 500 was
    /// recorded as "failed" are unfinished after the upgrade, and only a person settles them past
    /// 23 hours (they carry no key in their metadata to look up); a real refusal stays failed.
    #[test]
    fn calls_journalled_before_the_door_are_kept_unfinished_and_never_looked_up() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::MIGRATIONS.to_version(&mut conn, 5).unwrap();
        let insert = "INSERT INTO idempotency_journal (key, connection, action, account, method, path, params, status,
                                                        http_status, response, created_at)
                      VALUES (?1, 'c', 'refund', 'acct_1', 'POST', '/v1/refunds', '[]', ?2, ?3, ?4, '2026-11-01T00:00:00Z')";
        conn.execute(insert, rusqlite::params!["md_a", "pending", None::<u16>, None::<String>]).unwrap();
        conn.execute(insert, rusqlite::params!["md_b", "failed", Some(500), Some(r#"{"type":"api_error"}"#)]).unwrap();
        conn.execute(
            insert,
            rusqlite::params!["md_c", "failed", Some(400), Some(r#"{"type":"invalid_request_error"}"#)],
        )
        .unwrap();
        super::super::MIGRATIONS.to_latest(&mut conn).unwrap();
        let status = |key: &str| get(&conn, key).unwrap().unwrap();
        assert_eq!(status("md_a").status, Status::Pending);
        assert_eq!(status("md_b").status, Status::Unknown, "a 500 was never a definite no");
        assert_eq!(status("md_c").status, Status::Failed);
        for key in ["md_a", "md_b"] {
            assert_eq!(status(key).settle.as_deref(), Some(r#"{"kind":"manual"}"#), "{key}");
        }
        assert_eq!(status("md_c").settle, None);
    }
}

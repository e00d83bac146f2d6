//! The full sync's writer: pages go to one thread with its own SQLite connection, which commits
//! them in batches (each page with its resume cursor, so a batch is always consistent). The
//! network workers never wait for the disk, and never block the async runtime on a lock.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;

use serde_json::Value;

use crate::store::objects;
use crate::store::{cache, Store, StoreError};

pub enum Write {
    /// Objects without a cursor of their own: the connected accounts, listed first.
    Objects {
        scope: String,
        items: Vec<Value>,
    },
    /// `state_key` names the resume cursor: the kind, or the kind and its time slice.
    Page {
        scope: String,
        state_key: String,
        items: Vec<Value>,
        cursor: Option<String>,
        complete: bool,
    },
    Balance {
        scope: String,
        raw: Value,
    },
    EventsCursor {
        scope: String,
        id: String,
    },
}

pub struct Writer {
    tx: Option<mpsc::Sender<Write>>,
    thread: Option<JoinHandle<Result<u64, StoreError>>>,
}

/// Most writes one transaction takes before it commits.
const BATCH: usize = 64;

impl Writer {
    /// Starts the writer thread. Once `abandon` is set (the cache is being emptied for another
    /// connection), queued writes are dropped: it is checked after the write lock is taken, so
    /// nothing lands after the emptying.
    pub fn start(path: PathBuf, abandon: Arc<AtomicBool>) -> Self {
        let (tx, rx) = mpsc::channel::<Write>();
        let thread = std::thread::spawn(move || -> Result<u64, StoreError> {
            let mut store = Store::open(&path)?;
            let mut written = 0u64;
            while let Ok(first) = rx.recv() {
                let mut batch = vec![first];
                while batch.len() < BATCH {
                    match rx.try_recv() {
                        Ok(w) => batch.push(w),
                        Err(_) => break,
                    }
                }
                let now = chrono::Utc::now().to_rfc3339();
                let tx = store.conn_mut().transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                if abandon.load(Ordering::SeqCst) {
                    continue;
                }
                for write in batch {
                    match write {
                        Write::Objects { scope, items } => {
                            written += objects::upsert(&tx, &scope, &items, &now)? as u64
                        }
                        Write::Page { scope, state_key, items, cursor, complete } => {
                            written += objects::upsert(&tx, &scope, &items, &now)? as u64;
                            objects::set_cursor(&tx, &scope, &state_key, cursor.as_deref(), complete, &now)?;
                        }
                        Write::Balance { scope, raw } => {
                            cache::upsert_balance(&tx, &scope, &raw, &now)?;
                            objects::set_cursor(&tx, &scope, "balance", None, true, &now)?;
                        }
                        Write::EventsCursor { scope, id } => {
                            objects::set_cursor(&tx, &scope, "events", Some(&id), true, &now)?
                        }
                    }
                }
                tx.commit()?;
            }
            Ok(written)
        });
        Self { tx: Some(tx), thread: Some(thread) }
    }

    pub fn send(&self, write: Write) -> Result<(), StoreError> {
        match &self.tx {
            Some(tx) => tx.send(write).map_err(|_| StoreError::Corrupt("the sync writer stopped".into())),
            None => Err(StoreError::Corrupt("the sync writer is closed".into())),
        }
    }

    /// Waits for every queued write to be committed; returns how many objects were written.
    pub fn finish(mut self) -> Result<u64, StoreError> {
        drop(self.tx.take());
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            _ => Err(StoreError::Corrupt("the sync writer panicked".into())),
        }
    }
}

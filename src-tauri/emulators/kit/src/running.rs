//! A running emulator as both gateways' `Emulator` handles wrap it: the server plus the state its
//! handlers share with the test that owns it. Each gateway's handle derefs to [`Running`], so what
//! every emulator can do (its address, its state, faults, stopping) is written once, here.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;

use crate::{FaultPlan, Server};

/// A gateway's state that carries the family's [`FaultPlan`], so the kit can plan faults on it.
pub trait WithFaults {
    /// The gateway's own fault type (Stripe adds 429s to the shared ones).
    type Fault;
    fn fault_plan(&mut self) -> &mut FaultPlan<Self::Fault>;
}

/// Work on the state left for the first request (see [`Running::start_deferred`]).
type Deferred<S> = Arc<Mutex<Option<Box<dyn FnOnce(&mut S) + Send>>>>;

/// A served emulator: dropping it stops the server.
pub struct Running<S> {
    server: Server,
    state: Arc<Mutex<S>>,
    deferred: Deferred<S>,
}

impl<S> std::fmt::Debug for Running<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Running").field("server", &self.server).finish_non_exhaustive()
    }
}

impl<S: Send + 'static> Running<S> {
    /// Shares `state` with the handlers `router` builds and serves them on 127.0.0.1:`port`
    /// (0 picks a free port); `name` labels the log lines.
    pub async fn start(
        port: u16,
        state: S,
        router: impl FnOnce(Arc<Mutex<S>>) -> Router,
        name: &'static str,
    ) -> std::io::Result<Self> {
        let state = Arc::new(Mutex::new(state));
        let server = Server::start(port, router(state.clone()), name).await?;
        Ok(Self { server, state, deferred: Arc::new(Mutex::new(None)) })
    }

    /// Like [`Running::start`], but `prepare` (seeding a history, say) runs on the state when the
    /// first request arrives, or when [`Running::lock`] is first called, rather than now: the app's
    /// demo mode opens its window at once and spends nothing on a history nobody asked for.
    /// Requests that arrive meanwhile wait for it.
    pub async fn start_deferred(
        port: u16,
        state: S,
        prepare: impl FnOnce(&mut S) + Send + 'static,
        router: impl FnOnce(Arc<Mutex<S>>) -> Router,
        name: &'static str,
    ) -> std::io::Result<Self> {
        let state = Arc::new(Mutex::new(state));
        let deferred: Deferred<S> = Arc::new(Mutex::new(Some(Box::new(prepare))));
        let (pending, shared) = (deferred.clone(), state.clone());
        let routes = router(state.clone()).layer(axum::middleware::from_fn(move |request: Request, next: Next| {
            prepare_once(&pending, &shared);
            next.run(request)
        }));
        let server = Server::start(port, routes, name).await?;
        Ok(Self { server, state, deferred })
    }
}

/// Runs the deferred work if it has not run yet; whoever comes meanwhile waits until it is done.
fn prepare_once<S>(deferred: &Deferred<S>, state: &Mutex<S>) {
    let mut pending = crate::lock(deferred);
    if let Some(prepare) = pending.take() {
        prepare(&mut crate::lock(state));
    }
}

impl<S> Running<S> {
    /// `http://127.0.0.1:PORT`: what a client uses as its API base URL.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// Direct access to the emulator's records, for tests that set up or inspect state. Work left
    /// for the first request ([`Running::start_deferred`]) may not have run yet; [`Running::lock`]
    /// runs it first.
    pub fn state(&self) -> Arc<Mutex<S>> {
        self.state.clone()
    }

    /// The state, locked (see [`crate::lock`] for why a panicked handler does not poison it),
    /// after any deferred work has run.
    pub fn lock(&self) -> MutexGuard<'_, S> {
        prepare_once(&self.deferred, &self.state);
        crate::lock(&self.state)
    }

    /// Stops accepting connections and waits for the server task to end.
    pub async fn stop(self) {
        self.server.stop().await;
    }
}

impl<S: WithFaults> Running<S> {
    /// Plans a fault for the next request matching `method` (e.g. "POST", any case) and
    /// `path_prefix` (e.g. "/v1/refunds" or "/cardconnect/rest/refund").
    pub fn inject(&self, fault: S::Fault, method: Option<&str>, path_prefix: Option<&str>) {
        self.lock().fault_plan().plan(fault, method, path_prefix);
    }

    /// Latency added to every request from now on.
    pub fn set_latency(&self, latency: Duration) {
        self.lock().fault_plan().latency = latency;
    }

    /// Share of requests (0–100) answered with a server error from now on.
    pub fn set_error_percent(&self, percent: u8) {
        self.lock().fault_plan().error_percent = percent.min(100);
    }

    /// Loses the network (`true`) or brings it back: while offline every request's connection
    /// drops before the gateway sees it, so a test can watch the app cope with no network at all.
    pub fn set_offline(&self, offline: bool) {
        self.lock().fault_plan().offline = offline;
    }

    /// Waits until no request has been in flight for a moment (at most 10 s): a test that moves
    /// simulated time by a day must not do it while a request of a client it just dropped is
    /// still being handled — no real request outlives a day.
    pub async fn wait_idle(&self) {
        let start = std::time::Instant::now();
        let mut quiet = 0;
        while quiet < 3 && start.elapsed() < std::time::Duration::from_secs(10) {
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
            quiet = if self.lock().fault_plan().in_flight == 0 { quiet + 1 } else { 0 };
        }
    }
}

/// The outermost layer of every emulator's router: while offline, the connection drops before
/// anything else runs (authentication, latency, planned faults, the handler), so nothing is
/// recorded and no planned fault is used up, as when the network is down.
pub async fn cut_when_offline<S: WithFaults>(
    State(state): State<Arc<Mutex<S>>>,
    request: Request,
    next: Next,
) -> Response {
    let offline = crate::lock(&state).fault_plan().offline;
    if offline {
        return crate::faults::dropped_connection();
    }
    // Counted until the handler ends, or is dropped with its connection.
    crate::lock(&state).fault_plan().in_flight += 1;
    let _counted = InFlight(state.clone());
    next.run(request).await
}

/// One request being handled; uncounted when dropped.
struct InFlight<S: WithFaults>(Arc<Mutex<S>>);

impl<S: WithFaults> Drop for InFlight<S> {
    fn drop(&mut self) {
        let mut state = crate::lock(&self.0);
        let plan = state.fault_plan();
        plan.in_flight = plan.in_flight.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Fault;

    #[derive(Default)]
    struct State {
        faults: FaultPlan<Fault>,
    }

    impl WithFaults for State {
        type Fault = Fault;
        fn fault_plan(&mut self) -> &mut FaultPlan<Fault> {
            &mut self.faults
        }
    }

    #[tokio::test]
    async fn shares_state_with_the_router_and_plans_faults_on_it() {
        let mut seen = None;
        let running = Running::start(
            0,
            State::default(),
            |s| {
                seen = Some(s);
                Router::new()
            },
            "test",
        )
        .await
        .unwrap();
        assert!(seen.is_some_and(|s| Arc::ptr_eq(&s, &running.state())));
        running.inject(Fault::ServerError, Some("post"), None);
        running.set_error_percent(250);
        assert_eq!(running.lock().faults.error_percent, 100);
        assert_eq!(running.lock().faults.take_planned("POST", "/x"), Some(Fault::ServerError));
        running.stop().await;
    }

    #[tokio::test]
    async fn deferred_work_runs_once_at_the_first_request_and_not_before() {
        use axum::routing::get;
        use std::sync::atomic::{AtomicU32, Ordering};

        let runs = Arc::new(AtomicU32::new(0));
        let counter = runs.clone();
        let running = Running::start_deferred(
            0,
            State::default(),
            move |s: &mut State| {
                counter.fetch_add(1, Ordering::SeqCst);
                s.faults.error_percent = 7;
            },
            |s| {
                Router::new()
                    .route("/seen", get(move || async move { crate::lock(&s).faults.error_percent.to_string() }))
            },
            "test",
        )
        .await
        .unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 0, "prepared before anyone asked");
        let url = format!("{}/seen", running.base_url());
        let answers = futures_join(&url).await;
        assert_eq!(answers, ["7", "7", "7"], "a request saw the state before it was prepared");
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(running.lock().faults.error_percent, 7);
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        running.stop().await;

        // Reaching into the state prepares it too.
        let running = Running::start_deferred(
            0,
            State::default(),
            |s: &mut State| s.faults.error_percent = 9,
            |_| Router::new(),
            "test",
        )
        .await
        .unwrap();
        assert_eq!(running.lock().faults.error_percent, 9);
        running.stop().await;
    }

    /// Three requests at once.
    async fn futures_join(url: &str) -> Vec<String> {
        let http = reqwest::Client::new();
        let ask = |http: reqwest::Client, url: String| async move {
            http.get(url).send().await.unwrap().text().await.unwrap()
        };
        let (a, b, c) = tokio::join!(
            ask(http.clone(), url.to_string()),
            ask(http.clone(), url.to_string()),
            ask(http.clone(), url.to_string())
        );
        vec![a, b, c]
    }

    #[tokio::test]
    async fn offline_drops_every_connection_before_the_handler_and_online_again_serves() {
        use axum::middleware;
        use axum::routing::post;
        use std::sync::atomic::{AtomicU32, Ordering};

        let handled = Arc::new(AtomicU32::new(0));
        let counter = handled.clone();
        let running = Running::start(
            0,
            State::default(),
            move |s| {
                Router::new()
                    .route(
                        "/pay",
                        post(move || async move {
                            counter.fetch_add(1, Ordering::SeqCst);
                            "paid"
                        }),
                    )
                    .layer(middleware::from_fn_with_state(s, cut_when_offline::<State>))
            },
            "test",
        )
        .await
        .unwrap();
        let http = reqwest::Client::new();
        let url = format!("{}/pay", running.base_url());
        running.inject(Fault::ServerError, None, None);
        running.set_offline(true);
        assert!(http.post(&url).send().await.is_err(), "answered while offline");
        assert_eq!(handled.load(Ordering::SeqCst), 0, "the handler ran while offline");
        assert_eq!(running.lock().faults.planned.len(), 1, "offline used up a planned fault");

        running.set_offline(false);
        running.lock().faults.planned.clear();
        assert_eq!(http.post(&url).send().await.unwrap().text().await.unwrap(), "paid");
        assert_eq!(handled.load(Ordering::SeqCst), 1);
        running.stop().await;
    }
}

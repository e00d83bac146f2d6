//! The life of an emulator's HTTP server: bound to 127.0.0.1 (never another interface: it accepts
//! demo credentials), served on the caller's tokio runtime, stopped gracefully on request or when
//! dropped.

use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running server. Dropping it asks the server to stop; [`Server::stop`] also waits for it.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds 127.0.0.1:`port` (0 picks a free port) and serves `router` until stopped. `name`
    /// only labels the log lines.
    pub async fn start(port: u16, router: Router, name: &'static str) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async {
                let _ = rx.await;
            });
            if let Err(err) = serve.await {
                tracing::error!(%err, name, "emulator stopped with an error");
            }
        });
        tracing::info!(%addr, name, "emulator listening");
        Ok(Self { addr, shutdown: Some(tx), task: Some(task) })
    }

    /// `http://127.0.0.1:PORT`: what a client uses as its API base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections and waits for the server task to end.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;

    #[tokio::test]
    async fn serves_on_loopback_until_stopped() {
        let router = Router::new().route("/ping", get(|| async { "pong" }));
        let server = Server::start(0, router, "test").await.unwrap();
        assert!(server.addr().ip().is_loopback());
        let body = reqwest::get(format!("{}/ping", server.base_url())).await.unwrap().text().await.unwrap();
        assert_eq!(body, "pong");
        let url = server.base_url();
        server.stop().await;
        assert!(reqwest::get(format!("{url}/ping")).await.is_err(), "still answering after stop");
    }
}

//! Spaces requests evenly: at most `rate` per second in any one-second window, with no bursts
//! (a burst at a window edge is exactly what earns a 429).

use std::time::{Duration, Instant};

use tokio::sync::Mutex;

#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    next: Mutex<Instant>,
}

impl Pacer {
    pub fn per_second(rate: f64) -> Self {
        Self { interval: Duration::from_secs_f64(1.0 / rate.max(0.001)), next: Mutex::new(Instant::now()) }
    }

    /// Waits for this caller's slot.
    pub async fn acquire(&self) {
        let slot = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let slot = (*next).max(now);
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot.into()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn never_more_than_the_rate_in_a_second() {
        let pacer = Pacer::per_second(50.0);
        let start = Instant::now();
        for _ in 0..26 {
            pacer.acquire().await;
        }
        // 26 slots 20 ms apart: the last one is 500 ms after the first.
        assert!(start.elapsed() >= Duration::from_millis(495), "{:?}", start.elapsed());
    }
}

//! A simulated clock: real time plus an offset that tests and seeds move. Moving it never waits;
//! each emulator decides what its gateway does as time passes (Stripe's payouts, CardPointe's
//! nightly batches).

/// Unix seconds on the simulated clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SimClock {
    offset: i64,
}

impl SimClock {
    /// Unix seconds now on this clock.
    pub fn now(&self) -> i64 {
        chrono::Utc::now().timestamp() + self.offset
    }

    /// Moves the clock by `seconds` (negative: back, as seeds do before writing history).
    pub fn advance(&mut self, seconds: i64) {
        self.offset += seconds;
    }

    /// How far the clock is from real time.
    pub fn offset(&self) -> i64 {
        self.offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_by_that_much() {
        let mut clock = SimClock::default();
        let before = clock.now();
        clock.advance(86_400);
        assert!((clock.now() - before - 86_400).abs() <= 1);
        clock.advance(-2 * 86_400);
        assert_eq!(clock.offset(), -86_400);
    }
}

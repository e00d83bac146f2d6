//! A deterministic generator for seeded data and IDs, so a seed always produces the same demo.

/// SplitMix64: a tiny, well-known generator. Ten lines here beat a dependency whose stream could
/// change between versions and silently reshuffle the demo data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        let span = (hi - lo) as u64 + 1;
        lo + (self.next_u64() % span) as i64
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// `prefix_` followed by `len` base-62 characters, like Stripe's IDs.
    pub fn id(&mut self, prefix: &str, len: usize) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut out = String::with_capacity(prefix.len() + 1 + len);
        out.push_str(prefix);
        out.push('_');
        for _ in 0..len {
            out.push(ALPHABET[(self.next_u64() % 62) as usize] as char);
        }
        out
    }

    /// `len` decimal digits, the first never 0 (CardPointe's retrieval references and batch IDs).
    pub fn digits(&mut self, len: usize) -> String {
        let mut out = String::with_capacity(len);
        for i in 0..len {
            let d = if i == 0 { 1 + self.next_u64() % 9 } else { self.next_u64() % 10 };
            out.push(char::from(b'0' + d as u8));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert_eq!(a.id("acct", 16), b.id("acct", 16));
        assert_eq!(a.digits(12), b.digits(12));
        let d = Rng::new(1).digits(12);
        assert_eq!(d.len(), 12);
        assert!(d.chars().all(|c| c.is_ascii_digit()) && !d.starts_with('0'));
    }
}

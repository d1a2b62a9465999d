//! Random choice: uniform, or weighted by file as classic `fortune` weights files.
//!
//! Seeded choice uses SplitMix64, a fixed, documented generator, so `--seed N` picks the same
//! quote on every platform and every version of the `rand` crate.

use rand::RngExt;

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny generator with a fixed output sequence.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (multiply-shift; the bias is below 2^-40 for any corpus size).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// Source of random choices: the thread's generator, or a seeded reproducible one.
#[derive(Debug)]
pub enum Chooser {
    /// Operating-system seeded randomness.
    Random(rand::rngs::ThreadRng),
    /// Reproducible choices from a seed.
    Seeded(SplitMix64),
}

impl Chooser {
    /// Fresh randomness.
    pub fn random() -> Self {
        Chooser::Random(rand::rng())
    }

    /// Reproducible choices: the same seed gives the same picks everywhere.
    pub fn seeded(seed: u64) -> Self {
        Chooser::Seeded(SplitMix64::new(seed))
    }

    /// A number in `0..n`; `n` must be positive.
    pub fn below(&mut self, n: usize) -> usize {
        match self {
            Chooser::Random(rng) => rng.random_range(0..n),
            Chooser::Seeded(rng) => rng.below(n),
        }
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        match self {
            Chooser::Random(rng) => rng.random::<f64>(),
            Chooser::Seeded(rng) => (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64,
        }
    }

    /// One element of `items`, uniformly; `None` when empty.
    pub fn choose<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// Picks one candidate when collections carry weights, the way `fortune` does it: a file is
/// chosen by its weight, then an entry uniformly inside it. Candidates that a filter removed
/// are skipped without changing the other files' shares (fortune's retry loop, without the
/// endless loop when nothing qualifies).
///
/// `candidates` are `(collection, item)` pairs; `weights[c]` is collection `c`'s weight and
/// `sizes[c]` its number of entries before filtering. Returns `None` when no candidate has
/// weight.
pub fn pick_weighted<T: Copy>(
    candidates: &[(usize, T)],
    weights: &[f64],
    sizes: &[usize],
    chooser: &mut Chooser,
) -> Option<T> {
    let weight = |c: usize| {
        if sizes[c] == 0 {
            0.0
        } else {
            weights[c] / sizes[c] as f64
        }
    };
    let total: f64 = candidates.iter().map(|&(c, _)| weight(c)).sum();
    if total.is_nan() || total <= 0.0 {
        return None;
    }
    let mut target = chooser.unit() * total;
    for &(c, item) in candidates {
        target -= weight(c);
        if target < 0.0 {
            return Some(item);
        }
    }
    candidates
        .iter()
        .rev()
        .find(|&&(c, _)| weight(c) > 0.0)
        .map(|&(_, item)| item)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_sequence_is_fixed() {
        // Reference values of SplitMix64 seeded with 0.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn seeded_choices_repeat_and_stay_in_range() {
        let picks = |seed| {
            let mut c = Chooser::seeded(seed);
            (0..20).map(|_| c.below(7)).collect::<Vec<_>>()
        };
        assert_eq!(picks(42), picks(42));
        assert_ne!(picks(42), picks(43));
        assert!(picks(1).iter().all(|&p| p < 7));
        let mut c = Chooser::random();
        assert!((0..100).all(|_| c.below(3) < 3 && (0.0..1.0).contains(&c.unit())));
        assert_eq!(c.choose::<u8>(&[]), None);
    }

    #[test]
    fn uniform_choice_is_uniform() {
        let items: Vec<usize> = (0..10).collect();
        let mut hits = [0usize; 10];
        let mut chooser = Chooser::seeded(99);
        for _ in 0..20_000 {
            hits[*chooser.choose(&items).unwrap()] += 1;
        }
        // Each bucket expects 2000; 5 standard deviations is about 212.
        assert!(hits.iter().all(|&h| (1788..=2212).contains(&h)), "{hits:?}");
    }

    #[test]
    fn weighted_pick_follows_file_weights() {
        // File 0 has 1 entry with weight 0.9, file 1 has 9 entries with weight 0.1.
        let candidates: Vec<(usize, u32)> = std::iter::once((0, 0))
            .chain((1..10).map(|i| (1, i)))
            .collect();
        let mut chooser = Chooser::seeded(7);
        let hits = (0..2000)
            .filter(|_| pick_weighted(&candidates, &[0.9, 0.1], &[1, 9], &mut chooser) == Some(0))
            .count();
        assert!((1700..1900).contains(&hits), "{hits}");
        // Filtering away part of file 1 keeps file 0's per-entry weight.
        let few = [(0usize, 0u32), (1, 1)];
        let hits = (0..2000)
            .filter(|_| pick_weighted(&few, &[0.9, 0.1], &[1, 9], &mut chooser) == Some(0))
            .count();
        assert!(hits > 1900, "{hits}");
        assert_eq!(pick_weighted::<u32>(&[], &[1.0], &[1], &mut chooser), None);
        assert_eq!(
            pick_weighted(&[(0, 5u32)], &[0.0], &[1], &mut chooser),
            None
        );
    }
}

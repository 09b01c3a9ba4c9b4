//! Randomness that a `--seed` makes reproducible: the tests always seed, so a
//! run can be repeated exactly; a learner who gives no seed gets a fresh one.

use rand::SeedableRng;
pub use rand::{Rng, rngs::StdRng};

// ANCHOR: random
/// A generator seeded with `seed`, or from the operating system without one.
pub fn generator(seed: Option<u64>) -> StdRng {
    match seed {
        Some(seed) => StdRng::seed_from_u64(seed),
        None => StdRng::from_os_rng(),
    }
}

/// The guide's `randof(n)`: a number in `0..n`.
pub fn randof(rng: &mut StdRng, n: u32) -> u32 {
    rng.random_range(0..n)
}

/// One pipeline task's workload: 1 to 100 msec. Both ventilators, the
/// round-robin one (chapter 1) and the load-balanced one (chapter 3), draw
/// their tasks with it, so the same seed gives both the same batch.
pub fn workload(rng: &mut StdRng) -> u32 {
    randof(rng, 100) + 1
}
// ANCHOR_END: random

//! The simulation's one source of chance: a seeded, portable PCG generator.
//!
//! `Pcg64Mcg` gives the same sequence on every platform (unlike `SmallRng`), so a seed
//! reproduces a run natively and in wasm alike. Never seeded from the OS.

use rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// The seeded RNG every random choice in the sim draws from.
#[derive(Debug, Clone)]
pub struct SimRng(Pcg64Mcg);

impl SimRng {
    /// A generator whose whole sequence is fixed by `seed`.
    pub fn seed_from(seed: u64) -> SimRng {
        SimRng(Pcg64Mcg::seed_from_u64(seed))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A number in `0..n` (`n` > 0), without modulo bias worth noticing for small `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0) has no answer");
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A version-4 UUID, as the API server assigns to `metadata.uid`.
    pub fn uuid(&mut self) -> String {
        let hi = self.next_u64();
        let lo = self.next_u64();
        // Set the version (4) and the RFC 4122 variant bits.
        let hi = (hi & !0xF000) | 0x4000;
        let lo = (lo & !(0b11 << 62)) | (0b10 << 62);
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xFFFF,
            hi & 0xFFFF,
            lo >> 48,
            lo & 0xFFFF_FFFF_FFFF
        )
    }

    /// `n` lowercase alphanumerics from the alphabet Kubernetes uses for generated names
    /// (no vowels, no look-alikes: `bcdfghjklmnpqrstvwxz2456789`).
    pub fn name_suffix(&mut self, n: usize) -> String {
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..n).map(|_| ALPHABET[self.below(ALPHABET.len() as u64) as usize] as char).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = SimRng::seed_from(42);
        let mut b = SimRng::seed_from(42);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
    }

    #[test]
    fn sequence_is_pinned_across_platforms() {
        // If this changes, every recorded scenario and golden event log changes with it.
        assert_eq!(SimRng::seed_from(1).next_u64(), 15_803_641_690_485_367_939);
    }

    #[test]
    fn uuid_has_version_4_and_variant_bits() {
        let u = SimRng::seed_from(7).uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
    }

    #[test]
    fn name_suffix_uses_the_kubernetes_alphabet() {
        let s = SimRng::seed_from(3).name_suffix(200);
        assert!(s.chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)), "{s}");
    }
}

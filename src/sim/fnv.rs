//! FNV-1a, the digest the store's log and the scenario's check use: tiny, and identical on every
//! platform (std's hashers are not guaranteed to be). It is an `io::Write`, so JSON can be
//! serialized straight into it without building the text first.

/// A running FNV-1a (64-bit) digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Takes in `bytes`.
    pub fn eat(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A version-4-shaped UUID drawn from `seed` by its digest: the same seed, the same uuid (ids
/// the API server would draw at random, such as a token's `jti` or a request's audit id).
pub fn uuid(seed: &str) -> String {
    let mut a = Fnv::default();
    a.eat(seed.as_bytes());
    let mut b = Fnv(a.0 ^ 0x9e37_79b9_7f4a_7c15);
    b.eat(seed.as_bytes());
    // The version (4) and the RFC 4122 variant bits, as a random uuid has them.
    let (hi, lo) = ((a.0 & !0xF000) | 0x4000, (b.0 & !(0b11 << 62)) | (0b10 << 62));
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

impl std::io::Write for Fnv {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.eat(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Fnv;

    #[test]
    fn digests_as_fnv_1a() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (the algorithm's published test vector).
        let mut h = Fnv::default();
        h.eat(b"a");
        assert_eq!(h.0, 0xaf63_dc4c_8601_ec8c);
    }
}

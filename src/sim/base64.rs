//! Base64 as Secret `data` holds it and the `base64` tool reads it: the standard alphabet,
//! padding written, and read with or without it (the `base64` crate, already in the build
//! through k8s-openapi).

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Encodes `bytes`, padded.
pub fn encode(bytes: &[u8]) -> String {
    ENGINE.encode(bytes)
}

/// Decodes `text` (whitespace ignored, padding optional); None if it is not base64.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    ENGINE.decode(compact).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_and_without_padding() {
        assert_eq!(encode(b"admin"), "YWRtaW4=");
        assert_eq!(decode("YWRtaW4=").unwrap(), b"admin");
        assert_eq!(decode("YWRtaW4").unwrap(), b"admin");
        assert_eq!(decode("YWRt\naW4=\n").unwrap(), b"admin");
        assert!(decode("not base64!").is_none());
    }
}

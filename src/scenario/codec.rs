//! The text forms of a scenario.
//!
//! - A **link**: `v2.` followed by the scenario's JSON, compressed with raw DEFLATE
//!   (`miniz_oxide`) and written in unpadded base64url, so it can stand after `#` in a URL
//!   as is. The marker's number is the format version; a newer one is refused before anything
//!   else is read.
//! - **JSON**: the scenario as is (`kube-sandbox replay` reads it, exported files hold it).
//!
//! [`decode`] reads either, from untrusted text: its size is capped before and after
//! decompression, older versions are migrated, and the result is validated.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::{migrate, Scenario, ScenarioError, VERSION};

/// The longest link text read (characters after `#`).
pub const MAX_LINK_CHARS: usize = 256 * 1024;
/// The most JSON a link or file may unpack to.
pub const MAX_JSON_BYTES: usize = 4 << 20;

/// The link text of a scenario (what follows `#` in a share URL).
pub fn encode_link(scenario: &Scenario) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(scenario.to_json().as_bytes(), 9);
    format!("v{VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
}

impl Scenario {
    /// The JSON form, compact.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a scenario always serializes")
    }

    /// The JSON form, indented (for exported files).
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scenario always serializes")
    }

    /// Reads a scenario from JSON (any version this build knows), validated.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        if text.len() > MAX_JSON_BYTES {
            return Err(ScenarioError::TooLarge(MAX_JSON_BYTES));
        }
        let value: serde_json::Value = serde_json::from_str(text).map_err(json_error)?;
        let s = migrate::upgrade(value)?;
        s.validate()?;
        Ok(s)
    }

    /// The link text (see [`encode_link`]).
    pub fn to_link(&self) -> String {
        encode_link(self)
    }
}

/// Reads a scenario from a link (a whole URL, a `#fragment`, or the text after `#`) or from
/// JSON. Never panics, whatever the text.
pub fn decode(text: &str) -> Result<Scenario, ScenarioError> {
    if text.len() > MAX_JSON_BYTES {
        return Err(ScenarioError::TooLarge(MAX_JSON_BYTES));
    }
    let text = text.trim();
    if text.starts_with('{') {
        return Scenario::from_json(text);
    }
    let fragment = text.rsplit_once('#').map_or(text, |(_, f)| f).trim();
    if fragment.is_empty() {
        return Err(ScenarioError::Truncated);
    }
    if fragment.len() > MAX_LINK_CHARS {
        return Err(ScenarioError::TooLarge(MAX_LINK_CHARS));
    }
    let Some((marker, payload)) = fragment.split_once('.') else {
        return Err(if fragment.starts_with('v') && fragment[1..].bytes().all(|b| b.is_ascii_digit()) {
            ScenarioError::Truncated
        } else {
            ScenarioError::Garbage("no version marker such as v2. at its start".into())
        });
    };
    let version = match marker.strip_prefix('v') {
        Some(n) if !n.is_empty() && n.len() <= 20 && n.bytes().all(|b| b.is_ascii_digit()) => {
            n.parse::<u32>().unwrap_or(u32::MAX)
        }
        _ => return Err(ScenarioError::Garbage("no version marker such as v2. at its start".into())),
    };
    if version > VERSION {
        return Err(ScenarioError::TooNew(version));
    }
    if version != VERSION {
        // Version 1 had no links: only JSON files.
        return Err(ScenarioError::UnknownVersion(format!("link v{version}")));
    }
    let packed = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).map_err(|e| match e {
        base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidLastSymbol(..) => ScenarioError::Truncated,
        other => ScenarioError::Garbage(format!("not base64url: {other}")),
    })?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_JSON_BYTES).map_err(|e| {
        use miniz_oxide::inflate::TINFLStatus as S;
        match e.status {
            S::HasMoreOutput => ScenarioError::TooLarge(MAX_JSON_BYTES),
            S::FailedCannotMakeProgress | S::NeedsMoreInput => ScenarioError::Truncated,
            _ => ScenarioError::Garbage("its data is damaged".into()),
        }
    })?;
    let json = String::from_utf8(json).map_err(|_| ScenarioError::Garbage("its data is damaged".into()))?;
    let value: serde_json::Value = serde_json::from_str(&json).map_err(json_error)?;
    let s = migrate::upgrade(value)?;
    s.validate()?;
    Ok(s)
}

fn json_error(e: serde_json::Error) -> ScenarioError {
    if e.is_eof() {
        ScenarioError::Truncated
    } else {
        ScenarioError::Garbage(format!("not valid JSON: {e}"))
    }
}

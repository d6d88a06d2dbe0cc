//! Durations as kubectl reads its duration flags (`--timeout`, `--since`, `--request-timeout`…):
//! Go's `time.ParseDuration` rules, with its error texts, over signed 64-bit nanoseconds.

use std::time::Duration;

/// A parsed Go duration: signed nanoseconds, like Go's `time.Duration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GoDuration(pub i64);

impl GoDuration {
    /// True when the duration is below zero (`-1s`): kubectl reads some of those as "for ever".
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The duration as a std `Duration` (negative ones become zero).
    pub fn to_std(self) -> Duration {
        Duration::from_nanos(u64::try_from(self.0).unwrap_or(0))
    }
}

/// Go's quoting of the text inside its duration errors (`strconv.Quote` for what people type).
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The nanoseconds in one of Go's duration units.
fn unit_nanos(unit: &str) -> Option<u128> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// Parses `text` as Go's `time.ParseDuration` does: an optional sign, then one or more decimal
/// numbers (optionally with a fraction) each followed by a unit (`ns us µs ms s m h`), e.g.
/// `300ms`, `-1.5h`, `2h45m`. `0` alone needs no unit. Errors are Go's texts
/// (`time: invalid duration "x"`, `time: missing unit in duration "1"`,
/// `time: unknown unit "d" in duration "1d"`), and values beyond ±2⁶³ ns are invalid.
pub fn parse(text: &str) -> Result<GoDuration, String> {
    let invalid = || format!("time: invalid duration {}", quote(text));
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(GoDuration(0));
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    // Exact nanoseconds so far; past this the value overflows whatever follows.
    const LIMIT: u128 = 1 << 63;
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let bytes = rest.as_bytes();
        if !(bytes[0] == b'.' || bytes[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let int_end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let (int_digits, after) = rest.split_at(int_end);
        let mut whole: u128 = 0;
        for d in int_digits.bytes() {
            whole = whole * 10 + u128::from(d - b'0');
            if whole > LIMIT {
                return Err(invalid());
            }
        }
        rest = after;
        // The fraction: its digits beyond what overflows are dropped, as Go does.
        let (mut frac, mut scale) = (0u128, 1u128);
        let mut frac_digits = 0;
        if let Some(after_dot) = rest.strip_prefix('.') {
            let end = after_dot.find(|c: char| !c.is_ascii_digit()).unwrap_or(after_dot.len());
            frac_digits = end;
            for d in after_dot[..end].bytes() {
                if scale < LIMIT {
                    frac = frac * 10 + u128::from(d - b'0');
                    scale *= 10;
                }
            }
            rest = &after_dot[end..];
        }
        if int_digits.is_empty() && frac_digits == 0 {
            // "." or ".s": no digits at all.
            return Err(invalid());
        }
        let unit_end = rest.find(|c: char| c == '.' || c.is_ascii_digit()).unwrap_or(rest.len());
        let (unit, after_unit) = rest.split_at(unit_end);
        if unit.is_empty() {
            return Err(format!("time: missing unit in duration {}", quote(text)));
        }
        let Some(nanos) = unit_nanos(unit) else {
            return Err(format!("time: unknown unit {} in duration {}", quote(unit), quote(text)));
        };
        let value = whole * nanos + frac * nanos / scale;
        total += value;
        if total > LIMIT {
            return Err(invalid());
        }
        rest = after_unit;
    }
    if negative {
        // -2⁶³ ns fits; anything below was refused above.
        Ok(GoDuration(i64::try_from(total).map_or(i64::MIN, |t| -t)))
    } else {
        i64::try_from(total).map(GoDuration).map_err(|_| invalid())
    }
}

/// The error kubectl prints for a flag whose value does not parse: cobra's
/// `invalid argument "V" for "--F" flag: …`.
pub fn flag_error(flag: &str, value: &str, err: &str) -> String {
    format!("invalid argument \"{value}\" for \"--{flag}\" flag: {err}")
}

/// Parses the value of the duration flag `--flag`, with cobra's message when it does not parse.
pub fn parse_flag(flag: &str, value: &str) -> Result<GoDuration, String> {
    parse(value).map_err(|e| flag_error(flag, value, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> i64 {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}")).0
    }

    #[test]
    fn durations_people_type_parse_to_go_nanoseconds() {
        assert_eq!(ok("60s"), 60_000_000_000);
        assert_eq!(ok("1m30s"), 90_000_000_000);
        assert_eq!(ok("500ms"), 500_000_000);
        assert_eq!(ok("1.5s"), 1_500_000_000);
        assert_eq!(ok(".5s"), 500_000_000);
        assert_eq!(ok("1.s"), 1_000_000_000);
        assert_eq!(ok("2h45m"), 9_900_000_000_000);
        assert_eq!(ok("-1s"), -1_000_000_000);
        assert_eq!(ok("+3ns"), 3);
        assert_eq!(ok("0"), 0);
        assert_eq!(ok("-0"), 0);
        assert_eq!(ok("1\u{b5}s"), 1_000);
        assert_eq!(ok("1\u{3bc}s"), 1_000);
        assert_eq!(ok("0.0000000001s"), 0);
    }

    #[test]
    fn the_largest_go_durations_parse_and_one_more_overflows() {
        assert_eq!(ok("9223372036854775807ns"), i64::MAX);
        assert_eq!(ok("-9223372036854775808ns"), i64::MIN);
        assert_eq!(ok("2562047h"), 2_562_047 * 3_600_000_000_000);
        assert_eq!(parse("9223372036854775808ns").unwrap_err(), "time: invalid duration \"9223372036854775808ns\"");
        assert_eq!(parse("2562048h").unwrap_err(), "time: invalid duration \"2562048h\"");
        assert_eq!(
            parse("99999999999999999999999999999s").unwrap_err(),
            "time: invalid duration \"99999999999999999999999999999s\""
        );
    }

    #[test]
    fn malformed_durations_get_go_s_three_messages() {
        assert_eq!(parse("").unwrap_err(), "time: invalid duration \"\"");
        assert_eq!(parse("-").unwrap_err(), "time: invalid duration \"-\"");
        assert_eq!(parse("soon").unwrap_err(), "time: invalid duration \"soon\"");
        assert_eq!(parse(".s").unwrap_err(), "time: invalid duration \".s\"");
        assert_eq!(parse("1e300s").unwrap_err(), "time: unknown unit \"e\" in duration \"1e300s\"");
        assert_eq!(parse("30").unwrap_err(), "time: missing unit in duration \"30\"");
        assert_eq!(parse("1d").unwrap_err(), "time: unknown unit \"d\" in duration \"1d\"");
        assert_eq!(parse("1s\"").unwrap_err(), "time: unknown unit \"s\\\"\" in duration \"1s\\\"\"");
    }

    #[test]
    fn a_very_long_fraction_is_read_without_overflow() {
        let text = format!("1.{}s", "9".repeat(10_000));
        assert_eq!(ok(&text), 1_999_999_999);
    }
}

//! Resource quantities (`500m`, `2`, `128Mi`, `1.5Gi`, `1e3`) as the API server parses them.
//!
//! Values are kept in thousandths of the base unit (millicores for CPU, millibytes for
//! memory), so CPU and memory share one type without floating point.

use std::fmt;

/// A quantity in thousandths of its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(pub i128);

/// Why a string is not a quantity. The message is the API server's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")]
pub struct QuantityError;

/// The largest value accepted, in thousandths (about 9.2e18 units: Kubernetes' int64 range).
const LIMIT: i128 = (i64::MAX as i128) * 1000;

impl Quantity {
    /// A quantity as a manifest may write it: a string (`"500m"`) or a bare number
    /// (`cpu: 1`, which YAML reads as an integer); None for anything else.
    pub fn from_value(v: &serde_json::Value) -> Option<Quantity> {
        match v {
            serde_json::Value::String(s) => Quantity::parse(s).ok(),
            serde_json::Value::Number(n) => Quantity::parse(&n.to_string()).ok(),
            _ => None,
        }
    }

    /// Parses a Kubernetes quantity string.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        let s = s.trim();
        let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-')).unwrap_or(s.len());
        let (number, suffix) = s.split_at(split);
        let (negative, digits) = match number.as_bytes().first() {
            Some(b'-') => (true, &number[1..]),
            Some(b'+') => (false, &number[1..]),
            _ => (false, number),
        };
        if digits.is_empty() || digits.matches('.').count() > 1 || digits.contains(['+', '-']) || digits == "." {
            return Err(QuantityError);
        }
        let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
        // value = mantissa × 10^exp10 × 2^exp2, kept exact in i128 thousandths.
        let mantissa: i128 = format!("{int_part}{frac_part}").trim_start_matches('0').parse().unwrap_or(0);
        let digits_len = int_part.len() + frac_part.len();
        if digits_len > 30 {
            return Err(QuantityError);
        }
        let mut exp10: i32 = -(frac_part.len() as i32) + 3; // +3: thousandths
        let mut exp2: u32 = 0;
        match suffix {
            "" => {}
            "n" => exp10 -= 9,
            "u" => exp10 -= 6,
            "m" => exp10 -= 3,
            "k" => exp10 += 3,
            "M" => exp10 += 6,
            "G" => exp10 += 9,
            "T" => exp10 += 12,
            "P" => exp10 += 15,
            "E" => exp10 += 18,
            "Ki" => exp2 = 10,
            "Mi" => exp2 = 20,
            "Gi" => exp2 = 30,
            "Ti" => exp2 = 40,
            "Pi" => exp2 = 50,
            "Ei" => exp2 = 60,
            e if e.starts_with(['e', 'E']) => {
                let n: i32 = e[1..].parse().map_err(|_| QuantityError)?;
                if !(-30..=30).contains(&n) {
                    return Err(QuantityError);
                }
                exp10 += n;
            }
            _ => return Err(QuantityError),
        }
        let mut v = mantissa;
        for _ in 0..exp2 {
            v = v.checked_mul(2).ok_or(QuantityError)?;
        }
        if exp10 >= 0 {
            for _ in 0..exp10 {
                v = v.checked_mul(10).ok_or(QuantityError)?;
            }
        } else {
            // Round up, as Kubernetes does when a value is finer than it can hold.
            let div = 10i128.checked_pow((-exp10) as u32).ok_or(QuantityError)?;
            v = (v + div - 1) / div;
        }
        if v > LIMIT {
            return Err(QuantityError);
        }
        Ok(Quantity(if negative { -v } else { v }))
    }

    /// From millicores (or any whole thousandth count).
    pub const fn from_milli(m: i128) -> Quantity {
        Quantity(m)
    }

    /// From whole units (cores, bytes).
    pub const fn from_units(u: i128) -> Quantity {
        Quantity(u * 1000)
    }

    /// Thousandths of the unit (millicores for CPU).
    pub const fn milli(self) -> i128 {
        self.0
    }

    /// Whole units, rounded up (bytes for memory).
    pub fn units_ceil(self) -> i128 {
        (self.0 + 999).div_euclid(1000)
    }
}

impl fmt::Display for Quantity {
    /// The canonical short form: `500m`, `2`, or bytes in the largest exact binary unit (`128Mi`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 % 1000 != 0 {
            return write!(f, "{}m", self.0);
        }
        let units = self.0 / 1000;
        for (suffix, shift) in [("Ei", 60), ("Pi", 50), ("Ti", 40), ("Gi", 30), ("Mi", 20), ("Ki", 10)] {
            let unit = 1i128 << shift;
            if units != 0 && units % unit == 0 && units >= 1024 {
                return write!(f, "{}{suffix}", units / unit);
            }
        }
        write!(f, "{units}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> i128 {
        Quantity::parse(s).unwrap().milli()
    }

    #[test]
    fn parses_cpu_forms() {
        assert_eq!(q("500m"), 500);
        assert_eq!(q("2"), 2000);
        assert_eq!(q("0.5"), 500);
        assert_eq!(q("1.25"), 1250);
        assert_eq!(q("100u"), 1); // rounded up to the nearest milli
    }

    #[test]
    fn parses_memory_forms() {
        assert_eq!(q("128Mi"), 128 * 1024 * 1024 * 1000);
        assert_eq!(q("1Gi"), (1 << 30) * 1000);
        assert_eq!(q("1.5Gi"), (3 << 29) * 1000);
        assert_eq!(q("64M"), 64_000_000_000);
        assert_eq!(q("1e3"), 1_000_000);
        assert_eq!(q("1k"), 1_000_000);
    }

    #[test]
    fn refuses_malformed_quantities() {
        for bad in ["", "abc", "1.2.3", "12Qi", "--1", "1e999", ".", "9999999999999999999999999999999"] {
            assert!(Quantity::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn displays_canonically() {
        assert_eq!(Quantity::parse("500m").unwrap().to_string(), "500m");
        assert_eq!(Quantity::parse("128Mi").unwrap().to_string(), "128Mi");
        assert_eq!(Quantity::parse("3").unwrap().to_string(), "3");
    }
}

//! Simulated time: an instant counted in milliseconds from the sandbox's epoch.
//!
//! Never reads the wall clock. The epoch is a fixed calendar date so that timestamps in
//! objects (`creationTimestamp`, `lastHeartbeatTime`) look real and are the same on every run.

use std::fmt;
use std::ops::{Add, Sub};
use std::time::Duration;

/// Unix time, in seconds, of the sandbox's epoch: 2025-01-01T00:00:00Z.
// SIM: a real cluster's clock is the wall clock; ours starts at a fixed date.
pub const EPOCH_UNIX_SECS: u64 = 1_735_689_600;

/// An instant of simulated time, in milliseconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimTime(u64);

impl SimTime {
    /// The epoch itself: where every simulation starts.
    pub const ZERO: SimTime = SimTime(0);

    /// The instant `ms` milliseconds after the epoch.
    pub const fn from_millis(ms: u64) -> SimTime {
        SimTime(ms)
    }

    /// The instant `s` seconds after the epoch.
    pub const fn from_secs(s: u64) -> SimTime {
        SimTime(s * 1000)
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// Time elapsed since `earlier` (zero if `earlier` is later).
    pub fn since(self, earlier: SimTime) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }

    /// RFC 3339 in UTC at second precision, as Kubernetes writes `metav1.Time`
    /// (e.g. `2025-01-01T00:00:05Z`).
    pub fn to_rfc3339(self) -> String {
        let secs = EPOCH_UNIX_SECS + self.0 / 1000;
        let (days, rem) = (secs / 86_400, secs % 86_400);
        let (y, m, d) = civil_from_days(days as i64);
        format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
    }

    /// The calendar fields in UTC: (year, month 1–12, day 1–31, hour, minute, second,
    /// weekday 0 = Sunday).
    pub fn civil(self) -> (i64, u32, u32, u32, u32, u32, u32) {
        let secs = EPOCH_UNIX_SECS + self.0 / 1000;
        let (days, rem) = (secs / 86_400, secs % 86_400);
        let (y, m, d) = civil_from_days(days as i64);
        // 1970-01-01 was a Thursday (4).
        let weekday = ((days + 4) % 7) as u32;
        (y, m, d, (rem / 3600) as u32, (rem % 3600 / 60) as u32, (rem % 60) as u32, weekday)
    }

    /// The clock as the page shows it: `HH:MM:SS` since the start, with days if any (`1d 02:03:04`).
    pub fn elapsed_clock(self) -> String {
        let s = self.0 / 1000;
        let (d, h, m, s) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
        if d > 0 {
            format!("{d}d {h:02}:{m:02}:{s:02}")
        } else {
            format!("{h:02}:{m:02}:{s:02}")
        }
    }
}

impl Add<Duration> for SimTime {
    type Output = SimTime;
    fn add(self, d: Duration) -> SimTime {
        SimTime(self.0.saturating_add(d.as_millis().min(u64::MAX as u128) as u64))
    }
}

impl Sub for SimTime {
    type Output = Duration;
    fn sub(self, earlier: SimTime) -> Duration {
        self.since(earlier)
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Parses an RFC 3339 time written by the sim (`2025-01-01T00:00:10.000000Z`).
pub fn parse_time(text: &str) -> Option<SimTime> {
    let ts: k8s_openapi::jiff::Timestamp = text.parse().ok()?;
    let ms = ts.as_millisecond() - (EPOCH_UNIX_SECS as i64) * 1000;
    u64::try_from(ms).ok().map(SimTime::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_formats_as_new_year_2025() {
        assert_eq!(SimTime::ZERO.to_rfc3339(), "2025-01-01T00:00:00Z");
    }

    #[test]
    fn rfc3339_crosses_months_and_leap_days() {
        // 2025-03-01 is 59 days after 2025-01-01 (2025 is not a leap year).
        assert_eq!(SimTime::from_secs(59 * 86_400 + 3661).to_rfc3339(), "2025-03-01T01:01:01Z");
        // 2028-02-29 exists.
        let days = 365 * 3 + 31 + 28;
        assert_eq!(SimTime::from_secs(days * 86_400).to_rfc3339(), "2028-02-29T00:00:00Z");
    }

    #[test]
    fn elapsed_clock_shows_days_only_when_needed() {
        assert_eq!(SimTime::from_secs(3725).elapsed_clock(), "01:02:05");
        assert_eq!(SimTime::from_secs(86_400 + 5).elapsed_clock(), "1d 00:00:05");
    }

    #[test]
    fn adding_a_huge_duration_saturates_instead_of_wrapping() {
        let t = SimTime::from_secs(10) + Duration::MAX;
        assert_eq!(t.as_millis(), u64::MAX);
    }
}

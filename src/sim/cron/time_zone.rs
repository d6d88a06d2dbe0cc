//! `spec.timeZone`: the IANA zones a CronJob's schedule can be read in, with their UTC offsets
//! and daylight-saving rules (the rules in force today), so "0 9 * * *" in `Europe/Berlin`
//! runs at 08:00 UTC in winter and 07:00 UTC in summer.
// SIM: a real API server loads any zone of the tz database; the sandbox has no tz database
// offline and knows only the zones of this table (others are refused as unknown).

use crate::sim::time::civil_from_days;

/// When daylight saving time starts or ends: the `week`-th Sunday of `month` (0 = the last),
/// at `local_secs` past midnight on the wall clock in force just before the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Transition {
    month: u32,
    week: u32,
    local_secs: i64,
}

/// A zone: its standard offset east of UTC and, if it observes it, daylight saving time
/// (one hour ahead between `start` and `end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone {
    std_offset: i64,
    dst: Option<(Transition, Transition)>,
}

const HOUR: i64 = 3600;
const fn t(month: u32, week: u32, hour: i64) -> Transition {
    Transition { month, week, local_secs: hour * HOUR }
}
/// The European Union's rule: last Sunday of March to last Sunday of October, at 01:00 UTC.
const fn eu(std_hours: i64) -> Zone {
    Zone { std_offset: std_hours * HOUR, dst: Some((t(3, 0, 1 + std_hours), t(10, 0, 2 + std_hours))) }
}
/// The United States' rule: second Sunday of March to first Sunday of November, at 02:00 local.
const fn us(std_hours: i64) -> Zone {
    Zone { std_offset: std_hours * HOUR, dst: Some((t(3, 2, 2), t(11, 1, 2))) }
}
const fn fixed(offset_secs: i64) -> Zone {
    Zone { std_offset: offset_secs, dst: None }
}

/// The zones the sandbox knows, by IANA name.
const ZONES: &[(&str, Zone)] = &[
    ("UTC", fixed(0)),
    ("Etc/UTC", fixed(0)),
    ("GMT", fixed(0)),
    ("Etc/GMT", fixed(0)),
    ("Asia/Seoul", fixed(9 * HOUR)),
    ("Asia/Tokyo", fixed(9 * HOUR)),
    ("Asia/Shanghai", fixed(8 * HOUR)),
    ("Asia/Singapore", fixed(8 * HOUR)),
    ("Asia/Kolkata", fixed(5 * HOUR + 1800)),
    ("Europe/London", eu(0)),
    ("Europe/Dublin", eu(0)),
    ("Europe/Berlin", eu(1)),
    ("Europe/Paris", eu(1)),
    ("Europe/Amsterdam", eu(1)),
    ("Europe/Madrid", eu(1)),
    ("America/New_York", us(-5)),
    ("America/Chicago", us(-6)),
    ("America/Denver", us(-7)),
    ("America/Los_Angeles", us(-8)),
    ("America/Sao_Paulo", fixed(-3 * HOUR)),
    // First Sunday of October at 02:00 standard time to first Sunday of April at 03:00 daylight time.
    ("Australia/Sydney", Zone { std_offset: 10 * HOUR, dst: Some((t(10, 1, 2), t(4, 1, 3))) }),
];

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Zone {
    /// UTC.
    pub const UTC: Zone = fixed(0);

    /// The zone named `name`, or Go's `time.LoadLocation` error (`unknown time zone X`).
    pub fn lookup(name: &str) -> Result<Zone, String> {
        ZONES.iter().find(|(n, _)| *n == name).map(|(_, z)| *z).ok_or_else(|| format!("unknown time zone {name}"))
    }

    /// The Unix instant of a transition in `year`, given the offset in force before it.
    fn instant(tr: Transition, year: i64, offset_before: i64) -> i64 {
        let first = days_from_civil(year, tr.month, 1);
        // 1970-01-01 was a Thursday: weekday 0 = Sunday.
        let first_sunday = first + (7 - (first + 4).rem_euclid(7)) % 7;
        let day = if tr.week == 0 {
            let next_month =
                if tr.month == 12 { days_from_civil(year + 1, 1, 1) } else { days_from_civil(year, tr.month + 1, 1) };
            let last = next_month - 1;
            last - (last + 4).rem_euclid(7)
        } else {
            first_sunday + 7 * (tr.week as i64 - 1)
        };
        day * 86_400 + tr.local_secs - offset_before
    }

    /// Seconds east of UTC at the Unix instant `unix`.
    pub fn offset_at(&self, unix: i64) -> i64 {
        let Some((start, end)) = self.dst else { return self.std_offset };
        let (year, _, _) = civil_from_days(unix.div_euclid(86_400));
        let begins = Zone::instant(start, year, self.std_offset);
        let ends = Zone::instant(end, year, self.std_offset + HOUR);
        let summer = if begins < ends { unix >= begins && unix < ends } else { unix >= begins || unix < ends };
        self.std_offset + if summer { HOUR } else { 0 }
    }

    /// The Unix instants whose wall-clock time here is `local` (seconds since 1970 on the
    /// wall clock): none in a spring-forward gap, two in a fall-back hour, else one.
    pub fn instants_of_local(&self, local: i64) -> Vec<i64> {
        let mut out: Vec<i64> = [self.std_offset, self.std_offset + HOUR]
            .into_iter()
            .take(if self.dst.is_some() { 2 } else { 1 })
            .map(|off| local - off)
            .filter(|u| self.offset_at(*u) == local - u)
            .collect();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(y: i64, m: u32, d: u32, h: i64, mi: i64) -> i64 {
        days_from_civil(y, m, d) * 86_400 + h * HOUR + mi * 60
    }

    #[test]
    fn unknown_zones_are_refused_as_go_refuses_them() {
        assert_eq!(Zone::lookup("Mars/Olympus"), Err("unknown time zone Mars/Olympus".into()));
        assert!(Zone::lookup("Asia/Seoul").is_ok());
    }

    #[test]
    fn offsets_follow_each_zones_daylight_saving_rules() {
        let at = |name: &str, u: i64| Zone::lookup(name).unwrap().offset_at(u) / 60;
        // 2025: EU summer time 30 March 01:00 UTC to 26 October 01:00 UTC.
        assert_eq!(at("Europe/Berlin", unix(2025, 3, 30, 0, 59)), 60);
        assert_eq!(at("Europe/Berlin", unix(2025, 3, 30, 1, 0)), 120);
        assert_eq!(at("Europe/London", unix(2025, 10, 26, 0, 59)), 60);
        assert_eq!(at("Europe/London", unix(2025, 10, 26, 1, 0)), 0);
        // US: 9 March 02:00 EST (07:00 UTC) to 2 November 02:00 EDT (06:00 UTC).
        assert_eq!(at("America/New_York", unix(2025, 3, 9, 6, 59)), -300);
        assert_eq!(at("America/New_York", unix(2025, 3, 9, 7, 0)), -240);
        assert_eq!(at("America/Los_Angeles", unix(2025, 11, 2, 8, 59)), -420);
        assert_eq!(at("America/Los_Angeles", unix(2025, 11, 2, 9, 0)), -480);
        // Sydney: daylight time ends 6 April 03:00 AEDT (5 April 16:00 UTC), starts 5 October 02:00 AEST.
        assert_eq!(at("Australia/Sydney", unix(2025, 4, 5, 15, 59)), 660);
        assert_eq!(at("Australia/Sydney", unix(2025, 4, 5, 16, 0)), 600);
        assert_eq!(at("Australia/Sydney", unix(2025, 10, 4, 16, 0)), 660);
        assert_eq!(at("Asia/Seoul", unix(2025, 7, 1, 0, 0)), 540);
    }

    #[test]
    fn wall_clock_times_in_gaps_and_repeats() {
        let ny = Zone::lookup("America/New_York").unwrap();
        assert!(ny.instants_of_local(unix(2025, 3, 9, 2, 30)).is_empty(), "02:30 never happens on 9 March");
        assert_eq!(
            ny.instants_of_local(unix(2025, 11, 2, 1, 30)),
            [unix(2025, 11, 2, 5, 30), unix(2025, 11, 2, 6, 30)]
        );
        assert_eq!(ny.instants_of_local(unix(2025, 1, 1, 9, 0)), [unix(2025, 1, 1, 14, 0)]);
    }
}

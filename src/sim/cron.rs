//! Cron schedules (standard five fields, names of months and weekdays, `@hourly`-style
//! macros), read on a time zone's wall clock ([`time_zone`]). The API server validates a
//! CronJob's schedule with them and the CronJob controller runs it, so they belong to neither.

pub mod time_zone;

use crate::sim::time::{civil_from_days, SimTime, EPOCH_UNIX_SECS};
use time_zone::Zone;

/// A parsed schedule: the allowed values of each field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    minutes: Vec<bool>,
    hours: Vec<bool>,
    days: Vec<bool>,
    months: Vec<bool>,
    weekdays: Vec<bool>,
    /// Day-of-month and day-of-week both restricted: either may match (cron's rule).
    day_or: bool,
}

fn field(text: &str, min: u32, max: u32, names: &[&str]) -> Result<(Vec<bool>, bool), String> {
    let mut allowed = vec![false; (max + 1) as usize];
    let restricted = text != "*" && text != "?";
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().map_err(|_| format!("failed to parse int from {s}"))?),
            None => (part, 1),
        };
        if step == 0 {
            return Err(format!("step of range should be a positive number: {part}"));
        }
        let value = |v: &str| -> Result<u32, String> {
            if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(v)) {
                return Ok(i as u32 + min);
            }
            v.parse::<u32>().map_err(|_| format!("failed to parse int from {v}"))
        };
        let (lo, hi) = match range {
            "*" | "?" => (min, max),
            r => match r.split_once('-') {
                Some((a, b)) => (value(a)?, value(b)?),
                None if part.contains('/') => (value(r)?, max),
                None => {
                    let v = value(r)?;
                    (v, v)
                }
            },
        };
        // Sunday may be written 7.
        let (lo, hi) = if max == 6 && hi == 7 { (lo.min(6), 6) } else { (lo, hi) };
        if lo < min || hi > max || lo > hi {
            return Err(format!("end of range ({hi}) above maximum ({max}): {part}"));
        }
        for v in (lo..=hi).step_by(step as usize) {
            allowed[v as usize] = true;
        }
        if max == 6 && part.split('-').any(|p| p.trim_start_matches(|c: char| !c.is_ascii_digit()) == "7") {
            allowed[0] = true;
        }
    }
    Ok((allowed, restricted))
}

impl Schedule {
    /// Parses a cron schedule; errors read as upstream's validation messages.
    pub fn parse(text: &str) -> Result<Schedule, String> {
        let text = text.trim();
        let text = match text {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            t => t,
        };
        let parts: Vec<&str> = text.split_whitespace().collect();
        if parts.len() != 5 {
            return Err(format!("expected exactly 5 fields, found {}: {text}", parts.len()));
        }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
        let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
        let (minutes, _) = field(parts[0], 0, 59, &[])?;
        let (hours, _) = field(parts[1], 0, 23, &[])?;
        let (dom, dom_r) = field(parts[2], 1, 31, &[])?;
        let (months, _) = field(parts[3], 1, 12, &months)?;
        let (dow, dow_r) = field(parts[4], 0, 6, &days)?;
        Ok(Schedule { minutes, hours, days: dom, months, weekdays: dow, day_or: dom_r && dow_r })
    }

    fn day_matches(&self, d: u32, wd: u32) -> bool {
        let (a, b) = (self.days[d as usize], self.weekdays[wd as usize]);
        if self.day_or {
            a || b
        } else {
            a && b
        }
    }

    /// The first scheduled minute strictly after `after`, within four years, in UTC.
    pub fn next_after(&self, after: SimTime) -> Option<SimTime> {
        self.next_after_in(after, &Zone::UTC)
    }

    /// The first scheduled minute strictly after `after`, the schedule read on `zone`'s wall
    /// clock. A wall-clock minute skipped by a spring-forward change never comes; one repeated
    /// by a fall-back change runs once, at its first occurrence.
    pub fn next_after_in(&self, after: SimTime, zone: &Zone) -> Option<SimTime> {
        let epoch = EPOCH_UNIX_SECS as i64;
        let after_ms = epoch * 1000 + after.as_millis() as i64;
        let after_unix = after_ms.div_euclid(1000);
        // Wall-clock seconds since 1970, walked minute by minute (skipping whole days and hours).
        let mut local = (after_unix + zone.offset_at(after_unix)).div_euclid(60) * 60 + 60;
        let limit = local + 4 * 366 * 86_400;
        while local <= limit {
            let days = local.div_euclid(86_400);
            let secs = local.rem_euclid(86_400);
            let (_, mo, d) = civil_from_days(days);
            let wd = (days + 4).rem_euclid(7) as u32;
            let (h, mi) = ((secs / 3600) as usize, (secs % 3600 / 60) as usize);
            if !self.months[mo as usize] || !self.day_matches(d, wd) {
                local = (days + 1) * 86_400;
            } else if !self.hours[h] {
                local = (local.div_euclid(3600) + 1) * 3600;
            } else if !self.minutes[mi] {
                local += 60;
            } else {
                let found = zone.instants_of_local(local).into_iter().find(|u| u * 1000 > after_ms);
                if let Some(u) = found {
                    return Some(SimTime::from_millis((u * 1000 - epoch * 1000) as u64));
                }
                local += 60;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: u64) -> SimTime {
        SimTime::from_secs(s)
    }

    #[test]
    fn schedules_parse_and_find_the_next_minute() {
        let every5 = Schedule::parse("*/5 * * * *").unwrap();
        assert_eq!(every5.next_after(at(0)), Some(at(300)));
        assert_eq!(every5.next_after(at(300)), Some(at(600)));
        let hourly = Schedule::parse("@hourly").unwrap();
        assert_eq!(hourly.next_after(at(10)), Some(at(3600)));
        // 2025-01-01 is a Wednesday; the next Monday 09:30 is 2025-01-06.
        let monday = Schedule::parse("30 9 * * MON").unwrap();
        assert_eq!(monday.next_after(at(0)), Some(at(5 * 86_400 + 9 * 3600 + 1800)));
        let list = Schedule::parse("0,30 8-9 1 jan,feb *").unwrap();
        assert_eq!(list.next_after(at(0)), Some(at(8 * 3600)));
    }

    #[test]
    fn schedules_are_read_on_the_time_zones_wall_clock() {
        let nine = Schedule::parse("0 9 * * *").unwrap();
        let zone = |n: &str| Zone::lookup(n).unwrap();
        // 2025-01-01 09:00 in Seoul is 00:00 UTC (the epoch itself), so the next is a day later.
        assert_eq!(nine.next_after_in(at(0), &zone("Asia/Seoul")), Some(at(86_400)));
        assert_eq!(nine.next_after_in(at(0), &zone("Europe/Berlin")), Some(at(8 * 3600)), "CET is UTC+1");
        // 2025-07-01: Berlin on summer time (UTC+2), New York on EDT (UTC-4).
        let july = at(181 * 86_400);
        assert_eq!(nine.next_after_in(july, &zone("Europe/Berlin")), Some(at(181 * 86_400 + 7 * 3600)));
        assert_eq!(nine.next_after_in(july, &zone("America/New_York")), Some(at(181 * 86_400 + 13 * 3600)));
        assert_eq!(nine.next_after_in(july, &zone("Etc/UTC")), Some(at(181 * 86_400 + 9 * 3600)));
    }

    #[test]
    fn a_time_skipped_by_spring_forward_is_skipped_and_a_repeated_one_runs_once() {
        let day = |d: u64| at(d * 86_400);
        // 2025-03-09 (day 67) New York skips 02:00-03:00; 02:30 comes next on 10 March, 06:30 UTC (EDT).
        let half_two = Schedule::parse("30 2 * * *").unwrap();
        let ny = Zone::lookup("America/New_York").unwrap();
        assert_eq!(half_two.next_after_in(day(67), &ny), Some(at(68 * 86_400 + 6 * 3600 + 1800)));
        // 2025-11-02 (day 305) 01:30 happens twice; the job runs at the first (05:30 UTC), then the next day.
        let half_one = Schedule::parse("30 1 * * *").unwrap();
        let first = half_one.next_after_in(day(305), &ny).unwrap();
        assert_eq!(first, at(305 * 86_400 + 5 * 3600 + 1800));
        assert_eq!(half_one.next_after_in(first, &ny), Some(at(306 * 86_400 + 6 * 3600 + 1800)));
    }

    #[test]
    fn malformed_schedules_are_errors() {
        assert!(Schedule::parse("* * * *").is_err());
        assert!(Schedule::parse("61 * * * *").is_err());
        assert!(Schedule::parse("*/0 * * * *").is_err());
        assert!(Schedule::parse("x * * * *").is_err());
    }
}

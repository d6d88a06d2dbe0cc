//! Startup, liveness and readiness probes: their timing (initialDelaySeconds, periodSeconds,
//! success and failure thresholds), what each kind checks (exec, httpGet, tcpSocket, grpc), the
//! `Unhealthy` events, and what a verdict does to the container.

use std::time::Duration;

use serde_json::Value;

use super::runtime::{ProbeOutcome, Proc};
use crate::sim::time::SimTime;

/// Which probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Startup,
    Liveness,
    Readiness,
}

impl Kind {
    /// As the `Unhealthy` event names it.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Startup => "Startup",
            Kind::Liveness => "Liveness",
            Kind::Readiness => "Readiness",
        }
    }

    fn field(self) -> &'static str {
        match self {
            Kind::Startup => "startupProbe",
            Kind::Liveness => "livenessProbe",
            Kind::Readiness => "readinessProbe",
        }
    }
}

/// One probe's schedule and counters.
#[derive(Debug, Clone)]
pub struct Probe {
    pub kind: Kind,
    spec: Value,
    pub next_at: SimTime,
    period: Duration,
    success_threshold: u32,
    failure_threshold: u32,
    successes: u32,
    failures: u32,
    /// The verdict once a threshold is crossed (None: not yet decided).
    pub verdict: Option<bool>,
}

/// A verdict that changes something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The container became ready or unready.
    Ready(bool),
    /// Startup succeeded: liveness and readiness may start.
    Started,
    /// Liveness (or startup) failed: the kubelet restarts the container.
    Restart,
}

fn secs(v: &Value, default: u64) -> u64 {
    v.as_u64().unwrap_or(default)
}

/// The probes of a container spec, first run `initialDelaySeconds` after `started`.
pub fn for_container(spec: &Value, started: SimTime) -> Vec<Probe> {
    [Kind::Startup, Kind::Liveness, Kind::Readiness]
        .into_iter()
        .filter(|k| spec[k.field()].is_object())
        .map(|kind| {
            let p = spec[kind.field()].clone();
            let delay = Duration::from_secs(secs(&p["initialDelaySeconds"], 0));
            Probe {
                kind,
                period: Duration::from_secs(secs(&p["periodSeconds"], 10).max(1)),
                success_threshold: secs(&p["successThreshold"], 1).max(1) as u32,
                failure_threshold: secs(&p["failureThreshold"], 3).max(1) as u32,
                next_at: started + delay,
                spec: p,
                successes: 0,
                failures: 0,
                verdict: None,
            }
        })
        .collect()
}

/// The port a probe names: a number, or a container port's name.
fn resolve_port(port: &Value, container: &Value) -> Option<u16> {
    if let Some(n) = port.as_u64() {
        return u16::try_from(n).ok();
    }
    let name = port.as_str()?;
    if let Ok(n) = name.parse::<u16>() {
        return Some(n);
    }
    container["ports"].as_array()?.iter().find(|p| p["name"] == name)?["containerPort"]
        .as_u64()
        .and_then(|n| u16::try_from(n).ok())
}

/// Runs the probe's check against the process.
pub fn check(probe: &Probe, proc: &mut Proc, container: &Value, ip: &str, now: SimTime) -> ProbeOutcome {
    let s = &probe.spec;
    if s["exec"].is_object() {
        let argv: Vec<String> = s["exec"]["command"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        // SIM: an exec probe sees no network (its commands rarely need one).
        return proc.exec(&argv, now, &mut crate::sim::process::NoNetwork);
    }
    if s["httpGet"].is_object() {
        let Some(port) = resolve_port(&s["httpGet"]["port"], container) else {
            return ProbeOutcome::Failure("unknown port".into());
        };
        let path = s["httpGet"]["path"].as_str().unwrap_or("/");
        let host = s["httpGet"]["host"].as_str().unwrap_or(ip);
        let scheme = s["httpGet"]["scheme"].as_str().unwrap_or("HTTP").to_ascii_lowercase();
        return proc.http_get(&scheme, host, port, path, now);
    }
    if s["grpc"].is_object() {
        let Some(port) = resolve_port(&s["grpc"]["port"], container) else {
            return ProbeOutcome::Failure("unknown port".into());
        };
        return proc.grpc(ip, port);
    }
    if s["tcpSocket"].is_object() {
        let Some(port) = resolve_port(&s["tcpSocket"]["port"], container) else {
            return ProbeOutcome::Failure("unknown port".into());
        };
        return proc.tcp(ip, port);
    }
    ProbeOutcome::Success
}

impl Probe {
    /// Counts the probe as passed at `now` (its threshold of successes met); it next runs a
    /// period later.
    pub fn pass(&mut self, now: SimTime) {
        self.next_at = now + self.period;
        self.successes = self.success_threshold;
        self.failures = 0;
        self.verdict = Some(true);
    }

    /// Records one result; returns the change a crossed threshold makes.
    pub fn record(&mut self, ok: bool, now: SimTime) -> Option<Change> {
        self.next_at = now + self.period;
        if ok {
            self.successes += 1;
            self.failures = 0;
        } else {
            self.failures += 1;
            self.successes = 0;
        }
        let before = self.verdict;
        if ok && self.successes >= self.success_threshold {
            self.verdict = Some(true);
        } else if !ok && self.failures >= self.failure_threshold {
            self.verdict = Some(false);
        }
        if self.verdict == before {
            return None;
        }
        match (self.kind, self.verdict) {
            (Kind::Readiness, Some(r)) => Some(Change::Ready(r)),
            (Kind::Startup, Some(true)) => Some(Change::Started),
            (Kind::Startup | Kind::Liveness, Some(false)) => {
                // A restarted container starts counting afresh.
                self.failures = 0;
                self.verdict = None;
                Some(Change::Restart)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn readiness_needs_failure_threshold_failures_to_turn_unready() {
        let spec = json!({"readinessProbe": {"httpGet": {"port": 80}, "periodSeconds": 5, "failureThreshold": 3}});
        let mut p = for_container(&spec, SimTime::ZERO).remove(0);
        assert_eq!(p.record(true, SimTime::ZERO), Some(Change::Ready(true)));
        assert_eq!(p.next_at, SimTime::from_secs(5));
        assert_eq!(p.record(false, SimTime::from_secs(5)), None);
        assert_eq!(p.record(false, SimTime::from_secs(10)), None);
        assert_eq!(p.record(false, SimTime::from_secs(15)), Some(Change::Ready(false)));
    }

    #[test]
    fn liveness_failure_asks_for_a_restart_and_starts_counting_again() {
        let spec = json!({"livenessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}, "failureThreshold": 1,
                                            "initialDelaySeconds": 5}});
        let mut p = for_container(&spec, SimTime::ZERO).remove(0);
        assert_eq!(p.next_at, SimTime::from_secs(5));
        assert_eq!(p.record(false, SimTime::from_secs(5)), Some(Change::Restart));
        assert_eq!(p.verdict, None);
    }

    #[test]
    fn named_ports_resolve_through_the_container_ports() {
        let c = json!({"ports": [{"name": "http", "containerPort": 8080}]});
        assert_eq!(resolve_port(&json!("http"), &c), Some(8080));
        assert_eq!(resolve_port(&json!(9090), &c), Some(9090));
        assert_eq!(resolve_port(&json!("nope"), &c), None);
    }
}

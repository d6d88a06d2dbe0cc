//! `kubectl wait --for=condition=Ready|delete|jsonpath=… TYPE/NAME… [--timeout=30s]`: simulated
//! time passes until every object meets the condition, or the timeout runs out.

use std::time::Duration;

use serde_json::Value;

use super::apply::reference;
use super::create::Mode;
use super::flags::{self, boolean, value, Spec};
use super::targets::{resolve, Query};
use crate::shell::Output;
use crate::sim::api::{discovery, Object};
use crate::sim::Sim;

const SPECS: &[Spec] = &[value("for"), value("timeout"), value("selector").short('l'), boolean("all")];

/// The longest one `kubectl wait` may wait: a day of simulated time.
const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);
const STEP: Duration = Duration::from_millis(500);

/// What `--for` asks.
enum Condition {
    Delete,
    /// A status condition of this type with this status (`True` unless given).
    Status(String, String),
    /// A field (dotted path) equal to a value.
    Field(String, String),
}

fn parse_for(text: &str) -> Result<Condition, String> {
    if text == "delete" {
        return Ok(Condition::Delete);
    }
    if let Some(c) = text.strip_prefix("condition=") {
        let (ty, status) = c.split_once('=').unwrap_or((c, "true"));
        return Ok(Condition::Status(ty.to_string(), status.to_string()));
    }
    if let Some(j) = text.strip_prefix("jsonpath=") {
        let (path, want) = j.rsplit_once('=').ok_or_else(|| {
            format!("error: jsonpath wait format must be --for=jsonpath='{{.status.readyReplicas}}'=3: {text}\n")
        })?;
        let path = path.trim_matches('\'').trim_start_matches('{').trim_end_matches('}').trim_start_matches('.');
        return Ok(Condition::Field(path.to_string(), want.to_string()));
    }
    Err(format!("error: unrecognized condition: \"{text}\"\n"))
}

fn met(obj: &Object, cond: &Condition) -> bool {
    match cond {
        Condition::Delete => false,
        Condition::Status(ty, status) => {
            obj.field("status.conditions").and_then(Value::as_array).into_iter().flatten().any(|c| {
                c["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case(ty))
                    && c["status"].as_str().is_some_and(|s| s.eq_ignore_ascii_case(status))
            })
        }
        Condition::Field(path, want) => {
            let v = obj.to_value();
            let mut cur = &v;
            for p in path.split('.') {
                cur = match (cur, p.parse::<usize>()) {
                    (Value::Array(a), Ok(i)) => a.get(i).unwrap_or(&Value::Null),
                    _ => cur.get(p).unwrap_or(&Value::Null),
                };
            }
            match cur {
                Value::String(s) => s == want,
                Value::Null => false,
                other => serde_json::from_str::<Value>(want).is_ok_and(|w| &w == other),
            }
        }
    }
}

/// `pods/web`: how kubectl names an object in wait's timeout error (resource, no group).
fn object_name(obj: &Object) -> String {
    let plural =
        discovery::preferred_for_kind(&obj.kind).map_or(obj.kind.to_ascii_lowercase(), |r| r.plural.to_string());
    format!("{plural}/{}", obj.name())
}

/// Runs `kubectl wait …`.
pub fn run(sim: &mut Sim, args: &[String], default_ns: &str) -> Output {
    let result = (|| -> Result<Output, String> {
        let flags = flags::parse(args, SPECS, "kubectl wait")?;
        let mode = Mode::from_flags(&flags, default_ns)?;
        let Some(for_text) = flags.get("for") else {
            return Err("error: --for must be specified\n".into());
        };
        let cond = parse_for(for_text)?;
        let timeout = match flags.get("timeout") {
            None => Duration::from_secs(30),
            Some(t) => match super::duration::parse_flag("timeout", t) {
                // A negative timeout waits a week in kubectl; here the longest we wait.
                Ok(d) if d.is_negative() => MAX_TIMEOUT,
                Ok(d) => d.to_std().min(MAX_TIMEOUT),
                Err(e) => return Err(format!("error: {e}\n")),
            },
        };
        let q = Query { words: &flags.args, selector: flags.get("selector"), all: flags.on("all") };
        let objects = match resolve(sim, &q, &mode.namespace) {
            // Waiting for a deletion that already happened succeeds at once.
            Err(e) if matches!(cond, Condition::Delete) && e.contains("(NotFound)") => return Ok(Output::default()),
            Err(e) if e.starts_with("No resources found") => {
                return Err("error: no matching resources found\n".into());
            }
            other => other?,
        };
        let mut out = Output::default();
        let mut waited = Duration::ZERO;
        for obj in objects {
            let (kind, ns, uid) = (obj.kind.clone(), obj.namespace().map(str::to_string), obj.uid().to_string());
            loop {
                let current = sim.store().get(&kind, ns.as_deref(), obj.name()).filter(|o| o.uid() == uid);
                let done = match (&cond, current) {
                    (Condition::Delete, None) => true,
                    (_, None) => {
                        out.stderr.push_str(&format!("error: {} was deleted while waiting\n", object_name(&obj)));
                        out.status = 1;
                        return Ok(out);
                    }
                    (c, Some(o)) => met(o, c),
                };
                if done {
                    out.stdout.push_str(&format!("{} condition met\n", reference(&obj)));
                    break;
                }
                if waited >= timeout {
                    out.stderr
                        .push_str(&format!("error: timed out waiting for the condition on {}\n", object_name(&obj)));
                    out.status = 1;
                    return Ok(out);
                }
                sim.advance(STEP);
                waited += STEP;
            }
        }
        Ok(out)
    })();
    result.unwrap_or_else(|e| Output::err(e, 1))
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn a_timeout_beyond_go_s_range_is_refused_with_its_overflow_error() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl run web --image=nginx");
        let out =
            Shell.run_line(&mut sim, "kubectl wait --for=condition=Ready pod/web --timeout=99999999999999999999s");
        assert_eq!(
            out.stderr,
            "error: invalid argument \"99999999999999999999s\" for \"--timeout\" flag: time: invalid duration \"99999999999999999999s\"\n"
        );
        let out = Shell.run_line(&mut sim, "kubectl wait --for=condition=Ready pod/web --timeout=2562047h");
        assert_eq!(out.stdout, "pod/web condition met\n", "{}", out.stderr);
    }

    #[test]
    fn wait_advances_time_until_the_pod_is_ready() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl run web --image=nginx");
        let out = Shell.run_line(&mut sim, "kubectl wait --for=condition=Ready pod/web --timeout=60s");
        assert_eq!(out.stdout, "pod/web condition met\n", "{}", out.stderr);
        assert!(sim.now().as_millis() > 0 && sim.now().as_millis() < 60_000);
    }

    #[test]
    fn wait_times_out_with_kubectls_error() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl run bad --image=nginx:no-such-tag");
        let out = Shell.run_line(&mut sim, "kubectl wait --for=condition=Ready pod/bad --timeout=20s");
        assert_eq!(out.stderr, "error: timed out waiting for the condition on pods/bad\n");
        assert_eq!(out.status, 1);
        assert_eq!(sim.now().as_millis(), 20_000);
        let out = Shell.run_line(&mut sim, "kubectl wait --for=delete pod/bad --timeout=1s");
        assert_eq!(out.stderr, "error: timed out waiting for the condition on pods/bad\n");
        Shell.run_line(&mut sim, "kubectl delete pod bad --wait=false");
        let out = Shell.run_line(&mut sim, "kubectl wait --for=delete pod/bad --timeout=60s");
        assert_eq!(out.stdout, "pod/bad condition met\n");
    }
}

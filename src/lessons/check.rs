//! A lesson step's checks: conditions on the simulated cluster (and the terminal's log), one
//! per line, all of which must hold. Never a match on what the learner typed, except `ran`,
//! which asks that a command was used at all.
//!
//! ```text
//! exists deployment/web [-n NS]          the object exists (and is not being deleted)
//! absent pod/web [-n NS]                 it does not
//! count pods [app=web] >= 3 [-n NS]      how many objects of a kind (matching a selector)
//! ready [app=web] == 3 [-n NS]           how many pods are Ready
//! field deployment/web {.spec.replicas} == 5 [-n NS]   a JSONPath value, compared
//! rollout deployment/web [-n NS]         the rollout has completed
//! event BackOff [pod/web-]               an event with this reason since the step began
//! ran kubectl scale                      a command with these words was run since the step began
//! node node-1 NotReady                   a node's status includes Ready/NotReady/SchedulingDisabled
//! docker running nginx                   a container of this image runs on the docker host
//! docker count >= 2                      containers running on the docker host
//! ```
//! Comparisons: `==`, `!=`, `>=`, `<=`, `>`, `<` (numbers), and `contains` (text).

use crate::shell::kubectl::get::jsonpath::Template;
use crate::shell::kubectl::targets::{self, Query};
use crate::shell::words;
use crate::sim::api::{discovery, Object};
use crate::sim::time::SimTime;
use crate::sim::Sim;

/// How a value is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Ge,
    Le,
    Gt,
    Lt,
    Contains,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "==" | "=" => Op::Eq,
            "!=" => Op::Ne,
            ">=" => Op::Ge,
            "<=" => Op::Le,
            ">" => Op::Gt,
            "<" => Op::Lt,
            "contains" => Op::Contains,
            _ => return None,
        })
    }

    /// `actual OP expected`: as numbers when both are numbers, else as text.
    fn holds(self, actual: &str, expected: &str) -> bool {
        if let (Ok(a), Ok(b)) = (actual.trim().parse::<f64>(), expected.trim().parse::<f64>()) {
            return match self {
                Op::Eq => a == b,
                Op::Ne => a != b,
                Op::Ge => a >= b,
                Op::Le => a <= b,
                Op::Gt => a > b,
                Op::Lt => a < b,
                Op::Contains => actual.contains(expected),
            };
        }
        match self {
            Op::Eq => actual == expected,
            Op::Ne => actual != expected,
            Op::Contains => actual.contains(expected),
            _ => false,
        }
    }
}

/// One condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Exists { target: String, namespace: Option<String>, present: bool },
    Count { kind: String, selector: Option<String>, op: Op, n: String, namespace: Option<String>, ready: bool },
    Field { target: String, path: String, op: Op, value: String, namespace: Option<String> },
    Rollout { target: String, namespace: Option<String> },
    Event { reason: String, about: Option<String> },
    Ran { words: Vec<String> },
    Node { name: String, state: String },
    DockerRunning { image: String },
    DockerCount { op: Op, n: String },
}

/// What a check looks at.
pub struct Context<'a> {
    pub sim: &'a Sim,
    /// When the step began: events and commands before it do not count.
    pub since: SimTime,
    /// Lines run in the terminal since the step began.
    pub ran: &'a [String],
    /// The images of the containers running on the terminal's docker host.
    pub docker_running: &'a [String],
}

impl Check {
    /// Reads one line of a `check` block.
    pub fn parse(line: &str) -> Result<Check, String> {
        let mut w = words::split(line).map_err(|e| e.to_string())?;
        let namespace = match w.iter().position(|x| x == "-n" || x == "--namespace") {
            Some(i) if i + 1 < w.len() => {
                let ns = w.remove(i + 1);
                w.remove(i);
                Some(ns)
            }
            Some(_) => return Err("-n needs a namespace".into()),
            None => None,
        };
        let op_at = |w: &[String], i: usize| Op::parse(w.get(i).map_or("", String::as_str));
        let bad = || format!("cannot read the check `{line}`");
        let (head, rest) = w.split_first().ok_or_else(bad)?;
        let check = match (head.as_str(), rest) {
            ("exists" | "absent", [target]) if target.contains('/') => {
                Check::Exists { target: target.clone(), namespace, present: head == "exists" }
            }
            ("count", [kind, _, n]) => Check::Count {
                kind: kind.clone(),
                selector: None,
                op: op_at(rest, 1).ok_or_else(bad)?,
                n: n.clone(),
                namespace,
                ready: false,
            },
            ("count", [kind, sel, _, n]) => Check::Count {
                kind: kind.clone(),
                selector: Some(sel.clone()),
                op: op_at(rest, 2).ok_or_else(bad)?,
                n: n.clone(),
                namespace,
                ready: false,
            },
            ("ready", [_, n]) => Check::Count {
                kind: "pods".into(),
                selector: None,
                op: op_at(rest, 0).ok_or_else(bad)?,
                n: n.clone(),
                namespace,
                ready: true,
            },
            ("ready", [sel, _, n]) => Check::Count {
                kind: "pods".into(),
                selector: Some(sel.clone()),
                op: op_at(rest, 1).ok_or_else(bad)?,
                n: n.clone(),
                namespace,
                ready: true,
            },
            ("field", [target, path, _, value @ ..]) if target.contains('/') && !value.is_empty() => {
                Template::parse(path).map_err(|e| format!("{e} in `{line}`"))?;
                Check::Field {
                    target: target.clone(),
                    path: path.clone(),
                    op: op_at(rest, 2).ok_or_else(bad)?,
                    value: value.join(" "),
                    namespace,
                }
            }
            ("rollout", [target]) if target.contains('/') => Check::Rollout { target: target.clone(), namespace },
            ("event", [reason]) => Check::Event { reason: reason.clone(), about: None },
            ("event", [reason, about]) => Check::Event { reason: reason.clone(), about: Some(about.clone()) },
            ("ran", words) if !words.is_empty() => Check::Ran { words: words.to_vec() },
            ("node", [name, state]) if matches!(state.as_str(), "Ready" | "NotReady" | "SchedulingDisabled") => {
                Check::Node { name: name.clone(), state: state.clone() }
            }
            ("docker", [what, image]) if what == "running" => Check::DockerRunning { image: image.clone() },
            ("docker", [what, _, n]) if what == "count" => {
                Check::DockerCount { op: op_at(rest, 1).ok_or_else(bad)?, n: n.clone() }
            }
            _ => return Err(bad()),
        };
        Ok(check)
    }

    /// Whether the condition holds now.
    pub fn holds(&self, cx: &Context) -> bool {
        let ns = |n: &Option<String>| n.clone().unwrap_or_else(|| "default".to_string());
        match self {
            Check::Exists { target, namespace, present } => {
                let found =
                    find(cx.sim, target, &ns(namespace)).is_some_and(|o| o.metadata.deletion_timestamp.is_none());
                found == *present
            }
            Check::Count { kind, selector, op, n, namespace, ready } => {
                let Some(r) = discovery::lookup_name(kind) else { return false };
                let ns = ns(namespace);
                let count = cx
                    .sim
                    .store()
                    .list(r.kind, r.namespaced.then_some(ns.as_str()))
                    .filter(|o| o.metadata.deletion_timestamp.is_none())
                    .filter(|o| {
                        let labels = o.metadata.labels.clone().unwrap_or_default();
                        selector.as_deref().is_none_or(|s| targets::selector_matches(s, &labels).unwrap_or(false))
                    })
                    .filter(|o| !*ready || is_ready(o))
                    .count();
                op.holds(&count.to_string(), n)
            }
            Check::Field { target, path, op, value, namespace } => {
                let Some(obj) = find(cx.sim, target, &ns(namespace)) else { return false };
                let Ok(t) = Template::parse(path) else { return false };
                op.holds(&t.execute(&obj.to_value()), value)
            }
            Check::Rollout { target, namespace } => {
                find(cx.sim, target, &ns(namespace)).is_some_and(|o| rolled_out(&o))
            }
            Check::Event { reason, about } => cx.sim.store().list("Event", None).any(|e| {
                let at =
                    e.field("lastTimestamp").or_else(|| e.field("eventTime")).and_then(|v| v.as_str()).unwrap_or("");
                // RFC 3339 times in UTC with the same precision sort as text.
                let recent = at >= cx.since.to_rfc3339().as_str();
                e.field("reason").and_then(|v| v.as_str()) == Some(reason.as_str())
                    && recent
                    && about.as_ref().is_none_or(|a| involves(e, a))
            }),
            Check::Ran { words } => {
                let wanted = words.join(" ");
                cx.ran.iter().any(|line| line.split_whitespace().collect::<Vec<_>>().join(" ").contains(&wanted))
            }
            Check::Node { name, state } => cx.sim.store().get("Node", None, name).is_some_and(|n| {
                let ready = crate::sim::api::conditions::is_ready(n);
                match state.as_str() {
                    "Ready" => ready,
                    "NotReady" => !ready,
                    _ => n.field("spec.unschedulable").and_then(|v| v.as_bool()) == Some(true),
                }
            }),
            Check::DockerRunning { image } => cx.docker_running.iter().any(|i| same_image(i, image)),
            Check::DockerCount { op, n } => op.holds(&cx.docker_running.len().to_string(), n),
        }
    }
}

/// `nginx` names `nginx:latest` and `docker.io/library/nginx`; a tag must match if given.
fn same_image(running: &str, wanted: &str) -> bool {
    let short = |s: &str| {
        let s = s.trim_start_matches("docker.io/").trim_start_matches("library/");
        if s.rsplit('/').next().is_some_and(|last| last.contains(':')) {
            s.to_string()
        } else {
            format!("{s}:latest")
        }
    };
    short(running) == short(wanted) || (!wanted.contains(':') && short(running).starts_with(&format!("{wanted}:")))
}

/// The object `KIND/NAME` names.
fn find(sim: &Sim, target: &str, namespace: &str) -> Option<Object> {
    let words = [target.to_string()];
    targets::resolve(sim, &Query { words: &words, ..Query::default() }, namespace).ok()?.into_iter().next()
}

fn is_ready(pod: &Object) -> bool {
    crate::sim::api::conditions::is_ready(pod)
}

/// As `kubectl rollout status` decides it.
fn rolled_out(o: &Object) -> bool {
    crate::sim::api::conditions::rollout_complete(o)
}

/// Whether an event is about `KIND[/NAME-PREFIX]`.
fn involves(event: &Object, about: &str) -> bool {
    let (kind, name) = about.split_once('/').unwrap_or((about, ""));
    let kind_ok = event
        .field("involvedObject.kind")
        .and_then(|v| v.as_str())
        .is_some_and(|k| k.eq_ignore_ascii_case(kind) || format!("{}s", k.to_lowercase()) == kind.to_lowercase());
    let name_ok = event.field("involvedObject.name").and_then(|v| v.as_str()).is_some_and(|n| n.starts_with(name));
    kind_ok && name_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::terminal::Terminal;
    use crate::sim::SimConfig;

    fn holds(sim: &Sim, line: &str) -> bool {
        let cx = Context { sim, since: SimTime::ZERO, ran: &[], docker_running: &[] };
        Check::parse(line).unwrap().holds(&cx)
    }

    #[test]
    fn counts_include_zero_and_follow_selectors() {
        let mut sim = Sim::new(SimConfig::default());
        assert!(holds(&sim, "count pods app=web == 0"));
        assert!(holds(&sim, "count configmaps == 1"), "kube-root-ca.crt");
        Terminal::default().run_line(&mut sim, "kubectl create configmap a; kubectl label cm a app=web");
        assert!(holds(&sim, "count configmaps app=web == 1"));
        assert!(holds(&sim, "count pods app=web == 0"));
        assert!(!holds(&sim, "count configmaps app=web != 1"));
        assert!(holds(&sim, "field configmap/a {.metadata.labels.app} == web"));
        assert!(holds(&sim, "exists cm/a") && holds(&sim, "absent cm/b"));
    }

    #[test]
    fn unreadable_checks_are_errors() {
        for bad in ["count pods", "field deployment/web", "node node-1 Happy", "exists web", "bogus"] {
            assert!(Check::parse(bad).is_err(), "{bad}");
        }
    }
}

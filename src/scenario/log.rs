//! The event log: every Event the cluster records, in order, one line each. The native runner
//! prints it (`kube-sandbox replay`), and the page can keep the same log as it goes.
//!
//! A line is five fields separated by tabs:
//!
//! ```text
//! TIME      TYPE     REASON     OBJECT            MESSAGE
//! 00:00:12  Normal   Scheduled  default/pod/web   Successfully assigned default/web to node-2
//! ```
//!
//! TIME is the Event's `lastTimestamp` as time since the cluster started (`HH:MM:SS`, with days
//! as `1d HH:MM:SS`); OBJECT is `namespace/kind/name`, or `kind/name` for cluster-scoped
//! objects, the kind in lower case. An Event seen again (its `count` grows) gets another line.
//! Tabs, newlines and backslashes in a message are written `\t`, `\n`, `\\`, so one event is
//! always one line. The page's reset button ([`super::Step::Reset`]) starts the log over.

use crate::sim::api::Object;
use crate::sim::store::WatchEventType;
use crate::sim::time::parse_time;
use crate::sim::time::SimTime;
use crate::sim::Sim;

/// The log kept so far, and where it stands in the cluster's watch log.
#[derive(Debug, Clone, Default)]
pub struct EventLog {
    pub lines: Vec<String>,
    /// Changes the cluster dropped before they were read (none unless one step made tens of
    /// thousands of changes).
    pub missed: u64,
    cursor: u64,
    /// The [`Sim::instance`] read last.
    instance: Option<u64>,
}

/// Two logs are equal when they hold the same lines (whichever clusters they were read from).
impl PartialEq for EventLog {
    fn eq(&self, other: &Self) -> bool {
        self.lines == other.lines && self.missed == other.missed
    }
}

impl EventLog {
    /// Reads the Events recorded since the last call. Call it after every step; a cluster that
    /// was rebuilt since (reset, a lesson opened) is read from its start.
    pub fn collect(&mut self, sim: &Sim) {
        let store = sim.store();
        if self.instance != Some(sim.instance()) {
            self.cursor = 0;
            self.instance = Some(sim.instance());
        }
        let (events, next) = store.events_since(self.cursor);
        let first = next - events.len() as u64;
        self.missed += first.saturating_sub(self.cursor);
        for e in events {
            if e.object.kind == "Event" && matches!(e.event_type, WatchEventType::Added | WatchEventType::Modified) {
                self.lines.push(line(&e.object));
            }
        }
        self.cursor = next;
    }

    /// The whole log, one line per event, each ending in a newline.
    pub fn text(&self) -> String {
        self.lines.iter().map(|l| format!("{l}\n")).collect()
    }
}

/// One Event as a log line (see the module's documentation).
pub fn line(event: &Object) -> String {
    let text = |k: &str| event.body.get(k).and_then(|v| v.as_str()).unwrap_or("");
    let at = parse_time(text("lastTimestamp")).unwrap_or(SimTime::ZERO).elapsed_clock();
    let inv = event.body.get("involvedObject").cloned().unwrap_or_default();
    let field = |k: &str| inv.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    let kind = field("kind").to_ascii_lowercase();
    let object = match field("namespace") {
        ns if ns.is_empty() => format!("{kind}/{}", field("name")),
        ns => format!("{ns}/{kind}/{}", field("name")),
    };
    let fields = [at, text("type").to_string(), text("reason").to_string(), object, text("message").to_string()];
    fields.iter().map(|f| escape(f)).collect::<Vec<_>>().join("\t")
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn a_new_cluster_logs_its_nodes_and_a_reset_starts_over() {
        let mut sim = Sim::new(SimConfig::default());
        let mut log = EventLog::default();
        log.collect(&sim);
        assert!(log
            .lines
            .contains(&"00:00:00\tNormal\tNodeReady\tnode/node-1\tNode node-1 status is now: NodeReady".to_string()));
        let n = log.lines.len();
        sim.advance(std::time::Duration::from_secs(30));
        sim.reset();
        log.collect(&sim);
        assert_eq!(log.lines.len(), 2 * n, "the rebuilt cluster's events are read from its start");
        assert_eq!(log.missed, 0);
        assert_eq!(escape("a\tb\nc\\"), "a\\tb\\nc\\\\");
    }
}

//! What the inspector shows of the selected object, kept between renders: kubectl's describe
//! and YAML, the scheduler's latest decision about a pod, its owners and what it owns. The
//! reducer refreshes it after each action; it asks the sim again only when its key changed:
//!
//! - the YAML is the object alone: keyed by the selection, the object's resourceVersion and the
//!   language;
//! - describe also reads other objects (a pod's Events, the pods on a node, a Service's
//!   Endpoints), so it is keyed by the selection, the store's resourceVersion (which moves on any
//!   write, and not on a tick that changed nothing) and the language.
//!
//! Views read the result; none of them runs kubectl while drawing.

use std::rc::Rc;

use super::decision_table::Decision;
use super::inspector::{related, render_text};
use crate::lessons::Lang;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// The inspector's texts for one object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Inspected {
    pub describe: Rc<str>,
    pub yaml: Rc<str>,
    pub decision: Option<Decision>,
    pub owners: Vec<ObjectKey>,
    pub children: Vec<ObjectKey>,
}

/// What a text was computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    selected: ObjectKey,
    version: String,
    lang: Lang,
}

/// The cache. Cloning it shares the texts (they are `Rc`s).
#[derive(Debug, Clone, Default)]
pub struct InspectorCache {
    describe_key: Option<Key>,
    yaml_key: Option<Key>,
    pub shown: Rc<Inspected>,
    /// How many times describe and YAML were asked of the sim (for tests of the cache).
    pub runs: u64,
}

impl InspectorCache {
    /// Brings the texts up to date with `selected` in `sim`, running kubectl only for what
    /// changed. Nothing selected, nothing shown.
    pub fn refresh(&mut self, sim: &mut Sim, selected: Option<&ObjectKey>, lang: Lang) {
        let Some(key) = selected else {
            if self.describe_key.is_some() || self.yaml_key.is_some() {
                *self = InspectorCache { runs: self.runs, ..InspectorCache::default() };
            }
            return;
        };
        let object_version = sim
            .store()
            .get_key(key)
            .map_or_else(String::new, |o| o.metadata.resource_version.clone().unwrap_or_default());
        let describe_key = Key { selected: key.clone(), version: sim.store().resource_version().to_string(), lang };
        let yaml_key = Key { selected: key.clone(), version: object_version, lang };
        let (describe_stale, yaml_stale) =
            (self.describe_key.as_ref() != Some(&describe_key), self.yaml_key.as_ref() != Some(&yaml_key));
        if !describe_stale && !yaml_stale {
            return;
        }
        let mut next = (*self.shown).clone();
        if describe_stale {
            next.describe = render_text(sim, key, "describe").into();
            next.decision = (key.kind == "Pod").then(|| Decision::latest(sim, key)).flatten();
            (next.owners, next.children) = related(sim, key);
            self.describe_key = Some(describe_key);
            self.runs += 1;
        }
        if yaml_stale {
            next.yaml = render_text(sim, key, "yaml").into();
            self.yaml_key = Some(yaml_key);
            self.runs += 1;
        }
        self.shown = Rc::new(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn kubectl_runs_again_only_when_the_selection_the_object_or_the_language_changed() {
        let mut sim = Sim::new(SimConfig::default());
        let node = ObjectKey { kind: "Node".into(), namespace: String::new(), name: "node-1".into() };
        let mut cache = InspectorCache::default();
        cache.refresh(&mut sim, Some(&node), Lang::En);
        assert_eq!(cache.runs, 2, "describe and YAML");
        assert!(cache.shown.describe.contains("Name:") && cache.shown.describe.contains("node-1"));
        assert!(cache.shown.yaml.contains("kind: Node"));
        let shown = cache.shown.clone();
        cache.refresh(&mut sim, Some(&node), Lang::En);
        assert_eq!(cache.runs, 2, "nothing changed: nothing asked");
        assert!(Rc::ptr_eq(&shown, &cache.shown), "the same texts, not copies");
        cache.refresh(&mut sim, Some(&node), Lang::Ko);
        assert_eq!(cache.runs, 4, "another language asks again");
        let cp = ObjectKey { name: "control-plane".into(), ..node.clone() };
        cache.refresh(&mut sim, Some(&cp), Lang::Ko);
        assert_eq!(cache.runs, 6);
        assert!(cache.shown.describe.contains("control-plane"));
        cache.refresh(&mut sim, None, Lang::Ko);
        assert!(cache.shown.describe.is_empty() && cache.shown.yaml.is_empty());
    }
}

//! The API server's storage: objects by kind, namespace and name, with resourceVersions and a
//! log of watch events.
//!
//! Like etcd behind the API server, one counter orders every change: each write takes the next
//! `resourceVersion`, and each emits exactly one [`WatchEvent`]. Readers follow the log with a
//! cursor (`events_since`), as a watch resumes from a resourceVersion.

use std::collections::BTreeMap;
use std::rc::Rc;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::api::{discovery, Object};
use super::time::SimTime;

mod state_digest;

/// Where an object lives: kind, namespace (`""` for cluster-scoped kinds) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    /// The key of `obj`.
    pub fn of(obj: &Object) -> ObjectKey {
        ObjectKey {
            kind: obj.kind.clone(),
            namespace: obj.namespace().unwrap_or("").to_string(),
            name: obj.name().to_string(),
        }
    }
}

/// The type of a watch event, as the watch API names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchEventType {
    Added,
    Modified,
    Deleted,
}

/// One change to one object.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchEvent {
    pub event_type: WatchEventType,
    /// The object after the change (for `Deleted`, its last state): shared with the store's
    /// copy, since a change is read by every component and kept in the log.
    pub object: Rc<Object>,
}

/// Why the store refused a request. Messages are the API server's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("{resource} \"{name}\" already exists")]
    AlreadyExists { resource: String, name: String },
    #[error("{resource} \"{name}\" not found")]
    NotFound { resource: String, name: String },
    #[error("Operation cannot be fulfilled on {resource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again")]
    Conflict { resource: String, name: String },
    #[error("namespaces \"{0}\" not found")]
    NamespaceNotFound(String),
    #[error("{resource} \"{name}\" is invalid: metadata.name: Required value: name or generateName is required")]
    NameRequired { resource: String, name: String },
}

impl StoreError {
    /// The `reason` of the API status, as kubectl shows it: `Error from server (NotFound): …`.
    pub fn reason(&self) -> &'static str {
        match self {
            StoreError::AlreadyExists { .. } => "AlreadyExists",
            StoreError::NotFound { .. } | StoreError::NamespaceNotFound(_) => "NotFound",
            StoreError::Conflict { .. } => "Conflict",
            StoreError::NameRequired { .. } => "Invalid",
        }
    }
}

/// Keeps at most this many watch events; older ones are dropped (a watch that falls this far
/// behind must re-list, as with etcd compaction).
const WATCH_LOG_CAPACITY: usize = 20_000;

/// All objects of the cluster and the log of their changes.
#[derive(Debug, Default)]
pub struct Store {
    /// Each object shared with the log's events about it (a write copies nothing).
    objects: BTreeMap<ObjectKey, Rc<Object>>,
    resource_version: u64,
    log: Vec<WatchEvent>,
    /// Number of events dropped from the front of `log`.
    log_offset: u64,
    /// Pods by `spec.nodeName`, as the API server's watch cache indexes them for kubelets.
    pods_by_node: BTreeMap<String, std::collections::BTreeSet<ObjectKey>>,
    /// Up to where the sim's components have read the log.
    consumed: u64,
    /// Number of stored objects per kind.
    counts: BTreeMap<String, usize>,
    /// uid → key of every stored object.
    by_uid: BTreeMap<String, ObjectKey>,
    /// Owner uid → keys of its dependents, for the garbage collector.
    dependents: BTreeMap<String, std::collections::BTreeSet<ObjectKey>>,
    /// Keys of the pods with an ingress-nginx controller container (running or not), so that
    /// the ingress controller finds its pods without scanning every pod on every event.
    ingress_controller_pods: std::collections::BTreeSet<ObjectKey>,
    /// The digests [`Store::state_digest`] has taken, so that the next costs only what changed.
    digests: std::cell::RefCell<state_digest::DigestCache>,
}

impl Store {
    /// An empty store.
    pub fn new() -> Store {
        Store::default()
    }

    /// The latest resourceVersion handed out.
    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    /// Creates `obj`, setting uid, resourceVersion, creationTimestamp and generation.
    pub fn create(
        &mut self,
        mut obj: Object,
        now: SimTime,
        uid: String,
        namespaced: bool,
    ) -> Result<Object, StoreError> {
        let resource = plural_of(&obj.kind);
        if obj.name().is_empty() {
            return Err(StoreError::NameRequired { resource, name: String::new() });
        }
        if namespaced {
            let ns = obj.namespace().unwrap_or("default").to_string();
            if !self.objects.contains_key(&namespace_key(&ns)) {
                return Err(StoreError::NamespaceNotFound(ns));
            }
            obj.metadata.namespace = Some(ns);
        } else {
            obj.metadata.namespace = None;
        }
        let key = ObjectKey::of(&obj);
        if self.objects.contains_key(&key) {
            return Err(StoreError::AlreadyExists { resource, name: key.name });
        }
        obj.metadata.uid = Some(uid);
        obj.metadata.creation_timestamp = Some(time(now));
        if obj.body.contains_key("spec") {
            obj.metadata.generation = Some(1);
        }
        Ok(self.commit(key, obj, WatchEventType::Added))
    }

    /// Replaces an existing object. A set `resourceVersion` must be the current one.
    pub fn update(&mut self, mut obj: Object) -> Result<Object, StoreError> {
        let key = ObjectKey::of(&obj);
        let Some(current) = self.objects.get(&key) else {
            return Err(StoreError::NotFound { resource: plural_of(&obj.kind), name: key.name });
        };
        if obj
            .metadata
            .resource_version
            .as_ref()
            .is_some_and(|rv| Some(rv) != current.metadata.resource_version.as_ref())
        {
            return Err(StoreError::Conflict { resource: plural_of(&obj.kind), name: key.name });
        }
        // Server-owned fields cannot be changed by an update.
        obj.metadata.uid = current.metadata.uid.clone();
        obj.metadata.creation_timestamp = current.metadata.creation_timestamp.clone();
        obj.metadata.generation = current.metadata.generation;
        let same_spec = match (obj.body.get("spec"), current.body.get("spec")) {
            (None, None) => true,
            (Some(a), Some(b)) => super::api::eq_without_nulls(a, b),
            _ => false,
        };
        if !same_spec && obj.body.contains_key("spec") {
            obj.metadata.generation = Some(current.metadata.generation.unwrap_or(0) + 1);
        }
        Ok(self.commit(key, obj, WatchEventType::Modified))
    }

    /// Removes an object at once and returns its last state.
    pub fn delete(&mut self, kind: &str, namespace: Option<&str>, name: &str) -> Result<Object, StoreError> {
        let key = key(kind, namespace, name);
        let Some(obj) = self.objects.remove(&key) else {
            return Err(StoreError::NotFound { resource: plural_of(kind), name: name.to_string() });
        };
        self.resource_version += 1;
        self.index_owners(&key, owner_uids(&obj), None);
        self.by_uid.remove(obj.uid());
        self.index_node(&key, node_of(&obj), None);
        self.ingress_controller_pods.remove(&key);
        if let Some(n) = self.counts.get_mut(kind) {
            *n -= 1;
        }
        self.push_event(WatchEventType::Deleted, Rc::clone(&obj));
        Ok(Rc::unwrap_or_clone(obj))
    }

    /// Keys of the objects whose `ownerReferences` name `uid`, in key order.
    pub fn dependents_of(&self, uid: &str) -> Vec<ObjectKey> {
        self.dependents(uid).cloned().collect()
    }

    /// The same keys, borrowed: for a reader that looks at thousands of dependents and keeps
    /// none of them.
    pub fn dependents<'a>(&'a self, uid: &str) -> impl Iterator<Item = &'a ObjectKey> + 'a {
        self.dependents.get(uid).into_iter().flatten()
    }

    /// Keys of the pods bound to `node`.
    pub fn pods_on_node(&self, node: &str) -> Vec<ObjectKey> {
        self.pods_by_node.get(node).map(|s| s.iter().cloned().collect()).unwrap_or_default()
    }

    /// The pods bound to `node`, in key order, read in place (no key is copied: the page reads
    /// them for every node on every tick).
    pub fn pods_bound_to<'a>(&'a self, node: &str) -> impl Iterator<Item = &'a Object> + 'a {
        self.pods_by_node.get(node).into_iter().flatten().filter_map(|k| self.get_key(k))
    }

    /// Keys of the pods that have an ingress-nginx controller container, in key order (the
    /// order of `list("Pod", None)`), whatever their phase.
    pub fn ingress_controller_pods(&self) -> impl Iterator<Item = &ObjectKey> + '_ {
        self.ingress_controller_pods.iter()
    }

    /// Names of the nodes that have pods bound to them (existing nodes or not).
    pub fn nodes_with_pods(&self) -> Vec<String> {
        self.pods_by_node.keys().cloned().collect()
    }

    fn index_node(&mut self, key: &ObjectKey, old: Option<String>, new: Option<String>) {
        if old == new {
            return;
        }
        if let Some(old) = old {
            if let Some(set) = self.pods_by_node.get_mut(&old) {
                set.remove(key);
                if set.is_empty() {
                    self.pods_by_node.remove(&old);
                }
            }
        }
        if let Some(new) = new {
            self.pods_by_node.entry(new).or_default().insert(key.clone());
        }
    }

    /// The key of the object with `uid`, if it is stored.
    pub fn find_by_uid(&self, uid: &str) -> Option<ObjectKey> {
        self.by_uid.get(uid).cloned()
    }

    /// Keys of every object in namespace `ns` (of any kind).
    pub fn keys_in_namespace(&self, ns: &str) -> Vec<ObjectKey> {
        self.objects.keys().filter(|k| k.namespace == ns).cloned().collect()
    }

    /// Number of stored objects of `kind`.
    pub fn count(&self, kind: &str) -> usize {
        self.counts.get(kind).copied().unwrap_or(0)
    }

    /// The object at `key`.
    pub fn get_key(&self, key: &ObjectKey) -> Option<&Object> {
        self.objects.get(key).map(|o| &**o)
    }

    /// Keeps the owner → dependents index in step with a write (`new` is None on deletion).
    fn index_owners(&mut self, key: &ObjectKey, old_owners: Vec<String>, new: Option<&Object>) {
        for uid in old_owners {
            if let Some(set) = self.dependents.get_mut(&uid) {
                set.remove(key);
                if set.is_empty() {
                    self.dependents.remove(&uid);
                }
            }
        }
        if let Some(new) = new {
            for uid in owner_uids(new) {
                self.dependents.entry(uid).or_default().insert(key.clone());
            }
        }
    }

    /// The object of `kind` named `name` (`namespace` is None for cluster-scoped kinds).
    pub fn get(&self, kind: &str, namespace: Option<&str>, name: &str) -> Option<&Object> {
        self.objects.get(&key(kind, namespace, name)).map(|o| &**o)
    }

    /// Objects of `kind`, in `namespace` or in all namespaces, ordered by namespace then name.
    pub fn list<'a>(&'a self, kind: &'a str, namespace: Option<&'a str>) -> impl Iterator<Item = &'a Object> + 'a {
        let start =
            ObjectKey { kind: kind.to_string(), namespace: namespace.unwrap_or("").to_string(), name: String::new() };
        self.objects
            .range(start..)
            .take_while(move |(k, _)| k.kind == kind && namespace.is_none_or(|ns| k.namespace == ns))
            .map(|(_, o)| &**o)
    }

    /// Every stored object, ordered by kind, namespace and name.
    pub fn all(&self) -> impl Iterator<Item = &Object> + '_ {
        self.objects.values().map(|o| &**o)
    }

    /// Number of stored objects.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Whether the store holds nothing.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// Watch events after the first `cursor` ever emitted, and the cursor to resume from.
    /// Events older than the log keeps are skipped.
    pub fn events_since(&self, cursor: u64) -> (&[WatchEvent], u64) {
        let start = cursor.saturating_sub(self.log_offset).min(self.log.len() as u64) as usize;
        (&self.log[start..], self.log_offset + self.log.len() as u64)
    }

    /// A digest of the whole watch log kept so far: equal digests mean the same changes, byte
    /// for byte, in the same order. Replays and the native-vs-wasm test compare these.
    pub fn event_log_digest(&self) -> u64 {
        use std::io::Write;
        let mut h = super::fnv::Fnv::default();
        for e in &self.log {
            // "{type:?} {object as JSON}\n" per event, written straight into the digest.
            let _ = write!(h, "{:?} ", e.event_type);
            let _ = e.object.write_json(&mut h);
            h.eat(b"\n");
        }
        h.0
    }

    /// A digest of every stored object and of the watch log kept: equal digests mean the same
    /// objects, byte for byte, and the same changes in the same order. Cheap to take again:
    /// only objects and events new since the last digest are read.
    pub fn state_digest(&self) -> u64 {
        self.digests.borrow_mut().digest(&self.objects, &self.log, self.log_offset)
    }

    fn commit(&mut self, key: ObjectKey, mut obj: Object, event_type: WatchEventType) -> Object {
        self.resource_version += 1;
        obj.metadata.resource_version = Some(self.resource_version.to_string());
        let old_owners = self.objects.get(&key).map(|o| owner_uids(o)).unwrap_or_default();
        self.index_owners(&key, old_owners, Some(&obj));
        self.by_uid.insert(obj.uid().to_string(), key.clone());
        let old_node = self.objects.get(&key).and_then(|o| node_of(o));
        self.index_node(&key, old_node, node_of(&obj));
        if obj.kind == "Pod" {
            if super::controllers::ingress::has_controller_container(&obj) {
                self.ingress_controller_pods.insert(key.clone());
            } else {
                self.ingress_controller_pods.remove(&key);
            }
        }
        if event_type == WatchEventType::Added {
            *self.counts.entry(key.kind.clone()).or_default() += 1;
        }
        let shared = Rc::new(obj);
        self.objects.insert(key, Rc::clone(&shared));
        self.push_event(event_type, Rc::clone(&shared));
        // The caller's copy: the one deep copy a write makes.
        (*shared).clone()
    }

    /// Events before `cursor` have been seen by the sim's own components and may be dropped;
    /// later ones are kept whatever the capacity, so no component ever misses a change.
    pub fn mark_consumed(&mut self, cursor: u64) {
        self.consumed = self.consumed.max(cursor);
    }

    fn push_event(&mut self, event_type: WatchEventType, object: Rc<Object>) {
        if self.log.len() >= WATCH_LOG_CAPACITY {
            let consumed = self.consumed.saturating_sub(self.log_offset) as usize;
            let drop = (WATCH_LOG_CAPACITY / 2).min(consumed);
            self.log.drain(..drop);
            self.log_offset += drop as u64;
        }
        self.log.push(WatchEvent { event_type, object });
    }
}

fn node_of(o: &Object) -> Option<String> {
    if o.kind != "Pod" {
        return None;
    }
    o.field("spec.nodeName").and_then(|v| v.as_str()).map(str::to_string)
}

fn owner_uids(o: &Object) -> Vec<String> {
    o.metadata.owner_references.iter().flatten().map(|r| r.uid.clone()).collect()
}

fn key(kind: &str, namespace: Option<&str>, name: &str) -> ObjectKey {
    ObjectKey { kind: kind.to_string(), namespace: namespace.unwrap_or("").to_string(), name: name.to_string() }
}

fn namespace_key(name: &str) -> ObjectKey {
    ObjectKey { kind: "Namespace".into(), namespace: String::new(), name: name.to_string() }
}

/// The resource name used in API messages: `pods`, `deployments.apps`.
fn plural_of(kind: &str) -> String {
    match discovery::preferred_for_kind(kind) {
        Some(r) if r.group().is_empty() => r.plural.to_string(),
        Some(r) => format!("{}.{}", r.plural, r.group()),
        None => format!("{}s", kind.to_ascii_lowercase()),
    }
}

/// A `metav1.Time` for a simulated instant.
pub fn time(at: SimTime) -> Time {
    Time(
        k8s_openapi::jiff::Timestamp::from_millisecond(
            ((super::time::EPOCH_UNIX_SECS * 1000) + at.as_millis() / 1000 * 1000) as i64,
        )
        .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with_default_ns() -> Store {
        let mut s = Store::new();
        s.create(Object::new("v1", "Namespace", "default"), SimTime::ZERO, "u0".into(), false).unwrap();
        s
    }

    fn cm(name: &str) -> Object {
        Object::new("v1", "ConfigMap", name)
    }

    #[test]
    fn create_assigns_server_fields_and_defaults_namespace() {
        let mut s = store_with_default_ns();
        let o = s.create(cm("a"), SimTime::from_secs(5), "u1".into(), true).unwrap();
        assert_eq!(o.namespace(), Some("default"));
        assert_eq!(o.uid(), "u1");
        assert_eq!(o.metadata.resource_version.as_deref(), Some("2"));
        let v = o.to_value();
        assert_eq!(v["metadata"]["creationTimestamp"], "2025-01-01T00:00:05Z");
    }

    #[test]
    fn a_digest_taken_again_is_the_digest_taken_afresh() {
        let mut s = store_with_default_ns();
        let first = s.state_digest();
        assert_eq!(first, s.state_digest(), "nothing changed");
        s.create(cm("a"), SimTime::ZERO, "u1".into(), true).unwrap();
        s.create(cm("b"), SimTime::ZERO, "u2".into(), true).unwrap();
        let two = s.state_digest();
        let mut b = s.get("ConfigMap", Some("default"), "b").unwrap().clone();
        b.body.insert("data".into(), serde_json::json!({"k": "v"}));
        s.update(b).unwrap();
        s.delete("ConfigMap", Some("default"), "a").unwrap();
        let cached = s.state_digest();
        let fresh = state_digest::DigestCache::default().digest(&s.objects, &s.log, s.log_offset);
        assert_eq!(cached, fresh);
        assert!(first != two && two != cached);
    }

    #[test]
    fn create_twice_is_already_exists() {
        let mut s = store_with_default_ns();
        s.create(cm("a"), SimTime::ZERO, "u1".into(), true).unwrap();
        let err = s.create(cm("a"), SimTime::ZERO, "u2".into(), true).unwrap_err();
        assert_eq!(err.to_string(), "configmaps \"a\" already exists");
        assert_eq!(err.reason(), "AlreadyExists");
    }

    #[test]
    fn create_in_missing_namespace_is_refused() {
        let mut s = store_with_default_ns();
        let mut o = cm("a");
        o.metadata.namespace = Some("nope".into());
        assert_eq!(
            s.create(o, SimTime::ZERO, "u".into(), true).unwrap_err().to_string(),
            "namespaces \"nope\" not found"
        );
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn stale_update_conflicts() {
        let mut s = store_with_default_ns();
        let o = s.create(cm("a"), SimTime::ZERO, "u1".into(), true).unwrap();
        let mut first = o.clone();
        first.body.insert("data".into(), serde_json::json!({"k": "1"}));
        s.update(first).unwrap();
        let err = s.update(o).unwrap_err();
        assert_eq!(err.reason(), "Conflict");
        assert!(err.to_string().starts_with("Operation cannot be fulfilled on configmaps \"a\""));
    }

    #[test]
    fn generation_counts_spec_changes_only() {
        let mut s = store_with_default_ns();
        let mut d = Object::new("apps/v1", "Deployment", "web");
        d.body.insert("spec".into(), serde_json::json!({"replicas": 1}));
        let d = s.create(d, SimTime::ZERO, "u".into(), true).unwrap();
        assert_eq!(d.metadata.generation, Some(1));
        let mut status_only = d.clone();
        status_only.body.insert("status".into(), serde_json::json!({"replicas": 1}));
        let d = s.update(status_only).unwrap();
        assert_eq!(d.metadata.generation, Some(1));
        let mut scaled = d.clone();
        scaled.body.insert("spec".into(), serde_json::json!({"replicas": 3}));
        assert_eq!(s.update(scaled).unwrap().metadata.generation, Some(2));
    }

    #[test]
    fn every_change_emits_one_watch_event_in_order() {
        let mut s = store_with_default_ns();
        let (_, cursor) = s.events_since(0);
        let o = s.create(cm("a"), SimTime::ZERO, "u1".into(), true).unwrap();
        s.update(o).unwrap();
        s.delete("ConfigMap", Some("default"), "a").unwrap();
        let (events, next) = s.events_since(cursor);
        let types: Vec<_> = events.iter().map(|e| e.event_type).collect();
        assert_eq!(types, [WatchEventType::Added, WatchEventType::Modified, WatchEventType::Deleted]);
        assert_eq!(next, cursor + 3);
        assert!(s.events_since(next).0.is_empty());
    }

    #[test]
    fn list_is_scoped_to_kind_and_namespace() {
        let mut s = store_with_default_ns();
        s.create(Object::new("v1", "Namespace", "other"), SimTime::ZERO, "u".into(), false).unwrap();
        s.create(cm("b"), SimTime::ZERO, "u1".into(), true).unwrap();
        let mut o = cm("a");
        o.metadata.namespace = Some("other".into());
        s.create(o, SimTime::ZERO, "u2".into(), true).unwrap();
        let names = |ns| s.list("ConfigMap", ns).map(|o| o.name().to_string()).collect::<Vec<_>>();
        assert_eq!(names(Some("default")), ["b"]);
        assert_eq!(names(None), ["b", "a"]);
    }
}

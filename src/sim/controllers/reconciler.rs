//! The contract every controller of kube-controller-manager keeps (as kube-runtime's
//! `Controller`/`Action` and upstream's informer + work queue): a name, which watch events
//! queue which keys, and a `reconcile` of one key that says when to look again.
//!
//! A reconciler owns no queue and schedules nothing: it answers with an [`Action`] or an
//! [`Error`], and the work queue ([`super::work_queue`]) does every requeue and back-off. It
//! reads and writes the cluster only through its [`Ctx`], never the whole `Sim`.

use std::time::Duration;

use crate::sim::api::{controller_of, Object};
use crate::sim::apiserver::ApiError;
use crate::sim::store::{ObjectKey, Store, StoreError, WatchEvent};

use super::context::Ctx;

/// What to do with a key after a successful reconcile (kube-runtime's `Action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Look again after this long, even if nothing changes (a deadline, minReadySeconds, a
    /// resync period).
    RequeueAfter(Duration),
    /// Look again only when a watch event queues the key.
    AwaitChange,
}

impl Action {
    /// Look again after `d`.
    pub fn requeue(d: Duration) -> Action {
        Action::RequeueAfter(d)
    }

    /// The earlier of two actions: a reconcile with several reasons to come back comes back at
    /// the first.
    pub fn min(self, other: Action) -> Action {
        match (self, other) {
            (Action::RequeueAfter(a), Action::RequeueAfter(b)) => Action::RequeueAfter(a.min(b)),
            (Action::AwaitChange, x) | (x, Action::AwaitChange) => x,
        }
    }
}

/// Why a reconcile failed; the key is retried with back-off.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The API server refused a write (validation, admission, quota, a conflict).
    #[error("{0}")]
    Api(#[from] ApiError),
    /// A status or metadata write found the object changed or gone.
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// The result of a reconcile.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One controller of kube-controller-manager, reconciling objects of one kind.
///
/// Events map to keys in three ways, as upstream's informer handlers do: an object of
/// [`kind`](Reconciler::kind) queues its own key; an object of an [`owns`](Reconciler::owns)
/// kind whose controller reference names that kind queues its owner; anything else goes to
/// [`watches`](Reconciler::watches) (an orphan a selector may adopt, a Node for every
/// DaemonSet, a Service's pods).
pub trait Reconciler: Sync {
    /// The name kube-controller-manager gives it (`--controllers`): `replicaset`, `job`, …
    fn name(&self) -> &'static str;

    /// The component its Events come from: `replicaset-controller`, `job-controller`, …
    fn component(&self) -> &'static str;

    /// The kind whose objects it reconciles; keys are of this kind.
    fn kind(&self) -> &'static str;

    /// Whether an event about an object of its own kind queues that object (by default, every
    /// one does).
    fn watches_own(&self, _ev: &WatchEvent) -> bool {
        true
    }

    /// The kinds it creates and controls through controller references.
    fn owns(&self) -> &'static [&'static str] {
        &[]
    }

    /// The keys an event about anything else concerns (none unless overridden).
    fn watches(&self, _store: &Store, _ev: &WatchEvent) -> Vec<ObjectKey> {
        Vec::new()
    }

    /// Makes the cluster match the object at `key` (which may be gone).
    fn reconcile(&self, ctx: &mut Ctx, key: &ObjectKey) -> Result<Action>;

    /// What to do after a failed reconcile, given how many times in a row it failed before.
    /// By default: nothing here; the work queue retries with its exponential back-off.
    fn error_policy(&self, _err: &Error, _failures: u32) -> Option<Action> {
        None
    }
}

/// The keys `ev` queues for `r` (see [`Reconciler`] for the three ways).
pub fn keys_for(r: &dyn Reconciler, store: &Store, ev: &WatchEvent) -> Vec<ObjectKey> {
    let o = &ev.object;
    if o.kind == r.kind() {
        return if r.watches_own(ev) { vec![ObjectKey::of(o)] } else { Vec::new() };
    }
    if r.owns().contains(&o.kind.as_str()) {
        if let Some(owner) = controller_of(o) {
            return if owner.kind == r.kind() { vec![owner_key(o, &owner.name, r.kind())] } else { Vec::new() };
        }
    }
    r.watches(store, ev)
}

/// The key of the owner called `name`, of `kind`, of the namespaced `dependent`.
pub fn owner_key(dependent: &Object, name: &str, kind: &str) -> ObjectKey {
    ObjectKey { kind: kind.into(), namespace: dependent.namespace().unwrap_or("").into(), name: name.into() }
}

//! The controllers of kube-controller-manager, on one contract ([`reconciler::Reconciler`]):
//! watch events map to keys, keys wait in one work queue ([`work_queue::WorkQueue`]) that
//! deduplicates them and owns every requeue and back-off, and each reconcile sees the cluster
//! through a narrow [`context::Ctx`].
//!
//! A new controller is one file (a `Reconciler`) plus one line in the `controllers!` list
//! below, which declares its module and adds it to [`RECONCILERS`]. Controllers talk to each
//! other only through the store, as in Kubernetes.

pub mod context;
pub mod history;
pub mod ingress;
pub mod reconciler;
pub mod work_queue;

use std::time::Duration;

use super::store::{ObjectKey, WatchEvent};
use super::{Sim, Task};
use context::Ctx;
use reconciler::{Action, Reconciler};

/// Declares each controller's module and lists its reconcilers in [`RECONCILERS`], in the
/// order given: `module: RECONCILER, …;`, one line per controller file.
macro_rules! controllers {
    ($($module:ident: $($reconciler:ident),+;)+) => {
        $(pub mod $module;)+

        /// Every controller on the contract, in the order they see each watch event.
        pub static RECONCILERS: &[&dyn Reconciler] = &[$($(&$module::$reconciler),+),+];
    };
}

controllers! {
    replicaset: REPLICA_SETS, REPLICATION_CONTROLLERS;
    job: JOBS;
    resourcequota: RESOURCE_QUOTAS;
    cronjob: CRON_JOBS;
    deployment: DEPLOYMENTS;
    endpoints: ENDPOINTS;
    daemonset: DAEMON_SETS;
    statefulset: STATEFUL_SETS;
    volumes: VOLUMES;
    disruption: DISRUPTION;
    horizontal: HORIZONTAL_POD_AUTOSCALERS;
}

/// Which controller a queued key is for: its kube-controller-manager name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Controller(pub &'static str);

impl Controller {
    /// The queue's name for reconciler `r`.
    pub fn of(r: &dyn Reconciler) -> Controller {
        Controller(r.name())
    }
}

/// Queues `key` for `controller` now, unless it is already queued.
pub fn enqueue(sim: &mut Sim, controller: Controller, key: ObjectKey) {
    if sim.workqueue.add((controller, key.clone())) {
        sim.schedule(Duration::ZERO, Task::Sync(controller, key));
    }
}

/// Queues `key` for `controller` after `after`, unless it is queued for that time or earlier.
pub fn enqueue_after(sim: &mut Sim, controller: Controller, key: ObjectKey, after: Duration) {
    if after.is_zero() {
        return enqueue(sim, controller, key);
    }
    let at = sim.now() + after;
    if sim.workqueue.add_at((controller, key.clone()), at) {
        sim.schedule(after, Task::Sync(controller, key));
    }
}

/// A scheduled sync came due: takes it off the queue; true when it should run (false when it
/// was deduplicated, or its wait moved later).
pub(crate) fn take_due(sim: &mut Sim, controller: Controller, key: &ObjectKey) -> bool {
    let now = sim.now();
    sim.workqueue.take(&(controller, key.clone()), now)
}

fn reconciler_named(name: &str) -> Option<&'static dyn Reconciler> {
    RECONCILERS.iter().copied().find(|r| r.name() == name)
}

/// Reconciles `key` now, and queues what its answer asks for: a requeue after a while, or a
/// retry with back-off after an error.
pub fn sync(sim: &mut Sim, controller: Controller, key: ObjectKey) {
    let Some(r) = reconciler_named(controller.0) else {
        debug_assert!(false, "no controller is called {}", controller.0);
        return;
    };
    let result = r.reconcile(&mut Ctx::new(sim, r.component()), &key);
    let item = (controller, key);
    let action = match result {
        Ok(action) => {
            sim.workqueue.forget(&item);
            action
        }
        Err(e) => {
            let failures = sim.workqueue.num_requeues(&item);
            match r.error_policy(&e, failures) {
                Some(action) => action,
                None => Action::RequeueAfter(sim.workqueue.next_backoff(&item)),
            }
        }
    };
    if let Action::RequeueAfter(d) = action {
        let (controller, key) = item;
        enqueue_after(sim, controller, key, d);
    }
}

/// Lets every controller see a watch event: each queues the keys it concerns.
pub fn on_event(sim: &mut Sim, ev: &WatchEvent) {
    for r in RECONCILERS {
        for key in reconciler::keys_for(*r, sim.store(), ev) {
            enqueue(sim, Controller::of(*r), key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reconciler_has_its_own_name_and_is_found_by_it() {
        let mut names: Vec<&str> = RECONCILERS.iter().map(|r| r.name()).collect();
        assert_eq!(names.first(), Some(&"replicaset"), "the list keeps its order");
        assert_eq!(names.last(), Some(&"horizontalpodautoscaling"));
        for n in &names {
            assert_eq!(reconciler_named(n).map(|r| r.name()), Some(*n));
        }
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "two reconcilers share a name: their keys would mix in the queue");
    }
}

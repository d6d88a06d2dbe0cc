//! The controllers of kube-controller-manager. Each reacts to watch events by queueing the
//! keys of the objects it must reconcile; a key queued twice before its sync runs is synced
//! once, as upstream's workqueue deduplicates.
//!
//! Controllers talk to each other only through the store, as in Kubernetes.

pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod disruption;
pub mod endpoints;
pub mod history;
pub mod horizontal;
pub mod ingress;
pub mod job;
pub mod replicaset;
pub mod resourcequota;
pub mod statefulset;
pub mod volumes;

use std::collections::BTreeSet;

use super::store::{ObjectKey, WatchEvent};
use super::{Sim, Task};

/// Which controller a queued key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Controller {
    ReplicaSet,
    Deployment,
    Endpoints,
    Job,
    DaemonSet,
    CronJob,
    StatefulSet,
    Volumes,
    ResourceQuota,
    Disruption,
    HorizontalPodAutoscaler,
    ReplicationController,
}

/// Keys waiting for their sync.
#[derive(Debug, Default)]
pub struct WorkQueue {
    pending: BTreeSet<(Controller, ObjectKey)>,
}

/// Queues `key` for `controller` (now), unless it is already waiting.
pub fn enqueue(sim: &mut Sim, controller: Controller, key: ObjectKey) {
    if sim.workqueue.pending.insert((controller, key.clone())) {
        sim.schedule(std::time::Duration::ZERO, Task::Sync(controller, key));
    }
}

/// Takes a queued key off the queue without running it (its controller cannot work now).
pub(crate) fn forget_pending(sim: &mut Sim, controller: Controller, key: &ObjectKey) {
    sim.workqueue.pending.remove(&(controller, key.clone()));
}

/// Runs a queued sync.
pub fn sync(sim: &mut Sim, controller: Controller, key: ObjectKey) {
    sim.workqueue.pending.remove(&(controller, key.clone()));
    match controller {
        Controller::ReplicaSet | Controller::ReplicationController => replicaset::sync_replica_set(sim, &key),
        Controller::Deployment => deployment::sync_deployment(sim, &key),
        Controller::Endpoints => endpoints::sync_service(sim, &key),
        Controller::Job => job::sync_job(sim, &key),
        Controller::DaemonSet => daemonset::sync_daemon_set(sim, &key),
        Controller::CronJob => cronjob::sync_cron_job(sim, &key),
        Controller::StatefulSet => statefulset::sync_stateful_set(sim, &key),
        Controller::Volumes => volumes::sync_claim(sim, &key),
        Controller::ResourceQuota => resourcequota::sync_quota(sim, &key),
        Controller::Disruption => disruption::sync_disruption_budget(sim, &key),
        Controller::HorizontalPodAutoscaler => horizontal::sync_horizontal_pod_autoscaler(sim, &key),
    }
}

/// Lets every controller see a watch event.
pub fn on_event(sim: &mut Sim, ev: &WatchEvent) {
    replicaset::on_event(sim, ev);
    deployment::on_event(sim, ev);
    endpoints::on_event(sim, ev);
    job::on_event(sim, ev);
    daemonset::on_event(sim, ev);
    cronjob::on_event(sim, ev);
    statefulset::on_event(sim, ev);
    volumes::on_event(sim, ev);
    resourcequota::on_event(sim, ev);
    disruption::on_event(sim, ev);
    horizontal::on_event(sim, ev);
}

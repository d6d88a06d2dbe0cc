//! What a reconciler may touch ([`Ctx`]): the store to read, the API server to write through,
//! the event recorder, the clock and the one RNG. Not the rest of the `Sim` (its queues, the
//! kubelets, the scheduler, client state).

use serde_json::Value;

use crate::sim::api::Object;
use crate::sim::apiserver::{self, patch::PatchType, ApiError, Propagation};
use crate::sim::events::{self, EventType, Source};
use crate::sim::metrics::{self, Usage};
use crate::sim::rng::SimRng;
use crate::sim::store::{ObjectKey, Store, StoreError};
use crate::sim::time::SimTime;
use crate::sim::Sim;

/// A reconciler's narrow view of the cluster, for one reconcile.
pub struct Ctx<'a> {
    sim: &'a mut Sim,
    /// The component its Events come from.
    component: &'static str,
}

impl<'a> Ctx<'a> {
    /// A context whose Events come from `component`.
    pub(crate) fn new(sim: &'a mut Sim, component: &'static str) -> Ctx<'a> {
        Ctx { sim, component }
    }

    /// The informers' view: every stored object.
    pub fn store(&self) -> &Store {
        self.sim.store()
    }

    /// The simulated clock.
    pub fn now(&self) -> SimTime {
        self.sim.now()
    }

    /// Creates `obj` through the API server (validation, defaulting, admission, quota).
    pub fn create(&mut self, obj: Object) -> Result<Object, ApiError> {
        self.sim.create(obj)
    }

    /// Replaces `obj`'s spec and metadata through the API server.
    pub fn update(&mut self, obj: Object) -> Result<Object, ApiError> {
        self.sim.update(obj)
    }

    /// Patches an object through the API server (the HPA's writes to its target's scale).
    pub fn patch(
        &mut self,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
        ty: PatchType,
        body: &Value,
    ) -> Result<Object, ApiError> {
        apiserver::patch(self.sim, kind, namespace, name, ty, body)
    }

    /// Writes `obj`'s status (or the owner references of an adoption or a release).
    // SIM: upstream sends these through the API server's status subresource (or a patch),
    // whose validation of controller-written status the sandbox does not model; they go
    // straight to the store, with a resourceVersion check when `obj` carries one.
    pub fn update_status(&mut self, obj: Object) -> Result<Object, StoreError> {
        self.sim.store_update(obj)
    }

    /// Creates an object the API server would accept without admission (a controller's own
    /// Endpoints or EndpointSlice), straight into the store.
    pub fn create_internal(&mut self, obj: Object, namespaced: bool) -> Result<Object, StoreError> {
        self.sim.store_create(obj, namespaced)
    }

    /// Removes an object at once, without grace or finalizers (a controller's own Endpoints).
    pub fn delete_internal(&mut self, kind: &str, namespace: Option<&str>, name: &str) -> Result<Object, StoreError> {
        self.sim.store_delete(kind, namespace, name)
    }

    /// Deletes through the API server, with `propagation` for the dependents.
    pub fn delete(
        &mut self,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
        propagation: Propagation,
    ) -> Result<Object, ApiError> {
        self.sim.delete(kind, namespace, name, propagation)
    }

    /// Records an Event about `regarding` from this controller.
    pub fn record(&mut self, regarding: &Object, ty: EventType, reason: &str, message: &str) {
        let source = Source { component: self.component, host: None };
        events::record(self.sim, regarding, None, ty, reason, message, source);
    }

    /// Records an Event about `regarding` from another component of the same controller
    /// manager (the service controller's load balancer Events, from the endpoints controller).
    pub fn record_as(&mut self, component: &str, regarding: &Object, ty: EventType, reason: &str, message: &str) {
        let source = Source { component, host: None };
        events::record(self.sim, regarding, None, ty, reason, message, source);
    }

    /// The one RNG (generated names).
    pub fn rng(&mut self) -> &mut SimRng {
        self.sim.rng_mut()
    }

    /// A pod's resource usage as metrics-server reports it (None before its first sample).
    pub fn pod_usage(&self, pod: &ObjectKey) -> Option<Usage> {
        metrics::pod_total(self.sim, pod)
    }

    /// The recent replica recommendations kept for the HPA at `key` (its stabilization window):
    /// the HPA controller's memory between syncs.
    pub fn recommendations(&mut self, key: &ObjectKey) -> &mut Vec<(SimTime, i64)> {
        self.sim.autoscaler.entry(key.clone()).or_default()
    }

    /// Forgets a deleted HPA's recommendations.
    pub fn forget_recommendations(&mut self, key: &ObjectKey) {
        self.sim.autoscaler.remove(key);
    }
}

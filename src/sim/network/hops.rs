//! Requests a server makes while it answers one: the guestbook's PHP asking Redis, a replica
//! syncing from its leader, nginx proxying. Each is made from the serving pod's own view of the
//! network (its namespace's DNS search list, its node's kube-proxy), and the chain is bounded.

use std::cell::Cell;

use serde_json::Value;

use super::ClusterNetwork;
use crate::sim::kubelet::runtime::Proc;
use crate::sim::kubelet::{ContainerRun, Phase, PodRun};
use crate::sim::store::ObjectKey;

/// Requests nested inside one another at most (a proxy that proxies to itself stops here).
// SIM: a real proxy loop runs until the proxy's connections run out and it answers 500; the
// sandbox stops the chain at this depth, which fails the same way, sooner.
pub const MAX_HOPS: u32 = 8;

thread_local! {
    /// How deep the request being answered now is nested.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f` as a request one hop deeper; None when the chain is already [`MAX_HOPS`] deep.
pub fn hop<T>(f: impl FnOnce() -> T) -> Option<T> {
    let depth = DEPTH.with(Cell::get);
    if depth >= MAX_HOPS {
        return None;
    }
    DEPTH.with(|d| d.set(depth + 1));
    let out = f();
    DEPTH.with(|d| d.set(depth));
    Some(out)
}

impl<'a> ClusterNetwork<'a> {
    /// The running container that listens at a pod's `ip:port` (`127.0.0.1` is the caller's
    /// own pod), with its pod.
    pub(super) fn listener(
        &self,
        ip: &str,
        port: u16,
    ) -> Option<(&'a ObjectKey, &'a PodRun, &'a ContainerRun, &'a Proc)> {
        let ip = if ip == "127.0.0.1" { self.own_ip } else { ip };
        let pods: &'a std::collections::BTreeMap<ObjectKey, PodRun> = self.pods;
        pods.iter().filter(|(_, r)| r.ip == ip).find_map(|(key, run)| {
            run.containers.iter().find_map(|c| match &c.phase {
                Phase::Running { proc, .. } if proc.listens_on(port) => Some((key, run, c, &**proc)),
                _ => None,
            })
        })
    }

    /// The network as the pod `key` (running as `run`) sees it, at the same instant.
    pub(super) fn seen_from(&self, key: &'a ObjectKey, run: &'a PodRun) -> ClusterNetwork<'a> {
        let store = self.store;
        let hostname = store
            .get_key(key)
            .and_then(|p| p.field("spec.hostname").and_then(Value::as_str))
            .unwrap_or(key.name.as_str());
        ClusterNetwork {
            store,
            pods: self.pods,
            namespace: &key.namespace,
            hostname,
            own_ip: &run.ip,
            turn: self.turn,
            now: self.now,
            node: Some(&run.node),
        }
    }
}

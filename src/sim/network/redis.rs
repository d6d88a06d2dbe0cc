//! Redis traffic: a command sent to `host:port` reaches, through DNS and kube-proxy, the
//! container listening there, and runs on the data that container's server holds.
//!
//! Replication (`replicaof` in a server's configuration): a write on a leader reaches every
//! replica whose leader address leads to it, and a replica takes its leader's data whenever it
//! is asked and the leader can be reached; with the leader gone it keeps what it last had.
//! Each replica logs its link going up and down, as Redis does.

use super::hops::hop;
use super::ClusterNetwork;
use crate::sim::kubelet::{ContainerRun, PodRun};
use crate::sim::process::redis::{execute, is_write, leader_of, Keys, Reply, Role, CONFIG_FILE};
use crate::sim::process::NetError;
use crate::sim::store::ObjectKey;

/// A Redis server found at an address.
struct Server<'a> {
    ip: String,
    container: &'a ContainerRun,
    config: String,
    role: Role,
    version: String,
}

impl<'a> ClusterNetwork<'a> {
    /// Runs `command` on the Redis server at `host:port`.
    pub(super) fn redis_command(&self, host: &str, port: u16, command: &[String]) -> Result<Reply, NetError> {
        let server = self.redis_server(host, port)?;
        let reply =
            execute(command, &server.config, &mut server.container.redis.borrow_mut(), &server.role, &server.version);
        if reply.is_ok() && is_write(command) {
            let keys = server.container.redis.borrow().clone();
            self.replicate(&server.ip, port, &keys);
        }
        Ok(reply)
    }

    /// The data of the server at `host:port` (what a replica syncs).
    fn redis_keys(&self, host: &str, port: u16) -> Result<Keys, NetError> {
        Ok(self.redis_server(host, port)?.container.redis.borrow().clone())
    }

    fn redis_server(&self, host: &str, port: u16) -> Result<Server<'a>, NetError> {
        let ip = self.lookup(host).ok_or_else(|| NetError::BadAddress(host.to_string()))?;
        let (pod_ip, pod_port) = self.route(&ip, port)?;
        let (key, run, container, proc) =
            self.listener(&pod_ip, pod_port).ok_or(NetError::Refused { ip: ip.clone(), port })?;
        container.note_request(self.now);
        // A server that did not say otherwise (an image outside the catalogue) runs with
        // Redis's defaults.
        let config = proc.files().get(CONFIG_FILE).cloned().unwrap_or_default();
        let version = proc.container_env().env.get("REDIS_VERSION").cloned().unwrap_or_else(|| "7.4.1".into());
        let role = match leader_of(&config) {
            None => Role::Leader,
            Some((leader, leader_port)) => {
                let from_replica = self.seen_from(key, run);
                let synced = hop(|| from_replica.redis_keys(&leader, leader_port)).and_then(Result::ok);
                let link_up = synced.is_some();
                if let Some(keys) = synced {
                    *container.redis.borrow_mut() = keys;
                }
                self.note_link(container, &leader, leader_port, link_up);
                Role::Replica { host: leader, port: leader_port, link_up }
            }
        };
        Ok(Server { ip: pod_ip, container, config, role, version })
    }

    /// Sends a leader's data (at `leader_ip:port`) to the replicas whose leader address leads there.
    fn replicate(&self, leader_ip: &str, port: u16, keys: &Keys) {
        for (key, run, c, leader, leader_port) in self.replicas() {
            let from_replica = self.seen_from(key, run);
            let reaches = from_replica.lookup(&leader).and_then(|ip| from_replica.route(&ip, leader_port).ok());
            if reaches.is_some_and(|(ip, p)| ip == leader_ip && p == port) {
                *c.redis.borrow_mut() = keys.clone();
                self.note_link(c, &leader, leader_port, true);
            }
        }
    }

    /// Every running Redis replica, with its leader's address.
    fn replicas(&self) -> Vec<(&'a ObjectKey, &'a PodRun, &'a ContainerRun, String, u16)> {
        let pods: &'a std::collections::BTreeMap<ObjectKey, PodRun> = self.pods;
        pods.iter()
            .flat_map(|(key, run)| run.containers.iter().map(move |c| (key, run, c)))
            .filter_map(|(key, run, c)| {
                let crate::sim::kubelet::Phase::Running { proc, .. } = &c.phase else { return None };
                let (leader, port) = leader_of(proc.files().get(CONFIG_FILE)?)?;
                Some((key, run, c, leader, port))
            })
            .collect()
    }

    /// Logs a replica's link to its leader coming up or going down, as Redis logs it.
    // SIM: a real replica retries every second and logs each attempt; here the link is looked
    // at when the replica is asked or its leader written, and only its changes are logged.
    fn note_link(&self, c: &ContainerRun, leader: &str, port: u16, up: bool) {
        if c.redis_link.get() == Some(up) {
            return;
        }
        let was = c.redis_link.replace(Some(up));
        let (y, mo, d, h, mi, s, _) = self.now.civil();
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let t = format!("{d:02} {} {y} {h:02}:{mi:02}:{s:02}.000", MONTHS[(mo.clamp(1, 12) - 1) as usize]);
        let lines: Vec<String> = if up {
            let connecting = format!("1:S {t} * Connecting to MASTER {leader}:{port}");
            // The server logged its first attempt when it started.
            let first = (was.is_some()).then_some(connecting);
            first
                .into_iter()
                .chain([
                    format!("1:S {t} * MASTER <-> REPLICA sync started"),
                    format!("1:S {t} * MASTER <-> REPLICA sync: Finished with success"),
                ])
                .collect()
        } else if was == Some(true) {
            vec![
                format!("1:S {t} # Connection with master lost."),
                format!("1:S {t} # Error condition on socket for SYNC: Connection refused"),
            ]
        } else {
            vec![format!("1:S {t} # Error condition on socket for SYNC: Connection refused")]
        };
        let mut logs = c.access_logs.borrow_mut();
        for line in lines {
            logs.push((self.now, line));
        }
    }
}

//! Redis traffic: a command sent to `host:port` reaches, through DNS and kube-proxy, the
//! container listening there, and runs on the data that container's server holds.
//!
//! Replication (`replicaof` in a server's configuration): a write on a leader reaches every
//! replica whose leader address leads to it, and a replica takes its leader's data whenever it
//! is asked and the leader can be reached; with the leader gone it keeps what it last had.
//! A replica older than its leader cannot load the leader's snapshot when its RDB format is
//! newer (a 2.8 replica of a 7.2 leader), and stays empty. Each replica logs its link going up
//! and down, as Redis does.

use super::hops::hop;
use super::ClusterNetwork;
use crate::sim::kubelet::{ContainerRun, PodRun};
use crate::sim::process::redis::{execute, is_write, leader_of, Keys, Link, Reply, Role, CONFIG_FILE};
use crate::sim::process::NetError;
use crate::sim::store::ObjectKey;

/// A Redis server found at an address.
struct Server<'a> {
    /// The pod's address and port the server listens on.
    ip: String,
    port: u16,
    container: &'a ContainerRun,
    config: String,
    role: Role,
    version: String,
}

impl<'a> ClusterNetwork<'a> {
    /// Runs `command` on the Redis server at `host:port`.
    pub(super) fn redis_command(&self, host: &str, port: u16, command: &[String]) -> Result<Reply, NetError> {
        let mut server = self.redis_server(host, port)?;
        if let Role::Leader { replicas } = &mut server.role {
            // Only INFO shows them, and finding them looks at every pod.
            if command.first().is_some_and(|v| v.eq_ignore_ascii_case("INFO")) {
                *replicas = self.replicas_of(&server.ip, server.port, &server.version);
            }
        }
        let reply =
            execute(command, &server.config, &mut server.container.redis.borrow_mut(), &server.role, &server.version);
        if reply.is_ok() && is_write(command) {
            let keys = server.container.redis.borrow().clone();
            self.replicate(&server.ip, server.port, &keys, &server.version);
        }
        Ok(reply)
    }

    /// The data of the server at `host:port` and its Redis version (what a replica syncs).
    fn redis_keys(&self, host: &str, port: u16) -> Result<(Keys, String), NetError> {
        let server = self.redis_server(host, port)?;
        let keys = server.container.redis.borrow().clone();
        Ok((keys, server.version))
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
        let version = version_of(container);
        let role = match leader_of(&config) {
            None => Role::Leader { replicas: Vec::new() },
            Some((leader, leader_port)) => {
                let from_replica = self.seen_from(key, run);
                let synced = hop(|| from_replica.redis_keys(&leader, leader_port)).and_then(Result::ok);
                let link = match synced {
                    None => Link::Down,
                    Some((_, leader_version)) if rdb_version(&leader_version) > rdb_version(&version) => {
                        // The replica flushed its data before it failed to load the snapshot.
                        container.redis.borrow_mut().clear();
                        Link::Unreadable(rdb_version(&leader_version))
                    }
                    Some((keys, _)) => {
                        *container.redis.borrow_mut() = keys;
                        Link::Up
                    }
                };
                self.note_link(container, &leader, leader_port, link);
                Role::Replica { host: leader, port: leader_port, link_up: link == Link::Up }
            }
        };
        Ok(Server { ip: pod_ip, port: pod_port, container, config, role, version })
    }

    /// Sends a leader's data (at `leader_ip:port`, running Redis `version`) to the replicas
    /// whose leader address leads there and that can load it.
    fn replicate(&self, leader_ip: &str, port: u16, keys: &Keys, version: &str) {
        for (_, c, leader, leader_port) in self.replicas_reaching(leader_ip, port) {
            if rdb_version(version) > rdb_version(&version_of(c)) {
                self.note_link(c, &leader, leader_port, Link::Unreadable(rdb_version(version)));
                continue;
            }
            *c.redis.borrow_mut() = keys.clone();
            self.note_link(c, &leader, leader_port, Link::Up);
        }
    }

    /// The pod IPs of the replicas connected to the leader at `leader_ip:port` (running
    /// Redis `version`): those that reach it and can load its snapshot.
    fn replicas_of(&self, leader_ip: &str, port: u16, version: &str) -> Vec<String> {
        self.replicas_reaching(leader_ip, port)
            .into_iter()
            .filter(|(_, c, _, _)| rdb_version(version) <= rdb_version(&version_of(c)))
            .map(|(run, ..)| run.ip.clone())
            .collect()
    }

    /// The running replicas whose leader address leads to `leader_ip:port`, with that address.
    fn replicas_reaching(&self, leader_ip: &str, port: u16) -> Vec<(&'a PodRun, &'a ContainerRun, String, u16)> {
        self.replicas()
            .into_iter()
            .filter(|(key, run, _, leader, leader_port)| {
                let from_replica = self.seen_from(key, run);
                let reaches = from_replica.lookup(leader).and_then(|ip| from_replica.route(&ip, *leader_port).ok());
                reaches.is_some_and(|(ip, p)| ip == leader_ip && p == port)
            })
            .map(|(_, run, c, leader, leader_port)| (run, c, leader, leader_port))
            .collect()
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
    fn note_link(&self, c: &ContainerRun, leader: &str, port: u16, link: Link) {
        let up = link == Link::Up;
        if c.redis_link.get() == Some(link) {
            return;
        }
        let was = c.redis_link.replace(Some(link));
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
        } else if let Link::Unreadable(rdb) = link {
            vec![
                format!("1:S {t} * MASTER <-> REPLICA sync started"),
                format!("1:S {t} # Can't handle RDB format version {rdb}"),
                format!("1:S {t} # Failed trying to load the MASTER synchronization DB from disk"),
            ]
        } else if was == Some(Link::Up) {
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

/// The Redis release a container's server runs (its image's `REDIS_VERSION`).
fn version_of(c: &ContainerRun) -> String {
    match &c.phase {
        crate::sim::kubelet::Phase::Running { proc, .. } => {
            proc.container_env().env.get("REDIS_VERSION").cloned().unwrap_or_else(|| "7.4.1".into())
        }
        _ => "7.4.1".into(),
    }
}

/// The RDB format version a Redis release writes, which is also the newest it reads
/// (`RDB_VERSION` in its `rdb.h`): 6 up to 3.0, 7 in 3.2, 8 in 4.0, 9 in 5.0 to 6.2, 10 in
/// 7.0, 11 in 7.2, 12 from 7.4.
fn rdb_version(version: &str) -> u32 {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    match (parts.next().unwrap_or(0), parts.next().unwrap_or(0)) {
        (0..=2, _) | (3, 0) => 6,
        (3, _) => 7,
        (4, _) => 8,
        (5 | 6, _) => 9,
        (7, 0) => 10,
        (7, 1..=2) => 11,
        _ => 12,
    }
}

#[cfg(test)]
mod tests {
    use super::rdb_version;

    #[test]
    fn rdb_formats_follow_the_redis_releases() {
        assert_eq!(rdb_version("2.8.19"), 6);
        assert_eq!(rdb_version("3.0.7"), 6);
        assert_eq!(rdb_version("3.2.12"), 7);
        assert_eq!(rdb_version("6.0.5"), 9);
        assert_eq!(rdb_version("7.2.6"), 11);
        assert_eq!(rdb_version("8.2.2"), 12);
    }
}

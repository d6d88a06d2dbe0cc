//! Redis as its clients see it: `redis-cli` (the image's client, and what the guestbook's PHP
//! does with Predis) and the commands a Redis server answers.
//!
//! The server's data is wherever the network keeps it: a cluster network sends each command to
//! the container that listens at the address (see [`super::Network::redis`]); a process with no
//! network (the terminal's own host) keeps it in its own files.

use super::interp::Machine;
use super::{NetError, Network};

/// What a Redis server keeps: keys in the order they were first set.
pub type Keys = Vec<(String, String)>;

/// Keys a server holds at most.
const MAX_KEYS: usize = 10_000;

/// One command's reply (as `redis-cli` prints it, newline included), or the server's error reply.
pub type Reply = Result<String, String>;

/// The role a server has: a leader, or a replica of `host:port` (`replicaof` in its config),
/// with whether its link to the leader is up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Leader,
    Replica { host: String, port: u16, link_up: bool },
}

/// The replica's leader, from the server's configuration (`replicaof HOST PORT`, or the older
/// `slaveof`); the last one wins, as Redis reads its config.
pub fn leader_of(config: &str) -> Option<(String, u16)> {
    config
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let key = words.next()?;
            if !key.eq_ignore_ascii_case("replicaof") && !key.eq_ignore_ascii_case("slaveof") {
                return None;
            }
            let host = words.next()?.trim_matches('"').to_string();
            let port = words.next().and_then(|p| p.trim_matches('"').parse().ok()).unwrap_or(6379);
            (!host.eq_ignore_ascii_case("no")).then_some((host, port))
        })
        .next_back()
}

/// Whether `command` changes data (a replica refuses it).
pub fn is_write(command: &[String]) -> bool {
    command.first().is_some_and(|v| ["SET", "DEL", "FLUSHALL", "FLUSHDB"].iter().any(|w| v.eq_ignore_ascii_case(w)))
}

/// The value of `name` in a server's configuration text, or Redis's default.
fn setting(config: &str, name: &str) -> String {
    let value = config
        .lines()
        .filter_map(|l| l.trim().split_once(char::is_whitespace))
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .next_back();
    match (name, value) {
        ("maxmemory", Some(v)) => redis_bytes(&v).to_string(),
        (_, Some(v)) => v,
        ("maxmemory", None) => "0".into(),
        ("maxmemory-policy", None) => "noeviction".into(),
        ("port", None) => "6379".into(),
        ("appendonly", None) => "no".into(),
        ("databases", None) => "16".into(),
        ("dir", None) => "/data".into(),
        ("save", None) => "3600 1 300 100 60 10000".into(),
        ("bind", None) => "* -::*".into(),
        ("protected-mode", None) => "no".into(),
        (_, None) => String::new(),
    }
}

/// Settings `CONFIG GET` reports.
const KNOWN: &[&str] = &[
    "maxmemory",
    "maxmemory-policy",
    "port",
    "appendonly",
    "databases",
    "dir",
    "save",
    "bind",
    "protected-mode",
    "requirepass",
    "replicaof",
];

/// Runs one command on a server with configuration `config`, data `keys` and `role`, running
/// Redis `version`.
pub fn execute(c: &[String], config: &str, keys: &mut Keys, role: &Role, version: &str) -> Reply {
    let Some(verb) = c.first().map(|v| v.to_ascii_uppercase()) else { return Ok(String::new()) };
    if is_write(c) && matches!(role, Role::Replica { .. }) {
        return Err("READONLY You can't write against a read only replica.".into());
    }
    let out = match (verb.as_str(), c.len()) {
        ("PING", 1) => "PONG\n".to_string(),
        ("PING", _) => format!("{}\n", c[1]),
        ("ECHO", 2) => format!("{}\n", c[1]),
        ("CONFIG", 3) if c[1].eq_ignore_ascii_case("get") => {
            let pat = c[2].to_ascii_lowercase();
            KNOWN
                .iter()
                .filter(|k| super::interp::glob_match(&pat, k))
                .map(|k| match (*k, role) {
                    ("replicaof", Role::Replica { host, port, .. }) => format!("{k}\n{host} {port}\n"),
                    _ => format!("{k}\n{}\n", setting(config, k)),
                })
                .collect()
        }
        ("INFO", _) => {
            let replication = match role {
                Role::Leader => "role:master\r\nconnected_slaves:0\r\n".to_string(),
                Role::Replica { host, port, link_up } => format!(
                    "role:slave\r\nmaster_host:{host}\r\nmaster_port:{port}\r\nmaster_link_status:{}\r\n",
                    if *link_up { "up" } else { "down" }
                ),
            };
            format!(
                "# Server\r\nredis_version:{version}\r\nredis_mode:standalone\r\ntcp_port:{}\r\n\r\n# Memory\r\nmaxmemory:{}\r\nmaxmemory_policy:{}\r\n\r\n# Replication\r\n{replication}\r\n# Keyspace\r\n{}",
                setting(config, "port"),
                setting(config, "maxmemory"),
                setting(config, "maxmemory-policy"),
                if keys.is_empty() { String::new() } else { format!("db0:keys={},expires=0,avg_ttl=0\r\n", keys.len()) }
            )
        }
        ("SET", 3) => {
            let value = c[2].clone();
            let full = keys.len() >= MAX_KEYS;
            match keys.iter_mut().find(|(k, _)| *k == c[1]) {
                Some((_, v)) => *v = value,
                None if full => return Err("OOM command not allowed when used memory > 'maxmemory'.".into()),
                None => keys.push((c[1].clone(), value)),
            }
            "OK\n".to_string()
        }
        ("GET", 2) => format!("{}\n", keys.iter().find(|(k, _)| *k == c[1]).map_or("", |(_, v)| v.as_str())),
        ("DEL", n) if n >= 2 => {
            let before = keys.len();
            keys.retain(|(k, _)| !c[1..].contains(k));
            format!("{}\n", before - keys.len())
        }
        ("FLUSHALL" | "FLUSHDB", _) => {
            keys.clear();
            "OK\n".to_string()
        }
        ("DBSIZE", 1) => format!("{}\n", keys.len()),
        ("KEYS", 2) => {
            keys.iter().filter(|(k, _)| super::interp::glob_match(&c[1], k)).map(|(k, _)| format!("{k}\n")).collect()
        }
        ("CONFIG" | "SET" | "GET" | "KEYS" | "ECHO" | "DBSIZE" | "DEL", _) => {
            return Err(format!("ERR wrong number of arguments for '{}' command", c[0].to_ascii_lowercase()))
        }
        _ => {
            let rest: Vec<String> = c[1..].iter().map(|a| format!("'{a}'")).collect();
            return Err(format!("ERR unknown command '{}', with args beginning with: {}", c[0], rest.join(" ")));
        }
    };
    Ok(out)
}

/// `2mb` → 2097152, `100k` → 100000: Redis's memory units.
pub(super) fn redis_bytes(v: &str) -> u64 {
    let lower = v.to_ascii_lowercase();
    let digits: String = lower.chars().take_while(char::is_ascii_digit).collect();
    let n: u64 = digits.parse().unwrap_or(0);
    let unit = match &lower[digits.len()..] {
        "k" => 1000,
        "kb" => 1024,
        "m" => 1_000_000,
        "mb" => 1 << 20,
        "g" => 1_000_000_000,
        "gb" => 1 << 30,
        _ => 1,
    };
    n.saturating_mul(unit)
}

/// Where a process with no cluster network keeps its own server's data and configuration.
const KEYS_FILE: &str = "/proc/1/redis.keys";
/// The configuration the server read when it started (its entrypoint writes it).
pub const CONFIG_FILE: &str = "/proc/1/redis.conf";

impl Machine {
    /// `redis-cli [-h HOST] [-p PORT] [COMMAND…]` (commands from stdin when none is given).
    pub(super) fn redis_cli(&mut self, args: &[&str], net: &mut dyn Network) -> i32 {
        let mut host = "127.0.0.1".to_string();
        let mut port = "6379".to_string();
        let mut cmd: Vec<String> = Vec::new();
        let mut i = 0;
        while i < args.len() {
            match args[i] {
                "-h" => {
                    i += 1;
                    host = args.get(i).unwrap_or(&"").to_string();
                }
                "-p" => {
                    i += 1;
                    port = args.get(i).unwrap_or(&"").to_string();
                }
                "-a" | "-n" | "--user" | "--pass" => i += 1,
                "--raw" | "--no-raw" | "--no-auth-warning" | "-e" => {}
                _ => {
                    cmd = args[i..].iter().map(|s| s.to_string()).collect();
                    break;
                }
            }
            i += 1;
        }
        let commands: Vec<Vec<String>> = if cmd.is_empty() {
            match self.stdin.take() {
                Some(text) => text.lines().map(|l| l.split_whitespace().map(str::to_string).collect()).collect(),
                None => return 0,
            }
        } else {
            vec![cmd]
        };
        let port_n: u16 = port.parse().unwrap_or(0);
        let mut code = 0;
        let tty = self.env.tty;
        for c in commands.iter().filter(|c| !c.is_empty()) {
            let reply = match net.redis(&host, port_n, c) {
                Some(Ok(reply)) => reply,
                Some(Err(e)) => {
                    let why = match e {
                        NetError::BadAddress(_) => "Name or service not known",
                        NetError::Refused { .. } => "Connection refused",
                        NetError::TimedOut { .. } => "Connection timed out",
                    };
                    self.write(2, &format!("Could not connect to Redis at {host}:{port}: {why}\n"));
                    return 1;
                }
                None => match self.redis_here(&host, &port, c, net) {
                    Some(reply) => reply,
                    None => return 1,
                },
            };
            match reply {
                Ok(out) if tty => self.write(1, &redis_for_terminal(&c[0], &out)),
                Ok(out) => self.write(1, &out),
                Err(e) => {
                    self.write(1, &format!("{}{e}\n", if tty { "(error) " } else { "" }));
                    code = 1;
                }
            }
        }
        code
    }

    /// A command where no network carries Redis traffic: this container's own server (its
    /// files), or another host's answered as a server with the default configuration.
    // SIM: another host's data is not reachable from here; it starts empty.
    fn redis_here(&mut self, host: &str, port: &str, c: &[String], net: &mut dyn Network) -> Option<Reply> {
        let local = matches!(host, "127.0.0.1" | "localhost" | "::1") || host == self.env.hostname;
        let config = if local {
            match self.env.files.get(CONFIG_FILE) {
                Some(c) => c.clone(),
                None => {
                    self.write(2, &format!("Could not connect to Redis at {host}:{port}: Connection refused\n"));
                    return None;
                }
            }
        } else if net.resolve(host).is_none() && host.parse::<std::net::Ipv4Addr>().is_err() {
            self.write(2, &format!("Could not connect to Redis at {host}:{port}: Name or service not known\n"));
            return None;
        } else {
            String::new()
        };
        let mut keys: Keys = self
            .env
            .files
            .get(KEYS_FILE)
            .map(|t| {
                t.lines().filter_map(|l| l.split_once('\t')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
            })
            .unwrap_or_default();
        let version = self.vars.get("REDIS_VERSION").cloned().unwrap_or_else(|| "7.4.1".into());
        let reply = execute(c, &config, &mut keys, &Role::Leader, &version);
        let text: String = keys.iter().map(|(k, v)| format!("{k}\t{}\n", v.replace(['\t', '\n'], " "))).collect();
        self.env.files.insert(KEYS_FILE.to_string(), text);
        Some(reply)
    }
}

/// What `redis-cli` prints at a terminal (numbered, quoted replies) for the raw reply it
/// prints into a pipe.
fn redis_for_terminal(verb: &str, raw: &str) -> String {
    match verb.to_ascii_uppercase().as_str() {
        "CONFIG" | "KEYS" if raw.is_empty() => "(empty array)\n".into(),
        "CONFIG" | "KEYS" => raw.lines().enumerate().map(|(n, l)| format!("{}) \"{l}\"\n", n + 1)).collect(),
        "DEL" | "DBSIZE" => format!("(integer) {raw}"),
        "GET" if raw == "\n" => "(nil)\n".into(),
        "GET" | "ECHO" => format!("\"{}\"\n", raw.trim_end_matches('\n')),
        _ => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redis_cli_at_a_terminal_numbers_and_quotes_replies() {
        // The Configuring Redis using a ConfigMap tutorial shows these at redis-cli's prompt.
        assert_eq!(redis_for_terminal("CONFIG", "maxmemory\n2097152\n"), "1) \"maxmemory\"\n2) \"2097152\"\n");
        assert_eq!(redis_for_terminal("keys", ""), "(empty array)\n");
        assert_eq!(redis_for_terminal("DBSIZE", "3\n"), "(integer) 3\n");
        assert_eq!(redis_for_terminal("GET", "\n"), "(nil)\n");
        assert_eq!(redis_for_terminal("GET", "hi\n"), "\"hi\"\n");
        assert_eq!(redis_for_terminal("PING", "PONG\n"), "PONG\n");
    }

    fn cmd(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn redis_sizes_follow_its_units() {
        assert_eq!(redis_bytes("2mb"), 2_097_152);
        assert_eq!(redis_bytes("2m"), 2_000_000);
        assert_eq!(redis_bytes("100"), 100);
    }

    #[test]
    fn a_replica_refuses_writes_and_names_its_leader() {
        let role = Role::Replica { host: "redis-leader".into(), port: 6379, link_up: true };
        let mut keys = vec![("k".to_string(), "v".to_string())];
        assert_eq!(
            execute(&cmd(&["set", "a", "b"]), "", &mut keys, &role, "6.0.5"),
            Err("READONLY You can't write against a read only replica.".into())
        );
        assert_eq!(execute(&cmd(&["GET", "k"]), "", &mut keys, &role, "6.0.5"), Ok("v\n".into()));
        let info = execute(&cmd(&["INFO"]), "", &mut keys, &role, "6.0.5").unwrap();
        assert!(info.contains("role:slave\r\nmaster_host:redis-leader\r\n"), "{info}");
        assert_eq!(leader_of("port 6379\nreplicaof redis-leader 6379\n"), Some(("redis-leader".into(), 6379)));
        assert_eq!(leader_of("slaveof redis-master 6380"), Some(("redis-master".into(), 6380)));
        assert_eq!(leader_of("replicaof no one"), None);
    }
}

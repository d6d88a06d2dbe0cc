//! Redis as its clients see it: `redis-cli` (the image's client, and what the guestbook's PHP
//! does with Predis), redigo (the Go client of the Go guestbook, `__redigo`) and the commands a
//! Redis server answers: strings and lists.
//!
//! The server's data is wherever the network keeps it: a cluster network sends each command to
//! the container that listens at the address (see [`super::Network::redis`]); a process with no
//! network (the terminal's own host) keeps it in its own files.

use super::interp::Machine;
use super::{NetError, Network};

/// What a Redis server keeps: keys in the order they were first set.
pub type Keys = Vec<(String, Value)>;

/// The value of a key: a string (`SET`) or a list (`RPUSH`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Str(String),
    List(Vec<String>),
}

/// Keys a server holds at most, and elements one list holds at most.
const MAX_KEYS: usize = 10_000;

/// Redis's error for a command on a key of the other type (`GET` of a list).
const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
/// What a server refuses to grow with past the sandbox's bounds, as a full `maxmemory` does.
const OOM: &str = "OOM command not allowed when used memory > 'maxmemory'.";

/// One command's reply (as `redis-cli` prints it, newline included), or the server's error reply.
pub type Reply = Result<String, String>;

/// The role a server has: a leader, with the addresses of the replicas connected to it, or a
/// replica of `host:port` (`replicaof` in its config), with whether its link to the leader is
/// up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Leader { replicas: Vec<String> },
    Replica { host: String, port: u16, link_up: bool },
}

/// The state of a replica's link to its leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Up,
    /// The leader cannot be reached.
    Down,
    /// The leader's snapshot is in an RDB format (this version) newer than the replica reads.
    Unreadable(u32),
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
    const WRITES: &[&str] = &["SET", "DEL", "FLUSHALL", "FLUSHDB", "RPUSH", "LPUSH", "LPOP", "RPOP"];
    command.first().is_some_and(|v| WRITES.iter().any(|w| v.eq_ignore_ascii_case(w)))
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
                // SIM: a replica's offset and lag are not followed; it shows as caught up.
                Role::Leader { replicas } => {
                    let mut text = format!("role:master\r\nconnected_slaves:{}\r\n", replicas.len());
                    for (i, ip) in replicas.iter().enumerate() {
                        text.push_str(&format!("slave{i}:ip={ip},port=6379,state=online,offset=0,lag=0\r\n"));
                    }
                    text
                }
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
            let value = Value::Str(c[2].clone());
            let full = keys.len() >= MAX_KEYS;
            match keys.iter_mut().find(|(k, _)| *k == c[1]) {
                Some((_, v)) => *v = value,
                None if full => return Err(OOM.into()),
                None => keys.push((c[1].clone(), value)),
            }
            "OK\n".to_string()
        }
        ("GET", 2) => match value_of(keys, &c[1]) {
            None => "\n".to_string(),
            Some(Value::Str(v)) => format!("{v}\n"),
            Some(Value::List(_)) => return Err(WRONGTYPE.into()),
        },
        ("TYPE", 2) => match value_of(keys, &c[1]) {
            None => "none\n".to_string(),
            Some(Value::Str(_)) => "string\n".to_string(),
            Some(Value::List(_)) => "list\n".to_string(),
        },
        ("RPUSH" | "LPUSH", n) if n >= 3 => {
            if n - 2 > MAX_KEYS {
                return Err(OOM.into());
            }
            let full = keys.len() >= MAX_KEYS;
            let list = match keys.iter().position(|(k, _)| *k == c[1]) {
                Some(i) => &mut keys[i].1,
                None if full => return Err(OOM.into()),
                None => {
                    keys.push((c[1].clone(), Value::List(Vec::new())));
                    &mut keys.last_mut().expect("just pushed").1
                }
            };
            let Value::List(list) = list else { return Err(WRONGTYPE.into()) };
            if list.len() + (n - 2) > MAX_KEYS {
                return Err(OOM.into());
            }
            for v in &c[2..] {
                if verb == "RPUSH" {
                    list.push(v.clone());
                } else {
                    list.insert(0, v.clone());
                }
            }
            format!("{}\n", list.len())
        }
        ("LRANGE", 4) => {
            let (Some(start), Some(stop)) = (redis_int(&c[2]), redis_int(&c[3])) else {
                return Err(NOT_INTEGER.into());
            };
            let list = list_of(keys, &c[1])?;
            let (from, to) = list_range(list.len(), start, stop);
            list[from..to].iter().map(|v| format!("{v}\n")).collect()
        }
        ("LLEN", 2) => format!("{}\n", list_of(keys, &c[1])?.len()),
        ("LINDEX", 3) => {
            let Some(i) = redis_int(&c[2]) else { return Err(NOT_INTEGER.into()) };
            let list = list_of(keys, &c[1])?;
            let (from, to) = list_range(list.len(), i, i);
            format!("{}\n", list[from..to].first().map_or("", String::as_str))
        }
        ("LPOP" | "RPOP", 2) => {
            let Some(i) = keys.iter().position(|(k, _)| *k == c[1]) else { return Ok("\n".into()) };
            let Value::List(list) = &mut keys[i].1 else { return Err(WRONGTYPE.into()) };
            let popped = if verb == "LPOP" { list.remove(0) } else { list.pop().unwrap_or_default() };
            // Redis deletes a list when its last element goes.
            if list.is_empty() {
                keys.remove(i);
            }
            format!("{popped}\n")
        }
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
        (
            "CONFIG" | "SET" | "GET" | "KEYS" | "ECHO" | "DBSIZE" | "DEL" | "TYPE" | "RPUSH" | "LPUSH" | "LRANGE"
            | "LLEN" | "LINDEX" | "LPOP" | "RPOP",
            _,
        ) => return Err(format!("ERR wrong number of arguments for '{}' command", c[0].to_ascii_lowercase())),
        _ => {
            let rest: Vec<String> = c[1..].iter().map(|a| format!("'{a}'")).collect();
            return Err(format!("ERR unknown command '{}', with args beginning with: {}", c[0], rest.join(" ")));
        }
    };
    Ok(out)
}

/// Redis's error for an index that is not a number.
const NOT_INTEGER: &str = "ERR value is not an integer or out of range";

fn value_of<'k>(keys: &'k Keys, key: &str) -> Option<&'k Value> {
    keys.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The list at `key` (a missing key is an empty list), or Redis's error for a string.
fn list_of<'k>(keys: &'k Keys, key: &str) -> Result<&'k [String], String> {
    match value_of(keys, key) {
        None => Ok(&[]),
        Some(Value::List(l)) => Ok(l),
        Some(Value::Str(_)) => Err(WRONGTYPE.into()),
    }
}

/// A 64-bit integer argument as Redis reads one (`-1`, `+2`; no blanks).
fn redis_int(arg: &str) -> Option<i64> {
    arg.parse().ok()
}

/// The slice `[from, to)` that LRANGE's inclusive `start..=stop` selects of a list of `len`:
/// negative indexes count from the end (-1 is the last), and out-of-range ones are clamped,
/// as Redis's `lrangeGenericCommand` does.
fn list_range(len: usize, start: i64, stop: i64) -> (usize, usize) {
    let len = len as i64;
    let start = if start < 0 { (len + start).max(0) } else { start };
    let stop = if stop < 0 { len + stop } else { stop.min(len - 1) };
    if start > stop || start >= len {
        return (0, 0);
    }
    (start as usize, stop as usize + 1)
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
            let reply = match self.send_redis(&host, port_n, c, net) {
                Ok(reply) => reply,
                Err(e) => {
                    let why = match e {
                        NetError::BadAddress(_) => "Name or service not known",
                        NetError::Refused { .. } => "Connection refused",
                        NetError::TimedOut { .. } => "Connection timed out",
                    };
                    self.write(2, &format!("Could not connect to Redis at {host}:{port}: {why}\n"));
                    return 1;
                }
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

    /// `__redigo HOST:PORT COMMAND [ARG…]`: one command sent as a Go program sends it with
    /// redigo (`redis.Dial("tcp", addr)` then `Do`). The reply goes to stdout as `redis-cli`
    /// prints it into a pipe; a failure goes to stderr as the Go error's text (what the
    /// program's `panic(err)` shows), with status 1.
    ///
    /// The texts are those of the Go 1.6 runtime the Go guestbook's image was built with:
    /// `dial tcp: lookup redis-slave on 10.96.0.10:53: no such host`, `dial tcp
    /// 10.96.0.7:6379: getsockopt: connection refused` (Go 1.10 and later say `connect:`).
    pub(super) fn redigo(&mut self, args: &[&str], net: &mut dyn Network) -> i32 {
        let Some((addr, command)) = args.split_first() else {
            self.write(2, "usage: __redigo HOST:PORT COMMAND [ARG...]\n");
            return 2;
        };
        let (host, port) = match addr.rsplit_once(':') {
            Some((h, p)) => (h, p.parse().unwrap_or(0)),
            None => (*addr, 0),
        };
        if command.is_empty() {
            self.write(2, "usage: __redigo HOST:PORT COMMAND [ARG...]\n");
            return 2;
        }
        let c: Vec<String> = command.iter().map(|s| s.to_string()).collect();
        let why = match self.send_redis(host, port, &c, net) {
            Ok(Ok(out)) => {
                self.write(1, &out);
                return 0;
            }
            Ok(Err(e)) => e,
            Err(NetError::BadAddress(_)) => {
                let ns = self.nameserver();
                // SIM: Go's text for a DNS server that does not answer also names the UDP
                // exchange (`read udp A->B: i/o timeout`); it is left out here.
                let what = if net.dns_reachable() { "no such host" } else { "i/o timeout" };
                format!("dial tcp: lookup {host} on {ns}:53: {what}")
            }
            Err(NetError::Refused { ip, port }) => format!("dial tcp {ip}:{port}: getsockopt: connection refused"),
            Err(NetError::TimedOut { ip, port }) => {
                format!("dial tcp {ip}:{port}: getsockopt: connection timed out")
            }
        };
        self.write(2, &format!("{why}\n"));
        1
    }

    /// The first `nameserver` of the container's `/etc/resolv.conf` (the cluster's DNS).
    fn nameserver(&self) -> String {
        self.env
            .files
            .get("/etc/resolv.conf")
            .and_then(|t| t.lines().find_map(|l| l.strip_prefix("nameserver").map(|a| a.trim().to_string())))
            .unwrap_or_else(|| "10.96.0.10".into())
    }

    /// Sends `c` to the server at `host:port`: through the network when it carries Redis
    /// traffic, else to this container's own server.
    fn send_redis(&mut self, host: &str, port: u16, c: &[String], net: &mut dyn Network) -> Result<Reply, NetError> {
        match net.redis(host, port, c) {
            Some(result) => result,
            None => self.redis_here(host, port, c, net),
        }
    }

    /// A command where no network carries Redis traffic: this container's own server (its
    /// files), or another host's answered as a server with the default configuration.
    // SIM: another host's data is not reachable from here; it starts empty.
    fn redis_here(&mut self, host: &str, port: u16, c: &[String], net: &mut dyn Network) -> Result<Reply, NetError> {
        let local = matches!(host, "127.0.0.1" | "localhost" | "::1") || host == self.env.hostname;
        let config = if local {
            match self.env.files.get(CONFIG_FILE) {
                Some(c) => c.clone(),
                None => return Err(NetError::Refused { ip: host.to_string(), port }),
            }
        } else if net.resolve(host).is_none() && host.parse::<std::net::Ipv4Addr>().is_err() {
            return Err(NetError::BadAddress(host.to_string()));
        } else {
            String::new()
        };
        let mut keys = self.env.files.get(KEYS_FILE).map(|t| unpack_keys(t)).unwrap_or_default();
        let version = self.vars.get("REDIS_VERSION").cloned().unwrap_or_else(|| "7.4.1".into());
        let reply = execute(c, &config, &mut keys, &Role::Leader { replicas: Vec::new() }, &version);
        self.env.files.insert(KEYS_FILE.to_string(), pack_keys(&keys));
        Ok(reply)
    }
}

/// A server's data as [`KEYS_FILE`] keeps it: a line per key, `s` or `l`, the key and its
/// value or elements, separated by tabs.
// SIM: tabs and line breaks inside keys and values are kept as blanks.
fn pack_keys(keys: &Keys) -> String {
    let clean = |s: &str| s.replace(['\t', '\n'], " ");
    keys.iter()
        .map(|(k, v)| match v {
            Value::Str(s) => format!("s\t{}\t{}\n", clean(k), clean(s)),
            Value::List(l) => {
                let items: Vec<String> = l.iter().map(|e| clean(e)).collect();
                format!("l\t{}\t{}\n", clean(k), items.join("\t"))
            }
        })
        .collect()
}

/// The data [`pack_keys`] wrote.
fn unpack_keys(text: &str) -> Keys {
    text.lines()
        .filter_map(|l| {
            let mut fields = l.split('\t');
            let kind = fields.next()?;
            let key = fields.next()?.to_string();
            match kind {
                "s" => Some((key, Value::Str(fields.next().unwrap_or("").to_string()))),
                "l" => Some((key, Value::List(fields.map(str::to_string).collect()))),
                _ => None,
            }
        })
        .collect()
}

/// What `redis-cli` prints at a terminal (numbered, quoted replies) for the raw reply it
/// prints into a pipe.
fn redis_for_terminal(verb: &str, raw: &str) -> String {
    match verb.to_ascii_uppercase().as_str() {
        "CONFIG" | "KEYS" | "LRANGE" if raw.is_empty() => "(empty array)\n".into(),
        "CONFIG" | "KEYS" | "LRANGE" => raw.lines().enumerate().map(|(n, l)| format!("{}) \"{l}\"\n", n + 1)).collect(),
        "DEL" | "DBSIZE" | "RPUSH" | "LPUSH" | "LLEN" => format!("(integer) {raw}"),
        "GET" | "LINDEX" | "LPOP" | "RPOP" if raw == "\n" => "(nil)\n".into(),
        "GET" | "ECHO" | "LINDEX" | "LPOP" | "RPOP" => format!("\"{}\"\n", raw.trim_end_matches('\n')),
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
        let mut keys = vec![("k".to_string(), Value::Str("v".to_string()))];
        for write in [&["set", "a", "b"][..], &["RPUSH", "l", "x"], &["lpop", "l"]] {
            assert_eq!(
                execute(&cmd(write), "", &mut keys, &role, "6.0.5"),
                Err("READONLY You can't write against a read only replica.".into())
            );
        }
        assert_eq!(execute(&cmd(&["GET", "k"]), "", &mut keys, &role, "6.0.5"), Ok("v\n".into()));
        let info = execute(&cmd(&["INFO"]), "", &mut keys, &role, "6.0.5").unwrap();
        assert!(info.contains("role:slave\r\nmaster_host:redis-leader\r\n"), "{info}");
        assert_eq!(leader_of("port 6379\nreplicaof redis-leader 6379\n"), Some(("redis-leader".into(), 6379)));
        assert_eq!(leader_of("slaveof redis-master 6380"), Some(("redis-master".into(), 6380)));
        assert_eq!(leader_of("replicaof no one"), None);
    }

    #[test]
    fn lists_push_at_either_end_and_lrange_counts_from_the_end_with_negative_indexes() {
        let mut keys = Keys::new();
        let mut run =
            |words: &[&str]| execute(&cmd(words), "", &mut keys, &Role::Leader { replicas: Vec::new() }, "7.2.6");
        assert_eq!(run(&["LRANGE", "guestbook", "0", "-1"]), Ok(String::new()));
        assert_eq!(run(&["RPUSH", "guestbook", "hello"]), Ok("1\n".into()));
        assert_eq!(run(&["rpush", "guestbook", "world", "again"]), Ok("3\n".into()));
        assert_eq!(run(&["LPUSH", "guestbook", "b", "a"]), Ok("5\n".into()));
        assert_eq!(run(&["LRANGE", "guestbook", "0", "-1"]), Ok("a\nb\nhello\nworld\nagain\n".into()));
        assert_eq!(run(&["LRANGE", "guestbook", "-2", "100"]), Ok("world\nagain\n".into()));
        assert_eq!(run(&["LRANGE", "guestbook", "3", "1"]), Ok(String::new()));
        assert_eq!(run(&["LRANGE", "guestbook", "-100", "0"]), Ok("a\n".into()));
        assert_eq!(run(&["LRANGE", "guestbook", "x", "1"]), Err("ERR value is not an integer or out of range".into()));
        assert_eq!(run(&["LINDEX", "guestbook", "-1"]), Ok("again\n".into()));
        assert_eq!(run(&["LINDEX", "guestbook", "9"]), Ok("\n".into()));
        assert_eq!(run(&["LLEN", "guestbook"]), Ok("5\n".into()));
        assert_eq!(run(&["LPOP", "guestbook"]), Ok("a\n".into()));
        assert_eq!(run(&["RPOP", "guestbook"]), Ok("again\n".into()));
        assert_eq!(run(&["TYPE", "guestbook"]), Ok("list\n".into()));
        assert_eq!(run(&["RPUSH", "guestbook"]), Err("ERR wrong number of arguments for 'rpush' command".into()));
    }

    #[test]
    fn a_list_and_a_string_refuse_each_others_commands() {
        let mut keys = Keys::new();
        let mut run =
            |words: &[&str]| execute(&cmd(words), "", &mut keys, &Role::Leader { replicas: Vec::new() }, "7.2.6");
        run(&["SET", "s", "v"]).unwrap();
        run(&["RPUSH", "l", "v"]).unwrap();
        let wrong = Err("WRONGTYPE Operation against a key holding the wrong kind of value".to_string());
        assert_eq!(run(&["RPUSH", "s", "x"]), wrong);
        assert_eq!(run(&["LRANGE", "s", "0", "-1"]), wrong);
        assert_eq!(run(&["GET", "l"]), wrong);
        // SET replaces a value of any type; the last element popped deletes the list.
        assert_eq!(run(&["SET", "l", "now a string"]), Ok("OK\n".into()));
        assert_eq!(run(&["GET", "l"]), Ok("now a string\n".into()));
        run(&["RPUSH", "one", "x"]).unwrap();
        assert_eq!(run(&["RPOP", "one"]), Ok("x\n".into()));
        assert_eq!(run(&["TYPE", "one"]), Ok("none\n".into()));
        assert_eq!(run(&["LPOP", "one"]), Ok("\n".into()));
    }

    #[test]
    fn a_servers_own_data_survives_its_file() {
        let keys = vec![
            ("s".to_string(), Value::Str("a b".to_string())),
            ("l".to_string(), Value::List(vec!["x".into(), String::new(), "z".into()])),
        ];
        assert_eq!(unpack_keys(&pack_keys(&keys)), keys);
    }

    #[test]
    fn redis_cli_at_a_terminal_shows_lists_numbered_and_lengths_as_integers() {
        assert_eq!(redis_for_terminal("LRANGE", "a\nb\n"), "1) \"a\"\n2) \"b\"\n");
        assert_eq!(redis_for_terminal("lrange", ""), "(empty array)\n");
        assert_eq!(redis_for_terminal("RPUSH", "2\n"), "(integer) 2\n");
        assert_eq!(redis_for_terminal("LPOP", "\n"), "(nil)\n");
    }
}

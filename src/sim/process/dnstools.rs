//! The DNS clients images ship beyond busybox's `nslookup`: BIND's `dig` and `host` (dnsutils,
//! bind-tools: `registry.k8s.io/e2e-test-images/jessie-dnsutils`, `tutum/dnsutils`, agnhost)
//! and the C library's `getent hosts|ahosts|ahostsv4` (glibc and musl images; busybox has none).
//!
//! They ask the cluster's DNS through [`Network`]: `dig` sends the name as given (no search
//! list unless `+search`), `host` and `getent` go through the pod's search domains (`ndots:5`).

use super::builtins::format_date;
use super::interp::Machine;
use super::{Network, SrvRecord};

/// The cluster's DNS Service address (the pods' `nameserver`).
const DNS_SERVER: &str = "10.96.0.10";
/// The TTL kubeadm's Corefile gives the `kubernetes` plugin's answers.
const TTL: u32 = 30;

/// One resource record of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Data {
    A(String),
    Cname(String),
    Srv(SrvRecord),
    Ptr(String),
    Soa,
}

impl Data {
    fn kind(&self) -> &'static str {
        match self {
            Data::A(_) => "A",
            Data::Cname(_) => "CNAME",
            Data::Srv(_) => "SRV",
            Data::Ptr(_) => "PTR",
            Data::Soa => "SOA",
        }
    }

    fn rdata(&self) -> String {
        match self {
            Data::A(ip) => ip.clone(),
            Data::Cname(t) | Data::Ptr(t) => format!("{t}."),
            Data::Srv(s) => format!("{} {} {} {}.", s.priority, s.weight, s.port, s.target),
            Data::Soa => "ns.dns.cluster.local. hostmaster.cluster.local. 1733097600 7200 1800 86400 30".into(),
        }
    }

    /// Length of the record's data on the wire.
    fn rdlen(&self) -> usize {
        match self {
            Data::A(_) => 4,
            Data::Cname(t) | Data::Ptr(t) => wire_len(t),
            Data::Srv(s) => 6 + wire_len(&s.target),
            Data::Soa => wire_len("ns.dns.cluster.local") + wire_len("hostmaster.cluster.local") + 20,
        }
    }
}

/// A record: owner name (fully qualified, no trailing dot) and data.
type Record = (String, Data);

/// What the server answered.
struct Answer {
    status: &'static str,
    answer: Vec<Record>,
    authority: Vec<Record>,
    additional: Vec<Record>,
}

/// The length of a name on the wire, uncompressed (CoreDNS compresses only what would not fit).
fn wire_len(name: &str) -> usize {
    let name = name.trim_end_matches('.');
    if name.is_empty() {
        1
    } else {
        name.len() + 2
    }
}

/// `4.3.2.1.in-addr.arpa` → `1.2.3.4`.
fn reverse_ip(name: &str) -> Option<String> {
    let rest = name.trim_end_matches('.').strip_suffix(".in-addr.arpa")?;
    let mut octets: Vec<&str> = rest.split('.').collect();
    octets.reverse();
    let ip = octets.join(".");
    ip.parse::<std::net::Ipv4Addr>().is_ok().then_some(ip)
}

/// `1.2.3.4` → `4.3.2.1.in-addr.arpa`.
fn arpa(ip: &str) -> String {
    let mut octets: Vec<&str> = ip.split('.').collect();
    octets.reverse();
    format!("{}.in-addr.arpa", octets.join("."))
}

/// Asks the cluster's DNS for `qtype` records of the fully qualified `name`; None when no
/// server answers (CoreDNS scaled to zero).
fn query(net: &mut dyn Network, name: &str, qtype: &str) -> Option<Answer> {
    if !net.dns_reachable() {
        return None;
    }
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let in_zone = name.ends_with(".cluster.local") || name == "cluster.local";
    let soa = || if in_zone { vec![("cluster.local".to_string(), Data::Soa)] } else { Vec::new() };
    let mut a = Answer { status: "NOERROR", answer: Vec::new(), authority: Vec::new(), additional: Vec::new() };
    let literal = name.parse::<std::net::Ipv4Addr>().is_ok();
    let cname = if literal { None } else { net.canonical_name(&name).filter(|(alias, _)| *alias == name) };
    let addresses: Vec<String> = if literal || cname.is_some() || !in_zone || net.full_name(&name) != name {
        Vec::new()
    } else {
        net.resolve_all(&name)
    };
    let srv = if in_zone { net.srv_records(&name) } else { Vec::new() };
    let ptr = reverse_ip(&name).and_then(|ip| net.reverse_name(&ip));
    let exists = cname.is_some() || !addresses.is_empty() || !srv.is_empty() || ptr.is_some();
    if !exists {
        a.status = "NXDOMAIN";
        a.authority = soa();
        return Some(a);
    }
    if let Some((alias, target)) = cname {
        // SIM: the external name resolves nowhere (no internet), so the CNAME comes alone.
        a.answer.push((alias, Data::Cname(target)));
        return Some(a);
    }
    match qtype {
        "A" | "ANY" => a.answer.extend(addresses.into_iter().map(|ip| (name.clone(), Data::A(ip)))),
        "SRV" => {
            for s in srv {
                a.additional.push((s.target.clone(), Data::A(s.address.clone())));
                a.answer.push((name.clone(), Data::Srv(s)));
            }
        }
        "PTR" => a.answer.extend(ptr.map(|p| (name.clone(), Data::Ptr(p)))),
        _ => {}
    }
    if a.answer.is_empty() {
        a.authority = soa();
    }
    Some(a)
}

/// Pads `line` with tabs to `column` (at least one tab), as BIND's master-file style lays
/// records out; `col` is the line's width so far with tabs expanded.
fn pad(line: &mut String, col: &mut usize, column: usize) {
    let tabs = (column / 8).saturating_sub(*col / 8).max(1);
    for _ in 0..tabs {
        line.push('\t');
        *col = (*col / 8 + 1) * 8;
    }
}

/// Lays fields out at dig's columns (TTL 24, class 32, type 40, data 48); `None` skips one.
fn columns(owner: &str, fields: [(Option<&str>, usize); 4]) -> String {
    let mut line = owner.to_string();
    let mut col = line.len();
    for (text, column) in fields {
        let Some(text) = text else { continue };
        pad(&mut line, &mut col, column);
        line.push_str(text);
        col += text.len();
    }
    line.push('\n');
    line
}

fn record_line((name, data): &Record) -> String {
    let ttl = TTL.to_string();
    let rdata = data.rdata();
    columns(&format!("{name}."), [(Some(&ttl), 24), (Some("IN"), 32), (Some(data.kind()), 40), (Some(&rdata), 48)])
}

fn question_line(name: &str, qtype: &str) -> String {
    columns(&format!(";{name}."), [(None, 24), (Some("IN"), 32), (Some(qtype), 40), (None, 48)])
}

/// The version each image's BIND tools print.
fn bind_version(repository: &str) -> &'static str {
    if repository.contains("tutum/dnsutils") {
        "9.9.5-3ubuntu0.2-Ubuntu"
    } else if repository.contains("e2e-test-images/agnhost") {
        "9.16.20"
    } else if repository.contains("infoblox") {
        "9.11.3-1ubuntu1.18-Ubuntu"
    } else {
        "9.9.5-9+deb8u19-Debian"
    }
}

/// Whether the image's `nslookup` is BIND's (it ships `dig`), which writes `10.96.0.10#53`.
pub(super) fn bind_nslookup(image: &crate::sim::images::Profile) -> bool {
    image.program("dig").is_some()
}

/// Whether the image has `getent` (the C library's tools): every image but busybox.
pub(super) fn has_getent(repository: &str) -> bool {
    !(repository.ends_with("/busybox") || repository.ends_with("/busyboxplus"))
}

/// Whether `server` (dig's `@server`) is the cluster's DNS: kube-dns's address; anything else
/// is outside the sandbox, where nothing answers.
fn cluster_server(server: &str) -> bool {
    // SIM: a CoreDNS pod's own address answers too in a real cluster; only the Service is known.
    matches!(server, DNS_SERVER | "kube-dns.kube-system.svc.cluster.local" | "kube-dns.kube-system")
}

impl Machine {
    /// `dig [@server] [-t type] [-x addr] [+short] [+search] [+noall +answer] name [type]`.
    pub(super) fn dig(&mut self, args: &[&str], net: &mut dyn Network) -> i32 {
        let (mut name, mut qtype, mut server) = (None::<String>, "A".to_string(), DNS_SERVER.to_string());
        let (mut short, mut search, mut sections, mut cmd) = (false, false, true, true);
        let mut answer_only = false;
        let mut i = 0;
        while i < args.len() {
            let a = args[i];
            match a {
                "-t" | "-c" | "-p" | "-q" | "-x" => {
                    let Some(v) = args.get(i + 1) else {
                        self.write(2, &format!("dig: option requires an argument -- {}\n", &a[1..]));
                        return 1;
                    };
                    match a {
                        "-t" => qtype = v.to_ascii_uppercase(),
                        "-q" => name = Some(v.to_string()),
                        "-x" => {
                            if v.parse::<std::net::Ipv4Addr>().is_err() {
                                self.write(2, &format!("Invalid IP address {v}\n"));
                                return 1;
                            }
                            name = Some(arpa(v));
                            qtype = "PTR".into();
                        }
                        _ => {}
                    }
                    i += 2;
                    continue;
                }
                "+short" => short = true,
                "+search" => search = true,
                "+nosearch" => search = false,
                "+noall" => {
                    sections = false;
                    cmd = false;
                }
                "+answer" => answer_only = true,
                "+nocmd" => cmd = false,
                _ if a.starts_with('@') => server = a[1..].to_string(),
                _ if a.starts_with('+') || a.starts_with('-') => {}
                _ if is_qtype(a) => qtype = a.to_ascii_uppercase(),
                _ if a.eq_ignore_ascii_case("IN") && name.is_some() => {}
                _ => name = Some(a.to_string()),
            }
            i += 1;
        }
        let mut out = String::new();
        if cmd && !short {
            let given: Vec<&str> = args.to_vec();
            out.push_str(&format!(
                "\n; <<>> DiG {} <<>> {}\n",
                bind_version(self.env.image.repository),
                given.join(" ")
            ));
            out.push_str(";; global options: +cmd\n");
        }
        let reachable = cluster_server(&server) || net.resolve(&server).as_deref() == Some(DNS_SERVER);
        let Some(qname) = name else {
            // SIM: dig with no name asks for the root's NS records, which come from outside.
            out.push_str(";; connection timed out; no servers could be reached\n");
            self.write(1, &out);
            return 9;
        };
        let mut fqdn = qname.trim_end_matches('.').to_ascii_lowercase();
        if search && !qname.ends_with('.') && fqdn.matches('.').count() < 5 {
            let full = net.full_name(&fqdn);
            if full != fqdn || net.canonical_name(&fqdn).is_some() {
                fqdn = net.canonical_name(&fqdn).map_or(full, |(alias, _)| alias);
            }
        }
        let answer = if reachable { query(net, &fqdn, &qtype) } else { None };
        let Some(answer) = answer else {
            out.push_str(";; connection timed out; no servers could be reached\n");
            self.write(1, &out);
            return 9;
        };
        if short {
            for (_, d) in &answer.answer {
                out.push_str(&match d {
                    Data::A(ip) => format!("{ip}\n"),
                    other => format!("{}\n", other.rdata()),
                });
            }
            return self.out(&out);
        }
        if !sections {
            if answer_only {
                for r in &answer.answer {
                    out.push_str(&record_line(r));
                }
            }
            return self.out(&out);
        }
        let id =
            fqdn.bytes().fold(self.clock.as_millis() as u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32)) % 65536;
        out.push_str(";; Got answer:\n");
        out.push_str(&format!(";; ->>HEADER<<- opcode: QUERY, status: {}, id: {id}\n", answer.status));
        out.push_str(&format!(
            ";; flags: qr aa rd; QUERY: 1, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}\n",
            answer.answer.len(),
            answer.authority.len(),
            answer.additional.len() + 1
        ));
        out.push_str(";; WARNING: recursion requested but not available\n\n");
        out.push_str(";; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 4096\n");
        out.push_str(";; QUESTION SECTION:\n");
        out.push_str(&question_line(&fqdn, &qtype));
        let mut size = 12 + wire_len(&fqdn) + 4 + 11;
        for (title, records) in
            [("ANSWER", &answer.answer), ("AUTHORITY", &answer.authority), ("ADDITIONAL", &answer.additional)]
        {
            if records.is_empty() {
                continue;
            }
            out.push_str(&format!("\n;; {title} SECTION:\n"));
            for r in records {
                out.push_str(&record_line(r));
                size += wire_len(&r.0) + 10 + r.1.rdlen();
            }
        }
        out.push_str("\n;; Query time: 0 msec\n");
        out.push_str(&format!(";; SERVER: {DNS_SERVER}#53({DNS_SERVER})\n"));
        out.push_str(&format!(";; WHEN: {}\n", format_date(self.clock, "%a %b %d %H:%M:%S UTC %Y")));
        out.push_str(&format!(";; MSG SIZE  rcvd: {size}\n\n"));
        self.out(&out)
    }

    /// `host [-t type] name [server]`: through the search list, one line per record.
    pub(super) fn host(&mut self, args: &[&str], net: &mut dyn Network) -> i32 {
        let mut qtype: Option<String> = None;
        let mut words = Vec::new();
        let mut i = 0;
        while i < args.len() {
            match args[i] {
                "-t" => {
                    qtype = args.get(i + 1).map(|t| t.to_ascii_uppercase());
                    i += 1;
                }
                a if a.starts_with('-') => {}
                a => words.push(a.to_string()),
            }
            i += 1;
        }
        let Some(name) = words.first().cloned() else {
            self.write(2, "Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] hostname [server]\n");
            return 1;
        };
        let mut out = String::new();
        if let Some(server) = words.get(1) {
            out.push_str(&format!("Using domain server:\nName: {server}\nAddress: {server}#53\nAliases: \n\n"));
            if !cluster_server(server) {
                out.push_str(";; connection timed out; no servers could be reached\n");
                self.write(1, &out);
                return 1;
            }
        }
        let literal = name.parse::<std::net::Ipv4Addr>().is_ok();
        let (fqdn, qtype) = if literal {
            (arpa(&name), "PTR".to_string())
        } else {
            let plain = name.trim_end_matches('.').to_ascii_lowercase();
            let qtype = qtype.unwrap_or_else(|| "A".into());
            let full = if name.ends_with('.') {
                plain.clone()
            } else {
                // The resolver's search list (ndots:5): each domain in turn, then the name as is.
                let mut candidates: Vec<String> = if plain.matches('.').count() < 5 {
                    self.search_domains().iter().map(|d| format!("{plain}.{d}")).collect()
                } else {
                    Vec::new()
                };
                candidates.push(plain.clone());
                candidates
                    .iter()
                    .find(|c| query(net, c, &qtype).is_some_and(|a| a.status != "NXDOMAIN"))
                    .cloned()
                    .unwrap_or(plain)
            };
            (full, qtype)
        };
        let Some(answer) = query(net, &fqdn, &qtype) else {
            out.push_str(";; connection timed out; no servers could be reached\n");
            self.write(1, &out);
            return 1;
        };
        if answer.status == "NXDOMAIN" {
            let shown = if literal { format!("{fqdn}.") } else { name.clone() };
            out.push_str(&format!("Host {shown} not found: 3(NXDOMAIN)\n"));
            self.write(1, &out);
            return 1;
        }
        for (owner, d) in &answer.answer {
            out.push_str(&match d {
                Data::A(ip) => format!("{owner} has address {ip}\n"),
                Data::Cname(t) => format!("{owner} is an alias for {t}.\n"),
                Data::Ptr(p) => format!("{owner} domain name pointer {p}.\n"),
                Data::Srv(_) => format!("{owner} has SRV record {}\n", d.rdata()),
                Data::Soa => String::new(),
            });
        }
        if answer.answer.is_empty() && qtype != "A" {
            out.push_str(&format!("{fqdn} has no {qtype} record\n"));
        }
        self.out(&out)
    }

    /// The `search` domains of the container's `/etc/resolv.conf`.
    fn search_domains(&self) -> Vec<String> {
        let conf = self.env.files.get("/etc/resolv.conf").map(String::as_str).unwrap_or("");
        conf.lines()
            .filter_map(|l| l.strip_prefix("search"))
            .flat_map(|l| l.split_whitespace().map(str::to_string))
            .collect()
    }

    /// `getent hosts|ahosts|ahostsv4 NAME…`: the C library's answer, /etc/hosts first.
    pub(super) fn getent(&mut self, args: &[&str], net: &mut dyn Network) -> i32 {
        let Some(db) = args.first() else {
            self.write(2, "Usage: getent [OPTION...] database [key ...]\n");
            return 1;
        };
        if !matches!(*db, "hosts" | "ahosts" | "ahostsv4") {
            if matches!(*db, "passwd" | "group" | "services" | "protocols" | "networks" | "shadow") {
                // SIM: the other databases are not modelled: nothing found.
                return 2;
            }
            self.write(
                2,
                &format!("Unknown database: {db}\nTry `getent --help' or `getent --usage' for more information.\n"),
            );
            return 1;
        }
        let hosts_file = self.env.files.get("/etc/hosts").cloned().unwrap_or_default();
        if args.len() == 1 {
            if *db != "hosts" {
                return 2;
            }
            let mut out = String::new();
            for line in hosts_file.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
                let mut w = line.split_whitespace();
                let addr = w.next().unwrap_or("");
                let names: Vec<&str> = w.collect();
                out.push_str(&format!("{addr:<15} {}\n", names.join(" ")));
            }
            return self.out(&out);
        }
        let mut out = String::new();
        let mut code = 0;
        for key in &args[1..] {
            let from_file = hosts_file.lines().find_map(|line| {
                let line = line.split('#').next().unwrap_or("");
                let mut w = line.split_whitespace();
                let addr = w.next()?;
                let names: Vec<&str> = w.collect();
                let hit = names.iter().any(|n| n.eq_ignore_ascii_case(key)) || addr == *key;
                let v4 = addr.parse::<std::net::Ipv4Addr>().is_ok();
                (hit && (v4 || *db == "hosts") && !names.is_empty())
                    .then(|| (addr.to_string(), names[0].to_string(), names[1..].join(" ")))
            });
            let found: Option<(Vec<String>, String, String)> = match from_file {
                Some((addr, canon, aliases)) => Some((vec![addr], canon, aliases)),
                None if key.parse::<std::net::Ipv4Addr>().is_ok() => {
                    if *db == "hosts" {
                        net.reverse_name(key).map(|n| (vec![key.to_string()], n, String::new()))
                    } else {
                        Some((vec![key.to_string()], key.to_string(), String::new()))
                    }
                }
                None => {
                    let ips = net.resolve_all(key);
                    (!ips.is_empty()).then(|| (ips, net.full_name(key), String::new()))
                }
            };
            let Some((ips, canon, aliases)) = found else {
                code = 2;
                continue;
            };
            for (n, ip) in ips.iter().enumerate() {
                if *db == "hosts" {
                    let names = if aliases.is_empty() { canon.clone() } else { format!("{canon} {aliases}") };
                    out.push_str(&format!("{ip:<15} {names}\n"));
                } else {
                    let first = if n == 0 { canon.as_str() } else { "" };
                    out.push_str(&format!("{ip:<15} STREAM {first}\n{ip:<15} DGRAM  \n{ip:<15} RAW    \n"));
                }
            }
        }
        self.write(1, &out);
        code
    }
}

/// Whether `word` is a record type dig takes as a positional argument.
fn is_qtype(word: &str) -> bool {
    matches!(
        word.to_ascii_uppercase().as_str(),
        "A" | "AAAA" | "SRV" | "CNAME" | "PTR" | "MX" | "TXT" | "NS" | "SOA" | "ANY"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_line_up_in_bind_columns() {
        let r = ("google.com".to_string(), Data::A("1.2.3.4".into()));
        assert_eq!(record_line(&r), "google.com.\t\t30\tIN\tA\t1.2.3.4\n");
        let long = ("kubernetes.default.svc.cluster.local".to_string(), Data::A("10.96.0.1".into()));
        assert_eq!(record_line(&long), "kubernetes.default.svc.cluster.local.\t30\tIN\tA\t10.96.0.1\n");
        assert_eq!(question_line("google.com", "A"), ";google.com.\t\t\tIN\tA\n");
    }

    #[test]
    fn wire_lengths_and_reverse_names() {
        assert_eq!(wire_len("kubernetes.default.svc.cluster.local"), 38);
        assert_eq!(arpa("10.96.0.1"), "1.0.96.10.in-addr.arpa");
        assert_eq!(reverse_ip("1.0.96.10.in-addr.arpa."), Some("10.96.0.1".into()));
    }
}

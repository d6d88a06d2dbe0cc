//! Utilities beyond the shell's core: busybox applets (`rev`, `sed`, `which`, `chmod`, `ps`,
//! `ping`, `nc`), an image's own clients (`redis-cli`; a Go program's redigo and JSON), and
//! what the sandbox can run of the language interpreters (`python3 -c`, `perl -e`, `node -e`).
//!
//! An interpreter's program is translated into the simulated shell (prints, sleeps, exits,
//! `while True` and `for … in range` loops); a program it cannot translate is not run and fails
//! with a message saying so, never succeeding in silence.

use super::interp::{Machine, State};
use super::regex::Regex;
use super::Network;

/// The applets [`Machine::applet`] runs (the internal ones start with `__`).
pub const APPLETS: &[&str] = &[
    "rev",
    "sed",
    "which",
    "chmod",
    "chown",
    "ps",
    "ping",
    "nc",
    "killall5",
    "__tag",
    "__pi",
    "__n0",
    "__jq",
    "__redis_cli",
    "__redigo",
    "__go_json",
    "__python",
    "__perl",
    "__node",
];

/// What bash runs itself, never from a file (`type echo`: a shell builtin).
const SHELL_BUILTINS: &[&str] = &[
    "alias", "unalias", "cd", "echo", "eval", "exec", "exit", "export", "false", "printf", "pwd", "read", "return",
    "set", "shift", "source", ".", "test", "[", "trap", "true", "type", "command", "unset", "wait", "break",
    "continue", ":", "complete", "compgen", "compopt", "kill", "local", "history",
];

/// Most digits of pi `bpi` computes here.
const MAX_PI_DIGITS: usize = 10_000;

/// Most decimal places kiamol's pi app computes here (the book asks for 30,000).
const MAX_PI_PLACES: usize = 50_000;

impl Machine {
    /// Runs an applet; `None` if `name` is not one.
    pub(super) fn applet(&mut self, name: &str, args: &[&str], net: &mut dyn Network) -> Option<i32> {
        Some(match name {
            "rev" => {
                let (text, code) = self.input_as("rev", args);
                let out: String = text.lines().map(|l| format!("{}\n", l.chars().rev().collect::<String>())).collect();
                self.write(1, &out);
                code
            }
            "which" => self.which(args, net),
            "chmod" | "chown" => {
                let mut code = 0;
                for f in args.iter().filter(|a| !a.starts_with('-')).skip(1) {
                    let abs = self.abs(f);
                    if !self.env.files.contains_key(&abs) && !self.is_dir(&abs) {
                        self.write(2, &format!("{name}: {f}: No such file or directory\n"));
                        code = 1;
                    } else if self.env.is_read_only(&abs) {
                        self.write(2, &format!("{name}: {f}: Read-only file system\n"));
                        code = 1;
                    }
                }
                code
            }
            "sed" => self.sed(args),
            "ps" => {
                let cmdline = self.env.files.get("/proc/1/cmdline").cloned().unwrap_or_else(|| "sh".into());
                let mut out = String::from("PID   USER     TIME  COMMAND\n");
                out.push_str(&format!("{:>5} {:<8} {:>5} {}\n", 1, "root", "0:00", cmdline));
                out.push_str(&format!(
                    "{:>5} {:<8} {:>5} {}\n",
                    7,
                    "root",
                    "0:00",
                    std::iter::once("ps").chain(args.iter().copied()).collect::<Vec<_>>().join(" ")
                ));
                self.write(1, &out);
                0
            }
            "ping" => self.ping(args, net),
            "nc" => self.nc(args, net),
            "killall5" => {
                // Every process outside its own session: in a container, PID 1.
                let signal = args.iter().find(|a| a.starts_with('-')).map_or("TERM", |s| s.trim_start_matches('-'));
                self.signal_pid1(signal);
                0
            }
            "__tag" => {
                let tag = format!("{}\n", self.env.tag);
                self.write(1, &tag);
                0
            }
            "__pi" if args.first() == Some(&"-dp") => {
                // kiamol's pi app: `dp` decimal places, cut (its big-integer arithmetic truncates).
                let Some(dp) = args.get(1).and_then(|a| a.parse::<usize>().ok()) else {
                    self.write(2, "sandbox: pi: the number of decimal places is not a number\n");
                    return Some(1);
                };
                if dp > MAX_PI_PLACES {
                    self.write(
                        2,
                        &format!("sandbox: pi: more than {MAX_PI_PLACES} decimal places of pi is not simulated\n"),
                    );
                    return Some(1);
                }
                let mut text = pi_places(dp);
                text.push('\n');
                self.write(1, &text);
                0
            }
            "__jq" => {
                let mut named = std::collections::BTreeMap::new();
                let (mut raw, mut filter, mut files) = (false, None, Vec::new());
                let mut i = 0;
                while i < args.len() {
                    match args[i] {
                        "-r" | "--raw-output" => raw = true,
                        "--arg" if i + 2 < args.len() => {
                            named.insert(args[i + 1].to_string(), args[i + 2].to_string());
                            i += 2;
                        }
                        a if a.starts_with('-') && a.len() > 1 => {}
                        a if filter.is_none() => filter = Some(a.to_string()),
                        a => files.push(a),
                    }
                    i += 1;
                }
                let (text, code) = self.input(&files);
                if code != 0 {
                    return Some(2);
                }
                match super::jq::run(filter.as_deref().unwrap_or("."), &text, &named, raw) {
                    Ok(out) => {
                        self.write(1, &out);
                        0
                    }
                    Err((msg, code)) => {
                        self.write(2, &msg);
                        code
                    }
                }
            }
            "__n0" => {
                // .NET's `N0` format: thousands separated by commas.
                let n = args.first().copied().unwrap_or("0");
                let (sign, digits) = n.strip_prefix('-').map_or(("", n), |d| ("-", d));
                let mut out = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 {
                        out.push(',');
                    }
                    out.push(c);
                }
                self.write(1, &format!("{sign}{out}\n"));
                0
            }
            "__pi" => {
                let digits = args.first().and_then(|a| a.parse::<usize>().ok()).unwrap_or(40);
                if digits > MAX_PI_DIGITS {
                    self.write(
                        2,
                        &format!("sandbox: bpi({digits}): more than {MAX_PI_DIGITS} digits of pi is not simulated\n"),
                    );
                    return Some(1);
                }
                let mut text = pi_digits(digits.max(1));
                if !args.contains(&"-n") {
                    text.push('\n');
                }
                self.write(1, &text);
                0
            }
            "__redis_cli" => self.redis_cli(args, net),
            "__redigo" => self.redigo(args, net),
            "__go_json" => self.go_json(args),
            "__python" => self.python(args),
            "__perl" => self.perl(args),
            "__node" => self.node(args),
            _ => return self.text_util(name, args),
        })
    }

    fn which(&mut self, args: &[&str], net: &mut dyn Network) -> i32 {
        let mut code = 0;
        for a in args.iter().filter(|a| !a.starts_with('-')) {
            match self.path_of(a, net) {
                Some(p) => self.write(1, &format!("{p}\n")),
                None => code = 1,
            }
        }
        code
    }

    /// `type NAME…` (how the shell would run each) and `command -v NAME…` (what it would run).
    pub(super) fn type_of(&mut self, names: &[&str], brief: bool, net: &mut dyn Network) -> i32 {
        let mut code = 0;
        for n in names {
            let line = if let Some(v) = self.aliases.get(*n) {
                if brief {
                    format!("alias {n}='{v}'")
                } else {
                    format!("{n} is aliased to `{v}'")
                }
            } else if self.funcs.contains_key(*n) {
                if brief {
                    n.to_string()
                } else {
                    format!("{n} is a function")
                }
            } else if super::builtins::BUILTINS.contains(n) && !n.starts_with("__") && SHELL_BUILTINS.contains(n) {
                if brief {
                    n.to_string()
                } else {
                    format!("{n} is a shell builtin")
                }
            } else if let Some(p) = self.path_of(n, net) {
                if brief {
                    p
                } else {
                    format!("{n} is {p}")
                }
            } else {
                if !brief {
                    self.error(&format!("type: {n}: not found"));
                }
                code = 1;
                continue;
            };
            self.write(1, &format!("{line}\n"));
        }
        code
    }

    /// Where the executable `a` is, as `which` finds it.
    fn path_of(&mut self, a: &str, net: &mut dyn Network) -> Option<String> {
        {
            let base = a.rsplit('/').next().unwrap_or(a);
            if !a.contains('/') && net.host_has(base) {
                return Some(format!("/usr/local/bin/{base}"));
            }
            let path = if a.contains('/') && self.env.files.contains_key(&self.abs(a)) {
                Some(self.abs(a))
            } else if self.env.image.program(base).is_some() {
                Some(format!("/usr/local/bin/{base}"))
            } else if self.env.image.has_shell
                && (super::builtins::is_builtin(base) || matches!(base, "sh" | "ash"))
                && !base.starts_with("__")
            {
                Some(format!("/bin/{base}"))
            } else {
                None
            };
            path
        }
    }

    /// `sed [-n] [-i] [-E] [-e] SCRIPT [FILE…]`: `s/RE/REPL/[gp]`, `/RE/d`, `/RE/p`, `d`, `p`.
    fn sed(&mut self, args: &[&str]) -> i32 {
        let (mut quiet, mut in_place, mut extended) = (false, false, false);
        let mut scripts = Vec::new();
        let mut files = Vec::new();
        let mut i = 0;
        while i < args.len() {
            match args[i] {
                "-n" => quiet = true,
                "-i" => in_place = true,
                "-E" | "-r" => extended = true,
                "-e" => {
                    i += 1;
                    scripts.extend(args.get(i).map(|s| s.to_string()));
                }
                a if a.starts_with('-') && a.len() > 1 => {
                    quiet |= a.contains('n');
                    in_place |= a.contains('i');
                    extended |= a.contains('E') || a.contains('r');
                }
                a if scripts.is_empty() => scripts.push(a.to_string()),
                a => files.push(a.to_string()),
            }
            i += 1;
        }
        if scripts.is_empty() {
            self.write(2, "Usage: sed [-inrE] [-e CMD]... [FILE]...\n");
            return 1;
        }
        // Every `-e` and every `;`- or newline-separated command, applied in order to each line.
        let mut cmds = Vec::new();
        for script in &scripts {
            for one in split_sed_script(script) {
                match SedCmd::parse(&one, extended) {
                    Ok(c) => cmds.push(c),
                    Err(e) => {
                        self.write(2, &format!("sed: {e}\n"));
                        return 1;
                    }
                }
            }
        }
        let inputs: Vec<(Option<String>, String)> = if files.is_empty() {
            vec![(None, self.stdin.take().map(String::from).unwrap_or_default())]
        } else {
            let mut v = Vec::new();
            for f in &files {
                match self.read_file(f) {
                    Ok(t) => v.push((Some(self.abs(f)), t)),
                    Err(e) => {
                        self.write(2, &format!("sed: {f}: {e}\n"));
                        return 1;
                    }
                }
            }
            v
        };
        for (path, text) in inputs {
            let out = SedCmd::run_all(&cmds, &text, quiet);
            match path {
                Some(p) if in_place => {
                    if self.env.is_read_only(&p) {
                        self.write(2, &format!("sed: can't create temp file '{p}XXXXXX': Read-only file system\n"));
                        return 4;
                    }
                    self.env.files.insert(p, out);
                }
                _ => self.write(1, &out),
            }
        }
        0
    }

    fn ping(&mut self, args: &[&str], net: &mut dyn Network) -> i32 {
        let mut count: Option<u32> = None;
        let mut host = None;
        let mut i = 0;
        while i < args.len() {
            match args[i] {
                "-c" => {
                    i += 1;
                    count = args.get(i).and_then(|c| c.parse().ok());
                }
                "-W" | "-w" | "-i" | "-s" => i += 1,
                a if a.starts_with('-') => {}
                a => host = Some(a.to_string()),
            }
            i += 1;
        }
        let Some(host) = host else {
            self.write(
                2,
                "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n",
            );
            return 1;
        };
        let ip = if host.parse::<std::net::Ipv4Addr>().is_ok() { Some(host.clone()) } else { net.resolve(&host) };
        let Some(ip) = ip else {
            self.write(2, &format!("ping: bad address '{host}'\n"));
            return 1;
        };
        let n = count.map_or("while true".to_string(), |c| format!("for _ in $(seq 1 {c})"));
        let c = count.map_or(String::new(), |c| c.to_string());
        // A Service's virtual address answers no ping: kube-proxy forwards only its ports.
        if crate::sim::apiserver::services::in_service_cidr(&ip) {
            let script = format!(
                "echo 'PING {host} ({ip}): 56 data bytes'\nseq=0\n{n}; do sleep 1; seq=$((seq + 1)); [ \"$seq\" = '{c}' ] && break; done\necho ''\necho '--- {host} ping statistics ---'\necho \"$seq packets transmitted, 0 packets received, 100% packet loss\"\nexit 1\n"
            );
            return self.run_script(&script, &["ping".to_string()]);
        }
        let script = format!(
            "echo 'PING {host} ({ip}): 56 data bytes'\nseq=0\n{n}; do echo \"64 bytes from {ip}: seq=$seq ttl=64 time=0.081 ms\"; seq=$((seq + 1)); [ \"$seq\" = '{c}' ] && break; sleep 1; done\necho ''\necho '--- {host} ping statistics ---'\necho \"$seq packets transmitted, $seq packets received, 0% packet loss\"\necho 'round-trip min/avg/max = 0.061/0.075/0.081 ms'\n"
        );
        self.run_script(&script, &["ping".to_string()])
    }

    /// `nc -z HOST PORT` (is it open?), `nc -l -p PORT` (listen), `nc HOST PORT` (send stdin,
    /// print the answer of an HTTP server).
    fn nc(&mut self, args: &[&str], net: &mut dyn Network) -> i32 {
        let mut listen = false;
        let mut zero = false;
        let mut verbose = false;
        let mut port_flag = None;
        let mut rest = Vec::new();
        let mut i = 0;
        while i < args.len() {
            match args[i] {
                "-p" => {
                    i += 1;
                    port_flag = args.get(i).map(|p| p.to_string());
                }
                "-w" | "-i" | "-q" => i += 1,
                a if a.starts_with('-') => {
                    listen |= a.contains('l');
                    zero |= a.contains('z');
                    verbose |= a.contains('v');
                }
                a => rest.push(a.to_string()),
            }
            i += 1;
        }
        if listen {
            let port = port_flag.or_else(|| rest.last().cloned()).unwrap_or_default();
            let port: String = port.chars().filter(char::is_ascii_digit).collect();
            self.listening = Some(super::Listening::Ports(port.parse().ok().into_iter().collect()));
            self.served = Some((self.vars.clone(), self.clock));
            self.suspend = Some(State::Blocked);
            return 0;
        }
        let (Some(host), Some(port)) = (rest.first(), rest.get(1)) else {
            self.write(2, "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n");
            return 1;
        };
        let ip = net.resolve(host).unwrap_or_else(|| host.clone());
        match net.http_get(&format!("http://{host}:{port}/")) {
            Ok(r) => {
                if verbose {
                    self.write(2, &format!("{host} ({ip}:{port}) open\n"));
                }
                if !zero && self.stdin.take().is_some_and(|s| s.starts_with("GET ")) && r.status != 0 {
                    let text = format!("HTTP/1.1 {} OK\r\n\r\n{}", r.status, r.body);
                    self.write(1, &text);
                }
                0
            }
            Err(super::NetError::BadAddress(_)) => {
                self.write(2, &format!("nc: bad address '{host}'\n"));
                1
            }
            Err(super::NetError::TimedOut { .. }) => {
                self.write(2, &format!("nc: {host} ({ip}:{port}): Connection timed out\n"));
                1
            }
            Err(super::NetError::Refused { .. }) => {
                self.write(2, &format!("nc: {host} ({ip}:{port}): Connection refused\n"));
                1
            }
        }
    }

    /// Sends `signal` (`TERM`, `9`, `KILL`, `INT`…) to the container's PID 1, for the kubelet to
    /// deliver (see [`super::PID1_SIGNAL`]). PID 1 gets no signal it has no handler for, and
    /// from inside its namespace not even SIGKILL: only a server, which handles SIGTERM and
    /// SIGINT, stops.
    pub(super) fn signal_pid1(&mut self, signal: &str) {
        let name = signal.to_ascii_uppercase();
        let name = name.trim_start_matches("SIG");
        if matches!(name, "TERM" | "15" | "INT" | "2" | "QUIT" | "3" | "HUP" | "1") {
            self.env.files.insert(super::PID1_SIGNAL.to_string(), name.to_string());
        }
    }

    /// Reports a program the sandbox cannot run, and fails.
    fn cannot_simulate(&mut self, interpreter: &str, what: &str) -> i32 {
        // SIM: the sandbox runs no real interpreter; a program beyond the translated subset ends
        // with status 1 and says so, rather than pretending to have run.
        let what: String = what.chars().take(200).collect();
        self.write(2, &format!("sandbox: {interpreter}: this program cannot be simulated here (not run): {what}\n"));
        1
    }

    fn python(&mut self, args: &[&str]) -> i32 {
        let version = python_version(&self.env.tag);
        let mut i = 0;
        let mut code = None;
        while i < args.len() {
            match args[i] {
                "-V" | "--version" => {
                    self.write(1, &format!("Python {version}\n"));
                    return 0;
                }
                "-c" => {
                    code = Some(args.get(i + 1).unwrap_or(&"").to_string());
                    break;
                }
                "-m" => {
                    let module = args.get(i + 1).unwrap_or(&"");
                    return self.cannot_simulate("python3", &format!("-m {module}"));
                }
                a if a.starts_with('-') => {}
                file => {
                    match self.read_file(file) {
                        Ok(t) => code = Some(t),
                        Err(_) => {
                            let abs = self.abs(file);
                            self.write(
                                2,
                                &format!("python3: can't open file '{abs}': [Errno 2] No such file or directory\n"),
                            );
                            return 2;
                        }
                    }
                    break;
                }
            }
            i += 1;
        }
        let code = match code {
            Some(c) => c,
            None if self.env.tty => {
                self.write(1, &format!("Python {version} (main) [GCC 12.2.0] on linux\nType \"help\", \"copyright\", \"credits\" or \"license\" for more information.\n>>> "));
                self.suspend = Some(State::Blocked);
                return 0;
            }
            None => self.stdin.take().map(String::from).unwrap_or_default(),
        };
        match translate_python(&code) {
            Ok(script) => self.run_script(&script, &["python3".to_string()]),
            Err(stmt) => self.cannot_simulate("python3", &stmt),
        }
    }

    fn perl(&mut self, args: &[&str]) -> i32 {
        let mut newline = false;
        let mut bignum = false;
        let mut code = None;
        let mut i = 0;
        while i < args.len() {
            let a = args[i];
            if a == "-v" || a == "--version" {
                self.write(
                    1,
                    "\nThis is perl 5, version 40, subversion 0 (v5.40.0) built for x86_64-linux-gnu-thread-multi\n",
                );
                return 0;
            }
            if let Some(m) = a.strip_prefix("-M") {
                let m = if m.is_empty() {
                    i += 1;
                    args.get(i).copied().unwrap_or("")
                } else {
                    m
                };
                bignum |= m.starts_with("bignum") || m.starts_with("Math::BigFloat") || m.starts_with("bigrat");
            } else if a == "-de0" || a == "-d" {
                return 0;
            } else if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
                newline |= flags.contains('l');
                if flags.ends_with('e') || flags.ends_with('E') {
                    i += 1;
                    code = Some(args.get(i).unwrap_or(&"").to_string());
                    break;
                }
            } else {
                match self.read_file(a) {
                    Ok(t) => code = Some(t),
                    Err(e) => {
                        self.write(2, &format!("Can't open perl script \"{a}\": {e}\n"));
                        return 2;
                    }
                }
                break;
            }
            i += 1;
        }
        let Some(code) = code else { return 0 };
        match translate_perl(&code, newline, bignum) {
            Ok(script) => self.run_script(&script, &["perl".to_string()]),
            Err(stmt) => self.cannot_simulate("perl", &stmt),
        }
    }

    fn node(&mut self, args: &[&str]) -> i32 {
        let mut code = None;
        let mut i = 0;
        while i < args.len() {
            match args[i] {
                "-v" | "--version" => {
                    self.write(1, &format!("{}\n", node_version(&self.env.tag)));
                    return 0;
                }
                "-e" | "--eval" | "-p" | "--print" => {
                    code = Some(args.get(i + 1).unwrap_or(&"").to_string());
                    break;
                }
                a if a.starts_with('-') => {}
                file => {
                    let abs = self.abs(file);
                    let found = self.read_file(file).ok().or_else(|| self.read_file(&format!("{file}.js")).ok());
                    match found {
                        Some(t) => code = Some(t),
                        None => {
                            self.write(2, &format!("node:internal/modules/cjs/loader:1228\n  throw err;\n  ^\n\nError: Cannot find module '{abs}'\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)\n    at node:internal/main/run_main_module:28:49 {{\n  code: 'MODULE_NOT_FOUND',\n  requireStack: []\n}}\n\nNode.js {}\n", node_version(&self.env.tag)));
                            return 1;
                        }
                    }
                    break;
                }
            }
            i += 1;
        }
        let Some(code) = code else {
            if self.env.tty {
                self.write(
                    1,
                    &format!(
                        "Welcome to Node.js {}.\nType \".help\" for more information.\n> ",
                        node_version(&self.env.tag)
                    ),
                );
                self.suspend = Some(State::Blocked);
            }
            return 0;
        };
        match translate_node(&code) {
            Ok(script) => self.run_script(&script, &["node".to_string()]),
            Err(stmt) => self.cannot_simulate("node", &stmt),
        }
    }
}

fn python_version(tag: &str) -> &'static str {
    const VERSIONS: &[(&str, &str)] = &[
        ("2", "2.7.18"),
        ("2.7", "2.7.18"),
        ("3.6", "3.6.15"),
        ("3.7", "3.7.17"),
        ("3.8", "3.8.20"),
        ("3.9", "3.9.23"),
        ("3.10", "3.10.18"),
        ("3.11", "3.11.13"),
        ("3.12", "3.12.11"),
        ("3.14", "3.14.0"),
    ];
    let v = tag.split('-').next().unwrap_or(tag);
    let series = v.splitn(3, '.').take(2).collect::<Vec<_>>().join(".");
    VERSIONS.iter().find(|(t, _)| *t == series || *t == v).map_or("3.13.7", |(_, full)| full)
}

fn node_version(tag: &str) -> String {
    let major: u32 = tag.split(['.', '-']).next().and_then(|m| m.parse().ok()).unwrap_or(24);
    format!("v{major}.{}.0", if major >= 20 { 11 } else { 20 })
}

/// `'text'` quoted for the shell.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The value of a literal of the interpreted language, as a shell word: a string (quotes and
/// the common escapes), a number, or a loop variable (`$i`).
fn literal_word(expr: &str, vars: &[String]) -> Option<String> {
    let e = expr.trim();
    if e.is_empty() {
        return None;
    }
    if let Some(q) = e.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) {
        let inner = e.strip_prefix(q)?.strip_suffix(q)?;
        if q == '`' && inner.contains("${") {
            return None;
        }
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next()? {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    c => out.push(c),
                }
            } else if c == q {
                return None;
            } else {
                out.push(c);
            }
        }
        return Some(sh_quote(&out));
    }
    if e.parse::<f64>().is_ok() {
        return Some(e.to_string());
    }
    if vars.iter().any(|v| v == e) {
        return Some(format!("\"${e}\""));
    }
    matches!(e, "True" | "False" | "None" | "true" | "false" | "null").then(|| e.to_string())
}

/// Splits `text` at `sep` outside quotes and brackets.
fn split_top(text: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        if let Some(q) = quote {
            cur.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => {
                quote = Some(c);
                cur.push(c);
            }
            '(' | '[' | '{' => {
                depth += 1;
                cur.push(c);
            }
            ')' | ']' | '}' => {
                depth -= 1;
                cur.push(c);
            }
            c if c == sep && depth == 0 => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    parts.push(cur);
    parts
}

/// `name(args)` → `args`.
fn call_args<'a>(stmt: &'a str, names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|n| stmt.strip_prefix(n)?.trim_start().strip_prefix('(')?.strip_suffix(')'))
}

/// An exit status literal, as `exit N` writes it.
fn exit_code(args: &str) -> Option<String> {
    let a = args.trim();
    if a.is_empty() || a == "None" || a == "0" || a == "False" {
        return Some("exit 0".into());
    }
    if let Ok(n) = a.parse::<i64>() {
        return Some(format!("exit {}", n & 0xff));
    }
    if a == "True" {
        return Some("exit 1".into());
    }
    literal_word(a, &[]).filter(|w| w.starts_with('\'')).map(|w| format!("echo {w} >&2; exit 1"))
}

/// A Python program as a shell script, or the first statement it cannot translate.
fn translate_python(code: &str) -> Result<String, String> {
    let mut out = String::new();
    // (indent of the block's header, what closes it)
    let mut blocks: Vec<usize> = Vec::new();
    let mut vars: Vec<String> = Vec::new();
    for raw in code.lines() {
        let line = raw.split(" #").next().unwrap_or(raw).trim_end();
        let stmt_all = line.trim_start();
        if stmt_all.is_empty() || stmt_all.starts_with('#') {
            continue;
        }
        let indent = line.len() - stmt_all.len();
        while blocks.last().is_some_and(|b| indent <= *b) {
            blocks.pop();
            out.push_str("done\n");
        }
        for stmt in split_top(stmt_all, ';') {
            let stmt = stmt.trim();
            if stmt.is_empty() {
                continue;
            }
            if stmt.starts_with("import ") || (stmt.starts_with("from ") && stmt.contains(" import ")) || stmt == "pass"
            {
                out.push_str(":\n");
                continue;
            }
            if let Some(args) = call_args(stmt, &["print"]) {
                let mut parts = split_top(args, ',');
                let mut to_stderr = false;
                let mut end_newline = true;
                parts.retain(|p| {
                    let p = p.trim();
                    if p.replace(' ', "") == "file=sys.stderr" {
                        to_stderr = true;
                        false
                    } else if p.replace(' ', "").starts_with("end=") {
                        end_newline = p.contains("\\n");
                        false
                    } else {
                        !(p.starts_with("flush") || p.is_empty())
                    }
                });
                let words: Option<Vec<String>> = parts.iter().map(|p| literal_word(p, &vars)).collect();
                let words = words.ok_or_else(|| stmt.to_string())?;
                let fmt = if end_newline { "%s\\n" } else { "%s" };
                let redirect = if to_stderr { " >&2" } else { "" };
                if words.is_empty() {
                    out.push_str(&format!("printf '{fmt}' ''{redirect}\n"));
                } else {
                    out.push_str(&format!("printf '{fmt}' {}{redirect}\n", words.join("' '")));
                }
                continue;
            }
            if let Some(bytes) = super::memory::allocation(stmt) {
                out.push_str(&format!("__alloc_bytes {bytes}\n"));
                continue;
            }
            if let Some(args) = call_args(stmt, &["sys.exit", "exit", "quit", "os._exit"]) {
                out.push_str(&exit_code(args).ok_or_else(|| stmt.to_string())?);
                out.push('\n');
                continue;
            }
            if let Some(args) = call_args(stmt, &["time.sleep", "sleep"]) {
                let secs = args.trim();
                if secs.parse::<f64>().is_err() {
                    return Err(stmt.to_string());
                }
                out.push_str(&format!("sleep {secs}\n"));
                continue;
            }
            if stmt == "while True:" || stmt == "while 1:" {
                blocks.push(indent);
                out.push_str("while true; do\n");
                continue;
            }
            if let Some(rest) = stmt.strip_prefix("for ").and_then(|r| r.strip_suffix(':')) {
                let (var, range) = rest.split_once(" in ").ok_or_else(|| stmt.to_string())?;
                let args = call_args(range.trim(), &["range"]).ok_or_else(|| stmt.to_string())?;
                let nums: Vec<i64> = args
                    .split(',')
                    .map(|a| a.trim().parse::<i64>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| stmt.to_string())?;
                let (from, to) = match nums[..] {
                    [n] => (0, n),
                    [a, b] => (a, b),
                    _ => return Err(stmt.to_string()),
                };
                let var = var.trim().to_string();
                if !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || to - from > 1_000_000 {
                    return Err(stmt.to_string());
                }
                vars.push(var.clone());
                blocks.push(indent);
                out.push_str(&format!("for {var} in $(seq {from} {}); do\n", to - 1));
                continue;
            }
            return Err(stmt.to_string());
        }
    }
    for _ in blocks {
        out.push_str("done\n");
    }
    Ok(out)
}

/// A Perl one-liner as a shell script: `print` of literals and `bpi(N)`, `sleep`, `exit`.
fn translate_perl(code: &str, newline: bool, bignum: bool) -> Result<String, String> {
    let mut out = String::new();
    let nl = if newline { "\\n" } else { "" };
    for stmt in split_top(code, ';') {
        let stmt = stmt.trim();
        if stmt.is_empty() || stmt.starts_with("use ") {
            continue;
        }
        if let Some(rest) = stmt.strip_prefix("print").filter(|r| r.is_empty() || r.starts_with([' ', '('])) {
            let rest = rest.trim();
            let rest = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')).unwrap_or(rest);
            for part in split_top(rest, ',') {
                let part = part.trim();
                if let Some(n) = call_args(part, &["bpi"]).filter(|_| bignum) {
                    let n: usize = n.trim().parse().map_err(|_| stmt.to_string())?;
                    out.push_str(&format!("__pi {n} -n\n"));
                } else {
                    let word = literal_word(part, &[]).ok_or_else(|| stmt.to_string())?;
                    out.push_str(&format!("printf '%s' {word}\n"));
                }
            }
            out.push_str(&format!("printf '{nl}'\n"));
            continue;
        }
        if let Some(n) = stmt.strip_prefix("sleep").map(|r| r.trim().trim_matches(['(', ')'])) {
            n.parse::<f64>().map_err(|_| stmt.to_string())?;
            out.push_str(&format!("sleep {n}\n"));
            continue;
        }
        if let Some(n) = stmt.strip_prefix("exit").map(|r| r.trim().trim_matches(['(', ')'])) {
            let code: i64 = if n.is_empty() { 0 } else { n.parse().map_err(|_| stmt.to_string())? };
            out.push_str(&format!("exit {}\n", code & 0xff));
            continue;
        }
        return Err(stmt.to_string());
    }
    Ok(out)
}

/// A Node.js program as a shell script: `console.log`/`console.error` of literals,
/// `process.exit`.
fn translate_node(code: &str) -> Result<String, String> {
    let mut out = String::new();
    for line in code.lines() {
        for stmt in split_top(line, ';') {
            let stmt = stmt.trim();
            if stmt.is_empty() || stmt.starts_with("//") || stmt == "'use strict'" || stmt == "\"use strict\"" {
                continue;
            }
            let (args, redirect) = match (
                call_args(stmt, &["console.log", "console.info"]),
                call_args(stmt, &["console.error", "console.warn"]),
            ) {
                (Some(a), _) => (Some(a), ""),
                (None, Some(a)) => (Some(a), " >&2"),
                _ => (None, ""),
            };
            if let Some(args) = args {
                let words: Option<Vec<String>> = split_top(args, ',')
                    .iter()
                    .filter(|p| !p.trim().is_empty())
                    .map(|p| literal_word(p, &[]))
                    .collect();
                let words = words.ok_or_else(|| stmt.to_string())?;
                out.push_str(&format!("printf '%s\\n' {}{redirect}\n", words.join("' '")));
                continue;
            }
            if let Some(bytes) = super::memory::allocation(stmt) {
                out.push_str(&format!("__alloc_bytes {bytes}\n"));
                continue;
            }
            if let Some(args) = call_args(stmt, &["process.exit"]) {
                out.push_str(&exit_code(args).ok_or_else(|| stmt.to_string())?);
                out.push('\n');
                continue;
            }
            return Err(stmt.to_string());
        }
    }
    Ok(out)
}

/// Pi to `digits` significant digits, rounded (`3.14` for 3), as `bpi` prints it.
pub fn pi_digits(digits: usize) -> String {
    // The same request comes again (a page reloaded, a Job's pods): the last few answers are
    // kept, as pure results of their argument.
    thread_local! {
        static DONE: std::cell::RefCell<Vec<(usize, String)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    if let Some(text) = DONE.with(|d| d.borrow().iter().find(|(n, _)| *n == digits).map(|(_, t)| t.clone())) {
        return text;
    }
    let text = compute_pi(digits);
    DONE.with(|d| {
        let mut d = d.borrow_mut();
        if d.len() >= 4 {
            d.remove(0);
        }
        d.push((digits, text.clone()));
    });
    text
}

fn compute_pi(digits: usize) -> String {
    // Machin's formula, pi = 16 atan(1/5) - 4 atan(1/239), in fixed point with guard digits.
    let extra = 10;
    let decimals = digits + extra;
    let limbs = decimals / 9 + 2;
    let base: u64 = 1_000_000_000;
    // Fixed point: limb 0 is the integer part.
    let atan_inv = |x: u64, mult: u64| -> Vec<u64> {
        let mut term = vec![0u64; limbs];
        term[0] = mult;
        div_small(&mut term, x, base);
        let mut sum = term.clone();
        let x2 = x * x;
        let mut t = vec![0u64; limbs];
        // Limbs before `lo` of the shrinking term are zero: the work skips them.
        let mut lo = 0;
        let mut k = 1u64;
        loop {
            div_small(&mut term[lo..], x2, base);
            while lo < limbs && term[lo] == 0 {
                lo += 1;
            }
            if lo == limbs {
                break;
            }
            t[lo..].copy_from_slice(&term[lo..]);
            div_small(&mut t[lo..], 2 * k + 1, base);
            if k % 2 == 1 {
                sub_in(&mut sum, &t, lo, base);
            } else {
                add_in(&mut sum, &t, lo, base);
            }
            k += 1;
        }
        sum
    };
    let mut pi = atan_inv(5, 16);
    let b = atan_inv(239, 4);
    sub_in(&mut pi, &b, 0, base);
    let mut text = pi[0].to_string();
    let mut frac = String::with_capacity(limbs * 9);
    for d in &pi[1..] {
        frac.push_str(&format!("{d:09}"));
    }
    let keep = digits.saturating_sub(text.len());
    let mut kept: Vec<u8> = frac.as_bytes()[..keep].to_vec();
    if frac.as_bytes().get(keep).is_some_and(|&d| d >= b'5') {
        let mut i = kept.len();
        while i > 0 {
            i -= 1;
            if kept[i] == b'9' {
                kept[i] = b'0';
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    if !kept.is_empty() {
        text.push('.');
        text.push_str(&String::from_utf8_lossy(&kept));
    }
    text
}

/// Pi to `places` decimal places, cut after the last rather than rounded.
pub fn pi_places(places: usize) -> String {
    // Rounded at 10 more digits, then cut: a carry from the rounding could only reach the kept
    // digits through ten 9s in a row, which pi first has far beyond `MAX_PI_PLACES`.
    let mut text = pi_digits(places + 11);
    text.truncate(if places == 0 { 1 } else { places + 2 });
    text
}

fn div_small(n: &mut [u64], d: u64, base: u64) {
    let mut rem = 0u64;
    for limb in n.iter_mut() {
        let cur = rem * base + *limb;
        *limb = cur / d;
        rem = cur % d;
    }
}

/// `a += b`, where `b`'s limbs before `lo` are zero.
fn add_in(a: &mut [u64], b: &[u64], lo: usize, base: u64) {
    let mut carry = 0;
    for i in (lo..a.len()).rev() {
        let mut s = a[i] + b[i] + carry;
        carry = u64::from(s >= base);
        if carry == 1 {
            s -= base;
        }
        a[i] = s;
    }
    let mut i = lo;
    while carry == 1 && i > 0 {
        i -= 1;
        a[i] += 1;
        carry = u64::from(a[i] >= base);
        if carry == 1 {
            a[i] -= base;
        }
    }
}

/// `a -= b` (`a` stays the larger), where `b`'s limbs before `lo` are zero.
fn sub_in(a: &mut [u64], b: &[u64], lo: usize, base: u64) {
    let mut borrow = 0;
    for i in (lo..a.len()).rev() {
        let need = b[i] + borrow;
        if a[i] >= need {
            a[i] -= need;
            borrow = 0;
        } else {
            a[i] = a[i] + base - need;
            borrow = 1;
        }
    }
    let mut i = lo;
    while borrow == 1 && i > 0 {
        i -= 1;
        if a[i] >= 1 {
            a[i] -= 1;
            borrow = 0;
        } else {
            a[i] = base - 1;
        }
    }
}

/// A parsed `sed` command.
/// Splits a sed script into its commands (`s/a/b/; s/c/d/`, or one per line), keeping `;`
/// inside an address or an `s` command's fields.
fn split_sed_script(script: &str) -> Vec<String> {
    let chars: Vec<char> = script.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // Skips to just past the `n`th unescaped `delim` from `i`.
    let skip = |mut i: usize, delim: char, mut n: usize| {
        while i < chars.len() && n > 0 {
            if chars[i] == '\\' {
                i += 1;
            } else if chars[i] == delim {
                n -= 1;
            }
            i += 1;
        }
        i
    };
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ';') {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let start = i;
        if chars[i] == '/' {
            i = skip(i + 1, '/', 1);
            while i < chars.len() && chars[i] == ' ' {
                i += 1;
            }
        }
        if i < chars.len() && chars[i] == 's' && i + 1 < chars.len() {
            i = skip(i + 2, chars[i + 1], 2);
        }
        while i < chars.len() && chars[i] != ';' && chars[i] != '\n' {
            i += 1;
        }
        out.push(chars[start..i].iter().collect::<String>().trim().to_string());
    }
    out
}

enum SedCmd {
    Subst { re: Regex, repl: String, global: bool, print: bool, addr: Option<Regex> },
    Delete(Option<Regex>),
    Print(Option<Regex>),
}

impl SedCmd {
    fn parse(script: &str, extended: bool) -> Result<SedCmd, String> {
        let s = script.trim();
        let (addr, rest) = if let Some(r) = s.strip_prefix('/') {
            let end =
                r.find('/').ok_or_else(|| format!("-e expression #1, char {}: unterminated address regex", s.len()))?;
            (Some(Regex::new(&r[..end], extended, false)?), r[end + 1..].trim_start())
        } else {
            (None, s)
        };
        match rest.chars().next() {
            Some('d') if rest.len() == 1 => Ok(SedCmd::Delete(addr)),
            Some('p') if rest.len() == 1 => Ok(SedCmd::Print(addr)),
            Some('s') => {
                let delim = rest[1..].chars().next().ok_or("-e expression #1, char 1: unterminated `s' command")?;
                let mut fields = Vec::new();
                let mut cur = String::new();
                let mut chars = rest[1 + delim.len_utf8()..].chars();
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        match chars.next() {
                            Some(n) if n == delim => cur.push(n),
                            Some(n) => {
                                cur.push('\\');
                                cur.push(n);
                            }
                            None => cur.push('\\'),
                        }
                    } else if c == delim && fields.len() < 2 {
                        fields.push(std::mem::take(&mut cur));
                    } else {
                        cur.push(c);
                    }
                }
                if fields.len() < 2 {
                    return Err(format!("-e expression #1, char {}: unterminated `s' command", s.len()));
                }
                let flags = cur;
                if fields[0].contains("\\(") || fields[0].contains('(') && extended {
                    return Err("-e expression #1: groups are not simulated".into());
                }
                Ok(SedCmd::Subst {
                    re: Regex::new(&fields[0], extended, flags.contains('I') || flags.contains('i'))?,
                    repl: fields[1].clone(),
                    global: flags.contains('g'),
                    print: flags.contains('p'),
                    addr,
                })
            }
            _ => Err(format!(
                "-e expression #1, char {}: unknown command: `{}'",
                s.len(),
                rest.chars().next().unwrap_or(' ')
            )),
        }
    }

    /// Runs `cmds` over each line in turn, as sed's pattern space goes through its script.
    fn run_all(cmds: &[SedCmd], text: &str, quiet: bool) -> String {
        let mut out = String::new();
        for line in text.lines() {
            let mut pattern = line.to_string();
            let mut deleted = false;
            for c in cmds {
                let one = c.run(&format!("{pattern}\n"), true);
                match c {
                    SedCmd::Delete(_) if c.run(&format!("{pattern}\n"), false).is_empty() => {
                        deleted = true;
                        break;
                    }
                    SedCmd::Delete(_) => {}
                    SedCmd::Print(_) => out.push_str(&one),
                    SedCmd::Subst { print, .. } => {
                        // Quiet, a substitution prints only when it printed (`p`).
                        let mut loud = c.run(&format!("{pattern}\n"), false);
                        if loud.ends_with('\n') {
                            loud.pop();
                        }
                        if *print && !one.is_empty() {
                            out.push_str(&one);
                        }
                        pattern = loud;
                    }
                }
            }
            if !deleted && !quiet {
                out.push_str(&pattern);
                out.push('\n');
            }
        }
        out
    }

    fn run(&self, text: &str, quiet: bool) -> String {
        let mut out = String::new();
        for line in text.lines() {
            let matches = |a: &Option<Regex>| a.as_ref().is_none_or(|r| r.is_match(line));
            match self {
                SedCmd::Delete(a) => {
                    if !matches(a) && !quiet {
                        out.push_str(line);
                        out.push('\n');
                    }
                }
                SedCmd::Print(a) => {
                    if matches(a) {
                        out.push_str(line);
                        out.push('\n');
                    }
                    if !quiet {
                        out.push_str(line);
                        out.push('\n');
                    }
                }
                SedCmd::Subst { re, repl, global, print, addr } => {
                    let mut result = String::new();
                    let mut changed = false;
                    let mut rest = line;
                    if matches(addr) {
                        while let Some((s, e)) = re.find(rest) {
                            changed = true;
                            result.push_str(&rest[..s]);
                            result.push_str(&expand_repl(repl, &rest[s..e]));
                            if e == s {
                                let next = rest[e..].chars().next().map_or(0, char::len_utf8);
                                result.push_str(&rest[e..e + next]);
                                rest = &rest[e + next..];
                                if next == 0 {
                                    break;
                                }
                            } else {
                                rest = &rest[e..];
                            }
                            if !global {
                                break;
                            }
                        }
                    }
                    result.push_str(rest);
                    if !quiet {
                        out.push_str(&result);
                        out.push('\n');
                    }
                    if changed && *print {
                        out.push_str(&result);
                        out.push('\n');
                    }
                }
            }
        }
        out
    }
}

/// A `s` replacement with `&` (the match) and `\n`, `\&`, `\\`.
fn expand_repl(repl: &str, matched: &str) -> String {
    let mut out = String::new();
    let mut chars = repl.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str(matched),
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(c) => out.push(c),
                None => {}
            },
            c => out.push(c),
        }
    }
    out
}

/// A reply as redis-cli prints it to a terminal (`kubectl exec -it … -- redis-cli …`): lists
/// numbered and quoted, integers as `(integer) N`, a missing value as `(nil)`; piped, it prints
/// the raw lines.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pi_has_the_digits_bpi_prints_rounded() {
        assert_eq!(pi_digits(3), "3.14");
        assert_eq!(pi_digits(10), "3.141592654");
        let p = pi_digits(2000);
        assert_eq!(p.len(), 2001);
        assert!(p.starts_with("3.14159265358979323846264338327950288419716939937510"));
        assert!(p.ends_with("9958133904780275901"), "{}", &p[1900..]);
    }

    #[test]
    fn pi_places_are_cut_not_rounded() {
        assert_eq!(pi_places(0), "3");
        assert_eq!(pi_places(4), "3.1415");
        // The 51st place is 5: rounding would end in ...511.
        assert_eq!(pi_places(50), "3.14159265358979323846264338327950288419716939937510");
        // Places 762 to 767 are the six 9s of the Feynman point; 768 is 8.
        assert!(pi_places(767).ends_with("999999"));
        assert_eq!(pi_places(2000)[..1500], pi_digits(2000)[..1500]);
    }

    #[test]
    fn python_that_the_sandbox_cannot_run_is_reported_not_run() {
        assert!(translate_python("import sys; print('hi'); sys.exit(3)").unwrap().contains("exit 3"));
        assert_eq!(translate_python("import json; print(json.dumps({}))").unwrap_err(), "print(json.dumps({}))");
        let loop_ = translate_python("import time\nwhile True:\n    print(\"tick\")\n    time.sleep(5)\n").unwrap();
        assert!(loop_.contains("while true; do") && loop_.contains("sleep 5") && loop_.ends_with("done\n"), "{loop_}");
    }

    #[test]
    fn perl_prints_literals_and_pi() {
        assert_eq!(translate_perl("print bpi(2000)", true, true).unwrap(), "__pi 2000 -n\nprintf '\\n'\n");
        assert!(translate_perl("print bpi(2000)", true, false).is_err());
        assert!(translate_perl("open(F, '<x')", false, false).is_err());
    }

    #[test]
    fn sed_substitutes_deletes_and_prints() {
        let s = SedCmd::parse("s/a/b/g", false).unwrap();
        assert_eq!(s.run("banana\n", false), "bbnbnb\n");
        assert_eq!(SedCmd::parse("/x/d", false).unwrap().run("a\nx\nb\n", false), "a\nb\n");
        assert_eq!(SedCmd::parse("s|/|:|", false).unwrap().run("/a/b\n", false), ":a/b\n");
        assert_eq!(
            SedCmd::parse("s/^nameserver //p", false).unwrap().run("search x\nnameserver 10.96.0.10\n", true),
            "10.96.0.10\n"
        );
    }

    #[test]
    fn sed_runs_every_command_of_its_script_on_each_line_in_order() {
        let script = "s/^#Load/Load/; s/^Listen 80$/Listen 8081/\n/drop/d";
        let cmds: Vec<SedCmd> = split_sed_script(script).iter().map(|c| SedCmd::parse(c, false).unwrap()).collect();
        assert_eq!(cmds.len(), 3);
        assert_eq!(
            SedCmd::run_all(&cmds, "#LoadModule a\nListen 80\ndrop me\nListen 8080\n", false),
            "LoadModule a\nListen 8081\nListen 8080\n"
        );
        let keep = split_sed_script("s/a;b/c/g;p");
        assert_eq!(keep, vec!["s/a;b/c/g".to_string(), "p".to_string()]);
        let cmds: Vec<SedCmd> = keep.iter().map(|c| SedCmd::parse(c, false).unwrap()).collect();
        assert_eq!(SedCmd::run_all(&cmds, "a;b\n", true), "c\n");
    }
}

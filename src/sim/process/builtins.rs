//! The commands the simulated shell knows: shell builtins and the small utilities of a
//! busybox-like image (`echo`, `sleep`, `cat`, `ls`, `date`, `wget`, `nslookup`, …), plus the
//! sandbox's internal `__serve`, `__alloc` and `__memory_mb` that image programs use.

use std::time::Duration;

use super::interp::{Jump, Listening, Machine, State};
use super::{HttpRequest, Network};

/// How long a connection to an unreachable address takes to fail, as curl reports it: Linux
/// retries the SYN six times (1 + 2 + 4 + … + 64 s) before giving up.
const CONNECT_TIMEOUT_MS: u64 = 130_163;

/// Commands run by [`Machine::builtin`].
pub const BUILTINS: &[&str] = &[
    "alias",
    "unalias",
    "type",
    "command",
    "complete",
    "compgen",
    "compopt",
    "eval",
    "source",
    ".",
    ":",
    "true",
    "false",
    "echo",
    "printf",
    "sleep",
    "exit",
    "return",
    "break",
    "continue",
    "export",
    "unset",
    "set",
    "shift",
    "exec",
    "__vars",
    "printenv",
    "env",
    "cat",
    "ls",
    "date",
    "hostname",
    "whoami",
    "id",
    "pwd",
    "cd",
    "mkdir",
    "touch",
    "rm",
    "cp",
    "mv",
    "test",
    "[",
    "seq",
    "wget",
    "curl",
    "nslookup",
    "getent",
    "__dig",
    "__host",
    "kill",
    "trap",
    "wait",
    "read",
    "head",
    "tail",
    "wc",
    "grep",
    "egrep",
    "base64",
    "uname",
    "history",
    "basename",
    "dirname",
    "__serve",
    "__nginx",
    "__httpd",
    "__alloc",
    "__alloc_bytes",
    "__memory_mb",
];

/// Whether `name` is a builtin (by file name: `/bin/echo` is `echo`).
pub fn is_builtin(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    BUILTINS.contains(&base) || super::applets::APPLETS.contains(&base) || super::textutils::TEXT_UTILS.contains(&base)
}

const MIB: u64 = 1024 * 1024;

impl Machine {
    /// Whether the container can execute `name` at all (else the runtime refuses to start it).
    pub(super) fn can_exec(&self, name: &str) -> bool {
        let base = name.rsplit('/').next().unwrap_or(name);
        let image = self.env.image;
        if matches!(base, "sh" | "bash" | "ash" | "dash" | "zsh") {
            return image.has_shell;
        }
        if name.contains('/') && self.env.files.contains_key(&self.abs(name)) {
            return true;
        }
        (image.has_shell && is_builtin(name))
            || image.program(name).is_some()
            || image.unknown_runs_server
            || base == "__serve"
    }

    /// Runs a builtin; `None` if `argv[0]` is not one.
    pub(super) fn builtin(&mut self, argv: &[String], net: &mut dyn Network) -> Option<i32> {
        let name = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_string();
        let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
        let code = match name.as_str() {
            ":" | "true" | "wait" => 0,
            "eval" => {
                let script = args.join(" ");
                if script.trim().is_empty() {
                    0
                } else {
                    self.run_here(&script, "eval: line 1")
                }
            }
            "source" | "." => self.source(&name, &args),
            "alias" => self.alias(&args),
            "history" => self.history(&args),
            // The shell's variables for the terminal's container session to carry to its next
            // line (which runs in a new `sh -c`): a line `NAME x|- HEX` for each, the value's
            // bytes in hex, so no value (quotes, newlines, NUL, the session's markers) can be
            // mistaken for the dump's own text.
            "__vars" => {
                let mut dump = String::new();
                for (k, v) in &self.vars {
                    let flag = if self.exported.contains(k) { 'x' } else { '-' };
                    let hex: String = v.bytes().map(|b| format!("{b:02x}")).collect();
                    dump.push_str(&format!("{k} {flag} {hex}\n"));
                }
                self.out(&dump)
            }
            "type" => {
                self.type_of(&args.iter().copied().filter(|a| !a.starts_with('-')).collect::<Vec<_>>(), false, net)
            }
            "command" => match args.first() {
                Some(&"-v") | Some(&"-V") => self.type_of(&args[1..], args[0] == "-v", net),
                Some(_) => {
                    // `command NAME ARGS`: runs it, passing over a function or alias of that name.
                    let argv: Vec<String> = args.iter().map(|a| a.to_string()).collect();
                    let saved = self.funcs.remove(args[0]);
                    let code = self.exec(&argv, net);
                    if let Some(f) = saved {
                        self.funcs.insert(args[0].to_string(), f);
                    }
                    code
                }
                None => 0,
            },
            "unalias" => {
                let mut code = 0;
                for a in &args {
                    if *a == "-a" {
                        self.aliases.clear();
                    } else if self.aliases.remove(*a).is_none() {
                        self.error(&format!("unalias: {a}: not found"));
                        code = 1;
                    }
                }
                code
            }
            // SIM: bash's programmable completion is accepted and does nothing: the sandbox's
            // terminal completes kubectl with Tab by itself.
            "complete" | "compgen" | "compopt" => 0,
            "set" => {
                // `set -- a b` (or `set a b`) replaces the positional parameters; options are ignored.
                let words = match args.iter().position(|a| *a == "--") {
                    Some(i) => Some(&args[i + 1..]),
                    None if args.first().is_some_and(|a| !a.starts_with(['-', '+'])) => Some(&args[..]),
                    None => None,
                };
                if let Some(words) = words {
                    let zero = self.positional.first().cloned().unwrap_or_else(|| "sh".into());
                    self.positional = std::iter::once(zero).chain(words.iter().map(|w| w.to_string())).collect();
                }
                0
            }
            "false" => 1,
            "echo" => self.echo(&args),
            "printf" => self.printf(&args),
            "sleep" => self.sleep(&args),
            "exit" | "return" => {
                let code = match args.first() {
                    Some(a) => match a.parse::<i64>() {
                        Ok(n) => (n & 0xff) as i32,
                        Err(_) => {
                            if self.env.bash_style {
                                self.error(&format!("{name}: {a}: numeric argument required"));
                            } else {
                                self.error(&format!("{name}: Illegal number: {a}"));
                            }
                            2
                        }
                    },
                    None => self.status,
                };
                self.status = code;
                self.jump = Some(if name == "exit" { Jump::Exit } else { Jump::Return });
                code
            }
            "break" | "continue" => {
                let n = args.first().and_then(|a| a.parse::<u32>().ok()).unwrap_or(1).max(1);
                self.jump = Some(if name == "break" { Jump::Break(n) } else { Jump::Continue(n) });
                0
            }
            "export" => {
                for a in &args {
                    let (k, v) = a.split_once('=').map_or((*a, None), |(k, v)| (k, Some(v)));
                    if let Some(v) = v {
                        self.vars.insert(k.to_string(), v.to_string());
                    }
                    self.exported.insert(k.to_string());
                }
                0
            }
            "unset" => {
                for a in &args {
                    self.vars.remove(*a);
                    self.exported.remove(*a);
                }
                0
            }
            "shift" => {
                let n = args.first().and_then(|a| a.parse::<usize>().ok()).unwrap_or(1);
                if n >= self.positional.len() {
                    1
                } else {
                    self.positional.drain(1..=n);
                    0
                }
            }
            "exec" => {
                if args.is_empty() {
                    0
                } else {
                    self.exec(&argv[1..], net)
                }
            }
            "printenv" => self.printenv(&args),
            "env" => {
                let assigns: Vec<&str> = args.iter().take_while(|a| a.contains('=')).copied().collect();
                let rest = &argv[1 + assigns.len()..];
                if rest.is_empty() {
                    for a in &assigns {
                        if let Some((k, v)) = a.split_once('=') {
                            self.vars.insert(k.into(), v.into());
                            self.exported.insert(k.into());
                        }
                    }
                    self.printenv(&[])
                } else {
                    self.exec(rest, net)
                }
            }
            "cat" => self.cat(&args),
            "ls" => self.ls(&args),
            "date" => self.date(&args),
            "hostname" => {
                if args.first() == Some(&"-i") {
                    let host = self.env.hostname.clone();
                    match net.resolve(&host) {
                        Some(ip) => {
                            self.write(1, &format!("{ip}\n"));
                            0
                        }
                        None => {
                            self.write(2, "hostname: bad address\n");
                            1
                        }
                    }
                } else {
                    let h = format!("{}\n", self.env.hostname);
                    self.write(1, &h);
                    0
                }
            }
            "whoami" => self.out("root\n"),
            "id" => self.out("uid=0(root) gid=0(root) groups=0(root)\n"),
            "uname" => {
                let h = self.env.hostname.clone();
                // The fields uname's flags pick, in the order it prints them.
                let fields = [
                    ("-s", "Linux".to_string()),
                    ("-n", h),
                    ("-r", "6.8.0-sandbox".to_string()),
                    ("-v", "#1 SMP".to_string()),
                    ("-m", "x86_64".to_string()),
                ];
                let all = args.contains(&"-a");
                let mut picked: Vec<&str> =
                    fields.iter().filter(|(f, _)| all || args.contains(f)).map(|(_, v)| v.as_str()).collect();
                if picked.is_empty() {
                    picked.push("Linux");
                }
                if all {
                    picked.push("GNU/Linux");
                }
                self.out(&format!("{}\n", picked.join(" ")))
            }
            "pwd" => {
                let d = format!("{}\n", self.env.working_dir);
                self.out(&d)
            }
            "cd" => {
                let target = args
                    .first()
                    .map_or_else(|| self.vars.get("HOME").cloned().unwrap_or("/".into()), |a| a.to_string());
                let abs = self.abs(&target);
                if self.is_dir(&abs) {
                    self.env.working_dir = abs.clone();
                    self.vars.insert("PWD".into(), abs);
                    0
                } else {
                    let why =
                        if self.env.files.contains_key(&abs) { "Not a directory" } else { "No such file or directory" };
                    if self.env.bash_style {
                        self.error(&format!("cd: {target}: {why}"));
                        1
                    } else {
                        // busybox sh's words; its builtins fail with status 2.
                        self.error(&format!("cd: can't cd to {target}: {why}"));
                        2
                    }
                }
            }
            "mkdir" => self.mkdir(&args),
            "touch" => {
                let mut code = 0;
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    let abs = self.abs(a);
                    if !self.parent_exists(&abs) {
                        self.write(2, &format!("touch: {a}: No such file or directory\n"));
                        code = 1;
                    } else if self.env.is_read_only(&abs) {
                        self.write(2, &format!("touch: {a}: Read-only file system\n"));
                        code = 1;
                    } else if !self.is_dir(&abs) {
                        self.env.files.entry(abs).or_default();
                    }
                }
                code
            }
            "rm" => {
                let recursive = args.iter().any(|a| a.starts_with('-') && (a.contains('r') || a.contains('R')));
                let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
                let mut code = 0;
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    let abs = self.abs(a);
                    if self.env.is_read_only(&abs) && (self.env.files.contains_key(&abs) || self.is_dir(&abs)) {
                        self.write(2, &format!("rm: can't remove '{a}': Read-only file system\n"));
                        code = 1;
                        continue;
                    }
                    if self.env.files.remove(&abs).is_some() {
                        continue;
                    }
                    if self.is_dir(&abs) && abs != "/" {
                        if recursive {
                            let prefix = format!("{abs}/");
                            self.env.files.retain(|k, _| !k.starts_with(&prefix));
                        } else {
                            self.write(2, &format!("rm: '{a}' is a directory\n"));
                            code = 1;
                        }
                    } else if !force {
                        self.write(2, &format!("rm: can't remove '{a}': No such file or directory\n"));
                        code = 1;
                    }
                }
                code
            }
            "cp" | "mv" => self.copy(&name, &args),
            "test" => self.test(&args),
            "[" => {
                if args.last() != Some(&"]") {
                    self.error("[: missing ]");
                    2
                } else {
                    self.test(&args[..args.len() - 1])
                }
            }
            "seq" => {
                let nums: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
                let (first, step, last) = match nums.as_slice() {
                    [l] => (1, 1, *l),
                    [f, l] => (*f, 1, *l),
                    [f, s, l] => (*f, *s, *l),
                    _ => return Some(1),
                };
                let mut out = String::new();
                let mut i = first;
                while step != 0
                    && ((step > 0 && i <= last) || (step < 0 && i >= last))
                    && out.len() < super::interp::MAX_CAPTURE
                {
                    out.push_str(&format!("{i}\n"));
                    i += step;
                }
                self.out(&out)
            }
            "curl" => self.curl(&args, net),
            "wget" => self.http(&name, &args, net),
            "nslookup" => self.nslookup(&args, net),
            // busybox has no getent (glibc and musl images do).
            "getent" if !super::dnstools::has_getent(self.env.image.repository) => return None,
            "getent" => self.getent(&args, net),
            "__dig" => self.dig(&args, net),
            "__host" => self.host(&args, net),
            "kill" => {
                let pids: Vec<&&str> = args.iter().filter(|a| !a.starts_with('-')).collect();
                let signal = args.iter().find(|a| a.starts_with('-')).map_or("TERM", |s| s.trim_start_matches('-'));
                let mut code = 0;
                for p in pids {
                    if *p == "1" {
                        self.signal_pid1(signal);
                    } else {
                        self.write(2, &format!("sh: can't kill pid {p}: No such process\n"));
                        code = 1;
                    }
                }
                code
            }
            "trap" => {
                // `trap ACTION SIGNAL…`; `trap - SIGNAL…` or an empty action resets.
                if let Some((action, signals)) = args.split_first() {
                    for sig in signals {
                        let name = sig.to_ascii_uppercase();
                        let name = match name.trim_start_matches("SIG") {
                            "15" => "TERM",
                            "2" => "INT",
                            "1" => "HUP",
                            "3" => "QUIT",
                            other => other,
                        }
                        .to_string();
                        if *action == "-" || action.is_empty() {
                            self.trapped.remove(&name);
                        } else {
                            self.trapped.insert(name);
                        }
                    }
                }
                0
            }
            "read" => {
                let var = args.iter().find(|a| !a.starts_with('-')).copied().unwrap_or("REPLY");
                match self.stdin.as_mut().and_then(|input| input.read_line()) {
                    Some(line) => {
                        self.vars.insert(var.to_string(), line);
                        0
                    }
                    None => {
                        self.stdin = None;
                        1
                    }
                }
            }
            "head" | "tail" => self.head_tail(&name, &args),
            "wc" => {
                let (text, code) = self.input_as("wc", &args);
                let lines = text.matches('\n').count();
                let out = if args.contains(&"-l") {
                    format!("{lines}\n")
                } else if args.contains(&"-c") {
                    format!("{}\n", text.len())
                } else if args.contains(&"-w") {
                    format!("{}\n", text.split_whitespace().count())
                } else {
                    format!("{lines} {} {}\n", text.split_whitespace().count(), text.len())
                };
                self.out(&out);
                code
            }
            "grep" | "egrep" => self.grep(&args, name == "egrep"),
            "base64" => self.base64(&args),
            "basename" => {
                let b = args.first().map(|a| a.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string());
                self.out(&format!("{}\n", b.unwrap_or_default()))
            }
            "dirname" => {
                let d = args.first().map(|a| match a.trim_end_matches('/').rsplit_once('/') {
                    Some(("", _)) => "/".to_string(),
                    Some((d, _)) => d.to_string(),
                    None => ".".to_string(),
                });
                self.out(&format!("{}\n", d.unwrap_or_default()))
            }
            "__serve" => {
                self.listening = Some(match args.first() {
                    None => Listening::Declared,
                    Some(&"none") => Listening::Ports(Vec::new()),
                    Some(_) => {
                        Listening::Ports(args.iter().filter_map(|a| a.parse().ok()).filter(|&p| p != 0).collect())
                    }
                });
                self.memory = self.memory.max(self.env.image.memory_bytes);
                self.served = Some((self.vars.clone(), self.clock));
                self.suspend = Some(State::Blocked);
                0
            }
            "__nginx" => self.nginx(args.first().copied().unwrap_or(""), net),
            "__httpd" => self.httpd(args.first().copied().unwrap_or(""), net),
            "__alloc" => {
                let mb = args.first().and_then(|a| a.parse::<u64>().ok()).unwrap_or(0);
                self.memory = self.memory.saturating_add(mb.saturating_mul(MIB));
                0
            }
            "__alloc_bytes" => match args.first().and_then(|a| super::memory::size(a)) {
                Some(n) => {
                    self.memory = self.memory.saturating_add(n);
                    0
                }
                None => 1,
            },
            "__memory_mb" => {
                let mb = format!("{}\n", self.memory / MIB);
                self.out(&mb)
            }
            _ => return self.applet(&name, &args, net),
        };
        Some(code)
    }

    /// nginx reading its configuration (`__nginx check|test|serve`): `check` and `test` report
    /// an error as nginx does at start and with `nginx -t`; `serve` listens on the ports of its
    /// servers, keeping the configuration as read (see [`crate::sim::images::nginx_conf`]).
    fn nginx(&mut self, mode: &str, net: &mut dyn Network) -> i32 {
        use crate::sim::images::nginx_conf;
        let mut resolves = |host: &str| mode == "serve" || net.resolve(host).is_some();
        match nginx_conf::load(&self.env.files, &mut resolves) {
            Err(e) => {
                if mode != "test" {
                    let (y, mo, d, h, mi, s, _) = self.clock.civil();
                    let line = format!("{y}/{mo:02}/{d:02} {h:02}:{mi:02}:{s:02} [emerg] 1#1: {e}\n");
                    self.write(2, &line);
                }
                self.write(2, &format!("nginx: [emerg] {e}\n"));
                if mode == "test" {
                    self.write(2, &format!("nginx: configuration file {} test failed\n", nginx_conf::MAIN));
                }
                1
            }
            Ok(_) if mode == "test" => {
                let main = nginx_conf::MAIN;
                self.write(2, &format!("nginx: the configuration file {main} syntax is ok\nnginx: configuration file {main} test is successful\n"));
                0
            }
            Ok(conf) if mode == "serve" => {
                self.vars.insert(nginx_conf::SNAPSHOT.into(), nginx_conf::pack(&self.env.files));
                let ports: Vec<String> = conf.ports().iter().map(u16::to_string).collect();
                let mut argv = vec!["__serve".to_string()];
                argv.extend(if ports.is_empty() { vec!["none".to_string()] } else { ports });
                self.builtin(&argv, net).unwrap_or(1)
            }
            Ok(_) => 0,
        }
    }

    /// httpd reading its configuration (`__httpd check|named|listens|modules|serve`): `check`
    /// reports a syntax error as httpd does and its start-up warnings; `named` says whether
    /// `ServerName` is set (no AH00558 then); `listens` fails as httpd does with no MPM or no
    /// `Listen`; `modules` is `httpd -M`; `serve` listens on the `Listen` ports, keeping the
    /// configuration as read (see [`crate::sim::images::httpd_conf`]).
    fn httpd(&mut self, mode: &str, net: &mut dyn Network) -> i32 {
        use crate::sim::images::httpd_conf;
        let conf = match httpd_conf::load(&self.env.files) {
            Ok(conf) => conf,
            Err(e) => {
                self.write(2, &format!("{e}\n"));
                return 1;
            }
        };
        match mode {
            "check" => {
                for w in &conf.warnings {
                    self.write(2, &format!("{w}\n"));
                }
                0
            }
            "named" => i32::from(!conf.named),
            "listens" if !conf.has_mpm() => {
                self.write(2, "AH00534: httpd: Configuration error: No MPM loaded.\n");
                1
            }
            "listens" if conf.listen.is_empty() => {
                self.write(2, "no listening sockets available, shutting down\nAH00015: Unable to open logs\n");
                1
            }
            "modules" => self.out(&httpd_conf::module_list(&conf)),
            "serve" => {
                let packed = crate::sim::images::nginx_conf::pack_under(&self.env.files, httpd_conf::CONF_DIR);
                self.vars.insert(httpd_conf::SNAPSHOT.into(), packed);
                let mut argv = vec!["__serve".to_string()];
                argv.extend(conf.listen.iter().map(u16::to_string));
                self.builtin(&argv, net).unwrap_or(1)
            }
            _ => 0,
        }
    }

    /// `alias` (all, as `alias k='kubectl'`), `alias NAME` (one), `alias NAME=VALUE` (set).
    fn alias(&mut self, args: &[&str]) -> i32 {
        let quote = |v: &str| format!("'{}'", v.replace('\'', "'\\''"));
        let args: Vec<&str> = args.iter().copied().filter(|a| *a != "-p").collect();
        if args.is_empty() {
            let all: String = self.aliases.iter().map(|(k, v)| format!("alias {k}={}\n", quote(v))).collect();
            return self.out(&all);
        }
        let mut code = 0;
        for a in args {
            match a.split_once('=') {
                Some((name, value)) if !name.is_empty() && !name.contains(['/', '$', '`', '=', ' ']) => {
                    self.aliases.insert(name.to_string(), value.to_string());
                }
                Some(_) => {
                    self.error(&format!("alias: `{a}': invalid alias name"));
                    code = 1;
                }
                None => match self.aliases.get(a).cloned() {
                    Some(v) => {
                        self.out(&format!("alias {a}={}\n", quote(&v)));
                    }
                    None => {
                        self.error(&format!("alias: {a}: not found"));
                        code = 1;
                    }
                },
            }
        }
        code
    }

    pub(super) fn out(&mut self, text: &str) -> i32 {
        self.write(1, text);
        0
    }

    fn echo(&mut self, args: &[&str]) -> i32 {
        let mut newline = true;
        let mut escapes = false;
        let mut i = 0;
        while let Some(a) = args.get(i) {
            match *a {
                "-n" => newline = false,
                "-e" => escapes = true,
                "-ne" | "-en" => {
                    newline = false;
                    escapes = true;
                }
                "-E" => escapes = false,
                _ => break,
            }
            i += 1;
        }
        let mut text = args[i..].join(" ");
        if escapes {
            let (t, stopped) = super::printf::escapes(&text, super::printf::Escapes::Echo);
            text = t;
            // `\c`: nothing more, not even the newline.
            newline &= !stopped;
        }
        if newline {
            text.push('\n');
        }
        self.out(&text)
    }

    fn printf(&mut self, args: &[&str]) -> i32 {
        let Some(fmt) = args.first() else {
            self.write(2, "printf: usage: printf FORMAT [ARGUMENT...]\n");
            return 2;
        };
        let (fmt, _) = super::printf::escapes(fmt, super::printf::Escapes::Format);
        let (out, problems) = super::printf::format(&fmt, &args[1..]);
        let mut failed = false;
        for p in &problems {
            match p {
                super::printf::Problem::Invalid(arg) => {
                    self.printf_error(arg, "invalid number");
                    failed = true;
                }
                super::printf::Problem::Range(arg) => self.printf_error(arg, "Numerical result out of range"),
                super::printf::Problem::Format(spec) => {
                    let why = match spec.chars().last() {
                        Some(c) if spec.len() > 1 => format!("`{c}': invalid format character"),
                        _ => format!("`{spec}': missing format character"),
                    };
                    if self.env.bash_style {
                        self.error(&format!("printf: {why}"));
                    } else {
                        self.write(2, &format!("printf: {why}\n"));
                    }
                    failed = true;
                }
            }
        }
        let code = self.out(&out);
        if failed {
            1
        } else {
            code
        }
    }

    /// A printf argument that is not a whole number: bash's words (`bash: printf: abc: invalid
    /// number`), or busybox printf's (`printf: invalid number 'abc'`).
    fn printf_error(&mut self, arg: &str, why: &str) {
        if self.env.bash_style && why == "invalid number" {
            self.error(&format!("printf: {arg}: {why}"));
        } else if self.env.bash_style {
            self.error(&format!("printf: warning: {arg}: {why}"));
        } else if why == "invalid number" {
            self.write(2, &format!("printf: invalid number '{arg}'\n"));
        } else {
            self.write(2, &format!("printf: {arg}: {why}\n"));
        }
    }

    /// `source FILE [ARGS]` (and `.`): runs the file's commands in this shell.
    fn source(&mut self, name: &str, args: &[&str]) -> i32 {
        let Some(file) = args.first() else {
            if self.env.bash_style {
                self.error(&format!("line 1: {name}: filename argument required"));
                self.write(2, &format!("{name}: usage: {name} filename [arguments]\n"));
            } else {
                self.error(&format!("{name}: filename argument required"));
            }
            return 2;
        };
        let path = self.abs(file);
        let Some(text) = self.env.files.get(&path).cloned() else {
            if self.env.bash_style {
                self.error(&format!("line 1: {file}: No such file or directory"));
            } else {
                self.error(&format!("{name}: can't open '{file}'"));
            }
            return 1;
        };
        if args.len() > 1 {
            // SIM: bash gives the file these positional parameters and restores its own
            // after; here they stay set.
            let zero = self.positional.first().cloned().unwrap_or_default();
            self.positional = std::iter::once(zero).chain(args[1..].iter().map(|a| a.to_string())).collect();
        }
        self.run_here(&text, &format!("{file}: line 1"))
    }

    fn sleep(&mut self, args: &[&str]) -> i32 {
        let Some(a) = args.first() else {
            self.write(2, "sleep: missing operand\n");
            return 1;
        };
        let mut total = Duration::ZERO;
        for a in args {
            if *a == "infinity" || *a == "inf" {
                self.suspend = Some(State::Blocked);
                return 0;
            }
            let (num, unit) = match a.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
                Some(i) => a.split_at(i),
                None => (*a, ""),
            };
            let mult = match unit {
                "" | "s" => 1.0,
                "m" => 60.0,
                "h" => 3600.0,
                "d" => 86_400.0,
                _ => f64::NAN,
            };
            match num.parse::<f64>() {
                Ok(n) if n.is_finite() && n >= 0.0 && mult.is_finite() => {
                    total += Duration::from_millis((n * mult * 1000.0).min(1e15) as u64);
                }
                _ => {
                    self.write(2, &format!("sleep: invalid number '{a}'\n"));
                    return 1;
                }
            }
        }
        let _ = a;
        self.suspend = Some(State::Sleeping(self.clock + total));
        0
    }

    fn printenv(&mut self, args: &[&str]) -> i32 {
        if args.is_empty() {
            let mut out = String::new();
            for k in self.exported.clone() {
                if let Some(v) = self.get_var(&k) {
                    out.push_str(&format!("{k}={v}\n"));
                }
            }
            return self.out(&out);
        }
        let mut code = 0;
        for a in args {
            match self.exported.contains(*a).then(|| self.vars.get(*a).cloned()).flatten() {
                Some(v) => {
                    self.write(1, &format!("{v}\n"));
                }
                None => code = 1,
            }
        }
        code
    }

    /// The text of the files named in `args` (not options), or stdin when none.
    /// [`Self::input`] for the tool `name`, which its messages name.
    pub(super) fn input_as(&mut self, name: &str, args: &[&str]) -> (String, i32) {
        self.vars.insert("__cmd".into(), name.into());
        let read = self.input(args);
        self.vars.remove("__cmd");
        read
    }

    pub(super) fn input(&mut self, args: &[&str]) -> (String, i32) {
        let files: Vec<&str> = args.iter().filter(|a| !a.starts_with('-') || **a == "-").copied().collect();
        if files.is_empty() {
            return (self.stdin.take().map(String::from).unwrap_or_default(), 0);
        }
        let mut text = String::new();
        let mut code = 0;
        for f in files {
            match self.read_file(f) {
                Ok(t) => text.push_str(&t),
                Err(e) => {
                    let name = self.vars.get("__cmd").cloned().unwrap_or_else(|| "cat".into());
                    // GNU coreutils (Debian-based images, the terminal) and busybox word it apart.
                    let text = if self.text_tools_are_gnu() {
                        match name.as_str() {
                            "head" | "tail" => format!("{name}: cannot open '{f}' for reading: {e}\n"),
                            "sort" => format!("sort: cannot read: {f}: {e}\n"),
                            _ => format!("{name}: {f}: {e}\n"),
                        }
                    } else {
                        format!("{name}: can't open '{f}': {e}\n")
                    };
                    self.write(2, &text);
                    code = 1;
                }
            }
        }
        (text, code)
    }

    /// bash's `history [N]`, `history -c`, `history -d N`: the terminal's lines, numbered
    /// (`    1  kubectl get pods`). A container's shell has none to show.
    fn history(&mut self, args: &[&str]) -> i32 {
        const USAGE: &str =
            "history: usage: history [-c] [-d offset] [n] or history -anrw [filename] or history -ps arg [arg...]";
        let mut h = (*self.history).clone();
        let mut last = h.lines.len();
        match args {
            [] => {}
            ["-c", ..] => {
                self.history = std::rc::Rc::default();
                return 0;
            }
            ["-d", n, ..] => {
                let at =
                    n.parse::<usize>().ok().and_then(|n| n.checked_sub(h.dropped + 1)).filter(|i| *i < h.lines.len());
                let Some(at) = at else {
                    self.error(&format!("history: {n}: history position out of range"));
                    return 1;
                };
                h.lines.remove(at);
                self.history = std::rc::Rc::new(h);
                return 0;
            }
            [o, ..] if o.len() == 2 && o.starts_with('-') && "danrwps".contains(&o[1..]) => {
                self.error(&format!("history: {o}: not simulated (the sandbox keeps no history file)"));
                return 1;
            }
            [o, ..] if o.starts_with('-') && o.len() > 1 => {
                self.error(&format!("history: {o}: invalid option"));
                self.write(2, &format!("{USAGE}\n"));
                return 2;
            }
            [n] => match n.parse::<usize>() {
                Ok(n) => last = n.min(h.lines.len()),
                Err(_) => {
                    self.error(&format!("history: {n}: numeric argument required"));
                    return 1;
                }
            },
            _ => {
                self.error("history: too many arguments");
                return 1;
            }
        }
        let skip = h.lines.len() - last;
        let out: String =
            h.lines.iter().enumerate().skip(skip).map(|(i, l)| format!("{:>5}  {l}\n", h.dropped + i + 1)).collect();
        self.write(1, &out);
        0
    }

    fn cat(&mut self, args: &[&str]) -> i32 {
        let (text, code) = self.input(args);
        self.write(1, &text);
        code
    }

    /// One line of busybox `ls -l` for `abs` shown as `name`.
    // SIM: no owner, mode or time is kept per file: root's, the defaults of a file or a directory,
    // and the time now.
    fn ls_long(&self, abs: &str, name: &str) -> (String, u64) {
        let dir = self.is_dir(abs) && !self.env.files.contains_key(abs);
        let (mode, links, size) = if dir {
            ("drwxr-xr-x", 2, 4096)
        } else {
            ("-rw-r--r--", 1, self.env.files.get(abs).map_or(0, |c| c.len() as u64))
        };
        let when = format_date(self.clock, "%b %e %H:%M");
        (format!("{mode} {links:>4} root     root     {size:>9} {when} {name}\n"), size.div_ceil(4096) * 4)
    }

    fn ls(&mut self, args: &[&str]) -> i32 {
        let long = args.iter().any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('l'));
        let all = args.iter().any(|a| a.starts_with('-') && a.contains('a'));
        let targets: Vec<&str> = args.iter().filter(|a| !a.starts_with('-')).copied().collect();
        let targets = if targets.is_empty() { vec!["."] } else { targets };
        let mut code = 0;
        let many = targets.len() > 1;
        let mut out = String::new();
        for (i, t) in targets.iter().enumerate() {
            let abs = self.abs(t);
            if self.env.files.contains_key(&abs) {
                if long {
                    out.push_str(&self.ls_long(&abs, t).0);
                } else {
                    out.push_str(&format!("{t}\n"));
                }
                continue;
            }
            if !self.is_dir(&abs) {
                self.write(2, &format!("ls: {t}: No such file or directory\n"));
                code = 1;
                continue;
            }
            if many {
                out.push_str(&format!("{}{t}:\n", if i > 0 { "\n" } else { "" }));
            }
            let prefix = if abs == "/" { "/".to_string() } else { format!("{abs}/") };
            let mut names: Vec<String> = self
                .env
                .files
                .keys()
                .filter_map(|k| k.strip_prefix(&prefix))
                .filter_map(|rest| {
                    let name = rest.trim_end_matches('/');
                    (!name.is_empty() && !name.contains('/')).then(|| name.to_string())
                })
                .filter(|n| all || !n.starts_with('.'))
                .collect();
            names.dedup();
            if long {
                let lines: Vec<(String, u64)> =
                    names.iter().map(|n| self.ls_long(&format!("{prefix}{n}"), n)).collect();
                out.push_str(&format!("total {}\n", lines.iter().map(|(_, b)| b).sum::<u64>()));
                for (line, _) in lines {
                    out.push_str(&line);
                }
                continue;
            }
            for n in names {
                out.push_str(&n);
                out.push('\n');
            }
        }
        self.write(1, &out);
        code
    }

    fn date(&mut self, args: &[&str]) -> i32 {
        let fmt = args.iter().find_map(|a| a.strip_prefix('+')).unwrap_or("%a %b %e %H:%M:%S %Z %Y");
        let text = format!("{}\n", format_date(self.clock, fmt));
        self.out(&text)
    }

    fn mkdir(&mut self, args: &[&str]) -> i32 {
        let parents = args.contains(&"-p");
        let mut code = 0;
        for a in args.iter().filter(|a| !a.starts_with('-')) {
            let abs = self.abs(a);
            if self.env.is_read_only(&abs) && !self.is_dir(&abs) {
                self.write(2, &format!("mkdir: can't create directory '{a}': Read-only file system\n"));
                code = 1;
                continue;
            }
            if self.env.files.contains_key(&abs) || (self.is_dir(&abs) && !parents) {
                self.write(2, &format!("mkdir: can't create directory '{a}': File exists\n"));
                code = 1;
                continue;
            }
            if !parents && !self.parent_exists(&abs) {
                self.write(2, &format!("mkdir: can't create directory '{a}': No such file or directory\n"));
                code = 1;
                continue;
            }
            let mut p = String::new();
            for part in abs.trim_start_matches('/').split('/') {
                p.push('/');
                p.push_str(part);
                if self.env.files.len() < 100_000 {
                    self.env.files.entry(format!("{p}/")).or_default();
                }
            }
        }
        code
    }

    fn copy(&mut self, name: &str, args: &[&str]) -> i32 {
        let paths: Vec<&str> = args.iter().filter(|a| !a.starts_with('-')).copied().collect();
        let [src, dst] = paths.as_slice() else {
            self.write(2, &format!("{name}: missing file operand\n"));
            return 1;
        };
        let text = match self.read_file(src) {
            Ok(t) => t,
            Err(e) => {
                // GNU coreutils says "cannot", busybox "can't".
                let cant = if self.text_tools_are_gnu() { "cannot" } else { "can't" };
                self.write(2, &format!("{name}: {cant} stat '{src}': {e}\n"));
                return 1;
            }
        };
        let mut to = self.abs(dst);
        if self.is_dir(&to) {
            let base = src.rsplit('/').next().unwrap_or(src);
            to = format!("{}/{base}", to.trim_end_matches('/'));
        }
        if !self.parent_exists(&to) {
            self.write(2, &format!("{name}: can't create '{dst}': No such file or directory\n"));
            return 1;
        }
        if self.env.is_read_only(&to) || (name == "mv" && self.env.is_read_only(&self.abs(src))) {
            self.write(2, &format!("{name}: can't create '{dst}': Read-only file system\n"));
            return 1;
        }
        if name == "mv" {
            let from = self.abs(src);
            self.env.files.remove(&from);
        }
        self.env.files.insert(to, text);
        0
    }

    fn head_tail(&mut self, name: &str, args: &[&str]) -> i32 {
        let mut n = 10usize;
        let mut follow = false;
        let mut bytes: Option<usize> = None;
        let mut files = Vec::new();
        let mut i = 0;
        while i < args.len() {
            match args[i] {
                "-c" => {
                    bytes = args.get(i + 1).and_then(|v| v.parse().ok());
                    i += 1;
                }
                a if a.starts_with("-c") && a.len() > 2 => bytes = a[2..].parse().ok(),
                "-n" => {
                    n = args.get(i + 1).and_then(|v| v.trim_start_matches('+').parse().ok()).unwrap_or(10);
                    i += 1;
                }
                "-f" | "-F" => follow = true,
                a if a.starts_with("-n") => n = a[2..].parse().unwrap_or(10),
                a if a.starts_with('-') && a[1..].bytes().all(|b| b.is_ascii_digit()) => {
                    n = a[1..].parse().unwrap_or(10)
                }
                a => files.push(a),
            }
            i += 1;
        }
        self.vars.insert("__cmd".into(), name.into());
        let (text, code) = self.input(&files);
        self.vars.remove("__cmd");
        if let Some(b) = bytes {
            let chars: Vec<char> = text.chars().collect();
            let pick: String = if name == "head" {
                chars.iter().take(b).collect()
            } else {
                chars[chars.len().saturating_sub(b)..].iter().collect()
            };
            self.write(1, &pick);
            return code;
        }
        let lines: Vec<&str> = text.lines().collect();
        let pick = if name == "head" { &lines[..n.min(lines.len())] } else { &lines[lines.len().saturating_sub(n)..] };
        let mut out = pick.join("\n");
        if !pick.is_empty() {
            out.push('\n');
        }
        self.write(1, &out);
        if follow && name == "tail" {
            // SIM: `tail -f` prints what is there, then waits for ever without following.
            self.suspend = Some(State::Blocked);
        }
        code
    }

    fn test(&mut self, args: &[&str]) -> i32 {
        match self.eval_test(args) {
            Ok(b) => i32::from(!b),
            Err(e) => {
                self.error(&format!("test: {e}"));
                2
            }
        }
    }

    fn eval_test(&mut self, args: &[&str]) -> Result<bool, String> {
        if let Some(i) = args.iter().position(|a| *a == "-o") {
            return Ok(self.eval_test(&args[..i])? || self.eval_test(&args[i + 1..])?);
        }
        if let Some(i) = args.iter().position(|a| *a == "-a") {
            return Ok(self.eval_test(&args[..i])? && self.eval_test(&args[i + 1..])?);
        }
        let int = |s: &str| s.trim().parse::<i64>().map_err(|_| format!("{s}: bad number"));
        Ok(match args {
            [] => false,
            ["!", rest @ ..] => !self.eval_test(rest)?,
            [s] => !s.is_empty(),
            [op, x] => {
                let abs = self.abs(x);
                match *op {
                    "-n" => !x.is_empty(),
                    "-z" => x.is_empty(),
                    "-e" => self.env.files.contains_key(&abs) || self.is_dir(&abs),
                    "-f" => self.env.files.contains_key(&abs),
                    "-d" => self.is_dir(&abs),
                    "-s" => self.env.files.get(&abs).is_some_and(|t| !t.is_empty()),
                    "-r" | "-w" | "-x" => self.env.files.contains_key(&abs) || self.is_dir(&abs),
                    _ => return Err(format!("{op}: unknown operand")),
                }
            }
            [a, op, b] => match *op {
                "=" | "==" => a == b,
                "!=" => a != b,
                "-eq" => int(a)? == int(b)?,
                "-ne" => int(a)? != int(b)?,
                "-lt" => int(a)? < int(b)?,
                "-le" => int(a)? <= int(b)?,
                "-gt" => int(a)? > int(b)?,
                "-ge" => int(a)? >= int(b)?,
                _ => return Err(format!("{op}: unknown operand")),
            },
            _ => return Err("too many arguments".into()),
        })
    }

    fn http(&mut self, name: &str, args: &[&str], net: &mut dyn Network) -> i32 {
        let mut url = None;
        let mut to_file: Option<String> = None;
        let mut quiet = name == "curl";
        let mut host_header: Option<String> = None;
        let mut remote_name = false;
        let mut write_out: Option<String> = None;
        let mut resolve: Vec<String> = Vec::new();
        // busybox wget's -S (the response's header fields on stderr) and --spider (only ask).
        let mut server_response = false;
        let mut spider = false;
        // Fields given with --header (other than Host), -U's agent, and --no-check-certificate.
        let mut extra: Vec<(String, String)> = Vec::new();
        let mut agent: Option<String> = None;
        let mut no_check_cert = false;
        let mut i = 0;
        while i < args.len() {
            let a = args[i];
            match a {
                "-S" | "--server-response" if name == "wget" => server_response = true,
                "--spider" if name == "wget" => spider = true,
                // curl's -O (--remote-name) takes no value: the file is named after the URL.
                "-O" | "--remote-name" if name == "curl" => remote_name = true,
                "-O" | "-o" | "--output" => {
                    to_file = args.get(i + 1).map(|s| s.to_string());
                    i += 1;
                }
                "-H" | "--header" => {
                    host_header = args.get(i + 1).and_then(|h| header_host(h)).or(host_header);
                    extra.extend(args.get(i + 1).and_then(|h| header_field(h)));
                    i += 1;
                }
                a if a.starts_with("--header=") => {
                    host_header = header_host(&a["--header=".len()..]).or(host_header);
                    extra.extend(header_field(&a["--header=".len()..]));
                }
                "--no-check-certificate" => no_check_cert = true,
                "-U" | "--user-agent" => {
                    agent = args.get(i + 1).map(|s| s.to_string());
                    i += 1;
                }
                "--resolve" => {
                    resolve.extend(args.get(i + 1).map(|r| r.to_string()));
                    i += 1;
                }
                "-w" | "--write-out" if name == "curl" => {
                    write_out = args.get(i + 1).map(|s| s.to_string());
                    i += 1;
                }
                "-T" | "--timeout" | "-m" | "--max-time" | "-X" => i += 1,
                "-q" | "-s" | "--silent" | "-qO-" => {
                    quiet = true;
                    if a == "-qO-" {
                        to_file = Some("-".into());
                    }
                }
                a if a.starts_with("-O") && a.len() > 2 && name == "wget" => to_file = Some(a[2..].to_string()),
                // busybox wget's grouped short options (`-qO -`, `-qOfile`).
                a if name == "wget" && a.starts_with('-') && !a.starts_with("--") && a.len() > 2 => {
                    let flags = &a[1..];
                    if let Some(at) = flags.find('O') {
                        let rest = &flags[at + 1..];
                        if rest.is_empty() {
                            to_file = args.get(i + 1).map(|s| s.to_string());
                            i += 1;
                        } else {
                            to_file = Some(rest.to_string());
                        }
                    }
                    let before_o = &flags[..flags.find('O').unwrap_or(flags.len())];
                    quiet |= before_o.contains('q');
                    server_response |= before_o.contains('S');
                }
                // curl's grouped short options (`-LO`, `-sSLo FILE`).
                a if name == "curl" && a.starts_with('-') && !a.starts_with("--") => {
                    if a.contains('s') {
                        quiet = true;
                    }
                    if a.ends_with('o') {
                        to_file = args.get(i + 1).map(|s| s.to_string());
                        i += 1;
                    } else if a.contains('O') {
                        remote_name = true;
                    }
                }
                a if a.starts_with('-') => {}
                a => url = Some(a.to_string()),
            }
            i += 1;
        }
        let Some(url) = url else {
            self.write(2, &format!("{name}: missing URL\n"));
            return 1;
        };
        // curl refuses a URL with a blank in it (an unquoted `$(…)` that printed two words).
        if name == "curl" && url.contains(char::is_whitespace) {
            self.write(2, "curl: (3) URL using bad/illegal format or missing URL\n");
            return 3;
        }
        let full = if url.contains("://") { url.clone() } else { format!("http://{url}") };
        let host = super::split_url(&full).0;
        let fail = args.iter().any(|a| {
            *a == "-f"
                || *a == "--fail"
                || (a.starts_with('-') && !a.starts_with("--") && a.contains('f') && name == "curl")
        });
        // `--resolve host:port:addr` connects to addr and still names the host.
        let (connect, host_header) = match resolved(&full, &resolve) {
            Some(url) => (url, host_header.or_else(|| Some(host.clone()))),
            None => (full.clone(), host_header),
        };
        let mut req = HttpRequest::get_as(&connect, host_header.as_deref());
        req.headers.push(("User-Agent".into(), agent.unwrap_or_else(|| "Wget".into())));
        req.headers.push(("Connection".into(), "close".into()));
        req.headers.extend(extra);
        let sent = net.http(&req);
        let mut announced = false;
        // busybox's own TLS client checks no certificate, and says so once it is connected.
        if full.starts_with("https://") && !no_check_cert && sent.is_ok() {
            if let Ok(r) = &sent {
                if !quiet {
                    self.write(2, &format!("Connecting to {host} ({})\n", r.addr));
                }
            }
            self.write(2, "wget: note: TLS certificate validation not implemented\n");
            announced = true;
        }
        let status_code: u16;
        let body = match sent {
            Ok(r) if r.status == 0 && name == "wget" => {
                self.write(2, "wget: error getting response: Connection reset by peer\n");
                return 1;
            }
            Ok(r) if r.status == 0 => {
                self.write(2, "curl: (52) Empty reply from server\n");
                return 52;
            }
            Ok(r) if r.status >= 400 && name == "wget" => {
                if !quiet && !announced {
                    self.write(2, &format!("Connecting to {host} ({})\n", r.addr));
                }
                if server_response {
                    self.write(2, &wget_headers(&r));
                }
                self.write(
                    2,
                    &format!("wget: server returned error: HTTP/1.1 {} {}\n", r.status, reason_phrase(r.status)),
                );
                return 1;
            }
            Ok(r) if r.status >= 400 && fail => {
                self.write(2, &format!("curl: (22) The requested URL returned error: {}\n", r.status));
                return 22;
            }
            Ok(r) => {
                if !quiet && !announced && name == "wget" {
                    self.write(2, &format!("Connecting to {host} ({})\n", r.addr));
                }
                if server_response && name == "wget" {
                    self.write(2, &wget_headers(&r));
                }
                if spider && name == "wget" {
                    if !quiet {
                        self.write(2, "remote file exists\n");
                    }
                    return 0;
                }
                status_code = r.status;
                r.body
            }
            Err(super::NetError::BadAddress(h)) if name == "wget" => {
                self.write(2, &format!("wget: bad address '{h}'\n"));
                return 1;
            }
            Err(super::NetError::BadAddress(h)) => {
                self.write(2, &format!("curl: (6) Could not resolve host: {h}\n"));
                return 6;
            }
            Err(super::NetError::Refused { ip, port }) if name == "wget" => {
                let _ = port;
                self.write(2, &format!("wget: can't connect to remote host ({ip}): Connection refused\n"));
                return 1;
            }
            Err(super::NetError::TimedOut { ip, .. }) if name == "wget" => {
                self.write(2, &format!("wget: can't connect to remote host ({ip}): Connection timed out\n"));
                return 1;
            }
            Err(super::NetError::TimedOut { ip, port }) => {
                // SIM: the wait itself (Linux gives up after its SYN retries, about 130 s) takes
                // no simulated time.
                self.write(
                    2,
                    &format!("curl: (28) Failed to connect to {ip} port {port} after {CONNECT_TIMEOUT_MS} ms: Couldn't connect to server\n"),
                );
                return 28;
            }
            Err(super::NetError::Refused { port, .. }) => {
                self.write(
                    2,
                    &format!(
                        "curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server\n"
                    ),
                );
                return 7;
            }
        };
        // curl -O and wget save under the URL's last path segment (wget: index.html when
        // there is none).
        let base = super::split_url(&full)
            .2
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string();
        let to_file = to_file.or_else(|| match name {
            "wget" if base.is_empty() => Some("index.html".to_string()),
            "wget" => Some(base.clone()),
            _ if remote_name && base.is_empty() => Some(String::new()),
            _ if remote_name => Some(base.clone()),
            _ => None,
        });
        if to_file.as_deref() == Some("") {
            self.write(2, "curl: (23) Remote filename has no length\n");
            return 23;
        }
        match to_file.as_deref() {
            None | Some("-") => {
                self.write(1, &body);
            }
            Some(f) => {
                let abs = self.abs(f);
                if !self.parent_exists(&abs) {
                    self.write(2, &format!("{name}: can't open '{f}': No such file or directory\n"));
                    return 1;
                }
                self.env.files.insert(abs, body.chars().take(super::interp::MAX_CAPTURE).collect());
                if !quiet && name == "wget" {
                    self.write(2, &format!("saving to '{f}'\n'{f}' saved\n"));
                }
            }
        }
        if let Some(format) = write_out {
            let out = write_out_text(&format, status_code, &full);
            self.write(1, &out);
        }
        0
    }

    fn nslookup(&mut self, args: &[&str], net: &mut dyn Network) -> i32 {
        let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
            self.write(2, "Usage: nslookup [-type=QUERY_TYPE] HOST [DNS_SERVER]\n");
            return 1;
        };
        let header = if super::dnstools::bind_nslookup(self.env.image) {
            "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"
        } else {
            "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
        };
        let literal = name.parse::<std::net::Ipv4Addr>().is_ok() || *name == "localhost";
        if !literal && !net.dns_reachable() {
            self.write(1, ";; connection timed out; no servers could be reached\n\n");
            return 1;
        }
        if old_busybox_nslookup(self.env.image.repository, &self.env.tag) {
            return self.nslookup_libc(name, net);
        }
        if !literal {
            if let Some((alias, target)) = net.canonical_name(name) {
                // CoreDNS answers an ExternalName Service with a CNAME; busybox prints it for
                // its A and its AAAA query alike.
                // SIM: the external name itself resolves nowhere (the sandbox has no
                // internet), so no address follows the alias.
                let cname = format!("{alias}\tcanonical name = {target}\n\n");
                return self.out(&format!("{header}{cname}{cname}"));
            }
        }
        match net.resolve_all(name) {
            ips if !ips.is_empty() => {
                let full = net.full_name(name);
                let mut text = header.to_string();
                for ip in ips {
                    text.push_str(&format!("Name:\t{full}\nAddress: {ip}\n"));
                }
                text.push('\n');
                self.out(&text)
            }
            _ => {
                let text = format!("{header}** server can't find {name}: NXDOMAIN\n\n");
                self.write(1, &text);
                1
            }
        }
    }
}

/// Whether the image's `nslookup` is busybox's before 1.29 (busybox:1.28, the tag the
/// Kubernetes docs use for DNS), which asks the C library and prints `Address 1: IP NAME`
/// lines, rather than the later one that sends its own queries.
fn old_busybox_nslookup(repository: &str, tag: &str) -> bool {
    let busybox = repository.ends_with("/busybox") || repository.ends_with("/busyboxplus");
    let mut parts = tag.split(['.', '-']).map(|p| p.parse::<u32>().ok());
    let version = (parts.next().flatten(), parts.next().flatten());
    busybox && (repository.ends_with("/busyboxplus") || matches!(version, (Some(1), Some(m)) if m <= 28))
}

impl Machine {
    /// Old busybox's `nslookup`: the server and each address with the name a reverse lookup
    /// gives it, or `can't resolve`.
    // SIM: a name with several addresses (a headless Service) prints them without names;
    // CoreDNS would give each endpoint's PTR name.
    fn nslookup_libc(&mut self, name: &str, net: &mut dyn Network) -> i32 {
        let mut text =
            "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n".to_string();
        let ips = net.resolve_all(name);
        if ips.is_empty() {
            self.write(1, &text);
            self.write(2, &format!("nslookup: can't resolve '{name}'\n"));
            return 1;
        }
        text.push_str(&format!("Name:      {name}\n"));
        let full = net.full_name(name);
        for (n, ip) in ips.iter().enumerate() {
            let ptr = if ips.len() == 1 && full != *ip && full.ends_with(".cluster.local") {
                format!(" {full}")
            } else {
                String::new()
            };
            text.push_str(&format!("Address {}: {ip}{ptr}\n", n + 1));
        }
        self.out(&text)
    }
}

/// A `Name: value` field given on the command line, other than `Host`.
fn header_field(h: &str) -> Option<(String, String)> {
    let (k, v) = h.split_once(':')?;
    let k = k.trim();
    (!k.is_empty() && !k.eq_ignore_ascii_case("host")).then(|| (k.to_string(), v.trim().to_string()))
}

/// The host a `Host: name` header names (any other header: None).
fn header_host(h: &str) -> Option<String> {
    let (k, v) = h.split_once(':')?;
    k.trim().eq_ignore_ascii_case("host").then(|| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The URL curl connects to when a `--resolve host:port:addr` entry matches the URL's host and
/// port: the address in place of the host.
fn resolved(url: &str, entries: &[String]) -> Option<String> {
    let (host, port, path) = super::split_url(url);
    let scheme = url.split_once("://").map_or("http", |(s, _)| s);
    entries.iter().find_map(|e| {
        let mut parts = e.splitn(3, ':');
        let (h, p, addr) = (parts.next()?, parts.next()?, parts.next()?);
        let addr = addr.split(',').next()?.trim_matches(['[', ']']);
        (h.eq_ignore_ascii_case(&host) && p.parse::<u16>().ok() == Some(port) && !addr.is_empty())
            .then(|| format!("{scheme}://{addr}:{port}{path}"))
    })
}

/// The reason phrase of an HTTP status, as servers send it.
fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

/// Formats `t` with `date`'s `%` codes (UTC), as busybox does.
pub fn format_date(t: crate::sim::time::SimTime, fmt: &str) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (y, mo, d, h, mi, s, wd) = t.civil();
    let unix = crate::sim::time::EPOCH_UNIX_SECS + t.as_millis() / 1000;
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&y.to_string()),
            Some('y') => out.push_str(&format!("{:02}", y % 100)),
            Some('m') => out.push_str(&format!("{mo:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('e') => out.push_str(&format!("{d:>2}")),
            Some('H') => out.push_str(&format!("{h:02}")),
            Some('M') => out.push_str(&format!("{mi:02}")),
            Some('S') => out.push_str(&format!("{s:02}")),
            Some('T') => out.push_str(&format!("{h:02}:{mi:02}:{s:02}")),
            Some('F') => out.push_str(&format!("{y}-{mo:02}-{d:02}")),
            Some('D') => out.push_str(&format!("{mo:02}/{d:02}/{:02}", y % 100)),
            Some('a') => out.push_str(DAYS[wd as usize % 7]),
            Some('b') | Some('h') => out.push_str(MONTHS[(mo as usize + 11) % 12]),
            Some('Z') => out.push_str("UTC"),
            Some('z') => out.push_str("+0000"),
            Some('s') => out.push_str(&unix.to_string()),
            Some('N') => out.push_str(&format!("{:09}", (t.as_millis() % 1000) * 1_000_000)),
            // GNU date's `%3N`/`%6N`: the fraction of a second to so many digits.
            Some(w @ '1'..='9') if chars.clone().next() == Some('N') => {
                chars.next();
                let nanos = format!("{:09}", (t.as_millis() % 1000) * 1_000_000);
                out.push_str(&nanos[..w.to_digit(10).unwrap_or(9) as usize]);
            }
            Some('%') => out.push('%'),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
            None => out.push('%'),
        }
    }
    out
}

/// curl's `-w FORMAT`: `\n`, `\t`, `\r`, `%%` and the variables a course prints
/// (`%{http_code}`, `%{url_effective}`); other variables print nothing.
fn write_out_text(format: &str, status: u16, url: &str) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("%{") {
            if let Some((var, after)) = r.split_once('}') {
                match var {
                    "http_code" | "response_code" => out.push_str(&format!("{status:03}")),
                    "url_effective" => out.push_str(url),
                    _ => {}
                }
                rest = after;
                continue;
            }
        }
        let two: String = rest.chars().take(2).collect();
        let escaped = match two.as_str() {
            "\\n" => Some('\n'),
            "\\t" => Some('\t'),
            "\\r" => Some('\r'),
            "%%" => Some('%'),
            _ => None,
        };
        if let Some(e) = escaped {
            out.push(e);
            rest = &rest[2..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// busybox wget's `-S`: the status line and each header field, indented two spaces.
fn wget_headers(r: &super::Response) -> String {
    let mut out = format!("  HTTP/1.1 {} {}\n", r.status, reason_phrase(r.status));
    for (k, v) in &r.headers {
        out.push_str(&format!("  {k}: {v}\n"));
    }
    out
}

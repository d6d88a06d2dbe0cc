//! nginx's configuration as the official nginx image reads it: `/etc/nginx/nginx.conf` and
//! what it includes (`conf.d/*.conf`, `mime.types`), checked as nginx checks it at start
//! (`nginx: [emerg] unknown directive "x" in /etc/nginx/conf.d/default.conf:3`), and what a
//! request gets from the servers and locations it declares: `listen`, `root`, `alias`,
//! `index`, `try_files`, `return CODE [text]` and `proxy_pass`.
//!
//! Pure: the caller reads the files and carries the proxied requests.

use std::collections::BTreeMap;

/// The main configuration file.
pub const MAIN: &str = "/etc/nginx/nginx.conf";

/// The image's own `/etc/nginx/nginx.conf`.
pub const DEFAULT_MAIN: &str = "\nuser  nginx;\nworker_processes  auto;\n\nerror_log  /var/log/nginx/error.log notice;\npid        /run/nginx.pid;\n\n\nevents {\n    worker_connections  1024;\n}\n\n\nhttp {\n    include       /etc/nginx/mime.types;\n    default_type  application/octet-stream;\n\n    log_format  main  '$remote_addr - $remote_user [$time_local] \"$request\" '\n                      '$status $body_bytes_sent \"$http_referer\" '\n                      '\"$http_user_agent\" \"$http_x_forwarded_for\"';\n\n    access_log  /var/log/nginx/access.log  main;\n\n    sendfile        on;\n    #tcp_nopush     on;\n\n    keepalive_timeout  65;\n\n    #gzip  on;\n\n    include /etc/nginx/conf.d/*.conf;\n}\n";

/// The image's `/etc/nginx/mime.types`.
// SIM: the common types only; the image's file lists about a hundred.
pub const MIME_TYPES: &str = "\ntypes {\n    text/html                                        html htm shtml;\n    text/css                                         css;\n    text/xml                                         xml;\n    image/gif                                        gif;\n    image/jpeg                                       jpeg jpg;\n    application/javascript                           js;\n    text/plain                                       txt;\n    image/png                                        png;\n    image/svg+xml                                    svg svgz;\n    image/x-icon                                     ico;\n    application/json                                 json;\n    application/pdf                                  pdf;\n    application/wasm                                 wasm;\n}\n";

/// The server program's variable that keeps the configuration files as nginx read them at
/// start: it answers by those until it restarts, whatever is written there since.
pub const SNAPSHOT: &str = "__NGINX_CONF";

/// The files under `/etc/nginx/`, packed into one variable's value.
pub fn pack(files: &BTreeMap<String, String>) -> String {
    pack_under(files, "/etc/nginx/")
}

/// The files under `prefix` (a directory, ending with `/`), packed into one variable's value.
pub fn pack_under(files: &BTreeMap<String, String>, prefix: &str) -> String {
    let mut out = String::new();
    for (path, text) in files.range(prefix.to_string()..).take_while(|(p, _)| p.starts_with(prefix)) {
        out.push_str(path);
        out.push('\0');
        out.push_str(text);
        out.push('\0');
    }
    out
}

/// The files [`pack`] packed.
pub fn unpack(packed: &str) -> BTreeMap<String, String> {
    let mut parts = packed.split('\0');
    let mut files = BTreeMap::new();
    while let (Some(path), Some(text)) = (parts.next(), parts.next()) {
        files.insert(path.to_string(), text.to_string());
    }
    files
}

/// One `location` block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// `""` (prefix), `=`, `^~`, `~` or `~*`.
    pub modifier: String,
    pub path: String,
    pub root: Option<String>,
    pub alias: Option<String>,
    pub index: Option<Vec<String>>,
    pub ret: Option<(u16, String)>,
    pub proxy: Option<String>,
    pub try_files: Vec<String>,
}

/// One `server` block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Server {
    pub ports: Vec<u16>,
    pub default_server: bool,
    pub names: Vec<String>,
    pub root: Option<String>,
    pub index: Option<Vec<String>>,
    pub ret: Option<(u16, String)>,
    pub locations: Vec<Location>,
}

/// The configuration nginx runs with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conf {
    pub servers: Vec<Server>,
    /// `upstream NAME { server HOST:PORT; }`: the first server of each.
    pub upstreams: BTreeMap<String, String>,
    /// Extension → MIME type.
    pub types: BTreeMap<String, String>,
    pub default_type: String,
    /// The `http` block's `root` and `index`.
    root: Option<String>,
    index: Option<Vec<String>>,
}

impl Conf {
    /// The ports its servers listen on, in order.
    pub fn ports(&self) -> Vec<u16> {
        let mut ports: Vec<u16> = Vec::new();
        for p in self.servers.iter().flat_map(|s| s.ports.iter()) {
            if !ports.contains(p) {
                ports.push(*p);
            }
        }
        ports
    }

    /// The MIME type of a file nginx serves.
    pub fn content_type(&self, file: &str) -> &str {
        let ext = file.rsplit('/').next().and_then(|n| n.rsplit_once('.')).map_or("", |(_, e)| e);
        self.types.get(&ext.to_ascii_lowercase()).map_or(self.default_type.as_str(), String::as_str)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Semi,
    Open,
    Close,
}

/// A directive as read: its words, the line nginx reports it at, and its block.
#[derive(Debug, Clone)]
struct Directive {
    args: Vec<String>,
    line: usize,
    block: Option<Vec<Directive>>,
    file: String,
}

const MAX_DEPTH: usize = 16;
const MAX_INCLUDES: usize = 64;

/// Reads `text` (the file `file`) into directives.
fn read(text: &str, file: &str) -> Result<Vec<Directive>, String> {
    let toks = tokenize(text, file)?;
    let mut pos = 0;
    block(&toks, &mut pos, file, 0)
}

fn tokenize(text: &str, file: &str) -> Result<Vec<(Tok, usize)>, String> {
    let mut toks = Vec::new();
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            c if c.is_whitespace() => {}
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            ';' => toks.push((Tok::Semi, line)),
            '{' => toks.push((Tok::Open, line)),
            '}' => toks.push((Tok::Close, line)),
            '"' | '\'' => {
                let mut w = String::new();
                let mut closed = false;
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                match e {
                                    'n' => w.push('\n'),
                                    't' => w.push('\t'),
                                    'r' => w.push('\r'),
                                    e if e == c || e == '\\' => w.push(e),
                                    e => {
                                        w.push('\\');
                                        w.push(e);
                                    }
                                }
                            }
                        }
                        d if d == c => {
                            closed = true;
                            break;
                        }
                        d => {
                            if d == '\n' {
                                line += 1;
                            }
                            w.push(d);
                        }
                    }
                }
                if !closed {
                    return Err(format!("unexpected end of file, expecting \";\" or \"}}\" in {file}:{line}"));
                }
                toks.push((Tok::Word(w), line));
            }
            c => {
                let mut w = String::from(c);
                while let Some(&d) = chars.peek() {
                    if d.is_whitespace() || matches!(d, ';' | '{' | '}') {
                        break;
                    }
                    w.push(d);
                    chars.next();
                }
                toks.push((Tok::Word(w), line));
            }
        }
    }
    toks.push((Tok::Close, usize::MAX));
    Ok(toks)
}

fn last_line(toks: &[(Tok, usize)]) -> usize {
    toks.iter().rev().map(|t| t.1).find(|l| *l != usize::MAX).unwrap_or(1)
}

fn block(toks: &[(Tok, usize)], pos: &mut usize, file: &str, depth: usize) -> Result<Vec<Directive>, String> {
    let mut out = Vec::new();
    let mut args: Vec<String> = Vec::new();
    while let Some((tok, line)) = toks.get(*pos) {
        *pos += 1;
        match tok {
            Tok::Word(w) => args.push(w.clone()),
            Tok::Semi if args.is_empty() => return Err(format!("unexpected \";\" in {file}:{line}")),
            Tok::Semi => {
                out.push(Directive { args: std::mem::take(&mut args), line: *line, block: None, file: file.into() })
            }
            Tok::Open => {
                if args.is_empty() || depth >= MAX_DEPTH {
                    return Err(format!("unexpected \"{{\" in {file}:{line}"));
                }
                let inner = block(toks, pos, file, depth + 1)?;
                out.push(Directive {
                    args: std::mem::take(&mut args),
                    line: *line,
                    block: Some(inner),
                    file: file.into(),
                });
            }
            Tok::Close if *line == usize::MAX => {
                let at = last_line(toks);
                if !args.is_empty() {
                    return Err(format!("unexpected end of file, expecting \";\" or \"}}\" in {file}:{at}"));
                }
                if depth > 0 {
                    return Err(format!("unexpected end of file, expecting \"}}\" in {file}:{at}"));
                }
                *pos -= 1;
                return Ok(out);
            }
            Tok::Close => {
                if !args.is_empty() || depth == 0 {
                    return Err(format!("unexpected \"}}\" in {file}:{line}"));
                }
                return Ok(out);
            }
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Main,
    Events,
    Http,
    Server,
    Location,
    Upstream,
    Types,
    /// Blocks whose contents are not simulated (`if`, `map`, `stream`, `limit_except`).
    Opaque,
}

/// Where a directive may appear (M main, E events, H http, S server, L location, U upstream),
/// whether it takes a block, and its argument count (min, max).
fn spec(name: &str) -> Option<(&'static str, bool, usize, usize)> {
    const ANY: usize = usize::MAX;
    Some(match name {
        "user" => ("M", false, 1, 2),
        "worker_processes" | "pid" | "worker_rlimit_nofile" | "daemon" | "master_process" => ("M", false, 1, 1),
        "load_module" | "env" | "pcre_jit" | "thread_pool" | "worker_shutdown_timeout" => ("M", false, 1, 2),
        "events" | "http" => ("M", true, 0, 0),
        "stream" | "mail" => ("M", true, 0, 0),
        "worker_connections" | "use" | "multi_accept" | "accept_mutex" => ("E", false, 1, 1),
        "error_log" => ("MHSL", false, 1, 2),
        "include" => ("MEHSLU", false, 1, 1),
        "server" => ("HU", false, 0, ANY),
        "upstream" => ("H", true, 1, 1),
        "types" => ("HSL", true, 0, 0),
        "map" | "split_clients" | "geo" => ("H", true, 1, 2),
        "log_format" => ("H", false, 2, ANY),
        "listen" => ("S", false, 1, ANY),
        "server_name" => ("S", false, 1, ANY),
        "location" => ("SL", true, 1, 2),
        "root" | "alias" => ("HSL", false, 1, 1),
        "index" => ("HSL", false, 1, ANY),
        "return" => ("SL", false, 1, 2),
        "proxy_pass" => ("L", false, 1, 1),
        "try_files" => ("SL", false, 2, ANY),
        "if" => ("SL", true, 1, ANY),
        "limit_except" => ("L", true, 1, ANY),
        "default_type" | "charset" | "autoindex" | "sendfile" | "tcp_nopush" | "tcp_nodelay" | "server_tokens"
        | "absolute_redirect" | "port_in_redirect" | "etag" | "expires" | "internal" | "resolver_timeout" => {
            ("HSL", false, 0, 2)
        }
        "access_log"
        | "add_header"
        | "error_page"
        | "rewrite"
        | "set"
        | "allow"
        | "deny"
        | "resolver"
        | "keepalive_timeout"
        | "client_max_body_size"
        | "real_ip_header"
        | "set_real_ip_from"
        | "more_set_headers"
        | "auth_basic"
        | "auth_basic_user_file"
        | "sub_filter"
        | "sub_filter_once"
        | "types_hash_max_size"
        | "types_hash_bucket_size"
        | "server_names_hash_bucket_size"
        | "server_names_hash_max_size"
        | "large_client_header_buffers"
        | "send_timeout"
        | "limit_req"
        | "limit_req_zone"
        | "limit_conn"
        | "limit_conn_zone"
        | "stub_status"
        | "break"
        | "variables_hash_max_size"
        | "underscores_in_headers"
        | "merge_slashes"
        | "http2"
        | "ssi"
        | "return_404" => ("HSL", false, 0, ANY),
        "keepalive" | "least_conn" | "ip_hash" | "hash" | "zone" | "random" => ("U", false, 0, 3),
        _ => {
            const FAMILIES: &[&str] = &[
                "proxy_",
                "fastcgi_",
                "uwsgi_",
                "scgi_",
                "grpc_",
                "ssl_",
                "gzip",
                "client_",
                "open_file_cache",
                "keepalive_",
                "output_buffers",
                "postpone_output",
                "reset_timedout",
                "lingering_",
                "log_",
                "http2_",
                "brotli",
                "real_ip",
                "auth_request",
                "aio",
                "directio",
                "chunked_",
                "msie_",
            ];
            if FAMILIES.iter().any(|f| name.starts_with(f)) {
                ("HSL", false, 0, ANY)
            } else {
                return None;
            }
        }
    })
}

fn ctx_letter(ctx: Ctx) -> char {
    match ctx {
        Ctx::Main => 'M',
        Ctx::Events => 'E',
        Ctx::Http => 'H',
        Ctx::Server => 'S',
        Ctx::Location => 'L',
        Ctx::Upstream => 'U',
        Ctx::Types | Ctx::Opaque => '?',
    }
}

/// Reads and checks the configuration in `files`; `resolves` says whether a `proxy_pass`
/// host resolves (nginx looks its upstreams up at start). The error is nginx's message,
/// without its `nginx: [emerg] ` prefix.
pub fn load(files: &BTreeMap<String, String>, resolves: &mut dyn FnMut(&str) -> bool) -> Result<Conf, String> {
    let Some(text) = files.get(MAIN) else {
        return Err(format!("open() \"{MAIN}\" failed (2: No such file or directory)"));
    };
    let top = read(text, MAIN)?;
    let mut conf = Conf { default_type: "text/plain".into(), ..Conf::default() };
    let mut loader = Loader { files, includes: 0, resolves, pending: Vec::new() };
    let mut events = false;
    loader.walk(&top, Ctx::Main, &mut conf, &mut events, None, None)?;
    if !events {
        return Err("no \"events\" section in configuration".into());
    }
    for (host, at) in std::mem::take(&mut loader.pending) {
        let name = host.split(':').next().unwrap_or(&host);
        if !conf.upstreams.contains_key(name) && !(loader.resolves)(name) {
            return Err(format!("host not found in upstream \"{host}\" in {at}"));
        }
    }
    Ok(conf)
}

struct Loader<'a> {
    files: &'a BTreeMap<String, String>,
    includes: usize,
    resolves: &'a mut dyn FnMut(&str) -> bool,
    /// `proxy_pass` hosts to look up, with where they were written.
    pending: Vec<(String, String)>,
}

impl Loader<'_> {
    fn include(&mut self, pattern: &str, at: &str) -> Result<Vec<Directive>, String> {
        self.includes += 1;
        if self.includes > MAX_INCLUDES {
            return Err(format!("too many includes in {at}"));
        }
        let path = if pattern.starts_with('/') { pattern.to_string() } else { format!("/etc/nginx/{pattern}") };
        let mut out = Vec::new();
        if let Some((dir, name)) = path.rsplit_once('/').filter(|(_, n)| n.contains('*')) {
            let (before, after) = name.split_once('*').unwrap_or((name, ""));
            let prefix = format!("{dir}/");
            let matches: Vec<(&String, &String)> = self
                .files
                .range(prefix.clone()..)
                .take_while(|(p, _)| p.starts_with(&prefix))
                .filter(|(p, _)| {
                    let n = &p[prefix.len()..];
                    !n.contains('/') && !n.is_empty() && n.starts_with(before) && n.ends_with(after)
                })
                .collect();
            for (p, text) in matches {
                out.extend(read(text, p)?);
            }
            return Ok(out);
        }
        match self.files.get(&path) {
            Some(text) => read(text, &path),
            None => Err(format!("open() \"{path}\" failed (2: No such file or directory) in {at}")),
        }
    }

    fn walk(
        &mut self,
        dirs: &[Directive],
        ctx: Ctx,
        conf: &mut Conf,
        events: &mut bool,
        mut server: Option<&mut Server>,
        mut location: Option<&mut Location>,
    ) -> Result<(), String> {
        for d in dirs {
            let at = format!("{}:{}", d.file, d.line);
            let name = d.args[0].as_str();
            let args = &d.args[1..];
            if ctx == Ctx::Opaque {
                continue;
            }
            if ctx == Ctx::Types {
                if d.block.is_some() {
                    return Err(format!("unexpected \"{{\" in {at}"));
                }
                for ext in args {
                    conf.types.insert(ext.to_ascii_lowercase(), name.to_string());
                }
                continue;
            }
            let Some((where_, mut takes_block, min, mut max)) = spec(name) else {
                return Err(format!("unknown directive \"{name}\" in {at}"));
            };
            if name == "server" && ctx == Ctx::Http {
                // A virtual server in `http`, a backend address in `upstream`.
                (takes_block, max) = (true, 0);
            }
            if !where_.contains(ctx_letter(ctx)) {
                return Err(format!("\"{name}\" directive is not allowed here in {at}"));
            }
            match (&d.block, takes_block) {
                (Some(_), false) => return Err(format!("directive \"{name}\" is not terminated by \";\" in {at}")),
                (None, true) => return Err(format!("directive \"{name}\" has no opening \"{{\" in {at}")),
                _ => {}
            }
            if args.len() < min || args.len() > max || (name == "server" && ctx == Ctx::Upstream && args.is_empty()) {
                return Err(format!("invalid number of arguments in \"{name}\" directive in {at}"));
            }
            let inner = d.block.as_deref().unwrap_or(&[]);
            match name {
                "include" => {
                    let included = self.include(&args[0], &at)?;
                    self.walk(&included, ctx, conf, events, server.as_deref_mut(), location.as_deref_mut())?;
                }
                "events" => {
                    *events = true;
                    self.walk(inner, Ctx::Events, conf, events, None, None)?;
                }
                "http" => self.walk(inner, Ctx::Http, conf, events, None, None)?,
                "types" => self.walk(inner, Ctx::Types, conf, events, None, None)?,
                "default_type" if ctx == Ctx::Http && !args.is_empty() => conf.default_type = args[0].clone(),
                "server" if ctx == Ctx::Upstream => {}
                "server" => {
                    if d.block.is_none() {
                        return Err(format!("directive \"server\" has no opening \"{{\" in {at}"));
                    }
                    let mut s = Server::default();
                    self.walk(inner, Ctx::Server, conf, events, Some(&mut s), None)?;
                    if s.ports.is_empty() {
                        s.ports.push(80);
                    }
                    conf.servers.push(s);
                }
                "upstream" => {
                    let first = inner
                        .iter()
                        .find(|u| u.args[0] == "server" && u.args.len() > 1)
                        .map(|u| u.args[1].clone())
                        .unwrap_or_default();
                    conf.upstreams.insert(args[0].clone(), first);
                    self.walk(inner, Ctx::Upstream, conf, events, None, None)?;
                }
                "listen" => {
                    let port = listen_port(&args[0]).ok_or_else(|| {
                        format!("invalid port in \"{}\" of the \"listen\" directive in {at}", args[0])
                    })?;
                    if let Some(s) = server.as_deref_mut() {
                        s.ports.push(port);
                        s.default_server |= args[1..].iter().any(|a| a == "default_server" || a == "default");
                    }
                }
                "server_name" => {
                    if let Some(s) = server.as_deref_mut() {
                        s.names.extend(args.iter().cloned());
                    }
                }
                "location" => {
                    let (modifier, path) = match args {
                        [m, p] if matches!(m.as_str(), "=" | "^~" | "~" | "~*") => (m.clone(), p.clone()),
                        [m, _] => return Err(format!("invalid location modifier \"{m}\" in {at}")),
                        [p] if p.starts_with('~') => {
                            let (m, p) = if let Some(p) = p.strip_prefix("~*") { ("~*", p) } else { ("~", &p[1..]) };
                            (m.to_string(), p.to_string())
                        }
                        [p] if p.starts_with('=') && p.len() > 1 => ("=".into(), p[1..].to_string()),
                        [p] => (String::new(), p.clone()),
                        _ => unreachable!("checked by spec"),
                    };
                    if modifier.starts_with('~') {
                        if let Err(e) = crate::sim::process::regex::Regex::new(&path, true, modifier == "~*") {
                            return Err(format!("pcre2_compile() failed: {e} in \"{path}\" in {at}"));
                        }
                    }
                    let mut l = Location { modifier, path, ..Location::default() };
                    self.walk(inner, Ctx::Location, conf, events, None, Some(&mut l))?;
                    if let Some(s) = server.as_deref_mut() {
                        s.locations.push(l);
                    }
                    // SIM: a location nested in another is checked but not matched on its own.
                }
                "root" | "alias" | "index" | "return" | "proxy_pass" | "try_files" => {
                    let value = args.to_vec();
                    if name == "alias" && ctx != Ctx::Location {
                        return Err(format!("\"alias\" directive is not allowed here in {at}"));
                    }
                    let ret = if name == "return" { Some(parse_return(args, &at)?) } else { None };
                    if name == "proxy_pass" {
                        let url = &args[0];
                        let Some(rest) = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://")) else {
                            return Err(format!("invalid URL prefix in {at}"));
                        };
                        let host = rest.split('/').next().unwrap_or("");
                        if !host.contains('$') {
                            self.pending.push((host.to_string(), at.clone()));
                        }
                    }
                    if let Some(l) = location.as_deref_mut() {
                        match name {
                            "root" => l.root = Some(value[0].clone()),
                            "alias" => l.alias = Some(value[0].clone()),
                            "index" => l.index = Some(value),
                            "return" => l.ret = ret,
                            "proxy_pass" => l.proxy = Some(value[0].clone()),
                            _ => l.try_files = value,
                        }
                    } else if let Some(s) = server.as_deref_mut() {
                        match name {
                            "root" => s.root = Some(value[0].clone()),
                            "index" => s.index = Some(value),
                            "return" => s.ret = ret,
                            _ => {}
                        }
                    } else if ctx == Ctx::Http {
                        match name {
                            "root" => conf.root = Some(value[0].clone()),
                            "index" => conf.index = Some(value),
                            _ => {}
                        }
                    }
                }
                "if" | "map" | "split_clients" | "geo" | "limit_except" | "stream" | "mail" => {
                    self.walk(inner, Ctx::Opaque, conf, events, None, None)?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The port of a `listen` address: `80`, `[::]:80`, `0.0.0.0:8080`, `localhost` (80).
fn listen_port(addr: &str) -> Option<u16> {
    let port = if addr.bytes().all(|b| b.is_ascii_digit()) {
        addr
    } else if let Some((_, p)) = addr.rsplit_once(':').filter(|_| !addr.ends_with(']')) {
        p
    } else {
        return Some(80);
    };
    port.parse::<u16>().ok().filter(|p| *p != 0)
}

fn parse_return(args: &[String], at: &str) -> Result<(u16, String), String> {
    let first = &args[0];
    match first.parse::<u16>() {
        Ok(code) if code <= 999 => Ok((code, args.get(1).cloned().unwrap_or_default())),
        _ if args.len() == 1
            && (first.starts_with("http://") || first.starts_with("https://") || first.starts_with('$')) =>
        {
            Ok((302, first.clone()))
        }
        _ => Err(format!("invalid return code \"{first}\" in {at}")),
    }
}

/// What one request to nginx gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub content_type: String,
    /// Where a redirect points.
    pub location: Option<String>,
    /// Whether it is what a `proxy_pass` upstream answered.
    pub proxied: bool,
}

/// The `Content-Type` of a file as nginx's stock `mime.types` gives it (for servers that
/// read no configuration of ours).
pub fn mime_type(file: &str) -> &'static str {
    let ext = file.rsplit('/').next().and_then(|n| n.rsplit_once('.')).map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" | "shtml" => "text/html",
        "txt" => "text/plain",
        "css" => "text/css",
        "js" => "application/javascript",
        "json" => "application/json",
        "xml" => "text/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// nginx's own page for an error or redirect status.
pub fn status_page(status: u16) -> String {
    let reason = reason(status);
    format!(
        "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// The reason phrase of an HTTP status.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Not Allowed",
        418 => "I'm a teapot",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Temporarily Unavailable",
        504 => "Gateway Time-out",
        _ => "",
    }
}

fn page(status: u16) -> Reply {
    Reply { status, body: status_page(status), content_type: "text/html".into(), location: None, proxied: false }
}

/// The reply to `GET uri` on `port` (`uri` with its query), reading files from `files` and
/// sending proxied requests through `proxy` (`url` → status and body; None: no connection).
pub fn serve(
    conf: &Conf,
    port: u16,
    uri: &str,
    files: &BTreeMap<String, String>,
    proxy: &mut dyn FnMut(&str) -> Option<(u16, String)>,
) -> Reply {
    let Some(server) = conf
        .servers
        .iter()
        .filter(|s| s.ports.contains(&port))
        .find(|s| s.default_server)
        .or_else(|| conf.servers.iter().find(|s| s.ports.contains(&port)))
    else {
        return page(404);
    };
    if let Some((code, text)) = &server.ret {
        return returned(*code, text);
    }
    let (path, query) = match uri.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (uri, None),
    };
    let mut path = if path.is_empty() { "/".to_string() } else { path.to_string() };
    for _ in 0..4 {
        let loc = choose(&server.locations, &path);
        if let Some(l) = loc {
            if let Some((code, text)) = &l.ret {
                return returned(*code, text);
            }
            if let Some(url) = &l.proxy {
                let target = proxied_url(conf, url, &l.path, &path, query, l.modifier.starts_with('~'));
                return match proxy(&target) {
                    Some((status, body)) => {
                        Reply { status, body, content_type: String::new(), location: None, proxied: true }
                    }
                    None => page(502),
                };
            }
        }
        let root = loc
            .and_then(|l| l.root.clone())
            .or_else(|| server.root.clone())
            .or_else(|| conf.root.clone())
            .unwrap_or_else(|| "html".into());
        let root = if root.starts_with('/') { root } else { format!("/etc/nginx/{root}") };
        let index = loc
            .and_then(|l| l.index.clone())
            .or_else(|| server.index.clone())
            .or_else(|| conf.index.clone())
            .unwrap_or_else(|| vec!["index.html".into()]);
        let file_of = |p: &str| match loc.and_then(|l| l.alias.as_ref().map(|a| (a, &l.path))) {
            Some((alias, prefix)) => format!("{}{}", alias, p.strip_prefix(prefix.as_str()).unwrap_or(p)),
            None => format!("{}{}", root.trim_end_matches('/'), p),
        };
        let try_files = loc.map(|l| l.try_files.as_slice()).filter(|t| !t.is_empty());
        if let Some(tries) = try_files {
            let (last, each) = tries.split_last().expect("try_files has two arguments or more");
            let hit = each.iter().map(|t| t.replace("$uri", &path)).find(|t| {
                let f = file_of(t);
                if t.ends_with('/') {
                    files.contains_key(&f)
                } else {
                    files.contains_key(&f) && !files.contains_key(&format!("{f}/"))
                }
            });
            match hit {
                Some(t) => return static_file(conf, &file_of(&t), &t, &index, files),
                None => match last.strip_prefix('=').and_then(|c| c.parse::<u16>().ok()) {
                    Some(code) => return page(code),
                    None => {
                        path = last.replace("$uri", &path);
                        continue;
                    }
                },
            }
        }
        return static_file(conf, &file_of(&path), &path, &index, files);
    }
    page(500)
}

fn returned(code: u16, text: &str) -> Reply {
    if matches!(code, 301 | 302 | 303 | 307 | 308) {
        return Reply { location: Some(text.to_string()), ..page(code) };
    }
    if text.is_empty() && code >= 400 {
        return page(code);
    }
    // SIM: `return` text is sent as written; variables in it are not expanded.
    Reply {
        status: code,
        body: text.to_string(),
        content_type: "application/octet-stream".into(),
        location: None,
        proxied: false,
    }
}

fn static_file(conf: &Conf, file: &str, uri: &str, index: &[String], files: &BTreeMap<String, String>) -> Reply {
    if file.ends_with('/') {
        for i in index {
            let f = format!("{file}{i}");
            if let Some(body) = files.get(&f) {
                return Reply {
                    status: 200,
                    body: body.clone(),
                    content_type: conf.content_type(&f).into(),
                    location: None,
                    proxied: false,
                };
            }
        }
        return if files.contains_key(file) { page(403) } else { page(404) };
    }
    if files.contains_key(&format!("{file}/")) {
        return Reply { location: Some(format!("{uri}/")), ..page(301) };
    }
    match files.get(file) {
        Some(body) => Reply {
            status: 200,
            body: body.clone(),
            content_type: conf.content_type(file).into(),
            location: None,
            proxied: false,
        },
        None => page(404),
    }
}

/// The location a request path falls in, as nginx chooses: an exact match, else the longest
/// prefix if it is `^~`, else the first regex that matches, else the longest prefix.
fn choose<'a>(locations: &'a [Location], path: &str) -> Option<&'a Location> {
    if let Some(l) = locations.iter().find(|l| l.modifier == "=" && l.path == path) {
        return Some(l);
    }
    let prefix = locations
        .iter()
        .filter(|l| (l.modifier.is_empty() || l.modifier == "^~") && path.starts_with(&l.path))
        .max_by_key(|l| l.path.len());
    if prefix.is_some_and(|l| l.modifier == "^~") {
        return prefix;
    }
    let regex = locations.iter().filter(|l| l.modifier.starts_with('~')).find(|l| {
        crate::sim::process::regex::Regex::new(&l.path, true, l.modifier == "~*").is_ok_and(|r| r.is_match(path))
    });
    regex.or(prefix)
}

fn proxied_url(conf: &Conf, url: &str, loc: &str, path: &str, query: Option<&str>, regex: bool) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let (host, uri) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(&rest[i..])),
        None => (rest, None),
    };
    let host = match conf.upstreams.get(host) {
        Some(server) if !server.is_empty() => server.as_str(),
        _ => host,
    };
    let mut target = match uri {
        Some(uri) if !regex => format!("{uri}{}", path.strip_prefix(loc).unwrap_or(path)),
        _ => path.to_string(),
    };
    if let Some(q) = query {
        target = format!("{target}?{q}");
    }
    format!("{scheme}://{host}{target}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(conf_d: &str) -> BTreeMap<String, String> {
        let mut f = BTreeMap::new();
        f.insert(MAIN.to_string(), DEFAULT_MAIN.to_string());
        f.insert("/etc/nginx/mime.types".into(), MIME_TYPES.into());
        f.insert("/etc/nginx/conf.d/".into(), String::new());
        f.insert("/etc/nginx/conf.d/default.conf".into(), conf_d.into());
        f.insert("/usr/share/nginx/html/".into(), String::new());
        f.insert("/usr/share/nginx/html/index.html".into(), "welcome\n".into());
        f
    }

    fn yes(_: &str) -> bool {
        true
    }

    fn no_proxy(_: &str) -> Option<(u16, String)> {
        None
    }

    #[test]
    fn the_image_default_serves_its_html_root() {
        let f = files("server {\n    listen       80;\n    server_name  localhost;\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n");
        let conf = load(&f, &mut yes).unwrap();
        assert_eq!(conf.ports(), vec![80]);
        let r = serve(&conf, 80, "/", &f, &mut no_proxy);
        assert_eq!((r.status, r.body.as_str(), r.content_type.as_str()), (200, "welcome\n", "text/html"));
        assert_eq!(serve(&conf, 80, "/nope", &f, &mut no_proxy).status, 404);
    }

    #[test]
    fn listen_return_and_proxy_pass() {
        let f = files("server {\n  listen 8080;\n  location = /healthz { return 200 'ok'; }\n  location /api/ { proxy_pass http://backend:9000/; }\n  location /old { return 301 /new; }\n}\n");
        let conf = load(&f, &mut yes).unwrap();
        assert_eq!(conf.ports(), vec![8080]);
        assert_eq!(serve(&conf, 8080, "/healthz", &f, &mut no_proxy).body, "ok");
        let mut seen = String::new();
        let r = serve(&conf, 8080, "/api/items?x=1", &f, &mut |u| {
            seen = u.to_string();
            Some((201, "made".into()))
        });
        assert_eq!((r.status, seen.as_str()), (201, "http://backend:9000/items?x=1"));
        assert_eq!(serve(&conf, 8080, "/api/", &f, &mut no_proxy).status, 502);
        let moved = serve(&conf, 8080, "/old", &f, &mut no_proxy);
        assert_eq!((moved.status, moved.location.as_deref()), (301, Some("/new")));
    }

    #[test]
    fn root_index_try_files_and_directories() {
        let mut f =
            files("server { listen 80; root /srv; index home.html; location / { try_files $uri $uri/ /home.html; } }");
        f.insert("/srv/".into(), String::new());
        f.insert("/srv/home.html".into(), "home".into());
        f.insert("/srv/docs/".into(), String::new());
        f.insert("/srv/a.css".into(), "css".into());
        let conf = load(&f, &mut yes).unwrap();
        assert_eq!(serve(&conf, 80, "/", &f, &mut no_proxy).body, "home");
        assert_eq!(serve(&conf, 80, "/some/route", &f, &mut no_proxy).body, "home");
        let css = serve(&conf, 80, "/a.css", &f, &mut no_proxy);
        assert_eq!((css.body.as_str(), css.content_type.as_str()), ("css", "text/css"));
        assert_eq!(serve(&conf, 80, "/docs/", &f, &mut no_proxy).status, 403);
    }

    #[test]
    fn bad_configs_fail_with_nginx_messages() {
        let err = |conf_d: &str| load(&files(conf_d), &mut |h| h == "web").unwrap_err();
        let at = "/etc/nginx/conf.d/default.conf";
        assert_eq!(err("server { lisen 80; }"), format!("unknown directive \"lisen\" in {at}:1"));
        assert_eq!(err("server {\n listen 80;\n"), format!("unexpected end of file, expecting \"}}\" in {at}:2"));
        assert_eq!(err("server { listen 80 }"), format!("unexpected \"}}\" in {at}:1"));
        assert_eq!(err("user nginx;"), format!("\"user\" directive is not allowed here in {at}:1"));
        assert_eq!(err("server { root; }"), format!("invalid number of arguments in \"root\" directive in {at}:1"));
        assert_eq!(
            err("server { listen 99999; }"),
            format!("invalid port in \"99999\" of the \"listen\" directive in {at}:1")
        );
        assert_eq!(
            err("server {\n location / {\n  proxy_pass http://api:8080;\n }\n}"),
            format!("host not found in upstream \"api:8080\" in {at}:3")
        );
        assert!(load(&files("server { location / { proxy_pass http://web:80; } }"), &mut |h| h == "web").is_ok());
        let mut no_main = files("");
        no_main.remove(MAIN);
        assert_eq!(
            load(&no_main, &mut yes).unwrap_err(),
            "open() \"/etc/nginx/nginx.conf\" failed (2: No such file or directory)"
        );
        let mut own = files("");
        own.insert(MAIN.into(), "http { server { listen 81; } }".into());
        assert_eq!(load(&own, &mut yes).unwrap_err(), "no \"events\" section in configuration");
        own.insert(MAIN.into(), "events {}\nhttp {\n upstream app { server app-svc:8080; }\n server { listen 81; location / { proxy_pass http://app; } } }".into());
        let conf = load(&own, &mut |_| false);
        assert_eq!(conf.as_ref().map(Conf::ports), Ok(vec![81]));
        let mut seen = String::new();
        serve(&conf.unwrap(), 81, "/x", &own, &mut |u| {
            seen = u.into();
            None
        });
        assert_eq!(seen, "http://app-svc:8080/x");
    }
}

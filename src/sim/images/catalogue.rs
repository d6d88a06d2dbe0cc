//! The catalogue of well-known images and what a container of each does.
//!
//! An image's behaviour is written as *programs*: small scripts in the simulated shell
//! ([`crate::sim::process`]) run when the container executes a file of that name. A server
//! program prints its start-up lines, sleeps for its start-up time, then calls the internal
//! builtin `__serve PORT…`, which listens and waits for ever.

use std::collections::BTreeMap;

use super::ImageRef;

/// Which tags of an image exist.
// SIM: no registry is asked; a tag exists when it is one of `named`, or shaped like the image's
// real tags: `[prefix]MAJOR[.MINOR[.PATCH]][-VARIANT]` with MAJOR in `majors`, MINOR no newer than
// the newest release of that major in `newest_minor` (when listed), and every part of VARIANT one
// of `variants`, optionally followed by a version (`alpine3.10`). The newest minors are those
// published by late 2025; a release after that is refused until it is added here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tags {
    /// Tags that exist as written (`latest`, `stable`, `v1`).
    pub named: &'static [&'static str],
    /// Written before version numbers (`v` for `traefik:v2.2.1`).
    pub prefix: &'static str,
    /// The first version number's range; `(1, 0)` (empty) for images without versioned tags.
    pub majors: (u32, u32),
    /// Variant words (`alpine`, `slim`, `bookworm`), also valid as tags alone.
    pub variants: &'static [&'static str],
    /// (major, newest minor released): `nginx:1.99` does not exist when 1.29 is the newest.
    /// A major not listed takes any minor.
    pub newest_minor: &'static [(u32, u32)],
    /// Every tag exists (images outside the catalogue).
    pub any: bool,
}

impl Tags {
    pub(super) const fn named(named: &'static [&'static str]) -> Tags {
        Tags { named, prefix: "", majors: (1, 0), variants: &[], newest_minor: &[], any: false }
    }

    pub(super) const fn versions(majors: (u32, u32), variants: &'static [&'static str]) -> Tags {
        Tags { named: &["latest"], prefix: "", majors, variants, newest_minor: &[], any: false }
    }

    /// Whether `tag` exists for the image.
    pub fn has(&self, tag: &str) -> bool {
        if self.any || self.named.contains(&tag) {
            return true;
        }
        let variant_ok = |v: &str| {
            v.split('-').all(|part| {
                self.variants.iter().any(|w| {
                    part.strip_prefix(w).is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
                })
            })
        };
        let Some(t) = tag.strip_prefix(self.prefix) else { return false };
        let (version, variant) = match t.split_once('-') {
            Some((v, rest)) => (v, Some(rest)),
            None => (t, None),
        };
        if variant.is_none() && !version.starts_with(|c: char| c.is_ascii_digit()) {
            return self.prefix.is_empty() && variant_ok(version);
        }
        let parts: Vec<&str> = version.split('.').collect();
        let numeric = parts.len() <= 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        let Some(major) =
            parts[0].parse::<u32>().ok().filter(|m| numeric && (self.majors.0..=self.majors.1).contains(m))
        else {
            return false;
        };
        let minor_ok = match (
            parts.get(1).and_then(|m| m.parse::<u32>().ok()),
            self.newest_minor.iter().find(|(m, _)| *m == major),
        ) {
            (Some(minor), Some((_, newest))) => minor <= *newest,
            _ => true,
        };
        minor_ok && variant.is_none_or(variant_ok)
    }
}

/// What an HTTP request to a port gets. Bodies are templates: `{hostname}`, `{uptime}` (seconds
/// the server has served, as Go prints a float), `{now}` (RFC 3339), `{path}` (with the query;
/// `{url_path}` without it, decoded, as Go's `r.URL.Path`),
/// `{client}` (the client's IP), `{query:NAME}` (a query parameter) and `{$NAME}` (a variable of
/// the server's program when it started serving: what its flags set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Files under this directory of the container's file system (`/` → `index.html`); 404
    /// with this body otherwise.
    Static { root: &'static str, not_found: &'static str },
    /// The same body on every path.
    Fixed(&'static str),
    /// By path: the first route whose path is the request's (without the query), else the `*` one,
    /// else 404 `404 page not found`.
    Routes(&'static [Route]),
    /// Not HTTP (a database): the connection opens, an HTTP request gets garbage.
    Tcp,
    /// nginx as its configuration says ([`super::nginx_conf`]), read when it started serving.
    Nginx,
    /// httpd as its configuration says ([`super::httpd_conf`]), read when it started serving.
    Httpd,
}

/// What answering a request asks of the container or the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call<'a> {
    /// Run one of the image's page scripts (see [`Profile::scripts`]), with the values its
    /// path's `{name}` segments matched.
    Page { script: &'static str, vars: &'a [(&'static str, String)] },
    /// `GET url` from the server (nginx's `proxy_pass`); None when no connection is made.
    Proxy(&'a str),
}

/// What a [`Call`] gave back: a status and a body, and what the server logged for the request
/// (a page script's stderr; empty for none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Served {
    pub status: u16,
    pub body: String,
    pub log: String,
}

/// The values of `pattern`'s `{name}` segments in `path` (`/rpush/{key}/{value}` and
/// `/rpush/guestbook/hi%20there` → key `guestbook`, value `hi there`), as gorilla/mux matches a
/// route: segment by segment, a variable taking one whole non-empty segment, percent-decoded;
/// None when the path does not match.
pub fn route_vars(pattern: &'static str, path: &str) -> Option<Vec<(&'static str, String)>> {
    let want: Vec<&'static str> = pattern.split('/').collect();
    let got: Vec<&str> = path.split('/').collect();
    if want.len() != got.len() {
        return None;
    }
    let mut vars = Vec::new();
    for (w, g) in want.iter().zip(&got) {
        match w.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
            Some(name) if !g.is_empty() => vars.push((name, percent_decode(g))),
            Some(_) => return None,
            None if w == g => {}
            None => return None,
        }
    }
    Some(vars)
}

/// `%XX` escapes decoded (a path's; `+` stays a plus).
fn percent_decode(raw: &str) -> String {
    let b = raw.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match raw.get(i + 1..i + 3).filter(|_| b[i] == b'%').and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The reason phrase Go's `http.StatusText` gives a status (`Internal Server Error`).
fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// One path of a server that answers by path ([`Answer::Routes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The path (`/healthz`), or `*` for any other.
    pub path: &'static str,
    pub status: u16,
    pub body: &'static str,
    /// After serving this many seconds, it answers with this status and body instead (agnhost's
    /// `liveness`: healthy for 10 s, then 500).
    pub fails_after: Option<(u64, u16, &'static str)>,
}

impl Route {
    /// A route that always answers 200 with `body`.
    pub const fn ok(path: &'static str, body: &'static str) -> Route {
        Route { path, status: 200, body, fails_after: None }
    }
}

/// A port the image's server listens on; port 0 stands for whichever ports its program chose
/// (`-listen=:8080`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Port {
    pub port: u16,
    pub answer: Answer,
    /// The line its server logs per request (same template, plus `{status}`, `{status_text}`
    /// (Go's `OK`, `Not Found`), `{bytes}` and `{clf_time}` as `02/Dec/2026:00:00:00 +0000`);
    /// lines apart with `\n`; empty for none.
    pub access_log: &'static str,
    /// `NAME=value`: only while the server's program has that variable so (agnhost answers as
    /// its subcommand says); empty for always.
    pub when: &'static str,
}

impl Port {
    /// A port that logs nothing per request.
    pub const fn quiet(port: u16, answer: Answer) -> Port {
        Port { port, answer, access_log: "", when: "" }
    }

    fn applies(&self, req: &Request<'_>) -> bool {
        self.when.is_empty()
            || self.when.split_once('=').is_some_and(|(k, v)| req.vars.get(k).map(String::as_str) == Some(v))
    }
}

/// What a server sees of one request, and of itself.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub port: u16,
    /// The path with its query (`/echo?msg=hi`).
    pub path: &'a str,
    /// The container's files now.
    pub files: &'a BTreeMap<String, String>,
    pub hostname: &'a str,
    /// The server program's variables when it started serving.
    pub vars: &'a BTreeMap<String, String>,
    /// How long it has served.
    pub uptime: std::time::Duration,
    /// The time now, RFC 3339, and as the common log format writes it.
    pub now: &'a str,
    pub clf_time: &'a str,
    /// The client's IP address.
    pub client: &'a str,
    /// Requests this container has answered, this one included.
    pub requests: u64,
    /// What the client sent beyond the path.
    pub sent: Sent<'a>,
}

/// What a client sent beyond the path: the method, its header fields (as sent, `Host` first)
/// and the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent<'a> {
    pub method: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a str,
}

impl Sent<'static> {
    /// A plain `GET` with no header fields known (a probe, an older caller).
    pub const GET: Sent<'static> = Sent { method: "GET", headers: &[], body: "" };
}

/// The request's header fields as echoserver's page lists them: lower-case names, sorted,
/// `\tname=value` lines (`accept=*/*`); `accept=*/*` when none are known.
fn echo_headers(sent: &Sent<'_>) -> String {
    if sent.headers.is_empty() {
        return "\taccept=*/*\n".into();
    }
    let mut lines: Vec<String> =
        sent.headers.iter().map(|(k, v)| format!("\t{}={v}\n", k.to_ascii_lowercase())).collect();
    lines.sort();
    lines.concat()
}

/// The request's header fields other than `Host` as a Go server echoes them: canonical names
/// (`User-Agent`), sorted by name, `Name: value` lines.
fn go_headers(sent: &Sent<'_>) -> String {
    if sent.headers.is_empty() {
        return "Accept: */*\n".into();
    }
    let mut lines: Vec<(String, &str)> = sent
        .headers
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("host"))
        .map(|(k, v)| (canonical_header(k), v.as_str()))
        .collect();
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    lines.iter().map(|(k, v)| format!("{k}: {v}\n")).collect()
}

/// A header name as Go's `CanonicalHeaderKey` writes it (`user-agent` → `User-Agent`).
pub fn canonical_header(name: &str) -> String {
    let mut up = true;
    name.chars()
        .map(|c| {
            let out = if up { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() };
            up = c == '-';
            out
        })
        .collect()
}

/// An HTTP response from a simulated server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpAnswer {
    pub status: u16,
    pub body: String,
    /// The line the server logs for it (its access log), if it logs requests.
    pub log: Option<String>,
    /// The `Content-Type` the server gives it, when the server decides by the file (nginx's
    /// `types`); empty: the server's usual one.
    pub content_type: String,
    /// Where a redirect points (`Location`).
    pub location: Option<String>,
    /// Whether the body is a file the server sent as it is (nginx's and httpd's static files:
    /// `Last-Modified`, `ETag`, `Accept-Ranges`).
    pub file: bool,
}

/// Everything the sandbox knows about one image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// `registry/repository` (`docker.io/library/nginx`); `*` for [`GENERIC`].
    pub repository: &'static str,
    pub tags: Tags,
    /// Compressed size, for pull time and the scheduler's ImageLocality.
    pub size_bytes: u64,
    /// The image's `ENTRYPOINT` and `CMD`.
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    /// Executables (by file name) and the script each runs; `$@` holds the arguments.
    pub programs: &'static [(&'static str, &'static str)],
    /// Whether an executable the image does not have runs as the image's server (`true` for
    /// images whose contents we cannot list) or is not found.
    pub unknown_runs_server: bool,
    /// The ports its server listens on once `__serve` runs, and their answers.
    pub ports: &'static [Port],
    /// Resident memory of its server at rest.
    pub memory_bytes: u64,
    /// The image's `ENV`.
    pub env: &'static [(&'static str, &'static str)],
    /// Files the image ships (beyond [`BASE_DIRS`]).
    pub files: &'static [(&'static str, &'static str)],
    /// The image's `WORKDIR`.
    pub working_dir: &'static str,
    /// Whether the image has a shell (`sh`); `pause` and distroless images do not.
    pub has_shell: bool,
    /// Other names the same image is published under (`k8s.gcr.io/pause`).
    pub aliases: &'static [&'static str],
    /// The variable of `env` that holds the software's version (`NGINX_VERSION`), set from the
    /// tag at start: a full `X.Y.Z` tag as written, a shorter one through `versions`.
    pub version_var: &'static str,
    /// (tag's version, full version) for tags that name a series (`1.14` → `1.14.2`).
    pub versions: &'static [(&'static str, &'static str)],
    /// Pages a program makes (the guestbook's `guestbook.php`): a request for this path, on a
    /// port whose answer is [`Answer::Routes`], runs the script in the container with the
    /// request's query parameters as `GET_name` variables (as PHP's `$_GET`), `QUERY_STRING`,
    /// `REQUEST_URI` and `REQUEST_METHOD`. A path may have `{name}` segments (gorilla/mux's
    /// `/lrange/{key}`): each matches one segment, given to the script as `ROUTE_name`. What
    /// the script prints is the body, a first line `Status: 500` setting the status; what it
    /// writes to stderr, when anything, is what the server logs for the request, in place of
    /// the port's `access_log` line.
    pub scripts: &'static [(&'static str, &'static str)],
}

/// Directories every image with a shell has.
pub const BASE_DIRS: &[&str] =
    &["/bin/", "/dev/", "/etc/", "/home/", "/lib/", "/proc/", "/root/", "/sys/", "/tmp/", "/usr/", "/var/"];

pub(super) const PATH: (&str, &str) = ("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
pub(super) const MIB: u64 = 1024 * 1024;
pub(super) const MB: u64 = 1_000_000;

/// Fills an answer or log template (see [`Answer`]); unknown `{…}` stay as written.
fn render(template: &str, req: &Request<'_>) -> String {
    if !template.contains('{') {
        return template.to_string();
    }
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let key = after.find('}').map(|end| &after[..end]);
        let value = key.and_then(|key| match key {
            "hostname" => Some(req.hostname.to_string()),
            "uptime" => Some(format!("{}", req.uptime.as_secs_f64())),
            "now" => Some(req.now.to_string()),
            "clf_time" => Some(req.clf_time.to_string()),
            "log_time" => Some(req.now.get(..19).unwrap_or(req.now).replace('-', "/").replacen('T', " ", 1)),
            "path" => Some(req.path.to_string()),
            "url_path" => Some(percent_decode(req.path.split(['?', '#']).next().unwrap_or("/"))),
            "client" => Some(req.client.to_string()),
            "requests" => Some(req.requests.to_string()),
            "method" => Some(req.sent.method.to_string()),
            "echo_headers" => Some(echo_headers(&req.sent)),
            "go_headers" => Some(go_headers(&req.sent)),
            "host_header" => Some(
                req.sent
                    .headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("host"))
                    .map_or_else(|| format!("{}:8080", req.hostname), |(_, v)| v.clone()),
            ),
            "echo_body" if req.sent.body.is_empty() => Some("\t-no body in request-".into()),
            "echo_body" => Some(req.sent.body.to_string()),
            _ => {
                if let Some(name) = key.strip_prefix('$') {
                    Some(req.vars.get(name).cloned().unwrap_or_default())
                } else {
                    key.strip_prefix("query:").map(|q| query_param(req.path, q))
                }
            }
        });
        match (key, value) {
            (Some(key), Some(v)) => {
                out.push_str(&v);
                rest = &after[key.len() + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The decoded value of query parameter `name` in `path` (`/echo?msg=hi+there` → `hi there`).
pub fn query_param(path: &str, name: &str) -> String {
    let query = path.split_once('?').map_or("", |(_, q)| q);
    let raw = query.split('&').find_map(|kv| kv.strip_prefix(name).and_then(|r| r.strip_prefix('='))).unwrap_or("");
    let mut out = Vec::new();
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => match raw.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(v) => {
                    out.push(v);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Profile {
    /// The argv a container runs: `command` replaces the entrypoint and `args` the cmd, as in
    /// the Pod spec (an explicit `command` drops the image's cmd too).
    pub fn argv(&self, command: &[String], args: &[String]) -> Vec<String> {
        let own = |s: &[&str]| s.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        let mut argv = if command.is_empty() { own(self.entrypoint) } else { command.to_vec() };
        if !args.is_empty() {
            argv.extend(args.iter().cloned());
        } else if command.is_empty() {
            argv.extend(own(self.cmd));
        }
        argv
    }

    /// The script an executable named `path` (`/usr/sbin/nginx`, `nginx`) runs, if the image has it.
    pub fn program(&self, path: &str) -> Option<&'static str> {
        let name = path.rsplit('/').next().unwrap_or(path);
        self.programs.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }

    /// The image's own files and directories, as the container starts with them
    /// (directories end with `/`).
    pub fn initial_files(&self) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        if self.has_shell {
            for d in BASE_DIRS {
                files.insert(d.to_string(), String::new());
            }
        }
        for (path, contents) in self.files {
            let mut p = String::new();
            for part in
                path.trim_start_matches('/').split('/').collect::<Vec<_>>().split_last().map_or(&[][..], |(_, d)| d)
            {
                p.push('/');
                p.push_str(part);
                files.insert(format!("{p}/"), String::new());
            }
            files.insert(path.to_string(), contents.to_string());
        }
        files
    }

    /// The answer to a request, given the container's files and its server's state; `None`
    /// when the image serves nothing on that port (connection refused).
    pub fn answer(&self, req: &Request<'_>) -> Option<HttpAnswer> {
        self.answer_with(req, &mut |_| None)
    }

    /// As [`Profile::answer`], running the image's page scripts (see [`Profile::scripts`]) with
    /// `call`, which returns the status and body a script produced or a proxied request got.
    pub fn answer_with(
        &self,
        req: &Request<'_>,
        call: &mut dyn FnMut(Call<'_>) -> Option<Served>,
    ) -> Option<HttpAnswer> {
        let p = self
            .ports
            .iter()
            .find(|p| p.port == req.port && p.applies(req))
            .or_else(|| self.ports.iter().find(|p| p.port == 0 && p.applies(req)))?;
        let path = req.path.split(['?', '#']).next().unwrap_or("/");
        let mut content_type = String::new();
        let mut location = None;
        let mut file = false;
        let mut script_log = String::new();
        let page = match p.answer {
            Answer::Routes(_) => self.scripts.iter().find_map(|(p, s)| Some((*s, route_vars(p, path)?))),
            _ => None,
        };
        let (status, body) = match p.answer {
            Answer::Fixed(body) => (200, render(body, req)),
            Answer::Tcp => (0, String::new()),
            Answer::Routes(_) if page.is_some() => {
                let (script, vars) = page.unwrap_or_default();
                let served =
                    call(Call::Page { script, vars: &vars }).unwrap_or(Served { status: 500, ..Served::default() });
                script_log = served.log;
                (served.status, served.body)
            }
            Answer::Nginx => {
                // The configuration as read at start; the files now before it started.
                let conf = match req.vars.get(super::nginx_conf::SNAPSHOT) {
                    Some(packed) => super::nginx_conf::load(&super::nginx_conf::unpack(packed), &mut |_| true),
                    None => super::nginx_conf::load(req.files, &mut |_| true),
                }
                .unwrap_or_default();
                let r = super::nginx_conf::serve(&conf, req.port, req.path, req.files, &mut |url| {
                    call(Call::Proxy(url)).map(|s| (s.status, s.body))
                });
                file = r.status == 200 && r.location.is_none() && !r.proxied;
                content_type = r.content_type;
                location = r.location;
                (r.status, r.body)
            }
            Answer::Httpd => {
                use super::httpd_conf;
                let conf = match req.vars.get(httpd_conf::SNAPSHOT) {
                    // The configuration as read at start (what it serves is read as it is now).
                    // SIM: an `<IfFile>` outside conf/ is judged against the snapshot here; the
                    // container's files are not copied on every request to judge it.
                    Some(packed) => httpd_conf::load(&super::nginx_conf::unpack(packed)),
                    None => httpd_conf::load(req.files),
                }
                .unwrap_or_default();
                let host = req
                    .sent
                    .headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("host"))
                    .map_or(req.hostname, |(_, v)| v.split(':').next().unwrap_or(v));
                let asked = httpd_conf::Asked { port: req.port, uri: req.path, host };
                let r = httpd_conf::serve(&conf, &asked, req.files, &mut |url| {
                    call(Call::Proxy(url)).map(|s| (s.status, s.body))
                });
                file = r.status == 200 && r.location.is_none() && !r.proxied;
                content_type = r.content_type;
                location = r.location;
                (r.status, r.body)
            }
            Answer::Routes(routes) => {
                let route = routes.iter().find(|r| r.path == path).or_else(|| routes.iter().find(|r| r.path == "*"));
                match route {
                    None => (404, "404 page not found\n".to_string()),
                    Some(r) => match r.fails_after {
                        Some((secs, status, body)) if req.uptime.as_secs() >= secs => (status, render(body, req)),
                        _ => (r.status, render(r.body, req)),
                    },
                }
            }
            Answer::Static { root, not_found } => {
                let mut path_of = format!("{}{}", root.trim_end_matches('/'), if path.is_empty() { "/" } else { path });
                if path_of.ends_with('/') || req.files.contains_key(&format!("{path_of}/")) {
                    path_of = format!("{}/index.html", path_of.trim_end_matches('/'));
                }
                match req.files.get(&path_of) {
                    Some(body) => {
                        file = true;
                        content_type = super::nginx_conf::mime_type(&path_of).to_string();
                        (200, body.clone())
                    }
                    None => (404, not_found.to_string()),
                }
            }
        };
        let log = if !script_log.is_empty() {
            Some(script_log.trim_end_matches('\n').to_string())
        } else {
            (!p.access_log.is_empty()).then(|| {
                render(p.access_log, req)
                    .replace("{status}", &status.to_string())
                    .replace("{status_text}", status_text(status))
                    .replace("{bytes}", &body.len().to_string())
            })
        };
        Some(HttpAnswer { status, body, log, content_type, location, file })
    }
}

/// Looks images up in the catalogue.
#[derive(Debug, Clone, Copy, Default)]
pub struct Catalogue;

impl Catalogue {
    /// The catalogue's profile for `image`'s repository (any tag), if it has one.
    pub fn lookup(image: &ImageRef) -> Option<&'static Profile> {
        let name = image.name();
        Self::all().find(|p| p.repository == name || p.aliases.contains(&name.as_str()))
    }

    /// Every catalogued image.
    pub fn all() -> impl Iterator<Item = &'static Profile> {
        CATALOGUE
            .iter()
            .chain(super::samples::SAMPLES)
            .chain(super::distros::DISTROS)
            .chain(super::system::SYSTEM_IMAGES)
    }
}

pub(super) const BASE: Profile = Profile {
    repository: "",
    tags: Tags::named(&["latest"]),
    size_bytes: 30 * MB,
    entrypoint: &[],
    cmd: &["sh"],
    programs: &[],
    unknown_runs_server: false,
    ports: &[],
    memory_bytes: MIB,
    env: &[PATH],
    files: &[("/etc/hostname", ""), ("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")],
    working_dir: "/",
    has_shell: true,
    aliases: &[],
    version_var: "",
    versions: &[],
    scripts: &[],
};

/// Any image outside the catalogue: a long-running server on the ports the pod declares.
// SIM: we cannot know what an arbitrary image does; serving quietly for ever is the most
// common case, and the ports come from the pod's `containerPort`s (`__serve` with no ports).
pub static GENERIC: Profile = Profile {
    repository: "*",
    tags: Tags { any: true, ..Tags::named(&[]) },
    size_bytes: 60 * MB,
    entrypoint: &["/app/server"],
    cmd: &[],
    programs: &[("server", GENERIC_SERVER)],
    unknown_runs_server: true,
    memory_bytes: 20 * MIB,
    ..BASE
};

/// The kubectl binary of the images that ship one: `kubectl` run in such a container (`kubectl
/// exec POD -- kubectl get pods`) is the sandbox's own kubectl, acting as the pod's
/// ServiceAccount (see `shell::kubectl::exec`).
pub const KUBECTL_FILE: (&str, &str) = ("/opt/bitnami/kubectl/bin/kubectl", "");

/// kubectl as a container's main process.
// SIM: the sandbox's kubectl lives above the cluster and cannot be a container's own process;
// with no arguments (or `--help`) it prints kubectl's first help line and exits 0, anything else
// says what to do instead and exits 1.
const KUBECTL_MAIN: &str = "case \"$1\" in ''|--help|-h|help) echo 'kubectl controls the Kubernetes cluster manager.'; echo; echo ' Find more information at: https://kubernetes.io/docs/reference/kubectl/'; exit 0;; esac; echo \"kubectl in a container's main process is not simulated: run the pod with a shell (command: [sleep, infinity]) and use kubectl exec POD -- kubectl $*\" >&2; exit 1";

const GENERIC_SERVER: &str = "sleep 1; echo \"listening\"; __serve";

const NGINX_VARIANTS: &[&str] = &["alpine", "slim", "perl", "otel", "bookworm", "bullseye", "mainline", "stable"];

const NGINX_START: &str = r#"
echo "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
echo "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/"
echo "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh"
echo "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf"
echo "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf"
echo "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh"
echo "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh"
echo "/docker-entrypoint.sh: Configuration complete; ready for start up"
exec "$@"
"#;

pub(super) const NGINX: &str = r#"
t=$(date '+%Y/%m/%d %H:%M:%S')
echo "$t [notice] 1#1: using the \"epoll\" event method" >&2
echo "$t [notice] 1#1: nginx/$NGINX_VERSION" >&2
echo "$t [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14)" >&2
echo "$t [notice] 1#1: OS: Linux 6.8.0-sandbox" >&2
echo "$t [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576" >&2
echo "$t [notice] 1#1: start worker processes" >&2
echo "$t [notice] 1#1: start worker process 29" >&2
__serve 80
"#;

/// The official image's nginx: reads its configuration, fails as nginx does on a bad one, and
/// serves what it declares.
const NGINX_CONFIGURED: &str = r#"
case "$1" in
-t|-T) __nginx test; exit $?;;
-v) echo "nginx version: nginx/$NGINX_VERSION" >&2; exit 0;;
-V) echo "nginx version: nginx/$NGINX_VERSION" >&2; echo "built by gcc 12.2.0 (Debian 12.2.0-14)" >&2; exit 0;;
esac
__nginx check || exit 1
t=$(date '+%Y/%m/%d %H:%M:%S')
echo "$t [notice] 1#1: using the \"epoll\" event method" >&2
echo "$t [notice] 1#1: nginx/$NGINX_VERSION" >&2
echo "$t [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14)" >&2
echo "$t [notice] 1#1: OS: Linux 6.8.0-sandbox" >&2
echo "$t [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576" >&2
echo "$t [notice] 1#1: start worker processes" >&2
echo "$t [notice] 1#1: start worker process 29" >&2
__nginx serve
"#;

pub(super) const NGINX_WELCOME: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";

/// nginx's default `combined` access-log line.
// SIM: the client's user agent is not known here.
pub(super) const NGINX_ACCESS: &str =
    "{client} - - [{clf_time}] \"GET {path} HTTP/1.1\" {status} {bytes} \"-\" \"-\" \"-\"";
const HTTPD_ACCESS: &str = "{client} - - [{clf_time}] \"GET {path} HTTP/1.1\" {status} {bytes}";

/// The last release of each nginx series, for tags that name a series (`nginx:1.14`).
pub(super) const NGINX_VERSIONS: &[(&str, &str)] = &[
    ("1", "1.29.3"),
    ("1.7", "1.7.12"),
    ("1.9", "1.9.15"),
    ("1.10", "1.10.3"),
    ("1.11", "1.11.13"),
    ("1.12", "1.12.2"),
    ("1.13", "1.13.12"),
    ("1.14", "1.14.2"),
    ("1.15", "1.15.12"),
    ("1.16", "1.16.1"),
    ("1.17", "1.17.10"),
    ("1.18", "1.18.0"),
    ("1.19", "1.19.10"),
    ("1.20", "1.20.2"),
    ("1.21", "1.21.6"),
    ("1.22", "1.22.1"),
    ("1.23", "1.23.4"),
    ("1.24", "1.24.0"),
    ("1.25", "1.25.5"),
    ("1.26", "1.26.3"),
    ("1.27", "1.27.5"),
    ("1.28", "1.28.0"),
    ("1.29", "1.29.3"),
    ("stable", "1.28.0"),
    ("mainline", "1.29.3"),
];

pub(super) const NGINX_404: &str = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

const NGINX_PROFILE: Profile = Profile {
    repository: "docker.io/library/nginx",
    tags: Tags { newest_minor: &[(1, 29)], ..Tags::versions((1, 1), NGINX_VARIANTS) },
    size_bytes: 72 * MB,
    entrypoint: &["/docker-entrypoint.sh"],
    cmd: &["nginx", "-g", "daemon off;"],
    programs: &[("docker-entrypoint.sh", NGINX_START), ("nginx", NGINX_CONFIGURED)],
    ports: &[Port { when: "", access_log: NGINX_ACCESS, port: 0, answer: Answer::Nginx }],
    memory_bytes: 7 * MIB,
    env: &[PATH, ("NGINX_VERSION", "1.27.3")],
    version_var: "NGINX_VERSION",
    versions: NGINX_VERSIONS,
    files: &[
        ("/usr/share/nginx/html/index.html", NGINX_WELCOME),
        ("/usr/share/nginx/html/50x.html", "<h1>An error occurred.</h1>\n"),
        (super::nginx_conf::MAIN, super::nginx_conf::DEFAULT_MAIN),
        ("/etc/nginx/mime.types", super::nginx_conf::MIME_TYPES),
        ("/etc/nginx/conf.d/default.conf", "server {\n    listen       80;\n    server_name  localhost;\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n"),
        ("/etc/os-release", DEBIAN_OS),
    ],
    ..BASE
};

pub(super) const DEBIAN_OS: &str =
    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n";
pub(super) const ALPINE_OS: &str =
    "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.21.0\nPRETTY_NAME=\"Alpine Linux v3.21\"\n";
/// What an Alpine image has beyond [`BASE_DIRS`]: its release file and the standard directories
/// of its root file system (`/var/log` is there, empty).
pub(super) const ALPINE_FILES: &[(&str, &str)] = &[
    ("/etc/os-release", ALPINE_OS),
    ("/etc/hostname", ""),
    ("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n"),
    ("/etc/apk/", ""),
    ("/media/", ""),
    ("/mnt/", ""),
    ("/opt/", ""),
    ("/run/", ""),
    ("/sbin/", ""),
    ("/srv/", ""),
    ("/usr/local/", ""),
    ("/usr/share/", ""),
    ("/var/cache/", ""),
    ("/var/empty/", ""),
    ("/var/lib/", ""),
    ("/var/local/", ""),
    ("/var/lock/", ""),
    ("/var/log/", ""),
    ("/var/mail/", ""),
    ("/var/opt/", ""),
    ("/var/run/", ""),
    ("/var/spool/", ""),
    ("/var/tmp/", ""),
];

/// What the busybox image has beyond [`BASE_DIRS`]: its `/var` holds only `spool/mail` and
/// `www` (no `/var/log`).
pub(super) const BUSYBOX_FILES: &[(&str, &str)] = &[
    ("/etc/hostname", ""),
    ("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n"),
    ("/var/spool/mail/", ""),
    ("/var/www/", ""),
];

pub(super) const UBUNTU_OS: &str =
    "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nID=ubuntu\n";

/// The official image's httpd: reads its configuration, fails as httpd does on a bad one, and
/// serves what it declares.
const HTTPD: &str = r#"
case "$1" in
-t) __httpd check || exit 1
    __httpd named || echo "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using $(hostname -i 2>/dev/null || hostname). Set the 'ServerName' directive globally to suppress this message" >&2
    echo "Syntax OK" >&2; exit 0;;
-v) echo "Server version: Apache/$HTTPD_VERSION (Unix)"; echo "Server built:   Oct  9 2024 00:00:00"; exit 0;;
-M) __httpd check >/dev/null 2>&1 || { __httpd check; exit 1; }; __httpd modules; exit 0;;
esac
__httpd check || exit 1
__httpd named || echo "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using $(hostname -i 2>/dev/null || hostname). Set the 'ServerName' directive globally to suppress this message" >&2
__httpd listens || exit 1
echo "[$(date '+%a %b %d %H:%M:%S.000000 %Y')] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/$HTTPD_VERSION (Unix) configured -- resuming normal operations" >&2
echo "[$(date '+%a %b %d %H:%M:%S.000000 %Y')] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'" >&2
__httpd serve
"#;

pub(super) const REDIS: &str = r#"
conf=""
case "$1" in *.conf) conf="$1" ;; esac
t() { date '+%d %b %Y %H:%M:%S.000'; }
echo "1:C $(t) # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"
echo "1:C $(t) # Redis version=$REDIS_VERSION, bits=64, commit=00000000, modified=0, pid=1, just started"
if [ -n "$conf" ]; then
  if [ ! -f "$conf" ]; then
    echo "" >&2
    echo "*** FATAL CONFIG FILE ERROR (Redis $REDIS_VERSION) ***" >&2
    echo "Fatal error, can't open config file '$conf': No such file or directory" >&2
    exit 1
  fi
  echo "1:C $(t) # Configuration loaded"
  cp "$conf" /proc/1/redis.conf
else
  echo "1:C $(t) # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf"
  : > /proc/1/redis.conf
fi
[ -n "$conf" ] && shift
while [ $# -gt 0 ]; do
  case "$1" in
    --replicaof|--slaveof)
      if [ $# -ge 3 ]; then echo "replicaof $2 $3" >> /proc/1/redis.conf; shift 3; else echo "replicaof $2" >> /proc/1/redis.conf; set --; fi ;;
    --*)
      if [ $# -ge 2 ]; then echo "${1#--} $2" >> /proc/1/redis.conf; shift 2; else set --; fi ;;
    *) shift ;;
  esac
done
sleep 0.2
leader=$(sed -n -e 's/^replicaof //p' -e 's/^slaveof //p' /proc/1/redis.conf | tail -n 1)
role=M
[ -n "$leader" ] && role=S
echo "1:$role $(t) * Running mode=standalone, port=6379."
echo "1:$role $(t) * Server initialized"
echo "1:$role $(t) * Ready to accept connections tcp"
if [ -n "$leader" ]; then
  set -- $leader
  echo "1:S $(t) * Connecting to MASTER $1:${2:-6379}"
fi
__serve 6379
"#;

/// `docker-entrypoint.sh` of images whose server takes flags: a first argument that is a flag
/// (`--bind_ip`) is passed to the server, as the official images' entrypoints do.
const NODE_ENTRYPOINT: &str = "case \"$1\" in -*|*.js) set -- node \"$@\" ;; esac\nexec \"$@\"";
// SIM: nothing is downloaded; installing packages fails as it would without network access.
const NPM: &str = "case \"$1\" in -v|--version) echo 10.9.2 ;; *) echo \"npm error code EAI_AGAIN\" >&2; echo \"npm error request to https://registry.npmjs.org/ failed: the sandbox has no internet access\" >&2; exit 1 ;; esac";
const PIP: &str = "case \"$1\" in -V|--version) echo \"pip 24.3.1 from /usr/local/lib/python3.13/site-packages/pip (python 3.13)\" ;; *) echo \"ERROR: Could not find a version that satisfies the requirement (the sandbox has no internet access)\" >&2; exit 1 ;; esac";

// SIM: no database runs; a liveness query answers, any other query fails saying it was not run.
const PSQL: &str = "case \"$*\" in *'SELECT 1'*|*'select 1'*) printf ' ?column? \\n----------\\n        1\\n(1 row)\\n\\n' ;; *) echo \"sandbox: psql $*: queries cannot be simulated here (not run)\" >&2; exit 1 ;; esac";
const SQL_CLIENT: &str = "case \"$*\" in *'SELECT 1'*|*'select 1'*) printf '1\\n1\\n' ;; *) echo \"sandbox: mysql $*: queries cannot be simulated here (not run)\" >&2; exit 1 ;; esac";

pub(super) const fn flags_to(server: &'static str) -> &'static str {
    match server.as_bytes() {
        b"mongod" => "case \"$1\" in -*) set -- mongod \"$@\" ;; esac\nexec \"$@\"",
        b"redis-server" => "case \"$1\" in -*|*.conf) set -- redis-server \"$@\" ;; esac\nexec \"$@\"",
        b"postgres" => "case \"$1\" in -*) set -- postgres \"$@\" ;; esac\nexec \"$@\"",
        b"mysqld" => "case \"$1\" in -*) set -- mysqld \"$@\" ;; esac\nexec \"$@\"",
        b"rabbitmq-server" => "case \"$1\" in -*) set -- rabbitmq-server \"$@\" ;; esac\nexec \"$@\"",
        _ => "exec \"$@\"",
    }
}

const POSTGRES: &str = r#"
if [ -n "$POSTGRES_PASSWORD_FILE" ]; then
  if [ -n "$POSTGRES_PASSWORD" ]; then
    echo "error: both POSTGRES_PASSWORD and POSTGRES_PASSWORD_FILE are set (but are exclusive)" >&2
    exit 1
  fi
  POSTGRES_PASSWORD="$(cat "$POSTGRES_PASSWORD_FILE")" || exit 1
fi
if [ -n "$POSTGRES_USER_FILE" ]; then POSTGRES_USER="$(cat "$POSTGRES_USER_FILE")" || exit 1; fi
if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != "trust" ]; then
  echo "Error: Database is uninitialized and superuser password is not specified." >&2
  echo "       You must specify POSTGRES_PASSWORD to a non-empty value for the" >&2
  echo "       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\"." >&2
  exit 1
fi
echo "The files belonging to this database system will be owned by user \"postgres\"."
echo "Success. You can now start the database server using:"
sleep 3
echo "PostgreSQL init process complete; ready for start up."
echo "$(date '+%Y-%m-%d %H:%M:%S.000 UTC') [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432"
echo "$(date '+%Y-%m-%d %H:%M:%S.000 UTC') [1] LOG:  database system is ready to accept connections"
__serve 5432
"#;

const MYSQL: &str = r#"
if [ -z "$MYSQL_ROOT_PASSWORD" ] && [ -z "$MYSQL_ALLOW_EMPTY_PASSWORD" ] && [ -z "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
  echo "$(date '+%Y-%m-%d %H:%M:%S+00:00') [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified" >&2
  echo "    You need to specify one of the following as an environment variable:" >&2
  echo "    - MYSQL_ROOT_PASSWORD" >&2
  echo "    - MYSQL_ALLOW_EMPTY_PASSWORD" >&2
  echo "    - MYSQL_RANDOM_ROOT_PASSWORD" >&2
  exit 1
fi
echo "$(date '+%Y-%m-%d %H:%M:%S+00:00') [Note] [Entrypoint]: Entrypoint script for MySQL Server started."
sleep 8
echo "$(date '+%Y-%m-%dT%H:%M:%S.000000Z') 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.3'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL."
__serve 3306
"#;

const MONGO: &str = r#"
sleep 1
echo '{"t":{"$date":"'"$(date '+%Y-%m-%dT%H:%M:%S.000+00:00')"'"},"s":"I",  "c":"NETWORK",  "id":23016,   "ctx":"listener","msg":"Waiting for connections","attr":{"port":27017,"ssl":"off"}}'
__serve 27017
"#;

const HELLO_WORLD: &str = r#"
echo ""
echo "Hello from Docker!"
echo "This message shows that your installation appears to be working correctly."
echo ""
echo "To generate this message, Docker took the following steps:"
echo " 1. The Docker client contacted the Docker daemon."
echo " 2. The Docker daemon pulled the \"hello-world\" image from the Docker Hub."
echo " 3. The Docker daemon created a new container from that image which runs the"
echo "    executable that produces the output you are currently reading."
echo " 4. The Docker daemon streamed that output to the Docker client, which sent it"
echo "    to your terminal."
echo ""
"#;

const DOTNET: &str = r#"
sleep 1.5
echo "info: Microsoft.Hosting.Lifetime[14]"
echo "      Now listening on: http://[::]:80"
echo "info: Microsoft.Hosting.Lifetime[0]"
echo "      Application started. Press Ctrl+C to shut down."
echo "info: Microsoft.Hosting.Lifetime[0]"
echo "      Hosting environment: Production"
echo "info: Microsoft.Hosting.Lifetime[0]"
echo "      Content root path: /app"
__serve 80
"#;

// SIM: the .NET host stops at SIGTERM (its pods end at once); the trap stands for that, with
// the shell's 143 for the .NET host's 0.
const TIMECHECK: &str = r#"
trap : TERM
mkdir -p /logs
interval=5
if [ -f /config/appsettings.json ]; then
  v=$(__jq -r .Application.Environment /config/appsettings.json); [ "$v" != null ] && APP_ENVIRONMENT=$v
  v=$(__jq -r .Application.Version /config/appsettings.json); [ "$v" != null ] && APP_VERSION=$v
  v=$(__jq -r .Timer.IntervalSeconds /config/appsettings.json); [ "$v" != null ] && interval=$v
fi
echo "Environment: ${APP_ENVIRONMENT:-DEV}; version: ${APP_VERSION:-1.0}; time check: $(date '+%H:%M:%S.000')" >> /logs/timecheck.log
sleep $interval
while true; do
  echo "Environment: ${APP_ENVIRONMENT:-DEV}; version: ${APP_VERSION:-1.0}; time check: $(date '+%H:%M:%S.000')" >> /logs/timecheck.log
  sleep $interval
done
"#;

const MEMORY_ALLOCATOR: &str = r#"
while true; do
  __alloc ${MEMORY_ALLOCATION_MB:-10}
  echo "Allocated ${MEMORY_ALLOCATION_MB:-10}MB, total: $(__memory_mb)MB"
  sleep ${LOOP_DELAY_SECONDS:-5}
done
"#;

/// kiamol's pi app (`Pi.Web.dll`): `-m console` writes pi to `-dp` decimal places and exits; the
/// default, `-m web`, serves a page computing it to `?dp=` places (6 without).
// SIM: the app's Program.cs is not in the corpus; console mode prints the value alone.
const PI: &str = r#"
mode=web
dp=6
while [ $# -gt 0 ]; do
  case "$1" in
    -m) mode=$2; shift ;;
    -dp) dp=$2; shift ;;
  esac
  shift
done
if [ "$mode" = console ]; then
  __pi -dp "$dp"
  exit $?
fi
sleep 1.5
echo "info: Microsoft.Hosting.Lifetime[14]"
echo "      Now listening on: http://[::]:80"
echo "info: Microsoft.Hosting.Lifetime[0]"
echo "      Application started. Press Ctrl+C to shut down."
echo "info: Microsoft.Hosting.Lifetime[0]"
echo "      Hosting environment: Production"
echo "info: Microsoft.Hosting.Lifetime[0]"
echo "      Content root path: /app"
__serve 80
"#;

/// The pi app's page for `/?dp=N`; a `dp` that is not a number fails as the app's model binding
/// leaves it null.
// SIM: the compute time shown is a fixed function of the places (quadratic, as Machin's formula).
const PI_PAGE: &str = r#"
dp=${GET_dp:-6}
case "$dp" in
  ''|*[!0-9]*) printf 'Status: 500\n'; exit 0 ;;
esac
if ! value=$(__pi -dp "$dp" 2>/tmp/.pi); then printf 'Status: 500\n'; cat /tmp/.pi; exit 0; fi
ms=$((dp / 100 * dp / 800 / 10))
printf '%s\n' '<!DOCTYPE html>' '<html lang="en">' '<head><title>Pi - Pi.Web</title></head>' '<body>' '<div class="container">'
printf '%s\n' "  <h3>To: $(__n0 "$dp") d.p.</h3>" "  <h3>in: $(__n0 "$ms") ms.</h3>" "  <h3>from: $HOSTNAME</h3>" '  <hr/>'
printf '%s\n' "  <p class=\"text-break\">$value</p>" '</div>' '</body>' '</html>'
"#;

/// `kiamol/…`: images of the book "Learn Kubernetes in a Month of Lunches".
// SIM: their Dockerfiles are not in the corpus; programs and answers follow what the book shows.
const KIAMOL: Profile = Profile {
    tags: Tags::named(&["latest"]),
    size_bytes: 90 * MB,
    entrypoint: &["dotnet", "App.dll"],
    cmd: &[],
    programs: &[("dotnet", DOTNET)],
    unknown_runs_server: true,
    memory_bytes: 45 * MIB,
    working_dir: "/app",
    ..BASE
};

static CATALOGUE: &[Profile] = &[
    NGINX_PROFILE,
    Profile {
        repository: "docker.io/library/httpd",
        tags: Tags { newest_minor: &[(2, 4)], ..Tags::versions((2, 2), &["alpine", "bookworm"]) },
        size_bytes: 58 * MB,
        cmd: &["httpd-foreground"],
        programs: &[("httpd-foreground", HTTPD), ("httpd", HTTPD)],
        ports: &[Port {
            when: "",
            access_log: HTTPD_ACCESS,
            port: 0,
            answer: Answer::Httpd,
        }],
        memory_bytes: 12 * MIB,
        env: &[PATH, ("HTTPD_PREFIX", "/usr/local/apache2"), ("HTTPD_VERSION", "2.4.62")],
        version_var: "HTTPD_VERSION",
        versions: &[("2", "2.4.62"), ("2.4", "2.4.62"), ("2.2", "2.2.34"), ("latest", "2.4.62")],
        files: &[
            ("/usr/local/apache2/htdocs/index.html", "<html><body><h1>It works!</h1></body></html>\n"),
            (super::httpd_conf::MAIN, super::httpd_conf::DEFAULT_MAIN),
            ("/usr/local/apache2/conf/mime.types", super::httpd_conf::MIME_TYPES),
            ("/usr/local/apache2/conf/extra/httpd-vhosts.conf", "# Virtual Hosts\n#\n#<VirtualHost *:80>\n#    ServerAdmin webmaster@dummy-host.example.com\n#    DocumentRoot \"/usr/local/apache2/docs/dummy-host.example.com\"\n#    ServerName dummy-host.example.com\n#</VirtualHost>\n"),
            ("/usr/local/apache2/cgi-bin/printenv", "#!/usr/bin/env perl\n"),
        ],
        working_dir: "/usr/local/apache2",
        ..BASE
    },
    Profile {
        repository: "docker.io/library/busybox",
        tags: Tags {
            named: &["latest", "stable", "musl", "glibc", "uclibc"],
            newest_minor: &[(1, 37)],
            ..Tags::versions((1, 1), &["musl", "glibc", "uclibc", "stable"])
        },
        size_bytes: 2_200_000,
        memory_bytes: 400 * 1024,
        files: BUSYBOX_FILES,
        ..BASE
    },
    Profile {
        repository: "registry.k8s.io/busybox",
        tags: Tags::named(&["latest", "1.24", "1.27.2"]),
        size_bytes: 1_300_000,
        memory_bytes: 400 * 1024,
        ..BASE
    },
    // busybox 1.22 with curl (or git) added, which "Connecting Applications with Services" runs.
    Profile {
        repository: "docker.io/radial/busyboxplus",
        tags: Tags::named(&["latest", "curl", "git"]),
        size_bytes: 2_000_000,
        memory_bytes: 400 * 1024,
        cmd: &["/bin/sh"],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/alpine",
        tags: Tags { named: &["latest", "edge"], newest_minor: &[(3, 22)], ..Tags::versions((3, 3), &[]) },
        size_bytes: 3_600_000,
        cmd: &["/bin/sh"],
        files: ALPINE_FILES,
        ..BASE
    },
    Profile {
        repository: "docker.io/library/ubuntu",
        tags: Tags {
            named: &["latest", "rolling", "devel", "jammy", "noble", "focal", "bionic", "oracular"],
            ..Tags::versions((14, 25), &["jammy", "noble", "focal"])
        },
        size_bytes: 29 * MB,
        cmd: &["/bin/bash"],
        files: &[("/etc/os-release", UBUNTU_OS)],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/debian",
        tags: Tags {
            named: &["latest", "stable", "bookworm", "bullseye", "buster", "trixie", "sid", "testing"],
            ..Tags::versions((9, 13), &["slim", "bookworm", "bullseye", "buster"])
        },
        size_bytes: 49 * MB,
        cmd: &["bash"],
        files: &[("/etc/os-release", DEBIAN_OS)],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/redis",
        tags: Tags {
            newest_minor: &[(2, 8), (3, 2), (4, 0), (5, 0), (6, 2), (7, 4), (8, 2)],
            ..Tags::versions((2, 8), &["alpine", "bookworm", "bullseye"])
        },
        size_bytes: 45 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["redis-server"],
        env: &[PATH, ("REDIS_VERSION", "7.4.1")],
        version_var: "REDIS_VERSION",
        versions: &[("7", "7.4.1"), ("7.4", "7.4.1"), ("7.2", "7.2.6"), ("7.0", "7.0.15"), ("6", "6.2.16"), ("6.2", "6.2.16"), ("6.0", "6.0.20"), ("5", "5.0.14"), ("5.0", "5.0.14"), ("8", "8.2.2"), ("8.0", "8.0.5"), ("8.2", "8.2.2"), ("2", "2.8.23"), ("2.8", "2.8.23"), ("2.6", "2.6.17"), ("3", "3.2.12"), ("3.2", "3.2.12"), ("3.0", "3.0.7"), ("4", "4.0.14"), ("4.0", "4.0.14")],
        programs: &[("docker-entrypoint.sh", flags_to("redis-server")), ("redis-server", REDIS), ("redis-cli", "__redis_cli \"$@\"")],
        ports: &[Port { when: "", access_log: "", port: 6379, answer: Answer::Tcp }],
        memory_bytes: 3 * MIB,
        working_dir: "/data",
        ..BASE
    },
    // Kubernetes' copy of Docker Hub's redis for its e2e tests (kubernetes#22608, March
    // 2016), which the guestbook examples' masters ran from 2016 to 2024.
    // SIM: the release is taken as Docker Hub's latest when the tag was made (3.0.7).
    Profile {
        repository: "registry.k8s.io/redis",
        aliases: &["k8s.gcr.io/redis", "gcr.io/google_containers/redis"],
        tags: Tags::named(&["e2e"]),
        size_bytes: 66 * MB,
        entrypoint: &["/entrypoint.sh"],
        cmd: &["redis-server"],
        env: &[PATH, ("REDIS_VERSION", "3.0.7")],
        programs: &[("entrypoint.sh", flags_to("redis-server")), ("redis-server", REDIS), ("redis-cli", "__redis_cli \"$@\"")],
        ports: &[Port { when: "", access_log: "", port: 6379, answer: Answer::Tcp }],
        memory_bytes: 3 * MIB,
        working_dir: "/data",
        ..BASE
    },
    Profile {
        repository: "docker.io/library/postgres",
        tags: Tags { newest_minor: &[(9, 6)], ..Tags::versions((9, 18), &["alpine", "bookworm", "bullseye", "trixie"]) },
        size_bytes: 160 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["postgres"],
        programs: &[
            ("docker-entrypoint.sh", flags_to("postgres")),
            ("postgres", POSTGRES),
            ("pg_isready", "echo \"/var/run/postgresql:5432 - accepting connections\""),
            ("psql", PSQL),
        ],
        ports: &[Port { when: "", access_log: "", port: 5432, answer: Answer::Tcp }],
        memory_bytes: 40 * MIB,
        env: &[PATH, ("PGDATA", "/var/lib/postgresql/data"), ("PG_MAJOR", "17")],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/mysql",
        tags: Tags { named: &["latest", "lts", "innovation"], ..Tags::versions((5, 9), &["oracle", "debian"]) },
        size_bytes: 170 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["mysqld"],
        programs: &[
            ("docker-entrypoint.sh", flags_to("mysqld")),
            ("mysqld", MYSQL),
            ("mysqladmin", "case \"$*\" in *ping*) echo \"mysqld is alive\" ;; *) echo \"sandbox: mysqladmin $*: cannot be simulated here (not run)\" >&2; exit 1 ;; esac"),
            ("mysql", SQL_CLIENT),
        ],
        ports: &[Port { when: "", access_log: "", port: 3306, answer: Answer::Tcp }, Port { when: "", access_log: "", port: 33060, answer: Answer::Tcp }],
        memory_bytes: 360 * MIB,
        ..BASE
    },
    Profile {
        repository: "docker.io/library/mongo",
        tags: Tags::versions((3, 8), &["jammy", "noble", "focal"]),
        size_bytes: 270 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["mongod"],
        programs: &[
            ("docker-entrypoint.sh", flags_to("mongod")),
            ("mongod", MONGO),
            ("mongosh", "case \"$*\" in *ping*) echo \"{ ok: 1 }\" ;; *) echo \"sandbox: mongosh $*: cannot be simulated here (not run)\" >&2; exit 1 ;; esac"),
        ],
        ports: &[Port { when: "", access_log: "", port: 27017, answer: Answer::Tcp }],
        memory_bytes: 80 * MIB,
        ..BASE
    },
    Profile {
        repository: "docker.io/library/perl",
        tags: Tags { newest_minor: &[(5, 42)], ..Tags::versions((5, 5), &["slim", "threaded", "bookworm", "bullseye"]) },
        size_bytes: 330 * MB,
        cmd: &["perl", "-de0"],
        programs: &[("perl", "__perl \"$@\"")],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/python",
        tags: Tags { newest_minor: &[(2, 7), (3, 14)], ..Tags::versions((2, 3), &["slim", "alpine", "bookworm", "bullseye"]) },
        size_bytes: 380 * MB,
        cmd: &["python3"],
        programs: &[("python3", "__python \"$@\""), ("python", "__python \"$@\""), ("pip", PIP)],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/node",
        tags: Tags { named: &["latest", "lts", "current"], ..Tags::versions((4, 25), &["slim", "alpine", "bookworm", "bullseye"]) },
        size_bytes: 390 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["node"],
        programs: &[("docker-entrypoint.sh", NODE_ENTRYPOINT), ("node", "__node \"$@\""), ("npm", NPM)],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/golang",
        tags: Tags { newest_minor: &[(1, 25)], ..Tags::versions((1, 1), &["alpine", "bookworm", "bullseye"]) },
        size_bytes: 300 * MB,
        cmd: &["bash"],
        programs: &[("go", "")],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/hello-world",
        tags: Tags::named(&["latest", "linux", "nanoserver"]),
        size_bytes: 13_000,
        cmd: &["/hello"],
        programs: &[("hello", HELLO_WORLD)],
        has_shell: false,
        files: &[],
        ..BASE
    },
    Profile {
        repository: "docker.io/bitnami/kubectl",
        tags: Tags { newest_minor: &[(1, 34)], ..Tags::versions((1, 1), &["debian"]) },
        size_bytes: 90 * MB,
        entrypoint: &["kubectl"],
        cmd: &["--help"],
        programs: &[("kubectl", KUBECTL_MAIN)],
        env: &[("PATH", "/opt/bitnami/kubectl/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")],
        files: &[KUBECTL_FILE, ("/etc/hostname", ""), ("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n")],
        ..BASE
    },
    Profile {
        repository: "registry.k8s.io/kubectl",
        tags: Tags { prefix: "v", newest_minor: &[(1, 34)], ..Tags::versions((1, 1), &[]) },
        size_bytes: 20 * MB,
        entrypoint: &["kubectl"],
        cmd: &[],
        programs: &[("kubectl", KUBECTL_MAIN)],
        files: &[KUBECTL_FILE],
        has_shell: false,
        ..BASE
    },
    Profile {
        repository: "registry.k8s.io/pause",
        aliases: &["k8s.gcr.io/pause", "gcr.io/google_containers/pause", "gcr.io/google-containers/pause"],
        tags: Tags::named(&[
            "latest", "0.8.0", "1.0", "2.0", "3.0", "3.1", "3.2", "3.3", "3.4.1", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10",
        ]),
        size_bytes: 320_000,
        entrypoint: &["/pause"],
        cmd: &[],
        programs: &[("pause", "__serve 0")],
        memory_bytes: 300 * 1024,
        has_shell: false,
        files: &[],
        ..BASE
    },
    Profile {
        repository: "docker.io/curlimages/curl",
        tags: Tags::versions((7, 8), &[]),
        size_bytes: 11 * MB,
        entrypoint: &["/entrypoint.sh"],
        cmd: &["curl"],
        programs: &[("entrypoint.sh", "exec \"$@\"")],
        files: ALPINE_FILES,
        ..BASE
    },
    Profile {
        repository: "docker.io/nicolaka/netshoot",
        tags: Tags { named: &["latest"], prefix: "v", ..Tags::versions((0, 0), &[]) },
        size_bytes: 190 * MB,
        cmd: &["zsh"],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/traefik",
        tags: Tags { prefix: "v", newest_minor: &[(1, 7), (2, 11), (3, 5)], ..Tags::versions((1, 3), &[]) },
        size_bytes: 50 * MB,
        entrypoint: &["/entrypoint.sh"],
        cmd: &["traefik"],
        programs: &[("entrypoint.sh", "exec \"$@\""), ("traefik", "sleep 1; __serve 80 8080")],
        ports: &[Port { when: "", access_log: "", port: 80, answer: Answer::Fixed("404 page not found\n") }, Port { when: "", access_log: "", port: 8080, answer: Answer::Fixed("404 page not found\n") }],
        memory_bytes: 30 * MIB,
        ..BASE
    },
    Profile {
        repository: "docker.io/library/adminer",
        tags: Tags::versions((4, 5), &["standalone", "fastcgi"]),
        size_bytes: 40 * MB,
        entrypoint: &["entrypoint.sh", "docker-php-entrypoint"],
        cmd: &["php", "-S", "[::]:8080", "-t", "/var/www/html"],
        programs: &[("entrypoint.sh", "exec \"$@\""), ("docker-php-entrypoint", "exec \"$@\""), ("php", "sleep 0.5; echo \"[$(date)] PHP 7.4 Development Server (http://[::]:8080) started\" >&2; __serve 8080")],
        ports: &[Port { when: "", access_log: "", port: 8080, answer: Answer::Fixed("<!DOCTYPE html>\n<html lang=\"en\"><head><title>Login - Adminer</title></head><body>Adminer</body></html>\n") }],
        memory_bytes: 15 * MIB,
        ..BASE
    },
    Profile {
        repository: "docker.io/library/nats",
        tags: Tags::versions((0, 2), &["alpine", "scratch", "linux", "nanoserver"]),
        size_bytes: 8 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["nats-server", "--config", "nats-server.conf"],
        programs: &[("docker-entrypoint.sh", "exec \"$@\""), ("nats-server", "echo \"[1] $(date '+%Y/%m/%d %H:%M:%S.000000') [INF] Server is ready\"; __serve 4222 8222")],
        ports: &[Port { when: "", access_log: "", port: 4222, answer: Answer::Tcp }, Port { when: "", access_log: "", port: 8222, answer: Answer::Fixed("{\"status\":\"ok\"}") }],
        memory_bytes: 10 * MIB,
        ..BASE
    },
    Profile {
        repository: "docker.io/kiamol/ch02-hello-kiamol",
        programs: &[("dotnet", DOTNET), ("nginx", NGINX)],
        entrypoint: &["nginx", "-g", "daemon off;"],
        ports: &[Port { when: "", access_log: "", port: 80, answer: Answer::Fixed("<html><body><h1>Hello from Chapter 2!</h1><p>This is a web page running in a Kubernetes Pod.</p></body></html>\n") }],
        memory_bytes: 7 * MIB,
        env: &[PATH, ("NGINX_VERSION", "1.17.10")],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch02-whoami",
        ports: &[Port { when: "", access_log: "", port: 80, answer: Answer::Fixed("I'm {hostname} running on Linux 6.8.0-sandbox #1 SMP") }],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch03-sleep",
        entrypoint: &[],
        // The Dockerfile's `CMD exec /bin/sh -c "…"` once its `exec` ran: PID 1 is a shell that
        // traps SIGTERM and waits for its looping child, so `killall5` (or a pod's deletion) ends
        // it at once and the container restarts.
        cmd: &["/bin/sh", "-c", "trap : TERM INT; (while true; do sleep 1000; done) & wait"],
        // The Dockerfile adds curl and jq to Alpine.
        programs: &[("jq", "__jq \"$@\"")],
        unknown_runs_server: false,
        memory_bytes: MIB,
        files: ALPINE_FILES,
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch03-numbers-api",
        tags: Tags::named(&["latest", "windows", "linux-amd64", "linux-arm64"]),
        ports: &[Port { when: "", access_log: "", port: 80, answer: Answer::Fixed("42") }],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch03-numbers-web",
        tags: Tags::named(&["latest", "v2"]),
        ports: &[Port { when: "", access_log: "", port: 80, answer: Answer::Fixed("<html><head><title>Random Number Generator</title></head><body><h1>Random Number Generator</h1><form><button>Go</button></form></body></html>\n") }],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch04-todo-list",
        ports: &[Port { when: "", access_log: "", port: 80, answer: Answer::Fixed("<html><head><title>ToDo List</title></head><body><h1>ToDo List</h1><p>Nothing to do! Add a new item.</p></body></html>\n") }],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch05-pi",
        entrypoint: &["dotnet", "Pi.Web.dll"],
        programs: &[("dotnet", PI)],
        ports: &[Port { when: "", access_log: "", port: 80, answer: Answer::Routes(&[]) }],
        scripts: &[("/", PI_PAGE)],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch07-timecheck",
        entrypoint: &["dotnet", "TimeCheck.dll"],
        programs: &[("dotnet", TIMECHECK)],
        memory_bytes: 30 * MIB,
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch09-vweb",
        tags: Tags::named(&["latest", "v1", "v2", "v3"]),
        entrypoint: &["nginx", "-g", "daemon off;"],
        programs: &[("nginx", NGINX)],
        ports: &[Port { when: "", access_log: "", port: 80, answer: Answer::Fixed("<html><body><h1>vweb</h1><p>A simple versioned web app.</p></body></html>\n") }],
        memory_bytes: 7 * MIB,
        env: &[PATH, ("NGINX_VERSION", "1.17.10")],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch12-memory-allocator",
        entrypoint: &["/app/allocate.sh"],
        programs: &[("allocate.sh", MEMORY_ALLOCATOR)],
        unknown_runs_server: false,
        memory_bytes: 2 * MIB,
        ..KIAMOL
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(s: &str) -> &'static Profile {
        Catalogue::lookup(&ImageRef::parse(s).unwrap()).unwrap()
    }

    /// A request as the network makes it, at the server's start.
    fn get(p: &Profile, port: u16, path: &str, files: &BTreeMap<String, String>, hostname: &str) -> Option<HttpAnswer> {
        let vars = BTreeMap::new();
        let req = Request {
            port,
            path,
            files,
            hostname,
            vars: &vars,
            uptime: std::time::Duration::ZERO,
            now: "2025-01-01T00:00:00Z",
            clf_time: "01/Jan/2025:00:00:00 +0000",
            client: "10.244.0.9",
            requests: 1,
            sent: Sent::GET,
        };
        p.answer(&req)
    }

    #[test]
    fn catalogue_has_no_duplicate_repositories() {
        let mut names: Vec<_> = Catalogue::all().map(|p| p.repository).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
    }

    #[test]
    fn nginx_answers_its_welcome_page_and_404_elsewhere() {
        let nginx = profile("nginx:1.27");
        let files = nginx.initial_files();
        let home = get(nginx, 80, "/", &files, "web").unwrap();
        assert_eq!(home.status, 200);
        assert!(home.body.contains("<h1>Welcome to nginx!</h1>"));
        assert_eq!(get(nginx, 80, "/missing", &files, "web").unwrap().status, 404);
        assert_eq!(get(nginx, 8080, "/", &files, "web").map(|a| a.status), Some(404));
    }

    #[test]
    fn nginx_serves_a_mounted_index_instead_of_its_own() {
        let nginx = profile("nginx");
        let mut files = nginx.initial_files();
        files.insert("/usr/share/nginx/html/index.html".into(), "mine\n".into());
        assert_eq!(get(nginx, 80, "/", &files, "web").unwrap().body, "mine\n");
    }

    #[test]
    fn httpd_says_it_works() {
        let httpd = profile("httpd:2.4");
        let a = get(httpd, 80, "/", &httpd.initial_files(), "h").unwrap();
        assert_eq!(a.body, "<html><body><h1>It works!</h1></body></html>\n");
    }

    #[test]
    fn whoami_answers_with_the_hostname() {
        let w = profile("kiamol/ch02-whoami");
        assert!(get(w, 80, "/", &BTreeMap::new(), "whoami-7d9f").unwrap().body.contains("whoami-7d9f"));
    }

    #[test]
    fn command_replaces_entrypoint_and_cmd_and_args_replace_cmd() {
        let nginx = profile("nginx");
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(nginx.argv(&[], &[]), s(&["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"]));
        assert_eq!(nginx.argv(&s(&["sh"]), &[]), s(&["sh"]));
        assert_eq!(nginx.argv(&[], &s(&["nginx-debug"])), s(&["/docker-entrypoint.sh", "nginx-debug"]));
        assert_eq!(nginx.argv(&s(&["sh", "-c"]), &s(&["echo hi"])), s(&["sh", "-c", "echo hi"]));
    }

    #[test]
    fn version_shaped_tags_exist_within_the_majors() {
        let t = profile("postgres").tags;
        assert!(t.has("11.6-alpine") && t.has("16") && t.has("alpine") && t.has("latest"));
        assert!(!t.has("99") && !t.has("11.6-purple") && !t.has("1.2.3.4"));
        let nats = profile("nats").tags;
        assert!(nats.has("2.1.0-alpine3.10"));
        assert!(profile("traefik").tags.has("v2.2.1"));
        assert!(!profile("traefik").tags.has("2.2.1"));
    }

    #[test]
    fn tags_newer_than_the_newest_release_of_their_major_do_not_exist() {
        let nginx = profile("nginx").tags;
        assert!(nginx.has("1.29") && nginx.has("1.29.1-alpine") && nginx.has("1.7.9") && nginx.has("1.27.3"));
        assert!(!nginx.has("1.99") && !nginx.has("1.30") && !nginx.has("1.99-alpine") && !nginx.has("2.0"));
        let redis = profile("redis").tags;
        assert!(
            redis.has("7.4.1") && redis.has("6.2-alpine") && redis.has("7") && !redis.has("7.9") && !redis.has("6.5")
        );
        assert!(profile("busybox").tags.has("1.36") && !profile("busybox").tags.has("1.99"));
        assert!(profile("alpine").tags.has("3.21") && !profile("alpine").tags.has("3.99"));
        assert!(profile("python").tags.has("3.12-slim") && !profile("python").tags.has("3.99"));
        assert!(profile("postgres").tags.has("9.6") && !profile("postgres").tags.has("9.9"));
        assert!(profile("postgres").tags.has("16.4") && profile("postgres").tags.has("18"));
        // The Go guestbook's first master ran redis 2.8.23; redis 2.9 never existed.
        assert!(redis.has("2.8.23") && redis.has("2.8") && !redis.has("2.9") && !redis.has("1.0"));
    }

    #[test]
    fn routes_match_gorilla_mux_patterns_a_whole_segment_per_variable() {
        let vars = |p, path| route_vars(p, path);
        assert_eq!(
            vars("/rpush/{key}/{value}", "/rpush/guestbook/hi%20there"),
            Some(vec![("key", "guestbook".to_string()), ("value", "hi there".to_string())])
        );
        assert_eq!(vars("/lrange/{key}", "/lrange/guestbook"), Some(vec![("key", "guestbook".to_string())]));
        assert_eq!(vars("/lrange/{key}", "/lrange/"), None);
        assert_eq!(vars("/lrange/{key}", "/lrange/a/b"), None);
        assert_eq!(vars("/rpush/{key}/{value}", "/rpush/guestbook"), None);
        assert_eq!(vars("/info", "/info"), Some(vec![]));
        assert_eq!(vars("/info", "/infos"), None);
        assert_eq!(vars("/", "/"), Some(vec![]));
        assert_eq!(percent_decode("a%2Fb+c%zz%4"), "a/b+c%zz%4");
        assert_eq!(status_text(404), "Not Found");
    }

    #[test]
    fn initial_files_include_parent_directories() {
        let files = profile("nginx").initial_files();
        assert!(files.contains_key("/usr/share/nginx/html/"));
        assert!(files.contains_key("/usr/share/"));
        assert!(files.contains_key("/tmp/"));
    }
}

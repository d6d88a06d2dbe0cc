//! `curl` as curl 8 prints it: the request it sends (`-X`, `-H`, `-d`, `-A`, `-I`), what it shows
//! of the answer (`-i` headers then body, `-I` headers only, `-v` its trace of the connection
//! and both header blocks, `-w` variables, `-o FILE` with its progress meter, `-s`/`-S`), its
//! redirects (`-L`), failures (`-f`: error 22) and certificate checks (`-k`, `--cacert`).
//!
//! SIM: header lines end with `\n` where curl writes the server's `\r\n` as it came.

use super::interp::Machine;
use super::{split_url, HttpRequest, NetError, Network, Response};

/// How long a connection to an unreachable address takes to fail, as curl reports it: Linux
/// retries the SYN six times (1 + 2 + 4 + … + 64 s) before giving up.
const CONNECT_TIMEOUT_MS: u64 = 130_163;

/// The options of one `curl` command line.
#[derive(Debug, Default)]
struct Opts {
    url: Option<String>,
    method: Option<String>,
    headers: Vec<(String, String)>,
    data: Option<String>,
    agent: Option<String>,
    head: bool,
    include: bool,
    verbose: bool,
    silent: bool,
    show_error: bool,
    fail: bool,
    follow: bool,
    insecure: bool,
    cacert: Option<String>,
    output: Option<String>,
    write_out: Option<String>,
    connect_timeout: Option<f64>,
    max_time: Option<f64>,
    resolve: Vec<String>,
}

/// The curl release an image ships (`User-Agent: curl/8.11.1`).
fn version(repository: &str, tag: &str) -> String {
    let name = repository.rsplit('/').next().unwrap_or(repository);
    match name {
        "curl" if tag.split('.').count() == 3 && tag.starts_with(|c: char| c.is_ascii_digit()) => tag.to_string(),
        "curl" | "netshoot" => "8.11.1".into(),
        "busyboxplus" => "7.30.0".into(),
        "nginx" if !tag.contains("alpine") => "7.88.1".into(),
        "ubuntu" | "debian" => "8.5.0".into(),
        _ => "8.11.1".into(),
    }
}

/// (major, minor) of a version string.
fn major_minor(v: &str) -> (u32, u32) {
    let mut p = v.split('.').map(|x| x.parse::<u32>().unwrap_or(0));
    (p.next().unwrap_or(0), p.next().unwrap_or(0))
}

fn header_arg(h: &str) -> Option<(String, String)> {
    let (k, v) = h.split_once(':')?;
    let k = k.trim();
    (!k.is_empty()).then(|| (k.to_string(), v.trim().to_string()))
}

fn parse(args: &[&str]) -> Result<Opts, String> {
    let mut o = Opts::default();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        let value = |i: &mut usize| -> Result<String, String> {
            *i += 1;
            args.get(*i).map(|s| s.to_string()).ok_or_else(|| format!("curl: option {a}: requires parameter"))
        };
        match a {
            "-X" | "--request" => o.method = Some(value(&mut i)?),
            "-H" | "--header" => o.headers.extend(header_arg(&value(&mut i)?)),
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii" => {
                let d = value(&mut i)?;
                o.data = Some(match o.data.take() {
                    Some(prev) => format!("{prev}&{d}"),
                    None => d,
                });
            }
            "-A" | "--user-agent" => o.agent = Some(value(&mut i)?),
            "-o" | "--output" => o.output = Some(value(&mut i)?),
            "-w" | "--write-out" => o.write_out = Some(value(&mut i)?),
            "--cacert" => o.cacert = Some(value(&mut i)?),
            "--resolve" => o.resolve.push(value(&mut i)?),
            "--connect-timeout" => o.connect_timeout = value(&mut i)?.parse().ok(),
            "-m" | "--max-time" => o.max_time = value(&mut i)?.parse().ok(),
            "--retry" | "--retry-delay" | "-u" | "--user" | "-e" | "--referer" | "--cert" | "--key" => {
                value(&mut i)?;
            }
            "-I" | "--head" => o.head = true,
            "-i" | "--include" => o.include = true,
            "-v" | "--verbose" => o.verbose = true,
            "-s" | "--silent" => o.silent = true,
            "-S" | "--show-error" => o.show_error = true,
            "-f" | "--fail" => o.fail = true,
            "-L" | "--location" => o.follow = true,
            "-k" | "--insecure" => o.insecure = true,
            "-O" | "--remote-name" => o.output = Some(String::new()),
            s if s.starts_with("--") => {
                if let Some((k, v)) = s.split_once('=') {
                    let rest: Vec<&str> = vec![k, v];
                    let inner = parse(&rest)?;
                    merge(&mut o, inner);
                }
            }
            s if s.starts_with('-') && s.len() > 1 => {
                // Bundled short options (`-sSL`, `-sI`, `-so FILE`, `-XPOST`).
                let flags = &s[1..];
                for (n, c) in flags.char_indices() {
                    let takes = matches!(c, 'X' | 'H' | 'd' | 'A' | 'o' | 'w' | 'm' | 'u' | 'e');
                    if takes {
                        let joined = &flags[n + c.len_utf8()..];
                        let v = if joined.is_empty() { value(&mut i)? } else { joined.to_string() };
                        let inner = parse(&[&format!("-{c}"), &v])?;
                        merge(&mut o, inner);
                        break;
                    }
                    let inner = parse(&[&format!("-{c}")])?;
                    merge(&mut o, inner);
                }
            }
            s => o.url = Some(s.to_string()),
        }
        i += 1;
    }
    Ok(o)
}

/// Folds options parsed from one piece of a command line into `o`.
fn merge(o: &mut Opts, x: Opts) {
    o.url = x.url.or(o.url.take());
    o.method = x.method.or(o.method.take());
    o.headers.extend(x.headers);
    if let Some(d) = x.data {
        o.data = Some(match o.data.take() {
            Some(prev) => format!("{prev}&{d}"),
            None => d,
        });
    }
    o.agent = x.agent.or(o.agent.take());
    o.output = x.output.or(o.output.take());
    o.write_out = x.write_out.or(o.write_out.take());
    o.cacert = x.cacert.or(o.cacert.take());
    o.resolve.extend(x.resolve);
    o.connect_timeout = x.connect_timeout.or(o.connect_timeout);
    o.max_time = x.max_time.or(o.max_time);
    o.head |= x.head;
    o.include |= x.include;
    o.verbose |= x.verbose;
    o.silent |= x.silent;
    o.show_error |= x.show_error;
    o.fail |= x.fail;
    o.follow |= x.follow;
    o.insecure |= x.insecure;
}

/// curl's five-character amounts in the progress meter (`  615`, ` 600k`, `1.2M`).
fn max5(n: u64) -> String {
    if n < 100_000 {
        format!("{n:5}")
    } else if n < 10_000 * 1024 {
        format!("{:4}k", n / 1024)
    } else if n < 100 * 1024 * 1024 {
        format!("{:2}.{}M", n / (1024 * 1024), (n % (1024 * 1024)) * 10 / (1024 * 1024))
    } else {
        format!("{:4}M", n / (1024 * 1024))
    }
}

/// The progress meter curl writes to stderr when the body goes to a file.
// SIM: the transfer is taken to last a millisecond.
fn meter(bytes: u64) -> String {
    let speed = bytes * 1000;
    let pct = 100;
    format!(
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n{pct:3} {}  {pct:3} {}  {:3} {}  {}  {} --:--:-- --:--:-- --:--:-- {}\n",
        max5(bytes),
        max5(bytes),
        0,
        max5(0),
        max5(speed),
        max5(0),
        max5(speed)
    )
}

/// The reason phrase servers send with a status.
pub fn reason(status: u16) -> &'static str {
    match status {
        503 => "Service Unavailable",
        405 => "Method Not Allowed",
        504 => "Gateway Timeout",
        s => super::super::images::nginx_conf::reason(s),
    }
}

/// The status line and header block of a response, as `-i` and `-I` print them. Over HTTP/2
/// there is no reason phrase (curl leaves the blank after the code) and field names come
/// lowercase, as HTTP/2 sends them.
fn header_block(r: &Response, prefix: &str, h2: bool) -> String {
    let mut out = if h2 {
        format!("{prefix}HTTP/2 {} \n", r.status)
    } else {
        format!("{prefix}HTTP/1.1 {} {}\n", r.status, status_reason(r))
    };
    for (k, v) in &r.headers {
        let k = if h2 { k.to_ascii_lowercase() } else { k.clone() };
        out.push_str(&format!("{prefix}{k}: {v}\n"));
    }
    out.push_str(prefix.trim_end_matches(' '));
    if !prefix.is_empty() {
        out.push(' ');
    }
    out.push('\n');
    out
}

fn status_reason(r: &Response) -> &'static str {
    // nginx's own words for 405 and 503 on its status line differ from its pages' titles.
    if r.header("server").is_some_and(|s| s.starts_with("nginx")) {
        return match r.status {
            405 => "Not Allowed",
            503 => "Service Temporarily Unavailable",
            s => super::super::images::nginx_conf::reason(s),
        };
    }
    reason(r.status)
}

/// Where `location` points from `url`.
fn join(url: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let scheme = url.split_once("://").map_or("http", |(s, _)| s);
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let hostport = rest.split('/').next().unwrap_or(rest);
    if location.starts_with('/') {
        format!("{scheme}://{hostport}{location}")
    } else {
        let (_, _, path) = split_url(url);
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        format!("{scheme}://{hostport}{dir}/{location}")
    }
}

impl Machine {
    /// Runs `curl ARGS…`.
    pub(super) fn curl(&mut self, args: &[&str], net: &mut dyn Network) -> i32 {
        let o = match parse(args) {
            Ok(o) => o,
            Err(e) => {
                self.write(2, &format!("{e}\ncurl: try 'curl --help' or 'curl --manual' for more information\n"));
                return 2;
            }
        };
        let Some(url) = o.url.clone() else {
            self.write(2, "curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
            return 2;
        };
        let quiet_errors = o.silent && !o.show_error;
        // curl refuses a URL with a blank in it (an unquoted `$(…)` that printed two words).
        if url.contains(char::is_whitespace) {
            if !quiet_errors {
                self.write(2, "curl: (3) URL using bad/illegal format or missing URL\n");
            }
            return 3;
        }
        let ver = version(self.env.image.repository, &self.env.tag);
        let (major, minor) = major_minor(&ver);
        let mut url = if url.contains("://") { url } else { format!("http://{url}") };
        let method = o.method.clone().unwrap_or_else(|| {
            if o.head {
                "HEAD".into()
            } else if o.data.is_some() {
                "POST".into()
            } else {
                "GET".into()
            }
        });
        let mut redirects = 0;
        let mut shown = String::new();
        let mut trace = String::new();
        let response = loop {
            let (host, port, path) = split_url(&url);
            let https = url.starts_with("https://");
            let default = if https { 443 } else { 80 };
            let host_field = if port == default { host.clone() } else { format!("{host}:{port}") };
            let mut headers: Vec<(String, String)> = vec![
                ("Host".into(), host_field),
                ("User-Agent".into(), o.agent.clone().unwrap_or_else(|| format!("curl/{ver}"))),
                ("Accept".into(), "*/*".into()),
            ];
            if let Some(d) = &o.data {
                headers.push(("Content-Length".into(), d.len().to_string()));
                headers.push(("Content-Type".into(), "application/x-www-form-urlencoded".into()));
            }
            for (k, v) in &o.headers {
                match headers.iter_mut().find(|(hk, _)| hk.eq_ignore_ascii_case(k)) {
                    // An empty value removes the header curl would send.
                    Some(_) if v.is_empty() => headers.retain(|(hk, _)| !hk.eq_ignore_ascii_case(k)),
                    Some(h) => *h = (k.clone(), v.clone()),
                    None if v.is_empty() => {}
                    None => headers.push((k.clone(), v.clone())),
                }
            }
            // `--resolve host:port:addr` connects to addr and still names the host.
            let connect = resolved(&url, &o.resolve).unwrap_or_else(|| url.clone());
            let req =
                HttpRequest { method: method.clone(), url: connect, headers, body: o.data.clone().unwrap_or_default() };
            let r = net.http(&req);
            let ip = match &r {
                Ok(r) => r.addr.rsplit_once(':').map_or(r.addr.clone(), |(ip, _)| ip.to_string()),
                Err(NetError::Refused { ip, .. } | NetError::TimedOut { ip, .. }) => ip.clone(),
                Err(NetError::BadAddress(_)) => String::new(),
            };
            if o.verbose && !ip.is_empty() {
                let literal = host.parse::<std::net::Ipv4Addr>().is_ok() || host == "localhost";
                if (major, minor) >= (8, 7) && !literal {
                    trace.push_str(&format!("* Host {host}:{port} was resolved.\n* IPv6: (none)\n* IPv4: {ip}\n"));
                }
                if major >= 8 || (major, minor) >= (7, 52) {
                    trace.push_str(&format!("*   Trying {ip}:{port}...\n"));
                } else {
                    trace.push_str(&format!("* About to connect() to {host} port {port} (#0)\n*   Trying {ip}...\n"));
                }
            }
            let r = match r {
                Ok(r) => r,
                Err(e) => {
                    self.write(2, &trace);
                    return self.curl_net_error(e, &o, &host, quiet_errors);
                }
            };
            if o.verbose {
                let suffix = if major >= 8 { "" } else { " (#0)" };
                trace.push_str(&format!("* Connected to {host} ({ip}) port {port}{suffix}\n"));
            }
            if https && !o.insecure {
                // An internet host the sandbox answers for (the tutorials' example manifests)
                // has a publicly signed certificate; its address is a name, not a cluster IP.
                let public = r.addr.rsplit_once(':').is_some_and(|(h, _)| h.parse::<std::net::Ipv4Addr>().is_err());
                let trusted = public || o.cacert.as_deref().is_some_and(|c| self.env.files.contains_key(&self.abs(c)));
                if let Some(c) = o.cacert.as_deref().filter(|c| !self.env.files.contains_key(&self.abs(c))) {
                    self.write(2, &trace);
                    if !quiet_errors {
                        self.write(2, &format!("curl: (77) error setting certificate file: {c}\n"));
                    }
                    return 77;
                }
                if !trusted {
                    self.write(2, &trace);
                    if !quiet_errors {
                        // The API server's certificate is signed by the cluster's CA (mounted at
                        // SA_DIR/ca.crt); an ingress's default one is signed by itself.
                        let api = r.http2;
                        let why = if api {
                            "unable to get local issuer certificate"
                        } else if major >= 8 {
                            "self-signed certificate"
                        } else {
                            "self signed certificate"
                        };
                        self.write(2, &format!("curl: (60) SSL certificate problem: {why}\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the webpage mentioned above.\n"));
                    }
                    return 60;
                }
            }
            // curl offers HTTP/2 over TLS (ALPN) when built with nghttp2, as all but the oldest are.
            let h2 = https && r.http2 && (major, minor) >= (7, 47);
            if r.status == 0 {
                self.write(2, &trace);
                if !quiet_errors {
                    self.write(2, "curl: (52) Empty reply from server\n");
                }
                return 52;
            }
            if o.verbose {
                trace.push_str(&format!("> {} {path} {}\n", req.method, if h2 { "HTTP/2" } else { "HTTP/1.1" }));
                for (k, v) in &req.headers {
                    trace.push_str(&format!("> {k}: {v}\n"));
                }
                trace.push_str("> \n");
                if (major, minor) >= (8, 7) {
                    if req.body.is_empty() {
                        trace.push_str("* Request completely sent off\n");
                    } else {
                        trace.push_str(&format!("* upload completely sent off: {} bytes\n", req.body.len()));
                    }
                }
                trace.push_str(&header_block(&r, "< ", h2));
            }
            let location = r.header("location").map(str::to_string);
            if o.follow && matches!(r.status, 301 | 302 | 303 | 307 | 308) {
                if let Some(loc) = location {
                    if o.include || o.head {
                        shown.push_str(&header_block(&r, "", h2));
                    }
                    if o.verbose {
                        trace.push_str(&format!(
                            "* Connection #0 to host {host} left intact\n* Issue another request to this URL: '{}'\n",
                            join(&url, &loc)
                        ));
                    }
                    redirects += 1;
                    if redirects > 50 {
                        self.write(2, &trace);
                        if !quiet_errors {
                            self.write(2, "curl: (47) Maximum (50) redirects followed\n");
                        }
                        return 47;
                    }
                    url = join(&url, &loc);
                    continue;
                }
            }
            break (r, host, ip, port, h2);
        };
        let (r, host, ip, port, h2) = response;
        if o.fail && r.status >= 400 {
            self.write(2, &trace);
            if !quiet_errors {
                self.write(2, &format!("curl: (22) The requested URL returned error: {}\n", r.status));
            }
            return 22;
        }
        if o.include || o.head {
            shown.push_str(&header_block(&r, "", h2));
        }
        if !o.head {
            shown.push_str(&r.body);
        }
        self.write(2, &trace);
        match o.output.as_deref() {
            None | Some("-") => self.write(1, &shown),
            Some(f) => {
                let name = if f.is_empty() {
                    split_url(&url).2.rsplit('/').next().unwrap_or("").split('?').next().unwrap_or("").to_string()
                } else {
                    f.to_string()
                };
                if name.is_empty() {
                    // curl 8 checks the name before it writes anything (tool_operate).
                    if !quiet_errors {
                        self.write(2, "curl: (23) Remote filename has no length\n");
                    }
                    return 23;
                }
                let abs = self.abs(&name);
                if !self.parent_exists(&abs) {
                    if !quiet_errors {
                        self.write(2, &format!("Warning: Failed to open the file {name}: No such file or directory\ncurl: (23) Failure writing output to destination\n"));
                    }
                    return 23;
                }
                if !o.silent && !o.verbose {
                    self.write(2, &meter(shown.len() as u64));
                }
                self.env.files.insert(abs, shown.chars().take(super::interp::MAX_CAPTURE).collect());
            }
        }
        if o.verbose {
            self.write(2, &format!("* Connection #0 to host {host} left intact\n"));
        }
        if let Some(w) = &o.write_out {
            let text = write_out(w, &r, &url, &ip, port, redirects, shown.len());
            self.write(1, &text);
        }
        0
    }

    /// curl's words and exit code for a connection that got no HTTP answer.
    fn curl_net_error(&mut self, e: NetError, o: &Opts, host: &str, quiet: bool) -> i32 {
        let (code, text) = match e {
            NetError::BadAddress(h) => (6, format!("curl: (6) Could not resolve host: {h}\n")),
            NetError::TimedOut { ip, port } => match (o.connect_timeout, o.max_time) {
                // SIM: the wait itself takes no simulated time.
                (Some(t), _) => (
                    28,
                    format!("curl: (28) Failed to connect to {ip} port {port} after {} ms: Timeout was reached\n", (t * 1000.0) as u64 + 1),
                ),
                (None, Some(t)) => (28, format!("curl: (28) Connection timed out after {} milliseconds\n", (t * 1000.0) as u64 + 1)),
                (None, None) => (
                    28,
                    format!("curl: (28) Failed to connect to {ip} port {port} after {CONNECT_TIMEOUT_MS} ms: Couldn't connect to server\n"),
                ),
            },
            NetError::Refused { port, .. } => {
                (7, format!("curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server\n"))
            }
        };
        if !quiet {
            self.write(2, &text);
        }
        code
    }
}

/// `-w`'s text with its `%{variable}`s and `\n` escapes filled in.
fn write_out(w: &str, r: &Response, url: &str, ip: &str, port: u16, redirects: u32, size: usize) -> String {
    let mut out = String::new();
    let mut rest = w;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("%{") {
            if let Some(end) = after.find('}') {
                let var = &after[..end];
                let v = match var {
                    "http_code" | "response_code" => format!("{:03}", r.status),
                    "url_effective" | "url" => url.to_string(),
                    "content_type" => r.header("content-type").unwrap_or("").to_string(),
                    "size_download" => size.to_string(),
                    "remote_ip" => ip.to_string(),
                    "remote_port" => port.to_string(),
                    "num_redirects" => redirects.to_string(),
                    "redirect_url" => r.header("location").map(|l| join(url, l)).unwrap_or_default(),
                    "method" => String::new(),
                    _ => String::new(),
                };
                out.push_str(&v);
                rest = &after[end + 1..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("\\n") {
            out.push('\n');
            rest = after;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The URL curl connects to when a `--resolve host:port:addr` entry matches the URL's host and
/// port: the address in place of the host.
fn resolved(url: &str, entries: &[String]) -> Option<String> {
    let (host, port, path) = split_url(url);
    let scheme = url.split_once("://").map_or("http", |(s, _)| s);
    entries.iter().find_map(|e| {
        let mut parts = e.splitn(3, ':');
        let (h, p, addr) = (parts.next()?, parts.next()?, parts.next()?);
        let addr = addr.split(',').next()?.trim_matches(['[', ']']);
        (h.eq_ignore_ascii_case(&host) && p.parse::<u16>().ok() == Some(port) && !addr.is_empty())
            .then(|| format!("{scheme}://{addr}:{port}{path}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_flags_and_values_parse() {
        let o = parse(&["-sSL", "-XPOST", "-H", "X-A: 1", "-d", "a=1", "--data=b=2", "http://web/"]).unwrap();
        assert!(o.silent && o.show_error && o.follow);
        assert_eq!(o.method.as_deref(), Some("POST"));
        assert_eq!(o.headers, vec![("X-A".to_string(), "1".to_string())]);
        assert_eq!(o.data.as_deref(), Some("a=1&b=2"));
        assert_eq!(o.url.as_deref(), Some("http://web/"));
        assert!(parse(&["-H"]).is_err());
    }

    #[test]
    fn meter_and_amounts_as_curl_writes_them() {
        assert_eq!(max5(615), "  615");
        assert_eq!(max5(615_000), " 600k");
        assert!(
            meter(615).ends_with("100   615  100   615    0     0   600k      0 --:--:-- --:--:-- --:--:--  600k\n")
        );
    }

    #[test]
    fn redirects_join_and_versions_come_from_the_image() {
        assert_eq!(join("http://web:8080/a/b", "/new"), "http://web:8080/new");
        assert_eq!(join("http://web/a/b", "c"), "http://web/a/c");
        assert_eq!(join("http://web/", "https://x/"), "https://x/");
        assert_eq!(version("docker.io/curlimages/curl", "8.5.0"), "8.5.0");
        assert_eq!(version("docker.io/radial/busyboxplus", "curl"), "7.30.0");
    }
}

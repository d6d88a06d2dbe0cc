//! The header fields each image's server sends with its answers, in the order it writes them:
//! nginx (`Server: nginx/1.27.3`, `Last-Modified`, `ETag`, `Accept-Ranges` for files), Go's
//! `net/http` (agnhost, http-echo, hello-app: `Date`, `Content-Length`, a sniffed
//! `Content-Type`), node's `http` (the bootcamp: chunked, `Connection: keep-alive`), Apache
//! httpd (`Server: Apache/2.4.62 (Unix)`).

use crate::sim::images::{HttpAnswer, Profile};
use crate::sim::process::builtins::format_date;
use crate::sim::time::SimTime;

/// Which HTTP server an image runs, as its header fields show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Server {
    /// nginx, with what its `Server` field says (`nginx/1.27.3`; `nginx` with server_tokens off).
    Nginx(String),
    /// echoserver's nginx with its lua handler: chunked `text/plain`.
    EchoNginx,
    /// A Go `net/http` server, with the fields its handler sets before Go's own.
    Go(Vec<(String, String)>),
    /// node's `http` module (the bootcamp's `server.js`).
    Node,
    /// Apache httpd, with its `Server` field.
    Apache(String),
}

/// The server a container of `profile` at `tag` runs, its software version in `version` (the
/// image's version variable, `NGINX_VERSION`) when known.
pub fn server_of(profile: &Profile, tag: &str, version: Option<&str>) -> Server {
    let repo = profile.repository;
    let name = repo.rsplit('/').next().unwrap_or(repo);
    match name {
        "nginx" | "nginx-slim" => Server::Nginx(version.map_or("nginx".into(), |v| format!("nginx/{v}"))),
        "controller" if repo.contains("ingress-nginx") => Server::Nginx("nginx".into()),
        "echoserver" => Server::EchoNginx,
        "kubernetes-bootcamp" => Server::Node,
        "httpd" => Server::Apache(format!("Apache/{} (Unix)", httpd_version(tag))),
        "http-echo" => {
            // http-echo names itself in two fields of its own (Go writes them sorted).
            let v = if tag.split('.').count() == 3 { tag.trim_start_matches('v') } else { "1.0.0" };
            Server::Go(vec![("X-App-Name".into(), "http-echo".into()), ("X-App-Version".into(), v.into())])
        }
        // SIM: agnhost, hello-app, echo-server and the images outside the catalogue answer as
        // a Go server does, the most common kind among sample apps.
        _ => Server::Go(Vec::new()),
    }
}

/// The httpd release a tag runs (`2.4` → `2.4.62`).
fn httpd_version(tag: &str) -> String {
    let base = tag.split('-').next().unwrap_or(tag);
    match base.split('.').count() {
        3 => base.to_string(),
        _ if base.starts_with("2.2") => "2.2.34".into(),
        _ => "2.4.62".into(),
    }
}

/// A time as HTTP writes it (RFC 7231's IMF-fixdate): `Wed, 01 Jan 2025 00:00:00 GMT`.
pub fn http_date(t: SimTime) -> String {
    format_date(t, "%a, %d %b %Y %H:%M:%S GMT")
}

/// The header fields `server` sends with `answer` at `now`; `modified` is when the files it
/// serves were last written.
// SIM: files carry no modification time in the sandbox; those the server sends are taken as
// written when the container started.
pub fn response_headers(
    server: &Server,
    answer: &HttpAnswer,
    now: SimTime,
    modified: SimTime,
) -> Vec<(String, String)> {
    let date = http_date(now);
    let len = answer.body.len();
    let mut h: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: String| h.push((k.to_string(), v));
    match server {
        Server::Nginx(name) => {
            put("Server", name.clone());
            put("Date", date);
            let ty = if answer.content_type.is_empty() { "text/html" } else { answer.content_type.as_str() };
            put("Content-Type", ty.to_string());
            put("Content-Length", len.to_string());
            if answer.file {
                put("Last-Modified", http_date(modified));
            }
            if let Some(l) = &answer.location {
                put("Location", l.clone());
            }
            put("Connection", "keep-alive".into());
            if answer.file {
                let mtime = crate::sim::time::EPOCH_UNIX_SECS + modified.as_millis() / 1000;
                put("ETag", format!("\"{mtime:x}-{len:x}\""));
                put("Accept-Ranges", "bytes".into());
            }
        }
        Server::EchoNginx => {
            put("Server", "nginx/1.13.3".into());
            put("Date", date);
            put("Content-Type", "text/plain".into());
            put("Transfer-Encoding", "chunked".into());
            put("Connection", "keep-alive".into());
        }
        Server::Go(own) => {
            if answer.status == 404 && answer.body == "404 page not found\n" {
                // http.NotFound: http.Error sets the type and nosniff before Go's own fields.
                put("Content-Type", "text/plain; charset=utf-8".into());
                put("X-Content-Type-Options", "nosniff".into());
                put("Date", date);
                put("Content-Length", len.to_string());
            } else {
                for (k, v) in own {
                    put(k, v.clone());
                }
                put("Date", date);
                put("Content-Length", len.to_string());
                let ty = if answer.content_type.is_empty() { sniff(&answer.body) } else { &answer.content_type };
                put("Content-Type", ty.to_string());
            }
        }
        Server::Node => {
            put("Content-Type", "text/plain".into());
            put("Date", date);
            put("Connection", "keep-alive".into());
            put("Transfer-Encoding", "chunked".into());
        }
        Server::Apache(name) => {
            put("Date", date);
            put("Server", name.clone());
            if let Some(l) = &answer.location {
                put("Location", l.clone());
            }
            if answer.file {
                put("Last-Modified", http_date(modified));
                let usecs = (crate::sim::time::EPOCH_UNIX_SECS * 1000 + modified.as_millis()) * 1000;
                put("ETag", format!("\"{len:x}-{usecs:x}\""));
                put("Accept-Ranges", "bytes".into());
            }
            put("Content-Length", len.to_string());
            let ty = match (answer.status, answer.content_type.as_str()) {
                (200, "") => "text/html",
                (200, t) => t,
                _ => "text/html; charset=iso-8859-1",
            };
            put("Content-Type", ty.to_string());
        }
    }
    h
}

/// The header fields the API server sends, in Go's order (sorted, `Date` and `Content-Length`
/// last): the request's `Audit-Id`, the API Priority and Fairness schema and level it was
/// classified under (none for a request refused before that: 401), `nosniff` on failures and
/// plain text. `audit` seeds the audit id; `flow` is the FlowSchema (and PriorityLevel) name.
///
/// SIM: the audit id is drawn from the request, not at random; the P&F uids are fixed.
pub fn api_headers(now: SimTime, status: u16, body: &str, audit: &str, flow: Option<&str>) -> Vec<(String, String)> {
    let json = body.trim_start().starts_with('{');
    let ty = if json { "application/json" } else { "text/plain; charset=utf-8" };
    let mut h: Vec<(String, String)> = vec![
        ("Audit-Id".into(), crate::sim::fnv::uuid(&format!("audit/{}/{audit}", now.as_millis()))),
        ("Cache-Control".into(), "no-cache, private".into()),
        ("Content-Type".into(), ty.into()),
    ];
    if status >= 400 || !json {
        h.push(("X-Content-Type-Options".into(), "nosniff".into()));
    }
    if let Some(flow) = flow {
        let level = match flow {
            "service-accounts" => "workload-low",
            "probes" | "exempt" => "exempt",
            other => other,
        };
        h.push(("X-Kubernetes-Pf-Flowschema-Uid".into(), crate::sim::fnv::uuid(&format!("flowschema/{flow}"))));
        h.push(("X-Kubernetes-Pf-Prioritylevel-Uid".into(), crate::sim::fnv::uuid(&format!("prioritylevel/{level}"))));
    }
    h.push(("Date".into(), http_date(now)));
    h.push(("Content-Length".into(), body.len().to_string()));
    h
}

/// The type Go's `DetectContentType` gives a body (the cases sample apps write).
fn sniff(body: &str) -> &'static str {
    let t = body.trim_start_matches([' ', '\t', '\n', '\r']).to_ascii_lowercase();
    if ["<!doctype html", "<html", "<head", "<body", "<h1", "<p", "<div", "<title"].iter().any(|p| t.starts_with(p)) {
        "text/html; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    }
}

/// The header fields of an answer `upstream` gave, as ingress-nginx passes it on at `now`:
/// nginx writes its own first — `Date`, the upstream's `Content-Type` and `Content-Length` (or
/// `Transfer-Encoding: chunked` when the length is not known), `Connection: keep-alive` — then
/// the upstream's other fields in their order. ingress-nginx clears `Server`
/// (its `server-tokens` is off by default) and, over HTTPS, adds its default HSTS field.
pub fn through_ingress_nginx(upstream: &[(String, String)], now: SimTime, https: bool) -> Vec<(String, String)> {
    let get = |name: &str| upstream.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let mut out = vec![("Date".to_string(), http_date(now))];
    if let Some(t) = get("Content-Type") {
        out.push(("Content-Type".into(), t));
    }
    let length = get("Content-Length");
    if let Some(l) = &length {
        out.push(("Content-Length".into(), l.clone()));
    }
    if length.is_none() {
        out.push(("Transfer-Encoding".into(), "chunked".into()));
    }
    out.push(("Connection".into(), "keep-alive".into()));
    const OWN: [&str; 7] =
        ["Date", "Server", "Content-Type", "Content-Length", "Connection", "Keep-Alive", "Transfer-Encoding"];
    out.extend(upstream.iter().filter(|(k, _)| !OWN.iter().any(|o| o.eq_ignore_ascii_case(k))).cloned());
    if https {
        out.push(("Strict-Transport-Security".into(), "max-age=31536000; includeSubDomains".into()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::images::{Catalogue, ImageRef};

    fn profile(s: &str) -> &'static Profile {
        Catalogue::lookup(&ImageRef::parse(s).unwrap()).unwrap()
    }

    fn answer(status: u16, body: &str, file: bool) -> HttpAnswer {
        HttpAnswer {
            status,
            body: body.into(),
            log: None,
            content_type: if file { "text/html".into() } else { String::new() },
            location: None,
            file,
        }
    }

    #[test]
    fn dates_are_imf_fixdate() {
        assert_eq!(http_date(SimTime::ZERO), "Wed, 01 Jan 2025 00:00:00 GMT");
    }

    #[test]
    fn nginx_sends_its_version_and_file_fields_in_its_order() {
        let s = server_of(profile("nginx:1.14"), "1.14", Some("1.14.2"));
        let h = response_headers(&s, &answer(200, "hello\n", true), SimTime::from_secs(60), SimTime::ZERO);
        let names: Vec<&str> = h.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "Server",
                "Date",
                "Content-Type",
                "Content-Length",
                "Last-Modified",
                "Connection",
                "ETag",
                "Accept-Ranges"
            ]
        );
        assert_eq!(h[0].1, "nginx/1.14.2");
        assert_eq!(h[1].1, "Wed, 01 Jan 2025 00:01:00 GMT");
        assert_eq!(h[3].1, "6");
        assert_eq!(h[6].1, "\"67748580-6\"");
        let missing = response_headers(&s, &answer(404, "x", false), SimTime::ZERO, SimTime::ZERO);
        assert!(!missing.iter().any(|(k, _)| k == "ETag"));
    }

    #[test]
    fn go_servers_send_date_length_and_sniffed_type() {
        let s = server_of(profile("gcr.io/google-samples/hello-app:2.0"), "2.0", None);
        let h = response_headers(&s, &answer(200, "Hello, world!\n", false), SimTime::ZERO, SimTime::ZERO);
        let names: Vec<&str> = h.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["Date", "Content-Length", "Content-Type"]);
        assert_eq!(h[2].1, "text/plain; charset=utf-8");
        let echo = server_of(profile("hashicorp/http-echo:0.2.3"), "0.2.3", None);
        let h = response_headers(&echo, &answer(200, "hi\n", false), SimTime::ZERO, SimTime::ZERO);
        assert_eq!(h[0], ("X-App-Name".to_string(), "http-echo".to_string()));
        assert_eq!(h[1].1, "0.2.3");
    }

    #[test]
    fn node_and_apache_have_their_own_fields() {
        let node = server_of(profile("gcr.io/google-samples/kubernetes-bootcamp:v1"), "v1", None);
        let h = response_headers(&node, &answer(200, "Hello\n", false), SimTime::ZERO, SimTime::ZERO);
        assert!(h.contains(&("Transfer-Encoding".to_string(), "chunked".to_string())));
        let httpd = server_of(profile("httpd:2.4"), "2.4", None);
        let h = response_headers(&httpd, &answer(200, "<html></html>\n", true), SimTime::ZERO, SimTime::ZERO);
        assert_eq!(h[1].1, "Apache/2.4.62 (Unix)");
    }
}

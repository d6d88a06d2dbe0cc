//! The API server as the cluster network reaches it: a connection that kube-proxy carries to an
//! address of the `kubernetes` Endpoints (the control plane's, at 6443) — through the Service's
//! ClusterIP at 443 or `kubernetes.default.svc`, or straight — gets the API server's answer while
//! its pod serves there: the request's bearer token authenticated ([`authn`]), then the REST
//! answer ([`rest::serve`]) with the header fields the API server sends, over HTTP/2 as curl
//! negotiates it. Plain HTTP to that port gets Go's answer to HTTP on a TLS port.

use serde_json::Value;

use super::ClusterNetwork;
use crate::sim::apiserver::rbac::UserInfo;
use crate::sim::apiserver::{authn, rest};
use crate::sim::process::{split_url, HttpRequest, Response};

/// What Go's TLS server writes back to a request that is not TLS.
const HTTP_TO_HTTPS: &str = "Client sent an HTTP request to an HTTPS server.\n";

impl ClusterNetwork<'_> {
    /// Whether `ip:port` is where the API server listens (an address of the `kubernetes`
    /// Endpoints).
    pub(super) fn is_apiserver(&self, ip: &str, port: u16) -> bool {
        let Some(ep) = self.store.get("Endpoints", Some("default"), "kubernetes") else { return false };
        ep.body.get("subsets").and_then(Value::as_array).into_iter().flatten().any(|s| {
            let at_port =
                s["ports"].as_array().into_iter().flatten().any(|p| p["port"].as_u64() == Some(u64::from(port)));
            at_port && s["addresses"].as_array().into_iter().flatten().any(|a| a["ip"] == ip)
        })
    }

    /// The API server's answer to `req`, which reached it at `ip:port`.
    pub(super) fn apiserver_answer(&self, req: &HttpRequest, https: bool) -> Response {
        if !https {
            return Response { status: 400, body: HTTP_TO_HTTPS.into(), ..Response::default() };
        }
        let path = split_url(&req.url).2;
        let user_agent = req.header("user-agent");
        let audit = format!("{} {path} {}", req.method, req.header("authorization").unwrap_or(""));
        let (answer, flow) = match authn::authenticate(self.store, self.now, req.header("authorization")) {
            Err(authn::Unauthorized) => (rest::unauthorized(&path, user_agent), None),
            Ok(user) => {
                let flow = flow_schema(&user, &path);
                (
                    rest::serve(self, rest::ApiRequest { method: &req.method, path: &path, user: &user, user_agent }),
                    Some(flow),
                )
            }
        };
        let headers = super::headers::api_headers(self.now, answer.status, &answer.body, &audit, flow);
        let body = if req.method.eq_ignore_ascii_case("HEAD") { String::new() } else { answer.body };
        Response { status: answer.status, body, headers, http2: true, ..Response::default() }
    }
}

/// The FlowSchema of the default API Priority and Fairness configuration a request falls under.
fn flow_schema(user: &UserInfo, path: &str) -> &'static str {
    let clean = path.split('?').next().unwrap_or(path);
    if user.groups.iter().any(|g| g == "system:masters") {
        "exempt"
    } else if matches!(clean, "/healthz" | "/livez" | "/readyz") {
        "probes"
    } else if user.name.starts_with("system:serviceaccount:kube-system:") {
        "kube-system-service-accounts"
    } else if user.name.starts_with("system:serviceaccount:") {
        "service-accounts"
    } else {
        "global-default"
    }
}

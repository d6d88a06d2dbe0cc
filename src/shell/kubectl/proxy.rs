//! `kubectl proxy [--port=8001]`: the terminal's `localhost:PORT` answers as the API server
//! (`sim::apiserver::rest`), so `curl http://localhost:8001/version` and the REST paths the
//! tutorials use work.
//!
//! SIM: kubectl keeps running until interrupted; here the proxy is set up and the command
//! returns (as if started with `&`), so the next line can use it.

use crate::shell::Output;
use crate::sim::apiserver::rbac::UserInfo;
use crate::sim::apiserver::rest;
use crate::sim::Sim;

/// The port kubectl proxy listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 8001;

/// Runs `kubectl proxy …`.
pub fn run(sim: &mut Sim, args: &[String]) -> Output {
    let mut port = DEFAULT_PORT;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = if let Some(v) = a.strip_prefix("--port=").or_else(|| a.strip_prefix("-p=")) {
            Some(v.to_string())
        } else if a == "--port" || a == "-p" {
            it.next().cloned()
        } else {
            a.strip_prefix("-p").map(str::to_string)
        };
        if let Some(v) = value {
            match v.parse::<u16>() {
                Ok(p) if p > 0 => port = p,
                _ => {
                    return Output::err(
                        format!("Error: invalid argument \"{v}\" for \"-p, --port\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax\nSee 'kubectl proxy --help' for usage.\n"),
                        1,
                    )
                }
            }
            continue;
        }
        match a.as_str() {
            s if s.starts_with("--address") || s.starts_with("--accept-hosts") || s.starts_with("--disable-filter") => {
                if !s.contains('=') && !s.starts_with("--disable-filter") {
                    it.next();
                }
            }
            s if s.starts_with('-') => {
                return Output::err(format!("Error: unknown flag: {s}\nSee 'kubectl proxy --help' for usage.\n"), 1);
            }
            s => {
                return Output::err(
                    format!("error: unexpected argument \"{s}\"\nSee 'kubectl proxy -h' for help and examples\n"),
                    1,
                );
            }
        }
    }
    if sim.proxies.contains(&port) || sim.port_forwards.iter().any(|f| f.local == port) {
        return Output::err(format!("error: listen tcp 127.0.0.1:{port}: bind: address already in use\n"), 1);
    }
    sim.proxies.push(port);
    Output::ok(format!("Starting to serve on 127.0.0.1:{port}\n"))
}

/// What the API server answers a request that came through the proxy: kubectl authenticates
/// it with the kubeconfig's credentials (the cluster's admin), and the API server's REST
/// answer ([`rest::serve`]) goes back as it came.
pub fn answer(sim: &Sim, method: &str, path: &str, user_agent: Option<&str>) -> (u16, String) {
    let net = crate::sim::network::ClusterNetwork {
        store: sim.store(),
        pods: &sim.kubelets.pods,
        namespace: "default",
        hostname: "",
        own_ip: "",
        turn: &sim.kubelets.turn,
        now: sim.now(),
        node: None,
    };
    let user = UserInfo::admin();
    let r = rest::serve(&net, rest::ApiRequest { method, path, user: &user, user_agent });
    (r.status, r.body)
}

//! Authentication of REST requests as the API server's bearer-token authenticator does it for
//! ServiceAccount tokens: the token the kubelet projects into a pod (bound to that pod) and the
//! one `kubectl create token` gets from the TokenRequest API. A token is a JWT whose payload
//! carries the same claims a real one does (`sub`, `kubernetes.io.serviceaccount`, …), so that
//! `cut -d. -f2 | base64 -d` shows what a learner would see; the API server maps it back to the
//! ServiceAccount by those claims and accepts it while the ServiceAccount (and the pod it is
//! bound to) still exists with the same uid, as upstream's legacy/bound token validator does.
//!
//! SIM: the signature is a digest of the header and payload under a key of the sandbox's own,
//! not RS256; it is checked the same way (a token someone edited is refused).
//!
//! Reads the store only.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use super::rbac::UserInfo;
use crate::sim::api::Object;
use crate::sim::fnv::Fnv;
use crate::sim::store::Store;
use crate::sim::time::{SimTime, EPOCH_UNIX_SECS};

/// The issuer and audience kubeadm configures (`--service-account-issuer`).
pub const ISSUER: &str = "https://kubernetes.default.svc.cluster.local";

/// How long a projected token lives: the kubelet asks for 3607 s and the API server extends it
/// to a year (`--service-account-extend-token-expiration`), warning after the 3607 s.
const PROJECTED_SECONDS: u64 = 3607;
const EXTENDED_SECONDS: u64 = 365 * 24 * 3600;

/// The key the sandbox's "signature" is keyed by.
const SIGNING_KEY: &[u8] = b"kube-sandbox service account signing key";

/// The key id in the header (`kid`), as a real cluster's is a digest of its public key.
const KEY_ID: &str = "Ajq1jCkg2yOi4lAF2VCv5jqrW5uxlmPfzWTCODd7Ejc";

fn unix(t: SimTime) -> u64 {
    EPOCH_UNIX_SECS + t.as_millis() / 1000
}

/// The sandbox's signature over `signed` (`header.payload`): 256 bytes, as long as an RS256 one.
fn signature(signed: &str) -> String {
    let mut bytes = Vec::with_capacity(256);
    let mut h = Fnv::default();
    h.eat(SIGNING_KEY);
    h.eat(signed.as_bytes());
    while bytes.len() < 256 {
        h.eat(&[bytes.len() as u8]);
        bytes.extend_from_slice(&h.0.to_be_bytes());
    }
    URL_SAFE_NO_PAD.encode(&bytes[..256])
}

fn sign(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(json!({"alg": "RS256", "kid": KEY_ID}).to_string());
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signed = format!("{header}.{payload}");
    let sig = signature(&signed);
    format!("{signed}.{sig}")
}

fn uid_of(store: &Store, kind: &str, namespace: Option<&str>, name: &str) -> String {
    store.get(kind, namespace, name).map(|o| o.uid().to_string()).unwrap_or_default()
}

/// The token the kubelet writes into `pod`'s projected `serviceAccountToken` volume: bound to
/// the pod and its node, issued when the pod was created.
pub fn pod_token(store: &Store, pod: &Object) -> String {
    let ns = pod.namespace().unwrap_or("default");
    let sa = pod.field("spec.serviceAccountName").and_then(Value::as_str).unwrap_or("default");
    let node = pod.field("spec.nodeName").and_then(Value::as_str).unwrap_or("");
    let issued = pod
        .metadata
        .creation_timestamp
        .as_ref()
        .map_or(EPOCH_UNIX_SECS, |t| u64::try_from(t.0.as_second()).unwrap_or(0));
    let mut k8s = json!({
        "namespace": ns,
        "pod": {"name": pod.name(), "uid": pod.uid()},
        "serviceaccount": {"name": sa, "uid": uid_of(store, "ServiceAccount", Some(ns), sa)},
        "warnafter": issued + PROJECTED_SECONDS,
    });
    if !node.is_empty() {
        k8s["node"] = json!({"name": node, "uid": uid_of(store, "Node", None, node)});
    }
    sign(&json!({
        "aud": [ISSUER],
        "exp": issued + EXTENDED_SECONDS,
        "iat": issued,
        "iss": ISSUER,
        "jti": crate::sim::fnv::uuid(&format!("{}/{}", pod.uid(), sa)),
        "kubernetes.io": k8s,
        "nbf": issued,
        "sub": format!("system:serviceaccount:{ns}:{sa}"),
    }))
}

/// A token from the TokenRequest API for ServiceAccount `sa` (`kubectl create token`), valid
/// `seconds` from `now`, bound to nothing but the ServiceAccount.
pub fn request_token(sa: &Object, now: SimTime, seconds: u64) -> String {
    let ns = sa.namespace().unwrap_or("default");
    let issued = unix(now);
    sign(&json!({
        "aud": [ISSUER],
        "exp": issued + seconds,
        "iat": issued,
        "iss": ISSUER,
        "jti": crate::sim::fnv::uuid(&format!("{}/{}", sa.uid(), now.as_millis())),
        "kubernetes.io": {"namespace": ns, "serviceaccount": {"name": sa.name(), "uid": sa.uid()}},
        "nbf": issued,
        "sub": format!("system:serviceaccount:{ns}:{}", sa.name()),
    }))
}

/// Why a request's credentials were not accepted: the API server answers 401 Unauthorized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unauthorized;

/// The anonymous user, as a request without credentials is taken.
pub fn anonymous() -> UserInfo {
    UserInfo::new("system:anonymous", &["system:unauthenticated"])
}

/// Who a request with this `Authorization` header value is from. No header, or one that is not
/// a bearer token with a value (`Bearer` alone, `Basic …`), is anonymous; a bearer token the
/// cluster did not issue, or whose ServiceAccount or pod is gone, is refused.
pub fn authenticate(store: &Store, now: SimTime, authorization: Option<&str>) -> Result<UserInfo, Unauthorized> {
    let Some(auth) = authorization.map(str::trim).filter(|a| !a.is_empty()) else { return Ok(anonymous()) };
    let mut parts = auth.splitn(2, ' ');
    let (scheme, token) = (parts.next().unwrap_or(""), parts.next().unwrap_or("").trim());
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Ok(anonymous());
    }
    token_user(store, now, token).ok_or(Unauthorized)
}

/// The claims of a token this cluster signed, if `token` is one.
fn claims(token: &str) -> Option<Value> {
    let (signed, sig) = token.rsplit_once('.')?;
    let (_, payload) = signed.split_once('.')?;
    if signature(signed) != sig {
        return None;
    }
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// The ServiceAccount user a valid token names, with the pod and node it is bound to.
pub fn token_user(store: &Store, now: SimTime, token: &str) -> Option<UserInfo> {
    let c = claims(token.trim())?;
    if c["exp"].as_u64().is_some_and(|exp| unix(now) >= exp) {
        return None;
    }
    let k = &c["kubernetes.io"];
    let ns = k["namespace"].as_str()?;
    let sa_name = k["serviceaccount"]["name"].as_str()?;
    let sa = store.get("ServiceAccount", Some(ns), sa_name)?;
    if sa.uid() != k["serviceaccount"]["uid"].as_str()? {
        return None;
    }
    let mut user = UserInfo::service_account(ns, sa_name);
    user.uid = sa.uid().to_string();
    if let Some(jti) = c["jti"].as_str() {
        user.extra.insert("authentication.kubernetes.io/credential-id".into(), vec![format!("JTI={jti}")]);
    }
    if let Some(pod_name) = k["pod"]["name"].as_str() {
        let pod = store.get("Pod", Some(ns), pod_name)?;
        if pod.uid() != k["pod"]["uid"].as_str()? {
            return None;
        }
        if let (Some(node), Some(node_uid)) = (k["node"]["name"].as_str(), k["node"]["uid"].as_str()) {
            user.extra.insert("authentication.kubernetes.io/node-name".into(), vec![node.to_string()]);
            user.extra.insert("authentication.kubernetes.io/node-uid".into(), vec![node_uid.to_string()]);
        }
        user.extra.insert("authentication.kubernetes.io/pod-name".into(), vec![pod_name.to_string()]);
        user.extra.insert("authentication.kubernetes.io/pod-uid".into(), vec![pod.uid().to_string()]);
    }
    Some(user)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest;
    use crate::sim::{Sim, SimConfig};

    fn sim_with_pod() -> (Sim, Object) {
        let mut sim = Sim::new(SimConfig::default());
        let yaml = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  serviceAccountName: robot\n  containers:\n  - name: c\n    image: busybox\n";
        for obj in manifest::parse(yaml).unwrap() {
            sim.create(obj).unwrap();
        }
        let pod = sim.store().get("Pod", Some("default"), "p").unwrap().clone();
        (sim, pod)
    }

    #[test]
    fn a_pod_token_names_its_service_account_and_pod_and_reads_as_a_jwt() {
        let (sim, pod) = sim_with_pod();
        let token = pod_token(sim.store(), &pod);
        assert_eq!(token.split('.').count(), 3);
        let payload = URL_SAFE_NO_PAD.decode(token.split('.').nth(1).unwrap()).unwrap();
        let c: Value = serde_json::from_slice(&payload).unwrap();
        assert_eq!(c["sub"], "system:serviceaccount:default:robot");
        assert_eq!(c["kubernetes.io"]["pod"]["name"], "p");
        let user = authenticate(sim.store(), sim.now(), Some(&format!("Bearer {token}"))).unwrap();
        assert_eq!(user.name, "system:serviceaccount:default:robot");
        assert_eq!(user.extra["authentication.kubernetes.io/pod-name"], vec!["p".to_string()]);
    }

    #[test]
    fn edited_or_foreign_tokens_are_refused_and_no_token_is_anonymous() {
        let (mut sim, pod) = sim_with_pod();
        let token = pod_token(sim.store(), &pod);
        let mut edited = token.clone();
        edited.insert(40, 'x');
        assert_eq!(authenticate(sim.store(), sim.now(), Some(&format!("Bearer {edited}"))), Err(Unauthorized));
        assert_eq!(authenticate(sim.store(), sim.now(), Some("Bearer abc")), Err(Unauthorized));
        assert_eq!(authenticate(sim.store(), sim.now(), None).unwrap().name, "system:anonymous");
        assert_eq!(authenticate(sim.store(), sim.now(), Some("Bearer")).unwrap().name, "system:anonymous");
        // The ServiceAccount the token names is gone: the token no longer authenticates.
        sim.delete("ServiceAccount", Some("default"), "robot", crate::sim::apiserver::Propagation::Background).unwrap();
        assert_eq!(authenticate(sim.store(), sim.now(), Some(&format!("Bearer {token}"))), Err(Unauthorized));
    }

    #[test]
    fn a_requested_token_expires() {
        let (sim, _) = sim_with_pod();
        let sa = sim.store().get("ServiceAccount", Some("default"), "default").unwrap().clone();
        let token = request_token(&sa, sim.now(), 3600);
        assert!(token_user(sim.store(), sim.now(), &token).is_some());
        assert!(token_user(sim.store(), SimTime::from_secs(3600), &token).is_none());
    }
}

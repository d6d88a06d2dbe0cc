//! The control plane's static pods, as kubeadm writes their manifests into
//! `/etc/kubernetes/manifests` on a control-plane node and the kubelet there runs them and
//! posts their mirror pods (`etcd-<node>`, `kube-apiserver-<node>`, …): the real command lines,
//! requests, probes, labels (`component`, `tier: control-plane`) and annotations, owned by the
//! Node.

use serde_json::{json, Value};

use crate::sim::api::Object;
use crate::sim::images::{ETCD_TAG, KUBE_TAG};
use crate::sim::Sim;

/// The four components, in the order kubeadm lists them.
pub const COMPONENTS: [&str; 4] = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"];

/// The directory the kubelet watches for static pod manifests.
pub const MANIFESTS_DIR: &str = "/etc/kubernetes/manifests";

/// The node's InternalIP.
pub fn node_ip(node: &Object) -> String {
    node.field("status.addresses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|a| a["type"] == "InternalIP")
        .and_then(|a| a["address"].as_str())
        .unwrap_or("172.18.0.2")
        .to_string()
}

/// Creates the mirror pods of the four static pods on `node`.
pub fn create_static_pods(sim: &mut Sim, node: &Object) {
    for component in COMPONENTS {
        let pod = mirror_pod(sim, node, component);
        if let Err(e) = sim.create(pod) {
            debug_assert!(false, "static pod {component} refused: {}", e.message);
        }
    }
}

/// The mirror pod of `component`'s static pod on `node`.
pub fn mirror_pod(sim: &Sim, node: &Object, component: &str) -> Object {
    let ip = node_ip(node);
    let name = node.name();
    let spec = static_pod_spec(component, name, &ip);
    let hash = crate::sim::kubelet::status::digest(&format!("{component}/{spec}"))[..32].to_string();
    let mut pod = Object::new("v1", "Pod", &format!("{component}-{name}"));
    pod.metadata.namespace = Some(super::NAMESPACE.into());
    pod.metadata.labels = Some(
        [("component".to_string(), component.to_string()), ("tier".to_string(), "control-plane".to_string())].into(),
    );
    let mut ann: std::collections::BTreeMap<String, String> = [
        ("kubernetes.io/config.hash", hash.as_str()),
        ("kubernetes.io/config.mirror", hash.as_str()),
        ("kubernetes.io/config.source", "file"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    ann.insert(
        "kubernetes.io/config.seen".into(),
        format!("{}.000000000Z", sim.now().to_rfc3339().trim_end_matches('Z')),
    );
    match component {
        "etcd" => {
            ann.insert("kubeadm.kubernetes.io/etcd.advertise-client-urls".into(), format!("https://{ip}:2379"));
        }
        "kube-apiserver" => {
            ann.insert("kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint".into(), format!("{ip}:6443"));
        }
        _ => {}
    }
    pod.metadata.annotations = Some(ann);
    pod.metadata.owner_references = Some(vec![k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
        api_version: "v1".into(),
        kind: "Node".into(),
        name: name.into(),
        uid: node.uid().into(),
        controller: Some(true),
        block_owner_deletion: None,
    }]);
    let mut spec = spec;
    spec["nodeName"] = json!(name);
    pod.body.insert("spec".into(), spec);
    pod
}

fn probe(host: &str, path: &str, port: u16, scheme: &str, initial: u32, period: u32, failures: u32) -> Value {
    let mut p = json!({"failureThreshold": failures,
                       "httpGet": {"host": host, "path": path, "port": port, "scheme": scheme},
                       "periodSeconds": period, "timeoutSeconds": 15});
    if initial > 0 {
        p["initialDelaySeconds"] = json!(initial);
    }
    p
}

fn host_path(name: &str, path: &str, ty: &str) -> Value {
    json!({"hostPath": {"path": path, "type": ty}, "name": name})
}

fn mount(name: &str, path: &str, read_only: bool) -> Value {
    if read_only {
        json!({"mountPath": path, "name": name, "readOnly": true})
    } else {
        json!({"mountPath": path, "name": name})
    }
}

/// The static pod's spec as kubeadm writes it (`/etc/kubernetes/manifests/<component>.yaml`).
pub fn static_pod_spec(component: &str, node: &str, ip: &str) -> Value {
    let image = |repo: &str, tag: &str| format!("registry.k8s.io/{repo}:{tag}");
    let pki = || {
        (
            vec![
                host_path("ca-certs", "/etc/ssl/certs", "DirectoryOrCreate"),
                host_path("k8s-certs", "/etc/kubernetes/pki", "DirectoryOrCreate"),
            ],
            vec![mount("ca-certs", "/etc/ssl/certs", true), mount("k8s-certs", "/etc/kubernetes/pki", true)],
        )
    };
    let (command, img, requests, probes, volumes, mounts): (
        Vec<String>,
        String,
        Value,
        [Value; 3],
        Vec<Value>,
        Vec<Value>,
    ) = match component {
        "etcd" => {
            let cmd = [
                "etcd".to_string(),
                format!("--advertise-client-urls=https://{ip}:2379"),
                "--cert-file=/etc/kubernetes/pki/etcd/server.crt".into(),
                "--client-cert-auth=true".into(),
                "--data-dir=/var/lib/etcd".into(),
                "--feature-gates=InitialCorruptCheck=true".into(),
                format!("--initial-advertise-peer-urls=https://{ip}:2380"),
                format!("--initial-cluster={node}=https://{ip}:2380"),
                "--key-file=/etc/kubernetes/pki/etcd/server.key".into(),
                format!("--listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379"),
                "--listen-metrics-urls=http://127.0.0.1:2381".into(),
                format!("--listen-peer-urls=https://{ip}:2380"),
                format!("--name={node}"),
                "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt".into(),
                "--peer-client-cert-auth=true".into(),
                "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key".into(),
                "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt".into(),
                "--snapshot-count=10000".into(),
                "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt".into(),
                "--watch-progress-notify-interval=5s".into(),
            ];
            (
                cmd.to_vec(),
                image("etcd", ETCD_TAG),
                json!({"cpu": "100m", "memory": "100Mi"}),
                [
                    probe("127.0.0.1", "/livez", 2381, "HTTP", 10, 10, 8),
                    probe("127.0.0.1", "/readyz", 2381, "HTTP", 0, 1, 3),
                    probe("127.0.0.1", "/readyz", 2381, "HTTP", 10, 10, 24),
                ],
                vec![
                    host_path("etcd-certs", "/etc/kubernetes/pki/etcd", "DirectoryOrCreate"),
                    host_path("etcd-data", "/var/lib/etcd", "DirectoryOrCreate"),
                ],
                vec![
                    mount("etcd-data", "/var/lib/etcd", false),
                    mount("etcd-certs", "/etc/kubernetes/pki/etcd", false),
                ],
            )
        }
        "kube-apiserver" => {
            let cmd: Vec<String> = [
                "kube-apiserver".to_string(),
                format!("--advertise-address={ip}"),
                "--allow-privileged=true".into(),
                "--authorization-mode=Node,RBAC".into(),
                "--client-ca-file=/etc/kubernetes/pki/ca.crt".into(),
                "--enable-admission-plugins=NodeRestriction".into(),
                "--enable-bootstrap-token-auth=true".into(),
                "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt".into(),
                "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt".into(),
                "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key".into(),
                "--etcd-servers=https://127.0.0.1:2379".into(),
                "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt".into(),
                "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key".into(),
                "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname".into(),
                "--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt".into(),
                "--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key".into(),
                "--requestheader-allowed-names=front-proxy-client".into(),
                "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt".into(),
                "--requestheader-extra-headers-prefix=X-Remote-Extra-".into(),
                "--requestheader-group-headers=X-Remote-Group".into(),
                "--requestheader-username-headers=X-Remote-User".into(),
                "--secure-port=6443".into(),
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local".into(),
                "--service-account-key-file=/etc/kubernetes/pki/sa.pub".into(),
                "--service-account-signing-key-file=/etc/kubernetes/pki/sa.key".into(),
                "--service-cluster-ip-range=10.96.0.0/12".into(),
                "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt".into(),
                "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key".into(),
            ]
            .to_vec();
            let (v, m) = pki();
            (
                cmd,
                image("kube-apiserver", KUBE_TAG),
                json!({"cpu": "250m"}),
                [
                    probe(ip, "/livez", 6443, "HTTPS", 10, 10, 8),
                    probe(ip, "/readyz", 6443, "HTTPS", 0, 1, 3),
                    probe(ip, "/livez", 6443, "HTTPS", 10, 10, 24),
                ],
                v,
                m,
            )
        }
        "kube-controller-manager" => {
            let cmd: Vec<String> = [
                "kube-controller-manager",
                "--allocate-node-cidrs=true",
                "--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
                "--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf",
                "--bind-address=127.0.0.1",
                "--client-ca-file=/etc/kubernetes/pki/ca.crt",
                "--cluster-cidr=10.244.0.0/16",
                "--cluster-name=kubernetes",
                "--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt",
                "--cluster-signing-key-file=/etc/kubernetes/pki/ca.key",
                "--controllers=*,bootstrapsigner,tokencleaner",
                "--kubeconfig=/etc/kubernetes/controller-manager.conf",
                "--leader-elect=true",
                "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
                "--root-ca-file=/etc/kubernetes/pki/ca.crt",
                "--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
                "--service-cluster-ip-range=10.96.0.0/12",
                "--use-service-account-credentials=true",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            let (mut v, mut m) = pki();
            v.push(host_path("kubeconfig", "/etc/kubernetes/controller-manager.conf", "FileOrCreate"));
            m.push(mount("kubeconfig", "/etc/kubernetes/controller-manager.conf", true));
            (
                cmd,
                image("kube-controller-manager", KUBE_TAG),
                json!({"cpu": "200m"}),
                [
                    probe("127.0.0.1", "/healthz", 10257, "HTTPS", 10, 10, 8),
                    Value::Null,
                    probe("127.0.0.1", "/healthz", 10257, "HTTPS", 10, 10, 24),
                ],
                v,
                m,
            )
        }
        _ => {
            let cmd: Vec<String> = [
                "kube-scheduler",
                "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
                "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf",
                "--bind-address=127.0.0.1",
                "--kubeconfig=/etc/kubernetes/scheduler.conf",
                "--leader-elect=true",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            (
                cmd,
                image("kube-scheduler", KUBE_TAG),
                json!({"cpu": "100m"}),
                [
                    probe("127.0.0.1", "/livez", 10259, "HTTPS", 10, 10, 8),
                    probe("127.0.0.1", "/readyz", 10259, "HTTPS", 0, 1, 3),
                    probe("127.0.0.1", "/livez", 10259, "HTTPS", 10, 10, 24),
                ],
                vec![host_path("kubeconfig", "/etc/kubernetes/scheduler.conf", "FileOrCreate")],
                vec![mount("kubeconfig", "/etc/kubernetes/scheduler.conf", true)],
            )
        }
    };
    let mut container = json!({
        "command": command,
        "image": img,
        "imagePullPolicy": "IfNotPresent",
        "name": component,
        "resources": {"requests": requests},
        "volumeMounts": mounts,
    });
    let [liveness, readiness, startup] = probes;
    container["livenessProbe"] = liveness;
    if !readiness.is_null() {
        container["readinessProbe"] = readiness;
    }
    container["startupProbe"] = startup;
    json!({
        "containers": [container],
        "hostNetwork": true,
        "priority": 2_000_001_000,
        "priorityClassName": "system-node-critical",
        "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
        "tolerations": [{"effect": "NoExecute", "operator": "Exists"}],
        "volumes": volumes,
    })
}

//! Traffic between pods, through Services and DNS, answered by the pods' simulated processes.

use std::time::Duration;

use crate::manifest;
use crate::sim::kubelet;
use crate::sim::store::ObjectKey;
use crate::sim::{Sim, SimConfig};

fn apply(sim: &mut Sim, yaml: &str) {
    for obj in manifest::parse(yaml).unwrap() {
        sim.create(obj).unwrap();
    }
}

const WHOAMI: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: whoami\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: whoami}\n  template:\n    metadata:\n      labels: {app: whoami}\n    spec:\n      containers:\n      - name: web\n        image: kiamol/ch02-whoami\n        ports: [{containerPort: 80, name: http}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: whoami\nspec:\n  selector: {app: whoami}\n  ports:\n  - port: 8080\n    targetPort: http\n";

const CLIENT: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [sleep, '3600']\n";

fn sh(sim: &mut Sim, pod: &str, script: &str) -> (String, String, i32) {
    let key = ObjectKey { kind: "Pod".into(), namespace: "default".into(), name: pod.into() };
    kubelet::exec(sim, &key, None, &["sh".into(), "-c".into(), script.into()]).unwrap()
}

fn cluster() -> Sim {
    let mut sim = Sim::new(SimConfig::default());
    apply(&mut sim, WHOAMI);
    apply(&mut sim, CLIENT);
    sim.advance(Duration::from_secs(30));
    sim
}

#[test]
fn service_traffic_reaches_each_ready_pod_in_turn() {
    let mut sim = cluster();
    let (out, err, code) = sh(&mut sim, "client", "for i in 1 2 3 4; do wget -qO- http://whoami:8080; echo; done");
    assert_eq!(code, 0, "{err}");
    let names: Vec<&str> = out.lines().map(|l| l.split_whitespace().nth(1).unwrap_or("")).collect();
    assert_eq!(names.len(), 4);
    assert!(names.iter().all(|n| n.starts_with("whoami-")), "{out}");
    assert_ne!(names[0], names[1], "two pods take turns: {out}");
    assert_eq!(names[0], names[2]);
}

#[test]
fn service_names_resolve_in_every_form_and_unknown_names_do_not() {
    let mut sim = cluster();
    let ip = sim.store().get("Service", Some("default"), "whoami").unwrap().field("spec.clusterIP").unwrap().clone();
    for name in ["whoami", "whoami.default", "whoami.default.svc", "whoami.default.svc.cluster.local"] {
        let (out, _, code) = sh(&mut sim, "client", &format!("nslookup {name}"));
        assert_eq!(code, 0, "{name}");
        assert!(out.contains(&format!("Address: {}", ip.as_str().unwrap())), "{name}: {out}");
        assert!(out.contains("Name:\twhoami.default.svc.cluster.local\n"), "{name}: {out}");
    }
    let (_, err, code) = sh(&mut sim, "client", "wget -qO- http://whoami.other");
    assert_eq!((code, err.as_str()), (1, "wget: bad address 'whoami.other'\n"));
}

#[test]
fn service_without_ready_endpoints_refuses_connections() {
    let mut sim = cluster();
    apply(&mut sim, "apiVersion: v1\nkind: Service\nmetadata:\n  name: empty\nspec:\n  selector: {app: nothing}\n  ports:\n  - port: 80\n");
    sim.advance(Duration::from_secs(1));
    let ip = sim.store().get("Service", Some("default"), "empty").unwrap().field("spec.clusterIP").unwrap().clone();
    let (_, err, code) = sh(&mut sim, "client", "wget -qO- http://empty");
    assert_eq!(code, 1);
    assert_eq!(err, format!("wget: can't connect to remote host ({}): Connection refused\n", ip.as_str().unwrap()));
}

#[test]
fn pod_ips_and_node_ports_reach_the_server() {
    let mut sim = cluster();
    let pod = sim.store().list("Pod", Some("default")).find(|p| p.name().starts_with("whoami-")).unwrap().clone();
    let ip = pod.field("status.podIP").unwrap().as_str().unwrap().to_string();
    let (out, _, code) = sh(&mut sim, "client", &format!("wget -qO- {ip}:80"));
    assert_eq!(code, 0);
    assert!(out.contains(pod.name()), "{out}");
    let (_, err, _) = sh(&mut sim, "client", &format!("wget -qO- {ip}:81"));
    assert_eq!(err, format!("wget: can't connect to remote host ({ip}): Connection refused\n"));
    apply(&mut sim, "apiVersion: v1\nkind: Service\nmetadata:\n  name: np\nspec:\n  type: NodePort\n  selector: {app: whoami}\n  ports:\n  - port: 80\n    targetPort: 80\n    nodePort: 30080\n");
    sim.advance(Duration::from_secs(1));
    let (out, err, code) = sh(&mut sim, "client", "wget -qO- 172.18.0.3:30080");
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("I'm whoami-"), "{out}");
}

#[test]
fn answered_requests_show_as_cpu_use() {
    let mut sim = cluster();
    let pods: Vec<ObjectKey> = sim
        .store()
        .list("Pod", Some("default"))
        .filter(|p| p.name().starts_with("whoami-"))
        .map(ObjectKey::of)
        .collect();
    let idle = crate::sim::metrics::pod_total(&sim, &pods[0]).unwrap().cpu_millis;
    sh(&mut sim, "client", "i=0; while [ $i -lt 200 ]; do wget -qO- http://whoami:8080 >/dev/null; i=$((i+1)); done");
    let busy = crate::sim::metrics::pod_total(&sim, &pods[0]).unwrap().cpu_millis;
    assert_eq!(idle, 1);
    assert_eq!(busy, 1 + 100 * kubelet::CPU_MILLIS_PER_REQUEST / crate::sim::metrics::WINDOW_SECS);
    sim.advance(Duration::from_secs(20));
    assert_eq!(crate::sim::metrics::pod_total(&sim, &pods[0]).unwrap().cpu_millis, 1, "the window has passed");
}

#[test]
fn stateful_set_pods_have_stable_names_under_their_headless_service() {
    let mut sim = cluster();
    apply(&mut sim, "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  selector: {app: db}\n  ports:\n  - port: 80\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 2\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n      - name: web\n        image: kiamol/ch02-whoami\n");
    sim.advance(Duration::from_secs(60));
    let ip = sim.store().get("Pod", Some("default"), "db-1").unwrap().field("status.podIP").unwrap().clone();
    let (out, err, code) = sh(&mut sim, "client", "nslookup db-1.db.default.svc.cluster.local; wget -qO- db-1.db");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("Address: {}", ip.as_str().unwrap())), "{out}");
    assert!(out.contains("I'm db-1 "), "{out}");
}

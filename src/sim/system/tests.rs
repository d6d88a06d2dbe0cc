use std::time::Duration;

use serde_json::Value;

use crate::sim::{Sim, SimConfig};

fn running_cluster() -> Sim {
    let mut sim = Sim::new(SimConfig::default());
    sim.advance(Duration::from_secs(60));
    sim
}

fn phase(sim: &Sim, name: &str) -> String {
    let p = sim.store().get("Pod", Some("kube-system"), name).unwrap_or_else(|| panic!("{name}"));
    p.field("status.phase").and_then(Value::as_str).unwrap_or("").to_string()
}

#[test]
fn a_new_cluster_has_the_control_plane_static_pods_on_its_control_plane_node() {
    let sim = running_cluster();
    for c in super::control_plane::COMPONENTS {
        let name = format!("{c}-control-plane");
        assert_eq!(phase(&sim, &name), "Running", "{name}");
        let p = sim.store().get("Pod", Some("kube-system"), &name).unwrap();
        assert_eq!(p.label("component"), Some(c));
        assert_eq!(p.label("tier"), Some("control-plane"));
        assert_eq!(p.field("spec.nodeName").and_then(Value::as_str), Some("control-plane"));
        assert_eq!(p.field("status.podIP").and_then(Value::as_str), Some("172.18.0.2"));
        let owner = &p.metadata.owner_references.as_ref().unwrap()[0];
        assert_eq!((owner.kind.as_str(), owner.name.as_str()), ("Node", "control-plane"));
        let ready = p
            .field("status.conditions")
            .and_then(Value::as_array)
            .is_some_and(|cs| cs.iter().any(|c| c["type"] == "Ready" && c["status"] == "True"));
        assert!(ready, "{name} is not ready");
    }
}

#[test]
fn coredns_runs_two_ready_replicas_behind_kube_dns() {
    let sim = running_cluster();
    let d = sim.store().get("Deployment", Some("kube-system"), "coredns").unwrap();
    assert_eq!(d.field("status.readyReplicas").and_then(Value::as_u64), Some(2));
    let svc = sim.store().get("Service", Some("kube-system"), "kube-dns").unwrap();
    assert_eq!(svc.field("spec.clusterIP").and_then(Value::as_str), Some("10.96.0.10"));
    let ep = sim.store().get("Endpoints", Some("kube-system"), "kube-dns").unwrap();
    let addrs = ep.body["subsets"][0]["addresses"].as_array().map_or(0, Vec::len);
    assert_eq!(addrs, 2);
}

#[test]
fn kube_proxy_runs_on_every_node_on_the_host_network() {
    let sim = running_cluster();
    let pods: Vec<_> =
        sim.store().list("Pod", Some("kube-system")).filter(|p| p.label("k8s-app") == Some("kube-proxy")).collect();
    assert_eq!(pods.len(), 4);
    for p in pods {
        assert_eq!(p.field("status.phase").and_then(Value::as_str), Some("Running"), "{}", p.name());
        assert_eq!(p.field("status.podIP"), p.field("status.hostIP"));
    }
}

#[test]
fn kube_system_pods_do_not_count_against_the_pod_limit() {
    let limits = crate::sim::Limits { max_pods: 1, ..crate::sim::Limits::default() };
    let mut sim = Sim::new(SimConfig { limits, ..SimConfig::default() });
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - {name: c, image: nginx}\n";
    assert!(sim.create(crate::manifest::parse(pod).unwrap().remove(0)).is_ok());
}

fn shell(sim: &mut Sim, line: &str) -> crate::shell::Output {
    crate::shell::Shell.run_line(sim, line)
}

fn with_client_and_web() -> Sim {
    let mut sim = running_cluster();
    shell(&mut sim, "kubectl create deployment web --image=nginx:1.27 --replicas=2");
    shell(&mut sim, "kubectl expose deployment web --port=80");
    shell(&mut sim, "kubectl run client --image=busybox:1.36 --restart=Never -- sleep 3600");
    sim.advance(Duration::from_secs(30));
    sim
}

#[test]
fn nslookup_times_out_when_coredns_is_scaled_to_zero_and_answers_again_after() {
    let mut sim = with_client_and_web();
    let ok = shell(&mut sim, "kubectl exec client -- nslookup web");
    assert!(ok.stdout.contains("Name:\tweb.default.svc.cluster.local\n"), "{}", ok.stdout);
    shell(&mut sim, "kubectl scale deployment coredns -n kube-system --replicas=0");
    sim.advance(Duration::from_secs(40));
    let out = shell(&mut sim, "kubectl exec client -- nslookup web");
    assert_eq!(out.stdout, ";; connection timed out; no servers could be reached\n\n");
    let out = shell(&mut sim, "kubectl exec client -- wget -qO- http://web");
    assert!(out.stderr.contains("wget: bad address 'web'"), "{}", out.stderr);
    shell(&mut sim, "kubectl scale deployment coredns -n kube-system --replicas=2");
    sim.advance(Duration::from_secs(40));
    let ok = shell(&mut sim, "kubectl exec client -- nslookup web");
    assert!(ok.stdout.contains("Name:\tweb.default.svc.cluster.local\n"), "{}", ok.stdout);
}

#[test]
fn service_traffic_from_a_node_fails_without_its_kube_proxy_pod() {
    let mut sim = with_client_and_web();
    let ip = shell(&mut sim, "kubectl get svc web -o jsonpath={.spec.clusterIP}").stdout;
    let ok = shell(&mut sim, &format!("kubectl exec client -- wget -qO- http://{ip}"));
    assert!(ok.stdout.contains("Welcome to nginx!"), "{ok:?}");
    let node = shell(&mut sim, "kubectl get pod client -o jsonpath={.spec.nodeName}").stdout;
    // The DaemonSet would put a new pod back at once: stop it from running here first.
    shell(&mut sim, &format!("kubectl label node {node} kubernetes.io/os=none --overwrite"));
    sim.advance(Duration::from_secs(40));
    let out = shell(&mut sim, &format!("kubectl exec client -- wget -qO- -T 1 http://{ip}"));
    assert!(out.stderr.contains("Connection timed out"), "{out:?}");
}

#[test]
fn without_the_scheduler_new_pods_stay_pending_with_no_events_until_it_returns() {
    let mut sim = running_cluster();
    assert!(shell(&mut sim, "sandbox control-plane stop scheduler").status == 0);
    assert!(sim.store().get("Pod", Some("kube-system"), "kube-scheduler-control-plane").is_none());
    shell(&mut sim, "kubectl run web --image=nginx");
    sim.advance(Duration::from_secs(60));
    let p = sim.store().get("Pod", Some("default"), "web").unwrap();
    assert!(p.field("spec.nodeName").is_none());
    let events = shell(&mut sim, "kubectl get events --field-selector involvedObject.name=web");
    assert_eq!(events.stdout, "", "{events:?}");
    shell(&mut sim, "sandbox control-plane start scheduler");
    sim.advance(Duration::from_secs(20));
    assert_eq!(phase(&sim, "kube-scheduler-control-plane"), "Running");
    let p = sim.store().get("Pod", Some("default"), "web").unwrap();
    assert_eq!(p.field("status.phase").and_then(Value::as_str), Some("Running"));
}

#[test]
fn without_the_controller_manager_a_deployment_makes_no_pods_until_it_returns() {
    let mut sim = running_cluster();
    shell(&mut sim, "sandbox control-plane stop controller-manager");
    shell(&mut sim, "kubectl create deployment web --image=nginx --replicas=2");
    sim.advance(Duration::from_secs(30));
    assert_eq!(sim.store().list("ReplicaSet", Some("default")).count(), 0);
    shell(&mut sim, "sandbox control-plane start controller-manager");
    sim.advance(Duration::from_secs(30));
    let d = sim.store().get("Deployment", Some("default"), "web").unwrap();
    assert_eq!(d.field("status.readyReplicas").and_then(Value::as_u64), Some(2));
}

#[test]
fn without_the_api_server_kubectl_is_refused() {
    let mut sim = running_cluster();
    shell(&mut sim, "sandbox control-plane stop apiserver");
    let out = shell(&mut sim, "kubectl get pods");
    assert_eq!(
        out.stderr,
        "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n"
    );
    assert_eq!(out.status, 1);
    assert_eq!(shell(&mut sim, "kubectl config current-context").status, 0);
    shell(&mut sim, "sandbox control-plane start apiserver");
    assert_eq!(shell(&mut sim, "kubectl get pods").status, 0);
}

#[test]
fn the_kubernetes_service_comes_back_when_deleted() {
    let mut sim = running_cluster();
    shell(&mut sim, "kubectl delete service kubernetes");
    assert!(sim.store().get("Service", Some("default"), "kubernetes").is_none());
    sim.advance(Duration::from_secs(10));
    let svc = sim.store().get("Service", Some("default"), "kubernetes").unwrap();
    assert_eq!(svc.field("spec.clusterIP").and_then(Value::as_str), Some("10.96.0.1"));
}

#[test]
fn cluster_info_names_the_control_plane_and_coredns() {
    let mut sim = running_cluster();
    assert_eq!(
        shell(&mut sim, "kubectl cluster-info").stdout,
        "Kubernetes control plane is running at https://127.0.0.1:6443\nCoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    );
}

#[test]
fn every_container_reads_the_clusters_resolver_in_etc_resolv_conf() {
    let mut sim = with_client_and_web();
    let out = shell(&mut sim, "kubectl exec client -- cat /etc/resolv.conf");
    assert_eq!(
        out.stdout,
        "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
    );
    let out = shell(&mut sim, "kubectl exec client -- cat /etc/hosts");
    assert!(out.stdout.starts_with("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"), "{out:?}");
}

#[test]
fn a_headless_service_resolves_to_every_ready_endpoint() {
    let mut sim = with_client_and_web();
    shell(&mut sim, "kubectl expose deployment web --name=web-headless --cluster-ip=None --port=80");
    sim.advance(Duration::from_secs(5));
    let out = shell(&mut sim, "kubectl exec client -- nslookup web-headless");
    assert_eq!(
        out.stdout.matches("Name:\tweb-headless.default.svc.cluster.local\nAddress: 10.244.").count(),
        2,
        "{out:?}"
    );
}

#[test]
fn an_external_name_service_is_answered_with_its_canonical_name() {
    let mut sim = with_client_and_web();
    shell(&mut sim, "kubectl create service externalname my-db --external-name db.example.com");
    let out = shell(&mut sim, "kubectl exec client -- nslookup my-db");
    let cname = "my-db.default.svc.cluster.local\tcanonical name = db.example.com\n\n";
    assert_eq!(out.stdout, format!("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n{cname}{cname}"), "{out:?}");
}

#[test]
fn a_deleted_mirror_pod_is_posted_again_by_its_kubelet() {
    let mut sim = running_cluster();
    let uid = sim.store().get("Pod", Some("kube-system"), "etcd-control-plane").unwrap().uid().to_string();
    shell(&mut sim, "kubectl delete pod etcd-control-plane -n kube-system");
    sim.advance(Duration::from_secs(60));
    let pod = sim.store().get("Pod", Some("kube-system"), "etcd-control-plane").expect("the mirror pod is back");
    assert_ne!(pod.uid(), uid);
    assert_eq!(phase(&sim, "etcd-control-plane"), "Running");
}

#[test]
fn control_plane_logs_carry_klog_timestamps_from_the_simulated_clock() {
    let mut sim = running_cluster();
    let out = shell(&mut sim, "kubectl logs -n kube-system kube-scheduler-control-plane");
    let first = out.stdout.lines().next().unwrap_or("");
    assert!(first.starts_with("I0101 00:00:"), "{out:?}");
    assert_eq!(first.as_bytes()[14], b'.', "{first}");
    assert!(first[21..].starts_with("       1 serving.go:386] Generated self-signed cert in-memory"), "{first}");
}

#[test]
fn a_new_cluster_shows_kube_system_running_and_ready_at_time_zero() {
    let mut sim = Sim::new(SimConfig::default());
    let out = shell(&mut sim, "kubectl get pods -n kube-system --no-headers");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 10, "{out:?}");
    for line in lines {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cols[1..], ["1/1", "Running", "0", "0s"], "{line}");
    }
    let d = sim.store().get("Deployment", Some("kube-system"), "coredns").unwrap().clone();
    sim.advance(Duration::from_secs(1));
    let d_later = sim.store().get("Deployment", Some("kube-system"), "coredns").unwrap();
    assert_eq!(d_later.field("status.readyReplicas").and_then(Value::as_u64), Some(2), "{d:?}");
}

#[test]
fn kube_system_start_up_events_are_recorded_once_each() {
    let sim = running_cluster();
    let mut seen = std::collections::BTreeMap::new();
    for ev in sim.store().list("Event", Some("kube-system")) {
        let text = |v: &Value| v.as_str().unwrap_or("").to_string();
        let key = (text(&ev.body["involvedObject"]["name"]), text(&ev.body["reason"]), text(&ev.body["message"]));
        *seen.entry(key).or_insert(0) += ev.body["count"].as_u64().unwrap_or(1);
    }
    let kubelet: Vec<_> =
        seen.iter().filter(|((_, r, _), _)| ["Pulled", "Created", "Started"].contains(&r.as_str())).collect();
    assert_eq!(kubelet.len(), 30, "{seen:?}");
    assert!(seen.values().all(|n| *n == 1), "{seen:?}");
    assert!(seen.keys().all(|(_, r, _)| r != "Unhealthy"), "{seen:?}");
}

#[test]
fn a_mirror_pod_is_pending_until_its_kubelet_reports() {
    let mut sim = running_cluster();
    let node = sim.store().get("Node", None, "control-plane").unwrap().clone();
    shell(&mut sim, "kubectl delete pod etcd-control-plane -n kube-system");
    let pod = super::control_plane::mirror_pod(&sim, &node, "etcd");
    sim.create(pod).unwrap();
    assert_eq!(phase(&sim, "etcd-control-plane"), "Pending");
    let out = shell(&mut sim, "kubectl describe pod -n kube-system etcd-control-plane");
    assert!(out.stdout.contains("\nStatus:               Pending\n"), "{out:?}");
}

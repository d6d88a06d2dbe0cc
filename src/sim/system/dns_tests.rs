//! `dig`, `host` and `getent` against the cluster's DNS, from a dnsutils pod.

use std::time::Duration;

use crate::sim::{Sim, SimConfig};

fn shell(sim: &mut Sim, line: &str) -> crate::shell::Output {
    crate::shell::Shell.run_line(sim, line)
}

/// A cluster with the `web` StatefulSet (2 pods) behind the headless `nginx` Service (port
/// `web`), a ClusterIP Service `front`, and a dnsutils pod.
fn cluster() -> Sim {
    let mut sim = Sim::new(SimConfig::default());
    sim.advance(Duration::from_secs(60));
    let manifest = r#"
apiVersion: v1
kind: Service
metadata: {name: nginx}
spec:
  clusterIP: None
  selector: {app: nginx}
  ports: [{name: web, port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: 2
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27", ports: [{containerPort: 80, name: web}]}]
"#;
    for o in crate::manifest::parse(manifest).unwrap() {
        assert!(sim.create(o).is_ok());
    }
    shell(&mut sim, "kubectl create deployment front --image=nginx:1.27");
    shell(&mut sim, "kubectl expose deployment front --port=80 --name=front");
    shell(&mut sim, "kubectl create service externalname my-db --external-name db.example.com");
    shell(
        &mut sim,
        "kubectl run dnsutils --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3 -- sleep infinity",
    );
    shell(&mut sim, "kubectl run bb --image=busybox:1.36 -- sleep infinity");
    sim.advance(Duration::from_secs(60));
    sim
}

#[test]
fn dig_prints_binds_layout_with_the_answer_section() {
    let mut sim = cluster();
    let out = shell(&mut sim, "kubectl exec dnsutils -- dig kubernetes.default.svc.cluster.local");
    let text = &out.stdout;
    assert!(
        text.starts_with("\n; <<>> DiG 9.9.5-9+deb8u19-Debian <<>> kubernetes.default.svc.cluster.local\n"),
        "{text}"
    );
    assert!(text.contains(";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: "), "{text}");
    assert!(text.contains(";; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n"), "{text}");
    assert!(text.contains(";; QUESTION SECTION:\n;kubernetes.default.svc.cluster.local.\tIN\tA\n"), "{text}");
    assert!(
        text.contains(";; ANSWER SECTION:\nkubernetes.default.svc.cluster.local.\t30\tIN\tA\t10.96.0.1\n"),
        "{text}"
    );
    assert!(text.contains(";; SERVER: 10.96.0.10#53(10.96.0.10)\n"), "{text}");
    assert!(text.contains(";; MSG SIZE  rcvd: 117\n"), "{text}");
    assert_eq!(out.status, 0);
}

#[test]
fn dig_sends_the_name_as_given_unless_told_to_search() {
    let mut sim = cluster();
    let out = shell(&mut sim, "kubectl exec dnsutils -- dig front");
    assert!(out.stdout.contains("status: NXDOMAIN"), "{}", out.stdout);
    let out = shell(&mut sim, "kubectl exec dnsutils -- dig +search +short front");
    assert!(out.stdout.starts_with("10.9"), "{out:?}");
    let out = shell(&mut sim, "kubectl exec dnsutils -- dig +short nosuch.default.svc.cluster.local");
    assert_eq!(out.stdout, "");
    let out = shell(&mut sim, "kubectl exec dnsutils -- dig nosuch.default.svc.cluster.local");
    assert!(
        out.stdout.contains(";; AUTHORITY SECTION:\ncluster.local.\t\t30\tIN\tSOA\tns.dns.cluster.local."),
        "{}",
        out.stdout
    );
}

#[test]
fn dig_answers_headless_services_statefulset_names_srv_and_ptr() {
    let mut sim = cluster();
    let all = shell(&mut sim, "kubectl exec dnsutils -- dig +short nginx.default.svc.cluster.local");
    assert_eq!(all.stdout.lines().count(), 2, "{all:?}");
    let web0 = shell(&mut sim, "kubectl exec dnsutils -- dig +short web-0.nginx.default.svc.cluster.local");
    assert_eq!(web0.stdout.lines().count(), 1, "{web0:?}");
    let ip = web0.stdout.trim().to_string();
    let srv = shell(&mut sim, "kubectl exec dnsutils -- dig +short SRV _web._tcp.nginx.default.svc.cluster.local");
    assert!(srv.stdout.contains("0 50 80 web-0.nginx.default.svc.cluster.local.\n"), "{srv:?}");
    assert!(srv.stdout.contains("0 50 80 web-1.nginx.default.svc.cluster.local.\n"), "{srv:?}");
    let full = shell(&mut sim, "kubectl exec dnsutils -- dig -t SRV _web._tcp.nginx.default.svc.cluster.local");
    assert!(full.stdout.contains(";; ADDITIONAL SECTION:\nweb-"), "{}", full.stdout);
    assert!(full.stdout.contains("web-0.nginx.default.svc.cluster.local.\t30\tIN\tA\t10.244."), "{}", full.stdout);
    let ptr = shell(&mut sim, &format!("kubectl exec dnsutils -- dig +short -x {ip}"));
    assert_eq!(ptr.stdout, "web-0.nginx.default.svc.cluster.local.\n");
    let ptr = shell(&mut sim, "kubectl exec dnsutils -- dig -x 10.96.0.1 +short");
    assert_eq!(ptr.stdout, "kubernetes.default.svc.cluster.local.\n");
    let cname = shell(&mut sim, "kubectl exec dnsutils -- dig +short my-db.default.svc.cluster.local");
    assert_eq!(cname.stdout, "db.example.com.\n");
    let outside = shell(&mut sim, "kubectl exec dnsutils -- dig @8.8.8.8 +short kubernetes.default.svc.cluster.local");
    assert!(outside.stdout.contains("connection timed out"), "{outside:?}");
}

#[test]
fn host_and_getent_go_through_the_search_list() {
    let mut sim = cluster();
    let out = shell(&mut sim, "kubectl exec dnsutils -- host kubernetes");
    assert_eq!(out.stdout, "kubernetes.default.svc.cluster.local has address 10.96.0.1\n");
    let out = shell(&mut sim, "kubectl exec dnsutils -- host nosuch");
    assert_eq!((out.stdout.as_str(), out.status), ("Host nosuch not found: 3(NXDOMAIN)\n", 1));
    let out = shell(&mut sim, "kubectl exec dnsutils -- host my-db");
    assert_eq!(out.stdout, "my-db.default.svc.cluster.local is an alias for db.example.com.\n");
    let out = shell(&mut sim, "kubectl exec dnsutils -- host 10.96.0.1");
    assert_eq!(out.stdout, "1.0.96.10.in-addr.arpa domain name pointer kubernetes.default.svc.cluster.local.\n");
    let out = shell(&mut sim, "kubectl exec dnsutils -- host -t SRV _web._tcp.nginx");
    assert_eq!(out.stdout.matches(" has SRV record 0 50 80 web-").count(), 2, "{out:?}");
    let out = shell(&mut sim, "kubectl exec dnsutils -- getent hosts kubernetes");
    assert_eq!(out.stdout, "10.96.0.1       kubernetes.default.svc.cluster.local\n");
    let out = shell(&mut sim, "kubectl exec dnsutils -- getent ahosts kubernetes");
    assert!(
        out.stdout.starts_with("10.96.0.1       STREAM kubernetes.default.svc.cluster.local\n10.96.0.1       DGRAM"),
        "{out:?}"
    );
    let out = shell(&mut sim, "kubectl exec dnsutils -- getent hosts nosuch");
    assert_eq!((out.stdout.as_str(), out.status), ("", 2));
}

#[test]
fn busybox_has_no_dig_or_getent() {
    let mut sim = cluster();
    let out = shell(&mut sim, "kubectl exec bb -- dig kubernetes");
    assert_ne!(out.status, 0, "{out:?}");
    let out = shell(&mut sim, "kubectl exec bb -- getent hosts kubernetes");
    assert_ne!(out.status, 0, "{out:?}");
}

#[test]
fn without_coredns_lookups_time_out() {
    let mut sim = cluster();
    shell(&mut sim, "kubectl scale deployment coredns -n kube-system --replicas=0");
    sim.advance(Duration::from_secs(40));
    let out = shell(&mut sim, "kubectl exec dnsutils -- dig kubernetes.default.svc.cluster.local");
    assert!(
        out.stdout.ends_with(";; global options: +cmd\n;; connection timed out; no servers could be reached\n"),
        "{out:?}"
    );
    assert_eq!(out.status, 9);
    let out = shell(&mut sim, "kubectl exec dnsutils -- host kubernetes");
    assert_eq!(out.stdout, ";; connection timed out; no servers could be reached\n");
    let out = shell(&mut sim, "kubectl exec dnsutils -- nslookup kubernetes");
    assert!(out.stdout.contains("connection timed out"), "{out:?}");
}

use std::time::Duration;

use super::*;
use crate::manifest;
use crate::sim::system::ingress_nginx::{manifest as install, Provider, LATEST};
use crate::sim::SimConfig;

fn apply(sim: &mut Sim, yaml: &str) {
    for obj in manifest::parse(yaml).unwrap() {
        sim.create(obj).unwrap_or_else(|e| panic!("{}", e.message));
    }
}

/// A controller as ingress-nginx's static manifests start it, without a pod.
fn controller(without_class: bool) -> ControllerPod {
    ControllerPod {
        namespace: "ingress-nginx".into(),
        name: "c".into(),
        node: "node-1".into(),
        ip: "10.244.1.9".into(),
        ready: true,
        class: DEFAULT_CLASS.into(),
        controller_class: CONTROLLER_CLASS.into(),
        watch_without_class: without_class,
        publish_service: None,
        publish_address: None,
    }
}

const CLASS: &str = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\nspec:\n  controller: k8s.io/ingress-nginx\n";

fn ingress(name: &str, spec: &str) -> String {
    format!("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\nspec:\n  ingressClassName: nginx\n{spec}")
}

fn path(ty: &str, p: &str, svc: &str) -> String {
    format!("      - {{pathType: {ty}, path: '{p}', backend: {{service: {{name: {svc}, port: {{number: 80}}}}}}}}\n")
}

fn to(svc: &str) -> Route {
    Route::Service { namespace: "default".into(), name: svc.into(), port: json!(80) }
}

fn sim_with(yaml: &str) -> Sim {
    let mut sim = Sim::new(SimConfig::default());
    apply(&mut sim, CLASS);
    apply(&mut sim, yaml);
    sim
}

#[test]
fn exact_beats_prefix_and_prefix_matches_whole_path_elements() {
    let rules = format!(
        "  rules:\n  - host: shop.example\n    http:\n      paths:\n{}{}{}{}",
        path("Prefix", "/", "root"),
        path("Prefix", "/api/", "api"),
        path("Exact", "/api", "exact"),
        path("ImplementationSpecific", "/img", "img")
    );
    let sim = sim_with(&ingress("shop", &rules));
    let c = controller(false);
    let r = |host: &str, p: &str| route(sim.store(), &c, host, p, false);
    assert_eq!(r("shop.example", "/api"), to("exact"));
    assert_eq!(r("shop.example", "/api/v1?x=1"), to("api"));
    assert_eq!(r("shop.example", "/apiv1"), to("root"), "a Prefix matches path elements, not characters");
    assert_eq!(r("shop.example", "/imgs"), to("img"), "ImplementationSpecific is nginx's plain prefix");
    assert_eq!(r("SHOP.example:80", "/"), to("root"), "hosts match without case or port");
    assert_eq!(r("other.example", "/"), Route::NotFound);
}

#[test]
fn a_wildcard_host_matches_one_label_and_an_exact_host_wins() {
    let rules = format!(
        "  rules:\n  - host: '*.example.com'\n    http:\n      paths:\n{}  - host: www.example.com\n    http:\n      paths:\n{}",
        path("Prefix", "/", "wild"),
        path("Exact", "/only", "www")
    );
    let sim = sim_with(&ingress("w", &rules));
    let c = controller(false);
    let r = |host: &str, p: &str| route(sim.store(), &c, host, p, false);
    assert_eq!(r("foo.example.com", "/x"), to("wild"));
    assert_eq!(r("a.b.example.com", "/x"), Route::NotFound);
    assert_eq!(r("example.com", "/x"), Route::NotFound);
    assert_eq!(r("www.example.com", "/only"), to("www"));
    assert_eq!(r("www.example.com", "/x"), Route::NotFound, "the exact host's server has no such path");
}

#[test]
fn rules_without_a_host_and_the_default_backend_catch_everything_else() {
    let spec = format!(
        "  defaultBackend: {{service: {{name: fallback, port: {{number: 80}}}}}}\n  rules:\n  - http:\n      paths:\n{}",
        path("Prefix", "/app", "app")
    );
    let sim = sim_with(&ingress("catch", &spec));
    let c = controller(false);
    assert_eq!(route(sim.store(), &c, "anything", "/app/x", false), to("app"));
    assert_eq!(route(sim.store(), &c, "10.0.0.1", "/", false), to("fallback"));
}

#[test]
fn plain_http_to_a_tls_host_is_redirected() {
    let spec = format!(
        "  tls:\n  - hosts: [secure.example]\n    secretName: secure-tls\n  rules:\n  - host: secure.example\n    http:\n      paths:\n{}",
        path("Prefix", "/", "web")
    );
    let sim = sim_with(&ingress("tls", &spec));
    let c = controller(false);
    assert_eq!(route(sim.store(), &c, "secure.example", "/", false), Route::RedirectToHttps);
    assert_eq!(route(sim.store(), &c, "secure.example", "/", true), to("web"));
}

#[test]
fn the_controller_takes_only_ingresses_of_its_class() {
    let mut sim = sim_with("");
    let no_class = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: plain\nspec:\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n";
    let traefik = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: t\n  annotations: {kubernetes.io/ingress.class: traefik}\nspec:\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n";
    apply(&mut sim, no_class);
    apply(&mut sim, traefik);
    let get = |sim: &Sim, n: &str| sim.store().get("Ingress", Some("default"), n).unwrap().clone();
    assert!(!handles(sim.store(), &controller(false), &get(&sim, "plain")));
    assert!(handles(sim.store(), &controller(true), &get(&sim, "plain")), "--watch-ingress-without-class");
    assert!(!handles(sim.store(), &controller(true), &get(&sim, "t")));
}

#[test]
fn an_ingress_without_a_class_gets_the_default_ingress_class() {
    let mut sim = Sim::new(SimConfig::default());
    apply(
        &mut sim,
        &CLASS.replace(
            "metadata:\n",
            "metadata:\n  annotations: {ingressclass.kubernetes.io/is-default-class: 'true'}\n",
        ),
    );
    apply(&mut sim, "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: plain\nspec:\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n");
    let ing = sim.store().get("Ingress", Some("default"), "plain").unwrap();
    assert_eq!(ing.field("spec.ingressClassName").and_then(Value::as_str), Some("nginx"));
}

#[test]
fn the_cloud_install_publishes_the_load_balancers_address_once_the_controller_is_ready() {
    let mut sim = Sim::new(SimConfig::default());
    // The Ingress first: once the install's webhook is in place, it refuses Ingresses until the
    // controller serves it.
    apply(&mut sim, &ingress("web", &format!("  rules:\n  - http:\n      paths:\n{}", path("Prefix", "/", "web"))));
    apply(&mut sim, &install(Provider::Cloud, LATEST));
    let address = |sim: &Sim| {
        sim.store().get("Ingress", Some("default"), "web").unwrap().field("status.loadBalancer.ingress").cloned()
    };
    assert_eq!(address(&sim), None, "no controller runs yet");
    sim.advance(Duration::from_secs(60));
    assert_eq!(address(&sim), Some(json!([{"ip": "172.18.255.200"}])));
    let syncs = events::about(&sim, sim.store().get("Ingress", Some("default"), "web").unwrap().uid());
    assert!(syncs.iter().any(|e| e.body["reason"] == "Sync" && e.body["message"] == "Scheduled for sync"));
    // The controller gone, ingress-nginx clears what it published.
    let c = controllers(sim.store()).remove(0);
    let deploy = sim.store().get("Deployment", Some(&c.namespace), "ingress-nginx-controller").unwrap().clone();
    let mut scaled = deploy;
    scaled.body["spec"]["replicas"] = json!(0);
    scaled.metadata.resource_version = None;
    sim.store_update(scaled).unwrap();
    sim.advance(Duration::from_secs(400));
    assert_eq!(address(&sim), None);
}

#[test]
fn the_kind_install_waits_for_a_node_labelled_ingress_ready() {
    let mut sim = Sim::new(SimConfig::default());
    apply(&mut sim, &install(Provider::Kind, LATEST));
    sim.advance(Duration::from_secs(60));
    assert!(controllers(sim.store()).is_empty(), "no node carries ingress-ready=true");
}

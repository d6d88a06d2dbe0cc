//! The scenario's round trips, hostile input, replay determinism, export and link sizes.

use std::collections::BTreeMap;

use super::log::EventLog;
use super::replay::{digest, page_terminal, perform};
use super::*;
use crate::lessons::run::Taking;
use crate::shell::terminal::Terminal;
use crate::sim::cluster::NodeShape;

/// The page, as far as the cluster goes: it performs each action and records it.
struct Page {
    scenario: Scenario,
    sim: Sim,
    terminal: Terminal,
    lesson: Option<Taking>,
    log: EventLog,
}

impl Page {
    fn new(scenario: Scenario) -> Page {
        let sim = scenario.build().unwrap();
        let mut log = EventLog::default();
        log.collect(&sim);
        Page { scenario, sim, terminal: page_terminal(), lesson: None, log }
    }

    fn act(&mut self, step: Step) {
        perform(&step, &mut self.sim, &mut self.terminal, &mut self.lesson);
        if step == Step::Reset {
            self.log = EventLog::default();
        }
        self.log.collect(&self.sim);
        if let Step::Line(l) = &step {
            self.scenario.push_history(l);
        }
        self.scenario.record(step);
    }

    /// The clock running for `ms` of wall time at `speed`, ticking every 100 ms.
    fn run_clock(&mut self, ms: u64, speed: u64) {
        for _ in 0..ms / 100 {
            self.act(Step::Advance { ms: 100 * speed });
        }
    }
}

fn deployment(name: &str, image: &str, replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  labels:\n    app: {name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: {name}\n        image: {image}\n        ports:\n        - containerPort: 80\n        envFrom:\n        - configMapRef:\n            name: settings\n"
    )
}

const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 80\n";
const CONFIGMAP: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  GREETING: hello\n  MODE: production\n";

/// Three Deployments, a Service and a ConfigMap, applied from the editor, with time passing.
fn three_deployments() -> Page {
    let mut page = Page::new(Scenario::default());
    page.act(Step::Apply(CONFIGMAP.into()));
    page.act(Step::Apply(deployment("web", "nginx:1.27", 3)));
    page.act(Step::Apply(deployment("api", "httpd:2.4", 2)));
    page.act(Step::Apply(deployment("cache", "redis:7", 1)));
    page.act(Step::Apply(SERVICE.into()));
    page.act(Step::Speed(10.0));
    page.run_clock(3_000, 10);
    page.act(Step::Line("kubectl get pods".into()));
    page.act(Step::Settle);
    page.scenario.files.insert("web.yaml".into(), deployment("web", "nginx:1.27", 3));
    page.scenario.open_file = Some("web.yaml".into());
    page
}

fn full_scenario() -> Scenario {
    let mut shape = ClusterShape::with_workers(2);
    shape.nodes[1].labels.insert("disk".into(), "ssd".into());
    shape.nodes[2].taints.push(("gpu".into(), "true".into(), "NoSchedule".into()));
    let progress = Progress { lesson: "declarative-api".into(), step: 2, done: vec![0, 1], hints: 1 };
    Scenario {
        version: VERSION,
        seed: 42,
        shape,
        limits: Some(Limits { max_pods: 50, ..Limits::default() }),
        files: BTreeMap::from([("a.yaml".into(), "kind: Pod\n".into()), ("b.yaml".into(), "x: 1\n".into())]),
        open_file: Some("a.yaml".into()),
        steps: vec![
            Step::Line("kubectl get nodes".into()),
            Step::Apply(CONFIGMAP.into()),
            Step::Advance { ms: 1500 },
            Step::Settle,
            Step::Reset,
            Step::Speed(60.0),
            Step::Lesson { id: "declarative-api".into(), lang: "ko".into(), resume: Some(progress.clone()) },
            Step::LessonGoto(1),
            Step::LessonHint,
            Step::LessonClose,
        ],
        lesson: Some(progress.clone()),
        progress: BTreeMap::from([("declarative-api".into(), progress)]),
        clock: Clock { speed: 60.0, running: true },
        history: vec!["kubectl get nodes".into(), "ls".into()],
        settings: Settings {
            lang: "ko".into(),
            theme: "dark".into(),
            other: BTreeMap::from([("panel.events".into(), "collapsed".into())]),
        },
        check: Some(Check { now_ms: 1234, digest: 99 }),
    }
}

#[test]
fn every_field_round_trips_through_json_and_links() {
    let s = full_scenario();
    assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
    assert_eq!(Scenario::from_json(&s.to_json_pretty()).unwrap(), s);
    assert_eq!(decode(&s.to_link()).unwrap(), s);
    assert_eq!(decode(&format!("https://example.org/kube-sandbox/#{}", s.to_link())).unwrap(), s);
    assert_eq!(decode(&format!("#{}\n", s.to_link())).unwrap(), s);
    assert_eq!(decode(&Scenario::default().to_link()).unwrap(), Scenario::default());
}

#[test]
fn version_1_is_migrated() {
    let v1 = r#"{"version":1,"seed":9,"shape":{"nodes":[{"name":"cp","control_plane":true,"cpu_millis":2000,"memory_bytes":4294967296,"max_pods":110}]},"files":{"web.yaml":"kind: Pod\n"}}"#;
    let s = decode(v1).unwrap();
    assert_eq!(s.version, VERSION);
    assert_eq!(s.seed, 9);
    assert_eq!(s.shape.nodes[0].name, "cp");
    assert_eq!(s.files["web.yaml"], "kind: Pod\n");
    assert!(s.steps.is_empty());
    // And through the saved-state reader, as an older autosave would be.
    assert_eq!(restore(v1).unwrap().scenario, s);
}

#[test]
fn newer_unknown_truncated_and_garbage_are_told_apart() {
    let link = full_scenario().to_link();
    assert_eq!(decode(&link.replacen("v2.", "v3.", 1)), Err(ScenarioError::TooNew(3)));
    assert_eq!(decode(&link.replacen("v2.", "v99999999999.", 1)), Err(ScenarioError::TooNew(u32::MAX)));
    assert!(matches!(decode(&link.replacen("v2.", "v1.", 1)), Err(ScenarioError::UnknownVersion(_))));
    assert!(matches!(decode(&link.replacen("v2.", "v0.", 1)), Err(ScenarioError::UnknownVersion(_))));
    assert_eq!(decode(r#"{"version":3,"seed":1}"#), Err(ScenarioError::TooNew(3)));
    assert!(matches!(decode(r#"{"version":"two"}"#), Err(ScenarioError::UnknownVersion(_))));
    assert!(matches!(decode(r#"{"version":-1}"#), Err(ScenarioError::UnknownVersion(_))));
    assert!(matches!(decode(r#"{"seed":1}"#), Err(ScenarioError::Garbage(_))));
    assert!(matches!(decode(r#"{"version":2,"seed":"x"}"#), Err(ScenarioError::Garbage(_))));
    assert_eq!(decode(r#"{"version":2,"seed":1,"sha"#), Err(ScenarioError::Truncated));
    assert_eq!(decode(""), Err(ScenarioError::Truncated));
    assert_eq!(decode("https://example.org/#"), Err(ScenarioError::Truncated));
    assert_eq!(decode("v2"), Err(ScenarioError::Truncated));
    assert!(matches!(decode("<script>alert(1)</script>"), Err(ScenarioError::Garbage(_))));
    assert!(matches!(decode("v2.<img src=x onerror=alert(1)>"), Err(ScenarioError::Garbage(_))));
    assert!(matches!(decode("v2.AAAA"), Err(ScenarioError::Truncated | ScenarioError::Garbage(_))));
    // Every prefix of a link is refused, never mistaken for a smaller scenario, never a panic.
    for cut in 0..link.len() {
        let r = decode(&link[..cut]);
        assert!(r.is_err(), "prefix of {cut} characters was accepted");
    }
    for e in [ScenarioError::TooNew(3), ScenarioError::Truncated, ScenarioError::Garbage("x".into())] {
        assert!(e.to_string().contains("default cluster"), "{e}");
    }
}

#[test]
fn random_bytes_and_damaged_links_never_panic() {
    use rand_core::{Rng, SeedableRng};
    let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
    let link = three_deployments().scenario.to_link();
    for round in 0..2_000 {
        let len = (rng.next_u32() % 400) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next_u32() as u8).collect();
        if round % 2 == 0 {
            // A real link with a few characters changed.
            bytes = link.clone().into_bytes();
            for _ in 0..1 + rng.next_u32() % 4 {
                let i = 3 + (rng.next_u32() as usize) % (bytes.len() - 3);
                bytes[i] = b"ABCabc-_019"[(rng.next_u32() % 11) as usize];
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = decode(&text);
        let _ = decode(&format!("v2.{text}"));
        let _ = restore(&text);
    }
}

#[test]
fn oversized_input_and_zip_bombs_are_refused_before_use() {
    let huge = "A".repeat(codec::MAX_LINK_CHARS + 1);
    assert_eq!(decode(&format!("v2.{huge}")), Err(ScenarioError::TooLarge(codec::MAX_LINK_CHARS)));
    let huge_json = format!(r#"{{"version":2,"seed":1,"shape":{{"nodes":[]}},"history":["{}"]}}"#, "x".repeat(5 << 20));
    assert!(matches!(decode(&huge_json), Err(ScenarioError::TooLarge(_))));
    // 64 MiB of spaces inside a JSON string deflates to a small link; it must not unpack.
    let bomb = format!(r#"{{"version":2,"seed":1,"shape":{{"nodes":[]}},"files":{{"a":"{}"}}}}"#, " ".repeat(64 << 20));
    let packed = miniz_oxide::deflate::compress_to_vec(bomb.as_bytes(), 9);
    let link = format!("v2.{}", base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, packed));
    assert!(link.len() < codec::MAX_LINK_CHARS, "the bomb is small: {}", link.len());
    assert_eq!(decode(&link), Err(ScenarioError::TooLarge(codec::MAX_JSON_BYTES)));
    // Too much to replay.
    let mut s = Scenario {
        steps: vec![Step::Advance { ms: u64::MAX / 2 }, Step::Advance { ms: u64::MAX / 2 }],
        ..Scenario::default()
    };
    assert!(matches!(decode(&s.to_link()), Err(ScenarioError::Invalid(_))));
    // A week of the default cluster (four nodes) is within the budget; eight days are not.
    s.steps = vec![Step::Advance { ms: 7 * 86_400_000 }];
    assert!(s.fits());
    s.steps = vec![Step::Advance { ms: 8 * 86_400_000 }];
    assert!(!s.fits());
    assert!(matches!(decode(&s.to_link()), Err(ScenarioError::Invalid(_))));
    s.steps = vec![Step::Line("true".into()); MAX_STEPS + 1];
    assert!(matches!(decode(&s.to_link()), Err(ScenarioError::Invalid(_))));
    s.steps = vec![Step::Speed(f64::MAX)];
    assert!(matches!(decode(&s.to_link()), Err(ScenarioError::Invalid(_))));
    s.steps.clear();
    s.shape = ClusterShape::with_workers(500);
    assert!(matches!(decode(&s.to_link()), Err(ScenarioError::Invalid(_))));
}

#[test]
fn markup_in_names_and_files_is_data_and_round_trips_unchanged() {
    let evil = "<script>alert('x')</script><img src=x onerror=\"alert(1)\">&amp;\u{202e}\0 \"'`${}";
    let mut s = Scenario::default();
    s.files.insert(evil.into(), evil.into());
    s.open_file = Some(evil.into());
    s.history.push(evil.into());
    s.settings.theme = evil.into();
    s.settings.other.insert(evil.into(), evil.into());
    let tag = "<script>alert(1)</script>";
    s.steps.push(Step::Line(format!("kubectl create configmap x --from-literal=k='{tag}'")));
    s.steps.push(Step::Apply(format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"{evil}\"\n")));
    s.steps.push(Step::Lesson { id: evil.into(), lang: evil.into(), resume: None });
    let link = s.to_link();
    assert!(link.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)), "link text is URL-safe");
    let back = decode(&link).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.files[evil], evil);
    // Replaying it is harmless: the invalid name is refused by the API server, the unknown
    // lesson is reported, and the value with markup is stored as is.
    let r = replay(&back).unwrap();
    let cm = r.sim.store().get("ConfigMap", Some("default"), "x").unwrap();
    assert_eq!(cm.field("data.k").and_then(|v| v.as_str()), Some(tag));
    assert!(r.outputs.iter().any(|(i, o)| *i == 1 && o.status != 0), "the markup name is refused");
    assert!(r.problems.iter().any(|p| p.contains("lesson")), "{:?}", r.problems);
    // Node names with markup: the shape is refused when built, not a panic.
    let mut s = Scenario::default();
    s.shape.nodes.push(NodeShape::worker(evil, 1, 1));
    let s = decode(&s.to_link()).unwrap();
    assert!(matches!(replay(&s), Err(ScenarioError::Invalid(_))));
    let mut dup = Scenario::default();
    dup.shape.nodes.push(NodeShape::worker("node-1", 1, 1));
    assert!(matches!(replay(&dup), Err(ScenarioError::Invalid(_))));
}

#[test]
fn replay_rebuilds_the_same_cluster_and_event_log() {
    let page = three_deployments();
    let scenario = page.scenario.sealed(&page.sim);
    assert!(scenario.steps.len() < 15, "ticks coalesce: {:?}", scenario.steps.len());
    let r = replay(&decode(&scenario.to_link()).unwrap()).unwrap();
    assert_eq!(r.problems, Vec::<String>::new());
    assert_eq!(r.sim.now(), page.sim.now());
    assert_eq!(digest(&r.sim), digest(&page.sim));
    assert_eq!(r.log, page.log);
    assert!(
        r.log.lines.iter().any(|l| l.contains("\tScalingReplicaSet\tdefault/deployment/web\t")),
        "{}",
        r.log.text()
    );
    assert_eq!(r.sim.store().list("Pod", Some("default")).count(), 6);
    // Twice gives the same again; a different seed does not.
    assert_eq!(digest(&replay(&scenario).unwrap().sim), digest(&r.sim));
    let other = Scenario { seed: 2, check: None, ..scenario.clone() };
    assert_ne!(digest(&replay(&other).unwrap().sim), digest(&r.sim));
    // A recording that this build would replay differently is reported.
    let wrong = Scenario { check: Some(Check { now_ms: 1, digest: 2 }), ..scenario };
    assert_eq!(replay(&wrong).unwrap().problems.len(), 1);
}

#[test]
fn replay_continues_live_exactly_as_the_page_would() {
    let mut page = three_deployments();
    let mut r = replay(&page.scenario).unwrap();
    let mut live = EventLog::default();
    std::mem::swap(&mut live, &mut r.log);
    for step in [Step::Line("kubectl scale deployment api --replicas=4".into()), Step::Advance { ms: 30_000 }] {
        page.act(step.clone());
        perform(&step, &mut r.sim, &mut r.terminal, &mut r.lesson);
        live.collect(&r.sim);
    }
    assert_eq!(digest(&r.sim), digest(&page.sim));
    assert_eq!(live, page.log);
}

#[test]
fn lessons_resets_and_sandbox_commands_replay() {
    let mut page = Page::new(Scenario::default());
    page.act(Step::Line("sandbox node add --cpu 2 --memory 4Gi".into()));
    page.act(Step::Line("kubectl create deployment web --image=nginx --replicas=2".into()));
    page.run_clock(2_000, 5);
    page.act(Step::Reset);
    page.act(Step::Line("kubectl create configmap after-reset".into()));
    page.act(Step::Lesson { id: "declarative-api".into(), lang: "en".into(), resume: None });
    let show_me = page.lesson.as_ref().unwrap().current().unwrap().show_me.trim_end().to_string();
    page.act(Step::Line(show_me));
    page.act(Step::Settle);
    page.act(Step::LessonHint);
    page.act(Step::Line("sandbox reset; kubectl create configmap in-line".into()));
    page.act(Step::Line("clear".into()));
    page.run_clock(1_000, 1);
    let progress = page.lesson.as_ref().unwrap().progress.clone();
    page.scenario.lesson = Some(progress.clone());
    let r = replay(&decode(&page.scenario.to_link()).unwrap()).unwrap();
    assert_eq!(digest(&r.sim), digest(&page.sim));
    assert_eq!(r.log, page.log);
    assert_eq!(r.lesson.as_ref().map(|t| &t.progress), Some(&progress));
    assert_eq!(r.lesson.as_ref().map(|t| &t.log), page.lesson.as_ref().map(|t| &t.log));
    assert!(r.sim.store().get("ConfigMap", Some("default"), "in-line").is_some());
}

#[test]
fn ticks_and_one_long_advance_give_the_same_history() {
    let run = |tick_ms: u64| {
        let mut page = Page::new(Scenario::default());
        page.act(Step::Line(
            "kubectl create deployment web --image=nginx --replicas=5; sandbox node stop node-2".into(),
        ));
        for _ in 0..(400_000 / tick_ms) {
            page.act(Step::Advance { ms: tick_ms });
        }
        (digest(&page.sim), page.log)
    };
    let (a, log_a) = run(100);
    let (b, log_b) = run(400_000);
    assert_eq!(a, b);
    assert_eq!(log_a, log_b);
    assert!(log_a.lines.iter().any(|l| l.contains("TaintManagerEviction")), "{}", log_a.text());
}

#[test]
fn exported_yaml_recreates_the_same_objects_in_a_fresh_cluster() {
    let mut page = three_deployments();
    page.act(Step::Line(
        "kubectl create namespace shop; kubectl create secret generic pw -n shop --from-literal=p=s3cret".into(),
    ));
    page.act(Step::Line(
        "kubectl run lone --image=busybox -- sleep 3600; kubectl create job once --image=busybox -- echo hi".into(),
    ));
    page.act(Step::Line("kubectl scale deployment cache --replicas=2".into()));
    page.act(Step::Settle);
    let yaml = export::export_yaml(&page.sim);
    for gone in [
        "status:",
        "uid:",
        "resourceVersion",
        "creationTimestamp",
        "generation:",
        "last-applied-configuration",
        "kind: ReplicaSet",
        "kind: Event",
        "kind: Node",
        "kind: Lease",
        "kind: EndpointSlice",
        "kind: Endpoints",
        "kube-root-ca.crt",
        "ownerReferences",
        "clusterIP",
        "kube-api-access",
        "controller-uid",
        "nodeName",
        "name: kubernetes",
    ] {
        assert!(!yaml.contains(gone), "{gone} in\n{yaml}");
    }
    let kinds: Vec<String> = export::exported_objects(&page.sim)
        .iter()
        .map(|o| format!("{}/{}", o["kind"].as_str().unwrap(), o["metadata"]["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            "Namespace/shop",
            "Secret/pw",
            "ConfigMap/settings",
            "Service/web",
            "Pod/lone",
            "Deployment/api",
            "Deployment/cache",
            "Deployment/web",
            "Job/once"
        ]
    );
    // Applied to a fresh cluster, it makes the same objects (which export the same again).
    let mut fresh = Page::new(Scenario::default());
    fresh.act(Step::Apply(yaml.clone()));
    let out = fresh.terminal.run_line(&mut fresh.sim, &replay::apply_line(&yaml));
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    fresh.act(Step::Settle);
    assert_eq!(export::export_yaml(&fresh.sim), yaml);
    assert_eq!(fresh.sim.store().list("Pod", Some("default")).filter(|p| p.name().starts_with("cache-")).count(), 2);
    assert!(fresh.sim.store().get("Service", Some("default"), "web").unwrap().field("spec.clusterIP").is_some());
}

#[test]
fn share_links_are_small() {
    let page = three_deployments();
    let history = page.scenario.for_link(&page.sim, ShareMode::WithHistory).to_link();
    let manifests = page.scenario.for_link(&page.sim, ShareMode::ManifestsOnly).to_link();
    let fresh = Scenario::default().to_link();
    eprintln!(
        "link sizes (characters after #): default cluster {}, three Deployments + Service + ConfigMap with history {} (JSON {}), manifests only {} (JSON {})",
        fresh.len(),
        history.len(),
        page.scenario.for_link(&page.sim, ShareMode::WithHistory).to_json().len(),
        manifests.len(),
        page.scenario.for_link(&page.sim, ShareMode::ManifestsOnly).to_json().len(),
    );
    assert!(history.len() < 1_500, "{}", history.len());
    assert!(manifests.len() < 1_500, "{}", manifests.len());
    // Manifests only starts fresh and carries the objects in the editor.
    let m = decode(&manifests).unwrap();
    assert!(m.steps.is_empty() && m.check.is_none());
    assert_eq!(m.open_file.as_deref(), Some(export::EXPORT_FILE));
    assert!(m.files[export::EXPORT_FILE].contains("name: cache"));
    assert!(m.files.contains_key("web.yaml"));
}

#[test]
fn saved_state_round_trips_and_bad_ones_are_set_aside() {
    let mut page = three_deployments();
    page.scenario
        .progress
        .insert("welcome".into(), Progress { lesson: "welcome".into(), step: 1, done: vec![0], hints: 0 });
    page.scenario.settings.lang = "ko".into();
    let text = save(&page.scenario, &page.sim);
    let saved = restore(&text).unwrap();
    assert_eq!(saved.saved_at_ms, page.sim.now().as_millis());
    assert_eq!(saved.scenario, page.scenario.sealed(&page.sim));
    assert!(replay(&saved.scenario).unwrap().problems.is_empty());
    // The scenario as an object inside the envelope, too.
    let plain = format!(r#"{{"version":2,"saved_at_ms":5,"scenario":{}}}"#, page.scenario.to_json());
    assert_eq!(restore(&plain).unwrap().scenario, page.scenario);
    for (bad, want) in [
        (r#"{"foo": 1}"#.to_string(), "Garbage"),
        ("[1,2]".to_string(), "Garbage"),
        ("not json at all".to_string(), "Garbage"),
        (text[..text.len() / 2].to_string(), "Truncated"),
        (text.replacen(r#""version":2"#, r#""version":7"#, 1), "TooNew"),
        (r#"{"version":2,"saved_at_ms":5,"scenario":"v2.!!!"}"#.to_string(), "Garbage"),
    ] {
        let err = restore(&bad).unwrap_err();
        assert_eq!(err.raw, bad);
        assert!(format!("{:?}", err.error).starts_with(want), "{bad}: {:?}", err.error);
        assert!(err.to_string().starts_with("the saved sandbox could not be restored: "));
    }
}

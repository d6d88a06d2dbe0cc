//! Kubelet behaviour, driven through the API like a real cluster: pods created with
//! `spec.nodeName` (as the scheduler would bind them), then time advanced.

use std::time::Duration;

use serde_json::Value;

use crate::manifest;
use crate::sim::apiserver::Propagation;
use crate::sim::events;
use crate::sim::{Sim, SimConfig};

fn sim_with_pod(yaml: &str) -> Sim {
    let mut sim = Sim::new(SimConfig::default());
    sim.create(manifest::parse(yaml).unwrap().remove(0)).unwrap();
    sim
}

const WEB: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx:1.27\n";

fn pod(sim: &Sim) -> crate::sim::api::Object {
    sim.store().get("Pod", Some("default"), "web").expect("pod exists").clone()
}

fn state_of(sim: &Sim) -> Value {
    pod(sim).field("status.containerStatuses").and_then(|c| c[0].get("state").cloned()).unwrap_or(Value::Null)
}

fn reasons(sim: &Sim) -> Vec<String> {
    events::about(sim, pod(sim).uid()).iter().map(|e| e.body["reason"].as_str().unwrap().to_string()).collect()
}

#[test]
fn pod_goes_from_container_creating_to_running_and_ready() {
    let mut sim = sim_with_pod(WEB);
    sim.advance(Duration::from_millis(500));
    assert_eq!(state_of(&sim)["waiting"]["reason"], "ContainerCreating");
    assert_eq!(pod(&sim).field("status.phase"), Some(&Value::from("Pending")));
    sim.advance(Duration::from_secs(10));
    let p = pod(&sim);
    assert_eq!(p.field("status.phase"), Some(&Value::from("Running")));
    assert!(state_of(&sim)["running"]["startedAt"].is_string());
    let ready = p
        .field("status.conditions")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "Ready")
        .unwrap()
        .clone();
    assert_eq!(ready["status"], "True");
    assert_eq!(p.field("status.podIP"), Some(&Value::from("10.244.1.2")));
    assert_eq!(p.field("status.hostIP"), Some(&Value::from("172.18.0.3")));
    assert_eq!(p.field("status.qosClass"), Some(&Value::from("BestEffort")));
    assert_eq!(reasons(&sim), ["Pulling", "Pulled", "Created", "Started"]);
}

#[test]
fn second_pod_with_cached_image_skips_the_pull() {
    let mut sim = sim_with_pod(WEB);
    sim.advance(Duration::from_secs(10));
    sim.create(manifest::parse(&WEB.replace("name: web\nspec", "name: web2\nspec")).unwrap().remove(0)).unwrap();
    sim.advance(Duration::from_secs(2));
    let p = sim.store().get("Pod", Some("default"), "web2").unwrap();
    let msgs: Vec<String> =
        events::about(&sim, p.uid()).iter().map(|e| e.body["message"].as_str().unwrap().to_string()).collect();
    assert_eq!(msgs[0], "Container image \"nginx:1.27\" already present on machine");
}

#[test]
fn deleted_pod_stops_its_containers_and_goes() {
    let mut sim = sim_with_pod(WEB);
    sim.advance(Duration::from_secs(10));
    sim.delete("Pod", Some("default"), "web", Propagation::Background).unwrap();
    assert!(pod(&sim).metadata.deletion_timestamp.is_some(), "Terminating until the kubelet stops it");
    sim.advance(Duration::from_millis(100));
    assert!(sim.store().get("Pod", Some("default"), "web").is_none());
}

#[test]
fn pod_on_a_stopped_node_stays_terminating() {
    let mut sim = sim_with_pod(WEB);
    sim.advance(Duration::from_secs(10));
    sim.stop_kubelet("node-1");
    sim.delete("Pod", Some("default"), "web", Propagation::Background).unwrap();
    sim.advance(Duration::from_secs(120));
    assert!(pod(&sim).metadata.deletion_timestamp.is_some());
    // Its kubelet comes back, sees the deletion, stops the container and the pod goes.
    sim.start_kubelet("node-1");
    sim.advance(Duration::from_secs(40));
    assert!(sim.store().get("Pod", Some("default"), "web").is_none());
}

#[test]
fn missing_config_map_key_is_create_container_config_error_until_it_exists() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx:1.27\n    env:\n    - name: COLOR\n      valueFrom:\n        configMapKeyRef: {name: cfg, key: color}\n";
    let mut sim = sim_with_pod(yaml);
    sim.advance(Duration::from_secs(5));
    assert_eq!(state_of(&sim)["waiting"]["reason"], "CreateContainerConfigError");
    assert_eq!(state_of(&sim)["waiting"]["message"], "configmap \"cfg\" not found");
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  color: blue\n";
    sim.create(manifest::parse(cm).unwrap().remove(0)).unwrap();
    sim.advance(Duration::from_secs(15));
    assert!(state_of(&sim)["running"].is_object(), "{}", state_of(&sim));
    let run = sim.kubelets.pods.values().next().unwrap();
    assert_eq!(run.containers[0].env["COLOR"], "blue");
}

#[test]
fn missing_config_map_volume_is_failed_mount_and_container_creating() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx:1.27\n    volumeMounts:\n    - {name: config, mountPath: /etc/app}\n  volumes:\n  - name: config\n    configMap: {name: cfg}\n";
    let mut sim = sim_with_pod(yaml);
    sim.advance(Duration::from_secs(30));
    assert_eq!(state_of(&sim)["waiting"]["reason"], "ContainerCreating");
    let evs = events::about(&sim, pod(&sim).uid());
    let failed = evs.iter().find(|e| e.body["reason"] == "FailedMount").expect("a FailedMount event");
    assert_eq!(failed.body["message"], "MountVolume.SetUp failed for volume \"config\" : configmap \"cfg\" not found");
    assert!(failed.body["count"].as_i64().unwrap() > 1, "retried with back-off");
}

#[test]
fn readiness_probe_gates_ready_and_failures_are_unhealthy_events() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx:1.27\n    ports: [{containerPort: 80}]\n    readinessProbe:\n      httpGet: {port: 8080, path: /ready}\n      periodSeconds: 5\n";
    let mut sim = sim_with_pod(yaml);
    sim.advance(Duration::from_secs(30));
    let p = pod(&sim);
    let ready = p
        .field("status.conditions")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "Ready")
        .unwrap()
        .clone();
    assert_eq!(ready["status"], "False");
    assert_eq!(ready["reason"], "ContainersNotReady");
    assert_eq!(p.field("status.phase"), Some(&Value::from("Running")));
    let unhealthy: Vec<_> = events::about(&sim, p.uid())
        .into_iter()
        .filter(|e| e.body["reason"] == "Unhealthy")
        .map(|e| e.body["message"].clone())
        .collect();
    assert_eq!(
        unhealthy,
        [Value::from("Readiness probe failed: Get \"http://10.244.1.2:8080/ready\": dial tcp 10.244.1.2:8080: connect: connection refused")]
    );
}

#[test]
fn liveness_probe_failure_restarts_the_container() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx:1.27\n    livenessProbe:\n      exec: {command: [cat, /tmp/healthy]}\n      periodSeconds: 5\n      failureThreshold: 2\n";
    let mut sim = sim_with_pod(yaml);
    sim.advance(Duration::from_secs(20));
    let p = pod(&sim);
    let status = &p.field("status.containerStatuses").unwrap()[0];
    assert_eq!(status["restartCount"], 1, "{status}");
    let kills: Vec<_> = events::about(&sim, p.uid())
        .into_iter()
        .filter(|e| e.body["reason"] == "Killing")
        .map(|e| e.body["message"].clone())
        .collect();
    assert_eq!(kills, [Value::from("Container web failed liveness probe, will be restarted")]);
}

fn restart_count(sim: &Sim) -> u64 {
    pod(sim).field("status.containerStatuses").unwrap()[0]["restartCount"].as_u64().unwrap()
}

/// Kills the container and returns how long the kubelet waited before restarting it.
fn kill_and_time_restart(sim: &mut Sim) -> u64 {
    let key = crate::sim::store::ObjectKey { kind: "Pod".into(), namespace: "default".into(), name: "web".into() };
    let before = restart_count(sim);
    crate::sim::kubelet::kill_container(sim, &key, None, false).unwrap();
    let mut waited = 0;
    loop {
        sim.advance(Duration::from_millis(0));
        if restart_count(sim) > before {
            return waited;
        }
        sim.advance(Duration::from_secs(1));
        waited += 1;
        assert!(waited < 1000, "never restarted");
    }
}

#[test]
fn crash_loop_backoff_doubles_to_five_minutes() {
    let mut sim = sim_with_pod(WEB);
    sim.advance(Duration::from_secs(10));
    let waits: Vec<u64> = (0..8).map(|_| kill_and_time_restart(&mut sim)).collect();
    assert_eq!(waits, [0, 10, 20, 40, 80, 160, 300, 300]);
    // While it waits, the status says CrashLoopBackOff with upstream's message.
    let key = crate::sim::store::ObjectKey { kind: "Pod".into(), namespace: "default".into(), name: "web".into() };
    crate::sim::kubelet::kill_container(&mut sim, &key, None, false).unwrap();
    sim.advance(Duration::from_secs(1));
    let waiting = state_of(&sim)["waiting"].clone();
    assert_eq!(waiting["reason"], "CrashLoopBackOff");
    let msg = waiting["message"].as_str().unwrap();
    assert!(msg.starts_with("back-off 5m0s restarting failed container=web pod=web_default("), "{msg}");
    let backoffs = events::about(&sim, pod(&sim).uid()).into_iter().find(|e| e.body["reason"] == "BackOff").unwrap();
    assert!(backoffs.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Back-off restarting failed container web in pod web_default("));
}

#[test]
fn crash_loop_backoff_resets_after_ten_minutes_of_running() {
    let mut sim = sim_with_pod(WEB);
    sim.advance(Duration::from_secs(10));
    assert_eq!([kill_and_time_restart(&mut sim), kill_and_time_restart(&mut sim)], [0, 10]);
    sim.advance(Duration::from_secs(601));
    assert_eq!(kill_and_time_restart(&mut sim), 0);
}

#[test]
fn pre_stop_sleep_delays_sigterm_within_the_grace_period() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx:1.27\n    lifecycle:\n      preStop:\n        sleep: {seconds: 5}\n";
    let mut sim = sim_with_pod(yaml);
    sim.advance(Duration::from_secs(10));
    sim.delete("Pod", Some("default"), "web", Propagation::Background).unwrap();
    sim.advance(Duration::from_secs(4));
    assert!(sim.store().get("Pod", Some("default"), "web").is_some(), "still in its preStop hook");
    sim.advance(Duration::from_secs(2));
    assert!(sim.store().get("Pod", Some("default"), "web").is_none());
}

#[test]
fn process_ignoring_sigterm_is_killed_after_the_grace_period() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  terminationGracePeriodSeconds: 10\n  containers:\n  - name: web\n    image: busybox\n    command: [sleep, '3600']\n";
    let mut sim = sim_with_pod(yaml);
    sim.advance(Duration::from_secs(10));
    sim.delete("Pod", Some("default"), "web", Propagation::Background).unwrap();
    sim.advance(Duration::from_secs(9));
    assert!(sim.store().get("Pod", Some("default"), "web").is_some(), "sleep ignores SIGTERM");
    sim.advance(Duration::from_secs(2));
    assert!(sim.store().get("Pod", Some("default"), "web").is_none(), "SIGKILL at 10 s");
}

fn one_container(extra: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n{extra}")
}

#[test]
fn exit_one_crash_loops_with_error_then_crash_loop_back_off() {
    let mut sim = sim_with_pod(&one_container(
        "  containers:\n  - name: web\n    image: busybox:1.36\n    command: [sh, -c, 'echo starting; exit 1']\n",
    ));
    sim.advance(Duration::from_secs(5));
    let out = crate::shell::Shell.run_line(&mut sim, "kubectl get pods");
    assert!(out.stdout.contains("CrashLoopBackOff"), "{}", out.stdout);
    let status = pod(&sim).field("status.containerStatuses").unwrap()[0].clone();
    assert_eq!(status["lastState"]["terminated"]["exitCode"], 1);
    assert_eq!(status["lastState"]["terminated"]["reason"], "Error");
    let run = sim.kubelets.pods.values().next().unwrap();
    assert_eq!(run.containers[0].previous_logs.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>(), ["starting"]);
}

#[test]
fn run_once_pod_completes_and_succeeds() {
    let mut sim = sim_with_pod(&one_container("  restartPolicy: Never\n  containers:\n  - name: web\n    image: busybox:1.36\n    command: [sh, -c, 'echo done']\n"));
    sim.advance(Duration::from_secs(5));
    assert_eq!(pod(&sim).field("status.phase"), Some(&Value::from("Succeeded")));
    let out = crate::shell::Shell.run_line(&mut sim, "kubectl get pods");
    assert!(out.stdout.contains("web    0/1     Completed   0"), "{}", out.stdout);
}

#[test]
fn unknown_tag_is_err_image_pull_then_image_pull_back_off() {
    let mut sim = sim_with_pod(&one_container("  containers:\n  - name: web\n    image: nginx:doesnotexist\n"));
    sim.advance(Duration::from_secs(2));
    assert_eq!(state_of(&sim)["waiting"]["reason"], "ErrImagePull");
    sim.advance(Duration::from_secs(1));
    assert_eq!(state_of(&sim)["waiting"]["reason"], "ImagePullBackOff");
    let r = reasons(&sim);
    assert_eq!(&r[..4], ["Pulling", "Failed", "Failed", "BackOff"]);
}

#[test]
fn a_version_newer_than_any_release_fails_to_pull() {
    let mut sim = sim_with_pod(&one_container("  containers:\n  - name: web\n    image: nginx:1.99\n"));
    sim.advance(Duration::from_secs(2));
    assert_eq!(state_of(&sim)["waiting"]["reason"], "ErrImagePull");
}

fn exec_sh(sim: &mut Sim, pod: &str, script: &str) -> (String, String, i32) {
    let key = crate::sim::store::ObjectKey { kind: "Pod".into(), namespace: "default".into(), name: pod.into() };
    super::exec(sim, &key, None, &["sh".into(), "-c".into(), script.into()]).unwrap()
}

fn only_pod_of(sim: &Sim, prefix: &str) -> String {
    let names: Vec<String> = sim
        .store()
        .list("Pod", Some("default"))
        .filter(|p| p.name().starts_with(prefix) && p.metadata.deletion_timestamp.is_none())
        .map(|p| p.name().to_string())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    names[0].clone()
}

fn data_deployment(volume: &str) -> String {
    format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: db\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {{app: db}}\n  template:\n    metadata:\n      labels: {{app: db}}\n    spec:\n      containers:\n      - name: db\n        image: busybox\n        command: [sleep, '86400']\n        volumeMounts:\n        - {{name: data, mountPath: /data}}\n      volumes:\n      - name: data\n{volume}")
}

fn replace_pod_and_read(volume: &str, extra: &str) -> (String, String, i32) {
    let mut sim = Sim::new(SimConfig::default());
    for obj in manifest::parse(&format!("{extra}{}", data_deployment(volume))).unwrap() {
        sim.create(obj).unwrap();
    }
    sim.advance(Duration::from_secs(30));
    let first = only_pod_of(&sim, "db-");
    assert_eq!(exec_sh(&mut sim, &first, "echo hello > /data/f && cat /data/f").0, "hello\n");
    sim.delete("Pod", Some("default"), &first, Propagation::Background).unwrap();
    sim.advance(Duration::from_secs(60));
    let second = only_pod_of(&sim, "db-");
    assert_ne!(first, second);
    exec_sh(&mut sim, &second, "cat /data/f")
}

#[test]
fn data_in_a_claim_survives_the_pod_replacement() {
    let claim = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests: {storage: 1Gi}\n---\n";
    let (out, err, code) = replace_pod_and_read("        persistentVolumeClaim: {claimName: data}\n", claim);
    assert_eq!((out.as_str(), code), ("hello\n", 0), "{err}");
}

#[test]
fn empty_dir_data_goes_with_the_pod() {
    let (_, err, code) = replace_pod_and_read("        emptyDir: {}\n", "");
    assert_eq!((err.as_str(), code), ("cat: can't open '/data/f': No such file or directory\n", 1));
}

#[test]
fn containers_of_a_pod_share_an_empty_dir() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - name: writer\n    image: busybox\n    command: [sh, -c, 'while true; do date > /shared/now; sleep 5; done']\n    volumeMounts: [{name: s, mountPath: /shared}]\n  - name: reader\n    image: nginx:1.27\n    volumeMounts: [{name: s, mountPath: /usr/share/nginx/html}]\n  volumes:\n  - name: s\n    emptyDir: {}\n";
    let mut sim = sim_with_pod(yaml);
    sim.advance(Duration::from_secs(20));
    let key = crate::sim::store::ObjectKey { kind: "Pod".into(), namespace: "default".into(), name: "web".into() };
    let (out, _, code) =
        super::exec(&mut sim, &key, Some("reader"), &["cat".into(), "/usr/share/nginx/html/now".into()]).unwrap();
    assert_eq!(code, 0);
    assert!(out.contains("UTC"), "{out}");
}

#[test]
fn process_past_its_memory_limit_is_oom_killed() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - name: web\n    image: kiamol/ch12-memory-allocator\n    resources:\n      limits: {memory: 50Mi}\n";
    let mut sim = sim_with_pod(yaml);
    sim.advance(Duration::from_secs(120));
    let status = pod(&sim).field("status.containerStatuses").unwrap()[0].clone();
    assert_eq!(status["lastState"]["terminated"]["reason"], "OOMKilled", "{status}");
    assert_eq!(status["lastState"]["terminated"]["exitCode"], 137);
}

#[test]
fn missing_executable_is_a_start_error_with_exit_code_128() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  restartPolicy: Never\n  containers:\n  - name: web\n    image: busybox\n    command: [nosuchcommand]\n";
    let mut sim = sim_with_pod(yaml);
    sim.advance(Duration::from_secs(10));
    let status = pod(&sim).field("status.containerStatuses").unwrap()[0].clone();
    assert_eq!(status["state"]["terminated"]["reason"], "StartError", "{status}");
    assert_eq!(status["state"]["terminated"]["exitCode"], 128);
    let failed: Vec<String> = events::about(&sim, pod(&sim).uid())
        .iter()
        .filter(|e| e.body["reason"] == "Failed")
        .map(|e| e.body["message"].as_str().unwrap().to_string())
        .collect();
    assert!(failed[0].starts_with("Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"nosuchcommand\": executable file not found in $PATH"), "{failed:?}");
}

#[test]
fn exec_probe_runs_in_the_container_and_sees_its_files() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - name: web\n    image: busybox\n    command: [sh, -c, 'touch /tmp/healthy; sleep 30; rm /tmp/healthy; sleep 600']\n    livenessProbe:\n      exec:\n        command: [cat, /tmp/healthy]\n      initialDelaySeconds: 5\n      periodSeconds: 5\n";
    let mut sim = sim_with_pod(yaml);
    sim.advance(Duration::from_secs(30));
    assert!(!reasons(&sim).contains(&"Unhealthy".to_string()));
    sim.advance(Duration::from_secs(30));
    let unhealthy: Vec<String> = events::about(&sim, pod(&sim).uid())
        .iter()
        .filter(|e| e.body["reason"] == "Unhealthy")
        .map(|e| e.body["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(unhealthy[0], "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n");
    assert!(reasons(&sim).contains(&"Killing".to_string()), "restarted after three failures");
}

#[test]
fn http_probe_to_a_missing_page_fails_with_its_status_code() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx:1.27\n    readinessProbe:\n      httpGet: {port: 80, path: /healthz}\n";
    let mut sim = sim_with_pod(yaml);
    sim.advance(Duration::from_secs(30));
    let msgs: Vec<String> =
        events::about(&sim, pod(&sim).uid()).iter().map(|e| e.body["message"].as_str().unwrap().to_string()).collect();
    assert!(msgs.contains(&"Readiness probe failed: HTTP probe failed with statuscode: 404".to_string()), "{msgs:?}");
}

#[test]
fn failed_post_start_hook_kills_the_container_and_pre_stop_exec_runs() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - name: web\n    image: busybox\n    command: [sleep, '3600']\n    lifecycle:\n      postStart:\n        exec:\n          command: [cat, /missing]\n";
    let mut sim = sim_with_pod(yaml);
    sim.advance(Duration::from_secs(5));
    let evs = events::about(&sim, pod(&sim).uid());
    let failed = evs.iter().find(|e| e.body["reason"] == "FailedPostStartHook").expect("FailedPostStartHook");
    assert!(
        failed.body["message"]
            .as_str()
            .unwrap()
            .starts_with("Exec lifecycle hook ([\"cat\", \"/missing\"]) for Container \"web\" in Pod \"web_default("),
        "{}",
        failed.body["message"]
    );
    let status = pod(&sim).field("status.containerStatuses").unwrap()[0].clone();
    assert!(status["restartCount"].as_u64().unwrap() >= 1 || status["lastState"]["terminated"].is_object(), "{status}");
}

#[test]
fn config_map_volume_files_follow_the_config_map_within_a_minute_but_env_and_sub_path_do_not() {
    let mut sim = Sim::new(SimConfig::default());
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  color: blue\n  size: large\n";
    sim.create(manifest::parse(cm).unwrap().remove(0)).unwrap();
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {tier: a}\nspec:\n  nodeName: node-1\n  containers:\n  - name: web\n    image: busybox:1.36\n    command: [sleep, '86400']\n    env:\n    - name: COLOR\n      valueFrom:\n        configMapKeyRef: {name: cfg, key: color}\n    volumeMounts:\n    - {name: config, mountPath: /etc/app}\n    - {name: config, mountPath: /etc/color, subPath: color}\n    - {name: info, mountPath: /etc/info}\n  volumes:\n  - name: config\n    configMap: {name: cfg}\n  - name: info\n    downwardAPI:\n      items:\n      - {path: labels, fieldRef: {fieldPath: metadata.labels}}\n";
    sim.create(manifest::parse(yaml).unwrap().remove(0)).unwrap();
    sim.advance(Duration::from_secs(10));
    let read = |sim: &mut Sim| {
        exec_sh(
            sim,
            "web",
            "cat /etc/app/color; echo; ls /etc/app; cat /etc/color; echo; echo $COLOR; cat /etc/info/labels",
        )
        .0
    };
    assert_eq!(read(&mut sim), "blue\ncolor\nsize\nblue\nblue\ntier=\"a\"");
    let body = serde_json::json!({"data": {"color": "green", "size": null}});
    crate::sim::apiserver::patch(
        &mut sim,
        "ConfigMap",
        Some("default"),
        "cfg",
        crate::sim::apiserver::patch::PatchType::Merge,
        &body,
    )
    .unwrap();
    let body = serde_json::json!({"metadata": {"labels": {"tier": "b"}}});
    crate::sim::apiserver::patch(
        &mut sim,
        "Pod",
        Some("default"),
        "web",
        crate::sim::apiserver::patch::PatchType::Merge,
        &body,
    )
    .unwrap();
    sim.advance(Duration::from_secs(5));
    assert_eq!(read(&mut sim), "blue\ncolor\nsize\nblue\nblue\ntier=\"a\"", "not yet");
    sim.advance(Duration::from_secs(60));
    // The volume follows (a removed key's file goes); the subPath copy and the variable do not.
    assert_eq!(read(&mut sim), "green\ncolor\nblue\nblue\ntier=\"b\"");
}

fn init_state(sim: &Sim, i: usize) -> Value {
    pod(sim).field("status.initContainerStatuses").map(|c| c[i]["state"].clone()).unwrap_or(Value::Null)
}

#[test]
fn init_containers_run_one_at_a_time_in_order() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  initContainers:\n  - name: first\n    image: busybox:1.36\n    command: ['sh', '-c', 'sleep 20']\n  - name: second\n    image: busybox:1.36\n    command: ['sh', '-c', 'echo second done']\n  containers:\n  - name: web\n    image: nginx:1.27\n";
    let mut sim = sim_with_pod(yaml);
    sim.advance(Duration::from_secs(10));
    // The first is running; the second has not even been pulled, and its logs say why.
    assert!(init_state(&sim, 0)["running"].is_object(), "{}", init_state(&sim, 0));
    assert_eq!(init_state(&sim, 1)["waiting"]["reason"], "PodInitializing");
    assert_eq!(state_of(&sim)["waiting"]["reason"], "PodInitializing");
    let key = crate::sim::store::ObjectKey { kind: "Pod".into(), namespace: "default".into(), name: "web".into() };
    let err = crate::sim::kubelet::logs_timed(&sim, &key, Some("second"), false).unwrap_err();
    assert_eq!(err, "container \"second\" in pod \"web\" is waiting to start: PodInitializing");
    let initialized = |sim: &Sim| {
        pod(sim)
            .field("status.conditions")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["type"] == "Initialized")
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(initialized(&sim), "False");
    sim.advance(Duration::from_secs(30));
    assert_eq!(init_state(&sim, 0)["terminated"]["reason"], "Completed");
    assert_eq!(init_state(&sim, 1)["terminated"]["reason"], "Completed");
    assert_eq!(initialized(&sim), "True");
    assert!(state_of(&sim)["running"].is_object());
    // The second started only after the first had finished.
    let s = pod(&sim).field("status.initContainerStatuses").unwrap().clone();
    assert!(s[1]["state"]["terminated"]["startedAt"].as_str() >= s[0]["state"]["terminated"]["finishedAt"].as_str());
}

#[test]
fn logs_of_a_container_whose_image_cannot_be_pulled_say_so() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx:no-such-tag-at-all\n";
    let mut sim = sim_with_pod(yaml);
    let key = crate::sim::store::ObjectKey { kind: "Pod".into(), namespace: "default".into(), name: "web".into() };
    sim.advance(Duration::from_secs(60));
    let err = crate::sim::kubelet::logs_timed(&sim, &key, None, false).unwrap_err();
    assert_eq!(err, "container \"web\" in pod \"web\" is waiting to start: trying and failing to pull image");
}

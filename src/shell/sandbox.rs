//! `sandbox …`: what a real cluster has no kubectl verb for — the clock, nodes joining,
//! leaving and failing. The page's buttons and lessons use these same commands.

use std::collections::BTreeMap;

use super::Output;
use crate::sim::cluster::NodeShape;
use crate::sim::kubelet;
use crate::sim::quantity::Quantity;
use crate::sim::store::ObjectKey;
use crate::sim::system::{components, control_plane};
use crate::sim::Sim;

const USAGE: &str = "Usage:
  sandbox time                      print the simulated clock
  sandbox seed                      print the seed of this cluster
  sandbox speed [X]                 how many simulated seconds pass per real second (page clock)
  sandbox reset                     start again from the empty cluster
  sandbox node add [NAME] [--cpu N] [--memory Q] [--label k=v] [--taint k=v:Effect]
  sandbox node remove NAME          delete the node
  sandbox node stop NAME            stop the node's kubelet (the node goes NotReady)
  sandbox node start NAME           start the node's kubelet again
  sandbox control-plane              the control plane's components and whether they run
  sandbox control-plane stop COMPONENT   move its static pod manifest out of
                                    /etc/kubernetes/manifests (scheduler, controller-manager,
                                    apiserver, etcd): its kubelet stops it
  sandbox control-plane start COMPONENT  put the manifest back: it runs again
  sandbox kill POD [-c CONTAINER] [-n NAMESPACE]   the container's process dies
  sandbox oom POD [-c CONTAINER] [-n NAMESPACE]    the container passes its memory limit
";

/// Runs `sandbox ARGS…`.
pub fn run(sim: &mut Sim, args: &[String]) -> Output {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["time"] => Output::ok(format!("{} ({})\n", sim.now().elapsed_clock(), sim.now())),
        ["seed"] => Output::ok(format!("{}\n", sim.seed())),
        ["speed"] => Output::ok(format!("{}x\n", sim.speed)),
        ["speed", x] => match x.trim_end_matches('x').parse::<f64>() {
            Ok(v) if v.is_finite() && (0.1..=1000.0).contains(&v) => {
                sim.speed = v;
                Output::ok(format!("clock speed: {v}x\n"))
            }
            _ => Output::err(format!("sandbox: speed must be a number from 0.1 to 1000, not \"{x}\"\n"), 1),
        },
        ["reset"] => {
            sim.reset();
            Output::ok("sandbox reset: a fresh cluster\n")
        }
        ["node", "add", rest @ ..] => node_add(sim, rest),
        ["node", "remove", name] => match sim.remove_node(name) {
            Ok(()) => Output::ok(format!("node/{name} removed\n")),
            Err(e) => Output::err(format!("sandbox: {e}\n"), 1),
        },
        ["node", verb @ ("stop" | "start"), name] => {
            if sim.store().get("Node", None, name).is_none() {
                return Output::err(format!("sandbox: node \"{name}\" not found\n"), 1);
            }
            if *verb == "stop" {
                sim.stop_kubelet(name);
                Output::ok(format!("node/{name}: kubelet stopped\n"))
            } else {
                sim.start_kubelet(name);
                Output::ok(format!("node/{name}: kubelet started\n"))
            }
        }
        ["control-plane"] => {
            let mut text =
                String::from("COMPONENT                 MANIFEST                                          STATE\n");
            for (c, up) in components::states(sim) {
                let manifest =
                    if up { format!("{}/{c}.yaml", control_plane::MANIFESTS_DIR) } else { "(moved away)".to_string() };
                text.push_str(&format!("{c:<26}{manifest:<50}{}\n", if up { "running" } else { "stopped" }));
            }
            Output::ok(text)
        }
        ["control-plane", verb @ ("stop" | "start"), name] => {
            let Some(c) = components::component_named(name) else {
                return Output::err(
                    format!("sandbox: no control-plane component \"{name}\" (etcd, apiserver, controller-manager, scheduler)\n"),
                    1,
                );
            };
            let manifest = format!("{}/{c}.yaml", control_plane::MANIFESTS_DIR);
            if *verb == "stop" {
                if components::stop(sim, c) {
                    Output::ok(format!("{manifest} moved away: the kubelet stopped {c}\n"))
                } else {
                    Output::err(format!("sandbox: {c} is already stopped\n"), 1)
                }
            } else if components::start(sim, c) {
                Output::ok(format!("{manifest} is back: the kubelet started {c}\n"))
            } else {
                Output::err(format!("sandbox: {c} is already running\n"), 1)
            }
        }
        [verb @ ("kill" | "oom"), rest @ ..] => kill(sim, *verb == "oom", rest),
        ["help" | "--help" | "-h"] | [] => Output::ok(USAGE),
        _ => Output::err(format!("sandbox: unknown command \"{}\"\n{USAGE}", words.join(" ")), 1),
    }
}

fn kill(sim: &mut Sim, oom: bool, args: &[&str]) -> Output {
    let (mut pod, mut container, mut ns) = (None, None, "default".to_string());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "-c" | "--container" => container = it.next().map(|s| s.to_string()),
            "-n" | "--namespace" => ns = it.next().map_or(ns, |s| s.to_string()),
            p if pod.is_none() && !p.starts_with('-') => pod = Some(p.trim_start_matches("pod/").to_string()),
            other => return Output::err(format!("sandbox: unexpected argument \"{other}\"\n"), 1),
        }
    }
    let Some(pod) = pod else {
        return Output::err(format!("sandbox: which pod?\n{USAGE}"), 1);
    };
    let key = ObjectKey { kind: "Pod".into(), namespace: ns, name: pod.clone() };
    match kubelet::kill_container(sim, &key, container.as_deref(), oom) {
        Ok(c) if oom => Output::ok(format!("pod/{pod}: container {c} ran out of memory (OOMKilled)\n")),
        Ok(c) => Output::ok(format!("pod/{pod}: container {c} killed\n")),
        Err(e) => Output::err(format!("sandbox: {e}\n"), 1),
    }
}

fn node_add(sim: &mut Sim, args: &[&str]) -> Output {
    let taken = |n: &str| sim.store().get("Node", None, n).is_some();
    let mut name = None;
    let mut cpu = Quantity::from_units(4);
    let mut memory = Quantity::from_units(8 << 30);
    let mut labels = BTreeMap::new();
    let mut taints = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| it.next().copied().ok_or(format!("sandbox: {flag} needs a value\n"));
        let result: Result<(), String> = match *a {
            "--cpu" => value("--cpu")
                .and_then(|v| Quantity::parse(v).map(|q| cpu = q).map_err(|e| format!("sandbox: --cpu: {e}\n"))),
            "--memory" => value("--memory")
                .and_then(|v| Quantity::parse(v).map(|q| memory = q).map_err(|e| format!("sandbox: --memory: {e}\n"))),
            "--label" => value("--label").and_then(|v| match v.split_once('=') {
                Some((k, val)) => {
                    labels.insert(k.to_string(), val.to_string());
                    Ok(())
                }
                None => Err(format!("sandbox: --label wants key=value, got \"{v}\"\n")),
            }),
            "--taint" => value("--taint").and_then(|v| {
                let (kv, effect) =
                    v.rsplit_once(':').ok_or(format!("sandbox: --taint wants key[=value]:Effect, got \"{v}\"\n"))?;
                if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                    return Err(format!("sandbox: invalid taint effect: {effect}, unsupported taint effect\n"));
                }
                let (k, val) = kv.split_once('=').unwrap_or((kv, ""));
                taints.push((k.to_string(), val.to_string(), effect.to_string()));
                Ok(())
            }),
            flag if flag.starts_with('-') => Err(format!("sandbox: unknown flag {flag}\n")),
            n if name.is_none() => {
                name = Some(n.to_string());
                Ok(())
            }
            extra => Err(format!("sandbox: unexpected argument \"{extra}\"\n")),
        };
        if let Err(msg) = result {
            return Output::err(msg, 1);
        }
    }
    let name = name.unwrap_or_else(|| (1..).map(|i| format!("node-{i}")).find(|n| !taken(n)).expect("a free name"));
    if cpu.milli() <= 0 || memory.milli() <= 0 {
        return Output::err("sandbox: --cpu and --memory must be positive\n", 1);
    }
    let mut shape = NodeShape::worker(&name, 0, 0);
    shape.cpu_millis = cpu.milli().clamp(1, 1 << 40) as u64;
    shape.memory_bytes = memory.units_ceil().clamp(1, 1 << 60) as u64;
    shape.labels = labels;
    shape.taints = taints;
    match sim.add_node(&shape) {
        Ok(()) => Output::ok(format!("node/{name} added\n")),
        Err(e) => Output::err(format!("sandbox: {e}\n"), 1),
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    fn run(sim: &mut Sim, line: &str) -> crate::shell::Output {
        Shell.run_line(sim, line)
    }

    #[test]
    fn time_prints_the_simulated_clock() {
        let mut sim = Sim::new(SimConfig::default());
        sim.advance(std::time::Duration::from_secs(65));
        assert_eq!(run(&mut sim, "sandbox time").stdout, "00:01:05 (2025-01-01T00:01:05Z)\n");
    }

    #[test]
    fn node_add_picks_the_next_free_name_and_applies_labels_and_taints() {
        let mut sim = Sim::new(SimConfig::default());
        let out = run(&mut sim, "sandbox node add --cpu 2 --memory 4Gi --label disk=ssd --taint gpu=true:NoSchedule");
        assert_eq!(out.stdout, "node/node-4 added\n");
        let node = sim.store().get("Node", None, "node-4").unwrap();
        assert_eq!(node.label("disk"), Some("ssd"));
        assert_eq!(node.field("status.capacity.cpu"), Some(&serde_json::json!("2")));
        assert_eq!(node.field("status.capacity.memory"), Some(&serde_json::json!("4194304Ki")));
        assert_eq!(
            node.field("spec.taints"),
            Some(&serde_json::json!([{"key": "gpu", "value": "true", "effect": "NoSchedule"}]))
        );
    }

    #[test]
    fn node_stop_makes_it_not_ready_and_start_recovers() {
        let mut sim = Sim::new(SimConfig::default());
        run(&mut sim, "sandbox node stop node-2");
        run(&mut sim, "sleep 70");
        assert!(run(&mut sim, "kubectl get nodes").stdout.contains("node-2          NotReady"));
        run(&mut sim, "sandbox node start node-2");
        run(&mut sim, "sleep 1");
        assert!(run(&mut sim, "kubectl get nodes").stdout.contains("node-2          Ready"));
    }

    #[test]
    fn oom_and_kill_terminate_the_container_and_it_restarts() {
        let mut sim = Sim::new(SimConfig::default());
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - {name: web, image: nginx}\n";
        sim.create(crate::manifest::parse(pod).unwrap().remove(0)).unwrap();
        run(&mut sim, "sleep 10");
        assert_eq!(run(&mut sim, "sandbox oom web").stdout, "pod/web: container web ran out of memory (OOMKilled)\n");
        run(&mut sim, "sleep 1");
        let p = sim.store().get("Pod", Some("default"), "web").unwrap();
        let status = &p.field("status.containerStatuses").unwrap()[0];
        assert_eq!(status["lastState"]["terminated"]["reason"], "OOMKilled");
        assert_eq!(status["lastState"]["terminated"]["exitCode"], 137);
        assert_eq!(status["restartCount"], 1);
        assert_eq!(run(&mut sim, "sandbox kill nope").stderr, "sandbox: pods \"nope\" not found\n");
    }

    #[test]
    fn bad_arguments_are_clear_errors() {
        let mut sim = Sim::new(SimConfig::default());
        assert_eq!(run(&mut sim, "sandbox node stop nope").stderr, "sandbox: node \"nope\" not found\n");
        assert_eq!(run(&mut sim, "sandbox node add --cpu lots").status, 1);
        assert_eq!(run(&mut sim, "sandbox node add --taint a=b:Sometimes").status, 1);
        assert_eq!(run(&mut sim, "sandbox frobnicate").status, 1);
    }

    #[test]
    fn reset_starts_over_and_speed_is_kept_within_bounds() {
        let mut sim = Sim::new(SimConfig::default());
        run(&mut sim, "kubectl create namespace lab");
        run(&mut sim, "sleep 30");
        assert_eq!(run(&mut sim, "sandbox speed 10").stdout, "clock speed: 10x\n");
        assert_eq!(run(&mut sim, "sandbox speed 0").status, 1);
        run(&mut sim, "sandbox reset");
        assert!(sim.store().get("Namespace", None, "lab").is_none());
        assert_eq!(sim.now(), crate::sim::time::SimTime::ZERO);
        assert_eq!(run(&mut sim, "sandbox speed").stdout, "10x\n");
    }
}

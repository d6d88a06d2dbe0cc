//! `kubectl autoscale TYPE NAME --max=N [--min=N] [--cpu-percent=N|--cpu=…] [--memory=…]`:
//! an autoscaling/v2 HorizontalPodAutoscaler for a scalable workload.

use serde_json::{json, Value};

use super::create::{finish_with_verb, metadata, Mode};
use super::flags::{self, boolean, value, Spec};
use super::targets::{resolve, Query};
use crate::shell::Output;
use crate::sim::Sim;

const SPECS: &[Spec] = &[
    value("min"),
    value("max"),
    value("cpu-percent"),
    value("cpu"),
    value("memory"),
    value("name"),
    boolean("save-config"),
];

/// A `--cpu`/`--memory` target: `70%` is utilization, anything else an average value (bare
/// numbers in millicores or mebibytes).
fn target(text: &str, memory: bool) -> Result<Value, String> {
    if let Some(p) = text.strip_suffix('%') {
        let n: i64 = p.parse().map_err(|_| format!("error: invalid resource value: {text}\n"))?;
        return Ok(json!({"averageUtilization": n, "type": "Utilization"}));
    }
    let q = if text.chars().all(|c| c.is_ascii_digit()) {
        format!("{text}{}", if memory { "Mi" } else { "m" })
    } else {
        text.to_string()
    };
    crate::sim::quantity::Quantity::parse(&q).map_err(|_| format!("error: invalid resource value: {text}\n"))?;
    Ok(json!({"averageValue": q, "type": "AverageValue"}))
}

/// Runs `kubectl autoscale …`.
pub fn run(sim: &mut Sim, args: &[String], default_ns: &str) -> Output {
    let built = (|| -> Result<(Value, Mode), String> {
        let flags = flags::parse(args, SPECS, "kubectl autoscale")?;
        let mode = Mode::from_flags(&flags, default_ns)?;
        let (min, max, cpu_percent) = (flags.int("min", -1)?, flags.int("max", -1)?, flags.int("cpu-percent", -1)?);
        if max < 1 {
            return Err(format!("error: --max=MAXPODS is required and must be at least 1, max: {max}\n"));
        }
        if max < min {
            return Err(format!(
                "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {min}\n"
            ));
        }
        if cpu_percent > 0 && flags.has("cpu") {
            return Err("error: --cpu-percent and --cpu are mutually exclusive\n".into());
        }
        let objects = resolve(sim, &Query { words: &flags.args, selector: None, all: false }, &mode.namespace)?;
        let Some(obj) = objects.first() else { return Err("error: no objects passed to autoscale\n".into()) };
        if !matches!(obj.kind.as_str(), "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController") {
            return Err(format!(
                "error: cannot autoscale a {}: could not find scale subresource for {} in discovery information\n",
                obj.kind, obj.api_version
            ));
        }
        let name = flags.get("name").unwrap_or(obj.name());
        let mut metrics = Vec::new();
        if cpu_percent > 0 {
            metrics.push(json!({"type": "Resource", "resource": {"name": "cpu",
                "target": {"averageUtilization": cpu_percent, "type": "Utilization"}}}));
        }
        for (flag, memory) in [("cpu", false), ("memory", true)] {
            if let Some(t) = flags.get(flag) {
                metrics.push(json!({"type": "Resource", "resource": {"name": flag, "target": target(t, memory)?}}));
            }
        }
        let mut spec = json!({"maxReplicas": max,
            "scaleTargetRef": {"apiVersion": obj.api_version, "kind": obj.kind, "name": obj.name()}});
        if min > 0 {
            spec["minReplicas"] = json!(min);
        }
        if !metrics.is_empty() {
            spec["metrics"] = json!(metrics);
        }
        let mut hpa = json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": metadata(name, &mode, true), "spec": spec, "status": {"desiredReplicas": 0}});
        if flags.on("save-config") {
            super::create::save_config(&mut hpa);
        }
        Ok((hpa, mode))
    })();
    match built {
        Ok((hpa, mode)) => finish_with_verb(
            sim,
            hpa,
            &mode,
            "failed to create HorizontalPodAutoscaler using autoscaling/v2 API: {}",
            "autoscaled",
        ),
        Err(e) => Output::err(e, 1),
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn autoscale_creates_an_hpa_for_the_deployment() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create deployment web --image=nginx");
        let out = Shell.run_line(&mut sim, "kubectl autoscale deploy web --min=2 --max=5 --cpu-percent=80");
        assert_eq!(out.stdout, "horizontalpodautoscaler.autoscaling/web autoscaled\n", "{}", out.stderr);
        let hpa = sim.store().get("HorizontalPodAutoscaler", Some("default"), "web").unwrap().to_value();
        assert_eq!(hpa["spec"]["maxReplicas"], 5);
        assert_eq!(hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"], 80);
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl autoscale deploy web --min=3").stderr,
            "error: --max=MAXPODS is required and must be at least 1, max: -1\n"
        );
    }
}

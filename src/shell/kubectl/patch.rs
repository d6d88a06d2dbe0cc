//! `kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]`: the patch (JSON or YAML)
//! sent to the API server, reported as `deployment.apps/web patched` or `patched (no change)`.

use serde_json::Value;

use super::create::{print, DryRun, Mode};
use super::flags::{self, boolean, value, Spec};
use super::targets::{resolve, Query};
use crate::shell::Output;
use crate::sim::api::Object;
use crate::sim::apiserver::{self, patch::PatchType};
use crate::sim::Sim;

const SPECS: &[Spec] =
    &[value("patch").short('p'), value("patch-file"), value("type"), boolean("record"), value("subresource")];

/// Runs `kubectl patch …`.
pub fn run(sim: &mut Sim, io: &crate::shell::files::Io, args: &[String], default_ns: &str) -> Output {
    match patch(sim, io, args, default_ns) {
        Ok(o) => o,
        Err(e) => Output::err(e, 1),
    }
}

fn patch(sim: &mut Sim, io: &crate::shell::files::Io, args: &[String], default_ns: &str) -> Result<Output, String> {
    let flags = flags::parse(args, SPECS, "kubectl patch")?;
    let mode = Mode::from_flags(&flags, default_ns)?;
    let text = match (flags.get("patch"), flags.get("patch-file")) {
        (Some(_), Some(_)) => return Err("error: cannot specify --patch and --patch-file together\n".into()),
        (None, None) => {
            return Err("error: must specify --patch or --patch-file containing the contents of the patch\n".into())
        }
        (Some(p), None) => p.to_string(),
        (None, Some(f)) => io
            .read(f)
            .ok_or_else(|| format!("error: unable to read patch file: open {f}: no such file or directory\n"))?,
    };
    // `--subresource=status` patches what the object's status says (a node's capacity, as the
    // "Advertise Extended Resources for a Node" task does); the patch itself is the same.
    if let Some(sub) = flags.get("subresource").filter(|s| !matches!(*s, "status" | "scale")) {
        return Err(format!("error: invalid subresource value: \"{sub}\". Must be one of [status scale]\n"));
    }
    let ty = flags.get("type").unwrap_or("strategic");
    if !matches!(ty, "json" | "merge" | "strategic") {
        return Err(format!("error: --type must be one of [json merge strategic], not \"{ty}\"\n"));
    }
    let body: Value = serde_json::from_str(&text)
        .or_else(|_| serde_yaml_ng::from_str(&text))
        .map_err(|e| format!("error: unable to parse \"{text}\": {e}\n"))?;
    let q = Query { words: &flags.args, selector: None, all: false };
    let objects = resolve(sim, &q, &mode.namespace)?;
    let mut out = Output::default();
    for obj in objects {
        let before = obj.to_value();
        let ns = obj.namespace().map(str::to_string);
        let result = match (ty, mode.dry_run) {
            ("json", dry) => super::json_patch::apply(&before, &body)
                .map_err(|e| format!("The request is invalid: {e}\n"))
                .and_then(|v| {
                    if dry != DryRun::None {
                        return Ok(v);
                    }
                    let mut o = Object::from_value(v).map_err(|e| format!("The request is invalid: {e}\n"))?;
                    apiserver::check_patched_identity(&obj, &o).map_err(|e| server_error(&e))?;
                    if o.name().is_empty() {
                        o.metadata.name = obj.metadata.name.clone();
                    }
                    if o.namespace().is_none_or(str::is_empty) {
                        o.metadata.namespace = obj.metadata.namespace.clone();
                    }
                    o.metadata.resource_version = None;
                    sim.update(o).map(|o| o.to_value()).map_err(|e| server_error(&e))
                }),
            (t, DryRun::None) => {
                let t = if t == "merge" { PatchType::Merge } else { PatchType::Strategic };
                apiserver::patch(sim, &obj.kind, ns.as_deref(), obj.name(), t, &body)
                    .map(|o| o.to_value())
                    .map_err(|e| server_error(&e))
            }
            (t, _) => {
                let t = if t == "merge" { PatchType::Merge } else { PatchType::Strategic };
                apiserver::patch::apply(t, &before, &body).map_err(|e| format!("The request is invalid: {e}\n"))
            }
        };
        match result {
            Ok(after) => {
                let strip = |v: &Value| {
                    let mut v = v.clone();
                    if let Some(m) = v["metadata"].as_object_mut() {
                        m.remove("resourceVersion");
                        m.remove("generation");
                        m.remove("managedFields");
                    }
                    v
                };
                let word = if strip(&after) == strip(&before) { "patched (no change)" } else { "patched" };
                out.stdout.push_str(&print(&after, &mode, word));
            }
            Err(e) => {
                out.stderr.push_str(&e);
                out.status = 1;
            }
        }
    }
    Ok(out)
}

fn server_error(e: &apiserver::ApiError) -> String {
    format!("Error from server ({}): {}\n", e.reason.as_str(), e.message)
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn patch_strategic_merge_and_json_as_kubectl_reports() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create deployment web --image=nginx");
        let out = Shell.run_line(&mut sim, r#"kubectl patch deployment web -p '{"spec":{"replicas":2}}'"#);
        assert_eq!(out.stdout, "deployment.apps/web patched\n", "{}", out.stderr);
        let out = Shell.run_line(&mut sim, r#"kubectl patch deployment web -p '{"spec":{"replicas":2}}'"#);
        assert_eq!(out.stdout, "deployment.apps/web patched (no change)\n");
        let out =
            Shell.run_line(&mut sim, "kubectl patch deploy/web --type merge -p 'metadata: {labels: {tier: front}}'");
        assert_eq!(out.stdout, "deployment.apps/web patched\n", "{}", out.stderr);
        let out = Shell.run_line(
            &mut sim,
            r#"kubectl patch deploy web --type=json -p '[{"op":"replace","path":"/spec/replicas","value":4}]'"#,
        );
        assert_eq!(out.stdout, "deployment.apps/web patched\n", "{}", out.stderr);
        let d = sim.store().get("Deployment", Some("default"), "web").unwrap();
        assert_eq!(d.field("spec.replicas"), Some(&serde_json::json!(4)));
        assert_eq!(d.label("tier"), Some("front"));
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl patch deploy web").stderr,
            "error: must specify --patch or --patch-file containing the contents of the patch\n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl patch deploy web -p {} --type=xml").stderr,
            "error: --type must be one of [json merge strategic], not \"xml\"\n"
        );
    }
}

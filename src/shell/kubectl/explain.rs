//! `kubectl explain RESOURCE[.FIELD…] [--recursive] [--api-version=…]`: a kind's fields and
//! their types, read off the API types (`sim::api::schema`).

use super::explain_text;
use crate::shell::Output;
use crate::sim::api::discovery;
use crate::sim::api::schema::{is_struct, Explained};
use crate::sim::api::typed::{explainer_for, Explainer};

/// How deep `--recursive` goes (some schemas refer to themselves).
const MAX_DEPTH: usize = 12;

/// Runs `kubectl explain …`.
pub fn run(args: &[String]) -> Output {
    let mut target = None;
    let mut recursive = false;
    let mut api_version = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--recursive" | "--recursive=true" => recursive = true,
            "--api-version" => api_version = it.next().cloned(),
            a if a.starts_with("--api-version=") => api_version = Some(a["--api-version=".len()..].to_string()),
            a if a.starts_with("--output") || a.starts_with("-o") => {}
            a if a.starts_with('-') => {
                return Output::err(format!("error: unknown flag: {a}\nSee 'kubectl explain --help' for usage.\n"), 1)
            }
            a if target.is_none() => target = Some(a.to_string()),
            _ => return Output::err("error: We accept only this format: explain RESOURCE\n", 1),
        }
    }
    let Some(target) = target else {
        return Output::err("You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl explain -h' for help and examples\n", 1);
    };
    let mut parts = target.split('.');
    let ty = parts.next().unwrap_or("");
    let path: Vec<String> = parts.filter(|p| !p.is_empty()).map(str::to_string).collect();
    let Some(res) = discovery::lookup_name(ty) else {
        return Output::err(format!("error: the server doesn't have a resource type \"{ty}\"\n"), 1);
    };
    let version = api_version.unwrap_or_else(|| res.api_version.to_string());
    let Some(explainer) = explainer_for(&version, res.kind) else {
        return Output::err(format!("error: couldn't find resource for \"{}\"\n", res.api_version), 1);
    };
    let explained = match explainer(&path) {
        Ok(e) => e,
        Err(field) => return Output::err(format!("error: field \"{field}\" does not exist\n"), 1),
    };
    let mut out = format!("KIND:       {}\nVERSION:    {version}\n\n", res.kind);
    if let Some(last) = path.last() {
        out.push_str(&format!("FIELD: {last} <{}>\n\n", explained.ty));
    }
    out.push_str("DESCRIPTION:\n");
    match explain_text::summary(res.kind, &path) {
        Some(text) => out.push_str(&explain_text::wrapped(text, 4)),
        None => out.push_str("    <empty>\n"),
    }
    if explained.fields.is_empty() {
        return Output::ok(out);
    }
    out.push_str("    \nFIELDS:\n");
    fields(&mut out, explainer, res.kind, &path, &explained, recursive, 1);
    Output::ok(out)
}

fn fields(
    out: &mut String,
    explainer: Explainer,
    kind: &str,
    path: &[String],
    e: &Explained,
    recursive: bool,
    depth: usize,
) {
    for f in &e.fields {
        out.push_str(&format!("{}{}\t<{}>\n", "  ".repeat(depth), f.name, f.ty));
        if !recursive {
            // Each field's text under it, then a blank line, as kubectl lays them out.
            let mut sub = path.to_vec();
            sub.push(f.name.clone());
            if let Some(text) = explain_text::summary(kind, &sub) {
                out.push_str(&explain_text::wrapped(text, 4));
            }
            out.push('\n');
        }
        if recursive && is_struct(&f.ty) && depth < MAX_DEPTH {
            let mut sub = path.to_vec();
            sub.push(f.name.clone());
            if let Ok(inner) = explainer(&sub) {
                fields(out, explainer, kind, &sub, &inner, recursive, depth + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn explain_lists_fields_and_types_down_a_path() {
        let mut sim = Sim::new(SimConfig::default());
        let out = Shell.run_line(&mut sim, "kubectl explain deploy.spec.strategy");
        assert_eq!(
            out.stdout,
            "KIND:       Deployment\nVERSION:    apps/v1\n\nFIELD: strategy <DeploymentStrategy>\n\nDESCRIPTION:\n    How existing Pods are replaced by new ones when the template changes.\n    \nFIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    Parameters of a rolling update: how many Pods may be unavailable and how\n    many extra may be created while it runs.\n\n  type\t<string>\n    The kind of strategy: RollingUpdate (the default) replaces Pods a few at a\n    time; Recreate deletes all old Pods before creating new ones.\n\n"
        );
        let out = Shell.run_line(&mut sim, "kubectl explain pods.spec.contianers");
        assert_eq!(out.stderr, "error: field \"contianers\" does not exist\n");
        let out = Shell.run_line(&mut sim, "kubectl explain po.spec.containers.ports --recursive");
        assert!(out.stdout.contains("  containerPort\t<integer>\n"), "{}", out.stdout);
        let out = Shell.run_line(&mut sim, "kubectl explain pods");
        assert!(!out.stdout.contains("<empty>"), "{}", out.stdout);
        assert!(out.stdout.contains("DESCRIPTION:\n    A Pod is a group of one or more containers"), "{}", out.stdout);
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl explain gizmo").stderr,
            "error: the server doesn't have a resource type \"gizmo\"\n"
        );
    }
}

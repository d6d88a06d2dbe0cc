//! `kubectl api-resources`: the resource types the API server serves, built-in and from CRDs.

use super::table::render;
use crate::shell::Output;
use crate::sim::api::discovery::BUILT_IN;
use crate::sim::Sim;

/// Runs `kubectl api-resources [--namespaced=true|false] [--api-group=G] [--no-headers] [-o name]`.
pub fn run(sim: &Sim, args: &[String]) -> Output {
    let mut namespaced: Option<bool> = None;
    let mut group: Option<String> = None;
    let mut headers = true;
    let mut names_only = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--namespaced=true" | "--namespaced" => namespaced = Some(true),
            "--namespaced=false" => namespaced = Some(false),
            "--no-headers" | "--no-headers=true" => headers = false,
            "-o=name" | "--output=name" => names_only = true,
            "-o" | "--output" => match it.next().map(String::as_str) {
                Some("name") => names_only = true,
                Some("wide") => {}
                other => return Output::err(format!("error: --output {} is not available\n", other.unwrap_or("")), 1),
            },
            g if g.starts_with("--api-group=") => group = Some(g["--api-group=".len()..].to_string()),
            other => {
                return Output::err(
                    format!("error: unknown flag: {other}\nSee 'kubectl api-resources --help' for usage.\n"),
                    1,
                )
            }
        }
    }
    // (plural, short names, apiVersion, namespaced, kind)
    let mut rows: Vec<(String, String, String, bool, String)> = BUILT_IN
        .iter()
        .map(|r| {
            (r.plural.to_string(), r.short_names.join(","), r.api_version.to_string(), r.namespaced, r.kind.to_string())
        })
        .collect();
    for crd in sim.store().list("CustomResourceDefinition", None) {
        let spec = crd.body.get("spec").cloned().unwrap_or_default();
        let version =
            spec["versions"].as_array().into_iter().flatten().find(|v| v["storage"] == true || v["served"] == true);
        let Some(version) = version else { continue };
        let shorts: Vec<&str> =
            spec["names"]["shortNames"].as_array().into_iter().flatten().filter_map(|s| s.as_str()).collect();
        rows.push((
            spec["names"]["plural"].as_str().unwrap_or("").to_string(),
            shorts.join(","),
            format!("{}/{}", spec["group"].as_str().unwrap_or(""), version["name"].as_str().unwrap_or("")),
            spec["scope"] != "Cluster",
            spec["names"]["kind"].as_str().unwrap_or("").to_string(),
        ));
    }
    let group_of = |av: &str| av.rsplit_once('/').map_or(String::new(), |(g, _)| g.to_string());
    // kubectl sorts by group, core first, then by name.
    rows.sort_by(|a, b| (group_of(&a.2), &a.0).cmp(&(group_of(&b.2), &b.0)));
    rows.retain(|r| namespaced.is_none_or(|n| r.3 == n) && group.as_ref().is_none_or(|g| group_of(&r.2) == *g));
    if names_only {
        let text: String =
            rows.iter()
                .map(|r| {
                    if group_of(&r.2).is_empty() {
                        format!("{}\n", r.0)
                    } else {
                        format!("{}.{}\n", r.0, group_of(&r.2))
                    }
                })
                .collect();
        return Output::ok(text);
    }
    let mut table = Vec::new();
    if headers {
        table.push(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"].map(String::from).to_vec());
    }
    table.extend(rows.into_iter().map(|(p, s, av, ns, k)| vec![p, s, av, ns.to_string(), k]));
    Output::ok(render(&table))
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn lists_core_first_then_groups_with_kubectl_columns() {
        let mut sim = Sim::new(SimConfig::default());
        let out = Shell.run_line(&mut sim, "kubectl api-resources");
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(
            lines[0],
            "NAME                                SHORTNAMES   APIVERSION                        NAMESPACED   KIND"
        );
        assert!(lines[1].starts_with("bindings "));
        assert!(out.stdout.contains("\ndeployments                         deploy       apps/v1                           true         Deployment\n"));
        let ns = Shell.run_line(&mut sim, "kubectl api-resources --namespaced=false -o name");
        assert!(ns.stdout.starts_with("componentstatuses\nnamespaces\nnodes\npersistentvolumes\n"), "{}", ns.stdout);
    }

    #[test]
    fn installed_crd_appears() {
        let mut sim = Sim::new(SimConfig::default());
        let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: gadgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Gadget, plural: gadgets, singular: gadget, shortNames: [gd]}\n  versions:\n  - {name: v1, served: true, storage: true}\n";
        sim.create(crate::manifest::parse(crd).unwrap().remove(0)).unwrap();
        let out = Shell.run_line(&mut sim, "kubectl api-resources --api-group=example.com");
        assert!(out.stdout.contains("gadgets   gd           example.com/v1   true         Gadget"), "{}", out.stdout);
    }
}

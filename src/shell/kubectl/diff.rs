//! `kubectl diff -f FILE|-k DIR`: each object as it is live against what `apply` would make of
//! it (a server-side dry run), as the unified diff `diff -u -N` prints of kubectl's two
//! temporary directories. Exit status 0 when nothing would change, 1 when something would,
//! 2 when kubectl failed.

use serde_json::Value;

use super::apply::{apply_one, read_manifests};
use super::create::DryRun;
use super::{flags, yaml};
use crate::shell::files::Io;
use crate::shell::Output;
use crate::sim::api::discovery;
use crate::sim::process::diff;
use crate::sim::Sim;

/// Lines of context around each change, as `diff -u`.
const CONTEXT: usize = 3;

/// Runs `kubectl diff`.
// SIM: kubectl runs the program `KUBECTL_EXTERNAL_DIFF` names (default `diff -u -N`); the
// sandbox has only the default, and ignores the variable.
pub fn run(sim: &mut Sim, io: &Io, args: &[String], namespace: &str) -> Output {
    let specs = [
        flags::value("filename").short('f'),
        flags::boolean("recursive").short('R'),
        flags::boolean("server-side"),
        flags::boolean("force-conflicts"),
        flags::value("selector").short('l'),
        flags::boolean("prune"),
        flags::value("concurrency"),
    ];
    let f = match flags::parse(args, &specs, "kubectl diff") {
        Ok(f) => f,
        Err(e) => return Output::err(e, 1),
    };
    let files: Vec<String> = f.all("filename").iter().map(|s| s.to_string()).collect();
    if files.is_empty() {
        return Output::err("error: must specify one of -f and -k\n", 2);
    }
    let manifests = match read_manifests(io, &files, f.on("recursive")) {
        Ok(m) => m,
        Err(e) => return Output::err(e, 2),
    };
    // kubectl writes every object into one LIVE and one MERGED directory, then diffs the two.
    let mut pairs: Vec<(String, String, String)> = Vec::new();
    for (file, text) in manifests {
        let objects = match crate::manifest::parse(&text) {
            Ok(o) => o,
            Err(e) => return Output::err(format!("error: error parsing {file}: {e}\n"), 2),
        };
        for mut obj in objects {
            let resource = discovery::lookup_kind(&obj.api_version, &obj.kind);
            if resource.is_none() {
                return Output::err(
                    format!(
                        "error: resource mapping not found for name: \"{}\" namespace: \"{}\" from \"{file}\": no matches for kind \"{}\" in version \"{}\"\nensure CRDs are installed first\n",
                        obj.name(),
                        obj.namespace().unwrap_or(""),
                        obj.kind,
                        obj.api_version
                    ),
                    2,
                );
            }
            let namespaced = resource.is_none_or(|r| r.namespaced);
            if namespaced && obj.metadata.namespace.is_none() {
                obj.metadata.namespace = Some(namespace.to_string());
            }
            let ns = obj.namespace().unwrap_or("").to_string();
            let live = sim.store().get(&obj.kind, obj.namespace(), obj.name()).map(|o| o.to_value());
            let name = file_name(&obj.api_version, &obj.kind, &ns, obj.name());
            let merged = match apply_one(sim, obj.clone(), false, DryRun::Server) {
                Ok((_, merged)) => merged,
                Err(e) => return Output::err(super::apply::server_error(&e, "diffing", &file, &obj), 2),
            };
            let merged = bump_generation(live.as_ref(), merged);
            let show = |v: &Value| yaml::to_string(&strip(v));
            pairs.push((name, live.as_ref().map(show).unwrap_or_default(), show(&merged)));
        }
    }
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let (live_dir, merged_dir) = temp_dirs(sim);
    let stamp = diff::stamp(sim.now());
    let mut out = String::new();
    for (name, live, merged) in &pairs {
        let hunks = unified(live, merged);
        if hunks.is_empty() {
            continue;
        }
        let live_stamp = if live.is_empty() { diff::EPOCH_STAMP } else { stamp.as_str() };
        out.push_str(&format!("diff -u -N {live_dir}/{name} {merged_dir}/{name}\n"));
        out.push_str(&format!("--- {live_dir}/{name}\t{live_stamp}\n"));
        out.push_str(&format!("+++ {merged_dir}/{name}\t{stamp}\n"));
        out.push_str(&hunks);
    }
    let status = if out.is_empty() { 0 } else { 1 };
    Output { stdout: out, status, ..Output::default() }
}

/// The name kubectl gives an object's file: `group.version.Kind.namespace.name`.
fn file_name(api_version: &str, kind: &str, ns: &str, name: &str) -> String {
    match api_version.split_once('/') {
        Some((g, v)) => format!("{g}.{v}.{kind}.{ns}.{name}"),
        None => format!("{api_version}.{kind}.{ns}.{name}"),
    }
}

/// The object without `metadata.managedFields`, which kubectl leaves out of both sides.
fn strip(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(m) = v["metadata"].as_object_mut() {
        m.remove("managedFields");
    }
    v
}

/// The API server counts a spec change in `metadata.generation`; a dry run shows that too.
// SIM: the sandbox's dry run is answered without the API server's defaulting, so only the
// generation is added here.
fn bump_generation(live: Option<&Value>, mut merged: Value) -> Value {
    let Some(live) = live else { return merged };
    if live.get("spec") != merged.get("spec") {
        if let Some(g) = live["metadata"]["generation"].as_i64() {
            merged["metadata"]["generation"] = (g + 1).into();
        }
    }
    merged
}

/// `/tmp/LIVE-N` and `/tmp/MERGED-N`, as Go's `os.MkdirTemp` names them.
// SIM: the digits are random in kubectl; here they come from the simulated clock, so a script
// prints the same every run and the simulation's random numbers are left alone.
fn temp_dirs(sim: &Sim) -> (String, String) {
    let t = sim.now().as_millis();
    let a = t.wrapping_mul(2_654_435_761).wrapping_add(1_013_904_223) % 4_294_967_296;
    let b = a.wrapping_mul(1_103_515_245).wrapping_add(12_345) % 4_294_967_296;
    (format!("/tmp/LIVE-{a}"), format!("/tmp/MERGED-{b}"))
}

/// The hunks of `diff -u` between `a` and `b` (empty when they are the same), found as GNU
/// diff finds them: the sandbox's own `diff` ([`crate::sim::process::diff`]).
pub fn unified(a: &str, b: &str) -> String {
    diff::unified_hunks(a, b, CONTEXT)
}

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn hunks_as_diff_u_prints_them() {
        let a = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let b = "a\nb\nc\nD\ne\nf\ng\nh\n";
        // Checked against GNU diff 3.
        assert_eq!(unified(a, b), "@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n");
        assert_eq!(unified("", "x\ny\n"), "@@ -0,0 +1,2 @@\n+x\n+y\n");
        assert_eq!(unified("x\n", "x\n"), "");
        let long: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let changed = long.replace("\n2\n", "\nTWO\n").replace("\n18\n", "\nEIGHTEEN\n");
        assert_eq!(
            unified(&long, &changed),
            "@@ -1,5 +1,5 @@\n 1\n-2\n+TWO\n 3\n 4\n 5\n@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+EIGHTEEN\n 19\n 20\n"
        );
    }
}

#[cfg(test)]
mod terminal_tests {
    use crate::shell::terminal::Terminal;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn diff_shows_what_apply_would_change_and_exits_1() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        t.run_line(&mut sim, "kubectl create deployment web --image=nginx:1.26 --dry-run=client -o yaml > d.yaml");
        let new = t.run_line(&mut sim, "kubectl diff -f d.yaml");
        assert_eq!(new.status, 1);
        let first = new.stdout.lines().next().unwrap_or("");
        assert!(
            first.starts_with("diff -u -N /tmp/LIVE-") && first.ends_with("/apps.v1.Deployment.default.web"),
            "{}",
            new.stdout
        );
        assert!(new.stdout.contains("\t1970-01-01 00:00:00.000000000 +0000\n+++ /tmp/MERGED-"), "{}", new.stdout);
        assert!(new.stdout.contains("\n+kind: Deployment\n"), "{}", new.stdout);
        t.run_line(&mut sim, "kubectl apply -f d.yaml");
        let same = t.run_line(&mut sim, "kubectl diff -f d.yaml");
        assert_eq!((same.stdout.as_str(), same.status), ("", 0), "{}", same.stdout);
        t.run_line(&mut sim, "sed -i 's/nginx:1.26/nginx:1.27/' d.yaml");
        let changed = t.run_line(&mut sim, "kubectl diff -f d.yaml");
        assert_eq!(changed.status, 1);
        assert!(
            changed.stdout.contains("\n-      - image: nginx:1.26\n+      - image: nginx:1.27\n"),
            "{}",
            changed.stdout
        );
        assert!(changed.stdout.contains("\n-  generation: 1\n+  generation: 2\n"), "{}", changed.stdout);
        assert!(!changed.stdout.contains("managedFields"));
        // Nothing was changed by looking.
        let image =
            t.run_line(&mut sim, "kubectl get deploy web -o jsonpath={.spec.template.spec.containers[0].image}");
        assert_eq!(image.stdout, "nginx:1.26");
        assert_eq!(t.run_line(&mut sim, "kubectl diff -f missing.yaml").status, 2);
    }
}

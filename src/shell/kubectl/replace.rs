//! `kubectl replace -f FILE [--force]`: each object in the file replaces the one stored under
//! its name (a PUT: what the file leaves out is gone); `--force` deletes it first, waits until
//! it is gone, and creates it anew.

use std::time::Duration;

use super::apply::{read_manifests, reference};
use super::create::{DryRun, Mode};
use super::flags;
use crate::shell::files::Io;
use crate::shell::Output;
use crate::sim::api::discovery;
use crate::sim::apiserver::{self, ApiError, Propagation};
use crate::sim::Sim;

/// How long `--force` waits for the old object to go (kubectl's default `--timeout` is none; a
/// terminal line must end).
const FORCE_WAIT: Duration = Duration::from_secs(300);

fn error_text(e: &ApiError, file: &str) -> String {
    format!("Error from server ({}): error when replacing \"{file}\": {}\n", e.reason.as_str(), e.message)
}

/// Runs `kubectl replace …`.
pub fn run(sim: &mut Sim, io: &Io, args: &[String], namespace: &str) -> Output {
    let specs = [
        flags::value("filename").short('f'),
        flags::boolean("recursive").short('R'),
        flags::boolean("force"),
        flags::value("grace-period"),
        flags::boolean("save-config"),
        flags::boolean("wait"),
        flags::value("timeout"),
        flags::value("cascade"),
        flags::value("validate"),
    ];
    let f = match flags::parse(args, &specs, "kubectl replace") {
        Ok(f) => f,
        Err(e) => return Output::err(e, 1),
    };
    let mode = match Mode::from_flags(&f, namespace) {
        Ok(m) => m,
        Err(e) => return Output::err(e, 1),
    };
    let files: Vec<String> = f.all("filename").iter().map(|s| s.to_string()).collect();
    if files.is_empty() {
        return Output::err(
            "error: must specify --filename to replace\nSee 'kubectl replace -h' for help and examples\n",
            1,
        );
    }
    let force = f.on("force");
    let grace = match f.int("grace-period", -1) {
        Ok(g) => (g >= 0).then_some(g),
        Err(e) => return Output::err(e, 1),
    };
    let manifests = match read_manifests(io, &files, f.on("recursive")) {
        Ok(m) => m,
        Err(e) => return Output::err(e, 1),
    };
    let mut out = Output::default();
    for (file, text) in manifests {
        let objects = match crate::manifest::parse(&text) {
            Ok(o) => o,
            Err(e) => {
                out.stderr.push_str(&format!("error: error parsing {file}: {e}\n"));
                out.status = 1;
                continue;
            }
        };
        for mut obj in objects {
            let namespaced = discovery::lookup_kind(&obj.api_version, &obj.kind).is_none_or(|r| r.namespaced);
            if namespaced && obj.metadata.namespace.is_none() {
                obj.metadata.namespace = Some(mode.namespace.clone());
            }
            let ns = obj.namespace().map(str::to_string);
            let live = sim.store().get(&obj.kind, ns.as_deref(), obj.name()).cloned();
            let suffix = match mode.dry_run {
                DryRun::None => "",
                DryRun::Client => " (dry run)",
                DryRun::Server => " (server dry run)",
            };
            if mode.dry_run != DryRun::None {
                out.stdout.push_str(&format!("{} replaced{suffix}\n", reference(&obj)));
                continue;
            }
            let result = if force {
                if live.is_some() {
                    match apiserver::delete_with_grace(
                        sim,
                        &obj.kind,
                        ns.as_deref(),
                        obj.name(),
                        Propagation::Background,
                        grace,
                    ) {
                        Ok(gone) => {
                            let r = reference(&gone);
                            let (ty, n) = r.split_once('/').unwrap_or((&r, ""));
                            out.stdout.push_str(&format!("{ty} \"{n}\" deleted\n"));
                        }
                        Err(e) => {
                            out.stderr.push_str(&error_text(&e, &file));
                            out.status = 1;
                            continue;
                        }
                    }
                    let mut waited = Duration::ZERO;
                    while waited < FORCE_WAIT && sim.store().get(&obj.kind, ns.as_deref(), obj.name()).is_some() {
                        sim.advance(Duration::from_millis(500));
                        waited += Duration::from_millis(500);
                    }
                }
                obj.metadata.resource_version = None;
                sim.create(obj.clone())
            } else {
                match live {
                    None => Err(ApiError {
                        reason: crate::sim::apiserver::Reason::NotFound,
                        message: format!(
                            "{} \"{}\" not found",
                            discovery::preferred_for_kind(&obj.kind)
                                .map_or(obj.kind.to_ascii_lowercase(), super::targets::qualified_plural),
                            obj.name()
                        ),
                        hints: Vec::new(),
                    }),
                    Some(live) => {
                        // The status is the server's: a PUT of the object leaves it as it was.
                        match live.body.get("status") {
                            Some(s) => obj.body.insert("status".into(), s.clone()),
                            None => obj.body.remove("status"),
                        };
                        apiserver::update(sim, obj.clone())
                    }
                }
            };
            match result {
                Ok(done) => out.stdout.push_str(&format!("{} replaced\n", reference(&done))),
                Err(e) => {
                    out.stderr.push_str(&error_text(&e, &file));
                    out.status = 1;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::shell::terminal::Terminal;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn replace_puts_the_whole_object_and_force_recreates_it() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        let out = t.run_line(&mut sim, "kubectl replace -f cm.yaml");
        assert!(out.stderr.contains("cm.yaml"), "{}", out.stderr);
        t.run_line(&mut sim, "kubectl create configmap c --from-literal=a=1 --from-literal=b=2");
        t.run_line(&mut sim, "kubectl create configmap c --from-literal=a=9 --dry-run=client -o yaml > cm.yaml");
        let out = t.run_line(&mut sim, "kubectl replace -f cm.yaml");
        assert_eq!(out.stdout, "configmap/c replaced\n", "{}", out.stderr);
        let data = sim.store().get("ConfigMap", Some("default"), "c").unwrap().body["data"].clone();
        assert_eq!(data, serde_json::json!({"a": "9"}), "what the file leaves out is gone");
        let uid = sim.store().get("ConfigMap", Some("default"), "c").unwrap().uid().to_string();
        let out = t.run_line(&mut sim, "kubectl replace --force -f cm.yaml");
        assert_eq!(out.stdout, "configmap \"c\" deleted\nconfigmap/c replaced\n", "{}", out.stderr);
        assert_ne!(sim.store().get("ConfigMap", Some("default"), "c").unwrap().uid(), uid);
        t.run_line(&mut sim, "kubectl create configmap d --dry-run=client -o yaml > d.yaml");
        let out = t.run_line(&mut sim, "kubectl replace -f d.yaml");
        assert_eq!(
            out.stderr,
            "Error from server (NotFound): error when replacing \"d.yaml\": configmaps \"d\" not found\n"
        );
    }
}

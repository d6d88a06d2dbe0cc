//! `kubectl create TYPE NAME …`: the generators (deployment, service, configmap, secret, job,
//! cronjob, role, rolebinding, quota, priorityclass, poddisruptionbudget, ingress, namespace,
//! serviceaccount; and `token`, which asks the TokenRequest API). Each builds the object kubectl would build; [`finish`] then prints it
//! (`--dry-run=client -o yaml`) or sends it to the API server and prints `kind.group/name
//! created`. `create -f` is in `apply`.

mod data;
mod rbac;
mod service;
mod simple;
mod token;
mod workloads;

use serde_json::{json, Map, Value};

use super::flags::{self, Flags, Spec};
use super::yaml;
use crate::shell::Output;
use crate::sim::api::{discovery, Object};
use crate::sim::apiserver::ApiError;
use crate::sim::Sim;

/// How a mutating command runs: where, whether for real, and what it prints.
#[derive(Debug, Clone)]
pub struct Mode {
    pub namespace: String,
    /// `-n` was given: generators then write the namespace into the object.
    pub explicit_namespace: bool,
    pub dry_run: DryRun,
    /// `-o` value.
    pub output: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DryRun {
    None,
    Client,
    Server,
}

const OUTPUTS: &str =
    "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";

impl Mode {
    /// Reads `-n`, `--dry-run` and `-o` from `flags`; `default_ns` is the context's namespace.
    pub fn from_flags(flags: &Flags, default_ns: &str) -> Result<Mode, String> {
        let dry_run = match flags.get("dry-run") {
            None | Some("none") | Some("false") => DryRun::None,
            Some("client") | Some("true") => DryRun::Client,
            Some("server") => DryRun::Server,
            Some(other) => {
                return Err(format!(
                    "error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\".\n"
                ))
            }
        };
        let output = flags.get("output").map(str::to_string);
        if let Some(o) = &output {
            let template = o.split_once('=').is_some_and(|(f, _)| matches!(f, "go-template" | "template" | "jsonpath"));
            if !matches!(o.as_str(), "yaml" | "json" | "name") && !template {
                return Err(format!(
                    "error: unable to match a printer suitable for the output format \"{o}\", allowed formats are: {OUTPUTS}\n"
                ));
            }
        }
        Ok(Mode {
            namespace: flags.get("namespace").unwrap_or(default_ns).to_string(),
            explicit_namespace: flags.has("namespace"),
            dry_run,
            output,
        })
    }

    /// The namespace generators write into objects (only when `-n` was given, as kubectl).
    pub fn enforced(&self) -> Option<&str> {
        self.explicit_namespace.then_some(self.namespace.as_str())
    }
}

/// `--save-config`: the object's own JSON in the annotation `kubectl apply` reads, so a later
/// apply can tell which fields it owns.
// SIM: kubectl writes the JSON in Go field order; keys here are sorted, as `apply` writes them.
pub fn save_config(obj: &mut Value) {
    let text = format!("{obj}\n");
    obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] = json!(text);
}

/// `metadata` as a generator starts it: `creationTimestamp: null`, the name, the enforced namespace.
pub fn metadata(name: &str, mode: &Mode, namespaced: bool) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("creationTimestamp".into(), Value::Null);
    m.insert("name".into(), json!(name));
    if let (true, Some(ns)) = (namespaced, mode.enforced()) {
        m.insert("namespace".into(), json!(ns));
    }
    m
}

/// `kind.group/name` of an object given as JSON.
pub fn reference_of(v: &Value) -> String {
    let kind = v["kind"].as_str().unwrap_or("").to_ascii_lowercase();
    let group = v["apiVersion"].as_str().and_then(|a| a.rsplit_once('/')).map_or("", |(g, _)| g);
    let name = v["metadata"]["name"].as_str().unwrap_or("");
    if group.is_empty() {
        format!("{kind}/{name}")
    } else {
        format!("{kind}.{group}/{name}")
    }
}

/// Prints an object as `-o` asks, or `kind.group/name VERB` (with kubectl's dry-run suffix).
/// [`print`], or the object through `-o go-template=…|jsonpath=…` (a template's error on
/// standard error).
fn printed(v: &Value, mode: &Mode, verb: &str) -> Output {
    let Some((format, template)) = mode.output.as_deref().and_then(|o| o.split_once('=')) else {
        return Output::ok(print(v, mode, verb));
    };
    if format == "jsonpath" {
        return match super::get::jsonpath::Template::parse(template) {
            Ok(t) => Output::ok(t.execute(v)),
            Err(e) => Output::err(format!("error: error parsing jsonpath {template}, {e}\n"), 1),
        };
    }
    match super::get::gotemplate::print(template, v) {
        Ok(text) => Output::ok(text),
        Err((stdout, stderr)) => Output { stdout, stderr, status: 1, ..Output::default() },
    }
}

pub fn print(v: &Value, mode: &Mode, verb: &str) -> String {
    if mode.output.as_deref().is_some_and(|o| o.contains('=')) {
        // A template's error reads after what it printed (callers here have one stream).
        let out = printed(v, mode, verb);
        return out.stdout + &out.stderr;
    }
    match mode.output.as_deref() {
        Some("yaml") => yaml::to_string(v),
        Some("json") => super::go_order::json_text(v),
        Some(_) => format!("{}\n", reference_of(v)),
        None => {
            let suffix = match mode.dry_run {
                DryRun::None => "",
                DryRun::Client => " (dry run)",
                DryRun::Server => " (server dry run)",
            };
            format!("{} {verb}{suffix}\n", reference_of(v))
        }
    }
}

/// Removes what a generator writes only for printing: nulls, and `status`.
pub fn for_server(v: &Value) -> Value {
    fn strip(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                Value::Object(m.iter().filter(|(_, x)| !x.is_null()).map(|(k, x)| (k.clone(), strip(x))).collect())
            }
            Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    let mut out = strip(v);
    if let Some(m) = out.as_object_mut() {
        m.remove("status");
    }
    out
}

/// Sends a generated object to the API server, or only prints it under `--dry-run`.
/// `wrap` is how kubectl words a failed create for this generator ("failed to create
/// deployment: {}"); `{}` alone passes the server's error through.
pub fn finish(sim: &mut Sim, obj: Value, mode: &Mode, wrap: &str) -> Output {
    finish_with_verb(sim, obj, mode, wrap, "created")
}

/// [`finish`], printing `verb` (`exposed`) instead of `created`.
pub fn finish_with_verb(sim: &mut Sim, obj: Value, mode: &Mode, wrap: &str, verb: &str) -> Output {
    if mode.dry_run == DryRun::Client {
        return printed(&obj, mode, verb);
    }
    let mut value = for_server(&obj);
    let namespaced =
        discovery::lookup_kind(value["apiVersion"].as_str().unwrap_or(""), value["kind"].as_str().unwrap_or(""))
            .is_none_or(|r| r.namespaced);
    if namespaced {
        value["metadata"]["namespace"] = json!(mode.namespace);
    }
    let object = match Object::from_value(value) {
        Ok(o) => o,
        Err(e) => return Output::err(format!("error: {e}\n"), 1),
    };
    if mode.dry_run == DryRun::Server {
        // SIM: a server-side dry run here only prints the request; nothing is defaulted.
        return printed(&obj, mode, verb);
    }
    match sim.create(object) {
        Ok(created) => printed(&created.to_value(), mode, verb),
        Err(e) => Output::err(create_error(&e, wrap), 1),
    }
}

/// kubectl's wording of a refused create: most generators wrap the error as text
/// (`error: failed to create deployment: …`), a few pass the API status through
/// (`Error from server (AlreadyExists): …`).
pub fn create_error(e: &ApiError, wrap: &str) -> String {
    if wrap == "{}" {
        format!("Error from server ({}): {}\n", e.reason.as_str(), e.message)
    } else {
        format!("error: {}\n", wrap.replace("{}", &e.message))
    }
}

/// The one NAME a generator takes, or kubectl's usage error.
pub fn name_arg(flags: &Flags, command: &str) -> Result<String, String> {
    match flags.args.as_slice() {
        [name] => Ok(name.clone()),
        other => Err(format!(
            "error: exactly one NAME is required, got {}\nSee '{command} -h' for help and examples\n",
            other.len()
        )),
    }
}

/// `error: required flag(s) "x" not set`.
// SIM: kubectl 1.32 reports cobra's missing required flags through klog
// (`E1201 … run.go:72] "command failed" err="required flag(s) \"image\" not set"`), with a
// timestamp and pid; the sandbox prints the message in kubectl's usual `error: …` form.
pub fn required(flags: &Flags, names: &[&str]) -> Result<(), String> {
    let missing: Vec<String> = names.iter().filter(|n| !flags.has(n)).map(|n| format!("\"{n}\"")).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("error: required flag(s) {} not set\n", missing.join(", ")))
    }
}

/// Standard base64, as Secret data is written.
pub fn base64(bytes: &[u8]) -> String {
    crate::sim::base64::encode(bytes)
}

/// A generator: its flags, and how it builds the object (or kubectl's refusal).
struct Generator {
    specs: &'static [Spec],
    /// How kubectl words a failed create (see [`create_error`]).
    wrap: &'static str,
    build: fn(&Sim, &Flags, &str, &Mode) -> Result<Value, String>,
}

fn generator(kind: &str, sub: Option<&str>) -> Option<(&'static str, Generator)> {
    use Generator as G;
    Some(match (kind, sub) {
        ("deployment" | "deploy", _) => (
            "deployment",
            G { specs: workloads::DEPLOYMENT, wrap: "failed to create deployment: {}", build: workloads::deployment },
        ),
        ("job", _) => ("job", G { specs: workloads::JOB, wrap: "failed to create job: {}", build: workloads::job }),
        ("cronjob" | "cj", _) => (
            "cronjob",
            G { specs: workloads::CRONJOB, wrap: "failed to create cronjob: {}", build: workloads::cronjob },
        ),
        ("service" | "svc", Some(t @ ("clusterip" | "nodeport" | "loadbalancer" | "externalname"))) => (
            match t {
                "clusterip" => "service clusterip",
                "nodeport" => "service nodeport",
                "loadbalancer" => "service loadbalancer",
                _ => "service externalname",
            },
            G { specs: service::SPECS, wrap: "", build: service::build },
        ),
        ("configmap" | "cm", _) => {
            ("configmap", G { specs: data::CONFIGMAP, wrap: "failed to create configmap: {}", build: data::configmap })
        }
        ("secret", Some("generic")) => {
            ("secret generic", G { specs: data::SECRET, wrap: "failed to create secret {}", build: data::secret })
        }
        ("secret", Some("docker-registry")) => (
            "secret docker-registry",
            G { specs: data::DOCKER, wrap: "failed to create secret {}", build: data::docker_registry },
        ),
        ("secret", Some("tls")) => {
            ("secret tls", G { specs: data::TLS, wrap: "failed to create secret {}", build: data::tls })
        }
        ("namespace" | "ns", _) => ("namespace", G { specs: &[], wrap: "{}", build: simple::namespace }),
        ("serviceaccount" | "sa", _) => (
            "serviceaccount",
            G { specs: &[], wrap: "failed to create serviceaccount: {}", build: simple::serviceaccount },
        ),
        ("quota" | "resourcequota", _) => {
            ("quota", G { specs: simple::QUOTA, wrap: "failed to create quota: {}", build: simple::quota })
        }
        ("priorityclass" | "pc", _) => (
            "priorityclass",
            G { specs: simple::PRIORITY, wrap: "failed to create priorityclass: {}", build: simple::priorityclass },
        ),
        ("poddisruptionbudget" | "pdb", _) => (
            "poddisruptionbudget",
            G { specs: simple::PDB, wrap: "failed to create poddisruptionbudgets: {}", build: simple::pdb },
        ),
        ("ingress" | "ing", _) => {
            ("ingress", G { specs: simple::INGRESS, wrap: "failed to create ingress: {}", build: simple::ingress })
        }
        ("role", _) => ("role", G { specs: rbac::ROLE, wrap: "{}", build: rbac::role }),
        ("clusterrole", _) => ("clusterrole", G { specs: rbac::CLUSTER_ROLE, wrap: "{}", build: rbac::clusterrole }),
        ("rolebinding", _) => (
            "rolebinding",
            G { specs: rbac::BINDING, wrap: "failed to create rolebinding: {}", build: rbac::rolebinding },
        ),
        ("clusterrolebinding", _) => (
            "clusterrolebinding",
            G {
                specs: rbac::BINDING,
                wrap: "failed to create clusterrolebinding: {}",
                build: rbac::clusterrolebinding,
            },
        ),
        _ => return None,
    })
}

/// Whether `create ARGS…` names a generator (or a word kubectl reads as one); else it is `create -f`.
pub fn is_generator(args: &[String]) -> bool {
    args.first().is_some_and(|a| !a.starts_with('-'))
}

/// Runs `kubectl create GENERATOR …`.
pub fn run(sim: &mut Sim, io: &crate::shell::files::Io, args: &[String], default_ns: &str) -> Output {
    let kind = args[0].as_str();
    let sub = args.get(1).map(String::as_str);
    if kind == "token" {
        return token::run(sim, &args[1..], default_ns, io.tty);
    }
    let Some((name, g)) = generator(kind, sub) else {
        let subs = match kind {
            "secret" => "docker-registry, generic, tls",
            "service" | "svc" => "clusterip, externalname, loadbalancer, nodeport",
            _ => {
                return Output::err(
                    format!("error: Unexpected args: [{kind}]\nSee 'kubectl create -h' for help and examples\n"),
                    1,
                )
            }
        };
        let what = if kind == "secret" { "secret" } else { "service" };
        let words: Vec<&str> = args[1..].iter().map(String::as_str).filter(|a| !a.starts_with('-')).collect();
        if words.is_empty() {
            // SIM: kubectl prints the command's whole help here; the sandbox names the choices.
            return Output::err(format!("Create a {what} using a specified subcommand: {subs}.\n\nUsage:\n  kubectl create {what} [flags] [options]\n"), 1);
        }
        return Output::err(
            format!(
                "error: unknown command \"{}\"\nSee 'kubectl create {what} -h' for help and examples\n",
                words.join(" ")
            ),
            1,
        );
    };
    let skip = if name.contains(' ') { 2 } else { 1 };
    let command = format!("kubectl create {name}");
    let mut flags = match flags::parse(&args[skip..], g.specs, &command) {
        Ok(f) => f,
        Err(e) => return Output::err(e, 1),
    };
    (flags.files, flags.cwd) = (io.files.cloned(), io.cwd.to_string());
    let mode = match Mode::from_flags(&flags, default_ns) {
        Ok(m) => m,
        Err(e) => return Output::err(e, 1),
    };
    let mut obj = match (g.build)(sim, &flags, &command, &mode) {
        Ok(o) => o,
        Err(e) => return Output::err(e, 1),
    };
    if flags.on("save-config") {
        save_config(&mut obj);
    }
    let wrap = if g.wrap.is_empty() {
        format!("failed to create {} service: {{}}", obj["spec"]["type"].as_str().unwrap_or(""))
    } else {
        g.wrap.to_string()
    };
    let mut out = finish(sim, obj, &mode, &wrap);
    if matches!(name, "role" | "clusterrole") {
        out.warn_first(&rbac::verb_warnings(&flags));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::Shell;
    use crate::sim::SimConfig;

    #[test]
    fn base64_pads_as_the_standard_alphabet() {
        assert_eq!(base64(b"admin"), "YWRtaW4=");
        assert_eq!(base64(b"s3cr3t!"), "czNjcjN0IQ==");
        assert_eq!(base64(b"abc"), "YWJj");
    }

    #[test]
    fn create_deployment_creates_it_and_refuses_a_second_time() {
        let mut sim = Sim::new(SimConfig::default());
        let out = Shell.run_line(&mut sim, "kubectl create deployment web --image=nginx --replicas=2");
        assert_eq!(out.stdout, "deployment.apps/web created\n");
        Shell.run_line(&mut sim, "sleep 20");
        assert_eq!(sim.store().list("Pod", Some("default")).count(), 2);
        let out = Shell.run_line(&mut sim, "kubectl create deployment web --image=nginx");
        assert_eq!(out.stderr, "error: failed to create deployment: deployments.apps \"web\" already exists\n");
        assert_eq!(out.status, 1);
        let out = Shell.run_line(&mut sim, "kubectl create secret foo x");
        assert_eq!(
            out.stderr,
            "error: unknown command \"foo x\"\nSee 'kubectl create secret -h' for help and examples\n"
        );
        let out = Shell.run_line(&mut sim, "kubectl create foo");
        assert_eq!(out.stderr, "error: Unexpected args: [foo]\nSee 'kubectl create -h' for help and examples\n");
        let out = Shell.run_line(&mut sim, "kubectl create namespace default");
        assert_eq!(out.stderr, "Error from server (AlreadyExists): namespaces \"default\" already exists\n");
    }

    #[test]
    fn generators_refuse_missing_flags_and_names_as_kubectl() {
        let mut sim = Sim::new(SimConfig::default());
        let out = Shell.run_line(&mut sim, "kubectl create deployment web");
        assert_eq!(out.stderr, "error: required flag(s) \"image\" not set\n");
        let out = Shell.run_line(&mut sim, "kubectl create deployment --image=nginx");
        assert_eq!(
            out.stderr,
            "error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples\n"
        );
        let out = Shell.run_line(&mut sim, "kubectl create deployment w --image=a --image=b -- sleep 1");
        assert_eq!(out.stderr, "error: cannot specify multiple --image options and command\n");
        let out = Shell.run_line(&mut sim, "kubectl create cronjob c --image=busybox");
        assert_eq!(out.stderr, "error: required flag(s) \"schedule\" not set\n");
        assert_eq!(Shell.run_line(&mut sim, "kubectl create configmap x --dry-run=maybe").status, 1);
    }

    #[test]
    fn generated_objects_of_every_kind_are_accepted_by_the_api_server() {
        let mut sim = Sim::new(SimConfig::default());
        for line in [
            "kubectl create service clusterip web --tcp=80:8080",
            "kubectl create service nodeport np --tcp=80 --node-port=30080",
            "kubectl create configmap app --from-literal=a=b",
            "kubectl create secret generic s --from-literal=a=b",
            "kubectl create secret docker-registry reg --docker-username=u --docker-password=p",
            "kubectl create namespace shop",
            "kubectl create serviceaccount builder -n shop",
            "kubectl create job once --image=busybox -- echo hi",
            "kubectl create cronjob tick --image=busybox --schedule=*/5_*_*_*_*",
            "kubectl create role r --verb=get --resource=pods",
            "kubectl create clusterrole cr --verb=get --resource=nodes",
            "kubectl create rolebinding rb --role=r --user=alice",
            "kubectl create clusterrolebinding crb --clusterrole=cr --group=devs",
            "kubectl create quota q --hard=pods=10",
            "kubectl create priorityclass high --value=1000",
            "kubectl create pdb p --selector=app=web --min-available=1",
            "kubectl create ingress web --rule=example.com/=web:80",
        ] {
            let line = line.replace('_', " ");
            let line =
                if line.contains("--schedule") { line.replace("--schedule=", "--schedule='") + "'" } else { line };
            let out = Shell.run_line(&mut sim, &line);
            assert_eq!(out.status, 0, "{line}: {}", out.stderr);
            assert!(out.stdout.ends_with(" created\n"), "{line}: {}", out.stdout);
        }
        assert!(sim.store().get("ServiceAccount", Some("shop"), "builder").is_some());
    }

    #[test]
    fn save_config_lets_a_later_apply_see_the_fields() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create configmap app --from-literal=a=b --save-config");
        let cm = sim.store().get("ConfigMap", Some("default"), "app").unwrap();
        let last = &cm.metadata.annotations.as_ref().unwrap()["kubectl.kubernetes.io/last-applied-configuration"];
        assert!(last.contains("\"data\":{\"a\":\"b\"}"), "{last}");
    }

    #[test]
    fn job_from_a_cronjob_copies_its_template_and_is_owned_by_it() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create cronjob tick --image=busybox --schedule='0 * * * *' -- date");
        let out = Shell.run_line(&mut sim, "kubectl create job manual --from=cronjob/tick");
        assert_eq!(out.stdout, "job.batch/manual created\n", "{}", out.stderr);
        let job = sim.store().get("Job", Some("default"), "manual").unwrap();
        assert_eq!(job.metadata.annotations.as_ref().unwrap()["cronjob.kubernetes.io/instantiate"], "manual");
        assert_eq!(job.metadata.owner_references.as_ref().unwrap()[0].kind, "CronJob");
        assert_eq!(
            job.to_value().pointer("/spec/template/spec/containers/0/command/0"),
            Some(&serde_json::json!("date"))
        );
        let out = Shell.run_line(&mut sim, "kubectl create job x --from=deployment/web");
        assert_eq!(out.stderr, "error: unknown object type *v1.Deployment\n");
        let out =
            Shell.run_line(&mut sim, "kubectl create role r --verb=frob --resource=pods --dry-run=client -o name");
        assert_eq!(out.stderr, "Warning: 'frob' is not a standard resource verb\n");
    }
}

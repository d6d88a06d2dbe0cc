//! `kubectl create deployment|job|cronjob`.

use serde_json::{json, Value};

use super::super::flags::{boolean, value, Flags, Spec};
use super::{metadata, name_arg, required, Mode};
use crate::sim::Sim;

pub const DEPLOYMENT: &[Spec] = &[value("image"), value("port"), value("replicas").short('r'), boolean("save-config")];
pub const JOB: &[Spec] = &[value("image"), value("from"), boolean("save-config")];
pub const CRONJOB: &[Spec] = &[value("image"), value("schedule"), value("restart"), boolean("save-config")];

/// A container name from an image: its last path part without tag or digest; `_` and `.`
/// are not allowed in names, so kubectl replaces them and adds a random suffix.
fn container_name(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let name = last.split(':').next().unwrap_or(last).split('@').next().unwrap_or(last);
    if name.contains(['_', '.']) {
        // SIM: kubectl appends five random characters; a fixed suffix keeps runs reproducible.
        format!("{}-x7k2p", name.replace(['_', '.'], "-"))
    } else {
        name.to_string()
    }
}

/// Runs `kubectl create deployment NAME --image=…`.
pub fn deployment(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    required(flags, &["image"])?;
    let images = flags.all("image");
    let cmd = &flags.after_dash;
    if images.len() > 1 && !cmd.is_empty() {
        return Err("error: cannot specify multiple --image options and command\n".into());
    }
    let replicas = flags.int("replicas", 1)?;
    let port = flags.int("port", -1)?;
    let mut containers: Vec<Value> = images
        .iter()
        .map(|image| {
            let mut c = json!({"image": image, "name": container_name(image), "resources": {}});
            if !cmd.is_empty() {
                c["command"] = json!(cmd);
            }
            c
        })
        .collect();
    if port >= 0 {
        containers[0]["ports"] = json!([{"containerPort": port}]);
    }
    let mut meta = metadata(&name, mode, true);
    meta.insert("labels".into(), json!({"app": name}));
    Ok(json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "strategy": {},
            "template": {
                "metadata": {"creationTimestamp": null, "labels": {"app": name}},
                "spec": {"containers": containers},
            },
        },
        "status": {},
    }))
}

fn job_from_image(name: &str, image: &str, cmd: &[String], restart: &str) -> Value {
    let mut c = json!({"image": image, "name": name, "resources": {}});
    if !cmd.is_empty() {
        c["command"] = json!(cmd);
    }
    json!({
        "template": {
            "metadata": {"creationTimestamp": null},
            "spec": {"containers": [c], "restartPolicy": restart},
        },
    })
}

/// Runs `kubectl create job NAME --image=… [-- CMD…]` or `--from=cronjob/NAME`.
pub fn job(sim: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    let (image, from) = (flags.get("image"), flags.get("from"));
    match (image, from) {
        (None, None) | (Some(_), Some(_)) => return Err("error: either --image or --from must be specified\n".into()),
        (None, Some(_)) if !flags.after_dash.is_empty() => {
            return Err("error: cannot specify --from and command\n".into())
        }
        _ => {}
    }
    if let Some(image) = image {
        return Ok(json!({
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": metadata(&name, mode, true),
            "spec": job_from_image(&name, image, &flags.after_dash, "Never"),
            "status": {},
        }));
    }
    let from = from.unwrap_or("");
    let Some((ty, cj_name)) = from.split_once('/') else {
        return Err("error: arguments in resource/name form must have a single resource and name\n".into());
    };
    let Some(r) = crate::sim::api::discovery::lookup_name(ty) else {
        return Err(format!("error: the server doesn't have a resource type \"{ty}\"\n"));
    };
    if r.kind != "CronJob" {
        return Err(format!(
            "error: unknown object type *{}.{}\n",
            r.api_version.rsplit('/').next().unwrap_or("v1"),
            r.kind
        ));
    }
    let Some(cj) = sim.store().get("CronJob", Some(&mode.namespace), cj_name) else {
        return Err(format!("Error from server (NotFound): cronjobs.batch \"{cj_name}\" not found\n"));
    };
    let template = cj.field("spec.jobTemplate").cloned().unwrap_or(Value::Null);
    let mut annotations = template["metadata"]["annotations"].as_object().cloned().unwrap_or_default();
    annotations.insert("cronjob.kubernetes.io/instantiate".into(), json!("manual"));
    let mut meta = metadata(&name, mode, true);
    meta.insert("annotations".into(), Value::Object(annotations));
    if let Some(labels) = template["metadata"]["labels"].as_object() {
        meta.insert("labels".into(), Value::Object(labels.clone()));
    }
    meta.insert(
        "ownerReferences".into(),
        json!([{"apiVersion": "batch/v1", "controller": true, "kind": "CronJob", "name": cj.name(), "uid": cj.uid()}]),
    );
    Ok(json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": meta,
        "spec": template.get("spec").cloned().unwrap_or(json!({})),
        "status": {},
    }))
}

/// Runs `kubectl create cronjob NAME --image=… --schedule=… [-- CMD…]`.
pub fn cronjob(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    required(flags, &["image", "schedule"])?;
    let restart = flags.get("restart").unwrap_or("OnFailure");
    if !matches!(restart, "OnFailure" | "Never") {
        return Err(format!("error: invalid restart policy: {restart}\n"));
    }
    let mut job_template = json!({"metadata": {"creationTimestamp": null, "name": name}});
    job_template["spec"] = job_from_image(&name, flags.get("image").unwrap_or(""), &flags.after_dash, restart);
    Ok(json!({
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": metadata(&name, mode, true),
        "spec": {"jobTemplate": job_template, "schedule": flags.get("schedule")},
        "status": {},
    }))
}

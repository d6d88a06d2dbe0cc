//! Writable volumes — emptyDir, hostPath, persistentVolumeClaim — whose contents outlive one
//! container's process: shared by a pod's containers (emptyDir, for the pod's life), by pods on
//! one node (hostPath), or by whichever pod mounts the claim next (a PersistentVolume).
//!
//! Each volume's files live here, keyed by what owns them; a container's process works on its
//! own copy, refreshed from here before it runs and written back after.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::sim::api::Object;
use crate::sim::store::Store;

/// A volume's files, relative to its root (directories end with `/`).
pub type VolumeFiles = BTreeMap<String, String>;

/// Every writable volume's files, by [`volume_id`].
pub type Volumes = BTreeMap<String, VolumeFiles>;

/// A writable volume mounted into a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// Absolute mount path, without a trailing `/`.
    pub path: String,
    /// Which volume ([`volume_id`]).
    pub volume: String,
    /// `subPath`: the directory of the volume mounted (`""`: its root), ending with `/`.
    pub sub: String,
    pub read_only: bool,
    /// A hostPath of a file type (`File`, `FileOrCreate`, a socket or device): the mount path is
    /// that one file, kept in the volume under the empty name.
    pub file: bool,
}

/// Who owns a writable volume's contents: the pod (emptyDir), the node's directory (hostPath),
/// or the bound PersistentVolume (a claim not bound yet: the claim). None for other volumes.
pub fn volume_id(store: &Store, pod: &Object, node: &str, volume: &Value) -> Option<String> {
    let name = volume["name"].as_str().unwrap_or("");
    if volume["emptyDir"].is_object() || volume["ephemeral"].is_object() {
        return Some(format!("emptydir/{}/{name}", pod.uid()));
    }
    if let Some(path) = volume["hostPath"]["path"].as_str() {
        return Some(super::host_path::volume_id(node, path));
    }
    let claim = volume["persistentVolumeClaim"]["claimName"].as_str()?;
    let ns = pod.namespace().unwrap_or("default");
    let bound = store.get("PersistentVolumeClaim", Some(ns), claim).and_then(|c| c.field("spec.volumeName"));
    Some(match bound.and_then(Value::as_str) {
        Some(pv) if !pv.is_empty() => pv_id(store, pv, node),
        _ => format!("pvc/{ns}/{claim}"),
    })
}

/// A PersistentVolume's contents: a hostPath/local PV is the node's directory; any other PV is
/// its own disk, wherever it is attached.
fn pv_id(store: &Store, pv: &str, node: &str) -> String {
    let spec = store.get("PersistentVolume", None, pv).map(|p| p.body["spec"].clone()).unwrap_or(Value::Null);
    match spec["hostPath"]["path"].as_str().or(spec["local"]["path"].as_str()) {
        Some(path) => super::host_path::volume_id(node, path),
        None => format!("pv/{pv}"),
    }
}

/// The writable mounts of a container spec; `Err` names a claim not bound to a volume yet
/// (the kubelet waits for it, as its volume manager waits for the attach).
pub fn mounts_of(store: &Store, pod: &Object, node: &str, container: &Value) -> Result<Vec<Mount>, String> {
    let volumes = pod.field("spec.volumes").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut out = Vec::new();
    for m in container["volumeMounts"].as_array().into_iter().flatten() {
        let Some(vol) = volumes.iter().find(|v| v["name"] == m["name"]) else { continue };
        let Some(volume) = volume_id(store, pod, node, vol) else { continue };
        if volume.starts_with("pvc/") {
            return Err(vol["name"].as_str().unwrap_or("").to_string());
        }
        let sub = m["subPath"].as_str().filter(|s| !s.is_empty()).map(|s| format!("{}/", s.trim_matches('/')));
        out.push(Mount {
            path: m["mountPath"].as_str().unwrap_or("").trim_end_matches('/').to_string(),
            volume,
            sub: sub.unwrap_or_default(),
            read_only: m["readOnly"] == true,
            file: super::host_path::mounts_a_file(vol["hostPath"]["type"].as_str().unwrap_or("")),
        });
    }
    Ok(out)
}

/// Shows each mounted volume's current contents in the container's `files`.
pub fn refresh(files: &mut BTreeMap<String, String>, mounts: &[Mount], volumes: &Volumes) {
    for m in mounts {
        if m.file {
            let content = volumes.get(&m.volume).and_then(|v| v.get("")).cloned().unwrap_or_default();
            files.insert(m.path.clone(), content);
            continue;
        }
        let prefix = format!("{}/", m.path);
        files.retain(|k, _| !k.starts_with(&prefix) || *k == prefix);
        files.insert(prefix.clone(), String::new());
        let Some(vol) = volumes.get(&m.volume) else { continue };
        for (rel, content) in vol.range(m.sub.clone()..).take_while(|(k, _)| k.starts_with(&m.sub)) {
            let rest = &rel[m.sub.len()..];
            if !rest.is_empty() {
                files.insert(format!("{prefix}{rest}"), content.clone());
            }
        }
    }
}

/// Writes what the container now has under each writable mount back into its volume.
pub fn save(files: &BTreeMap<String, String>, mounts: &[Mount], volumes: &mut Volumes) {
    for m in mounts.iter().filter(|m| !m.read_only) {
        if m.file {
            if let Some(content) = files.get(&m.path) {
                volumes.entry(m.volume.clone()).or_default().insert(String::new(), content.clone());
            }
            continue;
        }
        let prefix = format!("{}/", m.path);
        let vol = volumes.entry(m.volume.clone()).or_default();
        vol.retain(|k, _| !k.starts_with(&m.sub) || *k == m.sub);
        if !m.sub.is_empty() {
            vol.insert(m.sub.clone(), String::new());
        }
        for (k, v) in files.range(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix)) {
            let rest = &k[prefix.len()..];
            if !rest.is_empty() {
                vol.insert(format!("{}{rest}", m.sub), v.clone());
            }
        }
    }
}

/// Forgets a deleted pod's emptyDir volumes.
pub fn forget_pod(volumes: &mut Volumes, pod_uid: &str) {
    let prefix = format!("emptydir/{pod_uid}/");
    volumes.retain(|k, _| !k.starts_with(&prefix));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mount(path: &str, sub: &str) -> Mount {
        Mount { path: path.into(), volume: "v".into(), sub: sub.into(), read_only: false, file: false }
    }

    #[test]
    fn files_written_under_a_mount_reach_the_volume_and_other_containers() {
        let mut volumes = Volumes::new();
        let mut a = BTreeMap::from([("/data/".to_string(), String::new()), ("/data/x".into(), "1".into())]);
        a.insert("/tmp/y".into(), "not in a volume".into());
        save(&a, &[mount("/data", "")], &mut volumes);
        assert_eq!(volumes["v"], BTreeMap::from([("x".to_string(), "1".to_string())]));
        let mut b = BTreeMap::from([("/cache/old".to_string(), "stale".to_string())]);
        refresh(&mut b, &[mount("/cache", "")], &volumes);
        assert_eq!(b.get("/cache/x").map(String::as_str), Some("1"));
        assert!(!b.contains_key("/cache/old"), "the volume's contents replace what was there");
        a.remove("/data/x");
        save(&a, &[mount("/data", "")], &mut volumes);
        assert!(volumes["v"].is_empty(), "deletions reach the volume too");
    }

    #[test]
    fn sub_path_mounts_one_directory_of_the_volume() {
        let mut volumes = Volumes::new();
        let files = BTreeMap::from([("/var/lib/db/f".to_string(), "d".to_string())]);
        save(&files, &[mount("/var/lib/db", "pg/")], &mut volumes);
        assert_eq!(volumes["v"].get("pg/f").map(String::as_str), Some("d"));
        let mut other = BTreeMap::new();
        refresh(&mut other, &[mount("/mnt", "")], &volumes);
        assert_eq!(other.get("/mnt/pg/f").map(String::as_str), Some("d"));
    }
}

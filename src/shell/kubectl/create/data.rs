//! `kubectl create configmap` and `kubectl create secret generic|docker-registry|tls`: keys from
//! `--from-literal`, `--from-file` (`[key=]path`, a directory gives each file in it) and
//! `--from-env-file`. Files are read as `apply -f` reads them.

use serde_json::{json, Map, Value};

use super::super::flags::{boolean, value, Flags, Spec};
use super::{base64, metadata, name_arg, Mode};
use crate::sim::Sim;

pub const CONFIGMAP: &[Spec] =
    &[value("from-literal"), value("from-file"), value("from-env-file"), boolean("save-config")];
pub const SECRET: &[Spec] =
    &[value("from-literal"), value("from-file"), value("from-env-file"), value("type"), boolean("save-config")];
pub const DOCKER: &[Spec] = &[
    value("docker-server"),
    value("docker-username"),
    value("docker-password"),
    value("docker-email"),
    value("from-file"),
    boolean("save-config"),
];
pub const TLS: &[Spec] = &[value("cert"), value("key"), boolean("save-config")];

/// A valid ConfigMap/Secret key: letters, digits, `-`, `_`, `.`.
fn valid_key(k: &str) -> bool {
    !k.is_empty() && k.len() <= 253 && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn read(flags: &Flags, path: &str) -> Result<String, String> {
    flags.read_file(path).ok_or_else(|| format!("error: open {path}: no such file or directory\n"))
}

/// The keys and values the `--from-*` flags give, in order, refusing a key given twice.
fn sources(flags: &Flags, what: &str, name: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |k: String, v: String| -> Result<(), String> {
        if !valid_key(&k) {
            return Err(format!(
                "error: \"{k}\" is not a valid key name for a {what}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')\n"
            ));
        }
        if out.iter().any(|(x, _)| *x == k) {
            return Err(format!(
                "error: cannot add key {k}, another key by that name already exists in {}: {name:?}\n",
                if what == "ConfigMap" { "Data for ConfigMap" } else { "data" }
            ));
        }
        out.push((k, v));
        Ok(())
    };
    for lit in flags.all("from-literal") {
        let Some((k, v)) = lit.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Err(format!("error: invalid literal source {lit}, expected key=value\n"));
        };
        add(k.to_string(), v.to_string())?;
    }
    for src in flags.all("from-file") {
        let (key, path) = match src.split_once('=') {
            Some((k, p)) if !k.is_empty() && !p.is_empty() => (Some(k.to_string()), p),
            Some(_) => return Err(format!("error: key names or file paths cannot be empty: {src:?}\n")),
            None => (None, src),
        };
        if let Some(entries) = flags.list_dir(path) {
            if key.is_some() {
                return Err(format!("error: cannot give a key name for a directory path: {path}\n"));
            }
            for f in entries.iter().filter(|e| !e.is_dir) {
                let k = f.path.rsplit('/').next().unwrap_or("").to_string();
                add(k, read(flags, &f.path)?)?;
            }
        } else {
            let k = key.unwrap_or_else(|| path.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string());
            add(k, read(flags, path)?)?;
        }
    }
    for path in flags.all("from-env-file") {
        for (i, line) in read(flags, path)?.lines().enumerate() {
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (k, v) = line.split_once('=').unwrap_or((line, ""));
            if k.contains(char::is_whitespace) || k.is_empty() {
                return Err(format!("error: {k:?} is not a valid key name: line {} of {path}\n", i + 1));
            }
            // SIM: a bare `KEY` line takes KEY from kubectl's environment; the sandbox has none.
            add(k.to_string(), v.to_string())?;
        }
    }
    Ok(out)
}

/// Runs `kubectl create configmap NAME [--from-…]`.
pub fn configmap(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    let data: Map<String, Value> =
        sources(flags, "ConfigMap", &name)?.into_iter().map(|(k, v)| (k, json!(v))).collect();
    let mut obj = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata(&name, mode, true)});
    if !data.is_empty() {
        obj["data"] = Value::Object(data);
    }
    Ok(obj)
}

fn secret_value(name: &str, mode: &Mode, data: Map<String, Value>, ty: Option<&str>) -> Value {
    let mut obj = json!({"apiVersion": "v1", "kind": "Secret", "metadata": metadata(name, mode, true)});
    if !data.is_empty() {
        obj["data"] = Value::Object(data);
    }
    if let Some(t) = ty {
        obj["type"] = json!(t);
    }
    obj
}

/// Runs `kubectl create secret generic NAME [--type] [--from-…]`.
pub fn secret(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    let data = sources(flags, "Secret", &name)?.into_iter().map(|(k, v)| (k, json!(base64(v.as_bytes())))).collect();
    Ok(secret_value(&name, mode, data, flags.get("type")))
}

/// Runs `kubectl create secret docker-registry NAME --docker-username … --docker-password …`.
pub fn docker_registry(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    let (user, password) = (flags.get("docker-username"), flags.get("docker-password"));
    let (Some(user), Some(password)) = (user, password) else {
        return Err(
            "error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required\n"
                .into(),
        );
    };
    let server = flags.get("docker-server").unwrap_or("https://index.docker.io/v1/");
    // The field order of kubectl's DockerConfigEntry: username, password, email (if any), auth.
    let mut entry = format!("{{\"username\":{},\"password\":{}", json!(user), json!(password));
    if let Some(email) = flags.get("docker-email").filter(|e| !e.is_empty()) {
        entry.push_str(&format!(",\"email\":{}", json!(email)));
    }
    entry.push_str(&format!(",\"auth\":\"{}\"}}", base64(format!("{user}:{password}").as_bytes())));
    let config = format!("{{\"auths\":{{{}:{entry}}}}}", json!(server));
    let mut data = Map::new();
    data.insert(".dockerconfigjson".into(), json!(base64(config.as_bytes())));
    Ok(secret_value(&name, mode, data, Some("kubernetes.io/dockerconfigjson")))
}

/// Runs `kubectl create secret tls NAME --cert=… --key=…`.
pub fn tls(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    let (Some(cert), Some(key)) = (flags.get("cert"), flags.get("key")) else {
        return Err("error: key and cert must be specified\n".into());
    };
    let (cert_text, key_text) = (read(flags, cert)?, read(flags, key)?);
    // SIM: kubectl checks that the key matches the certificate; here only that both are PEM.
    if !cert_text.contains("-----BEGIN CERTIFICATE-----") {
        return Err("error: failed to load key pair tls: failed to find any PEM data in certificate input\n".into());
    }
    if !key_text.contains("-----BEGIN") || !key_text.contains("PRIVATE KEY-----") {
        return Err("error: failed to load key pair tls: failed to find any PEM data in key input\n".into());
    }
    let mut data = Map::new();
    data.insert("tls.crt".into(), json!(base64(cert_text.as_bytes())));
    data.insert("tls.key".into(), json!(base64(key_text.as_bytes())));
    Ok(secret_value(&name, mode, data, Some("kubernetes.io/tls")))
}

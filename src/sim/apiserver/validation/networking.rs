//! Validation of networking.k8s.io Ingresses and IngressClasses (upstream
//! `pkg/apis/networking/validation`): hosts (wildcards), path types and paths, backends, TLS,
//! class names.

use serde_json::Value;

use super::{
    invalid, is_dns1123_label, is_dns1123_subdomain, required, unsupported, FieldError, DNS1123_SUBDOMAIN_MSG,
};
use crate::sim::api::Object;

const WILDCARD_MSG: &str = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const PATH_TYPES: [&str; 3] = ["Exact", "ImplementationSpecific", "Prefix"];
const INVALID_SEQUENCES: [&str; 5] = ["//", "/./", "/../", "%2f", "%2F"];
const INVALID_SUFFIXES: [&str; 2] = ["/..", "/."];

fn detail(path: &str, detail: String) -> FieldError {
    FieldError { path: path.into(), detail }
}

/// An Ingress: at least one of `defaultBackend` and `rules`; each rule's host, paths and
/// backends; TLS hosts and secret names; the class name, which must agree with the legacy
/// annotation when both are set.
pub fn validate_ingress(ing: &Object, spec: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let rules = spec["rules"].as_array().map_or(&[][..], Vec::as_slice);
    if rules.is_empty() && spec["defaultBackend"].is_null() {
        errs.push(detail(
            "spec",
            "Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified".into(),
        ));
    }
    if !spec["defaultBackend"].is_null() {
        errs.extend(validate_backend("spec.defaultBackend", &spec["defaultBackend"]));
    }
    for (i, rule) in rules.iter().enumerate() {
        let at = format!("spec.rules[{i}]");
        if let Some(host) = rule["host"].as_str().filter(|h| !h.is_empty()) {
            errs.extend(validate_host(&format!("{at}.host"), host, true));
        }
        if rule["http"].is_null() {
            continue;
        }
        let paths = rule["http"]["paths"].as_array().map_or(&[][..], Vec::as_slice);
        if paths.is_empty() {
            errs.push(required(&format!("{at}.http.paths")));
        }
        for (j, p) in paths.iter().enumerate() {
            errs.extend(validate_path(&format!("{at}.http.paths[{j}]"), p));
        }
    }
    for (i, tls) in spec["tls"].as_array().into_iter().flatten().enumerate() {
        for (j, host) in tls["hosts"].as_array().into_iter().flatten().enumerate() {
            errs.extend(validate_host(&format!("spec.tls[{i}].hosts[{j}]"), host.as_str().unwrap_or(""), false));
        }
        if let Some(secret) = tls["secretName"].as_str().filter(|s| !s.is_empty()) {
            if !is_dns1123_subdomain(secret) {
                errs.push(invalid(&format!("spec.tls[{i}].secretName"), secret, DNS1123_SUBDOMAIN_MSG));
            }
        }
    }
    let class = spec["ingressClassName"].as_str();
    if let Some(class) = class {
        if !is_dns1123_subdomain(class) {
            errs.push(invalid("spec.ingressClassName", class, DNS1123_SUBDOMAIN_MSG));
        }
    }
    let legacy = crate::sim::api::ingress_class::LEGACY_CLASS_ANNOTATION;
    if let (Some(a), Some(class)) = (ing.metadata.annotations.as_ref().and_then(|a| a.get(legacy)), class) {
        if a != class {
            errs.push(invalid(
                &format!("annotations.{legacy}"),
                a,
                "must match `ingressClassName` when both are specified",
            ));
        }
    }
    errs
}

/// A rule's host (no IP addresses) or a TLS host; both may be wildcards (`*.example.com`).
fn validate_host(path: &str, host: &str, rule: bool) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if rule && host.parse::<std::net::IpAddr>().is_ok() {
        errs.push(invalid(path, host, "must be a DNS name, not an IP address"));
    }
    if host.contains('*') {
        let ok = host.strip_prefix("*.").is_some_and(is_dns1123_subdomain);
        if !ok {
            errs.push(invalid(path, host, WILDCARD_MSG));
        }
    } else if !is_dns1123_subdomain(host) {
        errs.push(invalid(path, host, DNS1123_SUBDOMAIN_MSG));
    }
    errs
}

fn validate_path(at: &str, p: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(kind) = p["pathType"].as_str() else {
        return vec![detail(&format!("{at}.pathType"), "Required value: pathType must be specified".into())];
    };
    let path = p["path"].as_str().unwrap_or("");
    let path_at = format!("{at}.path");
    match kind {
        "Exact" | "Prefix" => {
            if !path.starts_with('/') {
                errs.push(invalid(&path_at, path, "must be an absolute path"));
            }
            for seq in INVALID_SEQUENCES.iter().filter(|s| path.contains(*s)) {
                errs.push(invalid(&path_at, path, &format!("must not contain '{seq}'")));
            }
            for suffix in INVALID_SUFFIXES.iter().filter(|s| path.ends_with(*s)) {
                errs.push(invalid(&path_at, path, &format!("cannot end with '{suffix}'")));
            }
        }
        "ImplementationSpecific" => {
            if !path.is_empty() && !path.starts_with('/') {
                errs.push(invalid(&path_at, path, "must be an absolute path"));
            }
        }
        other => errs.push(unsupported(&format!("{at}.pathType"), other, &PATH_TYPES)),
    }
    errs.extend(validate_backend(&format!("{at}.backend"), &p["backend"]));
    errs
}

/// A backend: a Service (a DNS-1035 name and a port number or name) or a resource, not both.
fn validate_backend(at: &str, b: &Value) -> Vec<FieldError> {
    let (svc, resource) = (&b["service"], &b["resource"]);
    match (svc.is_null(), resource.is_null()) {
        (false, false) => vec![invalid(at, "", "cannot set both resource and service backends")],
        (true, true) => vec![invalid(at, "", "resource or service backend is required")],
        (true, false) => {
            let mut errs = Vec::new();
            for f in ["kind", "name"] {
                if resource[f].as_str().is_none_or(str::is_empty) {
                    errs.push(required(&format!("{at}.resource.{f}")));
                }
            }
            errs
        }
        (false, true) => {
            let mut errs = Vec::new();
            match svc["name"].as_str().filter(|n| !n.is_empty()) {
                None => errs.push(required(&format!("{at}.service.name"))),
                Some(n) if !is_dns1035(n) => errs.push(invalid(&format!("{at}.service.name"), n, DNS1035_MSG)),
                Some(_) => {}
            }
            let name = svc["port"]["name"].as_str().filter(|n| !n.is_empty());
            let number = svc["port"]["number"].as_i64().filter(|n| *n != 0);
            match (name, number) {
                (Some(_), Some(_)) => errs.push(invalid(at, "", "cannot set both port name & port number")),
                (Some(n), None) => errs
                    .extend(port_name_errors(n).into_iter().map(|m| invalid(&format!("{at}.service.port.name"), n, m))),
                (None, Some(n)) if !(1..=65535).contains(&n) => errs.push(detail(
                    &format!("{at}.service.port.number"),
                    format!("Invalid value: {n}: must be between 1 and 65535, inclusive"),
                )),
                (None, Some(_)) => {}
                (None, None) => errs.push(detail(at, "Required value: port name or number is required".into())),
            }
            errs
        }
    }
}

fn is_dns1035(s: &str) -> bool {
    is_dns1123_label(s) && s.as_bytes()[0].is_ascii_lowercase()
}

/// Upstream `IsValidPortName`'s complaints.
fn port_name_errors(n: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    if n.len() > 15 {
        out.push("must be no more than 15 characters");
    }
    if !n.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-') {
        out.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !n.bytes().any(|c| c.is_ascii_lowercase()) {
        out.push("must contain at least one letter (a-z)");
    }
    if n.contains("--") {
        out.push("must not contain consecutive hyphens (--)");
    }
    if n.starts_with('-') || n.ends_with('-') {
        out.push("must not begin or end with a hyphen");
    }
    out
}

/// An IngressClass: `spec.controller` is required and a domain-prefixed path
/// (`k8s.io/ingress-nginx`).
pub fn validate_ingress_class_spec(spec: &Value) -> Vec<FieldError> {
    match spec["controller"].as_str().filter(|c| !c.is_empty()) {
        None => vec![required("spec.controller")],
        Some(c) if c.len() > 250 => {
            vec![detail("spec.controller", "Too long: may not be more than 250 bytes".into())]
        }
        Some(c) => match c.split_once('/') {
            Some((domain, rest)) if is_dns1123_subdomain(domain) && !rest.is_empty() => Vec::new(),
            Some((domain, _)) if !is_dns1123_subdomain(domain) => {
                vec![invalid("spec.controller", domain, DNS1123_SUBDOMAIN_MSG)]
            }
            _ => vec![invalid("spec.controller", c, "must be a domain-prefixed path (such as \"acme.io/foo\")")],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest;

    fn errors(yaml: &str) -> Vec<String> {
        let obj = manifest::parse(yaml).unwrap().remove(0);
        let spec = Value::Object(obj.body.clone())["spec"].clone();
        validate_ingress(&obj, &spec).iter().map(ToString::to_string).collect()
    }

    const HEAD: &str = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\nspec:\n";

    #[test]
    fn an_ingress_needs_rules_or_a_default_backend() {
        assert_eq!(
            errors(&format!("{HEAD}  ingressClassName: nginx\n")),
            ["spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"]
        );
    }

    #[test]
    fn paths_need_a_supported_type_and_an_absolute_clean_path() {
        let rule = |ty: &str, path: &str| {
            format!("{HEAD}  rules:\n  - http:\n      paths:\n      - {{{ty}path: '{path}', backend: {{service: {{name: web, port: {{number: 80}}}}}}}}\n")
        };
        assert_eq!(
            errors(&rule("", "/")),
            ["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"]
        );
        assert_eq!(
            errors(&rule("pathType: Regex, ", "/")),
            ["spec.rules[0].http.paths[0].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""]
        );
        assert_eq!(
            errors(&rule("pathType: Prefix, ", "api//v1")),
            [
                "spec.rules[0].http.paths[0].path: Invalid value: \"api//v1\": must be an absolute path",
                "spec.rules[0].http.paths[0].path: Invalid value: \"api//v1\": must not contain '//'"
            ]
        );
        assert_eq!(errors(&rule("pathType: ImplementationSpecific, ", "/a/..")), Vec::<String>::new());
        assert_eq!(
            errors(&rule("pathType: Exact, ", "/a/..")),
            ["spec.rules[0].http.paths[0].path: Invalid value: \"/a/..\": cannot end with '/..'"]
        );
    }

    #[test]
    fn hosts_are_dns_names_or_one_leading_wildcard() {
        let host = |h: &str| {
            format!("{HEAD}  rules:\n  - host: '{h}'\n    http:\n      paths:\n      - {{pathType: Prefix, path: /, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}\n")
        };
        assert!(errors(&host("*.example.com")).is_empty());
        assert_eq!(
            errors(&host("10.0.0.1")),
            ["spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address"]
        );
        assert!(errors(&host("a.*.com"))[0].contains("a wildcard DNS-1123 subdomain must start with '*.'"));
        assert!(errors(&host("Foo.com"))[0].contains("a lowercase RFC 1123 subdomain"));
    }

    #[test]
    fn backends_name_a_service_port_once() {
        let backend = |b: &str| format!("{HEAD}  defaultBackend: {b}\n");
        assert_eq!(
            errors(&backend("{service: {name: web}}")),
            ["spec.defaultBackend: Required value: port name or number is required"]
        );
        assert_eq!(
            errors(&backend("{service: {name: web, port: {name: http, number: 80}}}")),
            ["spec.defaultBackend: Invalid value: \"\": cannot set both port name & port number"]
        );
        assert_eq!(
            errors(&backend("{service: {name: Web, port: {number: 70000}}}")),
            [
                format!("spec.defaultBackend.service.name: Invalid value: \"Web\": {DNS1035_MSG}"),
                "spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive"
                    .into()
            ]
        );
        assert_eq!(
            errors(&backend("{}")),
            ["spec.defaultBackend: Invalid value: \"\": resource or service backend is required"]
        );
    }

    #[test]
    fn the_class_name_and_the_legacy_annotation_must_agree() {
        let yaml = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n  annotations: {kubernetes.io/ingress.class: traefik}\nspec:\n  ingressClassName: nginx\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n";
        assert_eq!(
            errors(yaml),
            ["annotations.kubernetes.io/ingress.class: Invalid value: \"traefik\": must match `ingressClassName` when both are specified"]
        );
    }

    #[test]
    fn an_ingress_class_names_its_controller_by_a_domain_prefixed_path() {
        assert!(validate_ingress_class_spec(&serde_json::json!({"controller": "k8s.io/ingress-nginx"})).is_empty());
        assert_eq!(
            validate_ingress_class_spec(&serde_json::json!({}))[0].to_string(),
            "spec.controller: Required value"
        );
        assert_eq!(
            validate_ingress_class_spec(&serde_json::json!({"controller": "nginx"}))[0].to_string(),
            "spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")"
        );
    }
}

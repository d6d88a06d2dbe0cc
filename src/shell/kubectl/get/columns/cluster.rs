//! Columns of networking, storage, RBAC, scheduling and coordination kinds, of kinds the API
//! server prints with its default table (`NAME`, `CREATED AT`), and of custom resources.

use serde_json::Value;

use super::{age, format_label_selector, go_bool, int, list_with_more, scalar, text, Ctx, Printer};
use crate::shell::kubectl::get::jsonpath;
use crate::shell::kubectl::table::human_duration;
use crate::sim::api::Object;
use crate::sim::time::parse_time;

pub(super) fn printer_for(kind: &str) -> Printer {
    let p = |header, wide, row| Printer { header, wide, row };
    match kind {
        "StorageClass" => p(
            &["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"],
            &[],
            storage_class,
        ),
        "Ingress" => p(&["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], &[], ingress),
        "IngressClass" => p(&["NAME", "CONTROLLER", "PARAMETERS", "AGE"], &[], ingress_class),
        "EndpointSlice" => p(&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], &[], endpoint_slice),
        "PriorityClass" => p(&["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"], &[], priority_class),
        "RoleBinding" | "ClusterRoleBinding" => {
            p(&["NAME", "ROLE", "AGE"], &["USERS", "GROUPS", "SERVICEACCOUNTS"], role_binding)
        }
        "NetworkPolicy" => p(&["NAME", "POD-SELECTOR", "AGE"], &[], network_policy),
        "Lease" => p(&["NAME", "HOLDER", "AGE"], &[], lease),
        "RuntimeClass" => p(&["NAME", "HANDLER", "AGE"], &[], runtime_class),
        "ValidatingWebhookConfiguration" | "MutatingWebhookConfiguration" => {
            p(&["NAME", "WEBHOOKS", "AGE"], &[], webhook_configuration)
        }
        // Kinds without a printer of their own get the API server's default table.
        "Role" | "ClusterRole" | "LimitRange" | "CustomResourceDefinition" | "PodTemplate" => {
            p(&["NAME", "CREATED AT"], &[], created_at)
        }
        _ => p(&["NAME", "AGE"], &[], name_age),
    }
}

fn name_age(ctx: &Ctx, o: &Object) -> Vec<String> {
    vec![o.name().into(), age(ctx, o)]
}

/// The default table's `CREATED AT`: the creation time in RFC 3339.
fn created_at(_: &Ctx, o: &Object) -> Vec<String> {
    let at = super::created(o).map(|t| t.to_rfc3339()).unwrap_or_default();
    vec![o.name().into(), at]
}

fn storage_class(ctx: &Ctx, o: &Object) -> Vec<String> {
    let default = ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"]
        .iter()
        .any(|k| o.metadata.annotations.as_ref().and_then(|a| a.get(*k)).is_some_and(|v| v == "true"));
    let name = if default { format!("{} (default)", o.name()) } else { o.name().to_string() };
    let or = |p: &str, d: &str| match text(o, p) {
        s if s.is_empty() => d.to_string(),
        s => s,
    };
    vec![
        name,
        text(o, "provisioner"),
        or("reclaimPolicy", "Delete"),
        or("volumeBindingMode", "Immediate"),
        go_bool(o.field("allowVolumeExpansion").and_then(Value::as_bool).unwrap_or(false)),
        age(ctx, o),
    ]
}

fn ingress(ctx: &Ctx, o: &Object) -> Vec<String> {
    let rules = o.field("spec.rules").and_then(Value::as_array).cloned().unwrap_or_default();
    // Upstream lists the first three hosts and counts every rule beyond them.
    let hosts: Vec<String> = rules.iter().take(3).filter_map(|r| r["host"].as_str()).map(str::to_string).collect();
    let hosts = if hosts.is_empty() {
        "*".to_string()
    } else if rules.len() > 3 {
        format!("{} + {} more...", hosts.join(","), rules.len() - 3)
    } else {
        hosts.join(",")
    };
    let tls = o.field("spec.tls").and_then(Value::as_array).is_some_and(|t| !t.is_empty());
    vec![
        o.name().into(),
        o.field("spec.ingressClassName").and_then(Value::as_str).unwrap_or("<none>").into(),
        hosts,
        super::load_balancer_ips(o.field("status.loadBalancer.ingress"), ctx.wide),
        if tls { "80, 443" } else { "80" }.into(),
        age(ctx, o),
    ]
}

fn webhook_configuration(ctx: &Ctx, o: &Object) -> Vec<String> {
    let n = o.body.get("webhooks").and_then(Value::as_array).map_or(0, Vec::len);
    vec![o.name().into(), n.to_string(), age(ctx, o)]
}

fn ingress_class(ctx: &Ctx, o: &Object) -> Vec<String> {
    let params = match o.field("spec.parameters").filter(|p| p.is_object()) {
        None => "<none>".to_string(),
        Some(p) => {
            let mut s = p["kind"].as_str().unwrap_or("").to_string();
            if let Some(g) = p["apiGroup"].as_str() {
                s = format!("{s}.{g}");
            }
            format!("{s}/{}", p["name"].as_str().unwrap_or(""))
        }
    };
    vec![o.name().into(), text(o, "spec.controller"), params, age(ctx, o)]
}

fn endpoint_slice(ctx: &Ctx, o: &Object) -> Vec<String> {
    let ports: Vec<String> = o
        .field("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| match (&p["port"], p["name"].as_str()) {
            (Value::Number(n), _) => n.to_string(),
            (_, Some(name)) => name.to_string(),
            _ => "*".to_string(),
        })
        .collect();
    let addresses: Vec<String> = o
        .field("endpoints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|e| e["addresses"].as_array().cloned().unwrap_or_default())
        .map(|a| scalar(&a))
        .collect();
    vec![
        o.name().into(),
        text(o, "addressType"),
        list_with_more(&ports, 3, "<unset>"),
        list_with_more(&addresses, 3, "<unset>"),
        age(ctx, o),
    ]
}

fn priority_class(ctx: &Ctx, o: &Object) -> Vec<String> {
    vec![
        o.name().into(),
        int(o, "value").to_string(),
        go_bool(o.field("globalDefault").and_then(Value::as_bool).unwrap_or(false)),
        age(ctx, o),
        // The API server defaults the policy; a PriorityClass stored without one means the default.
        match text(o, "preemptionPolicy") {
            p if p.is_empty() => "PreemptLowerPriority".into(),
            p => p,
        },
    ]
}

fn role_binding(ctx: &Ctx, o: &Object) -> Vec<String> {
    let (mut users, mut groups, mut sas) = (Vec::new(), Vec::new(), Vec::new());
    for s in o.field("subjects").and_then(Value::as_array).into_iter().flatten() {
        let name = s["name"].as_str().unwrap_or("").to_string();
        match s["kind"].as_str().unwrap_or("") {
            "User" => users.push(name),
            "Group" => groups.push(name),
            "ServiceAccount" => sas.push(format!("{}:{name}", s["namespace"].as_str().unwrap_or(""))),
            _ => {}
        }
    }
    vec![
        o.name().into(),
        format!("{}/{}", text(o, "roleRef.kind"), text(o, "roleRef.name")),
        age(ctx, o),
        users.join(", "),
        groups.join(", "),
        sas.join(", "),
    ]
}

fn network_policy(ctx: &Ctx, o: &Object) -> Vec<String> {
    // An empty podSelector selects every pod; upstream prints it as <none>.
    vec![o.name().into(), format_label_selector(o.field("spec.podSelector")), age(ctx, o)]
}

fn lease(ctx: &Ctx, o: &Object) -> Vec<String> {
    vec![o.name().into(), text(o, "spec.holderIdentity"), age(ctx, o)]
}

fn runtime_class(ctx: &Ctx, o: &Object) -> Vec<String> {
    vec![o.name().into(), text(o, "handler"), age(ctx, o)]
}

/// A custom resource's table from its CRD's `additionalPrinterColumns` (NAME first; columns
/// of priority above 0 only with `-o wide`). A CRD without any gets `AGE` alone.
pub(super) fn custom_resource_table(
    ctx: &Ctx,
    columns: &[Value],
    objects: &[&Object],
) -> (Vec<String>, Vec<Vec<String>>) {
    let shown: Vec<&Value> = columns.iter().filter(|c| ctx.wide || c["priority"].as_i64().unwrap_or(0) == 0).collect();
    let mut header = vec!["NAME".to_string()];
    header.extend(shown.iter().map(|c| c["name"].as_str().unwrap_or("").to_ascii_uppercase()));
    let rows = objects
        .iter()
        .map(|o| {
            let value = o.to_value();
            let mut row = vec![o.name().to_string()];
            for c in &shown {
                let path = jsonpath::relaxed(c["jsonPath"].as_str().unwrap_or(""));
                let found = jsonpath::Template::parse(&path).ok().and_then(|t| t.first_value(&value));
                let cell = match found {
                    None | Some(Value::Null) => "<none>".to_string(),
                    Some(v) => match c["type"].as_str().unwrap_or("string") {
                        "date" => v
                            .as_str()
                            .and_then(parse_time)
                            .map_or_else(|| scalar(&v), |t| human_duration(ctx.now.since(t))),
                        _ => scalar(&v),
                    },
                };
                row.push(cell);
            }
            row
        })
        .collect();
    (header, rows)
}

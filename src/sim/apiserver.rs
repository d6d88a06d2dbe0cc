//! The API server's request path: find the kind (built-in or from a CRD), decode strictly,
//! validate, default, admit, then store. Deletion with grace periods, finalizers and
//! propagation (background, foreground, orphan) feeds the garbage collector.
//!
//! Errors carry the API status reason and the API server's message, so kubectl can print
//! `Error from server (Invalid): …` exactly.

pub mod authn;
pub mod defaults;
pub mod eviction;
pub mod ingress_class;
pub mod patch;
pub mod quota;
pub mod rbac;
pub mod rest;
pub mod services;
pub mod validation;
pub mod webhooks;

use std::fmt;

use serde_json::{json, Value};

use super::api::{discovery, typed, Object};
use super::store::{ObjectKey, StoreError};
use super::Sim;
pub use eviction::evict;
use validation::FieldError;

/// The `reason` of an API error status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    BadRequest,
    Invalid,
    NotFound,
    AlreadyExists,
    Conflict,
    Forbidden,
    /// 429: the request must wait (an eviction a disruption budget refuses).
    TooManyRequests,
    /// 500.
    InternalError,
    /// Not from the server: discovery has no such kind (kubectl reports it itself).
    NoKindMatch,
}

impl Reason {
    /// As kubectl prints it in `Error from server (Reason)`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::BadRequest => "BadRequest",
            Reason::Invalid => "Invalid",
            Reason::NotFound => "NotFound",
            Reason::AlreadyExists => "AlreadyExists",
            Reason::Conflict => "Conflict",
            Reason::Forbidden => "Forbidden",
            Reason::TooManyRequests => "TooManyRequests",
            Reason::InternalError => "InternalError",
            Reason::NoKindMatch => "NoKindMatch",
        }
    }
}

/// A refused request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub reason: Reason,
    /// The API server's message.
    pub message: String,
    /// Extra help the sandbox offers beyond upstream's message ("did you mean …").
    pub hints: Vec<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    fn new(reason: Reason, message: impl Into<String>) -> ApiError {
        ApiError { reason, message: message.into(), hints: Vec::new() }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        let reason = match e.reason() {
            "AlreadyExists" => Reason::AlreadyExists,
            "Conflict" => Reason::Conflict,
            "Invalid" => Reason::Invalid,
            _ => Reason::NotFound,
        };
        ApiError::new(reason, e.to_string())
    }
}

/// How deleting an owner treats its dependents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Propagation {
    /// Delete the owner now; the garbage collector deletes dependents afterwards (kubectl's default).
    #[default]
    Background,
    /// Delete dependents first; the owner stays (with `foregroundDeletion`) until they are gone.
    Foreground,
    /// Keep dependents, removing their owner reference.
    Orphan,
}

/// What a kind is, once resolved.
#[derive(Debug, Clone)]
pub struct KindInfo {
    pub namespaced: bool,
    /// `Deployment.apps`, `Pod`: how the API server names the kind in messages.
    pub qualified_kind: String,
    /// `deployments.apps`, `pods`: how it names the resource.
    pub qualified_resource: String,
    checker: Option<typed::Checker>,
}

/// Finds `apiVersion`/`kind` among built-in kinds and served CRD versions.
pub fn resolve_kind(sim: &Sim, api_version: &str, kind: &str) -> Result<KindInfo, ApiError> {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let qualify = |name: &str| if group.is_empty() { name.to_string() } else { format!("{name}.{group}") };
    if let Some(r) = discovery::lookup_kind(api_version, kind) {
        return Ok(KindInfo {
            namespaced: r.namespaced,
            qualified_kind: qualify(r.kind),
            qualified_resource: qualify(r.plural),
            checker: typed::checker_for(api_version, kind),
        });
    }
    for crd in sim.store().list("CustomResourceDefinition", None) {
        let spec = crd.body.get("spec").cloned().unwrap_or(Value::Null);
        let served =
            spec["versions"].as_array().into_iter().flatten().any(|v| v["name"] == version && v["served"] != false);
        if spec["group"] == group && spec["names"]["kind"] == kind && served {
            return Ok(KindInfo {
                namespaced: spec["scope"] != "Cluster",
                qualified_kind: qualify(kind),
                qualified_resource: qualify(spec["names"]["plural"].as_str().unwrap_or("")),
                // SIM: custom resources are stored as given; their OpenAPI schemas are not enforced.
                checker: None,
            });
        }
    }
    Err(ApiError::new(Reason::NoKindMatch, format!("no matches for kind \"{kind}\" in version \"{api_version}\"")))
}

/// [`check_fields`], except for the objects the sandbox writes as it builds the cluster (the
/// default RBAC, kube-system's objects and pods) in a release build: they are the sandbox's
/// own, checked in every debug build (the tests), and checking them again cost the page's load
/// a good part of building the cluster.
fn check_fields_unless_built_in(sim: &Sim, info: &KindInfo, obj: &Object) -> Result<(), ApiError> {
    if sim.building && !cfg!(debug_assertions) {
        return Ok(());
    }
    check_fields(info, obj)
}

/// Refuses `obj` if it has unknown fields or fields of the wrong type.
fn check_fields(info: &KindInfo, obj: &Object) -> Result<(), ApiError> {
    let Some(checker) = info.checker else { return Ok(()) };
    let kind = &obj.kind;
    let prefix = format!("{kind} in version \"{}\" cannot be handled as a {kind}", version_of(&obj.api_version));
    match checker(&obj.to_value()) {
        Err(e) => Err(ApiError::new(Reason::BadRequest, format!("{prefix}: {}", e.message))),
        Ok(unknown) if unknown.is_empty() => Ok(()),
        Ok(unknown) => {
            let list = unknown.iter().map(|u| format!("unknown field \"{}\"", u.path)).collect::<Vec<_>>().join(", ");
            let mut err = ApiError::new(Reason::BadRequest, format!("{prefix}: strict decoding error: {list}"));
            err.hints = unknown
                .iter()
                .filter_map(|u| {
                    let s = u.suggestion.as_ref()?;
                    let parent = u.path.rsplit_once('.').map_or(String::new(), |(p, _)| format!("{p}."));
                    Some(format!("unknown field \"{}\": did you mean \"{parent}{s}\"?", u.path))
                })
                .collect();
            Err(err)
        }
    }
}

fn version_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or(api_version, |(_, v)| v)
}

/// `Pod "x" is invalid: a` or `… is invalid: [a, b]`.
fn invalid(info: &KindInfo, name: &str, errs: Vec<FieldError>) -> ApiError {
    let list: Vec<String> = errs.iter().map(ToString::to_string).collect();
    let body = if list.len() == 1 { list[0].clone() } else { format!("[{}]", list.join(", ")) };
    ApiError::new(Reason::Invalid, format!("{} \"{name}\" is invalid: {body}", info.qualified_kind))
}

/// Everything wrong with `obj`'s content, for its kind.
fn validate(obj: &Object) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(labels) = &obj.metadata.labels {
        errs.extend(validation::validate_labels("metadata.labels", labels));
    }
    if let Some(ann) = &obj.metadata.annotations {
        errs.extend(validation::validate_annotations(ann));
    }
    let body = Value::Object(obj.body.clone());
    let spec = &body["spec"];
    let template_labels = || -> std::collections::BTreeMap<String, String> {
        serde_json::from_value(spec["template"]["metadata"]["labels"].clone()).unwrap_or_default()
    };
    let all = ["Always", "OnFailure", "Never"];
    match obj.kind.as_str() {
        "Pod" => errs.extend(validation::validate_pod_spec("spec", spec, &all)),
        "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" => {
            errs.extend(validation::validate_selector_matches_template(spec, &template_labels()));
            errs.extend(validation::validate_pod_spec("spec.template.spec", &spec["template"]["spec"], &["Always"]));
            if let Some(r) = spec["replicas"].as_i64().filter(|r| *r < 0) {
                errs.push(FieldError {
                    path: "spec.replicas".into(),
                    detail: format!("Invalid value: {r}: must be greater than or equal to 0"),
                });
            }
            if obj.kind == "DaemonSet" {
                errs.extend(validation::apps::validate_daemon_set_update_strategy(spec));
            }
        }
        "Job" => {
            errs.extend(validation::validate_pod_spec(
                "spec.template.spec",
                &spec["template"]["spec"],
                &["OnFailure", "Never"],
            ));
            errs.extend(validation::batch::validate_job_spec("spec", spec));
        }
        "CronJob" => {
            let tpl = &spec["jobTemplate"]["spec"]["template"]["spec"];
            errs.extend(validation::validate_pod_spec(
                "spec.jobTemplate.spec.template.spec",
                tpl,
                &["OnFailure", "Never"],
            ));
            errs.extend(validation::batch::validate_job_spec("spec.jobTemplate.spec", &spec["jobTemplate"]["spec"]));
            errs.extend(validation::batch::validate_cron_job_spec(spec));
        }
        "Service" => errs.extend(validation::validate_service_spec(spec)),
        "Ingress" => errs.extend(validation::networking::validate_ingress(obj, spec)),
        "IngressClass" => errs.extend(validation::networking::validate_ingress_class_spec(spec)),
        "ResourceQuota" => errs.extend(validation::validate_quota_spec(spec)),
        "Node" => errs.extend(validation::validate_node_taints(spec)),
        "ConfigMap" => errs.extend(validation::validate_config_map_size(&body)),
        "Secret" => errs.extend(validation::validate_secret_size(&body)),
        _ => {}
    }
    errs
}

/// Creates `obj` through the whole admission chain.
pub fn create(sim: &mut Sim, mut obj: Object) -> Result<Object, ApiError> {
    let info = resolve_kind(sim, &obj.api_version, &obj.kind)?;
    check_fields_unless_built_in(sim, &info, &obj)?;
    // A generated name is made at the very end, as the registry does: until then, messages
    // name the object by its prefix (`pods "web-7d9f8c6b5-" is forbidden: …`).
    let generate = obj.name().is_empty();
    let display = match (generate, obj.metadata.generate_name.clone()) {
        (false, _) => obj.name().to_string(),
        (true, Some(prefix)) if !prefix.is_empty() => prefix,
        (true, _) => {
            let detail = "Required value: name or generateName is required".into();
            return Err(invalid(&info, "", vec![FieldError { path: "metadata.name".into(), detail }]));
        }
    };
    let checked_name = if generate { format!("{display}x") } else { display.clone() };
    let mut errs = validation::validate_name(&checked_name, validation::name_rule(&obj.kind));
    errs.extend(validate(&obj));
    if !errs.is_empty() {
        return Err(invalid(&info, &display, errs));
    }
    sim.check_limits(&obj, &display)?;
    defaults::default_object(&obj.kind, &mut obj.body);
    defaults::default_metadata(&mut obj);
    if obj.kind == "Namespace" {
        defaults::admit_namespace(&mut obj);
    }
    if obj.kind == "Pod" {
        quota::limit_ranger(sim, &mut obj, &display)?;
        admit_priority(sim, &info, &mut obj, &display)?;
        let suffix = sim.rng_mut().name_suffix(5);
        defaults::admit_pod(&mut obj.body, &suffix);
        // The pod registry's PrepareForCreate: a new pod is Pending, with its QoS class, until
        // its kubelet reports (a mirror pod, or one made with a nodeName, is never scheduled).
        // SIM: upstream replaces whatever status was sent; here only what is missing is filled.
        let qos = crate::sim::kubelet::status::qos_class(&obj);
        if let Some(status) = obj.body.entry("status").or_insert_with(|| json!({})).as_object_mut() {
            status.entry("phase").or_insert_with(|| json!("Pending"));
            status.entry("qosClass").or_insert_with(|| json!(qos));
        }
    }
    if info.namespaced {
        let ns = obj.namespace().unwrap_or("default").to_string();
        if let Some(n) = sim.store().get("Namespace", None, &ns) {
            if n.metadata.deletion_timestamp.is_some() {
                return Err(ApiError::new(
                    Reason::Forbidden,
                    format!("{} \"{display}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", info.qualified_resource),
                ));
            }
        }
    }
    if info.namespaced {
        if obj.metadata.namespace.is_none() {
            obj.metadata.namespace = Some("default".into());
        }
        quota::admit(sim, &obj, &info.qualified_resource, &display)?;
    }
    if obj.kind == "PersistentVolumeClaim" {
        // The DefaultStorageClass admission plugin.
        let default = defaults::default_class(sim.store());
        let spec = obj.body.entry("spec").or_insert_with(|| json!({}));
        if spec["storageClassName"].is_null() {
            if let Some(class) = default {
                spec["storageClassName"] = json!(class);
            }
        }
    }
    if obj.kind == "Ingress" {
        ingress_class::admit_default_class(sim.store(), &mut obj);
    }
    if obj.kind == "Service" {
        let mut spec = obj.body.remove("spec").unwrap_or_else(|| json!({}));
        let result = services::allocate(sim, &mut spec, None);
        obj.body.insert("spec".into(), spec);
        if let Err(errs) = result {
            return Err(invalid(&info, &display, errs));
        }
    }
    if generate {
        let suffix = sim.rng_mut().name_suffix(5);
        obj.metadata.name = Some(format!("{display}{suffix}"));
    }
    call_webhooks(sim, &info, "CREATE", &obj)?;
    let created = sim.store_create(obj, info.namespaced)?;
    if created.kind == "Namespace" {
        populate_namespace(sim, created.name());
    }
    Ok(after_rbac_write(sim, created))
}

/// The Priority admission plugin: a pod's `priorityClassName` (or the global default class)
/// sets its `priority` and `preemptionPolicy`.
fn admit_priority(sim: &Sim, info: &KindInfo, pod: &mut Object, display: &str) -> Result<(), ApiError> {
    let spec = pod.body.entry("spec").or_insert_with(|| json!({}));
    let class = match spec["priorityClassName"].as_str().filter(|s| !s.is_empty()) {
        Some(name) => match sim.store().get("PriorityClass", None, name) {
            Some(pc) => Some(pc.clone()),
            None => {
                let name = name.to_string();
                return Err(ApiError::new(
                    Reason::Forbidden,
                    format!(
                        "{} \"{}\" is forbidden: no PriorityClass with name {name} was found",
                        info.qualified_resource, display
                    ),
                ));
            }
        },
        None => sim
            .store()
            .list("PriorityClass", None)
            .find(|pc| pc.body.get("globalDefault") == Some(&json!(true)))
            .cloned(),
    };
    if let Some(pc) = class {
        let spec = pod.body.get_mut("spec").expect("spec was just ensured");
        spec["priority"] = pc.body.get("value").cloned().unwrap_or(json!(0));
        if let Some(policy) = pc.body.get("preemptionPolicy") {
            spec["preemptionPolicy"] = policy.clone();
        }
        if spec["priorityClassName"].is_null() {
            spec["priorityClassName"] = json!(pc.name());
        }
    }
    Ok(())
}

/// The PriorityClasses every cluster has.
pub fn system_priority_classes() -> Vec<Object> {
    [("system-cluster-critical", 2_000_000_000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
     ("system-node-critical", 2_000_001_000, "Used for system critical pods that must not be moved from their current node.")]
        .into_iter()
        .map(|(name, value, description)| {
            let mut pc = Object::new("scheduling.k8s.io/v1", "PriorityClass", name);
            pc.body.insert("value".into(), json!(value));
            pc.body.insert("description".into(), json!(description));
            pc.body.insert("preemptionPolicy".into(), json!("PreemptLowerPriority"));
            pc
        })
        .collect()
}

/// What the namespace's controllers add to every new namespace: the `default` ServiceAccount
/// and the `kube-root-ca.crt` ConfigMap.
// SIM: upstream's serviceaccount and root-ca-cert-publisher controllers do this a moment later.
fn populate_namespace(sim: &mut Sim, ns: &str) {
    let mut sa = Object::new("v1", "ServiceAccount", "default");
    sa.metadata.namespace = Some(ns.to_string());
    let mut ca = Object::new("v1", "ConfigMap", "kube-root-ca.crt");
    ca.metadata.namespace = Some(ns.to_string());
    ca.metadata.annotations = Some([("kubernetes.io/description".to_string(), "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.".to_string())].into());
    ca.body.insert("data".into(), json!({"ca.crt": "-----BEGIN CERTIFICATE-----\nMIIC/jCCAeagAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\ncm5ldGVzMB4XDTI1MDEwMTAwMDAwMFoXDTM1MDEwMTAwMDAwMFowFTETMBEGA1UE\nAxMKa3ViZXJuZXRlczCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAKSB\n-----END CERTIFICATE-----\n"}));
    for obj in [sa, ca] {
        let _ = sim.store_create(obj, true);
    }
}

/// Replaces an object (PUT): the same checks as create, plus a current resourceVersion.
pub fn update(sim: &mut Sim, mut obj: Object) -> Result<Object, ApiError> {
    let info = resolve_kind(sim, &obj.api_version, &obj.kind)?;
    check_fields_unless_built_in(sim, &info, &obj)?;
    if !info.namespaced {
        obj.metadata.namespace = None;
    } else if obj.metadata.namespace.is_none() {
        obj.metadata.namespace = Some("default".into());
    }
    let errs = validate(&obj);
    if !errs.is_empty() {
        return Err(invalid(&info, obj.name(), errs));
    }
    defaults::default_object(&obj.kind, &mut obj.body);
    defaults::default_metadata(&mut obj);
    if obj.kind == "Pod" {
        let ns = obj.namespace().unwrap_or("default").to_string();
        if let Some(old) = sim.store().get("Pod", Some(&ns), obj.name()) {
            if let Some(e) = validation::pod_update(old.body.get("spec"), obj.body.get("spec")) {
                return Err(invalid(&info, obj.name(), vec![e]));
            }
        }
    }
    if obj.kind == "StatefulSet" {
        let ns = obj.namespace().unwrap_or("default").to_string();
        if let Some(old) = sim.store().get("StatefulSet", Some(&ns), obj.name()) {
            if let Some(e) = validation::statefulset_update(old.body.get("spec"), obj.body.get("spec")) {
                return Err(invalid(&info, obj.name(), vec![e]));
            }
        }
    }
    if obj.kind == "Service" {
        let ns = obj.namespace().unwrap_or("default").to_string();
        let old = sim.store().get("Service", Some(&ns), obj.name()).map(|o| o.body.get("spec").cloned());
        if let Some(old) = old {
            let mut spec = obj.body.remove("spec").unwrap_or_else(|| serde_json::json!({}));
            let name = obj.name().to_string();
            let result = services::allocate_on_update(sim, &old.unwrap_or_default(), &mut spec, &ns, &name);
            obj.body.insert("spec".into(), spec);
            if let Err(errs) = result {
                return Err(invalid(&info, &name, errs));
            }
        }
    }
    call_webhooks(sim, &info, "UPDATE", &obj)?;
    let updated = sim.store_update(obj)?;
    Ok(after_rbac_write(sim, updated))
}

/// The admission webhooks, mutating then validating (see [`webhooks`]).
fn call_webhooks(sim: &Sim, info: &KindInfo, op: &'static str, obj: &Object) -> Result<(), ApiError> {
    webhooks::admit(sim, "MutatingWebhookConfiguration", info, op, obj)?;
    webhooks::admit(sim, "ValidatingWebhookConfiguration", info, op, obj)
}

/// A ClusterRole written: re-run the aggregation (see [`rbac::aggregate`]) and hand back the
/// role as it now stands.
fn after_rbac_write(sim: &mut Sim, obj: Object) -> Object {
    if obj.kind != "ClusterRole" || sim.rbac_aggregation_deferred {
        return obj;
    }
    rbac::aggregate(sim);
    sim.store().get("ClusterRole", None, obj.name()).cloned().unwrap_or(obj)
}

/// Patches an object: the patch is applied to the stored object, and the result goes
/// through the same checks as an update.
pub fn patch(
    sim: &mut Sim,
    kind: &str,
    namespace: Option<&str>,
    name: &str,
    ty: patch::PatchType,
    body: &Value,
) -> Result<Object, ApiError> {
    let Some(current) = sim.store().get(kind, namespace, name).cloned() else {
        return Err(not_found(kind, name));
    };
    let merged = patch::apply(ty, &current.to_value(), body).map_err(|e| ApiError::new(Reason::BadRequest, e))?;
    let mut obj = Object::from_value(merged).map_err(|e| ApiError::new(Reason::BadRequest, e.to_string()))?;
    check_patched_identity(&current, &obj)?;
    obj.metadata.name = current.metadata.name.clone();
    obj.metadata.namespace = current.metadata.namespace.clone();
    obj.metadata.resource_version = None;
    update(sim, obj)
}

/// A patched object must still be the one the request names (upstream `checkName` and the
/// REST handler's namespace check); a name or namespace patched away is filled in later.
pub fn check_patched_identity(current: &Object, patched: &Object) -> Result<(), ApiError> {
    if !patched.name().is_empty() && patched.name() != current.name() {
        let msg = format!(
            "the name of the object ({}) does not match the name on the URL ({})",
            patched.name(),
            current.name()
        );
        return Err(ApiError::new(Reason::BadRequest, msg));
    }
    if patched.namespace().is_some_and(|n| !n.is_empty()) && patched.metadata.namespace != current.metadata.namespace {
        let msg = "the namespace of the provided object does not match the namespace sent on the request";
        return Err(ApiError::new(Reason::BadRequest, msg.to_string()));
    }
    Ok(())
}

fn not_found(kind: &str, name: &str) -> ApiError {
    let resource = discovery::preferred_for_kind(kind).map_or_else(
        || format!("{}s", kind.to_ascii_lowercase()),
        |r| if r.group().is_empty() { r.plural.to_string() } else { format!("{}.{}", r.plural, r.group()) },
    );
    ApiError::new(Reason::NotFound, format!("{resource} \"{name}\" not found"))
}

/// Deletes an object. Objects with finalizers, and pods running on a node (which must be
/// stopped gracefully), get a `deletionTimestamp` and go later; others go now.
pub fn delete(
    sim: &mut Sim,
    kind: &str,
    namespace: Option<&str>,
    name: &str,
    propagation: Propagation,
) -> Result<Object, ApiError> {
    delete_with_grace(sim, kind, namespace, name, propagation, None)
}

/// The namespaces the NamespaceLifecycle admission plugin never lets go.
const IMMORTAL_NAMESPACES: [&str; 3] = ["default", "kube-system", "kube-public"];

/// Refuses what upstream refuses to delete: the immortal namespaces, and the system
/// PriorityClasses (their registry's own rule).
fn forbid_deleting_system_objects(kind: &str, name: &str) -> Result<(), ApiError> {
    let why = match kind {
        "Namespace" if IMMORTAL_NAMESPACES.contains(&name) => "this namespace may not be deleted",
        "PriorityClass" if system_priority_classes().iter().any(|pc| pc.name() == name) => {
            "this is a system priority class and cannot be deleted"
        }
        _ => return Ok(()),
    };
    let resource = if kind == "Namespace" { "namespaces" } else { "priorityclasses.scheduling.k8s.io" };
    Err(ApiError {
        reason: Reason::Forbidden,
        message: format!("{resource} \"{name}\" is forbidden: {why}"),
        hints: Vec::new(),
    })
}

/// What `kubectl delete --dry-run` finds, deleting nothing: with `server` (`dryRun=All`) the
/// checks a real delete makes, with `client` only the GET kubectl makes first.
pub fn delete_dry_run(
    sim: &Sim,
    kind: &str,
    namespace: Option<&str>,
    name: &str,
    server: bool,
) -> Result<Object, ApiError> {
    let Some(obj) = sim.store().get(kind, namespace, name).cloned() else {
        return Err(not_found(kind, name));
    };
    if server {
        forbid_deleting_system_objects(kind, name)?;
    }
    Ok(obj)
}

/// Deletes with an explicit grace period (`kubectl delete --grace-period`, `--now`, `--force`):
/// 0 removes a pod at once, without waiting for its kubelet.
pub fn delete_with_grace(
    sim: &mut Sim,
    kind: &str,
    namespace: Option<&str>,
    name: &str,
    propagation: Propagation,
    grace_override: Option<i64>,
) -> Result<Object, ApiError> {
    let Some(obj) = sim.store().get(kind, namespace, name).cloned() else {
        return Err(not_found(kind, name));
    };
    forbid_deleting_system_objects(kind, name)?;
    if obj.metadata.deletion_timestamp.is_some() {
        return Ok(obj); // already going
    }
    let mut obj = obj;
    let mut finalizers = obj.metadata.finalizers.clone().unwrap_or_default();
    match propagation {
        Propagation::Orphan => orphan_dependents(sim, &obj),
        Propagation::Foreground if !sim.store().dependents_of(obj.uid()).is_empty() => {
            finalizers.push("foregroundDeletion".into());
        }
        _ => {}
    }
    let graceful_pod = kind == "Pod" && obj.field("spec.nodeName").is_some() && grace_override != Some(0);
    if finalizers.is_empty() && !graceful_pod {
        let removed = sim.store_delete(kind, namespace, name)?;
        after_removal(sim, &removed);
        return Ok(removed);
    }
    let now = sim.now();
    obj.metadata.finalizers = (!finalizers.is_empty()).then_some(finalizers);
    let grace = if graceful_pod {
        grace_override
            .unwrap_or_else(|| obj.field("spec.terminationGracePeriodSeconds").and_then(Value::as_i64).unwrap_or(30))
    } else {
        0
    };
    obj.metadata.deletion_timestamp =
        Some(super::store::time(now + std::time::Duration::from_secs(grace.max(0) as u64)));
    obj.metadata.deletion_grace_period_seconds = Some(grace);
    obj.metadata.resource_version = None;
    let marked = sim.store_update(obj)?;
    if propagation == Propagation::Foreground {
        collect_dependents(sim, marked.uid());
    }
    Ok(marked)
}

/// Removes a finalizer; an object being deleted goes once its last finalizer is gone.
pub fn remove_finalizer(sim: &mut Sim, key: &ObjectKey, finalizer: &str) {
    let Some(mut obj) = sim.store().get_key(key).cloned() else { return };
    let mut list = obj.metadata.finalizers.take().unwrap_or_default();
    list.retain(|f| f != finalizer);
    let ns = (!key.namespace.is_empty()).then_some(key.namespace.as_str());
    if list.is_empty() && obj.metadata.deletion_timestamp.is_some() {
        if let Ok(removed) = sim.store_delete(&key.kind, ns, &key.name) {
            after_removal(sim, &removed);
        }
        return;
    }
    obj.metadata.finalizers = (!list.is_empty()).then_some(list);
    obj.metadata.resource_version = None;
    let _ = sim.store_update(obj);
}

/// After an object is gone: its dependents are garbage, its namespace's content goes with it,
/// and an owner waiting in foreground deletion may now go too.
fn after_removal(sim: &mut Sim, removed: &Object) {
    collect_dependents(sim, removed.uid());
    if removed.kind == "Namespace" {
        // SIM: the namespace controller empties a deleted namespace at once.
        let ns = removed.name().to_string();
        let keys: Vec<ObjectKey> = sim.store().keys_in_namespace(&ns);
        for k in keys {
            let _ = sim.store_delete(&k.kind, Some(&ns), &k.name);
        }
    }
    for owner in removed.metadata.owner_references.iter().flatten() {
        let waiting = sim.store().find_by_uid(&owner.uid);
        if let Some(key) = waiting {
            let owner_obj = sim.store().get_key(&key);
            let foreground =
                owner_obj.is_some_and(|o| o.metadata.finalizers.iter().flatten().any(|f| f == "foregroundDeletion"));
            if foreground && sim.store().dependents_of(&owner.uid).is_empty() {
                remove_finalizer(sim, &key, "foregroundDeletion");
            }
        }
    }
}

/// The garbage collector: deletes (in the background) every object owned by `uid`.
fn collect_dependents(sim: &mut Sim, uid: &str) {
    if uid.is_empty()
        || sim
            .store()
            .find_by_uid(uid)
            .is_some_and(|k| sim.store().get_key(&k).is_some_and(|o| o.metadata.deletion_timestamp.is_none()))
    {
        return;
    }
    for key in sim.store().dependents_of(uid) {
        let ns = (!key.namespace.is_empty()).then(|| key.namespace.clone());
        let _ = delete(sim, &key.kind, ns.as_deref(), &key.name, Propagation::Background);
    }
}

/// Orphan deletion: dependents lose their reference to `owner` and stay.
fn orphan_dependents(sim: &mut Sim, owner: &Object) {
    for key in sim.store().dependents_of(owner.uid()) {
        let Some(mut dep) = sim.store().get_key(&key).cloned() else { continue };
        if let Some(refs) = dep.metadata.owner_references.as_mut() {
            refs.retain(|r| r.uid != owner.uid());
        }
        if dep.metadata.owner_references.as_ref().is_some_and(Vec::is_empty) {
            dep.metadata.owner_references = None;
        }
        dep.metadata.resource_version = None;
        let _ = sim.store_update(dep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest;
    use crate::sim::SimConfig;

    fn sim() -> Sim {
        Sim::new(SimConfig::default())
    }

    fn one(yaml: &str) -> Object {
        manifest::parse(yaml).unwrap().remove(0)
    }

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";

    #[test]
    fn unknown_kind_is_refused_as_kubectl_reports_it() {
        let err =
            create(&mut sim(), one("apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n")).unwrap_err();
        assert_eq!(err.message, "no matches for kind \"Gadget\" in version \"example.com/v1\"");
        let err = create(&mut sim(), one("apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: g\n"))
            .unwrap_err();
        assert_eq!(err.reason, Reason::NoKindMatch);
    }

    #[test]
    fn unknown_field_is_refused_with_strict_decoding_message_and_hint() {
        let mut s = sim();
        let err = create(&mut s, one(&DEPLOY.replace("replicas: 2", "replica: 2"))).unwrap_err();
        assert_eq!(err.reason, Reason::BadRequest);
        assert_eq!(err.message, "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\"");
        assert_eq!(err.hints, ["unknown field \"spec.replica\": did you mean \"spec.replicas\"?"]);
        assert!(s.store().get("Deployment", Some("default"), "web").is_none());
    }

    #[test]
    fn invalid_name_is_refused_and_changes_nothing() {
        let mut s = sim();
        let rv = s.store().resource_version();
        let err = create(&mut s, one(&DEPLOY.replace("name: web\nspec", "name: Web_1\nspec"))).unwrap_err();
        assert_eq!(err.reason, Reason::Invalid);
        assert!(err.message.starts_with("Deployment.apps \"Web_1\" is invalid: metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain"), "{}", err.message);
        assert_eq!(s.store().resource_version(), rv);
    }

    #[test]
    fn selector_must_match_template_labels() {
        let err = create(&mut sim(), one(&DEPLOY.replace("        app: web\n    spec", "        app: api\n    spec")))
            .unwrap_err();
        assert_eq!(err.message, "Deployment.apps \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`");
    }

    #[test]
    fn created_deployment_is_defaulted() {
        let mut s = sim();
        let d = create(&mut s, one(DEPLOY)).unwrap();
        assert_eq!(d.field("spec.progressDeadlineSeconds"), Some(&json!(600)));
        assert_eq!(d.metadata.generation, Some(1));
        assert_eq!(d.namespace(), Some("default"));
    }

    #[test]
    fn new_namespace_gets_default_service_account_and_root_ca() {
        let mut s = sim();
        create(&mut s, one("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n")).unwrap();
        assert!(s.store().get("ServiceAccount", Some("shop"), "default").is_some());
        assert!(s.store().get("ConfigMap", Some("shop"), "kube-root-ca.crt").is_some());
        for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            assert!(s.store().get("ServiceAccount", Some(ns), "default").is_some(), "{ns}");
        }
    }

    #[test]
    fn priority_class_sets_pod_priority_and_unknown_class_is_forbidden() {
        let mut s = sim();
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  priorityClassName: system-node-critical\n  containers:\n  - {name: c, image: nginx}\n";
        let p = create(&mut s, one(pod)).unwrap();
        assert_eq!(p.field("spec.priority"), Some(&json!(2_000_001_000)));
        let err = create(&mut s, one(&pod.replace("name: p\n", "name: q\n").replace("system-node-critical", "gold")))
            .unwrap_err();
        assert_eq!(err.message, "pods \"q\" is forbidden: no PriorityClass with name gold was found");
    }

    #[test]
    fn strategic_patch_changes_an_image_and_bumps_generation() {
        let mut s = sim();
        create(&mut s, one(DEPLOY)).unwrap();
        let body = json!({"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}}}});
        let d = patch(&mut s, "Deployment", Some("default"), "web", patch::PatchType::Strategic, &body).unwrap();
        assert_eq!(d.field("spec.template.spec.containers").unwrap()[0]["image"], "nginx:1.28");
        assert_eq!(d.metadata.generation, Some(2));
        let bad = json!({"spec": {"replicas": -3}});
        let err = patch(&mut s, "Deployment", Some("default"), "web", patch::PatchType::Merge, &bad).unwrap_err();
        assert_eq!(
            err.message,
            "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -3: must be greater than or equal to 0"
        );
    }

    #[test]
    fn generate_name_gets_a_random_suffix() {
        let mut s = sim();
        let o = create(&mut s, one("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: cfg-\n")).unwrap();
        assert!(o.name().starts_with("cfg-") && o.name().len() == 9, "{}", o.name());
    }

    #[test]
    fn crd_makes_its_kind_storable() {
        let mut s = sim();
        let gadget = "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  size: 3\n";
        assert!(create(&mut s, one(gadget)).is_err());
        create(&mut s, one("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: gadgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names:\n    kind: Gadget\n    plural: gadgets\n    singular: gadget\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        x-kubernetes-preserve-unknown-fields: true\n")).unwrap();
        let g = create(&mut s, one(gadget)).unwrap();
        assert_eq!(g.namespace(), Some("default"));
    }

    #[test]
    fn background_deletion_collects_dependents() {
        let mut s = sim();
        let owner = create(&mut s, one("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owner\n")).unwrap();
        let mut dep = one("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dep\n");
        dep.metadata.owner_references = Some(vec![k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
            api_version: "v1".into(),
            kind: "ConfigMap".into(),
            name: "owner".into(),
            uid: owner.uid().into(),
            ..Default::default()
        }]);
        create(&mut s, dep.clone()).unwrap();
        delete(&mut s, "ConfigMap", Some("default"), "owner", Propagation::Background).unwrap();
        assert!(s.store().get("ConfigMap", Some("default"), "dep").is_none());

        // Orphan: the dependent stays, without its owner reference.
        let owner = create(&mut s, one("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owner\n")).unwrap();
        dep.metadata.owner_references.as_mut().unwrap()[0].uid = owner.uid().into();
        create(&mut s, dep).unwrap();
        delete(&mut s, "ConfigMap", Some("default"), "owner", Propagation::Orphan).unwrap();
        let kept = s.store().get("ConfigMap", Some("default"), "dep").unwrap();
        assert!(kept.metadata.owner_references.is_none());
    }

    #[test]
    fn finalizers_hold_deletion_until_removed() {
        let mut s = sim();
        create(
            &mut s,
            one("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\n"),
        )
        .unwrap();
        let marked = delete(&mut s, "ConfigMap", Some("default"), "held", Propagation::Background).unwrap();
        assert!(marked.metadata.deletion_timestamp.is_some());
        let key = ObjectKey::of(&marked);
        remove_finalizer(&mut s, &key, "example.com/hold");
        assert!(s.store().get_key(&key).is_none());
    }

    #[test]
    fn deleting_a_namespace_deletes_its_content() {
        let mut s = sim();
        create(&mut s, one("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tmp\n")).unwrap();
        create(&mut s, one("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: tmp\n")).unwrap();
        delete(&mut s, "Namespace", None, "tmp", Propagation::Background).unwrap();
        assert!(s.store().get("ConfigMap", Some("tmp"), "c").is_none());
    }
}

//! Discovery: the resource types the API server serves, as `kubectl api-resources` lists them.
//!
//! Built-in types of the current Kubernetes release, with their group/version, plural and
//! short names and scope. `lookup_kind` is how the API server decides whether it knows a
//! manifest's `apiVersion`/`kind` at all.

/// One served resource type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// Plural, lowercase: `deployments`.
    pub plural: &'static str,
    /// Short names kubectl accepts: `deploy`.
    pub short_names: &'static [&'static str],
    /// `group/version`, or just `v1` for the core group.
    pub api_version: &'static str,
    /// Whether objects live in a namespace.
    pub namespaced: bool,
    /// The kind: `Deployment`.
    pub kind: &'static str,
}

impl Resource {
    /// The API group (`""` for core).
    pub fn group(&self) -> &'static str {
        self.api_version.rsplit_once('/').map_or("", |(g, _)| g)
    }
}

macro_rules! resources {
    ($( $plural:literal [$($short:literal),*] $av:literal $ns:literal $kind:literal ;)*) => {
        &[$( Resource { plural: $plural, short_names: &[$($short),*], api_version: $av,
                        namespaced: $ns, kind: $kind }, )*]
    };
}

/// Every built-in resource type, in the order `kubectl api-resources` prints them
/// (core group first, then groups alphabetically).
pub const BUILT_IN: &[Resource] = resources! {
    "bindings" [] "v1" true "Binding";
    "componentstatuses" ["cs"] "v1" false "ComponentStatus";
    "configmaps" ["cm"] "v1" true "ConfigMap";
    "endpoints" ["ep"] "v1" true "Endpoints";
    "events" ["ev"] "v1" true "Event";
    "limitranges" ["limits"] "v1" true "LimitRange";
    "namespaces" ["ns"] "v1" false "Namespace";
    "nodes" ["no"] "v1" false "Node";
    "persistentvolumeclaims" ["pvc"] "v1" true "PersistentVolumeClaim";
    "persistentvolumes" ["pv"] "v1" false "PersistentVolume";
    "pods" ["po"] "v1" true "Pod";
    "podtemplates" [] "v1" true "PodTemplate";
    "replicationcontrollers" ["rc"] "v1" true "ReplicationController";
    "resourcequotas" ["quota"] "v1" true "ResourceQuota";
    "secrets" [] "v1" true "Secret";
    "serviceaccounts" ["sa"] "v1" true "ServiceAccount";
    "services" ["svc"] "v1" true "Service";
    "mutatingwebhookconfigurations" [] "admissionregistration.k8s.io/v1" false "MutatingWebhookConfiguration";
    "validatingadmissionpolicies" [] "admissionregistration.k8s.io/v1" false "ValidatingAdmissionPolicy";
    "validatingadmissionpolicybindings" [] "admissionregistration.k8s.io/v1" false "ValidatingAdmissionPolicyBinding";
    "validatingwebhookconfigurations" [] "admissionregistration.k8s.io/v1" false "ValidatingWebhookConfiguration";
    "customresourcedefinitions" ["crd", "crds"] "apiextensions.k8s.io/v1" false "CustomResourceDefinition";
    "apiservices" [] "apiregistration.k8s.io/v1" false "APIService";
    "controllerrevisions" [] "apps/v1" true "ControllerRevision";
    "daemonsets" ["ds"] "apps/v1" true "DaemonSet";
    "deployments" ["deploy"] "apps/v1" true "Deployment";
    "replicasets" ["rs"] "apps/v1" true "ReplicaSet";
    "statefulsets" ["sts"] "apps/v1" true "StatefulSet";
    "selfsubjectreviews" [] "authentication.k8s.io/v1" false "SelfSubjectReview";
    "tokenreviews" [] "authentication.k8s.io/v1" false "TokenReview";
    "localsubjectaccessreviews" [] "authorization.k8s.io/v1" true "LocalSubjectAccessReview";
    "selfsubjectaccessreviews" [] "authorization.k8s.io/v1" false "SelfSubjectAccessReview";
    "selfsubjectrulesreviews" [] "authorization.k8s.io/v1" false "SelfSubjectRulesReview";
    "subjectaccessreviews" [] "authorization.k8s.io/v1" false "SubjectAccessReview";
    "horizontalpodautoscalers" ["hpa"] "autoscaling/v2" true "HorizontalPodAutoscaler";
    "cronjobs" ["cj"] "batch/v1" true "CronJob";
    "jobs" [] "batch/v1" true "Job";
    "certificatesigningrequests" ["csr"] "certificates.k8s.io/v1" false "CertificateSigningRequest";
    "leases" [] "coordination.k8s.io/v1" true "Lease";
    "endpointslices" [] "discovery.k8s.io/v1" true "EndpointSlice";
    "events" ["ev"] "events.k8s.io/v1" true "Event";
    "flowschemas" [] "flowcontrol.apiserver.k8s.io/v1" false "FlowSchema";
    "prioritylevelconfigurations" [] "flowcontrol.apiserver.k8s.io/v1" false "PriorityLevelConfiguration";
    "ingressclasses" [] "networking.k8s.io/v1" false "IngressClass";
    "ingresses" ["ing"] "networking.k8s.io/v1" true "Ingress";
    "ipaddresses" ["ip"] "networking.k8s.io/v1" false "IPAddress";
    "networkpolicies" ["netpol"] "networking.k8s.io/v1" true "NetworkPolicy";
    "servicecidrs" [] "networking.k8s.io/v1" false "ServiceCIDR";
    "runtimeclasses" [] "node.k8s.io/v1" false "RuntimeClass";
    "poddisruptionbudgets" ["pdb"] "policy/v1" true "PodDisruptionBudget";
    "clusterrolebindings" [] "rbac.authorization.k8s.io/v1" false "ClusterRoleBinding";
    "clusterroles" [] "rbac.authorization.k8s.io/v1" false "ClusterRole";
    "rolebindings" [] "rbac.authorization.k8s.io/v1" true "RoleBinding";
    "roles" [] "rbac.authorization.k8s.io/v1" true "Role";
    "deviceclasses" [] "resource.k8s.io/v1" false "DeviceClass";
    "resourceclaims" [] "resource.k8s.io/v1" true "ResourceClaim";
    "resourceclaimtemplates" [] "resource.k8s.io/v1" true "ResourceClaimTemplate";
    "resourceslices" [] "resource.k8s.io/v1" false "ResourceSlice";
    "priorityclasses" ["pc"] "scheduling.k8s.io/v1" false "PriorityClass";
    "csidrivers" [] "storage.k8s.io/v1" false "CSIDriver";
    "csinodes" [] "storage.k8s.io/v1" false "CSINode";
    "csistoragecapacities" [] "storage.k8s.io/v1" true "CSIStorageCapacity";
    "storageclasses" ["sc"] "storage.k8s.io/v1" false "StorageClass";
    "volumeattachments" [] "storage.k8s.io/v1" false "VolumeAttachment";
    "volumeattributesclasses" ["vac"] "storage.k8s.io/v1" false "VolumeAttributesClass";
};

/// Versions served besides the preferred one in [`BUILT_IN`] (`autoscaling/v1` for HPAs).
const ALSO_SERVED: &[(&str, &str)] = &[("autoscaling/v1", "HorizontalPodAutoscaler")];

/// The built-in resource for `apiVersion` + `kind`, if this API server serves that pair.
pub fn lookup_kind(api_version: &str, kind: &str) -> Option<&'static Resource> {
    let preferred = BUILT_IN.iter().find(|r| r.kind == kind && r.api_version == api_version);
    preferred.or_else(|| {
        ALSO_SERVED
            .iter()
            .any(|&(v, k)| v == api_version && k == kind)
            .then(|| BUILT_IN.iter().find(|r| r.kind == kind))
            .flatten()
    })
}

/// The built-in resource of `kind` in its preferred version (core group first).
pub fn preferred_for_kind(kind: &str) -> Option<&'static Resource> {
    BUILT_IN.iter().find(|r| r.kind == kind)
}

/// The resource a name typed on the command line means: plural, singular, short name or
/// kind, any case (`po`, `pod`, `pods`, `Pod`), optionally qualified by group (`deployments.apps`).
pub fn lookup_name(name: &str) -> Option<&'static Resource> {
    let lower = name.to_ascii_lowercase();
    let (base, group) = lower.split_once('.').map_or((lower.as_str(), None), |(b, g)| (b, Some(g)));
    BUILT_IN.iter().find(|r| {
        let kind = r.kind.to_ascii_lowercase();
        let matches = r.plural == base || kind == base || r.short_names.contains(&base);
        matches && group.is_none_or(|g| r.group() == g)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_core_and_grouped_kinds() {
        assert_eq!(lookup_kind("v1", "Pod").unwrap().plural, "pods");
        assert_eq!(lookup_kind("apps/v1", "Deployment").unwrap().short_names, ["deploy"]);
        assert_eq!(
            lookup_kind("autoscaling/v1", "HorizontalPodAutoscaler").unwrap().plural,
            "horizontalpodautoscalers"
        );
    }

    #[test]
    fn refuses_wrong_versions_and_unknown_kinds() {
        assert!(lookup_kind("extensions/v1beta1", "Deployment").is_none());
        assert!(lookup_kind("apps/v1", "Pod").is_none());
        assert!(lookup_kind("v1", "Gadget").is_none());
    }

    #[test]
    fn command_line_names_resolve_as_kubectl_does() {
        for n in ["po", "pod", "pods", "Pod", "PODS"] {
            assert_eq!(lookup_name(n).unwrap().kind, "Pod", "{n}");
        }
        assert_eq!(lookup_name("deployments.apps").unwrap().kind, "Deployment");
        assert_eq!(lookup_name("deploy").unwrap().kind, "Deployment");
        assert!(lookup_name("deployments.batch").is_none());
        assert!(lookup_name("foo").is_none());
    }
}

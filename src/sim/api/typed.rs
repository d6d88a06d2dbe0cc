//! The typed schema of every built-in kind: which k8s-openapi type decodes a given
//! `apiVersion`/`kind`, so the API server can check a manifest's fields strictly.

use serde_json::Value;

#[cfg(test)]
use super::strict;
use super::strict::{DecodeError, UnknownField};

/// Checks a value as its kind (see [`super::shape::check`]) and returns the unknown fields it carries.
pub type Checker = fn(&Value) -> Result<Vec<UnknownField>, DecodeError>;

/// Lists the fields at a path of a kind (`kubectl explain`), see [`super::schema`].
pub type Explainer = fn(&[String]) -> Result<super::schema::Explained, String>;

/// A kind's k8s-openapi type, as the shape table's generator and its oracle tests use it:
/// probing its shape, explaining and strictly decoding through serde.
#[cfg(test)]
#[derive(Clone, Copy)]
pub struct Typed {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub probe: fn(&[String], bool) -> (Option<strict::Found>, bool),
    pub explain: Explainer,
    pub check: Checker,
}

#[cfg(test)]
fn check<T: serde::de::DeserializeOwned>(value: &Value) -> Result<Vec<UnknownField>, DecodeError> {
    strict::decode::<T>(value).map(|(_, unknown)| unknown)
}

// The checks and explanations walk the shape table (`shape.txt`), one shared path for every
// kind; the k8s-openapi types are named here only for the tests that generate that table and
// compare it with them.
macro_rules! checkers {
    ($( $av:literal $kind:literal => $ty:ty ;)*) => {
        /// The checker for `apiVersion` + `kind`, if the kind is built in and typed.
        pub fn checker_for(api_version: &str, kind: &str) -> Option<Checker> {
            match (api_version, kind) {
                $( ($av, $kind) => Some((|v: &Value| super::shape::check($av, $kind, v)) as Checker), )*
                _ => None,
            }
        }

        /// The explainer for `apiVersion` + `kind`, if the kind is built in and typed.
        pub fn explainer_for(api_version: &str, kind: &str) -> Option<Explainer> {
            match (api_version, kind) {
                $( ($av, $kind) => Some((|p: &[String]| super::shape::explain($av, $kind, p)) as Explainer), )*
                _ => None,
            }
        }

        /// Every typed kind with its k8s-openapi type's probe, explainer and strict decoder.
        #[cfg(test)]
        pub const TYPED: &[Typed] = &[
            $( Typed {
                api_version: $av,
                kind: $kind,
                probe: strict::probe_fine::<$ty>,
                explain: super::schema::explain::<$ty>,
                check: check::<$ty>,
            }, )*
        ];
    };
}

#[cfg(test)]
use k8s_openapi::api::{admissionregistration, apps, autoscaling, batch, certificates, coordination, core, discovery};
#[cfg(test)]
use k8s_openapi::api::{events, flowcontrol, networking, node, policy, rbac, resource, scheduling, storage};
#[cfg(test)]
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions;
#[cfg(test)]
use k8s_openapi::kube_aggregator::pkg::apis::apiregistration;

checkers! {
    "v1" "Binding" => core::v1::Binding;
    "v1" "ComponentStatus" => core::v1::ComponentStatus;
    "v1" "ConfigMap" => core::v1::ConfigMap;
    "v1" "Endpoints" => core::v1::Endpoints;
    "v1" "Event" => core::v1::Event;
    "v1" "LimitRange" => core::v1::LimitRange;
    "v1" "Namespace" => core::v1::Namespace;
    "v1" "Node" => core::v1::Node;
    "v1" "PersistentVolume" => core::v1::PersistentVolume;
    "v1" "PersistentVolumeClaim" => core::v1::PersistentVolumeClaim;
    "v1" "Pod" => core::v1::Pod;
    "v1" "PodTemplate" => core::v1::PodTemplate;
    "v1" "ReplicationController" => core::v1::ReplicationController;
    "v1" "ResourceQuota" => core::v1::ResourceQuota;
    "v1" "Secret" => core::v1::Secret;
    "v1" "Service" => core::v1::Service;
    "v1" "ServiceAccount" => core::v1::ServiceAccount;
    "admissionregistration.k8s.io/v1" "MutatingWebhookConfiguration" => admissionregistration::v1::MutatingWebhookConfiguration;
    "admissionregistration.k8s.io/v1" "ValidatingWebhookConfiguration" => admissionregistration::v1::ValidatingWebhookConfiguration;
    "admissionregistration.k8s.io/v1" "ValidatingAdmissionPolicy" => admissionregistration::v1::ValidatingAdmissionPolicy;
    "admissionregistration.k8s.io/v1" "ValidatingAdmissionPolicyBinding" => admissionregistration::v1::ValidatingAdmissionPolicyBinding;
    "apiextensions.k8s.io/v1" "CustomResourceDefinition" => apiextensions::v1::CustomResourceDefinition;
    "apiregistration.k8s.io/v1" "APIService" => apiregistration::v1::APIService;
    "apps/v1" "ControllerRevision" => apps::v1::ControllerRevision;
    "apps/v1" "DaemonSet" => apps::v1::DaemonSet;
    "apps/v1" "Deployment" => apps::v1::Deployment;
    "apps/v1" "ReplicaSet" => apps::v1::ReplicaSet;
    "apps/v1" "StatefulSet" => apps::v1::StatefulSet;
    "autoscaling/v1" "HorizontalPodAutoscaler" => autoscaling::v1::HorizontalPodAutoscaler;
    "autoscaling/v2" "HorizontalPodAutoscaler" => autoscaling::v2::HorizontalPodAutoscaler;
    "batch/v1" "CronJob" => batch::v1::CronJob;
    "batch/v1" "Job" => batch::v1::Job;
    "certificates.k8s.io/v1" "CertificateSigningRequest" => certificates::v1::CertificateSigningRequest;
    "coordination.k8s.io/v1" "Lease" => coordination::v1::Lease;
    "discovery.k8s.io/v1" "EndpointSlice" => discovery::v1::EndpointSlice;
    "events.k8s.io/v1" "Event" => events::v1::Event;
    "flowcontrol.apiserver.k8s.io/v1" "FlowSchema" => flowcontrol::v1::FlowSchema;
    "flowcontrol.apiserver.k8s.io/v1" "PriorityLevelConfiguration" => flowcontrol::v1::PriorityLevelConfiguration;
    "networking.k8s.io/v1" "Ingress" => networking::v1::Ingress;
    "networking.k8s.io/v1" "IngressClass" => networking::v1::IngressClass;
    "networking.k8s.io/v1" "IPAddress" => networking::v1::IPAddress;
    "networking.k8s.io/v1" "NetworkPolicy" => networking::v1::NetworkPolicy;
    "networking.k8s.io/v1" "ServiceCIDR" => networking::v1::ServiceCIDR;
    "node.k8s.io/v1" "RuntimeClass" => node::v1::RuntimeClass;
    "policy/v1" "PodDisruptionBudget" => policy::v1::PodDisruptionBudget;
    "rbac.authorization.k8s.io/v1" "ClusterRole" => rbac::v1::ClusterRole;
    "rbac.authorization.k8s.io/v1" "ClusterRoleBinding" => rbac::v1::ClusterRoleBinding;
    "rbac.authorization.k8s.io/v1" "Role" => rbac::v1::Role;
    "rbac.authorization.k8s.io/v1" "RoleBinding" => rbac::v1::RoleBinding;
    "resource.k8s.io/v1" "DeviceClass" => resource::v1::DeviceClass;
    "resource.k8s.io/v1" "ResourceClaim" => resource::v1::ResourceClaim;
    "resource.k8s.io/v1" "ResourceClaimTemplate" => resource::v1::ResourceClaimTemplate;
    "resource.k8s.io/v1" "ResourceSlice" => resource::v1::ResourceSlice;
    "scheduling.k8s.io/v1" "PriorityClass" => scheduling::v1::PriorityClass;
    "storage.k8s.io/v1" "CSIDriver" => storage::v1::CSIDriver;
    "storage.k8s.io/v1" "CSINode" => storage::v1::CSINode;
    "storage.k8s.io/v1" "CSIStorageCapacity" => storage::v1::CSIStorageCapacity;
    "storage.k8s.io/v1" "StorageClass" => storage::v1::StorageClass;
    "storage.k8s.io/v1" "VolumeAttachment" => storage::v1::VolumeAttachment;
    "storage.k8s.io/v1" "VolumeAttributesClass" => storage::v1::VolumeAttributesClass;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::api::discovery::BUILT_IN;

    #[test]
    fn every_stored_built_in_kind_has_a_typed_checker() {
        // Review kinds are create-only requests, never stored: they need no schema here.
        let untyped: Vec<_> = BUILT_IN
            .iter()
            .filter(|r| !r.kind.ends_with("Review"))
            .filter(|r| checker_for(r.api_version, r.kind).is_none())
            .map(|r| r.kind)
            .collect();
        assert!(untyped.is_empty(), "no checker for {untyped:?}");
    }
}

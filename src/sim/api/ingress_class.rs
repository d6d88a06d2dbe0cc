//! IngressClass names as the API and every ingress controller read them: the annotation that
//! marks the cluster's default class, and the one older manifests name a class by.

/// The annotation that marks the cluster's default IngressClass.
pub const DEFAULT_CLASS_ANNOTATION: &str = "ingressclass.kubernetes.io/is-default-class";
/// The annotation older manifests name a class by.
pub const LEGACY_CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";

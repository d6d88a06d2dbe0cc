//! The ingress-nginx install courses do: `kubectl apply -f
//! https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-vX.Y.Z/deploy/static/provider/{cloud,baremetal,kind}/deploy.yaml`
//! and `minikube addons enable ingress`.
//!
//! SIM: the sandbox has no network, so these URLs are answered here, with a manifest of the
//! sandbox's own writing that makes the same objects as upstream's (namespace `ingress-nginx`,
//! the RBAC objects, the controller's ConfigMap, Services and Deployment, the admission Jobs
//! `ingress-nginx-admission-create` and `-patch`, the IngressClass `nginx`, the validating
//! webhook), with the same names, labels, images and flags that matter to a learner. It is
//! not upstream's file; the objects are what a learner lists and describes.

/// Where the controller runs and how it is reached, as the provider's manifest sets it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// A LoadBalancer Service; Ingresses show the load balancer's address.
    Cloud,
    /// A NodePort Service; Ingresses show the address of the controller's node.
    Baremetal,
    /// hostPorts 80/443 on the node labelled `ingress-ready=true`; Ingresses show `localhost`.
    Kind,
    /// minikube's addon: hostPorts on the control-plane node, the default IngressClass.
    Minikube,
}

/// The controller release the newest URLs (`main`) and minikube's addon install.
pub const LATEST: &str = "v1.14.0";
/// The kube-webhook-certgen release beside it.
// SIM: every controller release gets this certgen tag; upstream pins one per release.
pub const CERTGEN_TAG: &str = "v1.6.4";

/// The manifest a URL serves, if it is one of ingress-nginx's static deploy files:
/// `…/kubernetes/ingress-nginx/<controller-vX.Y.Z|main>/deploy/static/provider/<p>/deploy.yaml`
/// (also at github.com's `raw/` and `blob/` forms). None for any other URL.
pub fn manifest_for_url(url: &str) -> Option<Result<String, String>> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let rest = rest
        .strip_prefix("raw.githubusercontent.com/kubernetes/ingress-nginx/")
        .or_else(|| rest.strip_prefix("github.com/kubernetes/ingress-nginx/raw/"))?;
    let (reference, path) = rest.split_once('/')?;
    let version = match reference {
        "main" | "master" => LATEST.to_string(),
        r => match r.strip_prefix("controller-") {
            Some(v) if known_version(v) => v.to_string(),
            _ => return Some(Err(not_found(url))),
        },
    };
    let provider = match path {
        "deploy/static/provider/cloud/deploy.yaml" | "deploy/static/provider/aws/deploy.yaml" => Provider::Cloud,
        "deploy/static/provider/baremetal/deploy.yaml" => Provider::Baremetal,
        "deploy/static/provider/kind/deploy.yaml" => Provider::Kind,
        _ => return Some(Err(not_found(url))),
    };
    Some(Ok(manifest(provider, &version)))
}

/// kubectl's words when the server answers 404.
fn not_found(url: &str) -> String {
    format!("error: unable to read URL \"{url}\", server reported 404 Not Found, status code=404\n")
}

/// Whether `v` is a controller release the image catalogue knows (`v1.0.0` … `v1.14.x`).
fn known_version(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("v1.") else { return false };
    let mut parts = rest.split('.');
    let (Some(minor), Some(patch), None) = (parts.next(), parts.next(), parts.next()) else { return false };
    minor.parse::<u32>().is_ok_and(|m| m <= 14) && patch.parse::<u32>().is_ok()
}

/// The objects of the install, as one multi-document YAML, in upstream's order.
pub fn manifest(provider: Provider, version: &str) -> String {
    let app_version = version.trim_start_matches('v');
    let labels = |component: &str| {
        let component = if component.is_empty() {
            String::new()
        } else {
            format!("\n    app.kubernetes.io/component: {component}")
        };
        format!(
            "  labels:{component}\n    app.kubernetes.io/instance: ingress-nginx\n    app.kubernetes.io/name: ingress-nginx\n    app.kubernetes.io/part-of: ingress-nginx\n    app.kubernetes.io/version: {app_version}\n"
        )
    };
    let meta = |kind: &str, api: &str, name: &str, component: &str, namespaced: bool| {
        let ns = if namespaced { "  namespace: ingress-nginx\n" } else { "" };
        format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n{}  name: {name}\n{ns}", labels(component))
    };
    let rbac = "rbac.authorization.k8s.io/v1";
    let mut docs: Vec<String> = Vec::new();
    docs.push(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  labels:\n    app.kubernetes.io/instance: ingress-nginx\n    app.kubernetes.io/name: ingress-nginx\n  name: ingress-nginx\n".into(),
    );
    docs.push(format!(
        "{}automountServiceAccountToken: true\n",
        meta("ServiceAccount", "v1", "ingress-nginx", "controller", true)
    ));
    docs.push(meta("ServiceAccount", "v1", "ingress-nginx-admission", "admission-webhook", true));
    docs.push(format!(
        "{}rules:\n- apiGroups: [\"\"]\n  resources: [namespaces]\n  verbs: [get]\n- apiGroups: [\"\"]\n  resources: [configmaps, pods, secrets, endpoints]\n  verbs: [get, list, watch]\n- apiGroups: [\"\"]\n  resources: [services]\n  verbs: [get, list, watch]\n- apiGroups: [networking.k8s.io]\n  resources: [ingresses, ingressclasses]\n  verbs: [get, list, watch]\n- apiGroups: [networking.k8s.io]\n  resources: [ingresses/status]\n  verbs: [update]\n- apiGroups: [coordination.k8s.io]\n  resourceNames: [ingress-nginx-leader]\n  resources: [leases]\n  verbs: [get, update]\n- apiGroups: [coordination.k8s.io]\n  resources: [leases]\n  verbs: [create]\n- apiGroups: [\"\"]\n  resources: [events]\n  verbs: [create, patch]\n- apiGroups: [discovery.k8s.io]\n  resources: [endpointslices]\n  verbs: [list, watch, get]\n",
        meta("Role", rbac, "ingress-nginx", "controller", true)
    ));
    docs.push(format!(
        "{}rules:\n- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [get, create]\n",
        meta("Role", rbac, "ingress-nginx-admission", "admission-webhook", true)
    ));
    docs.push(format!(
        "{}rules:\n- apiGroups: [\"\"]\n  resources: [configmaps, endpoints, nodes, pods, secrets, namespaces]\n  verbs: [list, watch]\n- apiGroups: [coordination.k8s.io]\n  resources: [leases]\n  verbs: [list, watch]\n- apiGroups: [\"\"]\n  resources: [nodes]\n  verbs: [get]\n- apiGroups: [\"\"]\n  resources: [services]\n  verbs: [get, list, watch]\n- apiGroups: [networking.k8s.io]\n  resources: [ingresses, ingressclasses]\n  verbs: [get, list, watch]\n- apiGroups: [\"\"]\n  resources: [events]\n  verbs: [create, patch]\n- apiGroups: [networking.k8s.io]\n  resources: [ingresses/status]\n  verbs: [update]\n- apiGroups: [discovery.k8s.io]\n  resources: [endpointslices]\n  verbs: [list, watch, get]\n",
        meta("ClusterRole", rbac, "ingress-nginx", "", false)
    ));
    docs.push(format!(
        "{}rules:\n- apiGroups: [admissionregistration.k8s.io]\n  resources: [validatingwebhookconfigurations]\n  verbs: [get, update]\n",
        meta("ClusterRole", rbac, "ingress-nginx-admission", "admission-webhook", false)
    ));
    let binding = |kind: &str, role_kind: &str, name: &str, component: &str, namespaced: bool| {
        format!(
            "{}roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: {role_kind}\n  name: {name}\nsubjects:\n- kind: ServiceAccount\n  name: {name}\n  namespace: ingress-nginx\n",
            meta(kind, rbac, name, component, namespaced)
        )
    };
    docs.push(binding("RoleBinding", "Role", "ingress-nginx", "controller", true));
    docs.push(binding("RoleBinding", "Role", "ingress-nginx-admission", "admission-webhook", true));
    docs.push(binding("ClusterRoleBinding", "ClusterRole", "ingress-nginx", "", false));
    docs.push(binding("ClusterRoleBinding", "ClusterRole", "ingress-nginx-admission", "admission-webhook", false));
    docs.push(format!(
        "{}data:\n  allow-snippet-annotations: \"false\"\n",
        meta("ConfigMap", "v1", "ingress-nginx-controller", "controller", true)
    ));
    let service_type = match provider {
        Provider::Cloud => "  externalTrafficPolicy: Local\n  type: LoadBalancer\n",
        _ => "  type: NodePort\n",
    };
    let selector = "  selector:\n    app.kubernetes.io/component: controller\n    app.kubernetes.io/instance: ingress-nginx\n    app.kubernetes.io/name: ingress-nginx\n";
    docs.push(format!(
        "{}spec:\n  ipFamilies:\n  - IPv4\n  ipFamilyPolicy: SingleStack\n  ports:\n  - appProtocol: http\n    name: http\n    port: 80\n    protocol: TCP\n    targetPort: http\n  - appProtocol: https\n    name: https\n    port: 443\n    protocol: TCP\n    targetPort: https\n{selector}{service_type}",
        meta("Service", "v1", "ingress-nginx-controller", "controller", true)
    ));
    docs.push(format!(
        "{}spec:\n  ports:\n  - appProtocol: https\n    name: https-webhook\n    port: 443\n    targetPort: webhook\n{selector}  type: ClusterIP\n",
        meta("Service", "v1", "ingress-nginx-controller-admission", "controller", true)
    ));
    docs.push(deployment(
        provider,
        version,
        &meta("Deployment", "apps/v1", "ingress-nginx-controller", "controller", true),
    ));
    for (name, args) in [
        (
            "ingress-nginx-admission-create",
            "        - create\n        - --host=ingress-nginx-controller-admission,ingress-nginx-controller-admission.$(POD_NAMESPACE).svc\n        - --namespace=$(POD_NAMESPACE)\n        - --secret-name=ingress-nginx-admission\n",
        ),
        (
            "ingress-nginx-admission-patch",
            "        - patch\n        - --webhook-name=ingress-nginx-admission\n        - --namespace=$(POD_NAMESPACE)\n        - --patch-mutating=false\n        - --secret-name=ingress-nginx-admission\n        - --patch-failure-policy=Fail\n",
        ),
    ] {
        let meta = meta("Job", "batch/v1", name, "admission-webhook", true);
        docs.push(format!(
            "{meta}spec:\n  template:\n    metadata:\n{}      name: {name}\n    spec:\n      containers:\n      - args:\n{args}        env:\n        - name: POD_NAMESPACE\n          valueFrom:\n            fieldRef:\n              fieldPath: metadata.namespace\n        image: registry.k8s.io/ingress-nginx/kube-webhook-certgen:{CERTGEN_TAG}\n        imagePullPolicy: IfNotPresent\n        name: {}\n        securityContext:\n          allowPrivilegeEscalation: false\n          readOnlyRootFilesystem: true\n          runAsNonRoot: true\n          runAsUser: 65532\n      nodeSelector:\n        kubernetes.io/os: linux\n      restartPolicy: OnFailure\n      serviceAccountName: ingress-nginx-admission\n",
            labels("admission-webhook").replace("    ", "        ").replace("  labels:", "      labels:"),
            name.trim_start_matches("ingress-nginx-admission-"),
        ));
    }
    let default_class = if provider == Provider::Minikube {
        "  annotations:\n    ingressclass.kubernetes.io/is-default-class: \"true\"\n"
    } else {
        ""
    };
    docs.push(format!(
        "{}spec:\n  controller: k8s.io/ingress-nginx\n",
        meta("IngressClass", "networking.k8s.io/v1", "nginx", "controller", false).replacen(
            "metadata:\n",
            &format!("metadata:\n{default_class}"),
            1
        )
    ));
    docs.push(format!(
        "{}webhooks:\n- admissionReviewVersions:\n  - v1\n  clientConfig:\n    service:\n      name: ingress-nginx-controller-admission\n      namespace: ingress-nginx\n      path: /networking/v1/ingresses\n      port: 443\n  failurePolicy: Fail\n  matchPolicy: Equivalent\n  name: validate.nginx.ingress.kubernetes.io\n  rules:\n  - apiGroups:\n    - networking.k8s.io\n    apiVersions:\n    - v1\n    operations:\n    - CREATE\n    - UPDATE\n    resources:\n    - ingresses\n  sideEffects: None\n",
        meta("ValidatingWebhookConfiguration", "admissionregistration.k8s.io/v1", "ingress-nginx-admission", "admission-webhook", false)
    ));
    docs.join("---\n")
}

/// The controller Deployment: its flags, ports, probes and the webhook certificate it mounts
/// (the Secret the admission-create Job writes; the pod waits in ContainerCreating until then).
fn deployment(provider: Provider, version: &str, meta: &str) -> String {
    let mut flags = vec!["/nginx-ingress-controller"];
    if provider == Provider::Cloud {
        flags.push("--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller");
    }
    flags.extend([
        "--election-id=ingress-nginx-leader",
        "--controller-class=k8s.io/ingress-nginx",
        "--ingress-class=nginx",
    ]);
    flags.push("--configmap=$(POD_NAMESPACE)/ingress-nginx-controller");
    flags.extend(["--validating-webhook=:8443", "--validating-webhook-certificate=/usr/local/certificates/cert"]);
    flags.push("--validating-webhook-key=/usr/local/certificates/key");
    if matches!(provider, Provider::Kind | Provider::Minikube) {
        flags.push("--watch-ingress-without-class=true");
    }
    if provider == Provider::Kind {
        flags.push("--publish-status-address=localhost");
    }
    let args: String = flags.iter().map(|f| format!("        - {f}\n")).collect();
    let host_port = |p: u16| {
        if matches!(provider, Provider::Kind | Provider::Minikube) {
            format!("          hostPort: {p}\n")
        } else {
            String::new()
        }
    };
    let placement = match provider {
        Provider::Kind => "      nodeSelector:\n        ingress-ready: \"true\"\n        kubernetes.io/os: linux\n      tolerations:\n      - effect: NoSchedule\n        key: node-role.kubernetes.io/master\n        operator: Equal\n      - effect: NoSchedule\n        key: node-role.kubernetes.io/control-plane\n        operator: Equal\n",
        // SIM: minikube selects its primary node by `minikube.k8s.io/primary: "true"`; the
        // sandbox's nodes carry no minikube labels, and its control plane is `minikube ip`.
        Provider::Minikube => "      nodeSelector:\n        kubernetes.io/os: linux\n        node-role.kubernetes.io/control-plane: \"\"\n      tolerations:\n      - effect: NoSchedule\n        key: node-role.kubernetes.io/control-plane\n        operator: Exists\n",
        _ => "      nodeSelector:\n        kubernetes.io/os: linux\n",
    };
    let strategy = "  strategy:\n    rollingUpdate:\n      maxUnavailable: 1\n    type: RollingUpdate\n";
    let probe = |kind: &str, failures: u32| {
        format!(
            "        {kind}:\n          failureThreshold: {failures}\n          httpGet:\n            path: /healthz\n            port: 10254\n            scheme: HTTP\n          initialDelaySeconds: 10\n          periodSeconds: 10\n          successThreshold: 1\n          timeoutSeconds: 1\n"
        )
    };
    format!(
        "{meta}spec:\n  minReadySeconds: 0\n  revisionHistoryLimit: 10\n  selector:\n    matchLabels:\n      app.kubernetes.io/component: controller\n      app.kubernetes.io/instance: ingress-nginx\n      app.kubernetes.io/name: ingress-nginx\n{strategy}  template:\n    metadata:\n      labels:\n        app.kubernetes.io/component: controller\n        app.kubernetes.io/instance: ingress-nginx\n        app.kubernetes.io/name: ingress-nginx\n        app.kubernetes.io/part-of: ingress-nginx\n        app.kubernetes.io/version: {}\n    spec:\n      containers:\n      - args:\n{args}        env:\n        - name: POD_NAME\n          valueFrom:\n            fieldRef:\n              fieldPath: metadata.name\n        - name: POD_NAMESPACE\n          valueFrom:\n            fieldRef:\n              fieldPath: metadata.namespace\n        - name: LD_PRELOAD\n          value: /usr/local/lib/libmimalloc.so\n        image: registry.k8s.io/ingress-nginx/controller:{version}\n        imagePullPolicy: IfNotPresent\n        lifecycle:\n          preStop:\n            exec:\n              command:\n              - /wait-shutdown\n{}        name: controller\n        ports:\n        - containerPort: 80\n{}          name: http\n          protocol: TCP\n        - containerPort: 443\n{}          name: https\n          protocol: TCP\n        - containerPort: 8443\n          name: webhook\n          protocol: TCP\n{}        resources:\n          requests:\n            cpu: 100m\n            memory: 90Mi\n        volumeMounts:\n        - mountPath: /usr/local/certificates/\n          name: webhook-cert\n          readOnly: true\n      dnsPolicy: ClusterFirst\n{placement}      serviceAccountName: ingress-nginx\n      terminationGracePeriodSeconds: 300\n      volumes:\n      - name: webhook-cert\n        secret:\n          secretName: ingress-nginx-admission\n",
        version.trim_start_matches('v'),
        probe("livenessProbe", 5),
        host_port(80),
        host_port(443),
        probe("readinessProbe", 3),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_course_urls_resolve_to_a_manifest_and_others_to_kubectls_404() {
        let url = |v: &str, p: &str| {
            format!(
                "https://raw.githubusercontent.com/kubernetes/ingress-nginx/{v}/deploy/static/provider/{p}/deploy.yaml"
            )
        };
        for p in ["cloud", "baremetal", "kind"] {
            let m = manifest_for_url(&url("controller-v1.8.1", p)).unwrap().unwrap();
            assert!(m.contains("image: registry.k8s.io/ingress-nginx/controller:v1.8.1\n"), "{p}");
            assert!(crate::manifest::parse(&m).is_ok(), "{p}");
        }
        assert!(manifest_for_url(&url("main", "cloud")).unwrap().unwrap().contains(LATEST));
        assert_eq!(
            manifest_for_url(&url("controller-v9.0.0", "cloud")).unwrap().unwrap_err(),
            format!(
                "error: unable to read URL \"{}\", server reported 404 Not Found, status code=404\n",
                url("controller-v9.0.0", "cloud")
            )
        );
        assert!(manifest_for_url("https://example.com/deploy.yaml").is_none());
    }

    #[test]
    fn each_provider_reaches_the_controller_its_own_way() {
        let cloud = manifest(Provider::Cloud, LATEST);
        assert!(cloud.contains("type: LoadBalancer") && cloud.contains("--publish-service="));
        let bare = manifest(Provider::Baremetal, LATEST);
        assert!(bare.contains("type: NodePort") && !bare.contains("--publish-service") && !bare.contains("hostPort"));
        let kind = manifest(Provider::Kind, LATEST);
        assert!(kind.contains("hostPort: 80") && kind.contains("--publish-status-address=localhost"));
        assert!(manifest(Provider::Minikube, LATEST).contains("ingressclass.kubernetes.io/is-default-class: \"true\""));
    }
}

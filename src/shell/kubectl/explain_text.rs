//! What `kubectl explain` says about the kinds and fields courses explain.
// SIM: kubectl prints the documentation in the API server's OpenAPI schema. The sandbox does
// not ship those texts; these are its own short summaries of the same facts, for the kinds and
// fields tutorials look up. A field not here is listed with its type and no text.

/// The summary of a kind (`Pod`) or of a field, by its path from the kind (`Pod.spec`,
/// `Deployment.spec.replicas`) or, failing that, by the field's name alone (`image`).
pub fn summary(kind: &str, path: &[String]) -> Option<&'static str> {
    let full = std::iter::once(kind.to_string()).chain(path.iter().cloned()).collect::<Vec<_>>().join(".");
    let last = path.last().map(String::as_str).unwrap_or(kind);
    lookup(&full).or_else(|| if path.is_empty() { None } else { lookup(last) })
}

fn lookup(key: &str) -> Option<&'static str> {
    TEXTS.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
}

const TEXTS: &[(&str, &str)] = &[
    ("Pod", "A Pod is a group of one or more containers that share storage and a network address and are scheduled together onto one node. Clients create Pods; the scheduler places them on nodes."),
    ("Deployment", "A Deployment keeps a number of identical Pods running from one template and rolls out changes to that template gradually through ReplicaSets."),
    ("ReplicaSet", "A ReplicaSet keeps a stated number of Pods matching its selector running at all times, creating or deleting Pods from its template."),
    ("StatefulSet", "A StatefulSet runs Pods with stable names, stable network identities and their own persistent volumes, created and updated in order."),
    ("DaemonSet", "A DaemonSet runs one copy of a Pod on every node (or on the nodes its selector picks)."),
    ("Job", "A Job runs Pods until a number of them have completed successfully."),
    ("CronJob", "A CronJob creates Jobs on a repeating schedule written in cron format."),
    ("Service", "A Service gives a set of Pods, chosen by a label selector, one stable virtual address and port, and balances connections among them."),
    ("ConfigMap", "A ConfigMap holds configuration data as key-value pairs for Pods to read as environment variables, command arguments or files."),
    ("Secret", "A Secret holds a small amount of sensitive data, such as a password or token, as base64-encoded values."),
    ("Namespace", "A Namespace is a scope for names: objects in different namespaces may have the same name."),
    ("Node", "A Node is a worker machine in the cluster; its kubelet runs the Pods bound to it."),
    ("PersistentVolumeClaim", "A PersistentVolumeClaim is a user's request for storage, bound to a PersistentVolume that satisfies it."),
    ("PersistentVolume", "A PersistentVolume is a piece of storage in the cluster, provisioned by an administrator or dynamically by a StorageClass."),
    ("Ingress", "An Ingress routes HTTP and HTTPS traffic from outside the cluster to Services, by host name and path."),
    ("HorizontalPodAutoscaler", "A HorizontalPodAutoscaler changes the number of replicas of a workload to keep a metric, such as CPU use, near a target."),
    ("apiVersion", "The versioned schema this object is written in. The API server converts recognized versions to its current one and may refuse unrecognized values."),
    ("kind", "The REST resource this object represents, written in CamelCase. The server may infer it from the endpoint the client sends the request to."),
    ("metadata", "Standard object metadata: name, namespace, labels, annotations and the fields the system sets, such as uid and creationTimestamp."),
    ("spec", "The desired state of the object, as the user writes it."),
    ("status", "The most recently observed state of the object, written by the system. Read-only."),
    ("Pod.spec", "The desired behaviour of the pod: its containers, volumes, restart policy and where it may be scheduled."),
    ("Deployment.spec", "The desired behaviour of the Deployment: how many replicas, which Pods it owns, their template and the rollout strategy."),
    ("Service.spec", "The desired behaviour of the Service: its type, selector and ports."),
    ("replicas", "The number of desired Pods. Defaults to 1."),
    ("selector", "A label query over Pods. Pods whose labels match are the ones this object counts and manages."),
    ("template", "The Pod template: the metadata and spec of the Pods this object creates."),
    ("strategy", "How existing Pods are replaced by new ones when the template changes."),
    ("rollingUpdate", "Parameters of a rolling update: how many Pods may be unavailable and how many extra may be created while it runs."),
    ("maxSurge", "How many Pods may be created above the desired number during an update, as a number or a percentage. Defaults to 25%."),
    ("maxUnavailable", "How many Pods may be unavailable during an update, as a number or a percentage. Defaults to 25%."),
    ("minReadySeconds", "How long a new Pod must be ready, without any container crashing, before it counts as available. Defaults to 0."),
    ("revisionHistoryLimit", "How many old ReplicaSets to keep so that a rollout can be undone. Defaults to 10."),
    ("containers", "The containers of the pod. There must be at least one. Containers cannot be added or removed once the pod exists."),
    ("initContainers", "Containers that run one after another, each to completion, before the pod's other containers start."),
    ("name", "The name: unique within its scope, and a DNS label for containers and ports."),
    ("image", "The container image to run, as a registry reference such as nginx:1.27."),
    ("imagePullPolicy", "When the kubelet pulls the image: Always, Never or IfNotPresent. Defaults to Always for the tag latest (or no tag), IfNotPresent otherwise."),
    ("command", "The entrypoint: replaces the image's ENTRYPOINT. $(VAR) references to the container's environment are expanded."),
    ("args", "Arguments to the entrypoint: replace the image's CMD. $(VAR) references to the container's environment are expanded."),
    ("env", "Environment variables to set in the container."),
    ("envFrom", "Sources (ConfigMaps, Secrets) whose keys all become environment variables in the container."),
    ("ports", "The network ports the object exposes."),
    ("containerPort", "The port the container listens on, on the pod's IP address: 1 to 65535."),
    ("protocol", "The protocol: TCP, UDP or SCTP. Defaults to TCP."),
    ("port", "The port number, 1 to 65535."),
    ("targetPort", "The port on the Pods that traffic to this Service port goes to: a number or the name of a container port. Defaults to the Service port."),
    ("nodePort", "The port on every node that forwards to this Service port, for NodePort and LoadBalancer Services. Chosen from 30000-32767 when not given."),
    ("type", "The type of the object, from a fixed set of values."),
    ("Deployment.spec.strategy.type", "The kind of strategy: RollingUpdate (the default) replaces Pods a few at a time; Recreate deletes all old Pods before creating new ones."),
    ("Service.spec.type", "How the Service is exposed: ClusterIP (inside the cluster, the default), NodePort (also on a port of every node), LoadBalancer (also through an external load balancer) or ExternalName (a DNS alias)."),
    ("resources", "Compute resources (cpu, memory) the container requests and the limits it may not exceed."),
    ("limits", "The most of each compute resource the container may use."),
    ("requests", "The compute resources the scheduler reserves for the container on its node."),
    ("volumeMounts", "Volumes of the pod mounted into the container's filesystem."),
    ("mountPath", "Where in the container the volume is mounted."),
    ("volumes", "Volumes the pod's containers may mount."),
    ("livenessProbe", "A check of the container's health. The kubelet restarts the container when it fails."),
    ("readinessProbe", "A check of whether the container can serve. A pod that is not ready is removed from the Services' endpoints."),
    ("startupProbe", "A check that the container has started; the other probes wait until it succeeds."),
    ("restartPolicy", "When the kubelet restarts the pod's containers: Always, OnFailure or Never. Defaults to Always."),
    ("nodeSelector", "Labels a node must have for the pod to be scheduled onto it."),
    ("nodeName", "The node the pod is bound to. Set by the scheduler, or by the user to skip it."),
    ("affinity", "Scheduling constraints: node affinity and pod affinity and anti-affinity."),
    ("tolerations", "Taints the pod tolerates, so it may be scheduled onto (or keep running on) nodes that have them."),
    ("serviceAccountName", "The ServiceAccount the pod's processes run as."),
    ("labels", "Key-value pairs that organize and select objects. More on labels: kubernetes.io/docs/concepts/overview/working-with-objects/labels"),
    ("annotations", "Key-value pairs for tools and people to attach arbitrary information to an object. Not used to select objects."),
    ("namespace", "The namespace the object's name is unique in. Empty means the default namespace for namespaced kinds."),
    ("matchLabels", "Labels that must all be present with these values."),
    ("matchExpressions", "Requirements on labels, each a key, an operator (In, NotIn, Exists, DoesNotExist) and values."),
    ("clusterIP", "The Service's virtual IP address, assigned from the cluster's service range unless given. None makes a headless Service."),
    ("data", "The configuration data: keys and values."),
    ("schedule", "The schedule in cron format, for example \"*/5 * * * *\"."),
    ("completions", "How many Pods must complete successfully for the Job to be complete."),
    ("parallelism", "How many Pods of the Job may run at the same time."),
    ("backoffLimit", "How many times a Job's Pods may fail before the Job is marked failed. Defaults to 6."),
];

/// `text` wrapped to kubectl's width, each line indented by `indent`.
pub fn wrapped(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let width = 80usize.saturating_sub(indent);
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            out.push_str(&format!("{pad}{line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{pad}{line}\n"));
    }
    out
}

//! The add-ons kubeadm installs: CoreDNS (the `coredns` Deployment, its ConfigMap with the
//! Corefile, the `kube-dns` Service at 10.96.0.10) and kube-proxy (the `kube-proxy` DaemonSet and
//! its configuration), with their ServiceAccounts, and the cluster's own ConfigMaps a learner
//! finds beside them (`kubeadm-config`, `kubelet-config`, `cluster-info` in kube-public).

use serde_json::{json, Value};

use crate::sim::api::Object;
use crate::sim::images::{COREDNS_TAG, KUBE_TAG};

pub const COREDNS: &str = "coredns";
pub const KUBE_DNS: &str = "kube-dns";
pub const KUBE_PROXY: &str = "kube-proxy";

/// CoreDNS's configuration as kubeadm writes it.
pub const COREFILE: &str = ".:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
";

const KUBE_PROXY_CONFIG: &str = "apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: \"\"
  burst: 0
  contentType: \"\"
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: 10.244.0.0/16
configSyncPeriod: 0s
conntrack:
  maxPerCore: null
  min: null
  tcpBeLiberal: false
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
  udpStreamTimeout: 0s
  udpTimeout: 0s
detectLocal:
  bridgeInterface: \"\"
  interfaceNamePrefix: \"\"
detectLocalMode: \"\"
enableProfiling: false
healthzBindAddress: \"\"
hostnameOverride: \"\"
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: \"\"
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: \"0\"
    text:
      infoBufferSize: \"0\"
  verbosity: 0
metricsBindAddress: \"\"
mode: \"\"
nftables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
nodePortAddresses: null
oomScoreAdj: null
portRange: \"\"
showHiddenMetricsForVersion: \"\"
winkernel:
  enableDSR: false
  forwardHealthCheckVip: false
  networkName: \"\"
  rootHnsEndpointName: \"\"
  sourceVip: \"\"
";

const KUBE_PROXY_KUBECONFIG: &str = "apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: https://control-plane:6443
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
";

const KUBEADM_CONFIG: &str = "apiServer: {}
apiVersion: kubeadm.k8s.io/v1beta4
caCertificateValidityPeriod: 87600h0m0s
certificateValidityPeriod: 8760h0m0s
certificatesDir: /etc/kubernetes/pki
clusterName: kubernetes
controlPlaneEndpoint: control-plane:6443
controllerManager: {}
dns: {}
encryptionAlgorithm: RSA-2048
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: registry.k8s.io
kind: ClusterConfiguration
kubernetesVersion: v1.37.0
networking:
  dnsDomain: cluster.local
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
proxy: {}
scheduler: {}
";

const KUBELET_CONFIG: &str = "apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
containerRuntimeEndpoint: \"\"
cpuManagerReconcilePeriod: 0s
crashLoopBackOff: {}
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: \"0\"
    text:
      infoBufferSize: \"0\"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
";

fn object(value: Value) -> Object {
    Object::from_value(value).expect("a kube-system object is well formed")
}

fn config_map(namespace: &str, name: &str, data: Value) -> Object {
    object(json!({"apiVersion": "v1", "kind": "ConfigMap",
                  "metadata": {"name": name, "namespace": namespace}, "data": data}))
}

fn service_account(name: &str) -> Object {
    object(json!({"apiVersion": "v1", "kind": "ServiceAccount",
                  "metadata": {"name": name, "namespace": super::NAMESPACE}}))
}

/// The `coredns` Deployment as kubeadm creates it.
pub fn coredns_deployment() -> Object {
    object(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": COREDNS, "namespace": super::NAMESPACE, "labels": {"k8s-app": KUBE_DNS}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"k8s-app": KUBE_DNS}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            "template": {
                "metadata": {"labels": {"k8s-app": KUBE_DNS}},
                "spec": {
                    "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
                        "podAffinityTerm": {
                            "labelSelector": {"matchExpressions": [{"key": "k8s-app", "operator": "In", "values": [KUBE_DNS]}]},
                            "topologyKey": "kubernetes.io/hostname"},
                        "weight": 100}]}},
                    "containers": [{
                        "args": ["-conf", "/etc/coredns/Corefile"],
                        "image": format!("registry.k8s.io/coredns/coredns:{COREDNS_TAG}"),
                        "imagePullPolicy": "IfNotPresent",
                        "livenessProbe": {"failureThreshold": 5, "httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"},
                                          "initialDelaySeconds": 60, "successThreshold": 1, "timeoutSeconds": 5},
                        "name": COREDNS,
                        "ports": [
                            {"containerPort": 53, "name": "dns", "protocol": "UDP"},
                            {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                            {"containerPort": 9153, "name": "metrics", "protocol": "TCP"},
                            {"containerPort": 8080, "name": "liveness-probe", "protocol": "TCP"},
                            {"containerPort": 8181, "name": "readiness-probe", "protocol": "TCP"}],
                        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181, "scheme": "HTTP"}},
                        "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
                        "securityContext": {"allowPrivilegeEscalation": false,
                                            "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]},
                                            "readOnlyRootFilesystem": true},
                        "volumeMounts": [{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": true}]}],
                    "dnsPolicy": "Default",
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "priorityClassName": "system-cluster-critical",
                    "serviceAccountName": COREDNS,
                    "tolerations": [
                        {"key": "CriticalAddonsOnly", "operator": "Exists"},
                        {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}],
                    "volumes": [{"configMap": {"items": [{"key": "Corefile", "path": "Corefile"}], "name": COREDNS},
                                 "name": "config-volume"}]}}}}))
}

/// The `kube-dns` Service in front of CoreDNS.
pub fn kube_dns_service() -> Object {
    object(json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": KUBE_DNS, "namespace": super::NAMESPACE,
                     "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
                     "labels": {"k8s-app": KUBE_DNS, "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"}},
        "spec": {
            "clusterIP": super::DNS_SERVICE_IP,
            "ports": [
                {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}],
            "selector": {"k8s-app": KUBE_DNS}}}))
}

/// The `kube-proxy` DaemonSet as kubeadm creates it.
pub fn kube_proxy_daemon_set() -> Object {
    object(json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": KUBE_PROXY, "namespace": super::NAMESPACE, "labels": {"k8s-app": KUBE_PROXY}},
        "spec": {
            "selector": {"matchLabels": {"k8s-app": KUBE_PROXY}},
            "template": {
                "metadata": {"labels": {"k8s-app": KUBE_PROXY}},
                "spec": {
                    "containers": [{
                        "command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf",
                                    "--hostname-override=$(NODE_NAME)"],
                        "env": [{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
                        "image": format!("registry.k8s.io/kube-proxy:{KUBE_TAG}"),
                        "imagePullPolicy": "IfNotPresent",
                        "name": KUBE_PROXY,
                        "securityContext": {"privileged": true},
                        "volumeMounts": [
                            {"mountPath": "/var/lib/kube-proxy", "name": KUBE_PROXY},
                            {"mountPath": "/run/xtables.lock", "name": "xtables-lock"},
                            {"mountPath": "/lib/modules", "name": "lib-modules", "readOnly": true}]}],
                    "hostNetwork": true,
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "priorityClassName": "system-node-critical",
                    "serviceAccountName": KUBE_PROXY,
                    "tolerations": [{"operator": "Exists"}],
                    "volumes": [
                        {"configMap": {"name": KUBE_PROXY}, "name": KUBE_PROXY},
                        {"hostPath": {"path": "/run/xtables.lock", "type": "FileOrCreate"}, "name": "xtables-lock"},
                        {"hostPath": {"path": "/lib/modules", "type": ""}, "name": "lib-modules"}]}},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}}}))
}

/// Every add-on object, in the order kubeadm creates them.
pub fn objects() -> Vec<Object> {
    let ns = super::NAMESPACE;
    let mut kubeadm = config_map(ns, "kubeadm-config", json!({"ClusterConfiguration": KUBEADM_CONFIG}));
    kubeadm.metadata.labels = None;
    vec![
        kubeadm,
        config_map(ns, "kubelet-config", json!({"kubelet": KUBELET_CONFIG})),
        config_map(
            "kube-public",
            "cluster-info",
            json!({"kubeconfig": format!("apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: c2FuZGJveA==\n    server: https://control-plane:6443\n  name: \"\"\ncontexts: null\ncurrent-context: \"\"\nkind: Config\npreferences: {{}}\nusers: null\n")}),
        ),
        service_account(COREDNS),
        config_map(ns, COREDNS, json!({"Corefile": COREFILE})),
        kube_dns_service(),
        coredns_deployment(),
        service_account(KUBE_PROXY),
        config_map(ns, KUBE_PROXY, json!({"config.conf": KUBE_PROXY_CONFIG, "kubeconfig.conf": KUBE_PROXY_KUBECONFIG})),
        {
            let mut cm = kube_proxy_daemon_set();
            cm.metadata.labels.get_or_insert_with(Default::default);
            cm
        },
    ]
}

//! `kubectl describe` output, byte for byte.

use std::time::Duration;

use crate::shell::{Output, Shell};
use crate::sim::{Sim, SimConfig};

fn run(sim: &mut Sim, line: &str) -> Output {
    Shell.run_line(sim, line)
}

fn apply(sim: &mut Sim, yaml: &str) {
    for obj in crate::manifest::parse(yaml).unwrap() {
        sim.create(obj).unwrap();
    }
}

#[test]
fn describe_pod_shows_its_state_and_events_table() {
    let mut sim = Sim::new(SimConfig::default());
    apply(&mut sim, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  containers:\n  - name: c\n    image: nginx\n    resources: {requests: {cpu: '5'}}\n");
    run(&mut sim, "sleep 10");
    let out = run(&mut sim, "kubectl describe pod big").stdout;
    assert!(out.starts_with("Name:             big\nNamespace:        default\nPriority:         0\nService Account:  default\nNode:             <none>\n"), "{out}");
    assert!(out.contains("Events:\n  Type     Reason            Age   From               Message\n  ----     ------            ----  ----               -------\n  Warning  FailedScheduling  10s   default-scheduler  0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu."), "{out}");
}

#[test]
fn tabwriter_aligns_blocks_with_two_spaces() {
    assert_eq!(super::render("a:\tx\nlong key:\ty\nplain\nb:\tz\n"), "a:         x\nlong key:  y\nplain\nb:  z\n");
}

const WORKLOADS: &str = include_str!("../get/testdata/workloads.yaml");
const CLUSTER: &str = include_str!("../get/testdata/cluster.yaml");
const POD_VOLUMES: &str = include_str!("testdata/pod-volumes.yaml");

/// `yaml` applied and left to run for `secs` seconds.
fn settled(yaml: &str, secs: u64) -> Sim {
    let mut sim = Sim::new(SimConfig::default());
    apply(&mut sim, yaml);
    sim.advance(Duration::from_secs(secs));
    sim
}

/// Workloads, the cluster-level fixture (quota, limit range, HPA, PDB, …) and a pod with
/// volumes of each common type, 30 seconds on.
fn settled_all(secs: u64) -> Sim {
    let mut sim = Sim::new(SimConfig::default());
    for yaml in [WORKLOADS, CLUSTER, POD_VOLUMES] {
        apply(&mut sim, yaml);
    }
    sim.advance(Duration::from_secs(secs));
    sim
}

#[test]
fn describe_job_shows_completions_timing_and_pod_statuses() {
    let mut sim = settled(WORKLOADS, 90);
    let uid = sim.store().get("Job", Some("default"), "pi").unwrap().uid().to_string();
    let out = run(&mut sim, "kubectl describe job pi").stdout;
    assert!(
        out.starts_with(&format!(
            "Name:             pi\nNamespace:        default\nSelector:         batch.kubernetes.io/controller-uid={uid}\n"
        )),
        "{out}"
    );
    assert!(
        out.contains(
            "Parallelism:      1\nCompletions:      1\nCompletion Mode:  NonIndexed\nSuspend:          false\nBackoff Limit:    6\n\
             Start Time:       Wed, 01 Jan 2025 00:00:00 +0000\nCompleted At:     Wed, 01 Jan 2025 00:00:06 +0000\n\
             Duration:         6s\nPods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed\n"
        ),
        "{out}"
    );
    assert!(
        out.ends_with(
            "Events:\n  Type    Reason            Age   From            Message\n  ----    ------            ----  ----            -------\n\
             \x20 Normal  SuccessfulCreate  90s   job-controller  Created pod: pi-mrjnd\n\
             \x20 Normal  Completed         84s   job-controller  Job completed\n"
        ),
        "{out}"
    );
}

#[test]
fn describe_several_objects_separates_them_and_reports_missing_ones() {
    let mut sim = settled(WORKLOADS, 90);
    let out = run(&mut sim, "kubectl describe cm cfg nope");
    assert!(out.stdout.starts_with("Name:         cfg\n"), "{}", out.stdout);
    assert_eq!(out.stderr, "Error from server (NotFound): configmaps \"nope\" not found\n");
    assert_eq!(out.status, 1);
    let both = run(&mut sim, "kubectl describe sa").stdout;
    assert!(both.starts_with("Name:         default\nNamespace:    default\n"), "{both}");
    let two = run(&mut sim, "kubectl describe pods -l app=db").stdout;
    assert!(two.contains("Events:\n") && two.contains("\n\n\nName:             db-1\n"), "{two}");
    assert_eq!(
        run(&mut sim, "kubectl describe deploy nope").stderr,
        "Error from server (NotFound): deployments.apps \"nope\" not found\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl describe foo x").stderr,
        "error: the server doesn't have a resource type \"foo\"\n"
    );
}

#[test]
fn annotations_print_as_key_colon_value_and_skip_last_applied() {
    let map: std::collections::BTreeMap<String, String> =
        [("kubectl.kubernetes.io/last-applied-configuration", "{}"), ("note", "hello"), ("long", &"x".repeat(150))]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
    let text = super::annotations_lines("Annotations", &Some(map));
    assert_eq!(text, format!("Annotations:\tlong:\n\t  {}...\n\tnote: hello\n", "x".repeat(138)));
}

#[test]
fn describe_deployment_shows_replicas_strategy_pod_template_conditions_and_replica_sets() {
    let mut sim = settled(WORKLOADS, 90);
    assert_eq!(
        run(&mut sim, "kubectl describe deploy web").stdout,
        "Name:                   web\nNamespace:              default\nCreationTimestamp:      Wed, 01 Jan 2025 00:00:00 +0000\nLabels:                 app=web\nAnnotations:            deployment.kubernetes.io/revision: 1\nSelector:               app=web\nReplicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable\nStrategyType:           RollingUpdate\nMinReadySeconds:        0\nRollingUpdateStrategy:  25% max unavailable, 25% max surge\nPod Template:\n  Labels:  app=web\n  Containers:\n   nginx:\n    Image:         nginx:1.27\n    Port:          <none>\n    Host Port:     <none>\n    Environment:   <none>\n    Mounts:        <none>\n  Volumes:         <none>\n  Node-Selectors:  <none>\n  Tolerations:     <none>\nConditions:\n  Type           Status  Reason\n  ----           ------  ------\n  Progressing    True    NewReplicaSetAvailable\n  Available      True    MinimumReplicasAvailable\nOldReplicaSets:  <none>\nNewReplicaSet:   web-7b4859b4b6 (2/2 replicas created)\nEvents:\n  Type    Reason             Age   From                   Message\n  ----    ------             ----  ----                   -------\n  Normal  ScalingReplicaSet  90s   deployment-controller  Scaled up replica set web-7b4859b4b6 from 0 to 2\n"
    );
}

#[test]
fn describe_replica_set_shows_owner_replicas_and_pod_statuses() {
    let mut sim = settled(WORKLOADS, 90);
    assert_eq!(
        run(&mut sim, "kubectl describe rs").stdout,
        "Name:           web-7b4859b4b6\nNamespace:      default\nSelector:       app=web,pod-template-hash=7b4859b4b6\nLabels:         app=web\n                pod-template-hash=7b4859b4b6\nAnnotations:    deployment.kubernetes.io/desired-replicas: 2\n                deployment.kubernetes.io/max-replicas: 3\n                deployment.kubernetes.io/revision: 1\nControlled By:  Deployment/web\nReplicas:       2 current / 2 desired\nPods Status:    2 Running / 0 Waiting / 0 Succeeded / 0 Failed\nPod Template:\n  Labels:  app=web\n           pod-template-hash=7b4859b4b6\n  Containers:\n   nginx:\n    Image:         nginx:1.27\n    Port:          <none>\n    Host Port:     <none>\n    Environment:   <none>\n    Mounts:        <none>\n  Volumes:         <none>\n  Node-Selectors:  <none>\n  Tolerations:     <none>\nEvents:\n  Type    Reason            Age   From                   Message\n  ----    ------            ----  ----                   -------\n  Normal  SuccessfulCreate  90s   replicaset-controller  Created pod: web-7b4859b4b6-c252c\n  Normal  SuccessfulCreate  90s   replicaset-controller  Created pod: web-7b4859b4b6-8vjm8\n"
    );
}

#[test]
fn describe_service_shows_ip_families_ports_and_ready_endpoints() {
    let mut sim = settled(WORKLOADS, 90);
    assert_eq!(
        run(&mut sim, "kubectl describe svc web").stdout,
        "Name:                     web\nNamespace:                default\nLabels:                   <none>\nAnnotations:              <none>\nSelector:                 app=web\nType:                     ClusterIP\nIP Family Policy:         SingleStack\nIP Families:              IPv4\nIP:                       10.96.153.105\nIPs:                      10.96.153.105\nPort:                     <unset>  80/TCP\nTargetPort:               80/TCP\nEndpoints:                10.244.1.3:80,10.244.2.4:80\nSession Affinity:         None\nInternal Traffic Policy:  Cluster\nEvents:                   <none>\n"
    );
}

#[test]
fn describe_daemon_set_counts_nodes_and_pods() {
    let mut sim = settled(WORKLOADS, 90);
    assert_eq!(
        run(&mut sim, "kubectl describe ds agent").stdout,
        "Name:           agent\nNamespace:      default\nSelector:       app=agent\nNode-Selector:  kubernetes.io/os=linux\nLabels:         <none>\nAnnotations:    <none>\nDesired Number of Nodes Scheduled: 3\nCurrent Number of Nodes Scheduled: 3\nNumber of Nodes Scheduled with Up-to-date Pods: 3\nNumber of Nodes Scheduled with Available Pods: 3\nNumber of Nodes Misscheduled: 0\nPods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed\nPod Template:\n  Labels:  app=agent\n  Containers:\n   a:\n    Image:      busybox\n    Port:       <none>\n    Host Port:  <none>\n    Command:\n      sleep\n      3600\n    Environment:   <none>\n    Mounts:        <none>\n  Volumes:         <none>\n  Node-Selectors:  kubernetes.io/os=linux\n  Tolerations:     <none>\nEvents:\n  Type    Reason            Age   From                  Message\n  ----    ------            ----  ----                  -------\n  Normal  SuccessfulCreate  90s   daemonset-controller  Created pod: agent-9kwhz\n  Normal  SuccessfulCreate  90s   daemonset-controller  Created pod: agent-zxvd8\n  Normal  SuccessfulCreate  90s   daemonset-controller  Created pod: agent-8kk6x\n"
    );
}

#[test]
fn describe_stateful_set_shows_update_strategy_and_volume_claims() {
    let mut sim = settled(WORKLOADS, 90);
    assert_eq!(
        run(&mut sim, "kubectl describe sts db").stdout,
        "Name:               db\nNamespace:          default\nCreationTimestamp:  Wed, 01 Jan 2025 00:00:00 +0000\nSelector:           app=db\nLabels:             <none>\nAnnotations:        <none>\nReplicas:           2 desired | 2 total\nUpdate Strategy:    RollingUpdate\n  Partition:        0\nPods Status:        2 Running / 0 Waiting / 0 Succeeded / 0 Failed\nPod Template:\n  Labels:  app=db\n  Containers:\n   redis:\n    Image:         redis\n    Port:          <none>\n    Host Port:     <none>\n    Environment:   <none>\n    Mounts:        <none>\n  Volumes:         <none>\n  Node-Selectors:  <none>\n  Tolerations:     <none>\nVolume Claims:     <none>\nEvents:\n  Type    Reason            Age   From                    Message\n  ----    ------            ----  ----                    -------\n  Normal  SuccessfulCreate  90s   statefulset-controller  create Pod db-0 in StatefulSet db successful\n  Normal  SuccessfulCreate  88s   statefulset-controller  create Pod db-1 in StatefulSet db successful\n"
    );
}

#[test]
fn describe_cron_job_shows_schedule_limits_and_job_template() {
    let mut sim = settled(WORKLOADS, 90);
    assert_eq!(
        run(&mut sim, "kubectl describe cj tick").stdout,
        "Name:                          tick\nNamespace:                     default\nLabels:                        <none>\nAnnotations:                   <none>\nSchedule:                      */1 * * * *\nConcurrency Policy:            Allow\nSuspend:                       False\nSuccessful Job History Limit:  3\nFailed Job History Limit:      1\nStarting Deadline Seconds:     <unset>\nSelector:                      <unset>\nParallelism:                   1\nCompletions:                   1\nPod Template:\n  Labels:  <none>\n  Containers:\n   t:\n    Image:      busybox\n    Port:       <none>\n    Host Port:  <none>\n    Command:\n      date\n    Environment:     <none>\n    Mounts:          <none>\n  Volumes:           <none>\n  Node-Selectors:    <none>\n  Tolerations:       <none>\nLast Schedule Time:  Wed, 01 Jan 2025 00:01:00 +0000\nActive Jobs:         <none>\nEvents:\n  Type    Reason            Age   From                Message\n  ----    ------            ----  ----                -------\n  Normal  SuccessfulCreate  30s   cronjob-controller  Created job tick-28928161\n  Normal  SawCompletedJob   29s   cronjob-controller  Saw completed job: tick-28928161, condition: Complete\n"
    );
}

#[test]
fn describe_config_map_and_secret_show_data() {
    let mut sim = settled(WORKLOADS, 90);
    assert_eq!(
        run(&mut sim, "kubectl describe cm cfg").stdout,
        "Name:         cfg\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\na:\n----\n1\n\nb:\n----\n2\n\n\nBinaryData\n====\n\nEvents:  <none>\n"
    );
}

#[test]
fn describe_secret_shows_type_and_sizes_not_values() {
    let mut sim = settled(WORKLOADS, 90);
    assert_eq!(
        run(&mut sim, "kubectl describe secret s").stdout,
        "Name:         s\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nType:  Opaque\n\nData\n====\nk:  1 bytes\n"
    );
}

#[test]
fn describe_unbound_claim_is_pending_and_unused() {
    let mut sim = settled(WORKLOADS, 90);
    assert_eq!(
        run(&mut sim, "kubectl describe pvc data").stdout,
        "Name:          data\nNamespace:     default\nStorageClass:  standard\nStatus:        Pending\nVolume:        \nLabels:        <none>\nAnnotations:   <none>\nFinalizers:    []\nCapacity:      \nAccess Modes:  \nVolumeMode:    Filesystem\nUsed By:       <none>\nEvents:\n  Type    Reason                Age   From                         Message\n  ----    ------                ----  ----                         -------\n  Normal  WaitForFirstConsumer  90s   persistentvolume-controller  waiting for first consumer to be created before binding\n"
    );
}

#[test]
fn describe_hpa_lists_metrics_as_current_over_target() {
    let mut sim = settled_all(30);
    assert_eq!(
        run(&mut sim, "kubectl describe hpa web").stdout,
        "Name:                                                  web\nNamespace:                                             default\nLabels:                                                <none>\nAnnotations:                                           <none>\nCreationTimestamp:                                     Wed, 01 Jan 2025 00:00:00 +0000\nReference:                                             Deployment/web\nMetrics:                                               ( current / target )\n  resource cpu on pods  (as a percentage of request):  <unknown> / 80%\nMin replicas:                                          1\nMax replicas:                                          5\nDeployment pods:                                       2 current / 2 desired\nConditions:\n  Type           Status  Reason                   Message\n  ----           ------  ------                   -------\n  AbleToScale    True    SucceededGetScale        the HPA controller was able to get the target's current scale\n  ScalingActive  False   FailedGetResourceMetric  the HPA was unable to compute the replica count: failed to get cpu utilization: no pods returned by selector while calculating replica count\nEvents:\n  Type     Reason                        Age               From                       Message\n  ----     ------                        ----              ----                       -------\n  Warning  FailedGetResourceMetric       0s (x3 over 30s)  horizontal-pod-autoscaler  failed to get cpu utilization: no pods returned by selector while calculating replica count\n  Warning  FailedComputeMetricsReplicas  0s (x3 over 30s)  horizontal-pod-autoscaler  invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: no pods returned by selector while calculating replica count\n"
    );
}

#[test]
fn describe_pdb_shows_budget_and_status() {
    let mut sim = settled_all(30);
    assert_eq!(
        run(&mut sim, "kubectl describe pdb web").stdout,
        "Name:           web\nNamespace:      default\nMin available:  1\nSelector:       app=web\nStatus:\n    Allowed disruptions:  0\n    Current:              0\n    Desired:              1\n    Total:                0\nEvents:                   <none>\n"
    );
}

#[test]
fn describe_namespace_shows_its_quotas_and_limit_ranges() {
    let mut sim = settled_all(30);
    assert_eq!(
        run(&mut sim, "kubectl describe ns default").stdout,
        "Name:         default\nLabels:       kubernetes.io/metadata.name=default\nAnnotations:  <none>\nStatus:       Active\n\nResource Quotas\n  Name:          q\n  Resource       Used  Hard\n  --------       ---   ---\n  limits.memory  0     4Gi\n  pods           1     10\n  requests.cpu   0     2\n\nResource Limits\n Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio\n ----       --------  ---  ---  ---------------  -------------  -----------------------\n Container  cpu       -    -    -                500m           -\n"
    );
}

#[test]
fn describe_pod_shows_ports_resources_probes_env_mounts_and_volumes() {
    let mut sim = settled_all(30);
    assert_eq!(
        run(&mut sim, "kubectl describe pod vols").stdout,
        "Name:             vols\nNamespace:        default\nPriority:         0\nService Account:  default\nNode:             node-2/172.18.0.4\nStart Time:       Wed, 01 Jan 2025 00:00:00 +0000\nLabels:           app=vols\nAnnotations:      note: hello\nStatus:           Running\nIP:               10.244.2.2\nIPs:\n  IP:  10.244.2.2\nContainers:\n  app:\n    Container ID:   containerd://fdf7ecb1bcf3b4dcf155210b683b8d947a3870769910b375e44cef0cd7470c25\n    Image:          nginx\n    Image ID:       docker.io/library/nginx@sha256:4325af9a84b4a3dd2764c7a6bd3d2b82bcf28057f365a9ecd1974c5b57a51dd1\n    Ports:          80/TCP, 443/TCP\n    Host Ports:     0/TCP, 0/TCP\n    State:          Running\n      Started:      Wed, 01 Jan 2025 00:00:03 +0000\n    Ready:          False\n    Restart Count:  0\n    Limits:\n      cpu:     500m\n      memory:  128Mi\n    Requests:\n      cpu:      250m\n      memory:   64Mi\n    Readiness:  http-get http://:80/healthz delay=0s timeout=1s period=10s #success=1 #failure=3\n    Environment:\n      MODE:  prod\n      PASS:  <set to the key 'k' in secret 's'>  Optional: false\n    Mounts:\n      /cache from cache (rw)\n      /etc/conf from conf (ro)\n      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-xvd85 (ro)\nConditions:\n  Type                        Status\n  PodReadyToStartContainers   True \n  Initialized                 True \n  Ready                       False \n  ContainersReady             False \nVolumes:\n  cache:\n    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:     \n    SizeLimit:  <unset>\n  conf:\n    Type:      ConfigMap (a volume populated by a ConfigMap)\n    Name:      cfg\n    Optional:  false\n  creds:\n    Type:        Secret (a volume populated by a Secret)\n    SecretName:  s\n    Optional:    false\n  host:\n    Type:          HostPath (bare host directory volume)\n    Path:          /var/log\n    HostPathType:  Directory\n  kube-api-access-xvd85:\n    Type:                    Projected (a volume that contains injected data from multiple sources)\n    TokenExpirationSeconds:  3607\n    ConfigMapName:           kube-root-ca.crt\n    Optional:                false\n    DownwardAPI:             true\nQoS Class:                   Burstable\nNode-Selectors:              <none>\nTolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\nEvents:\n  Type     Reason     Age               From     Message\n  ----     ------     ----              ----     -------\n  Normal   Pulling    29s               kubelet  Pulling image \"nginx\"\n  Normal   Pulled     27s               kubelet  Successfully pulled image \"nginx\" in 2.88s (2.88s including waiting). Image size: 72000000 bytes.\n  Normal   Created    27s               kubelet  Created container: app\n  Normal   Started    27s               kubelet  Started container app\n  Warning  Unhealthy  7s (x3 over 27s)  kubelet  Readiness probe failed: HTTP probe failed with statuscode: 404\n"
    );
}

#[test]
fn describe_node_shows_conditions_capacity_pods_and_allocated_resources() {
    let mut sim = settled_all(30);
    assert_eq!(
        run(&mut sim, "kubectl describe node node-2").stdout,
        "Name:               node-2\nRoles:              <none>\nLabels:             beta.kubernetes.io/arch=amd64\n                    beta.kubernetes.io/os=linux\n                    kubernetes.io/arch=amd64\n                    kubernetes.io/hostname=node-2\n                    kubernetes.io/os=linux\nAnnotations:        <none>\nCreationTimestamp:  Wed, 01 Jan 2025 00:00:00 +0000\nTaints:             <none>\nUnschedulable:      false\nLease:\n  HolderIdentity:  node-2\n  AcquireTime:     <unset>\n  RenewTime:       Wed, 01 Jan 2025 00:00:30 +0000\nConditions:\n  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message\n  ----             ------  -----------------                 ------------------                ------                       -------\n  MemoryPressure   False   Wed, 01 Jan 2025 00:00:00 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available\n  DiskPressure     False   Wed, 01 Jan 2025 00:00:00 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure\n  PIDPressure      False   Wed, 01 Jan 2025 00:00:00 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available\n  Ready            True    Wed, 01 Jan 2025 00:00:00 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletReady                 kubelet is posting ready status\nAddresses:\n  InternalIP:  172.18.0.4\n  Hostname:    node-2\nCapacity:\n  cpu:                4\n  ephemeral-storage:  102626232Ki\n  hugepages-1Gi:      0\n  hugepages-2Mi:      0\n  memory:             8388608Ki\n  pods:               110\nAllocatable:\n  cpu:                4\n  ephemeral-storage:  102626232Ki\n  hugepages-1Gi:      0\n  hugepages-2Mi:      0\n  memory:             8388608Ki\n  pods:               110\nSystem Info:\n  Machine ID:                 \n  System UUID:                \n  Boot ID:                    \n  Kernel Version:             6.8.0-sandbox\n  OS Image:                   Debian GNU/Linux 12 (bookworm)\n  Operating System:           linux\n  Architecture:               amd64\n  Container Runtime Version:  containerd://2.1.4\n  Kubelet Version:            v1.37.0\n  Kube-Proxy Version:         \nPodCIDR:                      10.244.2.0/24\nPodCIDRs:                     10.244.2.0/24\nNon-terminated Pods:          (2 in total)\n  Namespace                   Name                CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age\n  ---------                   ----                ------------  ----------  ---------------  -------------  ---\n  default                     vols                250m (6%)     500m (12%)  64Mi (0%)        128Mi (1%)     30s\n  kube-system                 kube-proxy-jjmkf    0 (0%)        0 (0%)      0 (0%)           0 (0%)         30s\nAllocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n  Resource           Requests   Limits\n  --------           --------   ------\n  cpu                250m (6%)  500m (12%)\n  memory             64Mi (0%)  128Mi (1%)\n  ephemeral-storage  0 (0%)     0 (0%)\n  hugepages-1Gi      0 (0%)     0 (0%)\n  hugepages-2Mi      0 (0%)     0 (0%)\nEvents:\n  Type    Reason                   Age   From             Message\n  ----    ------                   ----  ----             -------\n  Normal  Starting                 30s   kubelet          Starting kubelet.\n  Normal  NodeHasSufficientMemory  30s   kubelet          Node node-2 status is now: NodeHasSufficientMemory\n  Normal  NodeHasNoDiskPressure    30s   kubelet          Node node-2 status is now: NodeHasNoDiskPressure\n  Normal  NodeHasSufficientPID     30s   kubelet          Node node-2 status is now: NodeHasSufficientPID\n  Normal  NodeAllocatableEnforced  30s   kubelet          Updated Node Allocatable limit across pods\n  Normal  NodeReady                30s   kubelet          Node node-2 status is now: NodeReady\n  Normal  Starting                 30s   kube-proxy       \n  Normal  RegisteredNode           30s   node-controller  Node node-2 event: Registered Node node-2 in Controller\n"
    );
}

#[test]
fn describe_bound_claim_and_its_volume_point_at_each_other() {
    let mut sim = settled(
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: user}\nspec:\n  containers: [{name: c, image: nginx, volumeMounts: [{name: d, mountPath: /data}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]\n",
        30,
    );
    let pv = sim.store().list("PersistentVolume", None).next().unwrap().name().to_string();
    let node = sim
        .store()
        .get("Pod", Some("default"), "user")
        .unwrap()
        .field("spec.nodeName")
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    let claim = run(&mut sim, "kubectl describe pvc data").stdout;
    assert!(
        claim.starts_with(&format!(
            "Name:          data\nNamespace:     default\nStorageClass:  standard\nStatus:        Bound\nVolume:        {pv}\n\
             Labels:        <none>\nAnnotations:   pv.kubernetes.io/bind-completed: yes\nFinalizers:    []\n\
             Capacity:      1Gi\nAccess Modes:  RWO\nVolumeMode:    Filesystem\nUsed By:       user\n"
        )),
        "{claim}"
    );
    assert_eq!(
        run(&mut sim, "kubectl describe pv").stdout,
        format!(
            "Name:              {pv}\nLabels:            <none>\nAnnotations:       pv.kubernetes.io/provisioned-by: rancher.io/local-path\n\
             Finalizers:        []\nStorageClass:      standard\nStatus:            Bound\nClaim:             default/data\n\
             Reclaim Policy:    Delete\nAccess Modes:      RWO\nVolumeMode:        Filesystem\nCapacity:          1Gi\n\
             Node Affinity:     \n  Required Terms:  \n    Term 0:        kubernetes.io/hostname in [{node}]\nMessage:           \nSource:\n\
             \x20   Type:          HostPath (bare host directory volume)\n\
             \x20   Path:          /var/local-path-provisioner/{pv}_default_data\n\
             \x20   HostPathType:  DirectoryOrCreate\n\
             Events:            <none>\n"
        )
    );
}

#[test]
fn describe_node_counts_a_cpu_limit_written_as_a_bare_number() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  nodeName: node-1\n  containers:\n  - name: app\n    image: nginx\n    resources:\n      limits:\n        cpu: 1\n";
    let mut sim = settled(pod, 5);
    let out = run(&mut sim, "kubectl describe node node-1");
    let row = out.stdout.lines().find(|l| l.contains(" big ")).unwrap_or_default().to_string();
    assert!(row.contains("1 (25%)       1 (25%)"), "{row}\n{}", out.stdout);
}

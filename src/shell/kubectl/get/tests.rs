//! `kubectl get` output, byte for byte.

use std::time::Duration;

use crate::shell::{Output, Shell};
use crate::sim::{Sim, SimConfig};

fn sim() -> Sim {
    Sim::new(SimConfig::default())
}

fn run(sim: &mut Sim, line: &str) -> Output {
    Shell.run_line(sim, line)
}

fn apply(sim: &mut Sim, yaml: &str) {
    for obj in crate::manifest::parse(yaml).unwrap() {
        sim.create(obj).unwrap();
    }
}

#[test]
fn get_nodes_prints_kubectl_table() {
    let mut sim = sim();
    sim.advance(Duration::from_secs(300));
    let out = run(&mut sim, "kubectl get nodes");
    assert_eq!(
        out.stdout,
        "NAME            STATUS   ROLES           AGE   VERSION\n\
         control-plane   Ready    control-plane   5m    v1.37.0\n\
         node-1          Ready    <none>          5m    v1.37.0\n\
         node-2          Ready    <none>          5m    v1.37.0\n\
         node-3          Ready    <none>          5m    v1.37.0\n"
    );
}

#[test]
fn get_pods_shows_ready_status_restarts_as_kubectl() {
    let mut sim = sim();
    apply(&mut sim, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: node-1\n  containers:\n  - {name: web, image: nginx}\n");
    sim.advance(Duration::from_millis(500));
    let out = run(&mut sim, "kubectl get pods");
    assert_eq!(
        out.stdout,
        "NAME   READY   STATUS              RESTARTS   AGE\nweb    0/1     ContainerCreating   0          0s\n"
    );
    sim.advance(Duration::from_secs(10));
    run(&mut sim, "sandbox kill web");
    run(&mut sim, "sleep 1");
    run(&mut sim, "sandbox kill web");
    run(&mut sim, "sleep 125");
    let out = run(&mut sim, "kubectl get po web");
    assert_eq!(
        out.stdout,
        "NAME   READY   STATUS    RESTARTS       AGE\nweb    1/1     Running   2 (2m5s ago)   2m16s\n"
    );
}

#[test]
fn unknown_type_and_missing_name_are_kubectl_errors() {
    let mut sim = sim();
    let out = run(&mut sim, "kubectl get foo");
    assert_eq!(out.stderr, "error: the server doesn't have a resource type \"foo\"\n");
    assert_eq!(out.status, 1);
    let out = run(&mut sim, "kubectl get no nope");
    assert_eq!(out.stderr, "Error from server (NotFound): nodes \"nope\" not found\n");
    let out = run(&mut sim, "kubectl get deploy x");
    assert_eq!(out.stderr, "Error from server (NotFound): deployments.apps \"x\" not found\n");
    assert_eq!(run(&mut sim, "kubectl get deploy x --ignore-not-found"), Output::default());
}

#[test]
fn empty_namespace_says_no_resources_found() {
    let mut sim = sim();
    let out = run(&mut sim, "kubectl get pods");
    assert_eq!(out.stderr, "No resources found in default namespace.\n");
    assert_eq!(out.status, 0);
    assert_eq!(
        run(&mut sim, "kubectl get pods -n kube-public").stderr,
        "No resources found in kube-public namespace.\n"
    );
    assert_eq!(run(&mut sim, "kubectl get pv").stderr, "No resources found\n");
    assert_eq!(run(&mut sim, "kubectl get jobs -A").stderr, "No resources found\n");
}

const WORKLOADS: &str = include_str!("testdata/workloads.yaml");
const CLUSTER: &str = include_str!("testdata/cluster.yaml");
const CUSTOM: &str = include_str!("testdata/custom.yaml");

/// The workloads fixture applied and left to settle for 90 seconds.
fn settled_workloads() -> Sim {
    let mut sim = sim();
    apply(&mut sim, WORKLOADS);
    sim.advance(Duration::from_secs(90));
    sim
}

#[test]
fn workload_kinds_print_their_kubectl_columns() {
    let mut sim = settled_workloads();
    assert_eq!(
        run(&mut sim, "kubectl get ds").stdout,
        "NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE\n\
         agent   3         3         3       3            3           kubernetes.io/os=linux   90s\n"
    );
    assert_eq!(run(&mut sim, "kubectl get sts").stdout, "NAME   READY   AGE\ndb     2/2     90s\n");
    assert_eq!(
        run(&mut sim, "kubectl get job pi").stdout,
        "NAME   STATUS     COMPLETIONS   DURATION   AGE\npi     Complete   1/1           6s         90s\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get cj").stdout,
        "NAME   SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n\
         tick   */1 * * * *   <none>     False     0        30s             90s\n"
    );
}

#[test]
fn config_and_storage_kinds_print_their_kubectl_columns() {
    let mut sim = settled_workloads();
    assert_eq!(
        run(&mut sim, "kubectl get cm").stdout,
        "NAME               DATA   AGE\ncfg                2      90s\nkube-root-ca.crt   1      90s\n"
    );
    assert_eq!(run(&mut sim, "kubectl get secrets").stdout, "NAME   TYPE     DATA   AGE\ns      Opaque   1      90s\n");
    assert_eq!(run(&mut sim, "kubectl get sa").stdout, "NAME      SECRETS   AGE\ndefault   0         90s\n");
    assert_eq!(
        run(&mut sim, "kubectl get ep web").stdout,
        "NAME   ENDPOINTS                     AGE\nweb    10.244.1.3:80,10.244.2.4:80   90s\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get endpointslices").stdout,
        "NAME        ADDRESSTYPE   PORTS   ENDPOINTS               AGE\nweb-bmr8t   IPv4          80      10.244.1.3,10.244.2.4   90s\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get pvc").stdout,
        "NAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n\
         data   Pending                                      standard       <unset>                 90s\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get sc").stdout,
        "NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n\
         standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  90s\n"
    );
}

#[test]
fn bound_claim_and_its_volume_show_capacity_modes_and_claim() {
    let mut sim = sim();
    apply(&mut sim, "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: user}\nspec:\n  containers: [{name: c, image: nginx, volumeMounts: [{name: d, mountPath: /data}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]\n");
    sim.advance(Duration::from_secs(30));
    let pvc = run(&mut sim, "kubectl get pvc").stdout;
    let pv_name = sim
        .store()
        .get("PersistentVolumeClaim", Some("default"), "data")
        .unwrap()
        .field("spec.volumeName")
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        pvc,
        format!(
            "NAME   STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n\
             data   Bound    {pv_name}   1Gi        RWO            standard       <unset>                 30s\n"
        )
    );
    let pv = run(&mut sim, "kubectl get pv").stdout;
    assert!(pv.starts_with("NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM          STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE\n"), "{pv}");
    assert!(pv.contains(&format!("{pv_name}   1Gi        RWO            Delete           Bound    default/data   standard       <unset>                          ")), "{pv}");
}

#[test]
fn events_show_last_seen_type_reason_object_message_in_server_order() {
    let mut sim = settled_workloads();
    // kubectl prints events in the order the API server lists them (by name: object, then time).
    assert_eq!(
        run(&mut sim, "kubectl get events --field-selector involvedObject.name=db-0").stdout,
        "LAST SEEN   TYPE     REASON      OBJECT     MESSAGE\n\
         90s         Normal   Scheduled   pod/db-0   Successfully assigned default/db-0 to node-2\n\
         89s         Normal   Pulling     pod/db-0   Pulling image \"redis\"\n\
         88s         Normal   Pulled      pod/db-0   Successfully pulled image \"redis\" in 1.8s (1.8s including waiting). Image size: 45000000 bytes.\n\
         88s         Normal   Created     pod/db-0   Created container: redis\n\
         88s         Normal   Started     pod/db-0   Started container redis\n"
    );
}

#[test]
fn policy_networking_rbac_and_scheduling_kinds_print_their_columns() {
    let mut sim = sim();
    apply(&mut sim, CLUSTER);
    sim.advance(Duration::from_secs(60));
    assert_eq!(
        run(&mut sim, "kubectl get hpa").stdout,
        "NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE\n\
         web    Deployment/web   cpu: <unknown>/80%   1         5         0          60s\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get pdb").stdout,
        "NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nweb    1               N/A               0                     60s\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get ing").stdout,
        "NAME   CLASS   HOSTS             ADDRESS   PORTS   AGE\nweb    nginx   web.example.com             80      60s\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get quota").stdout,
        "NAME   REQUEST                         LIMIT                  AGE\nq      pods: 0/10, requests.cpu: 0/2   limits.memory: 0/4Gi   60s\n"
    );
    assert_eq!(run(&mut sim, "kubectl get limits").stdout, "NAME   CREATED AT\nlr     2025-01-01T00:00:00Z\n");
    assert_eq!(
        run(&mut sim, "kubectl get pc high").stdout,
        "NAME   VALUE   GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY\nhigh   1000    false            60s   PreemptLowerPriority\n"
    );
    assert_eq!(run(&mut sim, "kubectl get roles").stdout, "NAME     CREATED AT\nreader   2025-01-01T00:00:00Z\n");
    assert_eq!(
        run(&mut sim, "kubectl get rolebindings").stdout,
        "NAME        ROLE          AGE\nread-pods   Role/reader   60s\n"
    );
    assert_eq!(run(&mut sim, "kubectl get netpol").stdout, "NAME   POD-SELECTOR   AGE\ndeny   <none>         60s\n");
    assert_eq!(
        run(&mut sim, "kubectl get leases -n kube-node-lease node-1").stdout,
        "NAME     HOLDER   AGE\nnode-1   node-1   60s\n"
    );
}

#[test]
fn crds_and_custom_resources_use_created_at_or_printer_columns() {
    let mut sim = sim();
    apply(&mut sim, CLUSTER);
    apply(&mut sim, CUSTOM);
    sim.advance(Duration::from_secs(60));
    assert_eq!(
        run(&mut sim, "kubectl get crd").stdout,
        "NAME                  CREATED AT\ngadgets.example.com   2025-01-01T00:00:00Z\nwidgets.example.com   2025-01-01T00:00:00Z\n"
    );
    assert_eq!(run(&mut sim, "kubectl get gadgets").stdout, "NAME   SIZE   AGE\ng1     3      60s\n");
    assert_eq!(run(&mut sim, "kubectl get widgets").stdout, "NAME   AGE\nw1     60s\n");
    assert_eq!(run(&mut sim, "kubectl get gd g1 -o name").stdout, "gadget.example.com/g1\n");
}

#[test]
fn wide_adds_ip_node_nominated_node_and_readiness_gates_to_pods() {
    let mut sim = sim();
    apply(&mut sim, "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  nodeName: node-1\n  containers: [{name: web, image: nginx}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  readinessGates: [{conditionType: example.com/ready}]\n  containers: [{name: c, image: nginx, resources: {requests: {cpu: '50'}}}]\n");
    sim.advance(Duration::from_secs(20));
    assert_eq!(
        run(&mut sim, "kubectl get pods -o wide").stdout,
        "NAME   READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n\
         big    0/1     Pending   0          20s   <none>       <none>   <none>           0/1\n\
         web    1/1     Running   0          20s   10.244.1.2   node-1   <none>           <none>\n"
    );
}

#[test]
fn wide_nodes_show_addresses_os_kernel_and_runtime() {
    let mut sim = sim();
    assert_eq!(
        run(&mut sim, "kubectl get node node-1 -o wide").stdout,
        "NAME     STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION   CONTAINER-RUNTIME\n\
         node-1   Ready    <none>   0s    v1.37.0   172.18.0.3    <none>        Debian GNU/Linux 12 (bookworm)   6.8.0-sandbox    containerd://2.1.4\n"
    );
}

#[test]
fn wide_workloads_show_containers_images_and_selectors() {
    let mut sim = settled_workloads();
    assert_eq!(
        run(&mut sim, "kubectl get deploy -o wide").stdout,
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES       SELECTOR\n\
         web    2/2     2            2           90s   nginx        nginx:1.27   app=web\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get rs -o wide").stdout,
        "NAME             DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES       SELECTOR\n\
         web-7b4859b4b6   2         2         2       90s   nginx        nginx:1.27   app=web,pod-template-hash=7b4859b4b6\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get svc web -o wide").stdout,
        "NAME   TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE   SELECTOR\n\
         web    ClusterIP   10.96.153.105   <none>        80/TCP    90s   app=web\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get ds -o wide").stdout,
        "NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE   CONTAINERS   IMAGES    SELECTOR\n\
         agent   3         3         3       3            3           kubernetes.io/os=linux   90s   a            busybox   app=agent\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get sts -o wide").stdout,
        "NAME   READY   AGE   CONTAINERS   IMAGES\ndb     2/2     90s   redis        redis\n"
    );
    let job = run(&mut sim, "kubectl get job pi -o wide").stdout;
    let uid = sim.store().get("Job", Some("default"), "pi").unwrap().uid().to_string();
    assert_eq!(
        job,
        format!(
            "NAME   STATUS     COMPLETIONS   DURATION   AGE   CONTAINERS   IMAGES    SELECTOR\n\
             pi     Complete   1/1           6s         90s   pi           busybox   batch.kubernetes.io/controller-uid={uid}\n"
        )
    );
}

#[test]
fn wide_events_add_subobject_source_first_seen_count_and_name() {
    let mut sim = settled_workloads();
    let out =
        run(&mut sim, "kubectl get events -o wide --field-selector involvedObject.name=db-0,reason=Started").stdout;
    let name = sim
        .store()
        .list("Event", Some("default"))
        .find(|e| {
            e.field("involvedObject.name").and_then(|v| v.as_str()) == Some("db-0") && e.body["reason"] == "Started"
        })
        .unwrap()
        .name()
        .to_string();
    assert_eq!(
        out,
        format!(
            "LAST SEEN   TYPE     REASON    OBJECT     SUBOBJECT                SOURCE            MESSAGE                   FIRST SEEN   COUNT   NAME\n\
             88s         Normal   Started   pod/db-0   spec.containers{{redis}}   kubelet, node-2   Started container redis   88s          1       {name}\n"
        )
    );
}

#[test]
fn label_selectors_filter_and_label_columns_decorate() {
    let mut sim = settled_workloads();
    assert_eq!(
        run(&mut sim, "kubectl get pods -l app=web --show-labels").stdout,
        "NAME                   READY   STATUS    RESTARTS   AGE   LABELS\n\
         web-7b4859b4b6-8vjm8   1/1     Running   0          90s   app=web,pod-template-hash=7b4859b4b6\n\
         web-7b4859b4b6-c252c   1/1     Running   0          90s   app=web,pod-template-hash=7b4859b4b6\n"
    );
    assert_eq!(
        run(
            &mut sim,
            "kubectl get pods -l 'app in (db, web),!pod-template-hash' -L app -L statefulset.kubernetes.io/pod-name"
        )
        .stdout,
        "NAME   READY   STATUS    RESTARTS   AGE   APP   POD-NAME\n\
         db-0   1/1     Running   0          90s   db    db-0\n\
         db-1   1/1     Running   0          88s   db    db-1\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get pods --selector=app!=web,app!=agent,app -o name").stdout,
        "pod/db-0\npod/db-1\n"
    );
    assert_eq!(run(&mut sim, "kubectl get pods -l app=nope").stderr, "No resources found in default namespace.\n");
    assert_eq!(
        run(&mut sim, "kubectl get pods -l 'app in db'").stderr,
        "Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"app in db\", field selector \"\": unable to parse requirement: found 'db', expected: '('\n"
    );
}

#[test]
fn field_selectors_filter_on_supported_fields_and_refuse_others() {
    let mut sim = settled_workloads();
    assert_eq!(
        run(&mut sim, "kubectl get pods --field-selector spec.nodeName=node-3,status.phase=Running").stdout,
        "NAME          READY   STATUS    RESTARTS   AGE\nagent-8kk6x   1/1     Running   0          90s\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get pods --field-selector=status.phase!=Running,metadata.name!=pi-mrjnd -o name").stdout,
        "pod/tick-28928161-fz8g9\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get ns --field-selector metadata.name=default -o name").stdout,
        "namespace/default\n"
    );
    let out = run(&mut sim, "kubectl get deploy --field-selector status.replicas=2");
    assert_eq!(
        out.stderr,
        "Error from server (BadRequest): Unable to find \"apps/v1, Resource=deployments\" that match label selector \"\", field selector \"status.replicas=2\": \"status.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"\n"
    );
    assert_eq!(out.status, 1);
    assert_eq!(
        run(&mut sim, "kubectl get pods --field-selector spec.foo=x").stderr,
        "Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector \"spec.foo=x\": field label not supported: spec.foo\n"
    );
}

#[test]
fn sort_by_no_headers_and_custom_columns() {
    let mut sim = settled_workloads();
    assert_eq!(
        run(&mut sim, "kubectl get pods -l app=db --sort-by=.metadata.creationTimestamp --no-headers").stdout,
        "db-0   1/1   Running   0     90s\ndb-1   1/1   Running   0     88s\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get pods --sort-by={.status.podIP} -o custom-columns=NAME:.metadata.name,IP:.status.podIP,IMAGES:.spec.containers[*].image -l app!=agent").stdout,
        "NAME                   IP           IMAGES\n\
         web-7b4859b4b6-c252c   10.244.1.3   nginx:1.27\n\
         db-1                   10.244.1.4   redis\n\
         tick-28928161-fz8g9    10.244.1.5   busybox\n\
         db-0                   10.244.2.3   redis\n\
         web-7b4859b4b6-8vjm8   10.244.2.4   nginx:1.27\n\
         pi-mrjnd               10.244.3.3   busybox\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get nodes --sort-by=.metadata.name -o custom-columns=NODE:metadata.name,TAINT:.spec.taints[*].effect --no-headers").stdout,
        "control-plane   NoSchedule\nnode-1          <none>\nnode-2          <none>\nnode-3          <none>\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get pods -o custom-columns=NAME").stderr,
        "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get pods --sort-by=.foo").stderr,
        "error: couldn't find any field with path \"{.foo}\" in the list of objects\n"
    );
}

#[test]
fn jsonpath_prints_lists_ranges_and_filters() {
    let mut sim = settled_workloads();
    assert_eq!(run(&mut sim, "kubectl get pods -l app=db -o jsonpath='{.items[*].metadata.name}'").stdout, "db-0 db-1");
    assert_eq!(
        run(&mut sim, r#"kubectl get pods -l app=db -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.spec.nodeName}{"\n"}{end}'"#).stdout,
        "db-0\tnode-2\ndb-1\tnode-1\n"
    );
    assert_eq!(
        run(&mut sim, r#"kubectl get pods -o jsonpath='{.items[?(@.status.phase=="Succeeded")].metadata.name}'"#)
            .stdout,
        "pi-mrjnd tick-28928161-fz8g9"
    );
    assert_eq!(run(&mut sim, "kubectl get deploy web -o jsonpath={.spec.replicas}").stdout, "2");
    assert_eq!(
        run(&mut sim, "kubectl get pods -o 'jsonpath={.items[}'").stderr,
        "error: error parsing jsonpath {.items[}, unclosed array expect ]\n"
    );
}

#[test]
fn jsonpath_and_custom_columns_read_annotation_keys_with_escaped_dots() {
    let mut sim = settled_workloads();
    assert_eq!(
        run(
            &mut sim,
            r"kubectl get deploy web -o jsonpath='{.metadata.annotations.deployment\.kubernetes\.io/revision}'"
        )
        .stdout,
        "1"
    );
    assert_eq!(
        run(
            &mut sim,
            r"kubectl get deploy web -o custom-columns='REV:.metadata.annotations.deployment\.kubernetes\.io/revision'"
        )
        .stdout,
        "REV\n1\n"
    );
}

#[test]
fn several_types_print_one_table_each_with_kind_prefixed_names() {
    let mut sim = settled_workloads();
    assert_eq!(
        run(&mut sim, "kubectl get deploy,svc").stdout,
        "NAME                  READY   UP-TO-DATE   AVAILABLE   AGE\n\
         deployment.apps/web   2/2     2            2           90s\n\
         \n\
         NAME                 TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE\n\
         service/kubernetes   ClusterIP   10.96.0.1       <none>        443/TCP   90s\n\
         service/web          ClusterIP   10.96.153.105   <none>        80/TCP    90s\n"
    );
    let out = run(&mut sim, "kubectl get deploy/web svc/nope sts/db --no-headers");
    assert_eq!(out.stdout, "deployment.apps/web   2/2   2     2     90s\nstatefulset.apps/db   2/2   90s\n");
    assert_eq!(out.stderr, "Error from server (NotFound): services \"nope\" not found\n");
    assert_eq!(out.status, 1);
    assert_eq!(
        run(&mut sim, "kubectl get pod db-0 --show-kind --no-headers").stdout,
        "pod/db-0   1/1   Running   0     90s\n"
    );
}

#[test]
fn get_all_groups_workloads_in_kubectls_order() {
    let mut sim = settled_workloads();
    assert_eq!(
        run(&mut sim, "kubectl get all").stdout,
        "NAME                       READY   STATUS      RESTARTS   AGE\n\
         pod/agent-8kk6x            1/1     Running     0          90s\n\
         pod/agent-9kwhz            1/1     Running     0          90s\n\
         pod/agent-zxvd8            1/1     Running     0          90s\n\
         pod/db-0                   1/1     Running     0          90s\n\
         pod/db-1                   1/1     Running     0          88s\n\
         pod/pi-mrjnd               0/1     Completed   0          90s\n\
         pod/tick-28928161-fz8g9    0/1     Completed   0          30s\n\
         pod/web-7b4859b4b6-8vjm8   1/1     Running     0          90s\n\
         pod/web-7b4859b4b6-c252c   1/1     Running     0          90s\n\
         \n\
         NAME                 TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE\n\
         service/kubernetes   ClusterIP   10.96.0.1       <none>        443/TCP   90s\n\
         service/web          ClusterIP   10.96.153.105   <none>        80/TCP    90s\n\
         \n\
         NAME                   DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE\n\
         daemonset.apps/agent   3         3         3       3            3           kubernetes.io/os=linux   90s\n\
         \n\
         NAME                  READY   UP-TO-DATE   AVAILABLE   AGE\n\
         deployment.apps/web   2/2     2            2           90s\n\
         \n\
         NAME                             DESIRED   CURRENT   READY   AGE\n\
         replicaset.apps/web-7b4859b4b6   2         2         2       90s\n\
         \n\
         NAME                  READY   AGE\n\
         statefulset.apps/db   2/2     90s\n\
         \n\
         NAME                 SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n\
         cronjob.batch/tick   */1 * * * *   <none>     False     0        30s             90s\n\
         \n\
         NAME                      STATUS     COMPLETIONS   DURATION   AGE\n\
         job.batch/pi              Complete   1/1           6s         90s\n\
         job.batch/tick-28928161   Complete   1/1           1s         30s\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get all -n kube-public").stderr,
        "No resources found in kube-public namespace.\n"
    );
}

#[test]
fn all_namespaces_prefixes_namespace_for_namespaced_kinds_only() {
    let mut sim = settled_workloads();
    assert_eq!(
        run(&mut sim, "kubectl get cm,ns -A").stdout,
        "NAMESPACE         NAME                         DATA   AGE\n\
         default           configmap/cfg                2      90s\n\
         default           configmap/kube-root-ca.crt   1      90s\n\
         kube-node-lease   configmap/kube-root-ca.crt   1      90s\n\
         kube-public       configmap/cluster-info       1      90s\n\
         kube-public       configmap/kube-root-ca.crt   1      90s\n\
         kube-system       configmap/coredns            1      90s\n\
         kube-system       configmap/kube-proxy         2      90s\n\
         kube-system       configmap/kube-root-ca.crt   1      90s\n\
         kube-system       configmap/kubeadm-config     1      90s\n\
         kube-system       configmap/kubelet-config     1      90s\n\
         \n\
         NAME                        STATUS   AGE\n\
         namespace/default           Active   90s\n\
         namespace/kube-node-lease   Active   90s\n\
         namespace/kube-public       Active   90s\n\
         namespace/kube-system       Active   90s\n"
    );
}

#[test]
fn flag_errors_match_kubectl() {
    let mut sim = sim();
    assert_eq!(
        run(&mut sim, "kubectl get pods -n").stderr,
        "Error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get pods --sort-by").stderr,
        "Error: flag needs an argument: --sort-by\nSee 'kubectl get --help' for usage.\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get pods --foo").stderr,
        "Error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n"
    );
    assert_eq!(
        run(&mut sim, "kubectl get pods -z").stderr,
        "Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.\n"
    );
}

#[test]
fn go_templates_extract_what_the_tutorials_put_in_variables() {
    let mut sim = sim();
    run(&mut sim, "kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1");
    run(&mut sim, "kubectl expose deployment/kubernetes-bootcamp --type=NodePort --port 8080");
    run(&mut sim, "sleep 20");
    let mut t = crate::shell::terminal::Terminal::here();
    let out = t.run_line(
        &mut sim,
        r#"export POD_NAME="$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}')"; echo "Name of the Pod: $POD_NAME""#,
    );
    assert!(out.stdout.starts_with("Name of the Pod: kubernetes-bootcamp-"), "{out:?}");
    let out = t.run_line(
        &mut sim,
        r#"export NODE_PORT="$(kubectl get services/kubernetes-bootcamp -o go-template='{{(index .spec.ports 0).nodePort}}')"; echo "NODE_PORT=$NODE_PORT""#,
    );
    let port: u16 = out.stdout.trim().strip_prefix("NODE_PORT=").unwrap_or("").parse().unwrap_or(0);
    assert!((30000..32768).contains(&port), "{out:?}");
    let out = run(&mut sim, "kubectl get deploy -o template='{{range .items}}{{.spec.replicas}}{{end}}'");
    assert_eq!(out.stdout, "1");
    let out = run(&mut sim, "kubectl get deploy kubernetes-bootcamp --template={{.kind}}");
    assert_eq!(out.stdout, "Deployment");
    let out = run(&mut sim, "kubectl get deploy kubernetes-bootcamp -o jsonpath --template={.kind}");
    assert_eq!(out.stdout, "Deployment");
    let out = run(&mut sim, "kubectl get deploy -o go-template");
    assert_eq!(out.stderr, "error: template format specified but no template given\n");
    let out = run(&mut sim, "kubectl get deploy -o go-template-file=/nope.tmpl");
    assert_eq!(out.stderr, "error: error reading --template /nope.tmpl, open /nope.tmpl: no such file or directory\n");
    let out = run(&mut sim, "kubectl get deploy kubernetes-bootcamp -o go-template='{{.metadata.name.x}}'");
    assert_eq!(out.status, 1);
    assert!(out.stdout.starts_with("Error executing template: template: output:1:11:"), "{out:?}");
    assert!(out.stderr.starts_with("error: error executing template \"{{.metadata.name.x}}\""), "{out:?}");
}

#[test]
fn a_go_template_file_written_in_the_terminal_is_read() {
    let mut sim = sim();
    let mut t = crate::shell::terminal::Terminal::default();
    let out = t.run_line(
        &mut sim,
        "echo '{{range .items}}{{.metadata.name}} {{end}}' > ns.tmpl; kubectl get ns -o go-template-file=ns.tmpl",
    );
    assert!(out.stdout.starts_with("default kube-node-lease"), "{out:?}");
}

#[test]
fn boolean_flags_take_a_value_as_pflag_parses_it() {
    let mut sim = sim();
    let out = run(&mut sim, "kubectl get nodes --watch=false --no-headers=1 --show-labels=f");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("control-plane   Ready"), "{}", out.stdout);
    let out = run(&mut sim, "kubectl get pods -w=maybe");
    assert_eq!(
        out.stderr,
        "Error: invalid argument \"maybe\" for \"-w, --watch\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'kubectl get --help' for usage.\n"
    );
    let out = run(&mut sim, "kubectl get pods --no-headers=x");
    assert!(out.stderr.starts_with("Error: invalid argument \"x\" for \"--no-headers\" flag:"), "{}", out.stderr);
}

//! The image catalogue as a course sees it: per image, what its containers answer, log and
//! ship, which of its tags pull, and how the kubelet runs its command. Each test runs a script
//! through the terminal in a fresh sandbox, as a learner would type it.
#![cfg(not(target_arch = "wasm32"))]

use kube_sandbox::shell::terminal::Terminal;
use kube_sandbox::shell::transcript::run_in;
use kube_sandbox::sim::{Sim, SimConfig};

fn run(script: &str) -> String {
    let mut terminal = Terminal::with_files(Default::default(), "/home/learner");
    let mut sim = Sim::new(SimConfig::default());
    run_in(&mut sim, &mut terminal, script, false).0
}

#[track_caller]
fn assert_has(out: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(out.contains(w), "missing {w:?} in:\n{out}");
    }
}

#[test]
fn kubernetes_bootcamp_answers_with_its_pod_and_version_and_v10_fails_to_pull() {
    let out = run("kubectl create deployment boot --image=gcr.io/google-samples/kubernetes-bootcamp:v1
kubectl expose deployment boot --port 8080
sleep 20
kubectl exec deploy/boot -- cat server.js
kubectl run c1 --image=busybox --restart=Never -- wget -qO- http://boot:8080
sleep 10
kubectl logs c1
kubectl logs deploy/boot
kubectl set image deployment/boot kubernetes-bootcamp=docker.io/jocatalin/kubernetes-bootcamp:v2
sleep 60
kubectl run c2 --image=busybox --restart=Never -- wget -qO- http://boot:8080
sleep 10
kubectl logs c2
kubectl set image deployment/boot kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v10
sleep 30
kubectl get pods -l app=boot
kubectl describe pods -l app=boot | grep 'Failed to pull'
");
    assert_has(
        &out,
        &[
            "res.end('Hello Kubernetes bootcamp! | Running on: '",
            "Hello Kubernetes bootcamp! | Running on: boot-",
            " | v=1\n",
            " | v=2\n",
            "Kubernetes Bootcamp App Started At: ",
            "| Total Requests: 1 | App Uptime: ",
            "gcr.io/google-samples/kubernetes-bootcamp:v10: not found",
        ],
    );
    // Between pull attempts the pod shows ImagePullBackOff, at an attempt ErrImagePull.
    assert!(out.contains("ImagePullBackOff") || out.contains("ErrImagePull"), "{out}");
}

#[test]
fn hello_app_says_hello_world_with_its_version_and_hostname_and_logs_requests() {
    let out = run("kubectl create deployment web --image=gcr.io/google-samples/hello-app:1.0
kubectl expose deployment web --port 8080
kubectl create deployment web2 --image=us-docker.pkg.dev/google-samples/containers/gke/hello-app:2.0
kubectl expose deployment web2 --port 8080
sleep 10
kubectl run c --image=busybox --restart=Never -- sh -c 'wget -qO- http://web:8080; wget -qO- http://web2:8080'
sleep 10
kubectl logs c
kubectl logs deploy/web
kubectl run c3 --image=gcr.io/google-samples/hello-app:3.0
sleep 5
kubectl get pod c3
");
    assert_has(
        &out,
        &[
            "Hello, world!\nVersion: 1.0.0\nHostname: web-",
            "Hello, world!\nVersion: 2.0.0\nHostname: web2-",
            "Server listening on port 8080",
            "Serving request: /",
            "ImagePullBackOff",
        ],
    );
}

#[test]
fn echo_servers_log_their_listener_and_print_the_request_back() {
    let out = run("kubectl create deployment hello-minikube --image=kicbase/echo-server:1.0
kubectl expose deployment hello-minikube --port 8080
kubectl run old --image=registry.k8s.io/echoserver:1.4 --port 8080
sleep 10
kubectl logs deploy/hello-minikube
kubectl run c --image=busybox --restart=Never -- wget -qO- http://hello-minikube:8080/x
sleep 10
kubectl logs c
");
    assert_has(&out, &["Echo server listening on port 8080.", "Request served by hello-minikube-", "HTTP/1.1 GET /x"]);
}

#[test]
fn agnhost_liveness_starts_failing_after_ten_seconds_and_the_kubelet_restarts_it() {
    let out = run("kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: liveness-http
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/e2e-test-images/agnhost:2.40
    args:
    - liveness
    livenessProbe:
      httpGet:
        path: /healthz
        port: 8080
      initialDelaySeconds: 3
      periodSeconds: 3
EOF
sleep 8
kubectl get pod liveness-http
sleep 30
kubectl get pod liveness-http
kubectl describe pod liveness-http | grep -E 'Unhealthy|Killing'
");
    assert_has(
        &out,
        &[
            "1/1     Running   0",
            "Liveness probe failed: HTTP probe failed with statuscode: 500",
            "Container liveness failed liveness probe, will be restarted",
        ],
    );
    assert!(!out.contains("connection refused"), "{out}");
}

#[test]
fn agnhost_netexec_and_serve_hostname_answer_by_path_and_unknown_subcommands_fail() {
    let out = run("kubectl run net --image=registry.k8s.io/e2e-test-images/agnhost:2.53 -- netexec --http-port=8080
kubectl run host --image=registry.k8s.io/e2e-test-images/agnhost:2.53 -- serve-hostname
kubectl run spaced --image=registry.k8s.io/e2e-test-images/agnhost:2.53 -- serve-hostname --port 8000
kubectl run net2 --image=registry.k8s.io/e2e-test-images/agnhost:2.53 -- netexec --http-port 8090
kubectl run novalue --image=registry.k8s.io/e2e-test-images/agnhost:2.53 --restart=Never -- serve-hostname --port
kubectl run bad --image=registry.k8s.io/e2e-test-images/agnhost:2.53 --restart=Never -- nosuch
sleep 10
kubectl exec net -- wget -qO- http://localhost:8080/hostname
echo
kubectl exec net -- wget -qO- 'http://localhost:8080/echo?msg=hello+there'
echo
kubectl exec host -- wget -qO- http://localhost:9376/
echo
kubectl exec spaced -- wget -qO- http://localhost:8000/
echo
kubectl logs spaced
kubectl exec net2 -- wget -qO- http://localhost:8090/hostname
echo
kubectl logs novalue
kubectl logs bad
kubectl get pod bad
kubectl exec net -- /agnhost dns-suffix
kubectl exec net -- /agnhost etc-hosts
kubectl run x --image=registry.k8s.io/e2e-test-images/agnhost:latest
sleep 5
kubectl get pod x
");
    assert_has(
        &out,
        &[
            "/hostname\nnet",
            "dns-suffix\ncluster.local\n",
            "# Kubernetes-managed hosts file.",
            "hello there",
            ":9376/\nhost",
            // A flag's value may follow it as the next word, as Go's pflag reads it.
            ":8000/\nspaced",
            "Serving on port 8000.",
            "/hostname\nnet2",
            "Error: flag needs an argument: --port",
            "Error: unknown command \"nosuch\" for \"agnhost\"",
            "bad    0/1     Error",
            "ImagePullBackOff",
        ],
    );
}

#[test]
fn http_echo_answers_the_text_it_was_given() {
    let out = run("kubectl run echo --image=hashicorp/http-echo -- -text=apple
sleep 5
kubectl logs echo
kubectl exec echo -- wget -qO- http://localhost:5678/
");
    assert_has(&out, &["server is listening on :5678", "apple\n"]);
}

#[test]
fn nginx_reports_the_version_of_its_tag_logs_each_request_and_serves_files_written_by_exec() {
    let out = run("kubectl run web --image=nginx:1.14
sleep 5
kubectl exec web -- sh -c 'echo stored > /usr/share/nginx/html/page.html'
kubectl exec web -- wget -qO- http://localhost/page.html
kubectl exec web -- wget -qO- http://localhost/missing
kubectl logs web
kubectl run web2 --image=nginx:1.99
sleep 5
kubectl get pod web2
");
    assert_has(
        &out,
        &[
            "nginx/1.14.2",
            "stored\n",
            "404 Not Found",
            "\"GET /page.html HTTP/1.1\" 200 7",
            "\"GET /missing HTTP/1.1\" 404",
            "ImagePullBackOff",
        ],
    );
    assert!(!out.contains("nginx/1.27.3"), "{out}");
}

#[test]
fn nginx_slim_serves_what_a_statefulset_pod_wrote_to_its_html_root() {
    let out = run("kubectl run web-0 --image=registry.k8s.io/nginx-slim:0.21
sleep 5
kubectl exec web-0 -- sh -c 'echo \"$(hostname)\" > /usr/share/nginx/html/index.html'
kubectl exec web-0 -- wget -qO- http://localhost/
");
    assert_has(&out, &["\nweb-0\n"]);
}

#[test]
fn redis_reads_its_config_file_at_start_and_redis_cli_reports_it() {
    let out = run("kubectl apply -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: example-redis-config
data:
  redis-config: |
    maxmemory 2mb
    maxmemory-policy allkeys-lru
---
apiVersion: v1
kind: Pod
metadata:
  name: redis
spec:
  containers:
  - name: redis
    image: redis:8.0.2
    command:
    - redis-server
    - /redis-master/redis.conf
    volumeMounts:
    - mountPath: /redis-master
      name: config
  volumes:
  - name: config
    configMap:
      name: example-redis-config
      items:
      - key: redis-config
        path: redis.conf
EOF
sleep 10
kubectl exec redis -- redis-cli CONFIG GET maxmemory
kubectl exec redis -- redis-cli CONFIG GET maxmemory-policy
kubectl exec redis -- redis-cli PING
kubectl exec redis -- redis-cli SET greeting hi
kubectl exec redis -- redis-cli GET greeting
kubectl exec redis -- sh -c 'echo x > /redis-master/redis.conf'
kubectl logs redis
");
    assert_has(
        &out,
        &[
            "maxmemory\n2097152\n",
            "maxmemory-policy\nallkeys-lru\n",
            "PONG\n",
            "OK\n",
            "\nhi\n",
            "Read-only file system",
            "Redis version=8.0.2",
            "Ready to accept connections tcp",
        ],
    );
}

#[test]
fn postgres_takes_its_password_from_a_mounted_file() {
    let out = run("kubectl create secret generic pg --from-literal=password=s3cret
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  containers:
  - name: db
    image: postgres:16
    env:
    - name: POSTGRES_PASSWORD_FILE
      value: /secrets/password
    volumeMounts:
    - name: pg
      mountPath: /secrets
  volumes:
  - name: pg
    secret:
      secretName: pg
EOF
kubectl run nopw --image=postgres:16 --restart=Never
sleep 15
kubectl logs db
kubectl logs nopw
");
    assert_has(&out, &["database system is ready to accept connections", "superuser password is not specified"]);
}

#[test]
fn busybox_ships_its_applets() {
    let out = run("kubectl run bb --image=busybox:1.36 -- sleep 3600
sleep 5
kubectl exec bb -- sh -c 'echo hello | rev'
kubectl exec bb -- sh -c 'echo a-b-c | sed s/-/+/g'
kubectl exec bb -- which sed
kubectl exec bb -- ps
kubectl exec bb -- sh -c 'touch /tmp/a.txt /tmp/b.txt; ls /tmp/*.txt'
kubectl exec bb -- ping -c 2 localhost
");
    assert_has(
        &out,
        &[
            "olleh\n",
            "a+b+c\n",
            "/bin/sed\n",
            "    1 root      0:00 sleep 3600",
            "2 packets transmitted, 2 packets received",
        ],
    );
}

#[test]
fn busybox_diff_prints_a_unified_diff_and_nginx_gnu_s_normal_one() {
    let out = run("kubectl run bb --image=busybox:1.36 -- sleep 3600
kubectl run web --image=nginx:1.27
sleep 5
kubectl exec bb -- sh -c 'printf \"a\\nb\\nc\\n\" > /tmp/a; printf \"a\\nB\\nc\\nd\\n\" > /tmp/b'
kubectl exec bb -- diff /tmp/a /tmp/b
kubectl exec bb -- diff -q /tmp/a /tmp/b
kubectl exec bb -- diff /tmp/a /tmp/missing
kubectl exec web -- sh -c 'printf \"a\\nb\\nc\\n\" > /tmp/a; printf \"a\\nB\\nc\\nd\\n\" > /tmp/b; diff /tmp/a /tmp/b'
");
    assert_has(
        &out,
        &[
            // busybox 1.35's output for the same files, without the file times GNU's -u shows.
            "$ kubectl exec bb -- diff /tmp/a /tmp/b\n--- /tmp/a\n+++ /tmp/b\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\ncommand terminated with exit code 1\n",
            "Files /tmp/a and /tmp/b differ\ncommand terminated with exit code 1\n",
            "diff: can't stat '/tmp/missing': No such file or directory\ncommand terminated with exit code 2\n",
            // GNU diff 3.8 (nginx is Debian-based).
            "2c2\n< b\n---\n> B\n3a4\n> d\ncommand terminated with exit code 1\n",
        ],
    );
}

#[test]
fn the_perl_pi_job_prints_two_thousand_digits_and_completes() {
    let out = run("kubectl create job pi --image=perl:5.34.0 -- perl -Mbignum=bpi -wle 'print bpi(2000)'
sleep 30
kubectl get job pi
kubectl logs job/pi
");
    assert_has(&out, &["pi     Complete   1/1", "3.14159265358979323846264338327950288419716939937510"]);
    let digits = out.lines().find(|l| l.starts_with("3.14159")).unwrap();
    assert_eq!(digits.len(), 2001, "{digits}");
}

#[test]
fn a_python_program_keeps_its_exit_status_and_one_the_sandbox_cannot_run_fails_saying_so() {
    let out = run(
        "kubectl run p3 --image=python:3.12 --restart=Never -- python3 -c 'import sys; print(\"bye\"); sys.exit(3)'
kubectl run pj --image=python:3.12 --restart=Never -- python3 -c 'import json; print(json.dumps({}))'
sleep 20
kubectl get pod p3 -o jsonpath='{.status.containerStatuses[0].state.terminated.exitCode}{\"\\n\"}'
kubectl logs p3
kubectl get pod pj
kubectl logs pj
",
    );
    assert_has(&out, &["\n3\n", "bye\n", "Error", "cannot be simulated here (not run): print(json.dumps({}))"]);
    assert!(!out.contains("Completed"), "{out}");
}

#[test]
fn args_alone_go_to_the_image_entrypoint_and_dollar_vars_expand_from_the_env() {
    let out = run("kubectl run m --image=mongo:7 -- --bind_ip 0.0.0.0
kubectl run e --image=busybox --restart=Never --env=A=x -- echo '$(A)' '$$(A)' '$(B)'
sleep 20
kubectl logs m
kubectl get pod m
kubectl logs e
");
    assert_has(&out, &["Waiting for connections", "1/1     Running", "x $(A) $(B)\n"]);
    assert!(!out.contains("not found"), "{out}");
}

#[test]
fn container_states_name_what_went_wrong() {
    let out = run("kubectl run s --image=busybox --restart=Never --command -- /scripts/startup.sh
kubectl run bad --image=nginx:
kubectl run never --image=nginx:1.27 --image-pull-policy=Never
kubectl run ph --image=gcr.io/myproject/app:1
kubectl run ne --image=non-existing-repo/non-existing-image
sleep 20
kubectl get pods
kubectl describe pod s | grep Error
kubectl describe pod never | grep ErrImageNeverPull
kubectl describe pod ne | grep 'pull access denied'
");
    assert_has(
        &out,
        &[
            "StartError",
            "InvalidImageName",
            "ErrImageNeverPull",
            "exec: \"/scripts/startup.sh\": stat /scripts/startup.sh: no such file or directory: unknown",
            "Container image \"nginx:1.27\" is not present with pull policy of Never",
            "repository does not exist or may require authorization",
        ],
    );
    let ph = out.lines().find(|l| l.starts_with("ph ")).unwrap();
    assert!(ph.contains("ImagePullBackOff") || ph.contains("ErrImagePull"), "{ph}");
}

#[test]
fn base_images_and_servers_that_exist_pull_and_run() {
    let out = run("kubectl run b --image=bash:5 -- sleep 3600
kubectl run c7 --image=centos:7 -- sleep 3600
kubectl run f --image=fedora:41 -- sleep 3600
kubectl run r --image=rabbitmq:3-management
kubectl run w --image=wordpress:6.2.1-apache
kubectl run pz --image=registry.k8s.io/pause:2.0
sleep 30
kubectl get pods
kubectl exec c7 -- cat /etc/centos-release
kubectl logs r
");
    for pod in ["b ", "c7 ", "f ", "r ", "w ", "pz "] {
        let line = out.lines().find(|l| l.starts_with(pod)).unwrap_or_else(|| panic!("{pod}: {out}"));
        assert!(line.contains("Running"), "{line}");
    }
    assert_has(&out, &["CentOS Linux release 7", "Server startup complete"]);
}

#[test]
fn mounts_hide_the_image_files_refuse_writes_when_read_only_and_etc_hosts_has_the_aliases() {
    let out = run("kubectl create configmap conf --from-literal=app.conf='server { listen 80; }'
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  hostAliases:
  - ip: 127.0.0.1
    hostnames: [foo.local, bar.local]
  containers:
  - name: web
    image: nginx:1.27
    volumeMounts:
    - name: conf
      mountPath: /etc/nginx/conf.d
    - name: data
      mountPath: /data
      readOnly: true
  volumes:
  - name: conf
    configMap:
      name: conf
  - name: data
    emptyDir: {}
EOF
sleep 10
kubectl exec web -- ls /etc/nginx/conf.d
kubectl exec web -- sh -c 'echo x > /data/f'
kubectl exec web -- cat /etc/hosts
");
    assert_has(
        &out,
        &[
            "app.conf\n",
            "Read-only file system",
            "# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n",
            "\tweb\n",
        ],
    );
    assert!(!out.contains("default.conf"), "{out}");
}

#[test]
fn the_guestbook_frontend_serves_its_page() {
    let out = run("kubectl run frontend --image=us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5
sleep 10
kubectl exec frontend -- wget -qO- http://localhost/
");
    assert_has(&out, &["<h2>Guestbook</h2>"]);
}

#[test]
fn native_sidecars_are_ready_beside_the_app_and_restarted_when_they_exit() {
    let out = run("kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  initContainers:
  - name: logshipper
    image: alpine:3
    restartPolicy: Always
    command: ['sh', '-c', 'sleep 5; exit 0']
  containers:
  - name: app
    image: nginx:1.27
EOF
sleep 5
kubectl get pod app
sleep 30
kubectl get pod app -o jsonpath='{.status.initContainerStatuses[0].restartCount}{\"\\n\"}'
");
    assert_has(&out, &["app    2/2     Running"]);
    let restarts: u32 = out.lines().next_back().unwrap().trim().parse().unwrap_or(0);
    assert!(restarts >= 1, "{out}");
}

#[test]
fn a_localhost_seccomp_or_apparmor_profile_the_node_lacks_is_a_create_container_error() {
    let out = run("kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: audit-pod
spec:
  securityContext:
    seccompProfile:
      type: Localhost
      localhostProfile: profiles/audit.json
  containers:
  - name: test-container
    image: hashicorp/http-echo:1.0
    args: ['-text=just made some syscalls!']
---
apiVersion: v1
kind: Pod
metadata:
  name: hello-apparmor
spec:
  containers:
  - name: hello
    image: busybox:1.28
    command: ['sh', '-c', 'echo Hello AppArmor! && sleep 1h']
    securityContext:
      appArmorProfile:
        type: Localhost
        localhostProfile: k8s-apparmor-example-deny-write
EOF
sleep 10
kubectl get pods
kubectl describe pods | grep 'Error:'
");
    assert_has(
        &out,
        &[
            "CreateContainerError",
            "cannot load seccomp profile \"/var/lib/kubelet/seccomp/profiles/audit.json\": open /var/lib/kubelet/seccomp/profiles/audit.json: no such file or directory",
            "apparmor profile not found k8s-apparmor-example-deny-write",
        ],
    );
}

#[test]
fn a_busy_loop_uses_a_core_or_its_limit_while_an_idle_server_uses_almost_nothing() {
    let out = run("kubectl run busy --image=busybox -- sh -c 'while true; do :; done'
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: capped
spec:
  containers:
  - name: capped
    image: busybox
    command: ['sh', '-c', 'while true; do :; done']
    resources:
      limits:
        cpu: 200m
EOF
kubectl run idle --image=nginx:1.27
sleep 60
kubectl top pod
");
    let cpu = |pod: &str| -> u64 {
        let line = out.lines().find(|l| l.starts_with(&format!("{pod} "))).unwrap_or_else(|| panic!("{pod}: {out}"));
        line.split_whitespace().nth(1).unwrap().trim_end_matches('m').parse().unwrap()
    };
    assert!(cpu("busy") >= 900, "{out}");
    assert!((150..=200).contains(&cpu("capped")), "{out}");
    assert!(cpu("idle") <= 5, "{out}");
}

#[test]
fn nginx_with_a_liveness_probe_from_its_start_gets_no_failed_probe() {
    let out = run("kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
    livenessProbe:
      httpGet:
        path: /
        port: 80
      periodSeconds: 1
EOF
sleep 20
kubectl describe pod web | grep -c Unhealthy
");
    assert!(out.trim_end().ends_with("\n0"), "{out}");
}

#[test]
fn exec_probes_in_an_image_the_catalogue_does_not_know_pass() {
    let out = run("kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: cassandra
spec:
  containers:
  - name: cassandra
    image: gcr.io/google-samples/cassandra:v13
    readinessProbe:
      exec:
        command: ['/bin/bash', '-c', '/ready-probe.sh']
      initialDelaySeconds: 5
      periodSeconds: 5
    livenessProbe:
      exec:
        command: ['nodetool', 'status']
      initialDelaySeconds: 5
      periodSeconds: 5
EOF
sleep 30
kubectl get pod cassandra
");
    assert_has(&out, &["cassandra   1/1     Running   0"]);
}

#[test]
fn database_images_ship_the_clients_their_probes_call_and_refuse_real_queries() {
    let out = run("kubectl run pg --image=postgres:16 --env=POSTGRES_PASSWORD=x
kubectl run my --image=mysql:8.4 --env=MYSQL_ROOT_PASSWORD=x
sleep 30
kubectl exec pg -- pg_isready -U postgres
kubectl exec pg -- psql -U postgres -c 'SELECT 1'
kubectl exec pg -- psql -U postgres -c 'CREATE TABLE t (x int)'
kubectl exec my -- mysqladmin ping
");
    assert_has(
        &out,
        &[
            "/var/run/postgresql:5432 - accepting connections",
            "(1 row)",
            "queries cannot be simulated here (not run)",
            "mysqld is alive",
        ],
    );
}

/// The manifests of kubernetes.io's "Deploying PHP Guestbook application with Redis".
const GUESTBOOK: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-leader
  labels: {app: redis, role: leader, tier: backend}
spec:
  replicas: 1
  selector:
    matchLabels: {app: redis}
  template:
    metadata:
      labels: {app: redis, role: leader, tier: backend}
    spec:
      containers:
      - name: leader
        image: docker.io/redis:6.0.5
        ports:
        - containerPort: 6379
---
apiVersion: v1
kind: Service
metadata:
  name: redis-leader
spec:
  ports:
  - port: 6379
    targetPort: 6379
  selector: {app: redis, role: leader, tier: backend}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-follower
spec:
  replicas: 2
  selector:
    matchLabels: {app: redis}
  template:
    metadata:
      labels: {app: redis, role: follower, tier: backend}
    spec:
      containers:
      - name: follower
        image: us-docker.pkg.dev/google-samples/containers/gke/gb-redis-follower:v2
        ports:
        - containerPort: 6379
---
apiVersion: v1
kind: Service
metadata:
  name: redis-follower
spec:
  ports:
  - port: 6379
  selector: {app: redis, role: follower, tier: backend}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
spec:
  replicas: 3
  selector:
    matchLabels: {app: guestbook, tier: frontend}
  template:
    metadata:
      labels: {app: guestbook, tier: frontend}
    spec:
      containers:
      - name: php-redis
        image: us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5
        env:
        - name: GET_HOSTS_FROM
          value: dns
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: frontend
spec:
  ports:
  - port: 80
  selector: {app: guestbook, tier: frontend}
";

#[test]
fn the_guestbook_stores_messages_in_the_redis_leader_and_reads_them_from_a_follower() {
    let out = run(&format!(
        "kubectl apply -f - <<EOF
{GUESTBOOK}EOF
kubectl run c --image=busybox --restart=Never -- sleep 3600
sleep 30
kubectl exec c -- wget -qO- 'http://frontend/guestbook.php?cmd=get&key=messages'
echo
kubectl exec c -- wget -qO- 'http://frontend/guestbook.php?cmd=set&key=messages&value=,hello'
echo
kubectl exec c -- wget -qO- 'http://frontend/guestbook.php?cmd=get&key=messages'
echo
kubectl exec deploy/redis-follower -- redis-cli GET messages
kubectl exec deploy/redis-follower -- redis-cli SET x y
kubectl exec deploy/redis-follower -- redis-cli INFO replication
kubectl logs deploy/redis-follower
kubectl scale deployment redis-leader --replicas=0
sleep 20
kubectl exec c -- wget -qO- 'http://frontend/guestbook.php?cmd=set&key=messages&value=,hello,again'
echo
kubectl exec c -- wget -qO- 'http://frontend/guestbook.php?cmd=get&key=messages'
echo
kubectl exec c -- wget -qO- 'http://frontend/guestbook.php'
"
    ));
    assert_has(
        &out,
        &[
            "{\"data\": \"\"}",
            "{\"message\": \"Updated\"}",
            "{\"data\": \",hello\"}",
            "READONLY You can't write against a read only replica.",
            "role:slave\r\nmaster_host:redis-leader\r\n",
            "Connecting to MASTER redis-leader:6379",
            "MASTER <-> REPLICA sync: Finished with success",
            // The leader is gone: Predis cannot connect, and PHP prints the fatal error.
            "Uncaught Predis\\Connection\\ConnectionException: Connection refused [tcp://redis-leader:6379]",
            "<h1 class=\"p\">PHP Version 7.4.8</h1>",
        ],
    );
    // The followers keep what they last had from the leader.
    assert_eq!(out.matches("{\"data\": \",hello\"}").count(), 2, "{out}");
}

#[test]
fn host_path_types_are_checked_and_a_file_type_mounts_a_file() {
    let out = run(r#"kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: missing
spec:
  containers:
  - name: c
    image: busybox
    command: [sleep, '3600']
    volumeMounts:
    - {name: f, mountPath: /config/app.conf}
  volumes:
  - name: f
    hostPath: {path: /data/app.conf, type: File}
---
apiVersion: v1
kind: Pod
metadata:
  name: created
spec:
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'echo hello > /config/app.conf; sleep 3600']
    volumeMounts:
    - {name: d, mountPath: /data}
    - {name: f, mountPath: /config/app.conf}
  volumes:
  - name: d
    hostPath: {path: /srv/data, type: DirectoryOrCreate}
  - name: f
    hostPath: {path: /srv/data/app.conf, type: FileOrCreate}
---
apiVersion: v1
kind: Pod
metadata:
  name: sock
spec:
  containers:
  - name: c
    image: busybox
    command: [sleep, '3600']
    volumeMounts:
    - {name: s, mountPath: /var/run/docker.sock}
  volumes:
  - name: s
    hostPath: {path: /var/run/docker.sock, type: Socket}
EOF
sleep 10
kubectl get pod missing
kubectl describe pod missing | grep FailedMount
kubectl describe pod sock | grep FailedMount
kubectl exec created -- cat /config/app.conf
kubectl exec created -- sh -c 'test -f /config/app.conf && echo is-a-file'
"#);
    assert_has(
        &out,
        &[
            "ContainerCreating",
            "MountVolume.SetUp failed for volume \"f\" : hostPath type check failed: /data/app.conf is not a file",
            "hostPath type check failed: /var/run/docker.sock is not a socket file",
            "hello\n",
            "is-a-file",
        ],
    );
}

#[test]
fn extended_resources_advertised_in_a_node_status_are_checked_by_the_scheduler() {
    let out = run(
        r#"kubectl patch node node-1 --subresource=status --type=json -p '[{"op": "add", "path": "/status/capacity/example.com~1dongle", "value": "4"}]'
kubectl get node node-1 -o jsonpath='{.status.capacity.example\.com/dongle}'
echo
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: extended-resource-demo
spec:
  containers:
  - name: extended-resource-demo-ctr
    image: nginx
    resources:
      requests:
        example.com/dongle: 3
      limits:
        example.com/dongle: 3
---
apiVersion: v1
kind: Pod
metadata:
  name: extended-resource-demo-2
spec:
  containers:
  - name: extended-resource-demo-2-ctr
    image: nginx
    resources:
      requests:
        example.com/dongle: 2
      limits:
        example.com/dongle: 2
EOF
sleep 10
kubectl get pods
kubectl describe pod extended-resource-demo-2 | grep FailedScheduling
kubectl patch node node-1 --subresource=foo -p '{}'
"#,
    );
    assert_has(
        &out,
        &[
            "node/node-1 patched",
            "4$ echo",
            "Insufficient example.com/dongle",
            "error: invalid subresource value: \"foo\". Must be one of [status scale]",
        ],
    );
    let demo = out.lines().find(|l| l.starts_with("extended-resource-demo ")).unwrap_or("");
    assert!(demo.contains("Running"), "{out}");
    let demo2 = out.lines().find(|l| l.starts_with("extended-resource-demo-2 ")).unwrap_or("");
    assert!(demo2.contains("Pending"), "{out}");
}

#[test]
fn killall5_stops_a_server_as_pid_1_and_the_kubelet_restarts_it_but_a_shell_ignores_it() {
    let out = run("kubectl run web --image=nginx
kubectl run sleeper --image=busybox -- sleep 3600
sleep 10
kubectl exec web -- killall5
kubectl exec sleeper -- kill 1
kubectl exec sleeper -- kill -9 1
kubectl exec sleeper -- which killall5
sleep 5
kubectl get pods
");
    let restarts = |name: &str| {
        out.lines().find(|l| l.starts_with(&format!("{name} "))).and_then(|l| l.split_whitespace().nth(3)).unwrap_or("")
    };
    assert_eq!(restarts("web"), "1", "{out}");
    assert_eq!(restarts("sleeper"), "0", "{out}");
    assert_has(&out, &["/bin/killall5"]);
}

#[test]
fn memory_a_program_allocates_past_its_limit_is_oom_killed_and_top_shows_what_it_holds() {
    let out = run(r#"kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo
spec:
  containers:
  - name: memory-demo-ctr
    image: polinux/stress
    resources:
      requests: {memory: 100Mi}
      limits: {memory: 200Mi}
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]
---
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo-2
spec:
  containers:
  - name: memory-demo-2-ctr
    image: polinux/stress
    resources:
      requests: {memory: 50Mi}
      limits: {memory: 100Mi}
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]
---
apiVersion: v1
kind: Pod
metadata:
  name: py
spec:
  containers:
  - name: py
    image: python:3.12
    resources:
      limits: {memory: 128Mi}
    command: ["python3", "-c", "x = bytearray(512 * 1024 * 1024); print('allocated')"]
EOF
sleep 90
kubectl get pods
kubectl top pod memory-demo
kubectl get pod memory-demo-2 -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason} {.status.containerStatuses[0].lastState.terminated.exitCode}'
echo
kubectl get pod py -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason}'
echo
kubectl logs memory-demo
"#);
    assert_has(
        &out,
        &["OOMKilled 137$ echo", "OOMKilled$ echo", "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd"],
    );
    let status = |name: &str| out.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or("").to_string();
    assert!(status("memory-demo").contains("Running"), "{out}");
    assert!(!status("memory-demo-2").contains(" 0 "), "memory-demo-2 restarts: {out}");
    let top = out.lines().skip_while(|l| !l.contains("MEMORY(bytes)")).nth(1).unwrap_or("");
    assert!(top.contains("150Mi") || top.contains("151Mi"), "{out}");
}

#[test]
fn nginx_serves_what_its_mounted_config_says_and_a_bad_config_crash_loops_with_its_emerg_error() {
    let out = run("kubectl create deployment backend --image=registry.k8s.io/e2e-test-images/agnhost:2.53 -- /agnhost serve-hostname --port 8080
kubectl expose deployment backend --port 8080
kubectl apply -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: proxy-conf
data:
  default.conf: |
    server {
        listen 8081;
        location = /healthz {
            return 200 'healthy';
        }
        location /api/ {
            proxy_pass http://backend:8080/;
        }
        location / {
            root /usr/share/nginx/html;
            index index.html;
        }
    }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: bad-conf
data:
  default.conf: |
    server {
        lisen 80;
    }
---
apiVersion: v1
kind: Pod
metadata:
  name: proxy
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    volumeMounts:
    - name: conf
      mountPath: /etc/nginx/conf.d
  volumes:
  - name: conf
    configMap:
      name: proxy-conf
---
apiVersion: v1
kind: Pod
metadata:
  name: broken
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    volumeMounts:
    - name: conf
      mountPath: /etc/nginx/conf.d
  volumes:
  - name: conf
    configMap:
      name: bad-conf
EOF
sleep 40
kubectl exec proxy -- curl -s http://localhost:8081/healthz
echo
kubectl exec proxy -- curl -s http://localhost:8081/api/
echo
kubectl exec proxy -- curl -s http://localhost:8081/
kubectl exec proxy -- curl -s http://localhost/ || echo refused-on-80
kubectl exec proxy -- nginx -t
kubectl get pod broken
kubectl logs broken
kubectl run apache --image=httpd:2.4
sleep 10
kubectl exec apache -- sh -c 'echo ok'
");
    assert_has(
        &out,
        &[
            "healthy",
            // The reply nginx proxied: serve-hostname's pod name, not an error page.
            "$ kubectl exec proxy -- curl -s http://localhost:8081/api/\nbackend-",
            "<title>Welcome to nginx!</title>",
            "refused-on-80",
            "nginx: configuration file /etc/nginx/nginx.conf test is successful",
            "[emerg] 1#1: unknown directive \"lisen\" in /etc/nginx/conf.d/default.conf:2",
            "nginx: [emerg] unknown directive \"lisen\" in /etc/nginx/conf.d/default.conf:2",
        ],
    );
    assert!(out.contains("CrashLoopBackOff") || out.contains("Error"), "{out}");
}

#[test]
fn curl_shows_the_headers_each_server_sends_in_curls_own_modes() {
    let out = run("kubectl run web --image=nginx:1.14 --port=80
kubectl expose pod web
kubectl run hello --image=gcr.io/google-samples/hello-app:2.0 --port=8080
kubectl expose pod hello
kubectl run c --image=curlimages/curl:8.5.0 -- sleep 3600
sleep 10
kubectl exec c -- curl -sI http://web
kubectl exec c -- curl -si http://hello:8080/
kubectl exec c -- curl -v http://web/
kubectl exec c -- curl -s -o /dev/null -w '%{http_code}\\n' http://web/missing
kubectl exec c -- curl -sf http://web/missing
kubectl exec c -- curl -f http://web/missing
kubectl exec c -- curl -s -X POST -i http://web/
kubectl exec c -- curl -s -A probe/1 -H 'X-Test: yes' -d a=1 http://hello:8080/ -o /tmp/out -w '%{http_code} %{size_download}\\n'
");
    assert_has(
        &out,
        &[
            "HTTP/1.1 200 OK\nServer: nginx/1.14.2\nDate: ",
            "Content-Type: text/html\nContent-Length: 615\nLast-Modified: ",
            "Connection: keep-alive\nETag: \"",
            "Accept-Ranges: bytes\n\n",
            "HTTP/1.1 200 OK\nDate: ",
            "GMT\nContent-Length: 45\nContent-Type: text/plain; charset=utf-8\n\nHello, world!\nVersion: 2.0.0\n",
            "*   Trying 10.",
            ":80...\n* Connected to web (10.",
            ") port 80\n> GET / HTTP/1.1\n> Host: web\n> User-Agent: curl/8.5.0\n> Accept: */*\n> \n< HTTP/1.1 200 OK\n< Server: nginx/1.14.2\n",
            "< Accept-Ranges: bytes\n< \n",
            "* Connection #0 to host web left intact\n",
            "$ kubectl exec c -- curl -s -o /dev/null -w '%{http_code}\\n' http://web/missing\n404\n",
            "curl: (22) The requested URL returned error: 404\ncommand terminated with exit code 22",
            "HTTP/1.1 405 Not Allowed\nServer: nginx/1.14.2\n",
            "200 45\n",
        ],
    );
    assert!(!out.contains("$ kubectl exec c -- curl -sf http://web/missing\ncurl:"), "{out}");
}

#[test]
fn echoserver_prints_the_headers_and_method_curl_sent() {
    let out = run("kubectl create deployment hello-minikube --image=registry.k8s.io/echoserver:1.10
kubectl expose deployment hello-minikube --port=8080
kubectl run c --image=curlimages/curl:8.5.0 -- sleep 3600
sleep 15
kubectl exec c -- curl -s -X PUT -H 'X-Course: k8s' http://hello-minikube:8080/x
");
    assert_has(&out, &["method=PUT", "\thost=hello-minikube:8080\n", "\tuser-agent=curl/8.5.0\n", "\tx-course=k8s\n"]);
}

#[test]
fn curl_to_the_api_server_from_a_pod_is_authorized_by_rbac_for_its_service_account() {
    let curl = "kubectl exec c -- sh -c 'curl -s https://kubernetes.default.svc/api/v1/namespaces/default/pods --cacert /var/run/secrets/kubernetes.io/serviceaccount/ca.crt -H \"Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)\"'";
    let out = run(&format!(
        "kubectl run c --image=curlimages/curl:8.5.0 -- sleep 3600
sleep 10
{curl}
kubectl exec c -- curl https://kubernetes.default.svc/api/v1/namespaces/default/pods
kubectl exec c -- curl -sk https://kubernetes.default.svc/api/v1/namespaces/default/pods
kubectl create role pod-reader --verb=get,list --resource=pods
kubectl create rolebinding read-pods --role=pod-reader --serviceaccount=default:default
{curl}
"
    ));
    assert_has(
        &out,
        &[
            "{\n  \"kind\": \"Status\",\n  \"apiVersion\": \"v1\",\n  \"metadata\": {},\n  \"status\": \"Failure\",\n  \"message\": \"pods is forbidden: User \\\"system:serviceaccount:default:default\\\" cannot list resource \\\"pods\\\" in API group \\\"\\\" in the namespace \\\"default\\\"\",\n  \"reason\": \"Forbidden\",\n",
            "  \"details\": {\n    \"kind\": \"pods\"\n  },\n  \"code\": 403\n}\n",
            "curl: (60) SSL certificate problem: unable to get local issuer certificate\nMore details here: https://curl.se/docs/sslcerts.html\n",
            "User \\\"system:anonymous\\\" cannot list resource \\\"pods\\\"",
            "\"kind\": \"PodList\"",
            "  \"items\": [\n    {\n      \"kind\": \"Pod\",\n      \"apiVersion\": \"v1\",\n      \"metadata\": {\n        \"name\": \"c\",\n",
        ],
    );
}

/// The kubernetes.io task "Accessing the Kubernetes API from a Pod", word for word, then what
/// RBAC courses do next: the pod's ServiceAccount is refused a list of pods until a Role grants
/// it; no token is anonymous, a wrong one 401; a pod's own command and busybox wget reach the
/// API server the same way; `kubectl create token` gives a token the API server accepts.
#[test]
fn a_pod_reaches_the_api_server_with_its_token_as_the_access_api_from_pod_task_does() {
    let task = "kubectl exec c -- sh -c 'APISERVER=https://kubernetes.default.svc
SERVICEACCOUNT=/var/run/secrets/kubernetes.io/serviceaccount
NAMESPACE=$(cat ${SERVICEACCOUNT}/namespace)
TOKEN=$(cat ${SERVICEACCOUNT}/token)
CACERT=${SERVICEACCOUNT}/ca.crt
curl --cacert ${CACERT} --header \"Authorization: Bearer ${TOKEN}\" -X GET ${APISERVER}/api
curl -s --cacert ${CACERT} --header \"Authorization: Bearer ${TOKEN}\" ${APISERVER}/version
curl -si --cacert ${CACERT} -H \"Authorization: Bearer ${TOKEN}\" $APISERVER/api/v1/namespaces/$NAMESPACE/pods'";
    let out = run(&format!(
        "kubectl run c --image=curlimages/curl:8.5.0 -- sleep 3600
kubectl run b --image=busybox -- sleep 3600
kubectl run job --image=curlimages/curl:8.5.0 --restart=Never -- sh -c 'curl -sk -H \"Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)\" https://kubernetes.default.svc/api/v1/namespaces/default/pods/b'
sleep 10
{task}
kubectl exec c -- curl -sk -H 'Authorization: Bearer not-a-token' https://10.96.0.1/api
kubectl exec c -- curl -sk https://kubernetes.default.svc.cluster.local/api
kubectl logs job
kubectl create role pod-reader --verb=get,list --resource=pods
kubectl create rolebinding read-pods --role=pod-reader --serviceaccount=default:default
{task}
kubectl exec b -- sh -c 'wget -qO- --header \"Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)\" https://kubernetes.default.svc/api/v1/namespaces/default/pods/b'
kubectl exec c -- curl -s http://kubernetes.default.svc:443/api
TOKEN=$(kubectl create token default)
kubectl exec c -- curl -sk -H \"Authorization: Bearer $TOKEN\" https://kubernetes.default.svc/api/v1/namespaces/default/pods/nope
kubectl create role log-reader --verb=get --resource=pods/log
kubectl create rolebinding read-logs --role=log-reader --serviceaccount=default:default
kubectl exec c -- sh -c 'curl -s --cacert /var/run/secrets/kubernetes.io/serviceaccount/ca.crt -H \"Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)\" https://kubernetes.default.svc/api/v1/namespaces/default/pods/job/log?tailLines=3'
kubectl exec c -- sh -c 'curl -s --cacert /var/run/secrets/kubernetes.io/serviceaccount/ca.crt -H \"Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)\" https://kubernetes.default.svc/api/v1/namespaces/default/pods/job/log?container=nope'
"
    ));
    assert_has(
        &out,
        &[
            // /api, as APIVersions, with the address kubeadm advertises.
            "{\n  \"kind\": \"APIVersions\",\n  \"versions\": [\n    \"v1\"\n  ],\n  \"serverAddressByClientCIDRs\": [\n    {\n      \"clientCIDR\": \"0.0.0.0/0\",\n      \"serverAddress\": \"172.18.0.2:6443\"\n    }\n  ]\n}\n",
            "  \"major\": \"1\",\n",
            // The list is refused for the ServiceAccount, over HTTP/2 with the API server's fields.
            "HTTP/2 403 \naudit-id: ",
            "\ncache-control: no-cache, private\ncontent-type: application/json\nx-content-type-options: nosniff\nx-kubernetes-pf-flowschema-uid: ",
            "  \"message\": \"pods is forbidden: User \\\"system:serviceaccount:default:default\\\" cannot list resource \\\"pods\\\" in API group \\\"\\\" in the namespace \\\"default\\\"\",\n  \"reason\": \"Forbidden\",\n  \"details\": {\n    \"kind\": \"pods\"\n  },\n  \"code\": 403\n}\n",
            // A token the cluster did not issue; none at all.
            "  \"message\": \"Unauthorized\",\n  \"reason\": \"Unauthorized\",\n  \"code\": 401\n}\n",
            "  \"message\": \"forbidden: User \\\"system:anonymous\\\" cannot get path \\\"/api\\\"\",\n",
            // The pod's own command, before the Role: refused by name.
            "$ kubectl logs job\n{\n  \"kind\": \"Status\",",
            "  \"details\": {\n    \"name\": \"b\",\n    \"kind\": \"pods\"\n  },\n  \"code\": 403\n",
            // After the Role: the list.
            "HTTP/2 200 \n",
            "  \"kind\": \"PodList\",\n  \"apiVersion\": \"v1\",\n  \"metadata\": {\n    \"resourceVersion\": ",
            // busybox wget: its TLS note, then the pod.
            "wget: note: TLS certificate validation not implemented\n",
            "/pods/b'\n{\n  \"kind\": \"Pod\",\n  \"apiVersion\": \"v1\",\n  \"metadata\": {\n    \"name\": \"b\",\n",
            "Client sent an HTTP request to an HTTPS server.\n",
            // The requested token is the admin-created ServiceAccount's: allowed, and 404.
            "  \"message\": \"pods \\\"nope\\\" not found\",\n  \"reason\": \"NotFound\",\n",
            // pods/log, once granted: the job's log (its own 403), as text; a wrong container 400.
            "/log?tailLines=3'\n  },\n  \"code\": 403\n}\n$ ",
            "  \"message\": \"container nope is not valid for pod job\",\n  \"reason\": \"BadRequest\",\n  \"code\": 400\n",
        ],
    );
}

#[test]
fn kiamol_pi_computes_pi_to_the_console_as_a_job_and_serves_it_by_dp_as_a_web_app() {
    let out = run("kubectl create job pi --image=kiamol/ch05-pi -- dotnet Pi.Web.dll -m console -dp 50
kubectl create deployment pi-web --image=kiamol/ch05-pi
kubectl expose deployment pi-web --port 80
kubectl create deployment bad --image=kiamol/ch05-pi:v9
sleep 30
kubectl get job pi
kubectl logs job/pi
kubectl logs deploy/pi-web
kubectl run c1 --image=kiamol/ch03-sleep --restart=Never -- sh -c 'wget -qO- http://pi-web/?dp=1000; wget -qO- http://pi-web/'
sleep 10
kubectl logs c1
kubectl describe pods -l app=bad | grep 'Failed to pull'
");
    assert_has(
        &out,
        &[
            "pi     Complete   1/1",
            // Cut at 50 places (the 51st is 5, which rounding would carry).
            "\n3.14159265358979323846264338327950288419716939937510\n",
            "Now listening on: http://[::]:80",
            "<h3>To: 1,000 d.p.</h3>",
            "<h3>from: pi-web-",
            "<h3>To: 6 d.p.</h3>",
            "<p class=\"text-break\">3.141592</p>",
            "kiamol/ch05-pi:v9: not found",
        ],
    );
    let thousand = out.lines().find(|l| l.contains("text-break\">3.1415926535")).unwrap();
    let digits = thousand.trim().trim_start_matches("<p class=\"text-break\">").trim_end_matches("</p>");
    assert_eq!(digits.len(), 1002, "{digits}");
    assert!(digits.ends_with("2164201989"), "the 991st to 1000th places: {digits}");
}

#[test]
fn kiamol_sleep_restarts_with_a_new_container_on_killall5_and_alpine_has_var_log() {
    let out = run("kubectl create deployment sleep --image=kiamol/ch03-sleep
kubectl create deployment box --image=busybox -- sleep 3600
kubectl create deployment sleep-bad --image=kiamol/ch03-sleep:v2
sleep 20
kubectl exec deploy/sleep -- ps
kubectl get pod -l app=sleep -o jsonpath='{.items[0].status.containerStatuses[0].containerID}{\"\\n\"}'
kubectl exec deploy/sleep -- sh -c 'echo ch05 > /file.txt'
kubectl exec deploy/sleep -- killall5
sleep 5
kubectl get pod -l app=sleep -o jsonpath='{.items[0].status.containerStatuses[0].containerID} {.items[0].status.containerStatuses[0].restartCount}{\"\\n\"}'
kubectl exec deploy/sleep -- ls /file.txt
kubectl exec deploy/sleep -- ls -l /var
kubectl exec deploy/box -- ls /var
kubectl exec deploy/box -- ls /var/log
kubectl describe pods -l app=sleep-bad | grep 'Failed to pull'
");
    assert_has(
        &out,
        &[
            "    1 root      0:00 /bin/sh -c trap : TERM INT; (while true; do sleep 1000; done) & wait\n",
            "ls: /file.txt: No such file or directory",
            "drwxr-xr-x    2 root     root          4096 ",
            " log\n",
            "spool\nwww\n",
            "ls: /var/log: No such file or directory",
            "kiamol/ch03-sleep:v2: not found",
        ],
    );
    let ids: Vec<&str> = out.lines().filter(|l| l.starts_with("containerd://")).collect();
    assert_eq!(ids.len(), 2, "{out}");
    assert!(ids[1].ends_with(" 1"), "restarted once: {}", ids[1]);
    assert_ne!(ids[0], ids[1].split(' ').next().unwrap(), "a new container");
}

#[test]
fn a_hostpath_of_the_node_root_shows_its_log_directories_with_the_pods_it_runs() {
    let out = run("kubectl create deployment web --image=nginx:1.27 --replicas=1
sleep 20
kubectl get pods -l app=web -o jsonpath='{.items[0].spec.nodeName}{\"\\n\"}'
");
    let node = out.lines().find(|l| l.starts_with("node-")).unwrap().trim().to_string();
    let out = run(&format!(
        "kubectl create deployment web --image=nginx:1.27 --replicas=1
sleep 20
cat <<'YAML' | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: root
spec:
  nodeName: {node}
  containers:
    - name: sleep
      image: kiamol/ch03-sleep
      volumeMounts:
        - name: node-root
          mountPath: /node-root
  volumes:
    - name: node-root
      hostPath:
        path: /
        type: Directory
YAML
sleep 20
kubectl exec root -- ls /node-root/var/log
kubectl exec root -- sh -c 'ls /node-root/var/log/containers | grep _default_nginx-'
kubectl exec root -- sh -c 'ls /node-root/var/log/pods | grep default_web-'
kubectl exec root -- cat /node-root/etc/hostname
"
    ));
    assert_has(&out, &["containers\npods\n", "_default_nginx-", ".log\n", "default_web-", &format!("{node}\n")]);
}

#[test]
fn httpd_reads_its_mounted_config_serves_what_it_declares_and_a_bad_one_crash_loops_with_its_syntax_error() {
    let out = run(
        r#"kubectl create deployment backend --image=registry.k8s.io/e2e-test-images/agnhost:2.53 -- /agnhost serve-hostname --port 8080
kubectl expose deployment backend --port 8080
kubectl run plain --image=httpd:2.4
sleep 15
kubectl exec plain -- httpd -t
kubectl exec plain -- httpd -v
kubectl exec plain -- curl -s http://localhost/
kubectl exec plain -- curl -s -o /dev/null -w '%{http_code}\n' http://localhost/nothing.html
kubectl exec plain -- sh -c 'mkdir /usr/local/apache2/htdocs/files && echo a > /usr/local/apache2/htdocs/files/a.txt'
kubectl exec plain -- curl -s http://localhost/files/
kubectl exec plain -- curl -sI http://localhost/files
kubectl logs plain
kubectl exec plain -- cat /usr/local/apache2/conf/httpd.conf > httpd.conf
sed -i 's/^#LoadModule proxy_module/LoadModule proxy_module/; s/^#LoadModule proxy_http_module/LoadModule proxy_http_module/; s/^Listen 80$/Listen 8081/' httpd.conf
printf 'ServerName proxy.local\nProxyPass /api/ http://backend:8080/\n' >> httpd.conf
kubectl create configmap good --from-file=httpd.conf
kubectl exec plain -- cat /usr/local/apache2/conf/httpd.conf > bad.conf
printf 'ProxyPass /api/ http://backend:8080/\n' >> bad.conf
kubectl create configmap bad --from-file=httpd.conf=bad.conf
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: proxy
spec:
  containers:
  - name: httpd
    image: httpd:2.4
    volumeMounts:
    - name: conf
      mountPath: /usr/local/apache2/conf/httpd.conf
      subPath: httpd.conf
  volumes:
  - name: conf
    configMap:
      name: good
---
apiVersion: v1
kind: Pod
metadata:
  name: broken
spec:
  containers:
  - name: httpd
    image: httpd:2.4
    volumeMounts:
    - name: conf
      mountPath: /usr/local/apache2/conf/httpd.conf
      subPath: httpd.conf
  volumes:
  - name: conf
    configMap:
      name: bad
EOF
sleep 40
kubectl exec proxy -- curl -s http://localhost:8081/api/
echo
kubectl exec proxy -- curl -s http://localhost/ || echo refused-on-80
kubectl logs proxy
kubectl get pod broken
kubectl logs broken
"#,
    );
    assert_has(
        &out,
        &[
            "Syntax OK",
            "Server version: Apache/2.4.62 (Unix)",
            "<html><body><h1>It works!</h1></body></html>",
            "$ kubectl exec plain -- curl -s -o /dev/null -w '%{http_code}\\n' http://localhost/nothing.html\n404",
            "<title>Index of /files</title>",
            "<li><a href=\"a.txt\"> a.txt</a></li>",
            "HTTP/1.1 301 Moved Permanently",
            "Location: http://localhost/files/",
            "AH00558: httpd: Could not reliably determine the server's fully qualified domain name",
            "\"GET / HTTP/1.1\" 200 45",
            // The reply httpd proxied: serve-hostname's pod name.
            "$ kubectl exec proxy -- curl -s http://localhost:8081/api/\nbackend-",
            "refused-on-80",
            "Invalid command 'ProxyPass', perhaps misspelled or defined by a module not included in the server configuration",
        ],
    );
    let proxy_logs = out.split("$ kubectl logs proxy").nth(1).unwrap_or_default();
    let proxy_logs = proxy_logs.split("$ kubectl get pod broken").next().unwrap_or_default();
    assert!(!proxy_logs.contains("AH00558"), "ServerName is set: {proxy_logs}");
    assert!(out.contains("CrashLoopBackOff") || out.contains("Error"), "{out}");
}

#[test]
fn busybox_wget_shows_the_server_response_and_spider_only_asks() {
    let out = run("kubectl run web --image=nginx:1.27 --port=80
kubectl expose pod web
kubectl run b --image=busybox:1.36 -- sleep 3600
sleep 15
kubectl exec b -- wget -S -O /dev/null http://web/
kubectl exec b -- wget --spider http://web/
kubectl exec b -- wget -q --spider http://web/nothing || echo missing
kubectl exec b -- ls
");
    assert_has(
        &out,
        &[
            "  HTTP/1.1 200 OK\n  Server: nginx/1.27",
            "  Content-Type: text/html\n",
            "remote file exists",
            "wget: server returned error: HTTP/1.1 404 Not Found\ncommand terminated with exit code 1\nmissing",
        ],
    );
    assert!(!out.contains("index.html"), "--spider saves nothing: {out}");
}

/// kubernetes/examples' Go guestbook (`guestbook-go/`) as it stood from November 2020 to June
/// 2021, the last time its manifests and its one image (`guestbook:v3`) agreed: a Redis master,
/// two replicas behind `redis-slave`, three guestbooks on port 3000 behind a LoadBalancer.
// Written for the sandbox after upstream's JSON files: the same kinds, names, labels, images
// and ports.
const GUESTBOOK_GO_2020: &str = "apiVersion: v1
kind: ReplicationController
metadata:
  name: redis-master
  labels: {app: redis, role: master}
spec:
  replicas: 1
  selector: {app: redis, role: master}
  template:
    metadata:
      labels: {app: redis, role: master}
    spec:
      containers:
      - name: redis-master
        image: k8s.gcr.io/redis:e2e
        ports:
        - name: redis-server
          containerPort: 6379
---
apiVersion: v1
kind: Service
metadata:
  name: redis-master
  labels: {app: redis, role: master}
spec:
  ports:
  - port: 6379
    targetPort: redis-server
  selector: {app: redis, role: master}
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: redis-slave
  labels: {app: redis, role: slave}
spec:
  replicas: 2
  selector: {app: redis, role: slave}
  template:
    metadata:
      labels: {app: redis, role: slave}
    spec:
      containers:
      - name: redis-slave
        image: k8s.gcr.io/redis-slave:v2
        ports:
        - name: redis-server
          containerPort: 6379
---
apiVersion: v1
kind: Service
metadata:
  name: redis-slave
  labels: {app: redis, role: slave}
spec:
  ports:
  - port: 6379
    targetPort: redis-server
  selector: {app: redis, role: slave}
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: guestbook
  labels: {app: guestbook}
spec:
  replicas: 3
  selector: {app: guestbook}
  template:
    metadata:
      labels: {app: guestbook}
    spec:
      containers:
      - name: guestbook
        image: k8s.gcr.io/guestbook:v3
        ports:
        - name: http-server
          containerPort: 3000
---
apiVersion: v1
kind: Service
metadata:
  name: guestbook
  labels: {app: guestbook}
spec:
  ports:
  - port: 3000
    targetPort: http-server
  selector: {app: guestbook}
  type: LoadBalancer
";

/// The Go guestbook's manifests as upstream has them now (2025): the replicas' Service is
/// `redis-replica`, the master runs `redis:7.2`, the image is still `guestbook:v3`.
// Written for the sandbox after upstream's YAML files: the same kinds, names, labels, images
// and ports.
const GUESTBOOK_GO_2025: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-master
  labels: {app: redis, role: master}
spec:
  replicas: 1
  selector:
    matchLabels: {app: redis, role: master}
  template:
    metadata:
      labels: {app: redis, role: master}
    spec:
      containers:
      - name: redis-master
        image: redis:7.2
        ports:
        - name: redis-server
          containerPort: 6379
---
kind: Service
apiVersion: v1
metadata:
  name: redis-master
  labels: {app: redis, role: master}
spec:
  ports:
  - port: 6379
    targetPort: redis-server
  selector: {app: redis, role: master}
---
kind: ReplicationController
apiVersion: v1
metadata:
  name: redis-replica
  labels: {app: redis, role: replica}
spec:
  replicas: 2
  selector: {app: redis, role: replica}
  template:
    metadata:
      labels: {app: redis, role: replica}
    spec:
      containers:
      - name: redis-replica
        image: registry.k8s.io/redis-slave:v2
        ports:
        - name: redis-server
          containerPort: 6379
---
kind: Service
apiVersion: v1
metadata:
  name: redis-replica
  labels: {app: redis, role: replica}
spec:
  ports:
  - port: 6379
    targetPort: redis-server
  selector: {app: redis, role: replica}
---
kind: ReplicationController
apiVersion: v1
metadata:
  name: guestbook
  labels: {app: guestbook}
spec:
  replicas: 3
  selector: {app: guestbook}
  template:
    metadata:
      labels: {app: guestbook}
    spec:
      containers:
      - name: guestbook
        image: registry.k8s.io/guestbook:v3
        ports:
        - name: http-server
          containerPort: 3000
---
kind: Service
apiVersion: v1
metadata:
  name: guestbook
  labels: {app: guestbook}
spec:
  ports:
  - port: 3000
    targetPort: http-server
  selector: {app: guestbook}
  type: LoadBalancer
";

#[test]
fn the_go_guestbook_pushes_to_the_master_and_reads_the_list_back_from_the_replicas() {
    let out = run(&format!(
        "kubectl apply -f - <<EOF
{GUESTBOOK_GO_2020}EOF
kubectl run c --image=curlimages/curl --restart=Never -- sleep 3600
sleep 40
kubectl get pods --no-headers | grep -vc Running
kubectl exec c -- curl -s guestbook:3000/lrange/guestbook
echo
kubectl exec c -- curl -s guestbook:3000/rpush/guestbook/hello
echo
kubectl exec c -- curl -s 'guestbook:3000/rpush/guestbook/hi%20there'
echo
kubectl exec c -- curl -s guestbook:3000/lrange/guestbook
echo
kubectl exec c -- curl -s guestbook:3000/info
kubectl exec c -- curl -s guestbook:3000/env
echo
kubectl exec c -- curl -s guestbook:3000/
kubectl exec c -- curl -s guestbook:3000/rpush/guestbook
kubectl exec rc/redis-slave -- redis-cli LRANGE guestbook 0 -1
kubectl exec rc/redis-slave -- redis-cli RPUSH guestbook x
for p in $(kubectl get pods -l app=guestbook -o name); do kubectl logs $p; done
"
    ));
    assert_has(
        &out,
        &[
            "$ kubectl get pods --no-headers | grep -vc Running\n0\n",
            "$ kubectl exec c -- curl -s guestbook:3000/lrange/guestbook\n[]$ echo",
            "/rpush/guestbook/hello\n[\n  \"hello\"\n]$ echo",
            "/rpush/guestbook/hi%20there'\n[\n  \"hello\",\n  \"hi there\"\n]$ echo",
            "/lrange/guestbook\n[\n  \"hello\",\n  \"hi there\"\n]$ echo",
            "redis_version:3.0.7\r\n",
            "# Replication\r\nrole:master\r\nconnected_slaves:2\r\nslave0:ip=10.244.",
            "db0:keys=1,",
            "\"HOSTNAME\": \"guestbook-",
            "\"KUBERNETES_SERVICE_HOST\": \"10.96.0.1\",",
            "<title>Guestbook</title>",
            "<p>Waiting for database connection...</p>",
            // A route with a segment missing is no route.
            "/rpush/guestbook\n404 page not found\n",
            "LRANGE guestbook 0 -1\nhello\nhi there\n",
            "READONLY You can't write against a read only replica.",
            "[negroni] listening on :3000",
            "[negroni] Started GET /rpush/guestbook/hello\n[negroni] Completed 200 OK in ",
            "[negroni] Started GET /\n[negroni] Completed 200 OK in ",
            "[negroni] Started GET /rpush/guestbook\n[negroni] Completed 404 Not Found in ",
        ],
    );
    // The Go program's environment, not the request's.
    assert!(!out.contains("REQUEST_URI") && !out.contains("\"PWD\""), "{out}");
}

#[test]
fn the_go_guestbook_panics_when_redis_cannot_be_reached_and_answers_500_with_the_stack() {
    let out = run(&format!(
        "kubectl apply -f - <<EOF
{GUESTBOOK_GO_2020}EOF
kubectl run c --image=curlimages/curl --restart=Never -- sleep 3600
sleep 40
kubectl exec c -- curl -s guestbook:3000/rpush/guestbook/hello
echo
kubectl scale rc redis-master --replicas=0
sleep 20
kubectl get endpoints redis-master
kubectl exec c -- curl -s -w '\\n%{{http_code}}\\n' guestbook:3000/rpush/guestbook/again
kubectl exec c -- curl -s -w '\\n%{{http_code}}\\n' guestbook:3000/info
kubectl exec c -- curl -s -w '\\n%{{http_code}}\\n' guestbook:3000/lrange/guestbook
for p in $(kubectl get pods -l app=guestbook -o name); do kubectl logs $p; done
"
    ));
    let endpoints = out.lines().find_map(|l| l.strip_prefix("redis-master   ")).map(str::trim_start);
    assert!(endpoints.is_some_and(|e| e.starts_with("<none>")), "{out}");
    assert_has(
        &out,
        &[
            // No master: RPUSH fails in ListPushHandler; Recovery answers the panic and its stack.
            "/rpush/guestbook/again\nPANIC: dial tcp 10.96.",
            ":6379: getsockopt: connection refused\ngoroutine 5 [running]:\n",
            "main.HandleError(...)\n\t/go/src/github.com/GoogleCloudPlatform/kubernetes/examples/guestbook-go/_src/main.go:71\nmain.ListPushHandler(...)\n\t/go/src/github.com/GoogleCloudPlatform/kubernetes/examples/guestbook-go/_src/main.go:47\n\n500\n",
            "main.InfoHandler(...)\n\t/go/src/github.com/GoogleCloudPlatform/kubernetes/examples/guestbook-go/_src/main.go:52\n\n500\n",
            // Reads go to the replicas, which keep what the master last sent them.
            "/lrange/guestbook\n[\n  \"hello\"\n]\n200\n",
            "[negroni] PANIC: dial tcp 10.96.",
            "[negroni] Started GET /info\n[negroni] PANIC: dial tcp",
        ],
    );
}

#[test]
fn the_go_guestbook_v3_with_upstreams_redis_replica_service_cannot_find_redis_slave() {
    // kubernetes/examples#447 and #506: the image still reads from `redis-slave`. The push has
    // reached the master when the read panics. Once a `redis-slave` Service exists, the 2.8
    // replicas still cannot load redis 7.2's snapshot, and read an empty list.
    let out = run(&format!(
        "kubectl apply -f - <<EOF
{GUESTBOOK_GO_2025}EOF
kubectl run c --image=curlimages/curl --restart=Never -- sleep 3600
sleep 40
kubectl get pods --no-headers | grep -vc Running
kubectl exec c -- curl -s -w '\\n%{{http_code}}\\n' guestbook:3000/rpush/guestbook/hello
kubectl exec deploy/redis-master -- redis-cli LRANGE guestbook 0 -1
kubectl exec c -- curl -s guestbook:3000/info
kubectl logs rc/redis-replica
kubectl expose rc redis-replica --name=redis-slave
sleep 5
kubectl exec c -- curl -s -w '\\n%{{http_code}}\\n' guestbook:3000/lrange/guestbook
"
    ));
    assert_has(
        &out,
        &[
            "$ kubectl get pods --no-headers | grep -vc Running\n0\n",
            "/rpush/guestbook/hello\nPANIC: dial tcp: lookup redis-slave on 10.96.0.10:53: no such host\ngoroutine 5 [running]:\n",
            "main.ListRangeHandler(...)\n\t/go/src/github.com/GoogleCloudPlatform/kubernetes/examples/guestbook-go/_src/main.go:38\nmain.ListPushHandler(...)\n\t/go/src/github.com/GoogleCloudPlatform/kubernetes/examples/guestbook-go/_src/main.go:48\n\n500\n",
            "LRANGE guestbook 0 -1\nhello\n",
            "connected_slaves:0\r\n",
            "Can't handle RDB format version 11",
            "service/redis-slave exposed",
            "/lrange/guestbook\n[]\n200\n",
        ],
    );
}

#[test]
fn the_go_guestbook_has_only_the_v3_tag_and_its_redis_images_pull_under_their_manifests_names() {
    let out = run("kubectl run a --image=registry.k8s.io/guestbook:v4
kubectl run b --image=k8s.gcr.io/guestbook:latest
kubectl run c --image=gcr.io/google_containers/guestbook:v3
kubectl run d --image=docker.io/kubernetes/redis-slave:v2
kubectl run e --image=k8s.gcr.io/redis-slave:v3
kubectl run f --image=redis:2.8.23
kubectl run g --image=registry.k8s.io/redis:e2e
sleep 30
kubectl get pods
kubectl describe pod a | grep 'Failed to pull'
kubectl exec c -- ls /app/public
kubectl logs c
kubectl exec f -- redis-cli INFO server | grep redis_version
");
    assert_has(
        &out,
        &[
            "registry.k8s.io/guestbook:v4: not found",
            "[negroni] listening on :3000",
            "index.html\nscript.js\nstyle.css\n",
            "redis_version:2.8.23",
        ],
    );
    let status = |pod: &str| {
        let line = out.lines().find(|l| l.starts_with(&format!("{pod} "))).unwrap_or_else(|| panic!("{pod}: {out}"));
        line.split_whitespace().nth(2).unwrap_or("").to_string()
    };
    for pod in ["a", "b", "e"] {
        assert!(matches!(status(pod).as_str(), "ErrImagePull" | "ImagePullBackOff"), "{pod}: {out}");
    }
    for pod in ["c", "d", "f", "g"] {
        assert_eq!(status(pod), "Running", "{pod}: {out}");
    }
}

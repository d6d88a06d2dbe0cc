use crate::shell::Shell;
use crate::sim::{Sim, SimConfig};

fn run(sim: &mut Sim, line: &str) -> crate::shell::Output {
    Shell.run_line(sim, line)
}

#[test]
fn can_i_answers_yes_or_no_with_exit_code_one_for_no() {
    let mut sim = Sim::new(SimConfig::default());
    let out = run(&mut sim, "kubectl auth can-i create pods --all-namespaces");
    assert_eq!((out.stdout.as_str(), out.status), ("yes\n", 0), "{out:?}");
    let out = run(&mut sim, "kubectl auth can-i list pods --as=system:serviceaccount:default:default");
    assert_eq!((out.stdout.as_str(), out.status), ("no\n", 1), "{out:?}");
    let out = run(&mut sim, "kubectl auth can-i list pods --as=system:serviceaccount:default:default -q");
    assert_eq!((out.stdout.as_str(), out.status), ("", 1), "{out:?}");
    let out = run(&mut sim, "kubectl auth can-i get /healthz --as=jane");
    assert_eq!(out.stdout, "yes\n", "{out:?}");
    let out = run(&mut sim, "kubectl auth can-i list nodes");
    assert_eq!(out.stderr, "Warning: resource 'nodes' is not namespace scoped\n");
    assert_eq!(out.stdout, "yes\n");
    let out = run(&mut sim, "kubectl auth can-i frobnicate widgets");
    assert_eq!(
        out.stderr,
        "Warning: the server doesn't have a resource type 'widgets'\nWarning: verb 'frobnicate' is not a known verb\n"
    );
    let out = run(&mut sim, "kubectl auth can-i get");
    assert_eq!(
        out.stderr,
        "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n"
    );
    assert_eq!(out.status, 1);
}

#[test]
fn a_role_and_binding_made_with_kubectl_change_the_answer_for_that_namespace_and_subresource() {
    let mut sim = Sim::new(SimConfig::default());
    let out = run(&mut sim, "kubectl create role pod-reader --verb=get,list,watch --resource=pods,pods/log");
    assert_eq!(out.stdout, "role.rbac.authorization.k8s.io/pod-reader created\n", "{out:?}");
    let out = run(&mut sim, "kubectl create rolebinding read-pods --role=pod-reader --user=jane");
    assert_eq!(out.stdout, "rolebinding.rbac.authorization.k8s.io/read-pods created\n", "{out:?}");
    for (line, want) in [
        ("kubectl auth can-i list pods --as jane", "yes\n"),
        ("kubectl auth can-i get pods --subresource=log --as jane", "yes\n"),
        ("kubectl auth can-i get pods/web --as jane", "yes\n"),
        ("kubectl auth can-i create pods --subresource=exec --as jane", "no\n"),
        ("kubectl auth can-i list pods -n kube-system --as jane", "no\n"),
        ("kubectl auth can-i list pods -A --as jane", "no\n"),
        ("kubectl auth can-i delete pods --as jane", "no\n"),
        ("kubectl auth can-i list deployments.apps --as jane", "no\n"),
    ] {
        assert_eq!(run(&mut sim, line).stdout, want, "{line}");
    }
    let out = run(&mut sim, "kubectl get pods --as jane");
    assert_eq!(out.stderr, "No resources found in default namespace.\n", "{out:?}");
    let out = run(&mut sim, "kubectl get deploy --as jane");
    assert_eq!(
        out.stderr,
        "Error from server (Forbidden): deployments.apps is forbidden: User \"jane\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"default\"\n"
    );
    assert_eq!(out.status, 1);
    let out = run(&mut sim, "kubectl delete pod web --as jane");
    assert_eq!(
        out.stderr,
        "Error from server (Forbidden): pods \"web\" is forbidden: User \"jane\" cannot delete resource \"pods\" in API group \"\" in the namespace \"default\"\n"
    );
    let out = run(&mut sim, "kubectl create deployment web --image=nginx --as jane");
    assert!(out.stderr.contains("cannot create resource \"deployments\" in API group \"apps\""), "{out:?}");
    assert!(sim.store().get("Deployment", Some("default"), "web").is_none());
}

#[test]
fn can_i_list_prints_kubectls_table() {
    let mut sim = Sim::new(SimConfig::default());
    let out = run(&mut sim, "kubectl auth can-i --list");
    let want = "\
Resources                                       Non-Resource URLs   Resource Names   Verbs
*.*                                             []                  []               [*]
                                                [*]                 []               [*]
selfsubjectreviews.authentication.k8s.io        []                  []               [create]
selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]
selfsubjectrulesreviews.authorization.k8s.io    []                  []               [create]
                                                [/api/*]            []               [get]
                                                [/api]              []               [get]
                                                [/apis/*]           []               [get]
                                                [/apis]             []               [get]
                                                [/healthz]          []               [get]
                                                [/healthz]          []               [get]
                                                [/livez]            []               [get]
                                                [/livez]            []               [get]
                                                [/openapi/*]        []               [get]
                                                [/openapi]          []               [get]
                                                [/readyz]           []               [get]
                                                [/readyz]           []               [get]
                                                [/version/]         []               [get]
                                                [/version/]         []               [get]
                                                [/version]          []               [get]
                                                [/version]          []               [get]
";
    assert_eq!(out.stdout, want, "{out:?}");
    run(
        &mut sim,
        "kubectl create role pod-reader --verb=get,list --resource=pods,deployments.apps --resource-name=web",
    );
    run(&mut sim, "kubectl create rolebinding r --role=pod-reader --serviceaccount=default:default");
    let out = run(&mut sim, "kubectl auth can-i --list --as=system:serviceaccount:default:default --no-headers");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["selfsubjectreviews.authentication.k8s.io", "[]", "[]", "[create]"]
    );
    assert!(
        lines.contains(
            &"pods                                            []                                    [web]   [get list]"
        ),
        "{}",
        out.stdout
    );
    assert!(
        lines.contains(
            &"deployments.apps                                []                                    [web]   [get list]"
        ),
        "{}",
        out.stdout
    );
    assert!(
        lines.contains(
            &"                                                [/.well-known/openid-configuration]   []      [get]"
        ),
        "{}",
        out.stdout
    );
    let out = run(&mut sim, "kubectl auth can-i --list pods");
    assert_eq!(out.stderr, "error: list option must be specified with no arguments\n");
}

#[test]
fn whoami_names_the_admin_or_whom_it_impersonates() {
    let mut sim = Sim::new(SimConfig::default());
    let out = run(&mut sim, "kubectl auth whoami");
    assert_eq!(
        out.stdout,
        "ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [kubeadm:cluster-admins system:authenticated]\n"
    );
    let out = run(&mut sim, "kubectl auth whoami --as=system:serviceaccount:dev:robot --as-group=extra");
    assert_eq!(
        out.stdout,
        "ATTRIBUTE   VALUE\nUsername    system:serviceaccount:dev:robot\nGroups      [system:serviceaccounts system:serviceaccounts:dev extra system:authenticated]\n"
    );
    let out = run(&mut sim, "kubectl auth whoami -o json");
    assert!(out.stdout.contains("\"username\": \"kubernetes-admin\""), "{out:?}");
    let out = run(&mut sim, "kubectl get pods --as-group=devs");
    assert_eq!(out.stderr, "error: requesting uid or groups for impersonation without a user name is not allowed\n");
}

const KUBECTL_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: kc
spec:
  containers:
  - name: kc
    image: bitnami/kubectl
    command: [sleep, infinity]
";

#[test]
fn kubectl_in_a_pod_acts_as_its_service_account() {
    let mut sim = Sim::new(SimConfig::default());
    let mut t = crate::shell::terminal::Terminal::default();
    let mut run = |sim: &mut Sim, line: &str| t.run_line(sim, line);
    let out = run(
        &mut sim,
        &format!("cat > kc.yaml <<EOF\n{KUBECTL_POD}EOF\nkubectl apply -f kc.yaml; sleep 60; kubectl get pod kc"),
    );
    assert!(out.stdout.contains("Running"), "{out:?}");
    let out = run(&mut sim, "kubectl exec kc -- kubectl get pods");
    assert_eq!(
        out.stderr,
        "Error from server (Forbidden): pods is forbidden: User \"system:serviceaccount:default:default\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"\ncommand terminated with exit code 1\n",
        "{out:?}"
    );
    let out = run(&mut sim, "kubectl exec kc -- kubectl auth can-i list pods");
    assert_eq!(out.stdout, "no\n", "{out:?}");
    run(&mut sim, "kubectl create rolebinding sa-view --clusterrole=view --serviceaccount=default:default");
    let out = run(&mut sim, "kubectl exec kc -- sh -c 'kubectl get pods -o name'");
    assert_eq!(out.stdout, "pod/kc\n", "{out:?}");
    let out = run(&mut sim, "kubectl exec kc -- kubectl delete pod kc");
    assert!(out.stderr.contains("cannot delete resource \"pods\""), "{out:?}");
    let out = run(&mut sim, "kubectl exec kc -- kubectl get pods -n kube-system");
    assert!(out.stderr.contains("in the namespace \"kube-system\""), "{out:?}");
    let out = run(&mut sim, "kubectl exec kc -- kubectl auth whoami");
    // The token's id (credential-id, the longest extra) sets the column's width.
    assert!(out.stdout.starts_with("ATTRIBUTE                                           VALUE\nUsername                                            system:serviceaccount:default:default\nUID  "), "{out:?}");
    assert!(out.stdout.contains("Groups                                              [system:serviceaccounts system:serviceaccounts:default system:authenticated]\n"), "{out:?}");
    assert!(out.stdout.contains("Extra: authentication.kubernetes.io/credential-id   [JTI="), "{out:?}");
    assert!(out.stdout.contains("Extra: authentication.kubernetes.io/pod-name        [kc]\n"), "{out:?}");
    let out = run(&mut sim, "kubectl exec kc -- kubectl create token default");
    assert_eq!(out.stderr, "error: failed to create token: serviceaccounts \"default\" is forbidden: User \"system:serviceaccount:default:default\" cannot create resource \"serviceaccounts/token\" in API group \"\" in the namespace \"default\"\ncommand terminated with exit code 1\n");
    let out = run(&mut sim, "kubectl exec kc -- kubectl get pods --as=jane");
    assert_eq!(out.stderr, "Error from server (Forbidden): users \"jane\" is forbidden: User \"system:serviceaccount:default:default\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope\ncommand terminated with exit code 1\n");

    let no_token =
        KUBECTL_POD.replace("name: kc\nspec:\n", "name: kc2\nspec:\n  automountServiceAccountToken: false\n");
    run(&mut sim, &format!("cat > kc2.yaml <<EOF\n{no_token}EOF\nkubectl apply -f kc2.yaml; sleep 60"));
    let out = run(&mut sim, "kubectl exec kc2 -- ls /var/run/secrets/kubernetes.io/serviceaccount");
    assert_ne!(out.status, 0, "{out:?}");
    let out = run(&mut sim, "kubectl exec kc2 -- kubectl get pods");
    assert_eq!(out.stderr, "The connection to the server localhost:8080 was refused - did you specify the right host or port?\ncommand terminated with exit code 1\n");
    let out = run(&mut sim, "kubectl exec kc -- nginx");
    assert!(out.stderr.contains("executable file not found in $PATH"), "{out:?}");
    run(&mut sim, "kubectl run bb --image=busybox -- sleep 3600; sleep 30");
    let out = run(&mut sim, "kubectl exec bb -- kubectl get pods");
    assert!(out.stderr.contains("\"kubectl\": executable file not found in $PATH"), "{out:?}");
}

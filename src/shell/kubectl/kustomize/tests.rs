//! `-k` and `kubectl kustomize` on the terminal's own files, and kustomize's errors.

use crate::shell::terminal::Terminal;
use crate::sim::{Sim, SimConfig};

fn setup() -> (Sim, Terminal) {
    let mut sim = Sim::new(SimConfig::default());
    let mut t = Terminal::default();
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.26\n        envFrom: [{configMapRef: {name: web-config}}]\n";
    t.run_line(&mut sim, "mkdir -p app/base app/dev");
    t.run_line(&mut sim, &format!("cat > app/base/deploy.yaml <<'EOF'\n{deploy}EOF"));
    t.run_line(
        &mut sim,
        "cat > app/base/kustomization.yaml <<'EOF'\nresources:\n- deploy.yaml\nconfigMapGenerator:\n- name: web-config\n  literals:\n  - MODE=base\nEOF",
    );
    t.run_line(
        &mut sim,
        "cat > app/dev/kustomization.yaml <<'EOF'\nresources:\n- ../base\nnamePrefix: dev-\nimages:\n- name: nginx\n  newTag: \"1.27\"\nEOF",
    );
    (sim, t)
}

#[test]
fn apply_k_creates_what_kustomize_builds_and_get_and_delete_k_find_it() {
    let (mut sim, mut t) = setup();
    let out = t.run_line(&mut sim, "kubectl apply -k app/dev");
    assert_eq!(
        out.stdout, "configmap/dev-web-config-btf6f9dc9c created\ndeployment.apps/dev-web created\n",
        "{}",
        out.stderr
    );
    let d = sim.store().get("Deployment", Some("default"), "dev-web").unwrap().to_value();
    let c = &d["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(c["image"], "nginx:1.27");
    assert_eq!(c["envFrom"][0]["configMapRef"]["name"], "dev-web-config-btf6f9dc9c");
    assert_eq!(t.run_line(&mut sim, "kubectl apply -k app/dev").stdout.matches("unchanged").count(), 2);
    let got = t.run_line(&mut sim, "kubectl get -k app/dev -o name");
    assert_eq!(got.stdout, "configmap/dev-web-config-btf6f9dc9c\ndeployment.apps/dev-web\n", "{}", got.stderr);
    let del = t.run_line(&mut sim, "kubectl delete -k app/dev");
    assert!(del.stdout.contains("deployment.apps \"dev-web\" deleted"), "{}{}", del.stdout, del.stderr);
}

#[test]
fn kustomize_prints_the_build_and_errors_name_the_directory() {
    let (mut sim, mut t) = setup();
    let out = t.run_line(&mut sim, "kubectl kustomize app/dev");
    assert!(out.stdout.starts_with("apiVersion: v1\ndata:\n  MODE: base\nkind: ConfigMap\n"), "{}", out.stdout);
    assert!(out.stdout.contains("\n---\napiVersion: apps/v1\nkind: Deployment\n"), "{}", out.stdout);
    let cwd = t.run_line(&mut sim, "pwd").stdout.trim().to_string();
    let out = t.run_line(&mut sim, "kubectl kustomize nowhere");
    assert_eq!(
        out.stderr,
        format!("error: must build at directory: not a valid directory: evalsymlink failure on 'nowhere' : lstat {cwd}/nowhere: no such file or directory\n")
    );
    // As kubectl 1.32: the path as typed, and the first directory of it that is missing.
    let out = t.run_line(&mut sim, "kubectl apply -k no/such/dir");
    assert_eq!(
        out.stderr,
        format!("error: must build at directory: not a valid directory: evalsymlink failure on 'no/such/dir' : lstat {cwd}/no: no such file or directory\n")
    );
    t.run_line(&mut sim, "mkdir empty");
    let out = t.run_line(&mut sim, "kubectl apply -k empty");
    assert_eq!(
        out.stderr,
        format!("error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{cwd}/empty'\n")
    );
    t.run_line(&mut sim, "printf 'resourcez: []\\n' > empty/kustomization.yaml");
    assert_eq!(
        t.run_line(&mut sim, "kubectl kustomize empty").stderr,
        "error: invalid Kustomization: json: unknown field \"resourcez\"\n"
    );
    t.run_line(&mut sim, "printf 'resources:\\n- missing.yaml\\n' > empty/kustomization.yaml");
    let out = t.run_line(&mut sim, "kubectl apply -k empty");
    assert!(out.stderr.starts_with("error: accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure on "), "{}", out.stderr);
    assert_eq!(out.status, 1);
    assert!(sim.store().get("Deployment", Some("default"), "web").is_none());
}

#[test]
fn a_patch_that_names_nothing_fails_the_whole_build() {
    let (mut sim, mut t) = setup();
    t.run_line(
        &mut sim,
        "cat > app/dev/kustomization.yaml <<'EOF'\nresources:\n- ../base\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: nope\n    spec:\n      replicas: 3\nEOF",
    );
    let out = t.run_line(&mut sim, "kubectl apply -k app/dev");
    assert_eq!(
        out.stderr,
        "error: no matches for Id Deployment.v1.apps/nope.[noNs]; failed to find unique target for patch Deployment.v1.apps/nope.[noNs]\n"
    );
    assert!(sim.store().get("ConfigMap", Some("default"), "web-config-btf6f9dc9c").is_none(), "nothing half-applied");
}

//! The native runner end to end: a script against the kiamol corpus, as a learner's course
//! script would run (skipped if the corpus is absent).

use std::path::Path;
use std::process::Command;

#[test]
fn runner_applies_a_course_deployment_and_shows_it_running() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/kiamol");
    if !corpus.is_dir() {
        eprintln!("corpus not found; skipped");
        return;
    }
    let dir = tempdir();
    let script = dir.join("course.sh");
    let file = corpus.join("ch04/sleep/sleep.yaml");
    std::fs::write(
        &script,
        format!(
            "kubectl apply -f {f}\nsleep 30\nkubectl get deployments\nkubectl exec deploy/sleep -- printenv HOSTNAME\nkubectl apply -f {f}\nkubectl get nopes\n",
            f = file.display()
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kube-sandbox")).arg("run").arg(&script).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(" created\n"), "{text}");
    assert!(
        text.contains("NAME    READY   UP-TO-DATE   AVAILABLE   AGE\nsleep   1/1     1            1           30s\n"),
        "{text}"
    );
    assert!(text.contains("$ kubectl exec deploy/sleep -- printenv HOSTNAME\nsleep-"), "{text}");
    assert!(text.contains(" unchanged\n"), "re-applying the same file changes nothing: {text}");
    assert!(text.contains("error: the server doesn't have a resource type \"nopes\""), "{text}");
    assert_eq!(out.status.code(), Some(1), "the last command failed");
}

fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("kube-sandbox-runner-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

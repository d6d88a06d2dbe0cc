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
        text.contains("NAME    READY   UP-TO-DATE   AVAILABLE   AGE\nsleep   1/1     1            1           34s\n"),
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

/// `kube-sandbox replay` prints the event log the library's replay produced (the page's log),
/// the same for a scenario's JSON and for its link text, run after run.
#[test]
fn runner_replays_a_scenario_file_and_prints_its_event_log() {
    use kube_sandbox::scenario::{self, Scenario, Step};
    let mut s = Scenario::default();
    s.record(Step::Line("kubectl create deployment web --image=nginx:1.27 --replicas=2".into()));
    s.record(Step::Advance { ms: 20_000 });
    s.record(Step::Line("kubectl scale deployment web --replicas=3".into()));
    s.record(Step::Settle);
    let expected = scenario::replay(&s).unwrap();
    let sealed = s.sealed(&expected.sim);
    let dir = tempdir();
    let json = dir.join("scenario.json");
    let link = dir.join("scenario.link");
    std::fs::write(&json, sealed.to_json_pretty()).unwrap();
    std::fs::write(&link, format!("https://example.org/#{}\n", sealed.to_link())).unwrap();
    let bin = env!("CARGO_BIN_EXE_kube-sandbox");
    let run = |f: &Path| Command::new(bin).arg("replay").arg(f).output().unwrap();
    let (a, b) = (run(&json), run(&link));
    assert_eq!(a.status.code(), Some(0), "{}", String::from_utf8_lossy(&a.stderr));
    let text = String::from_utf8_lossy(&a.stdout);
    assert_eq!(text, expected.log.text());
    assert!(text.contains("\tNormal\tScalingReplicaSet\tdefault/deployment/web\tScaled up replica set web-"), "{text}");
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(run(&json).stdout, a.stdout, "the same log every run");
    let export = Command::new(bin).arg("export").arg(&json).output().unwrap();
    assert!(String::from_utf8_lossy(&export.stdout).contains("kind: Deployment\nmetadata:\n"));
    std::fs::write(&link, "v9.AAAA").unwrap();
    let bad = run(&link);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("newer version of kube-sandbox"));
}

/// A script run from a directory holding more than the sandbox's room for files (a download
/// folder, `/tmp`) can still write its own files: the runner loads only part of the directory,
/// says so once, and `kubectl apply -f` still reads a file it left out.
#[test]
fn runner_in_a_big_directory_loads_part_of_it_and_still_writes() {
    let dir = std::env::temp_dir().join(format!("kube-sandbox-runner-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let chunk = "x".repeat(1 << 20);
    for i in 0..12 {
        std::fs::write(dir.join(format!("big-{i:02}.txt")), &chunk).unwrap();
    }
    std::fs::write(
        dir.join("zz-pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n",
    )
    .unwrap();
    let script = dir.join("script.sh");
    std::fs::write(&script, "echo hello > out.txt\ncat out.txt\nkubectl apply -f zz-pod.yaml\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kube-sandbox")).arg("run").arg(&script).output().unwrap();
    let (text, err) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    std::fs::remove_dir_all(&dir).ok();
    assert!(text.contains("$ cat out.txt\nhello\n"), "{text}");
    assert!(!text.contains("No space left"), "{text}");
    assert!(text.contains("pod/web created"), "{text}");
    assert_eq!(err.matches("were left out").count(), 1, "said once: {err}");
    assert!(err.contains("files were left out"), "{err}");
}

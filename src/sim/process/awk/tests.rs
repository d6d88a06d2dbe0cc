//! awk as courses type it, run by busybox's shell in a container.

use crate::sim::images::{profile_for, ImageRef};
use crate::sim::process::{run_to_completion, ContainerEnv, NoNetwork};
use crate::sim::time::SimTime;

const PODS: &str = "NAME                     READY   STATUS    RESTARTS   AGE\nweb-5d78c9c6b4-2xk9p     1/1     Running   0          5m\nweb-5d78c9c6b4-8hj2q     1/1     Running   2          5m\ndb-0                     0/1     Pending   0          1m\n";

fn sh(script: &str) -> (String, String, i32) {
    let mut env = ContainerEnv::new(profile_for(&ImageRef::parse("busybox").unwrap()).unwrap(), "p");
    env.files.insert("/pods.txt".into(), PODS.into());
    env.files.insert(
        "/etc/passwd".into(),
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n".into(),
    );
    let out = run_to_completion(&["sh".into(), "-c".into(), script.into()], &mut env, SimTime::ZERO, &mut NoNetwork);
    (out.stdout, out.stderr, out.code)
}

fn out(script: &str) -> String {
    let (o, e, code) = sh(script);
    assert_eq!((e.as_str(), code), ("", 0), "{script}: {o}");
    o
}

#[test]
fn the_course_one_liners_print_what_awk_prints() {
    assert_eq!(out("awk '{print $1}' /pods.txt"), "NAME\nweb-5d78c9c6b4-2xk9p\nweb-5d78c9c6b4-8hj2q\ndb-0\n");
    assert_eq!(out("grep -v NAME /pods.txt | awk '{print $1}'"), "web-5d78c9c6b4-2xk9p\nweb-5d78c9c6b4-8hj2q\ndb-0\n");
    assert_eq!(out("awk -F: '{print $1}' /etc/passwd"), "root\nnobody\n");
    assert_eq!(out("echo a:b:c | awk -F: '{print $2}'"), "b\n");
    assert_eq!(
        out("awk 'NR>1 {print $1, $3}' /pods.txt"),
        "web-5d78c9c6b4-2xk9p Running\nweb-5d78c9c6b4-8hj2q Running\ndb-0 Pending\n"
    );
    assert_eq!(out("awk 'NR>1 {sum += $4} END {print sum}' /pods.txt"), "2\n");
    assert_eq!(out("awk '/Running/ {c++} END {print c+0}' /pods.txt"), "2\n");
    assert_eq!(out("awk '/Failed/ {c++} END {print c+0}' /pods.txt"), "0\n");
    assert_eq!(
        out("awk 'NR>1 { printf \"%-22s %s\\n\", $1, $3 }' /pods.txt"),
        "web-5d78c9c6b4-2xk9p   Running\nweb-5d78c9c6b4-8hj2q   Running\ndb-0                   Pending\n"
    );
    assert_eq!(out("awk '{print $NF}' /pods.txt | tail -1"), "1m\n");
    assert_eq!(out("awk '{print NR\": \"NF}' /pods.txt | head -2"), "1: 5\n2: 5\n");
    assert_eq!(out("awk 'END {print NR}' /pods.txt"), "4\n");
    assert_eq!(out("awk '$3 == \"Pending\" {print $1}' /pods.txt"), "db-0\n");
    // The header's RESTARTS is not a number: compared as text, it is greater than "0".
    assert_eq!(
        out("awk '$4 > 0' /pods.txt"),
        "NAME                     READY   STATUS    RESTARTS   AGE\nweb-5d78c9c6b4-8hj2q     1/1     Running   2          5m\n"
    );
    assert_eq!(out("awk 'NR > 1 && $4 > 0 {print $1}' /pods.txt"), "web-5d78c9c6b4-8hj2q\n");
    assert_eq!(out("awk '$3 != \"Running\" && NR > 1 || /NAME/ {print $1}' /pods.txt"), "NAME\ndb-0\n");
    assert_eq!(out("awk '!/Running/ {print $1}' /pods.txt"), "NAME\ndb-0\n");
    assert_eq!(out("printf 'a\\nstart\\nb\\nend\\nc\\n' | awk '/start/,/end/'"), "start\nb\nend\n");
    assert_eq!(out("printf 'x\\ty z\\n' | awk -F'\\t' '{print $2}'"), "y z\n");
    assert_eq!(out("echo 'a1b22c' | awk -F'[0-9]+' '{print $1\"-\"$2\"-\"$3}'"), "a-b-c\n");
}

#[test]
fn variables_fields_and_separators_behave_as_posix_says() {
    assert_eq!(out("awk -v name=web 'BEGIN {print \"hi \" name}'"), "hi web\n");
    assert_eq!(out("echo 'a b c' | awk '{$2 = \"X\"; print; print NF}'"), "a X c\n3\n");
    assert_eq!(out("echo 'a b c' | awk 'BEGIN {OFS=\"-\"} {$1 = $1; print}'"), "a-b-c\n");
    assert_eq!(out("echo 'a b c' | awk '{$5 = \"e\"; print; print NF}'"), "a b c  e\n5\n");
    assert_eq!(out("echo 'a b c' | awk '{NF = 2; print}'"), "a b\n");
    assert_eq!(out("printf '1\\n2\\n' | awk 'BEGIN {ORS=\",\"} {print}'"), "1,2,");
    assert_eq!(out("echo '10 9' | awk '{print ($1 > $2), (\"10\" > \"9\")}'"), "1 0\n");
    assert_eq!(out("awk 'BEGIN {x = \"3\" + 4; y = 1 \" \" 2; print x, y, 2^10, 7%3, -2^2}'"), "7 1 2 1024 1 -4\n");
    assert_eq!(
        out("awk 'BEGIN {print 1/3; printf \"%d %5.2f|%-4s|%c%c\\n\", 7.9, 3.14159, \"ab\", 65, \"hi\"}'"),
        "0.333333\n7  3.14|ab  |Ah\n"
    );
    assert_eq!(out("awk 'BEGIN { s = sprintf(\"%05d\", 42); print s, length(s) }'"), "00042 5\n");
    assert_eq!(out("echo 'x=1' | awk 'BEGIN{FS=\"=\"} {print $2}'"), "1\n");
    assert_eq!(
        out("export APP=web; LOCAL=no; awk 'BEGIN {print ENVIRON[\"APP\"] \"|\" ENVIRON[\"LOCAL\"] \"|\"}'"),
        "web||\n"
    );
}

#[test]
fn control_flow_arrays_and_builtins() {
    let counted = out("awk 'NR>1 {n[$3]++} END {for (s in n) print s, n[s]}' /pods.txt");
    assert_eq!(counted, "Pending 1\nRunning 2\n");
    assert_eq!(out("awk 'BEGIN {for (i = 1; i <= 3; i++) printf \"%d \", i; print \"\"}'"), "1 2 3 \n");
    assert_eq!(out("awk 'BEGIN {i = 0; while (i < 3) {i++; if (i == 2) continue; print i}}'"), "1\n3\n");
    assert_eq!(out("awk 'BEGIN {do {k++} while (k < 5); print k}'"), "5\n");
    assert_eq!(out("awk 'BEGIN {for (;;) {if (++n > 4) break}; print n}'"), "5\n");
    assert_eq!(out("printf '1\\n2\\n3\\n' | awk '$1 == 2 {next} {print}'"), "1\n3\n");
    assert_eq!(
        sh("printf '1\\n2\\n3\\n' | awk '{print} $1 == 2 {exit 3} END {print \"end\"}'"),
        ("1\n2\nend\n".into(), String::new(), 3)
    );
    assert_eq!(out("awk 'BEGIN {if (1 > 2) print \"no\"; else print \"yes\"}'"), "yes\n");
    assert_eq!(out("awk 'BEGIN {s = \"Hello World\"; print length(s), substr(s, 7), substr(s, 1, 5), index(s, \"World\"), toupper(s), tolower(s)}'"), "11 World Hello 7 HELLO WORLD hello world\n");
    assert_eq!(out("awk 'BEGIN {n = split(\"a,b,c\", p, \",\"); print n, p[1], p[3]}'"), "3 a c\n");
    assert_eq!(out("echo 'foo bar foo' | awk '{n = gsub(/foo/, \"[&]\"); print n, $0}'"), "2 [foo] bar [foo]\n");
    assert_eq!(out("echo 'image: nginx:1.27' | awk '{sub(/:[0-9.]+$/, \"\"); print}'"), "image: nginx\n");
    assert_eq!(out("awk 'BEGIN {if (match(\"pod-123-x\", /[0-9]+/)) print RSTART, RLENGTH}'"), "5 3\n");
    assert_eq!(out("awk 'BEGIN {print int(3.9), int(-3.9), length()}' </dev/null"), "3 -3 0\n");
    assert_eq!(
        out("awk 'BEGIN {a[\"x\"]; if (\"x\" in a) print \"in\"; delete a[\"x\"]; print length(a)}'"),
        "in\n0\n"
    );
    assert_eq!(out("awk 'function twice(n) { return n * 2 } BEGIN { print twice(21) }'"), "42\n");
    assert_eq!(out("echo 'a-b' | awk '{ print ($0 ~ /-/) ? \"dash\" : \"none\" }'"), "dash\n");
}

#[test]
fn print_to_a_file_and_errors_in_busybox_words() {
    assert_eq!(out("awk 'BEGIN {print \"x\" > \"/tmp/o\"; print \"y\" > \"/tmp/o\"}'; cat /tmp/o"), "x\ny\n");
    assert_eq!(out("echo a > /tmp/p; awk 'BEGIN {print \"b\" >> \"/tmp/p\"}'; cat /tmp/p"), "a\nb\n");
    assert_eq!(sh("awk '{print $1'"), (String::new(), "awk: cmd. line:1: Unexpected end of string\n".into(), 1));
    assert_eq!(sh("awk 'BEGIN {print 1/0}'"), (String::new(), "awk: cmd. line:1: Division by zero\n".into(), 1));
    let (_, e, code) = sh("awk '{getline line; print line}'");
    assert!(e.starts_with("awk: cmd. line:1: getline is not simulated"), "{e}");
    assert_eq!(code, 1);
    assert_eq!(sh("awk").1, "Usage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...\n");
    assert_eq!(sh("awk '{print}' /nope").1, "awk: cmd. line:1: can't open '/nope': No such file or directory\n");
}

#[test]
fn a_loop_that_never_ends_is_stopped_by_the_step_budget() {
    let (o, e, code) = sh("awk 'BEGIN {while (1) n++} END {print \"never\"}'; echo after");
    assert_eq!(o, "after\n");
    assert!(e.contains("steps (a sandbox limit)"), "{e}");
    assert_eq!(code, 0, "the shell goes on after awk fails");
    let (_, e, _) = sh("awk 'BEGIN {for (;;) s = s \"xxxxxxxxxxxxxxxx\"}'");
    assert!(e.contains("(a sandbox limit)"), "{e}");
}

#[test]
fn a_long_line_is_split_and_substituted_match_by_match() {
    // Each match is found from where the last ended, in the one line (no copy of its rest).
    assert_eq!(out("printf 'a,b;c\\n' | awk -F'[,;]' '{print NF, $3}'"), "3 c\n");
    assert_eq!(out("echo 'x-y-z' | awk '{n = gsub(/-/, \"+\"); print n, $0}'"), "2 x+y+z\n");
    assert_eq!(out("echo 'aaa' | awk '{sub(/^a/, \"b\"); print}'"), "baa\n");
    assert_eq!(out("echo 'aaa' | awk '{gsub(/^a/, \"b\"); print}'"), "baa\n", "^ only at the start");
    let line = "ab,".repeat(5_000);
    let script = format!("echo '{line}' | awk -F'[,;]' '{{f = NF; n = gsub(/b,/, \"\"); print f, n, length($0)}}'");
    assert_eq!(out(&script), "5001 5000 5000\n");
}

//! `diff`'s output against the real programs': each expected text is what GNU diff 3.8
//! (Debian 12) and busybox 1.35's diff (Debian's `busybox` package, the same applet as 1.37's)
//! printed for the same files and command, with the files' times replaced by the sandbox's
//! clock (the epoch's for a file `-N` takes as empty). The same comparison over thousands of
//! random pairs of files (every option here, files of up to 300 lines) found no difference
//! when this was written.

use super::*;
use crate::sim::images::{profile_for, ImageRef};
use crate::sim::process::{run_to_completion, ContainerEnv, NoNetwork};
use crate::sim::time::SimTime;

/// The files every case runs among, in `/w`.
const FILES: &[(&str, &str)] = &[
    ("a", "a\nb\nc\n"),
    ("acopy", "a\nb\nc\n"),
    ("b", "a\nB\nc\nd\n"),
    ("r1", "1\n2\n3\n4\n5\n6\n"),
    ("r2", "1\nx\ny\nz\n4\n6\n"),
    ("long1", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n"),
    ("long2", "1\nTWO\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\nEIGHTEEN\n19\n20\n"),
    ("nonl1", "n"),
    ("nonl2", "n\n"),
    ("w1", "Hello World\n  x\n\n"),
    ("w2", "hello  world \nx\n"),
    ("bl1", "a\n\nb\n"),
    ("bl2", "a\nb\n\n\n"),
    ("d1/", ""),
    ("d1/same", "x\n"),
    ("d1/f", "1\n2\n"),
    ("d1/o1", "o\n"),
    ("d1/sub/", ""),
    ("d1/sub/s", "q\n"),
    ("d2/", ""),
    ("d2/same", "x\n"),
    ("d2/f", "1\n3\n"),
    ("d2/o2", "o\n"),
    ("d2/sub/", ""),
    ("d2/sub/s", "r\n"),
];

/// A container of `image` (the terminal's shell for `None`) with [`FILES`] in `/w`.
fn env(image: Option<&str>) -> ContainerEnv {
    let mut env = match image {
        Some(i) => {
            let r = ImageRef::parse(i).unwrap();
            let mut env = ContainerEnv::new(profile_for(&r).unwrap(), "pod-1");
            env.tag = r.tag().to_string();
            env
        }
        None => ContainerEnv { bash_style: true, ..ContainerEnv::default() },
    };
    env.files.insert("/w/".into(), String::new());
    for (path, text) in FILES {
        env.files.insert(format!("/w/{path}"), text.to_string());
    }
    env.working_dir = "/w".into();
    env
}

/// What `script` printed on stdout and stderr, and its status.
fn run(env: &mut ContainerEnv, script: &str) -> (String, String, i32) {
    let argv = ["sh".to_string(), "-c".to_string(), script.to_string()];
    let out = run_to_completion(&argv, env, SimTime::ZERO, &mut NoNetwork);
    (out.stdout, out.stderr, out.code)
}

#[track_caller]
fn check(image: Option<&str>, cases: &[(&str, &str, &str, i32)]) {
    for (command, stdout, stderr, code) in cases {
        let got = run(&mut env(image), command);
        assert_eq!(got, (stdout.to_string(), stderr.to_string(), *code), "{command}");
    }
}

/// (command, stdout, stderr, status) as GNU diff 3.8 answered.
const GNU: &[(&str, &str, &str, i32)] = &[
    ("diff a b", "2c2\n< b\n---\n> B\n3a4\n> d\n", "", 1),
    ("diff r1 r2", "2,3c2,4\n< 2\n< 3\n---\n> x\n> y\n> z\n5d5\n< 5\n", "", 1),
    ("diff -u a b", "--- a\t2025-01-01 00:00:00.000000000 +0000\n+++ b\t2025-01-01 00:00:00.000000000 +0000\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n", "", 1),
    ("diff -U0 long1 long2", "--- long1\t2025-01-01 00:00:00.000000000 +0000\n+++ long2\t2025-01-01 00:00:00.000000000 +0000\n@@ -2 +2 @@\n-2\n+TWO\n@@ -18 +18 @@\n-18\n+EIGHTEEN\n", "", 1),
    ("diff -U1 long1 long2", "--- long1\t2025-01-01 00:00:00.000000000 +0000\n+++ long2\t2025-01-01 00:00:00.000000000 +0000\n@@ -1,3 +1,3 @@\n 1\n-2\n+TWO\n 3\n@@ -17,3 +17,3 @@\n 17\n-18\n+EIGHTEEN\n 19\n", "", 1),
    ("diff --unified long1 long2", "--- long1\t2025-01-01 00:00:00.000000000 +0000\n+++ long2\t2025-01-01 00:00:00.000000000 +0000\n@@ -1,5 +1,5 @@\n 1\n-2\n+TWO\n 3\n 4\n 5\n@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+EIGHTEEN\n 19\n 20\n", "", 1),
    ("diff -c a b", "*** a\t2025-01-01 00:00:00.000000000 +0000\n--- b\t2025-01-01 00:00:00.000000000 +0000\n***************\n*** 1,3 ****\n  a\n! b\n  c\n--- 1,4 ----\n  a\n! B\n  c\n+ d\n", "", 1),
    ("diff nonl1 nonl2", "1c1\n< n\n\\ No newline at end of file\n---\n> n\n", "", 1),
    ("diff -u nonl1 nonl2", "--- nonl1\t2025-01-01 00:00:00.000000000 +0000\n+++ nonl2\t2025-01-01 00:00:00.000000000 +0000\n@@ -1 +1 @@\n-n\n\\ No newline at end of file\n+n\n", "", 1),
    ("diff -q a b", "Files a and b differ\n", "", 1),
    ("diff -s a acopy", "Files a and acopy are identical\n", "", 0),
    ("diff a acopy", "", "", 0),
    ("diff -i w1 w2", "1,3c1,2\n< Hello World\n<   x\n< \n---\n> hello  world \n> x\n", "", 1),
    ("diff -w w1 w2", "1c1\n< Hello World\n---\n> hello  world \n3d2\n< \n", "", 1),
    ("diff -b w1 w2", "1,3c1,2\n< Hello World\n<   x\n< \n---\n> hello  world \n> x\n", "", 1),
    ("diff -B bl1 bl2", "", "", 0),
    ("diff -r d1 d2", "diff -r d1/f d2/f\n2c2\n< 2\n---\n> 3\nOnly in d1: o1\nOnly in d2: o2\ndiff -r d1/sub/s d2/sub/s\n1c1\n< q\n---\n> r\n", "", 1),
    ("diff -ruN d1 d2", "diff -ruN d1/f d2/f\n--- d1/f\t2025-01-01 00:00:00.000000000 +0000\n+++ d2/f\t2025-01-01 00:00:00.000000000 +0000\n@@ -1,2 +1,2 @@\n 1\n-2\n+3\ndiff -ruN d1/o1 d2/o1\n--- d1/o1\t2025-01-01 00:00:00.000000000 +0000\n+++ d2/o1\t1970-01-01 00:00:00.000000000 +0000\n@@ -1 +0,0 @@\n-o\ndiff -ruN d1/o2 d2/o2\n--- d1/o2\t1970-01-01 00:00:00.000000000 +0000\n+++ d2/o2\t2025-01-01 00:00:00.000000000 +0000\n@@ -0,0 +1 @@\n+o\ndiff -ruN d1/sub/s d2/sub/s\n--- d1/sub/s\t2025-01-01 00:00:00.000000000 +0000\n+++ d2/sub/s\t2025-01-01 00:00:00.000000000 +0000\n@@ -1 +1 @@\n-q\n+r\n", "", 1),
    ("diff -rq d1 d2", "Files d1/f and d2/f differ\nOnly in d1: o1\nOnly in d2: o2\nFiles d1/sub/s and d2/sub/s differ\n", "", 1),
    ("diff d1 d2", "diff d1/f d2/f\n2c2\n< 2\n---\n> 3\nOnly in d1: o1\nOnly in d2: o2\nCommon subdirectories: d1/sub and d2/sub\n", "", 1),
    ("diff -uN nosuch a", "--- nosuch\t1970-01-01 00:00:00.000000000 +0000\n+++ a\t2025-01-01 00:00:00.000000000 +0000\n@@ -0,0 +1,3 @@\n+a\n+b\n+c\n", "", 1),
    ("diff nosuch a", "", "diff: nosuch: No such file or directory\n", 2),
    ("diff a", "", "diff: missing operand after 'a'\ndiff: Try 'diff --help' for more information.\n", 2),
    ("diff", "", "diff: missing operand after 'diff'\ndiff: Try 'diff --help' for more information.\n", 2),
    ("diff a b acopy", "", "diff: extra operand 'acopy'\ndiff: Try 'diff --help' for more information.\n", 2),
    ("diff --foo a b", "", "diff: unrecognized option '--foo'\ndiff: Try 'diff --help' for more information.\n", 2),
    ("diff -k a b", "", "diff: invalid option -- 'k'\ndiff: Try 'diff --help' for more information.\n", 2),
    ("diff -U x a b", "", "diff: invalid context length 'x'\ndiff: Try 'diff --help' for more information.\n", 2),
    ("diff --uni=2 a b", "", "diff: option '--uni=2' is ambiguous; possibilities: '--unidirectional-new-file' '--unified'\ndiff: Try 'diff --help' for more information.\n", 2),
    ("diff -L old -L new -u a b", "--- old\n+++ new\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n", "", 1),
    ("printf 'a\\nb\\n' | diff - a", "2a3\n> c\n", "", 1),
];

/// (command, stdout, stderr, status) as busybox's diff answered.
const BUSYBOX: &[(&str, &str, &str, i32)] = &[
    ("diff a b", "--- a\n+++ b\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n", "", 1),
    ("diff r1 r2", "--- r1\n+++ r2\n@@ -1,6 +1,6 @@\n 1\n-2\n-3\n+x\n+y\n+z\n 4\n-5\n 6\n", "", 1),
    ("diff -U0 long1 long2", "--- long1\n+++ long2\n@@ -2 +2 @@\n-2\n+TWO\n@@ -18 +18 @@\n-18\n+EIGHTEEN\n", "", 1),
    ("diff -U 1 long1 long2", "--- long1\n+++ long2\n@@ -1,3 +1,3 @@\n 1\n-2\n+TWO\n 3\n@@ -17,3 +17,3 @@\n 17\n-18\n+EIGHTEEN\n 19\n", "", 1),
    ("diff nonl1 nonl2", "--- nonl1\n+++ nonl2\n@@ -1 +1 @@\n-n\n\\ No newline at end of file\n+n\n", "", 1),
    ("diff -q a b", "Files a and b differ\n", "", 1),
    ("diff -s a acopy", "Files a and acopy are identical\n", "", 0),
    ("diff -s a a", "", "", 0),
    ("diff -w w1 w2", "--- w1\n+++ w2\n@@ -1,3 +1,2 @@\n-Hello World\n+hello  world \n   x\n-\n", "", 1),
    ("diff -B bl1 bl2", "", "", 0),
    ("diff -r d1 d2", "--- d1/f\n+++ d2/f\n@@ -1,2 +1,2 @@\n 1\n-2\n+3\nOnly in d1: o1\nOnly in d2: o2\n--- d1/sub/s\n+++ d2/sub/s\n@@ -1 +1 @@\n-q\n+r\n", "", 1),
    ("diff -rN d1 d2", "--- d1/f\n+++ d2/f\n@@ -1,2 +1,2 @@\n 1\n-2\n+3\n--- d1/o1\n+++ /dev/null\n@@ -1 +0,0 @@\n-o\n--- /dev/null\n+++ d2/o2\n@@ -0,0 +1 @@\n+o\n--- d1/sub/s\n+++ d2/sub/s\n@@ -1 +1 @@\n-q\n+r\n", "", 1),
    ("diff -q d1 d2", "Files d1/f and d2/f differ\nOnly in d1: o1\nOnly in d2: o2\nCommon subdirectories: d1/sub and d2/sub\n", "", 1),
    ("diff d1 d2", "--- d1/f\n+++ d2/f\n@@ -1,2 +1,2 @@\n 1\n-2\n+3\nOnly in d1: o1\nOnly in d2: o2\nCommon subdirectories: d1/sub and d2/sub\n", "", 1),
    ("diff -N nosuch a", "--- nosuch\n+++ a\n@@ -0,0 +1,3 @@\n+a\n+b\n+c\n", "", 1),
    ("diff nosuch a", "", "diff: can't stat 'nosuch': No such file or directory\n", 2),
    // SIM: busybox lists its options after the usage line; the sandbox stops at it.
    ("diff --foo a b", "", "diff: unrecognized option '--foo'\nBusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: diff [-abBdiNqrTstw] [-L LABEL] [-S FILE] [-U LINES] FILE1 FILE2\n", 1),
    ("diff -U x a b", "", "diff: invalid number 'x'\n", 1),
    ("diff -L old -L new a b", "--- old\n+++ new\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n", "", 1),
    ("printf 'a\\nb\\n' | diff - a", "--- -\n+++ a\n@@ -1,2 +1,3 @@\n a\n b\n+c\n", "", 1),

];

#[test]
fn gnu_diff_in_the_terminal_prints_what_gnu_diff_prints() {
    check(None, GNU);
}

#[test]
fn busybox_diff_in_a_busybox_image_prints_what_busybox_prints() {
    check(Some("busybox:1.36"), BUSYBOX);
}

#[test]
fn the_image_decides_whose_diff_runs() {
    let case = |image: Option<&str>| run(&mut env(image), "diff a b").0;
    let gnu = "2c2\n< b\n---\n> B\n3a4\n> d\n";
    let busybox = "--- a\n+++ b\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n";
    assert_eq!(case(None), gnu);
    assert_eq!(case(Some("nginx:1.27")), gnu);
    assert_eq!(case(Some("ubuntu:24.04")), gnu);
    assert_eq!(case(Some("busybox")), busybox);
    assert_eq!(case(Some("alpine:3.20")), busybox);
    assert_eq!(case(Some("nginx:1.27-alpine")), busybox);
}

#[test]
fn unified_hunks_are_gnu_diff_u_without_its_header() {
    let (a, b) = (FILES[5].1, FILES[6].1);
    let hunks =
        "@@ -1,5 +1,5 @@\n 1\n-2\n+TWO\n 3\n 4\n 5\n@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+EIGHTEEN\n 19\n 20\n";
    assert_eq!(unified_hunks(a, b, 3), hunks);
    assert_eq!(unified_hunks(a, a, 3), "");
}

#[test]
fn a_hostile_pair_gets_a_correct_diff_within_the_step_budget_from_either_program() {
    // Long files of two alternating lines: a great many equally short scripts, and a search
    // GNU diff spends seconds on. Whatever the budget cut, the script must turn `a` into `b`.
    let a: String = (0..60_000).map(|i| if (i * 7 + i / 3) % 5 < 2 { "p\n" } else { "q\n" }).collect();
    let b: String = (0..60_000).map(|i| if (i * 3 + i / 7) % 4 < 2 { "p\n" } else { "q\n" }).collect();
    let (x, y) = (Text::of(&a), Text::of(&b));
    for stone in [false, true] {
        let mut budget = analyze::MAX_WORK;
        let script = if stone {
            stone::edit_script(x.side(), y.side(), &Compare::default(), &mut budget)
        } else {
            analyze::edit_script(x.side(), y.side(), &Compare::default(), &mut budget)
        };
        let mut out: Vec<&str> = Vec::new();
        let mut i = 0;
        for c in &script {
            assert!(c.line0 >= i, "{c:?}");
            out.extend(&x.lines[i..c.line0]);
            assert_eq!(c.line1, out.len(), "{c:?}");
            out.extend(&y.lines[c.line1..c.line1 + c.inserted]);
            i = c.line0 + c.deleted;
        }
        out.extend(&x.lines[i..]);
        assert!(out == y.lines, "stone: {stone}");
    }
}

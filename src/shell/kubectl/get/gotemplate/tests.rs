//! Templates checked against what the real kubectl printed for them (`testdata/regenerate.sh`
//! rewrites `testdata/expected.txt` from the kubectl on the PATH): the same stdout when the
//! template runs; on an error, the same `error: …` line and exit status (kubectl's debugging
//! lines on stdout show the raw JSON in Go's field order, which ours does not keep).

use serde_json::Value;

use super::print;

fn object(name: &str) -> Value {
    let text = match name {
        "deploy" => include_str!("testdata/deploy.json"),
        "secret" => include_str!("testdata/secret.json"),
        other => panic!("no object {other}"),
    };
    serde_json::from_str(text).expect("testdata objects are JSON")
}

#[test]
fn templates_print_what_the_real_kubectl_prints() {
    let expected = include_str!("testdata/expected.txt");
    let mut failures = Vec::new();
    let mut count = 0;
    for case in expected.split("=== ").skip(1) {
        let (line, rest) = case.split_once('\n').unwrap();
        let (stdout, rest) = rest.split_once("\n--- stderr\n").unwrap();
        let (stderr, status) = rest.rsplit_once("--- status ").unwrap();
        let status: i32 = status.trim().parse().unwrap();
        let (obj, template) = line.split_once(' ').unwrap();
        count += 1;
        let (out, err, code) = match print(template, &object(obj)) {
            Ok(text) => (text, String::new(), 0),
            Err((out, err)) => (out, err, 1),
        };
        let same_stdout =
            if status == 0 { out == stdout } else { out.starts_with(stdout.lines().next().unwrap_or("")) };
        if !same_stdout || err != stderr || code != status {
            failures
                .push(format!("{line}\n  kubectl: {stdout:?} {stderr:?} {status}\n  sandbox: {out:?} {err:?} {code}"));
        }
    }
    assert!(count > 80, "cases missing");
    assert!(failures.is_empty(), "{} of {count} templates differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn a_template_that_loops_too_long_or_prints_too_much_is_stopped_with_an_error() {
    let data = serde_json::json!({"items": (0..200).collect::<Vec<_>>()});
    let err = print("{{range .items}}{{range $.items}}{{range $.items}}x{{end}}{{end}}{{end}}", &data).unwrap_err();
    assert!(err.1.contains("stopped"), "{err:?}");
    let big = serde_json::json!({"s": "x".repeat(1 << 16), "items": (0..100).collect::<Vec<_>>()});
    let err = print("{{range .items}}{{$.s}}{{$.s}}{{end}}", &big).unwrap_err();
    assert!(err.1.contains("printed more than 1 MiB"), "{err:?}");
}

#[test]
fn a_template_nested_too_deep_is_refused_instead_of_exhausting_the_stack() {
    let data = serde_json::json!({});
    let parens = format!("{{{{{}1{}}}}}", "(".repeat(100_000), ")".repeat(100_000));
    let err = print(&parens, &data).unwrap_err();
    assert!(err.1.contains("nesting deeper than 200 levels"), "{err:?}");
    let ifs = format!("{}x{}", "{{if 1}}".repeat(100_000), "{{end}}".repeat(100_000));
    let err = print(&ifs, &data).unwrap_err();
    assert!(err.1.contains("nesting deeper than 200 levels"), "{err:?}");
    assert_eq!(print(&format!("{}x{}", "{{if 1}}".repeat(150), "{{end}}".repeat(150)), &data).unwrap(), "x");
}

/// Random pieces of template syntax, glued together: each gets an answer or an error, never a
/// panic (the page aborts on one).
#[test]
fn templates_made_of_random_pieces_never_panic() {
    let pieces = [
        "{{",
        "}}",
        "{{-",
        " -}}",
        "(",
        ")",
        "|",
        "$x",
        ":=",
        "=",
        ",",
        ".a",
        ".",
        "\"s",
        "\"",
        "`",
        "'",
        "'a'",
        "1",
        "-",
        "1e",
        "0x",
        "if",
        "else",
        "end",
        "range",
        "with",
        "break",
        "template",
        "index",
        "len",
        "printf",
        "\"%d %s %5.2f %q %x %!\"",
        "eq",
        "lt",
        "and",
        "not",
        "base64decode",
        "slice",
        " ",
        "\n",
        "/*",
        "*/",
        "é",
        "\\",
        "$",
        "nil",
        "true",
        ".metadata.name",
        ".spec.template.spec.containers",
    ];
    let data = serde_json::from_str::<Value>(include_str!("testdata/deploy.json")).unwrap();
    let mut seed: u64 = 12345;
    for _ in 0..20_000 {
        let mut t = String::new();
        let n = (seed % 12) as usize + 1;
        for _ in 0..n {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            t.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        let _ = print(&t, &data);
    }
}

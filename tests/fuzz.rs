//! Seeded, bounded fuzz runs of every parser a stranger's input reaches: manifest YAML/JSON,
//! the shell line, kubectl JSONPath, the Go template printer, the scenario codec (share
//! links), label and field selectors, and quantities. Each test mixes mutations of valid
//! inputs (byte flips, truncations, duplications, deep nesting, huge numbers, unicode,
//! quotes) with random garbage, runs every case under `catch_unwind`, and reports ALL
//! panicking inputs with the seed and case index that reproduce them, plus any case whose
//! work (bytes printed, simulated time, objects kept) went past its bound. Counted, never
//! timed. `examples/fuzz_shell.rs` (and the nightly targets in `fuzz/`) run longer.

use std::panic::{catch_unwind, AssertUnwindSafe};

use kube_sandbox::manifest;
use kube_sandbox::scenario;
use kube_sandbox::shell::kubectl::budget::DEFAULT_OUTPUT;
use kube_sandbox::shell::kubectl::get::gotemplate;
use kube_sandbox::shell::kubectl::get::jsonpath;
use kube_sandbox::shell::kubectl::get::selector::{FieldSelector, LabelSelector};
use kube_sandbox::shell::terminal::Terminal;
use kube_sandbox::sim::quantity::Quantity;
use kube_sandbox::sim::{Limits, Sim, SimConfig};
use serde_json::{json, Value};

/// splitmix64: tiny, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const HUGE: &[&str] = &[
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "99999999999999999999999999999999999999999",
    "1e308",
    "1e309",
    "-1e-400",
    "0x7fffffffffffffff",
    "NaN",
    ".inf",
    "-0",
    "4294967296",
];
const QUOTES: &[&str] = &["\"", "'", "`", "\\", "\\\"", "''", "\"\"", "\\u0000", "\\x", "\0"];
const ODD_CHARS: &[char] =
    &['\u{feff}', '\u{200b}', '\u{0301}', '한', '🦀', '\u{10ffff}', '\u{7f}', '\r', '\t', 'ß', 'İ', '\u{2028}', 'ǅ'];

/// A random char: mostly printable ASCII, sometimes anything below U+3000, sometimes odd.
fn any_char(rng: &mut Rng) -> char {
    match rng.below(8) {
        0..=4 => char::from(32 + rng.below(95) as u8),
        5 => char::from_u32(rng.below(0x3000) as u32).unwrap_or('?'),
        6 => ODD_CHARS[rng.below(ODD_CHARS.len())],
        _ => char::from(rng.below(32) as u8),
    }
}

fn char_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One mutation of `s`; `words` are tokens of its language, `nest` an opening and closing pair.
fn mutate_once(rng: &mut Rng, s: &str, words: &[&str], nest: (&str, &str), valid: &[String]) -> String {
    let at = char_boundary(s, rng.below(s.len() + 1));
    let (head, tail) = s.split_at(at);
    match rng.below(11) {
        // Byte flip (lossy, as a page would read mangled bytes).
        0 => {
            let mut bytes = s.as_bytes().to_vec();
            if !bytes.is_empty() {
                let i = rng.below(bytes.len());
                bytes[i] ^= 1 << rng.below(8);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        1 => head.to_string(),
        // Duplicate a slice in place, sometimes many times.
        2 => {
            let end = char_boundary(s, at + rng.below(64));
            let times = if rng.below(4) == 0 { 1 + rng.below(200) } else { 1 };
            format!("{head}{}{}", s[at..end].repeat(times + 1), &s[end..])
        }
        3 => {
            let depth = 1 + {
                let deep = rng.below(3) == 0;
                rng.below(if deep { 3000 } else { 40 })
            };
            format!("{head}{}{}{tail}", nest.0.repeat(depth), nest.1.repeat(depth))
        }
        4 => format!("{head}{}{tail}", rng.pick(HUGE)),
        5 => format!(
            "{head}{}{tail}",
            (0..1 + rng.below(8)).map(|_| ODD_CHARS[rng.below(ODD_CHARS.len())]).collect::<String>()
        ),
        6 => format!("{head}{}{tail}", rng.pick(QUOTES)),
        7 => {
            let end = char_boundary(s, at + rng.below(32));
            format!("{head}{}", &s[end..])
        }
        8 => {
            let other = &valid[rng.below(valid.len())];
            let from = char_boundary(other, rng.below(other.len() + 1));
            format!("{head}{}", &other[from..])
        }
        9 => format!("{head}{}{tail}", rng.pick(words)),
        _ => format!("{head}{}{tail}", any_char(rng)),
    }
}

/// A case: mostly mutations of a valid input, sometimes tokens or characters at random.
fn case(rng: &mut Rng, valid: &[String], words: &[&str], nest: (&str, &str)) -> String {
    match rng.below(10) {
        0 => (0..rng.below(300)).map(|_| any_char(rng)).collect(),
        1 => (0..1 + rng.below(20)).map(|_| rng.pick(words)).collect::<Vec<_>>().join(if rng.below(2) == 0 {
            " "
        } else {
            ""
        }),
        _ => {
            let mut s = valid[rng.below(valid.len())].clone();
            for _ in 0..1 + rng.below(4) {
                s = mutate_once(rng, &s, words, nest, valid);
            }
            s
        }
    }
}

/// Runs `cases` inputs made by `gen` through `check` (which says when a work bound was
/// passed); fails listing every panic and every bound passed, with how to reproduce it.
fn fuzz(
    name: &str,
    seed: u64,
    cases: usize,
    mut gen: impl FnMut(&mut Rng) -> String,
    mut check: impl FnMut(usize, &str) -> Result<(), String>,
) {
    let mut rng = Rng(seed);
    let mut failures = Vec::new();
    // Quiet panics (they are reported below); once, as the tests run in parallel.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let trace = std::env::var_os("FUZZ_TRACE").is_some();
    for i in 0..cases {
        let input = gen(&mut rng);
        if trace {
            eprintln!("{name} case {i}: {:?}", input.chars().take(300).collect::<String>());
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| check(i, &input)));
        let shown: String = input.chars().take(400).collect();
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failures.push(format!("{name} seed {seed} case {i}: {e}\n  input: {shown:?}")),
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or(p.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)");
                failures.push(format!("{name} seed {seed} case {i}: PANIC {msg}\n  input: {shown:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {cases} cases failed:\n{}", failures.len(), failures.join("\n"));
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// A small pod list, as `kubectl get pods -o json` gives it, for the template printers.
fn pods() -> Value {
    let pod = |name: &str, app: &str, phase: &str| {
        json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":name,"namespace":"default","labels":{"app":app,"tier":"web"},"annotations":{"a.b/c":"x"}},
            "spec":{"nodeName":"node-1","containers":[{"name":"c","image":"nginx:1.27","ports":[{"containerPort":80}],"resources":{"requests":{"cpu":"100m","memory":"64Mi"}}}]},
            "status":{"phase":phase,"podIP":"10.244.0.5","conditions":[{"type":"Ready","status":"True"}],"containerStatuses":[{"name":"c","ready":true,"restartCount":3}]}})
    };
    json!({"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},
        "items":[pod("web-1","web","Running"),pod("web-2","web","Pending"),pod("db-0","db","Running"),pod("job-x","batch","Succeeded")]})
}

const MANIFESTS: &[&str] = &[
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n        resources:\n          requests:\n            cpu: 100m\n            memory: 64Mi\n",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 8080\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: \"1\"\n  b: |\n    line\n    line\n",
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"labels\":{\"x\":\"y\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"command\":[\"sh\",\"-c\",\"sleep 3600\"]}]}}",
    "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: s}\n  stringData: {k: v}\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: ns1}\n",
    "base: &b\n  apiVersion: v1\n  kind: Pod\napiVersion: v1\nkind: Pod\nmetadata:\n  name: anchored\n  labels: &l {a: b}\n  annotations: *l\nspec:\n  containers: [{name: c, image: 'nginx', args: [\"a\", 'b''c', \"\\t\\u00e9\"]}]\n",
];
const YAML_WORDS: &[&str] = &[
    "---",
    "\n",
    "\n  ",
    ": ",
    "- ",
    "&a ",
    "*a",
    "!!str ",
    "!custom ",
    "<<: *a",
    "{",
    "}",
    "[",
    "]",
    ",",
    "|",
    ">-",
    "#",
    "%YAML 1.2\n",
    "...",
    "? ",
    "\t",
    "kind: ",
    "apiVersion: ",
    "metadata:",
    "name: ",
    "null",
    "~",
    "true",
    "0o17",
    "\"\\'\"",
];

#[test]
fn manifest_decoding_never_panics_and_keeps_objects_bounded() {
    let mut reached = 0;
    let valid = strings(MANIFESTS);
    let mut sim = Sim::new(SimConfig::default());
    let max = Limits::default().max_objects;
    fuzz(
        "manifest",
        0x6d61_6e69,
        10_000,
        |rng| case(rng, &valid, YAML_WORDS, ("[", "]")),
        |i, text| {
            if i % 300 == 0 {
                sim = Sim::new(SimConfig::default());
            }
            let Ok(objects) = manifest::parse(text) else { return Ok(()) };
            reached += 1;
            let bytes: usize = objects.iter().map(|o| o.to_value().to_string().len()).sum();
            if bytes > 8 << 20 {
                return Err(format!("decoded to {bytes} bytes of objects"));
            }
            for o in objects {
                let _ = sim.create(o);
            }
            if sim.store().len() > max {
                return Err(format!("{} objects kept (at most {max})", sim.store().len()));
            }
            Ok(())
        },
    );
    assert!(reached > 0, "no case was decoded: the fuzzer does not reach past the parser");
}

// The shell's tokens, from `examples/fuzz_shell.rs`.
const SHELL_WORDS: &[&str] = &[
    "kubectl",
    "get",
    "pods",
    "po",
    "deploy",
    "svc",
    "-o",
    "yaml",
    "json",
    "wide",
    "jsonpath={.items[*].metadata.name}",
    "-l",
    "app=web",
    "--field-selector",
    "status.phase=Running",
    "-n",
    "kube-system",
    "-A",
    "-w",
    "describe",
    "delete",
    "apply",
    "-f",
    "-",
    "create",
    "deployment",
    "web",
    "--image=nginx",
    "--replicas=3",
    "run",
    "expose",
    "--port=80",
    "scale",
    "--replicas=0",
    "rollout",
    "status",
    "undo",
    "logs",
    "-f",
    "exec",
    "--",
    "sh",
    "-c",
    "set",
    "image",
    "label",
    "x=y",
    "annotate",
    "patch",
    "-p",
    "{\"spec\":{}}",
    "top",
    "explain",
    "pods.spec",
    "wait",
    "--for=condition=Ready",
    "drain",
    "node-1",
    "cordon",
    "taint",
    "nodes",
    "k=v:NoSchedule",
    "sandbox",
    "node",
    "stop",
    "start",
    "kill",
    "oom",
    "time",
    "sleep",
    "1",
    "echo",
    "cat",
    "grep",
    "-E",
    "a|b",
    "head",
    "-n",
    "base64",
    "-d",
    "|",
    "||",
    "&&",
    ";",
    "$(",
    ")",
    "`",
    "'",
    "\"",
    "<<EOF",
    "EOF",
    "\n",
    "${X:-y}",
    "$((1+2))",
    ">",
    "file",
    "for",
    "i",
    "in",
    "do",
    "done",
    "while",
    "true",
    "if",
    "then",
    "fi",
    "case",
    "esac",
    "{",
    "}",
    "(",
    "[",
    "]",
    "*",
    "\\",
    "#",
    "=",
    "cd",
    "..",
    "ls",
    "export",
    "X=1",
    "f()",
    "f",
    "--timeout=",
    "-o=go-template=",
    "{{.metadata.name}}",
    "--sort-by=.metadata.name",
    "-o=custom-columns=N:.metadata.name",
];
const SHELL_LINES: &[&str] = &[
    // Substrings, powers, printf's argument widths and numbers, grep on long lines.
    "x=hello; echo ${x:1:-1} ${x: -2} ${x:(-1)} ${x:0:-99} ${x:1/0}",
    "echo $((2**63)) $((2**-1)) $((7%0)) $((3**2**2))",
    "printf '%*d|%.3s|%d|%x\\n' 12 1 abcdef 12abc 0x1f",
    "printf '%5000sneedle\\n' x > b.txt; grep -cE '( *)*x*needle$' b.txt",
    "kubectl create deployment web --image=nginx --replicas=3",
    "kubectl get pods -o wide -l app=web",
    "kubectl expose deployment web --port=80 && kubectl get svc -o yaml | grep port",
    "for i in 1 2 3; do echo $i; done | wc -l",
    "X=$(kubectl get pods -o jsonpath='{.items[0].metadata.name}'); echo ${X:-none}",
    "kubectl run p --image=busybox -- sh -c 'echo hi; sleep 5' && kubectl logs p",
    "cat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nEOF",
    "kubectl scale deploy web --replicas=5; kubectl rollout status deploy/web --timeout=30s",
];

#[test]
fn shell_lines_never_panic_and_stay_within_their_bounds() {
    let valid = strings(SHELL_LINES);
    let max_objects = Limits::default().max_objects;
    let (mut sim, mut term) = (Sim::new(SimConfig::default()), Terminal::default());
    fuzz(
        "shell",
        0x7368_656c,
        6000,
        |rng| match rng.below(5) {
            0 => "$(".repeat(rng.below(100)) + &")".repeat(rng.below(100)),
            1 | 2 => (0..1 + rng.below(14)).map(|_| rng.pick(SHELL_WORDS)).collect::<Vec<_>>().join(" "),
            _ => case(rng, &valid, SHELL_WORDS, ("$(", ")")),
        },
        |i, line| {
            if i % 50 == 0 {
                (sim, term) = (Sim::new(SimConfig { seed: i as u64, ..SimConfig::default() }), Terminal::default());
            }
            let before = sim.now().as_millis();
            let out = term.run_line(&mut sim, line);
            let printed = out.stdout.len() + out.stderr.len();
            let secs = (sim.now().as_millis() - before) / 1000;
            if printed > 2 * DEFAULT_OUTPUT {
                Err(format!("printed {printed} bytes"))
            } else if secs > 2 * 86_400 {
                Err(format!("{secs} simulated seconds passed"))
            } else if sim.store().len() > max_objects {
                Err(format!("{} objects kept", sim.store().len()))
            } else {
                Ok(())
            }
        },
    );
}

const JSONPATHS: &[&str] = &[
    "{.items[*].metadata.name}",
    "{range .items[*]}{.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}{end}",
    "{.items[?(@.status.phase==\"Running\")].metadata.labels.app}",
    "{.items[0:2].spec.containers[-1].image}",
    "{..restartCount}",
    "{.items[*].metadata.annotations['a\\.b/c']}",
    "name: {.items[1].metadata.name} {.kind} {.items[*].spec.containers[*].resources.requests.cpu}",
    "{.items[?(@.status.containerStatuses[0].restartCount>2)].metadata.name}",
];
const JSONPATH_WORDS: &[&str] = &[
    "{",
    "}",
    ".",
    "..",
    "[*]",
    "[",
    "]",
    "[0]",
    "[-1]",
    "[1:3:2]",
    "[?(@.",
    ")]",
    "==",
    "!=",
    "<",
    "range",
    "end",
    "'",
    "\"",
    "\\",
    "*",
    "@",
    "$",
    ".items",
    ".metadata",
    "{end}",
    "{range .items[*]}",
    "{..}",
];

#[test]
fn jsonpath_templates_never_panic_and_print_within_their_budget() {
    let mut reached = 0;
    let valid = strings(JSONPATHS);
    let data = pods();
    fuzz(
        "jsonpath",
        0x6a73_6f6e,
        20_000,
        |rng| case(rng, &valid, JSONPATH_WORDS, ("{range .items[*]}", "{end}")),
        |_, text| {
            let Ok(t) = jsonpath::Template::parse(text) else { return Ok(()) };
            reached += 1;
            let out = t.execute(&data);
            let _ = t.values(&data);
            let _ = t.first_value(&data);
            if out.len() > DEFAULT_OUTPUT + 4096 {
                return Err(format!("printed {} bytes", out.len()));
            }
            Ok(())
        },
    );
    assert!(reached > 0, "no case was parsed: the fuzzer does not reach past the parser");
}

const GO_TEMPLATES: &[&str] = &[
    "{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}",
    "{{- range $i, $p := .items -}}{{if eq $p.status.phase \"Running\"}}{{$i}}:{{$p.metadata.name}} {{else}}-{{end}}{{- end}}",
    "{{with index .items 0}}{{.metadata.labels.app | printf \"%q\"}}{{end}}",
    "{{len .items}} {{printf \"%5.2f|%-8s|%x\" 3.14159 \"a\" 255}} {{/* note */}}",
    "{{range .items}}{{range .spec.containers}}{{.image}} {{index .resources.requests \"cpu\"}}{{end}}{{end}}",
    "{{$n := 0}}{{range .items}}{{if and .status (not .spec.hostNetwork)}}{{.status.podIP}}{{end}}{{end}}",
    "{{define \"x\"}}[{{.}}]{{end}}{{template \"x\" .kind}}{{or .missing \"none\"}}",
];
const GO_WORDS: &[&str] = &[
    "{{",
    "}}",
    "{{-",
    "-}}",
    "range",
    "end",
    "if",
    "else",
    "with",
    "define",
    "template",
    "block",
    "index",
    "len",
    "printf",
    "print",
    "println",
    "and",
    "or",
    "not",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "html",
    "js",
    "urlquery",
    "call",
    "slice",
    "$",
    "$x :=",
    "$x =",
    "|",
    ".",
    ".items",
    "\"s\"",
    "`raw`",
    "'c'",
    "1e100",
    "-0x1p-2",
    "(",
    ")",
    "/*",
    "*/",
    "nil",
    "true",
    "break",
    "continue",
    "%",
    "%-99999999d",
    "%.*f",
];

#[test]
fn go_templates_never_panic_and_print_within_their_bound() {
    let mut reached = 0;
    let valid = strings(GO_TEMPLATES);
    let data = pods();
    fuzz(
        "go-template",
        0x676f_746d,
        20_000,
        |rng| case(rng, &valid, GO_WORDS, ("{{range .items}}", "{{end}}")),
        |_, text| {
            let printed = match gotemplate::print(text, &data) {
                Ok(out) => {
                    reached += 1;
                    out.len()
                }
                Err((out, err)) => out.len() + err.len(),
            };
            if printed > DEFAULT_OUTPUT + 64 * 1024 + 4 * text.len() {
                return Err(format!("printed {printed} bytes"));
            }
            Ok(())
        },
    );
    assert!(reached > 0, "no case was printed: the fuzzer does not reach past the parser");
}

/// Valid scenarios' JSON; `SHAPE` stands for the default cluster's shape.
const SCENARIOS: &[&str] = &[
    r#"{"version":2,"seed":1,"shape":SHAPE,"files":{"a.yaml":"kind: Pod"},"open_file":"a.yaml"}"#,
    r#"{"version":2,"seed":7,"shape":SHAPE,"steps":[{"line":"kubectl create deploy w --image=nginx"},"settle",{"advance":{"ms":5000}}]}"#,
    r#"{"version":2,"seed":3,"shape":SHAPE,"limits":{"max_objects":1000,"max_pods":10,"max_nodes":1,"max_containers_per_pod":1,"max_log_bytes":1024},"steps":["reset",{"apply":"kind: ConfigMap\napiVersion: v1\nmetadata: {name: c}"}]}"#,
];
const SCENARIO_WORDS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"version\"",
    "\"seed\"",
    "\"steps\"",
    "\"shape\"",
    "\"limits\"",
    "\"line\"",
    "\"advance\"",
    "\"lesson\"",
    "\"settle\"",
    "null",
    "true",
    "-1",
    "0",
    "#",
    "v2.",
    "https://x/#",
    "%",
    "=",
    "-",
    "_",
];

/// A scenario's JSON as a link (deflate + base64url, as the page writes them), so the
/// mutated JSON is read through the link path too.
fn as_link(json: &str) -> String {
    use base64::Engine;
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
    format!("v{}.{}", scenario::VERSION, base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed))
}

#[test]
fn scenario_links_never_panic_on_decoding_or_replay() {
    let mut reached = 0;
    let shape = serde_json::to_string(&kube_sandbox::sim::cluster::ClusterShape::default()).expect("a shape is JSON");
    let mut valid: Vec<String> = SCENARIOS.iter().map(|j| j.replace("SHAPE", &shape)).collect();
    for j in valid.clone() {
        assert!(scenario::decode(&j).is_ok(), "a sample scenario decodes: {j}");
        valid.push(as_link(&j));
    }
    fuzz(
        "scenario",
        0x7363_656e,
        5000,
        |rng| {
            let text = case(rng, &valid, SCENARIO_WORDS, ("[", "]"));
            if rng.below(3) == 0 && text.starts_with('{') {
                as_link(&text)
            } else {
                text
            }
        },
        |_, text| {
            let Ok(s) = scenario::decode(text) else { return Ok(()) };
            let Ok(r) = scenario::replay(&s) else { return Ok(()) };
            reached += 1;
            let printed: usize = r.outputs.iter().map(|(_, o)| o.stdout.len() + o.stderr.len()).sum();
            if printed > 16 << 20 {
                return Err(format!("replay printed {printed} bytes"));
            }
            if r.sim.store().len() > s.config().limits.max_objects {
                return Err(format!("replay kept {} objects", r.sim.store().len()));
            }
            Ok(())
        },
    );
    assert!(reached > 0, "no case was replayed: the fuzzer does not reach past the parser");
}

const SELECTORS: &[&str] = &[
    "app=web",
    "app==web,tier!=db",
    "env in (prod, staging),!canary",
    "tier notin (a,b),app",
    "example.com/role=x,a.b-c_d=E.f",
    "metadata.name=web-1,status.phase!=Pending",
];
const SELECTOR_WORDS: &[&str] = &[
    "=",
    "==",
    "!=",
    "!",
    ",",
    "in",
    "notin",
    "(",
    ")",
    " ",
    "/",
    ".",
    "-",
    "_",
    "a",
    "metadata.name",
    "spec.nodeName",
    "exists",
    ">",
    "<",
];

#[test]
fn label_and_field_selectors_never_panic() {
    let valid = strings(SELECTORS);
    let labels =
        [("app", "web"), ("tier", "db"), ("env", "prod")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let pod =
        kube_sandbox::sim::api::Object::from_value(pods()["items"][0].clone()).expect("the sample pod is an object");
    fuzz(
        "selector",
        0x7365_6c65,
        30_000,
        |rng| case(rng, &valid, SELECTOR_WORDS, ("(", ")")),
        |_, text| {
            if let Ok(s) = LabelSelector::parse(text) {
                if s.0.len() > text.len() + 1 {
                    return Err(format!("{} requirements from {} bytes", s.0.len(), text.len()));
                }
                let _ = s.matches(Some(&labels));
                let _ = s.matches(None);
            }
            if let Ok(f) = FieldSelector::parse(text) {
                let _ = f.check("Pod");
                let _ = f.matches(&pod);
            }
            Ok(())
        },
    );
}

const QUANTITIES: &[&str] =
    &["500m", "2", "128Mi", "1.5Gi", "1e3", "+0.5", "-1k", "100n", "7Ei", "9223372036854775807", "0.001m", "1E-3"];
const QUANTITY_WORDS: &[&str] = &[
    "m", "k", "K", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "e", "E", "+", "-", ".", "0",
    "9", " ",
];

#[test]
fn quantities_never_panic_and_print_short() {
    let valid = strings(QUANTITIES);
    fuzz(
        "quantity",
        0x7175_616e,
        50_000,
        |rng| case(rng, &valid, QUANTITY_WORDS, ("", "")),
        |_, text| {
            let _ = Quantity::from_value(&Value::String(text.to_string()));
            let Ok(q) = Quantity::parse(text) else { return Ok(()) };
            let shown = q.to_string();
            let _ = q.units_ceil();
            if shown.len() > 64 {
                return Err(format!("printed as {} bytes", shown.len()));
            }
            Ok(())
        },
    );
}

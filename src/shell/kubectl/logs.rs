//! `kubectl logs POD|TYPE/NAME|-l SELECTOR [-c CONTAINER|--all-containers] [--previous]
//! [--tail N] [--since D|--since-time T] [--limit-bytes N] [--timestamps] [--prefix] [-f]`.

use std::time::Duration;

use serde_json::Value;

use crate::shell::Output;
use crate::sim::kubelet;
use crate::sim::store::ObjectKey;
use crate::sim::time::SimTime;
use crate::sim::Sim;

/// With `-l`, kubectl shows the last 10 lines of each pod unless told otherwise.
const SELECTOR_TAIL: usize = 10;
/// How long `-f` follows at most, and the quiet spell that ends it.
// SIM: kubectl follows until the container ends or Ctrl-C; a terminal line must end, so ours
// stops when the containers have ended, after 30 s without a new line, or after 5 minutes.
const FOLLOW_MAX: Duration = Duration::from_secs(300);
const FOLLOW_QUIET: Duration = Duration::from_secs(30);

#[derive(Default)]
struct Options {
    target: Option<String>,
    selector: Option<String>,
    container: Option<String>,
    all_containers: bool,
    previous: bool,
    tail: Option<usize>,
    prefix: bool,
    follow: bool,
    timestamps: bool,
    /// `--since` / `--since-time`: lines written before are left out.
    since: Option<Since>,
    limit_bytes: Option<usize>,
}

enum Since {
    Ago(Duration),
    At(SimTime),
}

fn parse(args: &[String]) -> Result<Options, Output> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-c" | "--container" => o.container = it.next().cloned(),
            t if t.starts_with("--container=") => o.container = Some(t["--container=".len()..].to_string()),
            "-l" | "--selector" => o.selector = it.next().cloned(),
            t if t.starts_with("--selector=") => o.selector = Some(t["--selector=".len()..].to_string()),
            t if t.starts_with("-l") && t.len() > 2 => o.selector = Some(t[2..].trim_start_matches('=').to_string()),
            "-p" | "--previous" => o.previous = true,
            "--all-containers" | "--all-containers=true" => o.all_containers = true,
            "--prefix" | "--prefix=true" => o.prefix = true,
            "-f" | "--follow" | "--follow=true" => o.follow = true,
            "--timestamps" | "--timestamps=true" => o.timestamps = true,
            "--timestamps=false" => o.timestamps = false,
            "--since" | "--since-time" | "--limit-bytes" | "--tail" => {
                let v = it.next().cloned().ok_or_else(|| {
                    Output::err(
                        format!("Error: flag needs an argument: {a}\nSee 'kubectl logs --help' for usage.\n"),
                        1,
                    )
                })?;
                value_flag(&mut o, &a[2..], &v)?;
            }
            t if t.starts_with("--since=")
                || t.starts_with("--since-time=")
                || t.starts_with("--limit-bytes=")
                || t.starts_with("--tail=") =>
            {
                let (name, v) = t[2..].split_once('=').unwrap_or_default();
                value_flag(&mut o, name, v)?;
            }
            t if !t.starts_with('-') && o.target.is_none() => o.target = Some(t.to_string()),
            other => {
                return Err(Output::err(
                    format!("error: unknown flag: {other}\nSee 'kubectl logs --help' for usage.\n"),
                    1,
                ))
            }
        }
    }
    Ok(o)
}

/// A flag's integer as Go's `strconv.ParseInt` reads it, with its error words.
fn parse_int(v: &str) -> Result<i64, String> {
    v.parse::<i64>().map_err(|_| super::flags::go_int_error("strconv.ParseInt", v))
}

/// `--since`, `--since-time`, `--limit-bytes`, `--tail`, refused with pflag's and kubectl's errors.
fn value_flag(o: &mut Options, name: &str, v: &str) -> Result<(), Output> {
    let bad = |why: String| {
        Output::err(
            format!(
                "Error: invalid argument \"{v}\" for \"--{name}\" flag: {why}\nSee 'kubectl logs --help' for usage.\n"
            ),
            1,
        )
    };
    if o.since.is_some() && matches!(name, "since" | "since-time") {
        return Err(Output::err("error: at most one of `sinceTime` or `sinceSeconds` may be specified\n", 1));
    }
    match name {
        "since" => {
            let d = super::duration::parse(v).map_err(bad)?;
            o.since = Some(Since::Ago(d.to_std()));
        }
        "since-time" => {
            let t = crate::sim::node_lifecycle::parse_time(v).ok_or_else(|| {
                Output::err(format!("error: parsing time \"{v}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{v}\" as \"2006\"\n"), 1)
            })?;
            o.since = Some(Since::At(t));
        }
        "tail" => {
            // A negative count (kubectl's default is -1) means the whole log.
            o.tail = usize::try_from(parse_int(v).map_err(bad)?).ok();
        }
        _ => {
            let n = parse_int(v).map_err(bad)?;
            if n < 1 {
                return Err(Output::err("error: --limit-bytes must be greater than 0\n", 1));
            }
            o.limit_bytes = usize::try_from(n).ok();
        }
    }
    Ok(())
}

/// A time as the container runtime stamps a log line: RFC 3339 with nanoseconds, trailing
/// zeros dropped as Go's `RFC3339Nano` does.
fn stamp(t: SimTime) -> String {
    let base = t.to_rfc3339();
    let ms = t.as_millis() % 1000;
    if ms == 0 {
        return base;
    }
    let frac = format!("{ms:03}");
    format!("{}.{}Z", base.trim_end_matches('Z'), frac.trim_end_matches('0'))
}

/// The pods a `logs` command reads: the named one, or those the selector matches.
fn pods(sim: &Sim, o: &Options, namespace: &str) -> Result<Vec<String>, Output> {
    match (&o.target, &o.selector) {
        (Some(_), Some(_)) => Err(Output::err("error: only one of a selector or a pod name may be given\n", 1)),
        (Some(t), None) => super::pod_for_target(sim, t, namespace).map(|p| vec![p]),
        (None, Some(sel)) => {
            let selector = super::get::selector::LabelSelector::parse(sel).map_err(|e| Output::err(format!("error: {e}\n"), 1))?;
            let pods: Vec<String> = sim
                .store()
                .list("Pod", Some(namespace))
                .filter(|p| selector.matches(p.metadata.labels.as_ref()))
                .map(|p| p.name().to_string())
                .collect();
            if pods.is_empty() {
                return Err(Output::err(format!("No resources found in {namespace} namespace.\n"), 0));
            }
            Ok(pods)
        }
        (None, None) => Err(Output::err("error: expected POD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n", 1)),
    }
}

/// kubectl's note when a workload has more than one pod and it reads one of them.
fn found_note(sim: &Sim, target: &str, namespace: &str, pod: &str) -> String {
    let Some((ty, name)) = target.split_once('/') else { return String::new() };
    if matches!(ty, "pod" | "pods" | "po") {
        return String::new();
    }
    let Some(info) = crate::sim::api::discovery::lookup_name(ty) else { return String::new() };
    let Some(owner) = sim.store().get(info.kind, Some(namespace), name) else { return String::new() };
    let selector = crate::sim::controllers::replicaset::selector_of(owner);
    let n = sim
        .store()
        .list("Pod", Some(namespace))
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter(|p| {
            crate::sim::selector::matches_label_selector(&selector, &p.metadata.labels.clone().unwrap_or_default())
        })
        .count();
    if n > 1 {
        format!("Found {n} pods, using pod/{pod}\n")
    } else {
        String::new()
    }
}

/// The containers of `pod` to read, and kubectl's note when it picked one for the user.
fn containers(sim: &Sim, key: &ObjectKey, o: &Options) -> (Vec<Option<String>>, String) {
    let Some(pod) = sim.store().get_key(key) else { return (vec![o.container.clone()], String::new()) };
    let names = |field: &str| -> Vec<String> {
        pod.field(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c["name"].as_str().map(str::to_string))
            .collect()
    };
    let (regular, init) = (names("spec.containers"), names("spec.initContainers"));
    if o.all_containers {
        return (init.into_iter().chain(regular).map(Some).collect(), String::new());
    }
    if o.container.is_some() || regular.len() + init.len() <= 1 {
        return (vec![o.container.clone()], String::new());
    }
    let default = pod
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("kubectl.kubernetes.io/default-container"))
        .cloned()
        .unwrap_or_else(|| regular.first().cloned().unwrap_or_default());
    let all: Vec<String> = regular.iter().cloned().chain(init.iter().map(|i| format!("{i} (init)"))).collect();
    (vec![Some(default.clone())], format!("Defaulted container \"{default}\" out of: {}\n", all.join(", ")))
}

/// Runs `kubectl logs …`.
pub fn run(sim: &mut Sim, args: &[String], namespace: &str) -> Output {
    run_streaming(sim, args, namespace, false)
}

/// `kubectl logs …`; with `stream`, `-f` returns at once and the terminal polls the returned
/// [`Follower`] as the page's clock runs, until Ctrl+C.
pub fn run_streaming(sim: &mut Sim, args: &[String], namespace: &str, stream: bool) -> Output {
    let o = match parse(args) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let pods = match pods(sim, &o, namespace) {
        Ok(p) => p,
        Err(out) => return out,
    };
    let tail = o.tail.or(o.selector.as_ref().map(|_| SELECTOR_TAIL));
    let mut out = Output::default();
    if let (Some(t), [pod]) = (&o.target, pods.as_slice()) {
        out.eprint(&found_note(sim, t, namespace, pod));
    }
    // (pod, container, lines already shown)
    let mut streams: Vec<(ObjectKey, Option<String>, usize)> = Vec::new();
    for pod in pods {
        let key = ObjectKey { kind: "Pod".into(), namespace: namespace.into(), name: pod };
        let (cs, note) = containers(sim, &key, &o);
        out.eprint(&note);
        for c in cs {
            match kubelet::logs_timed(sim, &key, c.as_deref(), o.previous) {
                Ok(timed) => {
                    let total = timed.len();
                    let from = match &o.since {
                        Some(Since::Ago(d)) => {
                            Some(SimTime::from_millis(sim.now().as_millis().saturating_sub(d.as_millis() as u64)))
                        }
                        Some(Since::At(t)) => Some(*t),
                        None => None,
                    };
                    let lines: Vec<String> = timed
                        .into_iter()
                        .filter(|(t, _)| from.is_none_or(|f| *t >= f))
                        .map(|(t, l)| if o.timestamps { format!("{} {l}", stamp(t)) } else { l })
                        .collect();
                    let skip = tail.map_or(0, |t| lines.len().saturating_sub(t));
                    let mut text = render(&key, c.as_deref(), &lines[skip..], o.prefix);
                    if let Some(n) = o.limit_bytes.filter(|n| *n < text.len()) {
                        // The kubelet cuts at a byte count, even inside a character.
                        text = String::from_utf8_lossy(&text.as_bytes()[..n]).into_owned();
                    }
                    out.print(&text);
                    streams.push((key.clone(), c, total));
                }
                Err(e) if e.ends_with("not found") && e.starts_with("pods") => {
                    return Output::err(format!("Error from server (NotFound): {e}\n"), 1);
                }
                Err(e) => {
                    out.eprint(&format!("Error from server (BadRequest): {e}\n"));
                    out.status = 1;
                }
            }
        }
    }
    if o.follow && !o.previous {
        if stream {
            let f = Follower { streams, prefix: o.prefix };
            out.stream = Some(Box::new(crate::shell::Stream::Follow(f)));
            return out;
        }
        follow(sim, &mut streams, o.prefix, &mut out.stdout);
    }
    out
}

/// A `logs -f` following containers: each (pod, container, lines already printed).
#[derive(Debug, Clone)]
pub struct Follower {
    streams: Vec<(ObjectKey, Option<String>, usize)>,
    prefix: bool,
}

impl Follower {
    /// The lines written since the last poll.
    pub fn poll(&mut self, sim: &Sim) -> String {
        let mut out = String::new();
        new_lines(sim, &mut self.streams, self.prefix, &mut out);
        out
    }
}

/// Appends to `out` the lines each stream has written since it was last read.
fn new_lines(sim: &Sim, streams: &mut [(ObjectKey, Option<String>, usize)], prefix: bool, out: &mut String) -> bool {
    let mut any = false;
    for (key, c, seen) in streams.iter_mut() {
        let Ok(lines) = kubelet::logs(sim, key, c.as_deref(), false) else { continue };
        // A restart starts a new log: follow it from its start.
        let from = if lines.len() < *seen { 0 } else { *seen };
        if lines.len() > from {
            out.push_str(&render(key, c.as_deref(), &lines[from..], prefix));
            any = true;
        }
        *seen = lines.len();
    }
    any
}

fn render(key: &ObjectKey, container: Option<&str>, lines: &[String], prefix: bool) -> String {
    let tag = if prefix { format!("[pod/{}/{}] ", key.name, container.unwrap_or("")) } else { String::new() };
    lines.iter().map(|l| format!("{tag}{l}\n")).collect()
}

/// `-f`: lets the cluster run and prints new lines as they come.
fn follow(sim: &mut Sim, streams: &mut [(ObjectKey, Option<String>, usize)], prefix: bool, out: &mut String) {
    let (start, mut last) = (sim.now(), sim.now());
    while sim.now().since(start) < FOLLOW_MAX && sim.now().since(last) < FOLLOW_QUIET {
        if streams.iter().all(|(k, c, _)| !kubelet::is_running(sim, k, c.as_deref())) {
            break;
        }
        sim.advance(Duration::from_millis(500));
        if new_lines(sim, streams, prefix, out) {
            last = sim.now();
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn logs_show_what_the_process_wrote_and_the_previous_instance() {
        let mut sim = Sim::new(SimConfig::default());
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, 'for i in 1 2 3; do echo line $i; done; sleep 3600']\n";
        sim.create(crate::manifest::parse(pod).unwrap().remove(0)).unwrap();
        Shell.run_line(&mut sim, "sleep 5");
        assert_eq!(Shell.run_line(&mut sim, "kubectl logs p").stdout, "line 1\nline 2\nline 3\n");
        assert_eq!(Shell.run_line(&mut sim, "kubectl logs p --tail 1").stdout, "line 3\n");
        let out = Shell.run_line(&mut sim, "kubectl logs p --previous");
        assert_eq!(
            out.stderr,
            "Error from server (BadRequest): previous terminated container \"c\" in pod \"p\" not found\n"
        );
        Shell.run_line(&mut sim, "sandbox kill p");
        Shell.run_line(&mut sim, "sleep 1");
        assert_eq!(Shell.run_line(&mut sim, "kubectl logs p -p").stdout, "line 1\nline 2\nline 3\n");
        let out = Shell.run_line(&mut sim, "kubectl logs -l app=none");
        assert_eq!(out.stderr, "No resources found in default namespace.\n");
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl logs nope").stderr,
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
    }

    #[test]
    fn logs_of_a_deployment_with_several_pods_says_which_it_read() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(
            &mut sim,
            "kubectl create deployment web --image=busybox:1.36 --replicas=2 -- sh -c 'echo up; sleep 3600'",
        );
        Shell.run_line(&mut sim, "sleep 20");
        let out = Shell.run_line(&mut sim, "kubectl logs deploy/web");
        assert!(out.stderr.starts_with("Found 2 pods, using pod/web-"), "{}", out.stderr);
        assert_eq!(out.stdout, "up\n");
        Shell.run_line(&mut sim, "kubectl scale deploy/web --replicas=1");
        Shell.run_line(&mut sim, "sleep 40");
        let out = Shell.run_line(&mut sim, "kubectl logs deploy/web");
        assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("up\n", ""));
    }

    #[test]
    fn logs_follow_select_by_label_and_name_the_defaulted_container() {
        let mut sim = Sim::new(SimConfig::default());
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {app: ticker}\nspec:\n  containers:\n  - name: tick\n    image: busybox:1.36\n    command: [sh, -c, 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo tick $i; sleep 2; done']\n  - name: side\n    image: busybox:1.36\n    command: [sh, -c, 'echo side up; sleep 3600']\n";
        sim.create(crate::manifest::parse(pod).unwrap().remove(0)).unwrap();
        Shell.run_line(&mut sim, "sleep 4");
        let out = Shell.run_line(&mut sim, "kubectl logs p -f");
        assert_eq!(out.stderr, "Defaulted container \"tick\" out of: tick, side\n");
        let ticks: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(ticks.first(), Some(&"tick 1"));
        assert_eq!(ticks.last(), Some(&"tick 12"), "followed until the container ended");
        let out = Shell.run_line(&mut sim, "kubectl logs -l app=ticker --all-containers --prefix");
        assert!(out.stdout.starts_with("[pod/p/tick] tick 3\n"), "the last 10 lines with -l: {}", out.stdout);
        assert!(out.stdout.ends_with("[pod/p/side] side up\n"), "{}", out.stdout);
    }

    #[test]
    fn logs_since_timestamps_and_limit_bytes_cut_what_is_shown() {
        let mut sim = Sim::new(crate::sim::SimConfig::default());
        let run = |sim: &mut Sim, l: &str| crate::shell::Shell.run_line(sim, l);
        run(&mut sim, "kubectl run tick --image=busybox:1.36 -- sh -c 'while true; do echo tick; sleep 10; done'");
        run(&mut sim, "sleep 65");
        let all = run(&mut sim, "kubectl logs tick --timestamps");
        let lines: Vec<&str> = all.stdout.lines().collect();
        assert!(lines.len() >= 6, "{}{}", all.stdout, all.stderr);
        assert!(lines[0].starts_with("2025-01-01T00:00:") && lines[0].ends_with("Z tick"), "{}", lines[0]);
        let recent = run(&mut sim, "kubectl logs tick --since=25s");
        assert!((2..=3).contains(&recent.stdout.lines().count()), "{}", recent.stdout);
        let since = lines[2].split(' ').next().unwrap().to_string();
        let out = run(&mut sim, &format!("kubectl logs tick --since-time={since}"));
        assert_eq!(out.stdout.lines().count(), lines.len() - 2, "{}", out.stdout);
        assert_eq!(run(&mut sim, "kubectl logs tick --limit-bytes=7").stdout, "tick\nti");
        let out = run(&mut sim, "kubectl logs tick --since=abc");
        assert_eq!(
            out.stderr,
            "Error: invalid argument \"abc\" for \"--since\" flag: time: invalid duration \"abc\"\nSee 'kubectl logs --help' for usage.\n"
        );
        let out = run(&mut sim, "kubectl logs tick --since=1h --since-time=2025-01-01T00:00:00Z");
        assert_eq!(out.stderr, "error: at most one of `sinceTime` or `sinceSeconds` may be specified\n");
    }
}

//! `kubectl logs POD|TYPE/NAME [-c CONTAINER] [--previous] [--tail N]`.

use crate::shell::Output;
use crate::sim::kubelet;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// Runs `kubectl logs …`.
pub fn run(sim: &Sim, args: &[String], namespace: &str) -> Output {
    let (mut target, mut container, mut previous, mut tail) = (None, None, false, None::<usize>);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-c" | "--container" => container = it.next().cloned(),
            "-p" | "--previous" => previous = true,
            "--tail" => tail = it.next().and_then(|n| n.parse::<i64>().ok()).and_then(|n| usize::try_from(n).ok()),
            t if t.starts_with("--tail=") => tail = t[7..].parse::<i64>().ok().and_then(|n| usize::try_from(n).ok()),
            "-f" | "--follow" | "--timestamps" => {}
            t if !t.starts_with('-') && target.is_none() => target = Some(t.to_string()),
            other => {
                return Output::err(format!("error: unknown flag: {other}\nSee 'kubectl logs --help' for usage.\n"), 1)
            }
        }
    }
    let Some(target) = target else {
        return Output::err("error: expected POD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n", 1);
    };
    let pod = match super::pod_for_target(sim, &target, namespace) {
        Ok(p) => p,
        Err(out) => return out,
    };
    let key = ObjectKey { kind: "Pod".into(), namespace: namespace.into(), name: pod };
    match kubelet::logs(sim, &key, container.as_deref(), previous) {
        Ok(lines) => {
            let skip = tail.map_or(0, |t| lines.len().saturating_sub(t));
            Output::ok(lines[skip..].iter().map(|l| format!("{l}\n")).collect::<String>())
        }
        Err(e) if e.ends_with("not found") && e.starts_with("pods") => {
            Output::err(format!("Error from server (NotFound): {e}\n"), 1)
        }
        Err(e) => Output::err(format!("Error from server (BadRequest): {e}\n"), 1),
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
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl logs nope").stderr,
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
    }
}

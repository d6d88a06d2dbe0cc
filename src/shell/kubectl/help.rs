//! `kubectl --help`, `kubectl help VERB` and `kubectl VERB --help`: what each verb does in the
//! sandbox and the flags it takes.
//!
//! SIM: kubectl's own help pages are long; these are the sandbox's short summaries, in its
//! own words, listing the flags it implements.

/// (verb, what it does, usage, flags)
const VERBS: &[(&str, &str, &str, &str)] = &[
    ("get", "List objects, or show some of them.", "kubectl get TYPE[,TYPE…] [NAME…|-l SELECTOR] [flags]", "-o wide|yaml|json|name|jsonpath=…|go-template=…|go-template-file=…|custom-columns=…, --template, -l, --field-selector, -n, -A, -w, --watch-only, --show-labels, -L, --sort-by, --no-headers, --show-kind, --ignore-not-found"),
    ("describe", "Show an object in detail, with its events.", "kubectl describe TYPE [NAME|-l SELECTOR] [flags]", "-n, -l"),
    ("apply", "Create or update objects from manifests.", "kubectl apply -f FILE|DIR|- [flags]", "-f, -R, -n"),
    ("create", "Create objects from manifests, or from a generator.", "kubectl create -f FILE | kubectl create deployment|service|configmap|secret|namespace|serviceaccount|job|cronjob|role|clusterrole|rolebinding|clusterrolebinding|quota|priorityclass|poddisruptionbudget|ingress NAME [flags]", "-f, --dry-run=client|server, -o yaml|json|name, --save-config"),
    ("run", "Start a pod running one image.", "kubectl run NAME --image=IMAGE [--port=P] [--env=K=V] [--labels=…] [--restart=…] [--command] [-- ARGS…]", "--image, --port, --env, --labels, --restart, --command, --dry-run, -o"),
    ("expose", "Make a Service for a Deployment, ReplicaSet, pod or Service.", "kubectl expose TYPE NAME --port=P [--target-port=T] [--type=…] [--name=…]", "--port, --target-port, --type, --name, --protocol, --selector, --dry-run, -o"),
    ("delete", "Delete objects (the garbage collector removes what they own).", "kubectl delete TYPE NAME… | TYPE/NAME… | -f FILE | TYPE -l SELECTOR | TYPE --all", "-f, -l, --all, --grace-period, --now, --force, --cascade, --dry-run=client|server, -n"),
    ("edit", "Edit an object in the editor.", "kubectl edit TYPE NAME", "(the page's editor; not in the headless runner)"),
    ("scale", "Change the number of replicas.", "kubectl scale TYPE NAME --replicas=N", "--replicas, --current-replicas"),
    ("autoscale", "Make a HorizontalPodAutoscaler for a workload.", "kubectl autoscale TYPE NAME --min=N --max=M --cpu-percent=P", "--min, --max, --cpu-percent, --name"),
    ("rollout", "Watch, pause, resume, restart or undo a Deployment's rollout.", "kubectl rollout status|history|undo|restart|pause|resume deployment/NAME", "--to-revision, --revision"),
    ("set", "Change an image, environment, resources, selector or service account.", "kubectl set image|env|resources|selector|serviceaccount TYPE/NAME …", "per subcommand"),
    ("label", "Add, change or remove labels.", "kubectl label TYPE NAME KEY=VAL… KEY-…", "--overwrite, -l, --all"),
    ("annotate", "Add, change or remove annotations.", "kubectl annotate TYPE NAME KEY=VAL… KEY-…", "--overwrite, -l, --all"),
    ("patch", "Change fields of an object with a patch.", "kubectl patch TYPE NAME -p PATCH [--type=strategic|merge|json]", "-p, --type"),
    ("logs", "Print a container's log.", "kubectl logs POD|TYPE/NAME|-l SELECTOR [-c CONTAINER]", "-c, -l, -f, -p, --tail, --all-containers, --prefix"),
    ("exec", "Run a command in a container (the simulated shell).", "kubectl exec [-it] POD|TYPE/NAME [-c CONTAINER] -- COMMAND [ARGS…]", "-c, -i, -t"),
    ("port-forward", "Make localhost:LOCAL reach a pod's port, for curl in this terminal.", "kubectl port-forward POD|TYPE/NAME [LOCAL:]REMOTE…", ""),
    ("proxy", "Serve the API on localhost:8001, for curl in this terminal (and the pod and service proxy paths).", "kubectl proxy [--port=8001]", "-p, --port"),
    ("cordon", "Mark a node unschedulable.", "kubectl cordon NODE", ""),
    ("uncordon", "Mark a node schedulable again.", "kubectl uncordon NODE", ""),
    ("drain", "Cordon a node and evict its pods (PodDisruptionBudgets apply).", "kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force]", "--ignore-daemonsets, --delete-emptydir-data, --force, --grace-period"),
    ("taint", "Add or remove node taints.", "kubectl taint nodes NODE KEY=VAL:EFFECT… KEY:EFFECT-…", "--overwrite"),
    ("top", "Show CPU and memory use of pods or nodes.", "kubectl top pod|node [NAME]", "-A, --containers, -n"),
    ("wait", "Wait (letting simulated time pass) for a condition.", "kubectl wait TYPE/NAME|TYPE -l SELECTOR --for=condition=C|delete|jsonpath=… [--timeout=D]", "--for, --timeout, -l, --all"),
    ("explain", "List the fields of a kind and their types.", "kubectl explain TYPE[.FIELD…] [--recursive]", "--recursive, --api-version"),
    ("api-resources", "List the kinds the cluster serves.", "kubectl api-resources", ""),
    ("config", "Show or change the sandbox's one context.", "kubectl config view|current-context|get-contexts|use-context|set-context", "--current, --namespace"),
    ("cluster-info", "Show where the control plane answers.", "kubectl cluster-info", ""),
    ("version", "Print the client and server versions.", "kubectl version", ""),
];

/// The verbs kubectl knows here.
pub fn verbs() -> Vec<&'static str> {
    VERBS.iter().map(|v| v.0).collect()
}

/// Help for `verb`, or the list of verbs.
pub fn help(verb: Option<&str>) -> Option<String> {
    match verb {
        None => {
            let mut out = String::from("kubectl controls the sandbox's cluster.\n\nCommands:\n");
            let width = VERBS.iter().map(|v| v.0.len()).max().unwrap_or(0);
            for (name, what, _, _) in VERBS {
                out.push_str(&format!("  {name:<width$}   {what}\n"));
            }
            out.push_str("\nUse \"kubectl <command> --help\" for more information about a given command.\n");
            Some(out)
        }
        Some(v) => VERBS.iter().find(|x| x.0 == v).map(|(_, what, usage, flags)| {
            let mut out = format!("{what}\n\nUsage:\n  {usage}\n");
            if !flags.is_empty() {
                out.push_str(&format!("\nFlags:\n  {flags}\n"));
            }
            out
        }),
    }
}

/// Whether `args` ask for help (`-h`/`--help` before any `--`).
pub fn asks_for_help(args: &[String]) -> bool {
    args.iter().take_while(|a| *a != "--").any(|a| a == "-h" || a == "--help")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verb_has_help_and_unknown_ones_do_not() {
        assert!(help(Some("get")).unwrap().contains("Usage:\n  kubectl get TYPE"));
        assert!(help(None).unwrap().contains("  port-forward   "));
        assert!(help(Some("frobnicate")).is_none());
        assert!(asks_for_help(&["get".into(), "-h".into()]));
        assert!(!asks_for_help(&["exec".into(), "p".into(), "--".into(), "ls".into(), "-h".into()]));
    }
}

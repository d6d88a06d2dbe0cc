//! `kubectl describe pod NAME` (and the Events section every `describe` ends with).
//!
//! kubectl writes describe output through a tabwriter (padding 2): consecutive lines with
//! tabs form a block whose columns align. `render` does the same.

use serde_json::Value;

use super::table::human_duration;
use crate::shell::Output;
use crate::sim::api::Object;
use crate::sim::events;
use crate::sim::node_lifecycle::parse_time;
use crate::sim::time::SimTime;
use crate::sim::Sim;

/// Aligns tab-separated cells the way Go's tabwriter (padding 2) does for kubectl describe.
pub fn render(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].contains('\t') {
            out.push_str(lines[i]);
            out.push('\n');
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && lines[i].contains('\t') {
            i += 1;
        }
        let block: Vec<Vec<&str>> = lines[start..i].iter().map(|l| l.split('\t').collect()).collect();
        let cols = block.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..cols)
            .map(|c| block.iter().filter(|r| c + 1 < r.len()).map(|r| r[c].chars().count()).max().unwrap_or(0))
            .collect();
        for row in block {
            for (c, cell) in row.iter().enumerate() {
                out.push_str(cell);
                if c + 1 < row.len() {
                    out.extend(std::iter::repeat_n(' ', widths[c] + 2 - cell.chars().count()));
                }
            }
            out.push('\n');
        }
    }
    out
}

/// `Wed, 01 Jan 2025 00:00:05 +0000`, as describe prints times.
fn rfc1123(t: SimTime) -> String {
    let (y, m, d, h, mi, s, wd) = t.civil();
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!("{}, {d:02} {} {y} {h:02}:{mi:02}:{s:02} +0000", days[wd as usize], months[m as usize - 1])
}

fn time_field(v: &Value) -> Option<String> {
    v.as_str().and_then(parse_time).map(rfc1123)
}

fn map_lines(label: &str, map: &Option<std::collections::BTreeMap<String, String>>) -> String {
    match map.as_ref().filter(|m| !m.is_empty()) {
        None => format!("{label}\t<none>\n"),
        Some(m) => {
            m.iter().enumerate().map(|(i, (k, v))| format!("{}\t{k}={v}\n", if i == 0 { label } else { "" })).collect()
        }
    }
}

/// The Events section of any describe.
pub fn events_section(sim: &Sim, obj: &Object) -> String {
    let evs = events::about(sim, obj.uid());
    if evs.is_empty() {
        return "Events:\t<none>\n".into();
    }
    let now = sim.now();
    let mut s = String::from("Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n");
    for e in evs {
        let first = e.body["firstTimestamp"].as_str().and_then(parse_time).unwrap_or(now);
        let last = e.body["lastTimestamp"].as_str().and_then(parse_time).unwrap_or(now);
        let count = e.body["count"].as_i64().unwrap_or(1);
        let age = if count > 1 {
            format!("{} (x{count} over {})", human_duration(now.since(last)), human_duration(now.since(first)))
        } else {
            human_duration(now.since(first))
        };
        s.push_str(&format!(
            "  {}\t{}\t{age}\t{}\t{}\n",
            e.body["type"].as_str().unwrap_or(""),
            e.body["reason"].as_str().unwrap_or(""),
            e.body["source"]["component"].as_str().unwrap_or(""),
            e.body["message"].as_str().unwrap_or("")
        ));
    }
    s
}

fn describe_pod(sim: &Sim, pod: &Object) -> String {
    let f = |p: &str| pod.field(p).cloned().unwrap_or(Value::Null);
    let text = |p: &str| pod.field(p).and_then(Value::as_str).unwrap_or("").to_string();
    let mut s = String::new();
    s.push_str(&format!("Name:\t{}\nNamespace:\t{}\n", pod.name(), pod.namespace().unwrap_or("default")));
    s.push_str(&format!("Priority:\t{}\n", f("spec.priority").as_i64().unwrap_or(0)));
    if let Some(pc) = pod.field("spec.priorityClassName").and_then(Value::as_str) {
        s.push_str(&format!("Priority Class Name:\t{pc}\n"));
    }
    s.push_str(&format!("Service Account:\t{}\n", text("spec.serviceAccountName")));
    let node = text("spec.nodeName");
    s.push_str(&format!(
        "Node:\t{}\n",
        if node.is_empty() { "<none>".to_string() } else { format!("{node}/{}", text("status.hostIP")) }
    ));
    if let Some(t) = time_field(&f("status.startTime")) {
        s.push_str(&format!("Start Time:\t{t}\n"));
    }
    s.push_str(&map_lines("Labels:", &pod.metadata.labels));
    s.push_str(&map_lines("Annotations:", &pod.metadata.annotations));
    let status =
        if pod.metadata.deletion_timestamp.is_some() { "Terminating".to_string() } else { text("status.phase") };
    s.push_str(&format!("Status:\t{status}\n"));
    let ip = text("status.podIP");
    s.push_str(&format!("IP:\t{ip}\nIPs:\n"));
    if ip.is_empty() {
        s.push_str("  <none>\n");
    } else {
        s.push_str(&format!("  IP:\t{ip}\n"));
    }
    if let Some(owner) = pod.metadata.owner_references.iter().flatten().find(|r| r.controller == Some(true)) {
        s.push_str(&format!("Controlled By:\t{}/{}\n", owner.kind, owner.name));
    }
    s.push_str("Containers:\n");
    let statuses = f("status.containerStatuses");
    for c in f("spec.containers").as_array().into_iter().flatten() {
        let name = c["name"].as_str().unwrap_or("");
        let st = statuses.as_array().into_iter().flatten().find(|x| x["name"] == name).cloned().unwrap_or(Value::Null);
        s.push_str(&format!("  {name}:\n"));
        if let Some(id) = st["containerID"].as_str() {
            s.push_str(&format!("    Container ID:\t{id}\n"));
        }
        s.push_str(&format!("    Image:\t{}\n", c["image"].as_str().unwrap_or("")));
        s.push_str(&format!("    Image ID:\t{}\n", st["imageID"].as_str().unwrap_or("")));
        let ports: Vec<String> = c["ports"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| format!("{}/{}", p["containerPort"], p["protocol"].as_str().unwrap_or("TCP")))
            .collect();
        s.push_str(&format!(
            "    Port:\t{}\n    Host Port:\t{}\n",
            if ports.is_empty() { "<none>".into() } else { ports.join(", ") },
            if ports.is_empty() {
                "<none>".to_string()
            } else {
                ports
                    .iter()
                    .map(|p| format!("0/{}", p.rsplit('/').next().unwrap_or("TCP")))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ));
        for (arg, label) in [("command", "Command"), ("args", "Args")] {
            if let Some(list) = c[arg].as_array() {
                s.push_str(&format!("    {label}:\n"));
                for a in list {
                    s.push_str(&format!("      {}\n", a.as_str().unwrap_or("")));
                }
            }
        }
        s.push_str(&state_lines("State", &st["state"]));
        if st["lastState"].as_object().is_some_and(|m| !m.is_empty()) {
            s.push_str(&state_lines("Last State", &st["lastState"]));
        }
        s.push_str(&format!("    Ready:\t{}\n", if st["ready"] == true { "True" } else { "False" }));
        s.push_str(&format!("    Restart Count:\t{}\n", st["restartCount"].as_i64().unwrap_or(0)));
        for (section, label) in [("limits", "Limits"), ("requests", "Requests")] {
            if let Some(m) = c["resources"][section].as_object().filter(|m| !m.is_empty()) {
                s.push_str(&format!("    {label}:\n"));
                for (k, v) in m {
                    s.push_str(&format!(
                        "      {k}:\t{}\n",
                        v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())
                    ));
                }
            }
        }
        let env = c["env"].as_array().cloned().unwrap_or_default();
        if env.is_empty() {
            s.push_str("    Environment:\t<none>\n");
        } else {
            s.push_str("    Environment:\n");
            for e in env {
                let v = e["value"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| "<set to the key in a ConfigMap or Secret>".into());
                s.push_str(&format!("      {}:\t{v}\n", e["name"].as_str().unwrap_or("")));
            }
        }
        s.push_str("    Mounts:\n");
        let mounts = c["volumeMounts"].as_array().cloned().unwrap_or_default();
        if mounts.is_empty() {
            s.push_str("      <none>\n");
        }
        for m in mounts {
            let ro = if m["readOnly"] == true { "ro" } else { "rw" };
            s.push_str(&format!(
                "      {} from {} ({ro})\n",
                m["mountPath"].as_str().unwrap_or(""),
                m["name"].as_str().unwrap_or("")
            ));
        }
    }
    s.push_str("Conditions:\n  Type\tStatus\n");
    for c in f("status.conditions").as_array().into_iter().flatten() {
        s.push_str(&format!("  {}\t{} \n", c["type"].as_str().unwrap_or(""), c["status"].as_str().unwrap_or("")));
    }
    s.push_str(&format!("QoS Class:\t{}\n", text("status.qosClass")));
    let selector: Option<std::collections::BTreeMap<String, String>> =
        serde_json::from_value(f("spec.nodeSelector")).ok();
    s.push_str(&map_lines("Node-Selectors:", &selector));
    let tolerations: Vec<String> = f("spec.tolerations")
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            let mut x = t["key"].as_str().unwrap_or("").to_string();
            if let Some(v) = t["value"].as_str() {
                x.push_str(&format!("={v}"));
            }
            if let Some(e) = t["effect"].as_str() {
                x.push_str(&format!(":{e}"));
            }
            if t["operator"] == "Exists" {
                x.push_str(" op=Exists");
            }
            if let Some(secs) = t["tolerationSeconds"].as_i64() {
                x.push_str(&format!(" for {secs}s"));
            }
            x
        })
        .collect();
    if tolerations.is_empty() {
        s.push_str("Tolerations:\t<none>\n");
    }
    for (i, t) in tolerations.iter().enumerate() {
        s.push_str(&format!("{}\t{t}\n", if i == 0 { "Tolerations:" } else { "" }));
    }
    s.push_str(&events_section(sim, pod));
    render(&s)
}

fn state_lines(label: &str, state: &Value) -> String {
    let mut s = String::new();
    if let Some(w) = state.get("waiting") {
        s.push_str(&format!("    {label}:\tWaiting\n      Reason:\t{}\n", w["reason"].as_str().unwrap_or("")));
    } else if let Some(r) = state.get("running") {
        s.push_str(&format!(
            "    {label}:\tRunning\n      Started:\t{}\n",
            time_field(&r["startedAt"]).unwrap_or_default()
        ));
    } else if let Some(t) = state.get("terminated") {
        s.push_str(&format!(
            "    {label}:\tTerminated\n      Reason:\t{}\n      Exit Code:\t{}\n      Started:\t{}\n      Finished:\t{}\n",
            t["reason"].as_str().unwrap_or(""),
            t["exitCode"],
            time_field(&t["startedAt"]).unwrap_or_default(),
            time_field(&t["finishedAt"]).unwrap_or_default()
        ));
    } else {
        s.push_str(&format!("    {label}:\tWaiting\n"));
    }
    s
}

/// Runs `kubectl describe TYPE NAME`: pods in full; other kinds as name, labels and events.
pub fn run(sim: &Sim, args: &[String], namespace: &str) -> Output {
    let words: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let (ty, name) = match words.as_slice() {
        [t] if t.contains('/') => t.split_once('/').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or_default(),
        [t, n] => (t.to_string(), n.to_string()),
        _ => return Output::err("error: you must specify the type of resource to describe and its name\n", 1),
    };
    let Some(r) = crate::sim::api::discovery::lookup_name(&ty) else {
        return Output::err(format!("error: the server doesn't have a resource type \"{ty}\"\n"), 1);
    };
    let ns = r.namespaced.then_some(namespace);
    let Some(obj) = sim.store().get(r.kind, ns, &name) else {
        let plural = if r.group().is_empty() { r.plural.to_string() } else { format!("{}.{}", r.plural, r.group()) };
        return Output::err(format!("Error from server (NotFound): {plural} \"{name}\" not found\n"), 1);
    };
    if r.kind == "Pod" {
        return Output::ok(describe_pod(sim, obj));
    }
    let mut s = format!("Name:\t{}\n", obj.name());
    if let Some(n) = obj.namespace() {
        s.push_str(&format!("Namespace:\t{n}\n"));
    }
    s.push_str(&map_lines("Labels:", &obj.metadata.labels));
    s.push_str(&map_lines("Annotations:", &obj.metadata.annotations));
    s.push_str(&events_section(sim, obj));
    Output::ok(render(&s))
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn describe_pod_shows_its_state_and_events_table() {
        let mut sim = Sim::new(SimConfig::default());
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  containers:\n  - name: c\n    image: nginx\n    resources: {requests: {cpu: '5'}}\n";
        sim.create(crate::manifest::parse(pod).unwrap().remove(0)).unwrap();
        Shell.run_line(&mut sim, "sleep 10");
        let out = Shell.run_line(&mut sim, "kubectl describe pod big").stdout;
        assert!(out.starts_with("Name:             big\nNamespace:        default\nPriority:         0\nService Account:  default\nNode:             <none>\n"), "{out}");
        assert!(out.contains("Events:\n  Type     Reason            Age   From               Message\n  ----     ------            ----  ----               -------\n  Warning  FailedScheduling  10s   default-scheduler  0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu."), "{out}");
    }

    #[test]
    fn tabwriter_aligns_blocks_with_two_spaces() {
        assert_eq!(super::render("a:\tx\nlong key:\ty\nplain\nb:\tz\n"), "a:         x\nlong key:  y\nplain\nb:  z\n");
    }
}

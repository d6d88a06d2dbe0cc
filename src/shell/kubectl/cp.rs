//! `kubectl cp SRC DEST [-c CONTAINER]`: files and directories between the terminal and a
//! running container, either way. kubectl streams a tar archive through `tar` in the
//! container; the messages that tar prints there (busybox's) are printed here too.

use crate::shell::files::{absolute, Files, Io};
use crate::shell::Output;
use crate::sim::kubelet::copy;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// The most files one copy carries (a directory tree): past it, the copy is refused.
const MAX_ENTRIES: usize = 10_000;

/// One side of a copy: a local path, or a path in a pod.
#[derive(Debug, PartialEq, Eq)]
enum Spec {
    Local(String),
    Remote { namespace: Option<String>, pod: String, path: String },
}

/// kubectl's reading of a file spec: `[[NAMESPACE/]POD:]PATH`.
fn spec(arg: &str) -> Result<Spec, String> {
    let Some((pod, path)) = arg.split_once(':') else {
        return Ok(Spec::Local(arg.to_string()));
    };
    if path.is_empty() || pod.is_empty() {
        return Err("error: filespec must match the canonical format: [[namespace/]pod:]file/path\n".into());
    }
    match pod.split_once('/') {
        Some((ns, p)) if !ns.is_empty() && !p.is_empty() && !p.contains('/') => {
            Ok(Spec::Remote { namespace: Some(ns.into()), pod: p.into(), path: path.into() })
        }
        Some(_) => Err("error: filespec must match the canonical format: [[namespace/]pod:]file/path\n".into()),
        None => Ok(Spec::Remote { namespace: None, pod: pod.into(), path: path.into() }),
    }
}

/// Runs `kubectl cp …`.
pub fn run(sim: &mut Sim, io: &Io, args: &[String], namespace: &str) -> Output {
    let (mut container, mut positional) = (None, Vec::new());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-c" | "--container" => match it.next() {
                Some(c) => container = Some(c.clone()),
                None => return Output::err(format!("error: flag needs an argument: '{}' in {a}\n", &a[1..2]), 1),
            },
            s if s.starts_with("--container=") => container = Some(s["--container=".len()..].to_string()),
            s if s.starts_with("-c") && s.len() > 2 && !s.starts_with("--") => container = Some(s[2..].to_string()),
            "--no-preserve" | "--no-preserve=true" | "--no-preserve=false" => {}
            s if s.starts_with("--retries=") => {}
            "--retries" => {
                it.next();
            }
            s if s.starts_with('-') && s.len() > 1 => return Output::err(format!("error: unknown flag: {s}\n"), 1),
            _ => positional.push(a.clone()),
        }
    }
    if positional.len() != 2 {
        return Output::err("error: source and destination are required\n", 1);
    }
    let (src, dest) = match (spec(&positional[0]), spec(&positional[1])) {
        (Ok(s), Ok(d)) => (s, d),
        (Err(e), _) | (_, Err(e)) => return Output::err(e, 1),
    };
    let key = |ns: &Option<String>, pod: &str| ObjectKey {
        kind: "Pod".into(),
        namespace: ns.clone().unwrap_or_else(|| namespace.to_string()),
        name: pod.to_string(),
    };
    match (src, dest) {
        (Spec::Local(_), Spec::Local(_)) => {
            Output::err("error: one of src or dest must be a remote file specification\n", 1)
        }
        (Spec::Remote { .. }, Spec::Remote { .. }) => {
            Output::err("error: one of src or dest must be a local file specification\n", 1)
        }
        (Spec::Local(from), Spec::Remote { namespace, pod, path }) => {
            to_pod(sim, io, &from, &key(&namespace, &pod), container.as_deref(), &path)
        }
        (Spec::Remote { namespace, pod, path }, Spec::Local(to)) => {
            from_pod(sim, io, &key(&namespace, &pod), container.as_deref(), &path, &to)
        }
    }
}

/// The file or tree at `abs` in `files`: path relative to `abs` ("" for `abs` itself when it is
/// a file) → content, directories ending with `/`. None when nothing is there.
fn tree_in(files: &Files, abs: &str) -> Option<Files> {
    if let Some(text) = files.get(abs) {
        return Some(Files::from([(String::new(), text.clone())]));
    }
    let dir = format!("{}/", abs.trim_end_matches('/'));
    let dir = if dir == "//" { "/".to_string() } else { dir };
    let mut out = Files::new();
    let mut found = files.contains_key(&dir);
    for (k, v) in files.range(dir.clone()..).take_while(|(k, _)| k.starts_with(&dir)) {
        found = true;
        if k.len() > dir.len() {
            out.insert(format!("/{}", &k[dir.len()..]), v.clone());
        }
    }
    found.then(|| {
        out.insert("/".into(), String::new());
        out
    })
}

/// The local file or tree at `path` (the terminal's files, and the disk natively), as
/// [`tree_in`] gives it; Err when it is too large.
fn local_tree(io: &Io, path: &str) -> Result<Option<Files>, String> {
    let abs = absolute(io.cwd, path);
    if let Ok(text) = io.read_file(&abs) {
        return Ok(Some(Files::from([(String::new(), text)])));
    }
    let Some(_) = io.list(&abs) else { return Ok(None) };
    let root = abs.trim_end_matches('/').to_string();
    let mut out = Files::from([("/".to_string(), String::new())]);
    let mut todo = vec![root.clone()];
    while let Some(dir) = todo.pop() {
        for e in io.list(&dir).unwrap_or_default() {
            if out.len() >= MAX_ENTRIES {
                return Err(format!("error: {path} has more than {MAX_ENTRIES} files: the sandbox copies fewer\n"));
            }
            let rel = e.path[root.len()..].to_string();
            if e.is_dir {
                out.insert(format!("{rel}/"), String::new());
                todo.push(e.path);
            } else if let Ok(text) = io.read_file(&e.path) {
                out.insert(rel, text);
            }
        }
    }
    Ok(Some(out))
}

/// `path` with its last part dropped ("/" for a top-level one).
fn parent(abs: &str) -> String {
    match abs.trim_end_matches('/').rsplit_once('/') {
        Some(("", _)) | None => "/".into(),
        Some((p, _)) => p.into(),
    }
}

/// A remote path made absolute.
// SIM: tar runs in the container's root directory here, not its working directory.
fn remote_abs(path: &str) -> String {
    absolute("/", path)
}

fn is_dir(files: &Files, abs: &str) -> bool {
    abs == "/" || tree_in(files, abs).is_some_and(|t| !t.contains_key(""))
}

/// Local → pod: tar in the container unpacks into DEST's directory.
fn to_pod(sim: &mut Sim, io: &Io, from: &str, key: &ObjectKey, container: Option<&str>, path: &str) -> Output {
    let tree = match local_tree(io, from) {
        Ok(Some(t)) => t,
        Ok(None) => return Output::err(format!("error: {from} doesn't exist in local filesystem\n"), 1),
        Err(e) => return Output::err(e, 1),
    };
    let files = match copy::read_files(sim, key, container) {
        Ok(f) => f,
        Err(e) => return super::exec::failed(e),
    };
    let mut dest = remote_abs(path);
    if is_dir(&files, &dest) {
        let base = absolute(io.cwd, from).trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string();
        dest = format!("{}/{base}", dest.trim_end_matches('/'));
    }
    let dir = parent(&dest);
    if !is_dir(&files, &dir) {
        return Output::err(
            format!(
                "tar: can't change directory to '{dir}': No such file or directory\ncommand terminated with exit code 1\n"
            ),
            1,
        );
    }
    let writes: Files =
        tree.into_iter().map(|(rel, text)| (format!("{}{rel}", dest.trim_end_matches('/')), text)).collect();
    match copy::write_files(sim, key, container, writes) {
        Ok(()) => Output::default(),
        Err(e) => super::exec::failed(e),
    }
}

/// Pod → local: tar in the container packs SRC; kubectl unpacks it at DEST.
fn from_pod(sim: &mut Sim, io: &Io, key: &ObjectKey, container: Option<&str>, path: &str, to: &str) -> Output {
    let files = match copy::read_files(sim, key, container) {
        Ok(f) => f,
        Err(e) => return super::exec::failed(e),
    };
    let mut stderr = String::new();
    if path.starts_with('/') {
        stderr.push_str("tar: removing leading '/' from member names\n");
    }
    let Some(tree) = tree_in(&files, &remote_abs(path)) else {
        // kubectl exits 0 here though tar failed (kubernetes/kubectl#980).
        stderr.push_str(&format!(
            "tar: {path}: No such file or directory\ntar: error exit delayed from previous errors\n"
        ));
        return Output { stderr, ..Output::default() };
    };
    if tree.len() > MAX_ENTRIES {
        return Output::err(
            format!("{stderr}error: {path} has more than {MAX_ENTRIES} files: the sandbox copies fewer\n"),
            1,
        );
    }
    let dest = absolute(io.cwd, to);
    let is_file = tree.contains_key("");
    if is_file && io.list(&dest).is_some() {
        return Output::err(format!("{stderr}error: open {to}: is a directory\n"), 1);
    }
    // kubectl makes the missing directories above each file it unpacks.
    let mut writes = Files::new();
    let root = dest.trim_end_matches('/').to_string();
    let mut dir = parent(&root);
    while dir != "/" && io.list(&dir).is_none() {
        writes.insert(format!("{dir}/"), String::new());
        dir = parent(&dir);
    }
    for (rel, text) in tree {
        writes.insert(format!("{root}{rel}"), text);
    }
    Output { stderr, writes, ..Output::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_read_as_kubectl_reads_them() {
        assert_eq!(spec("./a").unwrap(), Spec::Local("./a".into()));
        assert_eq!(
            spec("ns/web:/tmp/x").unwrap(),
            Spec::Remote { namespace: Some("ns".into()), pod: "web".into(), path: "/tmp/x".into() }
        );
        assert!(spec("web:").unwrap_err().contains("canonical format"));
        assert!(spec("a/b/c:/x").is_err());
    }

    #[test]
    fn trees_hold_a_file_or_a_directory() {
        let files = Files::from([
            ("/d/".to_string(), String::new()),
            ("/d/a".to_string(), "A".to_string()),
            ("/d/s/b".to_string(), "B".to_string()),
        ]);
        assert_eq!(tree_in(&files, "/d/a").unwrap(), Files::from([(String::new(), "A".to_string())]));
        let t = tree_in(&files, "/d").unwrap();
        assert_eq!(t.get("/a").map(String::as_str), Some("A"));
        assert_eq!(t.get("/s/b").map(String::as_str), Some("B"));
        assert!(tree_in(&files, "/nope").is_none());
        assert_eq!(parent("/d/a"), "/d");
        assert_eq!(parent("/a"), "/");
    }

    /// As the transcript runner has it: a terminal whose working directory is a real one, its
    /// files preloaded from disk. What kubectl unpacks there is read back by `head` and `cat`.
    #[test]
    fn a_file_copied_from_a_pod_reads_back_in_a_disk_backed_directory() {
        use crate::shell::terminal::Terminal;
        use crate::sim::SimConfig;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/transcripts");
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::with_files(crate::shell::files::preload(dir), dir);
        let mut line = |l: &str| t.run_line(&mut sim, l);
        line("kubectl run web --image=nginx; sleep 20");
        let out = line("kubectl cp web:/etc/hosts ./hosts");
        assert_eq!((out.stderr.as_str(), out.status), ("tar: removing leading '/' from member names\n", 0));
        assert_eq!(line("head -2 hosts").stdout, "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n");
        line("kubectl cp web:/usr/share/nginx/html/index.html served.html");
        assert!(line("cat ./served.html").stdout.contains("<title>Welcome to nginx!</title>"));
        assert!(line("ls").stdout.contains("hosts\n"));
        // Nothing reaches the disk: the copy lives in the terminal's files.
        assert!(!std::path::Path::new(dir).join("hosts").exists());
    }
}

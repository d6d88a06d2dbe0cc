//! What a node has at a host path, and the `hostPath` volume type check the kubelet makes
//! before it mounts one (`Directory`, `DirectoryOrCreate`, `File`, `FileOrCreate`, `Socket`,
//! `CharDevice`, `BlockDevice`; no type: no check, and the runtime creates a directory).
//!
//! A node has the directories and device files of a kind node, and whatever hostPath volumes
//! created or wrote there (see [`super::volumes`]).

use super::volumes::{VolumeFiles, Volumes};

/// What is at a host path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKind {
    Directory,
    File,
    Socket,
    CharDevice,
    BlockDevice,
}

/// Directories every node has.
// SIM: a kind node's file system, cut to what manifests mount.
const NODE_DIRS: &[&str] = &[
    "/",
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/etc/kubernetes",
    "/etc/kubernetes/manifests",
    "/etc/kubernetes/pki",
    "/etc/ssl",
    "/etc/ssl/certs",
    "/home",
    "/lib",
    "/lib/modules",
    "/mnt",
    "/opt",
    "/opt/cni",
    "/opt/cni/bin",
    "/proc",
    "/root",
    "/run",
    "/run/containerd",
    "/sbin",
    "/srv",
    "/sys",
    "/sys/fs/cgroup",
    "/tmp",
    "/usr",
    "/usr/local",
    "/usr/share",
    "/usr/share/ca-certificates",
    "/var",
    "/var/lib",
    "/var/lib/containerd",
    "/var/lib/etcd",
    "/var/lib/kubelet",
    "/var/lib/kubelet/pods",
    "/var/lib/kubelet/plugins",
    "/var/log",
    "/var/log/containers",
    "/var/log/pods",
    "/var/run",
    "/var/run/containerd",
    "/etc/cni",
    "/etc/cni/net.d",
];

/// Files, sockets and devices every node has.
const NODE_FILES: &[(&str, HostKind)] = &[
    ("/etc/hostname", HostKind::File),
    ("/etc/hosts", HostKind::File),
    ("/etc/os-release", HostKind::File),
    ("/etc/passwd", HostKind::File),
    ("/etc/group", HostKind::File),
    ("/etc/localtime", HostKind::File),
    ("/etc/machine-id", HostKind::File),
    ("/etc/resolv.conf", HostKind::File),
    ("/etc/kubernetes/admin.conf", HostKind::File),
    ("/etc/kubernetes/kubelet.conf", HostKind::File),
    ("/var/lib/kubelet/config.yaml", HostKind::File),
    ("/run/containerd/containerd.sock", HostKind::Socket),
    ("/var/run/containerd/containerd.sock", HostKind::Socket),
    ("/dev/null", HostKind::CharDevice),
    ("/dev/zero", HostKind::CharDevice),
    ("/dev/random", HostKind::CharDevice),
    ("/dev/urandom", HostKind::CharDevice),
    ("/dev/tty", HostKind::CharDevice),
    ("/dev/kmsg", HostKind::CharDevice),
    ("/dev/fuse", HostKind::CharDevice),
    ("/dev/vda", HostKind::BlockDevice),
    ("/dev/vda1", HostKind::BlockDevice),
];

/// The id under which [`super::volumes`] keeps the host path `path` of `node`.
pub fn volume_id(node: &str, path: &str) -> String {
    format!("hostpath/{node}/{}", normalize(path).trim_start_matches('/')).trim_end_matches('/').to_string()
}

/// `/mnt/data/` → `/mnt/data`; `/` stays.
fn normalize(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        trimmed.to_string()
    }
}

/// A host path kept as a file volume holds its contents under the empty name.
pub fn is_file_volume(files: &VolumeFiles) -> bool {
    files.contains_key("")
}

/// What `node` has at `path`, if anything.
pub fn kind_at(volumes: &Volumes, node: &str, path: &str) -> Option<HostKind> {
    let path = normalize(path);
    if let Some((_, kind)) = NODE_FILES.iter().find(|(p, _)| *p == path) {
        return Some(*kind);
    }
    if NODE_DIRS.contains(&path.as_str()) {
        return Some(HostKind::Directory);
    }
    let id = volume_id(node, &path);
    if let Some(files) = volumes.get(&id) {
        return Some(if is_file_volume(files) { HostKind::File } else { HostKind::Directory });
    }
    // A parent of a host path some volume has, or something inside one.
    let prefix = format!("{id}/");
    if volumes.range(prefix.clone()..).next().is_some_and(|(k, _)| k.starts_with(&prefix)) {
        return Some(HostKind::Directory);
    }
    let root = format!("hostpath/{node}");
    let mut dir = id.as_str();
    while let Some((parent, _)) = dir.rsplit_once('/') {
        if parent.len() < root.len() {
            break;
        }
        if let Some(files) = volumes.get(parent).filter(|f| !is_file_volume(f)) {
            let rel = &id[parent.len() + 1..];
            if files.contains_key(rel) {
                return Some(HostKind::File);
            }
            if files.contains_key(&format!("{rel}/")) || files.keys().any(|k| k.starts_with(&format!("{rel}/"))) {
                return Some(HostKind::Directory);
            }
        }
        dir = parent;
    }
    None
}

/// The kubelet's check of a hostPath volume named `name` of type `ty` at `path`, creating what
/// the `…OrCreate` types (and no type, through the runtime) create. Errors are the
/// `FailedMount` event's message.
pub fn check(volumes: &mut Volumes, node: &str, name: &str, path: &str, ty: &str) -> Result<(), String> {
    let kind = kind_at(volumes, node, path);
    let fail = |what: &str| {
        Err(format!(
            "MountVolume.SetUp failed for volume \"{name}\" : hostPath type check failed: {path} is not a {what}"
        ))
    };
    match ty {
        "" | "DirectoryOrCreate" if kind.is_none() => {
            volumes.entry(volume_id(node, path)).or_default();
            Ok(())
        }
        "" => Ok(()),
        "Directory" | "DirectoryOrCreate" if kind != Some(HostKind::Directory) => fail("directory"),
        "FileOrCreate" if kind.is_none() => {
            let parent = normalize(path).rsplit_once('/').map_or("/".to_string(), |(p, _)| normalize(p));
            if kind_at(volumes, node, &parent) != Some(HostKind::Directory) {
                return Err(format!(
                    "MountVolume.SetUp failed for volume \"{name}\" : open {path}: no such file or directory"
                ));
            }
            volumes.entry(volume_id(node, path)).or_default().insert(String::new(), String::new());
            Ok(())
        }
        "File" | "FileOrCreate" if kind != Some(HostKind::File) => fail("file"),
        "Socket" if kind != Some(HostKind::Socket) => fail("socket file"),
        "CharDevice" if kind != Some(HostKind::CharDevice) => fail("character device"),
        "BlockDevice" if kind != Some(HostKind::BlockDevice) => fail("block device"),
        _ => Ok(()),
    }
}

/// Fills the host path `path` of `node` as a volume with what the node has under it: its
/// directories and files, and `extra` (paths from the node's root, such as its containers' log
/// files). What a pod wrote there stays.
pub fn seed(volumes: &mut Volumes, node: &str, path: &str, extra: &[String]) {
    let root = normalize(path);
    let id = volume_id(node, &root);
    if volumes.get(&id).is_some_and(is_file_volume) {
        return;
    }
    let under = if root == "/" { String::new() } else { format!("{}/", root.trim_start_matches('/')) };
    let relative = |abs: &str| -> Option<String> {
        let rel = abs.trim_start_matches('/');
        rel.strip_prefix(under.as_str()).filter(|r| !r.is_empty()).map(str::to_string)
    };
    let files = volumes.entry(id).or_default();
    for dir in NODE_DIRS {
        if let Some(rel) = relative(dir) {
            files.entry(format!("{rel}/")).or_default();
        }
    }
    for (file, kind) in NODE_FILES {
        if let Some(rel) = relative(file) {
            let content = match (*file, kind) {
                ("/etc/hostname", _) => format!("{node}\n"),
                _ => String::new(),
            };
            files.entry(rel).or_insert(content);
        }
    }
    for file in extra {
        if let Some(rel) = relative(file) {
            let mut dir = String::new();
            for part in rel.split('/').collect::<Vec<_>>().split_last().map_or(&[][..], |(_, d)| d) {
                dir.push_str(part);
                dir.push('/');
                files.entry(dir.clone()).or_default();
            }
            files.entry(rel).or_default();
        }
    }
}

/// Whether a hostPath of type `ty` is mounted as one file rather than a directory.
pub fn mounts_a_file(ty: &str) -> bool {
    matches!(ty, "File" | "FileOrCreate" | "Socket" | "CharDevice" | "BlockDevice")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_checks_follow_what_the_node_has() {
        let mut v = Volumes::new();
        let err = check(&mut v, "n1", "f", "/data/file.txt", "File").unwrap_err();
        assert_eq!(
            err,
            "MountVolume.SetUp failed for volume \"f\" : hostPath type check failed: /data/file.txt is not a file"
        );
        assert!(check(&mut v, "n1", "d", "/data", "Directory").unwrap_err().ends_with("/data is not a directory"));
        check(&mut v, "n1", "d", "/data", "DirectoryOrCreate").unwrap();
        assert_eq!(kind_at(&v, "n1", "/data"), Some(HostKind::Directory));
        assert_eq!(kind_at(&v, "n2", "/data"), None, "another node has no such directory");
        check(&mut v, "n1", "f", "/data/file.txt", "FileOrCreate").unwrap();
        check(&mut v, "n1", "f", "/data/file.txt", "File").unwrap();
        assert!(check(&mut v, "n1", "f", "/data/file.txt", "Directory").is_err());
        assert!(check(&mut v, "n1", "f", "/no/such/dir/f", "FileOrCreate")
            .unwrap_err()
            .ends_with("no such file or directory"));
        check(&mut v, "n1", "s", "/run/containerd/containerd.sock", "Socket").unwrap();
        assert!(check(&mut v, "n1", "s", "/var/run/docker.sock", "Socket")
            .unwrap_err()
            .ends_with("is not a socket file"));
        check(&mut v, "n1", "k", "/dev/kmsg", "CharDevice").unwrap();
        check(&mut v, "n1", "l", "/var/log", "Directory").unwrap();
    }
}

//! The sandbox's files as commands read them: the terminal's own files (the editor's, and what
//! `cat > file` wrote), and in the native runner, the real disk underneath, read-only.

use std::collections::BTreeMap;

/// Files by absolute path; directories end with `/`.
pub type Files = BTreeMap<String, String>;

/// What a command can read besides the cluster.
#[derive(Debug, Clone, Copy)]
pub struct Io<'a> {
    /// Its standard input (a pipe or here-document), if any.
    pub stdin: Option<&'a str>,
    pub files: Option<&'a Files>,
    /// The working directory relative paths start from.
    pub cwd: &'a str,
    /// A person types at this terminal (the page), so `exec -it … -- sh` can open a session;
    /// a script (the native runner) has no one to type.
    pub tty: bool,
    /// The command's output goes straight to a person's terminal (no pipe or redirection), so
    /// a watch may go on printing after the line returns.
    pub stream: bool,
}

impl Default for Io<'_> {
    /// No stdin, no sandbox files, relative to the process's directory (the native runner).
    fn default() -> Self {
        Io { stdin: None, files: None, cwd: "", tty: false, stream: false }
    }
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved.
pub fn absolute(cwd: &str, path: &str) -> String {
    if cwd.is_empty() && !path.starts_with('/') {
        return path.to_string();
    }
    crate::sim::process::interp::absolute_path(cwd, path)
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub is_dir: bool,
}

/// The most of one file on disk that commands read (the native runner): past it, a file is
/// refused rather than read for ever (`/dev/zero`, a huge log).
pub const MAX_DISK_FILE_BYTES: u64 = 16 << 20;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    NotFound,
    /// A FIFO, socket or device: reading it could block or never end.
    NotRegular,
    /// Larger than [`MAX_DISK_FILE_BYTES`].
    TooLarge,
    /// Not UTF-8 text.
    NotText,
}

impl ReadError {
    /// kubectl's sentence for `-f PATH` that could not be read (the sandbox's own where
    /// kubectl would block or read for ever).
    pub fn kubectl_message(&self, path: &str) -> String {
        match self {
            ReadError::NotFound => format!("error: the path \"{path}\" does not exist\n"),
            // SIM: kubectl would wait on a FIFO or read a device for ever.
            ReadError::NotRegular => format!("error: the path \"{path}\" is not a regular file\n"),
            ReadError::TooLarge => {
                format!(
                    "error: the file \"{path}\" is larger than the sandbox reads ({} MiB)\n",
                    MAX_DISK_FILE_BYTES >> 20
                )
            }
            ReadError::NotText => {
                format!(
                    "error: error parsing {path}: error converting YAML to JSON: yaml: invalid leading UTF-8 octet\n"
                )
            }
        }
    }
}

impl Io<'_> {
    /// The contents of the file at `path`.
    pub fn read(&self, path: &str) -> Option<String> {
        self.read_file(path).ok()
    }

    /// The contents of the file at `path`, or why not.
    pub fn read_file(&self, path: &str) -> Result<String, ReadError> {
        let abs = absolute(self.cwd, path);
        if let Some(text) = self.files.and_then(|f| f.get(&abs)) {
            return Ok(text.clone());
        }
        disk::read(&abs)
    }

    /// The entries of the directory at `path`, sorted; None when it is no directory.
    pub fn list(&self, path: &str) -> Option<Vec<Entry>> {
        let abs = absolute(self.cwd, path);
        let dir = format!("{}/", abs.trim_end_matches('/'));
        let mut out: BTreeMap<String, bool> = BTreeMap::new();
        let mut found = false;
        if let Some(files) = self.files {
            if files.contains_key(&dir) {
                found = true;
            }
            for k in files.range(dir.clone()..).take_while(|(k, _)| k.starts_with(&dir)).map(|(k, _)| k) {
                found = true;
                let rest = &k[dir.len()..];
                match rest.split_once('/') {
                    Some((d, _)) if !d.is_empty() => {
                        out.insert(format!("{dir}{d}"), true);
                    }
                    None if !rest.is_empty() => {
                        out.insert(format!("{dir}{rest}"), false);
                    }
                    _ => {}
                }
            }
        }
        if let Some(entries) = disk::list(&abs) {
            found = true;
            out.extend(entries.into_iter().map(|e| (e.path, e.is_dir)));
        }
        found.then(|| out.into_iter().map(|(path, is_dir)| Entry { path, is_dir }).collect())
    }
}

/// The text files under `dir` (at most a few thousand, a few MB), so `cat` and `ls` see them.
/// (In the page there is no disk: std::fs finds nothing there.)
pub fn preload(dir: &str) -> std::collections::BTreeMap<String, String> {
    preload_noting(dir).0
}

/// What [`preload`] loads, and a sentence saying what it left out when the directory holds
/// more than fits. The files it loads count towards the sandbox's own room for files, so it
/// takes at most half of that room: a script run from a big directory (`/tmp`, a home
/// directory) can still write its own files. Nearer files come first (breadth first, by name),
/// and what is left out is still read from disk by `kubectl … -f`.
pub fn preload_noting(dir: &str) -> (std::collections::BTreeMap<String, String>, Option<String>) {
    const MAX_FILES: usize = 2_000;
    const MAX_BYTES: usize = crate::sim::process::interp::MAX_FILES_BYTES / 2;
    const MAX_DIRS: usize = 2_000;
    let mut files = std::collections::BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([std::path::PathBuf::from(dir)]);
    let (mut bytes, mut dirs, mut skipped_files, mut skipped_dirs) = (0usize, 0usize, 0usize, 0usize);
    while let Some(d) = queue.pop_front() {
        dirs += 1;
        if dirs > MAX_DIRS {
            skipped_dirs += 1 + queue.len();
            break;
        }
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let path = e.path();
            let name = path.to_string_lossy().to_string();
            // The entry itself, symlinks not followed: a link to a directory above would loop.
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                if !e.file_name().to_string_lossy().starts_with('.') {
                    files.insert(format!("{name}/"), String::new());
                    queue.push_back(path);
                }
                continue;
            }
            if !kind.is_file() {
                continue;
            }
            let size = e.metadata().map(|m| m.len() as usize).unwrap_or(usize::MAX);
            if files.len() >= MAX_FILES || bytes.saturating_add(size) > MAX_BYTES {
                skipped_files += 1;
                continue;
            }
            if let Ok(text) = disk::read(&name) {
                bytes += text.len();
                files.insert(name, text);
            }
        }
    }
    let note = (skipped_files > 0 || skipped_dirs > 0).then(|| {
        let dirs = if skipped_dirs > 0 { format!(" and {skipped_dirs} folders") } else { String::new() };
        format!(
            "kube-sandbox: {dir} holds more than the sandbox loads ({MAX_FILES} files, {} MiB): {skipped_files} files{dirs} were left out; `cat` and `ls` do not see them, `kubectl … -f` still reads them from disk\n",
            MAX_BYTES >> 20
        )
    });
    (files, note)
}

#[cfg(not(target_arch = "wasm32"))]
mod disk {
    //! The native runner reads the real disk (never writes it): regular files only, and at
    //! most [`super::MAX_DISK_FILE_BYTES`] of one.
    use std::io::Read;

    use super::{ReadError, MAX_DISK_FILE_BYTES};

    pub fn read(path: &str) -> Result<String, ReadError> {
        let meta = std::fs::metadata(path).map_err(|_| ReadError::NotFound)?;
        if !meta.is_file() {
            return Err(if meta.is_dir() { ReadError::NotFound } else { ReadError::NotRegular });
        }
        let file = std::fs::File::open(path).map_err(|_| ReadError::NotFound)?;
        let mut bytes = Vec::new();
        // One byte more than the limit tells a file at the limit from one past it.
        file.take(MAX_DISK_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|_| ReadError::NotFound)?;
        if bytes.len() as u64 > MAX_DISK_FILE_BYTES {
            return Err(ReadError::TooLarge);
        }
        String::from_utf8(bytes).map_err(|_| ReadError::NotText)
    }

    /// The entries of a directory; an entry that is a symlink is not followed (as Go's
    /// `filepath.Walk`, which `kubectl apply -R` uses): it lists as a file.
    pub fn list(path: &str) -> Option<Vec<super::Entry>> {
        let entries = std::fs::read_dir(path).ok()?;
        Some(
            entries
                .filter_map(Result::ok)
                .map(|e| super::Entry {
                    path: e.path().to_string_lossy().to_string(),
                    is_dir: e.file_type().is_ok_and(|t| t.is_dir()),
                })
                .collect(),
        )
    }
}

#[cfg(target_arch = "wasm32")]
mod disk {
    //! The page has no disk: only the sandbox's own files.
    pub fn read(_path: &str) -> Result<String, super::ReadError> {
        Err(super::ReadError::NotFound)
    }

    pub fn list(_path: &str) -> Option<Vec<super::Entry>> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sandbox_files_list_as_directories() {
        let files = Files::from([
            ("/home/learner/app/".to_string(), String::new()),
            ("/home/learner/app/web.yaml".to_string(), "a".to_string()),
            ("/home/learner/app/db/pg.yaml".to_string(), "b".to_string()),
        ]);
        let io = Io { stdin: None, files: Some(&files), cwd: "/home/learner", tty: false, stream: false };
        assert_eq!(io.read("app/web.yaml").as_deref(), Some("a"));
        assert_eq!(io.read("./app/../app/db/pg.yaml").as_deref(), Some("b"));
        let list = io.list("app").unwrap();
        assert_eq!(
            list,
            [
                Entry { path: "/home/learner/app/db".into(), is_dir: true },
                Entry { path: "/home/learner/app/web.yaml".into(), is_dir: false }
            ]
        );
        assert!(io.list("nothing-here").is_none());
    }
}

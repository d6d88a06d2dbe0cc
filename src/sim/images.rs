//! Container images: parsing an image reference as the container runtime does, and the catalogue
//! of well-known images whose profiles say what a container of each one does (tags that exist,
//! size, default command, programs, ports and answers, memory).
//!
//! Pure: depends on nothing in the sim. No registry is contacted: the catalogue stands in for
//! Docker Hub and friends.

mod catalogue;
mod distros;
pub mod httpd_conf;
pub mod nginx_conf;
mod reference;
mod samples;
mod system;

pub use catalogue::{
    canonical_header, query_param, route_vars, Answer, Call, Catalogue, HttpAnswer, Port, Profile, Request, Route,
    Sent, Served, Tags, BASE_DIRS, GENERIC, KUBECTL_FILE,
};
pub use reference::{ImageError, ImageRef};
pub use system::{COREDNS_TAG, ETCD_TAG, KUBE_TAG};

use thiserror::Error;

/// Why a pull failed, as the kubelet reports it in the `Failed` event after
/// `Failed to pull image "X": `.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PullError {
    /// The repository is known but has no such tag (`ErrImagePull`).
    #[error("rpc error: code = NotFound desc = failed to pull and unpack image \"{0}\": failed to resolve reference \"{0}\": {0}: not found")]
    TagNotFound(String),
    /// An official-looking repository (`docker.io/library/X`) that does not exist, as a typo makes.
    #[error("rpc error: code = Unknown desc = failed to pull and unpack image \"{0}\": failed to resolve reference \"{0}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed")]
    RepositoryNotFound(String),
    /// A registry that does not exist (`registry.example.com`): no address resolves.
    #[error("rpc error: code = Unknown desc = failed to pull and unpack image \"{0}\": failed to resolve reference \"{0}\": failed to do request: Head \"https://{1}/v2/{2}/manifests/{3}\": dial tcp: lookup {1}: no such host")]
    NoSuchRegistry(String, String, String, String),
}

/// Words that mark a name as a placeholder in documentation (`gcr.io/myproject/app`,
/// `non-existing-repo/non-existing-image`): no such repository exists.
const PLACEHOLDER_WORDS: &[&str] = &[
    "myproject",
    "my-project",
    "project-id",
    "project_id",
    "projectid",
    "your-project",
    "yourproject",
    "my-gcp-project",
    "non-existing",
    "nonexisting",
    "non-existent",
    "nonexistent",
    "does-not-exist",
    "doesnotexist",
    "my-registry",
    "myregistry",
    "your-registry",
    "yourregistry",
    "my-repo",
    "myrepo",
    "your-repo",
    "yourrepo",
    "your-username",
    "yourusername",
    "your-dockerhub",
];

/// Whether `image` names a placeholder rather than a real repository.
fn is_placeholder(image: &ImageRef) -> bool {
    image.repository.split('/').any(|c| PLACEHOLDER_WORDS.iter().any(|w| c.starts_with(w)))
}

/// Registries that documentation uses as examples and that resolve nowhere.
fn is_example_registry(registry: &str) -> bool {
    let host = registry.split(':').next().unwrap_or(registry);
    ["example.com", "example.org", "example.net", "example"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        || PLACEHOLDER_WORDS.iter().any(|w| host.starts_with(w))
}

/// The profile `image` resolves to: its catalogue entry, or [`GENERIC`] for any other image.
///
/// Fails for a catalogue image with a tag it does not have, and for `docker.io/library/X` when
/// `X` is no official image the catalogue knows (`nginxx`).
// SIM: Docker Hub has far more official images than the catalogue; an unknown one is taken to
// be a typo, which is what a learner's unknown single-word image usually is.
pub fn profile_for(image: &ImageRef) -> Result<&'static Profile, PullError> {
    match Catalogue::lookup(image) {
        Some(p) if image.digest.is_some() || p.tags.has(image.tag()) => Ok(p),
        Some(_) => Err(PullError::TagNotFound(image.canonical())),
        None if image.is_official() => Err(PullError::RepositoryNotFound(image.canonical())),
        None if is_example_registry(&image.registry) => Err(PullError::NoSuchRegistry(
            image.canonical(),
            image.registry.clone(),
            image.repository.clone(),
            image.digest.clone().unwrap_or_else(|| image.tag().to_string()),
        )),
        None if is_placeholder(image) => Err(PullError::RepositoryNotFound(image.canonical())),
        None => Ok(&GENERIC),
    }
}

/// The software version a container of `profile` pulled as `tag` reports (`nginx:1.14` →
/// `1.14.2`), when the profile tracks one; `None` keeps the image's default.
pub fn version_for_tag(profile: &Profile, tag: &str) -> Option<String> {
    if profile.version_var.is_empty() {
        return None;
    }
    let version = tag.split('-').next().unwrap_or(tag);
    if let Some((_, full)) = profile.versions.iter().find(|(t, _)| *t == version) {
        return Some(full.to_string());
    }
    let parts: Vec<&str> = version.split('.').collect();
    (parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
        .then(|| version.to_string())
}

/// How long pulling `profile` takes, in milliseconds: about 25 MB/s, at least half a second.
pub fn pull_millis(profile: &Profile) -> u64 {
    (profile.size_bytes / 25_000).max(500)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(s: &str) -> Result<&'static Profile, PullError> {
        profile_for(&ImageRef::parse(s).unwrap())
    }

    #[test]
    fn unknown_tag_of_catalogue_image_fails_to_pull() {
        assert!(resolve("nginx:1.27").is_ok());
        assert!(resolve("nginx:1.27.3-alpine").is_ok());
        assert!(resolve("nginx:1.17-alpine").is_ok());
        let err = resolve("nginx:doesnotexist").unwrap_err();
        assert_eq!(err, PullError::TagNotFound("docker.io/library/nginx:doesnotexist".into()));
        assert!(err.to_string().ends_with("docker.io/library/nginx:doesnotexist: not found"), "{err}");
    }

    #[test]
    fn misspelt_official_image_is_denied() {
        let err = resolve("nginxx").unwrap_err();
        assert!(err.to_string().contains("pull access denied, repository does not exist"), "{err}");
    }

    #[test]
    fn any_other_well_formed_reference_is_a_generic_server() {
        let p = resolve("quay.io/team/app:v3").unwrap();
        assert_eq!(p.repository, GENERIC.repository);
        assert!(resolve("someone/something").is_ok());
    }

    #[test]
    fn placeholder_repositories_and_example_registries_fail_to_pull() {
        for image in [
            "gcr.io/myproject/app:1",
            "non-existing-repo/non-existing-image",
            "gcr.io/PROJECT_ID/x".to_lowercase().as_str(),
        ] {
            let err = resolve(image).unwrap_err();
            assert!(
                err.to_string().contains("pull access denied, repository does not exist or may require authorization"),
                "{image}: {err}"
            );
        }
        let err = resolve("registry.example.com/team/app:v3").unwrap_err();
        assert!(err.to_string().ends_with("dial tcp: lookup registry.example.com: no such host"), "{err}");
    }

    #[test]
    fn tags_name_the_version_their_software_reports() {
        let nginx = resolve("nginx:1.14").unwrap();
        assert_eq!(version_for_tag(nginx, "1.14").as_deref(), Some("1.14.2"));
        assert_eq!(version_for_tag(nginx, "1.25.3-alpine").as_deref(), Some("1.25.3"));
        assert_eq!(version_for_tag(nginx, "latest"), None);
        assert_eq!(version_for_tag(resolve("busybox").unwrap(), "1.36"), None);
    }

    #[test]
    fn pinned_digest_of_catalogue_image_pulls_whatever_the_tag() {
        let digest = "sha256:".to_string() + &"a".repeat(64);
        assert!(resolve(&format!("nginx:nope@{digest}")).is_ok());
    }

    #[test]
    fn pull_time_grows_with_size() {
        let busybox = resolve("busybox").unwrap();
        let postgres = resolve("postgres:16").unwrap();
        assert_eq!(pull_millis(busybox), 500);
        assert!(pull_millis(postgres) > 4_000);
    }

    #[test]
    fn every_kiamol_image_resolves_to_a_profile() {
        let root = std::path::Path::new("/work/shared/corpus/kiamol");
        if !root.is_dir() {
            return;
        }
        let mut stack = vec![root.to_path_buf()];
        let mut seen = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if !matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else { continue };
                for line in text.lines() {
                    let t = line.trim_start().trim_start_matches("- ");
                    let Some(rest) = t.strip_prefix("image:") else { continue };
                    let image = rest.split(" #").next().unwrap_or("").trim().trim_matches(['"', '\'']);
                    if image.is_empty() || image.contains('{') || image.contains('$') {
                        continue;
                    }
                    let r = ImageRef::parse(image).unwrap_or_else(|e| panic!("{}: {image}: {e}", path.display()));
                    profile_for(&r).unwrap_or_else(|e| panic!("{}: {image}: {e}", path.display()));
                    seen += 1;
                }
            }
        }
        assert!(seen > 100, "only {seen} image references found");
    }
}

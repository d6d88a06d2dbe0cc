//! Image references (`registry/repository:tag@digest`), parsed and normalized as containerd's
//! reference library does: default registry `docker.io`, `library/` for official images,
//! default tag `latest`.

use std::fmt;

use thiserror::Error;

/// The registry a reference without one names.
pub const DEFAULT_REGISTRY: &str = "docker.io";

/// Why a reference does not parse. `Display` gives the kubelet's `InvalidImageName` message.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": {reason}")]
pub struct ImageError {
    /// The reference as written.
    pub image: String,
    /// The reference library's own words (`invalid reference format`).
    pub reason: String,
}

/// A parsed, normalized image reference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ImageRef {
    /// `docker.io`, `registry.k8s.io`, `localhost:5000`, …
    pub registry: String,
    /// The path in the registry, with `library/` for official images (`library/nginx`).
    pub repository: String,
    /// The tag as written, if any (see [`ImageRef::tag`]).
    pub tag: Option<String>,
    /// `sha256:…`, if pinned.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses `s` as the runtime does. Leading and trailing spaces are not allowed (YAML has
    /// already stripped them from a manifest).
    pub fn parse(s: &str) -> Result<ImageRef, ImageError> {
        let fail = |reason: &str| ImageError { image: s.to_string(), reason: reason.to_string() };
        if s.is_empty() {
            return Err(fail("repository name must have at least one component"));
        }
        if s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(fail(&format!("invalid repository name ({s}), cannot specify 64-byte hexadecimal strings")));
        }
        let (name_tag, digest) = match s.split_once('@') {
            Some((n, d)) => (n, Some(d)),
            None => (s, None),
        };
        let (name, tag) = match name_tag.rfind(':') {
            Some(i) if !name_tag[i..].contains('/') => (&name_tag[..i], Some(&name_tag[i + 1..])),
            _ => (name_tag, None),
        };
        let (registry, path) = match name.split_once('/') {
            Some((first, rest))
                if first.contains(['.', ':']) || first == "localhost" || first.to_lowercase() != first =>
            {
                (first, rest)
            }
            _ => (DEFAULT_REGISTRY, name),
        };
        let registry = if registry == "index.docker.io" { DEFAULT_REGISTRY } else { registry };
        let repository = if registry == DEFAULT_REGISTRY && !path.contains('/') {
            format!("library/{path}")
        } else {
            path.to_string()
        };
        if repository.to_lowercase() != repository {
            return Err(fail(&format!("invalid reference format: repository name ({repository}) must be lowercase")));
        }
        if !valid_domain(registry) || !repository.split('/').all(valid_path_component) {
            return Err(fail("invalid reference format"));
        }
        if let Some(t) = tag {
            if !valid_tag(t) {
                return Err(fail("invalid reference format"));
            }
        }
        if let Some(d) = digest {
            valid_digest(d).map_err(fail)?;
        }
        if registry.len() + 1 + path.len() > 255 {
            return Err(fail("repository name must not be more than 255 characters"));
        }
        Ok(ImageRef {
            registry: registry.to_string(),
            repository,
            tag: tag.map(str::to_string),
            digest: digest.map(str::to_string),
        })
    }

    /// The tag, `latest` when none was written.
    pub fn tag(&self) -> &str {
        self.tag.as_deref().unwrap_or("latest")
    }

    /// Whether this is an official Docker Hub image (`docker.io/library/…`).
    pub fn is_official(&self) -> bool {
        self.registry == DEFAULT_REGISTRY && self.repository.starts_with("library/")
    }

    /// `registry/repository` (`docker.io/library/nginx`).
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The fully qualified reference the runtime pulls: with the default tag applied, and
    /// only the digest when pinned (`docker.io/library/nginx:latest`, `…/nginx@sha256:…`).
    pub fn canonical(&self) -> String {
        match &self.digest {
            Some(d) => format!("{}@{d}", self.name()),
            None => format!("{}:{}", self.name(), self.tag()),
        }
    }

    /// The short name as `docker` prints it: `nginx`, `kiamol/ch03-sleep`, `registry.k8s.io/pause`.
    pub fn familiar_name(&self) -> String {
        if self.registry != DEFAULT_REGISTRY {
            self.name()
        } else {
            self.repository.strip_prefix("library/").unwrap_or(&self.repository).to_string()
        }
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

fn valid_domain(d: &str) -> bool {
    let (host, port) = match d.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (d, None),
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    host.split('.').all(label_ok) && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
fn valid_path_component(c: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let b = c.as_bytes();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-')) {
            return false;
        }
    }
    true
}

/// `[\w][\w.-]{0,127}`
fn valid_tag(t: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let b = t.as_bytes();
    !b.is_empty() && b.len() <= 128 && word(b[0]) && b.iter().all(|&x| word(x) || x == b'.' || x == b'-')
}

fn valid_digest(d: &str) -> Result<(), &'static str> {
    let Some((alg, hex)) = d.split_once(':') else { return Err("invalid reference format") };
    let alg_ok = !alg.is_empty()
        && alg.split(['+', '.', '_', '-']).all(|p| {
            p.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()) && p.bytes().all(|b| b.is_ascii_alphanumeric())
        });
    if !alg_ok || hex.len() < 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("invalid reference format");
    }
    if alg == "sha256" && (hex.len() != 64 || hex.bytes().any(|b| b.is_ascii_uppercase())) {
        return Err("invalid checksum digest length");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_name_gets_docker_hub_library_and_latest() {
        let r = ImageRef::parse("nginx").unwrap();
        assert_eq!(r.registry, "docker.io");
        assert_eq!(r.repository, "library/nginx");
        assert_eq!(r.tag(), "latest");
        assert_eq!(r.canonical(), "docker.io/library/nginx:latest");
        assert_eq!(r.familiar_name(), "nginx");
    }

    #[test]
    fn user_repository_stays_on_docker_hub_without_library() {
        let r = ImageRef::parse("kiamol/ch09-vweb:v2").unwrap();
        assert_eq!(r.canonical(), "docker.io/kiamol/ch09-vweb:v2");
    }

    #[test]
    fn first_component_with_dot_or_port_is_a_registry() {
        let r = ImageRef::parse("registry.k8s.io/pause:3.10").unwrap();
        assert_eq!((r.registry.as_str(), r.repository.as_str(), r.tag()), ("registry.k8s.io", "pause", "3.10"));
        let r = ImageRef::parse("localhost:5000/app").unwrap();
        assert_eq!(r.canonical(), "localhost:5000/app:latest");
        let r = ImageRef::parse("index.docker.io/library/redis:7").unwrap();
        assert_eq!(r.canonical(), "docker.io/library/redis:7");
    }

    #[test]
    fn digest_replaces_the_tag_in_the_canonical_form() {
        let d = format!("sha256:{}", "0123456789abcdef".repeat(4));
        let r = ImageRef::parse(&format!("gcr.io/x/y:1.0@{d}")).unwrap();
        assert_eq!(r.canonical(), format!("gcr.io/x/y@{d}"));
    }

    #[test]
    fn malformed_references_are_rejected_with_the_kubelet_message() {
        let err = ImageRef::parse("nginx:").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Failed to apply default image tag \"nginx:\": couldn't parse image name \"nginx:\": invalid reference format"
        );
        for bad in ["ngi nx", "-nginx", "nginx::1", "a//b", "nginx@sha256:abc", "foo/bar:", ":tag", "x/y:-t"] {
            assert!(ImageRef::parse(bad).is_err(), "{bad} should not parse");
        }
        let err = ImageRef::parse("Nginx").unwrap_err();
        assert_eq!(err.reason, "invalid reference format: repository name (library/Nginx) must be lowercase");
    }

    #[test]
    fn huge_reference_is_rejected_not_slow() {
        let long = "a".repeat(1 << 20);
        assert!(ImageRef::parse(&long).is_err());
    }
}

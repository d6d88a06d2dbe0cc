//! The catalogue of well-known images and what a container of each does.
//!
//! An image's behaviour is written as *programs*: small scripts in the simulated shell
//! ([`crate::sim::process`]) run when the container executes a file of that name. A server
//! program prints its start-up lines, sleeps for its start-up time, then calls the internal
//! builtin `__serve PORT…`, which listens and waits for ever.

use std::collections::BTreeMap;

use super::ImageRef;

/// Which tags of an image exist.
// SIM: no registry is asked; a tag exists when it is one of `named`, or shaped like the image's
// real tags: `[prefix]MAJOR[.MINOR[.PATCH]][-VARIANT]` with MAJOR in `majors`, MINOR no newer than
// the newest release of that major in `newest_minor` (when listed), and every part of VARIANT one
// of `variants`, optionally followed by a version (`alpine3.10`). The newest minors are those
// published by late 2025; a release after that is refused until it is added here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tags {
    /// Tags that exist as written (`latest`, `stable`, `v1`).
    pub named: &'static [&'static str],
    /// Written before version numbers (`v` for `traefik:v2.2.1`).
    pub prefix: &'static str,
    /// The first version number's range; `(1, 0)` (empty) for images without versioned tags.
    pub majors: (u32, u32),
    /// Variant words (`alpine`, `slim`, `bookworm`), also valid as tags alone.
    pub variants: &'static [&'static str],
    /// (major, newest minor released): `nginx:1.99` does not exist when 1.29 is the newest.
    /// A major not listed takes any minor.
    pub newest_minor: &'static [(u32, u32)],
    /// Every tag exists (images outside the catalogue).
    pub any: bool,
}

impl Tags {
    const fn named(named: &'static [&'static str]) -> Tags {
        Tags { named, prefix: "", majors: (1, 0), variants: &[], newest_minor: &[], any: false }
    }

    const fn versions(majors: (u32, u32), variants: &'static [&'static str]) -> Tags {
        Tags { named: &["latest"], prefix: "", majors, variants, newest_minor: &[], any: false }
    }

    /// Whether `tag` exists for the image.
    pub fn has(&self, tag: &str) -> bool {
        if self.any || self.named.contains(&tag) {
            return true;
        }
        let variant_ok = |v: &str| {
            v.split('-').all(|part| {
                self.variants.iter().any(|w| {
                    part.strip_prefix(w).is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
                })
            })
        };
        let Some(t) = tag.strip_prefix(self.prefix) else { return false };
        let (version, variant) = match t.split_once('-') {
            Some((v, rest)) => (v, Some(rest)),
            None => (t, None),
        };
        if variant.is_none() && !version.starts_with(|c: char| c.is_ascii_digit()) {
            return self.prefix.is_empty() && variant_ok(version);
        }
        let parts: Vec<&str> = version.split('.').collect();
        let numeric = parts.len() <= 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        let Some(major) =
            parts[0].parse::<u32>().ok().filter(|m| numeric && (self.majors.0..=self.majors.1).contains(m))
        else {
            return false;
        };
        let minor_ok = match (
            parts.get(1).and_then(|m| m.parse::<u32>().ok()),
            self.newest_minor.iter().find(|(m, _)| *m == major),
        ) {
            (Some(minor), Some((_, newest))) => minor <= *newest,
            _ => true,
        };
        minor_ok && variant.is_none_or(variant_ok)
    }
}

/// What an HTTP request to a port gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Files under this directory of the container's file system (`/` → `index.html`); 404
    /// with this body otherwise.
    Static { root: &'static str, not_found: &'static str },
    /// The same body on every path; `{hostname}` is replaced by the container's hostname.
    Fixed(&'static str),
    /// Not HTTP (a database): the connection opens, an HTTP request gets garbage.
    Tcp,
}

/// A port the image's server listens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Port {
    pub port: u16,
    pub answer: Answer,
}

/// An HTTP response from a simulated server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpAnswer {
    pub status: u16,
    pub body: String,
}

/// Everything the sandbox knows about one image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// `registry/repository` (`docker.io/library/nginx`); `*` for [`GENERIC`].
    pub repository: &'static str,
    pub tags: Tags,
    /// Compressed size, for pull time and the scheduler's ImageLocality.
    pub size_bytes: u64,
    /// The image's `ENTRYPOINT` and `CMD`.
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    /// Executables (by file name) and the script each runs; `$@` holds the arguments.
    pub programs: &'static [(&'static str, &'static str)],
    /// Whether an executable the image does not have runs as the image's server (`true` for
    /// images whose contents we cannot list) or is not found.
    pub unknown_runs_server: bool,
    /// The ports its server listens on once `__serve` runs, and their answers.
    pub ports: &'static [Port],
    /// Resident memory of its server at rest.
    pub memory_bytes: u64,
    /// The image's `ENV`.
    pub env: &'static [(&'static str, &'static str)],
    /// Files the image ships (beyond [`BASE_DIRS`]).
    pub files: &'static [(&'static str, &'static str)],
    /// The image's `WORKDIR`.
    pub working_dir: &'static str,
    /// Whether the image has a shell (`sh`); `pause` and distroless images do not.
    pub has_shell: bool,
}

/// Directories every image with a shell has.
pub const BASE_DIRS: &[&str] =
    &["/bin/", "/dev/", "/etc/", "/home/", "/lib/", "/proc/", "/root/", "/sys/", "/tmp/", "/usr/", "/var/"];

const PATH: (&str, &str) = ("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
const MIB: u64 = 1024 * 1024;
const MB: u64 = 1_000_000;

impl Profile {
    /// The argv a container runs: `command` replaces the entrypoint and `args` the cmd, as in
    /// the Pod spec (an explicit `command` drops the image's cmd too).
    pub fn argv(&self, command: &[String], args: &[String]) -> Vec<String> {
        let own = |s: &[&str]| s.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        let mut argv = if command.is_empty() { own(self.entrypoint) } else { command.to_vec() };
        if !args.is_empty() {
            argv.extend(args.iter().cloned());
        } else if command.is_empty() {
            argv.extend(own(self.cmd));
        }
        argv
    }

    /// The script an executable named `path` (`/usr/sbin/nginx`, `nginx`) runs, if the image has it.
    pub fn program(&self, path: &str) -> Option<&'static str> {
        let name = path.rsplit('/').next().unwrap_or(path);
        self.programs.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }

    /// The image's own files and directories, as the container starts with them
    /// (directories end with `/`).
    pub fn initial_files(&self) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        if self.has_shell {
            for d in BASE_DIRS {
                files.insert(d.to_string(), String::new());
            }
        }
        for (path, contents) in self.files {
            let mut p = String::new();
            for part in
                path.trim_start_matches('/').split('/').collect::<Vec<_>>().split_last().map_or(&[][..], |(_, d)| d)
            {
                p.push('/');
                p.push_str(part);
                files.insert(format!("{p}/"), String::new());
            }
            files.insert(path.to_string(), contents.to_string());
        }
        files
    }

    /// The answer to `GET path` on `port`, given the container's files and hostname; `None`
    /// when the image serves nothing there (connection refused).
    pub fn answer(
        &self,
        port: u16,
        path: &str,
        files: &BTreeMap<String, String>,
        hostname: &str,
    ) -> Option<HttpAnswer> {
        let p = self.ports.iter().find(|p| p.port == port)?;
        let path = path.split(['?', '#']).next().unwrap_or("/");
        Some(match p.answer {
            Answer::Fixed(body) => HttpAnswer { status: 200, body: body.replace("{hostname}", hostname) },
            Answer::Tcp => HttpAnswer { status: 0, body: String::new() },
            Answer::Static { root, not_found } => {
                let mut file = format!("{}{}", root.trim_end_matches('/'), if path.is_empty() { "/" } else { path });
                if file.ends_with('/') || files.contains_key(&format!("{file}/")) {
                    file = format!("{}/index.html", file.trim_end_matches('/'));
                }
                match files.get(&file) {
                    Some(body) => HttpAnswer { status: 200, body: body.clone() },
                    None => HttpAnswer { status: 404, body: not_found.to_string() },
                }
            }
        })
    }
}

/// Looks images up in the catalogue.
#[derive(Debug, Clone, Copy, Default)]
pub struct Catalogue;

impl Catalogue {
    /// The catalogue's profile for `image`'s repository (any tag), if it has one.
    pub fn lookup(image: &ImageRef) -> Option<&'static Profile> {
        let name = image.name();
        CATALOGUE.iter().chain(super::system::SYSTEM_IMAGES).find(|p| p.repository == name)
    }

    /// Every catalogued image.
    pub fn all() -> &'static [Profile] {
        CATALOGUE
    }
}

const BASE: Profile = Profile {
    repository: "",
    tags: Tags::named(&["latest"]),
    size_bytes: 30 * MB,
    entrypoint: &[],
    cmd: &["sh"],
    programs: &[],
    unknown_runs_server: false,
    ports: &[],
    memory_bytes: MIB,
    env: &[PATH],
    files: &[("/etc/hostname", ""), ("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")],
    working_dir: "/",
    has_shell: true,
};

/// Any image outside the catalogue: a long-running server on the ports the pod declares.
// SIM: we cannot know what an arbitrary image does; serving quietly for ever is the most
// common case, and the ports come from the pod's `containerPort`s (`__serve` with no ports).
pub static GENERIC: Profile = Profile {
    repository: "*",
    tags: Tags { any: true, ..Tags::named(&[]) },
    size_bytes: 60 * MB,
    entrypoint: &["/app/server"],
    cmd: &[],
    programs: &[("server", GENERIC_SERVER)],
    unknown_runs_server: true,
    memory_bytes: 20 * MIB,
    ..BASE
};

const GENERIC_SERVER: &str = "sleep 1; echo \"listening\"; __serve";

const NGINX_VARIANTS: &[&str] = &["alpine", "slim", "perl", "otel", "bookworm", "bullseye", "mainline", "stable"];

const NGINX_START: &str = r#"
echo "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
echo "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/"
echo "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh"
echo "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf"
echo "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf"
echo "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh"
echo "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh"
echo "/docker-entrypoint.sh: Configuration complete; ready for start up"
exec "$@"
"#;

const NGINX: &str = r#"
sleep 0.3
t=$(date '+%Y/%m/%d %H:%M:%S')
echo "$t [notice] 1#1: using the \"epoll\" event method" >&2
echo "$t [notice] 1#1: nginx/$NGINX_VERSION" >&2
echo "$t [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14)" >&2
echo "$t [notice] 1#1: OS: Linux 6.8.0-sandbox" >&2
echo "$t [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576" >&2
echo "$t [notice] 1#1: start worker processes" >&2
echo "$t [notice] 1#1: start worker process 29" >&2
__serve 80
"#;

const NGINX_WELCOME: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";

const NGINX_404: &str = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

const NGINX_PROFILE: Profile = Profile {
    repository: "docker.io/library/nginx",
    tags: Tags { newest_minor: &[(1, 29)], ..Tags::versions((1, 1), NGINX_VARIANTS) },
    size_bytes: 72 * MB,
    entrypoint: &["/docker-entrypoint.sh"],
    cmd: &["nginx", "-g", "daemon off;"],
    programs: &[("docker-entrypoint.sh", NGINX_START), ("nginx", NGINX)],
    ports: &[Port { port: 80, answer: Answer::Static { root: "/usr/share/nginx/html", not_found: NGINX_404 } }],
    memory_bytes: 7 * MIB,
    env: &[PATH, ("NGINX_VERSION", "1.27.3")],
    files: &[
        ("/usr/share/nginx/html/index.html", NGINX_WELCOME),
        ("/usr/share/nginx/html/50x.html", "<h1>An error occurred.</h1>\n"),
        ("/etc/nginx/conf.d/default.conf", "server {\n    listen       80;\n    server_name  localhost;\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n"),
        ("/etc/os-release", DEBIAN_OS),
    ],
    ..BASE
};

const DEBIAN_OS: &str =
    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n";
const ALPINE_OS: &str = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.21.0\nPRETTY_NAME=\"Alpine Linux v3.21\"\n";
const UBUNTU_OS: &str = "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nID=ubuntu\n";

const HTTPD: &str = r#"
sleep 0.5
echo "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using $(hostname -i 2>/dev/null || hostname). Set the 'ServerName' directive globally to suppress this message" >&2
echo "[$(date '+%a %b %d %H:%M:%S.000000 %Y')] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations" >&2
echo "[$(date '+%a %b %d %H:%M:%S.000000 %Y')] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'" >&2
__serve 80
"#;

const REDIS: &str = r#"
echo "1:C $(date '+%d %b %Y %H:%M:%S').000 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"
echo "1:C $(date '+%d %b %Y %H:%M:%S').000 # Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started"
sleep 0.2
echo "1:M $(date '+%d %b %Y %H:%M:%S').000 * Running mode=standalone, port=6379."
echo "1:M $(date '+%d %b %Y %H:%M:%S').000 * Server initialized"
echo "1:M $(date '+%d %b %Y %H:%M:%S').000 * Ready to accept connections tcp"
__serve 6379
"#;

const POSTGRES: &str = r#"
if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != "trust" ]; then
  echo "Error: Database is uninitialized and superuser password is not specified." >&2
  echo "       You must specify POSTGRES_PASSWORD to a non-empty value for the" >&2
  echo "       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\"." >&2
  exit 1
fi
echo "The files belonging to this database system will be owned by user \"postgres\"."
echo "Success. You can now start the database server using:"
sleep 3
echo "PostgreSQL init process complete; ready for start up."
echo "$(date '+%Y-%m-%d %H:%M:%S.000 UTC') [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432"
echo "$(date '+%Y-%m-%d %H:%M:%S.000 UTC') [1] LOG:  database system is ready to accept connections"
__serve 5432
"#;

const MYSQL: &str = r#"
if [ -z "$MYSQL_ROOT_PASSWORD" ] && [ -z "$MYSQL_ALLOW_EMPTY_PASSWORD" ] && [ -z "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
  echo "$(date '+%Y-%m-%d %H:%M:%S+00:00') [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified" >&2
  echo "    You need to specify one of the following as an environment variable:" >&2
  echo "    - MYSQL_ROOT_PASSWORD" >&2
  echo "    - MYSQL_ALLOW_EMPTY_PASSWORD" >&2
  echo "    - MYSQL_RANDOM_ROOT_PASSWORD" >&2
  exit 1
fi
echo "$(date '+%Y-%m-%d %H:%M:%S+00:00') [Note] [Entrypoint]: Entrypoint script for MySQL Server started."
sleep 8
echo "$(date '+%Y-%m-%dT%H:%M:%S.000000Z') 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.3'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL."
__serve 3306
"#;

const MONGO: &str = r#"
sleep 1
echo '{"t":{"$date":"'"$(date '+%Y-%m-%dT%H:%M:%S.000+00:00')"'"},"s":"I",  "c":"NETWORK",  "id":23016,   "ctx":"listener","msg":"Waiting for connections","attr":{"port":27017,"ssl":"off"}}'
__serve 27017
"#;

const HELLO_WORLD: &str = r#"
echo ""
echo "Hello from Docker!"
echo "This message shows that your installation appears to be working correctly."
echo ""
echo "To generate this message, Docker took the following steps:"
echo " 1. The Docker client contacted the Docker daemon."
echo " 2. The Docker daemon pulled the \"hello-world\" image from the Docker Hub."
echo " 3. The Docker daemon created a new container from that image which runs the"
echo "    executable that produces the output you are currently reading."
echo " 4. The Docker daemon streamed that output to the Docker client, which sent it"
echo "    to your terminal."
echo ""
"#;

const DOTNET: &str = r#"
sleep 1.5
echo "info: Microsoft.Hosting.Lifetime[14]"
echo "      Now listening on: http://[::]:80"
echo "info: Microsoft.Hosting.Lifetime[0]"
echo "      Application started. Press Ctrl+C to shut down."
echo "info: Microsoft.Hosting.Lifetime[0]"
echo "      Hosting environment: Production"
echo "info: Microsoft.Hosting.Lifetime[0]"
echo "      Content root path: /app"
__serve 80
"#;

const TIMECHECK: &str = r#"
mkdir -p /logs
echo "Environment: ${APP_ENVIRONMENT:-DEV}; version: ${APP_VERSION:-1.0}; time check: $(date '+%H:%M:%S.000')" >> /logs/timecheck.log
sleep 5
while true; do
  echo "Environment: ${APP_ENVIRONMENT:-DEV}; version: ${APP_VERSION:-1.0}; time check: $(date '+%H:%M:%S.000')" >> /logs/timecheck.log
  sleep 5
done
"#;

const MEMORY_ALLOCATOR: &str = r#"
while true; do
  __alloc ${MEMORY_ALLOCATION_MB:-10}
  echo "Allocated ${MEMORY_ALLOCATION_MB:-10}MB, total: $(__memory_mb)MB"
  sleep ${LOOP_DELAY_SECONDS:-5}
done
"#;

/// `kiamol/…`: images of the book "Learn Kubernetes in a Month of Lunches".
// SIM: their Dockerfiles are not in the corpus; programs and answers follow what the book shows.
const KIAMOL: Profile = Profile {
    tags: Tags::named(&["latest"]),
    size_bytes: 90 * MB,
    entrypoint: &["dotnet", "App.dll"],
    cmd: &[],
    programs: &[("dotnet", DOTNET)],
    unknown_runs_server: true,
    memory_bytes: 45 * MIB,
    working_dir: "/app",
    ..BASE
};

static CATALOGUE: &[Profile] = &[
    NGINX_PROFILE,
    Profile {
        repository: "docker.io/library/httpd",
        tags: Tags { newest_minor: &[(2, 4)], ..Tags::versions((2, 2), &["alpine", "bookworm"]) },
        size_bytes: 58 * MB,
        cmd: &["httpd-foreground"],
        programs: &[("httpd-foreground", HTTPD), ("httpd", HTTPD)],
        ports: &[Port {
            port: 80,
            answer: Answer::Static {
                root: "/usr/local/apache2/htdocs",
                not_found: "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n",
            },
        }],
        memory_bytes: 12 * MIB,
        env: &[PATH, ("HTTPD_PREFIX", "/usr/local/apache2")],
        files: &[("/usr/local/apache2/htdocs/index.html", "<html><body><h1>It works!</h1></body></html>\n")],
        working_dir: "/usr/local/apache2",
        ..BASE
    },
    Profile {
        repository: "docker.io/library/busybox",
        tags: Tags {
            named: &["latest", "stable", "musl", "glibc", "uclibc"],
            newest_minor: &[(1, 37)],
            ..Tags::versions((1, 1), &["musl", "glibc", "uclibc", "stable"])
        },
        size_bytes: 2_200_000,
        memory_bytes: 400 * 1024,
        ..BASE
    },
    Profile {
        repository: "registry.k8s.io/busybox",
        tags: Tags::named(&["latest", "1.24", "1.27.2"]),
        size_bytes: 1_300_000,
        memory_bytes: 400 * 1024,
        ..BASE
    },
    Profile {
        repository: "docker.io/library/alpine",
        tags: Tags { named: &["latest", "edge"], newest_minor: &[(3, 22)], ..Tags::versions((3, 3), &[]) },
        size_bytes: 3_600_000,
        cmd: &["/bin/sh"],
        files: &[("/etc/os-release", ALPINE_OS), ("/etc/hostname", "")],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/ubuntu",
        tags: Tags {
            named: &["latest", "rolling", "devel", "jammy", "noble", "focal", "bionic", "oracular"],
            ..Tags::versions((14, 25), &["jammy", "noble", "focal"])
        },
        size_bytes: 29 * MB,
        cmd: &["/bin/bash"],
        files: &[("/etc/os-release", UBUNTU_OS)],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/debian",
        tags: Tags {
            named: &["latest", "stable", "bookworm", "bullseye", "buster", "trixie", "sid", "testing"],
            ..Tags::versions((9, 13), &["slim", "bookworm", "bullseye", "buster"])
        },
        size_bytes: 49 * MB,
        cmd: &["bash"],
        files: &[("/etc/os-release", DEBIAN_OS)],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/redis",
        tags: Tags {
            newest_minor: &[(3, 2), (4, 0), (5, 0), (6, 2), (7, 4), (8, 2)],
            ..Tags::versions((3, 8), &["alpine", "bookworm", "bullseye"])
        },
        size_bytes: 45 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["redis-server"],
        programs: &[("docker-entrypoint.sh", "exec \"$@\""), ("redis-server", REDIS)],
        ports: &[Port { port: 6379, answer: Answer::Tcp }],
        memory_bytes: 3 * MIB,
        working_dir: "/data",
        ..BASE
    },
    Profile {
        repository: "docker.io/library/postgres",
        tags: Tags { newest_minor: &[(9, 6)], ..Tags::versions((9, 18), &["alpine", "bookworm", "bullseye", "trixie"]) },
        size_bytes: 160 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["postgres"],
        programs: &[("docker-entrypoint.sh", "exec \"$@\""), ("postgres", POSTGRES)],
        ports: &[Port { port: 5432, answer: Answer::Tcp }],
        memory_bytes: 40 * MIB,
        env: &[PATH, ("PGDATA", "/var/lib/postgresql/data"), ("PG_MAJOR", "17")],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/mysql",
        tags: Tags { named: &["latest", "lts", "innovation"], ..Tags::versions((5, 9), &["oracle", "debian"]) },
        size_bytes: 170 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["mysqld"],
        programs: &[("docker-entrypoint.sh", "exec \"$@\""), ("mysqld", MYSQL)],
        ports: &[Port { port: 3306, answer: Answer::Tcp }, Port { port: 33060, answer: Answer::Tcp }],
        memory_bytes: 360 * MIB,
        ..BASE
    },
    Profile {
        repository: "docker.io/library/mongo",
        tags: Tags::versions((3, 8), &["jammy", "noble", "focal"]),
        size_bytes: 270 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["mongod"],
        programs: &[("docker-entrypoint.sh", "exec \"$@\""), ("mongod", MONGO)],
        ports: &[Port { port: 27017, answer: Answer::Tcp }],
        memory_bytes: 80 * MIB,
        ..BASE
    },
    Profile {
        repository: "docker.io/library/perl",
        tags: Tags { newest_minor: &[(5, 42)], ..Tags::versions((5, 5), &["slim", "threaded", "bookworm", "bullseye"]) },
        size_bytes: 330 * MB,
        cmd: &["perl", "-de0"],
        programs: &[("perl", "")],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/python",
        tags: Tags { newest_minor: &[(2, 7), (3, 14)], ..Tags::versions((2, 3), &["slim", "alpine", "bookworm", "bullseye"]) },
        size_bytes: 380 * MB,
        cmd: &["python3"],
        programs: &[("python3", ""), ("python", ""), ("pip", "")],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/node",
        tags: Tags { named: &["latest", "lts", "current"], ..Tags::versions((4, 25), &["slim", "alpine", "bookworm", "bullseye"]) },
        size_bytes: 390 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["node"],
        programs: &[("docker-entrypoint.sh", "exec \"$@\""), ("node", ""), ("npm", "")],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/golang",
        tags: Tags { newest_minor: &[(1, 25)], ..Tags::versions((1, 1), &["alpine", "bookworm", "bullseye"]) },
        size_bytes: 300 * MB,
        cmd: &["bash"],
        programs: &[("go", "")],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/hello-world",
        tags: Tags::named(&["latest", "linux", "nanoserver"]),
        size_bytes: 13_000,
        cmd: &["/hello"],
        programs: &[("hello", HELLO_WORLD)],
        has_shell: false,
        files: &[],
        ..BASE
    },
    Profile {
        repository: "registry.k8s.io/pause",
        tags: Tags::named(&["latest", "3.1", "3.2", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10"]),
        size_bytes: 320_000,
        entrypoint: &["/pause"],
        cmd: &[],
        programs: &[("pause", "__serve 0")],
        memory_bytes: 300 * 1024,
        has_shell: false,
        files: &[],
        ..BASE
    },
    Profile {
        repository: "docker.io/curlimages/curl",
        tags: Tags::versions((7, 8), &[]),
        size_bytes: 11 * MB,
        entrypoint: &["/entrypoint.sh"],
        cmd: &["curl"],
        programs: &[("entrypoint.sh", "exec \"$@\"")],
        files: &[("/etc/os-release", ALPINE_OS)],
        ..BASE
    },
    Profile {
        repository: "docker.io/nicolaka/netshoot",
        tags: Tags { named: &["latest"], prefix: "v", ..Tags::versions((0, 0), &[]) },
        size_bytes: 190 * MB,
        cmd: &["zsh"],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/traefik",
        tags: Tags { prefix: "v", newest_minor: &[(1, 7), (2, 11), (3, 5)], ..Tags::versions((1, 3), &[]) },
        size_bytes: 50 * MB,
        entrypoint: &["/entrypoint.sh"],
        cmd: &["traefik"],
        programs: &[("entrypoint.sh", "exec \"$@\""), ("traefik", "sleep 1; __serve 80 8080")],
        ports: &[Port { port: 80, answer: Answer::Fixed("404 page not found\n") }, Port { port: 8080, answer: Answer::Fixed("404 page not found\n") }],
        memory_bytes: 30 * MIB,
        ..BASE
    },
    Profile {
        repository: "docker.io/library/adminer",
        tags: Tags::versions((4, 5), &["standalone", "fastcgi"]),
        size_bytes: 40 * MB,
        entrypoint: &["entrypoint.sh", "docker-php-entrypoint"],
        cmd: &["php", "-S", "[::]:8080", "-t", "/var/www/html"],
        programs: &[("entrypoint.sh", "exec \"$@\""), ("docker-php-entrypoint", "exec \"$@\""), ("php", "sleep 0.5; echo \"[$(date)] PHP 7.4 Development Server (http://[::]:8080) started\" >&2; __serve 8080")],
        ports: &[Port { port: 8080, answer: Answer::Fixed("<!DOCTYPE html>\n<html lang=\"en\"><head><title>Login - Adminer</title></head><body>Adminer</body></html>\n") }],
        memory_bytes: 15 * MIB,
        ..BASE
    },
    Profile {
        repository: "docker.io/library/nats",
        tags: Tags::versions((0, 2), &["alpine", "scratch", "linux", "nanoserver"]),
        size_bytes: 8 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["nats-server", "--config", "nats-server.conf"],
        programs: &[("docker-entrypoint.sh", "exec \"$@\""), ("nats-server", "echo \"[1] $(date '+%Y/%m/%d %H:%M:%S.000000') [INF] Server is ready\"; __serve 4222 8222")],
        ports: &[Port { port: 4222, answer: Answer::Tcp }, Port { port: 8222, answer: Answer::Fixed("{\"status\":\"ok\"}") }],
        memory_bytes: 10 * MIB,
        ..BASE
    },
    Profile {
        repository: "docker.io/kiamol/ch02-hello-kiamol",
        programs: &[("dotnet", DOTNET), ("nginx", NGINX)],
        entrypoint: &["nginx", "-g", "daemon off;"],
        ports: &[Port { port: 80, answer: Answer::Fixed("<html><body><h1>Hello from Chapter 2!</h1><p>This is a web page running in a Kubernetes Pod.</p></body></html>\n") }],
        memory_bytes: 7 * MIB,
        env: &[PATH, ("NGINX_VERSION", "1.17.10")],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch02-whoami",
        ports: &[Port { port: 80, answer: Answer::Fixed("I'm {hostname} running on Linux 6.8.0-sandbox #1 SMP") }],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch03-sleep",
        entrypoint: &[],
        cmd: &["sleep", "3000"],
        programs: &[],
        unknown_runs_server: false,
        memory_bytes: MIB,
        files: &[("/etc/os-release", ALPINE_OS)],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch03-numbers-api",
        tags: Tags::named(&["latest", "windows", "linux-amd64", "linux-arm64"]),
        ports: &[Port { port: 80, answer: Answer::Fixed("42") }],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch03-numbers-web",
        tags: Tags::named(&["latest", "v2"]),
        ports: &[Port { port: 80, answer: Answer::Fixed("<html><head><title>Random Number Generator</title></head><body><h1>Random Number Generator</h1><form><button>Go</button></form></body></html>\n") }],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch04-todo-list",
        ports: &[Port { port: 80, answer: Answer::Fixed("<html><head><title>ToDo List</title></head><body><h1>ToDo List</h1><p>Nothing to do! Add a new item.</p></body></html>\n") }],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch05-pi",
        entrypoint: &["dotnet", "Pi.Web.dll"],
        ports: &[Port { port: 80, answer: Answer::Fixed("<html><body><h1>Pi</h1><p>To: 6 d.p.</p><p>3.141593</p><p>Computed by: {hostname}</p></body></html>\n") }],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch07-timecheck",
        entrypoint: &["dotnet", "TimeCheck.dll"],
        programs: &[("dotnet", TIMECHECK)],
        memory_bytes: 30 * MIB,
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch09-vweb",
        tags: Tags::named(&["latest", "v1", "v2", "v3"]),
        entrypoint: &["nginx", "-g", "daemon off;"],
        programs: &[("nginx", NGINX)],
        ports: &[Port { port: 80, answer: Answer::Fixed("<html><body><h1>vweb</h1><p>A simple versioned web app.</p></body></html>\n") }],
        memory_bytes: 7 * MIB,
        env: &[PATH, ("NGINX_VERSION", "1.17.10")],
        ..KIAMOL
    },
    Profile {
        repository: "docker.io/kiamol/ch12-memory-allocator",
        entrypoint: &["/app/allocate.sh"],
        programs: &[("allocate.sh", MEMORY_ALLOCATOR)],
        unknown_runs_server: false,
        memory_bytes: 2 * MIB,
        ..KIAMOL
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(s: &str) -> &'static Profile {
        Catalogue::lookup(&ImageRef::parse(s).unwrap()).unwrap()
    }

    #[test]
    fn catalogue_has_no_duplicate_repositories() {
        let mut names: Vec<_> = Catalogue::all().iter().map(|p| p.repository).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
    }

    #[test]
    fn nginx_answers_its_welcome_page_and_404_elsewhere() {
        let nginx = profile("nginx:1.27");
        let files = nginx.initial_files();
        let home = nginx.answer(80, "/", &files, "web").unwrap();
        assert_eq!(home.status, 200);
        assert!(home.body.contains("<h1>Welcome to nginx!</h1>"));
        assert_eq!(nginx.answer(80, "/missing", &files, "web").unwrap().status, 404);
        assert_eq!(nginx.answer(8080, "/", &files, "web"), None);
    }

    #[test]
    fn nginx_serves_a_mounted_index_instead_of_its_own() {
        let nginx = profile("nginx");
        let mut files = nginx.initial_files();
        files.insert("/usr/share/nginx/html/index.html".into(), "mine\n".into());
        assert_eq!(nginx.answer(80, "/", &files, "web").unwrap().body, "mine\n");
    }

    #[test]
    fn httpd_says_it_works() {
        let httpd = profile("httpd:2.4");
        let a = httpd.answer(80, "/", &httpd.initial_files(), "h").unwrap();
        assert_eq!(a.body, "<html><body><h1>It works!</h1></body></html>\n");
    }

    #[test]
    fn whoami_answers_with_the_hostname() {
        let w = profile("kiamol/ch02-whoami");
        assert!(w.answer(80, "/", &BTreeMap::new(), "whoami-7d9f").unwrap().body.contains("whoami-7d9f"));
    }

    #[test]
    fn command_replaces_entrypoint_and_cmd_and_args_replace_cmd() {
        let nginx = profile("nginx");
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(nginx.argv(&[], &[]), s(&["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"]));
        assert_eq!(nginx.argv(&s(&["sh"]), &[]), s(&["sh"]));
        assert_eq!(nginx.argv(&[], &s(&["nginx-debug"])), s(&["/docker-entrypoint.sh", "nginx-debug"]));
        assert_eq!(nginx.argv(&s(&["sh", "-c"]), &s(&["echo hi"])), s(&["sh", "-c", "echo hi"]));
    }

    #[test]
    fn version_shaped_tags_exist_within_the_majors() {
        let t = profile("postgres").tags;
        assert!(t.has("11.6-alpine") && t.has("16") && t.has("alpine") && t.has("latest"));
        assert!(!t.has("99") && !t.has("11.6-purple") && !t.has("1.2.3.4"));
        let nats = profile("nats").tags;
        assert!(nats.has("2.1.0-alpine3.10"));
        assert!(profile("traefik").tags.has("v2.2.1"));
        assert!(!profile("traefik").tags.has("2.2.1"));
    }

    #[test]
    fn tags_newer_than_the_newest_release_of_their_major_do_not_exist() {
        let nginx = profile("nginx").tags;
        assert!(nginx.has("1.29") && nginx.has("1.29.1-alpine") && nginx.has("1.7.9") && nginx.has("1.27.3"));
        assert!(!nginx.has("1.99") && !nginx.has("1.30") && !nginx.has("1.99-alpine") && !nginx.has("2.0"));
        let redis = profile("redis").tags;
        assert!(
            redis.has("7.4.1") && redis.has("6.2-alpine") && redis.has("7") && !redis.has("7.9") && !redis.has("6.5")
        );
        assert!(profile("busybox").tags.has("1.36") && !profile("busybox").tags.has("1.99"));
        assert!(profile("alpine").tags.has("3.21") && !profile("alpine").tags.has("3.99"));
        assert!(profile("python").tags.has("3.12-slim") && !profile("python").tags.has("3.99"));
        assert!(profile("postgres").tags.has("9.6") && !profile("postgres").tags.has("9.9"));
        assert!(profile("postgres").tags.has("16.4") && profile("postgres").tags.has("18"));
    }

    #[test]
    fn initial_files_include_parent_directories() {
        let files = profile("nginx").initial_files();
        assert!(files.contains_key("/usr/share/nginx/html/"));
        assert!(files.contains_key("/usr/share/"));
        assert!(files.contains_key("/tmp/"));
    }
}

//! Base images and servers the catalogue's first list lacks: bash, CentOS, Fedora, RabbitMQ,
//! WordPress. Their tags follow the publishers' schemes; their programs start as the images do.

use super::catalogue::{flags_to, Answer, Port, Profile, Tags, BASE, MB, MIB, PATH};

const CENTOS_OS: &str = "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nVERSION_ID=\"7\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\n";
const FEDORA_OS: &str = "NAME=\"Fedora Linux\"\nVERSION=\"43 (Container Image)\"\nID=fedora\nVERSION_ID=43\nPRETTY_NAME=\"Fedora Linux 43 (Container Image)\"\n";

const RABBITMQ: &str = r#"
sleep 4
t() { date '+%Y-%m-%d %H:%M:%S.000000+00:00'; }
echo "$(t) [info] <0.9.0> Starting RabbitMQ 4.1.4 on Erlang 27.3.4"
echo "$(t) [info] <0.9.0>  node           : rabbit@$HOSTNAME"
echo "$(t) [info] <0.9.0>  home dir       : /var/lib/rabbitmq"
echo "$(t) [info] <0.650.0> started TCP listener on [::]:5672"
echo "$(t) [info] <0.9.0> Server startup complete; 4 plugins started."
__serve 5672 15672 4369 25672
"#;

const WORDPRESS: &str = r#"
echo "WordPress not found in /var/www/html - copying now..."
echo "Complete! WordPress has been successfully copied to /var/www/html"
sleep 1
echo "AH00558: apache2: Could not reliably determine the server's fully qualified domain name. Set the 'ServerName' directive globally to suppress this message" >&2
echo "[$(date '+%a %b %d %H:%M:%S.000000 %Y')] [mpm_prefork:notice] [pid 1:tid 1] AH00163: Apache/2.4.62 (Debian) PHP/8.2.28 configured -- resuming normal operations" >&2
echo "[$(date '+%a %b %d %H:%M:%S.000000 %Y')] [core:notice] [pid 1:tid 1] AH00094: Command line: 'apache2 -D FOREGROUND'" >&2
__serve 80
"#;

const WORDPRESS_SETUP: &str = "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>WordPress &rsaquo; Installation</title>\n</head>\n<body class=\"wp-core-ui language-chooser\">\n<p id=\"logo\">WordPress</p>\n</body>\n</html>\n";

/// The extra base images and servers.
pub(super) static DISTROS: &[Profile] = &[
    Profile {
        repository: "docker.io/library/bash",
        tags: Tags { newest_minor: &[(3, 2), (4, 4), (5, 3)], ..Tags::versions((3, 5), &["alpine", "devel"]) },
        size_bytes: 6 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["bash"],
        programs: &[("docker-entrypoint.sh", "exec \"$@\"")],
        env: &[PATH, ("_BASH_VERSION", "5.3")],
        files: super::catalogue::ALPINE_FILES,
        ..BASE
    },
    Profile {
        repository: "docker.io/library/centos",
        tags: Tags {
            named: &["latest", "centos7", "centos8", "centos6", "7.9.2009", "8.4.2105", "8.3.2011", "7.6.1810"],
            newest_minor: &[(6, 0), (7, 0), (8, 0)],
            ..Tags::versions((6, 8), &[])
        },
        size_bytes: 76 * MB,
        cmd: &["/bin/bash"],
        files: &[("/etc/os-release", CENTOS_OS), ("/etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n")],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/fedora",
        tags: Tags { named: &["latest", "rawhide"], ..Tags::versions((20, 44), &[]) },
        size_bytes: 60 * MB,
        cmd: &["/bin/bash"],
        files: &[("/etc/os-release", FEDORA_OS)],
        ..BASE
    },
    Profile {
        repository: "docker.io/library/rabbitmq",
        tags: Tags {
            named: &["latest", "management", "alpine", "management-alpine"],
            newest_minor: &[(3, 13), (4, 1)],
            ..Tags::versions((3, 4), &["management", "alpine"])
        },
        size_bytes: 110 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["rabbitmq-server"],
        programs: &[("docker-entrypoint.sh", flags_to("rabbitmq-server")), ("rabbitmq-server", RABBITMQ)],
        ports: &[
            Port::quiet(5672, Answer::Tcp),
            Port::quiet(
                15672,
                Answer::Fixed(
                    "<!DOCTYPE html>\n<html><head><title>RabbitMQ Management</title></head><body></body></html>\n",
                ),
            ),
        ],
        memory_bytes: 110 * MIB,
        env: &[PATH, ("RABBITMQ_DATA_DIR", "/var/lib/rabbitmq"), ("RABBITMQ_VERSION", "4.1.4")],
        working_dir: "/",
        ..BASE
    },
    Profile {
        repository: "docker.io/library/wordpress",
        tags: Tags {
            named: &["latest", "apache", "fpm", "fpm-alpine", "cli", "beta"],
            newest_minor: &[(4, 9), (5, 9), (6, 8)],
            ..Tags::versions(
                (4, 6),
                &["apache", "fpm", "alpine", "cli", "php7.4", "php8.0", "php8.1", "php8.2", "php8.3", "php8.4"],
            )
        },
        size_bytes: 250 * MB,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["apache2-foreground"],
        programs: &[("docker-entrypoint.sh", "exec \"$@\""), ("apache2-foreground", WORDPRESS)],
        ports: &[Port {
            port: 80,
            answer: Answer::Fixed(WORDPRESS_SETUP),
            access_log: "{client} - - [{clf_time}] \"GET {path} HTTP/1.1\" {status} {bytes} \"-\" \"-\"",
            when: "",
        }],
        memory_bytes: 60 * MIB,
        working_dir: "/var/www/html",
        ..BASE
    },
];

//! Profiles of the images a kubeadm cluster runs in `kube-system` (etcd, the API server,
//! controller manager and scheduler, kube-proxy, CoreDNS) and of the ingress-nginx controller
//! courses install: the ports each serves (health endpoints the kubelet probes), its start-up
//! lines and memory. Kept apart from the general catalogue, which looks here too.

use super::catalogue::{Answer, Port, Profile, Tags};

const MIB: u64 = 1024 * 1024;
const MB: u64 = 1_000_000;

/// The Kubernetes release of the control-plane images (`registry.k8s.io/kube-apiserver:v1.37.0`).
pub const KUBE_TAG: &str = "v1.37.0";
/// The etcd image kubeadm pins for this release.
// SIM: the versions are those kubeadm pinned when the sandbox was written.
pub const ETCD_TAG: &str = "3.6.6-0";
/// The CoreDNS image kubeadm pins for this release.
pub const COREDNS_TAG: &str = "v1.13.1";

const KUBE_TAGS: Tags = Tags {
    named: &["v1.37.0", "v1.36.0", "v1.35.0", "v1.34.0", "v1.33.0"],
    prefix: "v",
    majors: (1, 1),
    variants: &[],
    newest_minor: &[(1, 37)],
    any: false,
};

/// A distroless image: no shell, nothing but its program.
const DISTROLESS: Profile = Profile {
    repository: "",
    tags: KUBE_TAGS,
    size_bytes: 30 * MB,
    entrypoint: &[],
    cmd: &[],
    programs: &[],
    unknown_runs_server: false,
    ports: &[],
    memory_bytes: 20 * MIB,
    env: &[("PATH", "/usr/local/bin:/usr/bin:/bin")],
    files: &[],
    working_dir: "/",
    has_shell: false,
    aliases: &[],
    version_var: "",
    versions: &[],
    scripts: &[],
};

const OK: Answer = Answer::Fixed("ok");

const ETCD: &str = r#"
echo '{"level":"info","msg":"starting an etcd server","etcd-version":"3.6.6","name":"'"$HOSTNAME"'","data-dir":"/var/lib/etcd"}'
echo '{"level":"info","msg":"serving client traffic securely","address":"127.0.0.1:2379"}'
__serve 2379 2380 2381
"#;

/// A shell function printing a line with klog's header: severity, month and day, time to the
/// microsecond (the simulated clock's), thread id; the line goes on with `file:line] message`.
macro_rules! klog {
    () => {
        "klog() { echo \"I$(date +%m%d) $(date +%T.%6N)       1 $1\"; }\n"
    };
}

// SIM: it serves as soon as it has started (a real one takes a few seconds): kube-system's pods
// start settled when the cluster is built, probed a period later, and its startup probe waits
// 10 s after a restart anyway.
const APISERVER: &str = concat!(
    klog!(),
    r#"
klog 'options.go:249] external host was not specified, using 172.18.0.2'
klog 'server.go:175] Version: v1.37.0'
__serve 6443
"#
);

const CONTROLLER_MANAGER: &str = concat!(
    klog!(),
    r#"
klog 'serving.go:386] Generated self-signed cert in-memory'
klog 'controllermanager.go:197] "Starting" version="v1.37.0"'
klog 'leaderelection.go:257] attempting to acquire leader lease kube-system/kube-controller-manager...'
__serve 10257
"#
);

const SCHEDULER: &str = concat!(
    klog!(),
    r#"
klog 'serving.go:386] Generated self-signed cert in-memory'
klog 'server.go:169] "Starting Kubernetes Scheduler" version="v1.37.0"'
klog 'leaderelection.go:257] attempting to acquire leader lease kube-system/kube-scheduler...'
__serve 10259
"#
);

const KUBE_PROXY: &str = concat!(
    klog!(),
    r#"
klog 'server_linux.go:53] "Using iptables proxy"'
klog 'server.go:219] "Successfully retrieved NodeIPs" NodeIPs=["'"$NODE_NAME"'"]'
klog 'config.go:200] "Starting service config controller"'
__serve 10249 10256
"#
);

const COREDNS: &str = r#"
echo '.:53'
echo '[INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b'
echo 'CoreDNS-1.13.1'
echo 'linux/amd64, go1.25.2, 1db4568'
__serve 53 8080 8181 9153
"#;

const CONTROLLER: &str = r#"
echo '-------------------------------------------------------------------------------'
echo 'NGINX Ingress controller'
echo '  Release:       v1.14.0'
echo '  Repository:    https://github.com/kubernetes/ingress-nginx'
echo '  nginx version: nginx/1.27.1'
echo ''
echo '-------------------------------------------------------------------------------'
echo ''
sleep 2
__serve 80 443 8443 10254
"#;

/// dumb-init runs its arguments (after an optional `--`) as its child.
const DUMB_INIT: &str = r#"
if [ "$1" = "--" ]; then shift; fi
"$@"
"#;

const WEBHOOK_CERTGEN: &str = r#"
if [ "$1" = patch ]; then
echo '{"level":"info","msg":"patching webhook configurations ingress-nginx-admission mutating=false, validating=true, failurePolicy=Fail","source":"k8s/k8s.go:118"}'
echo '{"level":"info","msg":"Patched hook(s)","source":"k8s/k8s.go:138"}'
else
echo '{"level":"info","msg":"creating new secret","source":"cmd/create.go:28"}'
fi
exit 0
"#;

/// The kube-system images and the ingress-nginx images, by repository.
pub static SYSTEM_IMAGES: &[Profile] = &[
    Profile {
        repository: "registry.k8s.io/etcd",
        tags: Tags { named: &["3.6.6-0", "3.6.5-0", "3.6.4-0", "3.5.21-0", "3.5.16-0"], ..KUBE_TAGS },
        size_bytes: 23 * MB,
        entrypoint: &[],
        programs: &[("etcd", ETCD)],
        ports: &[
            Port::quiet(2379, Answer::Tcp),
            Port::quiet(2380, Answer::Tcp),
            Port::quiet(2381, Answer::Fixed("{\"health\":\"true\",\"reason\":\"\"}")),
        ],
        memory_bytes: 45 * MIB,
        ..DISTROLESS
    },
    Profile {
        repository: "registry.k8s.io/kube-apiserver",
        size_bytes: 30 * MB,
        programs: &[("kube-apiserver", APISERVER)],
        ports: &[Port::quiet(6443, OK)],
        memory_bytes: 260 * MIB,
        ..DISTROLESS
    },
    Profile {
        repository: "registry.k8s.io/kube-controller-manager",
        size_bytes: 27 * MB,
        programs: &[("kube-controller-manager", CONTROLLER_MANAGER)],
        ports: &[Port::quiet(10257, OK)],
        memory_bytes: 55 * MIB,
        ..DISTROLESS
    },
    Profile {
        repository: "registry.k8s.io/kube-scheduler",
        size_bytes: 21 * MB,
        programs: &[("kube-scheduler", SCHEDULER)],
        ports: &[Port::quiet(10259, OK)],
        memory_bytes: 24 * MIB,
        ..DISTROLESS
    },
    Profile {
        repository: "registry.k8s.io/kube-proxy",
        size_bytes: 31 * MB,
        programs: &[("kube-proxy", KUBE_PROXY)],
        ports: &[Port::quiet(10249, OK), Port::quiet(10256, OK)],
        memory_bytes: 22 * MIB,
        ..DISTROLESS
    },
    Profile {
        repository: "registry.k8s.io/coredns/coredns",
        tags: Tags { named: &["v1.13.1", "v1.12.4", "v1.12.1", "v1.12.0", "v1.11.3", "v1.11.1"], ..KUBE_TAGS },
        size_bytes: 22 * MB,
        entrypoint: &["/coredns"],
        programs: &[("coredns", COREDNS)],
        ports: &[
            Port::quiet(53, Answer::Tcp),
            Port::quiet(8080, Answer::Fixed("OK")),
            Port::quiet(8181, Answer::Fixed("OK")),
            Port::quiet(9153, Answer::Fixed("# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.\n# TYPE coredns_build_info gauge\ncoredns_build_info{goversion=\"go1.25.2\",revision=\"1db4568\",version=\"1.13.1\"} 1\n")),
        ],
        memory_bytes: 16 * MIB,
        ..DISTROLESS
    },
    Profile {
        repository: "registry.k8s.io/ingress-nginx/controller",
        tags: Tags { named: &[], majors: (1, 1), newest_minor: &[(1, 14)], ..KUBE_TAGS },
        size_bytes: 110 * MB,
        entrypoint: &["/usr/bin/dumb-init", "--"],
        cmd: &["/nginx-ingress-controller"],
        programs: &[("dumb-init", DUMB_INIT), ("nginx-ingress-controller", CONTROLLER)],
        ports: &[
            Port::quiet(80, Answer::Fixed("")),
            Port::quiet(443, Answer::Fixed("")),
            Port::quiet(8443, Answer::Tcp),
            Port::quiet(10254, OK),
        ],
        memory_bytes: 90 * MIB,
        has_shell: true,
        ..DISTROLESS
    },
    Profile {
        repository: "registry.k8s.io/ingress-nginx/kube-webhook-certgen",
        tags: Tags { named: &[], majors: (1, 1), newest_minor: &[(1, 6)], ..KUBE_TAGS },
        size_bytes: 25 * MB,
        entrypoint: &["/kube-webhook-certgen"],
        programs: &[("kube-webhook-certgen", WEBHOOK_CERTGEN)],
        unknown_runs_server: false,
        memory_bytes: 8 * MIB,
        ..DISTROLESS
    },
];

#[cfg(test)]
mod tests {
    use super::super::{profile_for, ImageRef};

    fn resolve(s: &str) -> &'static str {
        profile_for(&ImageRef::parse(s).unwrap()).map(|p| p.repository).unwrap_or("error")
    }

    #[test]
    fn kubeadm_images_resolve_to_their_own_profiles() {
        assert_eq!(resolve("registry.k8s.io/kube-apiserver:v1.37.0"), "registry.k8s.io/kube-apiserver");
        assert_eq!(resolve("registry.k8s.io/etcd:3.6.6-0"), "registry.k8s.io/etcd");
        assert_eq!(resolve("registry.k8s.io/coredns/coredns:v1.13.1"), "registry.k8s.io/coredns/coredns");
        assert_eq!(resolve("registry.k8s.io/kube-proxy:v1.99.0"), "error");
        assert_eq!(
            resolve("registry.k8s.io/ingress-nginx/controller:v1.14.0"),
            "registry.k8s.io/ingress-nginx/controller"
        );
    }
}

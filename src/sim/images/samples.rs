//! The sample apps of the Kubernetes tutorials and e2e tests: what each answers, logs and ships
//! (kubernetes-bootcamp, hello-app, echoserver, agnhost, http-echo, nginx-slim, the PHP and the
//! Go guestbook).
//!
//! Programs and pages are written here from what the tutorials show, not copied from the images.

use super::catalogue::{
    Answer, Port, Profile, Route, Tags, BASE, MB, MIB, NGINX_404, NGINX_ACCESS, NGINX_WELCOME, PATH, REDIS,
};

/// The bootcamp's `server.js`: a Node server that names its pod and its version.
// SIM: written for the sandbox; the image's own file does the same in other words.
const BOOTCAMP_JS: &str = "var http = require('http');\nvar requests = 0;\nvar started = new Date();\nvar host = process.env.HOSTNAME;\nvar version = 'v=1';\nhttp.createServer(function (req, res) {\n  requests++;\n  res.writeHead(200, {'Content-Type': 'text/plain'});\n  res.end('Hello Kubernetes bootcamp! | Running on: ' + host + ' | ' + version + '\\n');\n  console.log('Running On:', host, '| Total Requests:', requests, '| App Uptime:', (new Date() - started) / 1000, 'seconds', '| Log Time:', new Date());\n}).listen(8080, function () {\n  console.log('Kubernetes Bootcamp App Started At:', started, '| Running On: ', host, '\\n');\n});\n";

const BOOTCAMP_NODE: &str = r#"
case "$1" in
  server.js|./server.js|/server.js) ;;
  *) __node "$@"; exit $? ;;
esac
case "$(__tag)" in v2) V=2 ;; *) V=1 ;; esac
echo "Kubernetes Bootcamp App Started At: $(date -u '+%Y-%m-%dT%H:%M:%S.000Z') | Running On:  $HOSTNAME "
echo ""
__serve 8080
"#;

const BOOTCAMP: Profile = Profile {
    repository: "gcr.io/google-samples/kubernetes-bootcamp",
    aliases: &["docker.io/jocatalin/kubernetes-bootcamp"],
    // SIM: the tutorial's two versions; `v10` (the "see it fail" step) does not exist.
    tags: Tags::named(&["v1", "v2"]),
    size_bytes: 73 * MB,
    entrypoint: &[],
    cmd: &["/bin/sh", "-c", "node server.js"],
    programs: &[("node", BOOTCAMP_NODE), ("npm", "echo 3.10.3")],
    ports: &[Port {
        port: 8080,
        answer: Answer::Fixed("Hello Kubernetes bootcamp! | Running on: {hostname} | v={$V}\n"),
        access_log:
            "Running On: {hostname} | Total Requests: {requests} | App Uptime: {uptime} seconds | Log Time: {now}",
        when: "",
    }],
    memory_bytes: 12 * MIB,
    env: &[PATH, ("NODE_VERSION", "6.3.1"), ("NPM_CONFIG_LOGLEVEL", "info")],
    files: &[("/server.js", BOOTCAMP_JS), ("/etc/os-release", super::catalogue::DEBIAN_OS)],
    ..BASE
};

const HELLO_APP: &str = r#"
case "$(__tag)" in 2.0) VERSION=2.0.0 ;; *) VERSION=1.0.0 ;; esac
port="${PORT:-8080}"
echo "$(date '+%Y/%m/%d %H:%M:%S') Server listening on port $port"
__serve "$port"
"#;

const ECHO_SERVER: &str = r#"
port="${PORT:-8080}"
echo "Echo server listening on port $port."
__serve "$port"
"#;

/// echoserver (nginx with a Lua page that prints the request back).
const ECHOSERVER_PAGE: &str = "\n\nHostname: {hostname}\n\nPod Information:\n\t-no pod information available-\n\nServer values:\n\tserver_version=nginx: 1.13.3 - lua: 10008\n\nRequest Information:\n\tclient_address={client}\n\tmethod={method}\n\treal path={path}\n\tquery=\n\trequest_version=1.1\n\trequest_scheme=http\n\trequest_uri=http://{hostname}:8080{path}\n\nRequest Headers:\n{echo_headers}\nRequest Body:\n{echo_body}\n\n";

/// BIND's DNS clients (the dnsutils and bind-tools packages); `nslookup` is the builtin, which
/// writes BIND's layout in an image that has `dig`.
const DNSUTILS: &[(&str, &str)] = &[("dig", "__dig \"$@\""), ("host", "__host \"$@\"")];

/// agnhost: one binary, a subcommand per test server.
const AGNHOST: &str = r#"
sub="$1"
[ $# -gt 0 ] && shift
log() { echo "I$(date '+%m%d %H:%M:%S').000000       1 $*" >&2; }
# A flag's value is the next word when not joined with `=` (Go's pflag reads both).
need() {
  if [ $# -lt 2 ]; then
    echo "Error: flag needs an argument: $1" >&2
    exit 1
  fi
}
case "$sub" in
  netexec)
    port=8080; udp=8081
    while [ $# -gt 0 ]; do
      case "$1" in
        --http-port=*) port="${1#*=}" ;;
        --udp-port=*) udp="${1#*=}" ;;
        --http-port|--udp-port)
          need "$@"
          case "$1" in --http-port) port="$2" ;; *) udp="$2" ;; esac
          shift ;;
      esac
      shift
    done
    MODE=netexec
    log "Started HTTP server on port $port"
    log "Started UDP server on port $udp"
    __serve "$port" "$udp" ;;
  serve-hostname)
    port=9376
    while [ $# -gt 0 ]; do
      case "$1" in
        --port=*) port="${1#*=}" ;;
        --port) need "$@"; port="$2"; shift ;;
      esac
      shift
    done
    MODE=serve-hostname
    log "Serving on port $port."
    __serve "$port" ;;
  liveness)
    MODE=liveness
    __serve 8080 ;;
  test-webserver)
    MODE=test-webserver
    __serve 80 ;;
  pause)
    echo "Paused"
    __serve none ;;
  dns-suffix)
    # SIM: the sandbox's clusters are all cluster.local.
    echo cluster.local ;;
  dns-server-list)
    sed -n 's/^nameserver //p' /etc/resolv.conf 2>/dev/null ;;
  etc-hosts)
    cat /etc/hosts ;;
  fake-gitserver)
    MODE=fake-gitserver
    __serve 8000 ;;
  "")
    echo "Usage:" >&2
    echo "  agnhost [command]" >&2
    exit 1 ;;
  *)
    echo "Error: unknown command \"$sub\" for \"agnhost\"" >&2
    echo "Run 'agnhost --help' for usage." >&2
    exit 1 ;;
esac
"#;

const NETEXEC: &[Route] = &[
    Route::ok("/", "NOW: {now}"),
    Route::ok("/hostname", "{hostname}"),
    Route::ok("/echo", "{query:msg}"),
    Route::ok("/clientip", "{client}"),
    Route::ok("/healthz", ""),
    Route::ok("/header", ""),
];

/// agnhost `liveness`: /healthz is 200 for the first 10 s, then 500 for ever (the HTTP liveness
/// tutorial's restarts).
const LIVENESS: &[Route] = &[
    Route { path: "/healthz", status: 200, body: "ok", fails_after: Some((10, 500, "error: {uptime}")) },
    Route { path: "/started", status: 200, body: "{uptime}", fails_after: None },
];

const AGNHOST_PORTS: &[Port] = &[
    Port { port: 0, answer: Answer::Routes(NETEXEC), access_log: "", when: "MODE=netexec" },
    Port { port: 0, answer: Answer::Fixed("{hostname}"), access_log: "", when: "MODE=serve-hostname" },
    Port { port: 8080, answer: Answer::Routes(LIVENESS), access_log: "", when: "MODE=liveness" },
    Port { port: 80, answer: Answer::Fixed("Hello from {hostname}\n"), access_log: "", when: "MODE=test-webserver" },
    Port { port: 8000, answer: Answer::Fixed(""), access_log: "", when: "MODE=fake-gitserver" },
];

const HTTP_ECHO: &str = r#"
text=""
listen=":5678"
for a in "$@"; do
  case "$a" in
    -text=*|--text=*) text="${a#*=}" ;;
    -listen=*|--listen=*) listen="${a#*=}" ;;
    -version|--version) echo "v1.0.0"; exit 0 ;;
  esac
done
if [ -z "$text" ]; then
  text="hello-world"
fi
echo "$(date '+%Y/%m/%d %H:%M:%S') [INFO] server is listening on $listen"
__serve "${listen##*:}"
"#;

const NGINX_SLIM_START: &str = r#"
sleep 0.3
__serve 80
"#;

const GUESTBOOK_HTML: &str = "<html ng-app=\"redis\">\n  <head>\n    <title>Guestbook</title>\n    <link rel=\"stylesheet\" href=\"//netdna.bootstrapcdn.com/bootstrap/3.1.1/css/bootstrap.min.css\">\n  </head>\n  <body ng-controller=\"RedisCtrl\">\n    <div style=\"width: 50%; margin-left: 20px\">\n      <h2>Guestbook</h2>\n    <form>\n    <fieldset>\n    <input ng-model=\"msg\" placeholder=\"Messages\" class=\"form-control\" type=\"text\" name=\"input\"><br>\n    <button type=\"button\" class=\"btn btn-primary\" ng-click=\"controller.onRedis()\">Submit</button>\n    </fieldset>\n    </form>\n    <div>\n      <div ng-repeat=\"msg in messages track by $index\">\n        {{msg}}\n      </div>\n    </div>\n    </div>\n  </body>\n</html>\n";

const GUESTBOOK: &str = r#"
sleep 1
echo "AH00558: apache2: Could not reliably determine the server's fully qualified domain name. Set the 'ServerName' directive globally to suppress this message" >&2
echo "[$(date '+%a %b %d %H:%M:%S.000000 %Y')] [mpm_prefork:notice] [pid 1] AH00163: Apache/2.4.38 (Debian) PHP/7.4.8 configured -- resuming normal operations" >&2
echo "[$(date '+%a %b %d %H:%M:%S.000000 %Y')] [core:notice] [pid 1] AH00094: Command line: 'apache2 -D FOREGROUND'" >&2
__serve 80
"#;

const GUESTBOOK_ROUTES: &[Route] = &[
    Route::ok("/", GUESTBOOK_HTML),
    Route::ok("/index.html", GUESTBOOK_HTML),
    Route::ok("/controllers.js", "var redisApp = angular.module('redis', ['ui.bootstrap']);\n"),
];

/// `guestbook.php`: `cmd=set` stores the value in the Redis leader, any other `cmd` reads it
/// from a follower, through the Services' DNS names (or `*_SERVICE_HOST` with
/// `GET_HOSTS_FROM=env`); no `cmd` is `phpinfo()`. Predis throws when it cannot connect, and
/// the page (with `display_errors` on) shows PHP's fatal error.
// SIM: the PHP is written in the simulated shell, with redis-cli standing in for Predis.
const GUESTBOOK_PHP: &str = r#"
if [ -z "$GET_cmd" ]; then
  printf '%s\n' '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "DTD/xhtml1-transitional.dtd">' '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>PHP 7.4.8 - phpinfo()</title></head>' '<body><div class="center"><h1 class="p">PHP Version 7.4.8</h1></div></body></html>'
  exit 0
fi
case "$(__tag)" in
  v3|v4) leader=redis-master; follower=redis-slave; leader_env=$REDIS_MASTER_SERVICE_HOST; follower_env=$REDIS_SLAVE_SERVICE_HOST ;;
  *) leader=redis-leader; follower=redis-follower; leader_env=$REDIS_LEADER_SERVICE_HOST; follower_env=$REDIS_FOLLOWER_SERVICE_HOST ;;
esac
if [ "$GET_HOSTS_FROM" = env ]; then leader=$leader_env; follower=$follower_env; fi
ask() {
  host=$1
  shift
  if reply=$(__redis_cli -h "$host" "$@" 2>/tmp/.predis); then return 0; fi
  case "$(cat /tmp/.predis)" in
    *"not known"*) why="php_network_getaddresses: getaddrinfo for $host failed: Name or service not known" ;;
    *"timed out"*) why="Connection timed out" ;;
    *) why="Connection refused" ;;
  esac
  ex='Predis\Connection\ConnectionException'
  printf '%s\n' "<br />" "<b>Fatal error</b>:  Uncaught $ex: $why [tcp://$host:6379] in /usr/local/lib/php/Predis/Connection/AbstractConnection.php:155"
  exit 0
}
if [ "$GET_cmd" = set ]; then
  ask "$leader" SET "$GET_key" "$GET_value"
  printf '{"message": "Updated"}'
else
  ask "$follower" GET "$GET_key"
  printf '{"data": "%s"}' "$reply"
fi
"#;

/// The follower image's `run.sh`: a replica of the leader's Service.
const FOLLOWER_RUN: &str = r#"
if [ "${GET_HOSTS_FROM:-dns}" = env ]; then
  exec redis-server --replicaof "$REDIS_LEADER_SERVICE_HOST" 6379
fi
exec redis-server --replicaof redis-leader 6379
"#;

/// The first guestbook's replica (`gb-redisslave`): of `redis-master`.
const SLAVE_RUN: &str = r#"
if [ "${GET_HOSTS_FROM:-dns}" = env ]; then
  exec redis-server --slaveof "$REDIS_MASTER_SERVICE_HOST" 6379
fi
exec redis-server --slaveof redis-master 6379
"#;

/// The Go guestbook's page (`public/index.html`): a heading, the entries (a placeholder until
/// the first answer), a form, and links to `/env` and `/info`; `script.js` fills it in.
// SIM: written for the sandbox after upstream's page, trimmed; the same elements and words.
const GUESTBOOK_GO_HTML: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\">\n    <link href=\"style.css\" rel=\"stylesheet\">\n    <title>Guestbook</title>\n  </head>\n  <body>\n    <div id=\"header\"><h1>Guestbook</h1></div>\n    <div id=\"guestbook-entries\"><p>Waiting for database connection...</p></div>\n    <div>\n      <form id=\"guestbook-form\">\n        <input autocomplete=\"off\" id=\"guestbook-entry-content\" type=\"text\">\n        <a href=\"#\" id=\"guestbook-submit\">Submit</a>\n      </form>\n    </div>\n    <div>\n      <h2 id=\"guestbook-host-address\"></h2>\n      <p><a href=\"env\">/env</a> <a href=\"info\">/info</a></p>\n    </div>\n    <script src=\"//ajax.googleapis.com/ajax/libs/jquery/2.1.1/jquery.min.js\"></script>\n    <script src=\"script.js\"></script>\n  </body>\n</html>\n";

/// `public/script.js`: polls `lrange/guestbook` every second and sends an entry with
/// `rpush/guestbook/ENTRY`, showing the list either answers.
// SIM: written for the sandbox; upstream's also colours the page at random.
const GUESTBOOK_GO_JS: &str = "$(function() {\n  var entries = $(\"#guestbook-entries\");\n  var show = function(list) {\n    entries.empty();\n    $.each(list, function(i, entry) { entries.append(\"<p>\" + entry + \"</p>\"); });\n  };\n  var submit = function(e) {\n    e.preventDefault();\n    var entry = $(\"#guestbook-entry-content\").val();\n    if (entry.length > 0) {\n      entries.append(\"<p>...</p>\");\n      $.getJSON(\"rpush/guestbook/\" + entry, show);\n    }\n    return false;\n  };\n  $(\"#guestbook-submit\").click(submit);\n  $(\"#guestbook-form\").submit(submit);\n  $(\"#guestbook-host-address\").append(document.URL);\n  (function poll() {\n    $.getJSON(\"lrange/guestbook\").done(show).always(function() { setTimeout(poll, 1000); });\n  })();\n});\n";

// SIM: written for the sandbox; upstream's is longer (fonts, rounded inputs).
const GUESTBOOK_GO_CSS: &str = "body, input { color: #123; font-family: sans-serif; }\ndiv { padding: 1em 0; text-align: center; }\nh1 { color: #BDB76B; font-size: 3.5em; }\n";

/// The Go guestbook (`./guestbook` in `/app`): negroni's Classic stack (Recovery, Logger, and
/// Static for `public/`) in front of gorilla/mux's four routes; it logs where it listens.
const GUESTBOOK_GO: &str = r#"
echo "[negroni] listening on :3000"
__serve 3000
"#;

/// What negroni's Logger prints for a request no handler of main.go answers (a file of
/// `public/`, or mux's 404).
// SIM: the time taken is not measured; every such request reports the same.
const NEGRONI_LOG: &str =
    "[negroni] Started {method} {url_path}\n[negroni] Completed {status} {status_text} in 92.114µs";

/// main.go's handlers, as the image `v3` was built (from kubernetes' `examples/guestbook-go/
/// _src/main.go` of 2015, which kubernetes/examples#447 and #506 show it still runs): `/rpush`
/// writes with RPUSH to `redis-master:6379`, `/lrange` and then `/rpush` read the whole list
/// with LRANGE from `redis-slave:6379` — the name of its replicas' Service before the example
/// renamed it `redis-replica` in 2021 without a new image —, `/info` is the master's INFO,
/// `/env` the environment. Each error goes to `HandleError`, which panics; negroni's Recovery
/// answers 500 with `PANIC: ERROR` and the stack, and logs the same.
// SIM: the stack is trimmed to the frames down to the handler, without argument values and
// program counters; the goroutine is always 5; times are not measured.
const GUESTBOOK_GO_PAGE: &str = r#"
src=/go/src/github.com/GoogleCloudPlatform/kubernetes/examples/guestbook-go/_src/main.go
path=${REQUEST_URI%%[?]*}
echo "[negroni] Started $REQUEST_METHOD $path" >&2
if [ "$REQUEST_METHOD" != GET ]; then
  printf 'Status: 404\n404 page not found\n'
  echo "[negroni] Completed 404 Not Found in 61.307µs" >&2
  exit 0
fi
# HandleError(result, err): panic(err); the frames below it are the handlers that called it.
panic() {
  why=$1
  shift
  {
    printf 'goroutine 5 [running]:\n'
    printf '%s\n\t%s\n' 'github.com/codegangsta/negroni.(*Recovery).ServeHTTP.func1(...)' /go/src/github.com/codegangsta/negroni/recovery.go:34
    printf '%s\n\t%s\n' 'panic(...)' /usr/local/go/src/runtime/panic.go:426
    printf '%s\n\t%s\n' 'main.HandleError(...)' "$src:71"
    for frame in "$@"; do
      printf '%s\n\t%s\n' "main.${frame%:*}(...)" "$src:${frame#*:}"
    done
  } > /tmp/.stack
  printf 'Status: 500\nPANIC: %s\n' "$why"
  cat /tmp/.stack
  printf '[negroni] PANIC: %s\n' "$why" >&2
  cat /tmp/.stack >&2
  exit 0
}
# ListRangeHandler: the list from the replicas, as indented JSON.
lrange() {
  __redigo redis-slave:6379 LRANGE "$ROUTE_key" 0 -1 > /tmp/.list 2> /tmp/.err || panic "$(cat /tmp/.err)" "$@"
  __go_json lines /tmp/.list
}
case "$path" in
  /lrange/*)
    lrange ListRangeHandler:38
    took=1.061852ms ;;
  /rpush/*)
    __redigo redis-master:6379 RPUSH "$ROUTE_key" "$ROUTE_value" > /dev/null 2> /tmp/.err || panic "$(cat /tmp/.err)" ListPushHandler:47
    lrange ListRangeHandler:38 ListPushHandler:48
    took=2.204619ms ;;
  /info)
    __redigo redis-master:6379 INFO > /tmp/.info 2> /tmp/.err || panic "$(cat /tmp/.err)" InfoHandler:52
    cat /tmp/.info
    took=1.130478ms ;;
  /env)
    # os.Environ() of the Go process: the container's environment, without this request's
    # variables and the PWD a shell exports.
    unset REQUEST_URI QUERY_STRING REQUEST_METHOD PWD
    __go_json env
    took=173.562µs ;;
esac
echo "[negroni] Completed 200 OK in $took" >&2
"#;

const GUESTBOOK_GO_ROUTES: &[Route] = &[
    Route::ok("/", GUESTBOOK_GO_HTML),
    Route::ok("/index.html", GUESTBOOK_GO_HTML),
    Route::ok("/script.js", GUESTBOOK_GO_JS),
    Route::ok("/style.css", GUESTBOOK_GO_CSS),
];

/// The Go guestbook's image: busybox with the program and its page in `/app`.
const GUESTBOOK_GO_PROFILE: Profile = Profile {
    repository: "registry.k8s.io/guestbook",
    aliases: &["k8s.gcr.io/guestbook", "gcr.io/google_containers/guestbook"],
    // Upstream's Makefile has only ever pushed v3 (kubernetes/examples#447: "only one image
    // tagged with v3").
    tags: Tags::named(&["v3"]),
    size_bytes: 6 * MB,
    entrypoint: &[],
    cmd: &["./guestbook"],
    programs: &[("guestbook", GUESTBOOK_GO)],
    ports: &[Port { port: 3000, answer: Answer::Routes(GUESTBOOK_GO_ROUTES), access_log: NEGRONI_LOG, when: "" }],
    memory_bytes: 4 * MIB,
    files: &[
        ("/app/public/index.html", GUESTBOOK_GO_HTML),
        ("/app/public/script.js", GUESTBOOK_GO_JS),
        ("/app/public/style.css", GUESTBOOK_GO_CSS),
    ],
    working_dir: "/app",
    scripts: &[
        ("/lrange/{key}", GUESTBOOK_GO_PAGE),
        ("/rpush/{key}/{value}", GUESTBOOK_GO_PAGE),
        ("/info", GUESTBOOK_GO_PAGE),
        ("/env", GUESTBOOK_GO_PAGE),
    ],
    ..BASE
};

/// `stress` (polinux/stress, the memory and CPU tutorials' load): `--vm N --vm-bytes SIZE`
/// allocates N × SIZE and holds it, `--cpu N` spins, `--timeout T` ends it.
const STRESS: &str = r#"
vm=0; bytes=256M; cpu=0; timeout=""
while [ $# -gt 0 ]; do
  case "$1" in
    --vm|-m|--vm-bytes|--cpu|-c|--timeout|-t|--io|-i|--hdd|-d|--vm-keep|--vm-hang|--verbose|-v|--quiet|-q) ;;
    *) echo "stress: FAIL: [1] (244) unrecognized option: $1" >&2; exit 1 ;;
  esac
  case "$1" in
    --vm|-m|--vm-bytes|--cpu|-c|--timeout|-t|--io|-i|--hdd|-d|--vm-hang) [ $# -ge 2 ] || { echo "stress: FAIL: [1] (244) missing argument to $1" >&2; exit 1; } ;;
  esac
  case "$1" in
    --vm|-m) vm=$2; shift ;;
    --vm-bytes) bytes=$2; shift ;;
    --cpu|-c) cpu=$2; shift ;;
    --timeout|-t) timeout=${2%s}; shift ;;
    --io|-i|--hdd|-d|--vm-hang) shift ;;
  esac
  shift
done
echo "stress: info: [1] dispatching hogs: $cpu cpu, 0 io, $vm vm, 0 hdd"
i=0
while [ "$i" -lt "$vm" ]; do
  __alloc_bytes "$bytes" || { echo "stress: FAIL: [1] (305) invalid size: $bytes" >&2; exit 1; }
  i=$((i + 1))
done
if [ "$cpu" -gt 0 ]; then
  while true; do :; done
fi
if [ -n "$timeout" ]; then
  sleep "$timeout"
  echo "stress: info: [1] successful run completed in ${timeout}s"
  exit 0
fi
while true; do sleep 3600; done
"#;

/// The sample apps.
pub(super) static SAMPLES: &[Profile] = &[
    Profile {
        repository: "docker.io/polinux/stress",
        aliases: &["docker.io/progrium/stress", "docker.io/containerstack/alpine-stress"],
        tags: Tags::named(&["latest", "1.0.4"]),
        size_bytes: 4_400_000,
        cmd: &["stress"],
        programs: &[("stress", STRESS)],
        memory_bytes: 600 * 1024,
        files: super::catalogue::ALPINE_FILES,
        ..BASE
    },
    BOOTCAMP,
    Profile {
        repository: "gcr.io/google-samples/hello-app",
        aliases: &["us-docker.pkg.dev/google-samples/containers/gke/hello-app"],
        tags: Tags::named(&["1.0", "2.0"]),
        size_bytes: 11 * MB,
        entrypoint: &["/hello-app"],
        cmd: &[],
        programs: &[("hello-app", HELLO_APP)],
        ports: &[Port {
            port: 0,
            answer: Answer::Fixed("Hello, world!\nVersion: {$VERSION}\nHostname: {hostname}\n"),
            access_log: "{log_time} Serving request: {path}",
            when: "",
        }],
        memory_bytes: 4 * MIB,
        ..BASE
    },
    Profile {
        repository: "docker.io/kicbase/echo-server",
        tags: Tags::named(&["1.0", "latest"]),
        size_bytes: 2_400_000,
        entrypoint: &["/bin/echo-server"],
        cmd: &[],
        programs: &[("echo-server", ECHO_SERVER)],
        ports: &[Port::quiet(
            0,
            Answer::Fixed(
                "Request served by {hostname}\n\nHTTP/1.1 {method} {path}\n\nHost: {host_header}\n{go_headers}",
            ),
        )],
        memory_bytes: 2 * MIB,
        has_shell: false,
        files: &[],
        ..BASE
    },
    Profile {
        repository: "registry.k8s.io/echoserver",
        aliases: &["k8s.gcr.io/echoserver", "gcr.io/google_containers/echoserver"],
        tags: Tags::named(&["1.4", "1.5", "1.6", "1.8", "1.9", "1.10"]),
        size_bytes: 46 * MB,
        entrypoint: &[],
        cmd: &["/usr/local/bin/run.sh"],
        programs: &[("run.sh", "exec nginx -g 'daemon off;'"), ("nginx", "sleep 0.3; __serve 8080 8443")],
        ports: &[
            Port { port: 8080, answer: Answer::Fixed(ECHOSERVER_PAGE), access_log: NGINX_ACCESS, when: "" },
            Port { port: 8443, answer: Answer::Fixed(ECHOSERVER_PAGE), access_log: NGINX_ACCESS, when: "" },
        ],
        memory_bytes: 6 * MIB,
        ..BASE
    },
    Profile {
        repository: "registry.k8s.io/e2e-test-images/agnhost",
        aliases: &["k8s.gcr.io/e2e-test-images/agnhost", "gcr.io/kubernetes-e2e-test-images/agnhost"],
        tags: Tags { named: &[], newest_minor: &[(2, 56)], ..Tags::versions((2, 2), &[]) },
        size_bytes: 51 * MB,
        entrypoint: &["/agnhost"],
        cmd: &["pause"],
        programs: &[("agnhost", AGNHOST), ("dig", "__dig \"$@\""), ("host", "__host \"$@\"")],
        ports: AGNHOST_PORTS,
        memory_bytes: 8 * MIB,
        ..BASE
    },
    Profile {
        repository: "k8s.gcr.io/liveness",
        aliases: &["registry.k8s.io/liveness", "gcr.io/google_containers/liveness"],
        tags: Tags::named(&["latest"]),
        size_bytes: 2_300_000,
        entrypoint: &[],
        cmd: &["/server"],
        programs: &[("server", "MODE=liveness; __serve 8080")],
        ports: &[Port { port: 8080, answer: Answer::Routes(LIVENESS), access_log: "", when: "" }],
        memory_bytes: 2 * MIB,
        has_shell: false,
        files: &[],
        ..BASE
    },
    Profile {
        repository: "docker.io/hashicorp/http-echo",
        tags: Tags { named: &["latest", "alpine"], ..Tags::versions((0, 1), &[]) },
        size_bytes: 3_500_000,
        entrypoint: &["/http-echo"],
        cmd: &[],
        programs: &[("http-echo", HTTP_ECHO)],
        ports: &[Port {
            port: 0,
            answer: Answer::Fixed("{$text}\n"),
            access_log: "{log_time} {hostname}:5678 {client} \"GET {path} HTTP/1.1\" 200 {bytes} \"-\" 19.2µs",
            when: "",
        }],
        memory_bytes: 2 * MIB,
        has_shell: false,
        files: &[],
        ..BASE
    },
    Profile {
        repository: "registry.k8s.io/nginx-slim",
        aliases: &["k8s.gcr.io/nginx-slim", "gcr.io/google_containers/nginx-slim"],
        tags: Tags::named(&[
            "0.5", "0.7", "0.8", "0.9", "0.10", "0.20", "0.21", "0.22", "0.23", "0.24", "0.25", "0.26", "0.27",
        ]),
        size_bytes: 21 * MB,
        entrypoint: &[],
        cmd: &["nginx", "-g", "daemon off;"],
        programs: &[("nginx", NGINX_SLIM_START)],
        ports: &[Port {
            port: 80,
            answer: Answer::Static { root: "/usr/share/nginx/html", not_found: NGINX_404 },
            access_log: NGINX_ACCESS,
            when: "",
        }],
        memory_bytes: 4 * MIB,
        files: &[("/usr/share/nginx/html/index.html", NGINX_WELCOME)],
        ..BASE
    },
    Profile {
        repository: "gcr.io/google_samples/gb-frontend",
        aliases: &["us-docker.pkg.dev/google-samples/containers/gke/gb-frontend", "gcr.io/google-samples/gb-frontend"],
        tags: Tags::named(&["v3", "v4", "v5", "v6"]),
        size_bytes: 150 * MB,
        entrypoint: &["docker-php-entrypoint"],
        cmd: &["apache2-foreground"],
        programs: &[("docker-php-entrypoint", "exec \"$@\""), ("apache2-foreground", GUESTBOOK)],
        ports: &[Port {
            port: 80,
            answer: Answer::Routes(GUESTBOOK_ROUTES),
            access_log: "{client} - - [{clf_time}] \"GET {path} HTTP/1.1\" {status} {bytes} \"-\" \"-\"",
            when: "",
        }],
        memory_bytes: 20 * MIB,
        env: &[PATH, ("GET_HOSTS_FROM", "dns")],
        working_dir: "/var/www/html",
        scripts: &[("/guestbook.php", GUESTBOOK_PHP)],
        ..BASE
    },
    Profile {
        repository: "gcr.io/google_samples/gb-redis-follower",
        aliases: &["us-docker.pkg.dev/google-samples/containers/gke/gb-redis-follower"],
        tags: Tags::named(&["v1", "v2"]),
        size_bytes: 40 * MB,
        entrypoint: &[],
        cmd: &["/run.sh"],
        programs: &[("run.sh", FOLLOWER_RUN), ("redis-server", REDIS), ("redis-cli", "__redis_cli \"$@\"")],
        ports: &[Port::quiet(6379, Answer::Tcp)],
        memory_bytes: 3 * MIB,
        env: &[PATH, ("REDIS_VERSION", "6.0.5")],
        working_dir: "/data",
        ..BASE
    },
    GUESTBOOK_GO_PROFILE,
    Profile {
        repository: "gcr.io/google_samples/gb-redisslave",
        aliases: &["gcr.io/google-samples/gb-redisslave"],
        tags: Tags::named(&["v1", "v2", "v3"]),
        size_bytes: 40 * MB,
        entrypoint: &[],
        cmd: &["/run.sh"],
        programs: &[("run.sh", SLAVE_RUN), ("redis-server", REDIS), ("redis-cli", "__redis_cli \"$@\"")],
        ports: &[Port::quiet(6379, Answer::Tcp)],
        memory_bytes: 3 * MIB,
        env: &[PATH, ("REDIS_VERSION", "3.2.12")],
        working_dir: "/data",
        ..BASE
    },
    // The Go guestbook's replica (`kubernetes/redis-slave:v2`, moved to k8s.gcr.io in 2019):
    // the same run.sh on `dockerfile/redis`, whose Redis was a 2.8 release — upstream's PR
    // kubernetes#25633 (2016) pinned the master to 2.8.23 because these replicas cannot load a
    // newer master's RDB.
    // SIM: which 2.8 release is not known (2.8.19 stands for it); it logs in the format of the
    // Redis the sandbox writes, not 2.8's `[pid] date`.
    Profile {
        repository: "registry.k8s.io/redis-slave",
        aliases: &[
            "k8s.gcr.io/redis-slave",
            "gcr.io/google_containers/redis-slave",
            "docker.io/kubernetes/redis-slave",
        ],
        tags: Tags::named(&["v2"]),
        size_bytes: 40 * MB,
        entrypoint: &[],
        cmd: &["/run.sh"],
        programs: &[("run.sh", SLAVE_RUN), ("redis-server", REDIS), ("redis-cli", "__redis_cli \"$@\"")],
        ports: &[Port::quiet(6379, Answer::Tcp)],
        memory_bytes: 3 * MIB,
        env: &[PATH, ("REDIS_VERSION", "2.8.19")],
        working_dir: "/data",
        ..BASE
    },
    Profile {
        repository: "registry.k8s.io/e2e-test-images/jessie-dnsutils",
        aliases: &["k8s.gcr.io/e2e-test-images/jessie-dnsutils", "gcr.io/kubernetes-e2e-test-images/dnsutils"],
        tags: Tags::named(&["1.3", "1.4", "1.5", "1.7"]),
        size_bytes: 110 * MB,
        cmd: &["/bin/sh"],
        programs: DNSUTILS,
        ..BASE
    },
    Profile {
        repository: "docker.io/tutum/dnsutils",
        tags: Tags::named(&["latest"]),
        size_bytes: 80 * MB,
        cmd: &["/bin/bash"],
        programs: DNSUTILS,
        ..BASE
    },
];

//! Behaviour tests of the simulated process: scripts over simulated time, builtins, limits.

use super::*;
use crate::sim::images::{profile_for, ImageRef};
use std::time::Duration;

fn argv(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn env_for(image: &str) -> ContainerEnv {
    ContainerEnv::new(profile_for(&ImageRef::parse(image).unwrap()).unwrap(), "pod-1")
}

fn sh(script: &str) -> Process {
    Process::new(&argv(&["sh", "-c", script]), env_for("busybox"), SimTime::ZERO)
}

fn logs(events: &[ProcessEvent]) -> Vec<(u64, String)> {
    events
        .iter()
        .filter_map(|e| match e {
            ProcessEvent::Log { at, line, .. } => Some((at.as_millis() / 1000, line.clone())),
            _ => None,
        })
        .collect()
}

fn exit(events: &[ProcessEvent]) -> Option<(u64, i32)> {
    events.iter().find_map(|e| match e {
        ProcessEvent::Exit { at, code } => Some((at.as_millis(), *code)),
        _ => None,
    })
}

fn exec(script: &str) -> ExecOutput {
    let mut env = env_for("busybox");
    run_to_completion(&argv(&["sh", "-c", script]), &mut env, SimTime::ZERO, &mut NoNetwork)
}

#[test]
fn echo_then_sleep_logs_and_keeps_running() {
    let mut p = sh("echo hello; sleep 3600");
    let ev = p.run_until(SimTime::from_secs(10), &mut NoNetwork);
    assert_eq!(logs(&ev), [(0, "hello".to_string())]);
    assert_eq!(exit(&ev), None);
    assert_eq!(p.next_wakeup(), Some(SimTime::from_secs(3600)));
    let ev = p.run_until(SimTime::from_secs(3600), &mut NoNetwork);
    assert_eq!(exit(&ev), Some((3_600_000, 0)));
}

#[test]
fn exit_one_terminates_with_code_one() {
    let mut p = sh("exit 1");
    let ev = p.run_until(SimTime::ZERO, &mut NoNetwork);
    assert_eq!(exit(&ev), Some((0, 1)));
    assert_eq!(p.exit_code(), Some(1));
}

#[test]
fn while_loop_with_sleep_never_hangs() {
    let mut p = sh("while true; do echo hi; sleep 5; done");
    let end = SimTime::from_secs(3600 * 24);
    let mut ev = Vec::new();
    // Each call does bounded work; the kubelet calls again at the next wakeup.
    while let Some(w) = p.next_wakeup().filter(|w| *w <= end) {
        let _ = w;
        ev.extend(p.run_until(end, &mut NoNetwork));
    }
    let l = logs(&ev);
    assert_eq!(l.len(), 24 * 720 + 1);
    assert_eq!(l[1], (5, "hi".to_string()));
    assert_eq!(p.next_wakeup(), Some(SimTime::from_secs(3600 * 24 + 5)));
}

#[test]
fn busy_loop_without_sleep_burns_simulated_cpu_and_yields() {
    let mut p = sh("i=0; while true; do i=$((i+1)); done");
    let ev = p.run_until(SimTime::from_secs(3600), &mut NoNetwork);
    assert!(ev.is_empty());
    let w = p.next_wakeup().unwrap();
    assert!(w > SimTime::ZERO && w <= SimTime::from_secs(3601), "{w:?}");
}

#[test]
fn busybox_without_command_exits_immediately() {
    let mut p = Process::new(&[], env_for("busybox"), SimTime::ZERO);
    let ev = p.run_until(SimTime::from_secs(1), &mut NoNetwork);
    assert_eq!(exit(&ev), Some((0, 0)));
}

#[test]
fn interactive_shell_with_tty_waits() {
    let mut env = env_for("busybox");
    env.tty = true;
    let mut p = Process::new(&[], env, SimTime::ZERO);
    assert_eq!(exit(&p.run_until(SimTime::from_secs(60), &mut NoNetwork)), None);
    assert_eq!(p.next_wakeup(), None);
}

#[test]
fn nginx_logs_its_start_and_serves_port_80() {
    let mut p = Process::new(&[], env_for("nginx:1.27"), SimTime::ZERO);
    let ev = p.run_until(SimTime::from_secs(5), &mut NoNetwork);
    let l = logs(&ev);
    assert!(l[0].1.starts_with("/docker-entrypoint.sh:"), "{l:?}");
    assert!(l.iter().any(|(_, line)| line.ends_with("[notice] 1#1: nginx/1.27.3")), "{l:?}");
    assert!(l.iter().any(|(_, line)| line.starts_with("2025/01/01 00:00:00 [notice]")), "{l:?}");
    assert_eq!(p.listening(), Some(&Listening::Ports(vec![80])));
    assert_eq!(p.memory_bytes(), 7 * 1024 * 1024);
    assert!(p.terminate(SimTime::from_secs(6)));
    assert_eq!(p.exit_code(), Some(0));
}

#[test]
fn shell_as_pid_one_ignores_sigterm_and_dies_to_sigkill() {
    let mut p = sh("sleep 3600");
    p.run_until(SimTime::ZERO, &mut NoNetwork);
    assert!(!p.terminate(SimTime::from_secs(1)));
    p.kill(SimTime::from_secs(31));
    assert_eq!(p.exit_code(), Some(137));
}

#[test]
fn unknown_executable_fails_to_start_with_the_runtime_message() {
    let mut p = Process::new(&argv(&["nosuch"]), env_for("busybox"), SimTime::ZERO);
    let ev = p.run_until(SimTime::ZERO, &mut NoNetwork);
    assert!(
        matches!(&ev[0], ProcessEvent::StartError { message, .. } if message.contains("exec: \"nosuch\": executable file not found in $PATH"))
    );
    assert_eq!(exit(&ev), Some((0, 128)));
}

#[test]
fn unknown_command_in_a_script_is_not_found_with_127() {
    let out = exec("foo; echo $?");
    assert_eq!(out.stderr, "sh: foo: not found\n");
    assert_eq!(out.stdout, "127\n");
}

#[test]
fn printenv_prints_requested_vars() {
    let mut env = env_for("busybox");
    env.env.insert("GREETING".into(), "hello".into());
    let out = run_to_completion(&argv(&["printenv", "HOSTNAME", "GREETING"]), &mut env, SimTime::ZERO, &mut NoNetwork);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.code), ("pod-1\nhello\n", "", 0));
    let out = run_to_completion(&argv(&["printenv", "MISSING"]), &mut env, SimTime::ZERO, &mut NoNetwork);
    assert_eq!(out.code, 1);
}

#[test]
fn and_or_if_and_for_follow_exit_statuses() {
    let out = exec("false && echo no || echo yes; if [ 1 -lt 2 ]; then echo lt; else echo ge; fi; for x in a b c; do printf '%s-' $x; done; echo");
    assert_eq!(out.stdout, "yes\nlt\na-b-c-\n");
}

#[test]
fn variables_quoting_and_substitution_expand() {
    let out = exec("A='x  y'; echo $A \"$A\" ${B:-def} ${#A}; n=$(echo 4); echo $((n * 2 + 1)); echo '$A'");
    assert_eq!(out.stdout, "x y x  y def 4\n9\n$A\n");
}

#[test]
fn until_loop_counts_with_arithmetic() {
    let out = exec("i=0; until [ $i -ge 3 ]; do echo $i; i=$((i+1)); done");
    assert_eq!(out.stdout, "0\n1\n2\n");
}

#[test]
fn redirection_writes_files_that_cat_and_ls_see() {
    let mut env = env_for("busybox");
    let out = run_to_completion(
        &argv(&["sh", "-c", "mkdir -p /data/logs && echo one > /data/logs/a.txt; echo two >> /data/logs/a.txt; cat /data/logs/a.txt; ls /data/logs; cat /nope"]),
        &mut env,
        SimTime::ZERO,
        &mut NoNetwork,
    );
    assert_eq!(out.stdout, "one\ntwo\na.txt\n");
    assert_eq!(out.stderr, "cat: can't open '/nope': No such file or directory\n");
    assert_eq!(out.code, 1);
    assert_eq!(env.files.get("/data/logs/a.txt").map(String::as_str), Some("one\ntwo\n"));
}

#[test]
fn date_prints_simulated_time_like_busybox() {
    let mut env = env_for("busybox");
    let out = run_to_completion(&argv(&["date"]), &mut env, SimTime::from_secs(5), &mut NoNetwork);
    assert_eq!(out.stdout, "Wed Jan  1 00:00:05 UTC 2025\n");
}

#[test]
fn sleep_inside_a_script_moves_date_forward() {
    let out = exec("sleep 2; date +%T; x=$(sleep 3; echo done); echo $x; date +%T");
    assert_eq!(out.stdout, "00:00:02\ndone\n00:00:05\n");
}

#[test]
fn pipes_feed_the_next_command() {
    let out = exec("printf 'a\\nb\\nc\\n' | grep -v b | wc -l; echo hi | cat");
    assert_eq!(out.stdout, "2\nhi\n");
}

#[test]
fn functions_case_and_break_work() {
    let out = exec("f() { echo \"f:$1\"; return 3; }; f x; echo $?; case abc in a*) echo A;; *) echo other;; esac; for i in 1 2 3; do [ $i = 2 ] && break; echo $i; done");
    assert_eq!(out.stdout, "f:x\n3\nA\n1\n");
}

struct FakeNet;
impl Network for FakeNet {
    fn http_get(&mut self, url: &str) -> Result<Response, NetError> {
        let (host, port, path) = crate::sim::process::split_url(url);
        match host.as_str() {
            "web" if path == "/missing" => Ok(Response {
                status: 404,
                body: "not here\n".into(),
                addr: format!("10.96.0.20:{port}"),
                ..Response::default()
            }),
            "web" => Ok(Response {
                status: 200,
                body: "<h1>hi</h1>\n".into(),
                addr: format!("10.96.0.20:{port}"),
                ..Response::default()
            }),
            "down" => Err(NetError::Refused { ip: "10.96.0.21".into(), port }),
            _ => Err(NetError::BadAddress(host)),
        }
    }
    fn resolve(&mut self, name: &str) -> Option<String> {
        (name == "web").then(|| "10.96.0.20".into())
    }
}

#[test]
fn a_services_virtual_address_answers_no_ping_but_a_pods_does() {
    // Learn Kubernetes in a Month of Lunches, chapter 3: ping the Service's name and get no reply.
    let run =
        |s: &str, env: &mut ContainerEnv| run_to_completion(&argv(&["sh", "-c", s]), env, SimTime::ZERO, &mut FakeNet);
    let mut env = env_for("busybox");
    let out = run("ping -c 2 web", &mut env);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout,
        "PING web (10.96.0.20): 56 data bytes\n\n--- web ping statistics ---\n2 packets transmitted, 0 packets received, 100% packet loss\n"
    );
    let out = run("ping -c 1 10.244.1.5", &mut env);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("1 packets transmitted, 1 packets received, 0% packet loss\n"), "{}", out.stdout);
}

#[test]
fn busybox_1_28_nslookup_prints_the_libc_form_the_kubernetes_docs_show() {
    let run =
        |s: &str, env: &mut ContainerEnv| run_to_completion(&argv(&["sh", "-c", s]), env, SimTime::ZERO, &mut FakeNet);
    let mut env = env_for("busybox:1.28");
    env.tag = "1.28".into();
    let out = run("nslookup web", &mut env);
    assert_eq!(
        out.stdout,
        "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web\nAddress 1: 10.96.0.20\n"
    );
    let out = run("nslookup nope", &mut env);
    assert_eq!((out.code, out.stderr.as_str()), (1, "nslookup: can't resolve 'nope'\n"));
    // busybox 1.29 and later send their own queries and print the other form.
    env.tag = "1.36".into();
    assert!(run("nslookup web", &mut env).stdout.starts_with("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n"));
}

#[test]
fn wget_curl_and_nslookup_use_the_network() {
    let mut env = env_for("busybox");
    let run =
        |s: &str, env: &mut ContainerEnv| run_to_completion(&argv(&["sh", "-c", s]), env, SimTime::ZERO, &mut FakeNet);
    assert_eq!(run("wget -qO- http://web/", &mut env).stdout, "<h1>hi</h1>\n");
    assert_eq!(run("wget -qO - http://web/", &mut env).stdout, "<h1>hi</h1>\n");
    assert_eq!(run("curl -s web", &mut env).stdout, "<h1>hi</h1>\n");
    let out = run("curl http://nowhere/", &mut env);
    assert_eq!((out.code, out.stderr.as_str()), (6, "curl: (6) Could not resolve host: nowhere\n"));
    assert!(run("nslookup web", &mut env).stdout.contains("Name:\tweb\nAddress: 10.96.0.20\n"));
    assert_eq!(run("nslookup nope", &mut env).code, 1);
    let out = run("wget -qO- http://web/missing", &mut env);
    assert_eq!((out.code, out.stderr.as_str()), (1, "wget: server returned error: HTTP/1.1 404 Not Found\n"));
    assert_eq!(run("curl -s http://web/missing", &mut env).stdout, "not here\n");
    assert_eq!(run("curl -sf http://web/missing", &mut env).code, 22);
    let out = run("wget -q -O- down:8080", &mut env);
    assert_eq!(out.stderr, "wget: can't connect to remote host (10.96.0.21): Connection refused\n");
    let out = run("curl -sS http://down:8080/", &mut env);
    assert_eq!(run("curl -s http://down:8080/", &mut env).stderr, "");
    assert_eq!(out.stderr, "curl: (7) Failed to connect to down port 8080 after 0 ms: Couldn't connect to server\n");
    let out = run("wget --spider http://web/", &mut env);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    assert_eq!(out.stderr, "Connecting to web (10.96.0.20:80)\nremote file exists\n");
    assert!(!env.files.contains_key("/index.html"), "--spider saves nothing");
    let out = run("wget -q --spider http://web/missing", &mut env);
    assert_eq!((out.code, out.stderr.as_str()), (1, "wget: server returned error: HTTP/1.1 404 Not Found\n"));
    let out = run("wget -S -O /dev/null http://web/", &mut env);
    assert!(out.stderr.contains("  HTTP/1.1 200 OK\n"), "{}", out.stderr);
}

#[test]
fn curl_writes_out_its_format_saves_under_the_remote_name_and_refuses_a_url_with_a_blank() {
    let mut env = env_for("curlimages/curl");
    let run =
        |s: &str, env: &mut ContainerEnv| run_to_completion(&argv(&["sh", "-c", s]), env, SimTime::ZERO, &mut FakeNet);
    assert_eq!(run("curl -w \\\\n -s http://web/", &mut env).stdout, "<h1>hi</h1>\n\n");
    assert_eq!(run("curl -s -o /dev/null -w '%{http_code}' http://web/missing", &mut env).stdout, "404");
    let out = run("cd /tmp && curl -sLO http://web/index.html && cat /tmp/index.html", &mut env);
    assert_eq!(out.stdout, "<h1>hi</h1>\n", "{}", out.stderr);
    let out = run("curl -O http://web/", &mut env);
    assert_eq!((out.code, out.stderr.as_str()), (23, "curl: (23) Remote filename has no length\n"));
    let out = run("curl -sS 'http://10.0.0.1 VIP:8080/'", &mut env);
    assert_eq!((out.code, out.stderr.as_str()), (3, "curl: (3) URL using bad/illegal format or missing URL\n"));
}

#[test]
fn memory_allocator_grows_until_the_kubelet_kills_it() {
    let mut p = Process::new(&[], env_for("kiamol/ch12-memory-allocator"), SimTime::ZERO);
    p.run_until(SimTime::from_secs(20), &mut NoNetwork);
    assert!(p.memory_bytes() >= 50 * 1024 * 1024, "{}", p.memory_bytes());
}

#[test]
fn timecheck_writes_its_log_file_every_five_seconds() {
    let mut p = Process::new(&[], env_for("kiamol/ch07-timecheck"), SimTime::ZERO);
    p.run_until(SimTime::from_secs(12), &mut NoNetwork);
    let log = p.env().files.get("/logs/timecheck.log").unwrap();
    assert_eq!(log.lines().count(), 3, "{log}");
    assert!(log.starts_with("Environment: DEV; version: 1.0; time check: 00:00:00.000"), "{log}");
}

#[test]
fn postgres_without_password_exits_with_its_real_error() {
    let mut p = Process::new(&[], env_for("postgres:16"), SimTime::ZERO);
    let ev = p.run_until(SimTime::from_secs(5), &mut NoNetwork);
    assert_eq!(exit(&ev).map(|e| e.1), Some(1));
    assert!(logs(&ev)[0].1.starts_with("Error: Database is uninitialized"));
}

#[test]
fn generic_image_serves_the_declared_ports() {
    let mut p = Process::new(&[], env_for("quay.io/acme/app:1"), SimTime::ZERO);
    p.run_until(SimTime::from_secs(2), &mut NoNetwork);
    assert_eq!(p.listening(), Some(&Listening::Declared));
}

#[test]
fn hostile_input_gives_clear_errors_not_hangs() {
    let out = exec("echo 'unbalanced");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("unterminated quoted string"), "{}", out.stderr);
    let deep = format!("echo {}x{}", "$(".repeat(1000), ")".repeat(1000));
    assert_eq!(exec(&deep).code, 2);
    let big = "echo hi;".repeat(200_000);
    assert!(exec(&big).stderr.contains("script too long"));
    let out = exec("f() { f; }; f");
    assert_ne!(out.code, 0);
    let out = exec("x=$(while true; do :; done); echo after");
    assert_eq!(out.stdout, "after\n");
    let out = exec("while true; do echo spam; done");
    assert_eq!(out.code, 137);
    assert!(out.stdout.len() <= interp::MAX_CAPTURE);
    let out = exec("echo $((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))");
    assert_ne!(out.code, 0);
}

#[test]
fn same_script_same_events() {
    let run = || {
        let mut p = sh("for i in $(seq 1 5); do echo $RANDOM; sleep 1; done");
        p.run_until(SimTime::from_secs(10), &mut NoNetwork)
    };
    assert_eq!(run(), run());
}

#[test]
fn exec_of_a_command_that_never_ends_times_out() {
    let out = exec("sleep infinity");
    assert_eq!(out.code, 137);
    let _ = Duration::ZERO;
}

#[test]
fn here_documents_expand_unless_the_delimiter_is_quoted() {
    let out = exec("X=1; cat <<EOF\nx is $X \"quoted\"\nEOF\ncat <<'END'\nx is $X\nEND\ncat <<< \"one $X\"");
    assert_eq!(out.stdout, "x is 1 \"quoted\"\nx is $X\none 1\n");
}

#[test]
fn arithmetic_expands_substitutions_first() {
    let out = exec("n=2; echo $(( $(echo 40) + n )) $(( ${n} * 3 ))");
    assert_eq!(out.stdout, "42 6\n");
}

#[test]
fn a_log_line_over_16_kib_is_kept_whole() {
    let mut p = sh("printf 'x%020000dy\\n' 0; sleep 3600");
    let ev = p.run_until(SimTime::from_secs(1), &mut NoNetwork);
    let lines = logs(&ev);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].1.len(), 20_002);
    assert!(lines[0].1.starts_with('x') && lines[0].1.ends_with('y'));
}

#[test]
fn a_shell_that_traps_sigterm_ends_on_it_and_one_that_resets_the_trap_does_not() {
    let mut p = sh("trap : TERM INT; (while true; do sleep 1000; done) & wait");
    p.run_until(SimTime::from_secs(1), &mut NoNetwork);
    assert_eq!(p.exit_code(), None, "it waits for its child");
    assert!(p.terminate(SimTime::from_secs(2)));
    assert_eq!(p.exit_code(), Some(143));
    let mut q = sh("trap : TERM; trap - TERM; sleep 3600");
    q.run_until(SimTime::from_secs(1), &mut NoNetwork);
    assert!(!q.terminate(SimTime::from_secs(2)));
}

#[test]
fn ls_l_prints_busybox_long_lines_with_a_total() {
    let out = exec("mkdir /d; echo hello > /d/f.txt; mkdir /d/sub; ls -l /d; ls -l /d/f.txt");
    assert_eq!(
        out.stdout,
        "total 8\n-rw-r--r--    1 root     root             6 Jan  1 00:00 f.txt\ndrwxr-xr-x    2 root     root          4096 Jan  1 00:00 sub\n-rw-r--r--    1 root     root             6 Jan  1 00:00 /d/f.txt\n"
    );
}

#[test]
fn the_kiamol_pi_app_in_console_mode_prints_pi_cut_to_its_places_and_exits() {
    let mut p = Process::new(
        &argv(&["dotnet", "Pi.Web.dll", "-m", "console", "-dp", "10"]),
        env_for("kiamol/ch05-pi"),
        SimTime::ZERO,
    );
    let ev = p.run_until(SimTime::from_secs(5), &mut NoNetwork);
    assert_eq!(logs(&ev), vec![(0, "3.1415926535".to_string())]);
    assert_eq!(p.exit_code(), Some(0));
    let mut web = Process::new(&[], env_for("kiamol/ch05-pi"), SimTime::ZERO);
    web.run_until(SimTime::from_secs(5), &mut NoNetwork);
    assert_eq!(web.listening(), Some(&Listening::Ports(vec![80])));
}

#[test]
fn escaped_and_quoted_pattern_characters_in_a_trim_match_themselves() {
    let out = |script: &str| exec(script).stdout;
    assert_eq!(out("u='a?b=c'; echo ${u%%\\?*}"), "a\n");
    assert_eq!(out("u='a?b=c'; echo ${u%%\"?\"*}"), "a\n");
    assert_eq!(out("u='a?b=c'; echo ${u%%'?'*}"), "a\n");
    assert_eq!(out("u='a?b=c'; echo \"${u%%\\?*}\""), "a\n");
    // Unescaped, `?` is any one character: the shortest suffix `?*` matches is the last character.
    assert_eq!(out("u='a?b=c'; echo ${u%?*}"), "a?b=\n");
    assert_eq!(out("u='a?b=c'; echo \"${u%%?*}\""), "\n");
    assert_eq!(out("u='x*y*z'; echo ${u#*\\*} ${u##*\\*} ${u%\\**}"), "y*z z x*y\n");
    assert_eq!(out("u='[a]b'; echo ${u#\\[a\\]} ${u#[[]}"), "b a]b\n");
    // A quoted expansion in the pattern is literal; an unquoted one is a pattern.
    assert_eq!(out("u='a*b'; p='*'; echo ${u#a\"$p\"} ${u#$p}"), "b a*b\n");
    assert_eq!(out("case 'a*' in \"a?\") echo q;; 'a*') echo star;; esac"), "star\n");
    assert_eq!(out("case 'ab' in 'a*') echo lit;; a*) echo glob;; esac"), "glob\n");
}

//! A small `docker` on the terminal's own host, for the first lesson: images are pulled from the
//! same catalogue the kubelet uses, and containers run the same simulated processes as pods, so
//! `docker run -d -p 8080:80 nginx` then `curl localhost:8080` shows nginx's page.
//!
//! SIM: one host, no daemon; containers advance with the simulated clock whenever the terminal
//! looks at them. Only the subcommands a first lesson uses: pull, images, run, ps, logs, stop,
//! start, rm, rmi.

use std::time::Duration;

use crate::shell::kubectl::table::tabwrite;
use crate::shell::Output;
use crate::sim::images::{self, ImageRef};
use crate::sim::kubelet::runtime::{profile_of, Launch, Proc};
use crate::sim::kubelet::status::digest;
use crate::sim::process::NoNetwork;
use crate::sim::time::SimTime;

/// The docker host's images and containers.
#[derive(Debug, Clone, Default)]
pub struct Docker {
    images: Vec<Image>,
    containers: Vec<Container>,
    /// Containers made so far: names and ids come from it.
    made: u64,
}

#[derive(Debug, Clone)]
struct Image {
    repository: String,
    tag: String,
    id: String,
    size: u64,
}

#[derive(Debug, Clone)]
struct Container {
    id: String,
    name: String,
    image: String,
    command: String,
    created: SimTime,
    proc: Proc,
    /// Published ports: (host, container).
    ports: Vec<(u16, u16)>,
    logs: Vec<String>,
    /// Set while running: since when. Cleared when it exits.
    started: Option<SimTime>,
    exited: Option<(SimTime, i32)>,
}

/// Docker's generated names: an adjective and a scientist.
const ADJECTIVES: &[&str] =
    &["brave", "clever", "eager", "focused", "gentle", "happy", "jolly", "keen", "quirky", "serene"];
const SCIENTISTS: &[&str] =
    &["hopper", "lovelace", "turing", "curie", "noether", "shannon", "ritchie", "knuth", "hamilton", "dijkstra"];

impl Docker {
    /// The images of the containers now running (for lesson checks).
    pub fn running_images(&self) -> Vec<String> {
        self.containers.iter().filter(|c| c.exited.is_none()).map(|c| c.image.clone()).collect()
    }

    /// The answer of a container published on host `port`, if one runs there.
    pub fn answer(&mut self, now: SimTime, port: u16, path: &str) -> Option<(u16, String)> {
        self.catch_up(now);
        let c = self.containers.iter().find(|c| c.exited.is_none() && c.ports.iter().any(|p| p.0 == port))?;
        let inner = c.ports.iter().find(|p| p.0 == port)?.1;
        c.proc.answer_at(inner, path, now, "172.17.0.1", 1).map(|a| (a.status, a.body))
    }

    /// Lets every running container's process run up to `now`.
    fn catch_up(&mut self, now: SimTime) {
        for c in self.containers.iter_mut().filter(|c| c.exited.is_none()) {
            let progress = c.proc.run_until(now, &mut NoNetwork);
            c.logs.extend(progress.logs.into_iter().map(|(_, l)| l));
            if let Some(msg) = c.proc.take_start_error() {
                c.logs.push(msg);
            }
            if let Some(done) = progress.exited {
                c.exited = Some(done);
                c.started = None;
            }
        }
    }

    /// Runs `docker ARGS…` at `now`.
    pub fn run(&mut self, now: SimTime, args: &[String]) -> Output {
        self.catch_up(now);
        let Some((sub, rest)) = args.split_first() else {
            return Output::ok("Usage:  docker [OPTIONS] COMMAND\n\nCommon Commands:\n  run         Create and run a new container from an image\n  ps          List containers\n  images      List images\n  pull        Download an image from a registry\n  logs        Fetch the logs of a container\n  stop        Stop one or more running containers\n  start       Start one or more stopped containers\n  rm          Remove one or more containers\n  rmi         Remove one or more images\n");
        };
        match sub.as_str() {
            "pull" => match rest.first() {
                Some(image) => self.pull(image, false),
                None => Output::err("\"docker pull\" requires exactly 1 argument.\nSee 'docker pull --help'.\n", 1),
            },
            "images" | "image" if sub == "images" || rest.first().is_some_and(|r| r == "ls") => self.images(),
            "run" => self.run_container(now, rest),
            "ps" | "container" if sub == "ps" || rest.first().is_some_and(|r| r == "ls") => {
                let has = |f: &[&str]| rest.iter().any(|a| f.contains(&a.as_str()));
                let all = has(&["-a", "--all", "-aq", "-qa"]);
                if has(&["-q", "--quiet", "-aq", "-qa"]) {
                    // Only the ids, newest first: what `docker stop $(docker ps -q)` wants.
                    let ids = self.containers.iter().rev().filter(|c| all || c.exited.is_none());
                    return Output::ok(ids.map(|c| format!("{}\n", &c.id[..12])).collect::<String>());
                }
                self.ps(now, all)
            }
            "logs" => self.each(rest, 1, |d, i| Ok(d.containers[i].logs.iter().map(|l| format!("{l}\n")).collect())),
            "stop" => self.each(rest, usize::MAX, |d, i| {
                let c = &mut d.containers[i];
                if c.exited.is_none() {
                    let code = if c.proc.terminate(now) { 0 } else { 137 };
                    // SIM: docker waits 10 s before SIGKILL; here the stop is immediate.
                    c.proc.kill(now);
                    c.exited = Some((now, code));
                    c.started = None;
                }
                Ok(String::new())
            }),
            "start" => self.each(rest, usize::MAX, |d, i| {
                let c = &mut d.containers[i];
                if c.exited.is_some() {
                    let launch = launch_for(&c.image, &[], &c.name);
                    c.proc = Proc::start(launch, now);
                    c.exited = None;
                    c.started = Some(now);
                }
                Ok(String::new())
            }),
            "rm" => {
                let force = rest.iter().any(|a| a == "-f" || a == "--force");
                self.each(rest, usize::MAX, move |d, i| {
                    if d.containers[i].exited.is_none() && !force {
                        return Err(format!("Error response from daemon: cannot remove container \"/{}\": container is running: stop the container before removing or force remove\n", d.containers[i].name));
                    }
                    d.containers.remove(i);
                    Ok(String::new())
                })
            }
            "rmi" => self.rmi(rest),
            "version" | "--version" | "-v" => Output::ok("Docker version 27.3.1, build sandbox\n"),
            other => Output::err(format!("docker: '{other}' is not a docker command.\nSee 'docker --help'\n"), 1),
        }
    }

    /// Applies `f` to each container named (by name or id prefix) in `args`, printing each
    /// name as docker does (`logs` prints only what `f` returns).
    fn each(
        &mut self,
        args: &[String],
        at_most: usize,
        mut f: impl FnMut(&mut Docker, usize) -> Result<String, String>,
    ) -> Output {
        let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if names.is_empty() || names.len() > at_most {
            return Output::err("\"docker\" requires at least 1 argument.\n", 1);
        }
        let mut out = Output::default();
        for name in names {
            let found = self
                .containers
                .iter()
                .position(|c| c.name == *name || (name.len() >= 3 && c.id.starts_with(name.as_str())));
            match found {
                None => {
                    out.stderr.push_str(&format!("Error response from daemon: No such container: {name}\n"));
                    out.status = 1;
                }
                Some(i) => match f(self, i) {
                    Ok(text) if at_most == 1 => out.stdout.push_str(&text),
                    Ok(_) => out.stdout.push_str(&format!("{name}\n")),
                    Err(e) => {
                        out.stderr.push_str(&e);
                        out.status = 1;
                    }
                },
            }
        }
        out
    }

    /// `docker pull IMAGE`, or the pull `run` makes (`quiet` leaves out the final reference).
    fn pull(&mut self, image: &str, from_run: bool) -> Output {
        let r = match ImageRef::parse(image) {
            Ok(r) => r,
            Err(e) => return Output::err(format!("invalid reference format: {e}\n"), 1),
        };
        let (repo, tag) = (r.familiar_name(), r.tag().to_string());
        let mut text = String::new();
        if from_run {
            text.push_str(&format!("Unable to find image '{repo}:{tag}' locally\n"));
        } else if r.tag.is_none() {
            text.push_str("Using default tag: latest\n");
        }
        let profile = match images::profile_for(&r) {
            Ok(p) => p,
            Err(_) if r.is_official() && images::profile_for(&ImageRef::parse(&repo).unwrap_or(r.clone())).is_ok() => {
                return Output::err(format!("{text}Error response from daemon: manifest for {repo}:{tag} not found: manifest unknown: manifest unknown\n"), 1);
            }
            Err(_) => {
                return Output::err(format!("{text}Error response from daemon: pull access denied for {repo}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n"), 1);
            }
        };
        let id = digest(&r.canonical());
        if self.images.iter().any(|i| i.repository == repo && i.tag == tag) {
            text.push_str(&format!(
                "{tag}: Pulling from {}\nDigest: sha256:{id}\nStatus: Image is up to date for {repo}:{tag}\n",
                r.repository
            ));
        } else {
            text.push_str(&format!("{tag}: Pulling from {}\n", r.repository));
            let layers = 2 + (id.as_bytes()[0] % 4) as usize;
            for l in 0..layers {
                text.push_str(&format!("{}: Pull complete\n", &digest(&format!("{id}/{l}"))[..12]));
            }
            text.push_str(&format!("Digest: sha256:{id}\nStatus: Downloaded newer image for {repo}:{tag}\n"));
            self.images.push(Image { repository: repo, tag, id: id[..12].to_string(), size: profile.size_bytes });
        }
        if from_run {
            return Output { stderr: text, ..Output::default() };
        }
        text.push_str(&format!("{}\n", r.canonical()));
        Output::ok(text)
    }

    fn images(&self) -> Output {
        let mut text = String::from("REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\n");
        for i in self.images.iter().rev() {
            // SIM: every catalogue image was built two weeks ago.
            text.push_str(&format!("{}\t{}\t{}\t2 weeks ago\t{}\n", i.repository, i.tag, i.id, human_size(i.size)));
        }
        Output::ok(tabwrite(&text, 10, 3))
    }

    fn rmi(&mut self, args: &[String]) -> Output {
        let mut out = Output::default();
        for name in args.iter().filter(|a| !a.starts_with('-')) {
            let (repo, tag) = match ImageRef::parse(name) {
                Ok(r) => (r.familiar_name(), r.tag().to_string()),
                Err(_) => (name.clone(), "latest".into()),
            };
            let Some(i) = self.images.iter().position(|i| (i.repository == repo && i.tag == tag) || i.id == *name)
            else {
                out.stderr.push_str(&format!("Error response from daemon: No such image: {name}\n"));
                out.status = 1;
                continue;
            };
            let img = &self.images[i];
            let reference = format!("{}:{}", img.repository, img.tag);
            if let Some(c) = self.containers.iter().find(|c| c.image == reference || c.image == img.repository) {
                out.stderr.push_str(&format!("Error response from daemon: conflict: unable to remove repository reference \"{name}\" (must force) - container {} is using its referenced image {}\n", &c.id[..12], img.id));
                out.status = 1;
                continue;
            }
            out.stdout.push_str(&format!("Untagged: {reference}\nDeleted: sha256:{}\n", digest(&img.id)));
            self.images.remove(i);
        }
        out
    }

    /// `docker run [-d] [-p HOST:CONTAINER] [--name N] [-e K=V] [--rm] IMAGE [COMMAND…]`.
    fn run_container(&mut self, now: SimTime, args: &[String]) -> Output {
        let (mut detach, mut rm, mut name, mut ports, mut env) = (false, false, None, Vec::new(), Vec::new());
        let mut i = 0;
        while i < args.len() && args[i].starts_with('-') {
            let a = args[i].as_str();
            let mut value = || {
                i += 1;
                args.get(i).cloned()
            };
            match a {
                "-d" | "--detach" => detach = true,
                "--rm" => rm = true,
                "-it" | "-ti" | "-i" | "-t" => {}
                "--name" => name = value(),
                "-p" | "--publish" => match value().as_deref().and_then(parse_publish) {
                    Some(p) => ports.push(p),
                    None => return Output::err(
                        "docker: invalid publish spec: expected HOST_PORT:CONTAINER_PORT.\nSee 'docker run --help'.\n",
                        125,
                    ),
                },
                "-e" | "--env" => env.extend(value()),
                _ if a.starts_with("--name=") => name = Some(a["--name=".len()..].to_string()),
                _ => return Output::err(format!("unknown flag: {a}\nSee 'docker run --help'.\n"), 125),
            }
            i += 1;
        }
        let Some(image) = args.get(i) else {
            return Output::err("\"docker run\" requires at least 1 argument.\nSee 'docker run --help'.\n", 125);
        };
        let command = &args[i + 1..];
        let Ok(r) = ImageRef::parse(image) else {
            return Output::err(
                format!("docker: invalid reference format: repository name ({image}) must be lowercase.\n"),
                125,
            );
        };
        let (repo, tag) = (r.familiar_name(), r.tag().to_string());
        let mut out = Output::default();
        if !self.images.iter().any(|i| i.repository == repo && i.tag == tag) {
            let pulled = self.pull(image, true);
            out.stderr = pulled.stderr;
            if pulled.status != 0 {
                out.stderr.push_str("See 'docker run --help'.\n");
                out.status = 125;
                return out;
            }
        }
        if let Some(&(host, _)) = ports
            .iter()
            .find(|(h, _)| self.containers.iter().any(|c| c.exited.is_none() && c.ports.iter().any(|p| p.0 == *h)))
        {
            out.stderr.push_str(&format!("docker: Error response from daemon: driver failed programming external connectivity: Bind for 0.0.0.0:{host} failed: port is already allocated.\n"));
            out.status = 125;
            return out;
        }
        self.made += 1;
        let id = digest(&format!("container/{}/{image}", self.made));
        let name = name.unwrap_or_else(|| {
            let h = id.as_bytes();
            format!(
                "{}_{}",
                ADJECTIVES[usize::from(h[1]) % ADJECTIVES.len()],
                SCIENTISTS[usize::from(h[2]) % SCIENTISTS.len()]
            )
        });
        if self.containers.iter().any(|c| c.name == name) {
            out.stderr.push_str(&format!("docker: Error response from daemon: Conflict. The container name \"/{name}\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name.\n", self.containers.iter().find(|c| c.name == name).map_or("", |c| c.id.as_str())));
            out.status = 125;
            return out;
        }
        let mut launch = launch_for(image, command, &id[..12]);
        launch.env.extend(env.iter().filter_map(|e| e.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())));
        let profile = profile_of(image);
        let argv = profile.argv(command, &[]);
        let shown = argv.join(" ");
        let mut c = Container {
            id: id.clone(),
            name,
            image: image.clone(),
            command: shown,
            created: now,
            proc: Proc::start(launch, now),
            ports,
            logs: Vec::new(),
            started: Some(now),
            exited: None,
        };
        // Give it a moment to start (and a short command the time to finish).
        let settle = now + Duration::from_secs(1);
        let progress = c.proc.run_until(settle, &mut NoNetwork);
        c.logs.extend(progress.logs.into_iter().map(|(_, l)| l));
        if let Some(msg) = c.proc.take_start_error() {
            out.stderr
                .push_str(&format!("docker: Error response from daemon: failed to create task for container: {msg}\n"));
            out.status = 127;
            return out;
        }
        c.exited = progress.exited;
        if detach {
            out.stdout.push_str(&format!("{id}\n"));
        } else {
            out.stdout.extend(c.logs.iter().map(|l| format!("{l}\n")));
            if let Some((_, code)) = c.exited {
                out.status = code;
            } else {
                // SIM: a terminal line must end; the container goes on in the background.
                out.stderr.push_str("(the container keeps running in the background: use -d to start it detached, `docker ps` to see it)\n");
            }
        }
        if c.exited.is_some() {
            c.started = None;
        }
        if !(rm && c.exited.is_some()) {
            self.containers.push(c);
        }
        out
    }

    fn ps(&self, now: SimTime, all: bool) -> Output {
        let mut text = String::from("CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES\n");
        for c in self.containers.iter().rev().filter(|c| all || c.exited.is_none()) {
            let command = if c.command.chars().count() > 20 {
                format!("\"{}…\"", c.command.chars().take(19).collect::<String>())
            } else {
                format!("\"{}\"", c.command)
            };
            let status = match (c.started, c.exited) {
                (_, Some((at, code))) => format!("Exited ({code}) {} ago", human(now.since(at))),
                (Some(at), None) => format!("Up {}", human(now.since(at))),
                (None, None) => "Created".into(),
            };
            let ports = if c.exited.is_some() {
                String::new()
            } else {
                c.ports
                    .iter()
                    .map(|(h, p)| format!("0.0.0.0:{h}->{p}/tcp, :::{h}->{p}/tcp"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            text.push_str(&format!(
                "{}\t{}\t{command}\t{} ago\t{status}\t{ports}\t{}\n",
                &c.id[..12],
                c.image,
                human(now.since(c.created)),
                c.name
            ));
        }
        Output::ok(tabwrite(&text, 10, 3))
    }
}

/// How a docker container of `image` starts.
fn launch_for(image: &str, command: &[String], hostname: &str) -> Launch {
    Launch {
        image: image.to_string(),
        command: Vec::new(),
        args: command.to_vec(),
        env: Default::default(),
        files: Default::default(),
        hostname: hostname.to_string(),
        working_dir: None,
        tty: false,
        declared_ports: Vec::new(),
        mounted_dirs: Vec::new(),
        read_only: Vec::new(),
    }
}

/// `8080:80` or `80` (the same port on both sides).
fn parse_publish(spec: &str) -> Option<(u16, u16)> {
    let spec = spec.trim_end_matches("/tcp");
    match spec.rsplit_once(':') {
        Some((h, c)) => Some((h.rsplit(':').next()?.parse().ok()?, c.parse().ok()?)),
        None => spec.parse().ok().map(|p| (p, p)),
    }
}

/// Docker's human durations (go-units): `Less than a second`, `5 seconds`, `About a minute`, …
fn human(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0 => "Less than a second".into(),
        1 => "1 second".into(),
        2..=59 => format!("{s} seconds"),
        60..=119 => "About a minute".into(),
        120..=3_599 => format!("{} minutes", s / 60),
        3_600..=7_199 => "About an hour".into(),
        _ if s < 48 * 3_600 => format!("{} hours", s / 3_600),
        _ => format!("{} days", s / 86_400),
    }
}

/// Docker's sizes: decimal units with three significant digits (`187MB`, `4.26MB`).
fn human_size(bytes: u64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < units.len() {
        v /= 1000.0;
        u += 1;
    }
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    let text = format!("{v:.digits$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text };
    format!("{text}{}", units[u])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn run_detached_nginx_serves_on_the_published_port_and_shows_in_ps() {
        let mut d = Docker::default();
        let t0 = SimTime::ZERO;
        let out = d.run(t0, &args("run -d -p 8080:80 --name web nginx"));
        assert_eq!(out.status, 0, "{}", out.stderr);
        assert!(
            out.stderr.starts_with("Unable to find image 'nginx:latest' locally\nlatest: Pulling from library/nginx\n"),
            "{}",
            out.stderr
        );
        assert_eq!(out.stdout.trim().len(), 64);
        let (status, body) = d.answer(t0 + Duration::from_secs(5), 8080, "/").unwrap();
        assert_eq!(status, 200);
        assert!(body.contains("Welcome to nginx!"));
        let ps = d.run(t0 + Duration::from_secs(5), &args("ps")).stdout;
        let lines: Vec<&str> = ps.lines().collect();
        assert!(lines[0].starts_with("CONTAINER ID   IMAGE     COMMAND   "), "{ps}");
        assert!(
            lines[1].contains("Up 5 seconds") && lines[1].contains("0.0.0.0:8080->80/tcp") && lines[1].ends_with("web"),
            "{ps}"
        );
        assert_eq!(d.running_images(), vec!["nginx".to_string()]);
        let id = d.run(t0, &args("ps -q")).stdout;
        assert_eq!(id.len(), 13, "{id}");
        assert_eq!(d.run(t0, &args("stop web")).stdout, "web\n");
        assert!(d.answer(t0, 8080, "/").is_none());
        assert!(d.run(t0, &args("ps")).stdout.lines().count() == 1);
        assert!(d.run(t0, &args("ps -a")).stdout.contains("Exited (0)"));
        assert_eq!(d.run(t0, &args("rm web")).stdout, "web\n");
    }

    #[test]
    fn foreground_commands_print_their_output_and_pull_errors_read_like_docker() {
        let mut d = Docker::default();
        let out = d.run(SimTime::ZERO, &args("run busybox echo hello"));
        assert_eq!(out.stdout, "hello\n", "{}", out.stderr);
        let out = d.run(SimTime::ZERO, &args("pull nginxx"));
        assert!(out.stderr.contains("pull access denied for nginxx"), "{}", out.stderr);
        let out = d.run(SimTime::ZERO, &args("images"));
        assert!(
            out.stdout.starts_with("REPOSITORY   TAG       IMAGE ID       CREATED       SIZE\nbusybox      latest    "),
            "{}",
            out.stdout
        );
        let out = d.run(SimTime::ZERO, &args("frob"));
        assert_eq!(out.stderr, "docker: 'frob' is not a docker command.\nSee 'docker --help'\n");
    }

    #[test]
    fn sizes_and_durations_read_as_docker_prints_them() {
        assert_eq!(human_size(187_000_000), "187MB");
        assert_eq!(human_size(4_260_000), "4.26MB");
        assert_eq!(human(Duration::from_secs(90)), "About a minute");
        assert_eq!(parse_publish("8080:80"), Some((8080, 80)));
        assert_eq!(parse_publish("127.0.0.1:8080:80"), Some((8080, 80)));
    }
}

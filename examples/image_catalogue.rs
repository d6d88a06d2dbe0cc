//! Prints the image catalogue as a Markdown table (for issue notes and reviews): each image,
//! the tags that pull, what it runs, the ports it answers on and the programs it ships.
//! `cargo run --example image_catalogue`.

use kube_sandbox::sim::images::{Answer, Catalogue, Tags};

fn tags(t: &Tags) -> String {
    if t.any {
        return "any".into();
    }
    let mut parts: Vec<String> = t.named.iter().map(|s| s.to_string()).collect();
    if t.majors.0 <= t.majors.1 {
        let newest: Vec<String> = t.newest_minor.iter().map(|(m, n)| format!("{m}.≤{n}")).collect();
        let range = if t.majors.0 == t.majors.1 {
            format!("{}", t.majors.0)
        } else {
            format!("{}–{}", t.majors.0, t.majors.1)
        };
        let mut v = format!("{}{range}.x", t.prefix);
        if !newest.is_empty() {
            v.push_str(&format!(" ({})", newest.join(", ")));
        }
        parts.push(v);
    }
    if !t.variants.is_empty() {
        parts.push(format!("-{}", t.variants.join("/-")));
    }
    parts.join(", ")
}

fn answer(a: &Answer) -> &'static str {
    match a {
        Answer::Static { .. } => "files",
        Answer::Fixed(_) => "fixed",
        Answer::Routes(_) => "routes",
        Answer::Tcp => "tcp",
        Answer::Nginx => "nginx.conf",
        Answer::Httpd => "httpd.conf",
    }
}

fn main() {
    println!("| image | tags that pull | runs | answers on | ships |");
    println!("|---|---|---|---|---|");
    let mut n = 0;
    for p in Catalogue::all() {
        n += 1;
        let runs: Vec<&str> = p.entrypoint.iter().chain(p.cmd.iter()).copied().collect();
        let ports: Vec<String> = p.ports.iter().map(|port| format!("{} {}", port.port, answer(&port.answer))).collect();
        let programs: Vec<&str> = p.programs.iter().map(|(name, _)| *name).collect();
        let aliases = if p.aliases.is_empty() { String::new() } else { format!(" (+{} names)", p.aliases.len()) };
        println!(
            "| {}{aliases} | {} | {} | {} | {} |",
            p.repository,
            tags(&p.tags),
            runs.join(" ").replace('|', "\\|"),
            ports.join(", "),
            programs.join(", ")
        );
    }
    println!("\n{n} images.");
}

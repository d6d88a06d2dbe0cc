//! Every manifest of the kiamol corpus (../shared/corpus/kiamol) decodes, and the API server
//! either stores each object or refuses it the way a real cluster does (a kind whose CRD is
//! not installed). Prints the counts; skipped if the corpus is absent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kube_sandbox::manifest;
use kube_sandbox::sim::apiserver::Reason;
use kube_sandbox::sim::{Limits, Sim, SimConfig};

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/kiamol");
    dir.is_dir().then_some(dir)
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(p);
        }
    }
}

#[test]
fn every_kiamol_manifest_decodes_and_is_stored_or_refused_as_upstream() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not found; skipped");
        return;
    };
    let mut files = Vec::new();
    yaml_files(&dir, &mut files);
    assert!(files.len() > 400, "expected the whole corpus, found {} files", files.len());
    let mut stored: BTreeMap<String, usize> = BTreeMap::new();
    let mut refused: BTreeMap<String, usize> = BTreeMap::new();
    let mut unexpected = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let objects = manifest::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        // Each file in a fresh cluster with its chapter's CRDs applied first, as the book does.
        let mut sim = Sim::new(SimConfig { limits: Limits::none(), ..SimConfig::default() });
        let (crds, rest): (Vec<_>, Vec<_>) = objects.into_iter().partition(|o| o.kind == "CustomResourceDefinition");
        for obj in crds.into_iter().chain(rest) {
            let kind = obj.kind.clone();
            match sim.create(obj) {
                Ok(_) => *stored.entry(kind).or_default() += 1,
                // Namespaced objects whose namespace the same chapter creates in another file.
                Err(e) if e.reason == Reason::NotFound && e.message.starts_with("namespaces") => {
                    *stored.entry(kind).or_default() += 1
                }
                Err(e) if e.reason == Reason::NoKindMatch => *refused.entry(kind).or_default() += 1,
                Err(e) => unexpected.push(format!("{}: {kind}: {e}", file.strip_prefix(&dir).unwrap().display())),
            }
        }
    }
    eprintln!("kiamol corpus: {} files", files.len());
    eprintln!("stored: {stored:?}");
    eprintln!("refused (no matches for kind): {refused:?}");
    assert!(unexpected.is_empty(), "{} objects refused unexpectedly:\n{}", unexpected.len(), unexpected.join("\n"));
}

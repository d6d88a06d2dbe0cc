//! Lists the lesson files in `lessons/` for `src/lessons.rs` to compile in, so that adding a
//! lesson needs no Rust.

use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("set by cargo")).join("lessons");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "md")).collect()
        })
        .unwrap_or_default();
    files.retain(|p| p.file_name().is_some_and(|n| n != "README.md"));
    files.sort();
    let mut out = String::from("/// Lesson files: (file name, text).\nconst SOURCES: &[(&str, &str)] = &[\n");
    for p in files {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        out.push_str(&format!("    ({name:?}, include_str!({:?})),\n", p.display().to_string()));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("set by cargo")).join("lessons.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}

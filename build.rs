//! Embeds every custom resource schema under schemas/crds/ into the binary, so adding a schema
//! file is all it takes to bundle one.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let crds = root.join("schemas/crds");
    println!("cargo:rerun-if-changed=schemas/crds");
    let mut files = Vec::new();
    collect(&crds, &mut files);
    files.sort();
    let mut code = String::from(
        "/// (path under schemas/crds, content) of every bundled custom resource schema.\npub static BUNDLED_CRDS: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file
            .strip_prefix(&crds)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            code,
            "    ({relative:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("bundled_crds.rs");
    std::fs::write(out, code).unwrap();
}

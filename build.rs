//! Embeds every custom resource schema under schemas/crds/ into the binary, so adding a schema
//! file is all it takes to bundle one; and the generic service library (templates/service/),
//! file by file, so the binary carries the library it was built with.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    collect_if(dir, out, &|path| {
        path.extension().is_some_and(|e| e == "json")
    });
}

fn collect_if(dir: &Path, out: &mut Vec<PathBuf>, keep: &dyn Fn(&Path) -> bool) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_if(&path, out, keep);
        } else if keep(&path) {
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
    embed_library(&root);
}

/// `BUILTIN_LIBRARY`: (path under templates/service, content) of every file of the library, and
/// its Chart.yaml version as `BOSUN_LIBRARY_VERSION` for `bosun --version`.
fn embed_library(root: &Path) {
    let library = root.join("templates/service");
    println!("cargo:rerun-if-changed=templates/service");
    let mut files = Vec::new();
    collect_if(&library, &mut files, &|_| true);
    files.sort();
    let mut code = String::from(
        "/// (path under templates/service, content) of every file of the built-in library.\npub static BUILTIN_LIBRARY: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file
            .strip_prefix(&library)
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
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtin_library.rs");
    std::fs::write(out, code).unwrap();
    let chart = std::fs::read_to_string(library.join("Chart.yaml")).unwrap();
    let version = chart
        .lines()
        .find_map(|line| line.strip_prefix("version:"))
        .map(|v| v.trim().trim_matches('"'))
        .expect("templates/service/Chart.yaml has a version");
    println!("cargo:rustc-env=BOSUN_LIBRARY_VERSION={version}");
}

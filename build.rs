//! Embeds every custom resource schema under schemas/crds/ into the binary, so adding a schema
//! file is all it takes to bundle one; and the generic service library (templates/service/),
//! file by file, so the binary carries the library it was built with.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>, keep: &dyn Fn(&Path) -> bool) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out, keep);
        } else if keep(&path) {
            out.push(path);
        }
    }
}

/// Writes `OUT_DIR/<out>`: `pub static <name>: &[(&str, &str)]`, the (path under `folder`,
/// content) of every file under `folder` that `keep` takes, in path order.
fn embed(root: &Path, folder: &str, name: &str, out: &str, keep: &dyn Fn(&Path) -> bool) {
    let dir = root.join(folder);
    println!("cargo:rerun-if-changed={folder}");
    let mut files = Vec::new();
    collect(&dir, &mut files, keep);
    files.sort();
    let mut code = format!(
        "/// (path under {folder}, content) of every embedded file.\npub static {name}: &[(&str, &str)] = &[\n"
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file
            .strip_prefix(&dir)
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
    let path = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join(out);
    std::fs::write(path, code).unwrap();
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    embed(
        &root,
        "schemas/crds",
        "BUNDLED_CRDS",
        "bundled_crds.rs",
        &|path| path.extension().is_some_and(|e| e == "json"),
    );
    embed(
        &root,
        "templates/service",
        "BUILTIN_LIBRARY",
        "builtin_library.rs",
        &|_| true,
    );
    // The library's Chart.yaml version, for `bosun --version` and dependency ranges.
    let chart = std::fs::read_to_string(root.join("templates/service/Chart.yaml")).unwrap();
    let version = chart
        .lines()
        .find_map(|line| line.strip_prefix("version:"))
        .map(|v| v.trim().trim_matches('"'))
        .expect("templates/service/Chart.yaml has a version");
    println!("cargo:rustc-env=BOSUN_LIBRARY_VERSION={version}");
}

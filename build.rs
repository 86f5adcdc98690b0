//! Embeds every custom resource schema under schemas/crds/ into the binary, so adding a schema
//! file is all it takes to bundle one; and the generic service library (templates/service/),
//! file by file, so the binary carries the library it was built with. Indexes the Kubernetes
//! schema bundle (build/bundle_index.rs), so a run starts from tables instead of reading it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[path = "build/bundle_index.rs"]
mod bundle_index;

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

/// On Linux with glibc 2.36 or later the binary's start-up relocations are packed (`DT_RELR`): a
/// PIE has some 41,000 of them, one per pointer in its tables, and applying them one entry at a
/// time was about 6% of a small chart's CPU. Packed, the loader applies them from a 10 KB
/// bitmap (measured on 2026-11-30, interleaved, 10 rounds: ten Bitnami charts 0.96x wall and
/// CPU, a one-ConfigMap chart 3.2 -> 2.7 ms). Only for a native build whose C library reads
/// packed relocations (glibc 2.36, 2022); a GNU ld older than 2.38 warns and ignores it.
///
/// On Linux the binary is also linked as a fixed-address executable (`-no-pie`), as the helm
/// and kubectl binaries bosun is measured against are (Go's default). Packed or not, a PIE's
/// loader still writes every one of those pointers, so each 4 KiB page of its 650 KB of
/// pointer tables was copied on start; fixed, they are read from the page cache as they are.
/// Measured on 2026-11-30: `bosun --version` 293 -> 142 page faults and 0.5-0.8 ms less CPU,
/// about 5% of a small chart's render. What it gives up is the random load address of the
/// binary's own code; the C library, the heap, the stacks and every other mapping keep theirs.
/// An earlier round kept PIE for that reason when its relocations were its only measured cost.
fn pack_relocations() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    // The build script runs on the host: for a native build that is the machine that links.
    if var("HOST") == var("TARGET") && glibc_reads_relr() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    if var("HOST") == var("TARGET") && var("CARGO_CFG_TARGET_OS") == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

/// Whether this machine's glibc is 2.36 or later (the build script runs where it links).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn glibc_reads_relr() -> bool {
    unsafe extern "C" {
        fn gnu_get_libc_version() -> *const std::ffi::c_char;
    }
    // SAFETY: glibc returns a static NUL-terminated string such as "2.36".
    let version = unsafe { std::ffi::CStr::from_ptr(gnu_get_libc_version()) };
    let mut parts = version.to_str().unwrap_or("").split('.');
    let mut number = || {
        parts
            .next()
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(0)
    };
    (number(), number()) >= (2, 36)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn glibc_reads_relr() -> bool {
    false
}

fn main() {
    pack_relocations();
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
    bundle_index::write(
        &root.join("schemas/kubernetes.bundle"),
        &PathBuf::from(std::env::var("OUT_DIR").unwrap()),
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

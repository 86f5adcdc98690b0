//! Every input the fuzzers found (tests/fixtures/fuzz/<target>/, kept by fuzz/run.sh) replayed
//! through the same properties, plus the repository's own fixtures as a baseline corpus.

use std::path::{Path, PathBuf};

use crate::fuzz;

/// The repository root, where the corpora are.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn replay(target: &str, check: fn(&[u8]), baseline: &[&str]) -> usize {
    let mut files = Vec::new();
    let found = root().join("tests/fixtures/fuzz").join(target);
    if let Ok(entries) = std::fs::read_dir(&found) {
        files.extend(entries.map(|e| e.unwrap().path()));
    }
    for folder in baseline {
        for entry in std::fs::read_dir(root().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    for file in &files {
        let data = std::fs::read(file).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(
            outcome.is_ok(),
            "{target}: {} panics",
            Path::new(file).display()
        );
    }
    files.len()
}

#[test]
fn values_inputs() {
    assert!(
        replay(
            "values",
            fuzz::values,
            &["tests/fixtures/hostile", "charts/okla", "values"]
        ) > 5
    );
}

#[test]
fn set_inputs() {
    replay("set", fuzz::set, &[]);
    for arg in [
        "a.b=c",
        "a[0]=x,b={1,2}",
        r#"j={"k":[1,2]}"#,
        "=",
        "a[",
        "\\",
        "a={",
    ] {
        fuzz::set(arg.as_bytes());
    }
}

#[test]
fn document_inputs() {
    assert!(
        replay(
            "documents",
            fuzz::documents,
            &[
                "tests/fixtures/manifests",
                "tests/fixtures/crds",
                "tests/fixtures/hostile"
            ]
        ) > 40
    );
}

#[test]
fn render_inputs() {
    assert!(
        replay(
            "render",
            fuzz::render,
            &[
                "charts/demo/templates",
                "tests/fixtures/charts/err_recursion/templates"
            ]
        ) > 5
    );
}

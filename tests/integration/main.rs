//! Integration tests: real `bosun` invocations, compiled into one test binary.

mod api_rules;
mod builtin_library;
mod canonical_write;
mod cel_rules;
mod chart_speed;
mod consequence_reports;
mod consequences;
mod crd_schemas;
mod dependency;
mod dependency_oci;
mod diff;
mod documents;
mod errors;
mod finding_origins;
mod gotpl;
mod helm_compat_cases;
mod helm_lookup;
mod helm_random;
mod helm_rules;
mod helm_speed;
mod hostile;
mod jinja_speed;
mod large_render;
mod lint;
mod parallel_load;
mod pipeline;
mod record_unchanged;
mod releases;
mod render;
mod repository;
mod seeds;
mod shared_templates;
mod subcommand_help;
mod trust_checks;
mod trust_messages;
mod trust_output;
mod trust_record;
mod trust_templates;
mod validate;
mod validate_speed;
mod validation_speed;
mod values;
mod values_checked_beside;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root: commands run from here so paths in reports stay short and stable.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `bosun` with the given arguments, run from the repository root with colour off.
pub fn bosun<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut command = Command::new(insta_cmd::get_cargo_bin("bosun"));
    command
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        // Renders record themselves; keep the records out of the repository's charts.
        .env(
            "BOSUN_STATE_DIR",
            std::env::temp_dir().join("bosun-tests-state"),
        );
    command
}

/// Runs `bosun`, returning (exit code, stdout, stderr).
pub fn run<I, S>(args: I) -> (i32, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output = bosun(args).output().expect("bosun runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `bosun`, asserting that it exits 0 with nothing on stderr but warnings, and returns
/// its stdout: a test that reads output must not pass when the command failed.
#[track_caller]
pub fn run_ok<I, S>(args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 0, "bosun failed:\n{stderr}");
    stdout
}

/// Runs `bosun` with `input` on its stdin, returning (exit code, stdout, stderr).
pub fn run_with_stdin<I, S>(args: I, input: &[u8]) -> (i32, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    use std::io::Write;
    use std::process::Stdio;
    let mut child = bosun(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bosun runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A fixture chart's path, relative to the repository root.
pub fn fixture(name: &str) -> String {
    format!("tests/fixtures/charts/{name}")
}

/// A throwaway Helm chart named `probe` whose templates are the given (file name, text) pairs,
/// with `values` as its values.yaml; the folder lives as long as the returned guard.
pub fn probe_chart(values: &str, templates: &[(&str, &str)]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("Chart.yaml"),
        "apiVersion: v2\nname: probe\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("values.yaml"), values).unwrap();
    for (name, text) in templates {
        std::fs::write(dir.path().join("templates").join(name), text).unwrap();
    }
    let path = dir.path().display().to_string();
    (dir, path)
}

/// Copies a folder tree (for tests that change a chart).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

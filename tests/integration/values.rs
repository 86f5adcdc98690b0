//! `bosun values` and the errors of the value flags: environments, files, `--set` syntax.

use insta_cmd::assert_cmd_snapshot;

use crate::{bosun, run};

#[test]
fn merged_values_for_production() {
    assert_cmd_snapshot!(bosun(["values", "charts/demo", "--env", "production"]));
}

#[test]
fn explain_names_the_file_line_or_flag_of_every_leaf() {
    assert_cmd_snapshot!(bosun([
        "values",
        "charts/demo",
        "--env",
        "production",
        "--explain",
        "--set",
        "image.tag=2.0.0",
    ]));
}

#[test]
fn unknown_environment_lists_the_known_ones_and_prints_nothing() {
    assert_cmd_snapshot!(bosun(["render", "charts/demo", "--env", "prodution"]));
}

#[test]
fn an_environment_name_cannot_walk_out_of_values() {
    let (code, stdout, stderr) = run(["render", "charts/demo", "--env", "../etc"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("invalid environment name"), "{stderr}");
}

#[test]
fn values_dir_overrides_the_search() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("qa.yaml"), "replicas: 9\n").unwrap();
    let (code, stdout, stderr) = run([
        "values",
        "charts/demo",
        "--env",
        "qa",
        "--values-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("replicas: 9"));
    // production is no longer known there
    assert_eq!(
        run([
            "values",
            "charts/demo",
            "--env",
            "production",
            "--values-dir",
            dir.path().to_str().unwrap()
        ])
        .0,
        1
    );
}

#[test]
fn a_missing_values_file_is_an_error() {
    let (code, stdout, stderr) = run(["render", "charts/demo", "-f", "nope.yaml"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("cannot read `nope.yaml`"), "{stderr}");
}

#[test]
fn a_broken_values_file_points_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.yaml");
    std::fs::write(&file, "replicas: 2\nimage:\n  tag: [1.0\nname: x\n").unwrap();
    let (code, _, stderr) = run(["render", "charts/demo", "-f", file.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("broken.yaml:4"), "{stderr}");
}

#[test]
fn duplicate_keys_in_a_values_file_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dup.yaml");
    std::fs::write(&file, "replicas: 2\nreplicas: 3\n").unwrap();
    let (code, _, stderr) = run(["values", "charts/demo", "-f", file.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("duplicate key `") && stderr.contains("dup.yaml:2"),
        "{stderr}"
    );
}

#[test]
fn bad_set_syntax_is_an_error() {
    assert_cmd_snapshot!(bosun(["render", "charts/demo", "--set", "image.tag"]));
    let (code, _, stderr) = run(["render", "charts/demo", "--set-json", "a={oops"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("invalid JSON"), "{stderr}");
}

#[test]
fn completions_are_printed_for_bash() {
    let (code, stdout, _) = run(["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("--show-only"));
}

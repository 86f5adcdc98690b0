//! Broken and hostile input (tests/fixtures/hostile, tests/fixtures/charts/hostile_render and the
//! err_* charts): each ends in a clear error, exit 1 and nothing on stdout, never a panic or a
//! hang. Also: concurrent renders into one state folder, secrets kept out of reports, and
//! `bosun init`.

use std::process::Stdio;

use crate::{bosun, fixture, root, run, run_ok};

fn refused(args: &[&str], expect: &str) {
    let (code, stdout, stderr) = run(args);
    assert_eq!((code, stdout.as_str()), (1, ""), "{args:?}: {stderr}");
    assert!(
        stderr.contains(expect),
        "{args:?}: expected `{expect}` in:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn hostile_values_files_are_refused() {
    for (file, expect) in [
        ("alias-bomb.yaml", "budget breached"),
        ("deep-nesting.yaml", "recursion limit exceeded"),
        ("duplicate-keys.yaml", "duplicate key `"),
        ("invalid-utf8.yaml", "not UTF-8"),
    ] {
        let path = format!("tests/fixtures/hostile/{file}");
        refused(&["render", "charts/demo", "--no-save", "-f", &path], expect);
    }
}

#[test]
fn a_huge_values_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.yaml");
    let big = std::fs::File::create(&file).unwrap();
    big.set_len(40 * 1024 * 1024).unwrap(); // sparse: costs no disk
    refused(
        &["values", "charts/demo", "-f", file.to_str().unwrap()],
        "more than the 32 MiB",
    );
}

#[test]
fn a_chart_rendering_hostile_yaml_is_refused() {
    let chart = fixture("hostile_render");
    refused(
        &["render", &chart, "--no-save", "--set", "shape=bomb"],
        "budget breached",
    );
    refused(
        &["render", &chart, "--no-save", "--set", "shape=deep"],
        "recursion limit exceeded",
    );
}

#[test]
fn a_secret_that_does_not_parse_is_not_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("secret");
    crate::copy_tree(&root().join(fixture("secret")), &chart);
    // `: ` inside the value breaks the YAML the template renders.
    let template = chart.join("templates/secret.yaml");
    let text = std::fs::read_to_string(&template)
        .unwrap()
        .replace("{{ values.password | quote }}", "{{ values.password }}");
    std::fs::write(&template, text).unwrap();
    let (code, stdout, stderr) = run([
        "render",
        chart.to_str().unwrap(),
        "--no-save",
        "--set-string",
        "password=hunter2: x",
    ]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.contains("not shown because the document is a Secret"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "the secret leaked: {stderr}");
}

#[test]
fn concurrent_renders_never_corrupt_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().to_str().unwrap().to_string();
    let children: Vec<_> = (0..8)
        .map(|i| {
            bosun([
                "render",
                "charts/demo",
                "--state-dir",
                &state,
                "--set",
                &format!("replicas={}", i + 1),
            ])
            .stdout(Stdio::null())
            .spawn()
            .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let record = std::fs::read_to_string(dir.path().join("_no-env/default/demo.yaml")).unwrap();
    // Whole: one of the eight renders, byte for byte.
    let candidates: Vec<String> = (0..8)
        .map(|i| {
            run_ok([
                "render",
                "charts/demo",
                "--no-save",
                "--set",
                &format!("replicas={}", i + 1),
            ])
        })
        .collect();
    assert!(
        candidates.contains(&record),
        "the record is not one whole render:\n{record}"
    );
    let files = std::fs::read_dir(dir.path().join("_no-env/default"))
        .unwrap()
        .count();
    assert_eq!(files, 1, "temporary files were left behind");
}

#[test]
fn a_rollouts_pod_template_is_validated_as_a_pod_template() {
    let (code, _, stderr) = run([
        "render",
        "charts/fastapi",
        "--env",
        "production",
        "--no-save",
        "-f",
        "charts/fastapi/releases/rollout-blue-green.yaml",
        "--set-json",
        r#"services.fastapi-app.initContainers=[{"name":"wait","image":"busybox:1.36","commnd":["true"]}]"#,
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("Rollout default/fastapi-app")
            && stderr.contains("/spec/template/spec/initContainers/0/commnd"),
        "{stderr}"
    );
}

#[test]
fn init_creates_a_chart_that_renders_validates_and_lints_clean() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("charts/hello");
    let chart_arg = chart.to_str().unwrap();
    let (code, _, stderr) = run(["init", chart_arg]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run(["render", chart_arg, "--no-save", "--require-schemas"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("kind: Deployment") && stdout.contains("name: hello"));
    let (code, stdout, _) = run(["lint", chart_arg, "--strict"]);
    assert_eq!(code, 0, "{stdout}");
    // Not twice, and not with a name Kubernetes would refuse.
    assert_eq!(run(["init", chart_arg]).0, 1);
    let bad = dir.path().join("charts/Not_A_Label");
    assert_eq!(run(["init", bad.to_str().unwrap()]).0, 1);
}

//! Offline validation: `bosun validate` on core and custom resources, every class of error, the
//! output formats and flags; `bosun render` validating by default; values.schema.json.

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;

use crate::{bosun, root, run};

/// The JSON verdicts of `bosun validate -o json` on one file.
fn verdicts(file: &str, extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut args = vec!["validate", "-o", "json", file];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(args);
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stdout}{stderr}"));
    (code, report["resources"].as_array().unwrap().clone())
}

/// Each `*.invalid.yaml` / `invalid_*.yaml` fixture names the JSON pointer of its one error on
/// a first-line `# expect:` comment; every other fixture is valid.
fn check_fixtures(folder: &str) -> usize {
    let mut checked = 0;
    let mut files: Vec<_> = std::fs::read_dir(root().join(folder))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    for path in files {
        let relative = path
            .strip_prefix(root())
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .map(str::trim);
        let name = path.file_name().unwrap().to_str().unwrap();
        let is_valid_fixture = name.contains(".valid.") || name.starts_with("valid");
        if expect.is_none() && !is_valid_fixture {
            continue;
        }
        let (code, resources) = verdicts(&relative, &[]);
        match expect {
            None => {
                assert_eq!(code, 0, "{relative}: {resources:?}");
                assert!(
                    resources.iter().all(|r| r["status"] == "valid"),
                    "{relative}: {resources:?}"
                );
            }
            Some(pointer) => {
                assert_eq!(code, 1, "{relative} should fail");
                let errors = resources[0]["errors"].as_array().unwrap();
                assert!(
                    errors.iter().any(|e| e["path"] == pointer),
                    "{relative}: no error at {pointer}: {errors:?}"
                );
                assert!(
                    errors
                        .iter()
                        .all(|e| e["line"].as_u64().is_some_and(|l| l > 1)),
                    "{relative}: {errors:?}"
                );
            }
        }
        checked += 1;
    }
    checked
}

#[test]
fn core_kinds_valid_and_each_class_of_error() {
    assert!(check_fixtures("tests/fixtures/manifests") >= 7);
}

#[test]
fn every_bundled_custom_resource_kind_valid_and_invalid() {
    assert!(check_fixtures("tests/fixtures/crds") >= 54);
}

#[test]
fn removed_api_versions_depend_on_the_target_version() {
    let file = "tests/fixtures/manifests/hpa_v2beta2.yaml";
    assert_eq!(verdicts(file, &["--kube-version", "1.25"]).0, 0);
    let (code, resources) = verdicts(file, &["--kube-version", "1.30"]);
    assert_eq!(code, 1);
    let message = resources[0]["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("removed in 1.26") && message.contains("use apiVersion: autoscaling/v2"),
        "{message}"
    );
}

#[test]
fn a_kind_without_schema_is_skipped_unless_schemas_are_required() {
    let file = "tests/fixtures/manifests/unknown_kind.yaml";
    let (code, resources) = verdicts(file, &[]);
    assert_eq!(
        (code, resources[0]["status"].as_str()),
        (0, Some("skipped"))
    );
    assert_eq!(verdicts(file, &["--require-schemas"]).0, 1);
    let (code, resources) = verdicts(file, &["--ignore-missing-schemas"]);
    assert_eq!((code, resources.len()), (0, 0));
}

#[test]
fn schema_location_and_crd_files_supply_custom_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let group = dir.path().join("gizmos.example.com");
    std::fs::create_dir_all(&group).unwrap();
    std::fs::write(
        group.join("gizmo_v1.json"),
        r#"{"type": "object", "properties": {"apiVersion": {}, "kind": {}, "metadata": {}, "spec": {"type": "object", "properties": {"size": {"type": "string"}}, "additionalProperties": false}}}"#,
    )
    .unwrap();
    let file = "tests/fixtures/manifests/unknown_kind.yaml";
    let (code, resources) = verdicts(file, &["--schema-location", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "size is an integer, the schema wants a string");
    assert_eq!(resources[0]["errors"][0]["path"], "/spec/size");

    let widget = dir.path().join("widget.yaml");
    std::fs::write(&widget, "apiVersion: demo.acme.example/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: big\n").unwrap();
    let widget = widget.to_str().unwrap();
    let (code, resources) = verdicts(widget, &["--crd", "charts/demo/crds/widgets.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(resources[0]["errors"][0]["path"], "/spec/size");
}

#[test]
fn skip_and_reject_kinds() {
    let file = "tests/fixtures/manifests/invalid_wrong_type.yaml";
    let (code, resources) = verdicts(file, &["--skip", "Deployment"]);
    assert_eq!(
        (code, resources[0]["status"].as_str()),
        (0, Some("skipped"))
    );
    let (code, _) = verdicts(
        "tests/fixtures/manifests/valid_core.yaml",
        &["--reject", "Ingress"],
    );
    assert_eq!(code, 1);
}

#[test]
fn duplicate_keys_are_rejected_only_with_strict() {
    let file = "tests/fixtures/manifests/duplicate_keys.yaml";
    assert_eq!(verdicts(file, &[]).0, 0);
    let (code, resources) = verdicts(file, &["--strict"]);
    assert_eq!((code, resources[0]["status"].as_str()), (1, Some("error")));
}

#[test]
fn folders_and_stdin_are_inputs() {
    let (code, stdout, _) = run(["validate", "--summary", "tests/fixtures/manifests"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains(
            "Summary: 13 resources found in 10 files - Valid: 5, Invalid: 7, Errors: 0, Skipped: 1"
        ),
        "{stdout}"
    );
    let input = std::fs::read(root().join("tests/fixtures/manifests/valid_core.yaml")).unwrap();
    assert_eq!(crate::run_with_stdin(["validate", "-"], &input).0, 0);
}

#[test]
fn output_formats() {
    for format in ["text", "json", "junit", "tap"] {
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(format);
        settings.bind(|| {
            assert_cmd_snapshot!(bosun([
                "validate",
                "--summary",
                "-o",
                format,
                "tests/fixtures/manifests/invalid_wrong_type.yaml",
                "tests/fixtures/manifests/unknown_kind.yaml",
                "tests/fixtures/manifests/valid_core.yaml",
            ]));
        });
    }
}

#[test]
fn render_validates_by_default_and_no_validate_skips_it() {
    let chart = "tests/fixtures/charts/err_invalid_manifests";
    let (code, stdout, _) = run(["render", chart]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    let (code, stdout, _) = run(["render", chart, "--no-validate"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("kind: Deployment"));
}

#[test]
fn an_older_kube_version_is_honoured_by_render() {
    let (code, _, stderr) = run(["render", "charts/demo", "--kube-version", "1.12"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("no schemas for Kubernetes 1.12"),
        "{stderr}"
    );
    assert_eq!(
        run(["render", "charts/demo", "--kube-version", "1.30"]).0,
        0
    );
}

#[test]
fn a_misspelled_value_is_an_error_at_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("typo.yaml");
    std::fs::write(
        &file,
        "services:\n  vehiclessaleservice:\n    replicas: 2\n    replicaz: 3\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run([
        "render",
        "charts/okla",
        "--env",
        "production",
        "-f",
        file.to_str().unwrap(),
    ]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.contains("services.vehiclessaleservice.replicaz"),
        "{stderr}"
    );
    assert!(stderr.contains("typo.yaml:4"), "{stderr}");
    assert!(stderr.contains("values.schema.json"), "{stderr}");
}

#[test]
fn every_seed_chart_validates_clean_in_every_environment() {
    for (chart, envs) in [
        ("okla", &["staging", "production"][..]),
        ("ecommerce", &["dev", "staging", "production"]),
        ("a4co", &["dev", "staging", "production"]),
        ("myapp", &["staging", "production"]),
        ("fastapi", &["production"]),
    ] {
        for env in envs {
            let chart_path = format!("charts/{chart}");
            let (code, _, stderr) = run(["render", &chart_path, "--env", env, "--require-schemas"]);
            assert_eq!(code, 0, "{chart} {env}: {stderr}");
        }
    }
    assert!(Path::new(&root().join("schemas/kubernetes.bundle")).is_file());
}

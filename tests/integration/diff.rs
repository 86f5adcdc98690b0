//! `bosun diff`: the record `bosun render` keeps, and what a change does against it or against
//! any manifests.

use insta_cmd::assert_cmd_snapshot;

use crate::{bosun, fixture, run, run_ok};

/// A state folder of the test's own, so tests do not see each other's records.
fn state() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn with_state<'a>(dir: &'a tempfile::TempDir, args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--state-dir", dir.path().to_str().unwrap()]);
    all
}

#[test]
fn render_records_and_an_unchanged_diff_is_empty() {
    let dir = state();
    assert_eq!(
        run(with_state(
            &dir,
            &["render", "charts/demo", "--env", "production"]
        ))
        .0,
        0
    );
    assert!(dir.path().join("production/default/demo.yaml").is_file());
    let (code, stdout, _) = run(with_state(
        &dir,
        &[
            "diff",
            "charts/demo",
            "--env",
            "production",
            "--detailed-exitcode",
        ],
    ));
    assert_eq!(code, 0, "no changes: {stdout}");
    assert!(
        stdout.contains("7 unchanged\nPlan: 0 to add, 0 to change, 0 to destroy."),
        "{stdout}"
    );
}

#[test]
fn added_changed_removed_and_unchanged() {
    let dir = state();
    // The record: production, with an Ingress and redis.
    run_ok(with_state(
        &dir,
        &["render", "charts/demo", "--env", "production"],
    ));
    let args = with_state(
        &dir,
        &[
            "diff",
            "charts/demo",
            "--env",
            "production",
            "--set",
            "ingress.enabled=false,replicas=4,config.extra.mode=fast",
            "--detailed-exitcode",
        ],
    );
    let (code, stdout, _) = run(&args);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("~ change  ConfigMap default/web-config"),
        "{stdout}"
    );
    assert!(
        stdout.contains("~ change  Deployment default/web"),
        "{stdout}"
    );
    assert!(stdout.contains("- destroy Ingress default/web"), "{stdout}");
    assert!(
        stdout.contains("Plan: 0 to add, 2 to change, 1 to destroy."),
        "{stdout}"
    );
    assert!(
        stdout.contains("-  replicas: 3\n+  replicas: 4"),
        "{stdout}"
    );
    // The other way round, the Ingress is added.
    let dir = state();
    run_ok(with_state(&dir, &["render", "charts/demo"]));
    let (code, stdout, _) = run(with_state(
        &dir,
        &[
            "diff",
            "charts/demo",
            "--set",
            "ingress.enabled=true,ingress.host=a.example",
            "-o",
            "summary",
            "--detailed-exitcode",
        ],
    ));
    assert_eq!(code, 2);
    assert!(stdout.contains("+ add     Ingress default/web"), "{stdout}");
}

#[test]
fn output_formats_and_context() {
    let dir = state();
    run_ok(with_state(&dir, &["render", "charts/demo"]));
    for format in ["unified", "summary", "json", "markdown"] {
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(format);
        settings.add_filter(r"--state-dir \S+", "--state-dir [STATE]");
        settings.add_filter(r"/tmp/\.tmp\w+", "[STATE]");
        settings.bind(|| {
            assert_cmd_snapshot!(bosun(with_state(
                &dir,
                &[
                    "diff",
                    "charts/demo",
                    "--set",
                    "replicas=2",
                    "-o",
                    format,
                    "-C",
                    "1"
                ]
            )));
        });
    }
    let wide = run_ok(with_state(
        &dir,
        &["diff", "charts/demo", "--set", "replicas=2", "-C", "8"],
    ));
    let narrow = run_ok(with_state(
        &dir,
        &["diff", "charts/demo", "--set", "replicas=2", "-C", "0"],
    ));
    assert!(wide.lines().count() > narrow.lines().count() + 10);
}

#[test]
fn secret_values_are_masked_unless_shown() {
    let dir = state();
    let chart = fixture("secret");
    let keyed = |args: &[&str]| {
        let output = bosun(with_state(&dir, args))
            .env("BOSUN_SECRET_KEY", "a-test-key-of-32-characters-long")
            .output()
            .unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    assert_eq!(keyed(&["render", &chart]).0, 0);
    let (code, stdout) = keyed(&[
        "diff",
        &chart,
        "--set",
        "password=correct-horse",
        "--detailed-exitcode",
    ]);
    assert_eq!(code, 2);
    assert!(
        !stdout.contains("hunter2") && !stdout.contains("correct-horse"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("dG9rZW4t"),
        "base64 of a secret leaked: {stdout}"
    );
    // The record keeps no size, only a keyed digest: the old side shows none.
    assert!(
        stdout.contains("-  password: (hidden)\n+  password: (hidden, changed)"),
        "{stdout}"
    );
    assert!(stdout.contains("+  token: (hidden, changed)"), "{stdout}");
    let (_, shown) = keyed(&[
        "diff",
        &chart,
        "--set",
        "password=correct-horse",
        "--show-secrets",
    ]);
    assert!(
        shown.contains("-  password: hmac-sha256:") && shown.contains("+  password: correct-horse"),
        "{shown}"
    );
}

#[test]
fn against_kubectl_output_ignores_server_fields() {
    let (code, stdout, stderr) = run([
        "diff",
        "charts/demo",
        "--env",
        "production",
        "--against",
        "tests/fixtures/live/demo-production.yaml",
        "--detailed-exitcode",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Plan: 0 to add, 0 to change, 0 to destroy."));
    let (code, stdout, _) = run([
        "diff",
        "charts/demo",
        "--env",
        "production",
        "--set",
        "image.tag=1.5.0",
        "--against",
        "tests/fixtures/live/demo-production.yaml",
        "--detailed-exitcode",
    ]);
    assert_eq!(code, 2);
    assert!(
        stdout.contains("+        image: registry.acme.internal/demo-web:1.5.0"),
        "{stdout}"
    );
}

#[test]
fn against_stdin() {
    let (code, stdout, stderr) = crate::run_with_stdin(
        ["diff", "charts/demo", "--against", "-", "-o", "summary"],
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stale\n",
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("- destroy ConfigMap stale"), "{stdout}");
    assert!(
        stdout.contains("Plan: 4 to add, 0 to change, 1 to destroy."),
        "{stdout}"
    );
}

#[test]
fn without_a_record_everything_is_new() {
    let dir = state();
    let (code, stdout, stderr) = run(with_state(
        &dir,
        &[
            "diff",
            "charts/demo",
            "-o",
            "summary",
            "--detailed-exitcode",
        ],
    ));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stdout.starts_with("note: no earlier record for chart `demo`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Plan: 4 to add, 0 to change, 0 to destroy."),
        "{stdout}"
    );
}

#[test]
fn an_unknown_environment_is_an_error() {
    let dir = state();
    let (code, stdout, stderr) = run(with_state(
        &dir,
        &[
            "diff",
            "charts/demo",
            "--env",
            "prodution",
            "--detailed-exitcode",
        ],
    ));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.contains("unknown environment `prodution`"),
        "{stderr}"
    );
}

#[test]
fn a_failed_render_leaves_the_previous_record_intact() {
    let dir = state();
    assert_eq!(run(with_state(&dir, &["render", "charts/demo"])).0, 0);
    let record = dir.path().join("_no-env/default/demo.yaml");
    let before = std::fs::read(&record).unwrap();
    // ingress.host is required once ingress is on: this render fails.
    assert_eq!(
        run(with_state(
            &dir,
            &["render", "charts/demo", "--set", "ingress.enabled=true"]
        ))
        .0,
        1
    );
    assert_eq!(std::fs::read(&record).unwrap(), before);
    // A partial render (--show-only) and --no-save do not touch it either.
    run_ok(with_state(
        &dir,
        &[
            "render",
            "charts/demo",
            "--set",
            "replicas=9",
            "--show-only",
            "templates/service.yaml",
        ],
    ));
    run_ok(with_state(
        &dir,
        &["render", "charts/demo", "--set", "replicas=9", "--no-save"],
    ));
    assert_eq!(std::fs::read(&record).unwrap(), before);
    let leftovers = std::fs::read_dir(record.parent().unwrap()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary files are left behind");
}

#[test]
fn the_state_dir_follows_bosun_state_dir() {
    let dir = state();
    let output = bosun(["render", "charts/demo", "--env", "production"])
        .env("BOSUN_STATE_DIR", dir.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(dir.path().join("production/default/demo.yaml").is_file());
}

//! Every broken chart under tests/fixtures/charts/err_* fails with a report naming the file and
//! line, exit code 1, and nothing on stdout. The reports are reviewed snapshots.

use insta_cmd::assert_cmd_snapshot;

use crate::{bosun, fixture, run};

#[test]
fn err_charts_report_file_line_and_print_nothing() {
    insta::glob!("../fixtures/charts", "err_*", |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(name);
        settings.bind(|| {
            assert_cmd_snapshot!(bosun(["render", &fixture(name)]));
        });
    });
}

#[test]
fn files_get_through_a_symlink_out_of_the_chart_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("chart");
    crate::copy_tree(&crate::root().join(fixture("files_symlink")), &chart);
    std::fs::write(dir.path().join("secret.txt"), "hunter2").unwrap();
    std::os::unix::fs::symlink("../secret.txt", chart.join("link.txt")).unwrap();
    let (code, stdout, stderr) = run(["render", chart.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("symlink that leads outside the chart"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "the secret leaked: {stderr}");
}

#[test]
fn a_symlink_inside_the_chart_is_fine() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("chart");
    crate::copy_tree(&crate::root().join(fixture("files_symlink")), &chart);
    std::fs::write(chart.join("real.txt"), "inside").unwrap();
    std::os::unix::fs::symlink("real.txt", chart.join("link.txt")).unwrap();
    let (code, stdout, stderr) = run(["render", chart.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("secret: inside"), "{stdout}");
}

#[test]
fn a_missing_chart_is_an_error() {
    let (code, stdout, stderr) = run(["render", "charts/nope"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("cannot read `charts/nope`"), "{stderr}");
}

#[test]
fn a_folder_without_chart_yaml_is_not_a_chart() {
    let (code, _, stderr) = run(["render", "tests"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("it has no Chart.yaml"), "{stderr}");
}

#[test]
fn a_missing_remote_dependency_names_dep_build() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Chart.yaml"),
        "apiVersion: v2\nname: x\nengine: jinja\nversion: 1.0.0\ndependencies:\n  - name: redis\n    repository: https://charts.example.com\n",
    )
    .unwrap();
    let (code, _, stderr) = run(["render", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("run `bosun dep build"), "{stderr}");
}

#[test]
fn usage_errors_exit_1_not_2() {
    let (code, stdout, stderr) = run(["render", "--no-such-flag", "charts/demo"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("--no-such-flag"), "{stderr}");
    let (code, _, _) = run(["render", "charts/demo", "--kube-version", "latest"]);
    assert_eq!(code, 1);
}

//! The service library built into the binary: `bosun init` anywhere, `repository:
//! bosun://service` with its version check, `bosun library copy`, and `bosun --version`.

use std::path::Path;

use crate::{bosun, root, run};

/// Runs `bosun` in `dir` (not the repository), returning (exit code, stdout, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = bosun(args).current_dir(dir).output().expect("bosun runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The version in templates/service/Chart.yaml, which the binary must carry.
fn source_version() -> String {
    let text = std::fs::read_to_string(root().join("templates/service/Chart.yaml")).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("version:"))
        .unwrap()
        .trim()
        .to_string()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} lacks `{from}`:\n{text}",
        path.display()
    );
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// A new user's first minutes: no bosun source tree anywhere above the folder.
#[test]
fn init_in_an_empty_folder_outside_the_repository_renders_validates_and_lints_clean() {
    let dir = tempfile::tempdir().unwrap();
    assert!(!dir.path().starts_with(root()));
    let (code, _, stderr) = run_in(dir.path(), &["init", "charts/web"]);
    assert_eq!(code, 0, "{stderr}");
    let chart_yaml = std::fs::read_to_string(dir.path().join("charts/web/Chart.yaml")).unwrap();
    assert!(
        chart_yaml.contains("repository: bosun://service")
            && !chart_yaml.contains("repository: file://"),
        "{chart_yaml}"
    );
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &["render", "charts/web", "--no-save", "--require-schemas"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("kind: Deployment") && stdout.contains("name: web"));
    std::fs::write(dir.path().join("web.yaml"), &stdout).unwrap();
    let (code, stdout, stderr) = run_in(dir.path(), &["validate", "web.yaml", "--strict"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (code, stdout, stderr) = run_in(dir.path(), &["lint", "charts/web", "--strict"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // The values are still checked against the built-in library's schema.
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "render",
            "charts/web",
            "--no-save",
            "--set",
            "services.web.replicsa=2",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("did you mean `replicas`?")
            && stderr.contains("bosun://service/values.schema.json"),
        "{stderr}"
    );
}

#[test]
fn a_library_version_the_binary_does_not_carry_is_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["init", "web"]).0, 0);
    let version = source_version();
    edit(
        &dir.path().join("web/Chart.yaml"),
        &format!("version: {version}\n    repository"),
        "version: \">=99.0.0\"\n    repository",
    );
    let (code, stdout, stderr) = run_in(dir.path(), &["render", "web", "--no-save"]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains(&format!("carries service library {version}"))
            && stderr.contains("`>=99.0.0`")
            && stderr.contains("bosun library copy"),
        "{stderr}"
    );
}

#[test]
fn the_built_in_repository_holds_only_the_service_chart() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["init", "web"]).0, 0);
    edit(
        &dir.path().join("web/Chart.yaml"),
        "- name: service",
        "- name: common",
    );
    let (code, _, stderr) = run_in(dir.path(), &["render", "web", "--no-save"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("`bosun://service` holds the chart `service`, not `common`"),
        "{stderr}"
    );
}

/// A team that changes the library: the copy is the built-in one, file for file, a chart
/// depending on it with `file://` renders the same, and a change to the copy shows.
#[test]
fn library_copy_writes_the_built_in_library_for_a_file_dependency() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run_in(dir.path(), &["library", "copy"]);
    assert_eq!(code, 0, "{stderr}");
    let copy = dir.path().join("templates/service");
    let source = root().join("templates/service");
    for file in ["Chart.yaml", "values.schema.json", "templates/_labels.tpl"] {
        assert_eq!(
            std::fs::read(copy.join(file)).unwrap(),
            std::fs::read(source.join(file)).unwrap(),
            "{file}"
        );
    }
    let count = |dir: &Path| walk(dir).len();
    assert_eq!(count(&copy), count(&source));
    // Not over a folder that holds something.
    let (code, _, stderr) = run_in(dir.path(), &["library", "copy"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("not empty"), "{stderr}");

    assert_eq!(run_in(dir.path(), &["init", "charts/web"]).0, 0);
    let render = || {
        let (code, stdout, stderr) = run_in(dir.path(), &["render", "charts/web", "--no-save"]);
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    let built_in = render();
    let chart = dir.path().join("charts/web");
    edit(
        &chart.join("Chart.yaml"),
        "repository: bosun://service",
        "repository: file://../../templates/service",
    );
    edit(
        &chart.join("values.schema.json"),
        "bosun://service/values.schema.json",
        "../../templates/service/values.schema.json",
    );
    assert_eq!(render(), built_in);
    edit(
        &copy.join("templates/_service.tpl"),
        "\"helm.sh/chart\": chart.name ~",
        "\"example.com/chart\": chart.name ~",
    );
    let changed = render();
    assert!(
        changed.contains("example.com/chart: web-0.1.0"),
        "{changed}"
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn version_says_which_library_is_built_in() {
    let (code, stdout, _) = run(["--version"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains(&format!("built-in service library {}", source_version())),
        "{stdout}"
    );
}

/// The repository's own charts use the mechanism a user's chart would, not a path into
/// bosun's source tree.
#[test]
fn repository_charts_depend_on_the_built_in_library() {
    let mut charts: Vec<_> = std::fs::read_dir(root().join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    charts.extend(["service-features", "long-names"].map(|name| root().join(crate::fixture(name))));
    for chart in charts {
        let text = std::fs::read_to_string(chart.join("Chart.yaml")).unwrap();
        if text.contains("name: service") {
            assert!(
                text.contains("repository: bosun://service") && !text.contains("templates/service"),
                "{}:\n{text}",
                chart.display()
            );
        }
    }
    let (code, stdout, stderr) = run(["dep", "list", "charts/okla"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("bosun://service\tbuilt in"), "{stdout}");
}

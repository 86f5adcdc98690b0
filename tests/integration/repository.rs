//! A repository's releases in one command: `render`, `diff` and `lint --all` over every chart
//! under `charts/` in every environment it has values for, plus what `bosun.yaml` says, in a
//! temporary git repository; `--changed-since REF` keeps the releases whose inputs changed.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::bosun;

/// A repository in a temporary folder: two charts, `web` (values of its own in production) and
/// `api` (none), and the environments `dev` and `production`; git-initialised and committed.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        for chart in ["web", "api"] {
            repo.write(
                &format!("charts/{chart}/Chart.yaml"),
                &format!("apiVersion: v2\nname: {chart}\nengine: jinja\nversion: 0.1.0\n"),
            );
            repo.write(&format!("charts/{chart}/values.yaml"), "replicas: 1\n");
            repo.write(
                &format!("charts/{chart}/templates/config.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ release.name }}\n  namespace: {{ release.namespace }}\ndata:\n  env: {{ values.env }}\n  replicas: \"{{ values.replicas }}\"\n",
            );
        }
        repo.write("values/dev.yaml", "env: dev\n");
        repo.write("values/production.yaml", "env: production\n");
        repo.write("values/production/web.yaml", "replicas: 3\n");
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.email", "test@example.com"]);
        repo.git(&["config", "user.name", "test"]);
        repo.commit("first");
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, file: &str, text: &str) {
        let path = self.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap();
        assert!(status.status.success(), "git {args:?}: {status:?}");
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// Runs bosun in the repository (or `sub`, a folder in it), records kept in the repository's
    /// `.state`: (exit code, stdout, stderr).
    fn bosun_in(&self, sub: &str, args: &[&str]) -> (i32, String, String) {
        let output = bosun(args)
            .current_dir(self.path().join(sub))
            .env("BOSUN_STATE_DIR", self.state())
            .output()
            .unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    fn bosun(&self, args: &[&str]) -> (i32, String, String) {
        self.bosun_in("", args)
    }

    fn state(&self) -> PathBuf {
        self.path().join(".state")
    }
}

/// The `# Release:` headings of a `render --all` stream, in order.
fn headings(stream: &str) -> Vec<&str> {
    stream
        .lines()
        .filter_map(|l| l.strip_prefix("# Release: "))
        .collect()
}

#[test]
fn render_all_streams_every_chart_in_each_environment_it_has_in_a_fixed_order() {
    let repo = Repo::new();
    let (code, stdout, stderr) = repo.bosun(&["render", "--all"]);
    assert_eq!(code, 0, "{stderr}");
    // `web` has values of its own for production only, so it is released there only; `api`
    // has none, so it is released in every environment.
    assert_eq!(
        headings(&stdout),
        [
            "api (env dev, namespace default, chart charts/api)",
            "api (env production, namespace default, chart charts/api)",
            "web (env production, namespace default, chart charts/web)",
        ]
    );
    assert!(stdout.contains("replicas: \"3\""), "{stdout}");
    assert!(
        repo.state().join("production/default/web.yaml").is_file(),
        "every release is recorded as `bosun render` records it"
    );
    let (code, again, _) = repo.bosun(&["render", "--all"]);
    assert_eq!(
        (code, again),
        (0, stdout),
        "the same input gives the same stream"
    );
}

#[test]
fn render_all_env_keeps_one_environment_and_names_the_known_ones_for_a_typo() {
    let repo = Repo::new();
    let (code, stdout, stderr) = repo.bosun(&["render", "--all", "--env", "dev"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        headings(&stdout),
        ["api (env dev, namespace default, chart charts/api)"]
    );
    let (code, stdout, stderr) = repo.bosun(&["render", "--all", "--env", "prodution"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("did you mean `production`?"), "{stderr}");
}

#[test]
fn render_all_finds_the_repository_root_from_a_folder_inside_it() {
    let repo = Repo::new();
    let (code, stdout, stderr) = repo.bosun_in("charts/web/templates", &["render", "--all"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(headings(&stdout).len(), 3, "{stdout}");
}

#[test]
fn a_failed_release_leaves_stdout_empty_and_every_failure_is_named_on_stderr() {
    let repo = Repo::new();
    repo.write("values/production/web.yaml", "replicas: [3\n");
    repo.write("values/dev.yaml", "env: dev\nreplicas: {{\n");
    let (code, stdout, stderr) = repo.bosun(&["render", "--all"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("values/production/web.yaml:"), "{stderr}");
    assert!(stderr.contains("values/dev.yaml:"), "{stderr}");
    assert!(
        stderr.contains("error: 2 of 3 releases failed: api (env dev"),
        "{stderr}"
    );
    assert!(!repo.state().exists(), "a failed --all records nothing");
}

#[test]
fn output_dir_with_all_writes_one_folder_per_release() {
    let repo = Repo::new();
    let out = repo.path().join("out");
    let (code, stdout, stderr) =
        repo.bosun(&["render", "--all", "--output-dir", out.to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    for folder in [
        "dev/default/api",
        "production/default/api",
        "production/default/web",
    ] {
        assert!(
            out.join(folder).join("api/templates/config.yaml").is_file()
                || out.join(folder).join("web/templates/config.yaml").is_file(),
            "{folder}: {stderr}"
        );
    }
}

#[test]
fn the_releases_file_names_moves_adds_and_drops_releases_per_environment() {
    let repo = Repo::new();
    repo.write("values/web-eu.yaml", "replicas: 7\n");
    repo.write(
        "bosun.yaml",
        "releases:
  - chart: charts/web
    namespace: shop
    environments:
      production:
        namespace: shop-prod
  - chart: charts/web
    name: web-eu
    values: [values/web-eu.yaml]
    environments:
      production:
  - chart: charts/api
    environments:
      dev:
      production:
        installed: false
",
    );
    let (code, stdout, stderr) = repo.bosun(&["render", "--all"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        headings(&stdout),
        [
            "api (env dev, namespace default, chart charts/api)",
            "web (env production, namespace shop-prod, chart charts/web)",
            "web-eu (env production, namespace default, chart charts/web)",
        ]
    );
    assert!(stdout.contains("namespace: shop-prod"), "{stdout}");
    assert!(stdout.contains("replicas: \"7\""), "{stdout}");
}

#[test]
fn releases_file_mistakes_are_reported_at_their_line() {
    let repo = Repo::new();
    let cases = [
        (
            "releases:\n  - chart: charts/web\n    namspace: shop\n",
            "bosun.yaml:3:",
            "did you mean `namespace`?",
        ),
        (
            "releases:\n  - chart: charts/wbe\n",
            "bosun.yaml:2:",
            "`charts/wbe` is not a chart folder",
        ),
        (
            "releases:\n  - chart: charts/web\n    environments:\n      prod:\n",
            "bosun.yaml:4:",
            "did you mean `production`?",
        ),
        (
            "releases:\n  - chart: charts/web\n  - chart: charts/api\n    name: web\n",
            "bosun.yaml:3:",
            "two releases named `web` in namespace `default` of environment `production`",
        ),
    ];
    for (text, place, message) in cases {
        repo.write("bosun.yaml", text);
        let (code, stdout, stderr) = repo.bosun(&["diff", "--all"]);
        assert_eq!((code, stdout.as_str()), (1, ""), "{text}\n{stderr}");
        assert!(stderr.contains(place), "{text}\n{stderr}");
        assert!(stderr.contains(message), "{text}\n{stderr}");
    }
}

#[test]
fn diff_all_groups_the_plans_and_its_detailed_exit_code_says_whether_any_release_changed() {
    let repo = Repo::new();
    let (code, _, stderr) = repo.bosun(&["render", "--all"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) =
        repo.bosun(&["diff", "--all", "--detailed-exitcode", "-o", "summary"]);
    assert_eq!(code, 0, "{stderr}\n{stdout}");
    repo.write("values/production/web.yaml", "replicas: 4\n");
    let (code, stdout, stderr) =
        repo.bosun(&["diff", "--all", "--detailed-exitcode", "-o", "summary"]);
    assert_eq!(code, 2, "{stderr}");
    let plans: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("== release") || l.starts_with("Plan:"))
        .collect();
    assert_eq!(
        plans,
        [
            "== release `api` · chart `api` · env `dev` · namespace `default`",
            "Plan: 0 to add, 0 to change, 0 to destroy.",
            "== release `api` · chart `api` · env `production` · namespace `default`",
            "Plan: 0 to add, 0 to change, 0 to destroy.",
            "== release `web` · chart `web` · env `production` · namespace `default`",
            "Plan: 0 to add, 1 to change, 0 to destroy.",
        ]
    );
    let (code, stdout, _) = repo.bosun(&["diff", "--all", "-o", "json"]);
    assert_eq!(code, 0);
    let reports: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        reports["releases"].as_array().map(Vec::len),
        Some(3),
        "{stdout}"
    );
}

/// The releases `render --all --changed-since REF` runs, by heading.
fn changed(repo: &Repo, reference: &str) -> Vec<String> {
    let (code, stdout, stderr) =
        repo.bosun(&["render", "--all", "--no-save", "--changed-since", reference]);
    assert_eq!(code, 0, "{stderr}");
    headings(&stdout).into_iter().map(String::from).collect()
}

#[test]
fn changed_since_keeps_only_the_releases_whose_inputs_changed() {
    let repo = Repo::new();
    assert_eq!(changed(&repo, "HEAD"), Vec::<String>::new());

    // A values file of one chart in one environment.
    repo.write("values/production/web.yaml", "replicas: 5\n");
    assert_eq!(
        changed(&repo, "HEAD"),
        ["web (env production, namespace default, chart charts/web)"]
    );
    repo.commit("web production");

    // A chart's template, new and untracked: every release of that chart.
    repo.write(
        "charts/api/templates/extra.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n",
    );
    assert_eq!(
        changed(&repo, "HEAD"),
        [
            "api (env dev, namespace default, chart charts/api)",
            "api (env production, namespace default, chart charts/api)",
        ]
    );
    repo.commit("api template");

    // An environment's shared values: every release in it.
    repo.write("values/production.yaml", "env: prod\n");
    assert_eq!(
        changed(&repo, "HEAD"),
        [
            "api (env production, namespace default, chart charts/api)",
            "web (env production, namespace default, chart charts/web)",
        ]
    );
    repo.commit("production");

    // A releases-file entry: only the release it changes; the records are not inputs.
    repo.write(
        "bosun.yaml",
        "releases:\n  - chart: charts/web\n    namespace: shop\n",
    );
    repo.write("charts/api/.bosun/production/default/api.yaml", "---\n");
    assert_eq!(
        changed(&repo, "HEAD"),
        ["web (env production, namespace shop, chart charts/web)"]
    );
    let (code, stdout, stderr) = repo.bosun(&["render", "--all", "--changed-since", "nope"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(
        stderr.contains("--changed-since takes a git revision"),
        "{stderr}"
    );
}

#[test]
fn changed_since_follows_file_dependencies() {
    let repo = Repo::new();
    repo.write(
        "lib/common/Chart.yaml",
        "apiVersion: v2\nname: common\ntype: library\nengine: jinja\nversion: 0.1.0\n",
    );
    repo.write(
        "lib/common/templates/_labels.tpl",
        "{% macro labels() %}a: b{% endmacro %}\n",
    );
    repo.write(
        "charts/web/Chart.yaml",
        "apiVersion: v2\nname: web\nengine: jinja\nversion: 0.1.0\ndependencies:\n  - name: common\n    version: 0.1.0\n    repository: file://../../lib/common\n",
    );
    repo.commit("web uses common");
    repo.write(
        "lib/common/templates/_labels.tpl",
        "{% macro labels() %}a: c{% endmacro %}\n",
    );
    assert_eq!(
        changed(&repo, "HEAD"),
        ["web (env production, namespace default, chart charts/web)"]
    );
}

#[test]
fn lint_all_fails_when_any_release_has_an_error_finding() {
    let repo = Repo::new();
    let (code, stdout, stderr) = repo.bosun(&["lint", "--all"]);
    assert_eq!(code, 0, "{stderr}\n{stdout}");
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("# ")).count(),
        3,
        "{stdout}"
    );
    let (code, stdout, _) = repo.bosun(&["lint", "--all", "-o", "sarif"]);
    assert_eq!(code, 0);
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(log["runs"].as_array().map(Vec::len), Some(3), "{stdout}");
}

#[test]
fn all_refuses_a_chart_and_stdin_values() {
    let repo = Repo::new();
    let (code, stdout, stderr) = repo.bosun(&["render", "--all", "charts/web"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("cannot be used with"), "{stderr}");
    let (code, stdout, stderr) = repo.bosun(&["diff", "--all", "-f", "-"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(
        stderr.contains("`-f -` cannot be given with --all"),
        "{stderr}"
    );
}

#[test]
fn validate_all_judges_every_release_and_fails_when_one_holds_an_invalid_document() {
    let repo = Repo::new();
    let (code, stdout, stderr) = repo.bosun(&["validate", "--all", "--summary"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout
            .matches("Summary: 1 resources found in 1 files - Valid: 1,")
            .count(),
        3,
        "{stdout}"
    );
    repo.write(
        "charts/api/templates/bad.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  ports: 80\n",
    );
    let (code, stdout, stderr) = repo.bosun(&["validate", "--all", "--env", "production"]);
    assert_eq!(code, 1, "{stderr}\n{stdout}");
    assert!(stdout.contains("# api (env production"), "{stdout}");
    assert!(stdout.contains("Service bad"), "{stdout}");
}

#[test]
fn changed_since_counts_the_service_library_source_for_charts_that_use_it() {
    let repo = Repo::new();
    repo.write(
        "charts/web/Chart.yaml",
        "apiVersion: v2\nname: web\nengine: jinja\nversion: 0.1.0\ndependencies:\n  - name: service\n    version: 0.1.0\n    repository: bosun://service\n",
    );
    repo.commit("web uses the service library");
    repo.write("templates/service/templates/_extra.tpl", "{# changed #}\n");
    assert_eq!(
        changed(&repo, "HEAD"),
        ["web (env production, namespace default, chart charts/web)"]
    );
}

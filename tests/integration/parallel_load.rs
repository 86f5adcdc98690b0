//! A chart tree loads its subcharts as parallel tasks, parses values.yaml beside the templates,
//! and its Go templates are parsed ahead on another core while the values are layered. What
//! the user sees must not change: the same documents, and when two things are wrong, the same
//! one reported, whichever core got there first.

use std::path::{Path, PathBuf};

use bosun::chart::Chart;
use bosun::output::{self, Format};
use bosun::pipeline::{self, Request};
use bosun::render::{self, RenderOptions};
use bosun::values::{self, ValueOptions};

use crate::{root, run};

/// Writes `files` (path under `dir`, text) and returns `dir` as a string.
fn write_tree(dir: &Path, files: &[(&str, &str)]) -> String {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir.display().to_string()
}

fn chart_yaml(name: &str) -> String {
    format!("apiVersion: v2\nname: {name}\nversion: 1.0.0\n")
}

/// Renders `chart`, expecting a failure: exit 1, nothing on stdout; returns stderr.
fn refused(chart: &str) -> String {
    let (code, stdout, stderr) = run(["render", chart, "--no-save", "--no-validate"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    stderr
}

/// Runs `check` a few times: an answer that depends on which core finished first shows up.
fn every_time(check: impl Fn()) {
    for _ in 0..5 {
        check();
    }
}

#[test]
fn err_of_two_broken_subcharts_the_first_by_name_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (chart_yaml("alpha"), chart_yaml("beta"));
    let chart = write_tree(
        dir.path(),
        &[
            ("Chart.yaml", &chart_yaml("parent")),
            ("charts/alpha/Chart.yaml", &a),
            ("charts/alpha/values.yaml", "key: [unclosed\n"),
            ("charts/beta/Chart.yaml", &b),
            ("charts/beta/values.yaml", "other: [unclosed\n"),
        ],
    );
    every_time(|| {
        let stderr = refused(&chart);
        assert!(stderr.contains("alpha/values.yaml"), "{stderr}");
        assert!(!stderr.contains("beta"), "{stderr}");
    });
}

/// The charts of a tree render side by side: the error reported is the first in the tree's
/// order (the parent, then its subcharts by name), not the first to happen. The later charts
/// fail at once, the earlier ones only after a long loop.
#[test]
fn err_of_failing_charts_rendered_side_by_side_the_first_in_the_tree_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let slow = |name: &str| {
        format!("{{{{- range until 200000 }}}}{{{{- end }}}}{{{{ fail \"{name} fails\" }}}}\n")
    };
    let config_map = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n".to_string();
    for (folder, parent_template, first) in [
        ("ok", config_map, "alpha fails"),
        ("failing", slow("parent"), "parent fails"),
    ] {
        let (parent, alpha, beta) = (
            chart_yaml("parent"),
            chart_yaml("alpha"),
            chart_yaml("beta"),
        );
        let slow_alpha = slow("alpha");
        let chart = write_tree(
            &dir.path().join(folder),
            &[
                ("Chart.yaml", &parent),
                ("templates/cm.yaml", &parent_template),
                ("charts/alpha/Chart.yaml", &alpha),
                ("charts/alpha/templates/a.yaml", &slow_alpha),
                ("charts/beta/Chart.yaml", &beta),
                (
                    "charts/beta/templates/b.yaml",
                    "{{ fail \"beta fails\" }}\n",
                ),
            ],
        );
        every_time(|| {
            let stderr = refused(&chart);
            assert!(stderr.contains(first), "{stderr}");
            let others = ["parent fails", "alpha fails", "beta fails"];
            assert_eq!(
                others.iter().filter(|o| stderr.contains(**o)).count(),
                1,
                "{stderr}"
            );
        });
    }
}

#[test]
fn err_a_broken_values_file_is_reported_before_a_broken_subchart() {
    let dir = tempfile::tempdir().unwrap();
    let chart = write_tree(
        dir.path(),
        &[
            ("Chart.yaml", &chart_yaml("parent")),
            ("values.yaml", "key: [unclosed\n"),
            ("charts/alpha/Chart.yaml", "apiVersion: v2\nname: alpha\n"),
        ],
    );
    every_time(|| {
        let stderr = refused(&chart);
        assert!(stderr.contains("values.yaml"), "{stderr}");
        assert!(!stderr.contains("has no `version`"), "{stderr}");
    });
}

#[test]
fn err_of_two_templates_that_do_not_parse_the_first_by_full_name_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    // `parent/charts/alpha/templates/z.yaml` sorts before `parent/templates/a.yaml`.
    let chart = write_tree(
        dir.path(),
        &[
            ("Chart.yaml", &chart_yaml("parent")),
            ("templates/a.yaml", "{{ if }}\n"),
            ("charts/alpha/Chart.yaml", &chart_yaml("alpha")),
            ("charts/alpha/templates/z.yaml", "{{ end }}\n"),
        ],
    );
    every_time(|| {
        let stderr = refused(&chart);
        assert!(stderr.contains("alpha/templates/z.yaml"), "{stderr}");
        assert!(!stderr.contains("templates/a.yaml"), "{stderr}");
    });
}

#[test]
fn a_template_that_does_not_parse_in_a_disabled_subchart_does_not_stop_the_render() {
    let dir = tempfile::tempdir().unwrap();
    let chart = write_tree(
        dir.path(),
        &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n  - name: alpha\n    version: 1.0.0\n    condition: alpha.enabled\n",
            ),
            ("values.yaml", "alpha:\n  enabled: false\n"),
            (
                "templates/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: parent\n",
            ),
            ("charts/alpha/Chart.yaml", &chart_yaml("alpha")),
            ("charts/alpha/templates/broken.yaml", "{{ if }}\n"),
        ],
    );
    let (code, stdout, stderr) = run(["render", &chart, "--no-save", "--no-validate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("name: parent"), "{stdout}");
}

/// A parent with two subcharts that carry the same helpers file (as each of Bitnami's carries
/// its `common`), one of them under an alias, and a partial of the parent's own.
fn shared_helpers_tree(dir: &Path) -> String {
    let helpers = "{{- define \"shared.name\" -}}{{ .Chart.Name }}-{{ .Values.suffix | default \"x\" }}{{- end -}}\n";
    let configmap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"shared.name\" . }}\ndata:\n  parent: {{ include \"parent.label\" . | quote }}\n";
    let (alpha, beta) = (chart_yaml("alpha"), chart_yaml("beta"));
    write_tree(
        dir,
        &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n  - name: alpha\n    version: 1.0.0\n  - name: beta\n    version: 1.0.0\n    alias: gamma\n",
            ),
            ("values.yaml", "suffix: p\ngamma:\n  suffix: g\n"),
            (
                "templates/_label.tpl",
                "{{- define \"parent.label\" -}}from-parent{{- end -}}\n",
            ),
            ("templates/_shared.tpl", helpers),
            ("templates/cm.yaml", configmap),
            ("charts/alpha/Chart.yaml", &alpha),
            ("charts/alpha/templates/_shared.tpl", helpers),
            ("charts/alpha/templates/cm.yaml", configmap),
            ("charts/beta/Chart.yaml", &beta),
            ("charts/beta/templates/_shared.tpl", helpers),
            ("charts/beta/templates/cm.yaml", configmap),
        ],
    )
}

#[test]
fn subcharts_sharing_a_helpers_file_render_each_with_its_own_name() {
    let dir = tempfile::tempdir().unwrap();
    let chart = shared_helpers_tree(dir.path());
    let (code, stdout, stderr) = run(["render", &chart, "--no-save", "--no-validate"]);
    assert_eq!(code, 0, "{stderr}");
    for name in ["parent-p", "alpha-x", "gamma-g"] {
        assert!(stdout.contains(&format!("name: {name}\n")), "{stdout}");
    }
}

/// Every chart folder of the repository (its examples and test fixtures), and the tree above.
fn charts(extra: &Path) -> Vec<PathBuf> {
    let mut found = vec![extra.to_path_buf()];
    let mut pending = vec![root().join("charts"), root().join("tests/fixtures")];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.join("Chart.yaml").is_file() {
                    found.push(path.clone());
                }
                pending.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The render the pipeline gives (templates parsed ahead), as text or as the error's words.
fn through_the_pipeline(chart: &Path) -> Result<String, String> {
    let mut request = Request::new(chart);
    request.validate = false;
    request.release_name = Some("rel".into());
    request.namespace = "ns".into();
    let rendered = pipeline::render(&request, &mut std::io::empty()).map_err(|e| e.to_string())?;
    Ok(output::to_text(&rendered.documents, Format::Yaml))
}

/// The same render, each stage called one after the other with nothing parsed ahead.
fn one_step_after_the_other(chart: &Path) -> Result<String, String> {
    let chart = Chart::load(chart).map_err(|e| e.to_string())?;
    let values = values::layer(&chart, &ValueOptions::default(), &mut std::io::empty())
        .map_err(|e| e.to_string())?;
    let options = RenderOptions::install("rel", "ns");
    let (documents, _) =
        render::render(&chart, &values, &options, None).map_err(|e| e.to_string())?;
    Ok(output::to_text(&documents, Format::Yaml))
}

#[test]
fn every_chart_of_the_repository_renders_as_when_nothing_was_parsed_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let tree = PathBuf::from(shared_helpers_tree(dir.path()));
    let mut compared = 0;
    for chart in charts(&tree) {
        let expected = one_step_after_the_other(&chart);
        if expected != one_step_after_the_other(&chart) {
            // Random functions without a seed: no two renders agree.
            continue;
        }
        assert_eq!(
            through_the_pipeline(&chart),
            expected,
            "{}",
            chart.display()
        );
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} charts compared");
}

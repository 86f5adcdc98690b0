//! Subcharts that carry the same template text (each of Bitnami's subcharts has its own copy of
//! `common`) share one parse of it; each copy still renders and fails as its own file: its own
//! `.Template.Name` and `.Chart.Name`, and errors pointing at its own path and line.

use std::fs;
use std::path::Path;

use crate::{run, run_ok};

const CONFIG_MAP: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Chart.Name }}-cm
data:
  template: {{ .Template.Name }}
  base: {{ .Template.BasePath }}
  value: {{ .Values.x.y | quote }}
"#;

/// A chart `parent` with subcharts `a` and `b` whose `templates/cm.yaml` are the same text.
fn parent_with_twin_subcharts(values: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &Path, text: &str| {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    let root = dir.path();
    write(
        &root.join("Chart.yaml"),
        "apiVersion: v2\nname: parent\nversion: 0.1.0\n",
    );
    write(&root.join("values.yaml"), values);
    for sub in ["a", "b"] {
        let chart = root.join("charts").join(sub);
        let meta = format!("apiVersion: v2\nname: {sub}\nversion: 0.1.0\n");
        write(&chart.join("Chart.yaml"), &meta);
        write(&chart.join("templates/cm.yaml"), CONFIG_MAP);
    }
    dir
}

#[test]
fn twin_templates_render_with_their_own_names() {
    let dir = parent_with_twin_subcharts("a:\n  x:\n    y: one\nb:\n  x:\n    y: two\n");
    let path = dir.path().display().to_string();
    let out = run_ok(["render", &path, "--no-validate", "--no-save"]);
    for (sub, value) in [("a", "one"), ("b", "two")] {
        let expected = format!(
            "  name: {sub}-cm\ndata:\n  template: parent/charts/{sub}/templates/cm.yaml\n  \
             base: parent/charts/{sub}/templates\n  value: {value}\n"
        );
        assert!(out.contains(&expected), "{expected}\nnot in:\n{out}");
    }
}

#[test]
fn an_error_in_the_second_twin_points_at_its_own_file() {
    let dir = parent_with_twin_subcharts("a:\n  x:\n    y: one\n");
    let path = dir.path().display().to_string();
    let (code, stdout, stderr) = run(["render", &path, "--no-validate", "--no-save"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("parent/charts/b/templates/cm.yaml:8:"),
        "{stderr}"
    );
    assert!(stderr.contains("charts/b/templates/cm.yaml:8"), "{stderr}");
    assert!(!stderr.contains("charts/a/"), "{stderr}");
}

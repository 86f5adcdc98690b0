//! Helm charts in Go templates (`engine: gotpl`): rendered through the same pipeline as bosun's
//! own charts, with Helm's objects and functions, and errors at the template's line.

use insta_cmd::assert_cmd_snapshot;

use crate::{bosun, fixture, run};

const CHART: &str = "tests/fixtures/charts/gotpl";

#[test]
fn a_go_template_chart_renders_with_helms_objects() {
    assert_cmd_snapshot!(bosun(["render", CHART, "--no-save"]));
}

/// A small chart in Go templates written into a temporary folder: (folder, its path).
fn chart_with(template: &str, engine: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("Chart.yaml"),
        format!("apiVersion: v2\nname: probe\nversion: 0.1.0\nengine: {engine}\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("values.yaml"), "a: {}\n").unwrap();
    std::fs::write(dir.path().join("templates/cm.yaml"), template).unwrap();
    let path = dir.path().display().to_string();
    (dir, path)
}

#[test]
fn err_a_go_template_error_points_at_the_template_line() {
    let (_dir, chart) = chart_with(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  v: {{ .Values.a.b.c }}\n",
        "gotpl",
    );
    let (code, stdout, stderr) = run(["render", &chart, "--no-save"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(
        stderr.contains("nil pointer evaluating interface {}.c"),
        "{stderr}"
    );
    assert!(stderr.contains("templates/cm.yaml:6:"), "{stderr}");
}

#[test]
fn err_a_function_helm_does_not_have_is_named_at_its_line() {
    let (_dir, chart) = chart_with("a: {{ nosuch 1 }}\n", "gotpl");
    let (code, stdout, stderr) = run(["render", &chart, "--no-save"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(
        stderr.contains("function \"nosuch\" not defined"),
        "{stderr}"
    );
    assert!(stderr.contains("templates/cm.yaml:1:"), "{stderr}");
}

#[test]
fn err_required_and_fail_stop_the_render_with_their_message() {
    let (_dir, chart) = chart_with(
        "a: {{ required \"a.name is required\" .Values.a.name }}\n",
        "gotpl",
    );
    let (code, stdout, stderr) = run(["render", &chart, "--no-save"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("a.name is required"), "{stderr}");
}

#[test]
fn err_a_syntax_error_in_a_chart_that_declares_gotpl_points_at_its_line_without_a_hint() {
    let (_dir, chart) = chart_with("a: 1\n{{ .x }\n", "gotpl");
    let (code, _, stderr) = run(["render", &chart, "--no-save"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("templates/cm.yaml:2"), "{stderr}");
    assert!(!stderr.contains("engine: jinja"), "{stderr}");
}

#[test]
fn err_an_unknown_engine_is_refused_at_its_chart_yaml_line() {
    let (_dir, chart) = chart_with("a: 1\n", "handlebars");
    let (code, stdout, stderr) = run(["render", &chart, "--no-save"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("engine `handlebars`"), "{stderr}");
    assert!(stderr.contains("Chart.yaml:4"), "{stderr}");
}

#[test]
fn a_go_template_chart_is_linted_and_diffed_like_any_other() {
    let (code, stdout, stderr) = run(["lint", CHART]);
    assert!(code == 0 || code == 1, "{stderr}");
    assert!(stdout.contains("Deployment"), "{stdout}{stderr}");
    let (code, stdout, stderr) = run([
        "diff",
        &fixture("gotpl"),
        "-o",
        "summary",
        "--state-dir",
        "/nonexistent-bosun-state",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("+ add     Deployment web-web"), "{stdout}");
}

// Helm's `.Template.BasePath` is the chart's templates folder, whatever subfolder the file is in:
// Bitnami's charts include `(print $.Template.BasePath "/primary/configmap.yaml")` from
// `templates/primary/`, which failed when BasePath was the file's own folder.
#[test]
fn template_base_path_is_the_charts_templates_folder() {
    let (dir, chart) = chart_with(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  base: {{ .Template.BasePath | quote }}\n  sum: {{ include (print $.Template.BasePath \"/sub/part.yaml\") . | sha256sum | quote }}\n",
        "gotpl",
    );
    std::fs::create_dir_all(dir.path().join("templates/sub")).unwrap();
    std::fs::write(dir.path().join("templates/sub/part.yaml"), "").unwrap();
    let (code, stdout, stderr) = run(["render", &chart, "--no-save"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("base: probe/templates\n"), "{stdout}");
    // sha256 of the empty text
    assert!(
        stdout.contains("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        "{stdout}"
    );
}

// Charts mention functions behind flags that are off by default; a function bosun does not
// carry (`getHostByName`, a DNS lookup) must not stop such a chart from parsing, only a call.
#[test]
fn a_function_bosun_lacks_stops_the_render_only_where_it_is_called() {
    let template = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"1\"\n{{- if .Values.tls }}\n  ip: {{ getHostByName \"x\" }}\n{{- end }}\n";
    let (_dir, chart) = chart_with(template, "gotpl");
    let (code, _, stderr) = run(["render", &chart, "--no-save"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run(["render", &chart, "--no-save", "--set", "tls=true"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("`getHostByName`"), "{stderr}");
    assert!(stderr.contains("not supported by bosun"), "{stderr}");
}

// A chart that names no engine is read as Helm reads every chart; one written for bosun's Jinja
// engine without saying so gets a hint naming the line to add.
#[test]
fn err_a_jinja_chart_that_names_no_engine_is_told_to_say_engine_jinja() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("Chart.yaml"),
        "apiVersion: v2\nname: old\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("templates/cm.yaml"),
        "{% if true %}a: {{ values.x }}{% endif %}\n{{ values.x }\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(["render", dir.path().to_str().unwrap(), "--no-save"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("`engine: jinja`"), "{stderr}");
}

// Bitnami's redis hashes `pick (include ... | fromYaml) "data" | toYaml`; a text holding more
// than one document made `fromYaml` an error map, where Go's reader takes the first document.
#[test]
fn from_yaml_reads_the_first_document_as_go_does_and_to_yaml_writes_as_go_does() {
    let (_dir, chart) = chart_with(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  first: {{ (fromYaml \"a: 1\\n---\\nb: 2\\n\").a | quote }}\n  yaml: {{ toYaml (dict \"version\" \"12.0.2\" \"on\" \"yes\" \"list\" (list 1 \"a: b\")) | quote }}\n",
        "gotpl",
    );
    let (code, stdout, stderr) = run(["render", &chart, "--no-save"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("first: \"1\"\n"), "{stdout}");
    // Go's writer: list items at the key's indentation, `a: b` single-quoted, the YAML 1.1
    // booleans double-quoted, a version plain (the rules go_yaml's unit test pins from helm).
    assert!(
        stdout.contains("  yaml: |-\n    list:\n    - 1\n    - 'a: b'\n    \"on\": \"yes\"\n    version: 12.0.2\n"),
        "{stdout}"
    );
}

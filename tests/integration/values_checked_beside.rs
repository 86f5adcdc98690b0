//! The values' schema checks run beside the render on another core; what the user sees must be
//! what it was when they ran first: a values error wins over whatever the render then hit.

use std::path::Path;

use crate::run;

/// A Helm chart whose `values.schema.json` wants `replicas` to be an integer and whose
/// template fails with `template_failure` when given a message.
fn chart(dir: &Path, template_failure: bool) -> String {
    let chart = dir.join("checked");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: checked\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("values.yaml"), "replicas: 1\n").unwrap();
    std::fs::write(
        chart.join("values.schema.json"),
        r#"{"type": "object", "properties": {"replicas": {"type": "integer"}}}"#,
    )
    .unwrap();
    let body = if template_failure {
        "{{ fail \"the template gave up\" }}\n"
    } else {
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  replicas: {{ .Values.replicas | quote }}\n"
    };
    std::fs::write(chart.join("templates/configmap.yaml"), body).unwrap();
    chart.display().to_string()
}

/// Renders `chart` with `replicas=many`, which its schema refuses: exit 1, nothing on stdout,
/// the schema's message on stderr, which is returned.
fn refused_by_the_schema(chart: &str) -> String {
    let (code, stdout, stderr) = run(["render", chart, "--set", "replicas=many", "--no-save"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains(r#""many" is not of type "integer""#),
        "{stderr}"
    );
    stderr
}

#[test]
fn err_a_values_schema_violation_is_reported_before_a_template_failure() {
    let dir = tempfile::tempdir().unwrap();
    let chart = chart(dir.path(), true);
    let stderr = refused_by_the_schema(&chart);
    assert!(!stderr.contains("the template gave up"), "{stderr}");
}

#[test]
fn err_a_template_failure_is_reported_when_the_values_pass_their_schema() {
    let dir = tempfile::tempdir().unwrap();
    let chart = chart(dir.path(), true);
    let (code, stdout, stderr) = run(["render", &chart, "--no-save"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("the template gave up"), "{stderr}");
}

#[test]
fn err_a_values_schema_violation_stops_a_render_that_would_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let chart = chart(dir.path(), false);
    let (code, stdout, _) = run(["render", &chart, "--no-save"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("replicas: \"1\""), "{stdout}");
    refused_by_the_schema(&chart);
}

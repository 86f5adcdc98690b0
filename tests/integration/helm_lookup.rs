//! Helm's `lookup` offline: nothing found by default, as `helm template` gives, and with
//! `--lookup-file` the objects of that file, so a chart that reuses an existing Secret renders
//! as it would against the cluster.

use crate::run;

/// A Go-template chart that keeps the password of an existing Secret, else makes one, and
/// counts the Secrets of its namespace.
fn chart(dir: &std::path::Path) -> String {
    let chart = dir.join("keeper");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: keeper\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("templates/secret.yaml"),
        r#"{{- $old := lookup "v1" "Secret" .Release.Namespace "db" }}
{{- $all := lookup "v1" "Secret" .Release.Namespace "" }}
apiVersion: v1
kind: Secret
metadata:
  name: db
  annotations:
    secrets-in-namespace: {{ len ($all.items | default list) | quote }}
data:
  password: {{ if $old }}{{ index $old.data "password" }}{{ else }}{{ "fresh" | b64enc }}{{ end }}
"#,
    )
    .unwrap();
    chart.display().to_string()
}

const CLUSTER: &str = "apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: db, namespace: shop}
  data: {password: a2VwdA==}
- apiVersion: v1
  kind: Secret
  metadata: {name: other, namespace: shop}
- apiVersion: v1
  kind: Secret
  metadata: {name: db, namespace: elsewhere}
  data: {password: bm8=}
";

#[test]
fn without_a_lookup_file_lookup_finds_nothing_as_helm_template() {
    let dir = tempfile::tempdir().unwrap();
    let chart = chart(dir.path());
    let (code, stdout, stderr) = run(["render", &chart, "-n", "shop", "--no-save"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("password: ZnJlc2g="), "{stdout}");
    assert!(stdout.contains("secrets-in-namespace: \"0\""), "{stdout}");
}

#[test]
fn a_lookup_file_answers_by_name_and_lists_a_namespace() {
    let dir = tempfile::tempdir().unwrap();
    let chart = chart(dir.path());
    let objects = dir.path().join("cluster.yaml");
    std::fs::write(&objects, CLUSTER).unwrap();
    let objects = objects.display().to_string();
    let (code, stdout, stderr) = run([
        "render",
        &chart,
        "-n",
        "shop",
        "--no-save",
        "--lookup-file",
        &objects,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("password: a2VwdA=="), "{stdout}");
    assert!(stdout.contains("secrets-in-namespace: \"2\""), "{stdout}");
}

#[test]
fn err_a_broken_lookup_file_names_its_line_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let chart = chart(dir.path());
    let objects = dir.path().join("cluster.yaml");
    std::fs::write(&objects, "apiVersion: v1\nkind: [Secret\n").unwrap();
    let objects = objects.display().to_string();
    let (code, stdout, stderr) = run(["render", &chart, "--no-save", "--lookup-file", &objects]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("cluster.yaml:"), "{stderr}");
    std::fs::write(dir.path().join("cluster.yaml"), "kind: Secret\n").unwrap();
    let (code, stdout, stderr) = run(["render", &chart, "--no-save", "--lookup-file", &objects]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(
        stderr.contains("has no apiVersion, kind or metadata.name"),
        "{stderr}"
    );
}

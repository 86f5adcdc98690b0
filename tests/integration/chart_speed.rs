//! What the Go-template path's speed-ups (a parse split from adding, the lexer's byte scans)
//! must not change: of several broken templates the first in name order is the one reported,
//! and a file's own `define` wins over a partial's, as Helm parses files in name order.

use crate::{probe_chart, run, run_ok};

/// Many files, two of them broken and far apart in name order.
fn chart_with_two_syntax_errors() -> (tempfile::TempDir, String) {
    let mut templates: Vec<(String, String)> = (0..40)
        .map(|i| {
            (
                format!("t{i:02}.yaml"),
                format!("{{{{ define \"probe.t{i}\" }}}}v{i}{{{{ end }}}}\n"),
            )
        })
        .collect();
    templates[3].1 = "kind: A\n{{ if .Values.a }}\n".to_string();
    templates[37].1 = "kind: B\n{{ .Values.b | }}\n".to_string();
    let borrowed: Vec<(&str, &str)> = templates
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    probe_chart("", &borrowed)
}

#[test]
fn of_two_broken_templates_the_first_in_name_order_is_reported() {
    let (_dir, path) = chart_with_two_syntax_errors();
    for _ in 0..3 {
        let (code, stdout, stderr) = run(["render", &path, "--no-validate", "--no-save"]);
        assert_eq!(code, 1, "{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains("templates/t03.yaml"), "{stderr}");
        assert!(!stderr.contains("templates/t37.yaml"), "{stderr}");
    }
}

#[test]
fn a_files_own_define_wins_over_the_partials_one() {
    let helpers = r#"{{- define "probe.who" -}}partial{{- end -}}"#;
    let page = r#"{{- define "probe.who" -}}page{{- end -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: who
data:
  who: {{ include "probe.who" . }}
"#;
    let mut templates = vec![("_helpers.tpl", helpers), ("page.yaml", page)];
    let fillers: Vec<String> = (0..30)
        .map(|i| format!("{{{{ define \"probe.f{i}\" }}}}f{{{{ end }}}}"))
        .collect();
    let names: Vec<String> = (0..30).map(|i| format!("_f{i:02}.tpl")).collect();
    for (name, text) in names.iter().zip(&fillers) {
        templates.push((name.as_str(), text.as_str()));
    }
    let (_dir, path) = probe_chart("", &templates);
    for _ in 0..3 {
        let out = run_ok(["render", &path, "--no-validate", "--no-save"]);
        assert!(out.contains("who: page\n"), "{out}");
    }
}

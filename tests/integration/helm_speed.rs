//! What the Go-template path's shortcuts must not change: each template's changes to the
//! data stay its own although the data is no longer copied per template (it is frozen once
//! per chart), and the regexes Bitnami's helpers use answer as Go's do.

use crate::{probe_chart as chart, run_ok};

#[test]
fn a_template_that_sets_values_changes_them_for_itself_only() {
    let changes = r#"{{- $_ := set .Values.app "name" "changed" -}}
{{- $_ := set .Values "extra" "added" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: a-changes
data:
  name: {{ .Values.app.name }}
  extra: {{ .Values.extra | quote }}
  nested: {{ include "probe.name" . }}
"#;
    let reads = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: b-reads
data:
  name: {{ .Values.app.name }}
  extra: {{ .Values.extra | default "none" | quote }}
"#;
    let helpers = r#"{{- define "probe.name" -}}{{ .Values.app.name }}{{- end -}}"#;
    let (_dir, path) = chart(
        "app:\n  name: original\n",
        &[
            ("_helpers.tpl", helpers),
            ("a.yaml", changes),
            ("b.yaml", reads),
        ],
    );
    // Several runs: the templates render on several threads, in no fixed order.
    for _ in 0..3 {
        let out = run_ok(["render", &path, "--no-validate", "--no-save"]);
        assert!(
            out.contains("name: changed\n  extra: added\n  nested: changed\n"),
            "{out}"
        );
        assert!(out.contains("name: original\n  extra: none\n"), "{out}");
    }
}

#[test]
fn bitnami_helper_regexes_answer_as_gos_do() {
    // The patterns of Bitnami's common helpers (image tags, names, passwords); `\d` and `\W`
    // are ASCII in Go: a non-ASCII digit or letter is no `\d`, and is a `\W`.
    let template = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: regexes
data:
  name: {{ regexReplaceAll "(-?[^a-z\\d\\-])+-?" (lower "My_Release-٣x") "-" | quote }}
  password: {{ regexReplaceAllLiteral "\\W" "pä$s w0rd" "@" | quote }}
  revision: {{ regexFind "-r\\d+$|sha256:" "1.2.3-debian-12-r4" | quote }}
  trimmed: {{ regexReplaceAll "[^A-Za-z0-9]+$" "name--" "" | quote }}
  semver: {{ regexMatch `^([0-9]+)(\.[0-9]+)?(\.[0-9]+)?$` "1.27.3" | quote }}
"#;
    let (_dir, path) = chart("{}\n", &[("cm.yaml", template)]);
    let out = run_ok(["render", &path, "--no-validate", "--no-save"]);
    assert!(out.contains("name: my-release-x\n"), "{out}");
    assert!(out.contains("password: p@@s@w0rd\n"), "{out}");
    assert!(out.contains("revision: -r4\n"), "{out}");
    assert!(out.contains("trimmed: name\n"), "{out}");
    assert!(out.contains("semver: \"true\""), "{out}");
}

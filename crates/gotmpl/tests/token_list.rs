//! The lexer sizes its token list from the text inside the actions, so a helper dense with
//! actions (Bitnami's `_helpers.tpl` style) is lexed without the list growing, and a text with
//! few actions gets a short list.

use gotmpl::lexer::lex;

const HELPER: &str = r#"{{- define "app.labels" -}}
{{- include "common.labels.standard" (dict "customLabels" .Values.commonLabels "context" $) | nindent 4 }}
{{- if and .Values.metrics.enabled .Values.metrics.serviceMonitor.enabled }}
  {{- $port := .Values.service.ports.http | default 8080 }}
{{- end }}
{{- end -}}
"#;

#[test]
fn a_dense_helper_is_lexed_into_a_list_that_never_grew() {
    let tokens = lex(HELPER).expect("the helper lexes");
    // Growing doubles the list: a list that grew holds fewer than half its capacity at worst
    // and, for this text, well under two thirds.
    assert!(
        tokens.capacity() * 2 <= tokens.len() * 3,
        "{} tokens in a list of {}",
        tokens.len(),
        tokens.capacity()
    );
}

#[test]
fn plain_text_gets_a_short_list() {
    let text = "kind: ConfigMap\n".repeat(200) + "name: {{ .Release.Name }}\n";
    let tokens = lex(&text).expect("the text lexes");
    assert!(tokens.capacity() < 20, "a list of {}", tokens.capacity());
}

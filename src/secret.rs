//! Telling whether a document is, or may be, a Secret, so that no error or report quotes one:
//! from the parsed document when it parses, and conservatively from its text when it does not.

use serde_json::Value;

/// Whether a parsed document is, or carries, a Secret: a `kind` anywhere in it (a `List`'s
/// items, a kind that is not even a string) that names one.
pub fn holds_secret(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(key, inner)| {
            (key == "kind" && inner.to_string().to_ascii_lowercase().contains("secret"))
                || holds_secret(inner)
        }),
        Value::Array(items) => items.iter().any(holds_secret),
        _ => false,
    }
}

/// Whether text that did not parse could be a Secret. It is provably not one only when no
/// spelling of `Secret` can be read out of it: its letters and digits, run together and
/// lowercased, never spell `secret` (this covers quotes, flow style, folded lines and List
/// items), and it has no `\` (a double-quoted escape can spell any letter).
pub fn may_be_secret(text: &str) -> bool {
    if text.contains('\\') {
        return true;
    }
    let letters: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    letters.contains("secret")
}

/// A parser's message with nothing it quotes from the text: the detail after the first `: `
/// (a key, a character) is dropped, and so is any quoted word.
pub fn without_quoted_text(message: &str) -> String {
    let head = message.split(": ").next().unwrap_or(message);
    let is_quote = |c: char| matches!(c, '\'' | '"' | '`');
    let mut out = String::new();
    let mut rest = head;
    while let Some(open) = rest.find(is_quote) {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(is_quote) {
            Some(close) => {
                let quoted = &rest[open..open + 1 + close + 1];
                if after[..close].chars().any(char::is_alphanumeric) {
                    out.push('…');
                } else {
                    out.push_str(quoted);
                }
                rest = &after[close + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_is_provably_not_a_secret_only_without_any_spelling_of_it() {
        for text in [
            "kind: Secret\n",
            "{kind: \"Secret\"}\n",
            "kind: 'SECRET'\n",
            "kind: \"Sec\\\n  ret\"\n",
            "kind: \"Secr\\x65t\"\n",
            "kind: >-\n  Sec\n  ret\n",
            "items:\n- kind: SecretList\n",
        ] {
            assert!(may_be_secret(text), "{text}");
        }
        assert!(!may_be_secret("kind: ConfigMap\ndata: {a: [\n"));
    }

    #[test]
    fn hidden_messages_quote_nothing_from_the_text() {
        for (message, cleaned) in [
            (
                "duplicate mapping key: hunter2, set DuplicateKeyPolicy",
                "duplicate mapping key",
            ),
            ("unexpected character: `h'", "unexpected character"),
            (
                "mismatched bracket '{' closed by ']'",
                "mismatched bracket '{' closed by ']'",
            ),
            ("unsupported tag `!hunter2` here", "unsupported tag … here"),
        ] {
            assert_eq!(without_quoted_text(message), cleaned);
        }
    }

    #[test]
    fn a_kind_anywhere_can_make_a_secret() {
        assert!(holds_secret(&json!({"kind": "Secret"})));
        assert!(holds_secret(
            &json!({"kind": "List", "items": [{"kind": "Secret"}]})
        ));
        assert!(holds_secret(&json!([{"kind": ["Secret"]}])));
        assert!(!holds_secret(
            &json!({"kind": "Deployment", "spec": {"secretName": "x"}})
        ));
    }
}

//! The one-pass "is it valid" scans in front of the name checks held to the checks as they
//! were before them: the same answer, message included, for any string.

use super::{dns1123_subdomain, label_value, qualified_name};
use proptest::prelude::*;

/// The checks as they were written before the one-pass scans, kept here as the reference.
mod before {
    fn label_like(part: &[u8]) -> bool {
        let lower = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        part.first().is_some_and(lower)
            && part.last().is_some_and(lower)
            && part.iter().all(|b| lower(b) || *b == b'-')
    }

    fn name_part(s: &str) -> bool {
        let bytes = s.as_bytes();
        bytes.len() <= 63
            && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
            && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
            && bytes
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    }

    pub fn dns1123_subdomain(s: &str) -> Option<String> {
        if s.len() > 253 {
            return Some(format!(
                "must be no more than 253 characters (it has {})",
                s.len()
            ));
        }
        (!s.as_bytes().split(|&b| b == b'.').all(label_like)).then(|| {
            "must be a DNS-1123 subdomain: lowercase letters, digits, `-` and `.`, each dot-separated part starting and ending with a letter or digit".to_string()
        })
    }

    pub fn qualified_name(s: &str) -> Option<String> {
        let (prefix, name) = match s.bytes().position(|b| b == b'/') {
            Some(at) => (Some(&s[..at]), &s[at + 1..]),
            None => (None, s),
        };
        if name.bytes().any(|b| b == b'/') {
            return Some("may hold at most one `/`, between a prefix and a name".into());
        }
        if let Some(prefix) = prefix {
            if prefix.is_empty() {
                return Some("has an empty prefix before `/`".into());
            }
            if dns1123_subdomain(prefix).is_some() {
                return Some(format!("prefix `{prefix}` must be a DNS-1123 subdomain"));
            }
        }
        if name.len() > 63 {
            return Some(format!(
                "name part must be no more than 63 characters (it has {})",
                name.len()
            ));
        }
        (!name_part(name)).then(|| {
            "name part must be letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit".to_string()
        })
    }

    pub fn label_value(s: &str) -> Option<String> {
        if s.is_empty() {
            return None;
        }
        if s.len() > 63 {
            return Some(format!(
                "must be no more than 63 characters (it has {})",
                s.len()
            ));
        }
        (!name_part(s)).then(|| {
            "must be letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit"
                .to_string()
        })
    }
}

/// Strings near the edges the scans decide on: dots and dashes next to each other or at the
/// ends, one or more `/`, upper case, lengths around 63 and 253, and anything at all.
fn key_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z.-]{0,8}",
        "[a-z0-9.-]{0,12}(/[a-zA-Z0-9._-]{0,10}){0,2}",
        "[a-zA-Z0-9._/-]{0,16}",
        "[a-z0-9-]{60,66}",
        "([a-z]{60}\\.){4}[a-z]{0,16}(/x)?",
        "[-a-z0-9é_.A/ ]{0,10}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    #[test]
    fn one_pass_scans_give_the_answers_and_messages_of_before(text in key_like()) {
        prop_assert_eq!(dns1123_subdomain(&text), before::dns1123_subdomain(&text));
        prop_assert_eq!(qualified_name(&text), before::qualified_name(&text));
        prop_assert_eq!(label_value(&text), before::label_value(&text));
    }
}

#[test]
fn edge_keys_get_the_answers_of_before() {
    let long_prefix = format!("{}/x", "a".repeat(253));
    let too_long_prefix = format!("{}/x", "a".repeat(254));
    let cases = [
        "",
        ".",
        "-",
        "a",
        "a.",
        ".a",
        "a-",
        "-a",
        "a.-b",
        "a-.b",
        "a..b",
        "a--b.c",
        "a/b",
        "/b",
        "a/",
        "a/b/c",
        "a.b/-c",
        "A.b/c",
        "a.b/C_d.e",
        "app.kubernetes.io/name",
        "é/x",
        "x/é",
        &long_prefix,
        &too_long_prefix,
    ];
    for text in cases {
        assert_eq!(
            dns1123_subdomain(text),
            before::dns1123_subdomain(text),
            "{text}"
        );
        assert_eq!(qualified_name(text), before::qualified_name(text), "{text}");
        assert_eq!(label_value(text), before::label_value(text), "{text}");
    }
    // The scans must not only agree: both valid and refused keys are among the cases.
    assert!(qualified_name("app.kubernetes.io/name").is_none());
    assert!(qualified_name("a..b/c").is_some());
}

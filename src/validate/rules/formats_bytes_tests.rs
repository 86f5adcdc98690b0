//! The byte-level name checks held to the character-level ones they replaced: the same verdict
//! and message for any string, ASCII or not.

use super::{dns1123_label, dns1123_subdomain, label_value, qualified_name};
use proptest::prelude::*;

/// The checks as they were written over `char`s, kept here as the reference.
mod by_chars {
    fn alnum_lower(c: char) -> bool {
        c.is_ascii_lowercase() || c.is_ascii_digit()
    }

    pub fn label_like(part: &str) -> bool {
        !part.is_empty()
            && part.chars().all(|c| alnum_lower(c) || c == '-')
            && part.starts_with(alnum_lower)
            && part.ends_with(alnum_lower)
    }

    pub fn name_part(s: &str) -> bool {
        let edge = |c: char| c.is_ascii_alphanumeric();
        !s.is_empty()
            && s.len() <= 63
            && s.starts_with(edge)
            && s.ends_with(edge)
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    }

    pub fn subdomain(s: &str) -> bool {
        s.len() <= 253 && s.split('.').all(label_like)
    }

    /// `None` when valid, else which part failed (the messages name the part).
    pub fn qualified(s: &str) -> Option<&'static str> {
        let (prefix, name) = match s.split_once('/') {
            Some((prefix, name)) => (Some(prefix), name),
            None => (None, s),
        };
        if name.contains('/') {
            return Some("slashes");
        }
        if let Some(prefix) = prefix {
            if prefix.is_empty() {
                return Some("empty prefix");
            }
            if !subdomain(prefix) {
                return Some("prefix");
            }
        }
        if name.len() > 63 {
            return Some("long");
        }
        (!name_part(name)).then_some("name")
    }
}

fn name_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9.-]{0,12}",
        "[a-zA-Z0-9._/-]{0,16}",
        "[a-z0-9-]{60,66}",
        "[-a-z0-9é_.A/ ]{0,10}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn byte_checks_give_the_character_checks_verdicts(text in name_like()) {
        prop_assert_eq!(dns1123_label(&text).is_none(), text.len() <= 63 && by_chars::label_like(&text));
        prop_assert_eq!(dns1123_subdomain(&text).is_none(), by_chars::subdomain(&text));
        prop_assert_eq!(
            label_value(&text).is_none(),
            text.is_empty() || by_chars::name_part(&text)
        );
        prop_assert_eq!(qualified_name(&text).is_none(), by_chars::qualified(&text).is_none());
    }
}

#[test]
fn non_ascii_names_fail_as_they_did() {
    for text in ["é", "aé", "éa", "a.é", "x/é", "é/x", "ａ"] {
        assert!(dns1123_subdomain(text).is_some(), "{text}");
        assert!(qualified_name(text).is_some(), "{text}");
        assert!(label_value(text).is_some(), "{text}");
    }
}

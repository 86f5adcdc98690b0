//! Holds the `regex-lite` matcher of the patterns written in the syntax it shares with ECMA-262
//! to the `jsonschema` validator it replaces: the same answer on every shipped pattern, for
//! strings made of the characters those patterns name and random ones.

use proptest::prelude::*;
use serde_json::Value;

use super::pattern::{build, lite};
use super::pattern_tests::patterns;

/// Every pattern of the shipped CRD schemas, once each.
fn shipped_patterns() -> Vec<String> {
    let mut out = Vec::new();
    for (_, text) in crate::validate::crd::BUNDLED_CRDS {
        patterns(&serde_json::from_str(text).unwrap(), &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// Strings near what the patterns accept: names, durations, quantities, paths, ports.
const SAMPLES: &[&str] = &[
    "",
    "a",
    "A",
    "-",
    "a-b",
    "a-",
    "-a",
    "a.b",
    "a..b",
    "a.b-c.d",
    "*.example.com",
    "*",
    "a*b",
    "example.com/Kind",
    "example.com/",
    "/",
    "//",
    "/a/b",
    "/a/./b",
    "/a/../b",
    "/%2f",
    "/%2F",
    "/a%41",
    "/a%4",
    "0",
    "1",
    "80",
    "65535",
    "65536",
    "0x10",
    "1s",
    "30s",
    "1h30m",
    "1.5h",
    "500ms",
    "10us",
    "10µs",
    "10μs",
    "-1s",
    "+2m",
    ".5s",
    "1y2w3d",
    "5m0s",
    "1Ki",
    "1.5Gi",
    "100m",
    "1e3",
    "1E-3",
    "+1",
    "2KiB",
    "1.5MB",
    "0B",
    "x60",
    "`",
    "a`b",
    "http://x",
    "HTTPS://x",
    "ftp://x",
    "abort",
    "WARN",
    "warn ",
    "a_b",
    ".a.b",
    "a.b.",
    "A_b0",
    "a b",
    "a\nb",
    "\n",
    "é",
    "ab\u{2028}",
    "😀",
    "a1-",
    "ns",
    "h",
    "[a]",
    "(a)",
];

fn agree(pattern: &str, lite: &regex_lite::Regex, text: &str) {
    let full = build(pattern).unwrap();
    assert_eq!(
        lite.is_match(text),
        full.is_valid(&Value::String(text.to_string())),
        "pattern {pattern:?} on {text:?}"
    );
}

#[test]
fn lite_matches_every_shipped_pattern_it_reads_as_jsonschema_does() {
    let patterns = shipped_patterns();
    let read: Vec<(String, regex_lite::Regex)> = patterns
        .iter()
        .filter_map(|p| Some((p.clone(), lite(p)?)))
        .collect();
    assert!(
        read.len() * 4 > patterns.len() * 3,
        "most shipped patterns read"
    );
    for (pattern, regex) in &read {
        for text in SAMPLES {
            agree(pattern, regex, text);
        }
    }
}

#[test]
fn patterns_outside_the_shared_syntax_are_left_to_jsonschema() {
    for pattern in [
        r"^\d+$", r"^\w$", r"a.b", r"\bx", r"[[a]]", r"[a&&b]", r"[]a]", r"(?i)a", r"(?<n>a)",
        r"a{,3}", r"\x{41}", r"\u0041", "😀",
    ] {
        assert!(lite(pattern).is_none(), "{pattern}");
    }
    for pattern in [r"^[a-z.]+$", r"^a\.b$", r"^(?:a|b)$", r"^[\-x]$", r"^\x60$"] {
        assert!(lite(pattern).is_some(), "{pattern}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn lite_and_jsonschema_agree_on_random_strings(text in "[-a-zA-Z0-9./*%µ_ :@`]{0,12}") {
        for pattern in shipped_patterns() {
            if let Some(regex) = lite(&pattern) {
                agree(&pattern, &regex, &text);
            }
        }
    }
}

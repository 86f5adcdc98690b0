//! Holds the `regex-lite` patterns of `semver.rs` to the answers `regex` gave before them, on
//! ASCII text made of the characters versions and constraints are written with (the engines
//! differ only on non-ASCII white space, which Go's `\s` does not match either).

use proptest::prelude::*;
use regex_lite::Regex;

use super::{FIND, ONE, RANGE, STRICT_VERSION, VALID};

fn patterns() -> [&'static Regex; 5] {
    [&STRICT_VERSION, &ONE, &FIND, &VALID, &RANGE]
}

/// Every group's span of every match, as both engines report them.
fn lite_matches(re: &Regex, text: &str) -> Vec<Vec<Option<(usize, usize)>>> {
    (re.captures_iter(text))
        .map(|c| {
            (0..c.len())
                .map(|i| c.get(i).map(|m| (m.start(), m.end())))
                .collect()
        })
        .collect()
}

fn full_matches(re: &regex::Regex, text: &str) -> Vec<Vec<Option<(usize, usize)>>> {
    (re.captures_iter(text))
        .map(|c| {
            (0..c.len())
                .map(|i| c.get(i).map(|m| (m.start(), m.end())))
                .collect()
        })
        .collect()
}

proptest! {
    #[test]
    fn semver_patterns_match_as_regex_did(text in "[0-9vxX*.|+ \t,=<>!~^a-zA-Z-]{0,40}") {
        for lite in patterns() {
            let full = regex::Regex::new(lite.as_str()).unwrap();
            prop_assert_eq!(lite_matches(lite, &text), full_matches(&full, &text));
        }
        prop_assert_eq!(
            RANGE.replace_all(&text, " >= ${1}, <= ${11} "),
            regex::Regex::new(RANGE.as_str()).unwrap().replace_all(&text, " >= ${1}, <= ${11} ")
        );
    }

    #[test]
    fn semver_patterns_match_versions_as_regex_did(
        op in "(|=|!=|>|<|>=|=>|<=|=<|~|~>|\\^)",
        version in "v?[0-9xX*]{1,3}(\\.[0-9xX*]{1,3}){0,2}(-[0-9a-z.-]{1,8})?(\\+[0-9a-z.]{1,6})?",
        joiner in "( |, |,| \\|\\| | - )",
        second in "[<>=~^]{0,2}[0-9]{1,2}(\\.[0-9]{1,2})?",
    ) {
        let text = format!("{op}{version}{joiner}{second}");
        for lite in patterns() {
            let full = regex::Regex::new(lite.as_str()).unwrap();
            prop_assert_eq!(lite_matches(lite, &text), full_matches(&full, &text));
        }
    }
}

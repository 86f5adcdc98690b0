//! A pattern keeps its answers for the strings it has matched: a string matched again gets the
//! answer it got the first time, and past the answers kept, strings are still matched.

use serde_json::json;

use super::pattern::{ANSWERS_KEPT, Pattern};

const DURATION: &str = "^(0|(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?)$";

#[test]
fn a_string_matched_again_gets_the_answer_it_got_the_first_time() {
    let pattern = Pattern::get(DURATION, false).unwrap();
    for _ in 0..3 {
        assert_eq!(pattern.matches(&json!("30s")), Some(true));
        assert_eq!(pattern.matches(&json!("1h30m")), Some(true));
        assert_eq!(pattern.matches(&json!("30x")), Some(false));
        assert_eq!(pattern.matches(&json!("")), Some(true));
    }
    // A value that is not a string is not kept, and `pattern` says nothing of it.
    assert_eq!(pattern.matches(&json!(30)), Some(true));
}

#[test]
fn strings_past_the_answers_kept_are_still_matched() {
    let pattern = Pattern::get("^[0-9]+s$", false).unwrap();
    for round in 0..2 {
        for i in 0..ANSWERS_KEPT + 50 {
            assert_eq!(
                pattern.matches(&json!(format!("{i}s"))),
                Some(true),
                "{i}s, round {round}"
            );
            assert_eq!(
                pattern.matches(&json!(format!("{i}x"))),
                Some(false),
                "{i}x, round {round}"
            );
        }
    }
}

#[test]
fn a_pattern_checked_by_jsonschema_keeps_its_answers_too() {
    // `\d` is not in the syntax `regex-lite` is trusted with: `jsonschema` matches it.
    let pattern = Pattern::get("^\\d+$", true).unwrap();
    for _ in 0..2 {
        assert_eq!(pattern.matches(&json!("123")), Some(true));
        assert_eq!(pattern.matches(&json!("12a")), Some(false));
    }
}

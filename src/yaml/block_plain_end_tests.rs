//! Where a plain scalar ends: the reader settles it from the next line holding text, and folds
//! only when that line is deeper. Blank and comment lines between the two are still the
//! fold's to judge (a regression: the look past them once made the fold skip them).

use serde_json::{Value, json};

use super::parse;

fn slow(text: &str) -> Value {
    crate::yaml::parse_value_slow(text).expect("serde-saphyr reads it")
}

#[test]
fn a_blank_line_before_a_deeper_line_folds_into_a_line_break() {
    let text = "a: a\n\n a\nz: 1\n";
    let fast = parse(text).expect("the block reader reads it");
    assert_eq!(fast, json!({"a": "a\na", "z": 1}));
    assert_eq!(fast, slow(text));
}

#[test]
fn a_comment_line_before_a_deeper_line_is_left_to_serde_saphyr() {
    assert_eq!(parse("a: one\n  # c\n  two\n"), None);
}

#[test]
fn a_scalar_ends_at_a_line_no_deeper_after_blank_and_comment_lines() {
    for text in [
        "a: one\n\nb: two\n",
        "a: one\n# c\nb: two\n",
        "a: one\n  # c\n\nb: two\n",
        "- one\n\n- two\n",
        "a:\n  b: one\n\n# c\nz: two\n",
        "a: one\n",
        "a: one\n\n\n",
    ] {
        let fast = parse(text).expect("the block reader reads it");
        assert_eq!(fast, slow(text), "{text:?}");
    }
}

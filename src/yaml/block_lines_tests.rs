//! The block reader's line cutting and mapping building, held to what they replaced.

use super::{lines, parse, printable, printable_chars};
use proptest::prelude::*;
use serde_json::json;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn printable_by_bytes_answers_as_the_character_check_answers(
        text in "[a \t\r\n\u{7f}\u{80}-\u{a0}\u{e9}\u{2019}\u{d7ff}\u{e000}\u{feff}\u{fffd}-\u{ffff}\u{1f600}]{0,12}"
    ) {
        prop_assert_eq!(printable(&text), printable_chars(&text));
    }

    #[test]
    fn lines_cut_as_str_lines_cuts(body in "[a -~\n]{0,200}") {
        let text = format!("{body}\n");
        prop_assert_eq!(lines(&text), text.lines().collect::<Vec<_>>());
    }
}

#[test]
fn blank_lines_and_a_lone_break_are_lines_too() {
    assert_eq!(lines("\n"), vec![""]);
    assert_eq!(lines("a\n\n  b\n"), vec!["a", "", "  b"]);
}

#[test]
fn nested_mappings_keep_their_entries_and_order() {
    let text = "a: 1\nb:\n  c: x\n  d:\n    e: w\n  f: z\ng: 2\n";
    let value = parse(text).expect("the block path reads it");
    assert_eq!(
        value,
        json!({"a": 1, "b": {"c": "x", "d": {"e": "w"}, "f": "z"}, "g": 2})
    );
    let keys: Vec<&String> = value["b"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["c", "d", "f"]);
}

#[test]
fn a_duplicate_key_in_an_inner_mapping_still_sends_the_text_elsewhere() {
    assert_eq!(parse("a:\n  b: 1\n  c: 2\n  b: 3\nd: 4\n"), None);
    assert_eq!(parse("a:\n  b: 1\nd: 4\na: 5\n"), None);
}

/// The table-driven key scan, held to the byte match it replaced.
fn separator_by_match(content: &str) -> (Option<usize>, bool) {
    let bytes = content.as_bytes();
    let mut unusual = false;
    for (at, &byte) in bytes.iter().enumerate() {
        match byte {
            b':' if bytes.get(at + 1).is_none_or(|b| *b == b' ') => return (Some(at), unusual),
            b'#' | b'[' | b']' | b'{' | b'}' | b',' | b'"' | b'\'' => unusual = true,
            _ => {}
        }
    }
    (None, unusual)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn keys_end_where_the_byte_match_ended_them(
        content in "[a: #\\[\\]{},\"'./\u{e9}-]{0,16}"
    ) {
        prop_assert_eq!(super::separator(&content), separator_by_match(&content));
    }
}

//! The writer's early answer for strings serde-saphyr double-quotes as they are (keywords,
//! numbers and versions), held to serde-saphyr's own form of each.

use proptest::prelude::*;
use serde_json::Value;

use super::{FOLD_WIDTH, alone, quoted_as_is, write_scalar};

/// What serde-saphyr writes for the string `text` alone, without its line break.
fn saphyr(text: &str) -> String {
    let written = alone(&Value::String(text.to_string())).expect("one line");
    written.trim_end_matches('\n').to_string()
}

/// Every string the early answer takes is written by serde-saphyr as `"text"`.
fn holds_when_taken(text: &str) {
    if quoted_as_is(text) {
        assert_eq!(saphyr(text), format!("\"{text}\""), "{text:?}");
        let mut out = String::new();
        write_scalar(&mut out, &Value::String(text.to_string())).unwrap();
        assert_eq!(out, saphyr(text), "{text:?}");
    }
}

/// Each spelling of `word` in upper and lower case letters.
fn every_case(word: &str) -> Vec<String> {
    let bytes = word.as_bytes();
    (0..1u32 << bytes.len())
        .map(|mask| {
            bytes
                .iter()
                .enumerate()
                .map(|(at, &b)| {
                    let b = if mask & (1 << at) != 0 {
                        b.to_ascii_uppercase()
                    } else {
                        b
                    };
                    char::from(b)
                })
                .collect()
        })
        .collect()
}

#[test]
fn keywords_in_every_case_are_double_quoted_as_serde_saphyr_writes_them() {
    for word in [
        "null", "true", "false", "yes", "no", "y", "n", "on", "off", "nan", "inf",
    ] {
        for spelling in every_case(word) {
            assert!(quoted_as_is(&spelling), "{spelling}");
            holds_when_taken(&spelling);
        }
    }
}

#[test]
fn the_empty_string_is_double_quoted_as_serde_saphyr_writes_it() {
    assert!(quoted_as_is(""));
    holds_when_taken("");
}

#[test]
fn digits_and_dots_are_double_quoted_as_serde_saphyr_writes_them() {
    for text in [
        "0",
        "7",
        "1.6.9",
        "10.0.0.1",
        "1..2",
        "1.",
        "007",
        "1.2.3.4.5.6",
    ] {
        assert!(quoted_as_is(text), "{text}");
        holds_when_taken(text);
    }
    // Every string of up to six of these characters.
    let alphabet = ["0", "7", ".", "a", "-", "e", "_"];
    let mut texts = vec![String::new()];
    for _ in 0..6 {
        texts = texts
            .iter()
            .flat_map(|text| alphabet.iter().map(move |c| format!("{text}{c}")))
            .collect();
        for text in &texts {
            holds_when_taken(text);
        }
    }
}

#[test]
fn long_digit_strings_and_other_words_are_left_to_serde_saphyr() {
    let long = "1.".repeat(FOLD_WIDTH / 2 + 1);
    assert!(!quoted_as_is(&long));
    for text in [
        "1.6.9a", "v1.6.9", ".5", "-1", "+1", "1e5", "1_000", "0x1f", "yess", "1:2",
    ] {
        assert!(!quoted_as_is(text), "{text}");
    }
}

proptest! {
    #[test]
    fn any_string_taken_early_is_written_as_serde_saphyr_writes_it(
        text in "[0-9.]{0,12}|[a-zA-Z]{0,5}|[ -~]{0,10}",
    ) {
        holds_when_taken(&text);
    }
}

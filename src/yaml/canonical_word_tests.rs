//! The canonical writer's byte-level checks, held to the character-level forms they replaced.

use proptest::prelude::*;

use super::{FOLD_WIDTH, KEY_BYTES, dashed_word, is_keyword, is_plain_word, surely_not_numeric};

/// The keyword test as it was written first: each word compared in turn.
fn is_keyword_by_words(text: &str) -> bool {
    text.len() <= 5
        && [
            "null", "true", "false", "yes", "no", "y", "n", "on", "off", "nan", "inf",
        ]
        .iter()
        .any(|word| text.eq_ignore_ascii_case(word))
}

#[test]
fn every_keyword_is_found_in_any_case_and_nothing_longer() {
    for word in [
        "null", "NULL", "True", "fAlSe", "yes", "No", "y", "N", "on", "OFF", "nan", "Inf",
    ] {
        assert!(is_keyword(word), "{word}");
    }
    for word in [
        "", "nul", "nulls", "truey", "o", "yess", "infinity", "ñ", "é",
    ] {
        assert!(!is_keyword(word), "{word}");
    }
}

#[test]
fn key_bytes_are_letters_digits_and_four_marks() {
    for byte in 0..=255u8 {
        let expected = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'/');
        assert_eq!(KEY_BYTES[usize::from(byte)], expected, "{byte}");
    }
}

/// The plain-word test as it was written first: one loop over the bytes with an early exit.
fn is_plain_word_by_loop(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    let lead_ok = first.is_ascii_alphabetic()
        || first == b'/'
        || (first.is_ascii_digit() && surely_not_numeric(bytes))
        || (first == b'-' && dashed_word(bytes));
    if !lead_ok || bytes.len() > FOLD_WIDTH || last == b' ' || last == b':' {
        return false;
    }
    let mut previous = 0u8;
    for &byte in bytes {
        if !(0x20..0x7f).contains(&byte)
            || (previous == b':' && byte == b' ')
            || (previous == b' ' && byte == b'#')
        {
            return false;
        }
        previous = byte;
    }
    !is_keyword(text)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn plain_words_are_found_as_the_byte_loop_found_them(
        text in "[a-c0-9/: #\t\u{e9}-]{0,12}"
    ) {
        prop_assert_eq!(is_plain_word(&text), is_plain_word_by_loop(&text));
    }

    #[test]
    fn keywords_are_found_as_comparing_each_word_finds_them(
        text in "[nNuUlLtTrReEfFaAsSyYoOiI\u{e9}x]{0,6}"
    ) {
        prop_assert_eq!(is_keyword(&text), is_keyword_by_words(&text));
    }
}

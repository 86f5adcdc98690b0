//! The lexer measures the space around actions a byte at a time; it finds what trimming by
//! characters with its space test finds, next to characters that are space to Unicode but not
//! to Go's templates and to characters several bytes long.

use proptest::prelude::*;

use crate::lexer::{is_space, space_len, trailing_space_len};

/// Characters space may sit next to: Go's four, Unicode spaces it does not count, form feed,
/// and letters of two and three bytes.
const CHARS: &[char] = &[
    ' ', '\t', '\r', '\n', '\u{0c}', '\u{a0}', '\u{2003}', '\u{85}', 'a', 'é', '{', '}', '-',
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(CHARS), 0..24)
        .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #[test]
    fn leading_space_is_what_trimming_by_characters_removes(text in text()) {
        prop_assert_eq!(space_len(&text), text.len() - text.trim_start_matches(is_space).len());
    }

    #[test]
    fn trailing_space_is_what_trimming_by_characters_removes(text in text()) {
        prop_assert_eq!(
            trailing_space_len(&text),
            text.len() - text.trim_end_matches(is_space).len()
        );
    }
}

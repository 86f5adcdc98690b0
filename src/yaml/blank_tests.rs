//! The blank-document test's early answer on the first character, held to the line-by-line
//! test it skips.

use proptest::prelude::*;

use super::{is_blank, is_blank_by_lines};

#[test]
fn a_document_is_blank_only_with_nothing_but_white_space_and_comments() {
    for (text, blank) in [
        ("", true),
        ("\n  \n", true),
        ("# a\n  # b\n", true),
        ("\r\n\t# c\n", true),
        ("a: 1\n", false),
        ("\n  # a\n  b: 1\n", false),
        ("  -\n", false),
        ("\u{a0}# nbsp\n", true),
        ("# a\u{7}\n", false),
        ("\u{7}\n", false),
    ] {
        assert_eq!(is_blank(text), blank, "{text:?}");
        assert_eq!(is_blank(text), is_blank_by_lines(text), "{text:?}");
    }
}

proptest! {
    #[test]
    fn the_early_answer_agrees_with_the_lines(
        text in "[ \t\r\n#a\u{a0}\u{7}\u{2028}-]{0,12}",
    ) {
        prop_assert_eq!(is_blank(&text), is_blank_by_lines(&text));
    }
}

//! Holds `indent` and `nindent`, written into one string, to the answers of the replace and
//! `format!` they were built with before.

use proptest::prelude::*;

use super::indent;

/// The former construction: the pad, then the text with each line break followed by the pad.
fn by_replace(spaces: i64, text: &str) -> String {
    let pad = " ".repeat(usize::try_from(spaces).unwrap_or(0));
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

proptest! {
    #[test]
    fn indent_and_nindent_give_what_replace_gave(spaces in -3i64..12, text in "[a-z \\n:é-]{0,60}") {
        prop_assert_eq!(indent(spaces, &text, false).unwrap(), by_replace(spaces, &text));
        prop_assert_eq!(
            indent(spaces, &text, true).unwrap(),
            format!("\n{}", by_replace(spaces, &text))
        );
    }
}

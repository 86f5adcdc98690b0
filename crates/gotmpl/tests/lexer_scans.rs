//! The lexer's byte-wise scans answer as the character-wise ones they replaced: the text
//! before an action ends at the first `{{` (lone braces and non-ASCII text included), and a
//! field's name is its longest run of Unicode letters, digits and `_`.

use gotmpl::lexer::{Tok, lex};
use proptest::prelude::*;

fn is_word_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

proptest! {
    #[test]
    fn text_ends_at_the_first_pair_of_braces(
        before in "[a-z {}é\n}]{0,30}",
        after in "[a-z ]{0,10}",
    ) {
        // A lone `{` only: `{{` or `{` right before the action would start it earlier.
        prop_assume!(!before.contains("{{") && !before.ends_with('{'));
        let src = format!("{before}{{{{ .x }}}}{after}");
        let tokens = lex(&src).unwrap();
        let expected = &src[..src.find("{{").unwrap()];
        match &tokens[0].kind {
            Tok::Text(text) => prop_assert_eq!(*text, expected),
            other => prop_assert!(expected.is_empty(), "{:?}", other),
        }
    }

    #[test]
    fn a_field_name_is_its_run_of_letters_digits_and_underscores(
        name in "[a-zA-Z_é][a-zA-Z0-9_éß日٣]{0,12}",
        end in prop::sample::select(vec![" ", ".y", "|", ",", "=", "-", "\u{2003}"]),
    ) {
        let src = format!("{{{{ .{name}{end} }}}}");
        let expected: String = format!("{name}{end}").chars().take_while(|&c| is_word_char(c)).collect();
        if let Ok(tokens) = lex(&src) {
            let field = tokens.iter().find_map(|t| match &t.kind {
                Tok::Field(f) => Some(*f),
                _ => None,
            });
            prop_assert_eq!(field, Some(expected.as_str()));
        } else {
            // Go rejects a word followed by anything but a space, a delimiter or punctuation.
            prop_assert!(matches!(end, "-" | "\u{2003}"), "{}", src);
        }
    }
}

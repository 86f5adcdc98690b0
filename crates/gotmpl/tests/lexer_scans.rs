//! The lexer's byte-wise scans answer as the character-wise ones they replaced: the text
//! before an action ends at the first `{{` (lone braces and non-ASCII text included), a
//! field's name is its longest run of Unicode letters, digits and `_`, a quoted string ends
//! at its first unescaped quote, and a word followed by a lone `}` is a bad character.

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

proptest! {
    #[test]
    fn a_quoted_string_ends_at_its_first_unescaped_quote(
        body in r#"([a-z\u{e9}\u{65e5} .{}|]|\\[nt"\\]){0,20}"#,
        after in "[a-z ]{0,5}",
    ) {
        let literal = format!("\"{body}\"");
        let src = format!("{{{{ {literal} \"{after}\" }}}}");
        let tokens = lex(&src).unwrap();
        let first = tokens.iter().find_map(|t| match &t.kind {
            Tok::Str(s) => Some(*s),
            _ => None,
        });
        prop_assert_eq!(first, Some(literal.as_str()));
    }
}

#[test]
fn a_newline_inside_a_quoted_string_leaves_it_unterminated() {
    for src in [
        "{{ \"ab\ncd\" }}",
        "{{ \"ab\\\ncd\" }}",
        "{{ \"\u{e9}t\u{e9}",
    ] {
        let error = lex(src).unwrap_err();
        assert_eq!(error.message, "unterminated quoted string", "{src:?}");
        assert_eq!(error.pos, 3, "{src:?}");
    }
}

#[test]
fn a_word_before_a_lone_right_brace_is_a_bad_character() {
    let error = lex("{{ .a} }}").unwrap_err();
    assert_eq!(error.message, "bad character U+007D '}'");
    assert_eq!(error.pos, 5);
    let error = lex("{{ .a\u{e9}\u{2003} }}").unwrap_err();
    assert_eq!(error.message, "bad character U+2003 '\u{2003}'");
    assert!(lex("{{ .a}}").is_ok());
    assert!(lex("{{ $x:=.a}}").is_ok());
}

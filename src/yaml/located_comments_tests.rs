//! What [`super::emptied`] empties and what it copies as it is.

use std::borrow::Cow;

/// [`super::emptied`] with a screen every line passes.
fn emptied(text: &str) -> Cow<'_, str> {
    super::emptied(text, |_| true).unwrap()
}

#[test]
fn comment_lines_are_emptied_and_keep_their_line_breaks() {
    let text = "## @section\n# more\nkey: 1 # kept\n  # indented\nother: 2\r\n# last";
    assert_eq!(emptied(text), "\n\nkey: 1 # kept\n\nother: 2\r\n");
}

#[test]
fn a_text_without_comment_lines_is_not_copied() {
    let text = "a: 1\nb: [x, y]\n";
    assert!(matches!(emptied(text), Cow::Borrowed(_)));
}

#[test]
fn lines_of_a_block_scalar_are_copied_until_a_line_outside_it() {
    let text = "a: |+\n  # text\n  x\n# after\nb: >- # c\n  y\n\n    # deeper\nc: 1\n# gone\n";
    assert_eq!(
        emptied(text),
        "a: |+\n  # text\n  x\n# after\nb: >- # c\n  y\n\n    # deeper\nc: 1\n\n"
    );
    let text = "l:\n  - |2\n   # text\n  # seq\n  - x\n# gone\n";
    assert_eq!(emptied(text), "l:\n  - |2\n   # text\n  # seq\n  - x\n\n");
}

#[test]
fn a_block_header_on_a_line_of_its_own_leaves_the_text_as_it_is() {
    let text = "# c\nkey:\n  |\n # text\n";
    assert_eq!(emptied(text), text);
}

#[test]
fn a_line_failing_the_screen_fails_the_text_but_a_comment_line_is_not_screened() {
    let screen = |content: &str| !content.contains("bad");
    assert!(super::emptied("a: 1\n  b: bad\n", screen).is_none());
    assert!(super::emptied("# bad\na: 1\n", screen).is_some());
    assert!(super::emptied("a: |\n  # bad\n", screen).is_some());
}

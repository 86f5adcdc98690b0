//! What [`super::emptied`] empties and what it copies as it is.

use super::emptied;

#[test]
fn comment_lines_are_emptied_and_keep_their_line_breaks() {
    let text = "## @section\n# more\nkey: 1 # kept\n  # indented\nother: 2\r\n# last";
    assert_eq!(emptied(text), "\n\nkey: 1 # kept\n\nother: 2\r\n");
}

#[test]
fn a_text_without_comment_lines_is_not_copied() {
    let text = "a: 1\nb: [x, y]\n";
    assert!(matches!(emptied(text), std::borrow::Cow::Borrowed(_)));
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

//! Holds `folded`'s early answer (a text with no space, or one ending before the width, is
//! written as it is) to the walk over every character it skips.

use proptest::prelude::*;

use super::{BEST_WIDTH, folded};

/// The walk itself: a single space past the width becomes a break and the indent.
fn by_walk(text: &str, indent: usize, column: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut col = column;
    for (i, &c) in chars.iter().enumerate() {
        let prev_space = i > 0 && chars[i - 1] == ' ';
        let next_space = chars.get(i + 1) == Some(&' ');
        if c == ' ' && !prev_space && !next_space && col > BEST_WIDTH && i + 1 < chars.len() {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent));
            col = indent;
            continue;
        }
        out.push(c);
        col += 1;
    }
    out
}

proptest! {
    #[test]
    fn folded_gives_what_the_walk_gave(
        text in "[a-zé ]{0,200}",
        indent in 0usize..12,
        column in 0usize..100,
    ) {
        prop_assert_eq!(folded(&text, indent, column), by_walk(&text, indent, column));
    }
}

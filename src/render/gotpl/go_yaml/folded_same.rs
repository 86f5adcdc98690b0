//! Holds `folded`'s early answer (a text with no space, or one ending before the width, is
//! written as it is) to the walk over every character it skips (`folded_walk`, which `folded`
//! runs otherwise).

use proptest::prelude::*;

use super::{folded, folded_walk};

proptest! {
    #[test]
    fn folded_gives_what_the_walk_gave(
        text in "[a-zé ]{0,200}",
        indent in 0usize..12,
        column in 0usize..100,
    ) {
        prop_assert_eq!(folded(&text, indent, column), folded_walk(&text, indent, column));
    }
}

#[test]
fn a_lone_space_just_past_the_width_breaks_the_line() {
    let text = format!("{} b", "a".repeat(81));
    let broken = format!("{}\n  b", "a".repeat(81));
    assert_eq!(folded_walk(&text, 2, 0), broken);
    assert_eq!(folded(&text, 2, 0), broken);
}

//! The vectorized screen held to the byte-by-byte one it stands in front of.

use super::{Screen, parse, screen, screen_bytes};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// The same answer, except that text with both a marker and an unusual byte may be
    /// called unusual by one and unknown by the other: `parse` gives up on it either way.
    #[test]
    fn the_vectorized_screen_answers_as_the_byte_scan_does(
        text in "[-. a\u{a0}\t\u{7}\n#:]{0,80}"
    ) {
        let fast = screen(&text);
        let slow = screen_bytes(&text);
        if fast != slow {
            prop_assert_eq!((&fast, &slow), (&Screen::Unknown, &Screen::Unusual));
            prop_assert_eq!(parse(&text), None);
        }
    }
}

#[test]
fn a_long_manifest_with_no_marker_is_plain_and_one_with_a_marker_word_is_not() {
    let plain = "kind: ConfigMap\ndata:\n  a: x--y..z\n".repeat(20);
    assert_eq!(screen(&plain), Screen::Plain);
    let marked = format!("{plain}  b: --- x\n");
    assert_eq!(screen(&marked), Screen::Unusual);
    let unusual_byte = format!("{plain}  c: \u{7}\n");
    assert_eq!(screen(&unusual_byte), Screen::Unknown);
}

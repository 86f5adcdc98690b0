//! Plain scalars that start with a digit and hold only characters a number or date may hold
//! (checksums, hex words): those the fast path types without serde-saphyr are held to
//! serde-saphyr's reading.

use proptest::prelude::*;

use super::parse;

/// The fast path reads `k: text` and a list item `text` as serde-saphyr does.
fn agree(text: &str) {
    for document in [format!("k: {text}\n"), format!("- {text}\n")] {
        let slow = super::super::parse_value_slow(&document).map_err(|e| e.message);
        if let Some(fast) = parse(&document) {
            assert_eq!(Ok(fast), slow, "{document:?}");
        }
    }
}

#[test]
fn checksums_and_hex_words_read_as_serde_saphyr_reads_them() {
    for text in [
        "9da5fb42b6fc0c44fa305c44ed6c0ecbb1bcb2abdc8ee87ec07648c30c8ca2ad",
        "0dad0836fe301cc25a405c5c1838784ccc3f0f4ba9366bd79c7429023cc48dab",
        "1a2b",
        "12e3",
        "1e5",
        "1E5",
        "0x1f",
        "0X1F",
        "0o17",
        "0b101",
        "1_0a",
        "2001-12-14",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14T21:59:43Z",
        "12:30",
        "1.5e-3",
        "0e0",
        "1d",
        "1c:30",
    ] {
        agree(text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn digit_led_words_read_as_serde_saphyr_reads_them(
        text in "[0-9][0-9a-fA-FxXoObBtTzZ._+:-]{0,14}"
    ) {
        agree(&text);
    }
}

//! The canonical writer's own quoting decisions for strings that start with a digit or `-`
//! (quantities, versions, checksums, flags), held to serde-saphyr's bytes.

use super::{is_plain_word, write};
use proptest::prelude::*;
use serde_json::json;

fn agree(text: &str) {
    let value = json!({ "k": text, "l": [text] });
    let slow = serde_saphyr::to_string(&value).expect("a JSON value serializes");
    assert_eq!(write(&value).as_deref(), Some(slow.as_str()), "{text:?}");
}

#[test]
fn quantities_checksums_and_flags_are_written_plain_without_serde_saphyr() {
    for text in [
        "100m",
        "256Mi",
        "1Gi",
        "0dad0836fe301cc25a405c5c1838784ccc3f0f4ba9366bd79c7429023cc48dab",
        "1.0.0-rc1",
        "-c",
        "--port=80",
    ] {
        assert!(is_plain_word(text), "{text:?}");
        agree(text);
    }
}

#[test]
fn digit_strings_yaml_could_read_as_numbers_or_dates_are_left_to_serde_saphyr() {
    for text in [
        "1.0.0",
        "0xdead",
        "0Xbeef",
        "0o17",
        "0b101",
        "1_0",
        "1e5",
        "12:30",
        "2001-12-14",
        "2001-12-14T21:59:43Z",
        "2001-12-14 21:59:43 +1",
        "-inf",
        "-Inf",
        "-1",
        "-",
        "--",
        "---",
        "--- x",
        "-- x",
    ] {
        assert!(!is_plain_word(text), "{text:?}");
        agree(text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn digit_and_dash_strings_match_serde_saphyr_byte_for_byte(
        text in prop_oneof![
            "[0-9][0-9a-zA-Z._:+, -]{0,14}",
            "0[bBoOxX_][0-9a-fA-F_]{0,6}[g-zG-Z]?",
            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([tT ][0-9:.,]{0,10}[ Z+-]{0,2}[0-9:]{0,5})?",
            "-[a-zA-Z.:# -][a-zA-Z0-9.:# -]{0,8}",
            "--?-?[a-zA-Z.:# -]{0,3}",
        ]
    ) {
        let value = json!({ "k": &text, "l": [&text] });
        let slow = serde_saphyr::to_string(&value).expect("a JSON value serializes");
        if let Some(fast) = write(&value) {
            prop_assert_eq!(fast, slow);
        }
    }
}

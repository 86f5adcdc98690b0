//! Holds the one-scan split read (a large member's own members found while the file is
//! scanned, not in a second scan of its text) to the whole read, at every size threshold,
//! so members both over and under it meet in one file.

use proptest::prelude::*;

use crate::values::json;
use crate::values::json::tests::{json as json_value, origin};
use crate::values::json_split::read_object;

proptest! {
    #[test]
    fn any_threshold_reads_the_tree_the_whole_read_gives(
        value in json_value(),
        pretty in any::<bool>(),
        large in 0usize..120,
    ) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        let split = read_object(&text, &origin(), large);
        if value.is_object() {
            prop_assert_eq!(split, json::read_object(&text, &origin()));
        } else {
            prop_assert_eq!(split, None);
        }
    }
}

#[test]
fn a_large_member_beside_small_ones_is_read_as_the_whole_read_reads_it() {
    let services: String = (0..40)
        .map(|i| format!("\"svc-{i}\": {{\"port\": {i}, \"tags\": [\"a\", \"b\\\"c\"]}}"))
        .collect::<Vec<_>>()
        .join(",\n  ");
    let text = format!(
        "{{\n \"global\": {{\"env\": \"prod\"}},\n \"services\": {{\n  {services}\n }} ,\n \"n\": [1, {{\"x\": 2}}]\n}}\n"
    );
    let split = read_object(&text, &origin(), 256);
    assert!(split.is_some());
    assert_eq!(split, json::read_object(&text, &origin()));
}

#[test]
fn a_string_longer_than_the_short_scan_ends_where_it_ends() {
    let long = "x".repeat(40) + "\\\"" + &"y".repeat(20);
    let text = format!("{{\"a\": {{\"k\": \"{long}\", \"m\": 1}}, \"b\": \"{long}\"}}");
    assert_eq!(
        read_object(&text, &origin(), 0),
        json::read_object(&text, &origin())
    );
    assert!(read_object("{\"a\": {\"k\": \"unterminated}}", &origin(), 0).is_none());
}

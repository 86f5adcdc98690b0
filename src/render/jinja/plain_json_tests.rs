//! Holds the walk of plain data ([`super::plain_json`]) to serde's answers (minijinja's
//! `Serialize` into `serde_json::to_value`, which `toyaml` and `tojson` used before), over
//! generated trees made the ways a template gets them, and checks that what the walk does
//! not know is left to serde.

use indexmap::IndexMap;
use minijinja::value::{Serde, Value};
use proptest::prelude::*;

use crate::render::jinja::merge_tests::tree;
use crate::render::jinja::plain_json::plain_json;
use crate::render::jinja::values;

fn by_serde(value: &Value) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

proptest! {
    /// The values tree, serde's conversion, `merge`'s results and safe strings all take the
    /// walk, and it gives serde's JSON.
    #[test]
    fn plain_data_gives_the_json_serde_gives(json in tree(true)) {
        let mut made = vec![values::from_json(&json), Value::from(Serde(&json))];
        // `merge` leaves floats too large for it to the JSON path; its own results are plain.
        made.extend(crate::render::jinja::merge::merge_plain(&[values::from_json(
            &serde_json::json!({ "k": json.clone() }),
        )]));
        made.push(Value::from_safe_string(format!("{json}")));
        for value in made {
            let walked = plain_json(&value);
            prop_assert!(walked.is_some(), "{value:?} was left to serde");
            prop_assert_eq!(walked, by_serde(&value));
        }
    }
}

#[test]
fn what_the_walk_does_not_know_is_left_to_serde() {
    let numeric_key = Value::from_object(IndexMap::from([(Value::from(1), Value::from("a"))]));
    let undefined_inside =
        Value::from_object(IndexMap::from([(Value::from("a"), Value::UNDEFINED)]));
    let big = Value::from(u128::MAX);
    let in_a_list = Value::from(vec![Value::from("x"), big.clone()]);
    let function = Value::from_function(|| "x".to_string());
    for value in [numeric_key, undefined_inside, big, in_a_list, function] {
        assert_eq!(plain_json(&value), None, "{value:?}");
    }
}

#[test]
fn numbers_come_out_as_serde_writes_them() {
    for value in [
        Value::from(u64::MAX),
        Value::from(i64::MIN),
        Value::from(0.5),
        Value::from(f64::NAN),
        Value::from(3u128),
        Value::from(-3i128),
    ] {
        assert_eq!(plain_json(&value), by_serde(&value), "{value:?}");
    }
}

//! Holds `merge` on plain maps ([`super::merge`]) to the answers of the JSON path it skips,
//! over generated maps that share keys at every depth, and checks that what the JSON path
//! would change (safe strings, keys that are not strings, numbers JSON cannot hold) is left to
//! the JSON path.

use minijinja::value::{Serde, Value};
use proptest::prelude::*;
use serde_json::{Number, Value as Json};

use crate::render::jinja::functions::merge_as_json;
use crate::render::jinja::merge::merge_plain;
use crate::render::jinja::values;

/// What a template can tell apart: kinds, key order, strings, and numbers as written.
fn shown(value: &Value) -> String {
    format!("{value:?}")
}

/// Leaves with floats of any size, or only floats no 128-bit integer can be (below 9e18).
fn leaf(any_float: bool) -> impl Strategy<Value = Json> {
    let float = if any_float {
        any::<f64>().boxed()
    } else {
        (-9.0e18..9.0e18f64).boxed()
    };
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<u64>().prop_map(|n| Json::Number(n.into())),
        any::<i64>().prop_map(|n| Json::Number(n.into())),
        float.prop_filter_map("JSON numbers are finite", |f| {
            Number::from_f64(f).map(Json::Number)
        }),
        "\\PC{0,30}".prop_map(Json::String),
    ]
}

/// Maps with keys from a small set, so that merged maps meet at every depth.
pub(super) fn tree(any_float: bool) -> impl Strategy<Value = Json> {
    leaf(any_float).prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::vec(("[a-d]", inner), 0..6)
                .prop_map(|entries| Json::Object(entries.into_iter().collect())),
        ]
    })
}

fn map(any_float: bool) -> impl Strategy<Value = Json> {
    prop::collection::vec(("[a-d]", tree(any_float)), 0..6)
        .prop_map(|entries| Json::Object(entries.into_iter().collect()))
}

/// A map as the values tree gives it, or as minijinja's serde conversion does.
fn as_value(json: &Json, by_serde: bool) -> Value {
    if by_serde {
        Value::from(Serde(json))
    } else {
        values::from_json(json)
    }
}

/// `maps`, each one as the values tree gives it, as minijinja's serde conversion does, or none.
fn as_values(maps: &[(Json, bool, bool)]) -> Vec<Value> {
    maps.iter()
        .map(|(json, by_serde, none)| {
            if *none {
                Value::from(())
            } else {
                as_value(json, *by_serde)
            }
        })
        .collect()
}

fn same(fast: &Value, reference: &Value) -> Result<(), TestCaseError> {
    prop_assert_eq!(shown(fast), shown(reference));
    prop_assert_eq!(
        serde_json::to_string(fast).unwrap(),
        serde_json::to_string(reference).unwrap()
    );
    Ok(())
}

proptest! {
    #[test]
    fn plain_maps_merge_as_the_json_path_merges_them(
        maps in prop::collection::vec((map(false), any::<bool>(), any::<bool>()), 0..5)
    ) {
        let maps = as_values(&maps);
        let fast = merge_plain(&maps).expect("plain maps merge without JSON");
        same(&fast, &merge_as_json(&maps).expect("maps merge"))?;
    }

    #[test]
    fn a_merge_of_any_numbers_is_the_json_paths_or_left_to_it(
        maps in prop::collection::vec((map(true), any::<bool>(), any::<bool>()), 0..5)
    ) {
        let maps = as_values(&maps);
        if let Some(fast) = merge_plain(&maps) {
            same(&fast, &merge_as_json(&maps).expect("maps merge"))?;
        }
    }
}

#[test]
fn what_json_would_change_is_left_to_the_json_path() {
    let env = crate::render::jinja::environment();
    let plain = Value::from(Serde(serde_json::json!({"a": 1})));
    let not_plain = [
        Value::from_safe_string("x".into()),
        Value::from(i128::MAX),
        Value::from(f64::NAN),
    ];
    for value in not_plain {
        let wrapped = Value::from_iter([("k", value.clone())]);
        assert!(
            merge_plain(&[plain.clone(), wrapped]).is_none(),
            "{value:?} inside a map"
        );
    }
    let int_keys = env
        .compile_expression("{1: 'a'}")
        .unwrap()
        .eval(())
        .unwrap();
    assert!(merge_plain(&[int_keys]).is_none());
    assert!(merge_plain(&[Value::UNDEFINED]).is_none());
    assert!(merge_plain(&[Value::from("text")]).is_none());
}

#[test]
fn merge_in_a_template_is_deep_and_the_leftmost_wins() {
    let env = crate::render::jinja::environment();
    let out = env
        .render_str(
            "{{ merge({}, {'a': {'x': 1}, 'l': [1]}, {'a': {'x': 2, 'y': 3}, 'b': 4}) }}",
            (),
        )
        .unwrap();
    assert_eq!(out, r#"{"a":{"x":1,"y":3},"b":4,"l":[1]}"#);
}

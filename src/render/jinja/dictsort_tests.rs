//! Holds bosun's `dictsort` ([`super::dictsort`]) to the answers of minijinja's own filter,
//! over generated maps (keys differing only in case, numbers, nested maps) and every mix of
//! keyword arguments, and checks that calls it does not take give minijinja's errors.

use minijinja::value::{Kwargs, Value};
use proptest::prelude::*;
use serde_json::Value as Json;

use crate::render::jinja::dictsort::dictsort;
use crate::render::jinja::values;

/// What a template can tell apart: kinds, order, strings, and numbers as written.
fn shown(result: Result<Value, minijinja::Error>) -> String {
    match result {
        Ok(value) => format!("{value:?}"),
        Err(error) => format!("error: {error}"),
    }
}

fn leaf() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(|n| Json::Number(n.into())),
        "\\PC{0,8}".prop_map(Json::String),
    ]
}

/// Maps whose keys often differ only in case, so case sensitivity changes the order.
fn map() -> impl Strategy<Value = Json> {
    let value = leaf().prop_recursive(2, 16, 4, |inner| {
        prop::collection::vec(("[aAbB_1]{0,3}", inner), 0..4)
            .prop_map(|entries| Json::Object(entries.into_iter().collect()))
    });
    prop::collection::vec(("[aAbBé_1]{0,3}", value), 0..12)
        .prop_map(|entries| Json::Object(entries.into_iter().collect()))
}

/// Keyword arguments: each of `case_sensitive`, `reverse`, `by` left out or given.
fn kwargs() -> impl Strategy<Value = Vec<(&'static str, Value)>> {
    (
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        prop::option::of(prop_oneof![Just("key"), Just("value")]),
    )
        .prop_map(|(case_sensitive, reverse, by)| {
            let mut args = Vec::new();
            if let Some(flag) = case_sensitive {
                args.push(("case_sensitive", Value::from(flag)));
            }
            if let Some(flag) = reverse {
                args.push(("reverse", Value::from(flag)));
            }
            if let Some(by) = by {
                args.push(("by", Value::from(by)));
            }
            args
        })
}

proptest! {
    #[test]
    fn dictsort_matches_minijinja_for_any_map_and_arguments(json in map(), args in kwargs()) {
        let value = values::from_json(&json);
        let ours = dictsort(&value, Kwargs::from_iter(args.clone()));
        let reference = minijinja::filters::dictsort(&value, Kwargs::from_iter(args));
        prop_assert_eq!(shown(ours), shown(reference));
    }
}

#[test]
fn dictsort_of_a_map_literal_renders_as_minijinja_renders_it() {
    let template = "{% for k, v in {'b': 1, 'B': 2, 'a': {'y': 1, 'x': 2}, 'A': none} \
                    | dictsort(case_sensitive=true) %}{{ k }}={{ v | tojson }};{% endfor %}";
    let ours = crate::render::jinja::environment()
        .render_str(template, ())
        .unwrap();
    let mut plain = minijinja::Environment::new();
    plain.add_filter("tojson", |v: Value| serde_json::to_string(&v).unwrap());
    let reference = plain.render_str(template, ()).unwrap();
    assert_eq!(ours, reference);
    assert_eq!(ours, r#"A=null;B=2;a={"y":1,"x":2};b=1;"#);
}

#[test]
fn dictsort_of_a_value_that_is_not_a_map_fails_as_minijinja_does() {
    for value in [Value::from(3), Value::from("text"), Value::from(vec![1, 2])] {
        let args = || Kwargs::from_iter([("case_sensitive", Value::from(true))]);
        let ours = shown(dictsort(&value, args()));
        assert!(ours.starts_with("error: "), "{ours}");
        assert_eq!(ours, shown(minijinja::filters::dictsort(&value, args())));
    }
}

#[test]
fn dictsort_with_an_unknown_argument_fails_as_minijinja_does() {
    let value = values::from_json(&serde_json::json!({"b": 1, "a": 2}));
    let args = || {
        Kwargs::from_iter([
            ("case_sensitive", Value::from(true)),
            ("sideways", Value::from(true)),
        ])
    };
    let ours = shown(dictsort(&value, args()));
    assert!(ours.contains("sideways"), "{ours}");
    assert_eq!(ours, shown(minijinja::filters::dictsort(&value, args())));
}

//! `Value::into_frozen`: the owned form of `Value::freeze`, which freezes in place the maps and
//! lists nobody else holds. Renders must see exactly what `freeze` gives them.

use gotmpl::Value;
use proptest::prelude::*;
use serde_json::json;

use super::engine;

#[test]
fn a_change_to_data_frozen_by_value_stays_in_the_render_that_made_it() {
    let engine = engine(&[
        (
            "change",
            r#"{{$_ := set .a.b "c" "changed"}}{{range .list}}{{$_ := set . "k" "w"}}{{end}}{{.a.b.c}}"#,
        ),
        ("read", "{{.a.b.c}} {{range .list}}{{.k}}{{end}}"),
    ]);
    let data = Value::from(json!({"a": {"b": {"c": "original"}}, "list": [{"k": "v"}]}));
    let data = data.into_frozen();
    assert_eq!(engine.render("change", &data).unwrap(), "changed");
    assert_eq!(engine.render("read", &data).unwrap(), "original v");
}

#[test]
fn a_map_someone_else_holds_is_copied_not_frozen_in_place() {
    let inner = Value::from(json!({"b": 1}));
    let data = Value::from(json!({"x": 0}));
    let Value::Map(map) = &data else {
        unreachable!()
    };
    map.insert("a".into(), inner.clone());
    let frozen = data.into_frozen();
    // The other holder changes its map outside any render: the frozen data must not follow.
    let Value::Map(held) = &inner else {
        unreachable!()
    };
    held.insert("b".into(), Value::from(2));
    let engine = engine(&[("read", "{{.a.b}}")]);
    assert_eq!(engine.render("read", &frozen).unwrap(), "1");
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        (-5i64..5).prop_map(serde_json::Value::from),
        "[a-z]{0,3}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-c]", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn into_frozen_holds_what_freeze_holds(json in json_value()) {
        let value = Value::from(json.clone());
        prop_assert_eq!(value.freeze().to_json(), json.clone());
        prop_assert_eq!(value.into_frozen().to_json(), json);
    }
}

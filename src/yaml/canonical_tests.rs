//! The canonical writer against serde-saphyr: the same bytes wherever it answers, and an
//! answer for the shapes manifests are made of.

use super::*;
use proptest::prelude::*;
use serde_json::json;

fn slow(value: &Value) -> String {
    serde_saphyr::to_string(value).expect("a JSON value serializes")
}

/// When the writer answers, serde-saphyr writes the same bytes.
fn agree(value: &Value) {
    if let Some(fast) = write(value) {
        assert_eq!(
            fast,
            slow(value),
            "writer and serde-saphyr differ on {value:#}"
        );
    }
}

#[test]
fn a_deployment_takes_the_fast_path_and_matches() {
    let doc = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app.kubernetes.io/name": "web", "on": "off", "version": "1.0"}},
        "spec": {
            "replicas": 3,
            "template": {"spec": {"containers": [{
                "name": "web",
                "image": "registry/web:1.2.3",
                "args": ["--port=80", "-v", "a: b", "x #y", "", "yes", "0123", "2001-01-01"],
                "ports": [{"containerPort": 8080, "name": "http"}],
                "resources": {},
                "env": [{"name": "A", "value": null}, {"name": "B", "value": true}],
                "command": [],
                "weight": 0.5,
                "nested": [{"deeper": [{"x": 1}], "y": {}}],
            }]}},
        },
        "data": {
            "script.sh": "#!/bin/sh\necho hi\n",
            "stripped": "a\nb",
            "kept": "a\n\n\n",
            "indented": "  first\nsecond\n",
            "only-newlines": "\n\n",
            "tabs": "\tx\ny\n",
            "not-block-safe": "a\rb\n",
        },
    });
    assert!(
        write(&doc).is_some(),
        "a manifest's shapes take the fast path"
    );
    agree(&doc);
}

#[test]
fn shapes_it_does_not_lay_out_go_to_serde_saphyr() {
    for value in [
        json!("scalar"),
        json!({}),
        json!([]),
        json!({"a": [[1, 2]]}),
        json!({"a": ["multi\nline\n"]}),
        json!({"a": "x ".repeat(50)}),
    ] {
        assert_eq!(write(&value), None, "{value}");
    }
}

/// Strings chosen to hit every quoting rule: YAML 1.1 booleans and numbers, indicators,
/// comment and mapping markers, control characters, unicode, edges with white space.
fn nasty_string() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "true",
            "False",
            "yes",
            "No",
            "y",
            "N",
            "on",
            "OFF",
            "nan",
            ".nan",
            "inf",
            "-.inf",
            "+inf",
            "0",
            "-1",
            "+1",
            "0123",
            "0x1F",
            "0o7",
            "0b101",
            "1_000",
            "1e3",
            "1.10",
            ".5",
            "1:20",
            "1:20:30",
            "2001-12-14",
            "2001-12-14t21:59:43.10-05:00",
            "<<",
            "=",
            "-",
            "?",
            ".",
            "#",
            "--- x",
            "...",
            "- a",
            "? b",
            "a: b",
            "a:",
            "a #b",
            "a#b",
            "http://x:80/y",
            "[a]",
            "{a}",
            "*x",
            "&x",
            "!x",
            "|x",
            ">x",
            "'x'",
            "\"x\"",
            "%x",
            "@x",
            "`x",
            ",x",
            "a,b",
            "é",
            "日本",
            "a\u{2028}b",
            "\u{FEFF}x",
            "a\tb",
            "a\u{7}b",
            "a\u{85}b",
            " a",
            "a ",
            "a\n",
            "\n",
            "a\nb",
            "  a\nb\n",
            "a\n\n",
            "a\r\nb",
            "\\",
            "x\\y",
            "a\"b",
            "a'b",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z0-9 :#./_-]{0,12}",
        "[a-z][a-z0-9./-]{0,8}",
        "[ -~]{0,100}",
        "( |a|:|#|-|\n|\t|é){0,20}",
        any::<String>(),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![3 => "[a-z][a-zA-Z0-9./-]{0,10}", 1 => nasty_string()]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => (-1e9f64..1e9).prop_map(Value::from),
        4 => nasty_string().prop_map(Value::String),
    ]
}

fn tree() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_writer_matches_serde_saphyr_byte_for_byte(value in tree()) {
        agree(&value);
    }
}

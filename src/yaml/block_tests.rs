//! The block reader's tests: the fleet's shapes, what it leaves to the other paths, and a
//! differential proptest against serde-saphyr.

use super::*;
use proptest::prelude::*;

fn slow(text: &str) -> Result<Value, String> {
    super::super::parse_value_slow(text).map_err(|e| e.message)
}

/// When this reader answers, serde-saphyr gives the same value.
fn agree(text: &str) {
    if let Some(fast) = parse(text) {
        assert_eq!(
            Ok(fast),
            slow(text),
            "block reader and serde-saphyr differ on:\n{text}"
        );
    }
}

#[test]
fn the_fleet_shapes_take_the_block_path() {
    let doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web # the name\n  labels:\n    app.kubernetes.io/version: \"1.0\"\n    on: off\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: web\n          image: \"r/web:1\"\n          ports:\n            - name: http\n              containerPort: 8080\n          securityContext:\n            capabilities:\n              drop: [\"ALL\"]\n          resources:\n            limits: {cpu: 500m, memory: '512Mi'}\n          command: [\"/bin/sh\", \"-c\", \"sleep 15\"]\n          env:\n          - name: X\n            value: |\n              multi\n\n              line\n          - name: \"Y\"\n            value: |-\n              first\n                more indented\n          - name: Z\n            value:\n          args: []\n          extra: {}\n# trailing comment\n";
    let fast = parse(doc).expect("the fleet's YAML takes the block path");
    assert_eq!(Ok(fast), slow(doc));
}

#[test]
fn anything_it_is_unsure_of_goes_elsewhere() {
    for text in [
        "a: b # c\n  d\n",
        "a: >\n  folded\n",
        "a: |2\n   x\n",
        "a: |+\n  x\n\n",
        "a: \"x\\\n  y\"\n",
        "a: [[1]]\n",
        "a: [1, ]\n",
        "a: &x 1\n",
        "- a\nb: 1\n",
        "a: 1\n  b: 2\n",
        "a:\n  - b\n - c\n",
        "a: 1\na: 2\n",
        "a: b: c\n",
        "a: 1",
        "a: \"\\N\"\n",
        "scalar\n",
        "a: |\nx\n",
    ] {
        assert_eq!(parse(text), None, "{text:?}");
    }
}

#[test]
fn quoted_and_literal_items_take_the_block_path() {
    let doc = "args:\n  - \"--port=80\"\n  - 'x' # c\n  - \"a\": 1\n    b: 2\n  - |\n    line one\n    line two\n  - |-\n    last\nafter: 1\n";
    let fast = parse(doc).expect("quoted and literal items take the block path");
    assert_eq!(Ok(fast), slow(doc));
}

#[test]
fn a_sequence_may_sit_at_its_keys_indent() {
    let text = "a:\n- 1\n- b: 2\n  c: [x]\nd: e\n";
    assert_eq!(
        parse(text),
        Some(serde_json::json!({"a": [1, {"b": 2, "c": ["x"]}], "d": "e"}))
    );
    agree(text);
}

fn scalar_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(
            &[
                "on",
                "No",
                "~",
                "null",
                "0",
                "-7",
                "0123",
                "0x1F",
                "1e3",
                ".5",
                "12:30",
                "2001-12-14",
                "100m",
                "a b",
                "a#b",
                "a #b",
                "x: y",
                "x:",
                "-",
                "- x",
                "?",
                "a[0]",
                "{a}",
                "'q'",
                "\"q\"",
                "",
                " ",
                "é",
                "\\",
                "\\n",
            ][..]
        )
        .prop_map(str::to_string),
        "[a-zA-Z0-9 ._:/#'\"\\\\-]{0,10}",
    ]
}

/// A scalar written plain, single- or double-quoted, or as a one-line flow list.
fn leaf() -> impl Strategy<Value = String> {
    (prop::collection::vec(scalar_text(), 1..3), 0..5u8).prop_map(|(s, style)| match style {
        0 => s[0].clone(),
        1 => format!("'{}'", s[0].replace('\'', "''")),
        2 => serde_json::to_string(&s[0]).unwrap(),
        3 => format!(
            "[{}]",
            s.iter()
                .map(|x| serde_json::to_string(x).unwrap())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => format!("[{}]", s.join(", ")),
    })
}

/// A node to put after `key:` or `-`: (text on the same line, lines below, indented by 2).
fn node() -> impl Strategy<Value = (String, Vec<String>)> {
    let leaf = prop_oneof![
        4 => leaf().prop_map(|s| (s, Vec::new())),
        1 => (prop::collection::vec("[a-z #]{0,6}", 1..4), any::<bool>()).prop_map(
            |(lines, strip)| (if strip { "|-" } else { "|" }.to_string(), lines)
        ),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        let entry = ("[a-z][a-z0-9.]{0,5}", inner.clone(), any::<bool>());
        prop_oneof![
            prop::collection::vec(entry, 1..4).prop_map(|entries| {
                let mut lines = Vec::new();
                for (key, (head, below), comment) in entries {
                    lines.push(format!(
                        "{key}: {head}{}",
                        if comment { " # c" } else { "" }
                    ));
                    lines.extend(below.iter().map(|l| format!("  {l}")));
                }
                (String::new(), lines)
            }),
            prop::collection::vec((inner, any::<bool>()), 1..4).prop_map(|items| {
                let mut lines = Vec::new();
                for ((head, below), compact) in items {
                    if compact && head.is_empty() && !below.is_empty() {
                        // `- key: value`, the rest of the mapping under it
                        lines.push(format!("- {}", below[0]));
                        lines.extend(below[1..].iter().map(|l| format!("  {l}")));
                    } else {
                        lines.push(format!("- {head}"));
                        lines.extend(below.iter().map(|l| format!("  {l}")));
                    }
                }
                (String::new(), lines)
            }),
        ]
    })
}

fn document() -> impl Strategy<Value = String> {
    node().prop_map(|(head, below)| {
        let mut text = format!("root: {head}\n");
        for line in below {
            text.push_str(&format!("  {line}\n"));
        }
        text
    })
}

#[test]
fn the_generated_documents_mostly_take_the_block_path() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut fast, mut total) = (0, 0);
    for _ in 0..300 {
        let text = document().new_tree(&mut runner).unwrap().current();
        if slow(&text).is_ok() {
            total += 1;
            fast += usize::from(parse(&text).is_some());
        }
    }
    // The generator writes many scalars this reader leaves alone on purpose (`#`, `: `).
    assert!(
        fast * 4 >= total,
        "only {fast} of {total} took the block path"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn block_reader_and_serde_saphyr_agree(text in document()) {
        agree(&text);
    }
}

proptest! {
    /// The one-pass cut of a plain scalar gives what the two substring searches gave.
    #[test]
    fn plain_text_cuts_as_the_substring_searches_cut(text in "[a #:]{1,12}") {
        let searched = {
            let cut = match text.find(" #") {
                Some(at) => text[..at].trim_end_matches(' '),
                None => text.as_str(),
            };
            (!(cut.ends_with(':') || cut.contains(": "))).then_some(cut)
        };
        prop_assert_eq!(plain_text(&text), searched);
    }
}

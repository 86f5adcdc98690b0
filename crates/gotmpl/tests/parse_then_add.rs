//! Parsing texts on several threads ([`Engine::parse_text`]) and adding them in order
//! ([`Engine::add_parsed`]) answers as adding them one after another ([`Engine::add_template`]):
//! the same templates, the same output for each, and the same first error.

use gotmpl::{Engine, Value};
use proptest::prelude::*;

/// A text that defines some of a few shared names (sometimes with an empty body, which does
/// not replace an earlier definition) and calls some of them.
fn text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        r#"{{ define "a" }}A1{{ end }}"#,
        r#"{{ define "a" }}A2{{ end }}"#,
        r#"{{ define "a" }}{{ end }}"#,
        r#"{{ define "b" }}B{{ template "a" . }}{{ end }}"#,
        r#"{{ define "b" }} {{ end }}"#,
        r#"{{ define "c" }}C{{ .x }}{{ end }}"#,
        r#"{{ template "a" . }}"#,
        r#"{{ template "c" . }}"#,
        "text ",
        "{{ .x }}",
        "{{ if .x }}",
        "{{ end }}",
        "{{ .x | }}",
    ]);
    prop::collection::vec(piece, 0..6).prop_map(|p| p.concat())
}

/// Each template's name and what it renders (or its error), in name order.
fn outputs(engine: &Engine) -> Vec<(String, String)> {
    let data = Value::from(serde_json::json!({"x": 1}));
    engine
        .template_names()
        .into_iter()
        .map(|name| {
            let out = engine.render(name, &data);
            let out = out.unwrap_or_else(|e| format!("error: {e}"));
            (name.to_string(), out)
        })
        .collect()
}

proptest! {
    #[test]
    fn parsing_on_threads_then_adding_in_order_is_adding_in_turn(
        texts in prop::collection::vec(text(), 1..8)
    ) {
        let names: Vec<String> = (0..texts.len()).map(|i| format!("t{i}")).collect();

        let mut in_turn = Engine::new();
        let mut first_error = None;
        for (name, text) in names.iter().zip(&texts) {
            if let Err(e) = in_turn.add_template(name, text) {
                first_error = Some(e.to_string());
                break;
            }
        }

        let mut split = Engine::new();
        let parsed: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = names
                .iter()
                .zip(&texts)
                .map(|(name, text)| {
                    let engine = &split;
                    scope.spawn(move || engine.parse_text(name, text))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut split_error = None;
        for parsed in parsed {
            match parsed {
                Ok(parsed) => split.add_parsed(parsed),
                Err(e) => {
                    split_error = Some(e.to_string());
                    break;
                }
            }
        }

        prop_assert_eq!(first_error, split_error);
        prop_assert_eq!(outputs(&in_turn), outputs(&split));
    }
}

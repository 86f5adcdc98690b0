//! A text parsed once and added under other names ([`Engine::parse_source`] and
//! [`Engine::add_parsed`], how bosun parses each subchart's copy of a shared library once)
//! renders as the text added under that name would: every case of the table (`cases.rs`)
//! gives its expected output, errors and their locations included, when its template was
//! parsed under another name first.

mod case_engine;
mod case_table;

use std::sync::Arc;

use case_table::Case;
use gotmpl::{Engine, Value};

/// The case's template parsed under another name, then added under the case's: its output,
/// or the error the usual path gives when the text does not parse (an error there names the
/// name it was parsed under, and a host parses a text under the first name that has it).
fn run_shared(case: &Case) -> String {
    let (mut engine, data, name) = case_engine::setup(case);
    let parsed = match engine.parse_source("first", Arc::from(case.template.as_str())) {
        Ok(parsed) => parsed,
        Err(_) => return case_engine::run(case),
    };
    engine.add_parsed("first", &parsed);
    engine.add_parsed(name, &parsed);
    match engine.render(name, &data) {
        Ok(out) => out,
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn every_case_renders_the_same_from_a_text_parsed_under_another_name() {
    case_table::run_all(env!("CARGO_MANIFEST_DIR"), run_shared);
}

#[test]
fn an_error_in_a_shared_text_names_the_template_that_ran() {
    let mut engine = Engine::new();
    let text: Arc<str> = Arc::from("ok\n{{ .a.b }}");
    let parsed = engine.parse_source("one/_helpers.tpl", text).unwrap();
    engine.add_parsed("one/_helpers.tpl", &parsed);
    engine.add_parsed("two/_helpers.tpl", &parsed);
    let data = Value::from(serde_json::json!({"a": 1}));
    let error = engine.render("two/_helpers.tpl", &data).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("template: two/_helpers.tpl:2:5:"),
        "{message}"
    );
}

#[test]
fn a_shared_texts_definitions_are_added_with_each_name() {
    let mut engine = Engine::new();
    let text: Arc<str> =
        Arc::from(r#"{{ define "who" }}{{ .name }}{{ end }}[{{ template "who" . }}]"#);
    let parsed = engine.parse_source("a", text).unwrap();
    engine.add_parsed("a", &parsed);
    engine.add_parsed("b", &parsed);
    let data = Value::from(serde_json::json!({"name": "x"}));
    assert_eq!(engine.render("b", &data).unwrap(), "[x]");
    assert_eq!(engine.template_names(), ["a", "b", "who"]);
}

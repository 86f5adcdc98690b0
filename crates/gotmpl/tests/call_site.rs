//! `Context::call_site`: where a host function was called from, counted per render.

use gotmpl::{Engine, Value};

fn engine() -> Engine {
    let mut engine = Engine::new();
    engine.add_function("site", |ctx, _| {
        let site = ctx.call_site().expect("called from a template");
        Ok(Value::from(format!(
            "{}|{}@{}#{}",
            site.root, site.template, site.offset, site.occurrence
        )))
    });
    engine
        .add_template("helpers", r#"{{ define "h" }}{{ site }}{{ end }}"#)
        .unwrap();
    engine
}

#[test]
fn a_call_site_is_the_root_the_text_the_offset_and_the_occurrence() {
    let mut engine = engine();
    engine
        .add_template(
            "a.yaml",
            r#"{{ site }} {{ range . }}{{ site }} {{ end }}{{ template "h" }} {{ template "h" }}"#,
        )
        .unwrap();
    let two = Value::list(vec![Value::from(1i64), Value::from(2i64)]);
    let out = engine.render("a.yaml", &two).unwrap();
    assert_eq!(
        out,
        "a.yaml|a.yaml@3#0 a.yaml|a.yaml@27#0 a.yaml|a.yaml@27#1 a.yaml|helpers@19#0 a.yaml|helpers@19#1"
    );
}

#[test]
fn occurrences_start_again_on_every_render() {
    let mut engine = engine();
    engine
        .add_template("b.yaml", r#"{{ template "h" }}"#)
        .unwrap();
    let first = engine.render("b.yaml", &Value::Nil).unwrap();
    assert_eq!(first, engine.render("b.yaml", &Value::Nil).unwrap());
    assert_eq!(first, "b.yaml|helpers@19#0");
}

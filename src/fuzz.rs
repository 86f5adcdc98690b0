//! The properties the fuzz targets (fuzz/) check, kept in the library so the regression tests
//! ([`regressions`]) can replay every input the fuzzers ever found (tests/fixtures/fuzz/<target>/)
//! without libFuzzer. Each function must return normally for any input: a panic is a bug.
//!
//! Fuzz-only code: compiled for `cargo fuzz` (`--cfg fuzzing`) and for the crate's own tests,
//! never into bosun itself.

use crate::error::Error;
use crate::manifest::{self, RenderedTemplate};
use crate::values::set::{self, SetKind};
use crate::yaml;

#[cfg(test)]
mod regressions;

/// Values files: parsing with lines and without must agree on whether the text is valid.
pub fn values(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let located = yaml::parse_located("fuzz.yaml", text);
    let plain = yaml::parse_value_slow(text);
    if let (Ok(_), Err(e)) = (&located, &plain) {
        // A text that reads with lines must read without them too.
        panic!("read with lines but not without: {e}");
    }
    if let Ok(tree) = located {
        let _ = crate::values::read_values_file("fuzz.yaml", text, true);
        drop(tree);
    }
}

/// `--set` arguments: every kind parses or fails with a syntax error, never anything else.
pub fn set(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for kind in [
        SetKind::Typed,
        SetKind::String,
        SetKind::Json,
        SetKind::File,
    ] {
        match set::parse(kind, text) {
            Ok(assignments) => assert!(!assignments.is_empty(), "parsed `{text}` into nothing"),
            Err(Error::SetSyntax { position, .. }) => assert!(position <= text.len()),
            Err(other) => panic!("not a syntax error: {other}"),
        }
    }
}

/// Document splitting and parsing: the fast read path agrees with serde-saphyr wherever it
/// answers, and the splitter never loses or invents text.
pub fn documents(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for (_, part) in manifest::split(text) {
        assert!(text.contains(part));
        if let Some(fast) = yaml::fast_parse(part) {
            match yaml::parse_value_slow(part) {
                Ok(slow) => assert_eq!(fast, slow, "fast and slow paths differ on {part:?}"),
                Err(e) => panic!("the fast path read what serde-saphyr refuses ({e}): {part:?}"),
            }
        }
    }
    let template = RenderedTemplate {
        source: "fuzz/templates/t.yaml".into(),
        shown: "t.yaml".into(),
        text: text.to_string(),
    };
    let _ = manifest::parse(std::slice::from_ref(&template), None);
}

/// The render pipeline: a template (the input) rendered with fixed values, then parsed. Any
/// outcome but a panic is fine; limits keep it from hanging.
pub fn render(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let mut env = crate::render::jinja::environment();
    env.set_fuel(Some(200_000));
    let values = serde_json::json!({"name": "web", "replicas": 2, "tags": ["a", "b"], "on": true});
    let context =
        minijinja::context! { values => minijinja::Value::from(minijinja::value::Serde(&values)) };
    if let Ok(text) = env.render_str(source, context) {
        documents(text.as_bytes());
    }
}

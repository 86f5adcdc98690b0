//! sprig's behaviour as a table: every `tests/cases/*.txt` file holds cases of the form
//!
//! ```text
//! === name [helm]
//! data as JSON
//! ---
//! template
//! ---
//! expected output, or `error: ` and the error as Helm prints it
//! ```
//!
//! Every case runs as Helm runs a template (`missingkey=zero`, `<no value>` removed, numbers
//! in the data as `float64`, template name `gotpl`) with sprig's functions registered and a
//! fixed random seed. A case marked `helm` was checked against a real helm with
//! `../gotmpl/scripts/check_with_helm.py`; the random functions' cases test properties (length,
//! alphabet) so that they hold for helm's randomness too.

#[path = "../../gotmpl/tests/case_table/mod.rs"]
mod case_table;

use case_table::Case;
use gotmpl::{Engine, Options, Value};

fn run(case: &Case) -> String {
    // sprig's cases all run as Helm runs templates, so each can be checked against helm.
    assert!(
        case.helm,
        "{}: case {} is not marked helm",
        case.file, case.name
    );
    let json: serde_json::Value = if case.data.trim().is_empty() {
        serde_json::json!({})
    } else {
        serde_json::from_str(&case.data)
            .unwrap_or_else(|e| panic!("{}: case {}: bad JSON: {e}", case.file, case.name))
    };
    let mut engine = Engine::with_options(Options::helm());
    sprig::register_with(
        &mut engine,
        &sprig::Options {
            seed: Some(7),
            ..Default::default()
        },
    );
    let data = Value::from_json_as_float64(&json);
    let result = engine
        .add_template("gotpl", &case.template)
        .and_then(|()| engine.render("gotpl", &data));
    match result {
        Ok(out) => out,
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn cases() {
    case_table::run_all(env!("CARGO_MANIFEST_DIR"), run);
}

//! The engine, data and template name a case of the table runs with (see `cases.rs`), shared
//! by the tests that run the table.

use gotmpl::{Engine, Options, Param, Signature, Value};

use crate::case_table::Case;

/// The engine for `case`, its data and the template name it is added under.
pub fn setup(case: &Case) -> (Engine, Value, &'static str) {
    let json: serde_json::Value = if case.data.trim().is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(&case.data)
            .unwrap_or_else(|e| panic!("{}: case {}: bad JSON: {e}", case.file, case.name))
    };
    let (mut engine, data, name) = if case.helm {
        (
            Engine::with_options(Options::helm()),
            Value::from_json_as_float64(&json),
            "gotpl",
        )
    } else {
        (Engine::new(), Value::from(&json), "t")
    };
    engine.add_function_with_signature(
        "indent",
        Signature::new(&[Param::Int, Param::String]),
        |_, args| {
            let (Value::Int(spaces), Value::String(text)) = (&args[0], &args[1]) else {
                unreachable!("the signature guarantees the types");
            };
            let pad = " ".repeat(usize::try_from(*spaces).unwrap_or(0));
            Ok(Value::from(format!(
                "{pad}{}",
                text.replace('\n', &format!("\n{pad}"))
            )))
        },
    );
    (engine, data, name)
}

/// What `case` gives the usual way: its template added and rendered, or the error either
/// step gives.
pub fn run(case: &Case) -> String {
    let (mut engine, data, name) = setup(case);
    let result = engine
        .add_template(name, &case.template)
        .and_then(|()| engine.render(name, &data));
    match result {
        Ok(out) => out,
        Err(e) => format!("error: {e}"),
    }
}

//! The table of Go behaviour: every `tests/cases/*.txt` file holds cases of the form
//!
//! ```text
//! === name [helm]
//! data as JSON
//! ---
//! template
//! ---
//! expected output, or `error: ` and the error as Go prints it
//! ```
//!
//! A case marked `helm` runs as Helm runs templates: `missingkey=zero`, `<no value>` removed,
//! numbers in the data as `float64`, template name `gotpl` (the name Helm's `tpl` uses, so the
//! case can be checked against a real helm). Other cases use Go's defaults, JSON integers as
//! `int`, and the template name `t`.
//!
//! Every engine also has `indent`, declared as sprig declares it in Go (`func(int, string)
//! string`), so the cases can pin Go's argument checks for typed host functions.

mod case_table;

use case_table::Case;
use gotmpl::{Engine, Options, Param, Signature, Value};

fn run(case: &Case) -> String {
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
    let result = engine
        .add_template(name, &case.template)
        .and_then(|()| engine.render(name, &data));
    match result {
        Ok(out) => out,
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn cases() {
    case_table::run_all(env!("CARGO_MANIFEST_DIR"), run);
}

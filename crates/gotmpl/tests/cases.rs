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

mod case_engine;
mod case_table;

#[test]
fn cases() {
    case_table::run_all(env!("CARGO_MANIFEST_DIR"), case_engine::run);
}

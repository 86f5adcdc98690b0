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

use std::fs;
use std::path::Path;

use gotmpl::{Engine, Options, Param, Signature, Value};

struct Case {
    file: String,
    name: String,
    helm: bool,
    data: String,
    template: String,
    expected: String,
}

fn parse_cases(file: &str, text: &str) -> Vec<Case> {
    // A case starts at a line `=== name`; its body is every line up to the next one, so an
    // expected output that ends with a newline ends with an empty line.
    let mut cases = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    for line in text.lines().chain(std::iter::once("=== ")) {
        if let Some(header) = line.strip_prefix("=== ") {
            if let Some((header, body)) = current.take() {
                cases.push(make_case(file, &header, &body.join("\n")));
            }
            current = Some((header.to_string(), Vec::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push(line);
        }
    }
    cases
}

fn make_case(file: &str, header: &str, body: &str) -> Case {
    let mut words = header.split_whitespace();
    let name = words.next().unwrap_or_default().to_string();
    let helm = words.any(|w| w == "helm");
    let parts: Vec<&str> = body.splitn(3, "\n---\n").collect();
    assert_eq!(
        parts.len(),
        3,
        "{file}: case {name} needs data, template and expected output"
    );
    Case {
        file: file.to_string(),
        name,
        helm,
        data: parts[0].to_string(),
        template: parts[1].to_string(),
        expected: parts[2].to_string(),
    }
}

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
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
    {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(path).unwrap();
        for case in parse_cases(&file, &text) {
            count += 1;
            let got = run(&case);
            if got != case.expected {
                failures.push(format!(
                    "{}: {}\n  template: {:?}\n  expected: {:?}\n  got:      {:?}",
                    case.file, case.name, case.template, case.expected, got
                ));
            }
        }
    }
    assert!(count >= 1, "no cases found");
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

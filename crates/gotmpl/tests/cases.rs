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

use std::fs;
use std::path::Path;

use gotmpl::{Engine, Options, Value};

struct Case {
    file: String,
    name: String,
    helm: bool,
    data: String,
    template: String,
    expected: String,
}

fn parse_cases(file: &str, text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    for chunk in text
        .split("\n=== ")
        .map(|c| c.strip_prefix("=== ").unwrap_or(c))
    {
        if chunk.trim().is_empty() {
            continue;
        }
        let (header, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
        let mut words = header.split_whitespace();
        let name = words.next().unwrap_or_default().to_string();
        let helm = words.any(|w| w == "helm");
        let parts: Vec<&str> = body.splitn(3, "\n---\n").collect();
        assert_eq!(
            parts.len(),
            3,
            "{file}: case {name} needs data, template and expected output"
        );
        let expected = parts[2].strip_suffix('\n').unwrap_or(parts[2]);
        cases.push(Case {
            file: file.to_string(),
            name,
            helm,
            data: parts[0].to_string(),
            template: parts[1].to_string(),
            expected: expected.to_string(),
        });
    }
    cases
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

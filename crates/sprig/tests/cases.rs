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

use std::fs;
use std::path::Path;

use gotmpl::{Engine, Options, Value};

struct Case {
    file: String,
    name: String,
    data: String,
    template: String,
    expected: String,
}

fn parse_cases(file: &str, text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    for line in text.lines().chain(std::iter::once("=== ")) {
        if let Some(header) = line.strip_prefix("=== ") {
            if let Some((header, body)) = current.take() {
                let name = header.split_whitespace().next().unwrap_or_default();
                let parts: Vec<&str> = body.join("\n").leak().splitn(3, "\n---\n").collect();
                assert_eq!(parts.len(), 3, "{file}: case {name} needs three parts");
                cases.push(Case {
                    file: file.to_string(),
                    name: name.to_string(),
                    data: parts[0].to_string(),
                    template: parts[1].to_string(),
                    expected: parts[2].to_string(),
                });
            }
            current = Some((header.to_string(), Vec::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push(line);
        }
    }
    cases
}

fn run(case: &Case) -> String {
    let json: serde_json::Value = if case.data.trim().is_empty() {
        serde_json::json!({})
    } else {
        serde_json::from_str(&case.data)
            .unwrap_or_else(|e| panic!("{}: case {}: bad JSON: {e}", case.file, case.name))
    };
    let mut engine = Engine::with_options(Options::helm());
    sprig::register_with(&mut engine, &sprig::Options { seed: Some(7) });
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
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in &files {
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

//! The case-table format shared by gotmpl's and sprig's tests (sprig includes this file by
//! path): cases of the form
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
//! and the loop that runs every `tests/cases/*.txt` of a crate and reports every case that
//! differs at once.

use std::fs;
use std::path::Path;

pub struct Case {
    pub file: String,
    pub name: String,
    pub helm: bool,
    pub data: String,
    pub template: String,
    pub expected: String,
}

pub fn parse_cases(file: &str, text: &str) -> Vec<Case> {
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

/// Runs every case under `crate_dir/tests/cases` through `run` and fails listing every case
/// whose output differs from the expected one.
pub fn run_all(crate_dir: &str, run: impl Fn(&Case) -> String) {
    let dir = Path::new(crate_dir).join("tests/cases");
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

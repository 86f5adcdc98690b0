//! The Jinja text filters (src/render/jinja/functions.rs) borrow their input text and write
//! their answer in one buffer. These tests hold them to the answers of the plain algorithms
//! they replaced, on awkward text: empty, blank lines, a trailing newline, non-ASCII, and
//! values that are not strings.

use serde_json::Value;
use sha2::Digest as _;

use crate::{fixture, root, run_ok};

/// The text a filter reads from a value: strings as they are, others as JSON or as printed.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(_) | Value::Object(_) => serde_json::to_string(value).unwrap(),
        other => other.to_string(),
    }
}

/// Helm's `indent`: every non-empty line gets `width` spaces.
fn indent(text: &str, width: usize) -> String {
    text.split('\n')
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("{}{line}", " ".repeat(width))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn sha256_hex(text: &str) -> String {
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn text_filters_answer_as_the_plain_algorithms_do() {
    let chart = fixture("jinja-text-filters");
    let values: Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root().join(&chart).join("values.yaml")).unwrap(),
    )
    .unwrap();
    let inputs: Vec<&Value> = values["texts"]
        .as_array()
        .unwrap()
        .iter()
        .chain(values["others"].as_array().unwrap())
        .collect();
    assert!(inputs.len() >= 10, "the fixture's values did not read");
    let rendered: Value = serde_json::from_str(&run_ok([
        "render",
        &chart,
        "--no-validate",
        "--no-save",
        "-o",
        "json",
    ]))
    .unwrap();
    let data = &rendered["items"][0]["data"];
    for (i, input) in inputs.iter().enumerate() {
        let text = text_of(input);
        // Each answer went through `tojson`, a double-quoted YAML string: it reads back exact.
        let got = |filter: &str| -> String {
            data[format!("{filter}-{i}")]
                .as_str()
                .unwrap_or_else(|| panic!("no {filter}-{i} in {data}"))
                .to_string()
        };
        assert_eq!(got("sha"), sha256_hex(&text), "sha256sum of {input}");
        assert_eq!(got("indent"), indent(&text, 3), "indent(3) of {input}");
        assert_eq!(
            got("nindent"),
            format!("\n{}", indent(&text, 2)),
            "nindent(2) of {input}"
        );
        assert_eq!(
            got("quote"),
            serde_json::to_string(&text).unwrap(),
            "quote of {input}"
        );
        let yaml = got("yaml");
        assert!(
            !yaml.ends_with('\n'),
            "toyaml kept a trailing newline: {yaml:?}"
        );
        // A string ending in a newline is a block scalar whose last line the trimming takes
        // (as it did before): only the others read back whole.
        if !text.ends_with('\n') {
            let back: Value = serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(back["k"], **input, "toyaml of {input} reads back as {back}");
        }
    }
}

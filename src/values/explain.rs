//! `bosun values --explain`: every leaf with the file:line or flag it came from.

use crate::values::Node;

/// One line per leaf, `path: value` (as compact JSON), its origin aligned after `#`.
pub fn explain(values: &Node) -> String {
    let lines: Vec<(String, String)> = values
        .leaves()
        .into_iter()
        .map(|(path, value, origin)| {
            // A `Value` prints infallibly as compact JSON.
            let shown = value.to_string();
            (format!("{path}: {shown}"), origin.to_string())
        })
        .collect();
    let width = lines
        .iter()
        .map(|(l, _)| l.len())
        .max()
        .unwrap_or(0)
        .min(60);
    lines
        .into_iter()
        .map(|(line, origin)| format!("{line:width$}  # {origin}\n"))
        .collect()
}

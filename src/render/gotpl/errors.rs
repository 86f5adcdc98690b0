//! A template error as bosun reports it: Go's message whole (what helm prints), the snippet at
//! the innermost place that failed — inside the `define` an `include` ran, or inside the text a
//! `tpl` ran, not at the outer call — and a `help:` line saying what to do and how the render
//! got there.
//!
//! Text given to `tpl` usually comes from values: when its failing line is found once in a
//! values.yaml of the chart tree, the snippet points there; otherwise it draws the text itself,
//! named after the `tpl` call.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::SourceSnippet;

/// Where the texts an error may point into live.
pub(super) struct Sources<'a> {
    /// Template name as parsed → file on disk and its text.
    pub files: &'a HashMap<String, (String, Arc<str>)>,
    /// The file being parsed when parsing fails (it is not in `files` under its text yet).
    pub parsing: Option<(&'a String, &'a Arc<str>)>,
}

impl Sources<'_> {
    /// values.yaml of every chart whose templates are in `files`, and of the charts above
    /// them: where a `tpl` text is looked for (a subchart's often comes from its parents').
    fn values_files(&self) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = Vec::new();
        for (path, _) in self.files.values() {
            let Some(chart) = path.rfind("/templates/").map(|i| Path::new(&path[..i])) else {
                continue;
            };
            let above = chart
                .ancestors()
                .skip(1)
                .step_by(2)
                .take_while(|dir| dir.file_name().is_some_and(|n| n == "charts"))
                .filter_map(Path::parent);
            for dir in std::iter::once(chart).chain(above) {
                let values = dir.join("values.yaml");
                if !found.contains(&values) {
                    found.push(values);
                }
            }
        }
        found.sort();
        found
    }
}

/// The errors `error` is made of, outermost first, and the index of the innermost one that
/// knows where it happened.
fn chain(error: &gotmpl::Error) -> (Vec<&gotmpl::Error>, usize) {
    let chain: Vec<&gotmpl::Error> = std::iter::successors(Some(error), |e| e.cause()).collect();
    let innermost = chain
        .iter()
        .rposition(|e| e.location().is_some())
        .unwrap_or(0);
    (chain, innermost)
}

/// The innermost line that failed, with a caret.
pub(super) fn snippet(error: &gotmpl::Error, sources: &Sources) -> Option<SourceSnippet> {
    let (chain, innermost) = chain(error);
    place(&chain, innermost, sources)
}

/// What to do about it, and the `include`s and `tpl`s it failed inside.
pub(super) fn help(error: &gotmpl::Error, sources: &Sources) -> Option<String> {
    let (chain, innermost) = chain(error);
    advice(&chain, innermost, sources)
}

/// The file (path, text) a location's line counts in, when the text is a chart file's.
fn file_of<'a>(at: &gotmpl::Location, sources: &Sources<'a>) -> Option<(&'a str, &'a str)> {
    let same = |(path, text): (&'a String, &'a Arc<str>)| {
        (**text == *at.text).then_some((path.as_str(), &**text))
    };
    sources
        .files
        .get(&at.parse_name)
        .and_then(|(path, text)| same((path, text)))
        .or_else(|| sources.parsing.and_then(same))
}

/// `path:line:column` of a location in a chart file.
fn shown(at: &gotmpl::Location, sources: &Sources) -> Option<String> {
    file_of(at, sources).map(|(path, _)| format!("{path}:{}:{}", at.line, at.column + 1))
}

fn place(chain: &[&gotmpl::Error], index: usize, sources: &Sources) -> Option<SourceSnippet> {
    let error = chain[index];
    let at = error.location()?;
    let column = at.column + 1;
    let label = error.message();
    if let Some((path, text)) = file_of(at, sources) {
        return Some(SourceSnippet::new(path, text, at.line, column, 1, label));
    }
    // Text parsed at run time: `tpl`'s, usually from values. Only its failing line is shown:
    // the lines around it may hold a value that must not be printed.
    let line = at.text.lines().nth(at.line.saturating_sub(1)).unwrap_or("");
    if let Some((path, line_no, start, found)) = find_in_values(line, &sources.values_files()) {
        return Some(SourceSnippet::in_part(
            path,
            &found,
            line_no,
            line_no,
            start + column,
            1,
            label,
        ));
    }
    let caller = index
        .checked_sub(1)
        .and_then(|i| chain[i].location())
        .and_then(|c| shown(c, sources));
    let name = match caller {
        Some(caller) => format!("`tpl` text (called at {caller})"),
        None => "`tpl` text".to_string(),
    };
    Some(SourceSnippet::in_part(
        name, line, at.line, at.line, column, 1, label,
    ))
}

/// The one values.yaml line holding `line` (a line of a `tpl` text): (path, line number,
/// characters before the match, the line).
fn find_in_values(line: &str, values_files: &[PathBuf]) -> Option<(String, usize, usize, String)> {
    if line.trim().len() < 4 {
        return None;
    }
    let mut found = Vec::new();
    for path in values_files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for (index, candidate) in text.lines().enumerate() {
            if let Some(byte) = candidate.find(line) {
                let start = candidate[..byte].chars().count();
                found.push((
                    path.display().to_string(),
                    index + 1,
                    start,
                    candidate.to_string(),
                ));
            }
        }
    }
    // More than one place: say nothing rather than guess.
    (found.len() == 1).then(|| found.remove(0))
}

fn advice(chain: &[&gotmpl::Error], index: usize, sources: &Sources) -> Option<String> {
    let error = chain[index];
    let message = error.message();
    let what = if error.kind() == gotmpl::ErrorKind::Limit {
        Some("look for a template that includes itself or a loop without end".to_string())
    } else if let Some(field) = message.strip_prefix("nil pointer evaluating interface {}.") {
        let holder = error
            .context()
            .and_then(|c| c.strip_suffix(&format!(".{field}")))
            .filter(|h| !h.is_empty() && !h.contains(' '));
        Some(match holder {
            Some(holder) => format!(
                "`{holder}` is not set, so it has no `{field}`: set it in the values, or guard the use with `if`, `with` or `default`"
            ),
            None => format!(
                "the value holding `{field}` is not set: set it in the values, or guard the use with `if`, `with` or `default`"
            ),
        })
    } else if message.starts_with("function ") && message.ends_with(" not defined") {
        Some(
            "bosun knows Go's template builtins, sprig's functions and Helm's; check the name"
                .into(),
        )
    } else if message.contains("no template ") {
        Some("no `define` of that name in the chart or its subcharts; check the name".into())
    } else if message.starts_with("error calling fail: ")
        || message.starts_with("error calling required: ")
    {
        Some("the chart stops the render on purpose with that message: give it the value it asks for".into())
    } else {
        None
    };
    let through: Vec<String> = chain[..index]
        .iter()
        .filter_map(|outer| {
            let call = outer.context()?;
            let at = outer.location().and_then(|at| shown(at, sources))?;
            Some(format!("`{call}` at {at}"))
        })
        .collect();
    let through =
        (!through.is_empty()).then(|| format!("reached through {}", through.join(", then ")));
    match (what, through) {
        (Some(what), Some(through)) => Some(format!("{what} ({through})")),
        (what, through) => what.or(through),
    }
}

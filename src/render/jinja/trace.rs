//! Which template line wrote each rendered line, for Jinja templates. minijinja keeps no map from
//! output to source, so the template is rendered a second time from instrumented sources: every
//! template line that starts (after its indentation) with literal text gets a marker there,
//! `\u{E000}FILE.LINE\u{E001}` (private-use characters no chart writes), which the render
//! copies to its output wherever that line's text lands — through `include`, `import`ed macros
//! and `indent` alike.
//!
//! Limits: a line that starts with `{{ … }}` or `{% … %}` gets no marker (one would stop `{{-`
//! trimming, or make an empty block non-empty), so a line an expression writes (`toyaml |
//! nindent`) takes the origin of the marked line above it in the output, usually its key's.
//! A line of a multi-line tag, comment or `{% raw %}` block gets none either. Only lines
//! whose text, markers removed, is the text of the real render keep an origin; if the markers
//! changed how many lines were written (a template that measures or hashes its own text),
//! nothing is claimed.

use std::collections::HashMap;

use minijinja::value::Value;

use crate::diagnostics::TemplateLine;
use crate::render::jinja::Engine;
use crate::render::trace::Traced;

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// `real`, the text `engine` rendered for the template `name` with `context`, with the
/// template line of each of its lines where the instrumented render can tell.
pub(super) fn traced(engine: &Engine, name: &str, context: &Value, real: String) -> Traced {
    let mut names: Vec<&String> = engine.sources.keys().collect();
    names.sort();
    let files: Vec<String> = names
        .iter()
        .map(|n| engine.sources[*n].path.display().to_string())
        .collect();
    let instrumented: HashMap<String, String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.to_string(), instrument(i, &engine.sources[*n].source)))
        .collect();
    let mut env = super::environment();
    env.set_loader(move |n| Ok(instrumented.get(n).cloned()));
    // Templates that build data as text and parse it back read it without the markers.
    env.add_filter("fromyaml", |text: &str| {
        super::functions::fromyaml(&unmarked(text))
    });
    env.add_filter("fromjson", |text: &str| {
        super::functions::fromjson(&unmarked(text))
    });
    let lines = env
        .get_template(name)
        .and_then(|t| t.render(context))
        .ok()
        .and_then(|traced| read(&real, &traced, &files))
        .unwrap_or_default();
    let mut sources = HashMap::new();
    for line in lines.iter().flatten() {
        if let Some(i) = files.iter().position(|f| *f == line.file) {
            sources
                .entry(line.file.clone())
                .or_insert_with(|| engine.sources[names[i]].source.to_string());
        }
    }
    Traced {
        text: real,
        lines,
        sources,
    }
}

/// `source` with a marker naming `file` and the line before every line that starts with text.
pub fn instrument(file: usize, source: &str) -> String {
    let mut out = String::with_capacity(source.len() + source.len() / 4);
    let mut inside: Option<&'static str> = None;
    let mut raw = false;
    for (index, line) in source.split_inclusive('\n').enumerate() {
        let body = line.trim_start_matches([' ', '\t']);
        let indent = &line[..line.len() - body.len()];
        out.push_str(indent);
        let starts_with_text = !body.trim().is_empty()
            && !["{{", "{%", "{#"].iter().any(|open| body.starts_with(open));
        if inside.is_none() && !raw && (starts_with_text || expression_then_text(body)) {
            out.push(OPEN);
            out.push_str(&format!("{file}.{}", index + 1));
            out.push(CLOSE);
        }
        out.push_str(body);
        scan(line, &mut inside, &mut raw);
    }
    out
}

/// A line that opens with an expression followed by text on the same line (`{{ key }}: 1`):
/// the line is never empty, so a marker before it changes nothing but where it points.
fn expression_then_text(body: &str) -> bool {
    let Some(rest) = body.strip_prefix("{{") else {
        return false;
    };
    if rest.starts_with(['-', '+']) {
        return false;
    }
    rest.find("}}").is_some_and(|end| {
        let after = rest[end + 2..].trim();
        !after.is_empty() && !after.starts_with('{')
    })
}

/// Follows tags across a line: whether it ends inside a tag (and which closer it waits for),
/// and whether inside `{% raw %}`.
fn scan(line: &str, inside: &mut Option<&'static str>, raw: &mut bool) {
    let mut rest = line;
    loop {
        match *inside {
            Some(close) => match rest.find(close) {
                Some(end) => {
                    *inside = None;
                    rest = &rest[end + close.len()..];
                }
                None => return,
            },
            None => {
                let Some(start) = rest.find('{') else { return };
                let after = &rest[start + 1..];
                let close = match after.chars().next() {
                    Some('{') if !*raw => "}}",
                    Some('%') => "%}",
                    Some('#') if !*raw => "#}",
                    _ => {
                        rest = after;
                        continue;
                    }
                };
                let tag_end = after[1..].find(close).map(|e| e + 1);
                let tag = &after[1..tag_end.unwrap_or(after.len())];
                let word = tag.trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
                if close == "%}" {
                    if word == "raw" {
                        *raw = true;
                    } else if word == "endraw" {
                        *raw = false;
                    } else if *raw {
                        rest = after;
                        continue;
                    }
                }
                match tag_end {
                    Some(end) => rest = &after[end + close.len()..],
                    None => {
                        *inside = Some(close);
                        return;
                    }
                }
            }
        }
    }
}

/// The origins of each line of `real` (split on `\n`), read from `traced`, the same template
/// rendered from instrumented sources; `files` names each marker's file. `None` when the two
/// renders differ in their number of lines.
pub fn read(real: &str, traced: &str, files: &[String]) -> Option<Vec<Option<TemplateLine>>> {
    let real_lines: Vec<&str> = real.split('\n').collect();
    let traced_lines: Vec<&str> = traced.split('\n').collect();
    if real_lines.len() != traced_lines.len() {
        return None;
    }
    let mut last: Option<TemplateLine> = None;
    let origins = real_lines
        .iter()
        .zip(&traced_lines)
        .map(|(real, traced)| {
            let (text, first) = strip(traced, files);
            if first.is_some() {
                last = first;
            }
            (text == *real && !real.trim().is_empty())
                .then(|| last.clone())
                .flatten()
        })
        .collect();
    Some(origins)
}

/// `text` without markers.
fn unmarked(text: &str) -> String {
    strip(text, &[]).0
}

/// A traced line without its markers, and the origin its first marker names.
fn strip(line: &str, files: &[String]) -> (String, Option<TemplateLine>) {
    let mut text = String::with_capacity(line.len());
    let mut first = None;
    let mut rest = line;
    while let Some(start) = rest.find(OPEN) {
        text.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len_utf8()..];
        let Some(end) = after.find(CLOSE) else {
            rest = after;
            continue;
        };
        if first.is_none() {
            first = after[..end].split_once('.').and_then(|(file, line)| {
                Some(TemplateLine {
                    file: files.get(file.parse::<usize>().ok()?)?.clone(),
                    line: line.parse().ok()?,
                })
            });
        }
        rest = &after[end + CLOSE.len_utf8()..];
    }
    text.push_str(rest);
    (text, first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_go_before_text_and_never_inside_tags() {
        let source = "a: 1\n  {{- x }}\n{% raw %}\nb: {{ y }}\n{% endraw %}\n{{ z\n}}\nc: 2\n{{ k }}: v\n{{ k }}\n";
        let out = instrument(3, source);
        let marked: Vec<bool> = out.lines().map(|l| l.contains(OPEN)).collect();
        assert_eq!(
            marked,
            [
                true, false, false, false, false, false, false, true, true, false
            ]
        );
        assert!(
            out.lines()
                .nth(7)
                .unwrap()
                .starts_with("\u{E000}3.8\u{E001}c: 2")
        );
    }

    #[test]
    fn unmarked_lines_take_the_marked_line_above_and_changed_lines_none() {
        let files = vec!["t.yaml".to_string()];
        let traced = "\u{E000}0.1\u{E001}a:\n  b: 1\n\u{E000}0.4\u{E001}c: 9";
        let origins = read("a:\n  b: 1\nc: 8", traced, &files).unwrap();
        let lines: Vec<Option<usize>> =
            origins.iter().map(|o| o.as_ref().map(|o| o.line)).collect();
        assert_eq!(lines, [Some(1), Some(1), None]);
        assert!(read("a", traced, &files).is_none());
    }
}

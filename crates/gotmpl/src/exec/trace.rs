//! An optional record of where each line of a render's output was written: the template and
//! line of the text or action that wrote its first character. Off unless a render asks for it
//! ([`crate::Engine::render_traced`]); when off, the executor pays one branch per write.
//!
//! `{{template}}` writes into the same output, so its lines point into the defined template.
//! `include` (a host function calling [`super::Context::execute_template`]) returns a string the
//! calling action writes, often re-indented (`include "x" . | nindent 4`): each line the action
//! writes takes the origin of the included output's line with the same text, leading and
//! trailing spaces aside, and otherwise the action's own line. Text run through `tpl` is not
//! a template file: its lines point at the action that called `tpl`.

use std::collections::HashMap;

use super::Template;

/// The template and 1-based line that wrote a line of output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    /// The name the template was parsed under (`chart/templates/deployment.yaml`).
    pub template: String,
    pub line: usize,
}

/// One write: where in the output it starts and what wrote it.
#[derive(Clone, Copy)]
struct Mark {
    offset: usize,
    file: usize,
    line: usize,
    /// Literal text: a character after the mark is on `line` plus the newlines before it.
    text: bool,
}

/// The marks of one output buffer, and the line origins of the `include`s run while writing it.
#[derive(Default)]
struct Level {
    marks: Vec<Mark>,
    /// Each included output's lines, trimmed, with their origins (file, line).
    included: HashMap<String, (usize, usize)>,
}

/// What a traced render records, one level per output buffer being written.
#[derive(Default)]
pub(crate) struct Tracer {
    /// Parse names, and each one's line starts.
    files: Vec<(String, Vec<usize>)>,
    /// By the address of the source text: `tpl` parses text under its caller's name.
    index: HashMap<usize, usize>,
    levels: Vec<Level>,
}

impl Tracer {
    pub(crate) fn new() -> Tracer {
        Tracer {
            levels: vec![Level::default()],
            ..Tracer::default()
        }
    }

    fn file(&mut self, tmpl: &Template) -> usize {
        let key = tmpl.source.as_ptr() as usize;
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let starts = std::iter::once(0)
            .chain(tmpl.source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        self.files.push((tmpl.parse_name.clone(), starts));
        self.index.insert(key, self.files.len() - 1);
        self.files.len() - 1
    }

    fn line_of(&self, file: usize, pos: usize) -> usize {
        self.files[file].1.partition_point(|&start| start <= pos)
    }

    /// Records that `tmpl` at byte `pos` wrote `written` at `offset` of the current output.
    pub(crate) fn wrote(
        &mut self,
        tmpl: &Template,
        pos: usize,
        text: bool,
        offset: usize,
        written: &str,
    ) {
        if written.is_empty() {
            return;
        }
        let file = self.file(tmpl);
        let line = self.line_of(file, pos);
        let own = Mark {
            offset,
            file,
            line,
            text,
        };
        let level = self.levels.last_mut().expect("a level while executing");
        level.marks.push(own);
        if text || level.included.is_empty() {
            return;
        }
        // An action writing what an `include` returned: its lines keep their own origins.
        let mut at = offset;
        for piece in written.split_inclusive('\n') {
            let key = piece.trim();
            let start = at + (piece.len() - piece.trim_start().len());
            at += piece.len();
            let mark = match level.included.get(key) {
                Some(&(file, line)) if !key.is_empty() => Mark {
                    offset: start,
                    file,
                    line,
                    text: false,
                },
                _ if start > offset => Mark {
                    offset: start,
                    ..own
                },
                _ => continue,
            };
            level.marks.push(mark);
        }
        level.included.clear();
    }

    /// A nested output (an `include`, a `tpl`) starts.
    pub(crate) fn enter(&mut self) {
        self.levels.push(Level::default());
    }

    /// The nested output `out` is done; `keep` says whether its lines keep their origins (an
    /// `include`) or take the calling action's (`tpl`).
    pub(crate) fn leave(&mut self, out: &str, keep: bool) {
        let Some(level) = self.levels.pop() else {
            return;
        };
        if !keep {
            return;
        }
        let lines = self.lines_of(&level.marks, out);
        let Some(parent) = self.levels.last_mut() else {
            return;
        };
        for (piece, origin) in out.split('\n').zip(lines) {
            if let Some(origin) = origin {
                parent
                    .included
                    .entry(piece.trim().to_string())
                    .or_insert(origin);
            }
        }
    }

    /// Each line of `out` (split on `\n`) with the (file, line) that wrote its first
    /// non-blank character; `None` for a blank line.
    fn lines_of(&self, marks: &[Mark], out: &str) -> Vec<Option<(usize, usize)>> {
        let mut lines = Vec::new();
        let mut at = 0;
        for piece in out.split('\n') {
            let first = at + (piece.len() - piece.trim_start().len());
            at += piece.len() + 1;
            if piece.trim().is_empty() {
                lines.push(None);
                continue;
            }
            let found = marks.partition_point(|m| m.offset <= first);
            lines.push(found.checked_sub(1).map(|i| {
                let mark = marks[i];
                let extra = if mark.text {
                    out[mark.offset..first].matches('\n').count()
                } else {
                    0
                };
                (mark.file, mark.line + extra)
            }));
        }
        lines
    }

    /// One entry per line of `out` (the whole render): where it was written.
    pub(crate) fn finish(mut self, out: &str) -> Vec<Option<SourceLine>> {
        let marks = self.levels.pop().map(|l| l.marks).unwrap_or_default();
        self.lines_of(&marks, out)
            .into_iter()
            .map(|origin| {
                origin.map(|(file, line)| SourceLine {
                    template: self.files[file].0.clone(),
                    line,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::{Engine, Value};

    fn traced(engine: &Engine, name: &str) -> Vec<String> {
        let data = Value::from(serde_json::json!({"n": 3}));
        let (out, lines) = engine.render_traced(name, &data).unwrap();
        assert_eq!(out.split('\n').count(), lines.len());
        out.split('\n')
            .zip(lines)
            .map(|(text, origin)| match origin {
                Some(o) => format!("{text} <- {}:{}", o.template, o.line),
                None => text.to_string(),
            })
            .collect()
    }

    #[test]
    fn lines_point_at_the_text_or_action_that_wrote_them() {
        let mut engine = Engine::new();
        engine.add_function("include", |ctx, args| {
            let name = args[0].as_str().unwrap_or_default().to_string();
            ctx.execute_template(&name, &args[1]).map(Value::from)
        });
        engine.add_function("indent", |_, args| {
            let text = args[0].as_str().unwrap_or_default();
            Ok(Value::from(text.replace('\n', "\n  ")))
        });
        engine
            .add_template("h.tpl", "{{define \"labels\"}}\na: 1\nb: {{.n}}\n{{end}}")
            .unwrap();
        engine
            .add_template(
                "t.yaml",
                "kind: X\nspec:\n  replicas: {{.n}}\nlabels:{{ include \"labels\" . | indent }}\n{{template \"labels\" .}}",
            )
            .unwrap();
        engine.add_function("tpl", |ctx, args| {
            let text = args[0].as_str().unwrap_or_default().to_string();
            ctx.execute_text("v.yaml", &text, &args[1]).map(Value::from)
        });
        engine
            .add_template("v.yaml", "{{ tpl \"x: {{.n}}\\ny: 2\" . }}\nb: 1\n")
            .unwrap();
        // Text run through `tpl` is no template file: its lines point at the `tpl` call.
        assert_eq!(
            traced(&engine, "v.yaml"),
            [
                "x: 3 <- v.yaml:1",
                "y: 2 <- v.yaml:1",
                "b: 1 <- v.yaml:2",
                ""
            ]
        );
        assert_eq!(
            traced(&engine, "t.yaml"),
            [
                "kind: X <- t.yaml:1",
                "spec: <- t.yaml:2",
                "  replicas: 3 <- t.yaml:3",
                "labels: <- t.yaml:4",
                "  a: 1 <- h.tpl:2",
                "  b: 3 <- h.tpl:3",
                "  ",
                "",
                "a: 1 <- h.tpl:2",
                "b: 3 <- h.tpl:3",
                "",
            ]
        );
    }
}

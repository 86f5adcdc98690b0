//! The fast read of a values file with the line of every key: [`super::Located`] built straight
//! from the YAML parser's events.
//!
//! A chart's `values.yaml` is read on every render, its subcharts' too, and through serde-saphyr
//! that read was about a twentieth of the CPU of rendering a typical Bitnami chart. Values files
//! are plain block YAML under many comment lines, which the event parser alone reads several
//! times faster. This path takes what [`super::fast`] takes (its rules for keys and plain
//! scalars) and answers `None` for anything else — anchors, aliases, tags, duplicate keys,
//! quoted scalars over several lines, plain ones with a blank line inside, document markers,
//! tabs, syntax errors — so that serde-saphyr reads those files and writes the error messages.
//! The differential tests in `located_tests.rs` hold it to serde-saphyr's answers, lines
//! included.

use granit_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Value};

use super::Located;

/// Deeper nesting than this is left to serde-saphyr and its budget.
const MAX_DEPTH: usize = 64;

/// A collection being read. Mappings at the top and under mappings keep their keys' lines;
/// anything under a list is a plain value, as [`super::Located`] keeps lists whole.
enum Frame {
    Located(Vec<(String, Located, usize)>, Option<(String, usize)>),
    Seq(Vec<Value>),
    Map(Map<String, Value>, Option<String>),
}

impl Frame {
    /// Whether a mapping under this frame keeps its keys' lines.
    fn locates(&self) -> bool {
        matches!(self, Frame::Located(..))
    }
}

/// The values tree of a one-document YAML text, or `None` when serde-saphyr must read it.
pub fn parse(text: &str) -> Option<Located> {
    // The event parser reads the text with its comment lines emptied: the same lines, less
    // to scan (see `located_comments.rs`). The same pass screens the text.
    if text.contains('\t') {
        return None;
    }
    let emptied = comments::emptied(text, |content| !has_marker_word(content))?;
    let mut parser = Parser::new_from_str(&emptied);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Located> = None;
    let mut documents = 0;
    loop {
        let (event, span) = parser.next_event()?.ok()?;
        match event {
            Event::StreamStart | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            Event::DocumentStart(explicit, _) => {
                documents += 1;
                if documents > 1 || explicit {
                    return None;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                // Quoted ones too: a comment-like line inside one escapes the screen.
                // A plain one folded over lines is read here only when no blank line is in it
                // (Bitnami's `Chart.yaml` descriptions): serde-saphyr keeps more line breaks for
                // blank lines than the bare event parser does.
                let multi_line = span.end.line() > span.start.line();
                let multi_line_flow = multi_line
                    && match style {
                        ScalarStyle::Plain => value.contains('\n'),
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => true,
                        _ => false,
                    };
                if anchor != 0 || tag.is_some() || multi_line_flow {
                    return None;
                }
                match stack.last_mut() {
                    Some(Frame::Located(_, key @ None)) => {
                        let text = super::fast::map_key(&value, style)?;
                        *key = Some((text, span.start.line()));
                        continue;
                    }
                    Some(Frame::Map(_, key @ None)) => {
                        *key = Some(super::fast::map_key(&value, style)?);
                        continue;
                    }
                    _ => {}
                }
                let value = match style {
                    ScalarStyle::Plain if value.is_empty() => Value::Null,
                    ScalarStyle::Plain => super::fast::scalar_plain(&value)?,
                    _ => Value::String(value.into_owned()),
                };
                push(&mut stack, &mut root, Located::Leaf(value))?;
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                if anchor != 0 || tag.is_some() || stack.len() >= MAX_DEPTH {
                    return None;
                }
                if let Some(Frame::Located(_, None) | Frame::Map(_, None)) = stack.last() {
                    return None; // a collection used as a key
                }
                let locates = stack.last().is_none_or(Frame::locates);
                stack.push(match event {
                    Event::SequenceStart(..) => Frame::Seq(Vec::new()),
                    _ if locates => Frame::Located(Vec::new(), None),
                    _ => Frame::Map(Map::new(), None),
                });
            }
            Event::SequenceEnd => {
                let Some(Frame::Seq(items)) = stack.pop() else {
                    return None;
                };
                push(&mut stack, &mut root, Located::Leaf(Value::Array(items)))?;
            }
            Event::MappingEnd => {
                let done = match stack.pop()? {
                    Frame::Located(entries, None) => Located::Map(entries),
                    Frame::Map(map, None) => Located::Leaf(Value::Object(map)),
                    _ => return None,
                };
                push(&mut stack, &mut root, done)?;
            }
            _ => return None,
        }
    }
    if !stack.is_empty() {
        return None;
    }
    Some(root.unwrap_or(Located::Leaf(Value::Null)))
}

fn push(stack: &mut [Frame], root: &mut Option<Located>, node: Located) -> Option<()> {
    match stack.last_mut() {
        None if root.is_none() => *root = Some(node),
        None => return None,
        Some(Frame::Located(entries, key)) => {
            let (key, line) = key.take()?;
            if entries.iter().any(|(k, ..)| *k == key) {
                return None; // serde-saphyr reports the duplicate
            }
            entries.push((key, node, line));
        }
        Some(Frame::Seq(items)) => items.push(plain(node)?),
        Some(Frame::Map(map, key)) => {
            let key = key.take()?;
            if map.contains_key(&key) {
                return None;
            }
            map.insert(key, plain(node)?);
        }
    }
    Some(())
}

/// The value of a node read under a list, where mappings are never located.
fn plain(node: Located) -> Option<Value> {
    match node {
        Located::Leaf(value) => Some(value),
        Located::Map(_) => None,
    }
}

/// Whether a word of `line` starts with `---` or `...`. Outside whole-line comments such a
/// word sends the text to serde-saphyr: the bare event parser and serde-saphyr were found to
/// read document markers differently (see [`super::fast`]), and values files' prose comments
/// often hold an ellipsis. Tabs send it there too.
fn has_marker_word(line: &str) -> bool {
    let bytes = line.as_bytes();
    memchr::memchr2_iter(b'-', b'.', bytes).any(|at| {
        matches!(bytes.get(at..at + 3), Some(b"---" | b"..."))
            && (at == 0
                || line[..at]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_whitespace))
    })
}

#[path = "located_comments.rs"]
mod comments;

#[cfg(test)]
#[path = "located_tests.rs"]
mod tests;

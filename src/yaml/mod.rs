//! The one door to YAML (serde-saphyr), so the rest of bosun never names the crate.
//!
//! Reading follows kubectl's YAML 1.1 rules: bare `on`/`yes`/`y` are booleans and `0123` is
//! octal. Writing quotes every string that a YAML 1.1 reader would take for something else.

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::diagnostics::SourceSnippet;
use crate::error::Error;

mod block;
mod canonical;
mod fast;
mod flow;
mod folding;
mod located;
mod spaces;
mod stream;

/// A YAML syntax or type error with its place in the text.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub message: String,
    /// 1-based line and column, when the parser knew them.
    pub location: Option<(usize, usize)>,
}

impl YamlError {
    /// Turns this into a report about the file `path` whose text is `source`.
    pub fn into_error(self, path: &str, source: &str) -> Error {
        let location = self.location;
        self.into_error_located(path, source, location)
    }

    /// Turns this error in a part of `source` (one document of a stream) that starts on its
    /// line `first_line` into a report at the line of the whole text; at the part's first line
    /// when the parser gave no place.
    pub fn into_error_in(self, path: &str, source: &str, first_line: usize) -> Error {
        let (line, column) = self.location.unwrap_or((1, 1));
        self.into_error_located(path, source, Some((first_line + line - 1, column)))
    }

    fn into_error_located(
        self,
        path: &str,
        source: &str,
        location: Option<(usize, usize)>,
    ) -> Error {
        let snippet = location.map(|(line, column)| {
            Box::new(SourceSnippet::new(
                path,
                source,
                line,
                column,
                1,
                &self.message,
            ))
        });
        Error::Yaml {
            path: path.to_string(),
            message: self.message,
            snippet,
        }
    }
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        legacy_octal_numbers: true,
        with_snippet: false,
    }
}

fn convert_error(error: serde_saphyr::Error) -> YamlError {
    let location = error
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| (l.line() as usize, l.column().max(1) as usize));
    let text = error.without_snippet().to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    // The plain message repeats the location ("line 3 column 2: ..."); the report shows it anyway.
    let message = match text.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") && head.contains(" column ") => rest,
        _ => text,
    };
    // Some parser messages end with the location again: " at line 7, column 5".
    let message = match message.rfind(" at line ") {
        Some(i) if message[i..].contains(", column ") => &message[..i],
        _ => message,
    };
    YamlError {
        message: in_our_words(message),
        location,
    }
}

/// The parser's messages that give advice meant for programmers using it ("set
/// DuplicateKeyPolicy in Options"), said as advice to the person who wrote the YAML.
fn in_our_words(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("duplicate mapping key") {
        let key = rest
            .strip_prefix(": ")
            .and_then(|r| r.split(", set DuplicateKeyPolicy").next())
            .filter(|k| !k.is_empty());
        return match key {
            Some(key) => format!(
                "duplicate key `{key}`: it appears earlier in the same mapping; keep one of them"
            ),
            None => {
                "duplicate key: it appears earlier in the same mapping; keep one of them".into()
            }
        };
    }
    message.to_string()
}

/// Parses one YAML document into a JSON value (`null` for an empty document).
///
/// Rendered manifests are read by [`fast::parse`] when they use only the plain YAML that
/// templates produce; anything else (anchors, tags, errors, unusual scalars) goes to
/// serde-saphyr, which also writes every error message. Both give the same value.
pub fn parse_value(text: &str) -> Result<Value, YamlError> {
    if is_blank(text) {
        return Ok(Value::Null);
    }
    if let Some(value) = fast::parse(text) {
        return Ok(value);
    }
    parse_value_slow(text)
}

/// Like [`parse_value`], but a repeated key keeps its last value instead of being an error
/// (what `kubectl` does; `bosun validate` without `--strict`).
pub fn parse_value_lenient(text: &str) -> Result<Value, YamlError> {
    if is_blank(text) {
        return Ok(Value::Null);
    }
    if let Some(value) = fast::parse(text) {
        return Ok(value);
    }
    let mut options = options();
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::LastWins;
    serde_saphyr::from_str_with_options(text, options).map_err(convert_error)
}

/// The fast read path alone: `None` where serde-saphyr must read the text (for the fuzzers).
#[cfg(any(fuzzing, test))]
pub fn fast_parse(text: &str) -> Option<Value> {
    fast::parse(text)
}

/// Parses with serde-saphyr alone.
pub fn parse_value_slow(text: &str) -> Result<Value, YamlError> {
    serde_saphyr::from_str_with_options(text, options()).map_err(convert_error)
}

/// Parses a stream of documents, dropping empty ones.
///
/// Plain streams (a chart's CRDs) are cut at their `---` lines and read on the fast path; any
/// other stream, and every error, goes to serde-saphyr whole.
pub fn parse_stream(text: &str) -> Result<Vec<Value>, YamlError> {
    if let Some(documents) = stream::parse(text) {
        return Ok(documents);
    }
    serde_saphyr::from_multiple_with_options::<Value>(text, options())
        .map(|docs| docs.into_iter().filter(|d| !d.is_null()).collect())
        .map_err(convert_error)
}

/// Like [`parse_stream`], but a repeated key keeps its last value, as Go's YAML reader behind
/// Helm's `fromYaml` does.
pub fn parse_stream_lenient(text: &str) -> Result<Vec<Value>, YamlError> {
    // The fast path leaves repeated keys to serde-saphyr, so it answers the same here.
    if let Some(documents) = stream::parse(text) {
        return Ok(documents);
    }
    let mut options = options();
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::LastWins;
    serde_saphyr::from_multiple_with_options::<Value>(text, options)
        .map(|docs| docs.into_iter().filter(|d| !d.is_null()).collect())
        .map_err(convert_error)
}

/// Parses a typed document (Chart.yaml); errors name `path` and point at the line.
pub fn parse_typed<T: DeserializeOwned>(path: &str, text: &str) -> Result<T, Error> {
    serde_saphyr::from_str_with_options(text, options())
        .map_err(|e| convert_error(e).into_error(path, text))
}

/// True when `text` holds nothing but whitespace and comments (of printable characters: YAML
/// forbids control characters even in comments, so such a text goes to the parser).
pub fn is_blank(text: &str) -> bool {
    // A document's first character after white space usually settles it: printable ASCII
    // other than `#` starts a line that is neither blank nor a comment. Setting up the line
    // iterator for that one answer was 0.6% of a 2,000-service fleet render, a third of it on
    // the rendering thread.
    let first = text
        .bytes()
        .find(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'));
    if first.is_some_and(|b| b != b'#' && b.is_ascii_graphic()) {
        return false;
    }
    is_blank_by_lines(text)
}

/// [`is_blank`] line by line.
fn is_blank_by_lines(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim_start();
        line.is_empty() || line.starts_with('#')
    }) && !text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Writes a value as canonical block YAML, ending with a newline.
pub fn to_string(value: &Value) -> String {
    canonical::write(value).unwrap_or_else(|| to_string_slow(value))
}

/// [`to_string`] for a value read from a text of `read_from` bytes: the canonical text is
/// about as long, so its string is sized from that.
pub fn to_string_sized(value: &Value, read_from: usize) -> String {
    canonical::write_sized(value, read_from + read_from / 8 + 64)
        .unwrap_or_else(|| to_string_slow(value))
}

/// Writes a value with serde-saphyr alone (what [`to_string`] must equal).
pub fn to_string_slow(value: &Value) -> String {
    // Serializing a JSON value cannot fail: keys are strings and numbers are finite.
    serde_saphyr::to_string(value).unwrap_or_else(|e| format!("# unserializable: {e}\n"))
}

/// A values tree that remembers the line each key was written on.
#[derive(Debug, Clone, PartialEq)]
pub enum Located {
    /// A mapping: key, value, and the line of the key.
    Map(Vec<(String, Located, usize)>),
    /// Anything else (lists are kept whole: merging replaces them).
    Leaf(Value),
}

/// Parses a values file, keeping the line of every key. An empty file is an empty map.
pub fn parse_located(path: &str, text: &str) -> Result<Located, Error> {
    if is_blank(text) {
        return Ok(Located::Map(Vec::new()));
    }
    if let Some(tree) = located::parse(text) {
        return Ok(tree);
    }
    parse_located_slow(path, text)
}

/// [`parse_located`] with serde-saphyr alone (what the fast read must equal).
fn parse_located_slow(path: &str, text: &str) -> Result<Located, Error> {
    serde_saphyr::from_str_with_options(text, options())
        .map_err(|e| convert_error(e).into_error(path, text))
}

/// Every YAML file of the repository (`ignore`'s walk, so not `target/`), with its text: the
/// corpus the fast readers' differential tests hold to serde-saphyr.
#[cfg(test)]
pub(crate) fn repository_yaml_files() -> Vec<(std::path::PathBuf, String)> {
    ignore::Walk::new(env!("CARGO_MANIFEST_DIR"))
        .flatten()
        .map(|entry| entry.into_path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .filter_map(|path| Some((path.clone(), std::fs::read_to_string(&path).ok()?)))
        .collect()
}

impl<'de> de::Deserialize<'de> for Located {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LocatedVisitor)
    }
}

struct LocatedVisitor;

impl<'de> Visitor<'de> for LocatedVisitor {
    type Value = Located;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Located, E> {
        Ok(Located::Leaf(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Located, E> {
        Ok(Located::Leaf(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Located, E> {
        Ok(Located::Leaf(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Located, E> {
        serde_json::Number::from_f64(v)
            .map(|n| Located::Leaf(Value::Number(n)))
            .ok_or_else(|| E::custom("a number that is not finite"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Located, E> {
        Ok(Located::Leaf(Value::String(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Located, E> {
        Ok(Located::Leaf(Value::String(v)))
    }
    fn visit_unit<E>(self) -> Result<Located, E> {
        Ok(Located::Leaf(Value::Null))
    }
    fn visit_none<E>(self) -> Result<Located, E> {
        Ok(Located::Leaf(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Located, D::Error> {
        d.deserialize_any(LocatedVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Located, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Located::Leaf(Value::Array(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Located, A::Error> {
        let mut entries = Vec::new();
        // The line of the key, not of the value: a nested map's value starts on the line of
        // its first child, and an error about the map belongs on the map's own line.
        while let Some(key) = map.next_key::<serde_saphyr::Spanned<String>>()? {
            let value: Located = map.next_value()?;
            entries.push((key.value, value, key.referenced.line() as usize));
        }
        Ok(Located::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_yaml_1_1_booleans_and_octal_like_kubectl() {
        let v = parse_value("a: on\nb: yes\nc: Off\nd: 0123\ne: '0123'\n").unwrap();
        assert_eq!(
            v,
            json!({"a": true, "b": true, "c": false, "d": 83, "e": "0123"})
        );
    }

    #[test]
    fn writes_ambiguous_strings_quoted_and_numbers_bare() {
        let out = to_string(&json!({"s": ["on", "yes", "y", "0123", "1.10", "1e3"], "n": 1000000}));
        let back = parse_value(&out).unwrap();
        assert_eq!(back["s"], json!(["on", "yes", "y", "0123", "1.10", "1e3"]));
        assert!(out.contains(": 1000000\n"), "{out}");
    }

    #[test]
    fn rejects_duplicate_keys_with_a_line() {
        let err = parse_value("a: 1\na: 2\n").unwrap_err();
        assert_eq!(err.location.map(|l| l.0), Some(2));
        assert!(err.message.contains("duplicate"), "{}", err.message);
    }

    #[test]
    fn located_values_keep_lines() {
        let tree = parse_located("v.yaml", "a:\n  b: 1\n  c: [1, 2]\nd: x\n").unwrap();
        let Located::Map(entries) = tree else {
            panic!("not a map")
        };
        assert_eq!(entries[1].0, "d");
        assert_eq!(entries[1].2, 4);
        let Located::Map(inner) = &entries[0].1 else {
            panic!("not a map")
        };
        assert_eq!((inner[1].0.as_str(), inner[1].2), ("c", 3));
    }
}

/// The 1-based line and column of the node at JSON pointer `pointer` (`/spec/replicas`) in a
/// one-document YAML text: the key for a mapping entry, the item for a list entry. Falls back
/// to the deepest ancestor found.
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    use granit_parser::{Event, Parser};
    let target: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    // For each open collection: (is_map, next index or pending key, depth matched so far).
    enum Open {
        Map { key: Option<String> },
        Seq { index: usize },
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut best: Option<(usize, (usize, usize))> = None;
    let mut parser = Parser::new_from_str(text);
    let matched = |path: &[String]| path.len() <= target.len() && path == &target[..path.len()];
    while let Some(Ok((event, span))) = parser.next_event() {
        let here = (span.start.line(), span.start.col() + 1);
        // A node (scalar or collection start) in value position takes the next path segment.
        let value_position = |stack: &mut Vec<Open>, path: &mut Vec<String>| -> bool {
            match stack.last_mut() {
                Some(Open::Map { key }) => match key.take() {
                    Some(k) => {
                        path.push(k);
                        true
                    }
                    None => false,
                },
                Some(Open::Seq { index }) => {
                    path.push(index.to_string());
                    *index += 1;
                    true
                }
                None => true,
            }
        };
        match event {
            Event::Scalar(value, ..) => {
                if let Some(Open::Map { key: key @ None }) = stack.last_mut() {
                    *key = Some(value.to_string());
                    let mut candidate = path.clone();
                    candidate.push(value.to_string());
                    if matched(&candidate) && best.is_none_or(|(d, _)| candidate.len() > d) {
                        best = Some((candidate.len(), here));
                    }
                    continue;
                }
                let pushed = value_position(&mut stack, &mut path);
                if matched(&path) && best.is_none_or(|(d, _)| path.len() > d) {
                    best = Some((path.len(), here));
                }
                if pushed && !path.is_empty() {
                    path.pop();
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_map = matches!(event, Event::MappingStart(..));
                value_position(&mut stack, &mut path);
                if matched(&path) && best.is_none_or(|(d, _)| path.len() > d) {
                    best = Some((path.len(), here));
                }
                stack.push(if is_map {
                    Open::Map { key: None }
                } else {
                    Open::Seq { index: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                if !stack.is_empty() || !path.is_empty() {
                    path.pop();
                }
            }
            Event::StreamEnd => break,
            _ => {}
        }
        if best.is_some_and(|(d, _)| d == target.len()) {
            break;
        }
    }
    best.map(|(_, at)| at)
}

#[cfg(test)]
mod locate_tests {
    use super::locate;

    #[test]
    fn finds_keys_items_and_falls_back_to_ancestors() {
        let text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: x\n  - name: b\n    ports:\n    - containerPort: http\n";
        assert_eq!(locate(text, "/spec"), Some((3, 1)));
        assert_eq!(locate(text, "/spec/containers/1/name"), Some((7, 5)));
        assert_eq!(
            locate(text, "/spec/containers/1/ports/0/containerPort"),
            Some((9, 7))
        );
        assert_eq!(locate(text, "/spec/containers/0/image"), Some((6, 5)));
        assert_eq!(
            locate(text, "/spec/containers/1/missing"),
            Some((7, 5)).or(locate(text, "/spec/containers/1"))
        );
        assert_eq!(locate(text, ""), Some((1, 1)));
    }
}

#[cfg(test)]
#[path = "blank_tests.rs"]
mod blank_tests;

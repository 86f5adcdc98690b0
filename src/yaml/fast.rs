//! The fast read path: builds a JSON value straight from the YAML parser's events.
//!
//! serde-saphyr reads a 4 MB render in about 300 ms on one core; most of that is not the YAML
//! parser (its events take about a third) but the machinery above it. Templates produce plain
//! YAML: block mappings and sequences, strings, integers, booleans. This path handles exactly
//! that and answers `None` for anything else — anchors, aliases, tags, merge keys, complex or
//! numeric keys, duplicate keys, unusual scalars, syntax errors — so that serde-saphyr reads
//! those documents and writes the error messages. Scalars it is unsure of are resolved by
//! serde-saphyr one at a time. The differential tests below hold the two paths to the same
//! answers.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use granit_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Value};

/// Deeper nesting than this is left to serde-saphyr and its budget.
const MAX_DEPTH: usize = 64;

enum Frame {
    Seq(Vec<Value>),
    /// A mapping and, when a key has been read, the key waiting for its value.
    Map(Map<String, Value>, Option<String>),
}

/// Whether a word of `text` (as `split_whitespace` cuts them) starts with `start`: found where
/// it follows white space or opens the text. A search for `start` instead of cutting every word.
fn has_word_starting(text: &str, start: &str) -> bool {
    text.match_indices(start).any(|(at, _)| {
        text[..at]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace)
    })
}

/// What one pass over a document's bytes tells of it.
#[derive(Debug, PartialEq)]
enum Screen {
    /// Printable ASCII and line breaks, and no word starting like a document marker.
    Plain,
    /// A word starting like a document marker (in printable ASCII).
    Unusual,
    /// Other characters: the slower checks decide.
    Unknown,
}

/// Screens `text` in one pass over its bytes: what [`has_word_starting`] finds for `---` and
/// `...` and what [`super::block`] checks of printable characters, for the usual ASCII text.
fn screen(text: &str) -> Screen {
    // Two scans the compiler vectorizes stand in for the byte-by-byte one below on the usual
    // text. Which of a marker and an unusual byte comes first does not change what `parse`
    // answers: a marker after a space or line break sends the text to serde-saphyr either way.
    if !all_printable_ascii(text.as_bytes()) {
        return Screen::Unknown;
    }
    if !text.contains("--") && !text.contains("..") {
        return Screen::Plain;
    }
    screen_bytes(text)
}

/// Whether every byte is a line break or printable ASCII, in blocks without an early exit so
/// that each block is checked with vector instructions.
fn all_printable_ascii(bytes: &[u8]) -> bool {
    bytes.chunks(64).all(|block| {
        block.iter().fold(true, |ok, &b| {
            ok & (b == b'\n' || (0x20..0x7f).contains(&b))
        })
    })
}

/// [`screen`] one byte at a time.
fn screen_bytes(text: &str) -> Screen {
    let bytes = text.as_bytes();
    let mut previous = b'\n';
    for (at, &byte) in bytes.iter().enumerate() {
        if !(byte == b'\n' || (0x20..0x7f).contains(&byte)) {
            return Screen::Unknown;
        }
        if matches!(byte, b'-' | b'.')
            && matches!(previous, b' ' | b'\n')
            && bytes.get(at + 1) == Some(&byte)
            && bytes.get(at + 2) == Some(&byte)
        {
            return Screen::Unusual;
        }
        previous = byte;
    }
    Screen::Plain
}

/// The value of a one-document YAML text, or `None` when serde-saphyr must read it.
pub fn parse(text: &str) -> Option<Value> {
    // The block reader first: it reads a document marker only at the start of a line (and
    // then declines), so it needs no screening beyond its own for printable characters.
    let block = if all_printable_ascii(text.as_bytes()) {
        super::block::parse_printable(text)
    } else {
        super::block::parse(text)
    };
    if block.is_some() {
        return block;
    }
    // Found by fuzzing: a word that starts like a document marker (`---`, `...`), tabs, and
    // plain scalars over several lines are read differently by the bare event parser than by
    // serde-saphyr. Such documents go to serde-saphyr.
    match screen(text) {
        Screen::Plain => {}
        Screen::Unusual => return None,
        Screen::Unknown => {
            if text.contains('\t')
                || has_word_starting(text, "---")
                || has_word_starting(text, "...")
            {
                return None;
            }
        }
    }
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Value> = None;
    let mut documents = 0;
    loop {
        let (event, span) = parser.next_event()?.ok()?;
        match event {
            Event::StreamStart | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            // Chunks come without their `---`: a marker the parser still sees (an indented one,
            // say) is for serde-saphyr to judge.
            Event::DocumentStart(explicit, _) => {
                documents += 1;
                if documents > 1 || explicit {
                    return None;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let multi_line_plain =
                    style == ScalarStyle::Plain && span.end.line() > span.start.line();
                if anchor != 0 || tag.is_some() || multi_line_plain {
                    return None;
                }
                if let Some(Frame::Map(_, key @ None)) = stack.last_mut() {
                    *key = Some(map_key(&value, style)?);
                    continue;
                }
                let value = scalar(&value, style)?;
                push(&mut stack, &mut root, value)?;
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                if anchor != 0 || tag.is_some() || stack.len() >= MAX_DEPTH {
                    return None;
                }
                if let Some(Frame::Map(_, None)) = stack.last() {
                    return None; // a collection used as a key
                }
                stack.push(match event {
                    Event::SequenceStart(..) => Frame::Seq(Vec::new()),
                    _ => Frame::Map(Map::new(), None),
                });
            }
            Event::SequenceEnd => {
                let Some(Frame::Seq(items)) = stack.pop() else {
                    return None;
                };
                push(&mut stack, &mut root, Value::Array(items))?;
            }
            Event::MappingEnd => {
                let Some(Frame::Map(map, None)) = stack.pop() else {
                    return None;
                };
                push(&mut stack, &mut root, Value::Object(map))?;
            }
            _ => return None,
        }
    }
    if !stack.is_empty() {
        return None;
    }
    Some(root.unwrap_or(Value::Null))
}

fn push(stack: &mut [Frame], root: &mut Option<Value>, value: Value) -> Option<()> {
    match stack.last_mut() {
        None if root.is_none() => *root = Some(value),
        None => return None,
        Some(Frame::Seq(items)) => items.push(value),
        Some(Frame::Map(map, key)) => {
            let key = key.take()?;
            if map.contains_key(&key) {
                return None; // serde-saphyr reports the duplicate
            }
            map.insert(key, value);
        }
    }
    Some(())
}

/// A mapping key as serde-saphyr gives it to a JSON map: its text as written. Keys that could
/// compare equal as numbers, or that read as null, are left to serde-saphyr.
pub(super) fn map_key(text: &str, style: ScalarStyle) -> Option<String> {
    (style != ScalarStyle::Plain || is_plain_key(text)).then(|| text.to_string())
}

/// Whether a plain key is its own text (see [`map_key`]).
pub(super) fn is_plain_key(text: &str) -> bool {
    let Some(&first) = text.as_bytes().first() else {
        return false;
    };
    !(first.is_ascii_digit()
        || matches!(first, b'+' | b'-' | b'.')
        || matches!(text, "~" | "null" | "Null" | "NULL" | "<<"))
}

/// The YAML 1.1 words kubectl reads as booleans or null, spelled as the tests check.
fn word(text: &str) -> Option<Value> {
    Some(match text {
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
            Value::Bool(true)
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => {
            Value::Bool(false)
        }
        "~" | "null" | "Null" | "NULL" => Value::Null,
        _ => return None,
    })
}

/// Whether `text` is one of [`word`]'s words in some mix of cases.
fn is_word_in_any_case(text: &str) -> bool {
    [
        "true", "yes", "on", "y", "false", "no", "off", "n", "~", "null",
    ]
    .iter()
    .any(|word| text.eq_ignore_ascii_case(word))
}

/// Characters that can appear in a YAML 1.1 number, date or time: a scalar that starts with a
/// digit and holds any other character is a string.
fn numeric_char(c: char) -> bool {
    c.is_ascii_hexdigit() || matches!(c, 'x' | 'X' | 'o' | 'O' | '.' | '_' | '+' | '-' | ':')
}

/// A plain scalar's value, as [`parse`] types it.
pub(super) fn scalar_plain(text: &str) -> Option<Value> {
    scalar(text, ScalarStyle::Plain)
}

fn scalar(text: &str, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::String(text.to_string()));
    }
    if let Some(value) = word(text) {
        return Some(value);
    }
    let first = text.chars().next()?;
    if first.is_ascii_digit() {
        if text.bytes().all(|b| b.is_ascii_digit()) && (first != '0' || text.len() == 1) {
            if let Ok(n) = text.parse::<i64>() {
                return Some(Value::from(n));
            }
            return resolve(text);
        }
        // A checksum (`checksum/config: 9da5…`) holds only such characters, yet a letter no
        // number or date has makes it a string: asking serde-saphyr cost a parser set up (and
        // fresh pages) per document.
        if text.chars().all(numeric_char) && !super::canonical::surely_not_numeric(text.as_bytes())
        {
            return resolve(text);
        }
        return Some(Value::String(text.to_string()));
    }
    // Read alone, these would start with a document marker: no number or word starts so.
    if text.starts_with("---") || text.starts_with("...") {
        return Some(Value::String(text.to_string()));
    }
    if matches!(
        first,
        '+' | '-' | '.' | '=' | '<' | '!' | '&' | '*' | '%' | '@' | '`'
    ) || text.len() <= 5 && is_word_in_any_case(text)
    {
        return resolve(text);
    }
    Some(Value::String(text.to_string()))
}

/// Resolves one unusual plain scalar with serde-saphyr, so both paths agree by construction.
/// The answers are kept for the rest of the run: a chart repeats its image versions (`2.31.10`)
/// and shell flags (`-ec`) in document after document, Bitnami's 45 times a render on average,
/// 9 of them different, and each question costs a parser set up.
fn resolve(text: &str) -> Option<Value> {
    /// Longer texts are asked again each time; at most this many answers are kept.
    const KEPT_LENGTH: usize = 64;
    const KEPT: usize = 4096;
    static ANSWERS: OnceLock<Mutex<HashMap<Box<str>, Option<Value>>>> = OnceLock::new();
    let answers = ANSWERS.get_or_init(Default::default);
    let lock = || match answers.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    let kept = text.len() <= KEPT_LENGTH;
    if kept && let Some(answer) = lock().get(text) {
        return answer.clone();
    }
    let answer = match super::parse_value_slow(text) {
        Ok(value) if !value.is_object() && !value.is_array() => Some(value),
        _ => None,
    };
    if kept {
        let mut answers = lock();
        if answers.len() < KEPT {
            answers.insert(text.into(), answer.clone());
        }
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn both(text: &str) -> (Option<Value>, Result<Value, String>) {
        (
            parse(text),
            super::super::parse_value_slow(text).map_err(|e| e.message),
        )
    }

    /// When the fast path answers, serde-saphyr gives the same value.
    fn agree(text: &str) {
        let (fast, slow) = both(text);
        if let Some(fast) = fast {
            assert_eq!(Ok(fast), slow, "fast and slow differ on:\n{text}");
        }
    }

    const SCALARS: &[&str] = &[
        "on",
        "On",
        "ON",
        "off",
        "yes",
        "no",
        "y",
        "Y",
        "n",
        "N",
        "true",
        "True",
        "TRUE",
        "false",
        "FALSE",
        "tRuE",
        "oN",
        "Yes",
        "nO",
        "~",
        "null",
        "Null",
        "NULL",
        "nULL",
        "0",
        "7",
        "-0",
        "-7",
        "+7",
        "0123",
        "0o17",
        "0x1F",
        "0b101",
        "1_000",
        "1.10",
        "1.",
        ".5",
        "1e3",
        "1E3",
        "-1.5e-3",
        ".inf",
        "-.inf",
        ".nan",
        "12:30",
        "190:20:30",
        "2001-12-14",
        "2001-12-14t21:59:43.10-05:00",
        "99999999999999999999",
        "9223372036854775807",
        "9223372036854775808",
        "100m",
        "256Mi",
        "1.2.3",
        "10.0.0.1",
        "1-2",
        "=",
        "<<",
        "@x",
        "0.0.0.0/0",
        "v1",
        "apps/v1",
        "a b",
        "",
    ];

    #[test]
    fn every_tricky_plain_scalar_reads_as_serde_saphyr_reads_it() {
        for s in SCALARS {
            agree(&format!("k: {s}\n"));
            agree(&format!("- {s}\n"));
            agree(&format!("k: [{s}]\n"));
        }
    }

    #[test]
    fn the_fleet_shapes_take_the_fast_path() {
        let doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    a: \"1\"\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: web\n        resources:\n          limits: {cpu: 500m, memory: 512Mi}\n        command: [\"/bin/sh\", \"-c\", \"sleep 15\"]\n        env:\n        - name: X\n          value: |\n            multi\n            line\n";
        let fast = parse(doc).expect("plain YAML takes the fast path");
        assert_eq!(
            Ok(fast),
            super::super::parse_value_slow(doc).map_err(|e| e.message)
        );
    }

    #[test]
    fn anything_unusual_goes_to_serde_saphyr() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "<<: {a: 1}\n",
            "a: 1\na: 2\n",
            "1: a\n",
            "? [a]\n: b\n",
            "a: [1, 2\n",
            "a: 1\n---\nb: 2\n",
            "a:\n  - b\n - c\n",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    fn scalar_text() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(SCALARS).prop_map(|s| s.to_string()),
            "[a-zA-Z0-9 ._:/-]{0,12}",
        ]
    }

    /// A YAML text of nested block mappings and sequences, scalars plain or quoted.
    fn document() -> impl Strategy<Value = String> {
        let leaf = (scalar_text(), 0..3u8).prop_map(|(s, style)| match style {
            0 => s,
            1 => format!("'{}'", s.replace('\'', "''")),
            _ => serde_json::to_string(&s).unwrap(),
        });
        let node = leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(("[a-z][a-z0-9]{0,6}", inner.clone()), 1..4).prop_map(
                    |entries| {
                        let mut out = String::from("\n");
                        for (k, v) in entries {
                            out.push_str(&format!("{k}: {}\n", indent(&v)));
                        }
                        out
                    }
                ),
                prop::collection::vec(inner, 1..4).prop_map(|items| {
                    let mut out = String::from("\n");
                    for v in items {
                        out.push_str(&format!("- {}\n", indent(&v)));
                    }
                    out
                }),
            ]
        });
        node.prop_map(|n| format!("root: {}\n", indent(&n)))
    }

    fn indent(text: &str) -> String {
        text.trim_end_matches('\n').replace('\n', "\n  ")
    }

    #[test]
    fn the_generated_documents_mostly_take_the_fast_path() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut fast, mut total) = (0, 0);
        for _ in 0..200 {
            let text = document().new_tree(&mut runner).unwrap().current();
            if super::super::parse_value_slow(&text).is_ok() {
                total += 1;
                fast += usize::from(parse(&text).is_some());
            }
        }
        assert!(
            fast * 10 >= total * 8,
            "only {fast} of {total} took the fast path"
        );
    }

    proptest! {
        #[test]
        fn fast_and_slow_paths_agree(text in document()) {
            agree(&text);
        }

        #[test]
        fn one_screening_pass_agrees_with_the_separate_checks(
            text in "[-. a\u{a0}\t\n#:]{0,24}"
        ) {
            let separate = if text.contains('\t')
                || super::has_word_starting(&text, "---")
                || super::has_word_starting(&text, "...")
            {
                Screen::Unusual
            } else if text.is_ascii() {
                Screen::Plain
            } else {
                Screen::Unknown
            };
            match super::screen(&text) {
                Screen::Unknown => prop_assert!(!text.is_ascii() || text.contains('\t')),
                screened => prop_assert_eq!(screened, separate),
            }
        }

        #[test]
        fn marker_words_are_found_as_cutting_the_words_finds_them(
            text in "[-. a\u{a0}\u{2003}\n]{0,24}"
        ) {
            for start in ["---", "..."] {
                let cut = text.split_whitespace().any(|word| word.starts_with(start));
                prop_assert_eq!(super::has_word_starting(&text, start), cut);
            }
        }
    }
}

#[cfg(test)]
#[path = "screen_tests.rs"]
mod screen_tests;

#[cfg(test)]
#[path = "digit_scalar_tests.rs"]
mod digit_scalar_tests;

//! `pattern`'s matcher, a `jsonschema` validator so that it matches as `jsonschema` does, built
//! once a run for each pattern text: CRDs repeat a few patterns (Kubernetes quantities, names)
//! hundreds of times, and each build is a whole `jsonschema` validator.
//!
//! A schema from a user is checked as it compiles: a pattern that does not build makes the
//! schema not compile. The schemas bosun ships hold patterns known to build (a test holds them to
//! it), so theirs are built only when a string first meets them, and most never are.
//!
//! A pattern written in the syntax where ECMA-262, `jsonschema`'s translation of it and
//! `regex-lite` agree (literals, classes, groups, repetition, anchors; no `\d`-like classes, no
//! `.` outside a class, no look-around) is matched by `regex-lite` instead, unless a schema
//! from a user asks for it to be checked: a `jsonschema` pattern validator took about 0.2 ms
//! to build, a `regex-lite` regex takes a few microseconds. A test holds the two to the same
//! answers on every shipped pattern.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

/// One pattern text and its matcher, built on first use; `None` when it does not build.
pub struct Pattern {
    text: Box<str>,
    built: OnceLock<Option<Matcher>>,
    /// The answers for the strings matched so far: documents of a kind repeat the same few
    /// values (`30s`, `1h`), and a `regex-lite` match of a duration pattern costs thousands of
    /// instructions where a lookup here costs a hash.
    answers: Mutex<HashMap<Box<str>, bool>>,
}

/// How many answers a pattern keeps; past that, strings are matched each time.
pub(super) const ANSWERS_KEPT: usize = 1024;

/// What matches a pattern: the same answers either way.
enum Matcher {
    Lite(regex_lite::Regex),
    Full(jsonschema::Validator),
}

impl Pattern {
    /// The shared pattern for `text`. `checked`: built now, and `Err` when it does not build.
    pub fn get(text: &str, checked: bool) -> Result<Arc<Pattern>, String> {
        static KNOWN: OnceLock<Mutex<HashMap<Box<str>, Arc<Pattern>>>> = OnceLock::new();
        let pattern = {
            let mut known = match KNOWN.get_or_init(Default::default).lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            Arc::clone(known.entry(text.into()).or_insert_with(|| {
                Arc::new(Pattern {
                    text: text.into(),
                    built: OnceLock::new(),
                    answers: Mutex::new(HashMap::new()),
                })
            }))
        };
        if checked {
            // `jsonschema` says whether a user's pattern builds, and its message when not.
            let full = pattern
                .built
                .get_or_init(|| build(text).ok().map(Matcher::Full));
            if full.is_none()
                && let Err(e) = build(text)
            {
                // Built again for its message: a broken pattern is a broken schema, rare.
                return Err(format!("pattern {text:?}: {e}"));
            }
        }
        Ok(pattern)
    }

    /// The matcher, built on first use.
    fn matcher(&self) -> Option<&Matcher> {
        self.built
            .get_or_init(|| {
                lite(&self.text)
                    .map(Matcher::Lite)
                    .or_else(|| build(&self.text).ok().map(Matcher::Full))
            })
            .as_ref()
    }

    /// Whether the string `value` matches; `None` when the pattern does not build.
    pub fn matches(&self, value: &Value) -> Option<bool> {
        let matcher = self.matcher()?;
        if let Value::String(text) = value {
            return Some(self.remembered(text, || match matcher {
                Matcher::Lite(regex) => regex.is_match(text),
                Matcher::Full(validator) => validator.is_valid(value),
            }));
        }
        Some(match matcher {
            // `pattern` says nothing of a value that is not a string.
            Matcher::Lite(_) => true,
            Matcher::Full(validator) => validator.is_valid(value),
        })
    }

    /// `matches(text)`, from the answers kept when `text` was matched before.
    fn remembered(&self, text: &str, matches: impl FnOnce() -> bool) -> bool {
        let lock = || match self.answers.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(&answer) = lock().get(text) {
            return answer;
        }
        let answer = matches();
        let mut answers = lock();
        if answers.len() < ANSWERS_KEPT {
            answers.insert(text.into(), answer);
        }
        answer
    }
}

/// `text` as a `regex-lite` regex, when it is written in the syntax where that matches as
/// `jsonschema` does: every backslash escapes a punctuation mark or is `\xHH`; a `.` is only in a
/// class, and a class holds no `[`, `&&`, `--` or `~~` and is not empty; a `(` opens a group,
/// capturing or `(?:`; no `{,`; no character beyond the Basic Multilingual Plane.
pub(super) fn lite(text: &str) -> Option<regex_lite::Regex> {
    let mut in_class = false;
    let mut previous = '\0';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'x' => {
                    let (a, b) = (chars.next()?, chars.next()?);
                    if !a.is_ascii_hexdigit() || !b.is_ascii_hexdigit() {
                        return None;
                    }
                }
                escaped if escaped.is_ascii_punctuation() => {}
                _ => return None,
            },
            '[' if in_class => return None,
            '[' => {
                in_class = true;
                if chars.peek() == Some(&'^') {
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    return None;
                }
            }
            ']' => in_class = false,
            '&' | '-' | '~' if in_class && previous == c => return None,
            '.' if !in_class => return None,
            '{' if chars.peek() == Some(&',') => return None,
            '(' if !in_class && chars.peek() == Some(&'?') => {
                chars.next();
                if chars.next()? != ':' {
                    return None;
                }
            }
            c if u32::from(c) > 0xFFFF => return None,
            _ => {}
        }
        previous = c;
    }
    regex_lite::Regex::new(text).ok()
}

pub(super) fn build(text: &str) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(false)
        .build(&serde_json::json!({ "pattern": text }))
        .map_err(|e| e.to_string())
}

//! Parsing `--set`, `--set-string`, `--set-file` and `--set-json` arguments, in Helm's syntax:
//! `a.b=c,d[0].e=f`, `{x,y}` for a list, `\.` and `\,` to escape, `name=` for an empty string.

use serde_json::Value;

use crate::error::Error;

/// Which flag an argument came from; decides how the right-hand side is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    /// `--set`: `true`/`false`/`null`/integers are typed, the rest are strings.
    Typed,
    /// `--set-string`: always strings.
    String,
    /// `--set-file`: the value is the content of the named file.
    File,
    /// `--set-json`: the value is JSON.
    Json,
}

impl SetKind {
    pub fn flag(self) -> &'static str {
        match self {
            SetKind::Typed => "--set",
            SetKind::String => "--set-string",
            SetKind::File => "--set-file",
            SetKind::Json => "--set-json",
        }
    }
}

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// One `path=value` assignment. For `--set-file` the value is the file name, still unread.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub path: Vec<Segment>,
    pub value: Value,
}

/// The largest list index `--set` accepts, so `a[999999999]=x` cannot allocate gigabytes.
pub const MAX_INDEX: usize = 65_536;

/// Parses one flag argument into its assignments.
pub fn parse(kind: SetKind, arg: &str) -> Result<Vec<Assignment>, Error> {
    Parser {
        kind,
        arg,
        chars: arg.char_indices().collect(),
        pos: 0,
    }
    .assignments()
}

struct Parser<'a> {
    kind: SetKind,
    arg: &'a str,
    chars: Vec<(usize, char)>,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|&(_, c)| c)
    }

    fn offset(&self) -> usize {
        self.chars.get(self.pos).map_or(self.arg.len(), |&(i, _)| i)
    }

    fn error(&self, message: impl Into<String>) -> Error {
        Error::SetSyntax {
            flag: self.kind.flag(),
            arg: self.arg.to_string(),
            position: self.offset(),
            message: message.into(),
        }
    }

    fn assignments(mut self) -> Result<Vec<Assignment>, Error> {
        let mut out = Vec::new();
        if self.arg.trim().is_empty() {
            return Err(self.error("empty assignment"));
        }
        loop {
            let path = self.path()?;
            let value = self.value()?;
            out.push(Assignment { path, value });
            match self.peek() {
                None => return Ok(out),
                Some(',') => {
                    self.pos += 1;
                    if self.peek().is_none() {
                        return Ok(out);
                    }
                }
                Some(c) => return Err(self.error(format!("unexpected `{c}` after a value"))),
            }
        }
    }

    /// Reads `a.b[0].c` up to and including the `=`.
    fn path(&mut self) -> Result<Vec<Segment>, Error> {
        let mut path = Vec::new();
        let mut key = String::new();
        let mut after_index = false;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error("key has no value: expected `=`"));
            };
            self.pos += 1;
            match c {
                '\\' => match self.peek() {
                    Some(escaped) => {
                        key.push(escaped);
                        self.pos += 1;
                    }
                    None => return Err(self.error("a `\\` at the end escapes nothing")),
                },
                '.' => {
                    if key.is_empty() && !after_index {
                        return Err(self.error("empty key before `.`"));
                    }
                    if !key.is_empty() {
                        path.push(Segment::Key(std::mem::take(&mut key)));
                    }
                    after_index = false;
                }
                '[' => {
                    if !key.is_empty() {
                        path.push(Segment::Key(std::mem::take(&mut key)));
                    } else if path.is_empty() {
                        return Err(self.error("a list index needs a key before it"));
                    }
                    path.push(Segment::Index(self.index()?));
                    after_index = true;
                    match self.peek() {
                        Some('.' | '[' | '=') => {}
                        _ => return Err(self.error("expected `.`, `[` or `=` after `]`")),
                    }
                }
                '=' => {
                    if !key.is_empty() {
                        path.push(Segment::Key(key));
                    } else if !after_index {
                        return Err(self.error("empty key before `=`"));
                    }
                    return Ok(path);
                }
                ',' => return Err(self.error("key has no value: expected `=` before `,`")),
                ']' | '{' | '}' => {
                    return Err(
                        self.error(format!("unexpected `{c}` in a key (escape it with `\\`)"))
                    );
                }
                other => {
                    key.push(other);
                    after_index = false;
                }
            }
        }
    }

    fn index(&mut self) -> Result<usize, Error> {
        let start = self.pos;
        while matches!(self.peek(), Some('0'..='9')) {
            self.pos += 1;
        }
        let digits: String = self.chars[start..self.pos]
            .iter()
            .map(|&(_, c)| c)
            .collect();
        if self.peek() != Some(']') || digits.is_empty() {
            return Err(self.error("a list index is digits closed by `]`"));
        }
        self.pos += 1;
        let index: usize = digits
            .parse()
            .map_err(|_| self.error("list index too large"))?;
        if index > MAX_INDEX {
            return Err(self.error(format!("list index {index} is larger than {MAX_INDEX}")));
        }
        Ok(index)
    }

    fn value(&mut self) -> Result<Value, Error> {
        match self.kind {
            SetKind::Json => self.json(),
            _ if self.peek() == Some('{') => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    let (text, end) = self.scalar(&[',', '}'])?;
                    if !(text.is_empty() && end == Some('}') && items.is_empty()) {
                        items.push(self.typed(text));
                    }
                    match end {
                        Some('}') => return Ok(Value::Array(items)),
                        Some(',') => continue,
                        _ => return Err(self.error("a list opened with `{` needs a closing `}`")),
                    }
                }
            }
            _ => {
                let (text, end) = self.scalar(&[','])?;
                if end.is_some() {
                    self.pos -= 1; // leave the separator for the caller
                }
                Ok(self.typed(text))
            }
        }
    }

    /// Reads up to (and consumes) one of `stops`, handling `\` escapes.
    fn scalar(&mut self, stops: &[char]) -> Result<(String, Option<char>), Error> {
        let mut text = String::new();
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == '\\' {
                match self.peek() {
                    Some(escaped) => {
                        text.push(escaped);
                        self.pos += 1;
                    }
                    None => return Err(self.error("a `\\` at the end escapes nothing")),
                }
            } else if stops.contains(&c) {
                return Ok((text, Some(c)));
            } else {
                text.push(c);
            }
        }
        Ok((text, None))
    }

    fn json(&mut self) -> Result<Value, Error> {
        let rest = &self.arg[self.offset()..];
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) => {
                let consumed = stream.byte_offset();
                let end = self.offset() + consumed;
                while self.offset() < end {
                    self.pos += 1;
                }
                Ok(value)
            }
            Some(Err(e)) => Err(self.error(format!("invalid JSON: {e}"))),
            None => Err(self.error("expected a JSON value after `=`")),
        }
    }

    fn typed(&self, text: String) -> Value {
        match self.kind {
            SetKind::String | SetKind::File | SetKind::Json => Value::String(text),
            SetKind::Typed => infer(text),
        }
    }
}

/// `--set`'s typing: booleans, null and integers without a leading zero; anything else is a string.
fn infer(text: String) -> Value {
    if text.eq_ignore_ascii_case("true") {
        Value::Bool(true)
    } else if text.eq_ignore_ascii_case("false") {
        Value::Bool(false)
    } else if text.eq_ignore_ascii_case("null") {
        Value::Null
    } else if text == "0" {
        Value::from(0)
    } else if !text.starts_with('0')
        && let Ok(n) = text.parse::<i64>()
    {
        Value::from(n)
    } else {
        Value::String(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Segment::{Index, Key};
    use serde_json::json;

    fn one(kind: SetKind, arg: &str) -> (Vec<Segment>, Value) {
        let mut all = parse(kind, arg).unwrap();
        assert_eq!(all.len(), 1, "{all:?}");
        let a = all.remove(0);
        (a.path, a.value)
    }

    fn key(k: &str) -> Segment {
        Key(k.to_string())
    }

    #[test]
    fn dotted_keys_and_typing() {
        assert_eq!(
            one(SetKind::Typed, "a.b=c"),
            (vec![key("a"), key("b")], json!("c"))
        );
        assert_eq!(one(SetKind::Typed, "n=10").1, json!(10));
        assert_eq!(one(SetKind::Typed, "n=010").1, json!("010"));
        assert_eq!(one(SetKind::Typed, "n=0").1, json!(0));
        assert_eq!(one(SetKind::Typed, "n=1.5").1, json!("1.5"));
        assert_eq!(one(SetKind::Typed, "b=TRUE").1, json!(true));
        assert_eq!(one(SetKind::Typed, "x=null").1, Value::Null);
        assert_eq!(one(SetKind::Typed, "x=").1, json!(""));
        assert_eq!(one(SetKind::String, "n=10").1, json!("10"));
        assert_eq!(one(SetKind::String, "b=true").1, json!("true"));
    }

    #[test]
    fn several_assignments_and_escapes() {
        let all = parse(SetKind::Typed, r"a=1,b\.c=x\,y,d=2").unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[1].path, vec![key("b.c")]);
        assert_eq!(all[1].value, json!("x,y"));
        assert_eq!(all[2].value, json!(2));
    }

    #[test]
    fn list_indexes_and_brace_lists() {
        assert_eq!(
            one(SetKind::Typed, "a[0].b[2]=x").0,
            vec![key("a"), Index(0), key("b"), Index(2)]
        );
        assert_eq!(one(SetKind::Typed, "l={a,2,true}").1, json!(["a", 2, true]));
        assert_eq!(one(SetKind::Typed, "l={}").1, json!([]));
        let all = parse(SetKind::Typed, "l={a,b},m=1").unwrap();
        assert_eq!(all[1].value, json!(1));
    }

    #[test]
    fn json_values_may_hold_commas() {
        let all = parse(SetKind::Json, r#"a={"x":[1,2]},b=true"#).unwrap();
        assert_eq!(all[0].value, json!({"x": [1, 2]}));
        assert_eq!(all[1].value, json!(true));
    }

    #[test]
    fn syntax_errors_say_where() {
        for bad in [
            "a",
            "a.b",
            "=x",
            "a..b=1",
            "a[x]=1",
            "a[1]b=2",
            "a={x,y",
            "[0]=1",
            "a[70000]=1",
            "",
        ] {
            let err = parse(SetKind::Typed, bad).unwrap_err();
            assert!(matches!(err, Error::SetSyntax { .. }), "{bad}: {err}");
        }
        assert!(parse(SetKind::Json, "a={bad").is_err());
    }
}

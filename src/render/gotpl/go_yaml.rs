//! YAML written as Helm's `toYaml` writes it (Go's `sigs.k8s.io/yaml` over go-yaml v2), byte for
//! byte where charts hash the text (`checksum/config` annotations): keys sorted, a list's items at
//! their key's indentation, a string left plain unless YAML 1.1 would read it as something else
//! (then double-quoted) or a plain scalar cannot hold it (then single-quoted), multi-line strings
//! as literal blocks, and plain text folded at spaces past column 80.

use serde_json::Value;

#[cfg(test)]
mod folded_same;

/// Go's emitter breaks a plain or single-quoted scalar at a space once a line passes this.
const BEST_WIDTH: usize = 80;

/// `value` as Helm's `toYaml` prints it, ending with a newline.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, value, 0),
        Value::Array(items) if !items.is_empty() => write_list(&mut out, items, 0),
        other => {
            // A document's root scalar is indented as a map's value would be: a literal block's
            // lines and a folded string's continuation lines start at column 2.
            out.push_str(&scalar(other, 2, 0));
            out.push('\n');
        }
    }
    out
}

fn write_map(out: &mut String, map: &Value, indent: usize) {
    let Value::Object(map) = map else { return };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    for key in keys {
        let value = &map[key.as_str()];
        push_indent(out, indent);
        let key_text = string_scalar(key, indent, indent);
        out.push_str(&key_text);
        out.push(':');
        match value {
            Value::Object(inner) if !inner.is_empty() => {
                out.push('\n');
                write_map(out, value, indent + 2);
            }
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                write_list(out, items, indent);
            }
            other => {
                out.push(' ');
                let column = indent + key_text.chars().count() + 2;
                out.push_str(&scalar(other, indent + 2, column));
                out.push('\n');
            }
        }
    }
}

fn write_list(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        push_indent(out, indent);
        out.push_str("- ");
        match item {
            Value::Object(inner) if !inner.is_empty() => {
                let mut nested = String::new();
                write_map(&mut nested, item, indent + 2);
                out.push_str(&nested[indent + 2..]);
            }
            Value::Array(inner) if !inner.is_empty() => {
                let mut nested = String::new();
                write_list(&mut nested, inner, indent + 2);
                out.push_str(&nested[indent + 2..]);
            }
            other => {
                out.push_str(&scalar(other, indent + 2, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// A scalar (or an empty map or list) written at `column`, continuation lines at `indent`.
fn scalar(value: &Value, indent: usize, column: usize) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(s) => string_scalar(s, indent, column),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// Numbers as they come back from Go's JSON: integral values as integers, others as Go's `%v`.
fn number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f == 0.0 {
        return "0".into(); // -0 too: Go's JSON writes it as an integer, 0
    }
    if f.fract() == 0.0 && f.abs() < 1e21 {
        // Shortest digits that read back, zero-padded, as Go's strconv `'f', -1` prints.
        return format!("{f}");
    }
    gotmpl::Value::Float(f).to_string()
}

fn string_scalar(s: &str, indent: usize, column: usize) -> String {
    let printable = s
        .chars()
        .all(|c| c == '\n' || (!c.is_control() && c != '\u{feff}'));
    if !printable {
        return double_quoted(s);
    }
    if s.contains('\n') {
        // A space before a line break, or at the very end, rules a block out (Go's
        // `space_break` and `trailing_space`); a leading space or break does not.
        if s.split('\n').any(|l| l.ends_with(' ')) {
            return double_quoted(s);
        }
        return literal(s, indent);
    }
    if resolves_to_other_than_string(s) {
        return double_quoted(s);
    }
    if plain_allowed(s) {
        return folded(s, indent, column);
    }
    let quoted = format!("'{}'", s.replace('\'', "''"));
    folded(&quoted, indent, column)
}

/// Breaks text at single spaces once the line passes column 80, as Go's emitter does.
fn folded(text: &str, indent: usize, column: usize) -> String {
    // A break is made only at a space past the width: most scalars have no space, or end
    // before the width (counted in bytes, at least its characters).
    if !text.contains(' ') || column + text.len() <= BEST_WIDTH + 1 {
        return text.to_string();
    }
    folded_walk(text, indent, column)
}

/// [`folded`] without its early answer: the walk over every character.
fn folded_walk(text: &str, indent: usize, column: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut col = column;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev_space = i > 0 && chars[i - 1] == ' ';
        let next_space = chars.get(i + 1) == Some(&' ');
        if c == ' ' && !prev_space && !next_space && col > BEST_WIDTH && i + 1 < chars.len() {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent));
            col = indent;
            continue;
        }
        out.push(c);
        col += 1;
    }
    out
}

fn literal(s: &str, indent: usize) -> String {
    // Text that starts with a space or a line break would hide the block's indentation, so Go
    // states it: `|2` (its best indent).
    let hint = if s.starts_with([' ', '\n']) { "2" } else { "" };
    let chomp = if !s.ends_with('\n') {
        "-"
    } else if s == "\n" || s.ends_with("\n\n") {
        "+"
    } else {
        ""
    };
    let mut out = format!("|{hint}{chomp}");
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str(line);
        }
    }
    if chomp == "+" {
        // The kept trailing newlines beyond the first are empty lines of the block.
        let extra = s.len() - s.trim_end_matches('\n').len() - 1;
        for _ in 1..extra {
            out.push('\n');
        }
    }
    out
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() || c == '\u{feff}' => {
                let code = c as u32;
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02X}"));
                } else {
                    out.push_str(&format!("\\u{code:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether go-yaml v2 would read the plain text as something other than a string (a bool of
/// YAML 1.1, null, an int in any base, a float, a timestamp, a base-60 number, a merge key).
fn resolves_to_other_than_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL",
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan",
        ".NaN", ".NAN", "<<",
    ];
    if s.is_empty() || WORDS.contains(&s) {
        return true;
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return false;
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    is_go_int(&plain) || is_yaml_float(&plain) || is_timestamp(s) || is_base60(s)
}

/// Go's `strconv.ParseInt(s, 0, 64)` accepts it (or an unsigned too large for it).
fn is_go_int(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() {
        return false;
    }
    let (radix, rest) = if let Some(r) = digits.strip_prefix("0x").or(digits.strip_prefix("0X")) {
        (16, r)
    } else if let Some(r) = digits.strip_prefix("0b").or(digits.strip_prefix("0B")) {
        (2, r)
    } else if let Some(r) = digits.strip_prefix("0o").or(digits.strip_prefix("0O")) {
        (8, r)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    !rest.is_empty() && rest.chars().all(|c| c.is_digit(radix))
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, go-yaml v2's float form.
fn is_yaml_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => !frac.is_empty() && frac.chars().all(|c| c.is_ascii_digit()),
        Some((int, frac)) => {
            !int.is_empty()
                && int.chars().all(|c| c.is_ascii_digit())
                && frac.chars().all(|c| c.is_ascii_digit())
        }
        None => !mantissa.is_empty() && mantissa.chars().all(|c| c.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// A date, or a date and time, as go-yaml v2 reads timestamps (`2001-12-14`, `2001-12-14T21:59:43Z`).
fn is_timestamp(s: &str) -> bool {
    let date_end = s.find(['T', 't', ' ']).unwrap_or(s.len());
    let mut parts = s[..date_end].split('-');
    let ok = |p: Option<&str>, min: usize, max: usize| {
        p.is_some_and(|p| (min..=max).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
    };
    ok(parts.next(), 4, 4)
        && ok(parts.next(), 1, 2)
        && ok(parts.next(), 1, 2)
        && parts.next().is_none()
        && (date_end == s.len() || s[date_end + 1..].contains(':'))
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`: YAML 1.1's base-60 numbers.
fn is_base60(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (main, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut parts = main.split(':');
    let head = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && head.starts_with(|c: char| c.is_ascii_digit())
        && head.chars().all(|c| c.is_ascii_digit() || c == '_')
        && rest.iter().all(|p| match p.as_bytes() {
            [d] => d.is_ascii_digit(),
            [a, b] => (b'0'..=b'5').contains(a) && b.is_ascii_digit(),
            _ => false,
        })
        && frac.chars().all(|c| c.is_ascii_digit() || c == '_')
}

/// Whether go-yaml's emitter may write the text as a plain scalar in block context.
fn plain_allowed(s: &str) -> bool {
    if s.starts_with(' ') || s.ends_with(' ') || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    if matches!(
        first,
        '#' | ','
            | '['
            | ']'
            | '{'
            | '}'
            | '&'
            | '*'
            | '!'
            | '|'
            | '>'
            | '\''
            | '"'
            | '%'
            | '@'
            | '`'
    ) {
        return false;
    }
    let second = s.chars().nth(1);
    if matches!(first, '-' | '?' | ':') && second.is_none_or(|c| c == ' ') {
        return false;
    }
    !(s.contains(": ") || s.contains(" #") || s.ends_with(':'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What helm 4.1.4's `toYaml` printed for these values (checked by hand).
    #[test]
    fn writes_what_helms_to_yaml_writes() {
        let value = json!({
            "version": "12.0.2", "num": "123", "float": "1.5", "octal": "0123", "bool": true,
            "int": 42, "float2": 3.25, "big": 1000000.0, "empty": "", "nul": null,
            "list": ["a", "b c", 1, true], "nested": {"x": {"true": [1, 2]}, "z": []},
            "emptymap": {}, "colon": "a: b", "hash": "a #b", "lead": " lead", "dash": "-x",
            "star": "*x", "multi": "line1\nline2\n", "multi2": "line1\nline2",
            "long": "this is a very long string that goes on and on and on past the eighty column limit of the emitter for sure",
            "date": "2001-12-14", "tilde": "~", "quote": "it's", "dq": "say \"hi\"",
            "url": "http://example.com:8080/path", "star2": "a*b", "sci": "1e3", "hex": "0x1F",
            "under": "1_000", "inf": ".inf", "unicode": "héllo", "tab": "a\tb",
            "false": "n", "true": "y",
        });
        let expected = r#"big: 1000000
bool: true
colon: 'a: b'
dash: -x
date: "2001-12-14"
dq: say "hi"
empty: ""
emptymap: {}
"false": "n"
float: "1.5"
float2: 3.25
hash: 'a #b'
hex: "0x1F"
inf: ".inf"
int: 42
lead: ' lead'
list:
- a
- b c
- 1
- true
long: this is a very long string that goes on and on and on past the eighty column
  limit of the emitter for sure
multi: |
  line1
  line2
multi2: |-
  line1
  line2
nested:
  x:
    "true":
    - 1
    - 2
  z: []
nul: null
num: "123"
octal: "0123"
quote: it's
sci: "1e3"
star: '*x'
star2: a*b
tab: "a\tb"
tilde: "~"
"true": "y"
under: "1_000"
unicode: héllo
url: http://example.com:8080/path
version: 12.0.2
"#;
        assert_eq!(to_string(&value), expected);
    }

    #[test]
    fn maps_in_lists_start_on_the_dash_line() {
        let value = json!({"items": [{"name": "a", "ports": [80, 443]}, [1, 2]]});
        assert_eq!(
            to_string(&value),
            "items:\n- name: a\n  ports:\n  - 80\n  - 443\n- - 1\n  - 2\n"
        );
    }

    /// Regression: a multi-line string given to `toYaml` alone came out with its lines at
    /// column 0, so a chart hashing it (Bitnami's prometheus `checksum/configmap`) got another
    /// hash than helm's. Expected texts are what helm 4.1.4 printed.
    #[test]
    fn root_and_leading_space_blocks_are_indented_as_go_indents_them() {
        let cases = [
            (json!("a:\n  b\n"), "|\n  a:\n    b\n"),
            (json!("one\ntwo"), "|-\n  one\n  two\n"),
            (json!("\nlead"), "|2-\n\n  lead\n"),
            (json!(" lead\ntwo\n\n"), "|2+\n   lead\n  two\n\n"),
            (json!("\n"), "|2+\n\n"),
            (json!(["x\n y"]), "- |-\n  x\n   y\n"),
            (json!({"k": [" a\nb"]}), "k:\n- |2-\n   a\n  b\n"),
            (json!({"k": "\n\nx"}), "k: |2-\n\n\n  x\n"),
            (json!("a\n  b \nc"), "\"a\\n  b \\nc\"\n"),
            (
                json!(
                    "this is a very long string that goes on and on and on past the eighty column limit of the emitter"
                ),
                "this is a very long string that goes on and on and on past the eighty column limit\n  of the emitter\n",
            ),
        ];
        for (value, expected) in cases {
            assert_eq!(to_string(&value), expected, "{value}");
        }
    }

    /// Integral floats as Go's JSON writes them before go-yaml reads them back: shortest
    /// digits, zero-padded, and -0 as 0 (what helm 4.1.4 printed).
    #[test]
    fn large_and_negative_zero_floats_print_as_go_prints_them() {
        let value = json!({"big": 12345678901234567890.0_f64, "neg": -0.0, "small": 0.000001});
        assert_eq!(
            to_string(&value),
            "big: 12345678901234567000\nneg: 0\nsmall: 1e-06\n"
        );
    }
}

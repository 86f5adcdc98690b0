//! Go's `fmt` as templates use it: `%v` printing of every value, `print`/`println` spacing, and
//! `printf` with its verbs, flags, widths, precisions, argument indexes and `%!` error forms.

use std::fmt::Write as _;

use crate::value::Value;

mod float;
mod printf;

pub use printf::sprintf;

use float::write_float;

/// Go's `fmt.Sprint(v)`: `%v` of one value.
pub fn sprint_v(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 'v', &Spec::default());
    out
}

/// Go's `fmt.Sprint(args...)`: a space between operands when neither side is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    let mut prev_string = false;
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::String(_));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        write_value(&mut out, arg, 'v', &Spec::default());
        prev_string = is_string;
    }
    out
}

/// Go's `fmt.Sprintln(args...)`: always spaced, newline at the end.
pub fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        write_value(&mut out, arg, 'v', &Spec::default());
    }
    out.push('\n');
    out
}

/// Flags, width and precision of one verb.
#[derive(Default, Clone)]
struct Spec {
    plus: bool,
    minus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// Writes one value under one verb, as Go's `printArg`/`printValue` do.
fn write_value(out: &mut String, value: &Value, verb: char, spec: &Spec) {
    if verb == 'T' {
        pad(out, value.type_name(), spec);
        return;
    }
    match value {
        Value::Nil => match verb {
            'v' => pad(out, "<nil>", spec),
            _ => bad_verb(out, value, verb),
        },
        Value::Bool(b) => match verb {
            't' | 'v' => pad(out, if *b { "true" } else { "false" }, spec),
            _ => bad_verb(out, value, verb),
        },
        Value::Int(i) | Value::Int64(i) => write_int(out, *i, verb, spec, value),
        Value::Float(f) => write_float(out, *f, verb, spec, value),
        Value::String(s) => write_str(out, s, verb, spec, value),
        Value::List(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(' ');
                }
                write_value(out, item, verb, spec);
            }
            out.push(']');
        }
        Value::Map(map) => {
            out.push_str("map[");
            for (n, (k, v)) in map.iter().enumerate() {
                if n > 0 {
                    out.push(' ');
                }
                write_str(out, &k, verb, spec, &Value::str(k.as_str()));
                out.push(':');
                write_value(out, &v, verb, spec);
            }
            out.push(']');
        }
        Value::Object(o) => match verb {
            'v' | 's' => pad(out, &o.to_text(), spec),
            _ => bad_verb(out, value, verb),
        },
        Value::Func(_) => match verb {
            'v' | 'p' => pad(out, "0xc000000000", spec),
            _ => bad_verb(out, value, verb),
        },
    }
}

/// Go's `%#v`: the value as Go source, `[]interface {}{1, "a"}`, `map[string]interface {}{"k":1}`
/// (a nil inside a list or map is `interface {}(nil)`, at the top `<nil>`).
pub(super) fn write_go_syntax(out: &mut String, value: &Value, top: bool) {
    match value {
        Value::Nil if top => out.push_str("<nil>"),
        Value::Nil => out.push_str("interface {}(nil)"),
        Value::String(s) => out.push_str(&quote(s, false)),
        Value::List(items) => {
            out.push_str("[]interface {}{");
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                write_go_syntax(out, item, false);
            }
            out.push('}');
        }
        Value::Map(map) => {
            out.push_str("map[string]interface {}{");
            for (n, (k, v)) in map.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quote(&k, false));
                out.push(':');
                write_go_syntax(out, &v, false);
            }
            out.push('}');
        }
        // Numbers and booleans as `%v` prints them; objects (Helm's `.Files`, ...) too, which
        // Go would print as their struct.
        other => write_value(out, other, 'v', &Spec::default()),
    }
}

/// Go's `%!d(string=x)`.
fn bad_verb(out: &mut String, value: &Value, verb: char) {
    let _ = write!(out, "%!{verb}(");
    if let Value::Nil = value {
        out.push_str("<nil>");
    } else {
        out.push_str(value.type_name());
        out.push('=');
        write_value(out, value, 'v', &Spec::default());
    }
    out.push(')');
}

/// Pads with spaces (or zeros with the `0` flag) to the width; `-` pads on the right.
fn pad(out: &mut String, s: &str, spec: &Spec) {
    let len = s.chars().count();
    let width = spec.width.unwrap_or(0);
    if len >= width {
        out.push_str(s);
        return;
    }
    let fill = width - len;
    if spec.minus {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', fill));
    } else {
        let c = if spec.zero { '0' } else { ' ' };
        out.extend(std::iter::repeat_n(c, fill));
        out.push_str(s);
    }
}

/// Pads a number: zeros go after the sign, and never on the right.
fn pad_number(out: &mut String, sign: &str, digits: &str, spec: &Spec, zero_ok: bool) {
    let width = spec.width.unwrap_or(0);
    let len = sign.len() + digits.chars().count();
    if spec.zero && zero_ok && !spec.minus && len < width {
        out.push_str(sign);
        out.extend(std::iter::repeat_n('0', width - len));
        out.push_str(digits);
    } else {
        let no_zero = Spec {
            zero: false,
            ..spec.clone()
        };
        pad(out, &format!("{sign}{digits}"), &no_zero);
    }
}

fn write_int(out: &mut String, i: i64, verb: char, spec: &Spec, value: &Value) {
    let magnitude = i.unsigned_abs();
    let mut digits = match verb {
        'd' | 'v' => magnitude.to_string(),
        'b' => format!("{magnitude:b}"),
        'o' | 'O' => format!("{magnitude:o}"),
        'x' => format!("{magnitude:x}"),
        'X' => format!("{magnitude:X}"),
        'c' => {
            let c = char::from_u32(i as u32)
                .filter(|_| (0..=0x10FFFF).contains(&i))
                .unwrap_or('\u{FFFD}');
            pad(out, &c.to_string(), spec);
            return;
        }
        'q' => {
            let c = char::from_u32(i as u32)
                .filter(|_| (0..=0x10FFFF).contains(&i))
                .unwrap_or('\u{FFFD}');
            pad(out, &quote_rune(c, spec.plus), spec);
            return;
        }
        'U' => {
            let mut text = format!("U+{magnitude:04X}");
            if spec.sharp
                && let Some(c) = char::from_u32(i as u32).filter(|&c| is_print(c))
            {
                text.push_str(&format!(" '{c}'"));
            }
            pad(out, &text, spec);
            return;
        }
        _ => {
            bad_verb(out, value, verb);
            return;
        }
    };
    // Precision is the minimum number of digits; an explicit 0 precision prints nothing for 0.
    if let Some(p) = spec.prec {
        if p == 0 && i == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let prefix = match (spec.sharp, verb) {
        (true, 'b') => "0b",
        (true, 'o') if !digits.starts_with('0') => "0",
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        (_, 'O') => "0o",
        _ => "",
    };
    let sign = if i < 0 {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    pad_number(
        out,
        &format!("{sign}{prefix}"),
        &digits,
        spec,
        spec.prec.is_none(),
    );
}

fn write_str(out: &mut String, s: &str, verb: char, spec: &Spec, value: &Value) {
    match verb {
        'v' | 's' => {
            let s = truncate(s, spec.prec);
            pad(out, s, spec);
        }
        'q' => {
            let s = truncate(s, spec.prec);
            let quoted = if spec.sharp
                && !s.contains('`')
                && !s.chars().any(|c| c.is_control() && c != '\t')
            {
                format!("`{s}`")
            } else {
                quote(s, spec.plus)
            };
            pad(out, &quoted, spec);
        }
        'x' | 'X' => {
            let s = truncate(s, spec.prec);
            let mut hex = String::new();
            for (n, b) in s.bytes().enumerate() {
                if spec.space && n > 0 {
                    hex.push(' ');
                }
                if spec.sharp && (spec.space || n == 0) {
                    hex.push_str(if verb == 'x' { "0x" } else { "0X" });
                }
                if verb == 'x' {
                    let _ = write!(hex, "{b:02x}");
                } else {
                    let _ = write!(hex, "{b:02X}");
                }
            }
            pad(out, &hex, spec);
        }
        _ => bad_verb(out, value, verb),
    }
}

/// Precision on strings counts runes.
fn truncate(s: &str, prec: Option<usize>) -> &str {
    match prec {
        Some(p) => match s.char_indices().nth(p) {
            Some((i, _)) => &s[..i],
            None => s,
        },
        None => s,
    }
}

/// Go's `strconv.Quote` (`QuoteToASCII` when `ascii`).
pub fn quote(s: &str, ascii: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        escape_rune(&mut out, c, '"', ascii);
    }
    out.push('"');
    out
}

fn quote_rune(c: char, ascii: bool) -> String {
    let mut out = String::from("'");
    escape_rune(&mut out, c, '\'', ascii);
    out.push('\'');
    out
}

fn escape_rune(out: &mut String, c: char, quote: char, ascii: bool) {
    match c {
        _ if c == quote || c == '\\' => {
            out.push('\\');
            out.push(c);
        }
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        _ if (c as u32) < 0x20 || c == '\u{7f}' => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        _ if is_print(c) && (!ascii || c.is_ascii()) => out.push(c),
        _ if (c as u32) < 0x10000 => {
            let _ = write!(out, "\\u{:04x}", c as u32);
        }
        _ => {
            let _ = write!(out, "\\U{:08x}", c as u32);
        }
    }
}

/// An approximation of Go's `strconv.IsPrint`: graphic characters and the ASCII space.
pub fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(c as u32, 0xAD | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB)
        || (0xE000..=0xF8FF).contains(&(c as u32)))
}

//! Go's `fmt` as templates use it: `%v` printing of every value, `print`/`println` spacing, and
//! `printf` with its verbs, flags, widths, precisions, argument indexes and `%!` error forms.

use std::fmt::Write as _;

use crate::value::Value;

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

/// Go rejects widths and precisions above a million (`tooLarge`).
const TOO_LARGE: usize = 1_000_000;

/// Go's `fmt.Sprintf(format, args...)`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let bytes = format.as_bytes();
    let mut i = 0;
    let mut arg_num = 0;
    let mut reordered = false;
    let mut good_arg_num = true;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i] != b'%' {
            i += 1;
        }
        out.push_str(&format[start..i]);
        if i >= bytes.len() {
            break;
        }
        i += 1; // past '%'
        let mut spec = Spec::default();
        while i < bytes.len() {
            match bytes[i] {
                b'#' => spec.sharp = true,
                b'0' => spec.zero = !spec.minus,
                b'+' => spec.plus = true,
                b'-' => {
                    spec.minus = true;
                    spec.zero = false;
                }
                b' ' => spec.space = true,
                _ => break,
            }
            i += 1;
        }
        // Argument index before the width.
        (arg_num, i, good_arg_num) =
            arg_index(format, i, arg_num, args.len(), &mut reordered, good_arg_num);
        if i < bytes.len() && bytes[i] == b'*' {
            i += 1;
            match int_arg(args, arg_num) {
                Some(w) => {
                    arg_num += 1;
                    if w < 0 {
                        spec.minus = true;
                        spec.zero = false;
                    }
                    let w = w.unsigned_abs() as usize;
                    if w > TOO_LARGE {
                        out.push_str("%!(BADWIDTH)");
                    } else {
                        spec.width = Some(w);
                    }
                }
                None => {
                    arg_num += 1;
                    out.push_str("%!(BADWIDTH)");
                }
            }
            reordered = false;
        } else {
            let (n, next) = parse_num(bytes, i);
            if next > i {
                if n > TOO_LARGE {
                    out.push_str("%!(BADWIDTH)");
                } else {
                    spec.width = Some(n);
                }
                i = next;
            }
        }
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            (arg_num, i, good_arg_num) =
                arg_index(format, i, arg_num, args.len(), &mut reordered, good_arg_num);
            if i < bytes.len() && bytes[i] == b'*' {
                i += 1;
                match int_arg(args, arg_num) {
                    Some(p) if p >= 0 && (p as usize) <= TOO_LARGE => spec.prec = Some(p as usize),
                    _ => out.push_str("%!(BADPREC)"),
                }
                arg_num += 1;
                reordered = false;
            } else {
                let (n, next) = parse_num(bytes, i);
                spec.prec = Some(n.min(TOO_LARGE));
                i = next;
            }
        }
        if !reordered {
            (arg_num, i, good_arg_num) =
                arg_index(format, i, arg_num, args.len(), &mut reordered, good_arg_num);
        }
        let Some(verb) = format[i..].chars().next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        i += verb.len_utf8();
        if verb == '%' {
            out.push('%');
            continue;
        }
        if !good_arg_num {
            let _ = write!(out, "%!{verb}(BADINDEX)");
            continue;
        }
        if arg_num >= args.len() {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        }
        if verb == 'v' {
            // `%+v` and `%#v` ask for field names and Go syntax, not a sign.
            spec.plus = false;
            spec.sharp = false;
        }
        write_value(&mut out, &args[arg_num], verb, &spec);
        arg_num += 1;
    }
    if !reordered && arg_num < args.len() {
        out.push_str("%!(EXTRA ");
        for (n, arg) in args[arg_num..].iter().enumerate() {
            if n > 0 {
                out.push_str(", ");
            }
            if let Value::Nil = arg {
                out.push_str("<nil>");
            } else {
                out.push_str(arg.type_name());
                out.push('=');
                write_value(&mut out, arg, 'v', &Spec::default());
            }
        }
        out.push(')');
    }
    out
}

/// Parses `[n]`; returns the new argument number, position and whether the index was good.
fn arg_index(
    format: &str,
    i: usize,
    arg_num: usize,
    nargs: usize,
    reordered: &mut bool,
    good: bool,
) -> (usize, usize, bool) {
    let bytes = format.as_bytes();
    if i >= bytes.len() || bytes[i] != b'[' {
        return (arg_num, i, good);
    }
    *reordered = true;
    let Some(close) = format[i..].find(']') else {
        return (arg_num, bytes.len(), false);
    };
    let (n, end) = parse_num(bytes, i + 1);
    if end != i + close || end == i + 1 || n < 1 || n > nargs {
        return (arg_num, i + close + 1, false);
    }
    (n - 1, i + close + 1, true)
}

fn parse_num(bytes: &[u8], mut i: usize) -> (usize, usize) {
    let mut n: usize = 0;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        n = n
            .saturating_mul(10)
            .saturating_add(usize::from(bytes[i] - b'0'));
        i += 1;
    }
    (n, i)
}

fn int_arg(args: &[Value], n: usize) -> Option<i64> {
    args.get(n).and_then(Value::as_int)
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
                write_str(out, k, verb, spec, &Value::str(k.as_str()));
                out.push(':');
                write_value(out, v, verb, spec);
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

fn write_float(out: &mut String, f: f64, verb: char, spec: &Spec, value: &Value) {
    let body = match verb {
        'v' | 'g' | 'G' => {
            let s = format_g(f.abs(), spec.prec);
            if verb == 'G' { s.to_uppercase() } else { s }
        }
        'e' | 'E' => {
            let s = format_e(f.abs(), spec.prec.unwrap_or(6));
            if verb == 'E' { s.to_uppercase() } else { s }
        }
        'f' | 'F' => format!("{:.*}", spec.prec.unwrap_or(6), f.abs()),
        _ => {
            bad_verb(out, value, verb);
            return;
        }
    };
    if f.is_nan() {
        let sign = if spec.plus {
            "+"
        } else if spec.space {
            " "
        } else {
            ""
        };
        pad_number(out, sign, "NaN", spec, false);
        return;
    }
    let body = if f.is_infinite() {
        "Inf".to_string()
    } else if spec.sharp && verb != 'v' {
        sharp_float(body, verb, spec.prec)
    } else {
        body
    };
    let sign = if f.is_sign_negative() {
        "-"
    } else if spec.plus || (verb == 'v' && f.is_infinite()) {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    pad_number(out, sign, &body, spec, f.is_finite());
}

/// The decimal digits (no trailing zeros) and decimal-point position of `f` (non-negative),
/// shortest round-trip when `sig` is `None`, else rounded to `sig` significant digits.
fn decimal_digits(f: f64, sig: Option<usize>) -> (String, i32) {
    if f == 0.0 {
        return ("0".to_string(), 1);
    }
    let text = match sig {
        None => format!("{f:e}"),
        Some(n) => format!("{:.*e}", n.max(1) - 1, f),
    };
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    (digits, exp + 1)
}

/// Go's `strconv.FormatFloat(f, 'g', prec, 64)` for non-negative `f`. `None` is the shortest
/// form `%v` uses, which takes an exponent below 1e-4 and from 1e+06 up (Go decides with a
/// precision of 6 there), so Helm prints a value of 1000000 as `1e+06`.
fn format_g(f: f64, prec: Option<usize>) -> String {
    if f.is_nan() || f.is_infinite() {
        return String::new();
    }
    let (digits, dp) = decimal_digits(f, prec.map(|p| p.max(1)));
    let nd = digits.len() as i32;
    let mut eprec = prec.map_or(nd, |p| p.max(1) as i32);
    if eprec > nd && nd >= dp {
        eprec = nd;
    }
    if prec.is_none() {
        eprec = 6;
    }
    let exp = dp - 1;
    if exp < -4 || exp >= eprec {
        let mut s = digits[..1].to_string();
        if nd > 1 {
            s.push('.');
            s.push_str(&digits[1..]);
        }
        push_exponent(&mut s, exp);
        s
    } else {
        fixed_from_digits(&digits, dp)
    }
}

/// The `#` flag on floats: always a decimal point, and for `%g` the trailing zeros kept up to
/// the precision (6 by default), as Go's `fmt` does.
fn sharp_float(num: String, verb: char, prec: Option<usize>) -> String {
    let mut digits: i64 = match verb {
        'g' | 'G' => prec.map_or(6, |p| p as i64),
        _ => 0,
    };
    let (mut mantissa, tail) = match num.find(['e', 'E']) {
        Some(i) => (num[..i].to_string(), num[i..].to_string()),
        None => (num, String::new()),
    };
    let mut saw_nonzero = false;
    for c in mantissa.chars().filter(char::is_ascii_digit) {
        saw_nonzero |= c != '0';
        if saw_nonzero {
            digits -= 1;
        }
    }
    if !mantissa.contains('.') {
        if mantissa == "0" {
            digits -= 1;
        }
        mantissa.push('.');
    }
    while digits > 0 {
        mantissa.push('0');
        digits -= 1;
    }
    mantissa + &tail
}

/// The digits as a plain decimal with the point at `dp`.
fn fixed_from_digits(digits: &str, dp: i32) -> String {
    let nd = digits.len() as i32;
    if dp <= 0 {
        format!("0.{}{}", "0".repeat((-dp) as usize), digits)
    } else if dp >= nd {
        format!("{}{}", digits, "0".repeat((dp - nd) as usize))
    } else {
        format!("{}.{}", &digits[..dp as usize], &digits[dp as usize..])
    }
}

/// `%e` with `prec` digits after the point, exponent with a sign and at least two digits.
fn format_e(f: f64, prec: usize) -> String {
    if f.is_nan() || f.is_infinite() {
        return String::new();
    }
    let text = format!("{f:.prec$e}");
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let mut s = mantissa.to_string();
    push_exponent(&mut s, exp.parse().unwrap_or(0));
    s
}

fn push_exponent(s: &mut String, exp: i32) {
    let _ = write!(s, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
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

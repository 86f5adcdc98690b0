//! Go's `fmt.Sprintf` format parsing: flags, widths and precisions (literal or `*`),
//! argument indexes `%[n]`, and the `%!verb(MISSING)`, `%!(EXTRA ...)`, `%!(NOVERB)`,
//! `%!(BADWIDTH)`, `%!(BADPREC)` and `%!v(BADINDEX)` forms.

use std::fmt::Write as _;

use crate::value::Value;

use super::{Spec, write_value};

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
            if spec.sharp {
                spec.sharp = false;
                super::write_go_syntax(&mut out, &args[arg_num], true);
                arg_num += 1;
                continue;
            }
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

//! Go's float formatting (`strconv.FormatFloat` under `fmt`): shortest `%v`, `%e`, `%f`, `%g`
//! with precisions, and the `#` flag. Rust's float formatting supplies correctly rounded
//! digits; the layout rules are Go's.

use std::fmt::Write as _;

use crate::value::Value;

use super::{Spec, bad_verb, pad_number};

pub(super) fn write_float(out: &mut String, f: f64, verb: char, spec: &Spec, value: &Value) {
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

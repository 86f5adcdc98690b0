//! The JSON functions sprig keeps under Helm (Helm replaces `toJson` and `fromJson` with its own):
//! `mustToJson`, `toPrettyJson`, `mustToPrettyJson`, `toRawJson`, `mustToRawJson`,
//! `mustFromJson`. Output is Go's `encoding/json`: keys sorted, `<`, `>`, `&` escaped as
//! `\u003c` (except in the raw forms), floats in Go's form (`1e+21`, `1e-7`).

use std::fmt::Write as _;

use gotmpl::{Error, Param, Value};

use crate::{Registry, s};

/// Encodes `value` as Go's `json.Marshal` (or `MarshalIndent` with two spaces when `pretty`).
pub fn encode(value: &Value, pretty: bool, escape_html: bool) -> Result<String, Error> {
    let mut out = String::new();
    write_value(&mut out, value, pretty, escape_html, 0)?;
    Ok(out)
}

fn newline(out: &mut String, pretty: bool, depth: usize) {
    if pretty {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    }
}

fn write_value(
    out: &mut String,
    value: &Value,
    pretty: bool,
    html: bool,
    depth: usize,
) -> Result<(), Error> {
    match value {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) | Value::Int64(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&float(*f)?),
        Value::String(text) => write_string(out, text, html),
        Value::List(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, pretty, depth + 1);
                write_value(out, item, pretty, html, depth + 1)?;
            }
            newline(out, pretty, depth);
            out.push(']');
        }
        Value::Map(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, pretty, depth + 1);
                write_string(out, &key, html);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write_value(out, &item, pretty, html, depth + 1)?;
            }
            newline(out, pretty, depth);
            out.push('}');
        }
        Value::Object(o) => match o.as_value() {
            Some(plain) => write_value(out, &plain, pretty, html, depth)?,
            None => write_string(out, &o.to_text(), html),
        },
        Value::Func(_) => {
            return Err(Error::new(format!(
                "json: unsupported type: {}",
                value.type_name()
            )));
        }
    }
    Ok(())
}

/// A float as Go's `encoding/json` writes it.
fn float(f: f64) -> Result<String, Error> {
    if !f.is_finite() {
        let shown = if f.is_nan() {
            "NaN"
        } else if f > 0.0 {
            "+Inf"
        } else {
            "-Inf"
        };
        return Err(Error::new(format!("json: unsupported value: {shown}")));
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let text = format!("{f:e}");
        let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let (sign, digits) = match exp.strip_prefix('-') {
            Some(d) => ('-', d),
            None => ('+', exp),
        };
        // Go pads the exponent to two digits, then drops the pad of a negative one.
        let digits = if digits.len() < 2 && sign == '+' {
            format!("0{digits}")
        } else {
            digits.to_string()
        };
        return Ok(format!("{mantissa}e{sign}{digits}"));
    }
    Ok(format!("{f}"))
}

fn write_string(out: &mut String, text: &str, html: bool) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if html => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub(crate) fn register(r: &mut Registry<'_>) {
    let variants: [(&str, bool, bool, bool); 5] = [
        ("mustToJson", false, true, true),
        ("toPrettyJson", true, true, false),
        ("mustToPrettyJson", true, true, true),
        ("toRawJson", false, false, false),
        ("mustToRawJson", false, false, true),
    ];
    for (name, pretty, html, must) in variants {
        r.typed(name, &[Param::Any], move |a| {
            match encode(&a[0], pretty, html) {
                Ok(text) => Ok(text.into()),
                Err(e) if must => Err(e),
                Err(_) => Ok("".into()),
            }
        });
    }
    r.typed("mustFromJson", &[Param::String], |a| {
        let json: serde_json::Value =
            serde_json::from_str(s(a, 0)).map_err(|e| Error::new(e.to_string()))?;
        Ok(Value::from_json_as_float64(&json))
    });
}

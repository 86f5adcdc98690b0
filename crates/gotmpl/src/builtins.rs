//! Go's predefined template functions, except `and` and `or`, which the executor evaluates
//! lazily: comparisons with Go's type rules, `index`, `slice`, `len`, `not`, the `print`
//! family, `html`, `js`, `urlquery` and `call`.

use std::cmp::Ordering;
use std::fmt::Write as _;

use crate::format;
use crate::value::Value;

#[cfg(test)]
#[path = "builtins_find_same.rs"]
mod find_same;

/// A builtin's name and its fixed argument count; `variadic` means "at least".
pub struct Builtin {
    pub name: &'static str,
    pub fixed: usize,
    pub variadic: bool,
    pub run: fn(&[Value]) -> Result<Value, String>,
}

const fn builtin(
    name: &'static str,
    fixed: usize,
    variadic: bool,
    run: fn(&[Value]) -> Result<Value, String>,
) -> Builtin {
    Builtin {
        name,
        fixed,
        variadic,
        run,
    }
}

/// The builtins, `and` and `or` included (their `run` is unused; the executor short-circuits).
pub static BUILTINS: &[Builtin] = &[
    builtin("and", 1, true, |_| Ok(Value::Nil)),
    builtin("or", 1, true, |_| Ok(Value::Nil)),
    builtin("call", 1, true, call),
    builtin("eq", 1, true, |a| eq(&a[0], &a[1..]).map(Value::Bool)),
    builtin("ne", 2, false, |a| {
        eq(&a[0], &a[1..]).map(|b| Value::Bool(!b))
    }),
    builtin("lt", 2, false, |a| lt(&a[0], &a[1]).map(Value::Bool)),
    builtin("le", 2, false, |a| le(&a[0], &a[1]).map(Value::Bool)),
    builtin("gt", 2, false, |a| {
        le(&a[0], &a[1]).map(|b| Value::Bool(!b))
    }),
    builtin("ge", 2, false, |a| {
        lt(&a[0], &a[1]).map(|b| Value::Bool(!b))
    }),
    builtin("html", 0, true, |a| {
        Ok(Value::from(html_escape(&eval_args(a))))
    }),
    builtin("index", 1, true, |a| index(&a[0].plain(), &a[1..])),
    builtin("js", 0, true, |a| Ok(Value::from(js_escape(&eval_args(a))))),
    builtin("len", 1, false, len),
    builtin("not", 1, false, |a| Ok(Value::Bool(!a[0].is_true()))),
    builtin("print", 0, true, |a| Ok(Value::from(format::sprint(a)))),
    builtin("printf", 1, true, printf),
    builtin("println", 0, true, |a| Ok(Value::from(format::sprintln(a)))),
    builtin("slice", 1, true, slice),
    builtin("urlquery", 0, true, |a| {
        Ok(Value::from(query_escape(&eval_args(a))))
    }),
];

/// The builtin called `name`: a `match`, which the compiler turns into a switch on the length
/// and a compare or two, where a scan of the table compared up to nineteen names on every call
/// of a builtin (`not` is the fourteenth).
pub fn find(name: &str) -> Option<&'static Builtin> {
    let index = match name {
        "and" => 0,
        "or" => 1,
        "call" => 2,
        "eq" => 3,
        "ne" => 4,
        "lt" => 5,
        "le" => 6,
        "gt" => 7,
        "ge" => 8,
        "html" => 9,
        "index" => 10,
        "js" => 11,
        "len" => 12,
        "not" => 13,
        "print" => 14,
        "printf" => 15,
        "println" => 16,
        "slice" => 17,
        "urlquery" => 18,
        _ => return None,
    };
    BUILTINS.get(index)
}

fn printf(args: &[Value]) -> Result<Value, String> {
    match &args[0] {
        Value::String(f) => Ok(Value::from(format::sprintf(f, &args[1..]))),
        other => Err(format!(
            "wrong type for value; expected string; got {}",
            other.type_name()
        )),
    }
}

fn call(args: &[Value]) -> Result<Value, String> {
    match &args[0] {
        Value::Nil => Err("call of nil".to_string()),
        Value::Func(f) => f(&args[1..]).map_err(|e| e.to_string()),
        other => Err(format!("non-function of type {}", other.type_name())),
    }
}

/// Go's `basicKind`: the comparison class of a value; `None` for nil, lists, maps and objects.
#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Bool,
    Int,
    Float,
    String,
}

fn kind(v: &Value) -> Option<Kind> {
    match v {
        Value::Bool(_) => Some(Kind::Bool),
        Value::Int(_) | Value::Int64(_) => Some(Kind::Int),
        Value::Float(_) => Some(Kind::Float),
        Value::String(_) => Some(Kind::String),
        _ => None,
    }
}

const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";

/// Go names both types: "incompatible types for comparison: int and float64".
fn bad_comparison(a: &Value, b: &Value) -> String {
    format!(
        "incompatible types for comparison: {} and {}",
        a.type_name(),
        b.type_name()
    )
}

/// `eq arg1 arg2...`: true if arg1 equals any of the others.
pub fn eq(a: &Value, rest: &[Value]) -> Result<bool, String> {
    if rest.is_empty() {
        return Err("missing argument for comparison".to_string());
    }
    let k1 = kind(a);
    for b in rest {
        let k2 = kind(b);
        let truth = if k1 != k2 {
            if !matches!(a, Value::Nil) && !matches!(b, Value::Nil) {
                return Err(bad_comparison(a, b));
            }
            false
        } else {
            match (a, b) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Float(x), Value::Float(y)) => x == y,
                (Value::String(x), Value::String(y)) => x == y,
                (x, y) if k1 == Some(Kind::Int) => x.as_int() == y.as_int(),
                (Value::Nil, Value::Nil) => true,
                (Value::Nil, _) | (_, Value::Nil) => false,
                (x, y) if std::mem::discriminant(x) != std::mem::discriminant(y) => {
                    let xs = format::sprintf("%s", std::slice::from_ref(x));
                    let (xt, yt, ys) = (x.type_name(), y.type_name(), format::sprint_v(y));
                    return Err(format!("non-comparable types {xs}: {xt}, {yt}: {ys}"));
                }
                (x, _) => {
                    let xs = format::sprintf("%s", std::slice::from_ref(x));
                    return Err(format!("non-comparable type {xs}: {}", x.type_name()));
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn compare(a: &Value, b: &Value) -> Result<Ordering, String> {
    let k1 = kind(a).ok_or(BAD_COMPARISON_TYPE)?;
    let k2 = kind(b).ok_or(BAD_COMPARISON_TYPE)?;
    if k1 != k2 {
        return Err(bad_comparison(a, b));
    }
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y).ok_or_else(|| bad_comparison(a, b)),
        (Value::String(x), Value::String(y)) => Ok(x.cmp(y)),
        (Value::Bool(_), _) => Err(BAD_COMPARISON_TYPE.to_string()),
        (x, y) => Ok(x.as_int().cmp(&y.as_int())),
    }
}

pub fn lt(a: &Value, b: &Value) -> Result<bool, String> {
    compare(a, b).map(|o| o == Ordering::Less)
}

pub fn le(a: &Value, b: &Value) -> Result<bool, String> {
    if lt(a, b)? {
        return Ok(true);
    }
    eq(a, std::slice::from_ref(b))
}

fn len(args: &[Value]) -> Result<Value, String> {
    let n = match &*args[0].plain() {
        Value::Nil => return Err("len of nil pointer".to_string()),
        Value::String(s) => s.len(),
        Value::List(items) => items.len(),
        Value::Map(map) => map.len(),
        other => return Err(format!("len of type {}", other.type_name())),
    };
    Ok(Value::Int(n as i64))
}

/// An integer index argument, checked against `bound` (Go's `indexArg`).
fn index_arg(index: &Value, bound: usize) -> Result<usize, String> {
    let x = match index {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Nil => return Err("cannot index slice/array with nil".to_string()),
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            ));
        }
    };
    if x < 0 || x as u64 > bound as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn index(item: &Value, indexes: &[Value]) -> Result<Value, String> {
    if let Value::Nil = item {
        return Err("index of untyped nil".to_string());
    }
    let mut item = item.clone();
    for index in indexes {
        item = match &item {
            Value::Nil => return Err("index of nil pointer".to_string()),
            Value::List(items) => {
                let x = index_arg(index, items.len())?;
                items
                    .get(x)
                    .cloned()
                    .ok_or("reflect: slice index out of range")?
            }
            Value::String(s) => {
                let x = index_arg(index, s.len())?;
                let byte = s
                    .as_bytes()
                    .get(x)
                    .ok_or("reflect: string index out of range")?;
                Value::Int(i64::from(*byte))
            }
            Value::Map(map) => match index {
                Value::String(key) => map.get(key).unwrap_or(Value::Nil),
                Value::Nil => return Err("value is nil; should be of type string".to_string()),
                other => {
                    return Err(format!(
                        "value has type {}; should be string",
                        other.type_name()
                    ));
                }
            },
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

fn slice(args: &[Value]) -> Result<Value, String> {
    let item = args[0].plain();
    let (item, indexes) = (&*item, &args[1..]);
    if let Value::Nil = item {
        return Err("slice of untyped nil".to_string());
    }
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match item {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".to_string());
            }
            s.len()
        }
        Value::List(items) => items.len(),
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    let mut idx = [0, len, len];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(index, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    Ok(match item {
        Value::String(s) => {
            Value::from(String::from_utf8_lossy(&s.as_bytes()[idx[0]..idx[1]]).into_owned())
        }
        Value::List(items) => Value::list(items[idx[0]..idx[1]].to_vec()),
        _ => Value::Nil,
    })
}

/// Go's `evalArgs` for the escapers: a lone string as is, anything else printed with `Sprint`
/// (nil as `<no value>`).
fn eval_args(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.to_string();
    }
    let printable: Vec<Value> = args
        .iter()
        .map(|a| {
            if let Value::Nil = a {
                Value::from("<no value>")
            } else {
                a.clone()
            }
        })
        .collect();
    format::sprint(&printable)
}

/// Go's `HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            '"' => out.push_str("&#34;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Go's `JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c if c.is_ascii() || format::is_print(c) => out.push(c),
            c => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

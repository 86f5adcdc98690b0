//! The conversions sprig's functions share: Go's `cast` package (`ToInt64`, `ToFloat64`,
//! `ToString`), sprig's `strval`, reflection's kinds, and its notion of an empty value.

use gotmpl::{Error, Value};

/// `cast.ToInt64`: integers as they are, floats truncated, booleans 1 and 0, strings parsed as
/// Go's `strconv.ParseInt(s, 0, 0)` after a zero decimal part is dropped (`"5.0"` is 5,
/// `"0x1f"` 31, `"010"` 8); anything else, unparsable strings included, is 0.
pub fn to_int64(value: &Value) -> i64 {
    match &*value.plain() {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Float(f) => float_to_int(*f),
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => parse_int(trim_zero_decimal(s)).unwrap_or(0),
        _ => 0,
    }
}

/// Go's conversion of a float64 to int64: truncation; out of range gives i64::MIN as amd64 does.
pub fn float_to_int(f: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// `cast.ToFloat64`: numbers as floats, booleans 1 and 0, strings by `strconv.ParseFloat`;
/// anything else 0.
pub fn to_float64(value: &Value) -> f64 {
    match &*value.plain() {
        Value::Int(i) | Value::Int64(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::String(s) => parse_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// sprig's `strval` (and `toString`): a string as it is, anything else as `%v` prints it.
pub fn strval(value: &Value) -> String {
    match value {
        Value::String(s) => s.to_string(),
        other => other.to_string(),
    }
}

/// The name of the value's kind, as Go's `reflect.Kind` prints it.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Nil => "invalid",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Int64(_) => "int64",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::List(_) => "slice",
        Value::Map(_) => "map",
        // A host object standing for a list or map (`.Capabilities.APIVersions`) has its kind;
        // Go's time.Time is a struct; the other host objects are pointers (`*semver.Version`).
        Value::Object(o) => match o.as_value() {
            Some(plain @ (Value::List(_) | Value::Map(_))) => kind(&plain),
            _ if o.type_name() == "time.Time" || o.type_name() == "sprig.certificate" => "struct",
            _ => "ptr",
        },
        Value::Func(_) => "func",
    }
}

/// sprig's `empty`: nil, false, zero numbers, and empty strings, lists and maps.
pub fn is_empty(value: &Value) -> bool {
    match value {
        Value::Object(o) => match o.as_value() {
            Some(plain @ (Value::List(_) | Value::Map(_))) => is_empty(&plain),
            _ => false,
        },
        Value::Func(_) => false,
        other => !other.is_true(),
    }
}

/// The items of a list argument, for functions that take any Go slice by reflection; `None`
/// when the value is not a list.
pub fn as_list(value: &Value) -> Option<Vec<Value>> {
    match &*value.plain() {
        Value::List(items) => Some(items.as_ref().clone()),
        _ => None,
    }
}

/// Go's `runtime error` for reflection on a nil value, which Go's template reports for sprig's
/// functions that call `reflect.TypeOf(nil).Kind()`.
pub fn nil_kind_error() -> Error {
    Error::new("runtime error: invalid memory address or nil pointer dereference")
}

/// Drops a decimal point followed only by zeros (`cast`'s `trimZeroDecimal`).
fn trim_zero_decimal(s: &str) -> &str {
    match s.find('.') {
        Some(dot) if dot > 0 && s[dot + 1..].bytes().all(|b| b == b'0') => &s[..dot],
        _ => s,
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)`: sign, then `0x`, `0o`, `0b` or a leading `0` (octal)
/// prefix; underscores only between digits after a prefix.
pub fn parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string(), true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string(), true)
    } else {
        (10, lower.clone(), false)
    };
    // Base 0 allows underscores between digits, and right after a base prefix.
    let digits = if digits.contains('_') {
        if digits.starts_with('_') && !prefixed || digits.ends_with('_') || digits.contains("__") {
            return None;
        }
        digits.replace('_', "")
    } else {
        digits
    };
    if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(&digits, radix).ok()?;
    if neg {
        if magnitude <= i64::MAX as u64 + 1 {
            Some((magnitude as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Go's `strconv.ParseFloat(s, 64)` for the forms charts use (decimal, exponent, `Inf`, `NaN`).
pub fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim_start_matches(['+', '-']);
    let lower = t.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        return s.parse::<f64>().ok();
    }
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b"._eE+-".contains(&b))
    {
        return None;
    }
    s.replace('_', "").parse::<f64>().ok()
}

/// Go's `strconv.Atoi`: base-10 only, optional sign; `None` on error.
pub fn atoi(s: &str) -> Option<i64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

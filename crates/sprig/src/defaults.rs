//! sprig's defaults and flow (`default`, `empty`, `coalesce`, `all`, `any`, `ternary`), type
//! conversion (`atoi`, `int`, `int64`, `float64`, `toDecimal`) and reflection (`typeOf`,
//! `kindOf`, `typeIs`, `kindIs`, `deepEqual`).

use gotmpl::{Param, Value};

use crate::cast::{self, is_empty};
use crate::{Registry, s};

use Param::{Any, Bool, String as Str};

pub(crate) fn register(r: &mut Registry<'_>) {
    r.variadic("default", &[Any], Any, |a| {
        Ok(match a.get(1) {
            Some(given) if !is_empty(given) => given.clone(),
            _ => a[0].clone(),
        })
    });
    r.typed("empty", &[Any], |a| Ok(is_empty(&a[0]).into()));
    r.variadic("coalesce", &[], Any, |a| {
        Ok(a.iter()
            .find(|v| !is_empty(v))
            .cloned()
            .unwrap_or(Value::Nil))
    });
    r.variadic("all", &[], Any, |a| {
        Ok(a.iter().all(|v| !is_empty(v)).into())
    });
    r.variadic("any", &[], Any, |a| {
        Ok(a.iter().any(|v| !is_empty(v)).into())
    });
    r.typed("ternary", &[Any, Any, Bool], |a| {
        Ok(if matches!(a[2], Value::Bool(true)) {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });

    r.typed("atoi", &[Str], |a| {
        Ok(Value::Int(cast::atoi(s(a, 0)).unwrap_or(0)))
    });
    r.typed("int", &[Any], |a| Ok(Value::Int(cast::to_int64(&a[0]))));
    r.typed("int64", &[Any], |a| Ok(Value::Int64(cast::to_int64(&a[0]))));
    r.typed("float64", &[Any], |a| {
        Ok(Value::Float(cast::to_float64(&a[0])))
    });
    r.typed("toDecimal", &[Any], |a| {
        let text = a[0].to_string();
        let body = text.strip_prefix(['+', '-']).unwrap_or(&text);
        let value = if body.is_empty() || !body.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            0
        } else {
            i64::from_str_radix(&text, 8).unwrap_or(0)
        };
        Ok(Value::Int64(value))
    });

    r.typed("typeOf", &[Any], |a| {
        Ok(a[0].type_name().to_string().into())
    });
    r.typed("kindOf", &[Any], |a| Ok(cast::kind(&a[0]).into()));
    r.typed("typeIs", &[Str, Any], |a| {
        Ok((s(a, 0) == a[1].type_name()).into())
    });
    r.typed("kindIs", &[Str, Any], |a| {
        Ok((s(a, 0) == cast::kind(&a[1])).into())
    });
    r.typed("deepEqual", &[Any, Any], |a| {
        Ok(deep_equal(&a[0], &a[1]).into())
    });
}

/// Go's `reflect.DeepEqual` on template values: types must match (`int` 1 is not `float64` 1).
pub fn deep_equal(x: &Value, y: &Value) -> bool {
    match (x, y) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Int(a), Value::Int(b)) | (Value::Int64(a), Value::Int64(b)) => a == b,
        (Value::Float(a), Value::Float(b)) => a == b,
        (Value::String(a), Value::String(b)) => a == b,
        (Value::List(a), Value::List(b)) => {
            a.len() == b.len() && a.iter().zip(b.iter()).all(|(p, q)| deep_equal(p, q))
        }
        (Value::Map(a), Value::Map(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(&k).is_some_and(|w| deep_equal(&v, &w)))
        }
        (Value::Object(a), Value::Object(b)) => std::sync::Arc::ptr_eq(a, b),
        _ => false,
    }
}

//! sprig's dictionary functions.
//!
//! Go's maps are references: `set`, `unset`, `merge` and `mergeOverwrite` change the map they
//! are given, and charts rely on it (`{{ $_ := set $ctx "k" "v" }}`). gotmpl's maps are
//! immutable values, so here these functions return the changed map and leave the argument
//! as it was: a chart that uses the result sees sprig's behaviour, one that relies on the
//! change in place does not (see the README).

use std::collections::BTreeMap;

use gotmpl::{Error, Param, Value};

use crate::cast::{is_empty, strval};
use crate::{Registry, s, strings_value};

use Param::{Any, Map, String as Str};

type Dict = BTreeMap<String, Value>;

/// The map behind an argument, borrowed; nil is the empty map.
fn dict_ref(value: &Value) -> Option<&Dict> {
    match value {
        Value::Map(m) => Some(m.as_ref()),
        _ => None,
    }
}

fn dict_arg(value: &Value) -> Dict {
    match value {
        Value::Map(m) => m.as_ref().clone(),
        _ => Dict::new(),
    }
}

fn dict(d: Dict) -> crate::Result {
    Ok(Value::map(d))
}

pub(crate) fn register(r: &mut Registry<'_>) {
    r.variadic("dict", &[], Any, |a| {
        let mut d = Dict::new();
        for pair in a.chunks(2) {
            let value = pair.get(1).cloned().unwrap_or_else(|| Value::from(""));
            d.insert(strval(&pair[0]), value);
        }
        dict(d)
    });
    r.typed("get", &[Map, Str], |a| {
        Ok(dict_ref(&a[0])
            .and_then(|d| d.get(s(a, 1)))
            .cloned()
            .unwrap_or_else(|| Value::from("")))
    });
    r.typed("set", &[Map, Str, Any], |a| {
        let mut d = dict_arg(&a[0]);
        d.insert(s(a, 1).to_string(), a[2].clone());
        dict(d)
    });
    r.typed("unset", &[Map, Str], |a| {
        let mut d = dict_arg(&a[0]);
        d.remove(s(a, 1));
        dict(d)
    });
    r.typed("hasKey", &[Map, Str], |a| {
        Ok(dict_ref(&a[0])
            .is_some_and(|d| d.contains_key(s(a, 1)))
            .into())
    });
    r.variadic("pluck", &[Str], Map, |a| {
        Ok(Value::list(
            a[1..]
                .iter()
                .filter_map(|d| dict_ref(d).and_then(|d| d.get(s(a, 0))).cloned())
                .collect(),
        ))
    });
    r.variadic("dig", &[], Any, |a| {
        if a.len() < 3 {
            return Err(Error::new("dig needs at least three arguments"));
        }
        let (keys, rest) = a.split_at(a.len() - 2);
        let default = &rest[0];
        let mut current = map_assert(&rest[1])?;
        for (i, key) in keys.iter().enumerate() {
            let key = key.as_str().ok_or_else(|| {
                Error::new(format!(
                    "interface conversion: interface {{}} is {}, not string",
                    key.type_name()
                ))
            })?;
            let Some(step) = current.get(key) else {
                return Ok(default.clone());
            };
            if i + 1 == keys.len() {
                return Ok(step.clone());
            }
            current = map_assert(step)?;
        }
        Ok(default.clone())
    });
    r.variadic("keys", &[], Map, |a| {
        let mut keys: Vec<&str> = a
            .iter()
            .filter_map(dict_ref)
            .flat_map(|d| d.keys().map(String::as_str))
            .collect();
        keys.sort();
        Ok(strings_value(keys))
    });
    r.typed("values", &[Map], |a| {
        Ok(Value::list(
            dict_ref(&a[0]).map_or_else(Vec::new, |d| d.values().cloned().collect()),
        ))
    });
    r.variadic("pick", &[Map], Str, |a| {
        let d = dict_arg(&a[0]);
        let keys: Vec<&str> = a[1..].iter().filter_map(Value::as_str).collect();
        dict(
            d.into_iter()
                .filter(|(k, _)| keys.contains(&k.as_str()))
                .collect(),
        )
    });
    r.variadic("omit", &[Map], Str, |a| {
        let d = dict_arg(&a[0]);
        let keys: Vec<&str> = a[1..].iter().filter_map(Value::as_str).collect();
        dict(
            d.into_iter()
                .filter(|(k, _)| !keys.contains(&k.as_str()))
                .collect(),
        )
    });
    for (name, overwrite) in [
        ("merge", false),
        ("mustMerge", false),
        ("mergeOverwrite", true),
        ("mustMergeOverwrite", true),
    ] {
        r.variadic(name, &[Map], Map, move |a| {
            let mut dst = dict_arg(&a[0]);
            for src in &a[1..] {
                if let Value::Map(src) = src {
                    merge(&mut dst, src, overwrite);
                }
            }
            dict(dst)
        });
    }
    r.typed("deepCopy", &[Any], |a| Ok(a[0].clone()));
    r.typed("mustDeepCopy", &[Any], |a| Ok(a[0].clone()));
}

fn map_assert(value: &Value) -> Result<&Dict, Error> {
    match value {
        Value::Map(m) => Ok(m.as_ref()),
        Value::Nil => Err(Error::new(
            "interface conversion: interface {} is nil, not map[string]interface {}",
        )),
        other => Err(Error::new(format!(
            "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
            other.type_name()
        ))),
    }
}

/// mergo's `Merge` of one map into another: maps merge key by key; any other value replaces
/// the destination's when overwriting, else only a missing or empty one. A nil source value
/// only replaces when overwriting.
fn merge(dst: &mut Dict, src: &Dict, overwrite: bool) {
    for (key, sv) in src {
        let dv = dst.get(key);
        match (dv, sv) {
            (_, Value::Nil) => {
                if overwrite {
                    dst.insert(key.clone(), Value::Nil);
                }
            }
            (Some(Value::Map(dm)), Value::Map(sm)) => {
                let mut inner = dm.as_ref().clone();
                merge(&mut inner, sm, overwrite);
                dst.insert(key.clone(), Value::map(inner));
            }
            (dv, sv) => {
                if overwrite || dv.is_none_or(is_empty) {
                    dst.insert(key.clone(), sv.clone());
                }
            }
        }
    }
}

//! sprig's dictionary functions.
//!
//! Go's maps are references: `set`, `unset`, `merge` and `mergeOverwrite` change the map they
//! are given, and charts rely on it (`{{ $_ := set $ctx "k" "v" }}`); gotmpl's maps are shared
//! the same way, so these functions change the map in place and return it, as sprig does.

use std::collections::BTreeMap;

use gotmpl::{Error, Param, Value};

use crate::cast::{is_empty, strval};
use crate::{Registry, s, strings_value};

use Param::{Any, Map, String as Str};

type Dict = BTreeMap<String, Value>;

/// The entries of the map behind an argument, as they are now; nil is no map.
fn dict_ref(value: &Value) -> Option<Dict> {
    match value {
        Value::Map(m) => Some(m.entries()),
        _ => None,
    }
}

fn dict_arg(value: &Value) -> Dict {
    dict_ref(value).unwrap_or_default()
}

/// The map behind an argument, to read without copying it; nil is no map.
fn as_map(value: &Value) -> Option<&gotmpl::Map> {
    match value {
        Value::Map(m) => Some(m),
        _ => None,
    }
}

/// The map an argument is, to change in place; nil gives a new, empty one.
fn shared(value: &Value) -> gotmpl::Map {
    match value {
        Value::Map(m) => m.clone(),
        _ => gotmpl::Map::default(),
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
        Ok(as_map(&a[0])
            .and_then(|d| d.get(s(a, 1)))
            .unwrap_or_else(|| Value::from("")))
    });
    r.typed("set", &[Map, Str, Any], |a| {
        let d = shared(&a[0]);
        d.insert(s(a, 1).to_string(), a[2].clone());
        Ok(Value::Map(d))
    });
    r.typed("unset", &[Map, Str], |a| {
        let d = shared(&a[0]);
        d.remove(s(a, 1));
        Ok(Value::Map(d))
    });
    r.typed("hasKey", &[Map, Str], |a| {
        Ok(as_map(&a[0])
            .is_some_and(|d| d.contains_key(s(a, 1)))
            .into())
    });
    r.variadic("pluck", &[Str], Map, |a| {
        Ok(Value::list(
            a[1..]
                .iter()
                .filter_map(|d| as_map(d).and_then(|d| d.get(s(a, 0))))
                .collect(),
        ))
    });
    r.variadic("dig", &[], Any, |a| {
        if a.len() < 3 {
            return Err(Error::new("dig needs at least three arguments"));
        }
        let (keys, rest) = a.split_at(a.len() - 2);
        let default = &rest[0];
        let mut current = map_assert(&rest[1])?.clone();
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
                return Ok(step);
            }
            current = map_assert(&step)?.clone();
        }
        Ok(default.clone())
    });
    r.variadic("keys", &[], Map, |a| {
        let mut keys: Vec<String> = a
            .iter()
            .filter_map(dict_ref)
            .flat_map(|d| d.into_keys())
            .collect();
        keys.sort();
        Ok(strings_value(keys.iter().map(String::as_str)))
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
            let dst = shared(&a[0]);
            for src in &a[1..] {
                if let Value::Map(src) = src {
                    merge(&dst, src, overwrite);
                }
            }
            Ok(Value::Map(dst))
        });
    }
    r.typed("deepCopy", &[Any], |a| Ok(a[0].deep_copy()));
    r.typed("mustDeepCopy", &[Any], |a| Ok(a[0].deep_copy()));
}

fn map_assert(value: &Value) -> Result<&gotmpl::Map, Error> {
    match value {
        Value::Map(m) => Ok(m),
        Value::Nil => Err(Error::new(
            "interface conversion: interface {} is nil, not map[string]interface {}",
        )),
        other => Err(Error::new(format!(
            "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
            other.type_name()
        ))),
    }
}

/// mergo's `Merge` of one map into another, in place: maps merge key by key (a map already in
/// the destination is changed in place too); any other value replaces the destination's when
/// overwriting, else only a missing or empty one. A nil source value only replaces when
/// overwriting. A source that is the destination changes nothing.
fn merge(dst: &gotmpl::Map, src: &gotmpl::Map, overwrite: bool) {
    if dst.same(src) {
        return;
    }
    for (key, sv) in src.iter() {
        match (dst.get(&key), sv) {
            (_, Value::Nil) => {
                if overwrite {
                    dst.insert(key, Value::Nil);
                }
            }
            (Some(Value::Map(dm)), Value::Map(sm)) => merge(&dm, &sm, overwrite),
            (dv, sv) => {
                if overwrite || dv.as_ref().is_none_or(is_empty) {
                    dst.insert(key, sv);
                }
            }
        }
    }
}

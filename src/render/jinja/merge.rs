//! `merge(a, b, ...)` on the template's own values, without a JSON copy of each map.
//!
//! The general `merge` turns every map into JSON, merges the JSON and turns the result back:
//! two conversions per call, each allocating a tree. Maps made of plain data (the values tree,
//! map literals, lists, strings, whole numbers, booleans, none) come out of that round trip
//! as they went in, so here they are merged as they are and shared, not copied. Anything the
//! round trip could change (a number JSON cannot hold, a string marked safe, a key that is not
//! a string, an object of another kind) sends the whole call back to the JSON path, which
//! stays the reference: `merge_tests.rs` holds this path to its answers.

use indexmap::IndexMap;
use minijinja::value::{Value, ValueKind};

/// A map being merged: its entries in the order the JSON path would give them.
type Entries = IndexMap<Value, Merged>;

enum Merged {
    Map(Entries),
    Leaf(Value),
}

/// The deep merge of `maps`, leftmost winning, when every one is plain data; `None` when the
/// JSON path must answer (an error included).
pub(super) fn merge_plain(maps: &[Value]) -> Option<Value> {
    let mut result = Entries::new();
    for value in maps.iter().rev() {
        if value.is_none() {
            continue;
        }
        merge_into(&mut result, plain_map(value)?)?;
    }
    Some(into_value(result))
}

/// Adds `top`'s entries to `base`: a map meeting a map merges, anything else replaces.
fn merge_into(base: &mut Entries, top: &IndexMap<Value, Value>) -> Option<()> {
    for (key, value) in top {
        plain_key(key)?;
        match (base.get_mut(key), plain_map_or_leaf(value)?) {
            (Some(Merged::Map(inner)), Some(map)) => merge_into(inner, map)?,
            (slot, map) => {
                let merged = match map {
                    Some(map) => {
                        let mut inner = Entries::with_capacity(map.len());
                        merge_into(&mut inner, map)?;
                        Merged::Map(inner)
                    }
                    None => Merged::Leaf(value.clone()),
                };
                match slot {
                    Some(slot) => *slot = merged,
                    None => {
                        base.insert(key.clone(), merged);
                    }
                }
            }
        }
    }
    Some(())
}

fn into_value(entries: Entries) -> Value {
    Value::from_object(
        entries
            .into_iter()
            .map(|(key, merged)| {
                let value = match merged {
                    Merged::Map(inner) => into_value(inner),
                    Merged::Leaf(value) => value,
                };
                (key, value)
            })
            .collect::<IndexMap<Value, Value>>(),
    )
}

/// The entries of a plain map; `None` for anything else.
fn plain_map(value: &Value) -> Option<&IndexMap<Value, Value>> {
    value.downcast_object_ref::<IndexMap<Value, Value>>()
}

/// `Some(map)` for a plain map, `None` for a plain leaf (checked all the way down), and the
/// outer `None` for a value that is not plain.
fn plain_map_or_leaf(value: &Value) -> Option<Option<&IndexMap<Value, Value>>> {
    match plain_map(value) {
        Some(map) => Some(Some(map)),
        None => is_plain(value).then_some(None),
    }
}

/// A string key that JSON keeps as it is.
fn plain_key(key: &Value) -> Option<()> {
    (key.kind() == ValueKind::String && !key.is_safe()).then_some(())
}

/// True when the JSON round trip gives back an equal value that prints the same.
fn is_plain(value: &Value) -> bool {
    match value.kind() {
        ValueKind::None | ValueKind::Bool => true,
        ValueKind::String => !value.is_safe(),
        ValueKind::Number => is_plain_number(value),
        ValueKind::Map => plain_map(value).is_some_and(|map| {
            map.iter()
                .all(|(k, v)| plain_key(k).is_some() && is_plain(v))
        }),
        ValueKind::Seq => value
            .downcast_object_ref::<Vec<Value>>()
            .is_some_and(|items| items.iter().all(is_plain)),
        _ => false,
    }
}

/// A number JSON holds: any 64-bit integer, or a finite float small enough that it cannot be
/// one of minijinja's 128-bit integers (which JSON may not hold).
fn is_plain_number(value: &Value) -> bool {
    if value.as_i64().is_some() || u64::try_from(value.clone()).is_ok() {
        return true;
    }
    f64::try_from(value.clone()).is_ok_and(|f| f.is_finite() && f.abs() < 9.0e18)
}

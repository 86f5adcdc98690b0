//! A fast validator for the part of JSON Schema that Kubernetes schemas and CRDs use (`type`,
//! `$ref`, `properties`, `additionalProperties`, `items`, `required`, `enum`, `const`, the
//! `allOf`/`anyOf`/`oneOf`/`not`/`if` combinators, `propertyNames`, `dependentSchemas`,
//! `pattern` and the size and range bounds). A schema compiles (`compile.rs`) into a flat graph
//! of nodes, shared by every document of its kind; Kubernetes' own definitions compile on first
//! use, once for every kind that reaches them (`library.rs`).
//!
//! It only ever answers "surely valid": [`Structural::is_valid`] is `true` only when the
//! `jsonschema` crate (Draft 2020-12, formats off) would accept the document too. Anything else,
//! an invalid document or a case it cannot decide exactly (`1.0` for an integer, numbers beyond
//! 2^53), goes to `jsonschema`, which also writes every message. A schema with a keyword it does
//! not know does not compile here at all; and one that compiles here also compiles with
//! `jsonschema` (each keyword's value is checked as the meta-schema checks it), so it needs no
//! up-front `jsonschema` compile to find a broken CRD.

use std::cmp::Ordering;
use std::sync::Arc;

use serde_json::{Map, Number, Value};

/// Resolves `#/$defs/NAME` (and `#/definitions/NAME`) references the schema's root does not hold.
pub type Resolve<'a> = &'a dyn Fn(&str) -> Option<Arc<Value>>;

/// A compiled schema: nodes, the first of which is the root, and the library of shared
/// definitions its `$ref`s may name (Kubernetes' own, compiled on first use).
pub struct Structural {
    nodes: Vec<Node>,
    library: Option<Arc<Library>>,
}

const NULL: u8 = 1;
const BOOLEAN: u8 = 2;
const INTEGER: u8 = 4;
const NUMBER: u8 = 8;
const STRING: u8 = 16;
const ARRAY: u8 = 32;
const OBJECT: u8 = 64;
const ANY: u8 = 127;

/// Folds one verdict into `$out`: an invalid one decides at once, an unsure one is kept.
macro_rules! step {
    ($out:ident, $verdict:expr) => {
        match $verdict {
            Verdict::Invalid => return Verdict::Invalid,
            Verdict::Unsure => $out = Verdict::Unsure,
            Verdict::Valid => {}
        }
    };
}

/// What a node says of a value. `Unsure`: `jsonschema` has to decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Valid,
    Invalid,
    Unsure,
}

/// Kept to one cache line (56 bytes): a document's check reads a node per value, and a large
/// CRD compiles to a hundred thousand of them.
#[derive(Default)]
struct Node {
    /// Allowed types, as a set of the bits above.
    types: u8,
    /// The `false` schema.
    never: bool,
    /// How many `properties` are required.
    required_listed: u32,
    /// A `$ref` to a definition of the library: its number there.
    definition: Option<u32>,
    /// `additionalProperties`: `None` allows any field.
    additional: Option<u32>,
    items: Option<u32>,
    /// Sorted by [`name_order`].
    properties: Box<[Property]>,
    /// The keywords few nodes have, kept apart so that the many stay small: a large CRD
    /// compiles to a hundred thousand nodes.
    bounds: Option<Box<Bounds>>,
}

const _: () = assert!(std::mem::size_of::<Node>() <= 64);

/// A field `properties` lists: its name, its schema and whether `required` names it.
struct Property {
    name: Box<str>,
    schema: u32,
    required: bool,
}

#[derive(Default)]
struct Bounds {
    /// `$ref` targets in the schema's own root and `allOf` branches: all must hold.
    all: Vec<usize>,
    /// The `required` names that `properties` does not list: the others are counted as the
    /// object's fields are checked, without a lookup in the object.
    required_elsewhere: Vec<Box<str>>,
    /// `enum` and `const` lists: the value must equal one entry of each.
    allowed: Vec<Vec<Value>>,
    any_of: Vec<usize>,
    one_of: Vec<usize>,
    not: Option<usize>,
    /// `if`, `then`, `else`.
    condition: Option<usize>,
    then: Option<usize>,
    otherwise: Option<usize>,
    property_names: Option<usize>,
    /// `dependentSchemas`: when the object has the field, it must also match the schema.
    dependent: Vec<(Box<str>, usize)>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    min_properties: Option<u64>,
    max_properties: Option<u64>,
    minimum: Option<Number>,
    maximum: Option<Number>,
    exclusive_minimum: Option<Number>,
    exclusive_maximum: Option<Number>,
    unique_items: bool,
    /// `pattern`, matched by `jsonschema` itself so that it matches as it does.
    pattern: Option<Arc<Pattern>>,
}

impl Bounds {
    fn is_empty(&self) -> bool {
        let counts = [
            self.min_length,
            self.max_length,
            self.min_items,
            self.max_items,
            self.min_properties,
            self.max_properties,
        ];
        let limits = [
            &self.minimum,
            &self.maximum,
            &self.exclusive_minimum,
            &self.exclusive_maximum,
        ];
        let schemas = [
            self.not,
            self.condition,
            self.then,
            self.otherwise,
            self.property_names,
        ];
        counts.iter().all(Option::is_none)
            && limits.iter().all(|limit| limit.is_none())
            && schemas.iter().all(Option::is_none)
            && self.all.is_empty()
            && self.required_elsewhere.is_empty()
            && self.allowed.is_empty()
            && self.any_of.is_empty()
            && self.one_of.is_empty()
            && self.dependent.is_empty()
            && !self.unique_items
            && self.pattern.is_none()
    }
}

impl Structural {
    /// `true` only when `jsonschema` would find `value` valid too.
    pub fn is_valid(&self, value: &Value) -> bool {
        self.check(self.library.as_deref(), 0, value) == Verdict::Valid
    }

    fn check(&self, library: Option<&Library>, at: usize, value: &Value) -> Verdict {
        let node = &self.nodes[at];
        if node.never {
            return Verdict::Invalid;
        }
        let mut out = Verdict::Valid;
        step!(out, type_matches(node.types, value));
        if let Some(number) = node.definition {
            step!(
                out,
                library.map_or(Verdict::Unsure, |library| library.check(number, value))
            );
        }
        match value {
            Value::Object(map) => step!(out, self.check_object(library, node, map, value)),
            Value::Array(items) => step!(out, self.check_array(library, node, items)),
            Value::String(text) => step!(out, check_string(node, text, value)),
            Value::Number(number) => step!(out, check_number(node, number)),
            _ => {}
        }
        if let Some(bounds) = &node.bounds {
            step!(out, self.check_combined(library, bounds, value));
        }
        out
    }

    /// `enum`, `const` and the combinators.
    fn check_combined(&self, library: Option<&Library>, bounds: &Bounds, value: &Value) -> Verdict {
        let mut out = Verdict::Valid;
        for &next in &bounds.all {
            step!(out, self.check(library, next, value));
        }
        for allowed in &bounds.allowed {
            step!(out, one_of_values(allowed, value));
        }
        if !bounds.any_of.is_empty() {
            let mut found = Verdict::Invalid;
            for &branch in &bounds.any_of {
                match self.check(library, branch, value) {
                    Verdict::Valid => {
                        found = Verdict::Valid;
                        break;
                    }
                    Verdict::Unsure => found = Verdict::Unsure,
                    Verdict::Invalid => {}
                }
            }
            step!(out, found);
        }
        if !bounds.one_of.is_empty() {
            let mut valid = 0;
            let mut unsure = false;
            for &branch in &bounds.one_of {
                match self.check(library, branch, value) {
                    Verdict::Valid => valid += 1,
                    Verdict::Unsure => unsure = true,
                    Verdict::Invalid => {}
                }
            }
            step!(
                out,
                match (valid, unsure) {
                    (2.., _) => Verdict::Invalid,
                    (_, true) => Verdict::Unsure,
                    (1, false) => Verdict::Valid,
                    _ => Verdict::Invalid,
                }
            );
        }
        if let Some(condition) = bounds.condition {
            let branch = match self.check(library, condition, value) {
                Verdict::Valid => bounds.then,
                Verdict::Invalid => bounds.otherwise,
                Verdict::Unsure => return Verdict::Unsure,
            };
            if let Some(branch) = branch {
                step!(out, self.check(library, branch, value));
            }
        }
        if let Some(negated) = bounds.not {
            step!(
                out,
                match self.check(library, negated, value) {
                    Verdict::Valid => Verdict::Invalid,
                    Verdict::Invalid => Verdict::Valid,
                    Verdict::Unsure => Verdict::Unsure,
                }
            );
        }
        out
    }

    fn check_object(
        &self,
        library: Option<&Library>,
        node: &Node,
        map: &Map<String, Value>,
        value: &Value,
    ) -> Verdict {
        let mut out = Verdict::Valid;
        if let Some(bounds) = &node.bounds {
            if bounds
                .required_elsewhere
                .iter()
                .any(|field| !map.contains_key(&**field))
            {
                return Verdict::Invalid;
            }
            let count = map.len() as u64;
            if bounds.min_properties.is_some_and(|min| count < min)
                || bounds.max_properties.is_some_and(|max| count > max)
            {
                return Verdict::Invalid;
            }
            for (field, schema) in &bounds.dependent {
                if map.contains_key(&**field) {
                    step!(out, self.check(library, *schema, value));
                }
            }
            if let Some(names) = bounds.property_names {
                for key in map.keys() {
                    step!(out, self.check(library, names, &Value::String(key.clone())));
                }
            }
        }
        if node.properties.is_empty() && node.additional.is_none() {
            return out;
        }
        let mut required_found = 0;
        for (key, field) in map {
            let schema = match node
                .properties
                .binary_search_by(|property| name_order(&property.name, key))
            {
                Ok(found) => {
                    let property = &node.properties[found];
                    required_found += u32::from(property.required);
                    property.schema as usize
                }
                Err(_) => match node.additional {
                    Some(schema) => schema as usize,
                    None => continue,
                },
            };
            step!(out, self.check(library, schema, field));
        }
        // Each key appears once in an object, so each required field is counted once.
        if required_found < node.required_listed {
            return Verdict::Invalid;
        }
        out
    }

    fn check_array(&self, library: Option<&Library>, node: &Node, items: &[Value]) -> Verdict {
        let mut out = Verdict::Valid;
        if let Some(bounds) = &node.bounds {
            let count = items.len() as u64;
            if bounds.min_items.is_some_and(|min| count < min)
                || bounds.max_items.is_some_and(|max| count > max)
            {
                return Verdict::Invalid;
            }
            if bounds.unique_items {
                out = unique(items);
                if out == Verdict::Invalid {
                    return out;
                }
            }
        }
        if let Some(schema) = node.items {
            for item in items {
                step!(out, self.check(library, schema as usize, item));
            }
        }
        out
    }
}

/// The order properties are kept in for lookup: by length, then by bytes. Most comparisons
/// of a binary search end at the lengths, where comparing bytes first would call `memcmp`
/// for each (a quarter of this validator's time on the fleet).
fn name_order(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        match a.iter().zip(b).position(|(x, y)| x != y) {
            Some(at) => a[at].cmp(&b[at]),
            None => Ordering::Equal,
        }
    })
}

fn type_matches(types: u8, value: &Value) -> Verdict {
    let found = match value {
        Value::Null => NULL,
        Value::Bool(_) => BOOLEAN,
        Value::Number(n) if n.is_i64() || n.is_u64() => INTEGER | NUMBER,
        // A whole float is an integer to `jsonschema`: let it decide.
        Value::Number(n) if types & (NUMBER | INTEGER) == INTEGER => {
            return match n.as_f64() {
                Some(f) if f.fract() == 0.0 => Verdict::Unsure,
                _ => Verdict::Invalid,
            };
        }
        Value::Number(_) => NUMBER,
        Value::String(_) => STRING,
        Value::Array(_) => ARRAY,
        Value::Object(_) => OBJECT,
    };
    if types & found != 0 {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

fn check_string(node: &Node, text: &str, value: &Value) -> Verdict {
    let Some(bounds) = &node.bounds else {
        return Verdict::Valid;
    };
    if bounds.min_length.is_some() || bounds.max_length.is_some() {
        let length = text.chars().count() as u64;
        if bounds.min_length.is_some_and(|min| length < min)
            || bounds.max_length.is_some_and(|max| length > max)
        {
            return Verdict::Invalid;
        }
    }
    match bounds
        .pattern
        .as_ref()
        .map(|pattern| pattern.matches(value))
    {
        Some(Some(false)) => Verdict::Invalid,
        Some(None) => Verdict::Unsure,
        _ => Verdict::Valid,
    }
}

fn check_number(node: &Node, number: &Number) -> Verdict {
    let Some(bounds) = &node.bounds else {
        return Verdict::Valid;
    };
    let mut out = Verdict::Valid;
    let limits = [
        (&bounds.minimum, &[Ordering::Greater, Ordering::Equal][..]),
        (&bounds.maximum, &[Ordering::Less, Ordering::Equal][..]),
        (&bounds.exclusive_minimum, &[Ordering::Greater][..]),
        (&bounds.exclusive_maximum, &[Ordering::Less][..]),
    ];
    for (limit, allowed) in limits {
        let Some(limit) = limit else { continue };
        match compare(number, limit) {
            Some(order) if allowed.contains(&order) => {}
            Some(_) => return Verdict::Invalid,
            None => out = Verdict::Unsure,
        }
    }
    out
}

/// Compares two JSON numbers where that is exact: integers as integers, otherwise as floats
/// when both are floats or integers within 2^53.
fn compare(a: &Number, b: &Number) -> Option<Ordering> {
    fn integer(n: &Number) -> Option<i128> {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    }
    fn float(n: &Number) -> Option<f64> {
        match integer(n) {
            Some(i) if i.unsigned_abs() <= 1 << 53 => Some(i as f64),
            Some(_) => None,
            None => n.as_f64(),
        }
    }
    if let (Some(x), Some(y)) = (integer(a), integer(b)) {
        return Some(x.cmp(&y));
    }
    float(a)?.partial_cmp(&float(b)?)
}

fn holds_number(value: &Value) -> bool {
    match value {
        Value::Number(_) => true,
        Value::Array(items) => items.iter().any(holds_number),
        Value::Object(map) => map.values().any(holds_number),
        _ => false,
    }
}

/// `value` equals an entry of `allowed`. Equal as serde_json sees it is equal to `jsonschema`
/// too; unequal is only sure without numbers (`jsonschema` finds `1` and `1.0` equal).
fn one_of_values(allowed: &[Value], value: &Value) -> Verdict {
    if allowed.contains(value) {
        Verdict::Valid
    } else if holds_number(value) && allowed.iter().any(holds_number) {
        Verdict::Unsure
    } else {
        Verdict::Invalid
    }
}

fn unique(items: &[Value]) -> Verdict {
    for (i, item) in items.iter().enumerate() {
        if items[..i].contains(item) {
            return Verdict::Invalid;
        }
    }
    if items.iter().any(holds_number) {
        Verdict::Unsure
    } else {
        Verdict::Valid
    }
}

mod compile;
mod keywords;
mod library;
mod pattern;
pub use library::{Library, Source};
use pattern::Pattern;
#[cfg(test)]
#[path = "library_tests.rs"]
mod library_tests;
#[cfg(test)]
pub(super) use library_tests::mutations;
#[cfg(test)]
#[path = "lookup_tests.rs"]
mod lookup_tests;
#[cfg(test)]
#[path = "pattern_answers_tests.rs"]
mod pattern_answers_tests;
#[cfg(test)]
#[path = "pattern_lite_tests.rs"]
mod pattern_lite_tests;
#[cfg(test)]
#[path = "pattern_tests.rs"]
mod pattern_tests;
#[cfg(test)]
#[path = "required_tests.rs"]
mod required_tests;
#[cfg(test)]
mod tests;

//! Template data: the values a template reads, prints and hands to functions, shaped like the Go
//! values Helm gives text/template (`map[string]interface{}`, `[]interface{}`, `float64`, ...).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use crate::error::Error;

mod frozen;

pub(crate) use frozen::RenderScope;

/// A function value that the `call` builtin can invoke (Go's `func` values in data).
pub type Callable = Arc<dyn Fn(&[Value]) -> Result<Value, Error> + Send + Sync>;

/// One value as a template sees it.
///
/// Go distinguishes `int` from `int64` only in `%T` and in the functions a host adds; both are
/// kept so `printf "%T"` and sprig's `typeOf` can tell them apart.
#[derive(Clone, Default)]
pub enum Value {
    /// Go's `nil` (a missing map key evaluates to it too).
    #[default]
    Nil,
    Bool(bool),
    /// Go `int`.
    Int(i64),
    /// Go `int64`.
    Int64(i64),
    /// Go `float64`.
    Float(f64),
    String(Arc<str>),
    /// Go `[]interface{}`.
    List(Arc<Vec<Value>>),
    /// Go `map[string]interface{}`; keys are kept sorted, as Go prints and ranges them. Like a
    /// Go map it is a reference: sprig's `set` on it changes it for every holder.
    Map(Map),
    /// A host object with fields and methods (`.Files`, `.Capabilities`).
    Object(Arc<dyn Object>),
    /// A function value for `call`.
    Func(Callable),
}

/// A host object: what Go would reach by reflection on a struct.
///
/// `{{.Files.Get "a"}}` asks the object behind `.Files` for the method `Get` with one argument;
/// `{{.Release.Name}}` asks for the field (or argument-less method) `Name`.
pub trait Object: fmt::Debug + Send + Sync {
    /// The Go type name, for `%T` and error messages (e.g. `chartutil.Capabilities`).
    fn type_name(&self) -> &str;
    /// A field's value, or `None` when the object has no such field.
    fn field(&self, name: &str) -> Option<Value> {
        let _ = name;
        None
    }
    /// Calls a method; `None` when the object has no method of that name (fields are then tried).
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, Error>> {
        let _ = (name, args);
        None
    }
    /// The plain value the object stands for, if any: what `range`, `len`, `index`, `slice`
    /// and printing see (Helm's `.Capabilities.APIVersions` is a list with a `Has` method).
    fn as_value(&self) -> Option<Value> {
        None
    }
    /// How `{{.}}` and `%v` print the object: its plain value, else `{TypeName}`.
    fn to_text(&self) -> String {
        match self.as_value() {
            Some(value) => crate::format::sprint_v(&value),
            None => format!("{{{}}}", self.type_name()),
        }
    }
}

impl Value {
    /// Builds a string value.
    pub fn str(s: impl Into<Arc<str>>) -> Value {
        Value::String(s.into())
    }

    /// Builds a list value.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(items))
    }

    /// Builds a map value.
    pub fn map(entries: BTreeMap<String, Value>) -> Value {
        Value::Map(Map::new(entries))
    }

    /// Builds a host object value.
    pub fn object(object: impl Object + 'static) -> Value {
        Value::Object(Arc::new(object))
    }

    /// Builds a function value for `call`.
    pub fn func(f: impl Fn(&[Value]) -> Result<Value, Error> + Send + Sync + 'static) -> Value {
        Value::Func(Arc::new(f))
    }

    /// Converts JSON the way Helm loads values: every number becomes a `float64`, as Go's
    /// `encoding/json` decodes into `interface{}` (so `{{printf "%T" .Values.port}}` is `float64`).
    pub fn from_json_as_float64(json: &serde_json::Value) -> Value {
        from_json(json, true)
    }

    /// Converts to JSON; objects become their text, functions `null`, NaN and infinities `null`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Nil | Value::Func(_) => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) | Value::Int64(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.to_string()),
            Value::List(items) => J::Array(items.iter().map(Value::to_json).collect()),
            Value::Map(map) => {
                J::Object(map.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
            Value::Object(o) => J::String(o.to_text()),
        }
    }

    /// Go's truth: false, 0, nil, and empty strings, lists and maps are false.
    pub fn is_true(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::List(items) => !items.is_empty(),
            Value::Map(map) => !map.is_empty(),
            // An object that stands for a list or map is as true as it (Helm's `.Files.Glob`
            // matching nothing is an empty map, so false).
            Value::Object(o) => o.as_value().is_none_or(|v| v.is_true()),
            Value::Func(_) => true,
        }
    }

    /// The Go type name, as `%T` prints it.
    pub fn type_name(&self) -> &str {
        match self {
            Value::Nil => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Float(_) => "float64",
            Value::String(_) => "string",
            Value::List(_) => "[]interface {}",
            Value::Map(_) => "map[string]interface {}",
            Value::Object(o) => o.type_name(),
            Value::Func(_) => "func(...interface {}) (interface {}, error)",
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The plain value behind a host object (see [`Object::as_value`]); other values as they are.
    pub fn plain(&self) -> std::borrow::Cow<'_, Value> {
        match self {
            Value::Object(o) => o
                .as_value()
                .map_or(std::borrow::Cow::Borrowed(self), std::borrow::Cow::Owned),
            other => std::borrow::Cow::Borrowed(other),
        }
    }

    /// The integer inside, if this is an `int` or `int64`.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) | Value::Int64(i) => Some(*i),
            _ => None,
        }
    }
}

fn from_json(json: &serde_json::Value, all_float: bool) -> Value {
    use serde_json::Value as J;
    match json {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) if !all_float => Value::Int(i),
            _ => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => Value::str(s.as_str()),
        J::Array(items) => Value::list(items.iter().map(|v| from_json(v, all_float)).collect()),
        J::Object(map) => Value::map(
            map.iter()
                .map(|(k, v)| (k.clone(), from_json(v, all_float)))
                .collect(),
        ),
    }
}

/// JSON integers become Go `int`, other numbers `float64`.
impl From<&serde_json::Value> for Value {
    fn from(json: &serde_json::Value) -> Value {
        from_json(json, false)
    }
}

impl From<serde_json::Value> for Value {
    fn from(json: serde_json::Value) -> Value {
        from_json(&json, false)
    }
}

impl From<&Value> for serde_json::Value {
    fn from(value: &Value) -> serde_json::Value {
        value.to_json()
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::str(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Value {
        Value::list(items)
    }
}

impl From<BTreeMap<String, Value>> for Value {
    fn from(map: BTreeMap<String, Value>) -> Value {
        Value::map(map)
    }
}

/// A Go map: shared, and changed in place by the functions that change maps (`set`, `unset`,
/// `merge`), as Go's maps are. Readers get copies of entries, never a borrow of the lock, so a
/// template can read a map while a function it calls changes it.
///
/// A map made by [`Value::freeze`] is shared by renders that must not see each other's
/// changes: inside a render ([`crate::Engine::render`]) the first change to it goes to a copy
/// private to that render, which every later use of the map in that render sees (`frozen.rs`).
#[derive(Clone, Default)]
pub struct Map(Arc<Shared>);

#[derive(Default)]
struct Shared {
    entries: RwLock<BTreeMap<String, Value>>,
    frozen: bool,
}

impl Map {
    /// A new map holding `entries`.
    pub fn new(entries: BTreeMap<String, Value>) -> Map {
        Map(Arc::new(Shared {
            entries: RwLock::new(entries),
            frozen: false,
        }))
    }

    fn new_frozen(entries: BTreeMap<String, Value>) -> Map {
        Map(Arc::new(Shared {
            entries: RwLock::new(entries),
            frozen: true,
        }))
    }

    /// Reads the entries: this render's private copy of a frozen map if it made one.
    fn with<R>(&self, f: impl FnOnce(&BTreeMap<String, Value>) -> R) -> R {
        if self.0.frozen
            && let Some(copy) = frozen::copy_of(self)
        {
            return copy.with(f);
        }
        f(&self
            .0
            .entries
            .read()
            .unwrap_or_else(PoisonError::into_inner))
    }

    /// Changes the entries: a frozen map's are changed in this render's private copy.
    fn with_mut<R>(&self, f: impl FnOnce(&mut BTreeMap<String, Value>) -> R) -> R {
        if self.0.frozen
            && let Some(copy) = frozen::copy_for_change(self)
        {
            return copy.with_mut(f);
        }
        f(&mut self
            .0
            .entries
            .write()
            .unwrap_or_else(PoisonError::into_inner))
    }

    /// The entries of the map itself, whatever a render changed in its copy.
    fn own_entries(&self) -> BTreeMap<String, Value> {
        self.0
            .entries
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The address that names the map, whoever holds it.
    fn address(&self) -> usize {
        Arc::as_ptr(&self.0) as usize
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<Value> {
        self.with(|entries| entries.get(key).cloned())
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.with(|entries| entries.contains_key(key))
    }

    pub fn len(&self) -> usize {
        self.with(BTreeMap::len)
    }

    pub fn is_empty(&self) -> bool {
        self.with(BTreeMap::is_empty)
    }

    /// The entries as they are now, in key order.
    pub fn iter(&self) -> std::collections::btree_map::IntoIter<String, Value> {
        self.entries().into_iter()
    }

    /// A copy of the entries as they are now (the values themselves are shared).
    pub fn entries(&self) -> BTreeMap<String, Value> {
        self.with(BTreeMap::clone)
    }

    /// Calls `f` with the entries as they are now, without copying them; `f` must not change
    /// this map (through `insert` or `remove`), or it waits on itself.
    pub fn read<R>(&self, f: impl FnOnce(&BTreeMap<String, Value>) -> R) -> R {
        self.with(f)
    }

    pub fn keys(&self) -> Vec<String> {
        self.with(|entries| entries.keys().cloned().collect())
    }

    /// Sets `key`, for every holder of the map.
    pub fn insert(&self, key: String, value: Value) {
        self.with_mut(|entries| entries.insert(key, value));
    }

    /// Removes `key`, for every holder of the map.
    pub fn remove(&self, key: &str) -> Option<Value> {
        self.with_mut(|entries| entries.remove(key))
    }

    /// Whether both are the same map (not only equal ones).
    pub fn same(&self, other: &Map) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Value {
    /// A copy sharing nothing that can change: maps inside it are new maps, so changes to the
    /// copy (sprig's `set`) never reach the original. Depth is bounded by how the value was
    /// built; a map that holds itself is copied once, as far as `limit` nested maps.
    pub fn deep_copy(&self) -> Value {
        self.deep_copy_within(64)
    }

    /// A copy whose maps are frozen (see [`Map`]): renders may share it and each sees only its
    /// own changes, copying a map only when it changes one. Maps that are frozen already are
    /// shared, not copied.
    pub fn freeze(&self) -> Value {
        self.freeze_within(64)
    }

    /// [`Value::freeze`] for a value the caller gives up: its maps and lists that nobody else
    /// holds are frozen where they are, keeping their entries, and only shared ones are copied
    /// (as `freeze` copies every one). A host that builds its data to freeze it (bosun's
    /// `.Values`) saves a copy of all of it.
    pub fn into_frozen(self) -> Value {
        self.into_frozen_within(64)
    }

    fn into_frozen_within(self, limit: usize) -> Value {
        match self {
            Value::Map(map) if map.0.frozen => Value::Map(map),
            Value::Map(map) if limit > 0 => match Arc::try_unwrap(map.0) {
                Ok(shared) => {
                    let mut entries = (shared.entries)
                        .into_inner()
                        .unwrap_or_else(PoisonError::into_inner);
                    for value in entries.values_mut() {
                        *value = std::mem::take(value).into_frozen_within(limit - 1);
                    }
                    Value::Map(Map::new_frozen(entries))
                }
                Err(shared) => Value::Map(Map(shared)).freeze_within(limit),
            },
            Value::List(items) if limit > 0 => {
                let mut items = Arc::unwrap_or_clone(items);
                for item in &mut items {
                    *item = std::mem::take(item).into_frozen_within(limit - 1);
                }
                Value::List(Arc::new(items))
            }
            other => other,
        }
    }

    fn freeze_within(&self, limit: usize) -> Value {
        match self {
            Value::Map(map) if map.0.frozen => self.clone(),
            Value::Map(map) if limit > 0 => Value::Map(Map::new_frozen(
                map.iter()
                    .map(|(k, v)| (k, v.freeze_within(limit - 1)))
                    .collect(),
            )),
            Value::List(items) if limit > 0 => Value::List(Arc::new(
                items.iter().map(|v| v.freeze_within(limit - 1)).collect(),
            )),
            other => other.clone(),
        }
    }

    fn deep_copy_within(&self, limit: usize) -> Value {
        match self {
            Value::Map(map) if limit > 0 => Value::Map(Map::new(
                map.iter()
                    .map(|(k, v)| (k, v.deep_copy_within(limit - 1)))
                    .collect(),
            )),
            Value::List(items) if limit > 0 => Value::List(Arc::new(
                items
                    .iter()
                    .map(|v| v.deep_copy_within(limit - 1))
                    .collect(),
            )),
            other => other.clone(),
        }
    }
}

/// Prints as Go's `%v` does.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::format::sprint_v(self))
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.type_name(), self)
    }
}

/// Structural equality, for hosts and tests; the template's `eq` follows Go's stricter rules.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        self.to_json() == other.to_json()
    }
}

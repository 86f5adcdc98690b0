//! The values tree: every node knows the file:line or flag it came from; trees merge deeply
//! (maps merge, lists are replaced, a `null` is kept until [coalescing](super::coalesce)).

use indexmap::IndexMap;
use serde_json::Value;

use crate::diagnostics::Origin;
use crate::values::set::Segment;
use crate::yaml::Located;

/// A values tree whose every node knows where it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Map(IndexMap<String, Node>, Origin),
    /// A scalar or a whole list.
    Leaf(Value, Origin),
}

impl Default for Node {
    fn default() -> Self {
        Node::Map(IndexMap::new(), Origin::Unknown)
    }
}

impl Node {
    /// A tree from a values file parsed with lines.
    pub fn from_located(located: Located, path: &str, line: usize) -> Node {
        let origin = Origin::File {
            path: path.to_string(),
            line,
        };
        match located {
            Located::Map(entries) => Node::Map(
                entries
                    .into_iter()
                    .map(|(key, value, line)| (key, Node::from_located(value, path, line)))
                    .collect(),
                origin,
            ),
            Located::Leaf(value) => Node::Leaf(value, origin),
        }
    }

    /// A tree from a plain value, every node tagged with `origin`.
    pub fn from_value(value: Value, origin: &Origin) -> Node {
        match value {
            Value::Object(map) => Node::Map(
                map.into_iter()
                    .map(|(k, v)| (k, Node::from_value(v, origin)))
                    .collect(),
                origin.clone(),
            ),
            other => Node::Leaf(other, origin.clone()),
        }
    }

    /// Merges `overlay` on top of `self` (one user's file over another's, as Helm merges `-f`
    /// files): maps deeply, everything else replaced. A `null` is kept, to delete a default
    /// when the user's values are [coalesced](crate::values::coalesce) with the chart's.
    pub fn merge(&mut self, overlay: Node) {
        match (self, overlay) {
            (Node::Map(base, _), Node::Map(top, _)) => {
                for (key, value) in top {
                    match base.get_mut(&key) {
                        Some(existing) => existing.merge(value),
                        None => {
                            base.insert(key, value);
                        }
                    }
                }
            }
            (slot, overlay) => *slot = overlay,
        }
    }

    /// The plain value, without origins.
    pub fn to_value(&self) -> Value {
        match self {
            Node::Map(map, _) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), v.to_value())).collect())
            }
            Node::Leaf(value, _) => value.clone(),
        }
    }

    /// The node at a dotted path (`postgres.enabled`).
    pub fn get(&self, dotted: &str) -> Option<&Node> {
        dotted.split('.').try_fold(self, |node, key| match node {
            Node::Map(map, _) => map.get(key),
            Node::Leaf(..) => None,
        })
    }

    /// The child under `key`, taken whole (dots and all).
    pub fn get_key(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(map, _) => map.get(key),
            Node::Leaf(..) => None,
        }
    }

    /// Where the value at JSON pointer `pointer` came from: the deepest node on the path.
    pub fn origin_of(&self, pointer: &str) -> Option<Origin> {
        let mut node = self;
        let mut origin = None;
        for segment in pointer.split('/').skip(1) {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            match node {
                Node::Map(map, o) => {
                    origin = Some(o.clone());
                    match map.get(&segment) {
                        Some(child) => node = child,
                        None => return origin,
                    }
                }
                Node::Leaf(_, o) => return Some(o.clone()),
            }
        }
        Some(match node {
            Node::Map(_, o) | Node::Leaf(_, o) => o.clone(),
        })
        .or(origin)
    }

    /// Every leaf with its dotted path, in document order.
    pub fn leaves(&self) -> Vec<(String, &Value, &Origin)> {
        let mut out = Vec::new();
        self.collect_leaves(String::new(), &mut out);
        out
    }

    fn collect_leaves<'a>(
        &'a self,
        prefix: String,
        out: &mut Vec<(String, &'a Value, &'a Origin)>,
    ) {
        match self {
            Node::Map(map, origin) => {
                if map.is_empty() && !prefix.is_empty() {
                    static EMPTY: std::sync::LazyLock<Value> =
                        std::sync::LazyLock::new(|| Value::Object(Default::default()));
                    out.push((prefix.clone(), &EMPTY, origin));
                }
                for (key, value) in map {
                    let path = if prefix.is_empty() {
                        key_path(key)
                    } else {
                        format!("{prefix}.{}", key_path(key))
                    };
                    value.collect_leaves(path, out);
                }
            }
            Node::Leaf(value, origin) => out.push((prefix, value, origin)),
        }
    }

    /// Applies one `--set` assignment in place (a list index edits the existing list).
    pub(super) fn assign(&mut self, path: &[Segment], value: Value, origin: &Origin) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        let Segment::Key(key) = first else {
            return; // the parser never starts a path with an index
        };
        if !matches!(self, Node::Map(..)) {
            *self = Node::Map(IndexMap::new(), origin.clone());
        }
        let Node::Map(map, _) = self else {
            unreachable!("made a map above")
        };
        if rest.is_empty() {
            // `key=null` is kept: it deletes the chart's default when the values are coalesced.
            map.insert(key.clone(), Node::from_value(value, origin));
            return;
        }
        match rest[0] {
            // A map the flag creates is the flag's: an error about it names the flag.
            Segment::Key(_) => map
                .entry(key.clone())
                .or_insert_with(|| Node::Map(IndexMap::new(), origin.clone()))
                .assign(rest, value, origin),
            Segment::Index(_) => {
                let slot = map
                    .entry(key.clone())
                    .or_insert_with(|| Node::Leaf(Value::Array(Vec::new()), origin.clone()));
                let mut list = match std::mem::take(slot) {
                    Node::Leaf(list @ Value::Array(_), _) => list,
                    _ => Value::Array(Vec::new()),
                };
                assign_value(&mut list, rest, value);
                *slot = Node::Leaf(list, origin.clone());
            }
        }
    }
}

fn key_path(key: &str) -> String {
    if key.contains('.') {
        key.replace('.', "\\.")
    } else {
        key.to_string()
    }
}

fn assign_value(target: &mut Value, path: &[Segment], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        *target = value;
        return;
    };
    match first {
        Segment::Key(key) => {
            if !target.is_object() {
                *target = Value::Object(Default::default());
            }
            let map = target.as_object_mut().expect("made an object above");
            if rest.is_empty() && value.is_null() {
                map.shift_remove(key);
            } else {
                assign_value(map.entry(key.clone()).or_insert(Value::Null), rest, value);
            }
        }
        Segment::Index(index) => {
            if !target.is_array() {
                *target = Value::Array(Vec::new());
            }
            let list = target.as_array_mut().expect("made an array above");
            if list.len() <= *index {
                list.resize(index + 1, Value::Null);
            }
            assign_value(&mut list[*index], rest, value);
        }
    }
}

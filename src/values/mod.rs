//! Layering values, lowest precedence first: the chart's values.yaml; the environment's
//! `values/<env>.yaml`, `values/<env>/<chart>.yaml` and the chart's `values-<env>.yaml`; `-f`
//! files; then `--set*` flags. Maps merge deeply, lists are replaced, `null` deletes a key.
//! Every leaf remembers the file:line or flag it came from, for `bosun values --explain`.

pub mod explain;
pub mod set;

use std::io::Read;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde_json::Value;

use crate::chart::Chart;
use crate::diagnostics::Origin;
use crate::error::Error;
use crate::values::set::{Segment, SetKind};
use crate::yaml::{self, Located};

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

    /// Merges `overlay` on top of `self`: maps deeply, everything else replaced, `null` deletes.
    pub fn merge(&mut self, overlay: Node) {
        match (self, overlay) {
            (Node::Map(base, _), Node::Map(top, _)) => {
                for (key, value) in top {
                    if matches!(value, Node::Leaf(Value::Null, _)) {
                        base.shift_remove(&key);
                    } else if let Some(existing) = base.get_mut(&key) {
                        existing.merge(value);
                    } else {
                        base.insert(key, value.without_nulls());
                    }
                }
            }
            (slot, overlay) => *slot = overlay,
        }
    }

    fn without_nulls(self) -> Node {
        match self {
            Node::Map(map, origin) => Node::Map(
                map.into_iter()
                    .filter(|(_, v)| !matches!(v, Node::Leaf(Value::Null, _)))
                    .map(|(k, v)| (k, v.without_nulls()))
                    .collect(),
                origin,
            ),
            leaf => leaf,
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
    fn assign(&mut self, path: &[Segment], value: Value, origin: &Origin) {
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
            if value.is_null() {
                map.shift_remove(key);
            } else {
                map.insert(key.clone(), Node::from_value(value, origin));
            }
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

/// One `--set*` argument, kept in the order the flags were given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetArg {
    pub kind: SetKind,
    pub arg: String,
}

/// Where values come from, as the command line says.
#[derive(Debug, Clone, Default)]
pub struct ValueOptions {
    pub env: Option<String>,
    pub values_dir: Option<PathBuf>,
    /// `-f` files, in order; `-` is standard input.
    pub files: Vec<String>,
    /// Keep the line of every value, even where that is slower (`bosun values --explain`).
    pub with_lines: bool,
    pub sets: Vec<SetArg>,
}

/// The environment's values files that exist, lowest precedence first.
#[derive(Debug, Clone)]
pub struct Environment {
    pub name: String,
    pub files: Vec<PathBuf>,
}

/// Finds the `values/` folder by walking up from the chart.
pub fn find_values_dir(chart: &Chart) -> Option<PathBuf> {
    chart
        .root
        .ancestors()
        .map(|dir| dir.join("values"))
        .find(|candidate| candidate.is_dir())
        .map(|dir| crate::paths::relative_to_cwd(&dir))
}

/// Resolves `--env NAME` to its files; an environment with none of them is an error.
pub fn resolve_environment(
    chart: &Chart,
    name: &str,
    values_dir: Option<&Path>,
) -> Result<Environment, Error> {
    let valid = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        return Err(Error::EnvironmentName {
            name: name.to_string(),
        });
    }
    let found_dir = values_dir
        .map(Path::to_path_buf)
        .or_else(|| find_values_dir(chart));
    let mut candidates = Vec::new();
    if let Some(dir) = &found_dir {
        candidates.push(dir.join(format!("{name}.yaml")));
        candidates.push(dir.join(name).join(format!("{}.yaml", chart.name())));
    }
    candidates.push(chart.dir.join(format!("values-{name}.yaml")));
    let files: Vec<PathBuf> = candidates.iter().filter(|p| p.is_file()).cloned().collect();
    if files.is_empty() {
        return Err(Error::UnknownEnvironment {
            name: name.to_string(),
            known: known_environments(chart, found_dir.as_deref()),
            looked_for: candidates,
        });
    }
    Ok(Environment {
        name: name.to_string(),
        files,
    })
}

/// The environments that have at least one values file for this chart.
pub fn known_environments(chart: &Chart, values_dir: Option<&Path>) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(dir) = values_dir
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        for entry in entries.flatten() {
            let path = entry.path();
            let file = entry.file_name().to_string_lossy().to_string();
            if path.is_dir() {
                if path.join(format!("{}.yaml", chart.name())).is_file() {
                    names.push(file);
                }
            } else if let Some(stem) = file.strip_suffix(".yaml") {
                names.push(stem.to_string());
            }
        }
    }
    if let Ok(entries) = std::fs::read_dir(&chart.dir) {
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().to_string();
            if let Some(env) = file
                .strip_prefix("values-")
                .and_then(|f| f.strip_suffix(".yaml"))
            {
                names.push(env.to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The environments that have values of this chart's own (`values/<env>/<chart>.yaml` or the
/// chart's `values-<env>.yaml`), not only the files every chart shares; all known ones when
/// none does.
pub fn chart_environments(chart: &Chart, values_dir: Option<&Path>) -> Vec<String> {
    let known = known_environments(chart, values_dir);
    let own: Vec<String> = known
        .iter()
        .filter(|env| {
            values_dir.is_some_and(|dir| {
                dir.join(env.as_str())
                    .join(format!("{}.yaml", chart.name()))
                    .is_file()
            }) || chart.dir.join(format!("values-{env}.yaml")).is_file()
        })
        .cloned()
        .collect();
    if own.is_empty() { known } else { own }
}

/// Reads one values file into a tree; the top level must be a map.
///
/// A JSON file (generated values often are) is read by serde_json, ten times faster than the
/// YAML reader, unless `with_lines` asks for the line of every key (`--explain`).
pub fn read_values_file(shown: &str, text: &str, with_lines: bool) -> Result<Node, Error> {
    if !with_lines
        && text.trim_start().starts_with('{')
        && let Ok(value @ Value::Object(_)) = serde_json::from_str::<Value>(text)
    {
        let origin = Origin::File {
            path: shown.to_string(),
            line: 0,
        };
        return Ok(Node::from_value(value, &origin));
    }
    match yaml::parse_located(shown, text)? {
        Located::Leaf(Value::Null) => Ok(Node::default()),
        located @ Located::Map(_) => Ok(Node::from_located(located, shown, 1)),
        Located::Leaf(_) => Err(Error::Yaml {
            path: shown.to_string(),
            message: "a values file must hold a mapping of keys at its top level".into(),
            snippet: None,
        }),
    }
}

/// The largest values file bosun reads: a bigger one is a mistake or an attack.
pub const MAX_VALUES_FILE: u64 = 32 * 1024 * 1024;

fn read_path(path: &Path) -> Result<String, Error> {
    if let Ok(metadata) = std::fs::metadata(path)
        && metadata.len() > MAX_VALUES_FILE
    {
        return Err(Error::Read {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "it is {} MiB, more than the {} MiB bosun reads from a values file",
                    metadata.len() / 1024 / 1024,
                    MAX_VALUES_FILE / 1024 / 1024
                ),
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|_| Error::Read {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"),
    })
}

/// The merged values of the chart for these options. `stdin` serves `-f -`.
pub fn layer(chart: &Chart, options: &ValueOptions, stdin: &mut dyn Read) -> Result<Node, Error> {
    let mut merged = match &chart.values {
        Some(located) => {
            let shown = chart.dir.join("values.yaml").display().to_string();
            Node::from_located(located.clone(), &shown, 1)
        }
        None => Node::default(),
    };
    if let Some(env) = &options.env {
        let environment = resolve_environment(chart, env, options.values_dir.as_deref())?;
        for file in &environment.files {
            let shown = file.display().to_string();
            merged.merge(read_values_file(
                &shown,
                &read_path(file)?,
                options.with_lines,
            )?);
        }
    }
    let mut stdin_used = false;
    for file in &options.files {
        let (shown, text) = if file == "-" {
            if stdin_used {
                return Err(Error::Read {
                    path: "<stdin>".into(),
                    source: std::io::Error::other("`-f -` may be given only once"),
                });
            }
            stdin_used = true;
            let mut text = String::new();
            stdin
                .take(MAX_VALUES_FILE + 1)
                .read_to_string(&mut text)
                .map_err(|source| Error::Read {
                    path: "<stdin>".into(),
                    source,
                })?;
            if text.len() as u64 > MAX_VALUES_FILE {
                return Err(Error::Read {
                    path: "<stdin>".into(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "more than the 32 MiB bosun reads from a values file",
                    ),
                });
            }
            ("<stdin>".to_string(), text)
        } else {
            (file.clone(), read_path(Path::new(file))?)
        };
        merged.merge(read_values_file(&shown, &text, options.with_lines)?);
    }
    for set in &options.sets {
        let origin = Origin::Flag {
            flag: set.kind.flag(),
            arg: set.arg.clone(),
        };
        for assignment in set::parse(set.kind, &set.arg)? {
            let value = match (set.kind, assignment.value) {
                (SetKind::File, Value::String(path)) => Value::String(read_path(Path::new(&path))?),
                (_, value) => value,
            };
            merged.assign(&assignment.path, value, &origin);
        }
    }
    Ok(merged)
}

/// The values a subchart sees: its own defaults, its section of the parent's values, and
/// `global` (the parent's global winning over the subchart's).
pub fn for_subchart(parent: &Node, key: &str, sub_defaults: Option<Node>) -> Node {
    let mut values = sub_defaults.unwrap_or_default();
    if let Some(section @ Node::Map(..)) = parent.get(key) {
        values.merge(section.clone());
    }
    if let Some(global @ Node::Map(..)) = parent.get("global") {
        let mut wrapper = IndexMap::new();
        wrapper.insert("global".to_string(), global.clone());
        values.merge(Node::Map(wrapper, Origin::Unknown));
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(v: Value) -> Node {
        Node::from_value(v, &Origin::Unknown)
    }

    #[test]
    fn maps_merge_lists_replace_null_deletes() {
        let mut base = node(json!({"a": {"b": 1, "c": [1, 2], "d": "x"}, "keep": true}));
        base.merge(node(
            json!({"a": {"b": 2, "c": [3], "d": null, "e": {"f": null, "g": 1}}}),
        ));
        assert_eq!(
            base.to_value(),
            json!({"a": {"b": 2, "c": [3], "e": {"g": 1}}, "keep": true})
        );
    }

    #[test]
    fn a_scalar_replaces_a_map_and_back() {
        let mut base = node(json!({"a": {"b": 1}}));
        base.merge(node(json!({"a": "flat"})));
        assert_eq!(base.to_value(), json!({"a": "flat"}));
        base.merge(node(json!({"a": {"b": 2}})));
        assert_eq!(base.to_value(), json!({"a": {"b": 2}}));
    }

    #[test]
    fn set_assignments_edit_lists_in_place() {
        let mut base = node(json!({"ports": [{"name": "http", "port": 80}], "x": 1}));
        let origin = Origin::Unknown;
        for a in set::parse(
            SetKind::Typed,
            "ports[0].port=8080,ports[1].name=grpc,x=null,y.z=true",
        )
        .unwrap()
        {
            base.assign(&a.path, a.value, &origin);
        }
        assert_eq!(
            base.to_value(),
            json!({"ports": [{"name": "http", "port": 8080}, {"name": "grpc"}], "y": {"z": true}})
        );
    }

    #[test]
    fn leaves_carry_their_origin() {
        let mut base = Node::from_value(
            json!({"a": {"b": 1, "c": 2}}),
            &Origin::File {
                path: "v.yaml".into(),
                line: 1,
            },
        );
        let flag = Origin::Flag {
            flag: "--set",
            arg: "a.c=3".into(),
        };
        base.merge(Node::from_value(json!({"a": {"c": 3}}), &flag));
        let leaves = base.leaves();
        assert_eq!(leaves[0].0, "a.b");
        assert_eq!(leaves[1], ("a.c".to_string(), &json!(3), &flag));
    }

    #[test]
    fn subcharts_get_their_section_and_global() {
        let parent = node(json!({"global": {"env": "prod"}, "db": {"size": 2}, "other": 1}));
        let sub = for_subchart(
            &parent,
            "db",
            Some(node(
                json!({"size": 1, "image": "pg", "global": {"env": "dev", "x": 1}}),
            )),
        );
        assert_eq!(
            sub.to_value(),
            json!({"size": 2, "image": "pg", "global": {"env": "prod", "x": 1}})
        );
    }
}

//! Layering values, lowest precedence first: the chart's values.yaml; the environment's
//! `values/<env>.yaml`, `values/<env>/<chart>.yaml` and the chart's `values-<env>.yaml`; `-f`
//! files; then `--set*` flags. The user's layers merge deeply (lists are replaced), then are
//! [coalesced](coalesce) with the chart's defaults, where a `null` deletes the default it meets.
//! Every leaf remembers the file:line or flag it came from, for `bosun values --explain`.

pub mod coalesce;
mod environments;
pub(crate) mod explain;
mod json;
mod json_split;
#[cfg(test)]
#[path = "json_split_tests.rs"]
mod json_split_tests;
pub mod set;
mod tree;

pub use environments::{
    Environment, chart_environments, find_values_dir, known_environments, resolve_environment,
};
pub use tree::Node;

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::chart::Chart;
use crate::diagnostics::Origin;
use crate::error::Error;
use crate::values::set::SetKind;
use crate::yaml::{self, Located};

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

/// Reads one values file into a tree; the top level must be a map.
///
/// A JSON file (generated values often are) is read by serde_json, ten times faster than the
/// YAML reader, unless `with_lines` asks for the line of every key (`--explain`).
pub fn read_values_file(shown: &str, text: &str, with_lines: bool) -> Result<Node, Error> {
    if !with_lines && text.trim_start().starts_with('{') {
        let origin = Origin::File {
            path: shown.to_string(),
            line: 0,
        };
        // A large file's members are read on every core (`json_split`), the whole read
        // deciding whatever the split read does not take.
        let read = if text.len() >= json_split::LARGE {
            json_split::read_object(text, &origin, json_split::LARGE)
                .or_else(|| json::read_object(text, &origin))
        } else {
            json::read_object(text, &origin)
        };
        if let Some(node) = read {
            return Ok(node);
        }
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
    let mut merged = Node::default();
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
    coalesce::coalesce(&mut merged, coalesce::defaults_with_imports(chart));
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(v: Value) -> Node {
        Node::from_value(v, &Origin::Unknown)
    }

    #[test]
    fn maps_merge_lists_replace_null_deletes_a_default_and_stays_elsewhere() {
        let defaults = node(json!({"a": {"b": 1, "c": [1, 2], "d": "x"}, "keep": true}));
        let mut user = node(json!({"a": {"b": 9, "e": {"f": null}}}));
        user.merge(node(
            json!({"a": {"b": 2, "c": [3], "d": null, "e": {"g": 1}}}),
        ));
        coalesce::coalesce(&mut user, defaults);
        assert_eq!(
            user.to_value(),
            json!({"a": {"b": 2, "c": [3], "e": {"f": null, "g": 1}}, "keep": true})
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
            "ports[0].port=8080,ports[1].name=grpc,y.z=true",
        )
        .unwrap()
        {
            base.assign(&a.path, a.value, &origin);
        }
        assert_eq!(
            base.to_value(),
            json!({"ports": [{"name": "http", "port": 8080}, {"name": "grpc"}], "x": 1, "y": {"z": true}})
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
        let sub = coalesce::for_subchart(
            &parent,
            "db",
            node(json!({"size": 1, "image": "pg", "global": {"env": "dev", "x": 1}})),
        );
        assert_eq!(
            sub.to_value(),
            json!({"size": 2, "image": "pg", "global": {"env": "prod", "x": 1}})
        );
    }
}

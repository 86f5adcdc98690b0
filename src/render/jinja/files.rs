//! The `files` template variable: read-only access to the chart's own files.
//!
//! `files.get(path)`, `files.lines(path)`, `files.glob(pattern)` (a map of path to content that
//! also has `as_config()` and `as_secrets()`). Paths are relative to the chart folder; `..`,
//! absolute paths and symlinks that lead outside the chart are errors, and `.helmignore`d files
//! do not exist.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use globset::Glob;
use ignore::gitignore::Gitignore;
use minijinja::value::{Enumerator, Object, ObjectRepr, Value, from_args};
use minijinja::{Error, ErrorKind, State};

use crate::chart::Chart;
use crate::yaml;

/// The largest file `files.get` reads, so a chart cannot make bosun load gigabytes.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// A chart's files, or the subset a `glob` selected.
#[derive(Debug)]
pub struct Files {
    root: PathBuf,
    ignore: Arc<Gitignore>,
    /// The names of the chart's files, or of the subset a glob matched.
    names: Arc<Vec<String>>,
}

fn denied(message: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, message)
}

impl Files {
    pub fn new(chart: &Chart) -> Files {
        Files {
            root: chart.root.clone(),
            ignore: Arc::clone(&chart.ignore),
            names: Arc::clone(&chart.files),
        }
    }

    fn names(&self) -> &[String] {
        &self.names
    }

    /// Reads `name`, refusing anything outside the chart.
    pub fn read(&self, name: &str) -> Result<String, Error> {
        let relative = Path::new(name);
        let escapes = relative.is_absolute()
            || relative.components().any(|c| {
                matches!(
                    c,
                    Component::ParentDir | Component::RootDir | Component::Prefix(_)
                )
            });
        if escapes {
            return Err(denied(format!(
                "files.get(`{name}`): reading outside the chart folder is not allowed"
            )));
        }
        let full = self.root.join(relative);
        let missing = || denied(format!("files.get(`{name}`): the chart has no such file"));
        let real = full.canonicalize().map_err(|_| missing())?;
        if !real.starts_with(&self.root) {
            return Err(denied(format!(
                "files.get(`{name}`): it is a symlink that leads outside the chart folder"
            )));
        }
        if self.ignore.matched(relative, false).is_ignore() || !real.is_file() {
            return Err(missing());
        }
        let size = real.metadata().map(|m| m.len()).unwrap_or(0);
        if size > MAX_FILE_SIZE {
            return Err(denied(format!(
                "files.get(`{name}`): the file is {size} bytes, more than the {MAX_FILE_SIZE} allowed"
            )));
        }
        let bytes =
            std::fs::read(&real).map_err(|e| denied(format!("files.get(`{name}`): {e}")))?;
        String::from_utf8(bytes).map_err(|_| denied(format!("files.get(`{name}`): not UTF-8 text")))
    }

    fn glob(&self, pattern: &str) -> Result<Files, Error> {
        let matcher = Glob::new(pattern)
            .map_err(|e| denied(format!("files.glob(`{pattern}`): {e}")))?
            .compile_matcher();
        Ok(Files {
            root: self.root.clone(),
            ignore: Arc::clone(&self.ignore),
            names: Arc::new(
                self.names()
                    .iter()
                    .filter(|n| matcher.is_match(n))
                    .cloned()
                    .collect(),
            ),
        })
    }

    /// base name → content (or base64 of it), as YAML for a ConfigMap's `data`.
    fn as_map(&self, encode: bool) -> Result<String, Error> {
        let mut map = BTreeMap::new();
        for name in self.names() {
            let content = self.read(name)?;
            let key = name.rsplit('/').next().unwrap_or(name).to_string();
            let value = if encode {
                base64::engine::general_purpose::STANDARD.encode(content)
            } else {
                content
            };
            map.insert(key, serde_json::Value::String(value));
        }
        if map.is_empty() {
            return Ok("{}".into());
        }
        let json = serde_json::Value::Object(map.into_iter().collect());
        Ok(yaml::to_string(&json).trim_end_matches('\n').to_string())
    }
}

impl Object for Files {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        self.names()
            .iter()
            .any(|n| n == name)
            .then(|| self.read(name).ok().map(Value::from))
            .flatten()
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(
            self.names()
                .iter()
                .map(|n| Value::from(n.as_str()))
                .collect(),
        )
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        match method {
            "get" => {
                let (name,): (&str,) = from_args(args)?;
                self.read(name).map(Value::from)
            }
            "lines" => {
                let (name,): (&str,) = from_args(args)?;
                let text = self.read(name)?;
                Ok(Value::from_iter(
                    text.lines().map(|l| Value::from(l.to_string())),
                ))
            }
            "glob" => {
                let (pattern,): (&str,) = from_args(args)?;
                Ok(Value::from_object(self.glob(pattern)?))
            }
            "as_config" => {
                from_args::<()>(args)?;
                self.as_map(false).map(Value::from)
            }
            "as_secrets" => {
                from_args::<()>(args)?;
                self.as_map(true).map(Value::from)
            }
            _ => Err(Error::from(ErrorKind::UnknownMethod)),
        }
    }
}

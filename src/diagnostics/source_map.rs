//! Where a finding's field came from: the rendered line, the template line that wrote it, and
//! the values file line (or `--set` flag) that gave its value.
//!
//! The template line comes from the render engines' line tracking (`render/trace.rs`). The
//! value is read first from the template line itself: a `.Values.a.b` (Go) or `values.a.b`
//! (Jinja) there names the value, and when it names a map (`toYaml .Values.resources`) the
//! leaf inside it with the field's key and the rendered value. Failing that, the value is
//! guessed by equality, restricted to leaves whose key is the field's (`replicas` for
//! `/spec/replicas`) and, among several, to those whose path names the resource; a guess says
//! so. A value is never printed, only where it came from (and a `--set` flag's value is
//! hidden for a Secret).

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use crate::diagnostics::Origin;
use crate::values::Node;

/// A line of a template file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateLine {
    /// The file as reports show it (`charts/shop/templates/app.yaml`).
    pub file: String,
    /// 1-based.
    pub line: usize,
}

impl std::fmt::Display for TemplateLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl Serialize for TemplateLine {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The value a field was rendered from: its dotted key in the merged values and where it was
/// set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueSource {
    pub key: String,
    #[serde(serialize_with = "as_text")]
    pub origin: Origin,
    /// Matched by key and value rather than read from the template line.
    pub guessed: bool,
}

fn as_text<S: serde::Serializer>(origin: &Origin, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(origin)
}

impl std::fmt::Display for ValueSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (`{}`", self.origin, self.key)?;
        if self.guessed {
            f.write_str(", matched by key and value")?;
        }
        f.write_str(")")
    }
}

/// Where a finding's field came from, as far as it is known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldOrigin {
    /// The rendered template and line (`app.yaml (rendered):7`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rendered: Option<TemplateLine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<TemplateLine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<ValueSource>,
}

impl FieldOrigin {
    /// Nothing is known, not even the rendered line.
    pub fn is_unknown(&self) -> bool {
        self.rendered.is_none() && self.template.is_none() && self.value.is_none()
    }

    /// `template: FILE:LINE` and `value: FILE:LINE (`key`)`, one a line, for what is known.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(template) = &self.template {
            notes.push(format!("template: {template}"));
        }
        if let Some(value) = &self.value {
            notes.push(format!("value: {value}"));
        }
        notes
    }
}

/// What is known of a rendered field, to find the value it came from.
pub struct Field<'a> {
    /// JSON pointer in the document (`/spec/replicas`).
    pub pointer: &'a str,
    /// The rendered value there, if the field exists.
    pub rendered: Option<&'a Value>,
    /// The text of the template line that wrote it.
    pub code: Option<&'a str>,
    /// The document's `metadata.name`.
    pub resource_name: &'a str,
    /// The document is (or may be) a Secret: a `--set` value is not shown.
    pub secret: bool,
}

/// Every leaf of a values tree with its dotted path, listed and indexed by key once for many
/// findings (a 500-service render may have 500 findings and 20,000 leaves).
pub struct Leaves {
    items: Vec<(String, Value, Origin)>,
    /// Leaves by their last key.
    by_last: HashMap<String, Vec<usize>>,
    /// Leaves by every key on their path.
    by_segment: HashMap<String, Vec<usize>>,
}

impl Leaves {
    pub fn of(values: &Node) -> Leaves {
        let items: Vec<(String, Value, Origin)> = values
            .leaves()
            .into_iter()
            .map(|(path, value, origin)| (path, value.clone(), origin.clone()))
            .collect();
        let mut by_last: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_segment: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (path, _, _)) in items.iter().enumerate() {
            let segments: Vec<&str> = path.split('.').collect();
            if let Some(last) = segments.last() {
                by_last.entry(last.to_string()).or_default().push(i);
            }
            for segment in segments {
                let list = by_segment.entry(segment.to_string()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        Leaves {
            items,
            by_last,
            by_segment,
        }
    }

    /// The leaves whose last key (`last`) or any key (not `last`) is `key`.
    fn with_key(&self, key: &str, last: bool) -> impl Iterator<Item = (&str, &Value, &Origin)> {
        let index = if last {
            &self.by_last
        } else {
            &self.by_segment
        };
        index.get(key).into_iter().flatten().map(|&i| {
            let (p, v, o) = &self.items[i];
            (p.as_str(), v, o)
        })
    }
}

/// The value `field` was rendered from, among the merged `values` (whose `leaves` are given).
pub fn value_source(values: &Node, leaves: &Leaves, field: &Field) -> Option<ValueSource> {
    let key = field
        .pointer
        .rsplit('/')
        .find(|s| !s.is_empty() && s.parse::<usize>().is_err())?
        .replace("~1", "/")
        .replace("~0", "~");
    let named = field.code.map(value_paths).unwrap_or_default();
    let mut found = None;
    // Leaves the line names whose value is part of the rendered text (`repo:tag`).
    let mut parts = Vec::new();
    for path in &named {
        match values.get(path) {
            Some(Node::Leaf(value, origin)) => {
                if field.rendered.is_some_and(|r| same_value(r, value)) {
                    found = Some((path.clone(), origin.clone(), false));
                    break;
                }
                if field.rendered.is_some_and(|r| contains(r, value)) {
                    parts.push((path.clone(), origin.clone()));
                }
            }
            Some(map @ Node::Map(..)) if found.is_none() => {
                let leaves = Leaves::of(map);
                found = unique(matching(&leaves, path, &key, field.rendered))
                    .map(|(path, origin)| (path, origin, false));
            }
            _ => {}
        }
    }
    if found.is_none() {
        found = strongest(parts).map(|(path, origin)| (path, origin, false));
    }
    if found.is_none() && field.rendered.is_some() {
        let candidates = matching(leaves, "", &key, field.rendered);
        // Among several, those whose path names the resource (`services.gateway.replicas`
        // for Deployment gateway); if none does, a shared default (`defaults.replicas`) may.
        let (naming, others): (Vec<_>, Vec<_>) = candidates.into_iter().partition(|(path, _)| {
            path.split('.')
                .any(|segment| segment.len() > 1 && field.resource_name.contains(segment))
        });
        let pool = if naming.is_empty() { others } else { naming };
        found = unique(pool).map(|(path, origin)| (path, origin, true));
    }
    if let (None, Some(rendered)) = (&found, field.rendered) {
        // A value spliced into the field's text, under a key named like the field
        // (`image.tag` in `image: repo:tag`).
        let parts = leaves
            .with_key(&key, false)
            .filter(|(_, value, _)| contains(rendered, value))
            .map(|(path, _, origin)| (path.to_string(), origin.clone()))
            .collect();
        found = strongest(parts).map(|(path, origin)| (path, origin, true));
    }
    let (key, origin, guessed) = found?;
    Some(ValueSource {
        key,
        origin: if field.secret { hidden(origin) } else { origin },
        guessed,
    })
}

/// The values paths an expression on the line names: `.Values.a.b` and `$.Values.a.b` (Go),
/// `values.a.b` (Jinja).
fn value_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for marker in [".Values.", "values."] {
        let mut rest = code;
        while let Some(at) = rest.find(marker) {
            let before = rest[..at].chars().next_back();
            let after = &rest[at + marker.len()..];
            rest = after;
            if marker == "values."
                && before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            {
                continue;
            }
            let path: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
                .collect();
            let path = path.trim_end_matches('.');
            if !path.is_empty() && !paths.iter().any(|p| p == path) {
                paths.push(path.to_string());
            }
        }
    }
    paths
}

/// Leaves under `node` (at dotted `prefix`) whose last key is `key` and whose value is
/// `rendered`.
fn matching(
    leaves: &Leaves,
    prefix: &str,
    key: &str,
    rendered: Option<&Value>,
) -> Vec<(String, Origin)> {
    let Some(rendered) = rendered else {
        return Vec::new();
    };
    leaves
        .with_key(key, true)
        .filter(|(_, value, _)| same_value(rendered, value))
        .map(|(path, _, origin)| {
            let full = if prefix.is_empty() {
                path.to_string()
            } else {
                format!("{prefix}.{path}")
            };
            (full, origin.clone())
        })
        .collect()
}

/// Whether `value` (a string of two characters or more) is part of the rendered text.
fn contains(rendered: &Value, value: &Value) -> bool {
    match (rendered, value) {
        (Value::String(text), Value::String(part)) => {
            part.len() > 1 && text.contains(part.as_str())
        }
        _ => false,
    }
}

/// The one candidate set with the highest precedence: a flag over a values file over a
/// chart's `values.yaml`; none when that is not one.
fn strongest(candidates: Vec<(String, Origin)>) -> Option<(String, Origin)> {
    let rank = |origin: &Origin| match origin {
        Origin::Flag { .. } => 3,
        Origin::File { path, .. } if !path.ends_with("values.yaml") => 2,
        Origin::File { .. } => 1,
        Origin::Unknown => 0,
    };
    let best = candidates.iter().map(|(_, o)| rank(o)).max()?;
    unique(
        candidates
            .into_iter()
            .filter(|(_, origin)| rank(origin) == best)
            .collect(),
    )
}

fn unique(mut candidates: Vec<(String, Origin)>) -> Option<(String, Origin)> {
    (candidates.len() == 1).then(|| candidates.remove(0))
}

/// The same value once rendered: equal, or the same text (`3` and `"3"`).
fn same_value(rendered: &Value, value: &Value) -> bool {
    if rendered == value {
        return true;
    }
    if let (Value::Number(a), Value::Number(b)) = (rendered, value) {
        return a.as_f64() == b.as_f64();
    }
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) | Value::Bool(_) => Some(v.to_string()),
        _ => None,
    };
    text(rendered).is_some_and(|r| Some(r) == text(value))
}

/// A flag origin without the value it set: `--set db.password=(hidden)`.
fn hidden(origin: Origin) -> Origin {
    match origin {
        Origin::Flag { flag, arg } => Origin::Flag {
            flag,
            arg: match arg.split_once('=') {
                Some((key, _)) => format!("{key}=(hidden)"),
                None => arg,
            },
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_paths_reads_go_and_jinja_expressions() {
        assert_eq!(
            value_paths("  replicas: {{ .Values.api.replicas | default $.Values.n }}"),
            ["api.replicas", "n"]
        );
        assert_eq!(value_paths("image: {{ values.image.tag }}"), ["image.tag"]);
        assert!(value_paths("{{ c.values.x }}").is_empty());
    }
}

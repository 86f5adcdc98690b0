//! What a change does: the fresh render against the last one (or any manifests), matched by API
//! group, kind, namespace and name, as added / changed / removed resources with a unified diff
//! of each changed one. Secret values never show unless asked: a changed key shows its sizes.

use std::collections::HashMap;
use std::fmt::Write as _;

use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, SourceSnippet};
use crate::manifest::{self, Document};
use crate::yaml;

/// The `-o` formats of `bosun diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Unified,
    Summary,
    Json,
    Markdown,
}

/// How one resource changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Add,
    Change,
    Destroy,
}

/// One resource that differs, with its unified diff.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub change: Change,
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub diff: String,
}

impl Entry {
    fn resource(&self) -> String {
        if self.namespace.is_empty() {
            format!("{} {}", self.kind, self.name)
        } else {
            format!("{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// Everything that differs, and how much does not.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub entries: Vec<Entry>,
    pub unchanged: usize,
}

impl Plan {
    pub fn has_changes(&self) -> bool {
        !self.entries.is_empty()
    }

    fn count(&self, change: Change) -> usize {
        self.entries.iter().filter(|e| e.change == change).count()
    }

    fn plan_line(&self) -> String {
        format!(
            "Plan: {} to add, {} to change, {} to destroy.",
            self.count(Change::Add),
            self.count(Change::Change),
            self.count(Change::Destroy)
        )
    }
}

/// Options of the comparison.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Lines of context around each change (`-C`).
    pub context: usize,
    /// Show Secret values instead of their sizes.
    pub show_secrets: bool,
}

/// `apiVersion`'s group (empty for the core group), kind, namespace, name.
type Key = (String, String, String, String);

fn key(document: &Document) -> Key {
    let group = document
        .api_version
        .rsplit_once('/')
        .map_or("", |(group, _)| group)
        .to_string();
    (
        group,
        document.kind.clone(),
        document.namespace.clone(),
        document.name.clone(),
    )
}

/// Compares `old` with `new`. Entries come in `new`'s order, then removals in `old`'s.
pub fn plan(old: &[Document], new: &[Document], options: Options) -> Plan {
    let old_by_key: HashMap<Key, &Document> = old.iter().map(|d| (key(d), d)).collect();
    let new_keys: std::collections::HashSet<Key> = new.iter().map(key).collect();
    let mut entries = Vec::new();
    let mut unchanged = 0;
    for document in new {
        match old_by_key.get(&key(document)) {
            None => entries.push(entry(Change::Add, None, Some(document), options)),
            Some(before) if before.yaml == document.yaml => unchanged += 1,
            Some(before) => {
                entries.push(entry(Change::Change, Some(before), Some(document), options))
            }
        }
    }
    for document in old.iter().filter(|d| !new_keys.contains(&key(d))) {
        entries.push(entry(Change::Destroy, Some(document), None, options));
    }
    Plan { entries, unchanged }
}

/// One differing resource; `before` or `after` (whichever exists, `after` first) names it.
fn entry(
    change: Change,
    before: Option<&Document>,
    after: Option<&Document>,
    options: Options,
) -> Entry {
    let document = after.or(before).expect("a change has a before or an after");
    let (a, b) = texts(before, after, options.show_secrets);
    Entry {
        change,
        api_version: document.api_version.clone(),
        kind: document.kind.clone(),
        namespace: document.namespace.clone(),
        name: document.name.clone(),
        diff: unified(&a, &b, &label(document), options.context),
    }
}

fn label(document: &Document) -> String {
    let ns = if document.namespace.is_empty() {
        String::new()
    } else {
        format!("{}/", document.namespace)
    };
    format!("{} {ns}{}", document.kind, document.name)
}

fn unified(old: &str, new: &str, label: &str, context: usize) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(context)
        .header(&format!("{label} (before)"), &format!("{label} (after)"))
        .to_string()
}

/// The texts to compare: the canonical YAML, with Secret values replaced by their sizes.
fn texts(old: Option<&Document>, new: Option<&Document>, show_secrets: bool) -> (String, String) {
    let is_secret = |d: Option<&Document>| d.is_some_and(|d| d.kind == "Secret");
    if show_secrets || !(is_secret(old) || is_secret(new)) {
        return (
            old.map(|d| d.yaml.clone()).unwrap_or_default(),
            new.map(|d| d.yaml.clone()).unwrap_or_default(),
        );
    }
    let mut old_value = old.map(Document::value);
    let mut new_value = new.map(Document::value);
    for field in ["data", "stringData"] {
        let old_map = old_value
            .as_ref()
            .and_then(|v| v[field].as_object())
            .cloned();
        let new_map = new_value
            .as_ref()
            .and_then(|v| v[field].as_object())
            .cloned();
        if let Some(value) = old_value.as_mut() {
            mask(
                value,
                field,
                old_map.as_ref(),
                new_map.as_ref(),
                false,
                field == "data",
            );
        }
        if let Some(value) = new_value.as_mut() {
            mask(
                value,
                field,
                new_map.as_ref(),
                old_map.as_ref(),
                true,
                field == "data",
            );
        }
    }
    let text = |v: Option<Value>| v.map(|v| yaml::to_string(&v)).unwrap_or_default();
    (text(old_value), text(new_value))
}

/// Replaces each value of `value[field]` with its size; a value that differs from `other`'s
/// is marked, so a changed key still shows as changed.
fn mask(
    value: &mut Value,
    field: &str,
    mine: Option<&serde_json::Map<String, Value>>,
    other: Option<&serde_json::Map<String, Value>>,
    newer: bool,
    base64_encoded: bool,
) {
    let Some(mine) = mine else {
        return;
    };
    let mut masked = serde_json::Map::new();
    for (key, secret) in mine {
        let text = secret.as_str().unwrap_or_default();
        let size = if base64_encoded {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .map_or(text.len(), |bytes| bytes.len())
        } else {
            text.len()
        };
        let changed = other.is_some_and(|o| o.get(key) != Some(secret));
        let shown = match (changed, newer) {
            (true, true) => format!("(hidden, {size} bytes, changed)"),
            _ => format!("(hidden, {size} bytes)"),
        };
        masked.insert(key.clone(), Value::String(shown));
    }
    value[field] = Value::Object(masked);
}

/// Server-set fields that `kubectl get -o yaml` adds and a render never has.
const SERVER_FIELDS: &[&str] = &[
    "managedFields",
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "generation",
    "selfLink",
];
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Reads manifests to compare against (a release artifact, `kubectl get -o yaml` output):
/// `List`s are flattened and server-set fields dropped.
pub fn read_against(shown: &str, text: &str) -> Result<Vec<Document>, Error> {
    let mut documents = Vec::new();
    for (first_line, part) in manifest::split(text) {
        let value = yaml::parse_value_lenient(part).map_err(|e| {
            let (line, column) = e.location.unwrap_or((1, 1));
            let line = first_line + line - 1;
            Error::Yaml {
                path: shown.to_string(),
                snippet: Some(Box::new(SourceSnippet::new(
                    shown, text, line, column, 1, &e.message,
                ))),
                message: e.message,
            }
        })?;
        let items = match value {
            Value::Object(ref map)
                if map
                    .get("kind")
                    .and_then(Value::as_str)
                    .is_some_and(|k| k.ends_with("List")) =>
            {
                map.get("items")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            }
            Value::Null => Vec::new(),
            other => vec![other],
        };
        for mut item in items {
            strip_server_fields(&mut item);
            documents.push(Document::new(shown.to_string(), &item));
        }
    }
    Ok(documents)
}

fn strip_server_fields(value: &mut Value) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    object.shift_remove("status");
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        for field in SERVER_FIELDS {
            metadata.shift_remove(*field);
        }
        if let Some(annotations) = metadata
            .get_mut("annotations")
            .and_then(Value::as_object_mut)
        {
            annotations.shift_remove(LAST_APPLIED);
            annotations.shift_remove("deployment.kubernetes.io/revision");
        }
        if metadata
            .get("annotations")
            .and_then(Value::as_object)
            .is_some_and(|a| a.is_empty())
        {
            metadata.shift_remove("annotations");
        }
    }
}

/// The plan as text in `format`; `color` adds ANSI colours to the unified diff.
pub fn render(plan: &Plan, format: Format, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    match format {
        Format::Summary | Format::Unified => {
            for entry in &plan.entries {
                let (mark, word, code) = match entry.change {
                    Change::Add => ("+", "add", "32"),
                    Change::Change => ("~", "change", "33"),
                    Change::Destroy => ("-", "destroy", "31"),
                };
                let _ = writeln!(
                    out,
                    "{} {}",
                    paint(code, &format!("{mark} {word:<7}")),
                    entry.resource()
                );
            }
            let _ = writeln!(out, "{} unchanged", plan.unchanged);
            let _ = writeln!(out, "{}", plan.plan_line());
            if format == Format::Unified {
                for entry in &plan.entries {
                    out.push('\n');
                    for line in entry.diff.lines() {
                        let code = if line.starts_with("+++") || line.starts_with("---") {
                            "1"
                        } else if line.starts_with('+') {
                            "32"
                        } else if line.starts_with('-') {
                            "31"
                        } else if line.starts_with("@@") {
                            "36"
                        } else {
                            ""
                        };
                        if code.is_empty() {
                            out.push_str(line);
                        } else {
                            out.push_str(&paint(code, line));
                        }
                        out.push('\n');
                    }
                }
            }
        }
        Format::Json => {
            #[derive(Serialize)]
            struct Report<'a> {
                add: usize,
                change: usize,
                destroy: usize,
                unchanged: usize,
                resources: &'a [Entry],
            }
            out = serde_json::to_string_pretty(&Report {
                add: plan.count(Change::Add),
                change: plan.count(Change::Change),
                destroy: plan.count(Change::Destroy),
                unchanged: plan.unchanged,
                resources: &plan.entries,
            })
            .unwrap_or_default();
            out.push('\n');
        }
        Format::Markdown => {
            let _ = writeln!(
                out,
                "### bosun diff\n\n**{}** ({} unchanged)\n",
                plan.plan_line(),
                plan.unchanged
            );
            if plan.entries.is_empty() {
                out.push_str("No changes.\n");
                return out;
            }
            out.push_str("| | Resource | apiVersion |\n| --- | --- | --- |\n");
            for entry in &plan.entries {
                let mark = match entry.change {
                    Change::Add => "➕ add",
                    Change::Change => "✏️ change",
                    Change::Destroy => "🗑️ destroy",
                };
                let _ = writeln!(
                    out,
                    "| {mark} | `{}` | `{}` |",
                    entry.resource(),
                    entry.api_version
                );
            }
            for entry in &plan.entries {
                let _ = writeln!(
                    out,
                    "\n<details><summary>{}</summary>\n\n```diff\n{}```\n\n</details>",
                    entry.resource(),
                    entry.diff.replace("```", "ˋˋˋ")
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(value: Value) -> Document {
        Document::new("t".into(), &value)
    }

    fn options() -> Options {
        Options {
            context: 3,
            show_secrets: false,
        }
    }

    #[test]
    fn resources_match_by_group_kind_namespace_and_name() {
        let old = vec![
            doc(
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "x"}, "data": {"k": "1"}}),
            ),
            doc(
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "gone", "namespace": "x"}}),
            ),
            doc(
                json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "same"}}),
            ),
        ];
        let new = vec![
            doc(
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "x"}, "data": {"k": "2"}}),
            ),
            doc(
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "new", "namespace": "x"}}),
            ),
            doc(
                json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "same"}}),
            ),
        ];
        let plan = plan(&old, &new, options());
        let changes: Vec<(Change, &str)> = plan
            .entries
            .iter()
            .map(|e| (e.change, e.name.as_str()))
            .collect();
        assert_eq!(
            changes,
            [
                (Change::Change, "a"),
                (Change::Add, "new"),
                (Change::Destroy, "gone")
            ]
        );
        assert_eq!(plan.unchanged, 1);
        assert!(
            plan.entries[0].diff.contains("-  k: \"1\"\n+  k: \"2\""),
            "{}",
            plan.entries[0].diff
        );
    }

    #[test]
    fn secret_values_show_only_their_sizes() {
        let secret = |password: &str| {
            doc(
                json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                "stringData": {"password": password, "user": "admin"}}),
            )
        };
        let plan = plan(&[secret("hunter2")], &[secret("correct-horse")], options());
        let diff = &plan.entries[0].diff;
        assert!(
            !diff.contains("hunter2") && !diff.contains("correct-horse"),
            "{diff}"
        );
        assert!(diff.contains("-  password: (hidden, 7 bytes)"), "{diff}");
        assert!(
            diff.contains("+  password: (hidden, 13 bytes, changed)"),
            "{diff}"
        );
        assert!(
            !diff.contains("+  user"),
            "an unchanged key is not a change: {diff}"
        );
        let shown = super::plan(
            &[secret("hunter2")],
            &[secret("x")],
            Options {
                show_secrets: true,
                ..options()
            },
        );
        assert!(shown.entries[0].diff.contains("hunter2"));
    }

    #[test]
    fn kubectl_output_loses_its_server_fields() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n    uid: 123\n    resourceVersion: \"9\"\n    creationTimestamp: \"2026-01-01T00:00:00Z\"\n    annotations:\n      kubectl.kubernetes.io/last-applied-configuration: '{}'\n    managedFields: []\n  data: {k: v}\n  status: {}\nmetadata:\n  resourceVersion: \"\"\n";
        let documents = read_against("live.yaml", text).unwrap();
        assert_eq!(documents.len(), 1);
        assert_eq!(
            documents[0].yaml,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n"
        );
    }
}

//! Rendered text to documents: split each template's output on `---`, parse every document
//! (in parallel), drop the empty ones, check each is a Kubernetes object, and sort them in
//! Helm's install order of kinds.
//!
//! A document keeps its identity and its canonical YAML, not its parsed tree: the trees of a
//! 4,400-document render take 35 MB, the text 4 MB. Each tree lives only inside the parallel
//! pass that parses, checks and writes it; a later stage that needs the tree again asks
//! [`Document::value`], which reads the canonical text back (the fast path, ~10 µs).

use rayon::prelude::*;
use serde_json::Value;

use crate::diagnostics::SourceSnippet;
use crate::error::Error;
use crate::resource::{API_VERSION_AT, KIND_AT, METADATA_AT, NAME_AT, Resource, entry};
use crate::secret;
use crate::validate::schema::Catalog;
use crate::validate::{self, Outcome, Policy};
use crate::yaml;

/// The text one template rendered.
#[derive(Debug, Clone)]
pub struct RenderedTemplate {
    /// `chart/templates/x.yaml`, as `# Source:` shows it.
    pub source: String,
    /// The template's path on disk, for error reports.
    pub shown: String,
    pub text: String,
}

/// One Kubernetes object: where it came from, who it is, and its canonical YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// `chart/templates/x.yaml`.
    pub source: String,
    pub resource: Resource,
    /// The object as canonical YAML, ending with a newline (no `---`, no `# Source:`).
    pub yaml: String,
}

impl Document {
    /// Builds a document from a parsed object, writing its canonical YAML.
    pub fn new(source: String, value: &Value) -> Document {
        Document {
            source,
            resource: Resource::of(value),
            yaml: yaml::to_string(value),
        }
    }

    /// A document whose `yaml` is already canonical (a record bosun wrote): only its identity
    /// is read from `value`.
    pub fn from_canonical(source: String, value: &Value, yaml: String) -> Document {
        Document {
            source,
            resource: Resource::of(value),
            yaml,
        }
    }

    /// The parsed object, read back from the canonical YAML.
    pub fn value(&self) -> Value {
        // bosun wrote this text itself, so it always reads back.
        yaml::parse_value(&self.yaml).unwrap_or(Value::Null)
    }
}

/// Splits a stream at lines that start a new document (`---`), with each part's first line.
pub fn split(text: &str) -> Vec<(usize, &str)> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut start_line = 1;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if is_marker(line.as_bytes()) {
            parts.push((start_line, &text[start..offset]));
            start = offset + line.len();
            start_line = index + 2;
        }
        offset += line.len();
    }
    parts.push((start_line, &text[start..]));
    parts
        .into_iter()
        .filter_map(|(line, part)| Some((line, trim_part(part)?)))
        .collect()
}

/// Whether a line (with or without its line break) starts a new document: `---`, alone or
/// followed by a space or tab.
pub(crate) fn is_marker(line: &[u8]) -> bool {
    let mut bare = line;
    while let [rest @ .., b'\n' | b'\r'] = bare {
        bare = rest;
    }
    bare == b"---" || (bare.starts_with(b"---") && matches!(bare.get(3), Some(b' ' | b'\t')))
}

/// One part of a stream as a document: `None` when it holds nothing but white space and
/// comments.
pub(crate) fn trim_part(part: &str) -> Option<&str> {
    if yaml::is_blank(part) {
        return None;
    }
    // Helm trims the white space around each document and prints it with one line break, so
    // spaces ending a last block scalar (`|-` text ending in an `nindent`'s spaces) and blank
    // lines kept by `|+` are not part of it.
    let end = part.trim_end().len();
    let line_break = if part[end..].starts_with('\n') { 1 } else { 0 };
    Some(&part[..end + line_break])
}

/// Schema checks to run on each document while its tree is at hand.
pub struct Checks<'a> {
    pub catalog: &'a Catalog,
    pub policy: &'a Policy,
    /// A repeated key keeps its last value instead of failing the document.
    pub lenient_keys: bool,
}

/// Documents, and with [`Checks`] one validation outcome per document, in the same order.
pub type Parsed = (Vec<Document>, Vec<Outcome>);

/// One chunk of rendered text: nothing (empty), or a document and its outcome.
pub(crate) type Chunk = Result<Option<(Document, Option<Outcome>)>, Error>;

/// Parses (and checks) every document of every template, in order. The first parse error (in
/// template order) wins, so the report is the same on every run.
pub fn parse(templates: &[RenderedTemplate], checks: Option<&Checks>) -> Result<Parsed, Error> {
    let rendered: Vec<String> = templates.iter().map(|t| rendered_name(&t.shown)).collect();
    let chunks: Vec<(&RenderedTemplate, &str, usize, &str)> = templates
        .iter()
        .zip(&rendered)
        .flat_map(|(t, rendered)| {
            split(&t.text)
                .into_iter()
                .map(move |(line, part)| (t, rendered.as_str(), line, part))
        })
        .collect();
    let parsed: Vec<Chunk> = chunks
        .par_iter()
        .with_min_len(16)
        .map(|&(template, rendered, first_line, part)| {
            parse_part(
                &template.source,
                &template.shown,
                rendered,
                first_line,
                part,
                checks,
            )
        })
        .collect();
    gather(parsed.len(), parsed)
}

/// How verdicts name the text a template at `shown` rendered: `shown (rendered)`.
pub(crate) fn rendered_name(shown: &str) -> String {
    format!("{shown} (rendered)")
}

/// Reads (and checks) one document of the template `source` (at `shown` on disk, its text
/// named `rendered` by [`rendered_name`], made once per template rather than per document)
/// that starts on the rendered text's line `first_line`.
pub(crate) fn parse_part(
    source: &str,
    shown: &str,
    rendered: &str,
    first_line: usize,
    part: &str,
    checks: Option<&Checks>,
) -> Chunk {
    read_chunk(source, rendered, first_line, part, checks)
        .map_err(|failure| failure.into_error(source, shown, part))
}

/// The documents and outcomes of chunks in template order; the first error wins.
pub(crate) fn gather(
    count: usize,
    chunks: impl IntoIterator<Item = Chunk>,
) -> Result<Parsed, Error> {
    let mut documents = Vec::with_capacity(count);
    let mut outcomes = Vec::new();
    for result in chunks {
        if let Some((document, outcome)) = result? {
            documents.push(document);
            if let Some(outcome) = outcome {
                if outcomes.capacity() == 0 {
                    outcomes.reserve(count);
                }
                outcomes.push(outcome);
            }
        }
    }
    Ok((documents, outcomes))
}

/// A verdict for every document of a manifests file (`bosun validate`): one that does not parse,
/// or is not a Kubernetes object, gets an error verdict at its line; the others are checked.
pub fn check_each(file: &RenderedTemplate, checks: &Checks) -> Vec<Outcome> {
    let chunks = split(&file.text);
    chunks
        .par_iter()
        .with_min_len(16)
        .filter_map(|&(first_line, part)| {
            match read_chunk(&file.source, &file.shown, first_line, part, Some(checks)) {
                Ok(found) => found.and_then(|(_, outcome)| outcome),
                Err(failure) => Some(failure.into_outcome(file)),
            }
        })
        .collect()
}

/// Why a chunk of text is not a Kubernetes object, and where.
struct Failure {
    problem: Problem,
    /// 1-based line and column in the whole text the chunk came from.
    line: usize,
    column: usize,
    /// The line of the whole text the chunk starts on.
    chunk_start: usize,
    /// The chunk may hold a Secret's values: no line of it is quoted.
    hidden: bool,
    /// What was read, when it parsed.
    value: Option<Box<Value>>,
}

enum Problem {
    Yaml(String),
    NotAnObject(&'static str),
}

const HIDDEN: &str = "the text is not shown because the document is a Secret or may be one";

impl Failure {
    /// The report for a rendered template.
    fn into_error(self, source: &str, shown: &str, part: &str) -> Error {
        let shown = format!("{shown} (rendered)");
        let at = format!("{shown}:{}:{}", self.line, self.column);
        match self.problem {
            Problem::Yaml(message) if self.hidden => Error::RenderedYaml {
                template: source.to_string(),
                message: format!("{message} (at {at}; {HIDDEN})"),
                snippet: None,
            },
            Problem::Yaml(message) => Error::RenderedYaml {
                template: source.to_string(),
                snippet: Some(Box::new(SourceSnippet::in_part(
                    &shown,
                    part,
                    self.chunk_start,
                    self.line,
                    self.column,
                    1,
                    &message,
                ))),
                message,
            },
            Problem::NotAnObject(reason) => Error::NotAnObject {
                template: source.to_string(),
                reason: if self.hidden {
                    format!("{reason} (at {at}; {HIDDEN})")
                } else {
                    reason.to_string()
                },
                snippet: (!self.hidden).then(|| {
                    Box::new(SourceSnippet::in_part(
                        &shown,
                        part,
                        self.chunk_start,
                        self.line,
                        1,
                        1,
                        "this document",
                    ))
                }),
            },
        }
    }

    /// The verdict on a document of a manifests file.
    fn into_outcome(self, file: &RenderedTemplate) -> Outcome {
        let field = |path: &[&str]| {
            let mut v = self.value.as_deref().unwrap_or(&Value::Null);
            for key in path {
                v = &v[*key];
            }
            v.as_str().unwrap_or("").to_string()
        };
        // A verdict never quotes the text, so only the message needed cleaning (when hidden).
        let message = match &self.problem {
            Problem::Yaml(message) => format!("not valid YAML: {message} (column {})", self.column),
            Problem::NotAnObject(reason) => format!("not a Kubernetes object: {reason}"),
        };
        Outcome {
            source: file.source.clone(),
            // What could be read of it: no `generateName` for a name, as it may not be an object.
            resource: Resource {
                api_version: field(&["apiVersion"]),
                kind: field(&["kind"]),
                namespace: field(&["metadata", "namespace"]),
                name: field(&["metadata", "name"]),
            },
            verdict: validate::Verdict::Error {
                message,
                line: Some(self.line),
            },
        }
    }
}

/// Reads one chunk: nothing (empty), or a document and, with `checks`, its verdict.
fn read_chunk(
    source: &str,
    shown: &str,
    first_line: usize,
    part: &str,
    checks: Option<&Checks>,
) -> Result<Option<(Document, Option<Outcome>)>, Failure> {
    let parsed = if checks.is_some_and(|c| c.lenient_keys) {
        yaml::parse_value_lenient(part)
    } else {
        yaml::parse_value(part)
    };
    let value = parsed.map_err(|e| {
        let (line, column) = e.location.unwrap_or((1, 1));
        let hidden = secret::may_be_secret(part);
        Failure {
            problem: Problem::Yaml(if hidden {
                secret::without_quoted_text(&e.message)
            } else {
                e.message
            }),
            line: first_line + line - 1,
            chunk_start: first_line,
            column,
            hidden,
            value: None,
        }
    })?;
    if value.is_null() {
        return Ok(None);
    }
    if let Some(reason) = not_an_object(&value) {
        return Err(Failure {
            problem: Problem::NotAnObject(reason),
            line: first_line,
            chunk_start: first_line,
            column: 1,
            hidden: secret::holds_secret(&value),
            value: Some(Box::new(value)),
        });
    }
    let yaml = yaml::to_string_sized(&value, part.len());
    let document = Document::from_canonical(source.to_string(), &value, yaml);
    let outcome = checks.map(|checks| Outcome {
        source: document.source.clone(),
        resource: document.resource.clone(),
        verdict: validate::check(
            checks.catalog,
            checks.policy,
            &value,
            part,
            shown,
            first_line,
        ),
    });
    Ok(Some((document, outcome)))
}

/// Why a parsed document is not a Kubernetes object, if it is not.
fn not_an_object(value: &Value) -> Option<&'static str> {
    let Value::Object(map) = value else {
        return Some("it is not a mapping");
    };
    let metadata = entry(map, "metadata", METADATA_AT);
    let in_metadata = |key: &str| {
        metadata
            .and_then(Value::as_object)
            .and_then(|m| entry(m, key, NAME_AT))
    };
    if !entry(map, "apiVersion", API_VERSION_AT).is_some_and(Value::is_string) {
        Some("it has no `apiVersion`")
    } else if !entry(map, "kind", KIND_AT).is_some_and(Value::is_string) {
        Some("it has no `kind`")
    } else if in_metadata("name").is_some_and(|name| !name.is_string() && !name.is_null()) {
        Some("its `metadata.name` is not a string")
    } else if !(in_metadata("name").is_some_and(Value::is_string)
        || in_metadata("generateName").is_some_and(Value::is_string))
    {
        Some("it has no `metadata.name`")
    } else {
        None
    }
}

/// Helm's install order of kinds; kinds not listed go last, alphabetically.
const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// Sorts by install order of kind, keeping the rendered order within a kind.
pub fn sort_by_kind(documents: &mut [Document]) {
    // Each document's place in the order is found once, not at every comparison: a search of
    // the list of kinds per comparison was most of the sort's time at 18,000 documents.
    documents.sort_by_cached_key(|d| {
        let (rank, unlisted) = kind_rank(&d.resource.kind);
        (rank, unlisted.map(str::to_string))
    });
}

/// Where `kind` goes in Helm's install order: its place in the list, or after the list with
/// the kind itself to order the unlisted ones alphabetically.
pub fn kind_rank(kind: &str) -> (usize, Option<&str>) {
    match INSTALL_ORDER.iter().position(|k| *k == kind) {
        Some(rank) => (rank, None),
        None => (INSTALL_ORDER.len(), Some(kind)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template(text: &str) -> RenderedTemplate {
        RenderedTemplate {
            source: "c/templates/t.yaml".into(),
            shown: "charts/c/templates/t.yaml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn split_on_markers_only_at_line_start() {
        let text = "a: 1\n---\nb: |\n  ---\n--- # c\n\n---\n# only a comment\n";
        let parts = split(text);
        assert_eq!(parts, vec![(1, "a: 1\n"), (3, "b: |\n  ---\n")]);
    }

    /// Regression: a document ending in `nindent`'s spaces inside a `|-` block kept them
    /// (Bitnami's pinniped ConfigMap differed from helm's by two spaces).
    #[test]
    fn documents_end_where_helm_trims_them() {
        let text = "a: |+\n  x\n\n   \n---\nb: |-\n  y\n    \n";
        assert_eq!(split(text), vec![(1, "a: |+\n  x\n"), (6, "b: |-\n  y\n")]);
    }

    #[test]
    fn parse_reports_the_rendered_line() {
        let t = template(
            "apiVersion: v1\nkind: A\nmetadata: {name: a}\n---\napiVersion: v1\nkind: [\n",
        );
        let Err(Error::RenderedYaml {
            snippet: Some(s), ..
        }) = parse(&[t], None)
        else {
            panic!("expected a YAML error")
        };
        assert!(s.line >= 6, "line {}", s.line);
        assert!(s.path.ends_with("(rendered)"));
    }

    #[test]
    fn objects_need_api_version_kind_and_name() {
        for (text, reason) in [
            ("kind: A\nmetadata: {name: a}\n", "apiVersion"),
            ("apiVersion: v1\nmetadata: {name: a}\n", "kind"),
            ("apiVersion: v1\nkind: A\n", "metadata.name"),
            ("- a\n", "mapping"),
        ] {
            let err = parse(&[template(text)], None).unwrap_err();
            assert!(err.to_string().contains(reason), "{err}");
        }
    }

    #[test]
    fn sorting_follows_install_order_and_is_stable() {
        let doc = |kind: &str, name: &str| {
            Document::new(
                String::new(),
                &json!({"kind": kind, "metadata": {"name": name}}),
            )
        };
        let mut docs = vec![
            doc("Ingress", "i"),
            doc("Zeta", "z"),
            doc("Deployment", "d1"),
            doc("Alpha", "a"),
            doc("Service", "s"),
            doc("Deployment", "d0"),
            doc("Namespace", "n"),
        ];
        sort_by_kind(&mut docs);
        let names: Vec<&str> = docs.iter().map(|d| d.resource.name.as_str()).collect();
        assert_eq!(names, ["n", "s", "d1", "d0", "i", "a", "z"]);
    }
}

#[cfg(test)]
#[path = "manifest_identity_tests.rs"]
mod identity_tests;

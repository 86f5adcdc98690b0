//! What a change does: the fresh render against the last one (or any manifests), matched by API
//! group, kind, namespace and name, as added / changed / removed resources with a unified diff
//! of each changed one, and what the changes will do (`consequences/`: immutable fields, pod
//! restarts, stale config, Secret keys, risks; noise marked). Secret values never show unless
//! asked (`secrets.rs`); an object read from a cluster is compared only on what the render sets
//! (`against.rs`); [`format`] prints the plan for one release or many.

mod against;
mod consequences;
mod format;
mod secrets;

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use crate::manifest::Document;
use crate::resource::Resource;
use crate::state::SecretKey;

pub use against::read_against;
pub use consequences::{Class, Consequence, Consumer, Found, Noise, Via};
pub use format::{MARKDOWN_LIMIT, render, render_many};

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
    #[serde(flatten)]
    pub resource: Resource,
    pub diff: String,
    /// Set when the change is only noise (version labels, checksums): reports group these.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noise: Option<Noise>,
}

/// Everything that differs, and how much does not.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub entries: Vec<Entry>,
    pub unchanged: usize,
    /// What the plan cannot tell (Secret values not compared), and why.
    pub notes: Vec<String>,
    /// What the changes will do, in the order of the entries they belong to.
    pub consequences: Vec<Found>,
}

/// What was diffed and against what, for the heading of every format.
#[derive(Debug, Clone)]
pub struct About {
    pub chart: String,
    pub environment: Option<String>,
    pub release: String,
    pub namespace: String,
    pub baseline: Baseline,
}

impl About {
    /// The sentence every format prints when there is no record to compare with.
    pub fn no_record(&self) -> String {
        let path = match &self.baseline {
            Baseline::NoRecord { path } => path.as_str(),
            _ => "",
        };
        format!(
            "no earlier record for chart `{}` env `{}` release `{}` namespace `{}` (looked for `{path}`): everything shows as added; `bosun render` records one",
            self.chart,
            self.environment.as_deref().unwrap_or("(none)"),
            self.release,
            self.namespace
        )
    }
}

/// What the render is compared with.
#[derive(Debug, Clone)]
pub enum Baseline {
    /// The record of the last render, at this path.
    Record { path: String },
    /// No record at this path yet: everything is new.
    NoRecord { path: String },
    /// `--against` manifests.
    Manifests { path: String },
}

/// One object to compare with: from a record or manifests, or read from a cluster (then only
/// the fields the render sets are compared).
#[derive(Debug, Clone)]
pub struct Before {
    pub document: Document,
    pub from_cluster: bool,
}

impl From<Document> for Before {
    fn from(document: Document) -> Before {
        Before {
            document,
            from_cluster: false,
        }
    }
}

impl Plan {
    pub fn has_changes(&self) -> bool {
        !self.entries.is_empty()
    }

    /// The consequences of these classes.
    pub fn matching<'a>(&'a self, classes: &'a [Class]) -> impl Iterator<Item = &'a Found> {
        self.consequences
            .iter()
            .filter(|f| classes.contains(&f.consequence.class()))
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
#[derive(Clone, Copy)]
pub struct Options<'a> {
    /// Lines of context around each change (`-C`).
    pub context: usize,
    /// Show Secret values instead of `(hidden)`.
    pub show_secrets: bool,
    /// The key the record's Secret values were sealed with, if one is set.
    pub key: Option<&'a SecretKey>,
}

/// `apiVersion`'s group (empty for the core group), kind, namespace, name.
type Key = (String, String, String, String);

fn key(document: &Document) -> Key {
    let resource = &document.resource;
    let group = resource
        .api_version
        .rsplit_once('/')
        .map_or("", |(group, _)| group)
        .to_string();
    (
        group,
        resource.kind.clone(),
        resource.namespace.clone(),
        resource.name.clone(),
    )
}

/// Compares `old` with `new`. Entries come in `new`'s order, then removals in `old`'s; the
/// consequences of the changes come with them.
pub fn plan(old: &[Before], new: &[Document], options: Options) -> Plan {
    let old_by_key: HashMap<Key, &Before> = old.iter().map(|b| (key(&b.document), b)).collect();
    let new_keys: std::collections::HashSet<Key> = new.iter().map(key).collect();
    let mut entries = Vec::new();
    let mut sides: Vec<Parsed> = Vec::new();
    let mut unchanged = 0;
    let mut notes = Vec::new();
    for document in new {
        let Some(before) = old_by_key.get(&key(document)) else {
            let compared = compare(Change::Add, None, Some(document), options, &mut notes);
            entries.push(compared.entry);
            sides.push(compared.sides);
            continue;
        };
        let pruned;
        let before = if before.from_cluster {
            let mut live = before.document.value();
            against::keep_managed(&mut live, &document.value());
            pruned = Document::new(before.document.source.clone(), &live);
            &pruned
        } else {
            &before.document
        };
        if before.yaml == document.yaml {
            unchanged += 1;
            continue;
        }
        let compared = compare(
            Change::Change,
            Some(before),
            Some(document),
            options,
            &mut notes,
        );
        if compared.differs {
            entries.push(compared.entry);
            sides.push(compared.sides);
        } else {
            unchanged += 1;
        }
    }
    for before in old.iter().filter(|b| !new_keys.contains(&key(&b.document))) {
        let document = Some(&before.document);
        let compared = compare(Change::Destroy, document, None, options, &mut notes);
        entries.push(compared.entry);
        sides.push(compared.sides);
    }
    let consequences = consequences_of(&mut entries, &sides, new);
    Plan {
        entries,
        unchanged,
        notes,
        consequences,
    }
}

/// The consequences of every entry, and each change that is only noise marked as such.
fn consequences_of(
    entries: &mut [Entry],
    sides: &[Parsed],
    new: &[Document],
) -> Vec<consequences::Found> {
    let mut found = Vec::new();
    for (entry, parsed) in entries.iter_mut().zip(sides) {
        let resource = &entry.resource;
        let mut each = match (&parsed.old, &parsed.new) {
            (Some(old), Some(new)) => {
                let paths = consequences::changed_paths(old, new);
                entry.noise = consequences::classify_noise(&paths);
                consequences::of_change(resource, old, new, &paths)
            }
            (Some(old), None) => consequences::of_destroy(resource, old),
            _ => Vec::new(),
        };
        each.extend(parsed.secret.clone());
        found.extend(each.into_iter().map(|consequence| consequences::Found {
            resource: resource.clone(),
            consequence,
        }));
    }
    let restarted: Vec<&Resource> = found
        .iter()
        .filter(|f| f.consequence.class() == Class::RestartsPods)
        .map(|f| &f.resource)
        .collect();
    // Only the kinds that take part in a finding across resources are read back.
    let rendered: Vec<(Resource, Value)> = new
        .iter()
        .filter(|d| consequences::joins(&d.resource))
        .map(|d| (d.resource.clone(), d.value()))
        .collect();
    let changes: Vec<consequences::Sides> = entries
        .iter()
        .zip(sides)
        .map(|(entry, parsed)| consequences::Sides {
            resource: &entry.resource,
            old: parsed.old.as_ref(),
            new: parsed.new.as_ref(),
            gone: entry.change == Change::Destroy,
        })
        .collect();
    let across = consequences::across(&changes, &restarted, &rendered);
    found.extend(across);
    found
}

/// One resource's comparison.
struct Compared {
    /// Whether it differs in anything that can be told apart.
    differs: bool,
    entry: Entry,
    sides: Parsed,
}

/// A changed or destroyed resource's sides as parsed values, for its consequences (an added
/// one's are not needed). A Secret's values are replaced by labels that differ where a value
/// changed, and its keys come as a consequence of their own.
struct Parsed {
    old: Option<Value>,
    new: Option<Value>,
    secret: Option<consequences::Consequence>,
}

/// One resource's entry; a Secret whose values cannot be compared adds a note.
fn compare(
    change: Change,
    before: Option<&Document>,
    after: Option<&Document>,
    options: Options,
    notes: &mut Vec<String>,
) -> Compared {
    let document = after.or(before).expect("a change has a before or an after");
    let is_secret = |d: Option<&Document>| d.is_some_and(crate::state::is_secret);
    let mut values = (None, None);
    let mut secret = None;
    let (differs, (a, b)) =
        if document.resource.kind != "Secret" && (is_secret(before) || is_secret(after)) {
            // A List that holds Secrets: both sides sealed, so no value shows and a change shows
            // as a changed digest (or, without a key, cannot be told apart).
            let sealed = |d: Option<&Document>| {
                d.map(|d| crate::state::seal(d, options.key).yaml)
                    .unwrap_or_default()
            };
            if options.key.is_none() {
                notes.push(format!(
                    "{}: a List holding Secrets; without a key its values are not compared",
                    label(document)
                ));
            }
            let (a, b) = (sealed(before), sealed(after));
            (a != b, (a, b))
        } else if is_secret(before) || is_secret(after) {
            let compared = secrets::compare(before, after, options.key, options.show_secrets);
            let mut counts: Vec<(secrets::Why, usize)> = Vec::new();
            for why in &compared.not_compared {
                match counts.iter_mut().find(|(w, _)| w == why) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((*why, 1)),
                }
            }
            for (why, count) in counts {
                notes.push(secrets::note(&label(document), why, count, options.key));
            }
            values = compared.masked_values.clone();
            let differs = compared.masked.0 != compared.masked.1;
            if differs {
                secret = secrets::consequence(&compared.keys);
            }
            (differs, compared.shown)
        } else {
            let text = |d: Option<&Document>| d.map(|d| d.yaml.clone()).unwrap_or_default();
            if change != Change::Add {
                values = (before.map(Document::value), after.map(Document::value));
            }
            (true, (text(before), text(after)))
        };
    let entry = Entry {
        change,
        resource: document.resource.clone(),
        diff: unified(&a, &b, &label(document), options.context),
        noise: None,
    };
    Compared {
        differs,
        entry,
        sides: Parsed {
            old: values.0,
            new: values.1,
            secret,
        },
    }
}

fn label(document: &Document) -> String {
    document.resource.to_string()
}

fn unified(old: &str, new: &str, label: &str, context: usize) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(context)
        .header(&format!("{label} (before)"), &format!("{label} (after)"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn doc(value: Value) -> Document {
        Document::new("t".into(), &value)
    }

    fn options() -> Options<'static> {
        Options {
            context: 3,
            show_secrets: false,
            key: None,
        }
    }

    fn befores(documents: Vec<Document>) -> Vec<Before> {
        documents.into_iter().map(Before::from).collect()
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
        let plan = plan(&befores(old), &new, options());
        let changes: Vec<(Change, &str)> = plan
            .entries
            .iter()
            .map(|e| (e.change, e.resource.name.as_str()))
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
    fn secret_values_show_neither_value_nor_size() {
        let secret = |password: &str| {
            doc(
                json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                "stringData": {"password": password, "user": "admin"}}),
            )
        };
        let plan = plan(
            &befores(vec![secret("hunter2")]),
            &[secret("correct-horse")],
            options(),
        );
        let diff = &plan.entries[0].diff;
        assert!(
            !diff.contains("hunter2") && !diff.contains("correct-horse"),
            "{diff}"
        );
        assert!(diff.contains("-  password: (hidden)"), "{diff}");
        assert!(diff.contains("+  password: (hidden, changed)"), "{diff}");
        assert!(!diff.contains("bytes"), "a size leaks a length: {diff}");
        assert!(
            !diff.contains("+  user"),
            "an unchanged key is not a change: {diff}"
        );
        let shown = super::plan(
            &befores(vec![secret("hunter2")]),
            &[secret("x")],
            Options {
                show_secrets: true,
                ..options()
            },
        );
        assert!(shown.entries[0].diff.contains("hunter2"));
    }
}

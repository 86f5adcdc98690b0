//! What the API server refuses beyond the OpenAPI schema: the checks Kubernetes runs in its
//! validation code (name formats, unique names, cross-field rules, quantities, cron schedules),
//! written again as pure functions over a parsed document.
//!
//! Each area has a file and a table of its [`Rule`]s; a rule names the Kubernetes function it
//! mirrors. [`check`] runs every area on one document and returns [`Finding`]s with a JSON
//! pointer, which the validation step reports the way it reports schema violations. A rule is
//! here only when its bounds are known exactly: a valid manifest refused offline is worse than
//! a miss (docs/validation-rules.md lists what stays unchecked).

use serde_json::Value;

pub(crate) use field::{Field, Follow};

mod batch;
mod config;
mod container;
mod cron;
mod field;
pub(crate) mod formats;
mod ingress;
mod metadata;
mod pod;
mod policy;
pub(crate) mod quantity;
mod rbac;
mod scaling;
mod scheduling;
mod service;
mod storage;
mod workload;

/// One rule: what it checks and which Kubernetes code it mirrors.
#[derive(Debug)]
pub struct Rule {
    /// Stable id, `area/what` (`pod/unique-container-names`).
    pub id: &'static str,
    /// The kinds it applies to, for the docs.
    pub kinds: &'static str,
    /// The Kubernetes file and function whose check it repeats.
    pub mirrors: &'static str,
}

/// One thing the API server would refuse.
#[derive(Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    /// JSON pointer to the offending value.
    pub path: String,
    pub message: String,
}

impl Finding {
    /// The message with the rule's id, as reports print it.
    pub fn describe(&self) -> String {
        format!("{} (rule `{}`)", self.message, self.rule.id)
    }

    /// The help line a report prints under the message.
    pub fn help(&self) -> String {
        format!(
            "the API server refuses this (rule `{}`, as {}); see docs/validation-rules.md",
            self.rule.id, self.rule.mirrors
        )
    }
}

/// Every rule, area by area, for the docs and the tests.
pub fn all() -> Vec<&'static Rule> {
    [
        metadata::RULES,
        pod::RULES,
        workload::RULES,
        batch::RULES,
        service::RULES,
        ingress::RULES,
        scaling::RULES,
        policy::RULES,
        config::RULES,
        storage::RULES,
        rbac::RULES,
        scheduling::RULES,
    ]
    .concat()
}

/// The document being checked: its group, version and kind, read once.
pub(crate) struct Doc<'a> {
    pub value: &'a Value,
    /// `""` for the core group.
    pub group: &'a str,
    pub version: &'a str,
    pub kind: &'a str,
}

impl Doc<'_> {
    /// Whether this is `kind` in `group` (any version).
    pub fn is(&self, group: &str, kind: &str) -> bool {
        same(self.kind, kind) && same(self.group, group)
    }
}

/// `a == b` for the short names rules compare (kinds, groups): lengths first, then the bytes
/// in line, where `==` calls `memcmp` even for two empty groups (1% of a fleet render).
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// Findings being collected.
#[derive(Default)]
pub(crate) struct Out {
    pub findings: Vec<Finding>,
}

impl Out {
    pub fn push(
        &mut self,
        rule: &'static Rule,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.findings.push(Finding {
            rule,
            path: path.into(),
            message: message.into(),
        });
    }
}

/// What the API server would refuse in one parsed document, beyond its schema.
pub fn check(value: &Value) -> Vec<Finding> {
    let Some(api_version) = value.field("apiVersion").and_then(Value::as_str) else {
        return Vec::new();
    };
    let Some(kind) = value.field("kind").and_then(Value::as_str) else {
        return Vec::new();
    };
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let doc = Doc {
        value,
        group,
        version,
        kind,
    };
    let mut out = Out::default();
    metadata::check(&doc, &mut out);
    pod::check(&doc, &mut out);
    workload::check(&doc, &mut out);
    batch::check(&doc, &mut out);
    service::check(&doc, &mut out);
    ingress::check(&doc, &mut out);
    scaling::check(&doc, &mut out);
    policy::check(&doc, &mut out);
    config::check(&doc, &mut out);
    storage::check(&doc, &mut out);
    rbac::check(&doc, &mut out);
    scheduling::check(&doc, &mut out);
    out.findings
}

/// `base/segment` as a JSON pointer, escaping `~` and `/` in the segment.
pub(crate) fn at(base: &str, segment: impl std::fmt::Display) -> String {
    let segment = segment.to_string();
    let mut path = String::with_capacity(base.len() + 1 + segment.len());
    path.push_str(base);
    path.push('/');
    for c in segment.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
    path
}

/// The string at `key`, when it is one and not empty. The API server defaults an empty enum
/// (`restartPolicy: ""`, `type: ""`) as if it were absent, so rules read `""` as unset.
pub(crate) fn str_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value
        .field(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// A scalar as the user wrote it, without JSON quotes (`500m`, `80`).
pub(crate) fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The list at `key` with each item's index; nothing when it is absent or not a list.
pub(crate) fn items<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = (usize, &'a Value)> {
    value
        .field(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

/// The mapping at `key`; nothing when it is absent or not a mapping.
pub(crate) fn entries<'a>(
    value: &'a Value,
    key: &str,
) -> impl Iterator<Item = (&'a String, &'a Value)> {
    value
        .field(key)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

/// Each finding of `value` as `rule path: message`, for the rule modules' tests.
#[cfg(test)]
fn messages(value: Value) -> Vec<String> {
    check(&value)
        .into_iter()
        .map(|f| format!("{} {}: {}", f.rule.id, f.path, f.message))
        .collect()
}

#[cfg(test)]
mod finding_paths_tests;

#[cfg(test)]
mod tests {
    use super::{all, check};

    #[test]
    fn rule_ids_are_unique_and_each_is_in_the_docs() {
        let docs = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/validation-rules.md"),
        )
        .unwrap();
        let mut seen = std::collections::HashSet::new();
        for rule in all() {
            assert!(seen.insert(rule.id), "duplicate rule id {}", rule.id);
            assert!(
                docs.contains(&format!("`{}`", rule.id)),
                "docs/validation-rules.md does not list `{}`",
                rule.id
            );
            assert!(rule.mirrors.contains(".go"), "{} cites no file", rule.id);
        }
    }

    #[test]
    fn other_groups_are_left_alone() {
        let doc = serde_json::json!({
            "apiVersion": "example.com/v1", "kind": "Service",
            "metadata": {"name": "Not_A_Name"}, "spec": {"ports": [{"port": 0}]}
        });
        let findings = check(&doc);
        // The metadata rules hold for every kind; the Service rules only for core Services.
        assert!(
            findings.iter().all(|f| f.rule.id.starts_with("metadata/")),
            "{findings:?}"
        );
    }
}

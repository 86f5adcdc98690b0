//! Validating documents against schemas, offline: each document gets a verdict (valid, invalid
//! with every violation, skipped for want of a schema, or an apiVersion the target removed).
//! One bad document never stops the others; the caller decides the exit code at the end.

mod bundle;
pub mod catalog;
pub mod cel;
mod chart_crds;
mod crd;
pub(crate) mod inputs;
pub mod kind_schema;
mod removed_apis;
pub mod report;
pub mod rules;
pub mod schema;
mod schema_refs;
mod structural;

use serde::Serialize;
use serde_json::Value;

use crate::diagnostics::SourceSnippet;
use crate::resource::Resource;
use crate::validate::schema::{Catalog, Lookup, SchemaSource};

mod values_schema;
pub use values_schema::{check_values, check_values_at};

/// What to check and what to let pass.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Kinds not checked at all (`--skip`).
    pub skip: Vec<String>,
    /// Kinds that are errors wherever they appear (`--reject`).
    pub reject: Vec<String>,
}

/// One schema violation in a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// JSON pointer to the offending value (`/spec/replicas`).
    pub path: String,
    /// What was expected.
    pub message: String,
    /// 1-based line in the text the document was read from, when found.
    pub line: Option<usize>,
    #[serde(skip)]
    pub snippet: Option<Box<SourceSnippet>>,
    /// What to do about it, where the report can say more than the message: a help line,
    /// then notes, one a line.
    #[serde(skip)]
    pub help: Option<String>,
}

/// A document's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Verdict {
    Valid,
    Invalid {
        errors: Vec<Violation>,
    },
    /// Not checked: `reason` says why (no schema, or `--skip`).
    Skipped {
        reason: String,
    },
    /// The input could not be read as a Kubernetes object at all, or its schema is broken.
    Error {
        message: String,
        /// 1-based line in the text the document was read from, when known.
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
    },
}

/// The verdict on one document, with who it is and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The template or file it came from.
    pub source: String,
    #[serde(flatten)]
    pub resource: Resource,
    #[serde(flatten)]
    pub verdict: Verdict,
}

impl Outcome {
    pub fn is_invalid(&self) -> bool {
        matches!(self.verdict, Verdict::Invalid { .. })
    }

    pub fn is_skipped(&self) -> bool {
        matches!(self.verdict, Verdict::Skipped { .. })
    }

    pub fn is_error(&self) -> bool {
        matches!(self.verdict, Verdict::Error { .. })
    }
}

/// The field an error is about, when the schema reports it on the parent object: an unknown
/// field, or a missing required one. Reports then point at the field itself.
fn offending_field(kind: &jsonschema::error::ValidationErrorKind) -> Option<String> {
    use jsonschema::error::ValidationErrorKind;
    match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected.first().cloned(),
        ValidationErrorKind::Required { property } => property.as_str().map(str::to_string),
        // A key the schema refuses (a service's name, say) is reported at its own line.
        ValidationErrorKind::PropertyNames { error } => {
            error.instance().as_str().map(str::to_string)
        }
        _ => None,
    }
}

/// The message for one violation. "Not valid under any of the schemas listed in the 'oneOf'
/// keyword" becomes what each alternative wanted: `80.5 is not of types "null", "string"; nor of
/// types "null", "integer"` (an int-or-string field).
fn explain(error: &jsonschema::ValidationError) -> String {
    if let jsonschema::error::ValidationErrorKind::OneOfNotValid { context } = error.kind() {
        let wanted: Vec<String> = context
            .iter()
            .filter_map(|branch| branch.first())
            .map(|e| e.to_string())
            .collect();
        if !wanted.is_empty() {
            let instance = error.instance().to_string();
            let parts: Vec<String> = wanted
                .iter()
                .enumerate()
                .map(|(i, message)| {
                    let rest = message
                        .strip_prefix(&instance)
                        .unwrap_or(message)
                        .trim_start();
                    if i == 0 {
                        rest.to_string()
                    } else {
                        format!("nor {}", rest.strip_prefix("is not ").unwrap_or(rest))
                    }
                })
                .collect();
            return format!("{instance} {}", parts.join("; "));
        }
    }
    error.to_string()
}

/// `; did you mean `protocol`?` for an unknown field that is a near miss of an allowed one.
fn near_miss(
    catalog: &Catalog,
    api_version: &str,
    kind: &str,
    error: &jsonschema::ValidationError,
) -> String {
    let jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } = error.kind()
    else {
        return String::new();
    };
    let Some(object) = error
        .schema_path()
        .as_str()
        .strip_suffix("/additionalProperties")
    else {
        return String::new();
    };
    let allowed = catalog.properties_at(api_version, kind, object);
    unexpected
        .iter()
        .find_map(|field| {
            crate::diagnostics::did_you_mean(field, allowed.iter().map(String::as_str))
        })
        .map(|near| format!("; did you mean `{near}`?"))
        .unwrap_or_default()
}

/// `value` without the object fields whose value is `null`, or `None` when it has none. The API
/// server reads such a field as unset: Go's JSON decoding leaves a pointer, slice or map nil,
/// and a custom resource's non-nullable `null` fields are pruned before validation.
fn without_nulls(value: &Value) -> Option<Value> {
    fn has_null(value: &Value) -> bool {
        // Scalars are answered here rather than by a call each: most values are scalars.
        let inner = |v: &Value| match v {
            Value::Object(_) | Value::Array(_) => has_null(v),
            _ => false,
        };
        match value {
            Value::Object(map) => map.values().any(|v| v.is_null() || inner(v)),
            Value::Array(items) => items.iter().any(inner),
            _ => false,
        }
    }
    fn prune(value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), prune(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(prune).collect()),
            other => other.clone(),
        }
    }
    has_null(value).then(|| prune(value))
}

/// Checks one parsed object. `text` is the YAML it was read from, `shown` what to call it in a
/// snippet, `first_line` the line of `text`'s start in the file or rendered template. A Secret's
/// violations name their line but show no snippet, and their messages never quote a value.
pub fn check(
    catalog: &Catalog,
    policy: &Policy,
    value: &Value,
    text: &str,
    shown: &str,
    first_line: usize,
) -> Verdict {
    let api_version = value["apiVersion"].as_str().unwrap_or_default();
    let kind = value["kind"].as_str().unwrap_or_default();
    // Read only when there is something to report: most documents have no violation.
    let secret = std::cell::OnceCell::new();
    let secret = || *secret.get_or_init(|| crate::secret::holds_secret(value));
    let located = |path: String, message: String| {
        let (line, column) = crate::yaml::locate(text, &path).unwrap_or((1, 1));
        let line = first_line + line - 1;
        Violation {
            snippet: (!secret()).then(|| {
                Box::new(SourceSnippet::in_part(
                    shown, text, first_line, line, column, 1, &message,
                ))
            }),
            line: Some(line),
            path,
            message,
            help: None,
        }
    };
    if policy.reject.iter().any(|k| k == kind) {
        return Verdict::Invalid {
            errors: vec![located(
                String::new(),
                format!("kind `{kind}` is rejected by --reject"),
            )],
        };
    }
    if policy.skip.iter().any(|k| k == kind) {
        return Verdict::Skipped {
            reason: "skipped by --skip".into(),
        };
    }
    let (found, cel) = catalog.lookup_with_rules(api_version, kind);
    match found {
        Lookup::Broken(broken) => Verdict::Error {
            message: format!(
                "the schema for {api_version} {kind} in `{}` cannot be used: {}",
                broken.origin, broken.reason
            ),
            line: Some(first_line),
        },
        Lookup::Missing => Verdict::Skipped {
            reason: format!("no schema for {api_version} {kind}"),
        },
        Lookup::Removed {
            project,
            removed_in,
            replacement,
        } => {
            let mut message = match project {
                Some(project) => format!("{api_version} {kind} is not served by {project}"),
                None => format!(
                    "{api_version} {kind} is not served by Kubernetes {}",
                    catalog.version()
                ),
            };
            if let Some(removed) = removed_in {
                message.push_str(&format!(" (removed in {removed})"));
            }
            if let Some(replacement) = replacement {
                message.push_str(&format!("; use apiVersion: {replacement}"));
            }
            Verdict::Invalid {
                errors: vec![located("/apiVersion".into(), message)],
            }
        }
        Lookup::Found(validator, source) => {
            // What the API server validates: `null` fields read as unset, then a CRD's
            // defaults filled in.
            let pruned = without_nulls(value);
            let stored = pruned.as_ref().unwrap_or(value);
            let defaulted = cel.as_ref().and_then(|rules| rules.defaulted(stored));
            let checked = defaulted.as_ref().unwrap_or(stored);
            // The fast validator vouches for most documents; `jsonschema` checks the others
            // and writes every message.
            let full = if validator.surely_valid(checked) {
                None
            } else {
                match validator.validator() {
                    Ok(full) => Some(full),
                    Err(reason) => {
                        return Verdict::Error {
                            message: format!(
                                "the schema for {api_version} {kind} cannot be used: {reason}"
                            ),
                            line: Some(first_line),
                        };
                    }
                }
            };
            let mut errors: Vec<Violation> = full
                .into_iter()
                .flat_map(|full| full.iter_errors(checked))
                .map(|error| {
                    let mut path = error.instance_path().as_str().to_string();
                    if let Some(field) = offending_field(error.kind()) {
                        path.push('/');
                        path.push_str(&field);
                    }
                    let message = if secret() {
                        error.masked().to_string()
                    } else {
                        explain(&error) + &near_miss(catalog, api_version, kind, &error)
                    };
                    located(path, message)
                })
                .collect();
            // What the API server's own code refuses beyond the schema (src/validate/rules/).
            errors.extend(
                crate::validate::rules::check(value)
                    .into_iter()
                    .map(|finding| {
                        let (message, help) = (finding.describe(), finding.help());
                        let mut violation = located(finding.path, message);
                        violation.help = Some(help);
                        violation
                    }),
            );
            // The CRD's own CEL rules (`x-kubernetes-validations`, src/validate/cel/).
            if let Some(rules) = cel {
                errors.extend(rules.check(stored).into_iter().map(|failure| {
                    let mut violation = located(failure.path, failure.message);
                    violation.help = Some(format!(
                        "the API server refuses this: the CRD's x-kubernetes-validations rule `{}` is false",
                        failure.rule
                    ));
                    violation
                }));
            }
            errors.dedup_by(|a, b| a.path == b.path && a.message == b.message);
            if let SchemaSource::Custom(origin) = source
                && !errors.is_empty()
            {
                for error in &mut errors {
                    error.message.push_str(&format!(" (schema: {origin})"));
                }
            }
            if errors.is_empty() {
                Verdict::Valid
            } else {
                Verdict::Invalid { errors }
            }
        }
    }
}

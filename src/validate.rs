//! Validating documents against schemas, offline: each document gets a verdict (valid, invalid
//! with every violation, skipped for want of a schema, or an apiVersion the target removed).
//! One bad document never stops the others; the caller decides the exit code at the end.

use serde::Serialize;
use serde_json::Value;

use crate::error::SourceSnippet;
use crate::schema::{Catalog, Lookup, SchemaSource};

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
    /// The input could not be read as a Kubernetes object at all.
    Error {
        message: String,
    },
}

/// The verdict on one document, with who it is and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The template or file it came from.
    pub source: String,
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    #[serde(flatten)]
    pub verdict: Verdict,
}

impl Outcome {
    /// `Kind namespace/name` or `Kind name`.
    pub fn resource(&self) -> String {
        if self.namespace.is_empty() {
            format!("{} {}", self.kind, self.name)
        } else {
            format!("{} {}/{}", self.kind, self.namespace, self.name)
        }
    }

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

/// Checks one parsed object. `text` is the YAML it was read from, `shown` what to call it in a
/// snippet, `first_line` the line of `text`'s start in the file or rendered template.
pub fn check(
    catalog: &Catalog,
    policy: &Policy,
    value: &Value,
    text: &str,
    shown: &str,
    full_text: &str,
    first_line: usize,
) -> Verdict {
    let api_version = value["apiVersion"].as_str().unwrap_or_default();
    let kind = value["kind"].as_str().unwrap_or_default();
    let located = |path: String, message: String| {
        let (line, column) = crate::yaml::locate(text, &path).unwrap_or((1, 1));
        let line = first_line + line - 1;
        Violation {
            snippet: Some(Box::new(SourceSnippet::new(
                shown, full_text, line, column, 1, &message,
            ))),
            line: Some(line),
            path,
            message,
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
    match catalog.lookup(api_version, kind) {
        Lookup::Missing => Verdict::Skipped {
            reason: format!("no schema for {api_version} {kind}"),
        },
        Lookup::Removed {
            removed_in,
            replacement,
        } => {
            let version = catalog.version();
            let mut message = format!(
                "{api_version} {kind} is not served by Kubernetes {}.{}",
                version.major, version.minor
            );
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
            // Secret data must never reach a report.
            let secret = kind == "Secret";
            let mut errors: Vec<Violation> = validator
                .iter_errors(value)
                .map(|error| {
                    let mut path = error.instance_path().as_str().to_string();
                    if let Some(field) = offending_field(error.kind()) {
                        path.push('/');
                        path.push_str(&field);
                    }
                    let message = if secret {
                        error.masked().to_string()
                    } else {
                        explain(&error)
                    };
                    located(path, message)
                })
                .collect();
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

/// Resolves `$ref`s to JSON files of the chart itself or of its dependencies (so a chart's
/// schema can be `{"$ref": "../../templates/service/values.schema.json"}`), and nothing else.
struct ChartFiles {
    roots: Vec<std::path::PathBuf>,
}

impl jsonschema::Retrieve for ChartFiles {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let path = std::path::Path::new(uri.path().as_str());
        let real = path.canonicalize()?;
        if uri.scheme().as_str() != "file" || !self.roots.iter().any(|root| real.starts_with(root))
        {
            return Err(format!("`{uri}` is outside the chart and its dependencies").into());
        }
        Ok(serde_json::from_str(&std::fs::read_to_string(real)?)?)
    }
}

fn dependency_roots(chart: &crate::chart::Chart, out: &mut Vec<std::path::PathBuf>) {
    out.push(chart.root.clone());
    for dependency in &chart.dependencies {
        dependency_roots(&dependency.chart, out);
    }
}

/// Checks merged values against the chart's `values.schema.json`. A violation points at the
/// values file and line the bad value came from.
pub fn check_values(
    chart: &crate::chart::Chart,
    values: &crate::values::Node,
) -> Result<(), crate::error::Error> {
    let schemas = vec![chart.dir.join("values.schema.json")];
    let value = values.to_value();
    for path in schemas.into_iter().filter(|p| p.is_file()) {
        let shown = crate::paths::shown(&path);
        let text = std::fs::read_to_string(&path).map_err(|source| crate::error::Error::Read {
            path: path.clone(),
            source,
        })?;
        let schema: Value = serde_json::from_str(&text).map_err(|e| crate::error::Error::Yaml {
            path: shown.clone(),
            message: format!("not valid JSON: {e}"),
            snippet: Some(Box::new(SourceSnippet::new(
                &shown,
                &text,
                e.line(),
                e.column(),
                1,
                "here",
            ))),
        })?;
        let mut roots = Vec::new();
        dependency_roots(chart, &mut roots);
        let base = format!("file://{}", chart.root.join("values.schema.json").display());
        let validator = jsonschema::options()
            .with_base_uri(base)
            .with_retriever(ChartFiles { roots })
            .build(&schema)
            .map_err(|e| crate::error::Error::Yaml {
                path: shown.clone(),
                message: format!("not a valid JSON Schema: {e}"),
                snippet: None,
            })?;
        let violations: Vec<Violation> = validator
            .iter_errors(&value)
            .map(|error| {
                let mut path = error.instance_path().as_str().to_string();
                if let Some(field) = offending_field(error.kind()) {
                    path.push('/');
                    path.push_str(&field);
                }
                let origin = values.origin_of(&path);
                let (line, snippet) = match &origin {
                    Some(crate::error::Origin::File { path: file, line }) if *line > 0 => {
                        let snippet = std::fs::read_to_string(file).ok().map(|text| {
                            Box::new(SourceSnippet::new(file, &text, *line, 1, 1, "set here"))
                        });
                        (Some(*line), snippet)
                    }
                    _ => (None, None),
                };
                let mut message = error.to_string();
                if let Some(origin) = origin.filter(|_| snippet.is_none()) {
                    message.push_str(&format!(" (set by {origin})"));
                }
                Violation {
                    path: dotted(&path),
                    message,
                    line,
                    snippet,
                }
            })
            .collect();
        if !violations.is_empty() {
            return Err(crate::error::Error::ValuesSchema {
                schema: shown,
                violations,
            });
        }
    }
    Ok(())
}

/// `/a/b/0` as `a.b[0]`, the way values are written on the command line.
fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        if segment.parse::<usize>().is_ok() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment.replace("~1", "/").replace("~0", "~"));
        }
    }
    if out.is_empty() {
        "(top level)".into()
    } else {
        out
    }
}

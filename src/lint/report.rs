//! `bosun lint`'s findings, per environment, as text, JSON or SARIF.

use crate::diagnostics::{Origin, TemplateLine};
use crate::error::Error;
use crate::lint::{Finding, RULES, Severity};
use crate::output;

/// The `-o` formats of `bosun lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

/// The findings of each environment linted (`None`: no environment).
pub type Results = [(Option<String>, Vec<Finding>)];

/// The report in `format`; `file_of` turns a finding's template source into the path SARIF
/// points at.
pub fn render(
    results: &Results,
    format: Format,
    show_silenced: bool,
    file_of: impl Fn(&str) -> String,
) -> Result<String, Error> {
    match format {
        Format::Text => Ok(text(results, show_silenced)),
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Report<'a> {
                results: Vec<EnvironmentFindings<'a>>,
            }
            #[derive(serde::Serialize)]
            struct EnvironmentFindings<'a> {
                environment: &'a Option<String>,
                findings: &'a [Finding],
            }
            let results = results
                .iter()
                .map(|(environment, findings)| EnvironmentFindings {
                    environment,
                    findings,
                })
                .collect();
            output::json_text(&Report { results }, "lint report")
        }
        Format::Sarif => output::json_text(&sarif(results, file_of), "SARIF report"),
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn sarif(results: &Results, file_of: impl Fn(&str) -> String) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = RULES
        .iter()
        .map(|r| {
            serde_json::json!({"id": r.id, "shortDescription": {"text": r.summary},
            "defaultConfiguration": {"level": level(r.severity)}})
        })
        .collect();
    let sarif_results: Vec<serde_json::Value> = results
        .iter()
        .flat_map(|(env, findings)| {
            findings
                .iter()
                .filter(|f| f.silenced.is_none())
                .map(move |f| (env, f))
        })
        .map(|(env, f)| {
            let mut result = serde_json::json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": {"text": match &f.path {
                    Some(path) => format!("{} at `{path}`: {}", f.resource, f.message),
                    None => format!("{}: {}", f.resource, f.message),
                }},
                "locations": [sarif_location(f, &file_of)],
                "properties": {"environment": env},
            });
            // The values line leads (a pull request's annotation lands on the value that
            // changed); the template line that wrote the field follows.
            if let (Some(template), true) = (template_file(f), value_file(f).is_some()) {
                result["relatedLocations"] = serde_json::json!([{
                    "id": 1,
                    "physicalLocation": physical(&template.file, template.line),
                    "message": {"text": "the template line that wrote the field"},
                }]);
            }
            let properties = &mut result["properties"];
            if let Some(path) = &f.path {
                properties["path"] = path.as_str().into();
            }
            if let Some(rendered) = &f.origin.rendered {
                properties["rendered"] = rendered.to_string().into();
            }
            if let Some(value) = &f.origin.value {
                properties["value"] = serde_json::json!(value);
            }
            result
        })
        .collect();
    serde_json::json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "bosun", "version": env!("CARGO_PKG_VERSION"), "rules": rules}}, "results": sarif_results}],
    })
}

/// The values file and line a finding's field came from, when it came from a file.
fn value_file(finding: &Finding) -> Option<(&str, usize)> {
    match &finding.origin.value.as_ref()?.origin {
        Origin::File { path, line } if *line > 0 => Some((path, *line)),
        _ => None,
    }
}

/// The template line a finding's field was written at, when it is a file of the repository
/// (not a template of the library built into bosun, `bosun://service/...`).
fn template_file(finding: &Finding) -> Option<&TemplateLine> {
    finding
        .origin
        .template
        .as_ref()
        .filter(|t| !t.file.contains("://"))
}

fn physical(uri: &str, line: usize) -> serde_json::Value {
    serde_json::json!({"artifactLocation": {"uri": uri}, "region": {"startLine": line}})
}

/// Where a SARIF result points: the values line when known, else the template line, else the
/// template file.
fn sarif_location(finding: &Finding, file_of: impl Fn(&str) -> String) -> serde_json::Value {
    let physical_location = if let Some((path, line)) = value_file(finding) {
        physical(path, line)
    } else if let Some(template) = template_file(finding) {
        physical(&template.file, template.line)
    } else {
        serde_json::json!({"artifactLocation": {"uri": file_of(&finding.source)}})
    };
    serde_json::json!({"physicalLocation": physical_location})
}

/// The lines under a finding that say where its field came from, indented.
fn origin_lines(finding: &Finding) -> String {
    let mut out = String::new();
    if let Some(path) = &finding.path {
        match &finding.origin.rendered {
            Some(rendered) => out.push_str(&format!("    at `{path}`, {rendered}\n")),
            None => out.push_str(&format!("    at `{path}`\n")),
        }
    }
    for note in finding.origin.notes() {
        out.push_str(&format!("    {note}\n"));
    }
    out
}

fn text(results: &Results, show_silenced: bool) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings, mut silenced) = (0, 0, 0);
    for (env, findings) in results {
        if results.len() > 1 {
            out.push_str(&format!(
                "== environment {}\n",
                env.as_deref().unwrap_or("(none)")
            ));
        }
        for finding in findings {
            let level = level(finding.severity);
            match &finding.silenced {
                Some(reason) => {
                    silenced += 1;
                    if show_silenced {
                        out.push_str(&format!(
                            "silenced[{}] {} ({}): {} — {reason}\n",
                            finding.rule, finding.resource, finding.source, finding.message
                        ));
                    }
                }
                None => {
                    if finding.severity == Severity::Error {
                        errors += 1;
                    } else {
                        warnings += 1;
                    }
                    out.push_str(&format!(
                        "{level}[{}] {} ({}): {}\n",
                        finding.rule, finding.resource, finding.source, finding.message
                    ));
                    out.push_str(&origin_lines(finding));
                }
            }
        }
    }
    out.push_str(&format!(
        "{errors} errors, {warnings} warnings, {silenced} silenced\n"
    ));
    out
}

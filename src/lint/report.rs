//! `bosun lint`'s findings, per environment, as text, JSON or SARIF.

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
            serde_json::json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": {"text": format!("{}: {}", f.resource, f.message)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": file_of(&f.source)}}}],
                "properties": {"environment": env},
            })
        })
        .collect();
    serde_json::json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "bosun", "version": env!("CARGO_PKG_VERSION"), "rules": rules}}, "results": sarif_results}],
    })
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
                }
            }
        }
    }
    out.push_str(&format!(
        "{errors} errors, {warnings} warnings, {silenced} silenced\n"
    ));
    out
}

//! How `bosun validate` prints its verdicts: text (one line per document that is not valid),
//! JSON, JUnit XML or TAP, and an optional summary line.

use std::fmt::Write as _;

use serde::Serialize;

use crate::diagnostics::{FieldOrigin, Finding};
use crate::validate::{Outcome, Verdict, Violation};

/// The `-o` formats of `bosun validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Junit,
    Tap,
}

/// Counts of each verdict.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub resources: usize,
    pub files: usize,
    pub valid: usize,
    pub invalid: usize,
    pub errors: usize,
    pub skipped: usize,
}

impl Summary {
    pub fn of(outcomes: &[Outcome], files: usize) -> Summary {
        let mut summary = Summary {
            resources: outcomes.len(),
            files,
            ..Summary::default()
        };
        for outcome in outcomes {
            match outcome.verdict {
                Verdict::Valid => summary.valid += 1,
                Verdict::Invalid { .. } => summary.invalid += 1,
                Verdict::Error { .. } => summary.errors += 1,
                Verdict::Skipped { .. } => summary.skipped += 1,
            }
        }
        summary
    }

    fn line(&self) -> String {
        format!(
            "Summary: {} resources found in {} files - Valid: {}, Invalid: {}, Errors: {}, Skipped: {}\n",
            self.resources, self.files, self.valid, self.invalid, self.errors, self.skipped
        )
    }
}

/// The report for `outcomes` in `format`; `verbose` also lists valid documents (text, TAP).
pub fn render(outcomes: &[Outcome], format: Format, summary: Option<Summary>) -> String {
    match format {
        Format::Text => text(outcomes, summary),
        Format::Json => {
            #[derive(Serialize)]
            struct Report<'a> {
                resources: &'a [Outcome],
                #[serde(skip_serializing_if = "Option::is_none")]
                summary: Option<Summary>,
            }
            let mut out = serde_json::to_string_pretty(&Report {
                resources: outcomes,
                summary,
            })
            .unwrap_or_default();
            out.push('\n');
            out
        }
        Format::Junit => junit(outcomes, summary),
        Format::Tap => tap(outcomes, summary),
    }
}

/// A violation as every report prints it, `bosun validate`'s and a failed render's alike:
/// `SOURCE:LINE - Kind namespace/name is invalid at `/path`: message`.
pub fn violation_line(outcome: &Outcome, violation: &Violation) -> String {
    let line = violation.line.map(|l| format!(":{l}")).unwrap_or_default();
    let at = if violation.path.is_empty() {
        "/"
    } else {
        &violation.path
    };
    format!(
        "{}{line} - {} is invalid at `{at}`: {}",
        outcome.source, outcome.resource, violation.message
    )
}

/// A document that could not be checked, as every report prints it: `SOURCE:LINE - message`.
fn error_line(outcome: &Outcome, message: &str, line: Option<usize>) -> String {
    let line = line.map(|l| format!(":{l}")).unwrap_or_default();
    format!("{}{line} - {message}", outcome.source)
}

fn describe(outcome: &Outcome) -> Option<String> {
    match &outcome.verdict {
        Verdict::Valid => None,
        Verdict::Invalid { errors } => Some(
            errors
                .iter()
                .map(|e| violation_line(outcome, e))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Verdict::Error { message, line } => Some(error_line(outcome, message, *line)),
        Verdict::Skipped { reason } => Some(format!(
            "{} - {} skipped: {reason}",
            outcome.source, outcome.resource
        )),
    }
}

fn text(outcomes: &[Outcome], summary: Option<Summary>) -> String {
    let mut out = String::new();
    for line in outcomes.iter().filter_map(describe) {
        out.push_str(&line);
        out.push('\n');
    }
    if let Some(summary) = summary {
        out.push_str(&summary.line());
    }
    out
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn junit(outcomes: &[Outcome], summary: Option<Summary>) -> String {
    let summary = summary.unwrap_or_else(|| Summary::of(outcomes, 0));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"bosun\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        summary.resources, summary.invalid, summary.errors, summary.skipped
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"bosun validate\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        summary.resources, summary.invalid, summary.errors, summary.skipped
    );
    for outcome in outcomes {
        let _ = write!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\"",
            xml(&outcome.source),
            xml(&outcome.resource.to_string())
        );
        match &outcome.verdict {
            Verdict::Valid => out.push_str("/>\n"),
            Verdict::Invalid { .. } => {
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"invalid\">{}</failure>\n    </testcase>",
                    xml(&describe(outcome).unwrap_or_default())
                );
            }
            Verdict::Error { message, .. } => {
                let _ = writeln!(
                    out,
                    ">\n      <error message=\"{}\"/>\n    </testcase>",
                    xml(message)
                );
            }
            Verdict::Skipped { reason } => {
                let _ = writeln!(
                    out,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    xml(reason)
                );
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn tap(outcomes: &[Outcome], summary: Option<Summary>) -> String {
    let mut out = format!("TAP version 13\n1..{}\n", outcomes.len());
    for (i, outcome) in outcomes.iter().enumerate() {
        let n = i + 1;
        let name = format!("{} - {}", outcome.source, outcome.resource);
        match &outcome.verdict {
            Verdict::Valid => {
                let _ = writeln!(out, "ok {n} - {name}");
            }
            Verdict::Skipped { reason } => {
                let _ = writeln!(out, "ok {n} - {name} # SKIP {reason}");
            }
            _ => {
                let _ = writeln!(out, "not ok {n} - {name}");
                for line in describe(outcome).unwrap_or_default().lines() {
                    let _ = writeln!(out, "  # {line}");
                }
            }
        }
    }
    if let Some(summary) = summary {
        let _ = write!(out, "# {}", summary.line());
    }
    out
}

/// The failures of a render as the findings of its error, each printed as `bosun validate`
/// prints it (one printer, [`violation_line`]): each error and violation of each failing
/// document (with its snippet, where its field came from, and help), then each kind
/// `--require-schemas` wanted a schema for. `origin_of` finds a violation's template and values
/// lines.
pub fn failure_findings(
    failures: &[Outcome],
    missing_schemas: &[String],
    origin_of: &mut dyn FnMut(&Outcome, &Violation) -> FieldOrigin,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for outcome in failures {
        match &outcome.verdict {
            Verdict::Error { message, line } => {
                findings.push(Finding {
                    title: error_line(outcome, message, *line),
                    snippet: None,
                    notes: Vec::new(),
                    help: None,
                });
            }
            Verdict::Invalid { errors } => {
                for violation in errors {
                    findings.push(Finding {
                        title: violation_line(outcome, violation),
                        snippet: violation.snippet.clone(),
                        notes: origin_of(outcome, violation).notes(),
                        help: violation.help.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    for missing in missing_schemas {
        findings.push(Finding {
            title: format!("{missing}: no schema, and --require-schemas asks for one"),
            snippet: None,
            notes: Vec::new(),
            help: None,
        });
    }
    findings
}

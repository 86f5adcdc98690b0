//! `render`, `diff` and `lint` over many releases: each release runs in parallel (rayon) and
//! says nothing until all are done; then the outputs are printed in the releases' order, each
//! under a heading naming it, and what each would have said on stderr is said under the same
//! heading. One failed release fails the command: stdout stays empty and every failed
//! release's errors are printed, grouped.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::commands::{
    self, DiffCommand, LintCommand, RenderCommand, ValidateCommand, judged, legacy_record_warning,
    lint_failed, linted,
};
use crate::diff;
use crate::error::Error;
use crate::lint;
use crate::output::{self, Format};
use crate::pipeline::{Rendered, Request};
use crate::repository::{Release, Selection, select};
use crate::state;

/// The request for one release: the command line's flags, with the release's chart,
/// environment, name, namespace, values files (before `-f` files) and Kubernetes version
/// (unless `--kube-version` was given).
fn request_for(base: &Request, root: &Path, release: &Release) -> Request {
    let mut request = base.clone();
    request.chart = crate::paths::relative_to_cwd(&root.join(&release.chart));
    request.values.env = release.environment.clone();
    let mut files: Vec<String> = release
        .values
        .iter()
        .map(|file| crate::paths::shown(&root.join(file)))
        .collect();
    files.extend(base.values.files.iter().cloned());
    request.values.files = files;
    request.release_name = Some(release.name.clone());
    request.namespace = release.namespace.clone();
    if request.kube_version.is_none() {
        request.kube_version = release.kube_version.clone();
    }
    request
}

/// Runs `work` for every release in parallel. Each answer comes with what to say on stderr;
/// that is said here, grouped per release, in order. When any release fails, every failure is
/// printed and the answer is an error naming them.
fn for_each<T: Send>(
    releases: &[Release],
    work: impl Fn(&Release) -> Result<(T, Vec<String>), Error> + Sync,
) -> Result<Vec<T>, Error> {
    let results: Vec<Result<(T, Vec<String>), Error>> = releases.par_iter().map(&work).collect();
    let color = crate::diagnostics::color::stderr();
    let mut failed = Vec::new();
    let mut done = Vec::new();
    for (release, result) in releases.iter().zip(results) {
        match result {
            Ok((value, messages)) => {
                if !messages.is_empty() {
                    eprintln!("release {}:\n{}", release.title(), messages.join("\n"));
                }
                done.push(value);
            }
            Err(error) => {
                eprintln!("release {}:\n{}\n", release.title(), error.report(color));
                failed.push(release.title());
            }
        }
    }
    if failed.is_empty() {
        return Ok(done);
    }
    Err(Error::Repository {
        message: format!(
            "{} of {} releases failed: {}",
            failed.len(),
            releases.len(),
            failed.join(", ")
        ),
        snippet: None,
        help: Some("nothing was printed on stdout; each failed release's errors are above".into()),
    })
}

/// The repository's root and the selected releases; `None`, said on stderr, when there are
/// none (`--changed-since` found nothing to do).
fn selected(selection: &Selection) -> Result<Option<(PathBuf, Vec<Release>)>, Error> {
    let (root, releases) = select(selection)?;
    if !releases.is_empty() {
        return Ok(Some((root, releases)));
    }
    match &selection.changed_since {
        Some(reference) => eprintln!("note: no release's inputs changed since `{reference}`"),
        None => eprintln!("note: the repository has no releases"),
    }
    Ok(None)
}

/// `bosun render --all`: every release's documents, one stream (or one folder per release
/// under `--output-dir`), then every release recorded.
pub(crate) fn render_all(command: &RenderCommand, selection: &Selection) -> Result<i32, Error> {
    let Some((root, releases)) = selected(selection)? else {
        return Ok(0);
    };
    let rendered: Vec<Rendered> = for_each(&releases, |release| {
        judged(&request_for(&command.request, &root, release))
    })?;
    let save = !command.no_save;
    let key = if save
        && rendered
            .iter()
            .any(|r| r.documents.iter().any(state::is_secret))
    {
        commands::secret_key_or_note()?
    } else {
        None
    };
    match &command.output_dir {
        Some(dir) => {
            for (release, rendered) in releases.iter().zip(&rendered) {
                let folder = release_folder(dir, release);
                let written = output::write_dir(&folder, &rendered.documents, command.output)?;
                eprintln!(
                    "wrote {} files to {}",
                    written.files.len(),
                    folder.display()
                );
            }
        }
        None => commands::print(&stream(&releases, &rendered, command.output))?,
    }
    if save {
        let warnings: Vec<Option<String>> = rendered
            .par_iter()
            .map(|r| commands::save_record(r, key.as_ref()))
            .collect();
        for warning in warnings.into_iter().flatten() {
            eprintln!("{warning}");
        }
    }
    for warning in rendered.iter().filter_map(legacy_record_warning) {
        eprintln!("{warning}");
    }
    Ok(0)
}

/// `DIR/<env>/<namespace>/<release>`, as records are kept.
fn release_folder(dir: &Path, release: &Release) -> PathBuf {
    dir.join(release.environment.as_deref().unwrap_or("_no-env"))
        .join(&release.namespace)
        .join(&release.name)
}

/// Every release's documents: YAML with a `# Release:` comment before each release's, or one
/// JSON `List` of all of them.
fn stream(releases: &[Release], rendered: &[Rendered], format: Format) -> String {
    match format {
        Format::Yaml => {
            let mut out = String::new();
            for (release, rendered) in releases.iter().zip(rendered) {
                out.push_str(&format!("# Release: {}\n", release.title()));
                out.push_str(&output::to_text(&rendered.documents, format));
            }
            out
        }
        Format::Json => {
            let documents: Vec<_> = rendered
                .iter()
                .flat_map(|r| r.documents.iter().cloned())
                .collect();
            output::to_text(&documents, format)
        }
    }
}

/// `bosun diff --all`: every release against its record, grouped per release.
pub(crate) fn diff_all(command: &DiffCommand, selection: &Selection) -> Result<i32, Error> {
    let Some((root, releases)) = selected(selection)? else {
        return Ok(0);
    };
    let diffs: Vec<(diff::About, diff::Plan)> = for_each(&releases, |release| {
        let request = request_for(&command.request, &root, release);
        let (mut rendered, mut messages) = judged(&request)?;
        let (before, baseline) = commands::record_baseline(&rendered)?;
        rendered.about.baseline = baseline;
        messages.extend(legacy_record_warning(&rendered));
        let needs_key = before.iter().any(|b| state::is_secret(&b.document));
        let plan = commands::plan(command, &before, &rendered, needs_key)?;
        Ok(((rendered.about, plan), messages))
    })?;
    let changes = diffs.iter().any(|(_, plan)| plan.has_changes());
    commands::print(&render_diffs(
        &diffs,
        command.output,
        crate::diagnostics::color::stdout(),
    )?)?;
    Ok(if command.detailed_exitcode && changes {
        2
    } else {
        0
    })
}

/// Every release's plan in one report (one markdown comment under GitHub's limit, grouped
/// text, one JSON document): the one place that prints many diffs.
fn render_diffs(
    diffs: &[(diff::About, diff::Plan)],
    format: diff::Format,
    color: bool,
) -> Result<String, Error> {
    diff::render_many(diffs, format, color)
}

/// JSON reports, one per release, as one JSON array.
fn json_array(texts: &[String], what: &'static str) -> Result<String, Error> {
    let values: Vec<Value> = texts
        .iter()
        .map(|text| serde_json::from_str(text))
        .collect::<Result<_, _>>()
        .map_err(|source| Error::WriteJson { what, source })?;
    output::json_text(&values, what)
}

/// `bosun lint --all`: every release linted, the findings grouped per release.
pub(crate) fn lint_all(command: &LintCommand, selection: &Selection) -> Result<i32, Error> {
    let Some((root, releases)) = selected(selection)? else {
        return Ok(0);
    };
    let reports: Vec<(String, bool)> = for_each(&releases, |release| {
        let request = request_for(&command.request, &root, release);
        let config = lint::Config::load(&request.chart)?;
        let (rendered, findings, messages) = linted(&request, &config)?;
        let failed = lint_failed(findings.iter(), command.strict);
        let chart = rendered.about.chart.clone();
        let file_of = |source: &str| -> String {
            match source.strip_prefix(&format!("{chart}/")) {
                Some(rest) => crate::paths::shown(&request.chart.join(rest)),
                None => source.to_string(),
            }
        };
        let report = lint::report::render(
            &[(release.environment.clone(), findings)],
            command.output,
            command.show_silenced,
            file_of,
        )?;
        Ok(((report, failed), messages))
    })?;
    let failed = reports.iter().any(|(_, failed)| *failed);
    let texts: Vec<String> = reports.into_iter().map(|(text, _)| text).collect();
    let text = match command.output {
        lint::report::Format::Text => releases
            .iter()
            .zip(&texts)
            .map(|(release, text)| format!("# {}\n{text}", release.title()))
            .collect::<Vec<_>>()
            .join("\n"),
        lint::report::Format::Json => {
            let reports: Vec<Value> = releases
                .iter()
                .zip(&texts)
                .map(|(release, text)| {
                    let report: Value = serde_json::from_str(text).unwrap_or(Value::Null);
                    json!({
                        "release": release.name,
                        "namespace": release.namespace,
                        "environment": release.environment,
                        "chart": release.chart,
                        "report": report,
                    })
                })
                .collect();
            output::json_text(&reports, "lint report")?
        }
        lint::report::Format::Sarif => sarif_merged(&texts)?,
    };
    commands::print(&text)?;
    Ok(i32::from(failed))
}

/// One SARIF log holding every release's runs.
fn sarif_merged(texts: &[String]) -> Result<String, Error> {
    let mut merged: Option<Value> = None;
    for text in texts {
        let log: Value = serde_json::from_str(text).map_err(|source| Error::WriteJson {
            what: "SARIF report",
            source,
        })?;
        match merged.as_mut().and_then(|m| m["runs"].as_array_mut()) {
            Some(runs) => runs.extend(log["runs"].as_array().cloned().unwrap_or_default()),
            None => merged = Some(log),
        }
    }
    output::json_text(&merged.unwrap_or(Value::Null), "SARIF report")
}

/// `bosun validate --all`: every release rendered and each document judged against its
/// schema, the verdicts grouped per release.
pub(crate) fn validate_all(command: &ValidateCommand, selection: &Selection) -> Result<i32, Error> {
    use crate::validate::report::{self, Format as ReportFormat, Summary};
    if command.output == ReportFormat::Junit {
        return Err(Error::Usage {
            message: "`validate --all` does not write JUnit: one XML document per release would not make one report".into(),
            help: "use `-o json` (an array of the releases' reports), `-o tap` or `-o text`".into(),
        });
    }
    let Some((root, releases)) = selected(selection)? else {
        return Ok(0);
    };
    let mut base = Request::new("");
    base.kube_version = command.kube_version.clone();
    base.schemas = command.schemas.clone();
    let reports: Vec<(String, bool)> = for_each(&releases, |release| {
        let request = request_for(&base, &root, release);
        let rendered = crate::pipeline::render(&request, &mut std::io::empty())?;
        let messages = rendered
            .warnings
            .iter()
            .map(|w| format!("warning: {w}"))
            .collect();
        let mut outcomes = rendered.outcomes;
        if command.ignore_missing_schemas {
            outcomes.retain(|o| !o.is_skipped());
        }
        let outcomes = &outcomes;
        let failed = outcomes.iter().any(|o| o.is_invalid() || o.is_error())
            || (command.schemas.require_schemas && outcomes.iter().any(|o| o.is_skipped()));
        let templates: std::collections::BTreeSet<&str> =
            outcomes.iter().map(|o| o.source.as_str()).collect();
        let summary = command
            .summary
            .then(|| Summary::of(outcomes, templates.len()));
        Ok((
            (report::render(outcomes, command.output, summary), failed),
            messages,
        ))
    })?;
    let failed = reports.iter().any(|(_, failed)| *failed);
    let texts: Vec<String> = reports.into_iter().map(|(text, _)| text).collect();
    let text = match command.output {
        ReportFormat::Json => json_array(&texts, "validation report")?,
        _ => releases
            .iter()
            .zip(&texts)
            .map(|(release, text)| format!("# {}\n{text}", release.title()))
            .collect::<Vec<_>>()
            .join(""),
    };
    commands::print(&text)?;
    Ok(i32::from(failed))
}

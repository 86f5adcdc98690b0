//! What each command does with the pipeline's answer: print it, write it, record it, and
//! decide the exit code. The command line builds these commands (`crate::cli`); the work is
//! the library's ([`crate::pipeline`], [`crate::diff`], [`crate::lint`], [`crate::validate`]).

use std::io::Write;
use std::path::PathBuf;

use crate::chart::Chart;
use crate::diff;
use crate::error::Error;
use crate::lint;
use crate::manifest::{self, Checks, RenderedTemplate};
use crate::output::{self, Format};
use crate::pipeline::{self, Rendered, Request};
use crate::state;
use crate::validate::catalog::{self, SchemaSources};
use crate::validate::report::{self, Summary};
use crate::validate::{Outcome, Policy, Verdict};
use crate::values::{self, ValueOptions};
use crate::yaml;

/// `bosun render`.
pub(crate) struct RenderCommand {
    pub request: Request,
    pub output: Format,
    pub output_dir: Option<PathBuf>,
    pub no_save: bool,
}

/// `bosun diff`.
pub(crate) struct DiffCommand {
    pub request: Request,
    /// Manifests to compare with (`-` for stdin) instead of the record.
    pub against: Option<String>,
    pub context: usize,
    pub output: diff::Format,
    pub show_secrets: bool,
    pub detailed_exitcode: bool,
    /// Exit 3 when a consequence of one of these classes is found.
    pub fail_on: Vec<diff::Class>,
}

/// `bosun values`.
pub(crate) struct ValuesCommand {
    pub chart: PathBuf,
    pub values: ValueOptions,
    pub explain: bool,
    pub output: Format,
}

/// `bosun validate`.
pub(crate) struct ValidateCommand {
    pub inputs: Vec<PathBuf>,
    pub kube_version: Option<String>,
    pub strict: bool,
    pub policy: Policy,
    pub output: report::Format,
    pub summary: bool,
    pub ignore_missing_schemas: bool,
    pub schemas: SchemaSources,
}

/// `bosun lint`.
pub(crate) struct LintCommand {
    pub request: Request,
    pub all_envs: bool,
    pub strict: bool,
    pub output: lint::report::Format,
    pub show_silenced: bool,
}

/// Runs the pipeline and judges its verdicts: fails when a document is invalid, otherwise
/// notes on stderr the kinds that went unchecked, then says the pipeline's warnings.
fn render_and_judge(request: &Request) -> Result<Rendered, Error> {
    let (rendered, messages) = judged(request)?;
    for message in messages {
        eprintln!("{message}");
    }
    Ok(rendered)
}

/// Runs the pipeline and judges its verdicts, returning what to say on stderr rather than
/// saying it (`--all` groups it per release).
pub(crate) fn judged(request: &Request) -> Result<(Rendered, Vec<String>), Error> {
    let rendered = pipeline::render(request, &mut std::io::stdin())?;
    let messages = judge(&rendered)?;
    Ok((rendered, messages))
}

/// Judges a render's verdicts (an invalid document fails it) and returns what to say on
/// stderr: the kinds that went unchecked, the CEL rules skipped, the pipeline's warnings.
fn judge(rendered: &Rendered) -> Result<Vec<String>, Error> {
    let skipped = rendered.judge()?;
    let mut messages = Vec::new();
    if !skipped.is_empty() {
        messages.push(format!(
            "note: not validated, no schema for: {} (--crd or --schema-location adds schemas; --require-schemas makes this an error)",
            skipped.join(", ")
        ));
    }
    if let Some(note) = rendered
        .catalog
        .as_ref()
        .and_then(|catalog| crate::validate::cel::note(&catalog.cel_skipped()))
    {
        messages.push(note);
    }
    for warning in &rendered.warnings {
        messages.push(format!("warning: {warning}"));
    }
    Ok(messages)
}

/// Renders for `bosun lint` and lints: invalid documents are findings like the others (a
/// schema that cannot be used, or one `--require-schemas` wants, still stops the lint), each
/// finding located in its template and values. Returns what to say on stderr too.
pub(crate) fn linted(
    request: &Request,
    config: &lint::Config,
) -> Result<(Rendered, Vec<lint::Finding>, Vec<String>), Error> {
    let rendered = pipeline::render(request, &mut std::io::stdin())?;
    let mut findings = lint::schema_findings(&rendered.outcomes);
    let mut messages = Vec::new();
    if findings.is_empty() || rendered.outcomes.iter().any(Outcome::is_error) {
        messages = judge(&rendered)?;
    }
    findings.extend(lint::lint(
        &rendered.documents,
        rendered.catalog.as_ref(),
        rendered.kube_version,
    ));
    findings.extend(lint::yaml11_keys(&rendered.values));
    config.apply(&mut findings);
    lint::locate(&mut findings, &rendered.documents, &mut rendered.origins());
    Ok((rendered, findings, messages))
}

/// `bosun lint`: render (in each environment with `--all-envs`) and report the findings.
pub(crate) fn lint(command: &LintCommand) -> Result<i32, Error> {
    let chart = Chart::load(&command.request.chart)?;
    let environments: Vec<Option<String>> = if command.all_envs {
        let values_dir = command
            .request
            .values
            .values_dir
            .clone()
            .or_else(|| values::find_values_dir(&chart));
        values::chart_environments(&chart, values_dir.as_deref())
            .into_iter()
            .map(Some)
            .collect()
    } else {
        vec![command.request.values.env.clone()]
    };
    let config = lint::Config::load(&chart.dir)?;
    let mut results = Vec::new();
    for env in &environments {
        let mut request = command.request.clone();
        request.values.env = env.clone();
        let (rendered, findings, messages) = linted(&request, &config)?;
        for message in messages {
            eprintln!("{message}");
        }
        drop(rendered);
        results.push((env.clone(), findings));
    }
    let failed = lint_failed(results.iter().flat_map(|(_, f)| f), command.strict);
    let chart_files = |source: &str| -> String {
        match source.strip_prefix(&format!("{}/", chart.name())) {
            Some(rest) => crate::paths::shown(&chart.dir.join(rest)),
            None => source.to_string(),
        }
    };
    print(&lint::report::render(
        &results,
        command.output,
        command.show_silenced,
        chart_files,
    )?)?;
    Ok(i32::from(failed))
}

/// A rendered chart's lint findings, silenced as `config` says.
/// Whether `findings` fail a lint run.
pub(crate) fn lint_failed<'a>(
    mut findings: impl Iterator<Item = &'a lint::Finding>,
    strict: bool,
) -> bool {
    findings.any(|f| f.silenced.is_none() && (f.severity == lint::Severity::Error || strict))
}

/// `bosun render`: print (or write) the stream, then record it for `bosun diff`.
pub(crate) fn render(command: &RenderCommand) -> Result<i32, Error> {
    refuse_two_stdin_readers(&command.request.values.files, None)?;
    let mut rendered = render_and_judge(&command.request)?;
    let documents = &rendered.documents;
    let save = !command.no_save && command.request.show_only.is_empty();
    // The key is looked up before anything is printed, so a bad key leaves stdout empty.
    let key = if save && documents.iter().any(state::is_secret) {
        secret_key_or_note()?
    } else {
        None
    };
    let print = || -> Result<(), Error> {
        match &command.output_dir {
            Some(dir) => {
                let written = output::write_dir(dir, documents, command.output)?;
                for path in &written.files {
                    eprintln!("wrote {}", path.display());
                }
                if let Some((old, error)) = &written.leftover {
                    eprintln!(
                        "warning: cannot remove the earlier render's folder `{}`: {error}",
                        crate::paths::shown(old)
                    );
                }
            }
            None => {
                let mut stdout =
                    std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
                stdout_result(output::write_stream(documents, command.output, &mut stdout))?;
            }
        }
        Ok(())
    };
    // The record is written under a temporary name on another core while the stream prints,
    // and put in place only once the stream is out and whole.
    let (printed, record) = rayon::join(print, || {
        save.then(|| state::prepare(&rendered.record.path, rendered.recorded(), key.as_ref()))
    });
    printed?;
    if let Some(record) = record {
        // A record that cannot be written (a read-only checkout, as in Argo CD or a locked CI
        // workspace) costs `bosun diff` its baseline, not the render.
        if let Err(error) =
            record.and_then(|pending| pending.map_or(Ok(()), output::Pending::put_in_place))
        {
            eprintln!("{}", not_recorded(&error));
        }
    }
    warn_of_legacy_record(&rendered);
    // The process ends next: the documents, their verdicts and the values are left for the
    // kernel to take back, not freed one by one (18,000 documents: 7 ms of 200). The rest
    // drops as usual: a packaged chart's unpacked folder is removed on drop.
    leave_to_exit(&mut rendered);
    Ok(0)
}

/// Takes the biggest parts out of `rendered` and forgets them (`render` is the last step of
/// the process); the rest of `rendered` still drops.
fn leave_to_exit(rendered: &mut Rendered) {
    std::mem::forget((
        std::mem::take(&mut rendered.documents),
        std::mem::take(&mut rendered.outcomes),
        std::mem::take(&mut rendered.values),
    ));
}

/// Records a render for `bosun diff`; a record that cannot be written is a warning, returned.
pub(crate) fn save_record(rendered: &Rendered, key: Option<&state::SecretKey>) -> Option<String> {
    let error = state::save(&rendered.record.path, &rendered.to_record(), key).err()?;
    Some(not_recorded(&error))
}

/// The warning for a record that could not be written.
fn not_recorded(error: &Error) -> String {
    format!(
        "warning: this render is not recorded for `bosun diff`: {}\nhelp: --state-dir (or BOSUN_STATE_DIR) records elsewhere; --no-save skips recording",
        error.report(false).trim_start_matches("error: ")
    )
}

fn warn_of_legacy_record(rendered: &Rendered) {
    if let Some(warning) = legacy_record_warning(rendered) {
        eprintln!("{warning}");
    }
}

/// The warning for a record an earlier bosun left, which may hold Secret values in plain text.
pub(crate) fn legacy_record_warning(rendered: &Rendered) -> Option<String> {
    rendered.record.legacy.as_ref().map(|path| format!(
        "warning: `{}` is a record from an earlier bosun, which holds Secret values in plain text: delete it, and if it was ever committed, rotate those secrets",
        crate::paths::shown(path)
    ))
}

/// The key that seals Secret values in the record; without one, a note on what that costs.
pub(crate) fn secret_key_or_note() -> Result<Option<state::SecretKey>, Error> {
    let key = state::SecretKey::find()?;
    if key.is_none() {
        eprintln!(
            "note: Secret values are recorded as present only (no key), so `bosun diff` cannot tell whether they change; set `{}` to at least 16 random bytes kept out of the repository{}",
            state::KEY_VARIABLE,
            state::key_file()
                .map(|p| format!(", or write them to `{}`", crate::paths::shown(&p)))
                .unwrap_or_default()
        );
    }
    Ok(key)
}

/// `bosun diff`: render afresh and compare with the record (or `--against`).
pub(crate) fn diff(command: &DiffCommand) -> Result<i32, Error> {
    refuse_two_stdin_readers(&command.request.values.files, command.against.as_deref())?;
    let mut rendered = render_and_judge(&command.request)?;
    let (before, baseline): (Vec<diff::Before>, _) = match command.against.as_deref() {
        Some("-") => (
            diff::read_against("<stdin>", &read_stdin()?)?,
            diff::Baseline::Manifests {
                path: "<stdin>".into(),
            },
        ),
        Some(file) => {
            let text = std::fs::read_to_string(file).map_err(|source| Error::Read {
                path: file.into(),
                source,
            })?;
            (
                diff::read_against(file, &text)?,
                diff::Baseline::Manifests { path: file.into() },
            )
        }
        None => record_baseline(&rendered)?,
    };
    rendered.about.baseline = baseline;
    warn_of_legacy_record(&rendered);
    let needs_key =
        command.against.is_none() && before.iter().any(|b| state::is_secret(&b.document));
    let plan = plan(command, &before, &rendered, needs_key)?;
    print(&diff::render(
        &plan,
        &rendered.about,
        command.output,
        crate::diagnostics::color::stdout(),
    )?)?;
    let failing: Vec<&diff::Found> = plan.matching(&command.fail_on).collect();
    if let Some(first) = failing.first() {
        let mut classes: Vec<&str> = failing
            .iter()
            .map(|f| f.consequence.class().name())
            .collect();
        classes.sort_unstable();
        classes.dedup();
        eprintln!(
            "error: {} consequence{} of a class named by --fail-on ({}), the first on {}\nhelp: the report on stdout says what each will do and the way out; exit code 3",
            failing.len(),
            if failing.len() == 1 { "" } else { "s" },
            classes.join(", "),
            first.resource
        );
        return Ok(3);
    }
    Ok(if command.detailed_exitcode && plan.has_changes() {
        2
    } else {
        0
    })
}

/// The record of the last render, to compare with.
pub(crate) fn record_baseline(
    rendered: &Rendered,
) -> Result<(Vec<diff::Before>, diff::Baseline), Error> {
    let record = crate::paths::shown(&rendered.record.path);
    Ok(match state::load(&rendered.record.path)? {
        Some(documents) => (
            documents.into_iter().map(diff::Before::from).collect(),
            diff::Baseline::Record { path: record },
        ),
        None => (Vec::new(), diff::Baseline::NoRecord { path: record }),
    })
}

/// What changes from `before` to the render, with the key to compare Secret values when
/// `needs_key`.
pub(crate) fn plan(
    command: &DiffCommand,
    before: &[diff::Before],
    rendered: &Rendered,
    needs_key: bool,
) -> Result<diff::Plan, Error> {
    let key = if needs_key {
        state::SecretKey::find()?
    } else {
        None
    };
    Ok(diff::plan(
        before,
        &rendered.documents,
        diff::Options {
            context: command.context,
            show_secrets: command.show_secrets,
            key: key.as_ref(),
        },
    ))
}

/// Standard input can be read once: refuses `-f -` given twice, or with `--against -`, before
/// anything is read.
fn refuse_two_stdin_readers(values: &[String], against: Option<&str>) -> Result<(), Error> {
    let mut readers: Vec<&str> = values
        .iter()
        .filter(|f| *f == "-")
        .map(|_| "`-f -`")
        .collect();
    if against == Some("-") {
        readers.push("`--against -`");
    }
    if readers.len() < 2 {
        return Ok(());
    }
    Err(Error::Read {
        path: "<stdin>".into(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "{} each read standard input, which can be read only once; save all but one of them to a file and pass its path",
                readers.join(" and ")
            ),
        ),
    })
}

/// `bosun values`: the merged values, or where each came from.
pub(crate) fn values(command: &ValuesCommand) -> Result<i32, Error> {
    let mut options = command.values.clone();
    options.with_lines = command.explain;
    let values = pipeline::values(&command.chart, &options, &mut std::io::stdin())?;
    let text = if command.explain {
        values::explain::explain(&values)
    } else {
        match command.output {
            Format::Yaml => yaml::to_string(&values.to_value()),
            Format::Json => output::json_text(&values.to_value(), "values")?,
        }
    };
    print(&text)?;
    Ok(0)
}

/// `bosun validate`: every input file's documents, each judged on its own.
pub(crate) fn validate(command: &ValidateCommand) -> Result<i32, Error> {
    let version = catalog::kube_version(command.kube_version.as_deref())?;
    let files = crate::validate::inputs::read(&command.inputs, read_stdin)?;
    let catalog = catalog::catalog(version, &command.schemas, Vec::new())?;
    let checks = Checks {
        catalog: &catalog,
        policy: &command.policy,
        lenient_keys: !command.strict,
    };
    let mut outcomes = Vec::new();
    for (name, text) in &files {
        let file = RenderedTemplate {
            source: name.clone(),
            shown: name.clone(),
            text: text.clone(),
        };
        outcomes.extend(manifest::check_each(&file, &checks));
    }
    if command.ignore_missing_schemas {
        outcomes.retain(|o| !matches!(&o.verdict, Verdict::Skipped { reason } if reason.starts_with("no schema")));
    }
    let failed = outcomes.iter().any(|o| o.is_invalid() || o.is_error())
        || (command.schemas.require_schemas && outcomes.iter().any(Outcome::is_skipped));
    let summary = command.summary.then(|| Summary::of(&outcomes, files.len()));
    print(&report::render(&outcomes, command.output, summary))?;
    if let Some(note) = crate::validate::cel::note(&catalog.cel_skipped()) {
        eprintln!("{note}");
    }
    Ok(i32::from(failed))
}

/// All of standard input, as text.
fn read_stdin() -> Result<String, Error> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|source| {
        Error::Read {
            path: "<stdin>".into(),
            source,
        }
    })?;
    Ok(text)
}

/// Writes to stdout in one go; a closed pipe (`bosun render | head`) is not an error.
pub(crate) fn print(text: &str) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    stdout_result(
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush()),
    )
}

fn stdout_result(result: std::io::Result<()>) -> Result<(), Error> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(Error::Write {
            path: "<stdout>".into(),
            source,
        }),
    }
}

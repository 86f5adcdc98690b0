//! What each command does, on top of the library's stages: render (and record), diff, values,
//! validate. The arguments are defined in [`crate::cli`].

use std::io::Write;
use std::path::PathBuf;

use clap::ArgMatches;
use rayon::prelude::*;

use crate::chart::Chart;
use crate::cli::{
    ChartFlags, DiffArgs, LintArgs, LintFormat, RenderArgs, SchemaFlags, ValidateArgs, ValueFlags,
    ValuesArgs,
};
use crate::diff;
use crate::error::Error;
use crate::lint;
use crate::manifest::{self, Checks, Document, RenderedTemplate};
use crate::output::{self, Format};
use crate::render::context::{Capabilities, KubeVersion, Release};
use crate::render::{self, RenderOptions};
use crate::state;
use crate::validate::crd;
use crate::validate::report::Summary;
use crate::validate::schema::{self, Catalog};
use crate::validate::{self, Outcome, Policy, Verdict};
use crate::values::set::SetKind;
use crate::values::{self, SetArg, ValueOptions};
use crate::yaml;

/// A chart rendered (and validated) as the flags say, and where its record lives.
struct Rendered {
    documents: Vec<Document>,
    record: PathBuf,
    /// The chart, environment, release and namespace, for `bosun diff`'s heading.
    about: diff::About,
    /// A record an earlier bosun left, which may hold Secret values in plain text.
    legacy_record: Option<PathBuf>,
    values: values::Node,
    catalog: Option<Catalog>,
    kube_version: KubeVersion,
}

fn render_chart(
    flags: &ChartFlags,
    matches: Option<&ArgMatches>,
    show_only: &[String],
    include_crds: bool,
) -> Result<Rendered, Error> {
    render_chart_in(
        flags,
        matches,
        show_only,
        include_crds,
        flags.values.env.as_deref(),
    )
}

fn render_chart_in(
    flags: &ChartFlags,
    matches: Option<&ArgMatches>,
    show_only: &[String],
    include_crds: bool,
    env: Option<&str>,
) -> Result<Rendered, Error> {
    let mut options = value_options(&flags.values, matches);
    options.env = env.map(str::to_string);
    let chart = Chart::load(&flags.chart)?;
    let values = values::layer(&chart, &options, &mut std::io::stdin())?;
    let kube_version = kube_version(flags.kube_version.as_deref())?;
    if !flags.no_validate {
        validate::check_values(&chart, &values)?;
    }
    let release = flags
        .release_name
        .clone()
        .unwrap_or_else(|| chart.name().to_string());
    // Both name the record's path, so neither may climb out of the state folder.
    state::check_name("namespace", &flags.namespace, 63, false)?;
    state::check_name("release name", &release, 253, true)?;
    let render_options = RenderOptions {
        release: Release {
            name: release.clone(),
            namespace: flags.namespace.clone(),
            revision: 1,
            is_upgrade: flags.is_upgrade,
        },
        capabilities: Capabilities::new(kube_version, &flags.api_versions),
        environment: options.env.clone(),
        show_only: show_only.to_vec(),
        include_crds,
    };
    let catalog = if flags.no_validate {
        None
    } else {
        Some(catalog(kube_version, &flags.schemas, &chart_crds(&chart)?)?)
    };
    let policy = Policy::default();
    let checks = catalog.as_ref().map(|catalog| Checks {
        catalog,
        policy: &policy,
        lenient_keys: false,
    });
    let (documents, outcomes) = render::render(&chart, &values, &render_options, checks.as_ref())?;
    judge(&outcomes, kube_version, flags.schemas.require_schemas, true)?;
    if flags.release_name.is_none()
        && let Err(rule) = crate::names::release_name(&release)
    {
        // `--release-name` is checked when the command line is read; a chart's name may hold
        // what a release name may not (`my_chart`), which Helm would refuse at install.
        eprintln!(
            "warning: the release name `{release}` (the chart's name) is not one Helm accepts: {rule}\nhelp: give --release-name"
        );
    }
    let state_dir = state::state_dir(flags.state_dir.as_deref(), &flags.chart);
    Ok(Rendered {
        documents,
        record: state::record_path(
            &state_dir,
            options.env.as_deref(),
            &flags.namespace,
            &release,
        ),
        legacy_record: state::legacy_record(&state_dir, options.env.as_deref(), &release),
        about: diff::About {
            chart: chart.name().to_string(),
            environment: options.env.clone(),
            release,
            namespace: flags.namespace.clone(),
            baseline: diff::Baseline::NoRecord {
                path: String::new(),
            },
        },
        values,
        catalog,
        kube_version,
    })
}

/// `bosun lint`: render (in each environment with `--all-envs`) and report the findings.
pub(crate) fn lint(args: &LintArgs, matches: Option<&ArgMatches>) -> Result<i32, Error> {
    let chart = Chart::load(&args.chart.chart)?;
    let environments: Vec<Option<String>> = if args.all_envs {
        let values_dir = args
            .chart
            .values
            .values_dir
            .clone()
            .or_else(|| values::find_values_dir(&chart));
        values::chart_environments(&chart, values_dir.as_deref())
            .into_iter()
            .map(Some)
            .collect()
    } else {
        vec![args.chart.values.env.clone()]
    };
    let config_path = chart.dir.join(".bosun-lint.yaml");
    let config: lint::Config = if config_path.is_file() {
        let text = std::fs::read_to_string(&config_path).map_err(|source| Error::Read {
            path: config_path.clone(),
            source,
        })?;
        yaml::parse_typed(&crate::paths::shown(&config_path), &text)?
    } else {
        lint::Config::default()
    };
    let mut results = Vec::new();
    for env in &environments {
        let rendered = render_chart_in(&args.chart, matches, &[], false, env.as_deref())?;
        let mut findings = lint::lint(
            &rendered.documents,
            rendered.catalog.as_ref(),
            rendered.kube_version,
        );
        findings.extend(lint::yaml11_keys(&rendered.values));
        config.apply(&mut findings);
        results.push((env.clone(), findings));
    }
    let failed = results
        .iter()
        .flat_map(|(_, f)| f)
        .any(|f| f.silenced.is_none() && (f.severity == lint::Severity::Error || args.strict));
    let chart_files = |source: &str| -> String {
        match source.strip_prefix(&format!("{}/", chart.name())) {
            Some(rest) => crate::paths::shown(&chart.dir.join(rest)),
            None => source.to_string(),
        }
    };
    let text = match args.output {
        LintFormat::Text => lint_text(&results, args.show_silenced),
        LintFormat::Json => {
            #[derive(serde::Serialize)]
            struct Report<'a> {
                results: Vec<EnvironmentFindings<'a>>,
            }
            #[derive(serde::Serialize)]
            struct EnvironmentFindings<'a> {
                environment: &'a Option<String>,
                findings: &'a [lint::Finding],
            }
            let results = results
                .iter()
                .map(|(environment, findings)| EnvironmentFindings {
                    environment,
                    findings,
                })
                .collect();
            output::json_text(&Report { results }, "lint report")?
        }
        LintFormat::Sarif => {
            let rules: Vec<serde_json::Value> = lint::RULES
                .iter()
                .map(|r| serde_json::json!({"id": r.id, "shortDescription": {"text": r.summary},
                    "defaultConfiguration": {"level": match r.severity { lint::Severity::Error => "error", lint::Severity::Warning => "warning" }}}))
                .collect();
            let sarif_results: Vec<serde_json::Value> = results
                .iter()
                .flat_map(|(env, findings)| findings.iter().filter(|f| f.silenced.is_none()).map(move |f| (env, f)))
                .map(|(env, f)| serde_json::json!({
                    "ruleId": f.rule,
                    "level": match f.severity { lint::Severity::Error => "error", lint::Severity::Warning => "warning" },
                    "message": {"text": format!("{}: {}", f.resource, f.message)},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": chart_files(&f.source)}}}],
                    "properties": {"environment": env},
                }))
                .collect();
            let sarif = serde_json::json!({
                "version": "2.1.0",
                "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                "runs": [{"tool": {"driver": {"name": "bosun", "version": env!("CARGO_PKG_VERSION"), "rules": rules}}, "results": sarif_results}],
            });
            output::json_text(&sarif, "SARIF report")?
        }
    };
    print(&text)?;
    Ok(i32::from(failed))
}

fn lint_text(results: &[(Option<String>, Vec<lint::Finding>)], show_silenced: bool) -> String {
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
            let level = match finding.severity {
                lint::Severity::Error => "error",
                lint::Severity::Warning => "warning",
            };
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
                    if finding.severity == lint::Severity::Error {
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

/// `bosun render`: print (or write) the stream, then record it for `bosun diff`.
pub(crate) fn render(args: &RenderArgs, matches: Option<&ArgMatches>) -> Result<i32, Error> {
    refuse_two_stdin_readers(&args.chart.values.values, None)?;
    let rendered = render_chart(&args.chart, matches, &args.show_only, args.include_crds)?;
    let documents = &rendered.documents;
    let save = !args.no_save && args.show_only.is_empty();
    // The key is looked up before anything is printed, so a bad key leaves stdout empty.
    let key = if save && documents.iter().any(state::is_secret) {
        secret_key_or_note()?
    } else {
        None
    };
    match &args.output_dir {
        Some(dir) => {
            let written = output::write_dir(dir, documents, args.output)?;
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
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            stdout_result(output::write_stream(documents, args.output, &mut stdout))?;
        }
    }
    if save {
        // The CRDs are not part of what `bosun diff` renders, so they are not recorded.
        let recorded: Vec<Document> = documents
            .iter()
            .filter(|d| !d.source.contains("/crds/"))
            .cloned()
            .collect();
        // The stream is out and whole: a record that cannot be written (a read-only checkout,
        // as in Argo CD or a locked CI workspace) costs `bosun diff` its baseline, not the render.
        if let Err(error) = state::save(&rendered.record, &recorded, key.as_ref()) {
            eprintln!(
                "warning: this render is not recorded for `bosun diff`: {}\nhelp: --state-dir (or BOSUN_STATE_DIR) records elsewhere; --no-save skips recording",
                error.report(false).trim_start_matches("error: ")
            );
        }
    }
    warn_of_legacy_record(&rendered);
    Ok(0)
}

fn warn_of_legacy_record(rendered: &Rendered) {
    if let Some(path) = &rendered.legacy_record {
        eprintln!(
            "warning: `{}` is a record from an earlier bosun, which holds Secret values in plain text: delete it, and if it was ever committed, rotate those secrets",
            crate::paths::shown(path)
        );
    }
}

/// The key that seals Secret values in the record; without one, a note on what that costs.
fn secret_key_or_note() -> Result<Option<state::SecretKey>, Error> {
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
pub(crate) fn diff(args: &DiffArgs, matches: Option<&ArgMatches>) -> Result<i32, Error> {
    refuse_two_stdin_readers(&args.chart.values.values, args.against.as_deref())?;
    let mut rendered = render_chart(&args.chart, matches, &[], false)?;
    let record = crate::paths::shown(&rendered.record);
    let (before, baseline): (Vec<diff::Before>, _) = match args.against.as_deref() {
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
        None => match state::load(&rendered.record)? {
            Some(documents) => (
                documents.into_iter().map(diff::Before::from).collect(),
                diff::Baseline::Record { path: record },
            ),
            None => (Vec::new(), diff::Baseline::NoRecord { path: record }),
        },
    };
    rendered.about.baseline = baseline;
    warn_of_legacy_record(&rendered);
    let needs_key = args.against.is_none() && before.iter().any(|b| state::is_secret(&b.document));
    let key = if needs_key {
        state::SecretKey::find()?
    } else {
        None
    };
    let plan = diff::plan(
        &before,
        &rendered.documents,
        diff::Options {
            context: args.context,
            show_secrets: args.show_secrets,
            key: key.as_ref(),
        },
    );
    print(&diff::render(
        &plan,
        &rendered.about,
        args.output,
        crate::color::stdout(),
    )?)?;
    Ok(if args.detailed_exitcode && plan.has_changes() {
        2
    } else {
        0
    })
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
pub(crate) fn values(args: &ValuesArgs, matches: Option<&ArgMatches>) -> Result<i32, Error> {
    let mut options = value_options(&args.values, matches);
    options.with_lines = args.explain;
    let chart = Chart::load(&args.chart)?;
    let values = values::layer(&chart, &options, &mut std::io::stdin())?;
    let text = if args.explain {
        explain(&values)
    } else {
        match args.output {
            Format::Yaml => yaml::to_string(&values.to_value()),
            Format::Json => output::json_text(&values.to_value(), "values")?,
        }
    };
    print(&text)?;
    Ok(0)
}

/// `--kube-version`, or the newest version whose schemas are bundled.
fn kube_version(given: Option<&str>) -> Result<KubeVersion, Error> {
    match given {
        Some(text) => KubeVersion::parse(text),
        None => Ok(schema::newest_version()),
    }
}

/// The CRDs in a chart's crds/ folder (and its subcharts'), as parsed documents with the file
/// each came from.
fn chart_crds(chart: &Chart) -> Result<Vec<(String, serde_json::Value)>, Error> {
    let mut out = Vec::new();
    for (name, text) in &chart.crds {
        let shown = chart.dir.join(name).display().to_string();
        let documents = yaml::parse_stream(text).map_err(|e| e.into_error(&shown, text))?;
        out.extend(documents.into_iter().map(|d| (shown.clone(), d)));
    }
    for dependency in &chart.dependencies {
        out.extend(chart_crds(&dependency.chart)?);
    }
    Ok(out)
}

/// The schemas for `version`: bundled, from `crds` and `--crd` files, and `--schema-location`.
/// A CRD's schema that does not compile is an error naming its file, found here rather than
/// when a document of its kind turns up (or never, when none does).
fn catalog(
    version: KubeVersion,
    flags: &SchemaFlags,
    crds: &[(String, serde_json::Value)],
) -> Result<Catalog, Error> {
    let mut catalog = Catalog::new(version)?;
    let mut documents = crds.to_vec();
    for file in &flags.crd {
        let text = std::fs::read_to_string(file).map_err(|source| Error::Read {
            path: file.clone(),
            source,
        })?;
        let shown = file.display().to_string();
        let found = yaml::parse_stream(&text).map_err(|e| e.into_error(&shown, &text))?;
        documents.extend(found.into_iter().map(|d| (shown.clone(), d)));
    }
    let mut added = Vec::new();
    for (file, document) in &documents {
        if document["kind"] == "CustomResourceDefinition" {
            let name = document["metadata"]["name"].as_str().unwrap_or("?");
            let schemas = crd::from_crd(document).map_err(|reason| Error::BadSchema {
                path: file.clone(),
                reason: format!("CRD `{name}`: {reason}"),
            })?;
            for (key, schema) in schemas {
                catalog.add_custom(&key, schema, format!("CRD {name}"));
                added.push((key, file, name));
            }
        }
    }
    let broken = added.par_iter().find_map_first(|(key, file, name)| {
        let (api_version, kind) = key.rsplit_once('/')?;
        match catalog.lookup(api_version, kind) {
            schema::Lookup::Broken(broken) => {
                let version = api_version.rsplit('/').next().unwrap_or(api_version);
                let path = match crd_line(file, name, version, &broken.pointer) {
                    Some(line) => format!("{file}:{line}"),
                    None => file.to_string(),
                };
                Some(Error::BadSchema {
                    path,
                    reason: format!("CRD `{name}`, {api_version} {kind}: {}", broken.reason),
                })
            }
            _ => None,
        }
    });
    if let Some(error) = broken {
        return Err(error);
    }
    for dir in &flags.schema_location {
        catalog.add_schema_location(dir.clone());
    }
    Ok(catalog)
}

/// The line of `file` where CRD `name`'s schema for `version` has `pointer` (a JSON pointer into
/// its `openAPIV3Schema`), or the nearest line found. Read again from the file, as only a broken
/// schema needs it.
fn crd_line(file: &str, name: &str, version: &str, pointer: &str) -> Option<usize> {
    let text = std::fs::read_to_string(file).ok()?;
    manifest::split(&text)
        .into_iter()
        .find_map(|(first_line, part)| {
            let crd = yaml::parse_value(part).ok()?;
            if crd["kind"] != "CustomResourceDefinition" || crd["metadata"]["name"] != name {
                return None;
            }
            let index = crd["spec"]["versions"]
                .as_array()?
                .iter()
                .position(|v| v["name"] == version)?;
            let pointer = format!("/spec/versions/{index}/schema/openAPIV3Schema{pointer}");
            let (line, _) = yaml::locate(part, &pointer)?;
            Some(first_line + line - 1)
        })
}

/// Fails when a document is invalid (or has no schema and one is required); otherwise notes
/// on stderr the kinds that went unchecked.
fn judge(
    outcomes: &[Outcome],
    version: KubeVersion,
    require_schemas: bool,
    note_skipped: bool,
) -> Result<(), Error> {
    let failures: Vec<Outcome> = outcomes
        .iter()
        .filter(|o| o.is_invalid() || o.is_error())
        .cloned()
        .collect();
    let mut skipped: Vec<String> = outcomes
        .iter()
        .filter(|o| o.is_skipped())
        .map(|o| format!("{} {}", o.api_version, o.kind))
        .collect();
    skipped.sort();
    skipped.dedup();
    if !failures.is_empty() || (require_schemas && !skipped.is_empty()) {
        return Err(Error::Invalid {
            kube_version: format!("{}.{}", version.major, version.minor),
            failures,
            missing_schemas: if require_schemas { skipped } else { Vec::new() },
        });
    }
    if note_skipped && !skipped.is_empty() {
        eprintln!(
            "note: not validated, no schema for: {} (--crd or --schema-location adds schemas; --require-schemas makes this an error)",
            skipped.join(", ")
        );
    }
    Ok(())
}

/// `bosun validate`: every input file's documents, each judged on its own.
pub(crate) fn validate(args: &ValidateArgs) -> Result<i32, Error> {
    let version = kube_version(args.kube_version.as_deref())?;
    let inputs = if args.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.inputs.clone()
    };
    let stdin_inputs = inputs.iter().filter(|i| i.as_os_str() == "-").count();
    if stdin_inputs > 1 {
        return Err(Error::Read {
            path: "<stdin>".into(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "`-` is given {stdin_inputs} times, but standard input can be read only once"
                ),
            ),
        });
    }
    let mut files: Vec<(String, String)> = Vec::new();
    for input in &inputs {
        if input.as_os_str() == "-" {
            files.push(("<stdin>".into(), read_stdin()?));
        } else if input.is_dir() {
            let ignore = ignore::gitignore::Gitignore::empty();
            for path in crate::chart::list_files(input, input, &ignore)? {
                if path
                    .extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
                {
                    let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
                        path: path.clone(),
                        source,
                    })?;
                    files.push((path.display().to_string(), text));
                }
            }
        } else {
            let text = std::fs::read_to_string(input).map_err(|source| Error::Read {
                path: input.clone(),
                source,
            })?;
            files.push((input.display().to_string(), text));
        }
    }
    let catalog = catalog(version, &args.schemas, &[])?;
    let policy = Policy {
        skip: args.skip.clone(),
        reject: args.reject.clone(),
    };
    let checks = Checks {
        catalog: &catalog,
        policy: &policy,
        lenient_keys: !args.strict,
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
    if args.ignore_missing_schemas {
        outcomes.retain(|o| !matches!(&o.verdict, Verdict::Skipped { reason } if reason.starts_with("no schema")));
    }
    let failed = outcomes.iter().any(|o| o.is_invalid() || o.is_error())
        || (args.schemas.require_schemas && outcomes.iter().any(Outcome::is_skipped));
    let summary = args.summary.then(|| Summary::of(&outcomes, files.len()));
    print(&crate::validate::report::render(
        &outcomes,
        args.output,
        summary,
    ))?;
    Ok(i32::from(failed))
}

fn explain(values: &values::Node) -> String {
    let lines: Vec<(String, String)> = values
        .leaves()
        .into_iter()
        .map(|(path, value, origin)| {
            // A `Value` prints infallibly as compact JSON.
            let shown = value.to_string();
            (format!("{path}: {shown}"), origin.to_string())
        })
        .collect();
    let width = lines
        .iter()
        .map(|(l, _)| l.len())
        .max()
        .unwrap_or(0)
        .min(60);
    lines
        .into_iter()
        .map(|(line, origin)| format!("{line:width$}  # {origin}\n"))
        .collect()
}

/// The `--set*` flags in the order they were given on the command line.
fn value_options(flags: &ValueFlags, matches: Option<&ArgMatches>) -> ValueOptions {
    let mut sets: Vec<(usize, SetArg)> = Vec::new();
    for (id, kind, given) in [
        ("set", SetKind::Typed, &flags.set),
        ("set_string", SetKind::String, &flags.set_string),
        ("set_file", SetKind::File, &flags.set_file),
        ("set_json", SetKind::Json, &flags.set_json),
    ] {
        let indices: Vec<usize> = matches
            .and_then(|m| m.indices_of(id))
            .map(|i| i.collect())
            .unwrap_or_default();
        for (n, arg) in given.iter().enumerate() {
            let position = indices.get(n).copied().unwrap_or(usize::MAX);
            sets.push((
                position,
                SetArg {
                    kind,
                    arg: arg.clone(),
                },
            ));
        }
    }
    sets.sort_by_key(|(position, _)| *position);
    ValueOptions {
        env: flags.env.clone(),
        values_dir: flags.values_dir.clone(),
        files: flags.values.clone(),
        sets: sets.into_iter().map(|(_, set)| set).collect(),
        with_lines: false,
    }
}

/// Writes to stdout in one go; a closed pipe (`bosun render | head`) is not an error.
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

//! The command line: `bosun render`, `bosun values`, `bosun completions`.
//! Exit codes: 0 success, 1 any error (the command line itself included).

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::chart::Chart;
use crate::context::{Capabilities, KubeVersion, Release};
use crate::crd;
use crate::error::Error;
use crate::manifest::{self, Checks, RenderedTemplate};
use crate::output::{self, Format};
use crate::render::{self, RenderOptions};
use crate::report::Summary;
use crate::schema::{self, Catalog};
use crate::set_values::SetKind;
use crate::validate::{self, Outcome, Policy, Verdict};
use crate::values::{self, SetArg, ValueOptions};
use crate::yaml;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  error: bad input, a template or YAML error, an unknown environment, a document or values
     that fail validation, a bad flag
";

/// Renders Kubernetes manifests from charts and per-environment values, offline.
#[derive(Debug, Parser)]
#[command(name = "bosun", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Render a chart to one YAML stream on stdout (nothing is printed unless all of it renders).
    #[command(after_help = EXIT_CODES)]
    Render(RenderArgs),
    /// Print the merged values a chart would be rendered with.
    #[command(after_help = EXIT_CODES)]
    Values(ValuesArgs),
    /// Validate any Kubernetes manifests against the bundled schemas, offline.
    #[command(after_help = EXIT_CODES)]
    Validate(ValidateArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Where values come from, lowest precedence first: the chart's values.yaml, the environment's
/// files, `-f` files, then `--set*` flags in the order given.
#[derive(Debug, Args)]
struct ValueFlags {
    /// Environment to render: applies values/ENV.yaml, values/ENV/CHART.yaml and the chart's
    /// values-ENV.yaml. An environment with none of these files is an error.
    #[arg(short, long, value_name = "ENV")]
    env: Option<String>,
    /// The folder holding environment values [default: the first `values/` found walking up
    /// from the chart]
    #[arg(long, value_name = "DIR")]
    values_dir: Option<PathBuf>,
    /// A values file (`-` for stdin); may be repeated, later files win.
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    values: Vec<String>,
    /// Set values: `a.b=c,list[0].x=y,l={a,b}`. `true`, `false`, `null` and integers are typed.
    #[arg(long, value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Like --set, but every value is a string.
    #[arg(long, value_name = "KEY=VALUE")]
    set_string: Vec<String>,
    /// Set a value to the content of a file: `key=path`.
    #[arg(long, value_name = "KEY=PATH")]
    set_file: Vec<String>,
    /// Set a value from JSON: `key={"a":1}`.
    #[arg(long, value_name = "KEY=JSON")]
    set_json: Vec<String>,
}

#[derive(Debug, Args)]
struct RenderArgs {
    /// The chart folder.
    chart: PathBuf,
    #[command(flatten)]
    values: ValueFlags,
    /// Namespace of the release (`release.namespace`).
    #[arg(short, long, default_value = "default")]
    namespace: String,
    /// Name of the release [default: the chart's name]
    #[arg(long, value_name = "NAME")]
    release_name: Option<String>,
    /// Kubernetes version to render and validate for, MAJOR.MINOR [default: the newest bundled]
    #[arg(long, value_name = "X.Y")]
    kube_version: Option<String>,
    /// Extra API versions the cluster serves (`monitoring.coreos.com/v1`); may be repeated.
    #[arg(short = 'a', long, value_name = "GROUP/VERSION", value_delimiter = ',')]
    api_versions: Vec<String>,
    /// Render as an upgrade (`release.is_upgrade`) rather than an install.
    #[arg(long)]
    is_upgrade: bool,
    /// Only print the documents of this template (`templates/deployment.yaml`); may be repeated.
    #[arg(short, long, value_name = "TEMPLATE")]
    show_only: Vec<String>,
    /// Also print the CRDs in the chart's crds/ folder, first.
    #[arg(long)]
    include_crds: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "yaml")]
    output: Format,
    /// Write one file per template under DIR instead of printing.
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,
    /// Do not validate the values against values.schema.json or the documents against the
    /// Kubernetes schemas.
    #[arg(long)]
    no_validate: bool,
    #[command(flatten)]
    schemas: SchemaFlags,
}

/// Where custom resource schemas come from, and how missing ones are treated.
#[derive(Debug, Args)]
struct SchemaFlags {
    /// A file of CustomResourceDefinitions whose schemas to check against; may be repeated.
    /// The chart's crds/ folder is always read.
    #[arg(long, value_name = "FILE")]
    crd: Vec<PathBuf>,
    /// A folder of JSON schemas for custom resources, in the CRDs-catalog layout
    /// (GROUP/KIND_VERSION.json) or kubeconform's (KIND-GROUP-VERSION.json); may be repeated.
    #[arg(long, value_name = "DIR")]
    schema_location: Vec<PathBuf>,
    /// A kind with no schema is an error, not skipped.
    #[arg(long)]
    require_schemas: bool,
}

#[derive(Debug, Args)]
struct ValidateArgs {
    /// Files or folders of manifests (`.yaml`, `.yml`, `.json`), or `-` for stdin [default: -]
    #[arg(value_name = "FILE|DIR|-")]
    inputs: Vec<PathBuf>,
    /// Kubernetes version to validate against, MAJOR.MINOR [default: the newest bundled]
    #[arg(long, value_name = "X.Y")]
    kube_version: Option<String>,
    /// Also reject duplicate keys (unknown fields are always rejected).
    #[arg(long)]
    strict: bool,
    /// Kinds not to check; may be repeated or comma-separated.
    #[arg(long, value_name = "KIND", value_delimiter = ',')]
    skip: Vec<String>,
    /// Kinds that are errors wherever they appear; may be repeated or comma-separated.
    #[arg(long, value_name = "KIND", value_delimiter = ',')]
    reject: Vec<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    output: crate::report::Format,
    /// Print a summary of the verdicts.
    #[arg(long)]
    summary: bool,
    /// Do not even report kinds that have no schema.
    #[arg(long, conflicts_with = "require_schemas")]
    ignore_missing_schemas: bool,
    #[command(flatten)]
    schemas: SchemaFlags,
}

#[derive(Debug, Args)]
struct ValuesArgs {
    /// The chart folder.
    chart: PathBuf,
    #[command(flatten)]
    values: ValueFlags,
    /// Print every value with the file:line or flag it came from.
    #[arg(long)]
    explain: bool,
    /// Output format (ignored with --explain).
    #[arg(short, long, value_enum, default_value = "yaml")]
    output: Format,
}

/// Runs bosun with `args` (the program name first) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let matches = match Cli::command().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 1 } else { 0 };
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return 1;
        }
    };
    let sub_matches = matches.subcommand().map(|(_, m)| m);
    match execute(cli, sub_matches) {
        Ok(code) => code,
        Err(error) => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            eprintln!("{}", error.report(color));
            1
        }
    }
}

fn execute(cli: Cli, matches: Option<&ArgMatches>) -> Result<i32, Error> {
    match cli.command {
        Command::Render(args) => {
            let options = value_options(&args.values, matches);
            let chart = Chart::load(&args.chart)?;
            let values = values::layer(&chart, &options, &mut std::io::stdin())?;
            let kube_version = kube_version(args.kube_version.as_deref())?;
            if !args.no_validate {
                validate::check_values(&chart, &values)?;
            }
            let render_options = RenderOptions {
                release: Release {
                    name: args
                        .release_name
                        .clone()
                        .unwrap_or_else(|| chart.name().to_string()),
                    namespace: args.namespace.clone(),
                    revision: 1,
                    is_upgrade: args.is_upgrade,
                },
                capabilities: Capabilities::new(kube_version, &args.api_versions),
                environment: options.env.clone(),
                show_only: args.show_only.clone(),
                include_crds: args.include_crds,
            };
            let catalog = if args.no_validate {
                None
            } else {
                Some(catalog(kube_version, &args.schemas, &chart_crds(&chart)?)?)
            };
            let policy = Policy::default();
            let checks = catalog.as_ref().map(|catalog| Checks {
                catalog,
                policy: &policy,
                lenient_keys: false,
            });
            let (documents, outcomes) =
                render::render(&chart, &values, &render_options, checks.as_ref())?;
            judge(&outcomes, kube_version, args.schemas.require_schemas, true)?;
            match &args.output_dir {
                Some(dir) => {
                    for path in output::write_dir(dir, &documents, args.output)? {
                        eprintln!("wrote {}", path.display());
                    }
                }
                None => {
                    let mut stdout =
                        std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
                    stdout_result(output::write_stream(&documents, args.output, &mut stdout))?;
                }
            }
            Ok(0)
        }
        Command::Values(args) => {
            let mut options = value_options(&args.values, matches);
            options.with_lines = args.explain;
            let chart = Chart::load(&args.chart)?;
            let values = values::layer(&chart, &options, &mut std::io::stdin())?;
            let text = if args.explain {
                explain(&values)
            } else {
                match args.output {
                    Format::Yaml => yaml::to_string(&values.to_value()),
                    Format::Json => {
                        let mut text =
                            serde_json::to_string_pretty(&values.to_value()).unwrap_or_default();
                        text.push('\n');
                        text
                    }
                }
            };
            print(&text)?;
            Ok(0)
        }
        Command::Validate(args) => validate_command(args),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            let mut buffer = Vec::new();
            clap_complete::generate(shell, &mut command, "bosun", &mut buffer);
            print(&String::from_utf8_lossy(&buffer))?;
            Ok(0)
        }
    }
}

/// `--kube-version`, or the newest version whose schemas are bundled.
fn kube_version(given: Option<&str>) -> Result<KubeVersion, Error> {
    match given {
        Some(text) => KubeVersion::parse(text),
        None => Ok(schema::newest_version()),
    }
}

/// The CRDs in a chart's crds/ folder (and its subcharts'), as parsed documents.
fn chart_crds(chart: &Chart) -> Result<Vec<serde_json::Value>, Error> {
    let mut out = Vec::new();
    for (name, text) in &chart.crds {
        let shown = chart.dir.join(name).display().to_string();
        out.extend(yaml::parse_stream(text).map_err(|e| e.into_error(&shown, text))?);
    }
    for dependency in &chart.dependencies {
        out.extend(chart_crds(&dependency.chart)?);
    }
    Ok(out)
}

/// The schemas for `version`: bundled, from `crds` and `--crd` files, and `--schema-location`.
fn catalog(
    version: KubeVersion,
    flags: &SchemaFlags,
    crds: &[serde_json::Value],
) -> Result<Catalog, Error> {
    let mut catalog = Catalog::new(version)?;
    let mut documents = crds.to_vec();
    for file in &flags.crd {
        let text = std::fs::read_to_string(file).map_err(|source| Error::Read {
            path: file.clone(),
            source,
        })?;
        let shown = file.display().to_string();
        documents.extend(yaml::parse_stream(&text).map_err(|e| e.into_error(&shown, &text))?);
    }
    for document in &documents {
        if document["kind"] == "CustomResourceDefinition" {
            let name = document["metadata"]["name"].as_str().unwrap_or("?");
            for (key, schema) in crd::from_crd(document) {
                catalog.add_custom(&key, schema, format!("CRD {name}"));
            }
        }
    }
    for dir in &flags.schema_location {
        catalog.add_schema_location(dir.clone());
    }
    Ok(catalog)
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
fn validate_command(args: ValidateArgs) -> Result<i32, Error> {
    let version = kube_version(args.kube_version.as_deref())?;
    let inputs = if args.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.inputs.clone()
    };
    let mut files: Vec<(String, String)> = Vec::new();
    for input in &inputs {
        if input.as_os_str() == "-" {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|source| {
                Error::Read {
                    path: "<stdin>".into(),
                    source,
                }
            })?;
            files.push(("<stdin>".into(), text));
        } else if input.is_dir() {
            let ignore = ignore::gitignore::Gitignore::empty();
            for path in crate::chart::list_files(input, input, &ignore) {
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
        let template = RenderedTemplate {
            source: name.clone(),
            shown: name.clone(),
            text: text.clone(),
        };
        match manifest::parse(std::slice::from_ref(&template), Some(&checks)) {
            Ok((_, found)) => outcomes.extend(found),
            Err(error) => outcomes.push(Outcome {
                source: name.clone(),
                api_version: String::new(),
                kind: String::new(),
                namespace: String::new(),
                name: String::new(),
                verdict: Verdict::Error {
                    message: error.to_string(),
                },
            }),
        }
    }
    if args.ignore_missing_schemas {
        outcomes.retain(|o| !matches!(&o.verdict, Verdict::Skipped { reason } if reason.starts_with("no schema")));
    }
    let failed = outcomes.iter().any(|o| o.is_invalid() || o.is_error())
        || (args.schemas.require_schemas && outcomes.iter().any(Outcome::is_skipped));
    let summary = args.summary.then(|| Summary::of(&outcomes, files.len()));
    print(&crate::report::render(&outcomes, args.output, summary))?;
    Ok(i32::from(failed))
}

fn explain(values: &values::Node) -> String {
    let lines: Vec<(String, String)> = values
        .leaves()
        .into_iter()
        .map(|(path, value, origin)| {
            let shown = serde_json::to_string(value).unwrap_or_default();
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
fn print(text: &str) -> Result<(), Error> {
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

//! The command line: its arguments, turned into plain commands (a [`crate::pipeline::Request`]
//! for those that render) and handed to `commands.rs`. A command line
//! clap refuses because of a Helm habit (`--validate`, `template NAME CHART`) is answered with
//! what bosun does instead.
//! Exit codes: 0 success, 1 any error (the command line itself included); `bosun diff
//! --detailed-exitcode` adds 2 for "there are changes", and `--fail-on` 3 for "a consequence
//! of a class named".

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::commands::{
    self, DiffCommand, LintCommand, RenderCommand, ValidateCommand, ValuesCommand,
};
use crate::error::Error;
use crate::output::Format;
use crate::pipeline::Request;
use crate::repository;
use crate::validate::Policy;
use crate::validate::catalog::SchemaSources;
use crate::validate::report;
use crate::values::set::SetKind;
use crate::values::{SetArg, ValueOptions};

mod helm_habits;

use helm_habits::helm_habit;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  error: bad input, a template or YAML error, an unknown environment, a document or values
     that fail validation, a bad flag
";

const RENDER_AFTER_HELP: &str = "\
Coming from `helm template`:
  `bosun template` is `bosun render`. The chart comes first; the release name is
  --release-name NAME. Validation is on by default (--no-validate skips it). CRDs are left out
  unless --include-crds.

Exit codes:
  0  success
  1  error: bad input, a template or YAML error, an unknown environment, a document or values
     that fail validation, a bad flag
";

const TOP_EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  error: bad input, a template or YAML error, an unknown environment, a document or values
     that fail validation, a lint error finding (or warning with --strict), a bad flag
  2  `bosun diff --detailed-exitcode` only: there are changes
  3  `bosun diff --fail-on` only: a consequence of a class named there
";

const DIFF_EXIT_CODES: &str = "\
Secret values:
  A record holds each Secret value only as a keyed digest (HMAC-SHA256), with the key from
  BOSUN_SECRET_KEY or the file bosun/secret-key in the user's config folder (at least 16 bytes,
  kept out of the repository). Without the key, the diff says which values it cannot compare.

Consequences:
  What the changes will do is listed before the diffs (the classes are those of --fail-on);
  changes only to chart or app version labels or checksum annotations are grouped as noise.

Exit codes:
  0  success (with --detailed-exitcode: no changes)
  1  error (also: standard input named twice, as `-f -` with `--against -`)
  2  with --detailed-exitcode: there are changes
  3  with --fail-on: a consequence of a class named (the report is printed all the same)
";

const LINT_EXIT_CODES: &str = "\
Exit codes:
  0  no errors (warnings allowed unless --strict)
  1  an error finding (an invalid document is one, rule `schema`; or, with --strict, a
     warning), or bosun could not render the chart

Each finding about a field names it, its rendered line, the template line that wrote it and
the values file line (or --set flag) its value came from, when known; SARIF points at the
values line first.
";

/// Renders Kubernetes manifests from charts and per-environment values, offline.
#[derive(Debug, Parser)]
#[command(
    name = "bosun",
    version = concat!(
        env!("CARGO_PKG_VERSION"),
        " (built-in service library ",
        env!("BOSUN_LIBRARY_VERSION"),
        ")"
    ),
    about,
    after_help = TOP_EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour reports and diffs: auto (a terminal without NO_COLOR), always, never.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    color: crate::diagnostics::color::When,
}

/// Each subcommand's arguments are made only when it is invoked (`defer`): making all of them
/// was a fifth of a small chart's start-up. A doc comment on a flattened argument struct
/// would then become the subcommand's about line, so those structs carry plain comments.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
enum Command {
    /// Render a chart to one YAML stream on stdout (nothing is printed unless all of it renders).
    #[command(after_help = RENDER_AFTER_HELP, visible_alias = "template")]
    Render(RenderArgs),
    /// Print the merged values a chart would be rendered with.
    #[command(after_help = EXIT_CODES)]
    Values(ValuesArgs),
    /// Render afresh and show what changed since the last render (or against any manifests).
    #[command(after_help = DIFF_EXIT_CODES)]
    Diff(DiffArgs),
    /// Validate any Kubernetes manifests against the bundled schemas, offline.
    #[command(after_help = EXIT_CODES)]
    Validate(ValidateArgs),
    /// Render and check what a careful reviewer would catch, in each resource and across them.
    #[command(after_help = LINT_EXIT_CODES)]
    Lint(LintArgs),
    /// Create a chart that uses the generic service templates, with one service.
    Init {
        /// The new chart's folder; its last part is the chart's name (`charts/hello`).
        dir: PathBuf,
    },
    /// The generic service library built into bosun (`repository: bosun://service`).
    #[command(subcommand)]
    Library(crate::library::Command),
    /// Fetch a chart's dependencies from repositories (Helm's `dependency update|build|list`).
    #[command(subcommand, visible_alias = "dependency")]
    Dep(crate::dependency::cli::DepCommand),
    /// Package a chart folder as NAME-VERSION.tgz, readable by Helm.
    Package(crate::dependency::cli::PackageArgs),
    /// Push a chart archive to an OCI registry, as `helm push` does.
    Push(crate::dependency::cli::PushArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

// Where values come from, lowest precedence first: the chart's values.yaml, the environment's
// files, `-f` files, then `--set*` flags in the order given.
#[derive(Debug, Args)]
pub(crate) struct ValueFlags {
    /// Environment to render: applies values/ENV.yaml, values/ENV/CHART.yaml and the chart's
    /// values-ENV.yaml. An environment with none of these files is an error.
    #[arg(short, long, value_name = "ENV")]
    pub env: Option<String>,
    /// The folder holding environment values [default: the first `values/` found walking up
    /// from the chart]
    #[arg(long, value_name = "DIR")]
    pub values_dir: Option<PathBuf>,
    /// A values file (`-` for stdin); may be repeated, later files win.
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<String>,
    /// Set values: `a.b=c,list[0].x=y,l={a,b}`. `true`, `false`, `null` and integers are typed.
    #[arg(long, value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Like --set, but every value is a string.
    #[arg(long, value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,
    /// Set a value to the content of a file: `key=path`.
    #[arg(long, value_name = "KEY=PATH")]
    pub set_file: Vec<String>,
    /// Set a value from JSON: `key={"a":1}`.
    #[arg(long, value_name = "KEY=JSON")]
    pub set_json: Vec<String>,
}

// What it takes to render a chart: shared by `render` and `diff`.
#[derive(Debug, Args)]
pub(crate) struct ChartFlags {
    /// The chart folder.
    #[arg(required_unless_present = "all")]
    pub chart: Option<PathBuf>,
    /// Every release of the repository instead of one chart: each chart under charts/ in each
    /// environment it has values for, and the releases bosun.yaml lists (see the README, "A
    /// repository's releases"); with --env, that environment's only. Releases run in parallel;
    /// the output is grouped per release, and nothing is printed on stdout if any fails.
    #[arg(long, conflicts_with_all = ["chart", "release_name", "namespace"])]
    pub all: bool,
    /// With --all: only the releases whose inputs changed since the git revision REF (their
    /// chart's files, the values files that apply, their bosun.yaml entry).
    #[arg(long, value_name = "REF", requires = "all")]
    pub changed_since: Option<String>,
    #[command(flatten)]
    pub values: ValueFlags,
    /// Namespace of the release (`release.namespace`): a DNS-1123 label, at most 63
    /// characters of lowercase letters, digits and `-`.
    #[arg(short, long, default_value = "default", value_parser = crate::names::namespace)]
    pub namespace: String,
    /// Name of the release [default: the chart's name]: at most 53 characters of lowercase
    /// letters, digits, `-` and `.`, as Helm requires.
    #[arg(long, value_name = "NAME", value_parser = crate::names::release_name)]
    pub release_name: Option<String>,
    /// Kubernetes version to render and validate for, MAJOR.MINOR [default: the newest bundled]
    #[arg(long, value_name = "X.Y")]
    pub kube_version: Option<String>,
    /// Extra API versions the cluster serves (`monitoring.coreos.com/v1`); may be repeated.
    #[arg(short = 'a', long, value_name = "GROUP/VERSION", value_delimiter = ',')]
    pub api_versions: Vec<String>,
    /// Render as an upgrade (`release.is_upgrade`) rather than an install.
    #[arg(long)]
    pub is_upgrade: bool,
    /// Do not validate the values against values.schema.json or the documents against the
    /// Kubernetes schemas.
    #[arg(long)]
    pub no_validate: bool,
    #[command(flatten)]
    pub schemas: SchemaFlags,
    /// Where renders are recorded for `bosun diff`, per environment, namespace and release;
    /// Secret values are sealed with BOSUN_SECRET_KEY (see `bosun diff --help`)
    /// [default: CHART/.bosun]
    #[arg(long, value_name = "DIR", env = "BOSUN_STATE_DIR")]
    pub state_dir: Option<PathBuf>,
    /// Make Helm charts' random functions (randAlphaNum, uuidv4, genCA, genPrivateKey, ...)
    /// reproducible: each returns the same value for the same release and call site. The
    /// file holds a secret of at least 16 bytes, kept out of the repository; the variable
    /// BOSUN_RANDOM_SEED may hold it instead. Without either, values are fresh on every render,
    /// as Helm's are
    #[arg(long, value_name = "PATH")]
    pub random_seed_file: Option<PathBuf>,
    /// Objects (as `kubectl get -o yaml` prints them: a stream or a List) that Helm charts'
    /// `lookup` answers from, so a chart that reuses an existing Secret renders as it would
    /// against the cluster. Without it `lookup` finds nothing, as in `helm template`
    #[arg(long, value_name = "PATH")]
    pub lookup_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct RenderArgs {
    #[command(flatten)]
    pub chart: ChartFlags,
    /// Only print the documents of this template (`templates/deployment.yaml`); may be repeated.
    /// Such a partial render is not recorded.
    #[arg(short, long, value_name = "TEMPLATE", conflicts_with = "all")]
    pub show_only: Vec<String>,
    /// Also print the CRDs in the chart's crds/ folder, first.
    #[arg(long)]
    pub include_crds: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "yaml")]
    pub output: Format,
    /// Write one file per template under DIR instead of printing. DIR is replaced whole by this
    /// render, so it must be absent, empty, or a folder bosun wrote.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Do not record this render in the state folder.
    #[arg(long)]
    pub no_save: bool,
}

#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    #[command(flatten)]
    pub chart: ChartFlags,
    /// Lint the chart in every environment it has (each one's values files).
    #[arg(long, conflicts_with_all = ["env", "all"])]
    pub all_envs: bool,
    /// Warnings fail too.
    #[arg(long)]
    pub strict: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    pub output: crate::lint::report::Format,
    /// Also list the findings silenced by annotations or the chart's .bosun-lint.yaml.
    #[arg(long)]
    pub show_silenced: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    #[command(flatten)]
    pub chart: ChartFlags,
    /// Compare with these manifests instead of the last render (`-` for stdin), such as a
    /// release artifact or `kubectl get -o yaml` output; server-set fields are ignored, and of
    /// an object from a cluster only the fields the render sets are compared.
    #[arg(long, value_name = "FILE|-", conflicts_with = "all")]
    pub against: Option<String>,
    /// Lines of context around each change.
    #[arg(short = 'C', long, value_name = "N", default_value_t = 3)]
    pub context: usize,
    /// Output format; markdown stays under GitHub's 65,536-character comment limit.
    #[arg(short, long, value_enum, default_value = "unified")]
    pub output: crate::diff::Format,
    /// Show the rendered Secret values instead of `(hidden)` (a record holds only digests).
    #[arg(long)]
    pub show_secrets: bool,
    /// Exit 2 when there are changes, 0 when there are none, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Exit 3 when a consequence of one of these classes is found, after printing the report;
    /// it wins over --detailed-exitcode's 2.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "CLASS[,CLASS]")]
    pub fail_on: Vec<crate::diff::Class>,
}

// Where custom resource schemas come from, and how missing ones are treated.
#[derive(Debug, Args)]
pub(crate) struct SchemaFlags {
    /// A file of CustomResourceDefinitions whose schemas to check against; may be repeated.
    /// The chart's crds/ folder is always read.
    #[arg(long, value_name = "FILE")]
    pub crd: Vec<PathBuf>,
    /// A folder of JSON schemas for custom resources, in the CRDs-catalog layout
    /// (GROUP/KIND_VERSION.json) or kubeconform's (KIND-GROUP-VERSION.json); may be repeated.
    #[arg(long, value_name = "DIR")]
    pub schema_location: Vec<PathBuf>,
    /// A kind with no schema is an error, not skipped.
    #[arg(long)]
    pub require_schemas: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Files or folders of manifests (`.yaml`, `.yml`, `.json`), or `-` for stdin [default: -]
    #[arg(value_name = "FILE|DIR|-")]
    pub inputs: Vec<PathBuf>,
    /// Render every release of the repository and validate its documents instead of reading
    /// files (see `bosun render --help`); the verdicts are grouped per release.
    #[arg(long, conflicts_with_all = ["inputs", "skip", "reject"])]
    pub all: bool,
    /// With --all: only this environment's releases.
    #[arg(short, long, value_name = "ENV", requires = "all")]
    pub env: Option<String>,
    /// With --all: only the releases whose inputs changed since the git revision REF.
    #[arg(long, value_name = "REF", requires = "all")]
    pub changed_since: Option<String>,
    /// Kubernetes version to validate against, MAJOR.MINOR [default: the newest bundled]
    #[arg(long, value_name = "X.Y")]
    pub kube_version: Option<String>,
    /// Also reject duplicate keys (unknown fields are always rejected).
    #[arg(long)]
    pub strict: bool,
    /// Kinds not to check; may be repeated or comma-separated.
    #[arg(long, value_name = "KIND", value_delimiter = ',')]
    pub skip: Vec<String>,
    /// Kinds that are errors wherever they appear; may be repeated or comma-separated.
    #[arg(long, value_name = "KIND", value_delimiter = ',')]
    pub reject: Vec<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    pub output: report::Format,
    /// Print a summary of the verdicts.
    #[arg(long)]
    pub summary: bool,
    /// Do not even report kinds that have no schema.
    #[arg(long, conflicts_with = "require_schemas")]
    pub ignore_missing_schemas: bool,
    #[command(flatten)]
    pub schemas: SchemaFlags,
}

#[derive(Debug, Args)]
pub(crate) struct ValuesArgs {
    /// The chart folder.
    pub chart: PathBuf,
    #[command(flatten)]
    pub values: ValueFlags,
    /// Print every value with the file:line or flag it came from.
    #[arg(long)]
    pub explain: bool,
    /// Output format (ignored with --explain).
    #[arg(short, long, value_enum, default_value = "yaml")]
    pub output: Format,
}

/// Runs bosun with `args` (the program name first) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let args: Vec<OsString> = args.into_iter().collect();
    let matches = match Cli::command().try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(e) => {
            if let Some(habit) = helm_habit(&args, &e) {
                eprintln!("{}", habit.report(crate::diagnostics::color::stderr()));
                return 1;
            }
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
    crate::diagnostics::color::set(cli.color);
    let sub_matches = matches.subcommand().map(|(_, m)| m);
    match execute(cli.command, sub_matches) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{}", error.report(crate::diagnostics::color::stderr()));
            1
        }
    }
}

fn execute(command: Command, matches: Option<&ArgMatches>) -> Result<i32, Error> {
    match command {
        Command::Render(args) => {
            let command = RenderCommand {
                request: request(&args.chart, matches, args.show_only, args.include_crds),
                output: args.output,
                output_dir: args.output_dir,
                no_save: args.no_save,
            };
            match selection(&args.chart)? {
                Some(selection) => repository::render_all(&command, &selection),
                None => commands::render(&command),
            }
        }
        Command::Diff(args) => {
            let command = DiffCommand {
                request: request(&args.chart, matches, Vec::new(), false),
                against: args.against,
                context: args.context,
                output: args.output,
                show_secrets: args.show_secrets,
                detailed_exitcode: args.detailed_exitcode,
                fail_on: args.fail_on,
            };
            match selection(&args.chart)? {
                Some(selection) => repository::diff_all(&command, &selection),
                None => commands::diff(&command),
            }
        }
        Command::Values(args) => commands::values(&ValuesCommand {
            values: value_options(&args.values, matches),
            chart: args.chart,
            explain: args.explain,
            output: args.output,
        }),
        Command::Validate(args) => {
            let selection = args.all.then(|| repository::Selection {
                environment: args.env.clone(),
                changed_since: args.changed_since.clone(),
                values_dir: None,
            });
            let command = ValidateCommand {
                inputs: args.inputs,
                kube_version: args.kube_version,
                strict: args.strict,
                policy: Policy {
                    skip: args.skip,
                    reject: args.reject,
                },
                output: args.output,
                summary: args.summary,
                ignore_missing_schemas: args.ignore_missing_schemas,
                schemas: schema_sources(&args.schemas),
            };
            match selection {
                Some(selection) => repository::validate_all(&command, &selection),
                None => commands::validate(&command),
            }
        }
        Command::Lint(args) => {
            let command = LintCommand {
                request: request(&args.chart, matches, Vec::new(), false),
                all_envs: args.all_envs,
                strict: args.strict,
                output: args.output,
                show_silenced: args.show_silenced,
            };
            match selection(&args.chart)? {
                Some(selection) => repository::lint_all(&command, &selection),
                None => commands::lint(&command),
            }
        }
        Command::Init { dir } => {
            for path in crate::init::init(&dir)? {
                eprintln!("created {}", path.display());
            }
            eprintln!("render it with `bosun render {}`", dir.display());
            Ok(0)
        }
        Command::Library(command) => crate::library::run(&command),
        Command::Dep(command) => crate::dependency::cli::dep(&command),
        Command::Package(args) => crate::dependency::cli::package(&args),
        Command::Push(args) => crate::dependency::cli::push(&args),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            let mut buffer = Vec::new();
            clap_complete::generate(shell, &mut command, "bosun", &mut buffer);
            commands::print(&String::from_utf8_lossy(&buffer))?;
            Ok(0)
        }
    }
}

/// The pipeline's request, as the chart flags say.
fn request(
    flags: &ChartFlags,
    matches: Option<&ArgMatches>,
    show_only: Vec<String>,
    include_crds: bool,
) -> Request {
    Request {
        chart: flags.chart.clone().unwrap_or_default(),
        values: value_options(&flags.values, matches),
        release_name: flags.release_name.clone(),
        namespace: flags.namespace.clone(),
        kube_version: flags.kube_version.clone(),
        api_versions: flags.api_versions.clone(),
        is_upgrade: flags.is_upgrade,
        show_only,
        include_crds,
        validate: !flags.no_validate,
        schemas: schema_sources(&flags.schemas),
        state_dir: flags.state_dir.clone(),
        random_seed_file: flags.random_seed_file.clone(),
        lookup_file: flags.lookup_file.clone(),
    }
}

/// With `--all`, which releases to run; `-f -` is refused, as every release would read stdin.
fn selection(flags: &ChartFlags) -> Result<Option<repository::Selection>, Error> {
    if !flags.all {
        return Ok(None);
    }
    if flags.values.values.iter().any(|f| f == "-") {
        return Err(Error::Usage {
            message: "`-f -` cannot be given with --all: standard input can be read only once, and every release would read it".into(),
            help: "save the values to a file and pass its path".into(),
        });
    }
    Ok(Some(repository::Selection {
        environment: flags.values.env.clone(),
        changed_since: flags.changed_since.clone(),
        values_dir: flags.values.values_dir.clone(),
    }))
}

fn schema_sources(flags: &SchemaFlags) -> SchemaSources {
    SchemaSources {
        crds: flags.crd.clone(),
        locations: flags.schema_location.clone(),
        require_schemas: flags.require_schemas,
    }
}

/// The values flags, with the `--set*` flags in the order they were given on the command
/// line (clap keeps each flag's values apart; their indices say the order).
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

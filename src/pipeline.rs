//! The whole pipeline as one call: a plain [`Request`] in (what the command line says, with no
//! trace of clap), plain data out ([`Rendered`]: the documents, each one's verdict, the merged
//! values with their origins, and the record to write). The command line, the benchmark and any
//! other caller run the same stages in the same order:
//!
//! values → values-schema check → schema catalog → render (templates, documents, verdicts) →
//! record path.
//!
//! Nothing here prints: what a caller should say (a release name Helm would refuse) is in
//! [`Rendered::warnings`], and whether the verdicts fail the run is [`Rendered::judge`]'s
//! answer, asked at the end.

use std::io::Read;
use std::path::PathBuf;

use crate::chart::Chart;
use crate::diff;
use crate::error::Error;
use crate::kube_version::KubeVersion;
use crate::manifest::{Checks, Document};
use crate::render::engine::{Capabilities, Release};
use crate::render::gotpl::{Cluster, Preparse, RandomSeed};
use crate::render::trace::Origins;
use crate::render::{self, RenderOptions};
use crate::state;
use crate::validate::catalog::{self, SchemaSources};
use crate::validate::report;
use crate::validate::schema::Catalog;
use crate::validate::{self, Outcome, Policy};
use crate::values::{self, Node, ValueOptions};

/// What to render: a chart, its values, the release and the cluster it is for.
#[derive(Debug, Clone)]
pub struct Request {
    /// The chart folder.
    pub chart: PathBuf,
    /// The environment, values files and `--set*` flags, in the order given.
    pub values: ValueOptions,
    /// The release name; the chart's name when absent.
    pub release_name: Option<String>,
    pub namespace: String,
    /// `MAJOR.MINOR`; the newest bundled version when absent.
    pub kube_version: Option<String>,
    /// Extra API versions the cluster serves.
    pub api_versions: Vec<String>,
    pub is_upgrade: bool,
    /// Template paths whose documents to keep; all when empty.
    pub show_only: Vec<String>,
    /// Put the chart's CRDs first.
    pub include_crds: bool,
    /// Validate the values against values.schema.json and each document against its schema.
    pub validate: bool,
    pub schemas: SchemaSources,
    /// Where renders are recorded; `CHART/.bosun` when absent.
    pub state_dir: Option<PathBuf>,
    /// The file holding the random functions' secret seed; `BOSUN_RANDOM_SEED` when absent
    /// (fresh randomness when neither is set).
    pub random_seed_file: Option<PathBuf>,
    /// `--lookup-file`: objects (`kubectl get -o yaml`) that Helm's `lookup` answers from.
    pub lookup_file: Option<PathBuf>,
}

impl Request {
    /// A request for `chart` with no values, release `chart`'s name, namespace `default`, the
    /// newest Kubernetes, validation on.
    pub fn new(chart: impl Into<PathBuf>) -> Request {
        Request {
            chart: chart.into(),
            values: ValueOptions::default(),
            release_name: None,
            namespace: "default".into(),
            kube_version: None,
            api_versions: Vec::new(),
            is_upgrade: false,
            show_only: Vec::new(),
            include_crds: false,
            validate: true,
            schemas: SchemaSources::default(),
            state_dir: None,
            random_seed_file: None,
            lookup_file: None,
        }
    }
}

/// A chart rendered (and validated) as a request says, and where its record lives.
pub struct Rendered {
    /// In install order, filtered by `show_only`.
    pub documents: Vec<Document>,
    /// One verdict per rendered document, in rendered order; empty when validation is off.
    pub outcomes: Vec<Outcome>,
    /// The merged values, each leaf with its origin.
    pub values: Node,
    pub record: Record,
    /// The chart, environment, release and namespace, for `bosun diff`'s heading.
    pub about: diff::About,
    /// The schemas the documents were checked against; `None` when validation is off.
    pub catalog: Option<Catalog>,
    pub kube_version: KubeVersion,
    /// What to tell the user that does not stop the render.
    pub warnings: Vec<String>,
    require_schemas: bool,
    /// What was rendered and how, to trace a template again when a finding asks where its
    /// field came from.
    chart: Chart,
    render_options: RenderOptions,
}

/// Where a render is recorded for `bosun diff`.
pub struct Record {
    pub path: PathBuf,
    /// A record an earlier bosun left, which may hold Secret values in plain text.
    pub legacy: Option<PathBuf>,
}

/// Runs the pipeline for `request`; `stdin` is read for a `-f -` values file.
pub fn render(request: &Request, stdin: &mut dyn Read) -> Result<Rendered, Error> {
    let chart = Chart::load(&request.chart)?;
    // The Go templates are parsed on another core while the values are layered and the
    // catalog is built; the render takes what is parsed and parses the rest. The work ahead
    // goes to rayon's threads, not threads of its own: each new thread costs its start and
    // fresh allocator pages for every size of block it uses (bench/README.md, ninth round).
    let preparse = Preparse::start(&chart);
    // The chart's CRD files, read by the catalog if a document needs them.
    let crds = request.validate.then(|| catalog::chart_crds(&chart));
    let values = values::layer(&chart, &request.values, stdin)?;
    let kube_version = catalog::kube_version(request.kube_version.as_deref())?;
    let environment = request.values.env.clone();
    let release = request
        .release_name
        .clone()
        .unwrap_or_else(|| chart.name().to_string());
    let rest = Rest {
        request,
        chart: &chart,
        release: &release,
        environment: &environment,
        kube_version,
        crds,
        preparse,
    };
    let Rendering {
        documents,
        outcomes,
        catalog,
        render_options,
    } = if request.validate {
        // The values' schema checks feed nothing the render needs, so they run beside it on
        // another core. Their errors still come first, in the order they always came: the
        // root chart's values, the tree, the subcharts' values, then the rest.
        let tree = render::enabled_tree(&chart, &values);
        let parts = match tree {
            Ok(parts) => parts,
            Err(error) => {
                validate::check_values(&chart, &values)?;
                return Err(error);
            }
        };
        let has_schema =
            |part: &render::tree::Part| part.chart.dir.join("values.schema.json").is_file();
        if !parts.iter().any(has_schema) {
            // Nothing to check: no thread to start.
            rest.render(|| Ok(parts.as_slice()))?
        } else {
            // The render may run on one of rayon's threads here, so nothing it waits for (the
            // CRD files' parse, texts the preparse job has claimed, key generation's helper
            // thread) may itself wait for rayon's threads: see catalog::parse_crd_files.
            let (checked, rendered) = rayon::join(
                || check_all_values(&chart, &values, &parts),
                || rest.render(|| Ok(parts.as_slice())),
            );
            checked?;
            rendered?
        }
    } else {
        rest.render(|| render::enabled_tree(&chart, &values))?
    };
    let mut warnings = Vec::new();
    if request.release_name.is_none()
        && let Err(rule) = crate::names::release_name(&release)
    {
        // `--release-name` is checked when the command line is read; a chart's name may hold
        // what a release name may not (`my_chart`), which Helm would refuse at install.
        warnings.push(format!(
            "the release name `{release}` (the chart's name) is not one Helm accepts: {rule}\nhelp: give --release-name"
        ));
    }
    let state_dir = state::state_dir(request.state_dir.as_deref(), &request.chart);
    Ok(Rendered {
        documents,
        outcomes,
        record: Record {
            path: state::record_path(
                &state_dir,
                environment.as_deref(),
                &request.namespace,
                &release,
            ),
            legacy: state::legacy_record(&state_dir, environment.as_deref(), &release),
        },
        about: diff::About {
            chart: chart.name().to_string(),
            environment,
            release,
            namespace: request.namespace.clone(),
            baseline: diff::Baseline::NoRecord {
                path: String::new(),
            },
        },
        values,
        catalog,
        kube_version,
        warnings,
        require_schemas: request.schemas.require_schemas,
        chart,
        render_options,
    })
}

/// The root chart's values and every enabled subchart's, each against its own
/// `values.schema.json`, in that order.
fn check_all_values(
    chart: &Chart,
    values: &Node,
    parts: &[render::tree::Part],
) -> Result<(), Error> {
    validate::check_values(chart, values)?;
    for (subchart, section, at) in render::subchart_values(parts) {
        validate::check_values_at(subchart, section, &at)?;
    }
    Ok(())
}

/// What a render does once the values are layered, apart from checking them.
struct Rest<'a> {
    request: &'a Request,
    chart: &'a Chart,
    release: &'a str,
    environment: &'a Option<String>,
    kube_version: KubeVersion,
    /// The chart's CRD files, when the documents are validated.
    crds: Option<catalog::ChartCrdFiles>,
    preparse: Option<Preparse>,
}

/// What [`Rest::render`] hands back.
struct Rendering {
    documents: Vec<Document>,
    outcomes: Vec<Outcome>,
    catalog: Option<Catalog>,
    render_options: RenderOptions,
}

impl Rest<'_> {
    /// Checks the release's names, builds the render options and the schema catalog, then
    /// renders the tree `parts` gives (worked out here, after the names are checked, when the
    /// values are not validated). The errors come in the order the steps are listed.
    fn render<'p, P>(self, parts: impl FnOnce() -> Result<P, Error>) -> Result<Rendering, Error>
    where
        P: std::ops::Deref<Target = [render::tree::Part<'p>]>,
    {
        let request = self.request;
        // Both name the record's path, so neither may climb out of the state folder.
        state::check_name("namespace", &request.namespace, 63, false)?;
        state::check_name("release name", self.release, 253, true)?;
        let render_options = RenderOptions {
            release: Release {
                name: self.release.to_string(),
                namespace: request.namespace.clone(),
                revision: 1,
                is_upgrade: request.is_upgrade,
            },
            capabilities: Capabilities {
                kube_given: request.kube_version.clone(),
                ..Capabilities::new(self.kube_version, &request.api_versions)
            },
            environment: self.environment.clone(),
            show_only: request.show_only.clone(),
            include_crds: request.include_crds,
            random_seed: RandomSeed::find(request.random_seed_file.as_deref())?,
            lookup: match &request.lookup_file {
                Some(path) => Some(std::sync::Arc::new(Cluster::read(path)?)),
                None => None,
            },
        };
        let catalog = match self.crds {
            Some(crds) => Some(catalog::catalog(self.kube_version, &request.schemas, crds)?),
            None => None,
        };
        let policy = Policy::default();
        let checks = catalog.as_ref().map(|catalog| Checks {
            catalog,
            policy: &policy,
            lenient_keys: false,
        });
        let parts = parts()?;
        let (documents, outcomes) = render::render_tree(
            self.chart,
            &parts,
            &render_options,
            checks.as_ref(),
            self.preparse.as_ref(),
        )?;
        if let Some(catalog) = &catalog {
            catalog::check_chart_crds(catalog)?;
        }
        Ok(Rendering {
            documents,
            outcomes,
            catalog,
            render_options,
        })
    }
}

impl Rendered {
    /// The verdicts taken together: an error when a document is invalid (or has no schema and
    /// one is required), otherwise the kinds that went unchecked for want of a schema.
    pub fn judge(&self) -> Result<Vec<String>, Error> {
        let failures: Vec<Outcome> = self
            .outcomes
            .iter()
            .filter(|o| o.is_invalid() || o.is_error())
            .cloned()
            .collect();
        let mut skipped: Vec<String> = self
            .outcomes
            .iter()
            .filter(|o| o.is_skipped())
            .map(|o| format!("{} {}", o.resource.api_version, o.resource.kind))
            .collect();
        skipped.sort();
        skipped.dedup();
        if !failures.is_empty() || (self.require_schemas && !skipped.is_empty()) {
            let mut origins = self.origins();
            let missing_schemas = if self.require_schemas {
                skipped
            } else {
                Vec::new()
            };
            return Err(Error::Invalid {
                kube_version: self.kube_version.to_string(),
                documents: failures.len(),
                findings: report::failure_findings(
                    &failures,
                    &missing_schemas,
                    &mut |outcome, violation| {
                        origins.of(&outcome.source, &outcome.resource, &violation.path)
                    },
                ),
            });
        }
        Ok(skipped)
    }

    /// Where the fields of this render's documents came from: template and values lines.
    pub fn origins(&self) -> Origins<'_> {
        Origins::new(&self.chart, &self.values, &self.render_options)
    }

    /// The documents to record for `bosun diff`: all but the CRDs, which `bosun diff` does not
    /// render.
    pub fn to_record(&self) -> Vec<&Document> {
        self.recorded().collect()
    }

    /// [`Rendered::to_record`], one at a time.
    pub fn recorded(&self) -> impl Iterator<Item = &Document> + Clone {
        self.documents
            .iter()
            .filter(|d| !d.source.contains("/crds/"))
    }
}

/// The merged values of a chart, without rendering it (`bosun values`).
pub fn values(
    chart: &std::path::Path,
    options: &ValueOptions,
    stdin: &mut dyn Read,
) -> Result<Node, Error> {
    let chart = Chart::load(chart)?;
    values::layer(&chart, options, stdin)
}

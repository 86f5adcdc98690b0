//! The seam between the render stage and a template engine.
//!
//! A template engine takes a chart and what its templates may see ([`Inputs`]: the merged
//! values, the release, the cluster's capabilities, the environment) and renders the chart's
//! templates to text, one template file at a time ([`TemplateEngine::render`]). That text is all
//! the later stages get: splitting into documents, parsing, validation, lint, diff and the
//! record work on the text and never ask which engine wrote it.
//!
//! An engine's error is an [`Error::Template`] whose snippet names the template file, line and
//! column (and draws the line with a caret); a runaway template must stop with an error (fuel,
//! recursion, output size) rather than hang.
//!
//! Today's engine is minijinja, set up for YAML (`render/jinja/`). A second engine
//! (Helm's Go templates, a crate of its own exposing `Template::parse(name, text)` and
//! `execute(&data) -> Result<String, Error>`) plugs in as another [`TemplateEngine`]: it parses
//! the chart's templates and partials once in its constructor, builds its data from [`Inputs`]
//! (`.Values`, `.Release`, `.Capabilities`, `.Chart`, `.Template`), maps its errors' positions
//! to source snippets (`diagnostics::SourceSnippet`), and [`for_chart`] chooses it for the charts it renders.

use crate::chart::Chart;
use crate::error::Error;
use crate::kube_version::KubeVersion;
use crate::render::gotpl::RandomSeed;
use crate::render::trace::Traced;
use crate::render::{gotpl, jinja};
use crate::values::Node;

/// What the templates of one chart see, whatever the engine calls it.
pub struct Inputs<'a> {
    pub chart: &'a Chart,
    /// The chart's merged values (a subchart's own, with `global`).
    pub values: &'a Node,
    pub release: &'a Release,
    pub capabilities: &'a Capabilities,
    /// The `--env` name.
    pub environment: Option<&'a str>,
    /// The secret seed that makes random functions reproducible; fresh randomness when absent.
    pub random_seed: Option<&'a RandomSeed>,
}

/// A chart's templates, ready to render one file at a time, from many threads at once.
pub trait TemplateEngine: Sync {
    /// Renders the template `name` (its path under `templates/`: `deployment.yaml`), known to
    /// the user as `source` (`chart/templates/deployment.yaml`, as `# Source:` shows it and
    /// templates read it as the template's name).
    fn render(&self, name: &str, source: &str) -> Result<String, Error>;

    /// Renders `name` as [`TemplateEngine::render`] does, handing the text to `out` piece by
    /// piece as it is written (an engine that cannot, all at once at the end).
    fn render_to(&self, name: &str, source: &str, out: &mut dyn FnMut(&[u8])) -> Result<(), Error> {
        out(self.render(name, source)?.as_bytes());
        Ok(())
    }

    /// Renders `name` as [`TemplateEngine::render`] does, with the template line that wrote each
    /// line of the text, as far as the engine can tell ([`crate::render::trace`]). Slower:
    /// asked only for templates that have findings.
    fn render_traced(&self, name: &str, source: &str) -> Result<Traced, Error>;
}

/// The engine that renders `inputs.chart`, as its Chart.yaml's `engine` says: `gotpl` for
/// Helm's Go templates, else bosun's Jinja. `prefix` is what comes before the chart's name in
/// its templates' names (`parent/charts/` for a subchart).
/// A Go chart's templates come from `go_tree`, the whole tree's, parsed once.
pub fn for_chart<'a>(
    inputs: Inputs<'a>,
    prefix: &str,
    go_tree: &'a gotpl::GoTree,
) -> Box<dyn TemplateEngine + 'a> {
    if gotpl::is_go(inputs.chart) {
        return Box::new(gotpl::GoTemplates::new(inputs, prefix, go_tree));
    }
    Box::new(jinja::Jinja::new(inputs))
}

/// The API group versions every supported Kubernetes (1.29 and later) serves.
const BUILT_IN_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "apiextensions.k8s.io/v1",
    "apiregistration.k8s.io/v1",
    "apps/v1",
    "authentication.k8s.io/v1",
    "authorization.k8s.io/v1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "certificates.k8s.io/v1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "events.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1",
    "networking.k8s.io/v1",
    "node.k8s.io/v1",
    "policy/v1",
    "rbac.authorization.k8s.io/v1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1",
];

/// What the target cluster offers, as far as templates may ask.
#[derive(Debug, Clone)]
pub struct Capabilities {
    pub kube_version: KubeVersion,
    /// Built-in group versions plus every `--api-versions` given.
    pub api_versions: Vec<String>,
    /// `--kube-version` as given, for `.Capabilities.KubeVersion.Version` (Helm prints `v` and
    /// the text: `v1.31`, `v1.31.2`).
    pub kube_given: Option<String>,
}

impl Capabilities {
    pub fn new(kube_version: KubeVersion, extra: &[String]) -> Capabilities {
        let mut api_versions: Vec<String> = BUILT_IN_API_VERSIONS
            .iter()
            .map(|s| s.to_string())
            .collect();
        for version in extra {
            if !api_versions.contains(version) {
                api_versions.push(version.clone());
            }
        }
        Capabilities {
            kube_version,
            api_versions,
            kube_given: None,
        }
    }

    /// The cluster's version as it reports it: `--kube-version` as Helm prints it, else
    /// `v1.35.0`.
    pub fn git_version(&self) -> String {
        match &self.kube_given {
            Some(given) => format!("v{}", given.trim().trim_start_matches('v')),
            None => self.kube_version.git_version(),
        }
    }
}

/// The release being rendered.
#[derive(Debug, Clone)]
pub struct Release {
    pub name: String,
    pub namespace: String,
    pub revision: u64,
    pub is_upgrade: bool,
}

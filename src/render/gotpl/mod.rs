//! Helm's Go templates, behind the render stage's [`TemplateEngine`] seam: the `gotmpl` crate
//! (Go's text/template) set up as Helm sets it up — `missingkey=zero` with `<no value>`
//! removed, the objects `.Values`, `.Release`, `.Chart`, `.Capabilities`, `.Template` and
//! `.Files`, sprig's functions (the `sprig` crate) and Helm's own ([`helm`]). Every chart is
//! read this way unless its Chart.yaml says `engine: jinja`, so Helm's charts render unchanged.
//!
//! Every template of the chart tree is parsed once into one set ([`GoTree`]), named as Helm
//! names them (`chart/templates/x.yaml`, `chart/charts/sub/templates/_helpers.tpl`), so a
//! `define` anywhere in the tree — a parent's too — can be `include`d from any chart.

mod errors;
mod go_json;
mod go_yaml;
mod helm;
mod lookup;
mod objects;
mod preparse;
mod seed;

pub use lookup::Cluster;
pub use preparse::Preparse;
pub use seed::RandomSeed;

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use gotmpl::{Engine, Options, Value};
use rayon::prelude::*;

use crate::chart::Chart;
use crate::diagnostics::{SourceSnippet, TemplateLine};
use crate::error::Error;
use crate::render::RenderOptions;
use crate::render::engine::{Inputs, TemplateEngine};
use crate::render::trace::Traced;
use crate::render::tree::Part;

/// Every Go template of a chart tree, parsed once into one set.
pub struct GoTree {
    engine: Engine,
    /// Template name as parsed → file on disk and its text, for error snippets.
    files: HashMap<String, (String, Arc<str>)>,
}

impl GoTree {
    /// The tree of a chart tree without Go templates (Jinja charts alone): no functions
    /// registered, nothing parsed.
    pub fn empty() -> GoTree {
        GoTree {
            engine: Engine::with_options(Options::helm()),
            files: HashMap::new(),
        }
    }

    /// Parses the templates of every chart of `charts` (each with its prefix, `parent/charts/`
    /// for a subchart) that is written in Go templates; `root` is the chart rendered. With a
    /// random seed, sprig's random functions draw from the release's key (release name,
    /// namespace, root chart) and the call site.
    pub fn parse<'c>(
        root: &Chart,
        charts: impl IntoIterator<Item = (&'c Chart, &'c str)>,
        options: &RenderOptions,
    ) -> Result<GoTree, Error> {
        GoTree::parse_with(root, charts, options, None)
    }

    /// [`GoTree::parse`], taking the texts `preparse` has parsed ahead.
    pub fn parse_with<'c>(
        root: &Chart,
        charts: impl IntoIterator<Item = (&'c Chart, &'c str)>,
        options: &RenderOptions,
        preparse: Option<&Preparse>,
    ) -> Result<GoTree, Error> {
        let release = &options.release;
        let random = sprig::Options {
            key: options
                .random_seed
                .as_ref()
                .map(|seed| seed.release_key(&release.name, &release.namespace, root.name())),
            ..Default::default()
        };
        let unseeded = match (preparse, random.key) {
            (Some(preparse), None) => preparse.engine(),
            _ => None,
        };
        let mut engine = unseeded.unwrap_or_else(|| {
            let mut engine = Engine::with_options(Options::helm());
            // As Helm builds its function map: sprig's, then Helm's own over them.
            sprig::register_with(&mut engine, &random);
            helm::register(&mut engine);
            engine
        });
        if let Some(cluster) = options.lookup.clone() {
            engine.add_function("lookup", move |_, args| {
                let text =
                    |index: usize| args.get(index).map(ToString::to_string).unwrap_or_default();
                let found = cluster.lookup(&text(0), &text(1), &text(2), &text(3));
                Ok(lookup::to_template(&found))
            });
        }
        let mut files = HashMap::new();
        for (chart, prefix) in charts {
            if !is_go(chart) {
                continue;
            }
            for (name, file) in &chart.templates {
                let full = chart.source_name(prefix, name);
                files.insert(
                    full.clone(),
                    (file.path.display().to_string(), Arc::clone(&file.source)),
                );
            }
        }
        // Helm parses in a fixed order; partials first, so a file's own `define` wins as Go's
        // last definition does.
        let mut names: Vec<&String> = files.keys().collect();
        names.sort();
        // Each distinct text is parsed once, under the first name that has it (each subchart's
        // copy of Bitnami's `common` is the same text); a name whose text fails is the first
        // that has it, so the error is the one parsing every name would give.
        let mut parsed: HashMap<TextKey, gotmpl::ParsedText> = HashMap::new();
        let mut ahead = preparse
            .map(|preparse| preparse.finish(files.values().map(|(_, text)| text), &engine))
            .unwrap_or_default();
        for name in names {
            let (path, text) = &files[name];
            let entry = parsed.entry(TextKey(text));
            if let Entry::Vacant(_) = entry
                && let Some(parse) = ahead.remove(&preparse::address(text))
            {
                engine.add_parsed(name, entry.or_insert(parse));
                continue;
            }
            let parsed_text = match entry {
                Entry::Occupied(entry) => entry.into_mut(),
                Entry::Vacant(entry) => {
                    let parse = engine.parse_source(name, Arc::clone(text)).map_err(|e| {
                        let mut error = template_error(&e, &files, Some((path, text)));
                        if e.kind() == gotmpl::ErrorKind::Syntax
                            && chart_named_no_engine(root, name)
                            && let Error::Template { help, .. } = &mut error
                        {
                            *help = Some(JINJA_HINT.to_string());
                        }
                        error
                    })?;
                    entry.insert(parse)
                }
            };
            engine.add_parsed(name, parsed_text);
        }
        Ok(GoTree { engine, files })
    }
}

/// The engine with sprig's functions and Helm's own over them (as Helm builds its function
/// map), drawing fresh randomness.
fn unseeded_engine() -> Engine {
    let mut engine = Engine::with_options(Options::helm());
    sprig::register_with(&mut engine, &sprig::Options::default());
    helm::register(&mut engine);
    engine
}

/// A template's text as a map key, hashed by its length and ends only: texts are kilobytes,
/// and two of the same length and ends are nearly always copies of one file, which equality
/// then compares whole.
#[derive(PartialEq, Eq)]
struct TextKey<'t>(&'t str);

impl std::hash::Hash for TextKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        const ENDS: usize = 64;
        let bytes = self.0.as_bytes();
        bytes.len().hash(state);
        bytes[..bytes.len().min(ENDS)].hash(state);
        bytes[bytes.len().saturating_sub(ENDS)..].hash(state);
    }
}

/// How many parsed trees a process keeps until it exits instead of freeing them.
const TREES_KEPT: usize = 2;

/// Freeing a tree's templates (Bitnami's `common` alone is tens of thousands of small
/// allocations) cost 3.5% of a `bosun render`, which exits right after and whose memory the
/// system takes back at once. The first trees a process parses are kept until it exits; later
/// ones (a repository's many releases) are freed as usual, so at most [`TREES_KEPT`] are held.
impl Drop for GoTree {
    fn drop(&mut self) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static KEPT: AtomicUsize = AtomicUsize::new(0);
        if KEPT.fetch_add(1, Ordering::Relaxed) < TREES_KEPT {
            std::mem::forget(std::mem::take(&mut self.engine));
            std::mem::forget(std::mem::take(&mut self.files));
        }
    }
}

/// One chart's Go templates, from the tree's set, and the data they all see.
pub struct GoTemplates<'t> {
    tree: &'t GoTree,
    /// `.Values`, `.Release`, `.Chart`, `.Capabilities`, `.Files`, `.Subcharts` (`.Template`
    /// is per file).
    data: BTreeMap<String, Value>,
    prefix: String,
}

impl<'t> GoTemplates<'t> {
    /// The templates of `inputs.chart` in `tree`; `prefix` is what comes before the chart's
    /// name in its templates' names (`parent/charts/` for a subchart).
    pub fn new(inputs: Inputs, prefix: &str, tree: &'t GoTree) -> GoTemplates<'t> {
        let mut data = objects::data(&inputs, true);
        data.insert("Values".into(), objects::values(inputs.values));
        GoTemplates::with_data(data, prefix, tree)
    }

    /// The templates of a chart whose data ([`tree_data`]) is built.
    pub fn with_data(
        data: BTreeMap<String, Value>,
        prefix: &str,
        tree: &'t GoTree,
    ) -> GoTemplates<'t> {
        // Frozen once here rather than copied for every template: each template's render
        // copies only the maps it changes (`gotmpl::Value::freeze`).
        let data = data.into_iter().map(|(k, v)| (k, v.freeze())).collect();
        GoTemplates {
            tree,
            data,
            prefix: prefix.to_string(),
        }
    }
}

/// The data of every Go chart of the tree (`None` for the others), each with `.Subcharts`: its
/// enabled subcharts' data by name, as Helm gives it.
pub fn tree_data(parts: &[Part], options: &RenderOptions) -> Vec<Option<BTreeMap<String, Value>>> {
    // Each chart's own data on rayon's threads, side by side: turning a chart's values into
    // Go's is most of the work (1-2 ms for a tree of six charts, such as mastodon's).
    let mut all: Vec<BTreeMap<String, Value>> = parts
        .par_iter()
        .enumerate()
        .map(|(index, part)| {
            let mut own = objects::data(&part.inputs(options), index == 0);
            own.insert("Values".into(), objects::values(&part.values));
            own
        })
        .collect();
    // Children come after their parent: from the end, so that theirs hold their own
    // `.Subcharts` when copied in.
    for index in (0..parts.len()).rev() {
        let subcharts = parts[index]
            .children
            .iter()
            .map(|&child| {
                (
                    parts[child].chart.name().to_string(),
                    Value::map(all[child].clone()),
                )
            })
            .collect();
        all[index].insert("Subcharts".into(), Value::map(subcharts));
    }
    all.into_iter()
        .zip(parts)
        .map(|(data, part)| is_go(part.chart).then_some(data))
        .collect()
}

impl GoTemplates<'_> {
    /// What the template `name`, known as `source`, sees as dot.
    fn data_for(&self, name: &str, source: &str) -> Value {
        // Maps are shared and `set` changes them in place, as Go's do; the data is frozen, so
        // each template's changes stay in its own render and templates rendering in parallel
        // never see each other's (Helm renders them one after another, in name order, on one
        // shared copy).
        let mut data = self.data.clone();
        // Helm's BasePath is the chart's templates folder (`chart/templates`), whatever
        // subfolder the file is in.
        let base_path = source
            .strip_suffix(name)
            .map_or(source, |base| base.trim_end_matches('/'));
        data.insert(
            "Template".into(),
            Value::map(BTreeMap::from([
                ("Name".to_string(), Value::str(source)),
                ("BasePath".to_string(), Value::str(base_path)),
            ])),
        );
        debug_assert!(source.starts_with(&self.prefix));
        Value::map(data)
    }
}

impl TemplateEngine for GoTemplates<'_> {
    fn render(&self, name: &str, source: &str) -> Result<String, Error> {
        self.tree
            .engine
            .render(source, &self.data_for(name, source))
            .map_err(|e| template_error(&e, &self.tree.files, None))
    }

    fn render_traced(&self, name: &str, source: &str) -> Result<Traced, Error> {
        let files = &self.tree.files;
        let (text, lines) = self
            .tree
            .engine
            .render_traced(source, &self.data_for(name, source))
            .map_err(|e| template_error(&e, files, None))?;
        let mut traced = Traced {
            text,
            ..Traced::default()
        };
        for line in lines {
            let origin = line.and_then(|at| {
                let (path, text) = files.get(&at.template)?;
                traced
                    .sources
                    .entry(path.clone())
                    .or_insert_with(|| text.to_string());
                Some(TemplateLine {
                    file: path.clone(),
                    line: at.line,
                })
            });
            traced.lines.push(origin);
        }
        Ok(traced)
    }
}

/// A gotmpl error as bosun's: the message as Helm words it, and the template line with a caret
/// when the error knows where it happened (the innermost one, and help: [`errors`]).
fn template_error(
    error: &gotmpl::Error,
    files: &HashMap<String, (String, Arc<str>)>,
    parsing: Option<(&String, &Arc<str>)>,
) -> Error {
    let sources = errors::Sources { files, parsing };
    let snippet: Option<SourceSnippet> = errors::snippet(error, &sources);
    Error::Template {
        message: error.to_string(),
        snippet: snippet.map(Box::new),
        help: errors::help(error, &sources),
    }
}

const JINJA_HINT: &str = "this chart's templates are read as Helm's Go templates (`engine: gotpl`, the default when Chart.yaml names no engine); if it is written for bosun's Jinja templates, say `engine: jinja` in its Chart.yaml";

/// Whether the template `name` (a full template name) belongs to a chart of the tree whose
/// Chart.yaml names no engine.
fn chart_named_no_engine(chart: &Chart, name: &str) -> bool {
    let mut pending = vec![chart];
    while let Some(chart) = pending.pop() {
        if chart.metadata.engine.is_none() && name.contains(&format!("{}/templates/", chart.name()))
        {
            return true;
        }
        pending.extend(chart.dependencies.iter().map(|d| &d.chart));
    }
    false
}

/// Whether `chart` is written in Go templates: unless its Chart.yaml says `engine: jinja`, as
/// Helm reads every chart.
pub fn is_go(chart: &Chart) -> bool {
    chart.metadata.engine.as_deref() != Some("jinja")
}

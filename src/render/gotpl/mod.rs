//! Helm's Go templates, behind the render stage's [`TemplateEngine`] seam: the `gotmpl` crate
//! (Go's text/template) set up as Helm sets it up — `missingkey=zero` with `<no value>`
//! removed, the objects `.Values`, `.Release`, `.Chart`, `.Capabilities`, `.Template` and
//! `.Files`, sprig's functions (the `sprig` crate) and Helm's own ([`helm`]). Every chart is
//! read this way unless its Chart.yaml says `engine: jinja`, so Helm's charts render unchanged.
//!
//! Every template of the chart and of its dependencies is parsed into one set, named as Helm
//! names them (`chart/templates/x.yaml`, `chart/charts/sub/templates/_helpers.tpl`), so a
//! `define` anywhere in the tree can be `include`d.

mod errors;
mod go_json;
mod go_yaml;
mod helm;
mod objects;

use std::collections::{BTreeMap, HashMap};

use gotmpl::{Engine, Options, Value};

use crate::chart::Chart;
use crate::diagnostics::SourceSnippet;
use crate::error::Error;
use crate::render::engine::{Inputs, TemplateEngine};

/// A chart's Go templates, parsed once, and the data they all see.
pub struct GoTemplates {
    engine: Engine,
    /// Template name as parsed → file on disk and its text, for error snippets.
    files: HashMap<String, (String, String)>,
    /// `.Values`, `.Release`, `.Chart`, `.Capabilities`, `.Files` (`.Template` is per file).
    data: BTreeMap<String, Value>,
    prefix: String,
}

impl GoTemplates {
    /// Parses every template of `inputs.chart` and its dependencies; `prefix` is what comes
    /// before the chart's name in its templates' names (`parent/charts/` for a subchart).
    pub fn new(inputs: Inputs, prefix: &str) -> Result<GoTemplates, Error> {
        let mut engine = Engine::with_options(Options::helm());
        // As Helm builds its function map: sprig's, then Helm's own over them.
        sprig::register(&mut engine);
        helm::register(&mut engine);
        let mut files = HashMap::new();
        let mut pending = vec![(inputs.chart, prefix.to_string())];
        while let Some((chart, prefix)) = pending.pop() {
            for (name, file) in &chart.templates {
                let full = chart.source_name(&prefix, name);
                files.insert(
                    full.clone(),
                    (file.path.display().to_string(), file.source.to_string()),
                );
            }
            let sub_prefix = format!("{prefix}{}/charts/", chart.name());
            for dependency in &chart.dependencies {
                pending.push((&dependency.chart, sub_prefix.clone()));
            }
        }
        // Helm parses in a fixed order; partials first, so a file's own `define` wins as Go's
        // last definition does.
        let mut names: Vec<&String> = files.keys().collect();
        names.sort();
        for name in names {
            let (path, text) = &files[name];
            engine.add_template(name, text).map_err(|e| {
                let mut error = template_error(&e, &files, Some((path, text)));
                if e.kind() == gotmpl::ErrorKind::Syntax
                    && chart_named_no_engine(inputs.chart, name)
                    && let Error::Template { help, .. } = &mut error
                {
                    *help = Some(JINJA_HINT.to_string());
                }
                error
            })?;
        }
        let data = objects::data(&inputs);
        Ok(GoTemplates {
            engine,
            files,
            data,
            prefix: prefix.to_string(),
        })
    }
}

impl TemplateEngine for GoTemplates {
    fn render(&self, name: &str, source: &str) -> Result<String, Error> {
        // Maps are shared and `set` changes them in place, as Go's do; each template gets its
        // own copy of the values, so templates rendering in parallel never see each other's
        // changes (Helm renders them one after another, in name order, on one shared copy).
        let mut data = self.data.clone();
        if let Some(values) = data.get_mut("Values") {
            *values = values.deep_copy();
        }
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
        self.engine
            .render(source, &Value::map(data))
            .map_err(|e| template_error(&e, &self.files, None))
    }
}

/// A gotmpl error as bosun's: the message as Helm words it, and the template line with a caret
/// when the error knows where it happened (the innermost one, and help: [`errors`]).
fn template_error(
    error: &gotmpl::Error,
    files: &HashMap<String, (String, String)>,
    parsing: Option<(&String, &String)>,
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

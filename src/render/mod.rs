//! Rendering a chart: each template of the chart and of its enabled subcharts, in parallel,
//! then the documents parsed, sorted in install order and filtered by `--show-only`.

pub mod engine;
pub(crate) mod gotpl;
pub(crate) mod jinja;
pub mod trace;

use rayon::prelude::*;

use crate::chart::Chart;
use crate::error::Error;
use crate::manifest::{self, Checks, Document, Parsed, RenderedTemplate};
use crate::render::engine::{Capabilities, Inputs, Release};
use crate::values::{self, Node};
use crate::yaml;

/// What to render besides the chart and its values.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub release: Release,
    pub capabilities: Capabilities,
    /// The `--env` name, for the `environment` variable.
    pub environment: Option<String>,
    /// `--show-only`: template paths (`templates/x.yaml`) whose documents to keep.
    pub show_only: Vec<String>,
    pub include_crds: bool,
    /// `--random-seed-file` or `BOSUN_RANDOM_SEED`: reproducible random functions.
    pub random_seed: Option<gotpl::RandomSeed>,
}

/// Renders `chart` with merged `values` into sorted documents, checking each with `checks`
/// (the outcomes come in the documents' rendered order).
pub fn render(
    chart: &Chart,
    values: &Node,
    options: &RenderOptions,
    checks: Option<&Checks>,
) -> Result<Parsed, Error> {
    let rendered = render_templates(chart, values, options)?;
    let (mut documents, outcomes) = manifest::parse(&rendered, checks)?;
    drop(rendered);
    manifest::sort_by_kind(&mut documents);
    if options.include_crds {
        let mut crds = crd_documents(chart, "")?;
        crds.append(&mut documents);
        documents = crds;
    }
    if !options.show_only.is_empty() {
        documents = show_only(documents, &options.show_only)?;
    }
    Ok((documents, outcomes))
}

/// The text of every template of the chart and its enabled subcharts, in template order.
pub fn render_templates(
    chart: &Chart,
    values: &Node,
    options: &RenderOptions,
) -> Result<Vec<RenderedTemplate>, Error> {
    let mut rendered = Vec::new();
    render_chart(chart, values, options, "", &mut rendered)?;
    Ok(rendered)
}

fn render_chart(
    chart: &Chart,
    values: &Node,
    options: &RenderOptions,
    prefix: &str,
    out: &mut Vec<RenderedTemplate>,
) -> Result<(), Error> {
    if chart.is_library() {
        return Ok(());
    }
    let engine = engine::for_chart(
        Inputs {
            chart,
            values: values.to_value(),
            release: &options.release,
            capabilities: &options.capabilities,
            environment: options.environment.as_deref(),
            random_seed: options.random_seed.as_ref(),
        },
        prefix,
    )?;
    let names: Vec<&String> = chart
        .templates
        .keys()
        .filter(|name| Chart::is_rendered(name) || name.as_str() == "NOTES.txt")
        .collect();
    let results: Vec<Result<RenderedTemplate, Error>> = names
        .par_iter()
        .map(|name| {
            let source = chart.source_name(prefix, name);
            let text = engine.render(name, &source)?;
            Ok(RenderedTemplate {
                source,
                shown: chart.templates[*name].path.display().to_string(),
                text,
            })
        })
        .collect();
    for result in results {
        let template = result?;
        // NOTES.txt is rendered so its errors surface, but it is not a manifest.
        if !template.source.ends_with("/NOTES.txt") {
            out.push(template);
        }
    }

    let sub_prefix = format!("{prefix}{}/charts/", chart.name());
    for dependency in &chart.dependencies {
        if dependency.chart.is_library() || !enabled(values, dependency.spec.condition.as_deref()) {
            continue;
        }
        let sub_values = subchart_values(values, dependency);
        render_chart(&dependency.chart, &sub_values, options, &sub_prefix, out)?;
    }
    Ok(())
}

/// The values a dependency's templates see: its own defaults, its section of `values`, and
/// `global`.
fn subchart_values(values: &Node, dependency: &crate::chart::Dependency) -> Node {
    let sub = &dependency.chart;
    let defaults = sub.values.clone().map(|located| {
        Node::from_located(
            located,
            &sub.dir.join("values.yaml").display().to_string(),
            1,
        )
    });
    values::for_subchart(values, dependency.spec.values_key(), defaults)
}

/// A dependency's `condition`: the first of its comma-separated paths that holds a boolean
/// decides; none does, and the dependency is enabled.
fn enabled(values: &Node, condition: Option<&str>) -> bool {
    let Some(condition) = condition else {
        return true;
    };
    for path in condition.split(',').map(str::trim) {
        if let Some(Node::Leaf(serde_json::Value::Bool(on), _)) = values.get(path) {
            return *on;
        }
    }
    true
}

fn crd_documents(chart: &Chart, prefix: &str) -> Result<Vec<Document>, Error> {
    let mut documents = Vec::new();
    for (name, text) in &chart.crds {
        let shown = chart.dir.join(name).display().to_string();
        for value in yaml::parse_stream(text).map_err(|e| e.into_error(&shown, text))? {
            documents.push(Document::new(
                format!("{prefix}{}/{name}", chart.name()),
                &value,
            ));
        }
    }
    let sub_prefix = format!("{prefix}{}/charts/", chart.name());
    for dependency in &chart.dependencies {
        documents.extend(crd_documents(&dependency.chart, &sub_prefix)?);
    }
    Ok(documents)
}

fn show_only(documents: Vec<Document>, wanted: &[String]) -> Result<Vec<Document>, Error> {
    let matches =
        |source: &str, want: &str| source == want || source.ends_with(&format!("/{want}"));
    for want in wanted {
        if !documents.iter().any(|d| matches(&d.source, want)) {
            let mut available: Vec<String> = documents.iter().map(|d| d.source.clone()).collect();
            available.dedup();
            available.sort();
            available.dedup();
            return Err(Error::ShowOnly {
                name: want.clone(),
                available,
            });
        }
    }
    Ok(documents
        .into_iter()
        .filter(|d| wanted.iter().any(|w| matches(&d.source, w)))
        .collect())
}

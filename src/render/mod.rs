//! Rendering a chart: which subcharts are on and the values of each (`tree.rs`), each template
//! of the chart and of its enabled subcharts, in parallel, then the documents parsed, sorted in
//! Helm's order (install order of kind, template name, hooks last) and filtered by
//! `--show-only`.

pub mod engine;
pub(crate) mod gotpl;
pub(crate) mod jinja;
mod order;
mod stream;
pub mod trace;
pub(crate) mod tree;

use rayon::prelude::*;

use crate::chart::Chart;
use crate::error::Error;
use crate::manifest::{Checks, Document, Parsed, RenderedTemplate};
use crate::render::engine::{Capabilities, Release};
use crate::values::Node;
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
    /// `--lookup-file`: the objects Helm's `lookup` answers from (none: it finds nothing).
    pub lookup: Option<std::sync::Arc<gotpl::Cluster>>,
}

impl RenderOptions {
    /// A first install of release `name` in `namespace` on the newest Kubernetes bosun knows,
    /// with nothing else asked (no environment, all templates, no CRDs, fresh randomness).
    pub fn install(name: &str, namespace: &str) -> RenderOptions {
        RenderOptions {
            release: Release {
                name: name.to_string(),
                namespace: namespace.to_string(),
                revision: 1,
                is_upgrade: false,
            },
            capabilities: Capabilities::new(crate::validate::schema::newest_version(), &[]),
            environment: None,
            show_only: Vec::new(),
            include_crds: false,
            random_seed: None,
            lookup: None,
        }
    }
}

/// Renders `chart` with merged `values` into sorted documents, checking each with `checks`
/// (the outcomes come in the documents' rendered order).
pub fn render(
    chart: &Chart,
    values: &Node,
    options: &RenderOptions,
    checks: Option<&Checks>,
) -> Result<Parsed, Error> {
    render_tree(chart, &enabled_tree(chart, values)?, options, checks, None)
}

/// The enabled charts of the tree under `chart`, parent first, each with its values.
pub(crate) fn enabled_tree<'a>(
    chart: &'a Chart,
    values: &'a Node,
) -> Result<Vec<tree::Part<'a>>, Error> {
    tree::enabled_tree(chart, values)
}

/// [`render`] of a tree [`enabled_tree`] gave, taking the Go templates `preparse` parsed
/// ahead. Documents are parsed while the templates render ([`stream`]).
pub(crate) fn render_tree(
    chart: &Chart,
    parts: &[tree::Part],
    options: &RenderOptions,
    checks: Option<&Checks>,
    preparse: Option<&gotpl::Preparse>,
) -> Result<Parsed, Error> {
    let (mut documents, outcomes) = stream::parse_while_rendering(checks, |streamer| {
        render_parts(
            chart,
            parts,
            options,
            preparse,
            &|engine, name, source, shown| {
                let mut writer = streamer.writer(source.clone(), shown);
                engine.render_to(name, &source, &mut |data| writer.write(data))?;
                writer.finish()?;
                Ok(None)
            },
        )
        .map(drop)
    })?;
    order::helm_order(&mut documents);
    if options.include_crds {
        let mut crds = Vec::new();
        for part in parts {
            crds.extend(crd_documents(part.chart, &part.prefix)?);
        }
        crds.append(&mut documents);
        documents = crds;
    }
    if !options.show_only.is_empty() {
        documents = show_only(documents, &options.show_only)?;
    }
    Ok((documents, outcomes))
}

/// Every enabled subchart of the tree (the built-in library aside) with the values it renders
/// with and where the user finds them (`postgresql.`), for checking each against its own
/// `values.schema.json` as Helm does.
pub(crate) fn subchart_values<'a>(
    parts: &'a [tree::Part<'a>],
) -> Vec<(&'a Chart, &'a Node, String)> {
    parts
        .iter()
        .skip(1)
        .filter(|part| part.chart.dir.join("values.schema.json").is_file())
        .map(|part| {
            let mut at: String = part
                .prefix
                .split("/charts/")
                .skip(1)
                .filter(|name| !name.is_empty())
                .map(|name| format!("{name}."))
                .collect();
            at.push_str(&format!("{}.", part.chart.name()));
            (part.chart, part.values.as_ref(), at)
        })
        .collect()
}

/// The text of every template of the chart and its enabled subcharts, in template order.
pub fn render_templates(
    chart: &Chart,
    values: &Node,
    options: &RenderOptions,
) -> Result<Vec<RenderedTemplate>, Error> {
    let mut rendered = render_parts(
        chart,
        &tree::enabled_tree(chart, values)?,
        options,
        None,
        &|engine, name, source, shown| {
            let text = engine.render(name, &source)?;
            Ok(Some(RenderedTemplate {
                source,
                shown,
                text,
            }))
        },
    )?;
    // Helm's template order: by the template's full name.
    rendered.sort_by(|a, b| a.source.cmp(&b.source));
    Ok(rendered)
}

/// What to do with one template of a chart: (engine, name, source, shown) to the rendered
/// text, or to nothing when the text went elsewhere.
type RenderOne<'a> = dyn Fn(&dyn engine::TemplateEngine, &str, String, String) -> Result<Option<RenderedTemplate>, Error>
    + Sync
    + 'a;

/// Renders every template of the tree with `render_one`, in no particular order.
fn render_parts(
    chart: &Chart,
    parts: &[tree::Part],
    options: &RenderOptions,
    preparse: Option<&gotpl::Preparse>,
    render_one: &RenderOne,
) -> Result<Vec<RenderedTemplate>, Error> {
    // A tree without a Go chart (a Jinja chart alone) needs neither Go's function table nor
    // Go data: building them costs the thread that renders, and the data copies every value
    // once more.
    let has_go = parts.iter().any(|part| gotpl::is_go(part.chart));
    let go_tree = if has_go {
        gotpl::GoTree::parse_with(
            chart,
            parts.iter().map(|part| (part.chart, part.prefix.as_str())),
            options,
            preparse,
        )?
    } else {
        gotpl::GoTree::empty()
    };
    let go_data = if has_go {
        gotpl::tree_data(parts, options)
    } else {
        vec![None; parts.len()]
    };
    // The charts of the tree render side by side, not one after the other, each chart's
    // templates on rayon's threads too: a chart's slow template (argo-cd's `bcrypt`, 50 ms)
    // no longer holds back the next chart's. Each chart's engine lives while its templates
    // render. The results keep the tree's order, so the first error reported is the one
    // rendering chart by chart stopped at.
    let results: Vec<Result<Vec<RenderedTemplate>, Error>> = parts
        .par_iter()
        .zip(go_data)
        .map(|(part, data)| {
            let mut rendered = Vec::new();
            if part.chart.is_library() {
                return Ok(rendered);
            }
            let inputs = part.inputs(options);
            let engine: Box<dyn engine::TemplateEngine> = match data {
                Some(data) => Box::new(gotpl::GoTemplates::with_data(data, &part.prefix, &go_tree)),
                None => engine::for_chart(inputs, &part.prefix, &go_tree),
            };
            render_chart(
                part.chart,
                engine.as_ref(),
                &part.prefix,
                render_one,
                &mut rendered,
            )?;
            Ok(rendered)
        })
        .collect();
    let mut rendered = Vec::new();
    for result in results {
        rendered.extend(result?);
    }
    Ok(rendered)
}

fn render_chart(
    chart: &Chart,
    engine: &dyn engine::TemplateEngine,
    prefix: &str,
    render_one: &RenderOne,
    out: &mut Vec<RenderedTemplate>,
) -> Result<(), Error> {
    let names: Vec<&String> = chart
        .templates
        .keys()
        .filter(|name| Chart::is_rendered(name) || name.as_str() == "NOTES.txt")
        .collect();
    let results: Vec<Result<Option<RenderedTemplate>, Error>> = names
        .par_iter()
        .map(|name| {
            let source = chart.source_name(prefix, name);
            // NOTES.txt is rendered so its errors surface, but it is not a manifest.
            if source.ends_with("/NOTES.txt") {
                return engine.render(name, &source).map(|_| None);
            }
            let shown = chart.templates[*name].path.display().to_string();
            render_one(engine, name, source, shown)
        })
        .collect();
    for result in results {
        out.extend(result?);
    }
    Ok(())
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

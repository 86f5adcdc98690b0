//! Where a finding's field came from, found after the fact: the template the document came
//! from is rendered again with the engine's line tracking on ([`engine::TemplateEngine::render_traced`]),
//! once per template with findings, so a render without findings pays nothing. The field's
//! rendered line gives the template line that wrote it, and that line's expression (or, failing
//! that, a guess by key and value) the values line (`diagnostics::value_source`).

use std::collections::HashMap;
use std::rc::Rc;

use crate::chart::Chart;
use crate::diagnostics::Origin;
use crate::diagnostics::{Field, FieldOrigin, Leaves, TemplateLine, value_source};
use crate::manifest;
use crate::render::RenderOptions;
use crate::render::engine::{self, Inputs};
use crate::resource::Resource;
use crate::values::{self, Node};
use crate::yaml;

/// A template's text and, for each of its lines, the template line that wrote it.
#[derive(Debug, Default)]
pub struct Traced {
    pub text: String,
    /// One per line of `text` (split on `\n`); `None` where the engine cannot tell.
    pub lines: Vec<Option<TemplateLine>>,
    /// The text of each template file a line points into.
    pub sources: HashMap<String, String>,
}

/// One template traced, with what reports call it, the values its chart saw, and where each
/// of its documents is (first line, byte range), read once: a template may hold thousands.
struct Template {
    traced: Traced,
    shown: String,
    values: Rc<ChartValues>,
    documents: HashMap<Resource, (usize, std::ops::Range<usize>)>,
}

/// The values one chart of the tree sees, and their leaves listed once.
struct ChartValues {
    values: Node,
    leaves: Leaves,
}

/// One chart's engine, set up once for all its templates with findings.
struct ChartEngine<'a> {
    engine: Box<dyn engine::TemplateEngine + 'a>,
    values: Rc<ChartValues>,
}

/// Finds the origins of fields of a render's documents, tracing each template once.
pub struct Origins<'a> {
    chart: &'a Chart,
    values: &'a Node,
    options: &'a RenderOptions,
    templates: HashMap<String, Option<Template>>,
    /// By the chart's place in the tree (`parent/charts/sub`).
    engines: HashMap<String, Option<ChartEngine<'a>>>,
    /// Values files read without lines (JSON is read fast), read again with them.
    files_with_lines: HashMap<String, Option<Node>>,
}

impl<'a> Origins<'a> {
    pub fn new(chart: &'a Chart, values: &'a Node, options: &'a RenderOptions) -> Origins<'a> {
        Origins {
            chart,
            values,
            options,
            templates: HashMap::new(),
            engines: HashMap::new(),
            files_with_lines: HashMap::new(),
        }
    }

    /// Where the field at JSON pointer `pointer` of `resource`, rendered from the template
    /// `source` (`chart/templates/x.yaml`), came from. Empty when the template cannot be
    /// rendered again or holds no such document.
    pub fn of(&mut self, source: &str, resource: &Resource, pointer: &str) -> FieldOrigin {
        if !self.templates.contains_key(source) {
            let template = self.trace(source);
            self.templates.insert(source.to_string(), template);
        }
        let Some(Some(template)) = self.templates.get(source) else {
            return FieldOrigin::default();
        };
        let traced = &template.traced;
        if let Some((first_line, range)) = template.documents.get(resource) {
            let first_line = *first_line;
            let part = &traced.text[range.clone()];
            let Ok(value) = yaml::parse_value(part) else {
                return FieldOrigin::default();
            };
            let (line, _) = yaml::locate(part, pointer).unwrap_or((1, 1));
            let line = first_line + line - 1;
            let written_by = traced.lines.get(line - 1).cloned().flatten();
            let code = written_by
                .as_ref()
                .and_then(|at| traced.sources.get(&at.file)?.lines().nth(at.line - 1));
            let mut value_origin = value_source(
                &template.values.values,
                &template.values.leaves,
                &Field {
                    pointer,
                    rendered: value.pointer(pointer),
                    code,
                    resource_name: &resource.name,
                    secret: crate::secret::holds_secret(&value),
                },
            );
            if let Some(value) = &mut value_origin
                && let Origin::File { path, line: 0 } = &value.origin
            {
                let with_lines = self
                    .files_with_lines
                    .entry(path.clone())
                    .or_insert_with(|| {
                        let text = std::fs::read_to_string(path).ok()?;
                        values::read_values_file(path, &text, true).ok()
                    });
                if let Some(Node::Leaf(_, origin) | Node::Map(_, origin)) =
                    with_lines.as_ref().and_then(|node| node.get(&value.key))
                {
                    value.origin = origin.clone();
                }
            }
            return FieldOrigin {
                rendered: Some(TemplateLine {
                    file: format!("{} (rendered)", template.shown),
                    line,
                }),
                template: written_by,
                value: value_origin,
            };
        }
        FieldOrigin::default()
    }

    fn trace(&mut self, source: &str) -> Option<Template> {
        let (chart, prefix, name) = find(self.chart, "", source)?;
        let key = format!("{prefix}{}", chart.name());
        if !self.engines.contains_key(&key) {
            let engine = self.engine(source);
            self.engines.insert(key.clone(), engine);
        }
        let ChartEngine { engine, values } = self.engines.get(&key)?.as_ref()?;
        let traced = engine.render_traced(&name, source).ok()?;
        let mut documents = HashMap::new();
        for (first_line, part) in manifest::split(&traced.text) {
            if let Ok(value) = yaml::parse_value(part) {
                let start = part.as_ptr() as usize - traced.text.as_ptr() as usize;
                documents
                    .entry(Resource::of(&value))
                    .or_insert((first_line, start..start + part.len()));
            }
        }
        Some(Template {
            traced,
            shown: chart.templates[&name].path.display().to_string(),
            values: Rc::clone(values),
            documents,
        })
    }

    /// The engine of the chart that holds the template `source`, with its values.
    fn engine(&self, source: &str) -> Option<ChartEngine<'a>> {
        let (chart, values, prefix) = chart_values(self.chart, self.values.clone(), "", source)?;
        let engine = engine::for_chart(
            Inputs {
                chart,
                values: values.to_value(),
                release: &self.options.release,
                capabilities: &self.options.capabilities,
                environment: self.options.environment.as_deref(),
                random_seed: self.options.random_seed.as_ref(),
            },
            &prefix,
        )
        .ok()?;
        Some(ChartEngine {
            engine,
            values: Rc::new(ChartValues {
                leaves: Leaves::of(&values),
                values,
            }),
        })
    }
}

/// The chart of the tree that holds the template `source`, its prefix and the template's name
/// in it.
fn find<'c>(chart: &'c Chart, prefix: &str, source: &str) -> Option<(&'c Chart, String, String)> {
    let own = format!("{prefix}{}/templates/", chart.name());
    if let Some(name) = source.strip_prefix(&own)
        && chart.templates.contains_key(name)
    {
        return Some((chart, prefix.to_string(), name.to_string()));
    }
    let sub_prefix = format!("{prefix}{}/charts/", chart.name());
    if !source.starts_with(&sub_prefix) {
        return None;
    }
    chart
        .dependencies
        .iter()
        .find_map(|dependency| find(&dependency.chart, &sub_prefix, source))
}

/// Like [`find`], with the values that chart sees.
fn chart_values<'c>(
    chart: &'c Chart,
    values: Node,
    prefix: &str,
    source: &str,
) -> Option<(&'c Chart, Node, String)> {
    if source.starts_with(&format!("{prefix}{}/templates/", chart.name())) {
        return Some((chart, values, prefix.to_string()));
    }
    let sub_prefix = format!("{prefix}{}/charts/", chart.name());
    if !source.starts_with(&sub_prefix) {
        return None;
    }
    chart.dependencies.iter().find_map(|dependency| {
        let sub_values = super::subchart_values(&values, dependency);
        chart_values(&dependency.chart, sub_values, &sub_prefix, source)
    })
}

//! Where a finding's field came from, found after the fact: the template the document came
//! from is rendered again with the engine's line tracking on ([`engine::TemplateEngine::render_traced`]),
//! once per template with findings, so a render without findings pays nothing. The field's
//! rendered line gives the template line that wrote it, and that line's expression (or, failing
//! that, a guess by key and value) the values line (`diagnostics::value_source`).

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use crate::chart::Chart;
use crate::diagnostics::Origin;
use crate::diagnostics::{Field, FieldOrigin, Leaves, TemplateLine, value_source};
use crate::manifest;
use crate::render::RenderOptions;
use crate::render::engine::{self, Inputs};
use crate::render::gotpl;
use crate::render::tree::{self, Part};
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

/// Finds the origins of fields of a render's documents, tracing each template once.
pub struct Origins<'a> {
    chart: &'a Chart,
    values: &'a Node,
    options: &'a RenderOptions,
    templates: HashMap<String, Option<Template>>,
    /// The render's tree, set up when a finding first needs it (`None` inside: it failed).
    tree: Option<Option<Tree<'a>>>,
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
            tree: None,
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
        if self.tree.is_none() {
            self.tree = Some(Tree::new(self.chart, self.values, self.options));
        }
        let tree = self.tree.as_mut()?.as_mut()?;
        let (index, name) = tree.find(source)?;
        let values = Rc::clone(tree.values[index].get_or_insert_with(|| {
            let values = tree.parts[index].values.as_ref().clone();
            Rc::new(ChartValues {
                leaves: Leaves::of(&values),
                values,
            })
        }));
        let part = &tree.parts[index];
        let engine: Box<dyn engine::TemplateEngine + '_> = match &tree.go_data[index] {
            Some(data) => Box::new(gotpl::GoTemplates::with_data(
                data.clone(),
                &part.prefix,
                &tree.go_tree,
            )),
            None => engine::for_chart(
                Inputs {
                    chart: part.chart,
                    values: &part.values,
                    release: &self.options.release,
                    capabilities: &self.options.capabilities,
                    environment: self.options.environment.as_deref(),
                    random_seed: self.options.random_seed.as_ref(),
                },
                &part.prefix,
                &tree.go_tree,
            ),
        };
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
            shown: part.chart.templates[&name].path.display().to_string(),
            values,
            documents,
        })
    }
}

/// The enabled charts of the render's tree, their Go templates parsed once and each chart's
/// data, as the render had them.
struct Tree<'a> {
    parts: Vec<Part<'a>>,
    go_tree: gotpl::GoTree,
    go_data: Vec<Option<BTreeMap<String, gotmpl::Value>>>,
    /// Each part's values and their leaves, listed when a finding first needs them.
    values: Vec<Option<Rc<ChartValues>>>,
}

impl<'a> Tree<'a> {
    fn new(chart: &'a Chart, values: &'a Node, options: &RenderOptions) -> Option<Tree<'a>> {
        let parts = tree::enabled_tree(chart, values).ok()?;
        let go_tree = gotpl::GoTree::parse(
            chart,
            parts.iter().map(|part| (part.chart, part.prefix.as_str())),
            options,
        )
        .ok()?;
        let go_data = gotpl::tree_data(&parts, options);
        let values = vec![None; parts.len()];
        Some(Tree {
            parts,
            go_tree,
            go_data,
            values,
        })
    }

    /// The part that holds the template `source`, and the template's name in its chart.
    fn find(&self, source: &str) -> Option<(usize, String)> {
        self.parts.iter().enumerate().find_map(|(index, part)| {
            part.chart
                .templates
                .keys()
                .find(|name| part.chart.source_name(&part.prefix, name) == source)
                .map(|name| (index, name.clone()))
        })
    }
}

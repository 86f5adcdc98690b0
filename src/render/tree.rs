//! The chart tree as Helm renders it: which subcharts are on (`condition`, then `tags`), and
//! the values each chart renders with, coalesced top-down so that a parent's `.Values.<sub>`
//! holds what the subchart sees (its defaults included), as in Helm.
//!
//! A dependency Chart.yaml names but nobody fetched is an error only when it is on; every
//! such dependency is named at once, with the command that fetches them.

use std::borrow::Cow;

use serde_json::Value;

use crate::chart::{Chart, DependencySpec};
use crate::error::Error;
use crate::render::RenderOptions;
use crate::render::engine::Inputs;
use crate::values::Node;
use crate::values::coalesce::{defaults_with_imports, for_subchart};

/// One chart of the tree that renders (or lends its templates, for a library chart).
pub struct Part<'a> {
    pub chart: &'a Chart,
    /// What comes before the chart's name in its templates' names (`parent/charts/`).
    pub prefix: String,
    /// The chart's values, its subcharts' sections coalesced in: the root's are the merged
    /// values themselves, borrowed, unless a subchart's section had to be put in.
    pub values: Cow<'a, Node>,
    /// The parts of its enabled subcharts, by index.
    pub children: Vec<usize>,
}

impl Part<'_> {
    /// What the part's templates see, with the render's `options`.
    pub fn inputs<'p>(&'p self, options: &'p RenderOptions) -> Inputs<'p> {
        Inputs {
            chart: self.chart,
            values: &self.values,
            release: &options.release,
            capabilities: &options.capabilities,
            environment: options.environment.as_deref(),
            random_seed: options.random_seed.as_ref(),
        }
    }
}

/// The enabled charts of the tree under `chart`, parent before children, with their values.
pub fn enabled_tree<'a>(chart: &'a Chart, values: &'a Node) -> Result<Vec<Part<'a>>, Error> {
    let tags = values.get_key("tags");
    let mut parts = Vec::new();
    visit(chart, Cow::Borrowed(values), "", tags, &mut parts)?;
    Ok(parts)
}

/// Visits `chart` and its enabled subcharts, each pushed to `parts` with the values it
/// renders with (`values`, its subcharts' sections coalesced in).
fn visit<'a>(
    chart: &'a Chart,
    mut values: Cow<'a, Node>,
    prefix: &str,
    tags: Option<&Node>,
    parts: &mut Vec<Part<'a>>,
) -> Result<(), Error> {
    let index = parts.len();
    parts.push(Part {
        chart,
        prefix: prefix.to_string(),
        values: Cow::Owned(Node::default()),
        children: Vec::new(),
    });
    // bosun's built-in library has no values of its own to lend its parent.
    let builtin = |spec: &DependencySpec| {
        crate::library::is_builtin(spec.repository.as_deref().unwrap_or_default())
    };
    let sections: Vec<Option<Node>> = chart
        .dependencies
        .iter()
        .map(|d| {
            (!builtin(&d.spec))
                .then(|| for_subchart(&values, d.chart.name(), defaults_with_imports(&d.chart)))
        })
        .collect();
    // Conditions read the parent's values with every subchart's defaults in them (a copy
    // only when there are defaults to put in: the values of a large chart take long to copy).
    let mut with_defaults = Cow::Borrowed(&*values);
    for (dependency, section) in chart.dependencies.iter().zip(&sections) {
        if let Some(section) = section {
            set_key(
                with_defaults.to_mut(),
                dependency.chart.name(),
                section.clone(),
            );
        }
    }
    // As Helm removes them: by name, so a chart under `charts/` outside a dependency's version
    // range (rendered as a chart no dependency names) is off when that dependency is.
    let off: Vec<&str> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|spec| !enabled(&with_defaults, tags, spec))
        .map(DependencySpec::values_key)
        .collect();
    let missing: Vec<String> = chart
        .missing
        .iter()
        .filter(|spec| !off.contains(&spec.values_key()))
        .map(|spec| spec.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(Error::MissingDependencies {
            chart: chart.name().to_string(),
            dir: chart.dir.clone(),
            names: missing,
        });
    }
    let sub_prefix = format!("{prefix}{}/charts/", chart.name());
    for (dependency, section) in chart.dependencies.iter().zip(sections) {
        if off.contains(&dependency.chart.name()) {
            continue;
        }
        let child = parts.len();
        parts[index].children.push(child);
        visit(
            &dependency.chart,
            Cow::Owned(section.unwrap_or_default()),
            &sub_prefix,
            tags,
            parts,
        )?;
        if !builtin(&dependency.spec) {
            set_key(
                values.to_mut(),
                dependency.chart.name(),
                parts[child].values.as_ref().clone(),
            );
        }
    }
    parts[index].values = values;
    Ok(())
}

fn set_key(values: &mut Node, key: &str, section: Node) {
    if let Node::Map(map, _) = values {
        map.insert(key.to_string(), section);
    }
}

/// Whether a dependency is on, as Helm decides: the first of its `condition` paths that holds
/// a boolean; else its `tags` (on if any is true, off if some are false and none true); else on.
fn enabled(values: &Node, tags: Option<&Node>, spec: &DependencySpec) -> bool {
    if let Some(condition) = &spec.condition {
        for path in condition
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            if let Some(Node::Leaf(Value::Bool(on), _)) = values.get(path) {
                return *on;
            }
        }
    }
    let mut any_true = false;
    let mut any_false = false;
    for tag in &spec.tags {
        if let Some(Node::Leaf(Value::Bool(on), _)) = tags.and_then(|t| t.get_key(tag)) {
            if *on {
                any_true = true;
            } else {
                any_false = true;
            }
        }
    }
    any_true || !any_false
}

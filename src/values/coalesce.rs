//! Helm's coalescing of a chart's defaults under the user's values, and of a subchart's
//! defaults under its section of its parent's: the user's value wins, maps merge deeply, and a
//! user's `null` deletes the default it meets (a `null` that meets no default stays, as in
//! Helm). A subchart's section always has a `global` map: the parent's `global` over the
//! subchart's own.

use indexmap::IndexMap;
use serde_json::Value;

use crate::chart::{Chart, ImportValue};
use crate::diagnostics::Origin;
use crate::values::Node;

/// Fills `user` with `defaults` where the user said nothing; a user's `null` deletes the
/// default it meets.
pub fn coalesce(user: &mut Node, defaults: Node) {
    let (Node::Map(mine, _), Node::Map(defaults, _)) = (&mut *user, defaults) else {
        return; // a user's scalar or list replaces whatever the default was
    };
    // The defaults' keys keep their order (a Jinja template iterating a map sees it), the
    // user's own keys follow.
    let mut out = IndexMap::with_capacity(mine.len() + defaults.len());
    for (key, default) in defaults {
        match mine.shift_remove(&key) {
            Some(Node::Leaf(Value::Null, _)) => {}
            Some(mut value) => {
                coalesce(&mut value, default);
                out.insert(key, value);
            }
            None => {
                out.insert(key, default);
            }
        }
    }
    out.extend(mine.drain(..));
    *mine = out;
}

/// Fills `high` with `low` where `high` says nothing, keeping `high`'s nulls (Helm's
/// `MergeTables`, as import-values uses it).
fn merge_under(high: &mut Node, low: Node) {
    let (Node::Map(high, _), Node::Map(low, _)) = (high, low) else {
        return;
    };
    for (key, value) in low {
        match high.get_mut(&key) {
            Some(mine) => merge_under(mine, value),
            None => {
                high.insert(key, value);
            }
        }
    }
}

/// A chart's values.yaml as a tree (empty without one).
pub fn chart_defaults(chart: &Chart) -> Node {
    match &chart.values {
        Some(located) => Node::from_located(
            located.clone(),
            &chart.dir.join("values.yaml").display().to_string(),
            1,
        ),
        None => Node::default(),
    }
}

/// A chart's defaults as Helm sees them after `import-values`: when a dependency imports,
/// the chart's values.yaml over its subcharts' defaults (each under its key) over what the
/// imports bring. Charts that import nothing keep their values.yaml as it is.
pub fn defaults_with_imports(chart: &Chart) -> Node {
    let mut defaults = chart_defaults(chart);
    if chart
        .dependencies
        .iter()
        .all(|d| d.spec.import_values.is_empty())
    {
        return defaults;
    }
    // Merged, not coalesced: the parent's nulls stay, to delete the subchart's defaults later.
    for dependency in &chart.dependencies {
        let key = dependency.chart.name().to_string();
        if let Node::Map(map, _) = &mut defaults {
            merge_under(
                map.entry(key).or_default(),
                defaults_with_imports(&dependency.chart),
            );
        }
    }
    let mut imported = Node::default();
    for dependency in &chart.dependencies {
        let key = dependency.chart.name();
        for import in &dependency.spec.import_values {
            let (child, parent) = match import {
                ImportValue::Export(name) => (format!("exports.{name}"), "."),
                ImportValue::Path { child, parent } => (child.clone(), parent.as_str()),
            };
            let Some(table @ Node::Map(..)) = defaults.get(&format!("{key}.{child}")) else {
                continue; // Helm warns and goes on
            };
            let mut placed = table.clone();
            if parent != "." {
                for part in parent.split('.').rev() {
                    placed = Node::Map(
                        IndexMap::from([(part.to_string(), placed)]),
                        Origin::Unknown,
                    );
                }
            }
            // An earlier import wins over a later one, as in Helm.
            merge_under(&mut imported, placed);
        }
    }
    merge_under(&mut defaults, imported);
    defaults
}

/// The values a subchart renders with: its section of its parent's values, the parent's
/// `global` over the subchart's own, over the subchart's defaults.
pub fn for_subchart(parent: &Node, key: &str, sub_defaults: Node) -> Node {
    let mut values = match parent.get_key(key) {
        Some(section @ Node::Map(..)) => section.clone(),
        _ => Node::default(),
    };
    let mut global = match parent.get_key("global") {
        Some(global @ Node::Map(..)) => global.clone(),
        _ => Node::default(),
    };
    if let Some(mine @ Node::Map(..)) = values.get_key("global") {
        coalesce(&mut global, mine.clone());
    }
    if let Node::Map(map, _) = &mut values {
        map.insert("global".to_string(), global);
    }
    coalesce(&mut values, sub_defaults);
    values
}

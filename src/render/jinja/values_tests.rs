//! Holds the one-pass conversion of the values ([`super::values`]) to the answers of what it
//! replaced, minijinja's serde conversion of the same values as JSON: over generated JSON-like
//! trees with every kind of number, and over every Jinja chart of the repository, each template
//! rendered both ways.

use std::path::{Path, PathBuf};

use minijinja::value::{Serde, Value};
use proptest::prelude::*;
use serde_json::{Number, Value as Json, json};

use crate::chart::Chart;
use crate::diagnostics::Origin;
use crate::render::RenderOptions;
use crate::render::jinja::{Engine, context, values};
use crate::values::{Node, ValueOptions};

/// The conversion the templates' values went through before.
fn by_serde(json: &Json) -> Value {
    Value::from(Serde(json))
}

/// What a template can tell apart: kinds, key order, strings, and numbers as written (`1`
/// against `1.0`).
fn shown(value: &Value) -> String {
    format!("{value:?}")
}

fn leaf() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<u64>().prop_map(|n| Json::Number(n.into())),
        any::<i64>().prop_map(|n| Json::Number(n.into())),
        any::<f64>().prop_filter_map("JSON numbers are finite", |f| {
            Number::from_f64(f).map(Json::Number)
        }),
        // Short strings are stored inline by minijinja, long ones shared: both kinds.
        "\\PC{0,40}".prop_map(Json::String),
    ]
}

fn tree() -> impl Strategy<Value = Json> {
    leaf().prop_recursive(4, 96, 10, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..10).prop_map(Json::Array),
            prop::collection::vec(("[a-z_.]{0,4}", inner), 0..10)
                .prop_map(|entries| Json::Object(entries.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn json_converts_as_minijinja_serde_conversion_does(json in tree()) {
        prop_assert_eq!(shown(&values::from_json(&json)), shown(&by_serde(&json)));
    }

    #[test]
    fn a_values_tree_converts_as_its_json_did(
        entries in prop::collection::vec(("[a-z]{0,4}", tree()), 0..12)
    ) {
        let json = Json::Object(entries.into_iter().collect());
        let node = Node::from_value(json.clone(), &Origin::Unknown);
        prop_assert_eq!(shown(&values::from_node(&node)), shown(&by_serde(&json)));
    }
}

/// The services of a fleet like `bench/fleet`'s, keys in falling order (not sorted), numbers of
/// every kind among them.
fn fleet_values(services: usize) -> Json {
    let services: serde_json::Map<String, Json> = (0..services)
        .rev()
        .map(|i| {
            let mut service = json!({
                "image": {"repository": format!("svc-{i:04}"), "tag": format!("1.{}.0", i % 7)},
                "replicas": i % 5 + 1,
                "port": 8080,
                "probes": {"startup": "/health/startup", "liveness": "/health/live", "readiness": "/health/ready"},
                "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}},
                "env": {"LOG_LEVEL": "info", "RATIO": 0.5, "OFFSET": -3},
                "config": {"FEATURE_X": if i % 2 == 0 { "on" } else { "off" }, "TIMEOUT_MS": (1000 + i).to_string()},
            });
            if i % 3 == 0 {
                service["ingress"] = json!({"host": format!("svc-{i:04}.example.com")});
            }
            (format!("svc-{i:04}"), service)
        })
        .collect();
    json!({
        "global": {"environment": "production", "imageRegistry": "ghcr.io/acme", "replicas": 2,
                   "config": {"OTEL_EXPORTER": "otlp"}},
        "services": services,
    })
}

#[test]
fn a_large_map_keeps_its_order_and_values() {
    let json = fleet_values(300);
    let node = Node::from_value(json.clone(), &Origin::Unknown);
    assert_eq!(shown(&values::from_node(&node)), shown(&by_serde(&json)));
}

/// Every Jinja chart of the repository, with the layers it comes with (`values-*.yaml`).
fn jinja_charts() -> Vec<(PathBuf, Vec<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("bench/fleet"), root.join("templates/service")];
    for folder in ["charts", "tests/fixtures/charts"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(root.join(folder))
            .expect("the repository's chart folders are readable")
            .filter_map(|entry| Some(entry.ok()?.path()))
            .filter(|dir| dir.join("Chart.yaml").is_file())
            .collect();
        found.sort();
        dirs.extend(found);
    }
    let mut charts = Vec::new();
    for dir in dirs {
        charts.push((dir.clone(), Vec::new()));
        let mut layers: Vec<String> = std::fs::read_dir(&dir)
            .expect("a chart folder is readable")
            .filter_map(|entry| Some(entry.ok()?.path()))
            .filter(|path| {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                name.starts_with("values-") && name.ends_with(".yaml")
            })
            .map(|path| path.display().to_string())
            .collect();
        layers.sort();
        for layer in layers {
            charts.push((dir.clone(), vec![layer]));
        }
    }
    charts
}

#[test]
fn the_repository_jinja_charts_render_as_with_the_serde_conversion() {
    let options = RenderOptions::install("rel", "ns");
    let mut rendered = 0;
    for (dir, files) in jinja_charts() {
        let Ok(chart) = Chart::load(&dir) else {
            continue; // a fixture of a broken Chart.yaml
        };
        let value_options = ValueOptions {
            files,
            ..ValueOptions::default()
        };
        let Ok(mut merged) = crate::values::layer(&chart, &value_options, &mut std::io::empty())
        else {
            continue;
        };
        if dir.ends_with("bench/fleet") {
            merged.merge(Node::from_value(fleet_values(100), &Origin::Unknown));
        }
        let Ok(parts) = crate::render::tree::enabled_tree(&chart, &merged) else {
            continue;
        };
        for part in parts
            .iter()
            .filter(|part| !crate::render::gotpl::is_go(part.chart))
        {
            let engine = Engine::new(part.chart);
            let variables = |values| {
                context::chart_variables(
                    part.chart,
                    values,
                    &options.release,
                    &options.capabilities,
                    Some("dev"),
                )
            };
            let new = variables(values::from_node(&part.values));
            let old = variables(by_serde(&part.values.to_value()));
            for name in part.chart.templates.keys() {
                if !Chart::is_rendered(name) {
                    continue;
                }
                let source = part.chart.source_name(&part.prefix, name);
                let new = engine.render(name, &context::for_template(&new, &source));
                let old = engine.render(name, &context::for_template(&old, &source));
                match (new, old) {
                    (Ok(new), Ok(old)) => {
                        assert_eq!(new, old, "{} renders differently", dir.display());
                        rendered += 1;
                    }
                    (new, old) => assert_eq!(
                        format!("{new:?}"),
                        format!("{old:?}"),
                        "{} fails differently",
                        dir.display()
                    ),
                }
            }
        }
    }
    // The fleet, the example charts and the fixtures: 28 templates when this was written.
    assert!(rendered >= 25, "only {rendered} templates rendered");
}

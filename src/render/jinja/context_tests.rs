//! Holds the flat per-template context ([`super::context::for_template`]) to the merged view
//! it replaced (`context! { template => .., ..variables }`): the same keys in the same order,
//! each with the same value, and `template` winning over a variable of that name.

use minijinja::context;
use minijinja::value::Value;

use crate::render::jinja::context::for_template;

/// The merged view the flat map replaced.
fn merged(variables: &Value, source_name: &str) -> Value {
    let base_path = source_name.rsplit_once('/').map_or("", |(dir, _)| dir);
    context! {
        template => context! { name => source_name, base_path => base_path },
        ..variables.clone()
    }
}

/// Keys in iteration order, each with its value as a template would print it.
fn listing(context: &Value) -> Vec<(String, String)> {
    context
        .try_iter()
        .unwrap()
        .map(|key| {
            let value = context.get_item(&key).unwrap();
            (key.to_string(), format!("{value:?}"))
        })
        .collect()
}

#[test]
fn the_flat_context_lists_what_the_merged_view_lists() {
    let variables = context! {
        values => context! { b => 1, a => vec!["x"] },
        release => context! { name => "rel" },
        environment => Value::from(()),
        chart => "c",
        capabilities => context! { kube_version => "v1.35.0" },
    };
    for name in [
        "templates/a.yaml",
        "charts/sub/templates/deep/b.yaml",
        "c.yaml",
    ] {
        let flat = for_template(&variables, name);
        assert_eq!(listing(&flat), listing(&merged(&variables, name)), "{name}");
    }
}

#[test]
fn the_template_entry_wins_over_a_variable_of_that_name() {
    let variables = context! { template => "shadowed", values => 1 };
    let flat = for_template(&variables, "templates/a.yaml");
    assert_eq!(
        listing(&flat),
        listing(&merged(&variables, "templates/a.yaml"))
    );
    let env = crate::render::jinja::environment();
    let out = env
        .render_str("{{ template.name }} {{ values }}", flat)
        .unwrap();
    assert_eq!(out, "templates/a.yaml 1");
}

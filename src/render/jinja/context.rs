//! The variables every Jinja template sees: `values`, `release`, `chart`, `capabilities`,
//! `environment`, `files` and `template`.

use std::sync::Arc;

use indexmap::IndexMap;

use minijinja::value::{Enumerator, Object, ObjectRepr, Value, from_args};
use minijinja::{Error, ErrorKind, State};

use crate::chart::Chart;
use crate::render::engine::{Capabilities, Release};
use crate::render::jinja::files::Files;

/// `capabilities`: the Kubernetes version (as a cluster reports it) and the API versions.
fn capabilities_value(capabilities: &Capabilities) -> Value {
    let kube = capabilities.kube_version;
    minijinja::context! {
        kube_version => minijinja::context! {
            version => kube.git_version(),
            major => kube.major.to_string(),
            minor => kube.minor.to_string(),
        },
        api_versions => Value::from_object(ApiVersions(capabilities.api_versions.clone())),
    }
}

/// `capabilities.api_versions`: a list that also answers `.has("policy/v1")`.
#[derive(Debug)]
struct ApiVersions(Vec<String>);

impl Object for ApiVersions {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.get(key.as_usize()?).map(|s| Value::from(s.as_str()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        match method {
            "has" => {
                let (version,): (&str,) = from_args(args)?;
                Ok(Value::from(self.0.iter().any(|v| v == version)))
            }
            _ => Err(Error::from(ErrorKind::UnknownMethod)),
        }
    }
}

/// `release`, with Helm's `is_install` beside `is_upgrade`.
fn release_value(release: &Release) -> Value {
    minijinja::context! {
        name => release.name.clone(),
        namespace => release.namespace.clone(),
        service => "bosun",
        revision => release.revision,
        is_install => !release.is_upgrade,
        is_upgrade => release.is_upgrade,
    }
}

/// The variables shared by all templates of one chart, `values` built ([`super::values`]);
/// `template` is added per file.
pub fn chart_variables(
    chart: &Chart,
    values: Value,
    release: &Release,
    capabilities: &Capabilities,
    environment: Option<&str>,
) -> Value {
    minijinja::context! {
        values => values,
        release => release_value(release),
        chart => Value::from(minijinja::value::Serde(&chart.fields)),
        capabilities => capabilities_value(capabilities),
        environment => environment,
        files => Value::from_object(Files::new(chart)),
    }
}

/// Adds `template` (name and base path as `# Source:` shows them) to the chart's variables.
///
/// One flat map, its keys in the order a merge of the two maps lists them (sorted): every
/// `release.` or `values.` a template reads is then one short scan, where the merged view
/// asked both maps through the general lookup.
pub fn for_template(variables: &Value, source_name: &str) -> Value {
    let base_path = source_name
        .rsplit_once('/')
        .map_or("", |(dir, _)| dir)
        .to_string();
    let template = minijinja::context! { name => source_name, base_path => base_path };
    let mut entries: Vec<(Value, Value)> = variables
        .try_iter()
        .into_iter()
        .flatten()
        .filter(|key| key.as_str() != Some("template"))
        .filter_map(|key| {
            let value = variables.get_item(&key).ok()?;
            (!value.is_undefined()).then_some((key, value))
        })
        .collect();
    entries.push((Value::from("template"), template));
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Value::from_object(entries.into_iter().collect::<IndexMap<Value, Value>>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube_version::KubeVersion;

    #[test]
    fn api_versions_answer_has_and_in() {
        let caps = Capabilities::new(
            KubeVersion {
                major: 1,
                minor: 35,
            },
            &["monitoring.coreos.com/v1".into()],
        );
        let env = crate::render::jinja::environment();
        let out = env
            .render_str(
                "{{ c.api_versions.has('policy/v1') }} {{ 'monitoring.coreos.com/v1' in c.api_versions }} {{ 'x/v9' in c.api_versions }} {{ c.kube_version.minor }}",
                minijinja::context! { c => capabilities_value(&caps) },
            )
            .unwrap();
        assert_eq!(out, "true true false 35");
    }
}

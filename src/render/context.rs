//! The variables every template sees: `values`, `release`, `chart`, `capabilities`,
//! `environment`, `files` and `template`.

use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Value, from_args};
use minijinja::{Error, ErrorKind, State};

use crate::chart::Chart;
use crate::kube_version::KubeVersion;
use crate::render::files::Files;

/// The API group versions every supported Kubernetes (1.29 and later) serves.
const BUILT_IN_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "apiextensions.k8s.io/v1",
    "apiregistration.k8s.io/v1",
    "apps/v1",
    "authentication.k8s.io/v1",
    "authorization.k8s.io/v1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "certificates.k8s.io/v1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "events.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1",
    "networking.k8s.io/v1",
    "node.k8s.io/v1",
    "policy/v1",
    "rbac.authorization.k8s.io/v1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1",
];

/// What the target cluster offers, as far as templates may ask.
#[derive(Debug, Clone)]
pub struct Capabilities {
    pub kube_version: KubeVersion,
    /// Built-in group versions plus every `--api-versions` given.
    pub api_versions: Vec<String>,
}

impl Capabilities {
    pub fn new(kube_version: KubeVersion, extra: &[String]) -> Capabilities {
        let mut api_versions: Vec<String> = BUILT_IN_API_VERSIONS
            .iter()
            .map(|s| s.to_string())
            .collect();
        for version in extra {
            if !api_versions.contains(version) {
                api_versions.push(version.clone());
            }
        }
        Capabilities {
            kube_version,
            api_versions,
        }
    }

    fn to_value(&self) -> Value {
        let kube = self.kube_version;
        minijinja::context! {
            kube_version => minijinja::context! {
                version => kube.git_version(),
                major => kube.major.to_string(),
                minor => kube.minor.to_string(),
            },
            api_versions => Value::from_object(ApiVersions(self.api_versions.clone())),
        }
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

/// The release being rendered.
#[derive(Debug, Clone)]
pub struct Release {
    pub name: String,
    pub namespace: String,
    pub revision: u64,
    pub is_upgrade: bool,
}

impl Release {
    fn to_value(&self) -> Value {
        minijinja::context! {
            name => self.name.clone(),
            namespace => self.namespace.clone(),
            service => "bosun",
            revision => self.revision,
            is_install => !self.is_upgrade,
            is_upgrade => self.is_upgrade,
        }
    }
}

/// The variables shared by all templates of one chart; `template` is added per file.
pub fn chart_variables(
    chart: &Chart,
    values: &serde_json::Value,
    release: &Release,
    capabilities: &Capabilities,
    environment: Option<&str>,
) -> Value {
    minijinja::context! {
        values => Value::from(minijinja::value::Serde(values)),
        release => release.to_value(),
        chart => Value::from(minijinja::value::Serde(&chart.fields)),
        capabilities => capabilities.to_value(),
        environment => environment,
        files => Value::from_object(Files::new(chart)),
    }
}

/// Adds `template` (name and base path as `# Source:` shows them) to the chart's variables.
pub fn for_template(variables: &Value, source_name: &str) -> Value {
    let base_path = source_name
        .rsplit_once('/')
        .map_or("", |(dir, _)| dir)
        .to_string();
    minijinja::context! {
        template => minijinja::context! { name => source_name, base_path => base_path },
        ..variables.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_versions_parse_loosely_but_not_garbage() {
        assert_eq!(
            KubeVersion::parse("1.30").unwrap(),
            KubeVersion {
                major: 1,
                minor: 30
            }
        );
        assert_eq!(KubeVersion::parse("v1.31.4").unwrap().minor, 31);
        for bad in ["", "1", "one.two", "1.30.x", "1.2.3.4"] {
            assert!(KubeVersion::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn api_versions_answer_has_and_in() {
        let caps = Capabilities::new(
            KubeVersion {
                major: 1,
                minor: 35,
            },
            &["monitoring.coreos.com/v1".into()],
        );
        let env = crate::render::engine::environment();
        let out = env
            .render_str(
                "{{ c.api_versions.has('policy/v1') }} {{ 'monitoring.coreos.com/v1' in c.api_versions }} {{ 'x/v9' in c.api_versions }} {{ c.kube_version.minor }}",
                minijinja::context! { c => caps.to_value() },
            )
            .unwrap();
        assert_eq!(out, "true true false 35");
    }
}

//! The objects Helm gives a chart's templates, as Go would reach them by reflection:
//! `.Values`, `.Release`, `.Chart`, `.Capabilities` (with `APIVersions.Has`) and `.Files`.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use gotmpl::{Error, Object, Value};

use crate::chart::Chart;
use crate::render::engine::Inputs;

/// The data every template of one chart sees but `.Values` ([`values`], added by the caller);
/// `.Template` is added per file, `.Subcharts` by the tree; `is_root` is `.Chart.IsRoot`.
pub fn data(inputs: &Inputs, is_root: bool) -> BTreeMap<String, Value> {
    let release = inputs.release;
    let kube = inputs.capabilities.kube_version;
    let mut data = BTreeMap::new();
    data.insert(
        "Release".into(),
        map([
            ("Name", Value::str(release.name.as_str())),
            ("Namespace", Value::str(release.namespace.as_str())),
            ("Revision", Value::Int(release.revision as i64)),
            ("IsInstall", Value::Bool(!release.is_upgrade)),
            ("IsUpgrade", Value::Bool(release.is_upgrade)),
            ("Service", Value::str("Helm")),
        ]),
    );
    data.insert("Chart".into(), chart(inputs.chart, is_root));
    let git_version = inputs.capabilities.git_version();
    data.insert(
        "Capabilities".into(),
        map([
            (
                "KubeVersion",
                Value::object(KubeVersion {
                    fields: [
                        ("Version", git_version.clone()),
                        ("GitVersion", git_version),
                        ("Major", kube.major.to_string()),
                        ("Minor", kube.minor.to_string()),
                    ],
                }),
            ),
            (
                "APIVersions",
                Value::object(ApiVersions(inputs.capabilities.api_versions.clone())),
            ),
            (
                "HelmVersion",
                map([
                    ("Version", Value::str("v3.19.0")),
                    ("GoVersion", Value::str("go1.25")),
                ]),
            ),
        ]),
    );
    data.insert(
        "Files".into(),
        Value::object(Files {
            root: inputs.chart.root.clone(),
            names: Arc::new(
                inputs
                    .chart
                    .files
                    .iter()
                    .filter(|name| is_helm_file(name))
                    .cloned()
                    .collect(),
            ),
        }),
    );
    data.insert("Subcharts".into(), Value::map(BTreeMap::new()));
    // Frozen as built, as `.Values` is ([`values`]).
    for value in data.values_mut() {
        *value = std::mem::take(value).into_frozen();
    }
    data
}

/// `.Values` from the values tree: numbers are float64, as Helm reads values files through
/// JSON, but for the integers a `--set` flag gave, which Helm's flag parser makes int64.
pub fn values(node: &crate::values::Node) -> Value {
    // Built frozen (renders share `.Values`; see `GoTemplates::with_data`), so that freezing it
    // there shares it rather than copying all of it.
    values_of(node).into_frozen()
}

fn values_of(node: &crate::values::Node) -> Value {
    use crate::diagnostics::Origin;
    use crate::values::Node;
    match node {
        Node::Map(map, _) => {
            Value::map(map.iter().map(|(k, v)| (k.clone(), values_of(v))).collect())
        }
        Node::Leaf(leaf, Origin::Flag { flag: "--set", .. }) => with_int64(leaf),
        Node::Leaf(leaf, _) => Value::from_json_as_float64(leaf),
    }
}

pub(super) fn with_int64(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Number(n) if n.is_i64() => Value::Int64(n.as_i64().unwrap_or_default()),
        serde_json::Value::Array(items) => Value::list(items.iter().map(with_int64).collect()),
        serde_json::Value::Object(map) => Value::map(
            map.iter()
                .map(|(k, v)| (k.clone(), with_int64(v)))
                .collect(),
        ),
        other => Value::from_json_as_float64(other),
    }
}

/// Whether Helm's `.Files` holds the chart file `name`: not Chart.yaml, the values and their
/// schema, the lock files, templates or subcharts, which Helm's loader takes apart.
fn is_helm_file(name: &str) -> bool {
    !matches!(
        name,
        "Chart.yaml"
            | "Chart.lock"
            | "values.yaml"
            | "values.schema.json"
            | "requirements.yaml"
            | "requirements.lock"
    ) && !name.starts_with("templates/")
        && !name.starts_with("charts/")
}

fn map<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// `.Chart`: Chart.yaml's fields under the names of Helm's `chart.Metadata` struct.
fn chart(chart: &Chart, is_root: bool) -> Value {
    let mut fields = BTreeMap::new();
    if let serde_json::Value::Object(map) = &chart.fields {
        for (key, value) in map {
            let name = match key.as_str() {
                "apiVersion" => "APIVersion".to_string(),
                "kubeVersion" => "KubeVersion".to_string(),
                "appVersion" => "AppVersion".to_string(),
                other => {
                    let mut chars = other.chars();
                    chars.next().map_or_else(String::new, |first| {
                        first.to_uppercase().chain(chars).collect()
                    })
                }
            };
            fields.insert(name, Value::from(value));
        }
    }
    for field in ["Name", "Version", "AppVersion", "Description", "Type"] {
        fields.entry(field.to_string()).or_insert(Value::str(""));
    }
    fields.insert("IsRoot".to_string(), Value::Bool(is_root));
    Value::map(fields)
}

#[derive(Debug)]
struct KubeVersion {
    fields: [(&'static str, String); 4],
}

impl Object for KubeVersion {
    fn type_name(&self) -> &str {
        "*chartutil.KubeVersion"
    }

    fn field(&self, name: &str) -> Option<Value> {
        self.fields
            .iter()
            .find(|(field, _)| *field == name)
            .map(|(_, value)| Value::str(value.as_str()))
    }

    fn call_method(&self, name: &str, _args: &[Value]) -> Option<Result<Value, Error>> {
        (name == "String").then(|| Ok(Value::str(self.fields[0].1.as_str())))
    }

    fn to_text(&self) -> String {
        self.fields[0].1.clone()
    }
}

/// `.Capabilities.APIVersions`: a list of group versions with a `Has` method.
#[derive(Debug)]
struct ApiVersions(Vec<String>);

impl Object for ApiVersions {
    fn type_name(&self) -> &str {
        "chartutil.VersionSet"
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, Error>> {
        (name == "Has").then(|| {
            let [wanted] = args else {
                return Err(Error::new(format!(
                    "wrong number of args for Has: want 1 got {}",
                    args.len()
                )));
            };
            let wanted = wanted.as_str().unwrap_or_default();
            // As `helm template` answers: only what the list holds, group versions (and any
            // `group/version/Kind` given with --api-versions); it lists no built-in kinds.
            Ok(Value::Bool(self.0.iter().any(|version| wanted == version)))
        })
    }

    fn as_value(&self) -> Option<Value> {
        Some(Value::list(
            self.0.iter().map(|v| Value::str(v.as_str())).collect(),
        ))
    }
}

/// `.Files`: the chart's files (not templates, not ignored), read-only, by name.
#[derive(Debug)]
struct Files {
    root: std::path::PathBuf,
    names: Arc<Vec<String>>,
}

impl Files {
    /// A file's text; Helm gives an empty string for a file that is not in the chart.
    fn get(&self, name: &str) -> Result<String, Error> {
        if !self.names.iter().any(|n| n == name) {
            return Ok(String::new());
        }
        let bytes = std::fs::read(self.root.join(name))
            .map_err(|e| Error::new(format!("cannot read `{name}`: {e}")))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn as_map(&self, encode: bool) -> Result<Value, Error> {
        let mut out = String::new();
        for name in self.names.iter() {
            let content = self.get(name)?;
            let key = name.rsplit('/').next().unwrap_or(name);
            let value = if encode {
                base64::engine::general_purpose::STANDARD.encode(content)
            } else {
                content
            };
            let entry = serde_json::json!({ key: value });
            out.push_str(&crate::yaml::to_string(&entry));
        }
        Ok(Value::str(out.trim_end_matches('\n')))
    }
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "chart.Files"
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, Error>> {
        let arg = || {
            args.first()
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| Error::new(format!("{name} takes a file name")))
        };
        Some(match name {
            "Get" => arg().and_then(|n| self.get(&n)).map(Value::str),
            "GetBytes" => arg()
                .and_then(|n| self.get(&n))
                .map(|text| Value::list(text.bytes().map(|b| Value::Int(b.into())).collect())),
            // Helm drops one final line break before splitting; a missing file has no lines.
            "Lines" => arg().and_then(|n| self.get(&n)).map(|text| {
                let text = text.strip_suffix('\n').unwrap_or(&text);
                match text.is_empty() {
                    true => Value::list(Vec::new()),
                    false => Value::list(text.split('\n').map(Value::str).collect()),
                }
            }),
            // Helm's glob has `/` as separator: `*` stays inside a folder, `**` crosses them.
            "Glob" => arg().and_then(|pattern| {
                let matcher = globset::GlobBuilder::new(&pattern)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| Error::new(format!("Glob `{pattern}`: {e}")))?
                    .compile_matcher();
                Ok(Value::object(Files {
                    root: self.root.clone(),
                    names: Arc::new(
                        self.names
                            .iter()
                            .filter(|n| matcher.is_match(n.as_str()))
                            .cloned()
                            .collect(),
                    ),
                }))
            }),
            "AsConfig" => self.as_map(false),
            "AsSecrets" => self.as_map(true),
            _ => return None,
        })
    }

    fn as_value(&self) -> Option<Value> {
        Some(Value::map(
            self.names.iter().map(|n| (n.clone(), Value::Nil)).collect(),
        ))
    }
}

//! The Kubernetes JSON schemas bosun carries (schemas/kubernetes.bundle, built by
//! schemas/build_bundle.py from the `kubernetes-validate` wheel), the custom resource schemas it
//! authored (schemas/crds/), and compiled validators, one per (version, apiVersion, kind),
//! compiled on first use and shared by every document of that kind.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use serde_json::Value;

use crate::kube_version::KubeVersion;
use crate::validate::bundle::{self, Definitions};
use crate::validate::chart_crds::ChartCrds;
use crate::validate::kind_schema::{self, KindSchema};
use crate::validate::removed_apis;
use crate::validate::schema_refs::{schema_for, with_kubernetes_refs};
use crate::validate::structural::{Library, Structural};

/// A kind's compiled schema, shared between threads.
pub type Validator = Arc<KindSchema>;

/// A kind's validator (or why its schema cannot be used), compiled once by whichever thread
/// asks first (`None` when there is no schema), and its CEL rules, kept beside it so that a
/// document finds both with one lookup.
#[derive(Default)]
struct Slot {
    schema: OnceLock<Option<Result<(Validator, SchemaSource), Broken>>>,
    cel: OnceLock<Option<Arc<crate::validate::cel::Rules>>>,
}

/// A schema that exists but cannot be used: it does not parse, or does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// Where it came from: a file, or a CRD and its file.
    pub origin: String,
    /// What is wrong in it.
    pub reason: String,
    /// Where in the schema, as a JSON pointer (empty when it does not parse).
    pub pointer: String,
}

/// Where a kind's schema comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaSource {
    /// Bundled Kubernetes schema of that version.
    Kubernetes,
    /// A custom resource schema: bundled with bosun, from a CRD, or from --schema-location.
    /// Shared: every document of the kind is handed it.
    Custom(Arc<str>),
}

/// What bosun knows about an `apiVersion` + `kind` on the target version.
pub enum Lookup {
    Found(Validator, SchemaSource),
    /// There is a schema, but it does not parse or compile.
    Broken(Broken),
    /// The target version does not serve it; `replacement` is the apiVersion that does.
    Removed {
        /// The project that stopped serving it, for a custom resource; `None`: Kubernetes.
        project: Option<&'static str>,
        removed_in: Option<String>,
        replacement: Option<String>,
    },
    Missing,
}

/// The Kubernetes versions whose schemas are bundled, oldest first.
pub fn bundled_versions() -> Vec<KubeVersion> {
    bundle::versions()
}

/// The newest bundled version: the default target.
pub fn newest_version() -> KubeVersion {
    *bundled_versions()
        .last()
        .expect("the bundle holds at least one version")
}

fn definitions(version: KubeVersion) -> Option<Arc<Definitions>> {
    static CACHE: OnceLock<Mutex<HashMap<KubeVersion, Arc<Definitions>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache.lock().ok()?.get(&version) {
        return Some(Arc::clone(found));
    }
    let loaded = Arc::new(Definitions::load(version)?);
    cache.lock().ok()?.insert(version, Arc::clone(&loaded));
    Some(loaded)
}

/// `version`'s definitions as the structural validator compiles them, on first use, shared by
/// every kind and every catalog of that version. (An older version read only to say when a
/// kind was removed needs none.)
fn library(version: KubeVersion) -> Option<(Arc<Definitions>, Arc<Library>)> {
    static CACHE: OnceLock<Mutex<HashMap<KubeVersion, Arc<Library>>>> = OnceLock::new();
    let definitions = definitions(version)?;
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().ok()?;
    let library = cache
        .entry(version)
        .or_insert_with(|| Arc::new(Library::new(Arc::clone(&definitions) as _)));
    Some((definitions, Arc::clone(library)))
}

/// A custom resource schema and where it came from.
type CustomSchema = (Arc<Value>, String);

/// A custom resource schema made from a CRD read from a file: for `key` (`apiVersion/Kind`),
/// from CRD `name` in `file`.
pub struct CrdSchema {
    pub key: String,
    pub schema: Value,
    pub file: String,
    pub name: String,
}

/// Where the schema for `key` came from: CRD `name` in `file`.
#[derive(Debug)]
pub struct CrdKey {
    pub key: String,
    pub file: String,
    pub name: String,
}

/// The schemas for one target version, with validators compiled on demand.
pub struct Catalog {
    version: KubeVersion,
    definitions: Arc<Definitions>,
    /// The bundled definitions as the structural validator compiles them, on first use.
    library: Arc<Library>,
    /// Schemas from `--crd` files, by `apiVersion/Kind`.
    custom: HashMap<String, CustomSchema>,
    /// Schemas from the chart's CRDs, read as documents need them.
    chart_crds: Option<ChartCrds>,
    /// Bundled custom resource schemas (schemas/crds/), read on first use.
    bundled: Mutex<HashMap<String, Option<CustomSchema>>>,
    schema_locations: Vec<PathBuf>,
    /// By `apiVersion/Kind`; read by every document, written once per kind.
    compiled: RwLock<HashMap<String, Arc<Slot>>>,
    /// The compiled `x-kubernetes-validations` rules of each custom kind looked up so far.
    cel: Mutex<HashMap<String, Arc<crate::validate::cel::Rules>>>,
}

impl Catalog {
    /// The catalog for `version`; custom resource schemas are added with [`Catalog::add_custom`].
    pub fn new(version: KubeVersion) -> Result<Catalog, crate::error::Error> {
        let (definitions, library) = library(version).ok_or_else(|| {
            let versions = bundled_versions();
            crate::error::Error::UnknownKubeVersion {
                version: version.to_string(),
                available: match (versions.first(), versions.last()) {
                    (Some(a), Some(b)) => {
                        format!("{a} to {b}")
                    }
                    _ => "none".into(),
                },
            }
        })?;
        Ok(Catalog {
            version,
            definitions,
            library,
            custom: HashMap::new(),
            chart_crds: None,
            bundled: Mutex::new(HashMap::new()),
            schema_locations: Vec::new(),
            compiled: RwLock::new(HashMap::new()),
            cel: Mutex::new(HashMap::new()),
        })
    }

    /// The custom resource schema for `api_version` + `kind` and its origin: a `--crd` file's,
    /// else the chart's CRDs' (read now, if they were not), else the bundled one.
    fn custom(&self, api_version: &str, kind: &str) -> Option<CustomSchema> {
        let key = format!("{api_version}/{kind}");
        if let Some((schema, origin)) = self.custom.get(&key) {
            return Some((Arc::clone(schema), origin.clone()));
        }
        // A CRD cannot define one of Kubernetes' own kinds: their lookups read no CRD file.
        if self.definitions.kind(&key).is_none()
            && let Some(found) = self
                .chart_crds
                .as_ref()
                .and_then(|crds| crds.schema(&key, kind))
        {
            return Some(found);
        }
        let mut bundled = match self.bundled.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        bundled
            .entry(key)
            .or_insert_with(|| {
                crate::validate::crd::bundled(api_version, kind)
                    .map(|(schema, origin)| (Arc::new(schema), origin))
            })
            .clone()
    }

    pub fn version(&self) -> KubeVersion {
        self.version
    }

    /// Adds (or replaces) the schema for `apiVersion/Kind`, saying where it came from.
    pub fn add_custom(&mut self, key: &str, schema: Value, origin: String) {
        self.custom
            .insert(key.to_string(), (Arc::new(schema), origin));
    }

    /// The chart's CRD files, read as documents need them: after `--crd` files, before the
    /// bundled custom resource schemas.
    pub fn set_chart_crds(&mut self, crds: Option<ChartCrds>) {
        self.chart_crds = crds;
    }

    /// The chart's CRDs the render read: an error for the first file that could not be read
    /// (taken once), else the kinds they gave schemas for and where each came from.
    pub fn chart_crds_read(&self) -> Result<Vec<CrdKey>, crate::error::Error> {
        match &self.chart_crds {
            Some(crds) => crds.read_so_far(),
            None => Ok(Vec::new()),
        }
    }

    /// Whether `key`'s custom schema comes from a CRD file (`--crd` or the chart's), not from
    /// bosun's own schemas/crds/.
    fn is_from_crd_file(&self, key: &str) -> bool {
        self.custom.contains_key(key) || self.chart_crds.as_ref().is_some_and(|crds| crds.has(key))
    }

    /// Also looks for schemas of unknown kinds in `dir` (`--schema-location`).
    pub fn add_schema_location(&mut self, dir: PathBuf) {
        self.schema_locations.push(dir);
    }

    /// The validator for `api_version` + `kind`, compiling it on first use. Different kinds
    /// compile in parallel; each kind compiles once.
    pub fn lookup(&self, api_version: &str, kind: &str) -> Lookup {
        self.answer(&self.slot(api_version, kind), api_version, kind)
    }

    /// [`Catalog::lookup`] and, when it finds a schema, [`Catalog::cel_rules`]: what checking a
    /// document needs, found with one lookup of its kind. The rules are asked for once per kind
    /// and kept in the kind's slot.
    pub fn lookup_with_rules(
        &self,
        api_version: &str,
        kind: &str,
    ) -> (Lookup, Option<Arc<crate::validate::cel::Rules>>) {
        let slot = self.slot(api_version, kind);
        let found = self.answer(&slot, api_version, kind);
        let rules = match found {
            Lookup::Found(..) => slot
                .cel
                .get_or_init(|| self.cel_rules(api_version, kind))
                .clone(),
            _ => None,
        };
        (found, rules)
    }

    /// The slot of `api_version` + `kind`, made empty on first use.
    fn slot(&self, api_version: &str, kind: &str) -> Arc<Slot> {
        let mut buffer = [0; KEY_BUFFER];
        let key = joined(&mut buffer, api_version, kind);
        let found = match self.compiled.read() {
            Ok(compiled) => compiled.get(&*key).map(Arc::clone),
            Err(poisoned) => poisoned.into_inner().get(&*key).map(Arc::clone),
        };
        found.unwrap_or_else(|| {
            let mut compiled = match self.compiled.write() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            Arc::clone(compiled.entry(key.to_string()).or_default())
        })
    }

    /// What `slot` says of `api_version` + `kind`, compiling its schema on first use.
    fn answer(&self, slot: &Slot, api_version: &str, kind: &str) -> Lookup {
        let resolved = slot.schema.get_or_init(|| {
            let mut buffer = [0; KEY_BUFFER];
            self.resolve(api_version, kind, &joined(&mut buffer, api_version, kind))
        });
        match resolved {
            Some(Ok((validator, source))) => Lookup::Found(Arc::clone(validator), source.clone()),
            Some(Err(broken)) => Lookup::Broken(broken.clone()),
            None => {
                if let Some((_, _, project, since, replacement)) = removed_apis::UNSERVED_CUSTOM
                    .iter()
                    .find(|(v, k, ..)| *v == api_version && *k == kind)
                {
                    return Lookup::Removed {
                        project: Some(project),
                        removed_in: Some(since.to_string()),
                        replacement: Some(replacement.to_string()),
                    };
                }
                match removed(self.version, api_version, kind) {
                    Some((removed_in, replacement)) => Lookup::Removed {
                        project: None,
                        removed_in,
                        replacement,
                    },
                    None => Lookup::Missing,
                }
            }
        }
    }

    /// The CEL rules and defaults of the custom schema for `api_version` + `kind` (bundled, from
    /// a CRD, or a `--schema-location` file), compiled on first use; `None` when it has neither.
    pub fn cel_rules(
        &self,
        api_version: &str,
        kind: &str,
    ) -> Option<Arc<crate::validate::cel::Rules>> {
        let mut buffer = [0; KEY_BUFFER];
        let key = joined(&mut buffer, api_version, kind);
        let cached = |cache: &HashMap<String, Arc<crate::validate::cel::Rules>>| {
            cache
                .get(&*key)
                .map(|rules| (!rules.is_empty()).then(|| Arc::clone(rules)))
        };
        let lock = || match self.cel.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        // Kubernetes' own kinds have no CEL rules here: no lock taken for them.
        if self.definitions.kind(&key).is_some() {
            return None;
        }
        if let Some(found) = cached(&lock()) {
            return found;
        }
        let rules = if let Some((schema, _)) = self.custom(api_version, kind) {
            crate::validate::cel::Rules::from_schema(&schema)
        } else {
            // A CRDs-catalog file keeps the CRD's rules and defaults; one that does not read
            // is reported by `lookup`.
            let path = self.located(api_version, kind)?;
            let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
            crate::validate::cel::Rules::from_schema(&schema)
        };
        let rules = Arc::new(rules);
        lock().insert(key.to_string(), Arc::clone(&rules));
        (!rules.is_empty()).then_some(rules)
    }

    /// The CEL rules bosun does not evaluate in the custom schemas looked up so far, by kind:
    /// transition rules and rules that do not compile.
    pub fn cel_skipped(&self) -> Vec<(String, crate::validate::cel::Skipped)> {
        let cache = match self.cel.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let mut out: Vec<_> = cache
            .iter()
            .flat_map(|(key, rules)| rules.skipped.iter().map(|s| (key.clone(), s.clone())))
            .collect();
        out.sort_by(|a, b| (&a.0, &a.1.at).cmp(&(&b.0, &b.1.at)));
        out
    }

    /// The property names listed by the schema object at `pointer` (an error's schema
    /// location, such as `/$defs/io.k8s.api.core.v1.ServicePort`) in the schema of
    /// `api_version` + `kind`: what an unknown field may have meant.
    pub fn properties_at(&self, api_version: &str, kind: &str, pointer: &str) -> Vec<String> {
        let custom = self
            .custom(api_version, kind)
            .and_then(|(schema, _)| schema.pointer(pointer).cloned());
        custom
            .or_else(|| self.definitions.pointer(pointer))
            .as_ref()
            .and_then(|object| object.get("properties"))
            .and_then(Value::as_object)
            .map(|properties| properties.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The `--schema-location` file for `api_version` + `kind`, the first folder that has one.
    fn located(&self, api_version: &str, kind: &str) -> Option<PathBuf> {
        self.schema_locations.iter().find_map(|dir| {
            crate::validate::crd::candidates(dir, api_version, kind)
                .into_iter()
                .find(|path| path.is_file())
        })
    }

    fn resolve(
        &self,
        api_version: &str,
        kind: &str,
        key: &str,
    ) -> Option<Result<(Validator, SchemaSource), Broken>> {
        let definitions = &self.definitions;
        let custom_source = |origin: String| SchemaSource::Custom(origin.into());
        let (schema, source) = if let Some(name) = definitions.kind(key) {
            if let Ok(fast) = Structural::of_definition(name, Arc::clone(&self.library)) {
                let definitions = Arc::clone(definitions);
                let document = Box::new(move || schema_for(&definitions, name));
                return Some(Ok((
                    Arc::new(KindSchema::fast(fast, document)),
                    SchemaSource::Kubernetes,
                )));
            }
            (schema_for(definitions, name), SchemaSource::Kubernetes)
        } else if let Some((schema, origin)) = self.custom(api_version, kind) {
            let source = custom_source(origin);
            let resolve = |name: &str| definitions.get(name);
            // A schema of schemas/crds/ (no CRD of the chart's or `--crd` replaced it).
            let compiled = if self.is_from_crd_file(key) {
                Structural::compile(&schema, &resolve)
            } else {
                Structural::compile_shipped(&schema, &resolve)
            };
            if let Ok(fast) = compiled {
                let definitions = Arc::clone(definitions);
                let document =
                    Box::new(move || with_kubernetes_refs(&definitions, Value::clone(&schema)));
                return Some(Ok((Arc::new(KindSchema::fast(fast, document)), source)));
            }
            (
                with_kubernetes_refs(definitions, Value::clone(&schema)),
                source,
            )
        } else {
            let path = self.located(api_version, kind)?;
            let origin = crate::paths::shown(&path);
            let broken = |reason: String| {
                Some(Err(Broken {
                    origin: origin.clone(),
                    reason,
                    pointer: String::new(),
                }))
            };
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) => return broken(format!("cannot read it: {e}")),
            };
            let schema: Value = match serde_json::from_str(&text) {
                Ok(schema) => schema,
                Err(e) => return broken(format!("not valid JSON: {e}")),
            };
            let source = custom_source(origin.clone());
            // The file is read as it is: its `$ref`s point into itself only.
            if let Ok(fast) = Structural::compile(&schema, &|_| None) {
                let document = Box::new(move || schema.clone());
                return Some(Ok((Arc::new(KindSchema::fast(fast, document)), source)));
            }
            (schema, source)
        };
        Some(match kind_schema::compile(&schema) {
            Ok(validator) => Ok((Arc::new(KindSchema::full(validator)), source)),
            Err(e) => {
                let pointer = e.instance_path().as_str().to_string();
                let at = if pointer.is_empty() {
                    String::new()
                } else {
                    format!(" (at `{pointer}` in the schema)")
                };
                let mut origin = match source {
                    SchemaSource::Kubernetes => "the bundled Kubernetes schemas".into(),
                    SchemaSource::Custom(origin) => origin.to_string(),
                };
                // A --schema-location file: JSON reads as YAML, so the line can be found.
                if let Some(line) = std::fs::read_to_string(&origin)
                    .ok()
                    .and_then(|text| crate::yaml::locate(&text, &pointer))
                    .map(|(line, _)| line)
                {
                    origin = format!("{origin}:{line}");
                }
                Err(Broken {
                    origin,
                    reason: format!("not a valid JSON Schema: {e}{at}"),
                    pointer,
                })
            }
        })
    }

    /// The apiVersions that serve `kind` on this version (for "use X instead").
    pub fn api_versions_of(&self, kind: &str) -> Vec<String> {
        let suffix = format!("/{kind}");
        let mut found: Vec<String> = self
            .definitions
            .kinds()
            .filter_map(|k| k.strip_suffix(&suffix).map(str::to_string))
            .chain(
                self.custom
                    .keys()
                    .cloned()
                    .chain(self.chart_crds.iter().flat_map(|crds| crds.keys_of(kind)))
                    .filter_map(|k| k.strip_suffix(&suffix).map(str::to_string)),
            )
            .chain(crate::validate::crd::bundled_api_versions(kind))
            .collect();
        found.sort();
        found.dedup();
        found
    }
}

/// Room for the `apiVersion/Kind` keys of nearly every document without allocating.
const KEY_BUFFER: usize = 128;

/// `api_version/kind`, written into `buffer` when it fits: the key of the catalog's maps,
/// made for every document.
fn joined<'a>(buffer: &'a mut [u8; KEY_BUFFER], api_version: &str, kind: &str) -> Cow<'a, str> {
    let length = api_version.len() + 1 + kind.len();
    if length > KEY_BUFFER {
        return Cow::Owned(format!("{api_version}/{kind}"));
    }
    buffer[..api_version.len()].copy_from_slice(api_version.as_bytes());
    buffer[api_version.len()] = b'/';
    buffer[api_version.len() + 1..length].copy_from_slice(kind.as_bytes());
    match std::str::from_utf8(&buffer[..length]) {
        Ok(key) => Cow::Borrowed(key),
        Err(_) => Cow::Owned(format!("{api_version}/{kind}")),
    }
}

/// Whether `api_version/kind` existed in an older version and was removed by `target`.
fn removed(
    target: KubeVersion,
    api_version: &str,
    kind: &str,
) -> Option<(Option<String>, Option<String>)> {
    let key = format!("{api_version}/{kind}");
    let replacement_on_target = || {
        definitions(target).and_then(|defs| {
            let suffix = format!("/{kind}");
            let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
            let mut options: Vec<&str> = defs
                .kinds()
                .filter_map(|k| k.strip_suffix(&suffix))
                .filter(|v| !v.contains("beta") && !v.contains("alpha"))
                .collect();
            // The same group first, then the newest version.
            options.sort_by_key(|v| {
                (
                    v.rsplit_once('/').map_or("", |(g, _)| g) == group,
                    v.to_string(),
                )
            });
            options.last().map(|v| v.to_string())
        })
    };
    if let Some((_, _, since, replacement)) = removed_apis::REMOVED_BEFORE_BUNDLE
        .iter()
        .find(|(v, k, _, _)| *v == api_version && *k == kind)
    {
        let replacement = (!replacement.is_empty()).then(|| replacement.to_string());
        return Some((Some(since.to_string()), replacement));
    }
    let older: Vec<KubeVersion> = bundled_versions()
        .into_iter()
        .filter(|v| *v < target)
        .collect();
    let last_served = older
        .iter()
        .rev()
        .find(|v| definitions(**v).is_some_and(|d| d.kind(&key).is_some()))?;
    let removed_in = bundled_versions()
        .into_iter()
        .find(|v| v > last_served)
        .map(|v| v.to_string());
    Some((removed_in, replacement_on_target()))
}

#[cfg(test)]
#[path = "schema_key_tests.rs"]
mod key_tests;

#[cfg(test)]
#[path = "schema_rules_tests.rs"]
mod rules_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn catalog(minor: u64) -> Catalog {
        Catalog::new(KubeVersion { major: 1, minor }).unwrap()
    }

    #[test]
    fn the_bundle_covers_1_30_to_1_35_at_least() {
        let versions = bundled_versions();
        for minor in 30..=35 {
            assert!(
                versions.contains(&KubeVersion { major: 1, minor }),
                "1.{minor}"
            );
        }
    }

    #[test]
    fn a_deployment_is_checked_strictly() {
        let Lookup::Found(validator, SchemaSource::Kubernetes) =
            catalog(35).lookup("apps/v1", "Deployment")
        else {
            panic!("no Deployment schema")
        };
        let good = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
            "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}},
            "spec": {"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 80}]}]}}}});
        assert!(validator.is_valid(&good));
        let mut unknown = good.clone();
        unknown["spec"]["replicaz"] = json!(2);
        assert!(!validator.is_valid(&unknown));
        let mut wrong_type = good.clone();
        wrong_type["spec"]["replicas"] = json!("two");
        assert!(!validator.is_valid(&wrong_type));
        let mut missing = good.clone();
        missing["spec"]["template"]["spec"]["containers"][0]
            .as_object_mut()
            .unwrap()
            .remove("name");
        assert!(!validator.is_valid(&missing));
    }

    #[test]
    fn removed_api_versions_name_their_replacement() {
        let Lookup::Removed { replacement, .. } =
            catalog(30).lookup("extensions/v1beta1", "Ingress")
        else {
            panic!("extensions/v1beta1 Ingress is not reported removed")
        };
        assert_eq!(replacement.as_deref(), Some("networking.k8s.io/v1"));
        let Lookup::Removed {
            removed_in,
            replacement,
            ..
        } = catalog(30).lookup("autoscaling/v2beta2", "HorizontalPodAutoscaler")
        else {
            panic!("autoscaling/v2beta2 is not reported removed")
        };
        assert_eq!(removed_in.as_deref(), Some("1.26"));
        assert_eq!(replacement.as_deref(), Some("autoscaling/v2"));
    }

    #[test]
    fn apis_removed_in_the_oldest_bundled_version_are_removed_not_missing() {
        for (api_version, kind) in [
            ("policy/v1beta1", "PodDisruptionBudget"),
            ("autoscaling/v2beta1", "HorizontalPodAutoscaler"),
            ("batch/v1beta1", "CronJob"),
            ("policy/v1beta1", "PodSecurityPolicy"),
        ] {
            assert!(
                matches!(
                    catalog(25).lookup(api_version, kind),
                    Lookup::Removed { .. }
                ),
                "{api_version} {kind}"
            );
        }
        let Lookup::Removed { replacement, .. } =
            catalog(30).lookup("extensions/v1beta1", "PodSecurityPolicy")
        else {
            panic!("PodSecurityPolicy is not reported removed")
        };
        assert_eq!(replacement, None, "PodSecurityPolicy has no replacement");
    }

    #[test]
    fn an_unknown_kind_is_missing() {
        assert!(matches!(
            catalog(35).lookup("example.com/v1", "Gizmo"),
            Lookup::Missing
        ));
    }

    #[test]
    fn cel_rules_are_compiled_only_for_a_kind_a_document_asks_for() {
        let mut catalog = catalog(35);
        let schema = json!({"type": "object", "properties": {"spec": {"type": "object",
            "x-kubernetes-validations": [{"rule": "self == oldSelf"}]}}});
        catalog.add_custom("example.com/v1/Widget", schema, "test".into());
        // Looking the kind up (as the up-front check of a chart's CRDs does) compiles no rule.
        assert!(matches!(
            catalog.lookup("example.com/v1", "Widget"),
            Lookup::Found(..)
        ));
        assert!(catalog.cel_skipped().is_empty());
        let _ = catalog.cel_rules("example.com/v1", "Widget");
        assert_eq!(catalog.cel_skipped().len(), 1, "the transition rule");
    }
}

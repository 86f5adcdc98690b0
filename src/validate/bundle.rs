//! Reads schemas/kubernetes.bundle (written by schemas/build_bundle.py): plain text, one
//! definition a line, each stored once however many versions share it. A run looks up only
//! the version it validates against and parses only the definitions its kinds reach, so a chart
//! of ConfigMaps never reads the Pod schemas; nothing is unpacked and no whole-API tree is built.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use crate::kube_version::KubeVersion;

static BUNDLE: &str = include_str!("../../schemas/kubernetes.bundle");

/// The bundle's versions, each with its line of entry numbers, and where the entries start.
struct Layout {
    versions: Vec<(KubeVersion, &'static str)>,
    entries: &'static str,
}

fn layout() -> &'static Layout {
    static LAYOUT: OnceLock<Layout> = OnceLock::new();
    LAYOUT.get_or_init(|| {
        let mut versions = Vec::new();
        let mut rest = BUNDLE;
        while let Some((line, after)) = rest.split_once('\n') {
            rest = after;
            if let Some(listed) = line.strip_prefix("version ") {
                let (version, ids) = listed.split_once(' ').unwrap_or((listed, ""));
                if let Ok(version) = KubeVersion::parse(version) {
                    versions.push((version, ids));
                }
            } else if line.starts_with("entries ") {
                break;
            }
        }
        versions.sort_by_key(|(version, _)| *version);
        Layout {
            versions,
            entries: rest,
        }
    })
}

/// Each entry's line (`NAME<TAB>KINDS<TAB>JSON`), found once per run by one scan for newlines.
fn entry_lines() -> &'static [&'static str] {
    static LINES: OnceLock<Vec<&'static str>> = OnceLock::new();
    LINES.get_or_init(|| layout().entries.lines().collect())
}

/// The Kubernetes versions whose schemas are bundled, oldest first.
pub fn versions() -> Vec<KubeVersion> {
    layout()
        .versions
        .iter()
        .map(|(version, _)| *version)
        .collect()
}

/// One version's definitions: each one's schema text by name, parsed on first use.
pub struct Definitions {
    texts: HashMap<&'static str, &'static str>,
    /// `apps/v1/Deployment` to the name of the definition that describes it.
    pub kinds: HashMap<String, &'static str>,
    parsed: Mutex<HashMap<&'static str, Arc<Value>>>,
}

impl Definitions {
    /// `version`'s definitions, or `None` when the bundle does not hold that version.
    pub fn load(version: KubeVersion) -> Option<Definitions> {
        let (_, ids) = layout().versions.iter().find(|(v, _)| *v == version)?;
        let lines = entry_lines();
        let mut texts = HashMap::with_capacity(1024);
        let mut kinds = HashMap::with_capacity(256);
        for id in ids.split(' ') {
            let line = lines.get(id.parse::<usize>().ok()?)?;
            let (name, rest) = line.split_once('\t')?;
            let (served, text) = rest.split_once('\t')?;
            texts.insert(name, text);
            for key in served.split(',').filter(|key| !key.is_empty()) {
                kinds.insert(key.to_string(), name);
            }
        }
        Some(Definitions {
            texts,
            kinds,
            parsed: Mutex::new(HashMap::new()),
        })
    }

    /// The definition called `name`, parsed once and shared.
    pub fn get(&self, name: &str) -> Option<Arc<Value>> {
        let (&name, &text) = self.texts.get_key_value(name)?;
        let mut parsed = match self.parsed.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(found) = parsed.get(name) {
            return Some(Arc::clone(found));
        }
        let value = Arc::new(serde_json::from_str(text).ok()?);
        parsed.insert(name, Arc::clone(&value));
        Some(value)
    }

    /// What a JSON pointer into `{"$defs": {...}}` (`/$defs/NAME/properties`) points to.
    pub fn pointer(&self, pointer: &str) -> Option<Value> {
        let rest = pointer.strip_prefix("/$defs/")?;
        let (name, inner) = match rest.find('/') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, ""),
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        self.get(&name)?.pointer(inner).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_lists_entries_that_read_as_named_definitions() {
        for version in versions() {
            let definitions = Definitions::load(version).expect("a listed version loads");
            assert!(definitions.texts.len() > 500, "{version}");
            for (key, name) in &definitions.kinds {
                assert!(
                    definitions.texts.contains_key(name),
                    "{version} {key}: no {name}"
                );
            }
            for name in definitions.texts.keys() {
                assert!(definitions.get(name).is_some(), "{version} {name}");
            }
        }
    }

    #[test]
    fn a_pointer_reads_inside_a_definition() {
        let definitions = Definitions::load(*versions().last().unwrap()).unwrap();
        let ports = definitions
            .pointer("/$defs/io.k8s.api.core.v1.ServicePort/properties")
            .unwrap();
        assert!(ports.get("targetPort").is_some());
        assert!(definitions.pointer("/$defs/no.such.Thing").is_none());
    }
}

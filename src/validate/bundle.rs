//! Reads schemas/kubernetes.bundle (written by schemas/build_bundle.py): plain text, one
//! definition a line, each stored once however many versions share it. A run looks up only
//! the version it validates against and parses only the definitions its kinds reach, so a chart
//! of ConfigMaps never reads the Pod schemas; nothing is unpacked and no whole-API tree is built.
//! The bundle's index (names, kinds and lengths) is read at build time (build/bundle_index.rs)
//! into tables of offsets: a run reads no index and sorts nothing, and the schemas' text, nine
//! tenths of the bundle, is touched only where a definition is used.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use crate::kube_version::KubeVersion;
use crate::validate::structural::Source;

static BUNDLE: &str = include_str!("../../schemas/kubernetes.bundle");

/// One version's row of the index: the version as the bundle spells it, its entry numbers in
/// name order, and its kinds, (key start, key length, place in the numbers), in key order.
type Version = (&'static str, &'static [u16], &'static [(u32, u32, u16)]);

// `ENTRIES` and `VERSIONS`: the bundle's index, read at build time (build/bundle_index.rs).
include!(concat!(env!("OUT_DIR"), "/bundle_index.rs"));

/// The bundle's text from `start`, `len` bytes long.
fn text(start: u32, len: u32) -> &'static str {
    let start = start as usize;
    BUNDLE.get(start..start + len as usize).unwrap_or_default()
}

/// The name of the definition numbered `number` in the bundle's index.
fn entry_name(number: u16) -> &'static str {
    ENTRIES
        .get(usize::from(number))
        .map_or("", |&[start, len, ..]| text(start, len))
}

/// The bundle's versions, oldest first, each with its row of `VERSIONS`.
fn header() -> &'static [(KubeVersion, usize)] {
    static HEADER: OnceLock<Vec<(KubeVersion, usize)>> = OnceLock::new();
    HEADER.get_or_init(|| {
        let mut versions: Vec<(KubeVersion, usize)> = VERSIONS
            .iter()
            .enumerate()
            .filter_map(|(row, (version, ..))| Some((KubeVersion::parse(version).ok()?, row)))
            .collect();
        versions.sort_by_key(|(version, _)| *version);
        versions
    })
}

/// The Kubernetes versions whose schemas are bundled, oldest first.
pub fn versions() -> Vec<KubeVersion> {
    header().iter().map(|(version, _)| *version).collect()
}

/// One version's definitions: each one's schema text by name, parsed on first use. Names and
/// kinds are found by binary search in two lists sorted at build time.
pub struct Definitions {
    /// Each definition's number in the bundle's index, in name order.
    numbers: &'static [u16],
    /// (`apps/v1/Deployment` as an offset and length into the bundle, the place in `numbers`
    /// of the definition that describes it), in key order.
    kinds: &'static [(u32, u32, u16)],
    parsed: Mutex<HashMap<u32, Arc<Value>>>,
}

impl Definitions {
    /// `version`'s definitions, or `None` when the bundle does not hold that version.
    pub fn load(version: KubeVersion) -> Option<Definitions> {
        let &(_, row) = header().iter().find(|(v, _)| *v == version)?;
        let (_, numbers, kinds) = VERSIONS.get(row)?;
        Some(Definitions {
            numbers,
            kinds,
            parsed: Mutex::new(HashMap::new()),
        })
    }

    /// The place in `numbers` of the definition called `name`.
    fn place(&self, name: &str) -> Option<u32> {
        self.numbers
            .binary_search_by(|&number| entry_name(number).cmp(name))
            .ok()
            .map(|place| place as u32)
    }

    fn name(&self, place: u32) -> &'static str {
        self.numbers
            .get(place as usize)
            .map_or("", |&number| entry_name(number))
    }

    /// The name of the definition that describes `key` (`apps/v1/Deployment`).
    pub fn kind(&self, key: &str) -> Option<&'static str> {
        let found = self
            .kinds
            .binary_search_by(|&(start, len, _)| text(start, len).cmp(key))
            .ok()?;
        Some(self.name(u32::from(self.kinds[found].2)))
    }

    /// Every `group/version/Kind` the version serves.
    pub fn kinds(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.kinds.iter().map(|&(start, len, _)| text(start, len))
    }

    /// The definition called `name`, parsed once and shared.
    pub fn get(&self, name: &str) -> Option<Arc<Value>> {
        let place = self.place(name)?;
        let mut parsed = match self.parsed.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(found) = parsed.get(&place) {
            return Some(Arc::clone(found));
        }
        let value = Arc::new(self.parse(place)?);
        parsed.insert(place, Arc::clone(&value));
        Some(value)
    }

    /// The schema of the definition at `place`, parsed afresh.
    fn parse(&self, place: u32) -> Option<Value> {
        let number = *self.numbers.get(place as usize)?;
        let &[_, _, start, len] = ENTRIES.get(usize::from(number))?;
        serde_json::from_str(text(start, len)).ok()
    }

    /// The names of the version's definitions, in order.
    #[cfg(test)]
    pub fn names(&self) -> Vec<&'static str> {
        (0..self.numbers.len() as u32)
            .map(|place| self.name(place))
            .collect()
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

/// The structural validator's library reads the definitions by place, each parsed once when
/// first compiled and not kept: the validator keeps what it compiled.
impl Source for Definitions {
    fn count(&self) -> usize {
        self.numbers.len()
    }

    fn number(&self, name: &str) -> Option<u32> {
        self.place(name)
    }

    fn schema(&self, number: u32) -> Option<Value> {
        self.parse(number)
    }
}

#[cfg(test)]
#[path = "bundle_tests.rs"]
mod index_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_lists_entries_that_read_as_named_definitions() {
        for version in versions() {
            let definitions = Definitions::load(version).expect("a listed version loads");
            let names = definitions.names();
            assert!(names.len() > 500, "{version}");
            assert!(names.is_sorted(), "{version}: names in order");
            for key in definitions.kinds() {
                let name = definitions.kind(key).unwrap();
                assert!(
                    definitions.get(name).is_some(),
                    "{version} {key}: no {name}"
                );
            }
            let keys: Vec<&str> = definitions.kinds().collect();
            assert!(keys.is_sorted_by(|a, b| a < b), "{version}: each kind once");
            assert!(
                definitions.kind("apps/v1/Deployment").is_some(),
                "{version}"
            );
            assert!(definitions.kind("apps/v1/Gizmo").is_none(), "{version}");
            for name in names {
                assert!(definitions.get(name).is_some(), "{version} {name}");
            }
        }
    }

    #[test]
    fn the_index_cuts_the_entries_at_their_line_breaks() {
        assert!(ENTRIES.len() > 1000);
        for &[name_start, name_len, start, len] in &ENTRIES {
            let name = text(name_start, name_len);
            let end = (start + len) as usize;
            assert_eq!(BUNDLE.as_bytes().get(end), Some(&b'\n'), "{name}");
            assert!(!text(start, len).contains('\n'), "{name}");
        }
        let &[_, _, start, len] = ENTRIES.last().unwrap();
        assert_eq!((start + len + 1) as usize, BUNDLE.len());
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

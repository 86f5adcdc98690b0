//! Reads schemas/kubernetes.bundle (written by schemas/build_bundle.py): plain text, one
//! definition a line, each stored once however many versions share it. A run looks up only
//! the version it validates against and parses only the definitions its kinds reach, so a chart
//! of ConfigMaps never reads the Pod schemas; nothing is unpacked and no whole-API tree is built.
//! The bundle's index (names, kinds and lengths) is all a run reads through: the schemas' text,
//! nine tenths of the bundle, is touched only where a definition is used.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use crate::kube_version::KubeVersion;
use crate::validate::structural::Source;

static BUNDLE: &str = include_str!("../../schemas/kubernetes.bundle");

/// One definition of the bundle's index: where its schema's text is among the entries.
struct Entry {
    name: &'static str,
    /// The `group/version/Kind`s it serves, comma-separated.
    served: &'static str,
    start: usize,
    len: usize,
}

/// The bundle's versions, oldest first, each with its line of entry numbers; and where the
/// index starts.
struct Header {
    versions: Vec<(KubeVersion, &'static str)>,
    index: &'static str,
}

/// The bundle's index and the entries' text.
struct Layout {
    index: Vec<Entry>,
    entries: &'static str,
}

/// The bundle's first lines only: the default Kubernetes version is asked for first, on the
/// way to rendering, and needs none of the index.
fn header() -> &'static Header {
    static HEADER: OnceLock<Header> = OnceLock::new();
    HEADER.get_or_init(|| {
        let mut versions = Vec::new();
        let mut rest = BUNDLE;
        while let Some((line, after)) = rest.split_once('\n') {
            rest = after;
            if let Some(listed) = line.strip_prefix("version ") {
                let (version, ids) = listed.split_once(' ').unwrap_or((listed, ""));
                if let Ok(version) = KubeVersion::parse(version) {
                    versions.push((version, ids));
                }
            } else if line.starts_with("index ") {
                break;
            }
        }
        versions.sort_by_key(|(version, _)| *version);
        Header {
            versions,
            index: rest,
        }
    })
}

fn layout() -> &'static Layout {
    static LAYOUT: OnceLock<Layout> = OnceLock::new();
    LAYOUT.get_or_init(|| {
        let mut index = Vec::new();
        let mut rest = header().index;
        let mut start = 0;
        while let Some((line, after)) = rest.split_once('\n') {
            rest = after;
            if line == "entries" {
                break;
            }
            let mut fields = line.splitn(3, '\t');
            let (Some(name), Some(served), Some(Ok(len))) =
                (fields.next(), fields.next(), fields.next().map(str::parse))
            else {
                break;
            };
            index.push(Entry {
                name,
                served,
                start,
                len,
            });
            start += len + 1;
        }
        Layout {
            index,
            entries: rest,
        }
    })
}

/// The Kubernetes versions whose schemas are bundled, oldest first.
pub fn versions() -> Vec<KubeVersion> {
    header()
        .versions
        .iter()
        .map(|(version, _)| *version)
        .collect()
}

/// One version's definitions: each one's schema text by name, parsed on first use. Names and
/// kinds are found by binary search in two short lists, which cost a run less to build than
/// hash maps of them (a thousand entries, most never asked for).
pub struct Definitions {
    /// Each definition's number in the bundle's index, in name order.
    numbers: Vec<u32>,
    /// `apps/v1/Deployment` and the place in `numbers` of the definition that describes it, in
    /// key order.
    kinds: Vec<(&'static str, u32)>,
    parsed: Mutex<HashMap<u32, Arc<Value>>>,
}

impl Definitions {
    /// `version`'s definitions, or `None` when the bundle does not hold that version.
    pub fn load(version: KubeVersion) -> Option<Definitions> {
        let (_, ids) = header().versions.iter().find(|(v, _)| *v == version)?;
        let index = &layout().index;
        let mut numbers = Vec::with_capacity(1024);
        let mut in_order = true;
        for id in ids.split(' ') {
            let number = id.parse::<u32>().ok()?;
            let entry = index.get(number as usize)?;
            if let Some(&last) = numbers.last() {
                in_order &= index[last as usize].name < entry.name;
            }
            numbers.push(number);
        }
        // build_bundle.py lists each version's entries in name order; should one not be, the
        // list is sorted here.
        if !in_order {
            numbers.sort_by_key(|&number| index[number as usize].name);
        }
        let mut kinds = Vec::with_capacity(256);
        for (place, &number) in numbers.iter().enumerate() {
            let served = index[number as usize].served;
            for key in served.split(',').filter(|key| !key.is_empty()) {
                kinds.push((key, place as u32));
            }
        }
        kinds.sort_by_key(|&(key, _)| key);
        Some(Definitions {
            numbers,
            kinds,
            parsed: Mutex::new(HashMap::new()),
        })
    }

    /// The place in `numbers` of the definition called `name`.
    fn place(&self, name: &str) -> Option<u32> {
        let index = &layout().index;
        self.numbers
            .binary_search_by(|&number| index[number as usize].name.cmp(name))
            .ok()
            .map(|place| place as u32)
    }

    fn name(&self, place: u32) -> &'static str {
        layout().index[self.numbers[place as usize] as usize].name
    }

    /// The name of the definition that describes `key` (`apps/v1/Deployment`).
    pub fn kind(&self, key: &str) -> Option<&'static str> {
        let found = self.kinds.binary_search_by(|&(k, _)| k.cmp(key)).ok()?;
        Some(self.name(self.kinds[found].1))
    }

    /// Every `group/version/Kind` the version serves.
    pub fn kinds(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.kinds.iter().map(|&(key, _)| key)
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
        let layout = layout();
        let entry = layout
            .index
            .get(*self.numbers.get(place as usize)? as usize)?;
        let text = layout.entries.get(entry.start..entry.start + entry.len)?;
        serde_json::from_str(text).ok()
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
        let layout = layout();
        assert!(layout.index.len() > 1000);
        for entry in &layout.index {
            let end = entry.start + entry.len;
            assert_eq!(
                layout.entries.as_bytes().get(end),
                Some(&b'\n'),
                "{}",
                entry.name
            );
            assert!(
                !layout.entries[entry.start..end].contains('\n'),
                "{}",
                entry.name
            );
        }
        let last = layout.index.last().unwrap();
        assert_eq!(last.start + last.len + 1, layout.entries.len());
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

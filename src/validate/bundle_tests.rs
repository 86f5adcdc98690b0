//! Holds the build-time index of the bundle (build/bundle_index.rs) to what reading the bundle's
//! own text at run time, as bosun did before, finds: the same versions, the same definitions in
//! the same order, each kind served by the same definition.

use super::{BUNDLE, Definitions, versions};
use crate::kube_version::KubeVersion;

/// One version as read from the bundle's text: its definitions' names in name order, and
/// (`group/version/Kind`, definition name) in key order.
struct Read {
    version: KubeVersion,
    names: Vec<&'static str>,
    kinds: Vec<(&'static str, &'static str)>,
}

/// The bundle read line by line, as its format says (schemas/build_bundle.py).
fn read_text() -> Vec<Read> {
    let mut lines = BUNDLE.lines();
    let mut listed = Vec::new();
    for line in lines.by_ref() {
        if let Some(rest) = line.strip_prefix("version ") {
            let (version, ids) = rest.split_once(' ').unwrap();
            let ids: Vec<usize> = ids.split(' ').map(|id| id.parse().unwrap()).collect();
            listed.push((KubeVersion::parse(version).unwrap(), ids));
        } else if line.starts_with("index ") {
            break;
        }
    }
    let index: Vec<(&str, &str)> = lines
        .take_while(|line| *line != "entries")
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            (fields.next().unwrap(), fields.next().unwrap())
        })
        .collect();
    let mut out: Vec<Read> = listed
        .into_iter()
        .map(|(version, ids)| {
            let mut names: Vec<&str> = ids.iter().map(|&id| index[id].0).collect();
            names.sort();
            let mut kinds: Vec<(&str, &str)> = ids
                .iter()
                .flat_map(|&id| {
                    let (name, served) = index[id];
                    served
                        .split(',')
                        .filter(|key| !key.is_empty())
                        .map(move |key| (key, name))
                })
                .collect();
            kinds.sort();
            Read {
                version,
                names,
                kinds,
            }
        })
        .collect();
    out.sort_by_key(|read| read.version);
    out
}

#[test]
fn the_build_time_index_finds_what_reading_the_bundle_text_finds() {
    let read = read_text();
    assert_eq!(
        versions(),
        read.iter().map(|r| r.version).collect::<Vec<_>>()
    );
    for expected in read {
        let version = expected.version;
        let definitions = Definitions::load(version).unwrap();
        assert_eq!(definitions.names(), expected.names, "{version}");
        let kinds: Vec<(&str, &str)> = definitions
            .kinds()
            .map(|key| (key, definitions.kind(key).unwrap()))
            .collect();
        assert_eq!(kinds, expected.kinds, "{version}");
        for (place, name) in expected.names.iter().enumerate() {
            assert_eq!(
                definitions.place(name),
                Some(place as u32),
                "{version} {name}"
            );
        }
        assert_eq!(definitions.place("io.k8s.no.such.Thing"), None);
    }
}

#[test]
fn an_unbundled_version_has_no_definitions() {
    assert!(Definitions::load(KubeVersion { major: 1, minor: 2 }).is_none());
    assert!(
        Definitions::load(KubeVersion {
            major: 2,
            minor: 30
        })
        .is_none()
    );
}

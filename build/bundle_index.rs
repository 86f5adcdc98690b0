//! Indexes schemas/kubernetes.bundle at build time, so that a run finds a version's definitions
//! and kinds in tables compiled into the binary instead of reading the bundle's index and
//! building sorted lists of it at every start. Writes `OUT_DIR/bundle_index.rs`: offsets into
//! the bundle's text (which the binary embeds as it is), no pointers, so the tables cost the
//! loader nothing and a run touches only the rows of the version it validates against.

use std::fmt::Write as _;
use std::path::Path;

/// One definition of the bundle's index, as offsets into the bundle's text.
struct Entry<'a> {
    name: &'a str,
    name_start: usize,
    /// Each `group/version/Kind` it serves, with its offset.
    served: Vec<(&'a str, usize)>,
    start: usize,
    len: usize,
}

/// The offset of `part` (a slice of `whole`) in `whole`.
fn offset(whole: &str, part: &str) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

/// Reads the bundle as `src/validate/bundle.rs` did at run time; a bundle it cannot read is a
/// build error, as schemas/build_bundle.py writes it and its check reads it.
fn read(bundle: &str) -> (Vec<(&str, Vec<usize>)>, Vec<Entry<'_>>) {
    let mut versions = Vec::new();
    let mut lines = bundle.split_inclusive('\n');
    for line in lines.by_ref() {
        let line = line.trim_end_matches('\n');
        if let Some(listed) = line.strip_prefix("version ") {
            let (version, ids) = listed.split_once(' ').unwrap_or((listed, ""));
            let ids = ids
                .split(' ')
                .filter(|id| !id.is_empty())
                .map(|id| id.parse().expect("an entry number"))
                .collect();
            versions.push((version, ids));
        } else if line.starts_with("index ") {
            break;
        }
    }
    let mut entries = Vec::new();
    let mut index_lines = Vec::new();
    for line in lines.by_ref() {
        let line = line.trim_end_matches('\n');
        if line == "entries" {
            break;
        }
        index_lines.push(line);
    }
    let text_start = lines
        .next()
        .map_or(bundle.len(), |first| offset(bundle, first));
    let mut start = text_start;
    for line in index_lines {
        let mut fields = line.splitn(3, '\t');
        let (Some(name), Some(served), Some(len)) = (fields.next(), fields.next(), fields.next())
        else {
            panic!("kubernetes.bundle: an index line without three fields: {line:?}");
        };
        let len: usize = len.parse().expect("an entry length");
        assert_eq!(
            bundle.as_bytes().get(start + len),
            Some(&b'\n'),
            "kubernetes.bundle: entry {name} does not end at a line break"
        );
        entries.push(Entry {
            name,
            name_start: offset(bundle, name),
            served: served
                .split(',')
                .filter(|key| !key.is_empty())
                .map(|key| (key, offset(bundle, key)))
                .collect(),
            start,
            len,
        });
        start += len + 1;
    }
    (versions, entries)
}

/// Writes `OUT_DIR/bundle_index.rs` for the bundle at `path`.
pub fn write(path: &Path, out: &Path) {
    println!("cargo:rerun-if-changed={}", path.display());
    let bundle = std::fs::read_to_string(path).expect("schemas/kubernetes.bundle reads");
    let (versions, entries) = read(&bundle);
    assert!(
        entries.len() <= usize::from(u16::MAX),
        "entry numbers fit in u16"
    );
    let mut code = String::new();
    writeln!(
        code,
        "/// Each definition's (name start, name length, schema start, schema length) in the \
         bundle's text, by entry number.\nstatic ENTRIES: [[u32; 4]; {}] = [",
        entries.len()
    )
    .unwrap();
    for entry in &entries {
        writeln!(
            code,
            "    [{}, {}, {}, {}],",
            entry.name_start,
            entry.name.len(),
            entry.start,
            entry.len
        )
        .unwrap();
    }
    code.push_str("];\n");
    writeln!(
        code,
        "/// Each version as the bundle spells it, its entry numbers in name order, and the \
         kinds it serves, (key start, key length, place in the numbers), in key order.\n\
         static VERSIONS: [Version; {}] = [",
        versions.len()
    )
    .unwrap();
    for (version, ids) in &versions {
        let mut numbers = ids.clone();
        numbers.sort_by_key(|&number| entries[number].name);
        let mut kinds: Vec<(&str, usize, usize)> = Vec::new();
        for (place, &number) in numbers.iter().enumerate() {
            for &(key, start) in &entries[number].served {
                kinds.push((key, start, place));
            }
        }
        kinds.sort_by_key(|&(key, ..)| key);
        writeln!(code, "    ({version:?}, &{numbers:?}, &[").unwrap();
        for (key, start, place) in kinds {
            writeln!(code, "        ({start}, {}, {place}),", key.len()).unwrap();
        }
        code.push_str("    ]),\n");
    }
    code.push_str("];\n");
    std::fs::write(out.join("bundle_index.rs"), code).unwrap();
}

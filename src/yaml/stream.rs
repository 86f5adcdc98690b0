//! Streams of documents on the fast read path: a stream is cut at its `---` lines and each
//! part read by [`super::fast::parse`]. A chart's crds/ folder holds megabytes of plain YAML
//! that serde-saphyr would read at a third of the speed.
//!
//! The cut is taken only when it cannot change the answer: every marker line is a bare `---`,
//! there are no `%` directives and no byte-order marks, and every part takes the fast path.
//! Otherwise the caller reads the whole text with serde-saphyr, which also writes every error.

use serde_json::Value;

use super::{fast, is_blank};

/// The documents of `text` (empty ones dropped), or `None` when serde-saphyr must read it.
pub(super) fn parse(text: &str) -> Option<Vec<Value>> {
    if text.starts_with('%') || text.contains("\n%") || text.contains('\u{feff}') {
        return None;
    }
    let mut documents = Vec::new();
    let mut start = 0;
    // The lines that start with `---`, found by one vectorized search rather than a look at
    // every line (a CRD file has tens of thousands).
    let bytes = text.as_bytes();
    let markers = text
        .starts_with("---")
        .then_some(0)
        .into_iter()
        .chain(memchr::memmem::find_iter(bytes, b"\n---").map(|at| at + 1));
    for at in markers {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |n| at + n + 1);
        if !text[at + 3..end].trim_end_matches(['\n', '\r']).is_empty() {
            // `--- text`, `---x`: left to serde-saphyr, which knows what each one means.
            return None;
        }
        read_part(&text[start..at], &mut documents)?;
        start = end;
    }
    read_part(&text[start..], &mut documents)?;
    Some(documents)
}

fn read_part(part: &str, documents: &mut Vec<Value>) -> Option<()> {
    if is_blank(part) {
        return Some(());
    }
    match fast::parse(part)? {
        Value::Null => {}
        value => documents.push(value),
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::parse;

    /// What serde-saphyr alone makes of a stream (the answer the fast path must give).
    fn slow(text: &str) -> Option<Vec<Value>> {
        serde_saphyr::from_multiple_with_options::<Value>(text, crate::yaml::options())
            .ok()
            .map(|docs| docs.into_iter().filter(|d| !d.is_null()).collect())
    }

    fn assert_same(text: &str) {
        if let Some(fast) = parse(text) {
            assert_eq!(Some(fast), slow(text), "{text:?}");
        }
    }

    #[test]
    fn reads_plain_documents_between_markers() {
        let text = "# head\na: 1\n---\n---\n# only a comment\n---\nb: [x, z]\n---\n~\n";
        assert_eq!(
            parse(text),
            Some(vec![json!({"a": 1}), json!({"b": ["x", "z"]})])
        );
        assert_same(text);
    }

    #[test]
    fn leaves_markers_with_content_directives_and_anchors_to_serde_saphyr() {
        for text in [
            "a: 1\n--- b: 2\n",
            "a: 1\n--- |\n  text\n",
            "%YAML 1.1\n---\na: 1\n",
            "a: 1\n...\n---\nb: 2\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "\u{feff}a: 1\n",
            "a: 1\na: 2\n",
            "a: 'open\n---\nb: 2\n",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn the_repositorys_yaml_files_read_as_serde_saphyr_reads_them() {
        let (mut read, mut crds) = (0, 0);
        for (path, text) in crate::yaml::repository_yaml_files() {
            if let Some(fast) = parse(&text) {
                assert_eq!(Some(fast), slow(&text), "{}", path.display());
                read += 1;
                crds += usize::from(text.contains("kind: CustomResourceDefinition"));
            }
        }
        assert!(
            read > 100 && crds >= 2,
            "{read} files, {crds} of CRDs took the fast path"
        );
    }

    /// Lines a stream is made of: markers of every kind, plain entries, blank and comment lines.
    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("---".to_string()),
            Just("--- ".to_string()),
            Just("---x: 1".to_string()),
            Just("--- a: 1".to_string()),
            Just("...".to_string()),
            Just("%YAML 1.2".to_string()),
            Just(String::new()),
            Just("# note".to_string()),
            Just("~".to_string()),
            Just("- item".to_string()),
            Just("key: |".to_string()),
            Just("  block text".to_string()),
            "[a-c]{1,2}: [a-z0-9 ]{0,6}",
            "  [a-c]{1,2}: [a-z0-9'\"]{0,4}",
        ]
    }

    proptest! {
        #[test]
        fn a_stream_reads_as_serde_saphyr_reads_it(lines in prop::collection::vec(line(), 0..16)) {
            let text = lines.join("\n") + "\n";
            if let Some(fast) = parse(&text) {
                prop_assert_eq!(Some(fast), slow(&text), "{:?}", text);
            }
        }
    }
}

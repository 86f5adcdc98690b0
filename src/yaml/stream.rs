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
    if text.starts_with('%') || text.contains("\n%") || text.contains('\u{feff}') || may_fold(text)
    {
        return None;
    }
    let mut documents = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            if !rest.trim_end_matches(['\n', '\r']).is_empty() {
                // `--- text`, `---x`: left to serde-saphyr, which knows what each one means.
                return None;
            }
            read_part(&text[start..offset], &mut documents)?;
            start = offset + line.len();
        }
        offset += line.len();
    }
    read_part(&text[start..], &mut documents)?;
    Some(documents)
}

/// Whether `text` may hold a plain scalar that goes on over several lines (controller-gen
/// writes long descriptions so): the fast path declines those, but only after reading up to
/// them, which made such a stream slower than serde-saphyr alone. One look at each pair of
/// lines: a plain value, then a deeper line that is no entry. It may say yes wrongly (lines of
/// a block scalar), which only costs the fast path.
fn may_fold(text: &str) -> bool {
    let mut open: Option<usize> = None;
    for line in text.lines() {
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        if open.is_some_and(|at| indent > at) && !body.is_empty() && !is_entry(body) {
            return true;
        }
        open = has_plain_value(body).then_some(indent);
    }
    false
}

/// A line that starts a list item, a mapping entry or a comment.
fn is_entry(body: &str) -> bool {
    body.starts_with("- ")
        || body == "-"
        || body.starts_with('#')
        || body.contains(": ")
        || body.ends_with(':')
}

/// A line that ends in a plain scalar (`key: text`, `- text`), which the next line may go on.
fn has_plain_value(body: &str) -> bool {
    let mut rest = body;
    while let Some(item) = rest.strip_prefix("- ") {
        rest = item.trim_start_matches(' ');
    }
    let value = match rest.find(": ") {
        Some(at) => rest[at + 2..].trim_start_matches(' '),
        None if rest.ends_with(':') => "",
        None if rest.len() < body.len() => rest,
        None => "",
    };
    value
        .bytes()
        .next()
        .is_some_and(|first| !b"'\"|>{[&*!#".contains(&first))
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
    fn a_plain_scalar_over_two_lines_goes_to_serde_saphyr_unread() {
        assert!(super::may_fold("a:\n  - b: one\n      two\n"));
        assert!(super::may_fold("- one\n  two\n"));
        assert!(!super::may_fold(
            "a:\n  b: one\n  c: |\n    text\n  d:\n  - e\n"
        ));
        assert!(!super::may_fold("a: 'one\n  two'\nb: [x,\n  y]\n"));
        assert_eq!(parse("a:\n  b: one\n    two\n"), None);
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
        for entry in ignore::Walk::new(env!("CARGO_MANIFEST_DIR")).flatten() {
            let path = entry.path();
            if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
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

//! The located reader's tests: it gives serde-saphyr's values and key lines on the repository's
//! own values files and on generated ones, and leaves the unusual to serde-saphyr.

use super::*;
use proptest::prelude::*;

fn slow(text: &str) -> Option<Located> {
    super::super::parse_located_slow("values.yaml", text).ok()
}

/// When this reader answers, serde-saphyr gives the same tree, lines included.
fn agree(text: &str) -> bool {
    let Some(fast) = parse(text) else {
        return false;
    };
    assert_eq!(
        Some(fast),
        slow(text),
        "located reader and serde-saphyr differ on:\n{text}"
    );
    true
}

#[test]
fn keys_keep_their_lines_across_comments_and_blank_values() {
    let text = "## @section Global\n## e.g. ... or --- in prose\nglobal:\n  # a comment\n  imageRegistry: \"\"\n\n  storageClass:\nlist:\n  - name: a\n    port: 80\n  -\nflow: {a: 1, b: [x, \"y\"]}\nscript: |\n  # --- kept\n  echo\n";
    let tree = parse(text).expect("a plain values file takes the fast path");
    assert_eq!(Some(tree.clone()), slow(text));
    let Located::Map(entries) = tree else {
        panic!("not a map")
    };
    let lines: Vec<(&str, usize)> = entries.iter().map(|(k, _, l)| (k.as_str(), *l)).collect();
    assert_eq!(
        lines,
        [("global", 3), ("list", 8), ("flow", 12), ("script", 13)]
    );
    let Located::Map(global) = &entries[0].1 else {
        panic!("not a map")
    };
    assert_eq!((global[1].0.as_str(), global[1].2), ("storageClass", 7));
    assert_eq!(global[1].1, Located::Leaf(Value::Null));
}

/// Bitnami's `Chart.yaml` folds its `description` over several lines: such plain scalars take
/// this path, and read as serde-saphyr reads them (the same event parser folds them), their
/// type resolved on the folded text.
#[test]
fn multi_line_plain_scalars_take_the_fast_path() {
    for text in [
        "description: Redis(R) is an open source, advanced key-value store. It is often referred\n  to as a data structure server since keys can contain strings, hashes, lists, sets\n  and sorted sets.\nname: redis\n",
        "a: b\n  c\n",
        "a: b   \n    c  \n  d\n",
        "a: 1\n  2\n",
        "a: true\n  false\n",
        "a: 2001-12-14\n  21:59:43.10 -5\n",
        "a: ~\n  x\n",
        "l:\n  - one\n    two\n  - three\n",
        "m:\n  k: x # c\n  j: y\n    z\n",
    ] {
        assert!(agree(text), "{text}");
    }
}

#[test]
fn anything_unusual_goes_to_serde_saphyr() {
    for text in [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: 1\na: 2\n",
        "a:\n  b: 1\n  b: 2\n",
        "l:\n  - {a: 1, a: 2}\n",
        "1: a\n",
        "? [a]\n: b\n",
        "a: [1, 2\n",
        "a: 1\n---\nb: 2\n",
        "a: ---x\n",
        "a: b\n\n  c\n",
        "a: \"b\n  # --- c\"\n",
        "a:\tb\n",
        "---\na: 1\n",
    ] {
        assert_eq!(parse(text), None, "{text}");
    }
}

/// Every values file of the repository's charts and fixtures: the same tree as serde-saphyr's,
/// and most take the fast path.
#[test]
fn the_repository_values_files_read_as_serde_saphyr_reads_them() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["charts", "tests/fixtures", "bench"] {
        collect_values(&root.join(dir), &mut files);
    }
    let (mut fast, mut total) = (0, 0);
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        total += 1;
        fast += usize::from(agree(&text));
    }
    assert!(total >= 20, "found only {total} values files");
    assert!(
        fast * 2 >= total,
        "only {fast} of {total} values files took the fast path"
    );
}

fn collect_values(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            collect_values(&path, out);
        } else if name.starts_with("values") && name.ends_with(".yaml") {
            out.push(path);
        }
    }
}

const SCALARS: &[&str] = &[
    "on",
    "Off",
    "yes",
    "n",
    "tRuE",
    "~",
    "null",
    "NULL",
    "0",
    "-7",
    "+7",
    "0123",
    "0x1F",
    "1_000",
    "1.10",
    ".5",
    "1e3",
    ".inf",
    ".nan",
    "12:30",
    "2001-12-14",
    "99999999999999999999",
    "100m",
    "256Mi",
    "10.0.0.1",
    "=",
    "<<",
    "@x",
    "v1",
    "a b",
    "",
    "x # not a comment",
];

fn scalar_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(SCALARS).prop_map(|s| s.to_string()),
        "[a-zA-Z0-9 ._:/-]{0,12}",
    ]
}

/// A values-like text: nested block mappings and lists, scalars plain (over one line or
/// several), quoted or empty, flow collections, and comment lines between entries.
fn document() -> impl Strategy<Value = String> {
    let fold = prop::sample::select(&["\n", "\n\n", "  \n", "\n   ", "\n\n\n"][..]);
    let leaf =
        (scalar_text(), 0..6u8, scalar_text(), fold).prop_map(
            |(s, style, more, fold)| match style {
                0 => s,
                // A plain scalar folded over several lines (only plain words fold as they are).
                5 if !s.is_empty() => format!("{s}{fold}{more}"),
                1 => format!("'{}'", s.replace('\'', "''")),
                2 => serde_json::to_string(&s).unwrap(),
                3 => format!("[{}]", serde_json::to_string(&s).unwrap()),
                _ => String::new(),
            },
        );
    let comment = prop::sample::select(&["", "# note\n", "## e.g. ... or --- x\n", "\n"][..]);
    let node = leaf.prop_recursive(4, 32, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(
                ("[a-z][a-zA-Z0-9]{0,6}", inner.clone(), comment.clone()),
                1..4
            )
            .prop_map(|entries| {
                let mut out = String::from("\n");
                for (k, v, c) in entries {
                    out.push_str(&format!("{c}{k}: {}\n", indent(&v)));
                }
                out
            }),
            prop::collection::vec(inner, 1..4).prop_map(|items| {
                let mut out = String::from("\n");
                for v in items {
                    out.push_str(&format!("- {}\n", indent(&v)));
                }
                out
            }),
        ]
    });
    node.prop_map(|n| format!("## values\nroot: {}\n", indent(&n)))
}

fn indent(text: &str) -> String {
    text.trim_end_matches('\n').replace('\n', "\n  ")
}

#[test]
fn the_generated_documents_mostly_take_the_fast_path() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut fast, mut total) = (0, 0);
    for _ in 0..200 {
        let text = document().new_tree(&mut runner).unwrap().current();
        if slow(&text).is_some() {
            total += 1;
            fast += usize::from(agree(&text));
        }
    }
    assert!(
        fast * 10 >= total * 8,
        "only {fast} of {total} took the fast path"
    );
}

proptest! {
    #[test]
    fn the_located_reader_agrees_with_serde_saphyr(text in document()) {
        agree(&text);
    }

    #[test]
    fn marker_words_are_found_as_cutting_the_words_finds_them(
        text in "[-. a\u{a0}\u{2003}]{0,24}"
    ) {
        let cut = text
            .split_whitespace()
            .any(|word| word.starts_with("---") || word.starts_with("..."));
        prop_assert_eq!(has_marker_word(&text), cut);
    }
}

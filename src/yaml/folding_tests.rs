//! Plain and quoted scalars over several lines, read by the block reader, held to what
//! serde-saphyr makes of them: generated texts with tricky continuation lines, and the shapes
//! controller-gen writes.

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::yaml::block::parse;

fn slow(text: &str) -> Result<Value, String> {
    crate::yaml::parse_value_slow(text).map_err(|e| e.message)
}

#[test]
fn controller_gen_descriptions_take_the_block_path() {
    let text = "properties:\n  spec:\n    description: Spec is the desired state of the\n      cluster, as the user wrote it.\n\n      More text after a blank line.\n    type: object\n  status:\n    description: 'Gadget versions name the schema: of this\n      kind of gadget; it''s  \n\n      kept.'\n    items:\n    - first item of a list\n      goes on here\n    - \"a double-quoted \\\"one\\\"\n      over two lines\"\n";
    let fast = parse(text).expect("the block reader reads folded descriptions");
    assert_eq!(Ok(fast.clone()), slow(text));
    assert_eq!(
        fast["properties"]["spec"]["description"],
        json!(
            "Spec is the desired state of the cluster, as the user wrote it.\nMore text after a blank line."
        )
    );
    assert_eq!(
        fast["properties"]["status"]["description"],
        json!("Gadget versions name the schema: of this kind of gadget; it's\nkept.")
    );
}

#[test]
fn continuation_lines_it_is_unsure_of_go_elsewhere() {
    for text in [
        // A deeper line after a comment, or after a closing quote: errors.
        "a: one # c\n  two\n",
        "a: one\n  # c\n  two\n",
        "a: 'one\n  two'\n  three\n",
        // A continuation that reads as a key.
        "a: one\n  two: x\n",
        "a: one\n  two:\n",
        // Not deeper than the key.
        "- a: one\n  two\n",
        "a: 'one\ntwo'\n",
        // An escaped line break or space.
        "a: \"one\\\n  two\"\n",
        "a: \"one\\ \n  two\"\n",
        // A quote that never closes.
        "a: 'one\n  two\n",
    ] {
        assert_eq!(parse(text), None, "{text:?}");
    }
}

/// The text of a continuation line: words, spaces, and the characters that mean something
/// elsewhere in YAML.
fn words() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z ]{1,8}",
        2 => "[a-z #:'\"\\\\,?|>&*!%@`{}\\[\\].é-]{0,8}",
        1 => prop::sample::select(&[
            "- item", "--- x", "... x", "x: y", "x:", "#", " # c", "''", "\\\"", "\\t", "\\",
            "\\x41", "\\N", "~", "null", "12", "-x", ":x", "? x", "a\tb",
        ][..]).prop_map(str::to_string),
    ]
}

/// A scalar's lines after its first: (spaces before, text); an empty text is a blank line.
fn continuation() -> impl Strategy<Value = Vec<(usize, String)>> {
    prop::collection::vec(
        (
            0..7usize,
            prop_oneof![4 => words(), 1 => Just(String::new())],
        ),
        0..5,
    )
}

/// A document with one scalar over several lines, placed under a key, an item, a key in an
/// item, or on a line of its own, written plain or quoted.
fn document() -> impl Strategy<Value = String> {
    (
        0..5u8,
        0..3u8,
        words(),
        continuation(),
        words(),
        any::<bool>(),
    )
        .prop_map(|(place, style, first, rest, after, tail)| {
            let (head, indent) = match place {
                0 => ("a: ".to_string(), 0),
                1 => ("a:\n  b: ".to_string(), 2),
                2 => ("a:\n  - ".to_string(), 2),
                3 => ("a:\n  - k: 1\n    b: ".to_string(), 4),
                _ => ("a:\n  b:\n    ".to_string(), 2),
            };
            let quote = match style {
                0 => "",
                1 => "'",
                _ => "\"",
            };
            let mut text = format!("{head}{quote}{first}");
            for (spaces, line) in rest {
                text.push('\n');
                if !line.is_empty() {
                    text.push_str(&" ".repeat(indent + spaces));
                    text.push_str(&line);
                }
            }
            text.push_str(quote);
            if tail {
                text.push_str(&after);
            }
            text.push_str("\nz: 1\n");
            text
        })
}

#[test]
fn the_generated_scalars_mostly_take_the_block_path() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut fast, mut total) = (0, 0);
    for _ in 0..400 {
        let text = document().new_tree(&mut runner).unwrap().current();
        if text.matches('\n').count() > 3 && slow(&text).is_ok() {
            total += 1;
            fast += usize::from(parse(&text).is_some());
        }
    }
    assert!(
        fast * 2 >= total,
        "only {fast} of {total} took the block path"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn folded_scalars_read_as_serde_saphyr_reads_them(text in document()) {
        if let Some(fast) = parse(&text) {
            prop_assert_eq!(Ok(fast), slow(&text), "{:?}", text);
        }
    }
}

/// Every document of every YAML file in the repository: where the fast path reads it, it
/// reads what serde-saphyr reads.
#[test]
fn the_repositorys_yaml_documents_read_as_serde_saphyr_reads_them() {
    let (mut read, mut folded) = (0, 0);
    for (path, text) in crate::yaml::repository_yaml_files() {
        for (_, part) in crate::manifest::split(&text) {
            let Some(fast) = crate::yaml::fast_parse(part) else {
                continue;
            };
            assert_eq!(Ok(fast), slow(part), "{}", path.display());
            read += 1;
            folded += usize::from(path.ends_with("yaml/folded-descriptions-crd.yaml"));
        }
    }
    assert!(
        read > 300 && folded == 2,
        "{read} documents read, {folded} of the folded-descriptions CRD file"
    );
}

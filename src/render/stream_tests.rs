//! The streaming splitter against [`manifest::split`] on the whole text.

use proptest::prelude::*;

use super::Splitter;
use crate::manifest;

/// The documents the splitter cuts from `text` written in pieces ending at `cuts`, trimmed as
/// [`manifest::split`] trims them.
fn streamed(text: &str, cuts: &[usize]) -> Vec<(usize, String)> {
    let mut documents = Vec::new();
    let mut emit = |line: usize, part: Vec<u8>| {
        let part = String::from_utf8(part).unwrap();
        if let Some(trimmed) = manifest::trim_part(&part) {
            documents.push((line, trimmed.to_string()));
        }
    };
    let mut splitter = Splitter::default();
    let mut from = 0;
    for &cut in cuts {
        let cut = cut.clamp(from, text.len());
        splitter.push(&text.as_bytes()[from..cut], &mut emit);
        from = cut;
    }
    splitter.push(&text.as_bytes()[from..], &mut emit);
    splitter.finish(&mut emit);
    documents
}

fn whole(text: &str) -> Vec<(usize, String)> {
    manifest::split(text)
        .into_iter()
        .map(|(line, part)| (line, part.to_string()))
        .collect()
}

#[test]
fn documents_cut_while_written_are_those_of_the_whole_text() {
    let text = "a: 1\n---\nb: |\n  ---\n--- # c\n\n---\n# only a comment\n---\t\nc: 2   \n\n---";
    for cuts in [
        vec![],
        vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        vec![8],
        vec![9, 30],
    ] {
        assert_eq!(streamed(text, &cuts), whole(text), "cuts {cuts:?}");
    }
    assert_eq!(whole(text)[2], (10, "c: 2".to_string()));
}

proptest! {
    #[test]
    fn the_splitter_agrees_with_split(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("---".to_string()),
                Just("--- x".to_string()),
                Just("----".to_string()),
                Just("---\r".to_string()),
                Just("# c".to_string()),
                Just("".to_string()),
                Just("  ".to_string()),
                "[a-c: \\-|]{0,6}",
            ],
            0..24,
        ),
        end_with_break in any::<bool>(),
        cuts in proptest::collection::vec(0usize..120, 0..8),
    ) {
        let mut text = lines.join("\n");
        if end_with_break {
            text.push('\n');
        }
        let mut cuts = cuts;
        cuts.sort_unstable();
        prop_assert_eq!(streamed(&text, &cuts), whole(&text));
    }
}

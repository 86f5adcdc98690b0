//! The order `helm template` prints documents in: hooks (documents with a `helm.sh/hook`
//! annotation) after the others, each group in install order of kind
//! ([`manifest::kind_rank`]), the rendered order kept within a kind. Each document's key is
//! found once, on every core, and the documents are sorted once.

use rayon::prelude::*;

use crate::manifest::{self, Document};

/// Sorts `documents` in Helm's print order. The same order as sorting by kind and then moving
/// the hooks last, each sort stable: the hook check searches every document's text, which at
/// 18,000 documents took longer on one core than the rest of the sort.
pub(crate) fn helm_order(documents: &mut [Document]) {
    let finder = memchr::memmem::Finder::new(HOOK);
    let mut keys: Vec<(bool, usize, Option<&str>, usize)> = documents
        .par_iter()
        .with_min_len(256)
        .enumerate()
        .map(|(at, document)| {
            let (rank, unlisted) = manifest::kind_rank(&document.resource.kind);
            (is_hook(document, &finder), rank, unlisted, at)
        })
        .collect();
    // The position ends each key, so an unstable sort keeps the rendered order of equals.
    keys.par_sort_unstable();
    let mut order: Vec<usize> = keys.into_iter().map(|(.., at)| at).collect();
    // Each document is moved to its place: the one wanted at `i` is at `order[i]`, or, when
    // that slot was already swapped away, where it was moved to (followed along `order`).
    for i in 0..order.len() {
        let mut from = order[i];
        while from < i {
            from = order[from];
        }
        order[i] = from;
        documents.swap(i, from);
    }
}

const HOOK: &str = "helm.sh/hook";

/// Whether a document is a Helm hook: its text names the annotation (a quick search) and its
/// `metadata.annotations` has it.
fn is_hook(document: &Document, finder: &memchr::memmem::Finder) -> bool {
    finder.find(document.yaml.as_bytes()).is_some()
        && document.value()["metadata"]["annotations"]
            .get(HOOK)
            .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// The two sorts the one above replaced: by kind, then the hooks moved last.
    fn sorted_twice(documents: &mut [Document]) {
        manifest::sort_by_kind(documents);
        documents.sort_by_cached_key(|d| {
            d.yaml.contains(HOOK) && d.value()["metadata"]["annotations"].get(HOOK).is_some()
        });
    }

    fn document(at: usize, kind: &str, annotation: u8) -> Document {
        let annotations = match annotation {
            0 => json!({}),
            // The annotation's name in the text, but not as an annotation: not a hook.
            1 => json!({"note": "helm.sh/hook"}),
            _ => json!({"helm.sh/hook": "pre-install"}),
        };
        Document::new(
            format!("c/templates/t{}.yaml", at % 3),
            &json!({
                "apiVersion": "v1",
                "kind": kind,
                "metadata": {"name": format!("d{at}"), "annotations": annotations},
            }),
        )
    }

    fn identity(documents: &[Document]) -> Vec<(String, String)> {
        documents
            .iter()
            .map(|d| (d.resource.kind.clone(), d.resource.name.clone()))
            .collect()
    }

    proptest! {
        #[test]
        fn sorts_as_sorting_by_kind_then_moving_hooks_last(
            picks in prop::collection::vec((0..7usize, 0..3u8), 0..600),
        ) {
            let kinds = ["Deployment", "Service", "ConfigMap", "Zeta", "Alpha", "Job", "Secret"];
            let documents: Vec<Document> = picks
                .iter()
                .enumerate()
                .map(|(at, &(kind, annotation))| document(at, kinds[kind], annotation))
                .collect();
            let mut expected = documents.clone();
            sorted_twice(&mut expected);
            let mut sorted = documents;
            helm_order(&mut sorted);
            prop_assert_eq!(identity(&sorted), identity(&expected));
        }
    }
}

//! The Go templates of a chart tree parsed ahead, on another core, while the values are layered
//! and the schema catalog is built: the tree's parse ([`super::GoTree`]) then finds most texts
//! parsed and shares the rest between both cores.
//!
//! A parse depends only on the text and the engine's function names and limits, never on the
//! name it is given but for its errors ([`gotmpl::ParsedText`]): texts are parsed here under a
//! placeholder name, and a text that fails is parsed again by the tree under its own name, so
//! its error is the one it always was. The tree says which texts it renders; the others (a
//! disabled subchart's) are left alone from then on.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use gotmpl::{Engine, ParsedText};

use super::{TextKey, is_go};
use crate::chart::Chart;

/// Texts being parsed ahead by a job on one of rayon's threads.
pub struct Preparse {
    shared: Arc<Shared>,
    /// Each template source, by the address of its text, to its index in `Shared::texts`.
    by_text: HashMap<usize, usize>,
}

struct Shared {
    /// Sprig's functions and Helm's, without a random seed: the engine the tree starts from
    /// when the render has no seed (`None` if building it panicked).
    engine: OnceLock<Option<Engine>>,
    /// The distinct texts of the tree's Go templates, the root chart's first.
    texts: Vec<Arc<str>>,
    /// Taken by whichever thread parses it.
    claimed: Vec<AtomicBool>,
    /// Not wanted by the tree: left alone unless already taken.
    skipped: Vec<AtomicBool>,
    /// Its parse, `None` when it failed.
    parsed: Vec<OnceLock<Option<ParsedText>>>,
}

impl Preparse {
    /// Starts parsing the Go templates of `chart` and of every subchart under it on one of
    /// rayon's threads; `None` when the tree has none.
    pub fn start(chart: &Chart) -> Option<Preparse> {
        let mut texts: Vec<Arc<str>> = Vec::new();
        let mut by_text = HashMap::new();
        let mut distinct: HashMap<TextKey, usize> = HashMap::new();
        let mut pending = vec![chart];
        while let Some(chart) = pending.pop() {
            pending.extend(chart.dependencies.iter().rev().map(|d| &d.chart));
            if !is_go(chart) {
                continue;
            }
            for file in chart.templates.values() {
                let index = *distinct.entry(TextKey(&file.source)).or_insert_with(|| {
                    texts.push(Arc::clone(&file.source));
                    texts.len() - 1
                });
                by_text.insert(address(&file.source), index);
            }
        }
        drop(distinct);
        if texts.is_empty() {
            return None;
        }
        let count = texts.len();
        let shared = Arc::new(Shared {
            engine: OnceLock::new(),
            texts,
            claimed: (0..count).map(|_| AtomicBool::new(false)).collect(),
            skipped: (0..count).map(|_| AtomicBool::new(false)).collect(),
            parsed: (0..count).map(|_| OnceLock::new()).collect(),
        });
        let worker = Arc::clone(&shared);
        // On one of rayon's threads: a thread of its own would cost its start and fresh
        // allocator pages. Should none be free before the tree needs the engine, the tree
        // builds it and parses every text itself; the job then finds nothing left to do.
        rayon::spawn(move || {
            let Some(engine) = worker.engine() else {
                return;
            };
            for index in 0..worker.texts.len() {
                if !worker.skipped[index].load(Ordering::Relaxed) {
                    worker.parse(index, engine);
                }
            }
        });
        Some(Preparse { shared, by_text })
    }

    /// A copy of the engine with sprig's and Helm's functions and no random seed, built by
    /// the job ahead or, if it has not started, here; `None` if it could not be.
    pub(super) fn engine(&self) -> Option<Engine> {
        self.shared.engine().cloned()
    }

    /// The parses of the texts `wanted` (template sources of the tree), by their index: those
    /// not taken yet are parsed here with `engine` while the job ahead goes on with the
    /// rest. A text not known here, or whose parse failed, is not in the answer.
    pub(super) fn finish<'t>(
        &self,
        wanted: impl Iterator<Item = &'t Arc<str>>,
        engine: &Engine,
    ) -> HashMap<usize, ParsedText> {
        let shared = &*self.shared;
        let mut indexes: Vec<usize> = wanted
            .filter_map(|text| self.by_text.get(&address(text)).copied())
            .collect();
        indexes.sort_unstable();
        indexes.dedup();
        let mut is_wanted = vec![false; shared.texts.len()];
        for &index in &indexes {
            is_wanted[index] = true;
        }
        for (index, wanted) in is_wanted.iter().enumerate() {
            if !wanted {
                shared.skipped[index].store(true, Ordering::Relaxed);
            }
        }
        for &index in &indexes {
            shared.parse(index, engine);
        }
        for &index in &indexes {
            shared.parsed[index].wait();
        }
        let mut found = HashMap::new();
        // Every copy of a text shares its one parse.
        for (&text, &index) in &self.by_text {
            if is_wanted[index]
                && let Some(Some(parsed)) = shared.parsed[index].get()
            {
                found.insert(text, parsed.clone());
            }
        }
        found
    }
}

impl Shared {
    /// The engine, built here unless another thread is building it or has built it.
    fn engine(&self) -> Option<&Engine> {
        self.engine
            .get_or_init(|| std::panic::catch_unwind(super::unseeded_engine).ok())
            .as_ref()
    }

    /// Parses text `index` unless another thread has taken it.
    fn parse(&self, index: usize, engine: &Engine) {
        if self.claimed[index].swap(true, Ordering::AcqRel) {
            return;
        }
        let text = Arc::clone(&self.texts[index]);
        // A parse that panics is done again by the tree, which reports it as it always did.
        let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            engine.parse_source("preparsed", text).ok()
        }))
        .unwrap_or(None);
        let _ = self.parsed[index].set(parsed);
    }
}

/// The address of a template's text: its identity among the chart tree's sources.
pub(super) fn address(text: &Arc<str>) -> usize {
    Arc::as_ptr(text).cast::<u8>() as usize
}

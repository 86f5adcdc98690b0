//! The plan as text: terse text for logs (`text.rs`), JSON for tools, or a pull-request
//! comment in markdown that stays under GitHub's limit (`markdown.rs`). Each puts what the
//! changes will do first, groups changes that are only noise into one line per kind, and
//! prints one report for one release or for many.

mod markdown;
mod text;

use serde::Serialize;

use crate::error::Error;
use crate::output::json_text;
use crate::resource::Resource;

use super::consequences::{Class, Consequence, Found, Noise};
use super::{About, Baseline, Change, Entry, Format, Plan};

pub use markdown::MARKDOWN_LIMIT;

/// The plan as text in `format`; `color` adds ANSI colours to the text forms. The one-release
/// case of [`render_many`].
pub fn render(plan: &Plan, about: &About, format: Format, color: bool) -> Result<String, Error> {
    report(&[(about, plan)], format, color)
}

/// One report for many releases: grouped text, one JSON document, one pull-request comment.
pub fn render_many(
    releases: &[(About, Plan)],
    format: Format,
    color: bool,
) -> Result<String, Error> {
    let releases: Vec<(&About, &Plan)> = releases.iter().map(|(a, p)| (a, p)).collect();
    report(&releases, format, color)
}

fn report(releases: &[(&About, &Plan)], format: Format, color: bool) -> Result<String, Error> {
    Ok(match format {
        Format::Summary | Format::Unified => text::text(releases, format == Format::Unified, color),
        Format::Json => json(releases)?,
        Format::Markdown => markdown::markdown(releases, MARKDOWN_LIMIT),
    })
}

/// Everything worth saying before the list: no record, values not compared.
fn notes(plan: &Plan, about: &About) -> Vec<String> {
    let mut notes = Vec::new();
    if let Baseline::NoRecord { .. } = about.baseline {
        notes.push(about.no_record());
    }
    notes.extend(plan.notes.iter().cloned());
    notes
}

/// Items grouped by class, in the order of [`Class`] (the gravest first).
fn by_class<T>(
    items: impl Iterator<Item = T>,
    class_of: impl Fn(&T) -> Class,
) -> Vec<(Class, Vec<T>)> {
    let mut groups: Vec<(Class, Vec<T>)> = Vec::new();
    for item in items {
        let class = class_of(&item);
        match groups.iter_mut().find(|(c, _)| *c == class) {
            Some((_, list)) => list.push(item),
            None => groups.push((class, vec![item])),
        }
    }
    groups.sort_by_key(|(class, _)| *class);
    groups
}

/// Restarts told together: `3 workloads, 7 pods; by cause: image `a` → `b` (3)`; `None`
/// when there are none.
fn restarts<'a>(consequences: impl Iterator<Item = &'a Consequence>) -> Option<String> {
    let (mut workloads, mut pods) = (0, 0);
    let mut causes: Vec<(&str, usize)> = Vec::new();
    for consequence in consequences {
        let Consequence::RestartsPods {
            replicas, shared, ..
        } = consequence
        else {
            continue;
        };
        workloads += 1;
        pods += replicas.unwrap_or(0);
        for cause in shared {
            match causes.iter_mut().find(|(c, _)| c == cause) {
                Some((_, n)) => *n += 1,
                None => causes.push((cause, 1)),
            }
        }
    }
    if workloads == 0 {
        return None;
    }
    causes.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let top: Vec<String> = causes
        .iter()
        .take(CAUSES)
        .map(|(cause, n)| format!("{cause} ({n})"))
        .collect();
    let more = causes.len().saturating_sub(CAUSES);
    Some(format!(
        "{workloads} workload{}, {pods} pods; by cause: {}{}",
        if workloads == 1 { "" } else { "s" },
        top.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ))
}

/// Causes named in a summary of restarts.
const CAUSES: usize = 5;

/// The entries that are only noise, one group per kind.
fn noise_groups(plan: &Plan) -> Vec<(Noise, Vec<&Resource>)> {
    let mut groups: Vec<(Noise, Vec<&Resource>)> = Vec::new();
    for entry in &plan.entries {
        let Some(noise) = entry.noise else { continue };
        match groups.iter_mut().find(|(n, _)| *n == noise) {
            Some((_, list)) => list.push(&entry.resource),
            None => groups.push((noise, vec![&entry.resource])),
        }
    }
    groups.sort_by_key(|(noise, _)| *noise);
    groups
}

/// `a, b, c and 4 more`: at most `shown` names.
fn some_of(names: &[String], shown: usize) -> String {
    if names.len() <= shown {
        return names.join(", ");
    }
    format!(
        "{} and {} more",
        names[..shown].join(", "),
        names.len() - shown
    )
}

/// The entries a report shows one by one: those that are not noise.
fn shown(plan: &Plan) -> impl Iterator<Item = &Entry> {
    plan.entries.iter().filter(|e| e.noise.is_none())
}

/// What a set of plans adds up to.
fn totals(releases: &[(&About, &Plan)]) -> (usize, usize, usize, usize) {
    let mut sums = (0, 0, 0, 0);
    for (_, plan) in releases {
        sums.0 += plan.count(Change::Add);
        sums.1 += plan.count(Change::Change);
        sums.2 += plan.count(Change::Destroy);
        sums.3 += plan.unchanged;
    }
    sums
}

fn plan_line((add, change, destroy, _): (usize, usize, usize, usize)) -> String {
    format!("Plan: {add} to add, {change} to change, {destroy} to destroy.")
}

#[derive(Serialize)]
struct ComparedWith<'a> {
    /// `record`, `no-record` (everything shows as added) or `manifests` (`--against`).
    kind: &'a str,
    path: &'a str,
}

#[derive(Serialize)]
struct NoiseGroup<'a> {
    kind: Noise,
    resources: Vec<&'a Resource>,
}

#[derive(Serialize)]
struct Report<'a> {
    chart: &'a str,
    environment: Option<&'a str>,
    release: &'a str,
    namespace: &'a str,
    compared_with: ComparedWith<'a>,
    notes: Vec<String>,
    add: usize,
    change: usize,
    destroy: usize,
    unchanged: usize,
    /// Every consequence, with the resource it belongs to.
    consequences: &'a [Found],
    /// The changes that are only noise, by kind (each also listed in `resources`).
    noise: Vec<NoiseGroup<'a>>,
    resources: &'a [Entry],
}

fn json_report<'a>(about: &'a About, plan: &'a Plan) -> Report<'a> {
    let (kind, path) = match &about.baseline {
        Baseline::Record { path } => ("record", path),
        Baseline::NoRecord { path } => ("no-record", path),
        Baseline::Manifests { path } => ("manifests", path),
    };
    Report {
        chart: &about.chart,
        environment: about.environment.as_deref(),
        release: &about.release,
        namespace: &about.namespace,
        compared_with: ComparedWith { kind, path },
        notes: notes(plan, about),
        add: plan.count(Change::Add),
        change: plan.count(Change::Change),
        destroy: plan.count(Change::Destroy),
        unchanged: plan.unchanged,
        consequences: &plan.consequences,
        noise: noise_groups(plan)
            .into_iter()
            .map(|(kind, resources)| NoiseGroup { kind, resources })
            .collect(),
        resources: &plan.entries,
    }
}

/// One release: its report. Many: `{"releases": [...]}` with the totals.
fn json(releases: &[(&About, &Plan)]) -> Result<String, Error> {
    if let [(about, plan)] = releases {
        return json_text(&json_report(about, plan), "diff");
    }
    #[derive(Serialize)]
    struct Many<'a> {
        add: usize,
        change: usize,
        destroy: usize,
        unchanged: usize,
        releases: Vec<Report<'a>>,
    }
    let (add, change, destroy, unchanged) = totals(releases);
    json_text(
        &Many {
            add,
            change,
            destroy,
            unchanged,
            releases: releases.iter().map(|(a, p)| json_report(a, p)).collect(),
        },
        "diff",
    )
}

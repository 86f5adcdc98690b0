//! The plan as text: a unified diff, a summary, JSON for tools, or a pull-request comment in
//! markdown that names what was diffed, puts the plan first and stays under GitHub's limit.

use std::fmt::Write as _;

use anstyle::Style;
use serde::Serialize;

use crate::diagnostics::color::{self, paint};
use crate::error::Error;
use crate::output::json_text;

use super::{About, Baseline, Change, Entry, Format, Plan};

/// GitHub refuses a comment longer than this many characters.
pub const MARKDOWN_LIMIT: usize = 65_536;

/// Room kept under the limit for the note that says what was left out.
const NOTE_ROOM: usize = 1_024;

/// The fewest lines worth showing of a diff cut short.
const MIN_HEAD_LINES: usize = 10;

/// The plan as text in `format`; `color` adds ANSI colours to the unified diff.
pub fn render(plan: &Plan, about: &About, format: Format, color: bool) -> Result<String, Error> {
    Ok(match format {
        Format::Summary | Format::Unified => text(plan, about, format == Format::Unified, color),
        Format::Json => json(plan, about)?,
        Format::Markdown => markdown(plan, about, MARKDOWN_LIMIT),
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

fn text(plan: &Plan, about: &About, with_diffs: bool, color: bool) -> String {
    let paint = |style: Style, text: &str| paint(text, style, color);
    let mut out = String::new();
    for note in notes(plan, about) {
        let _ = writeln!(out, "note: {note}");
    }
    for entry in &plan.entries {
        let (mark, word, style) = match entry.change {
            Change::Add => ("+", "add", color::ADDED),
            Change::Change => ("~", "change", color::CHANGED),
            Change::Destroy => ("-", "destroy", color::REMOVED),
        };
        let _ = writeln!(
            out,
            "{} {}",
            paint(style, &format!("{mark} {word:<7}")),
            entry.resource
        );
    }
    let _ = writeln!(out, "{} unchanged", plan.unchanged);
    let _ = writeln!(out, "{}", plan.plan_line());
    if with_diffs {
        for entry in &plan.entries {
            out.push('\n');
            for line in entry.diff.lines() {
                let style = if line.starts_with("+++") || line.starts_with("---") {
                    color::EMPHASIS
                } else if line.starts_with('+') {
                    color::ADDED
                } else if line.starts_with('-') {
                    color::REMOVED
                } else if line.starts_with("@@") {
                    color::HEADING
                } else {
                    Style::new()
                };
                out.push_str(&paint(style, line));
                out.push('\n');
            }
        }
    }
    out
}

fn json(plan: &Plan, about: &About) -> Result<String, Error> {
    #[derive(Serialize)]
    struct ComparedWith<'a> {
        /// `record`, `no-record` (everything shows as added) or `manifests` (`--against`).
        kind: &'a str,
        path: &'a str,
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
        resources: &'a [Entry],
    }
    let (kind, path) = match &about.baseline {
        Baseline::Record { path } => ("record", path),
        Baseline::NoRecord { path } => ("no-record", path),
        Baseline::Manifests { path } => ("manifests", path),
    };
    json_text(
        &Report {
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
            resources: &plan.entries,
        },
        "diff",
    )
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// A pull-request comment: what was diffed, the plan, notes, a table of resources, then each
/// diff folded; cut to stay under `limit` characters, with a note saying what was left out.
fn markdown(plan: &Plan, about: &About, limit: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### bosun diff: chart `{}` · env `{}` · release `{}` · namespace `{}`\n",
        about.chart,
        about.environment.as_deref().unwrap_or("(none)"),
        about.release,
        about.namespace
    );
    let _ = writeln!(
        out,
        "**{}** ({} unchanged)\n",
        plan.plan_line(),
        plan.unchanged
    );
    match &about.baseline {
        Baseline::Record { path } => {
            let _ = writeln!(out, "Compared with the record `{path}`.\n");
        }
        Baseline::NoRecord { .. } => {}
        Baseline::Manifests { path } => {
            let _ = writeln!(out, "Compared with `{path}`.\n");
        }
    }
    for note in notes(plan, about) {
        let _ = writeln!(out, "> **Note:** {}\n", note);
    }
    if plan.entries.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let budget = limit.saturating_sub(NOTE_ROOM);
    let mut used = chars(&out);
    let mut rows_left_out = 0;
    let mut table = String::from("| | Resource | apiVersion |\n| --- | --- | --- |\n");
    used += chars(&table);
    for entry in &plan.entries {
        let mark = match entry.change {
            Change::Add => "➕ add",
            Change::Change => "✏️ change",
            Change::Destroy => "🗑️ destroy",
        };
        let row = format!(
            "| {mark} | `{}` | `{}` |\n",
            entry.resource, entry.resource.api_version
        );
        if rows_left_out == 0 && used + chars(&row) <= budget {
            used += chars(&row);
            table.push_str(&row);
        } else {
            rows_left_out += 1;
        }
    }
    out.push_str(&table);
    let mut diffs_left_out = 0;
    for entry in &plan.entries {
        if diffs_left_out > 0 {
            diffs_left_out += 1;
            continue;
        }
        let block = |diff: &str| {
            format!(
                "\n<details><summary>{}</summary>\n\n```diff\n{}```\n\n</details>\n",
                entry.resource,
                diff.replace("```", "ˋˋˋ")
            )
        };
        let whole = block(&entry.diff);
        if used + chars(&whole) <= budget {
            used += chars(&whole);
            out.push_str(&whole);
            continue;
        }
        // The first diff that does not fit shows its head, if there is room for some of it.
        let room = budget.saturating_sub(used + chars(&block("")) + 80);
        let mut head = String::new();
        let mut lines_shown = 0;
        for line in entry.diff.lines() {
            if chars(&head) + chars(line) + 1 > room {
                break;
            }
            head.push_str(line);
            head.push('\n');
            lines_shown += 1;
        }
        // A head of a few lines says nothing the table does not.
        if lines_shown >= MIN_HEAD_LINES {
            let total = entry.diff.lines().count();
            head.push_str(&format!(
                "… {} more lines of this diff left out\n",
                total - lines_shown
            ));
            let cut = block(&head);
            used += chars(&cut);
            out.push_str(&cut);
        }
        diffs_left_out += 1;
    }
    if rows_left_out > 0 || diffs_left_out > 0 {
        let _ = writeln!(
            out,
            "\n**Cut to stay under GitHub's 65,536-character comment limit:** the diffs of {} of {} resources{} are cut or left out. Run the same `bosun diff` with `-o unified` to see it all.",
            diffs_left_out,
            plan.entries.len(),
            if rows_left_out > 0 {
                format!(" and {rows_left_out} table rows")
            } else {
                String::new()
            }
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Entry;

    fn entry(n: usize, lines: usize) -> Entry {
        Entry {
            change: Change::Change,
            resource: crate::resource::Resource {
                api_version: "v1".into(),
                kind: "ConfigMap".into(),
                namespace: "default".into(),
                name: format!("cm-{n}"),
            },
            diff: (0..lines)
                .map(|i| format!("+  line{i}: {}\n", "x".repeat(60)))
                .collect(),
        }
    }

    fn about() -> About {
        About {
            chart: "big".into(),
            environment: Some("production".into()),
            release: "big".into(),
            namespace: "default".into(),
            baseline: Baseline::Record {
                path: "charts/big/.bosun/production/default/big.yaml".into(),
            },
        }
    }

    #[test]
    fn a_big_plan_stays_under_the_limit_and_says_what_was_cut() {
        let plan = Plan {
            entries: (0..500).map(|n| entry(n, 40)).collect(),
            unchanged: 0,
            notes: Vec::new(),
        };
        let text = markdown(&plan, &about(), MARKDOWN_LIMIT);
        assert!(
            chars(&text) <= MARKDOWN_LIMIT,
            "{} characters",
            chars(&text)
        );
        assert!(
            text.starts_with("### bosun diff: chart `big` · env `production`"),
            "{text}"
        );
        assert!(text.contains("**Plan: 0 to add, 500 to change, 0 to destroy.**"));
        assert!(
            text.contains("of 500 resources are cut or left out"),
            "{}",
            &text[text.len() - 400..]
        );
        assert!(text.contains("`-o unified`"));
    }

    #[test]
    fn one_huge_diff_shows_its_head() {
        let plan = Plan {
            entries: vec![entry(0, 5_000)],
            unchanged: 0,
            notes: Vec::new(),
        };
        let text = markdown(&plan, &about(), MARKDOWN_LIMIT);
        assert!(chars(&text) <= MARKDOWN_LIMIT);
        assert!(text.contains("+  line0:"), "the head of the diff shows");
        assert!(text.contains("more lines of this diff left out"));
        assert!(text.contains("the diffs of 1 of 1 resources are cut or left out"));
    }
}

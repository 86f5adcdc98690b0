//! The terse text form for logs: per release, what the changes will do, the noise in one line
//! per kind, the list of changes, the plan line, then (for `-o unified`) each diff.

use std::fmt::Write as _;

use anstyle::Style;

use crate::diagnostics::color::{self, paint};

use super::{
    About, Change, Class, Plan, by_class, noise_groups, notes, plan_line, restarts, shown, some_of,
    totals,
};

/// Names shown of a group of noise before `and N more`.
const NOISE_NAMES: usize = 5;

pub(super) fn text(releases: &[(&About, &Plan)], with_diffs: bool, color: bool) -> String {
    let mut out = String::new();
    let many = releases.len() != 1;
    for (about, plan) in releases {
        if many {
            let _ = writeln!(
                out,
                "{}",
                paint(
                    &format!(
                        "== release `{}` · chart `{}` · env `{}` · namespace `{}`",
                        about.release,
                        about.chart,
                        about.environment.as_deref().unwrap_or("(none)"),
                        about.namespace
                    ),
                    color::EMPHASIS,
                    color
                )
            );
        }
        release(&mut out, about, plan, with_diffs, color);
        if many {
            out.push('\n');
        }
    }
    if many {
        let _ = writeln!(
            out,
            "{} releases: {}",
            releases.len(),
            plan_line(totals(releases))
        );
    }
    out
}

fn release(out: &mut String, about: &About, plan: &Plan, with_diffs: bool, color: bool) {
    let paint = |style: Style, text: &str| paint(text, style, color);
    for note in notes(plan, about) {
        let _ = writeln!(out, "note: {note}");
    }
    for (class, list) in by_class(plan.consequences.iter(), |f| f.consequence.class()) {
        let style = match class {
            Class::WillNotApply | Class::DataLoss => color::ERROR,
            _ => color::CHANGED,
        };
        if let Some(restarts) = restarts(list.iter().map(|f| &f.consequence))
            && list.len() > 1
        {
            let _ = writeln!(
                out,
                "{} {restarts}",
                paint(style, &format!("! {:<21}", class.name()))
            );
        }
        for found in list {
            let _ = writeln!(
                out,
                "{} {}: {}",
                paint(style, &format!("! {:<21}", class.name())),
                found.resource,
                found.consequence.describe()
            );
        }
    }
    for (noise, resources) in noise_groups(plan) {
        let names: Vec<String> = resources.iter().map(|r| r.to_string()).collect();
        let _ = writeln!(
            out,
            "{} {} on {} resource{}: {}",
            paint(color::HEADING, "· noise"),
            noise.describe(),
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            some_of(&names, NOISE_NAMES)
        );
    }
    for entry in shown(plan) {
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
        for entry in shown(plan) {
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
}

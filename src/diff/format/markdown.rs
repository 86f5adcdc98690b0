//! The pull-request comment: what was diffed, the plan and what the changes will do first,
//! then per release (folded when there are several) its noise, a table of resources and each
//! diff folded; cut to stay under GitHub's limit, with a note saying what was left out and how
//! to see it.

use std::fmt::Write as _;

use super::{
    About, Baseline, Change, Class, Plan, by_class, noise_groups, notes, plan_line, restarts,
    shown, some_of, totals,
};

/// GitHub refuses a comment longer than this many characters.
pub const MARKDOWN_LIMIT: usize = 65_536;

/// Room kept under the limit for the note that says what was left out.
const NOTE_ROOM: usize = 1_024;

/// The fewest lines worth showing of a diff cut short.
const MIN_HEAD_LINES: usize = 10;

/// Consequences listed per class before `… N more`.
const PER_CLASS: usize = 20;

/// Names shown of a group of noise before `and N more`.
const NOISE_NAMES: usize = 10;

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// What is written so far against the budget, and what was left out.
struct Budget {
    used: usize,
    budget: usize,
    consequences_left_out: usize,
    rows_left_out: usize,
    diffs_left_out: usize,
    diffs: usize,
}

impl Budget {
    /// Writes `text` if it fits.
    fn push(&mut self, out: &mut String, text: &str) -> bool {
        let size = chars(text);
        if self.used + size > self.budget {
            return false;
        }
        self.used += size;
        out.push_str(text);
        true
    }
}

fn heading(about: &About) -> String {
    format!(
        "chart `{}` · env `{}` · release `{}` · namespace `{}`",
        about.chart,
        about.environment.as_deref().unwrap_or("(none)"),
        about.release,
        about.namespace
    )
}

fn compared_with(about: &About) -> String {
    match &about.baseline {
        Baseline::Record { path } => format!("Compared with the record `{path}`.\n\n"),
        Baseline::NoRecord { .. } => String::new(),
        Baseline::Manifests { path } => format!("Compared with `{path}`.\n\n"),
    }
}

/// A pull-request comment for one release or many, at most `limit` characters.
pub(super) fn markdown(releases: &[(&About, &Plan)], limit: usize) -> String {
    let mut out = String::new();
    let many = releases.len() != 1;
    let sums = totals(releases);
    if let [(about, plan)] = releases {
        let _ = writeln!(out, "### bosun diff: {}\n", heading(about));
        let _ = writeln!(
            out,
            "**{}** ({} unchanged)\n",
            plan.plan_line(),
            plan.unchanged
        );
        out.push_str(&compared_with(about));
        for note in notes(plan, about) {
            let _ = writeln!(out, "> **Note:** {}\n", note);
        }
    } else {
        let _ = writeln!(out, "### bosun diff: {} releases\n", releases.len());
        let _ = writeln!(out, "**{}** ({} unchanged)\n", plan_line(sums), sums.3);
    }
    let mut budget = Budget {
        used: chars(&out),
        budget: limit.saturating_sub(NOTE_ROOM),
        consequences_left_out: 0,
        rows_left_out: 0,
        diffs_left_out: 0,
        diffs: 0,
    };
    consequences(&mut out, releases, &mut budget);
    if sums.0 + sums.1 + sums.2 == 0 {
        out.push_str("No changes.\n");
        return out;
    }
    if many {
        let unchanged: Vec<String> = releases
            .iter()
            .filter(|(_, plan)| !plan.has_changes())
            .map(|(about, _)| format!("`{}`", about.release))
            .collect();
        if !unchanged.is_empty() {
            let line = format!(
                "No changes in {} release{}: {}.\n",
                unchanged.len(),
                if unchanged.len() == 1 { "" } else { "s" },
                some_of(&unchanged, NOISE_NAMES)
            );
            budget.push(&mut out, &line);
        }
    }
    for (about, plan) in releases.iter().filter(|(_, p)| !many || p.has_changes()) {
        if many {
            // A release opens folded; its closing tag is counted before its contents.
            let open = format!(
                "\n<details><summary><b>release `{}`</b> · chart `{}` · env `{}` · namespace `{}`: {}</summary>\n\n",
                about.release,
                about.chart,
                about.environment.as_deref().unwrap_or("(none)"),
                about.namespace,
                plan.plan_line()
            );
            if !budget.push(&mut out, &open) {
                budget.rows_left_out += shown(plan).count();
                budget.diffs_left_out += shown(plan).count();
                budget.diffs += shown(plan).count();
                continue;
            }
            budget.budget = budget.budget.saturating_sub(CLOSE.len());
            budget.push(&mut out, &compared_with(about));
            for note in notes(plan, about) {
                budget.push(&mut out, &format!("> **Note:** {note}\n\n"));
            }
        }
        release(&mut out, plan, &mut budget);
        if many {
            budget.budget += CLOSE.len();
            out.push_str(CLOSE);
            budget.used += CLOSE.len();
        }
    }
    if budget.rows_left_out > 0 || budget.diffs_left_out > 0 || budget.consequences_left_out > 0 {
        let mut parts = Vec::new();
        if budget.diffs_left_out > 0 {
            parts.push(format!(
                "the diffs of {} of {} resources are cut or left out",
                budget.diffs_left_out, budget.diffs
            ));
        }
        if budget.rows_left_out > 0 {
            parts.push(format!("{} table rows", budget.rows_left_out));
        }
        if budget.consequences_left_out > 0 {
            parts.push(format!("{} consequences", budget.consequences_left_out));
        }
        let _ = writeln!(
            out,
            "\n**Cut to stay under GitHub's 65,536-character comment limit:** {}. Run the same `bosun diff` with `-o summary` for every consequence, or `-o unified` to see it all.",
            parts.join(", and ")
        );
    }
    out
}

const CLOSE: &str = "\n</details>\n";

/// What the changes will do, gravest class first, at most [`PER_CLASS`] items each.
fn consequences(out: &mut String, releases: &[(&About, &Plan)], budget: &mut Budget) {
    let many = releases.len() != 1;
    let all = releases
        .iter()
        .flat_map(|(about, plan)| plan.consequences.iter().map(move |found| (*about, found)));
    let groups = by_class(all, |(_, found)| found.consequence.class());
    if groups.is_empty() {
        return;
    }
    budget.push(out, "#### What this will do\n");
    for (class, list) in groups {
        let title = match restarts(list.iter().map(|(_, f)| &f.consequence)) {
            Some(restarts) if class == Class::RestartsPods => {
                format!("\n**{}** ({restarts})", class.title())
            }
            _ => format!("\n**{}** ({})", class.title(), list.len()),
        };
        if !budget.push(out, &format!("{title}\n\n")) {
            budget.consequences_left_out += list.len();
            continue;
        }
        for (i, (about, found)) in list.iter().enumerate() {
            let release = if many {
                format!("`{}` · ", about.release)
            } else {
                String::new()
            };
            let line = format!(
                "- {release}`{}`: {}\n",
                found.resource,
                found.consequence.describe()
            );
            if i >= PER_CLASS || !budget.push(out, &line) {
                let more = list.len() - i;
                budget.push(
                    out,
                    &format!("- … and {more} more (`-o summary` lists them all)\n"),
                );
                break;
            }
        }
    }
    out.push('\n');
}

/// One release's noise, table and folded diffs.
fn release(out: &mut String, plan: &Plan, budget: &mut Budget) {
    for (noise, resources) in noise_groups(plan) {
        let names: Vec<String> = resources.iter().map(|r| format!("`{r}`")).collect();
        let line = format!(
            "**Noise:** {} on {} resource{}: {}\n\n",
            noise.describe(),
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            some_of(&names, NOISE_NAMES)
        );
        budget.push(out, &line);
    }
    if shown(plan).next().is_none() {
        return;
    }
    let table = "| | Resource | apiVersion |\n| --- | --- | --- |\n";
    let table_fits = budget.push(out, table);
    for entry in shown(plan) {
        let mark = match entry.change {
            Change::Add => "➕ add",
            Change::Change => "✏️ change",
            Change::Destroy => "🗑️ destroy",
        };
        let row = format!(
            "| {mark} | `{}` | `{}` |\n",
            entry.resource, entry.resource.api_version
        );
        if !table_fits || budget.rows_left_out > 0 || !budget.push(out, &row) {
            budget.rows_left_out += 1;
        }
    }
    for entry in shown(plan) {
        budget.diffs += 1;
        if budget.diffs_left_out > 0 {
            budget.diffs_left_out += 1;
            continue;
        }
        let block = |diff: &str| {
            format!(
                "\n<details><summary>{}</summary>\n\n```diff\n{}```\n\n</details>\n",
                entry.resource,
                diff.replace("```", "ˋˋˋ")
            )
        };
        if budget.push(out, &block(&entry.diff)) {
            continue;
        }
        // The first diff that does not fit shows its head, if there is room for some of it.
        let room = budget
            .budget
            .saturating_sub(budget.used + chars(&block("")) + 80);
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
            budget.push(out, &block(&head));
        }
        budget.diffs_left_out += 1;
    }
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
            noise: None,
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

    fn plan_of(entries: Vec<Entry>) -> Plan {
        Plan {
            entries,
            unchanged: 0,
            notes: Vec::new(),
            consequences: Vec::new(),
        }
    }

    #[test]
    fn a_big_plan_stays_under_the_limit_and_says_what_was_cut() {
        let plan = plan_of((0..500).map(|n| entry(n, 40)).collect());
        let text = markdown(&[(&about(), &plan)], MARKDOWN_LIMIT);
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
        let plan = plan_of(vec![entry(0, 5_000)]);
        let text = markdown(&[(&about(), &plan)], MARKDOWN_LIMIT);
        assert!(chars(&text) <= MARKDOWN_LIMIT);
        assert!(text.contains("+  line0:"), "the head of the diff shows");
        assert!(text.contains("more lines of this diff left out"));
        assert!(text.contains("the diffs of 1 of 1 resources are cut or left out"));
    }

    #[test]
    fn many_releases_stay_under_the_limit_and_close_every_fold() {
        let plan = plan_of((0..100).map(|n| entry(n, 20)).collect());
        let abouts: Vec<About> = (0..20)
            .map(|n| About {
                release: format!("r{n}"),
                ..about()
            })
            .collect();
        let releases: Vec<(&About, &Plan)> = abouts.iter().map(|a| (a, &plan)).collect();
        let text = markdown(&releases, MARKDOWN_LIMIT);
        assert!(
            chars(&text) <= MARKDOWN_LIMIT,
            "{} characters",
            chars(&text)
        );
        assert!(text.starts_with("### bosun diff: 20 releases\n"));
        assert!(text.contains("**Plan: 0 to add, 2000 to change, 0 to destroy.**"));
        assert_eq!(
            text.matches("<details>").count(),
            text.matches("</details>").count(),
            "every fold is closed"
        );
        assert!(
            text.contains("the diffs of "),
            "{}",
            &text[text.len() - 400..]
        );
    }
}

//! Issue 17, the record of a render that changed nothing: `bosun render` leaves a record that
//! already holds exactly this render as it is (not written, synced and renamed again), and
//! replaces one that differs in any way.

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::{bosun, probe_chart};

const TEMPLATE: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: {{ .Values.x | quote }}\n";

/// Renders the probe chart with `--set x=<x>`, recording in `state`; returns the exit code.
fn render(chart: &str, state: &Path, x: &str) -> i32 {
    let output = bosun(["render", chart, "--release-name", "rel", "-n", "ns"])
        .arg("--set")
        .arg(format!("x={x}"))
        .arg("--state-dir")
        .arg(state)
        .output()
        .unwrap();
    output.status.code().unwrap_or(-1)
}

fn record(state: &Path) -> std::path::PathBuf {
    state.join("_no-env/ns/rel.yaml")
}

/// Dates the record back a day, so a rewrite shows in its modification time.
fn age(path: &Path) -> SystemTime {
    let then = SystemTime::now() - Duration::from_secs(86_400);
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(then).unwrap();
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn a_record_holding_the_same_render_is_left_as_it_is() {
    let (_chart_dir, chart) = probe_chart("x: one\n", &[("cm.yaml", TEMPLATE)]);
    let state = tempfile::tempdir().unwrap();
    assert_eq!(render(&chart, state.path(), "one"), 0);
    let text = std::fs::read_to_string(record(state.path())).unwrap();
    let aged = age(&record(state.path()));
    assert_eq!(render(&chart, state.path(), "one"), 0);
    let after = std::fs::metadata(record(state.path())).unwrap();
    assert_eq!(
        after.modified().unwrap(),
        aged,
        "the record was written again"
    );
    assert_eq!(std::fs::read_to_string(record(state.path())).unwrap(), text);
}

#[test]
fn a_record_of_another_render_is_replaced() {
    let (_chart_dir, chart) = probe_chart("x: one\n", &[("cm.yaml", TEMPLATE)]);
    let state = tempfile::tempdir().unwrap();
    assert_eq!(render(&chart, state.path(), "one"), 0);
    let aged = age(&record(state.path()));
    // Longer, then shorter: the record differs in its last bytes, then ends early.
    for x in ["one-and-more", "o"] {
        assert_eq!(render(&chart, state.path(), x), 0);
        let text = std::fs::read_to_string(record(state.path())).unwrap();
        assert!(text.contains(&format!("x: {x}\n")), "{text}");
        let modified = std::fs::metadata(record(state.path()))
            .unwrap()
            .modified()
            .unwrap();
        assert_ne!(modified, aged, "the record was not replaced");
    }
}

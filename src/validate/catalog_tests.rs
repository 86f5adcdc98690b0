//! Regression test for a render that hung: the render, running on one of rayon's threads,
//! waited for the chart's CRD files to be parsed, and their parse waited for rayon's threads.

use std::sync::{Arc, Barrier, Condvar, Mutex};
use std::time::Duration;

use super::parse_crd_files;

const WIDGET_CRD: &str = include_str!("../../tests/fixtures/cel/widget-crd.yaml");

/// Every one of rayon's threads is kept busy until the CRD files are parsed on a thread of
/// their own: a parse that needed one of them would never finish.
#[test]
fn crd_files_are_parsed_while_every_rayon_thread_waits_for_them() {
    let files: Vec<(String, Arc<String>)> = (0..4)
        .map(|n| {
            (
                format!("crds/widget-{n}.yaml"),
                Arc::new(WIDGET_CRD.to_string()),
            )
        })
        .collect();
    let threads = rayon::current_num_threads();
    let all_waiting = Barrier::new(threads);
    let parsed: Mutex<Option<usize>> = Mutex::new(None);
    let done = Condvar::new();
    let seen = rayon::broadcast(|context| {
        all_waiting.wait();
        if context.index() == 0 {
            let files = files.clone();
            let (parsed, done) = (&parsed, &done);
            std::thread::scope(|scope| {
                scope.spawn(move || {
                    let schemas = parse_crd_files(&files).expect("the widget CRD parses");
                    *parsed.lock().unwrap() = Some(schemas.len());
                    done.notify_all();
                });
                wait_for(parsed, done)
            })
        } else {
            wait_for(&parsed, &done)
        }
    });
    assert!(
        seen.iter().all(|count| *count == Some(4)),
        "the CRD files were not parsed while rayon's threads waited: {seen:?}"
    );
}

/// What `parsed` holds once it is set, or `None` after ten seconds.
fn wait_for(parsed: &Mutex<Option<usize>>, done: &Condvar) -> Option<usize> {
    let guard = parsed.lock().unwrap();
    let (guard, _) = done
        .wait_timeout_while(guard, Duration::from_secs(10), |parsed| parsed.is_none())
        .unwrap();
    *guard
}

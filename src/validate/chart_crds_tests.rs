use std::sync::{Arc, Barrier, Condvar, Mutex};
use std::time::Duration;

use super::{ChartCrds, declares_kind};

const WIDGET_CRD: &str = include_str!("../../tests/fixtures/cel/widget-crd.yaml");

// Broke once: the render, running on one of rayon's threads, waited for the chart's CRD files
// to be parsed, and their parse waited for rayon's threads. Every one of rayon's threads is
// kept busy here until the files are read on a thread of their own: a read that needed one of
// them would never finish.
#[test]
fn crd_files_are_read_while_every_rayon_thread_waits_for_them() {
    let files: Vec<(String, Arc<String>)> = (0..4)
        .map(|n| {
            (
                format!("crds/widget-{n}.yaml"),
                Arc::new(WIDGET_CRD.to_string()),
            )
        })
        .collect();
    let crds = ChartCrds::new(files).expect("four files");
    let threads = rayon::current_num_threads();
    let all_waiting = Barrier::new(threads);
    let found: Mutex<Option<bool>> = Mutex::new(None);
    let done = Condvar::new();
    let seen = rayon::broadcast(|context| {
        all_waiting.wait();
        if context.index() == 0 {
            let (found, done, crds) = (&found, &done, &crds);
            std::thread::scope(|scope| {
                scope.spawn(move || {
                    let schema = crds.schema("demo.example/v1/Widget", "Widget");
                    *found.lock().unwrap() = Some(schema.is_some());
                    done.notify_all();
                });
                wait_for(found, done)
            })
        } else {
            wait_for(&found, &done)
        }
    });
    assert!(
        seen.iter().all(|found| *found == Some(true)),
        "the CRD files were not read while rayon's threads waited: {seen:?}"
    );
}

/// What `found` holds once it is set, or `None` after ten seconds.
fn wait_for(found: &Mutex<Option<bool>>, done: &Condvar) -> Option<bool> {
    let guard = found.lock().unwrap();
    let (guard, _) = done
        .wait_timeout_while(guard, Duration::from_secs(10), |found| found.is_none())
        .unwrap();
    *guard
}

#[test]
fn a_kind_is_declared_as_the_value_of_a_kind_key_in_any_style() {
    for text in [
        "  names:\n    kind: Widget\n    plural: widgets\n",
        "names: {kind: Widget, plural: widgets}",
        "{\"names\": {\"kind\": \"Widget\"}}",
        "names:\n  kind: 'Widget'\n",
        "names:\n  kind : Widget",
    ] {
        assert!(declares_kind(text, "Widget"), "{text}");
    }
    for text in [
        "description: a Widget of the cluster\n",
        "names:\n  kind: WidgetSet\n",
        "names:\n  listKind: Widget\n",
        "names:\n  subkind: Widget\n",
    ] {
        assert!(!declares_kind(text, "Widget"), "{text}");
    }
}

/// Only the files that may declare a kind are read for it; another kind reads others.
#[test]
fn a_kind_reads_only_the_files_that_may_declare_it() {
    let widget = WIDGET_CRD.to_string();
    let broken = "kind: [\n".to_string();
    let crds = ChartCrds::new(vec![
        ("crds/widget.yaml".into(), Arc::new(widget)),
        ("crds/broken.yaml".into(), Arc::new(broken)),
    ])
    .expect("two files");
    assert!(crds.schema("demo.example/v1/Widget", "Widget").is_some());
    let read = crds.read_so_far().expect("the broken file was not read");
    assert!(read.iter().all(|crd| crd.file == "crds/widget.yaml"));
    // A kind no file declares reads them all, the broken one included.
    assert!(crds.schema("demo.example/v1/Gadget", "Gadget").is_none());
    let error = crds.read_so_far().expect_err("the broken file was read");
    assert!(error.to_string().contains("broken.yaml"), "{error}");
}

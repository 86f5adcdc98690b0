//! Issue 11 ("Trust"), the output side: what exit 0 promises about stdout and `--output-dir`,
//! Secrets kept out of parse errors, a verdict per document in `bosun validate`, broken schemas,
//! and the release names and namespaces Kubernetes refuses.

use crate::run;

// Broke: a record that could not be written (read-only checkout) failed the render after the
// whole stream was printed.
#[test]
fn an_unwritable_record_does_not_fail_the_render() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the state folder should be: creating the record fails, even for root.
    let blocked = dir.path().join("state");
    std::fs::write(&blocked, "not a folder").unwrap();
    let (code, stdout, stderr) = run([
        "render",
        "charts/demo",
        "--state-dir",
        blocked.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (_, expected, _) = run(["render", "charts/demo", "--no-save"]);
    assert_eq!(stdout, expected, "the stream is not whole");
    assert!(
        stderr.contains("warning: this render is not recorded"),
        "{stderr}"
    );
    assert!(stderr.contains("--state-dir"), "{stderr}");
}

// Broke: `-n Bad_NS`, `--release-name Bad_Name` and over-long names were accepted.
#[test]
fn names_kubernetes_refuses_are_refused_with_the_rule() {
    let long = "a".repeat(54);
    for (args, expect) in [
        (vec!["-n", "Bad_NS"], "DNS-1123 label"),
        (vec!["--release-name", "Bad_Name"], "at most 53 characters"),
        (vec!["--release-name", long.as_str()], "54 characters long"),
        (vec!["-n", &"n".repeat(64)], "64 characters long"),
    ] {
        for command in ["render", "diff", "lint"] {
            let mut full = vec![command, "charts/demo"];
            full.extend(&args);
            let (code, stdout, stderr) = run(&full);
            assert_eq!((code, stdout.as_str()), (1, ""), "{full:?}: {stderr}");
            assert!(stderr.contains(expect), "{full:?}: {stderr}");
        }
    }
    let (code, _, stderr) = run([
        "render",
        "charts/demo",
        "--no-save",
        "-n",
        "shop-prod",
        "--release-name",
        "web.v2",
    ]);
    assert_eq!(code, 0, "{stderr}");
}

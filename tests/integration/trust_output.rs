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

/// The files under `dir`, relative to it, sorted.
fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                out.push(relative.display().to_string());
            }
        }
    }
    out.sort();
    out
}

// Broke: rendering production then dev into one --output-dir left production's Ingress there.
#[test]
fn the_output_dir_holds_exactly_the_last_render() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out_arg = out.to_str().unwrap();
    for env in ["production", "dev"] {
        let (code, stdout, stderr) = run([
            "render",
            "charts/demo",
            "--no-save",
            "--env",
            env,
            "--output-dir",
            out_arg,
        ]);
        assert_eq!((code, stdout.as_str()), (0, ""), "{env}: {stderr}");
    }
    assert!(
        !out.join("demo/templates/ingress.yaml").exists(),
        "production's Ingress is still there: {:?}",
        files_under(&out)
    );
    // The same files a fresh dev render writes, and nothing beside the folder.
    let fresh = dir.path().join("fresh");
    let (code, _, _) = run([
        "render",
        "charts/demo",
        "--no-save",
        "--env",
        "dev",
        "--output-dir",
        fresh.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert_eq!(files_under(&out), files_under(&fresh));
    let mut beside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    beside.sort();
    assert_eq!(beside, ["fresh", "out"]);
}

// Broke (by design now): --output-dir replaces the folder, so one holding files bosun did not
// write is refused and left alone rather than deleted.
#[test]
fn an_output_dir_holding_other_files_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("manifests");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("handwritten.yaml"), "apiVersion: v1\n").unwrap();
    let (code, stdout, stderr) = run([
        "render",
        "charts/demo",
        "--no-save",
        "--output-dir",
        out.to_str().unwrap(),
    ]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("cannot be the output folder"), "{stderr}");
    assert!(stderr.contains("handwritten.yaml"), "{stderr}");
    assert_eq!(files_under(&out), ["handwritten.yaml"]);
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let (code, _, stderr) = run([
        "render",
        "charts/demo",
        "--no-save",
        "--output-dir",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("it is not a folder"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

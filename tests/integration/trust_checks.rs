//! Issue 11, "code that can lie": colour decided in one place, and a chart folder that cannot
//! be read failing the load instead of rendering less.

use crate::run;

/// Regression: colour was raw escapes keyed on NO_COLOR alone; `--color` now decides.
#[test]
fn color_always_colours_an_error_report_and_never_does_not() {
    let (code, stdout, stderr) = run(["--color", "always", "render", "charts/nope"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.contains("\x1b["),
        "no colour with --color always: {stderr:?}"
    );
    assert!(stderr.contains("charts/nope"), "{stderr}");

    for flags in [&["--color", "never"][..], &[]] {
        let mut args = flags.to_vec();
        args.extend(["render", "charts/nope"]);
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 1);
        assert!(!stderr.contains('\x1b'), "{flags:?} coloured: {stderr:?}");
    }
}

/// Regression: the chart loader skipped any folder it could not read, so a chart whose
/// `templates` is not a readable folder rendered nothing and exited 0.
#[test]
fn a_templates_entry_that_cannot_be_listed_fails_the_load() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Chart.yaml"),
        "apiVersion: v2\nname: broken\nengine: jinja\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("templates"), "not a folder\n").unwrap();
    let (code, stdout, stderr) = run(["render", dir.path().to_str().unwrap(), "--no-save"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("cannot read"), "{stderr}");
    assert!(stderr.contains("templates"), "{stderr}");
}

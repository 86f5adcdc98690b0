//! Each subcommand's help opens with its own about line and lists its own flags, although its
//! arguments are made only when it is invoked (`defer`), and the Helm-habit hint still sees them.

use crate::run;

/// (subcommand, the about line its help must open with, a flag of its own).
const ABOUTS: &[(&str, &str, &str)] = &[
    (
        "render",
        "Render a chart to one YAML stream on stdout",
        "--release-name",
    ),
    (
        "values",
        "Print the merged values a chart would be rendered with",
        "--set-json",
    ),
    (
        "diff",
        "Render afresh and show what changed since the last render",
        "--against",
    ),
    (
        "validate",
        "Validate any Kubernetes manifests against the bundled schemas",
        "--crd",
    ),
    (
        "lint",
        "Render and check what a careful reviewer would catch",
        "--values",
    ),
    (
        "push",
        "Push a chart archive to an OCI registry",
        "--plain-http",
    ),
];

#[test]
fn subcommand_help_opens_with_its_own_about_line_and_lists_its_flags() {
    for (sub, about, flag) in ABOUTS {
        let (code, stdout, stderr) = run([sub, &"--help"]);
        assert_eq!(code, 0, "{sub} --help failed:\n{stderr}");
        let first = stdout.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(about),
            "{sub} --help opens with {first:?}"
        );
        assert!(stdout.contains(flag), "{sub} --help lacks {flag}");
    }
}

#[test]
fn helm_habit_hint_still_sees_the_subcommand_flags() {
    let chart = concat!(env!("CARGO_MANIFEST_DIR"), "/charts/demo");
    let (code, stdout, stderr) = run(["template", "rel", chart]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("bosun takes the chart first"),
        "no Helm-habit hint:\n{stderr}"
    );
}

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
    // A chart's name with `_` is not refused (a chart may be named so), but it is said.
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("my_chart");
    crate::copy_tree(&crate::root().join(crate::fixture("secret")), &chart);
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: my_chart\nengine: jinja\nversion: 0.1.0\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(["render", chart.to_str().unwrap(), "--no-save"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.is_empty());
    assert!(
        stderr.contains("warning: the release name `my_chart` (the chart's name)"),
        "{stderr}"
    );
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
    assert!(!stderr.contains("warning"), "{stderr}");
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

/// The password the hostile Secrets carry: it breaks the YAML in block and flow style alike.
const PASSWORD: &str = "hunter2: x ]";

/// Renders the `secret` fixture chart with its template replaced by `template`, the password set
/// to `password`.
fn render_secret(template: &str, password: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("secret");
    crate::copy_tree(&crate::root().join(crate::fixture("secret")), &chart);
    std::fs::write(chart.join("templates/secret.yaml"), template).unwrap();
    run([
        "render",
        chart.to_str().unwrap(),
        "--no-save",
        "--set-string",
        &format!("password={password}"),
    ])
}

/// Secrets written in every way that once slipped past `kind: Secret`, each broken by its
/// password (`{{ values.password }}` unquoted).
const HOSTILE_SECRETS: &[(&str, &str)] = &[
    (
        "quoted kind",
        "apiVersion: v1\nkind: \"Secret\"\nmetadata:\n  name: db\nstringData:\n  password: {{ values.password }}\n",
    ),
    (
        "single-quoted kind",
        "apiVersion: v1\nkind: 'Secret'\nmetadata:\n  name: db\nstringData:\n  password: {{ values.password }}\n",
    ),
    (
        "flow style",
        "{apiVersion: v1, kind: \"Secret\", metadata: {name: db}, stringData: {password: {{ values.password }}}}\n",
    ),
    (
        "anchors and aliases",
        "apiVersion: v1\nkind: &k Secret\nmetadata: &m\n  name: db\n  labels: {kind: *k}\nstringData:\n  password: {{ values.password }}\n",
    ),
    (
        "kind after data",
        "apiVersion: v1\nmetadata:\n  name: db\nstringData:\n  password: {{ values.password }}\nkind: Secret\n",
    ),
    (
        "a List of Secrets",
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: db\n  stringData:\n    password: {{ values.password }}\n",
    ),
    (
        "kind spelled with an escape",
        "apiVersion: v1\nkind: \"Secr\\x65t\"\nmetadata:\n  name: db\nstringData:\n  password: {{ values.password }}\n",
    ),
];

// Broke: a Secret spelled other than `kind: Secret` had its password quoted in the parse error.
#[test]
fn a_secret_in_any_spelling_that_does_not_parse_is_not_quoted() {
    for (case, template) in HOSTILE_SECRETS {
        let (code, stdout, stderr) = render_secret(template, PASSWORD);
        assert_eq!((code, stdout.as_str()), (1, ""), "{case}: {stderr}");
        assert!(
            !stderr.contains("hunter2"),
            "{case}: the secret leaked:\n{stderr}"
        );
        assert!(stderr.contains("not shown because"), "{case}: {stderr}");
        // The place is still named: file, line and column.
        assert!(
            stderr.contains("templates/secret.yaml (rendered):"),
            "{case}: {stderr}"
        );
    }
}

// Broke: the same Secrets in a file given to `bosun validate` (its verdicts go to stdout).
#[test]
fn a_secret_in_any_spelling_is_not_quoted_by_validate() {
    let dir = tempfile::tempdir().unwrap();
    for (case, template) in HOSTILE_SECRETS {
        let file = dir.path().join("secret.yaml");
        std::fs::write(&file, template.replace("{{ values.password }}", PASSWORD)).unwrap();
        for format in ["text", "json", "junit", "tap"] {
            let (code, stdout, stderr) = run(["validate", "-o", format, file.to_str().unwrap()]);
            assert_eq!(code, 1, "{case} {format}: {stdout}{stderr}");
            assert!(
                !stdout.contains("hunter2") && !stderr.contains("hunter2"),
                "{case} {format}: the secret leaked:\n{stdout}{stderr}"
            );
        }
    }
}

// Broke: a parse error in the document after a Secret showed the Secret's last lines as context.
#[test]
fn the_document_before_a_broken_one_is_not_shown() {
    let template = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: {{ values.password | quote }}\n---\nkey: [unclosed\n";
    let (code, stdout, stderr) = render_secret(template, "hunter2");
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(!stderr.contains("hunter2"), "the secret leaked:\n{stderr}");
    // That document is no Secret: its own line is shown.
    assert!(stderr.contains("key: [unclosed"), "{stderr}");
}

// Broke: a Secret failing validation had the line with its value drawn in the snippet.
#[test]
fn a_secret_that_fails_validation_is_not_quoted() {
    let template = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: {{ values.password }}\n";
    // `--set-string` keeps it a string in values; unquoted in the template it renders a number.
    let (code, stdout, stderr) = render_secret(template, "2718281828");
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("/stringData/password"), "{stderr}");
    assert!(
        !stderr.contains("2718281828"),
        "the secret leaked:\n{stderr}"
    );
}

// Broke: one document that did not parse gave the whole file one error ("rendered invalid
// YAML", no line) and the other documents were never checked.
#[test]
fn validate_gives_every_document_a_verdict_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mixed.yaml");
    std::fs::write(
        &file,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\
         apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b\n---\n\
         apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {x: [1]}\n---\n\
         kind: ConfigMap\nmetadata: {name: d}\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(["validate", "-o", "json", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let verdicts: Vec<(&str, Option<u64>)> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let line = r["line"].as_u64().or(r["errors"][0]["line"].as_u64());
            (r["status"].as_str().unwrap(), line)
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("valid", None),
            ("error", Some(7)),
            ("invalid", Some(12)),
            ("error", Some(14))
        ]
    );
    let (_, text, _) = run(["validate", file.to_str().unwrap()]);
    assert!(!text.contains("rendered"), "{text}");
    assert!(text.contains("mixed.yaml:7 - not valid YAML"), "{text}");
    assert!(
        text.contains("mixed.yaml:14 - not a Kubernetes object: it has no `apiVersion`"),
        "{text}"
    );
}

const WIDGET: &str =
    "apiVersion: demo.example/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 1}\n";

// Broke: a --schema-location schema that did not parse or compile counted as "no schema", exit 0.
#[test]
fn a_broken_schema_location_schema_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let schemas = dir.path().join("schemas");
    std::fs::create_dir_all(&schemas).unwrap();
    let widget = dir.path().join("widget.yaml");
    std::fs::write(&widget, WIDGET).unwrap();
    let chart = dir.path().join("widgets");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: widgets\nengine: jinja\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("templates/widget.yaml"), WIDGET).unwrap();
    for (schema, expect) in [
        (
            "{\"type\": \"object\",\n \"properties\": {\"spec\": {},}}\n",
            "not valid JSON: trailing comma at line 2",
        ),
        (
            "{\"type\": \"object\", \"properties\": {\"spec\": {\"type\": \"strin\"}}}\n",
            "not a valid JSON Schema",
        ),
    ] {
        std::fs::write(schemas.join("widget-demo-v1.json"), schema).unwrap();
        let location = schemas.to_str().unwrap();
        let (code, stdout, _) = run([
            "validate",
            "--schema-location",
            location,
            widget.to_str().unwrap(),
        ]);
        assert_eq!(code, 1, "{stdout}");
        assert!(stdout.contains("widget-demo-v1.json"), "{stdout}");
        assert!(stdout.contains(expect), "{stdout}");
        let (code, stdout, stderr) = run([
            "render",
            chart.to_str().unwrap(),
            "--no-save",
            "--schema-location",
            location,
        ]);
        assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
        assert!(stderr.contains("widget-demo-v1.json"), "{stderr}");
        assert!(stderr.contains(expect), "{stderr}");
    }
}

// Broke: a --crd schema that did not compile counted as "no schema", exit 0.
#[test]
fn a_crd_whose_schema_does_not_compile_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let crd = dir.path().join("widgets-crd.yaml");
    std::fs::write(
        &crd,
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n\
         metadata: {name: widgets.demo.example}\nspec:\n  group: demo.example\n  names: {kind: Widget}\n\
         \x20 versions:\n  - name: v1\n    schema:\n      openAPIV3Schema:\n        type: object\n\
         \x20       properties:\n          spec: {type: strin}\n",
    )
    .unwrap();
    let widget = dir.path().join("widget.yaml");
    std::fs::write(&widget, WIDGET).unwrap();
    let crd_arg = crd.to_str().unwrap();
    for args in [
        vec!["validate", "--crd", crd_arg, widget.to_str().unwrap()],
        // Even when no document is of that kind.
        vec!["render", "charts/demo", "--no-save", "--crd", crd_arg],
    ] {
        let (code, stdout, stderr) = run(&args);
        assert_eq!((code, stdout.as_str()), (1, ""), "{args:?}: {stderr}");
        // The file and the line of the bad `type`.
        assert!(stderr.contains("widgets-crd.yaml:13"), "{stderr}");
        assert!(stderr.contains("widgets.demo.example"), "{stderr}");
        assert!(stderr.contains("/properties/spec/type"), "{stderr}");
    }
}

// Item 9: the folder swap wrote every file world-readable; a file holding a Secret stays the
// owner's only, as it was before the swap.
#[cfg(unix)]
#[test]
fn an_output_dir_file_holding_a_secret_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, _, stderr) = run([
        "render",
        &crate::fixture("secret"),
        "--no-save",
        "--output-dir",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let mut modes = Vec::new();
    let mut pending = vec![out];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
                modes.push((text.contains("kind: Secret"), mode));
            }
        }
    }
    assert!(modes.iter().any(|(secret, _)| *secret), "{modes:?}");
    for (secret, mode) in modes {
        if secret {
            assert_eq!(mode, 0o600, "a Secret's file is mode {mode:o}");
        }
    }
}

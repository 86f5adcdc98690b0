//! Small charts of our own that pin a Go or Helm behaviour behind a difference once seen on
//! Bitnami's charts (docs/helm-compat.md), and where errors inside `include`d defines and
//! `tpl` texts are reported. Expected outputs are what helm 4.1.4 printed for the same chart.

use crate::run;

/// A chart named `probe` written into a temporary folder from (path, text) pairs: (folder, its
/// path).
fn chart(files: &[(&str, &str)]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Chart.yaml"),
        "apiVersion: v2\nname: probe\nversion: 0.1.0\n",
    )
    .unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let path = dir.path().display().to_string();
    (dir, path)
}

fn render(chart: &str) -> (i32, String, String) {
    run([
        "render",
        chart,
        "--release-name",
        "rel",
        "--no-save",
        "--no-validate",
    ])
}

#[track_caller]
fn render_ok(chart: &str) -> String {
    let (code, stdout, stderr) = render(chart);
    assert_eq!(code, 0, "{stderr}");
    stdout
}

/// Regression: `toYaml` of a multi-line string wrote its lines at column 0 where Go indents
/// them by 2, so Bitnami's prometheus got another `checksum/configmap` than helm.
#[test]
fn to_yaml_of_a_multi_line_string_hashes_as_helms() {
    let (_dir, path) = chart(&[
        ("values.yaml", "config: |\n  a: 1\n  b:\n    - x\n"),
        (
            "templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t1\n  annotations:\n    checksum/config: {{ .Values.config | toYaml | sha256sum }}\ndata:\n  config: {{ .Values.config | toYaml | quote }}\n",
        ),
    ]);
    let out = render_ok(&path);
    assert!(
        out.contains(
            "checksum/config: fa997be0ac7f01b7d3374e008b108e1b09e41d834b7698c46e26d598e6d7edc4"
        ),
        "{out}"
    );
    // Helm's text: "|\n  a: 1\n  b:\n    - x", here in bosun's canonical YAML.
    assert!(
        out.contains("  config: |-\n    |\n      a: 1\n      b:\n        - x\n"),
        "{out}"
    );
}

/// Regression: the spaces an empty `nindent` leaves at the end of a document's last `|-`
/// block stayed in the value (Bitnami's pinniped ConfigMap); helm trims each document.
#[test]
fn a_document_ends_where_helm_trims_it() {
    let (_dir, path) = chart(&[(
        "templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t1\ndata:\n  tail: |-\n    first\n    {{- \"\" | nindent 2 }}\n",
    )]);
    let out = render_ok(&path);
    assert!(out.ends_with("data:\n  tail: first\n"), "{out}");
}

#[test]
fn err_a_nil_pointer_inside_an_included_define_points_at_the_define() {
    let (_dir, path) = chart(&[
        ("values.yaml", "a: {}\n"),
        (
            "templates/_helpers.tpl",
            "{{- define \"probe.name\" -}}\n{{ .Values.a.b.c }}\n{{- end -}}\n",
        ),
        (
            "templates/cm.yaml",
            "name: {{ include \"probe.name\" . }}\n",
        ),
    ]);
    let (code, stdout, stderr) = render(&path);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    // Go's whole message, as helm prints it.
    assert!(
        stderr.contains("error: template: probe/templates/cm.yaml:1:9: executing \"probe/templates/cm.yaml\" at <include \"probe.name\" .>: error calling include: template: probe/templates/_helpers.tpl:2:10: executing \"probe.name\" at <.Values.a.b.c>: nil pointer evaluating interface {}.c\n"),
        "{stderr}"
    );
    assert!(stderr.contains("templates/_helpers.tpl:2:11\n"), "{stderr}");
    assert!(
        stderr.contains(
            "2 | {{ .Values.a.b.c }}\n  |           ^ nil pointer evaluating interface {}.c\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: `.Values.a.b` is not set, so it has no `c`: set it in the values, or guard the use with `if`, `with` or `default` (reached through `include \"probe.name\" .` at "),
        "{stderr}"
    );
    assert!(stderr.contains("templates/cm.yaml:1:10)\n"), "{stderr}");
}

#[test]
fn err_fail_inside_tpl_text_points_at_the_values_line_it_came_from() {
    let (_dir, path) = chart(&[
        (
            "values.yaml",
            "text: |\n  first: 1\n  x: {{ fail \"stop here\" }}\n",
        ),
        ("templates/cm.yaml", "a: {{ tpl .Values.text . }}\n"),
    ]);
    let (code, stdout, stderr) = render(&path);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(
        stderr.contains("error calling fail: stop here\n"),
        "{stderr}"
    );
    assert!(stderr.contains("values.yaml:3:9\n"), "{stderr}");
    assert!(
        stderr.contains(
            "3 |   x: {{ fail \"stop here\" }}\n  |         ^ error calling fail: stop here\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: the chart stops the render on purpose with that message: give it the value it asks for (reached through `tpl .Values.text .` at "),
        "{stderr}"
    );
    // Only the failing line of a values file is drawn: the one above holds a secret.
    assert!(!stderr.contains("s3cret-value"), "{stderr}");
}

#[test]
fn err_an_unknown_function_in_tpl_text_draws_the_text_named_after_the_call() {
    let (_dir, path) = chart(&[(
        "templates/cm.yaml",
        "a: 1\nb: {{ tpl \"x: {{ nosuch 1 }}\" . }}\n",
    )]);
    let (code, stdout, stderr) = render(&path);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(
        stderr.contains("function \"nosuch\" not defined\n"),
        "{stderr}"
    );
    assert!(stderr.contains("--> `tpl` text (called at "), "{stderr}");
    assert!(stderr.contains("templates/cm.yaml:2:7):1:7\n"), "{stderr}");
    assert!(
        stderr.contains("1 | x: {{ nosuch 1 }}\n  |       ^ function \"nosuch\" not defined\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: bosun knows Go's template builtins"),
        "{stderr}"
    );
}

#[test]
fn err_a_nil_pointer_in_tpl_text_inside_an_include_names_every_step() {
    let (_dir, path) = chart(&[
        (
            "values.yaml",
            "a: {}\nmessage: \"value {{ .Values.a.b.c }}\"\n",
        ),
        (
            "templates/_helpers.tpl",
            "{{- define \"probe.render\" -}}\n{{ tpl .value .context }}\n{{- end -}}\n",
        ),
        (
            "templates/cm.yaml",
            "m: {{ include \"probe.render\" (dict \"value\" .Values.message \"context\" $) }}\n",
        ),
    ]);
    let (code, stdout, stderr) = render(&path);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("values.yaml:2:27\n"), "{stderr}");
    assert!(
        stderr.contains("help: `.Values.a.b` is not set, so it has no `c`: set it in the values, or guard the use with `if`, `with` or `default` (reached through `include \"probe.render\" (dict \"value\" .Values.message \"context\" $)` at "),
        "{stderr}"
    );
    assert!(
        stderr.contains("templates/cm.yaml:1:7, then `tpl .value .context` at "),
        "{stderr}"
    );
    assert!(stderr.contains("templates/_helpers.tpl:2:4)\n"), "{stderr}");
}

/// Regression: `tpl` of an unset value rendered an empty string where helm stops; Helm's
/// functions now check their arguments with their Go types, and name Helm's root template.
#[test]
fn err_helms_functions_check_their_arguments_as_go_does() {
    let cases = [
        (
            "a: {{ tpl .Values.missing . }}\n",
            "template: probe/templates/cm.yaml:1:17: executing \"probe/templates/cm.yaml\" at <.Values.missing>: wrong type for value; expected string; got interface {}\n",
        ),
        (
            "a: {{ include \"inner\" }}\n",
            "template: probe/templates/cm.yaml:1:6: executing \"probe/templates/cm.yaml\" at <include>: wrong number of args for include: want 2 got 1\n",
        ),
        (
            "a: {{ include \"nope\" . }}\n",
            "template: probe/templates/cm.yaml:1:6: executing \"probe/templates/cm.yaml\" at <include \"nope\" .>: error calling include: template: no template \"nope\" associated with template \"gotpl\"\n",
        ),
        (
            "a: {{ fromYaml 5 }}\n",
            "template: probe/templates/cm.yaml:1:15: executing \"probe/templates/cm.yaml\" at <5>: expected string; found 5\n",
        ),
    ];
    for (template, message) in cases {
        let (_dir, path) = chart(&[("templates/cm.yaml", template)]);
        let (code, stdout, stderr) = render(&path);
        assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
        assert!(
            stderr.starts_with(&format!("error: {message}")),
            "{template}: {stderr}"
        );
    }
}

#[test]
fn err_fail_and_unknown_functions_inside_a_define_point_at_the_define() {
    let helpers = "{{- define \"probe.check\" -}}\n{{- if not .Values.name }}\n{{- fail \"name is required\" }}\n{{- end }}\n{{- end -}}\n";
    let (_dir, path) = chart(&[
        ("templates/_helpers.tpl", helpers),
        (
            "templates/cm.yaml",
            "{{ include \"probe.check\" . }}\na: 1\n",
        ),
    ]);
    let (code, stdout, stderr) = render(&path);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("templates/_helpers.tpl:3:5\n"), "{stderr}");
    assert!(
        stderr.contains(
            "3 | {{- fail \"name is required\" }}\n  |     ^ error calling fail: name is required\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: the chart stops the render on purpose with that message: give it the value it asks for (reached through `include \"probe.check\" .` at "),
        "{stderr}"
    );

    // A function no one has is a parse error of the file that defines the template (in a
    // chart that names its engine: one that does not gets the hint about `engine: jinja`).
    let (_dir, path) = chart(&[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: probe\nversion: 0.1.0\nengine: gotpl\n",
        ),
        (
            "templates/_helpers.tpl",
            "{{- define \"probe.name\" -}}\n{{ .Values.name | nosuch }}\n{{- end -}}\n",
        ),
        (
            "templates/cm.yaml",
            "name: {{ include \"probe.name\" . }}\n",
        ),
    ]);
    let (code, stdout, stderr) = render(&path);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(
        stderr.contains(
            "error: template: probe/templates/_helpers.tpl:2: function \"nosuch\" not defined\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("templates/_helpers.tpl:2:"), "{stderr}");
    assert!(
        stderr.contains("help: bosun knows Go's template builtins"),
        "{stderr}"
    );
}

/// Regression: text ending inside a `|` block without a final newline (what `toYaml` and most
/// `include`s give, Bitnami's `common.tplvalues.merge` among them) read back with one; Go's
/// reader ends the block without it.
#[test]
fn from_yaml_of_text_ending_in_a_block_keeps_no_final_newline() {
    let (_dir, path) = chart(&[(
        "templates/cm.yaml",
        concat!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t1\ndata:\n",
            "  a: {{ dict \"k\" \"line1\\nline2\\n\" | toYaml | fromYaml | toJson | quote }}\n",
            "  b: {{ \"b: 1\\na: |\\n  x\" | fromYaml | toJson | quote }}\n",
            "  c: {{ \"z: |\\n  x\\na: 1\" | fromYaml | toJson | quote }}\n",
            "  d: {{ \"a: |\\n  x\\n# comment\" | fromYaml | toJson | quote }}\n",
            "  e: {{ \"- |\\n  x\" | fromYamlArray | toJson | quote }}\n",
            // A template's text ending in `---` (Bitnami's redis scripts ConfigMap, hashed
            // through `pick (include ... | fromYaml)`) ends the block with its line break.
            "  f: {{ \"a: |\\n  x\\n---\" | fromYaml | toJson | quote }}\n",
        ),
    )]);
    let out = render_ok(&path);
    // What helm 4.1.4 printed, in bosun's canonical YAML.
    let expected = concat!(
        r#"  a: "{\"k\":\"line1\\nline2\"}""#,
        "\n",
        r#"  b: "{\"a\":\"x\",\"b\":1}""#,
        "\n",
        r#"  c: "{\"a\":1,\"z\":\"x\\n\"}""#,
        "\n",
        r#"  d: "{\"a\":\"x\\n\"}""#,
        "\n",
        r#"  e: "[\"x\"]""#,
        "\n",
        r#"  f: "{\"a\":\"x\\n\"}""#,
        "\n",
    );
    assert!(out.ends_with(expected), "{out}");
}

/// Regression: `.Files.Glob "files/*"` also took `files/sub/x` (Helm's glob keeps `*` inside
/// a folder, so `AsConfig` got a key helm does not have), and `.Files.Lines` kept an empty
/// last line for a file ending in a newline.
#[test]
fn files_glob_star_stays_in_its_folder_and_lines_drop_the_last_break() {
    let (_dir, path) = chart(&[
        ("files/a.conf", "a=1\n"),
        ("files/sub/b.txt", "b\nc\n"),
        (
            "templates/cm.yaml",
            concat!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t1\ndata:\n",
                "  config: {{ (.Files.Glob \"files/*\").AsConfig | quote }}\n",
                "  all: {{ .Files.Glob \"files/**\" | len | quote }}\n",
                "  lines: {{ .Files.Lines \"files/sub/b.txt\" | toJson | quote }}\n",
                "  none: {{ .Files.Lines \"nope\" | toJson | quote }}\n",
            ),
        ),
    ]);
    let out = render_ok(&path);
    // helm 4.1.4: config "a.conf: |\n  a=1", all "2", lines ["b","c"], none [].
    assert!(
        out.ends_with(concat!(
            "  config: |-\n    a.conf: |\n      a=1\n",
            "  all: \"2\"\n",
            r#"  lines: "[\"b\",\"c\"]""#,
            "\n",
            "  none: \"[]\"\n",
        )),
        "{out}"
    );
}

/// Regression: `fromYaml` of text with a repeated key gave an `Error` entry where Go's reader
/// keeps the last value (Bitnami's grafana-mimir merges its config through it).
#[test]
fn from_yaml_keeps_the_last_of_a_repeated_key() {
    let (_dir, path) = chart(&[(
        "templates/cm.yaml",
        concat!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t1\ndata:\n",
            "  f: {{ \"a: 1\\nb:\\n  c: 1\\na: 2\\nb:\\n  d: 2\" | fromYaml | toJson | quote }}\n",
        ),
    )]);
    let out = render_ok(&path);
    // helm 4.1.4: {"a":2,"b":{"d":2}}
    assert!(
        out.ends_with("  f: \"{\\\"a\\\":2,\\\"b\\\":{\\\"d\\\":2}}\"\n"),
        "{out}"
    );
}

//! Messages a person can act on (issue 11, items 13 to 15): near misses suggested, carets on
//! the key, the flag a value came from, and Helm habits answered in bosun's terms. Fixtures are
//! in tests/fixtures/messages; the full reports are reviewed snapshots.

use insta_cmd::assert_cmd_snapshot;

use crate::{bosun, run};

const M: &str = "tests/fixtures/messages";

fn fixture(name: &str) -> String {
    format!("{M}/{name}")
}

/// Asserts a failed run: exit code 1, nothing on stdout; returns stderr.
fn fails(args: &[&str]) -> String {
    let (code, stdout, stderr) = run(args);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    stderr
}

#[test]
fn values_schema_typo_points_at_the_key_and_names_the_fix() {
    // Broke: no "did you mean" or allowed keys, the caret sat in column 1, an unknown map was
    // reported at its first child's line, and the help named a one-line `$ref` file.
    assert_cmd_snapshot!(bosun([
        "render",
        &fixture("schema"),
        "-f",
        &fixture("schema-typos.yaml"),
    ]));
}

#[test]
fn every_unknown_key_of_one_map_is_reported() {
    // Broke: two unknown keys in one map were one violation naming only the first.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("two.yaml");
    std::fs::write(&file, "image:\n  tagg: x\n  repo: y\n").unwrap();
    let stderr = fails(&["render", &fixture("schema"), "-f", file.to_str().unwrap()]);
    assert!(
        stderr.contains("`image.tagg`: unknown key `tagg`; did you mean `tag`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`image.repo`: unknown key `repo`; did you mean `repository`?"),
        "{stderr}"
    );
    assert!(stderr.contains("two.yaml:3:3"), "{stderr}");
}

#[test]
fn values_schema_violation_names_the_set_flag() {
    // Broke: a key a `--set` flag created was reported `(set by (unknown))`.
    let stderr = fails(&["render", &fixture("schema"), "--set", "image.tagg=x"]);
    assert!(
        stderr.contains("unknown key `tagg`; did you mean `tag`? (set by --set image.tagg=x)"),
        "{stderr}"
    );
    assert!(!stderr.contains("(unknown)"), "{stderr}");
}

#[test]
fn undefined_value_suggests_the_near_key() {
    // Broke: `values.nme` was reported undefined without pointing at `values.name`.
    let stderr = fails(&["render", &fixture("undefined")]);
    assert!(
        stderr.contains("help: did you mean `values.name`?"),
        "{stderr}"
    );
}

#[test]
fn unknown_manifest_field_suggests_the_near_field() {
    // Broke: `protcol` in a Service port was rejected without naming `protocol`.
    let stderr = fails(&["render", &fixture("unknown_field")]);
    assert!(
        stderr.contains("('protcol' was unexpected); did you mean `protocol`?"),
        "{stderr}"
    );
}

#[test]
fn duplicate_values_key_speaks_bosun() {
    // Broke: a repeated key repeated the YAML library's advice to set DuplicateKeyPolicy.
    assert_cmd_snapshot!(bosun([
        "values",
        &fixture("undefined"),
        "-f",
        &fixture("duplicate.yaml"),
    ]));
}

#[test]
fn chart_yaml_without_name_says_so() {
    // Broke: a Chart.yaml without `name` was "not valid YAML: missing field" at another key.
    assert_cmd_snapshot!(bosun(["render", &fixture("no_name")]));
}

#[test]
fn broken_values_schema_is_not_valid_json() {
    // Broke: a broken values.schema.json was called "not valid YAML", with the line repeated.
    assert_cmd_snapshot!(bosun(["render", &fixture("broken_schema")]));
}

#[test]
fn broken_schema_reached_by_ref_is_not_valid_json_at_its_line() {
    // Broke: a `$ref`d schema file that did not parse was a one-line "not a valid JSON Schema".
    let dir = tempfile::tempdir().unwrap();
    crate::copy_tree(&crate::root().join(fixture("schema")), dir.path());
    std::fs::write(
        dir.path().join("schema/values.schema.json"),
        "{\n  \"type\": ,\n}\n",
    )
    .unwrap();
    let stderr = fails(&["render", dir.path().to_str().unwrap()]);
    assert!(
        stderr.contains("schema/values.schema.json` is not valid JSON: expected value"),
        "{stderr}"
    );
    assert!(stderr.contains("values.schema.json:2:11"), "{stderr}");
}

#[test]
fn unclosed_if_points_at_the_if() {
    // Broke: an `{% if %}` never closed was reported at the end of the template.
    assert_cmd_snapshot!(bosun(["render", &fixture("unclosed_if")]));
}

#[test]
fn if_closed_by_an_outer_endfor_points_at_the_if() {
    // Broke: an `{% endfor %}` reached with an `if` open was an "unknown statement endfor".
    let dir = tempfile::tempdir().unwrap();
    crate::copy_tree(&crate::root().join(fixture("unclosed_if")), dir.path());
    std::fs::write(
        dir.path().join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n{% for k in [1] %}\n{% if values.enabled %}\n  k: v\n{% endfor %}\n",
    )
    .unwrap();
    let stderr = fails(&["render", dir.path().to_str().unwrap()]);
    assert!(
        stderr.contains("`{% endfor %}` comes while `{% if %}` on line 7 is still open"),
        "{stderr}"
    );
    assert!(stderr.contains("cm.yaml:7:1"), "{stderr}");
}

#[test]
fn unbundled_kube_version_says_the_range_once() {
    // Broke: the versions bosun carries were said twice, with no way forward.
    let stderr = fails(&["render", &fixture("helm"), "--kube-version", "1.20"]);
    assert_eq!(stderr.matches("1.25 to 1.37").count(), 1, "{stderr}");
    assert!(stderr.contains("--no-validate"), "{stderr}");
}

#[test]
fn template_is_an_alias_of_render() {
    // Broke: `bosun template`, Helm's word, was an unrecognized subcommand.
    let args = |command: &'static str| [command, "tests/fixtures/messages/helm", "--no-save"];
    let (code, template, stderr) = run(args("template"));
    assert_eq!(code, 0, "{stderr}");
    let (_, render, _) = run(args("render"));
    assert!(template.contains("kind: ConfigMap"), "{template}");
    assert_eq!(template, render);
}

#[test]
fn helm_flags_get_a_hint_not_the_opposite_flag() {
    // Broke: `--validate` got clap's tip to use `--no-validate`; `--debug` and `--skip-crds`
    // got a tip about passing them as values.
    for flag in ["--validate", "--debug", "--skip-crds"] {
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(flag.trim_start_matches('-'));
        settings.bind(|| {
            assert_cmd_snapshot!(bosun(["template", &fixture("helm"), flag]));
        });
    }
}

#[test]
fn helm_argument_order_says_chart_first() {
    // Broke: `render NAME CHART` said only "unexpected argument" about the chart.
    assert_cmd_snapshot!(bosun(["render", "-n", "shop", "web", &fixture("helm")]));
}

//! `bosun render`: the example chart in each environment, every flag, and the stream's shape.

use std::process::Stdio;

use insta_cmd::assert_cmd_snapshot;

use crate::documents::{command_line, quiet_stdout, unified_diff};
use crate::{bosun, fixture, probe_chart, run, run_ok};

#[test]
fn demo_without_environment() {
    assert_cmd_snapshot!(bosun(["render", "charts/demo"]));
}

/// The production environment (and a namespace), as the diff of its render against the
/// render without an environment.
#[test]
fn demo_in_production() {
    let base: Vec<String> = ["render", "charts/demo"].map(String::from).to_vec();
    let production: Vec<String> = ["render", "charts/demo", "--env", "production", "-n", "shop"]
        .map(String::from)
        .to_vec();
    insta::assert_snapshot!(
        "demo_in_production_against_no_environment",
        unified_diff(
            &command_line(&base),
            &quiet_stdout(&base),
            &command_line(&production),
            &quiet_stdout(&production)
        )
    );
}

#[test]
fn demo_in_dev_from_the_charts_own_values_file() {
    let (code, stdout, stderr) = run(["render", "charts/demo", "--env", "dev"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("image: ghcr.io/acme/demo-web:1.5.0-rc.1"),
        "{stdout}"
    );
}

#[test]
fn the_same_input_renders_byte_identical_output() {
    let args = ["render", "charts/demo", "--env", "production"];
    let first = run_ok(args);
    for _ in 0..3 {
        assert_eq!(run_ok(args), first);
    }
}

#[test]
fn documents_come_in_install_order_with_source_comments() {
    let stdout = run_ok(["render", "charts/demo", "--env", "production"]);
    let kinds: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("kind: "))
        .collect();
    assert_eq!(
        kinds,
        [
            "Namespace",
            "PodDisruptionBudget",
            "ConfigMap",
            "Service",
            "Deployment",
            "StatefulSet",
            "Ingress"
        ]
    );
    assert!(stdout.starts_with("---\n# Source: demo/templates/namespace.yaml\n"));
    assert!(stdout.contains("# Source: demo/charts/redis/templates/statefulset.yaml\n"));
}

#[test]
fn ambiguous_strings_are_quoted_and_numbers_stay_bare() {
    // `bare: on` is a boolean, which a ConfigMap rejects: this test is about the YAML only.
    assert_cmd_snapshot!(bosun(["render", &fixture("quoting"), "--no-validate"]));
}

#[test]
fn a_subchart_is_off_until_its_condition_holds_and_sees_global() {
    let off = run_ok(["render", "charts/demo"]);
    assert!(!off.contains("kind: StatefulSet"));
    let on = run_ok([
        "render",
        "charts/demo",
        "--set",
        "redis.enabled=true,global.environment=qa",
    ]);
    assert!(on.contains("--maxmemory\n        - 64mb"), "{on}");
    assert!(on.contains("name: redis\n  namespace: default\n  labels:\n    app.kubernetes.io/name: redis\n    environment: qa"), "{on}");
}

#[test]
fn release_name_namespace_and_upgrade_reach_templates() {
    let (code, stdout, stderr) = run([
        "render",
        "charts/demo",
        "--release-name",
        "shop",
        "--namespace",
        "retail",
        "--is-upgrade",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("app.kubernetes.io/instance: shop"));
    assert!(stdout.contains("namespace: retail"));
    assert!(stdout.contains("value: shop-r1"));
}

#[test]
fn show_only_keeps_the_named_templates() {
    let (code, stdout, _) = run([
        "render",
        "charts/demo",
        "--show-only",
        "templates/service.yaml",
        "-s",
        "demo/templates/namespace.yaml",
    ]);
    assert_eq!(code, 0);
    let sources: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("# Source:"))
        .collect();
    assert_eq!(
        sources,
        [
            "# Source: demo/templates/namespace.yaml",
            "# Source: demo/templates/service.yaml"
        ]
    );
}

#[test]
fn show_only_of_a_template_that_rendered_nothing_is_an_error() {
    let (code, stdout, stderr) = run([
        "render",
        "charts/demo",
        "--show-only",
        "templates/ingress.yaml",
    ]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("--show-only `templates/ingress.yaml` matches no rendered template"));
    assert!(stderr.contains("demo/templates/service.yaml"), "{stderr}");
}

#[test]
fn include_crds_puts_the_crds_first() {
    let without = run_ok(["render", "charts/demo"]);
    assert!(!without.contains("CustomResourceDefinition"));
    let with = run_ok(["render", "charts/demo", "--include-crds"]);
    assert!(with.starts_with("---\n# Source: demo/crds/widgets.yaml\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"), "{with}");
}

/// A probe chart with `templates` and, in its crds/ folder, `crds`.
fn chart_with_crds(
    templates: &[(&str, &str)],
    crds: &[(&str, &str)],
) -> (tempfile::TempDir, String) {
    let (dir, chart) = probe_chart("", templates);
    std::fs::create_dir(dir.path().join("crds")).unwrap();
    for (name, text) in crds {
        std::fs::write(dir.path().join("crds").join(name), text).unwrap();
    }
    (dir, chart)
}

/// The CRD files are parsed side by side, yet of two broken ones the first in file order is the
/// one the error names, every time: here a document of a custom kind needs them.
#[test]
fn of_two_broken_crd_files_the_first_is_named() {
    let widget = "apiVersion: demo.example/v1\nkind: Widget\nmetadata:\n  name: a\n";
    let (_dir, chart) = chart_with_crds(
        &[("widget.yaml", widget)],
        &[("a.yaml", "kind: [\n"), ("b.yaml", "kind: {\n")],
    );
    for _ in 0..5 {
        let (code, stdout, stderr) = run(["render", &chart, "--no-save"]);
        assert_eq!((code, stdout.as_str()), (1, ""));
        assert!(stderr.contains("crds/a.yaml:1:"), "{stderr}");
        assert!(!stderr.contains("b.yaml"), "{stderr}");
    }
}

/// A chart's crds/ folder is read only when a document's kind is not one of Kubernetes' own,
/// as `helm template` does not read it at all: a broken file there stops no render of
/// Kubernetes kinds, unless `--include-crds` puts it in the output.
#[test]
fn a_broken_crd_file_no_document_needs_stops_the_render_only_with_include_crds() {
    let config_map = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
    let (_dir, chart) = chart_with_crds(&[("cm.yaml", config_map)], &[("a.yaml", "kind: [\n")]);
    let (code, stdout, stderr) = run(["render", &chart, "--no-save"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("kind: ConfigMap"), "{stdout}");
    let (code, stdout, stderr) = run(["render", &chart, "--no-save", "--include-crds"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("crds/a.yaml:1:"), "{stderr}");
}

/// A chart's CRD whose schema does not compile is an error naming its file and line when a
/// document of its kind has it read; a render with no document of that kind does not read it.
#[test]
fn err_a_chart_crd_whose_schema_does_not_compile_names_the_file_and_line() {
    let gadget = "apiVersion: demo.example/v1\nkind: Gadget\nmetadata:\n  name: a\n";
    let widget = "apiVersion: demo.example/v1\nkind: Widget\nmetadata:\n  name: a\n";
    let crd = |kind: &str, plural: &str, spec_type: &str| {
        format!(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n\
             metadata: {{name: {plural}.demo.example}}\nspec:\n  group: demo.example\n\
             \x20 names: {{kind: {kind}, plural: {plural}}}\n  scope: Namespaced\n\
             \x20 versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n\
             \x20     openAPIV3Schema:\n        type: object\n        properties:\n\
             \x20         spec: {{type: {spec_type}}}\n"
        )
    };
    let (gadgets, widgets) = (
        crd("Gadget", "gadgets", "object"),
        crd("Widget", "widgets", "strin"),
    );
    let (dir, chart) = chart_with_crds(
        &[("gadget.yaml", gadget), ("widget.yaml", widget)],
        &[("gadgets.yaml", &gadgets), ("widgets.yaml", &widgets)],
    );
    let (code, stdout, stderr) = run(["render", &chart, "--no-save"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("crds/widgets.yaml:16"), "{stderr}");
    assert!(stderr.contains("widgets.demo.example"), "{stderr}");
    // Without the Widget, its CRD is not read: the Gadget renders.
    std::fs::remove_file(dir.path().join("templates/widget.yaml")).unwrap();
    let (code, stdout, stderr) = run(["render", &chart, "--no-save"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("kind: Gadget"), "{stdout}");
}

#[test]
fn kube_version_and_api_versions_reach_capabilities() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("caps");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: caps\nengine: jinja\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caps\ndata:\n  version: {{ capabilities.kube_version.version | quote }}\n  minor: {{ capabilities.kube_version.minor | quote }}\n  monitoring: {{ capabilities.api_versions.has('monitoring.coreos.com/v1') | quote }}\n  new: {{ semver_compare('>=1.33', capabilities.kube_version.version) | quote }}\n",
    )
    .unwrap();
    let path = chart.to_str().unwrap();
    let stdout = run_ok(["render", path]);
    let newest = bosun::validate::schema::newest_version().minor;
    let expected = format!(
        "version: v1.{newest}.0\n  minor: \"{newest}\"\n  monitoring: \"false\"\n  new: \"true\""
    );
    assert!(stdout.contains(&expected), "{stdout}");
    let stdout = run_ok([
        "render",
        path,
        "--kube-version",
        "1.30",
        "--api-versions",
        "monitoring.coreos.com/v1",
    ]);
    assert!(
        stdout.contains(
            "version: v1.30.0\n  minor: \"30\"\n  monitoring: \"true\"\n  new: \"false\""
        ),
        "{stdout}"
    );
}

#[test]
fn json_output_is_a_kubernetes_list() {
    let (code, stdout, _) = run(["render", "charts/demo", "-o", "json"]);
    assert_eq!(code, 0);
    let list: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(list["kind"], "List");
    assert_eq!(list["items"].as_array().unwrap().len(), 4);
    assert_eq!(list["items"][3]["kind"], "Deployment");
}

#[test]
fn output_dir_writes_one_file_per_template_and_nothing_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, stdout, stderr) = run([
        "render",
        "charts/demo",
        "--env",
        "production",
        "--output-dir",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    let deployment = std::fs::read_to_string(out.join("demo/templates/deployment.yaml")).unwrap();
    assert!(deployment.starts_with("---\n# Source: demo/templates/deployment.yaml\n"));
    assert!(
        out.join("demo/charts/redis/templates/statefulset.yaml")
            .is_file()
    );
    let leftovers: Vec<_> = std::fs::read_dir(out.join("demo/templates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_failed_render_leaves_the_output_dir_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out_arg = out.to_str().unwrap();
    assert_eq!(run(["render", "charts/demo", "--output-dir", out_arg]).0, 0);
    let before = std::fs::read_to_string(out.join("demo/templates/deployment.yaml")).unwrap();
    let (code, _, _) = run([
        "render",
        "charts/demo",
        "--output-dir",
        out_arg,
        "--set",
        "ingress.enabled=true",
    ]);
    assert_eq!(code, 1, "ingress.host is required");
    let after = std::fs::read_to_string(out.join("demo/templates/deployment.yaml")).unwrap();
    assert_eq!(before, after);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // Like `bosun render | head -1`: the reader goes away before bosun has written everything.
    let mut child = bosun(["render", &fixture("many")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stderr.is_empty());
}

#[test]
fn values_from_stdin_with_dash() {
    let (_, stdout, _) =
        crate::run_with_stdin(["render", "charts/demo", "-f", "-"], b"replicas: 7\n");
    assert!(stdout.contains("replicas: 7"));
}

#[test]
fn set_flags_apply_in_the_order_given_after_values_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("v.yaml");
    std::fs::write(&file, "replicas: 4\nname: fromfile\n").unwrap();
    let greeting = dir.path().join("greeting.txt");
    std::fs::write(&greeting, "hello\nworld\n").unwrap();
    let (code, stdout, stderr) = run([
        "values",
        "charts/demo",
        "-o",
        "json",
        "--set",
        "replicas=5",
        "-f",
        file.to_str().unwrap(),
        "--set-string",
        "replicas=6",
        "--set-json",
        r#"env={"A":"1"}"#,
        "--set-file",
        &format!("config.extra.greeting={}", greeting.display()),
        "--set",
        "env.B=2",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let values: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(values["replicas"], "6", "--set-string came after --set");
    assert_eq!(values["name"], "fromfile");
    // As helm: the flags' map is coalesced with the chart's default `env`, not put in its place.
    assert_eq!(
        values["env"],
        serde_json::json!({"LOG_LEVEL": "debug", "FEATURE_FLAG": "on", "A": "1", "B": 2})
    );
    assert_eq!(values["config"]["extra"]["greeting"], "hello\nworld\n");
}

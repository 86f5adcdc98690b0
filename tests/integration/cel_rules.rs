//! The CEL rules (`x-kubernetes-validations`) of custom resource schemas: for each rule bosun
//! adds to its bundled schemas (schemas/crds/cel-rules.yaml), a manifest the API server refuses
//! and its valid twin, with the message expected; and a CRD's own rules, from `--crd` and from a
//! chart's crds/ folder, with messageExpression, fieldPath, reason and the rules bosun skips.

use crate::{root, run};

mod cases;

use cases::{Case, cases};

/// `bosun validate -o json` on `text` written to a file: the exit code and each document's
/// verdict, in order.
fn validate(name: &str, text: &str, extra: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let mut args = vec!["validate", "-o", "json", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(args);
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stdout}{stderr}"));
    (
        code,
        report["resources"].as_array().unwrap().clone(),
        stderr,
    )
}

#[test]
fn each_bundled_cel_rule_refuses_its_bad_manifest_and_accepts_the_twin() {
    let cases = cases();
    let stream = |pick: fn(&Case) -> &String| {
        cases
            .iter()
            .enumerate()
            .map(|(i, case)| {
                format!(
                    "{}{}",
                    case.header.replace("NAME", &format!("case-{i}")),
                    pick(case)
                )
            })
            .collect::<Vec<_>>()
            .join("---\n")
    };
    let (code, good, stderr) = validate("good.yaml", &stream(|c| &c.good), &[]);
    for (case, verdict) in cases.iter().zip(&good) {
        assert_eq!(verdict["status"], "valid", "{}: {verdict}", case.rule);
    }
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("not evaluated"), "{stderr}");

    let (code, bad, _) = validate("bad.yaml", &stream(|c| &c.bad), &[]);
    assert_eq!(code, 1);
    assert_eq!(bad.len(), cases.len());
    for (case, verdict) in cases.iter().zip(&bad) {
        let errors = verdict["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: accepted, expected `{}`", case.rule, case.message));
        assert_eq!(errors.len(), 1, "{}: {errors:?}", case.rule);
        assert_eq!(errors[0]["path"], case.path, "{}", case.rule);
        let message = errors[0]["message"].as_str().unwrap();
        assert!(
            message.starts_with(case.message),
            "{}: {message}",
            case.rule
        );
    }
}

#[test]
fn the_v1beta1_gateway_kinds_carry_the_same_rules() {
    let text = "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: Gateway\nmetadata: {name: g, namespace: shop}\nspec:\n  gatewayClassName: public\n  listeners:\n    - {name: web, port: 80, protocol: HTTP}\n    - {name: web, port: 8080, protocol: HTTP}\n";
    let (code, verdicts, _) = validate("gateway.yaml", text, &[]);
    assert_eq!(code, 1);
    assert!(
        verdicts[0]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Listener name must be unique within the Gateway")
    );
}

const WIDGET_CRD: &str = "tests/fixtures/cel/widget-crd.yaml";

fn widget(spec: &str) -> String {
    format!(
        "apiVersion: demo.example/v1\nkind: Widget\nmetadata: {{name: w, namespace: shop}}\nspec:\n{spec}"
    )
}

#[test]
fn a_crds_own_rules_refuse_with_message_message_expression_field_path_and_reason() {
    let cases = [
        (
            "  replicas: {min: 5, max: 2}\n",
            "/spec/replicas",
            "min (5) must not exceed max (2)",
        ),
        (
            "  replicas: {min: 1, max: 2}\n  endpoint: ftp://example.com\n",
            "/spec/endpoint",
            "endpoint must be an http or https URL",
        ),
        (
            "  replicas: {min: 1, max: 2}\n  mode: Exclusive\n",
            "/spec/owner",
            "Required value: owner is required in Exclusive mode",
        ),
        (
            "  replicas: {min: 1, max: 2}\n  memory: 64Mi\n",
            "/spec/memory",
            "memory must be at least 128Mi",
        ),
        (
            "  replicas: {min: 1, max: 2}\n  peers: [10.0.0.1, not-an-ip]\n",
            "/spec/peers",
            "failed rule: self.all(p, isIP(p))",
        ),
        (
            "  replicas: {min: 1, max: 2}\n  timeout: 500us\n",
            "/spec/timeout",
            "timeout must be at least 1ms",
        ),
    ];
    for (spec, path, message) in cases {
        let (code, verdicts, stderr) = validate("w.yaml", &widget(spec), &["--crd", WIDGET_CRD]);
        assert_eq!(code, 1, "{spec}: {verdicts:?}");
        let errors = verdicts[0]["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{spec}: {errors:?}");
        assert_eq!(errors[0]["path"], path, "{spec}");
        assert_eq!(
            errors[0]["message"],
            format!("{message} (schema: CRD widgets.demo.example)"),
            "{spec}"
        );
        assert!(stderr.contains("note: 2 CEL rules of Widget not evaluated offline: 1 transition rule (oldSelf: it needs the stored object), 1 rule bosun cannot compile"), "{stderr}");
    }
}

#[test]
fn a_crds_rules_accept_the_valid_twins_and_skip_what_they_cannot_evaluate() {
    // Every field the rules read, valid. `mode` is required and defaults to `Shared`: the
    // default fills it in before the schema is checked (regression: a required field with a
    // default was refused), and in `Shared` mode no `owner` is needed.
    let spec = "  replicas: {min: 2, max: 2}\n  endpoint: https://example.com:8443/hook\n  memory: 1Gi\n  peers: [10.0.0.1, 'fd00::1']\n  timeout: 1.5s\n";
    let (code, verdicts, stderr) = validate("w.yaml", &widget(spec), &["--crd", WIDGET_CRD]);
    assert_eq!(code, 0, "{verdicts:?}{stderr}");
    assert_eq!(verdicts[0]["status"], "valid");
    // A rule that reads a field the document lacks errors when it runs: skipped, not refused.
    let (code, verdicts, _) =
        validate("w.yaml", &widget("  memory: 1Gi\n"), &["--crd", WIDGET_CRD]);
    assert_eq!(code, 0, "{verdicts:?}");
}

#[test]
fn render_refuses_a_custom_resource_its_charts_crd_rule_refuses() {
    let chart = root().join("tests/fixtures/cel/chart");
    let chart = chart.to_str().unwrap();
    let (code, stdout, stderr) = run(["render", chart, "--no-save", "--set", "replicas.min=5"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "", "a refused render writes nothing");
    assert!(
        stderr.contains("min (5) must not exceed max (3)"),
        "{stderr}"
    );
    assert!(stderr.contains("templates/widget.yaml"), "{stderr}");
    let (code, stdout, stderr) = run(["render", chart, "--no-save"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("kind: Widget"));
}

#[test]
fn a_crd_document_with_descriptions_and_list_extensions_is_valid() {
    // Regression: the bundled Kubernetes schemas had lost JSONSchemaProps' `description` and
    // `x-kubernetes-*` properties (the bundle builder dropped them as keywords), so every CRD
    // rendered from templates/ (kube-prometheus's) was refused.
    let crd = std::fs::read_to_string(root().join(WIDGET_CRD)).unwrap().replace(
        "            spec:\n              type: object\n              # Required",
        "            spec:\n              type: object\n              description: What the widget should be.\n              x-kubernetes-map-type: atomic\n              # Required",
    );
    assert!(crd.contains("description: What"), "the fixture changed");
    let (code, verdicts, stderr) = validate("crd.yaml", &crd, &[]);
    assert_eq!(code, 0, "{verdicts:?}{stderr}");
    assert_eq!(verdicts[0]["status"], "valid");
}

#[test]
fn a_null_field_reads_as_unset_as_the_api_server_decodes_it() {
    // Regression: Bitnami charts render `port: null` in NetworkPolicies and `labels: null` in
    // PrometheusRules when a value is unset; the API server reads both as unset, bosun refused.
    let text = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n    - ports:\n        - port: 8080\n        - port: null\n---\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: rules, namespace: shop}\nspec:\n  groups:\n    - name: web\n      rules:\n        - alert: Down\n          expr: up == 0\n          labels: null\n";
    let (code, verdicts, stderr) = validate("nulls.yaml", text, &[]);
    assert_eq!(code, 0, "{verdicts:?}{stderr}");
    // A required field left null is still refused: unset is what the API server sees.
    let text = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: null\n";
    let (code, verdicts, _) = validate("hpa.yaml", text, &[]);
    assert_eq!(code, 1, "{verdicts:?}");
    assert_eq!(verdicts[0]["errors"][0]["path"], "/spec/maxReplicas");
}

#[test]
fn a_schema_location_files_rules_are_evaluated_too() {
    let location = root().join("tests/fixtures/cel/schema-location");
    let location = location.to_str().unwrap();
    let bad = widget("  replicas: {min: 5, max: 2}\n");
    let (code, verdicts, _) = validate("w.yaml", &bad, &["--schema-location", location]);
    assert_eq!(code, 1, "{verdicts:?}");
    assert!(
        verdicts[0]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("min must not exceed max")
    );
    let good = widget("  replicas: {min: 2, max: 5}\n");
    let (code, verdicts, _) = validate("w.yaml", &good, &["--schema-location", location]);
    assert_eq!(code, 0, "{verdicts:?}");
}

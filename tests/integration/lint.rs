//! `bosun lint`: each rule fires on its bad case and stays quiet on its good one
//! (tests/fixtures/charts/lint/cases), silencing, output formats, exit codes, and the seed charts.

use crate::{fixture, run, run_ok};

/// The findings (rule ids, unsilenced) of linting one case, after checking that the exit code
/// is 1 exactly when an unsilenced finding is an error.
fn rules_found(case: &str, extra: &[&str]) -> (i32, Vec<String>) {
    let chart = fixture("lint");
    let set = format!("case={case}");
    let mut args = vec!["lint", chart.as_str(), "--set", set.as_str(), "-o", "json"];
    args.extend_from_slice(extra);
    // The API server refuses minReplicas above maxReplicas (validation rule `hpa/replicas`),
    // which stops the render before lint; lint's own `hpa-range` shows with validation off.
    if case == "hpa-range.bad" {
        args.push("--no-validate");
    }
    let (code, stdout, stderr) = run(&args);
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{case}: {stdout}{stderr}"));
    let findings: Vec<&serde_json::Value> = report["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("silenced").is_none())
        .collect();
    let strict = extra.contains(&"--strict");
    let fails = findings.iter().any(|f| strict || f["severity"] == "error");
    assert_eq!(code, i32::from(fails), "{case}: {stdout}{stderr}");
    let rules = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    (code, rules)
}

#[test]
fn every_rule_fires_on_its_bad_case_and_not_on_its_good_one() {
    let cases = std::fs::read_dir(crate::root().join("tests/fixtures/charts/lint/cases")).unwrap();
    let mut rules: Vec<String> = cases
        .filter_map(|e| {
            e.unwrap()
                .file_name()
                .to_str()?
                .strip_suffix(".bad.yaml")
                .map(str::to_string)
        })
        .collect();
    rules.sort();
    assert!(rules.len() >= 17, "{rules:?}");
    for rule in &rules {
        let (_, bad) = rules_found(&format!("{rule}.bad"), &[]);
        assert!(
            bad.contains(rule),
            "`{rule}` not reported on its bad case: {bad:?}"
        );
        let (_, good) = rules_found(&format!("{rule}.good"), &[]);
        assert!(
            !good.contains(rule),
            "`{rule}` reported on its good case: {good:?}"
        );
    }
}

#[test]
fn errors_fail_warnings_fail_only_with_strict() {
    assert_eq!(
        rules_found("hpa-range.bad", &[]).0,
        1,
        "an error finding fails"
    );
    assert_eq!(rules_found("probes.bad", &[]).0, 0, "a warning does not");
    assert_eq!(
        rules_found("probes.bad", &["--strict"]).0,
        1,
        "unless --strict"
    );
    assert_eq!(rules_found("probes.good", &["--strict"]).0, 0);
}

#[test]
fn seed_001s_original_ingress_is_reported() {
    let (code, rules) = rules_found("seed001-ingress", &[]);
    assert_eq!(code, 1);
    assert_eq!(
        rules.iter().filter(|r| *r == "ingress-backend").count(),
        3,
        "{rules:?}"
    );
    let chart = fixture("lint");
    let (code, text, _) = run(["lint", &chart, "--set", "case=seed001-ingress"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("an Ingress reaches only Services of its own namespace"),
        "{text}"
    );
}

#[test]
fn an_annotation_silences_a_rule_on_one_resource() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("lint");
    crate::copy_tree(&crate::root().join(fixture("lint")), &chart);
    let case = chart.join("cases/probes.bad.yaml");
    let text = std::fs::read_to_string(&case).unwrap().replace(
        "metadata: {name: web, namespace: shop}",
        "metadata: {name: web, namespace: shop, annotations: {bosun.dev/lint-ignore: \"probes a batch worker with no port to probe\"}}",
    );
    std::fs::write(&case, text).unwrap();
    let chart = chart.to_str().unwrap();
    let (code, stdout, _) = run([
        "lint",
        chart,
        "--set",
        "case=probes.bad",
        "--strict",
        "--show-silenced",
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("silenced[probes] Deployment shop/web")
            && stdout.contains("a batch worker with no port to probe"),
        "{stdout}"
    );
}

#[test]
fn a_chart_config_silences_with_a_reason_and_rejects_unknown_keys() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("lint");
    crate::copy_tree(&crate::root().join(fixture("lint")), &chart);
    std::fs::write(chart.join(".bosun-lint.yaml"), "ignore:\n  - rule: hpa-range\n    resource: HorizontalPodAutoscaler shop/web\n    reason: being fixed in the next release\n").unwrap();
    let path = chart.to_str().unwrap();
    let (code, stdout, _) = run(["lint", path, "--set", "case=hpa-range.bad", "--no-validate"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("0 errors, 0 warnings, 1 silenced"),
        "{stdout}"
    );
    std::fs::write(
        chart.join(".bosun-lint.yaml"),
        "ignore:\n  - rule: hpa-range\n    reson: typo\n",
    )
    .unwrap();
    let (code, _, stderr) = run(["lint", path, "--set", "case=hpa-range.bad", "--no-validate"]);
    assert_eq!(code, 1);
    assert!(stderr.contains(".bosun-lint.yaml"), "{stderr}");
}

#[test]
fn yaml_1_1_boolean_keys_in_values_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let values = dir.path().join("v.yaml");
    std::fs::write(&values, "flags:\n  on: true\n").unwrap();
    let chart = fixture("lint");
    // A warning alone does not fail lint.
    let stdout = run_ok([
        "lint",
        &chart,
        "--set",
        "case=probes.good",
        "-f",
        values.to_str().unwrap(),
    ]);
    assert!(
        stdout.contains("warning[yaml11-key] values `flags.on`"),
        "{stdout}"
    );
}

#[test]
fn sarif_output_names_rules_and_files() {
    let chart = fixture("lint");
    let (code, stdout, _) = run([
        "lint",
        &chart,
        "--set",
        "case=service-selector.bad",
        "-o",
        "sarif",
    ]);
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "service-selector");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tests/fixtures/charts/lint/templates/case.yaml"
    );
}

#[test]
fn seed_charts_lint_clean_in_every_environment() {
    for chart in ["okla", "ecommerce", "a4co", "myapp", "fastapi"] {
        let path = format!("charts/{chart}");
        let (code, stdout, stderr) = run(["lint", &path, "--all-envs", "--strict"]);
        assert_eq!(code, 0, "{chart}: {stdout}{stderr}");
    }
}

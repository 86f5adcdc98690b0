//! Trust in what the service library renders: a workload an HPA scales leaves its replica
//! count to the HPA (and lint says when a render does not), every name the library derives is
//! one Kubernetes accepts, refused at the values line that made it, and the README's first
//! example, charts/demo, lints clean.

use serde_json::Value;

use crate::run;

/// The documents of `bosun render ARGS -o json`, after checking it succeeded.
fn rendered(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["render", "--no-save", "-o", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run(&all);
    assert_eq!(code, 0, "{args:?} failed:\n{stderr}");
    let list: Value = serde_json::from_str(&stdout).expect("render -o json prints JSON");
    list["items"].as_array().expect("a List has items").clone()
}

/// `Kind name` of every workload an HPA of the render scales, with its `spec.replicas`.
fn autoscaled(docs: &[Value]) -> Vec<(String, Option<Value>)> {
    docs.iter()
        .filter(|d| d["kind"] == "HorizontalPodAutoscaler")
        .map(|hpa| {
            let target = &hpa["spec"]["scaleTargetRef"];
            let workload = docs
                .iter()
                .find(|d| {
                    d["kind"] == target["kind"]
                        && d["metadata"]["name"] == target["name"]
                        && d["metadata"]["namespace"] == hpa["metadata"]["namespace"]
                })
                .unwrap_or_else(|| panic!("{hpa} scales nothing rendered"));
            (
                format!("{} {}", workload["kind"], workload["metadata"]["name"]),
                workload["spec"].get("replicas").cloned(),
            )
        })
        .collect()
}

// Broke: a service with an HPA rendered spec.replicas, so every apply reset the autoscaler.
#[test]
fn a_workload_an_hpa_scales_renders_no_replicas_in_any_release_strategy() {
    let hpa = r#"services.myapp.hpa={"minReplicas":2,"maxReplicas":5,"cpu":70}"#;
    let cases: &[(&str, &[&str])] = &[
        ("rolling", &["charts/a4co", "--env", "production"]),
        ("rolling", &["charts/ecommerce", "--env", "staging"]),
        (
            "blue/green",
            &[
                "charts/myapp",
                "--env",
                "production",
                "-f",
                "charts/myapp/releases/blue-green.yaml",
                "--set-json",
                hpa,
            ],
        ),
        (
            "canary",
            &[
                "charts/myapp",
                "--env",
                "production",
                "-f",
                "charts/myapp/releases/canary-istio.yaml",
            ],
        ),
        (
            "Argo Rollout",
            &[
                "charts/myapp",
                "--env",
                "production",
                "-f",
                "charts/myapp/releases/rollout-canary.yaml",
            ],
        ),
    ];
    for (strategy, args) in cases {
        let docs = rendered(args);
        let scaled = autoscaled(&docs);
        assert!(!scaled.is_empty(), "{strategy}: no HPA rendered");
        for (workload, replicas) in scaled {
            assert_eq!(
                replicas, None,
                "{strategy}: {workload} is scaled by an HPA and sets replicas"
            );
        }
    }
}

// Broke (with the fix above): replicas that no HPA scales must stay, e.g. canary's own track.
#[test]
fn replicas_stay_where_no_hpa_scales_the_workload() {
    let docs = rendered(&[
        "charts/myapp",
        "--env",
        "production",
        "-f",
        "charts/myapp/releases/canary-istio.yaml",
    ]);
    let canary = docs
        .iter()
        .find(|d| d["kind"] == "Deployment" && d["metadata"]["name"] == "myapp-canary")
        .expect("the canary Deployment is rendered");
    assert_eq!(canary["spec"]["replicas"], 1);
    let docs = rendered(&["charts/okla", "--env", "production"]);
    assert!(
        docs.iter()
            .filter(|d| d["kind"] == "Deployment")
            .all(|d| d["spec"]["replicas"].is_u64()),
        "okla has no HPA: every Deployment keeps its replicas"
    );
}

// Broke: a blue/green colour or canary stable track could set replicas beside the HPA.
#[test]
fn err_replicas_set_on_a_track_an_hpa_scales() {
    let (code, stdout, stderr) = run([
        "render",
        "charts/myapp",
        "--env",
        "production",
        "-f",
        "charts/myapp/releases/canary-istio.yaml",
        "--set",
        "services.myapp.release.canary.stable.replicas=4",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("services.myapp.release.canary.stable.replicas: the service's `hpa` scales the stable Deployment"),
        "{stderr}"
    );
    let (code, stdout, stderr) = run([
        "render",
        "charts/myapp",
        "--env",
        "production",
        "-f",
        "charts/myapp/releases/blue-green.yaml",
        "--set-json",
        r#"services.myapp.hpa={"minReplicas":2,"maxReplicas":5,"cpu":70}"#,
        "--set",
        "services.myapp.release.blueGreen.green.replicas=4",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("services.myapp.release.blueGreen.green.replicas: the service's `hpa` scales the green Deployment"),
        "{stderr}"
    );
}

/// The unsilenced findings of `bosun lint` on one case of the lint fixture chart.
fn lint_case(case: &str, strict: bool) -> (i32, Vec<String>) {
    let chart = crate::fixture("lint");
    let set = format!("case={case}");
    let mut args = vec!["lint", chart.as_str(), "--set", set.as_str(), "-o", "json"];
    if strict {
        args.push("--strict");
    }
    let (code, stdout, stderr) = run(&args);
    let report: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{case}: {stdout}{stderr}"));
    let rules = report["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("silenced").is_none())
        .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), f["resource"]))
        .collect();
    (code, rules)
}

// Broke: lint said nothing about a workload that sets replicas beside its HPA.
#[test]
fn lint_warns_on_a_workload_with_replicas_and_an_hpa() {
    let (code, findings) = lint_case("hpa-replicas.bad", false);
    assert_eq!(code, 0, "a warning: {findings:?}");
    assert_eq!(
        findings,
        vec![r#"hpa-replicas "Deployment shop/web""#.to_string()]
    );
    assert_eq!(lint_case("hpa-replicas.bad", true).0, 1, "--strict fails it");
    let (code, findings) = lint_case("hpa-replicas.good", true);
    assert_eq!((code, findings), (0, vec![]));
}

// Broke: a workload leaving replicas to its HPA counted as 1 replica, so a PDB with
// minAvailable 1 was reported as blocking every eviction.
#[test]
fn a_pdb_is_judged_against_the_hpa_minimum_when_replicas_are_left_to_it() {
    let (_, findings) = lint_case("hpa-replicas.good", false);
    assert!(
        !findings.iter().any(|f| f.starts_with("pdb-blocks-eviction")),
        "{findings:?}"
    );
    let (_, findings) = lint_case("pdb-blocks-eviction.bad", false);
    assert!(
        findings.iter().any(|f| f.starts_with("pdb-blocks-eviction")),
        "{findings:?}"
    );
}

// Broke: charts/demo, the README's first example, failed `bosun lint --strict`.
#[test]
fn the_demo_chart_lints_clean_with_strict_in_every_environment() {
    for envs in [&["--all-envs"][..], &[]] {
        let mut args = vec!["lint", "charts/demo", "--strict"];
        args.extend_from_slice(envs);
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 0, "{args:?}:\n{stdout}{stderr}");
        assert!(
            stdout.ends_with("0 errors, 0 warnings, 0 silenced\n"),
            "{stdout}"
        );
    }
    let (_, stdout, _) = run(["lint", "charts/demo", "--all-envs"]);
    assert!(
        stdout.contains("== environment dev") && stdout.contains("== environment production"),
        "--all-envs lints both of the demo's environments: {stdout}"
    );
}

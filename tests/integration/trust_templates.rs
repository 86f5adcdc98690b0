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
    assert_eq!(
        lint_case("hpa-replicas.bad", true).0,
        1,
        "--strict fails it"
    );
    let (code, findings) = lint_case("hpa-replicas.good", true);
    assert_eq!((code, findings), (0, vec![]));
}

// Broke: a workload leaving replicas to its HPA counted as 1 replica, so a PDB with
// minAvailable 1 was reported as blocking every eviction.
#[test]
fn a_pdb_is_judged_against_the_hpa_minimum_when_replicas_are_left_to_it() {
    let (_, findings) = lint_case("hpa-replicas.good", false);
    assert!(
        !findings
            .iter()
            .any(|f| f.starts_with("pdb-blocks-eviction")),
        "{findings:?}"
    );
    let (_, findings) = lint_case("pdb-blocks-eviction.bad", false);
    assert!(
        findings
            .iter()
            .any(|f| f.starts_with("pdb-blocks-eviction")),
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

/// Lower-case letters, digits and '-', alphanumeric at both ends: a DNS-1123 label's pattern.
fn dns1123_pattern(s: &str) -> bool {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    s.starts_with(ok) && s.ends_with(ok) && s.chars().all(|c| ok(c) || c == '-')
}

/// Kubernetes' DNS-1123 label: its pattern, at most 63 characters (container, volume and
/// Namespace names).
fn dns1123_label(s: &str) -> bool {
    s.len() <= 63 && dns1123_pattern(s)
}

/// A DNS-1035 label, a Service's name: a DNS-1123 label that starts with a letter.
fn dns1035_label(s: &str) -> bool {
    dns1123_label(s) && s.starts_with(|c: char| c.is_ascii_lowercase())
}

/// A DNS-1123 subdomain, most objects' names: parts of the label's pattern joined by '.', at
/// most 253 characters in all (a part may be longer than 63).
fn dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(dns1123_pattern)
}

/// A label value: at most 63 characters, alphanumeric at both ends, '-', '_' and '.' inside.
fn label_value(s: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric();
    s.is_empty()
        || (s.len() <= 63
            && s.starts_with(ok)
            && s.ends_with(ok)
            && s.chars().all(|c| ok(c) || "-_.".contains(c)))
}

/// A label or annotation key: an optional subdomain prefix and `/`, then a name of at most 63.
fn qualified_name(s: &str) -> bool {
    let (prefix, name) = s.rsplit_once('/').unwrap_or(("", s));
    (prefix.is_empty() || dns1123_subdomain(prefix)) && !name.is_empty() && label_value(name)
}

/// Every name in one rendered document that Kubernetes would refuse, with the rule it breaks.
fn refused_names(doc: &Value) -> Vec<String> {
    let kind = doc["kind"].as_str().unwrap_or("");
    let name = doc["metadata"]["name"].as_str().unwrap_or("");
    let mut out = Vec::new();
    let mut check = |what: String, ok: bool, rule: &str| {
        if !ok {
            out.push(format!("{kind} {name}: {what} is not {rule}"));
        }
    };
    match kind {
        "Service" => check(
            format!("name ({})", name.len()),
            dns1035_label(name),
            "a DNS-1035 label",
        ),
        "Namespace" => check(
            format!("name ({})", name.len()),
            dns1123_label(name),
            "a DNS-1123 label",
        ),
        // The controller labels each pod `controller-revision-hash: <name>-<10-character hash>`.
        "StatefulSet" | "CronJob" => check(
            format!("name ({})", name.len()),
            dns1123_subdomain(name) && name.len() <= 52,
            "a subdomain of at most 52 characters",
        ),
        _ => check(
            format!("name ({})", name.len()),
            dns1123_subdomain(name),
            "a DNS-1123 subdomain",
        ),
    }
    let pod = &doc["spec"]["template"];
    for labels in [
        &doc["metadata"]["labels"],
        &pod["metadata"]["labels"],
        &doc["spec"]["selector"]["matchLabels"],
    ] {
        for (key, value) in labels.as_object().into_iter().flatten() {
            check(
                format!("label key `{key}`"),
                qualified_name(key),
                "a qualified name",
            );
            let value = value.as_str().unwrap_or("");
            check(
                format!("label value `{value}`"),
                label_value(value),
                "a label value",
            );
        }
    }
    for key in pod["metadata"]["annotations"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        check(
            format!("annotation key `{key}`"),
            qualified_name(key),
            "a qualified name",
        );
    }
    let spec = &pod["spec"];
    for container in spec["containers"].as_array().into_iter().flatten() {
        let c = container["name"].as_str().unwrap_or("");
        check(
            format!("container `{c}` ({})", c.len()),
            dns1123_label(c),
            "a DNS-1123 label",
        );
    }
    for volume in spec["volumes"].as_array().into_iter().flatten() {
        let v = volume["name"].as_str().unwrap_or("");
        check(
            format!("volume `{v}`"),
            dns1123_label(v),
            "a DNS-1123 label",
        );
    }
    out
}

// Broke: names derived from a service's name (`-preview`, `-canary`, `<name>-<track>`
// containers, a StatefulSet's pods) were not checked, so a render the API server refuses passed.
#[test]
fn every_name_derived_from_the_longest_allowed_names_is_one_kubernetes_accepts() {
    let docs = rendered(&["tests/fixtures/charts/long-names"]);
    assert!(docs.len() > 40, "every feature renders: {}", docs.len());
    let refused: Vec<String> = docs.iter().flat_map(refused_names).collect();
    assert!(refused.is_empty(), "{refused:#?}");
    // The check itself bites: names the schema used to allow (63 characters) render what
    // Kubernetes refuses: `<name>-blue` and `<name>-green` containers from a 60-character name,
    // and a `<Service name>-preview` Service from a 60-character Service name.
    let long = format!(
        "services.{}.name={}",
        "bluegreen-".to_string() + &"x".repeat(42),
        "a".repeat(60)
    );
    let docs = rendered(&[
        "tests/fixtures/charts/long-names",
        "--no-validate",
        "--set",
        &long,
    ]);
    let refused: Vec<String> = docs.iter().flat_map(refused_names).collect();
    assert!(
        refused
            .iter()
            .any(|r| r.starts_with("Deployment ") && r.contains("container")),
        "{refused:#?}"
    );
    let long = format!(
        "services.{}.service.name={}",
        "bluegreen-".to_string() + &"x".repeat(42),
        "s".repeat(60)
    );
    let docs = rendered(&[
        "tests/fixtures/charts/long-names",
        "--no-validate",
        "--set",
        &long,
    ]);
    let refused: Vec<String> = docs.iter().flat_map(refused_names).collect();
    assert!(
        refused
            .iter()
            .any(|r| r.starts_with("Service ") && r.contains("DNS-1035")),
        "{refused:#?}"
    );
}

/// `bosun render` of the long-names chart with one more values file holding `text`: exit code,
/// stdout and stderr, and the file's path as errors show it.
fn render_with_values(text: &str) -> (i32, String, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("names.yaml");
    std::fs::write(&file, text).unwrap();
    let shown = file.to_str().unwrap().to_string();
    let (code, stdout, stderr) = run([
        "render",
        "tests/fixtures/charts/long-names",
        "--no-save",
        "-f",
        &shown,
    ]);
    (code, stdout, stderr, shown)
}

// Broke: a name too long for the names derived from it rendered, and the API server refused it;
// now values.schema.json refuses it at the values line that set it.
#[test]
fn err_a_name_one_character_too_long_is_refused_at_its_values_line() {
    let key = format!("bluegreen-{}", "x".repeat(42));
    let cases = [
        // (values, the line the error points at, what it says)
        (
            format!("services:\n  {key}:\n    name: {}\n", "n".repeat(53)),
            3,
            "is longer than 52 characters",
        ),
        (
            format!(
                "services:\n  {key}:\n    service:\n      name: {}\n",
                "s".repeat(56)
            ),
            4,
            "is longer than 55 characters",
        ),
        (
            format!(
                "# a key is the default name\nservices:\n  {}: {{image: {{repository: r, tag: v1}}}}\n",
                "k".repeat(53)
            ),
            3,
            "is longer than 52 characters",
        ),
        (
            "services:\n  1api: {image: {repository: r, tag: v1}}\n".to_string(),
            2,
            "does not match \"^[a-z]",
        ),
        (
            format!("configMaps:\n  {}: {{data: {{a: b}}}}\n", "c".repeat(57)),
            2,
            "is longer than 56 characters",
        ),
        (
            format!("services:\n  {key}:\n    hpa:\n      name: Bad_Name\n"),
            4,
            "does not match",
        ),
        (
            format!(
                "services:\n  {key}:\n    image:\n      tag: v1-{}\n",
                "t".repeat(61)
            ),
            4,
            "is longer than 63 characters",
        ),
    ];
    for (values, line, says) in cases {
        let (code, stdout, stderr, file) = render_with_values(&values);
        assert_eq!(code, 1, "{values}\n{stderr}");
        assert!(stdout.is_empty(), "{values}");
        assert!(
            stderr.contains(&format!("--> {file}:{line}:")) && stderr.contains(says),
            "{values}\nwanted line {line} and `{says}`:\n{stderr}"
        );
    }
}

// Broke: `bosun init` took a 53-character name, and the chart it made names its first service
// after it, which the library's schema refuses (52 at most).
#[test]
fn init_takes_the_longest_name_its_chart_renders_with() {
    let dir = tempfile::tempdir().unwrap();
    let longest = dir.path().join("charts").join("c".repeat(52));
    let longest = longest.to_str().unwrap();
    let (code, _, stderr) = run(["init", longest]);
    assert_eq!(code, 0, "{stderr}");
    let docs = rendered(&[longest]);
    assert!(docs.len() >= 2, "{docs:?}");
    let refused: Vec<String> = docs.iter().flat_map(refused_names).collect();
    assert!(refused.is_empty(), "{refused:#?}");
    let too_long = dir.path().join("charts").join("c".repeat(53));
    let (code, stdout, stderr) = run(["init", too_long.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(stderr.contains("at most 52 characters"), "{stderr}");
}

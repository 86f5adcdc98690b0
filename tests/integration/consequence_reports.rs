//! `bosun diff`'s consequences as a whole report: `--fail-on` exits 3, the markdown of a
//! fleet-wide change stays under GitHub's limit, many releases make one report, and a sealed
//! record still tells which Secret keys changed.

use serde_json::Value;

use crate::consequences::{chart, classes, deployment, diff, secret};
use crate::run;

#[test]
fn fail_on_exits_3_for_a_class_named_and_detailed_exitcode_keeps_2_otherwise() {
    let (old, new) = (
        deployment("web", 3, "web:1", ""),
        deployment("site", 3, "web:1", ""),
    );
    let (code, stdout, stderr) = diff(
        &old,
        &new,
        &[
            "--fail-on",
            "will-not-apply,data-loss",
            "--detailed-exitcode",
        ],
    );
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stdout.contains("! will-not-apply"),
        "the report is printed: {stdout}"
    );
    assert!(
        stderr.contains("1 consequence of a class named by --fail-on (will-not-apply)"),
        "{stderr}"
    );
    let (code, _, stderr) = diff(
        &old,
        &deployment("web", 4, "web:1", ""),
        &[
            "--fail-on",
            "will-not-apply,data-loss",
            "--detailed-exitcode",
        ],
    );
    assert_eq!(code, 2, "changes, none of a class named: {stderr}");
    let (code, _, stderr) = diff(&old, &new, &["--fail-on", "no-such-class"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("restarts-pods"),
        "the classes are listed: {stderr}"
    );
}

/// Values for the fleet benchmark chart (bench/fleet) with `n` services.
fn fleet_values(n: usize) -> Value {
    let mut services = serde_json::Map::new();
    for i in 0..n {
        let name = format!("svc-{i:04}");
        services.insert(
            name.clone(),
            serde_json::json!({
                "image": {"repository": name, "tag": format!("1.{}.{}", i % 7, i % 13)},
                "replicas": 2 + i % 3,
                "port": 8080,
                "probes": {"startup": "/startup", "liveness": "/live", "readiness": "/ready"},
                "resources": {"requests": {"cpu": "100m", "memory": "256Mi"},
                              "limits": {"cpu": "500m", "memory": "512Mi"}},
                "env": {"LOG_LEVEL": "info"},
                "secretEnv": {"DB": {"secret": "database-secrets", "key": format!("{name}-db")}},
                "config": {"TIMEOUT_MS": (1000 + i).to_string()},
            }),
        );
    }
    serde_json::json!({
        "global": {"environment": "production", "imageRegistry": "ghcr.io/acme", "replicas": 2,
                   "clusterIssuer": "letsencrypt", "secretStore": "vault",
                   "config": {"OTEL_EXPORTER": "otlp"}},
        "services": services,
    })
}

#[test]
fn a_fleet_wide_registry_change_stays_under_githubs_comment_limit() {
    // 150 services overflow the limit already; bench/fleet's 500 are checked by hand (README).
    let dir = tempfile::tempdir().unwrap();
    let values = dir.path().join("values.json");
    std::fs::write(&values, fleet_values(150).to_string()).unwrap();
    let state = dir.path().join("state");
    let args = |command: &'static str, extra: &[&'static str]| -> Vec<String> {
        let mut all: Vec<&str> = vec![
            command,
            "bench/fleet",
            "-f",
            values.to_str().unwrap(),
            "--state-dir",
            state.to_str().unwrap(),
            "--namespace",
            "okla",
            "--no-validate",
        ];
        all.extend(extra);
        all.into_iter().map(String::from).collect()
    };
    let (code, _, stderr) = run(args("render", &[]));
    assert_eq!(code, 0, "{stderr}");
    let (code, comment, stderr) = run(args(
        "diff",
        &[
            "--set",
            "global.imageRegistry=registry.example.com/acme",
            "-o",
            "markdown",
        ],
    ));
    assert_eq!(code, 0, "{stderr}");
    let size = comment.chars().count();
    assert!(size <= 65_536, "{size} characters");
    assert!(
        comment.contains("**Plan: 0 to add, 150 to change, 0 to destroy.**"),
        "{comment}"
    );
    let consequences = comment.find("**Restarts pods** (150 workloads, 450 pods; by cause: image `ghcr.io` → `registry.example.com` (150))");
    let table = comment.find("| ✏️ change | `Deployment okla/svc-0000` |");
    assert!(
        consequences.is_some() && consequences < table,
        "the consequences come before the resources"
    );
    assert!(comment.contains("- … and 130 more (`-o summary` lists them all)"));
    assert!(
        comment.contains(
            "**Cut to stay under GitHub's 65,536-character comment limit:** the diffs of "
        ),
        "{}",
        &comment[comment.len() - 500..]
    );
}

#[test]
fn many_releases_make_one_report() {
    use bosun::diff::{self, About, Baseline, Before, Format};
    use bosun::manifest::Document;
    let doc = |text: &str| {
        let value: Value = serde_json::from_str(text).unwrap();
        Document::new("t".into(), &value)
    };
    let web = |image: &str| {
        doc(&format!(
            r#"{{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {{"name": "web"}},
            "spec": {{"replicas": 2, "selector": {{"matchLabels": {{"app": "web"}}}},
            "template": {{"metadata": {{"labels": {{"app": "web"}}}},
            "spec": {{"containers": [{{"name": "web", "image": "{image}"}}]}}}}}}}}"#
        ))
    };
    let options = diff::Options {
        context: 3,
        show_secrets: false,
        key: None,
    };
    let release = |name: &str, old: &str, new: &str| {
        let about = About {
            chart: "shop".into(),
            environment: Some("production".into()),
            release: name.into(),
            namespace: "default".into(),
            baseline: Baseline::Record {
                path: format!("charts/shop/.bosun/production/default/{name}.yaml"),
            },
        };
        let plan = diff::plan(&[Before::from(web(old))], &[web(new)], options);
        (about, plan)
    };
    let releases = [
        release("a", "web:1", "web:2"),
        release("b", "web:1", "web:1"),
    ];
    let comment = diff::render_many(&releases, Format::Markdown, false).unwrap();
    assert!(
        comment.starts_with("### bosun diff: 2 releases\n"),
        "{comment}"
    );
    assert!(comment.contains("**Plan: 0 to add, 1 to change, 0 to destroy.** (1 unchanged)"));
    assert!(
        comment.contains(
            "- `a` · `Deployment web`: 2 replicas replaced: image of `web`: web:1 → web:2"
        ),
        "{comment}"
    );
    assert!(comment.contains("<details><summary><b>release `a`</b>"));
    assert!(
        !comment.contains("<b>release `b`</b>")
            && comment.contains("No changes in 1 release: `b`."),
        "an unchanged release is one line, not a fold: {comment}"
    );
    let json: Value =
        serde_json::from_str(&diff::render_many(&releases, Format::Json, false).unwrap()).unwrap();
    assert_eq!(json["releases"].as_array().unwrap().len(), 2);
    assert_eq!(json["change"], 1);
    assert_eq!(
        json["releases"][0]["consequences"][0]["class"],
        "restarts-pods"
    );
    let text = diff::render_many(&releases, Format::Summary, false).unwrap();
    assert!(text.contains("== release `b` · chart `shop`"), "{text}");
    assert!(
        text.ends_with("2 releases: Plan: 0 to add, 1 to change, 0 to destroy.\n"),
        "{text}"
    );
    let one = diff::render(&releases[0].1, &releases[0].0, Format::Markdown, false).unwrap();
    assert!(
        one.starts_with("### bosun diff: chart `shop` · env `production` · release `a`"),
        "one release keeps its own heading: {one}"
    );
}

#[test]
fn a_sealed_record_gives_the_secret_keys_that_changed_and_the_pods_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    let reader = deployment("web", 2, "web:1", "").replace(
        "            - configMapRef:\n                name: cfg\n",
        "            - secretRef:\n                name: creds\n",
    );
    let chart = chart(
        dir.path(),
        &format!(
            "{}---\n{reader}",
            secret(&[("password", "{{ .Values.password }}"), ("user", "admin")])
        ),
    );
    std::fs::write(chart.join("values.yaml"), "password: first-password\n").unwrap();
    let run_keyed = |args: &[&str]| {
        let output = crate::bosun(args)
            .arg(chart.to_str().unwrap())
            .arg("--state-dir")
            .arg(dir.path().join("state"))
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("BOSUN_SECRET_KEY", "a-test-key-of-32-characters-long")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        stdout
    };
    run_keyed(&["render"]);
    let stdout = run_keyed(&["diff", "--set", "password=second-password", "-o", "json"]);
    assert!(
        !stdout.contains("first-password") && !stdout.contains("second-password"),
        "a value leaked: {stdout}"
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let found = report["consequences"].as_array().unwrap();
    assert_eq!(
        classes(found),
        ["secret-change", "keeps-old-value"],
        "{found:#?}"
    );
    assert_eq!(found[0]["changed"], serde_json::json!(["password"]));
    assert_eq!(found[1]["consumers"][0]["name"], "web");
}

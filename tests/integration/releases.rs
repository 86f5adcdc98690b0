//! Blue/green, canary and Argo Rollouts releases (`release.strategy` of the `service` library),
//! through the documented values files `charts/<chart>/releases/*.yaml` layered on
//! `--env production`: each renders the seeds' manifests (written out under
//! `tests/fixtures/releases/`) and validates with `--require-schemas`, Istio and Rollout
//! objects included; a service that does not opt in renders as before; mistakes stop the
//! render. The steps a pipeline takes, and their diffs, are in `steps`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::Stdio;

use serde_json::Value;

use crate::documents::{
    Key, command_line, documents_and_stderr, key, key_of, quiet_stdout, subset_differences,
    unified_diff,
};
use crate::{bosun, root, run};

mod steps;

/// Every release values file, by chart, and the fixture of what it must render.
const RELEASES: &[(&str, &str)] = &[
    ("myapp", "blue-green"),
    ("myapp", "canary-istio"),
    ("myapp", "rollout-canary"),
    ("fastapi", "canary-replicas"),
    ("fastapi", "canary-nginx"),
    ("fastapi", "rollout-blue-green"),
];

/// `COMMAND charts/CHART --env production -f charts/CHART/releases/FILE.yaml EXTRA..`.
fn args(command: &str, chart: &str, file: &str, extra: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = vec![
        command.into(),
        format!("charts/{chart}"),
        "--env".into(),
        "production".into(),
        "-f".into(),
        format!("charts/{chart}/releases/{file}.yaml"),
        "--require-schemas".into(),
    ];
    all.extend(extra.iter().map(|s| s.to_string()));
    all
}

/// The objects a release renders, by key; the render must succeed with every schema present.
fn render(chart: &str, file: &str, extra: &[&str]) -> BTreeMap<Key, Value> {
    let mut flags = vec!["--no-save"];
    flags.extend_from_slice(extra);
    let (docs, stderr) = documents_and_stderr(&args("render", chart, file, &flags));
    assert!(
        !stderr.contains("skipped"),
        "{chart} {file}: a kind went unvalidated:\n{stderr}"
    );
    docs
}

/// The names of the objects of `kind`, sorted.
fn names(docs: &BTreeMap<Key, Value>, kind: &str) -> Vec<String> {
    docs.keys()
        .filter(|k| k.0 == kind)
        .map(|k| k.2.clone())
        .collect()
}

#[test]
fn each_release_file_renders_the_manifests_of_its_fixture() {
    let mut report = Vec::new();
    for (chart, file) in RELEASES {
        let docs = render(chart, file, &[]);
        let fixture = root().join(format!("tests/fixtures/releases/{chart}-{file}.yaml"));
        let text = std::fs::read_to_string(&fixture).unwrap();
        let expected: Vec<Value> = serde_saphyr::from_multiple(&text).unwrap();
        assert!(expected.len() >= 3, "{}", fixture.display());
        for want in expected {
            let key = key_of(&want);
            match docs.get(&key) {
                None => report.push(format!("{chart} {file}: {key:?} is not rendered")),
                Some(got) => {
                    let mut out = Vec::new();
                    subset_differences(&want, got, "", &mut out);
                    report.extend(out.iter().map(|d| format!("{chart} {file}: {key:?}{d}")));
                }
            }
        }
    }
    assert!(report.is_empty(), "\n{}", report.join("\n"));
}

#[test]
fn each_strategy_replaces_the_rolling_deployment_with_its_own_workloads() {
    let workloads = |chart, file| {
        let docs = render(chart, file, &[]);
        [names(&docs, "Deployment"), names(&docs, "Rollout")]
    };
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        workloads("myapp", "blue-green"),
        [strings(&["myapp-blue", "myapp-green"]), vec![]]
    );
    assert_eq!(
        workloads("myapp", "canary-istio"),
        [strings(&["myapp-canary", "myapp-stable"]), vec![]]
    );
    assert_eq!(
        workloads("fastapi", "canary-replicas"),
        [strings(&["fastapi-canary", "fastapi-stable"]), vec![]]
    );
    assert_eq!(
        workloads("myapp", "rollout-canary"),
        [vec![], strings(&["myapp-production"])]
    );
    assert_eq!(
        workloads("fastapi", "rollout-blue-green"),
        [vec![], strings(&["fastapi-app"])]
    );
}

/// Each release file's render as the diff against the chart's production render, whose full
/// snapshot is in `seeds`: exactly what the release strategy changes.
#[test]
fn full_renders_of_every_release_file() {
    for (chart, file) in RELEASES {
        let base: Vec<String> = ["render", &format!("charts/{chart}"), "--env", "production"]
            .map(String::from)
            .to_vec();
        let release = args("render", chart, file, &["--no-save"]);
        insta::assert_snapshot!(
            format!("{chart}_{file}_against_production"),
            unified_diff(
                &command_line(&base),
                &quiet_stdout(&base),
                &command_line(&release),
                &quiet_stdout(&release)
            )
        );
    }
}

#[test]
fn a_service_that_does_not_opt_in_renders_as_before() {
    let plain = run(["render", "charts/myapp", "--env", "production", "--no-save"]);
    assert_eq!(plain.0, 0, "{}", plain.2);
    for set in [
        "services.myapp.release.strategy=rolling",
        // A release block kept for later does nothing until its strategy is chosen.
        "services.myapp.release.blueGreen.active=green,services.myapp.release.canary.weight=50",
    ] {
        let same = run([
            "render",
            "charts/myapp",
            "--env",
            "production",
            "--no-save",
            "--set",
            set,
        ]);
        assert_eq!(same, plain, "--set {set}");
    }
}

/// Renders each variant no release file shows; every object must validate, Istio objects in
/// v1 and v1beta1, and every Rollout in any traffic mode.
#[test]
fn every_strategy_and_traffic_method_validates() {
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "myapp",
            "canary-istio",
            &[
                "--set",
                "services.myapp.release.canary.istio.apiVersion=networking.istio.io/v1beta1",
            ],
            &["VirtualService", "DestinationRule"],
        ),
        (
            "myapp",
            "rollout-canary",
            &[
                "--set",
                "services.myapp.release.rollout.canary.istio.apiVersion=networking.istio.io/v1beta1",
            ],
            &[
                "Rollout",
                "VirtualService",
                "DestinationRule",
                "HorizontalPodAutoscaler",
            ],
        ),
        (
            "myapp",
            "blue-green",
            &[
                "--set",
                "services.myapp.release.blueGreen.scaleIdleToZero=true",
                "--set-json",
                r#"services.myapp.hpa={"minReplicas":3,"maxReplicas":10,"cpu":70}"#,
            ],
            &["HorizontalPodAutoscaler"],
        ),
        (
            "fastapi",
            "rollout-blue-green",
            &[
                "--set",
                "services.fastapi-app.release.rollout.blueGreen=null",
                "--set-json",
                r#"services.fastapi-app.release.rollout.canary={"traffic":"nginx","steps":[{"setWeight":20},{"pause":{"duration":60}}],"header":{"name":"canary","value":"true"}}"#,
            ],
            &["Rollout", "Ingress"],
        ),
        (
            "fastapi",
            "rollout-blue-green",
            &[
                "--set",
                "services.fastapi-app.release.rollout.blueGreen=null",
                "--set-json",
                r#"services.fastapi-app.release.rollout.canary={"steps":[{"setWeight":50},{"pause":{}}]}"#,
            ],
            &["Rollout"],
        ),
        (
            "fastapi",
            "canary-nginx",
            &["--set", "services.fastapi-app.release.canary.header=null"],
            &["Ingress"],
        ),
    ];
    for (chart, file, extra, kinds) in cases {
        let docs = render(chart, file, extra);
        for kind in *kinds {
            assert!(
                !names(&docs, kind).is_empty(),
                "{chart} {file} {extra:?}: no {kind}"
            );
        }
    }
}

/// The Rollout schema bosun carries leaves `spec.template` open, as the upstream CRD does; the
/// pod template is checked here as a Deployment's, so a Rollout is held to the same standard.
#[test]
fn a_rollouts_pod_template_is_a_valid_deployment_pod_template() {
    let mut checked = 0;
    for (chart, file, extra) in [
        ("myapp", "rollout-canary", vec![]),
        ("fastapi", "rollout-blue-green", vec![]),
        (
            "fastapi",
            "rollout-blue-green",
            vec![
                "--set",
                "services.fastapi-app.release.rollout.blueGreen=null,services.fastapi-app.release.rollout.canary.traffic=nginx",
            ],
        ),
    ] {
        for (key, rollout) in render(chart, file, &extra) {
            if key.0 != "Rollout" {
                continue;
            }
            let spec = &rollout["spec"];
            let deployment = serde_json::json!({
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": rollout["metadata"],
                "spec": {"selector": spec["selector"], "template": spec["template"]},
            });
            let mut child = bosun(["validate", "--require-schemas", "-"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(deployment.to_string().as_bytes())
                .unwrap();
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "{chart} {file}: the Rollout's template does not validate:\n{}",
                String::from_utf8_lossy(&output.stdout)
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 3);
}

#[test]
fn istio_header_match_is_optional() {
    let docs = render(
        "myapp",
        "canary-istio",
        &["--set", "services.myapp.release.canary.header=null"],
    );
    let http = docs[&key("VirtualService", "production", "myapp-canary")]["spec"]["http"]
        .as_array()
        .unwrap();
    assert_eq!(http.len(), 1, "{http:?}");
    assert!(http[0].get("match").is_none());
}

#[test]
fn a_replica_split_gives_any_canary_weight_at_least_one_pod() {
    for (weight, stable, canary) in [
        (0, 10, 0),
        (1, 9, 1),
        (10, 9, 1),
        (25, 7, 3),
        (50, 5, 5),
        (99, 0, 10),
        (100, 0, 10),
    ] {
        let set = format!("services.fastapi-app.release.canary.weight={weight}");
        let docs = render("fastapi", "canary-replicas", &["--set", &set]);
        let replicas = |name: &str| {
            docs[&key("Deployment", "default", name)]["spec"]["replicas"]
                .as_i64()
                .unwrap()
        };
        assert_eq!(
            (replicas("fastapi-stable"), replicas("fastapi-canary")),
            (stable, canary),
            "weight {weight}"
        );
    }
}

#[test]
fn err_release_mistakes_stop_the_render_with_what_to_fix() {
    let cases: &[(&str, &str, &[&str], &str)] = &[
        (
            "myapp",
            "blue-green",
            &["--set", "services.myapp.release.blueGreen.activ=green"],
            "unknown key `activ`; did you mean `active`?",
        ),
        (
            "myapp",
            "canary-istio",
            &["--set", "services.myapp.release.canary.weight=110"],
            "110 is greater than the maximum of 100",
        ),
        (
            "myapp",
            "canary-istio",
            &["--set", "services.myapp.release.strategy=canry"],
            "\"canry\" is not one of",
        ),
        (
            "myapp",
            "blue-green",
            &["--set", "services.myapp.kind=StatefulSet"],
            "services.myapp.release.strategy `blueGreen` releases a Deployment",
        ),
        (
            "myapp",
            "canary-istio",
            &["--set", "services.myapp.release.canary.traffic=replicas"],
            "services.myapp.release.canary.traffic `replicas` splits traffic by replica counts, which an HPA would change",
        ),
        (
            "fastapi",
            "canary-replicas",
            &[
                "--set",
                "services.fastapi-app.release.canary.canary.replicas=2",
            ],
            "leave out `stable.replicas` and `canary.replicas`",
        ),
        (
            "fastapi",
            "canary-replicas",
            &[
                "--set",
                "services.fastapi-app.release.canary.header.name=canary,services.fastapi-app.release.canary.header.value=yes",
            ],
            "services.fastapi-app.release.canary.header needs traffic `istio` or `nginx`",
        ),
        (
            "fastapi",
            "canary-nginx",
            &["--set", "services.fastapi-app.ingress=null"],
            "traffic `nginx` splits the traffic of the service's own `ingress`, which is not set",
        ),
        (
            "fastapi",
            "rollout-blue-green",
            &[
                "--set",
                "services.fastapi-app.release.rollout.canary.traffic=istio",
            ],
            "services.fastapi-app.release.rollout takes one of `canary` or `blueGreen`",
        ),
        (
            "fastapi",
            "rollout-blue-green",
            &["--set", "services.fastapi-app.service.enabled=false"],
            "moves traffic between Services: the service needs `ports` and its Service",
        ),
    ];
    for (chart, file, flags, message) in cases {
        let mut extra = vec!["--no-save"];
        extra.extend_from_slice(flags);
        let (code, stdout, stderr) = run(args("render", chart, file, &extra));
        assert_eq!((code, stdout.as_str()), (1, ""), "{flags:?}: {stderr}");
        assert!(
            stderr.contains(message),
            "{flags:?} should say {message:?}:\n{stderr}"
        );
    }
}

//! Each step a release pipeline takes — deploy, switch or shift weight, promote, roll back — as
//! `bosun diff` shows it against the render applied before: exactly the change the step names.

use serde_json::Value;

use super::args;
use crate::run;

/// A pipeline on one release file: what it applied is recorded in its own state folder, and
/// each next step is diffed against that record.
struct Pipeline {
    chart: &'static str,
    file: &'static str,
    state: tempfile::TempDir,
}

/// One resource `bosun diff` reports: "change Kind ns/name", and the lines it removes and adds.
type Change = (String, Vec<String>, Vec<String>);

impl Pipeline {
    /// The pipeline's first render of the release file, recorded.
    fn new(chart: &'static str, file: &'static str) -> Pipeline {
        let pipeline = Pipeline {
            chart,
            file,
            state: tempfile::tempdir().unwrap(),
        };
        pipeline.apply(&[]);
        pipeline
    }

    fn with_state(&self, command: &str, sets: &[&str], extra: &[&str]) -> Vec<String> {
        let mut flags = vec!["--state-dir", self.state.path().to_str().unwrap()];
        for set in sets {
            flags.extend(["--set", set]);
        }
        flags.extend_from_slice(extra);
        args(command, self.chart, self.file, &flags)
    }

    /// `bosun render` with these values, as the pipeline applies it: recorded.
    fn apply(&self, sets: &[&str]) {
        let (code, _, stderr) = run(self.with_state("render", sets, &[]));
        assert_eq!(code, 0, "{sets:?}: {stderr}");
    }

    /// What `bosun diff` says these values change against the last applied render.
    fn diff(&self, sets: &[&str]) -> Vec<Change> {
        let (code, stdout, stderr) = run(self.with_state("diff", sets, &["-o", "json"]));
        assert_eq!(code, 0, "{sets:?}: {stderr}");
        let report: Value = serde_json::from_str(&stdout).unwrap();
        report["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let lines = r["diff"].as_str().unwrap().lines();
                let (mut removed, mut added) = (Vec::new(), Vec::new());
                for line in lines {
                    if line.starts_with("---") || line.starts_with("+++") {
                        continue;
                    }
                    if let Some(l) = line.strip_prefix('-') {
                        removed.push(l.to_string());
                    } else if let Some(l) = line.strip_prefix('+') {
                        added.push(l.to_string());
                    }
                }
                let what = format!(
                    "{} {} {}/{}",
                    r["change"].as_str().unwrap(),
                    r["kind"].as_str().unwrap(),
                    r["namespace"].as_str().unwrap(),
                    r["name"].as_str().unwrap()
                );
                (what, removed, added)
            })
            .collect()
    }
}

fn change(what: &str, removed: &[&str], added: &[&str]) -> Change {
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    (what.to_string(), strings(removed), strings(added))
}

const BLUE_GREEN: &str = "services.myapp.release.blueGreen";

#[test]
fn blue_green_switching_is_one_value_and_diffs_as_exactly_the_selector_flip() {
    let pipeline = Pipeline::new("myapp", "blue-green");
    let switch = format!("{BLUE_GREEN}.active=green");
    let flip = |name: &str, from: &str, to: &str| {
        change(
            &format!("change Service production/{name}"),
            &[&format!("    version: {from}")],
            &[&format!("    version: {to}")],
        )
    };
    assert_eq!(
        pipeline.diff(&[&switch]),
        [
            flip("app-service", "blue", "green"),
            flip("app-service-preview", "green", "blue"),
        ]
    );
    // Switched, and rolled back: the same flip the other way.
    pipeline.apply(&[&switch]);
    assert_eq!(
        pipeline.diff(&[&format!("{BLUE_GREEN}.active=blue")]),
        [
            flip("app-service", "green", "blue"),
            flip("app-service-preview", "blue", "green"),
        ]
    );
}

#[test]
fn blue_green_pipeline_deploy_switch_scale_down_and_roll_back() {
    let pipeline = Pipeline::new("myapp", "blue-green");
    // Deploy: a new tag on the idle colour changes its Deployment and nothing else.
    let deploy = format!("{BLUE_GREEN}.green.tag=v2.1.0");
    assert_eq!(
        pipeline.diff(&[&deploy]),
        [change(
            "change Deployment production/myapp-green",
            &[
                "    app.kubernetes.io/version: v2.0.0",
                "        app.kubernetes.io/version: v2.0.0",
                "        image: myapp:v2.0.0",
            ],
            &[
                "    app.kubernetes.io/version: v2.1.0",
                "        app.kubernetes.io/version: v2.1.0",
                "        image: myapp:v2.1.0",
            ],
        )]
    );
    pipeline.apply(&[&deploy]);
    let switch = format!("{BLUE_GREEN}.active=green");
    pipeline.apply(&[&deploy, &switch]);
    // Promote: the old colour goes to zero, and only its replica count changes.
    let idle_to_zero = format!("{BLUE_GREEN}.scaleIdleToZero=true");
    assert_eq!(
        pipeline.diff(&[&deploy, &switch, &idle_to_zero]),
        [change(
            "change Deployment production/myapp-blue",
            &["  replicas: 3"],
            &["  replicas: 0"],
        )]
    );
    pipeline.apply(&[&deploy, &switch, &idle_to_zero]);
    // Roll back after scaling down: blue comes back, then the selectors flip to it. With
    // scaleIdleToZero on, switching alone would also scale green to zero in the same apply.
    let back = format!("{BLUE_GREEN}.active=blue");
    let up = format!("{BLUE_GREEN}.scaleIdleToZero=false");
    let plan = pipeline.diff(&[&deploy, &back, &up]);
    let what: Vec<&str> = plan.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(
        what,
        [
            "change Service production/app-service",
            "change Service production/app-service-preview",
            "change Deployment production/myapp-blue",
        ]
    );
}

const ISTIO: &str = "services.myapp.release.canary";

#[test]
fn istio_canary_weight_shifts_change_only_the_virtualservice_weights() {
    let pipeline = Pipeline::new("myapp", "canary-istio");
    let weights = |removed: &[&str], added: &[&str]| {
        change(
            "change VirtualService production/myapp-canary",
            removed,
            added,
        )
    };
    assert_eq!(
        pipeline.diff(&[&format!("{ISTIO}.weight=50")]),
        [weights(
            &["      weight: 90", "      weight: 10"],
            &["      weight: 50", "      weight: 50"]
        )]
    );
    // Roll back: all traffic to stable (the header still reaches the canary).
    assert_eq!(
        pipeline.diff(&[&format!("{ISTIO}.weight=0")]),
        [weights(
            &["      weight: 90", "      weight: 10"],
            &["      weight: 100", "      weight: 0"]
        )]
    );
    // Deploy a new canary: its Deployment only.
    let plan = pipeline.diff(&[&format!("{ISTIO}.canary.tag=v2.1.0")]);
    assert_eq!(plan.len(), 1);
    assert_eq!(plan[0].0, "change Deployment production/myapp-canary");
    assert!(
        plan[0]
            .2
            .contains(&"        image: myapp:v2.1.0".to_string())
    );
    // Promote: stable runs the canary's version and takes all traffic.
    let plan = pipeline.diff(&[
        &format!("{ISTIO}.stable.tag=v2.0.0"),
        &format!("{ISTIO}.weight=0"),
    ]);
    let what: Vec<&str> = plan.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(
        what,
        [
            "change Deployment production/myapp-stable",
            "change VirtualService production/myapp-canary"
        ]
    );
}

#[test]
fn nginx_canary_weight_shifts_change_only_the_canary_weight_annotation() {
    let pipeline = Pipeline::new("fastapi", "canary-nginx");
    assert_eq!(
        pipeline.diff(&["services.fastapi-app.release.canary.weight=50"]),
        [change(
            "change Ingress default/fastapi-ingress-canary",
            &["    nginx.ingress.kubernetes.io/canary-weight: \"10\""],
            &["    nginx.ingress.kubernetes.io/canary-weight: \"50\""],
        )]
    );
}

#[test]
fn replica_canary_weight_shifts_change_only_the_replica_counts() {
    let pipeline = Pipeline::new("fastapi", "canary-replicas");
    assert_eq!(
        pipeline.diff(&["services.fastapi-app.release.canary.weight=50"]),
        [
            change(
                "change Deployment default/fastapi-stable",
                &["  replicas: 9"],
                &["  replicas: 5"]
            ),
            change(
                "change Deployment default/fastapi-canary",
                &["  replicas: 1"],
                &["  replicas: 5"]
            ),
        ]
    );
}

#[test]
fn a_new_image_starts_an_argo_rollout_and_changes_only_the_rollout() {
    for (chart, file, set, name) in [
        (
            "myapp",
            "rollout-canary",
            "services.myapp.image.tag=v2.1.0",
            "production/myapp-production",
        ),
        (
            "fastapi",
            "rollout-blue-green",
            "services.fastapi-app.image.tag=v1.3.0",
            "default/fastapi-app",
        ),
    ] {
        let pipeline = Pipeline::new(chart, file);
        let plan = pipeline.diff(&[set]);
        let what: Vec<&str> = plan.iter().map(|c| c.0.as_str()).collect();
        // The Rollout's pod template changes; the other objects only carry the version label.
        assert!(
            what.contains(&format!("change Rollout {name}").as_str()),
            "{what:?}"
        );
        for (what, removed, added) in &plan {
            if what.starts_with("change Rollout") {
                assert!(added.iter().any(|l| l.contains("image: ")), "{added:?}");
                continue;
            }
            assert!(
                removed
                    .iter()
                    .chain(added)
                    .all(|l| l.contains("app.kubernetes.io/version:")),
                "{what}: {removed:?} {added:?}"
            );
        }
    }
}

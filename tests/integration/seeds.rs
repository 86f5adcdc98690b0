//! The seed systems as charts (`charts/{okla,ecommerce,a4co,myapp,fastapi}`): each renders in
//! each of its environments; the seeds' hand-written manifests, written out under
//! `tests/fixtures/seeds/<chart>/<env>/`, are subsets of the render; each chart's production
//! render is a reviewed snapshot, and each other environment a reviewed diff against the
//! environment above it; every manifest comes from the `service` library, with no template copied
//! between charts; and the charts' values pass the library's values.schema.json. The
//! library's features no seed uses, and its errors, are shown on
//! `tests/fixtures/charts/service-features`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use crate::documents::{
    Key, command_line, documents, key_of, quiet_stdout, show, subset_differences, unified_diff,
};
use crate::{bosun, root, run};

/// Every seed chart and the environments its seed defines.
const CHARTS: &[(&str, &[&str])] = &[
    ("okla", &["staging", "production"]),
    ("ecommerce", &["dev", "staging", "production"]),
    ("a4co", &["dev", "staging", "production"]),
    ("myapp", &["staging", "production"]),
    ("fastapi", &["production"]),
];

/// The documents `bosun render CHART --env ENV` prints, by key.
fn render(chart: &str, env: &str) -> BTreeMap<Key, Value> {
    documents(&render_args(chart, env))
}

fn render_args(chart: &str, env: &str) -> Vec<String> {
    ["render", &format!("charts/{chart}"), "--env", env]
        .map(String::from)
        .to_vec()
}

/// The seeds set `replicas` on workloads an HPA scales, so every apply resets the autoscaler;
/// the library leaves the count to the HPA. The expected document loses its `spec.replicas`
/// when the render has an HPA for the workload, and the render must not have one either.
fn without_autoscaled_replicas(
    mut expected: Value,
    actual: &Value,
    docs: &BTreeMap<Key, Value>,
) -> Value {
    let key = key_of(actual);
    let autoscaled = docs.values().any(|doc| {
        let target = &doc["spec"]["scaleTargetRef"];
        doc["kind"] == "HorizontalPodAutoscaler"
            && doc["metadata"]["namespace"].as_str().unwrap_or_default() == key.1
            && target["kind"].as_str() == Some(key.0.as_str())
            && target["name"].as_str() == Some(key.2.as_str())
    });
    if autoscaled && let Some(spec) = expected["spec"].as_object_mut() {
        spec.remove("replicas");
        assert!(
            actual["spec"].get("replicas").is_none(),
            "{} is scaled by an HPA and still sets spec.replicas",
            show(&key)
        );
    }
    expected
}

/// The expected documents of one fixture file (comments and empty documents dropped).
fn fixture_documents(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    let docs: Vec<Value> = serde_saphyr::from_multiple(&text)
        .unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()));
    docs.into_iter().filter(|d| !d.is_null()).collect()
}

fn fixture_files(chart: &str, env: &str) -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures/seeds").join(chart).join(env);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_seed_chart_renders_the_seeds_manifests_in_each_environment() {
    let mut report = String::new();
    let mut checked = 0;
    for (chart, envs) in CHARTS {
        for env in *envs {
            let docs = render(chart, env);
            for file in fixture_files(chart, env) {
                let shown_file = file.strip_prefix(root()).unwrap().display().to_string();
                for expected in fixture_documents(&file) {
                    checked += 1;
                    let key = key_of(&expected);
                    let Some(actual) = docs.get(&key) else {
                        let rendered: Vec<String> =
                            docs.keys().filter(|k| k.0 == key.0).map(show).collect();
                        let _ = writeln!(
                            report,
                            "{shown_file}: {} is not rendered by charts/{chart} --env {env} (rendered {}: {})\n",
                            show(&key),
                            key.0,
                            rendered.join(", ")
                        );
                        continue;
                    };
                    let mut differences = Vec::new();
                    let expected = without_autoscaled_replicas(expected, actual, &docs);
                    subset_differences(&expected, actual, "", &mut differences);
                    if !differences.is_empty() {
                        let _ = writeln!(
                            report,
                            "{shown_file}: {} differs in charts/{chart} --env {env}:\n    {}\n",
                            show(&key),
                            differences.join("\n    ")
                        );
                    }
                }
            }
        }
    }
    assert!(
        report.is_empty(),
        "seed manifests not held by the renders:\n\n{report}"
    );
    assert!(
        checked > 100,
        "only {checked} fixture documents were checked"
    );
}

#[test]
fn fixtures_exist_exactly_for_the_environments_the_seeds_define() {
    let dir = root().join("tests/fixtures/seeds");
    let mut on_disk = Vec::new();
    for chart in std::fs::read_dir(&dir).unwrap() {
        let chart = chart.unwrap();
        for env in std::fs::read_dir(chart.path()).unwrap() {
            on_disk.push(format!(
                "{}/{}",
                chart.file_name().to_string_lossy(),
                env.unwrap().file_name().to_string_lossy()
            ));
        }
    }
    on_disk.sort();
    let mut declared: Vec<String> = CHARTS
        .iter()
        .flat_map(|(chart, envs)| envs.iter().map(move |env| format!("{chart}/{env}")))
        .collect();
    declared.sort();
    assert_eq!(on_disk, declared);
}

/// Each chart's production render in full, and each other environment as the diff of its
/// render against the next environment up (dev against staging, staging against production):
/// what the environment changes is what a reviewer reads.
#[test]
fn full_renders_of_every_seed_chart_and_environment() {
    for (chart, envs) in CHARTS {
        let mut above = render_args(chart, "production");
        let mut above_text = quiet_stdout(&above);
        insta::assert_snapshot!(
            format!("{chart}_production"),
            above_text,
            &command_line(&above)
        );
        for env in envs.iter().rev().filter(|env| **env != "production") {
            let args = render_args(chart, env);
            let text = quiet_stdout(&args);
            insta::assert_snapshot!(
                format!("{chart}_{env}_against_{}", above[3]),
                unified_diff(
                    &command_line(&above),
                    &above_text,
                    &command_line(&args),
                    &text
                )
            );
            (above, above_text) = (args, text);
        }
    }
}

/// Text with every run of whitespace made one space and blank lines dropped.
fn normalised(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn no_template_is_copied_between_charts() {
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut copies = Vec::new();
    for chart in std::fs::read_dir(root().join("charts")).unwrap() {
        let mut templates = Vec::new();
        files_under(&chart.unwrap().path().join("templates"), &mut templates);
        for file in templates {
            let text = normalised(&std::fs::read_to_string(&file).unwrap());
            if text.lines().count() <= 3 {
                continue;
            }
            match seen.get(&text) {
                Some(first) if first.parent() != file.parent() => {
                    copies.push(format!("{} = {}", file.display(), first.display()));
                }
                _ => {
                    seen.insert(text, file);
                }
            }
        }
    }
    assert!(
        copies.is_empty(),
        "templates copied between charts (move them to templates/service):\n{}",
        copies.join("\n")
    );
}

#[test]
fn seed_charts_take_every_manifest_from_the_library() {
    for (chart, _) in CHARTS {
        let mut templates = Vec::new();
        files_under(
            &root().join("charts").join(chart).join("templates"),
            &mut templates,
        );
        assert!(!templates.is_empty(), "charts/{chart} has no templates");
        for file in templates {
            let text = std::fs::read_to_string(&file).unwrap();
            let shown = file.strip_prefix(root()).unwrap().display().to_string();
            let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
            assert!(
                lines <= 15,
                "{shown} has {lines} lines: manifest text belongs in templates/service"
            );
            assert!(
                text.contains(r#"{% import "service/_service.tpl" as service %}"#),
                "{shown} does not import the service library"
            );
            assert!(
                !text.lines().any(|l| l.trim_start().starts_with("kind:")
                    || l.trim_start().starts_with("apiVersion:")),
                "{shown} writes a manifest itself"
            );
        }
    }
}

/// Regression: this check ran Python's `jsonschema` (so it tested Python's validator, not
/// bosun's) and passed silently where python3 lacked the module. It now runs bosun's own
/// values-schema check, the one every render does.
#[test]
fn seed_chart_values_match_the_library_schema_and_a_misspelling_does_not() {
    let check = |args: &[&str]| {
        let mut all = vec!["render"];
        all.extend_from_slice(args);
        all.extend(["--no-save", "-o", "json"]);
        run(all)
    };
    for (chart, envs) in CHARTS {
        let chart = format!("charts/{chart}");
        for env in *envs {
            let (code, stdout, stderr) = check(&[&chart, "--env", env]);
            assert_eq!(code, 0, "{chart} --env {env}: {stderr}");
            assert!(stdout.contains("\"kind\": \"List\""), "{chart} --env {env}");
        }
    }
    let (code, _, stderr) = check(&[FEATURES]);
    assert_eq!(code, 0, "{stderr}");

    let (code, stdout, stderr) = check(&[
        "charts/okla",
        "--env",
        "production",
        "--set",
        "services.gateway.probes.liveness.periodSecond=5",
        "--set",
        "defaults.imagee=x",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("values.schema.json"), "{stderr}");
    assert!(stderr.contains("periodSecond"), "{stderr}");
    assert!(stderr.contains("imagee"), "{stderr}");
}

/// The library's features no seed chart uses, in one fixture chart.
const FEATURES: &str = "tests/fixtures/charts/service-features";

#[test]
fn the_library_renders_what_no_seed_uses() {
    assert_cmd_snapshot!(bosun(["render", FEATURES]));
}

#[test]
fn err_library_mistakes_stop_the_render_with_what_to_fix() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--set", "services.web.image.tag="],
            "services.web.image.tag or .digest is required",
        ),
        (
            &["--set", "services.web.namespace=other"],
            "ingress `web` in namespace `other` routes to service `grpc-api` in namespace `features`: an Ingress can only reach Services in its own namespace",
        ),
        (
            &["--set", "services.grpc-api.hpa.memory=null"],
            "services.grpc-api.hpa needs a `cpu` or `memory` target",
        ),
        (
            &["--set", "services.grpc-api.pdb.minAvailable=1"],
            "services.grpc-api.pdb sets both minAvailable and maxUnavailable",
        ),
        (
            &["--set", "services.grpc-api.serviceMonitor.port=pprof"],
            "`pprof` is not one (Service ports: grpc, metrics)",
        ),
        (
            &["--set", "services.web.networkPolicy.toServices={db}"],
            "services.web.networkPolicy.toServices: `db` is not an enabled service of this chart",
        ),
        (
            &["--set", "services.web.networkPolicy.toDependencies={kafka}"],
            "`kafka` is not listed in networkPolicy.dependencies",
        ),
    ];
    for (flags, message) in cases {
        let mut args = vec!["render", FEATURES];
        args.extend_from_slice(flags);
        let (code, stdout, stderr) = run(&args);
        assert_eq!((code, stdout.as_str()), (1, ""), "{flags:?}: {stderr}");
        assert!(
            stderr.contains(message),
            "{flags:?} should say {message:?}:\n{stderr}"
        );
    }
}

//! Helm's chart rules (issue 13), each pinned by what helm 4.1.4 printed for the same chart:
//! `tests/fixtures/helm-rules/umbrella.helm.yaml` is `helm template` of the `umbrella` fixture
//! (the command is its first line), and every test here compares bosun's render with it.
//! The umbrella holds one chart under three aliases in a folder not named after it (whose
//! Chart.yaml has an empty `dependencies:`), a condition and tags, both forms of
//! `import-values`, a parent's `null` over a subchart's default, a parent's `define` included
//! from its subcharts, `.Subcharts`, `.Chart.IsRoot`, a chart no dependency names, a hook and
//! a `--set` integer.

use std::path::Path;

use serde_json::Value;

use crate::{copy_tree, root, run};

const UMBRELLA: &str = "tests/fixtures/helm-rules/umbrella";

/// The documents of a `helm template` or `bosun render` stream, in order, each with the
/// template it came from.
fn stream(text: &str) -> Vec<(String, Value)> {
    let mut documents = Vec::new();
    for chunk in text.split("\n---\n") {
        let Some(source) = chunk
            .lines()
            .find_map(|line| line.strip_prefix("# Source: "))
        else {
            continue;
        };
        let value: Value = serde_saphyr::from_str(chunk)
            .unwrap_or_else(|e| panic!("{source} is not YAML: {e}\n{chunk}"));
        documents.push((source.to_string(), value));
    }
    documents
}

fn helm_umbrella() -> Vec<(String, Value)> {
    let text = std::fs::read_to_string(root().join(UMBRELLA).with_extension("helm.yaml")).unwrap();
    stream(&text)
}

/// `bosun render CHART` as the fixture's helm command rendered it.
fn bosun_umbrella(chart: &Path) -> Vec<(String, Value)> {
    let chart = chart.to_str().unwrap();
    let (code, stdout, stderr) = run([
        "render",
        chart,
        "--release-name",
        "rel",
        "-n",
        "ns",
        "--set",
        "replicas=3",
        "--no-validate",
        "--no-save",
    ]);
    assert_eq!(code, 0, "{stderr}");
    stream(&stdout)
}

/// The `data` of the document rendered from `source` (a path under `umbrella/`).
fn data<'a>(documents: &'a [(String, Value)], source: &str) -> &'a Value {
    let full = format!("umbrella/{source}");
    let (_, document) = documents
        .iter()
        .find(|(s, _)| *s == full)
        .unwrap_or_else(|| panic!("nothing rendered from {full}"));
    &document["data"]
}

#[test]
fn aliases_conditions_tags_and_undeclared_charts_render_the_subcharts_helm_renders() {
    let sources = |docs: Vec<(String, Value)>| docs.into_iter().map(|(s, _)| s).collect::<Vec<_>>();
    let ours = sources(bosun_umbrella(Path::new(UMBRELLA)));
    assert_eq!(ours, sources(helm_umbrella()));
    // cache (condition unset), queue (tag on) and extra (undeclared) render; archive's
    // condition turns it off though its tag is on; exporter has no templates.
    assert!(ours.contains(&"umbrella/charts/queue/templates/configmap.yaml".to_string()));
    assert!(!ours.iter().any(|s| s.contains("/archive/")));
}

#[test]
fn documents_print_in_helms_template_order_with_hooks_last() {
    let ours = bosun_umbrella(Path::new(UMBRELLA));
    let helm = helm_umbrella();
    assert_eq!(ours, helm);
    assert_eq!(ours.last().unwrap().0, "umbrella/templates/a-hook.yaml");
}

#[test]
fn a_parent_sees_its_subcharts_values_and_their_imports_as_helm_gives_them() {
    let ours = bosun_umbrella(Path::new(UMBRELLA));
    let helm = helm_umbrella();
    let summary = "templates/summary.yaml";
    for key in [
        "cacheImage",
        "queueGlobal",
        "fromExports",
        "importedLimits",
        "subcharts",
        "queueSizeViaSubcharts",
        "isRoot",
    ] {
        assert_eq!(
            data(&ours, summary)[key],
            data(&helm, summary)[key],
            "{key}"
        );
    }
    assert_eq!(
        data(&ours, summary)["importedLimits"],
        r#"{"cpu":"2","memory":"1Gi"}"#,
        "an import is below the parent's own values"
    );
}

// Broke: a parent's `null` was dropped while layering, so the subchart kept its default.
#[test]
fn a_parents_null_deletes_a_subcharts_default_and_only_there() {
    let ours = bosun_umbrella(Path::new(UMBRELLA));
    let cache = "charts/cache/templates/configmap.yaml";
    let queue = "charts/queue/templates/configmap.yaml";
    assert_eq!(data(&ours, cache)["hasDropMe"], "false");
    assert_eq!(data(&ours, queue)["hasDropMe"], "true");
    assert_eq!(data(&ours, cache), data(&helm_umbrella(), cache));
    assert_eq!(
        data(&ours, "templates/summary.yaml")["cacheHasDropMe"],
        "false"
    );
}

// Broke: each subchart was parsed without its parent's templates, so `include` failed.
#[test]
fn a_subchart_includes_a_define_of_its_parent() {
    let ours = bosun_umbrella(Path::new(UMBRELLA));
    let cache = "charts/cache/templates/configmap.yaml";
    assert_eq!(data(&ours, cache)["banner"], "defined in cache's parent");
    assert_eq!(data(&ours, cache)["isRoot"], "false");
}

// Broke: `--set replicas=3` reached Go templates as float64; helm's flag parser gives int64.
#[test]
fn a_set_integer_is_an_int64_in_go_templates() {
    let ours = bosun_umbrella(Path::new(UMBRELLA));
    assert_eq!(
        data(&ours, "templates/summary.yaml")["replicasType"],
        "int64"
    );
}

// Broke: bosun read subcharts only from folders, never from `charts/*.tgz`.
#[test]
fn a_subchart_packed_as_an_archive_renders_as_if_unpacked() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("umbrella");
    copy_tree(&root().join(UMBRELLA), &chart);
    let charts = chart.join("charts");
    let (code, _, stderr) = run([
        "package",
        charts.join("extra").to_str().unwrap(),
        "-d",
        charts.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    std::fs::remove_dir_all(charts.join("extra")).unwrap();
    assert!(charts.join("extra-0.1.0.tgz").is_file());
    assert_eq!(bosun_umbrella(&chart), helm_umbrella());
}

/// The fixture's Chart.yaml names postgresql, redis and nats from Bitnami's OCI repository,
/// none fetched; its values turn nats off.
const NEEDS_FETCH: &str = "tests/fixtures/helm-rules/needs-fetch";

#[test]
fn err_enabled_dependencies_not_fetched_are_named_with_the_command_that_fetches_them() {
    let (code, stdout, stderr) = run(["render", NEEDS_FETCH, "--no-save"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains(
            "chart `needs-fetch` needs dependencies not under `tests/fixtures/helm-rules/needs-fetch/charts`: `postgresql`, `redis`"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("`nats`"), "nats is off: {stderr}");
    assert!(
        stderr.contains("run `bosun dep build tests/fixtures/helm-rules/needs-fetch`"),
        "{stderr}"
    );
}

// Differs from helm on purpose: helm refuses a chart with any dependency missing; bosun
// renders it while the missing ones are off.
#[test]
fn dependencies_not_fetched_and_turned_off_do_not_stop_the_render() {
    let (code, stdout, stderr) = run([
        "render",
        NEEDS_FETCH,
        "--no-save",
        "--set",
        "postgresql.enabled=false,redis.enabled=false",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("name: needs-fetch-app"), "{stdout}");
}

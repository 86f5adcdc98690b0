//! Helm's chart rules (issue 13), each pinned by what helm 4.1.4 printed for the same chart:
//! `tests/fixtures/helm-rules/umbrella.helm.yaml` is `helm template` of the `umbrella` fixture
//! (the command is its first line), and every test here compares bosun's render with it.
//! The umbrella holds one chart under three aliases in a folder not named after it (whose
//! Chart.yaml has an empty `dependencies:`), a condition and tags, both forms of
//! `import-values`, a parent's `null` over a subchart's default, a parent's `define` included
//! from its subcharts, `.Subcharts`, `.Chart.IsRoot`, a chart no dependency names, charts
//! outside their dependency's version range, a hook, a `--set` integer, and `.Files`, which
//! holds neither templates, nor subcharts, nor Chart.yaml and values.yaml.

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
    // cache (condition unset), queue (tag on), extra (undeclared) and legacy (outside its
    // range, so undeclared) render; archive's condition turns it off though its tag is on, and
    // retired's turns off the chart of its name though it is outside its range; exporter has
    // no templates.
    for rendered in ["queue", "legacy"] {
        assert!(ours.contains(&format!(
            "umbrella/charts/{rendered}/templates/configmap.yaml"
        )));
    }
    assert!(
        !ours
            .iter()
            .any(|s| s.contains("/archive/") || s.contains("/retired/"))
    );
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
        "files",
        "note",
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

/// charts/a4co (seed 002) declares Bitnami's postgresql, nats and redis, each behind a
/// condition its values.yaml leaves off; `data-stores.yaml` turns the three on.
const A4CO_DATA_STORES: &str = "charts/a4co/data-stores.yaml";

#[test]
fn err_a4co_with_its_data_stores_on_and_not_fetched_names_them_and_the_fetch_command() {
    for env in ["dev", "staging", "production"] {
        let (code, stdout, stderr) = run([
            "render",
            "charts/a4co",
            "--env",
            env,
            "-f",
            A4CO_DATA_STORES,
            "--no-save",
        ]);
        assert_eq!(code, 1, "{env}: {stderr}");
        assert!(stdout.is_empty(), "{env}: {stdout}");
        assert!(
            stderr.contains(
                "chart `a4co` needs dependencies not under `charts/a4co/charts`: `postgresql`, `nats`, `redis`"
            ),
            "{env}: {stderr}"
        );
        assert!(
            stderr.contains("run `bosun dep build charts/a4co`"),
            "{env}: {stderr}"
        );
    }
}

/// A stand-in for one of Bitnami's charts: a ConfigMap showing the values a4co gives it.
fn write_stand_in(charts: &Path, name: &str, version: &str) {
    let dir = charts.join(name);
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        format!("apiVersion: v2\nname: {name}\nversion: {version}\n"),
    )
    .unwrap();
    std::fs::write(dir.join("values.yaml"), "standIn: true\n").unwrap();
    std::fs::write(
        dir.join("templates/configmap.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stand-in-{{ .Chart.Name }}\n  \
         namespace: {{ .Release.Namespace }}\ndata:\n  values: {{ toJson .Values | quote }}\n",
    )
    .unwrap();
}

#[test]
fn a4co_renders_its_fetched_data_stores_with_each_environments_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("a4co");
    copy_tree(&root().join("charts/a4co"), &chart);
    let charts = chart.join("charts");
    write_stand_in(&charts, "postgresql", "17.0.0");
    write_stand_in(&charts, "nats", "9.0.0");
    write_stand_in(&charts, "redis", "23.0.0");
    let values_dir = root().join("values");
    // (env, PostgreSQL primary size and read replicas, NATS size, Redis master size and replicas)
    let expected = [
        ("dev", "2Gi", 1, "1Gi", "1Gi", 1),
        ("staging", "20Gi", 1, "10Gi", "8Gi", 2),
        ("production", "50Gi", 2, "20Gi", "10Gi", 3),
    ];
    for (env, pg_size, pg_replicas, nats_size, redis_size, redis_replicas) in expected {
        let (code, stdout, stderr) = run([
            "render",
            chart.to_str().unwrap(),
            "--env",
            env,
            "--values-dir",
            values_dir.to_str().unwrap(),
            "-f",
            A4CO_DATA_STORES,
            "--no-save",
            "--no-validate",
        ]);
        assert_eq!(code, 0, "{env}: {stderr}");
        let documents: Vec<Value> = serde_saphyr::from_multiple(&stdout).unwrap();
        let values_of = |name: &str| -> Value {
            let document = documents
                .iter()
                .find(|d| d["metadata"]["name"] == format!("stand-in-{name}"))
                .unwrap_or_else(|| panic!("{env}: no stand-in-{name}"));
            serde_json::from_str(document["data"]["values"].as_str().unwrap()).unwrap()
        };
        let pg = values_of("postgresql");
        for values in [&pg, &values_of("nats"), &values_of("redis")] {
            assert_eq!(values["namespaceOverride"], format!("a4co-{env}"));
        }
        assert_eq!(pg["architecture"], "replication", "{env}");
        assert_eq!(pg["primary"]["persistence"]["size"], pg_size, "{env}");
        assert_eq!(pg["readReplicas"]["replicaCount"], pg_replicas, "{env}");
        assert_eq!(pg["readReplicas"]["persistence"]["size"], pg_size, "{env}");
        assert_eq!(pg["standIn"], true, "{env}: the chart's own defaults");
        let nats = values_of("nats");
        assert_eq!(nats["replicaCount"], 3, "{env}");
        assert_eq!(nats["jetstream"]["enabled"], true, "{env}");
        assert_eq!(nats["persistence"]["size"], nats_size, "{env}");
        let redis = values_of("redis");
        assert_eq!(redis["architecture"], "replication", "{env}");
        assert_eq!(redis["master"]["persistence"]["size"], redis_size, "{env}");
        assert_eq!(redis["replica"]["replicaCount"], redis_replicas, "{env}");
        // a4co's own documents are still there.
        assert!(
            documents
                .iter()
                .any(|d| d["kind"] == "Deployment" && d["metadata"]["name"] == "auth-service"),
            "{env}"
        );
    }
}

// Broke: only the top chart's values.schema.json was read; helm checks every chart's.
#[test]
fn err_a_subcharts_section_is_checked_against_the_subcharts_own_schema() {
    // helm 4.1.4: "cache:\n- at '/size': got string, want integer".
    let (code, stdout, stderr) = run(["render", UMBRELLA, "--set", "cache.size=big", "--no-save"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains(
            r#"`cache.size`: "big" is not of type "integer" (set by --set cache.size=big)"#
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("umbrella/charts/store-folder/values.schema.json"),
        "{stderr}"
    );
}

// Broke: `--kube-version 1.31.2` showed as v1.31.0, and `Has "<group>/<version>/<Kind>"` was
// true wherever the group version was served (`helm template` lists no kinds).
#[test]
fn templates_see_the_cluster_and_release_the_flags_describe_as_helm_shows_them() {
    let fixture = "tests/fixtures/helm-rules/capabilities";
    let text = std::fs::read_to_string(root().join(fixture).with_extension("helm.yaml")).unwrap();
    let (code, stdout, stderr) = run([
        "render",
        fixture,
        "--release-name",
        "rel",
        "-n",
        "ns",
        "--kube-version",
        "1.31.2",
        "--api-versions",
        "example.com/v1",
        "--is-upgrade",
        "--no-save",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let ours = stream(&stdout);
    assert_eq!(ours, stream(&text));
    assert_eq!(ours[0].1["data"]["version"], "v1.31.2");
}

//! `bosun diff` says what a change will do before the text of it: each class of consequence
//! fires on a small chart of its own and stays quiet on a near miss; noise is grouped; the
//! markdown of a fleet-wide change stays under GitHub's limit; `--fail-on` exits 3.

use serde_json::Value;

use crate::run;

/// Writes a chart `cq` under `dir` whose only template is `template`; returns its path.
pub(crate) fn chart(dir: &std::path::Path, template: &str) -> std::path::PathBuf {
    let chart = dir.join("chart");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: cq\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("templates/all.yaml"), template).unwrap();
    chart
}

/// A chart whose only template is `new` (plain YAML), diffed against `old` with `args`.
pub(crate) fn diff(old: &str, new: &str, args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let chart = chart(dir.path(), new);
    let against = dir.path().join("old.yaml");
    std::fs::write(&against, old).unwrap();
    let mut all = vec![
        "diff",
        chart.to_str().unwrap(),
        "--against",
        against.to_str().unwrap(),
    ];
    all.extend(args);
    run(all)
}

/// The consequences of `old` → `new`, from `-o json`.
fn consequences(old: &str, new: &str) -> Vec<Value> {
    let (code, stdout, stderr) = diff(old, new, &["-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    report["consequences"].as_array().unwrap().clone()
}

pub(crate) fn classes(found: &[Value]) -> Vec<&str> {
    found.iter().map(|c| c["class"].as_str().unwrap()).collect()
}

pub(crate) fn deployment(
    selector: &str,
    replicas: u32,
    image: &str,
    extra_pod_labels: &str,
) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {selector}
  template:
    metadata:
      labels:
        app: {selector}{extra_pod_labels}
    spec:
      containers:
        - name: web
          image: {image}
          envFrom:
            - configMapRef:
                name: cfg
"
    )
}

fn statefulset(size: &str, replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: {replicas}
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
        - name: db
          image: db:1
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: {size}
"
    )
}

fn pvc(class: &str, size: &str) -> String {
    format!(
        "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  storageClassName: {class}
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: {size}
"
    )
}

fn job(image: &str, backoff: u32) -> String {
    format!(
        "apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  backoffLimit: {backoff}
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: {image}
"
    )
}

fn service(cluster_ip: &str, port: u32) -> String {
    format!(
        "apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: {cluster_ip}
  selector:
    app: web
  ports:
    - port: {port}
"
    )
}

fn binding(role: &str, user: &str) -> String {
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: readers
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {role}
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: User
    name: {user}
"
    )
}

#[test]
fn immutable_fields_will_not_apply_and_name_the_field_and_a_way_out() {
    let cases = [
        (
            deployment("web", 3, "web:1", ""),
            deployment("site", 3, "web:1", ""),
            "spec.selector",
        ),
        (
            statefulset("10Gi", 1),
            statefulset("20Gi", 1),
            "spec.volumeClaimTemplates",
        ),
        (
            pvc("fast", "10Gi"),
            pvc("slow", "10Gi"),
            "spec.storageClassName",
        ),
        (
            pvc("fast", "10Gi"),
            pvc("fast", "5Gi"),
            "spec.resources.requests.storage",
        ),
        (job("migrate:1", 3), job("migrate:2", 3), "spec.template"),
        (
            service("10.0.0.1", 80),
            service("10.0.0.2", 80),
            "spec.clusterIP",
        ),
        (binding("reader", "ann"), binding("admin", "ann"), "roleRef"),
        (
            statefulset("10Gi", 1),
            statefulset("10Gi", 1).replace("serviceName: db", "serviceName: db-headless"),
            "spec.serviceName",
        ),
        (frozen_config("1"), frozen_config("2"), "data"),
    ];
    for (old, new, field) in cases {
        let found = consequences(&old, &new);
        let refused: Vec<&Value> = found
            .iter()
            .filter(|c| c["class"] == "will-not-apply")
            .collect();
        assert_eq!(refused.len(), 1, "{field}: {found:#?}");
        assert_eq!(refused[0]["field"], field);
        assert!(
            refused[0]["way_out"].as_str().unwrap().len() > 20,
            "{:#?}",
            refused[0]
        );
    }
}

fn hook_job(image: &str) -> String {
    job(image, 3).replace(
        "  name: migrate\n",
        "  name: migrate\n  annotations:\n    helm.sh/hook: pre-upgrade\n",
    )
}

fn frozen_config(value: &str) -> String {
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\nimmutable: true\ndata:\n  a: \"{value}\"\n"
    )
}

#[test]
fn mutable_changes_apply() {
    let cases = [
        (
            deployment("web", 3, "web:1", ""),
            deployment("web", 5, "web:1", ""),
        ),
        (statefulset("10Gi", 1), statefulset("10Gi", 3)),
        (pvc("fast", "10Gi"), pvc("fast", "20Gi")),
        (job("migrate:1", 3), job("migrate:1", 6)),
        (service("10.0.0.1", 80), service("10.0.0.1", 8080)),
        (
            service("10.0.0.1", 80),
            service("10.0.0.1", 80).replace("spec:\n", "spec:\n  type: NodePort\n"),
        ),
        (binding("reader", "ann"), binding("reader", "bob")),
        // Regression: a hook Job is recreated on each run, so its template may change.
        (hook_job("migrate:1"), hook_job("migrate:2")),
    ];
    for (old, new) in cases {
        let found = consequences(&old, &new);
        assert!(
            !classes(&found).contains(&"will-not-apply"),
            "{new}: {found:#?}"
        );
    }
}

#[test]
fn a_pod_template_change_restarts_pods_naming_replicas_and_cause() {
    let found = consequences(
        &deployment("web", 3, "web:1", ""),
        &deployment("web", 3, "web:2", ""),
    );
    assert_eq!(classes(&found), ["restarts-pods"], "{found:#?}");
    assert_eq!(found[0]["kind"], "Deployment");
    assert_eq!(found[0]["name"], "web");
    assert_eq!(found[0]["replicas"], 3);
    assert_eq!(found[0]["causes"][0], "image of `web`: web:1 → web:2");
}

#[test]
fn a_change_outside_the_pod_template_restarts_nothing() {
    let found = consequences(
        &deployment("web", 3, "web:1", ""),
        &deployment("web", 4, "web:1", ""),
    );
    assert_eq!(classes(&found), Vec::<&str>::new(), "{found:#?}");
}

#[test]
fn an_on_delete_statefulset_restarts_nothing_when_its_template_changes() {
    let on_delete = |image: &str| {
        statefulset("10Gi", 2)
            .replace(
                "  serviceName: db\n",
                "  serviceName: db\n  updateStrategy:\n    type: OnDelete\n",
            )
            .replace("image: db:1", &format!("image: {image}"))
    };
    let found = consequences(&on_delete("db:1"), &on_delete("db:2"));
    assert_eq!(classes(&found), Vec::<&str>::new(), "{found:#?}");
    let rolling =
        |image: &str| statefulset("10Gi", 2).replace("image: db:1", &format!("image: {image}"));
    let found = consequences(&rolling("db:1"), &rolling("db:2"));
    assert_eq!(classes(&found), ["restarts-pods"], "{found:#?}");
}

fn config(mode: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  mode: {mode}\n")
}

#[test]
fn a_config_change_without_a_roll_leaves_pods_on_the_old_value() {
    let workload = deployment("web", 2, "web:1", "");
    let found = consequences(
        &format!("{}---\n{workload}", config("slow")),
        &format!("{}---\n{workload}", config("fast")),
    );
    assert_eq!(classes(&found), ["keeps-old-value"], "{found:#?}");
    assert_eq!(found[0]["name"], "cfg");
    assert_eq!(found[0]["consumers"][0]["name"], "web");
    assert_eq!(found[0]["consumers"][0]["via"], "env");
}

#[test]
fn a_secret_read_through_a_projected_volume_updates_files_not_env() {
    let reader = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
        - name: agent
          image: agent:1
      volumes:
        - name: creds
          projected:
            sources:
              - secret:
                  name: creds
";
    let found = consequences(
        &format!("{}---\n{reader}", secret(&[("token", "a")])),
        &format!("{}---\n{reader}", secret(&[("token", "b")])),
    );
    assert_eq!(
        classes(&found),
        ["secret-change", "keeps-old-value"],
        "{found:#?}"
    );
    assert_eq!(found[1]["consumers"][0]["kind"], "DaemonSet");
    assert_eq!(found[1]["consumers"][0]["via"], "volume");
}

#[test]
fn a_config_change_with_a_checksum_roll_restarts_instead() {
    let rolled =
        |sum: &str| deployment("web", 2, "web:1", &format!("\n        checksum: \"{sum}\""));
    let found = consequences(
        &format!("{}---\n{}", config("slow"), rolled("1")),
        &format!("{}---\n{}", config("fast"), rolled("2")),
    );
    assert_eq!(classes(&found), ["restarts-pods"], "{found:#?}");
}

#[test]
fn version_labels_are_noise_grouped_in_one_line_without_a_diff() {
    let labelled = |version: &str| {
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    helm.sh/chart: cq-{version}\ndata:\n  k: v\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  labels:\n    helm.sh/chart: cq-{version}\ndata:\n  k: v\n"
        )
    };
    let (code, stdout, stderr) = diff(&labelled("1.0.0"), &labelled("1.1.0"), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "· noise only chart or app version labels changed on 2 resources: ConfigMap a, ConfigMap b\n"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("@@"), "no diff per resource: {stdout}");
    assert!(stdout.contains("Plan: 0 to add, 2 to change, 0 to destroy."));
}

#[test]
fn a_real_change_beside_a_version_label_is_not_noise() {
    let labelled = |version: &str, value: &str| {
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    helm.sh/chart: cq-{version}\ndata:\n  k: {value}\n"
        )
    };
    let (code, stdout, stderr) = diff(&labelled("1.0.0", "v"), &labelled("1.1.0", "w"), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("noise"), "{stdout}");
    assert!(stdout.contains("~ change  ConfigMap a\n"), "{stdout}");
    assert!(stdout.contains("-  k: v\n+  k: w"), "{stdout}");
}

pub(crate) fn secret(keys: &[(&str, &str)]) -> String {
    let mut text =
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n".to_string();
    for (key, value) in keys {
        text.push_str(&format!("  {key}: {value}\n"));
    }
    text
}

#[test]
fn a_secret_change_names_keys_and_never_values() {
    let (code, stdout, stderr) = diff(
        &secret(&[
            ("user", "admin"),
            ("password", "hunter2"),
            ("old", "retired-secret"),
        ]),
        &secret(&[
            ("user", "admin"),
            ("password", "correct-horse"),
            ("token", "t0k3n"),
        ]),
        &["-o", "json"],
    );
    assert_eq!(code, 0, "{stderr}");
    // Regression: a short value (`x1`) was found in the random temporary path.
    for value in ["hunter2", "correct-horse", "t0k3n", "retired-secret"] {
        assert!(!stdout.contains(value), "a value leaked: {stdout}");
    }
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let found = report["consequences"].as_array().unwrap();
    assert_eq!(classes(found), ["secret-change"], "{found:#?}");
    assert_eq!(found[0]["added"], serde_json::json!(["token"]));
    assert_eq!(found[0]["removed"], serde_json::json!(["old"]));
    assert_eq!(found[0]["changed"], serde_json::json!(["password"]));
}

#[test]
fn a_secret_whose_values_stay_has_no_consequence() {
    let found = consequences(
        &secret(&[("password", "hunter2")]),
        &format!(
            "{}  labels:\n    team: a\nstringData:\n  password: hunter2\n",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n"
        ),
    );
    assert_eq!(classes(&found), Vec::<&str>::new(), "{found:#?}");
}

#[test]
fn deleting_what_holds_data_is_data_loss_and_other_deletions_are_not() {
    let kept = config("slow");
    let found = consequences(
        &format!(
            "{kept}---\n{}---\n{}",
            pvc("fast", "10Gi"),
            statefulset("1Gi", 1)
        ),
        &kept,
    );
    assert_eq!(classes(&found), ["data-loss", "data-loss"], "{found:#?}");
    assert_eq!(found[0]["kind"], "PersistentVolumeClaim");
    assert!(
        found[1]["reason"].as_str().unwrap().contains("claims stay"),
        "{found:#?}"
    );
    let found = consequences(&format!("{kept}---\n{}", service("10.0.0.1", 80)), &kept);
    assert_eq!(classes(&found), Vec::<&str>::new(), "{found:#?}");
}

fn budget(rule: &str) -> String {
    format!(
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  {rule}\n  selector:\n    matchLabels:\n      app: web\n"
    )
}

#[test]
fn a_budget_that_allows_no_eviction_is_reported() {
    let workload = deployment("web", 3, "web:1", "");
    let found = consequences(
        &workload,
        &format!("{workload}---\n{}", budget("maxUnavailable: 0")),
    );
    assert_eq!(classes(&found), ["blocks-eviction"], "{found:#?}");
    assert_eq!(found[0]["workload"]["name"], "web");
    let found = consequences(
        &workload,
        &format!("{workload}---\n{}", budget("minAvailable: 3")),
    );
    assert_eq!(classes(&found), ["blocks-eviction"], "{found:#?}");
}

#[test]
fn a_budget_that_allows_an_eviction_is_not() {
    let workload = deployment("web", 3, "web:1", "");
    for rule in [
        "maxUnavailable: 1",
        "minAvailable: 2",
        "maxUnavailable: \"25%\"",
    ] {
        let found = consequences(&workload, &format!("{workload}---\n{}", budget(rule)));
        assert_eq!(classes(&found), Vec::<&str>::new(), "{rule}: {found:#?}");
    }
}

fn autoscaler(min: u32, max: u32) -> String {
    format!(
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: {min}\n  maxReplicas: {max}\n"
    )
}

#[test]
fn an_autoscaler_whose_range_leaves_out_the_replicas_is_reported() {
    let with = |hpa: String| format!("{}---\n{hpa}", deployment("web", 3, "web:1", ""));
    let old = with(autoscaler(2, 5));
    let found = consequences(&old, &with(autoscaler(4, 8)));
    assert_eq!(classes(&found), ["replicas-out-of-range"], "{found:#?}");
    assert_eq!(found[0]["replicas"], 3);
    assert_eq!(found[0]["min"], 4);
    let found = consequences(&old, &with(autoscaler(2, 8)));
    assert_eq!(classes(&found), Vec::<&str>::new(), "{found:#?}");
}

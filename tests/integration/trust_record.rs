//! Issue 11 ("Trust"), the record and `bosun diff`: no Secret value in a record, records per
//! namespace and release, a record meant to be committed, one reader of stdin, live objects
//! compared on what the render sets, and a markdown comment that names what it diffed and fits.

use std::path::Path;

use serde_json::{Value, json};

use crate::{bosun, fixture, root};

const KEY: &str = "a-test-key-of-32-characters-long";

/// A state folder and a config folder of the test's own (no user key file is ever read).
struct State {
    dir: tempfile::TempDir,
}

impl State {
    fn new() -> State {
        State {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs bosun with this state folder and, if given, this secret key; returns (exit code,
    /// stdout, stderr).
    fn run(&self, key: Option<&str>, args: &[&str]) -> (i32, String, String) {
        let mut command = bosun(args);
        command
            .arg("--state-dir")
            .arg(self.path().join("state"))
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env_remove("BOSUN_SECRET_KEY");
        if let Some(key) = key {
            command.env("BOSUN_SECRET_KEY", key);
        }
        let output = command.output().unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// Every record file's text, concatenated.
    fn records(&self) -> String {
        fn walk(dir: &Path, out: &mut String) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push_str(&std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        let mut out = String::new();
        walk(&self.path().join("state"), &mut out);
        out
    }
}

/// Runs bosun with `input` on stdin; unlike `crate::run_with_stdin`, bosun may refuse before
/// reading it.
fn run_with_stdin(args: &[&str], input: &[u8]) -> (i32, String, String) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = bosun(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A refusal closes stdin unread: a broken pipe here is expected.
    let _ = child.stdin.take().unwrap().write_all(input);
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn base64(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// Fails if `record` holds `secret` in any form recoverable offline.
fn assert_no_trace(record: &str, secret: &str) {
    for form in [
        secret.to_string(),
        base64(secret),
        sha256_hex(secret),
        sha256_hex(&base64(secret)),
    ] {
        assert!(
            !record.contains(&form),
            "`{form}` (from `{secret}`) is in the record:\n{record}"
        );
    }
}

// Item 1: the record held Secret values in plain text and base64, and teams commit it.
#[test]
fn a_record_holds_no_secret_value_with_or_without_a_key() {
    for key in [Some(KEY), None] {
        let state = State::new();
        let (code, _, stderr) = state.run(key, &["render", &fixture("secret")]);
        assert_eq!(code, 0, "{stderr}");
        let record = state.records();
        assert!(record.contains("kind: Secret"), "{record}");
        for secret in ["hunter2", "token-hunter2"] {
            assert_no_trace(&record, secret);
        }
        match key {
            Some(_) => assert!(record.contains("password: hmac-sha256:"), "{record}"),
            None => {
                assert!(
                    record.contains("password: present (recorded without a key)"),
                    "{record}"
                );
                assert!(stderr.contains("BOSUN_SECRET_KEY"), "{stderr}");
            }
        }
    }
}

/// A chart with one Secret whose keys come from `values.secrets`.
fn secret_chart(dir: &Path) -> String {
    let chart = dir.join("vault");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: vault\nengine: jinja\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("values.yaml"),
        "secrets:\n  same: unchanged-value\n  edited: before-value\n  dropped: dropped-value\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("templates/secret.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ntype: Opaque\nstringData:\n{% for name, value in values.secrets | items %}  {{ name }}: {{ value | quote }}\n{% endfor %}",
    )
    .unwrap();
    chart.display().to_string()
}

// Item 1: with values sealed, diff must still tell per key added / removed / changed / unchanged.
#[test]
fn a_sealed_record_still_tells_each_secret_key_apart() {
    let state = State::new();
    let chart = secret_chart(state.path());
    assert_eq!(state.run(Some(KEY), &["render", &chart]).0, 0);
    let diff = [
        "diff",
        &chart,
        "--set",
        "secrets.edited=after-value,secrets.added=new-value,secrets.dropped=null",
        "--detailed-exitcode",
    ];
    let (code, stdout, stderr) = state.run(Some(KEY), &diff);
    assert_eq!(code, 2, "{stdout}{stderr}");
    for line in [
        "-  edited: (hidden)\n",
        "+  edited: (hidden, changed)\n",
        "-  dropped: (hidden)\n",
        "+  added: (hidden)\n",
        "   same: (hidden)\n",
    ] {
        assert!(stdout.contains(line), "no `{line}` in:\n{stdout}");
    }
    assert!(
        !stdout.contains("value"),
        "a secret value leaked:\n{stdout}"
    );
    // Unchanged values with the same key: no change at all.
    let (code, stdout, _) = state.run(Some(KEY), &["diff", &chart, "--detailed-exitcode"]);
    assert_eq!(code, 0, "{stdout}");
}

// Item 1: without the key, diff must say it cannot tell changed from unchanged, why, and how.
#[test]
fn without_the_key_diff_says_it_cannot_compare_secret_values() {
    let state = State::new();
    let chart = secret_chart(state.path());
    assert_eq!(state.run(Some(KEY), &["render", &chart]).0, 0);
    let changed = [
        "diff",
        &chart,
        "--set",
        "secrets.edited=after-value",
        "-o",
        "summary",
    ];
    let (code, stdout, _) = state.run(None, &changed);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("Secret creds: 3 values not compared: cannot tell changed from unchanged")
            && stdout.contains("none is set here; set the same key in `BOSUN_SECRET_KEY`"),
        "{stdout}"
    );
    let (code, stdout, _) = state.run(Some("another-key-of-32-characters-long"), &changed);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("sealed with another key"), "{stdout}");
    // A record written without a key knows only which keys exist.
    let unkeyed = State::new();
    let chart = secret_chart(unkeyed.path());
    assert_eq!(unkeyed.run(None, &["render", &chart]).0, 0);
    let (code, stdout, _) = unkeyed.run(Some(KEY), &["diff", &chart, "-o", "json"]);
    assert_eq!(code, 0, "{stdout}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let notes = report["notes"].to_string();
    assert!(notes.contains("written without a secret key"), "{notes}");
}

// Item 1: a key too short to resist guessing is refused, naming where it came from.
#[test]
fn a_short_secret_key_is_an_error() {
    let state = State::new();
    let (code, stdout, stderr) = state.run(Some("short"), &["render", &fixture("secret")]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(
        stderr.contains("BOSUN_SECRET_KEY") && stderr.contains("at least 16"),
        "{stderr}"
    );
}

// Item 3: the record ignored the namespace; team-b's render made team-a's diff destroy everything.
#[test]
fn records_are_kept_per_namespace() {
    let state = State::new();
    for namespace in ["team-a", "team-b"] {
        let (code, _, stderr) = state.run(None, &["render", "charts/demo", "-n", namespace]);
        assert_eq!(code, 0, "{stderr}");
    }
    let (code, stdout, _) = state.run(
        None,
        &[
            "diff",
            "charts/demo",
            "-n",
            "team-a",
            "--detailed-exitcode",
            "-o",
            "summary",
        ],
    );
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("Plan: 0 to add, 0 to change, 0 to destroy."),
        "{stdout}"
    );
    assert!(
        state
            .path()
            .join("state/_no-env/team-a/demo.yaml")
            .is_file()
    );
    assert!(
        state
            .path()
            .join("state/_no-env/team-b/demo.yaml")
            .is_file()
    );
}

// Item 4: with no record, the markdown said "Plan: N to add" and nothing about a missing record.
#[test]
fn every_format_says_when_there_is_no_record() {
    let state = State::new();
    let said =
        "no earlier record for chart `demo` env `production` release `demo` namespace `default`";
    for format in ["unified", "summary", "json", "markdown"] {
        let (code, stdout, stderr) = state.run(
            None,
            &["diff", "charts/demo", "--env", "production", "-o", format],
        );
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains(said), "{format}:\n{stdout}");
        if format == "json" {
            let report: Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(report["compared_with"]["kind"], json!("no-record"));
        }
    }
}

// Item 4: `.gitignore` had `**/.bosun/`, so the README's `git add charts/okla/.bosun` failed.
#[test]
fn a_charts_record_is_not_ignored_by_git() {
    let mut builder = ignore::gitignore::GitignoreBuilder::new(root());
    assert!(builder.add(root().join(".gitignore")).is_none());
    let gitignore = builder.build().unwrap();
    let record = root().join("charts/okla/.bosun/production/okla/okla.yaml");
    assert!(
        !gitignore
            .matched_path_or_any_parents(&record, false)
            .is_ignore(),
        "the record the README says to commit is ignored"
    );
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("git add charts/okla/.bosun"));
}

// Item 6: `-f - --against -` read stdin twice and silently diffed against nothing.
#[test]
fn two_readers_of_stdin_are_refused() {
    let values = b"replicas: 2\n";
    for args in [
        &["diff", "charts/demo", "-f", "-", "--against", "-"][..],
        &[
            "diff",
            "charts/demo",
            "--against",
            "-",
            "-f",
            "values.yaml",
            "-f",
            "-",
        ],
        &["diff", "charts/demo", "-f", "-", "-f", "-"],
        &["render", "charts/demo", "-f", "-", "-f", "-", "--no-save"],
        &["values", "charts/demo", "-f", "-", "-f", "-"],
        &["validate", "-", "-"],
    ] {
        let (code, stdout, stderr) = run_with_stdin(args, values);
        assert_eq!((code, stdout.as_str()), (1, ""), "{args:?}: {stderr}");
        assert!(
            stderr.contains("<stdin>") && stderr.contains("once"),
            "{args:?}: {stderr}"
        );
    }
}

/// What `kubectl get -o json` shows for `rendered`: server metadata, status, and the defaults
/// the API server fills in where the render sets nothing.
fn as_live(rendered: &Value) -> Value {
    let mut live = rendered.clone();
    let object = live.as_object_mut().unwrap();
    let metadata = object["metadata"].as_object_mut().unwrap();
    metadata.insert("uid".into(), json!("6f1c9b1e-0000-4000-8000-000000000000"));
    metadata.insert("resourceVersion".into(), json!("48213"));
    metadata.insert("creationTimestamp".into(), json!("2026-01-01T00:00:00Z"));
    metadata.insert("generation".into(), json!(4));
    metadata.insert("managedFields".into(), json!([{"manager": "kubectl"}]));
    object.insert("status".into(), json!({"observedGeneration": 4}));
    let defaults = match object["kind"].as_str().unwrap() {
        "Service" => json!({"clusterIP": "10.96.12.7", "clusterIPs": ["10.96.12.7"],
            "sessionAffinity": "None", "type": "ClusterIP", "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster"}),
        "Deployment" | "StatefulSet" => json!({"revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}}),
        _ => json!({}),
    };
    if let Some(spec) = object.get_mut("spec").and_then(Value::as_object_mut) {
        for (field, value) in defaults.as_object().unwrap() {
            spec.entry(field.clone()).or_insert(value.clone());
        }
        for port in spec
            .get_mut("ports")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            port.as_object_mut()
                .unwrap()
                .entry("protocol")
                .or_insert(json!("TCP"));
        }
        if let Some(pod) = spec
            .get_mut("template")
            .and_then(|t| t["spec"].as_object_mut())
        {
            pod.entry("dnsPolicy").or_insert(json!("ClusterFirst"));
            pod.entry("restartPolicy").or_insert(json!("Always"));
            pod.entry("securityContext").or_insert(json!({}));
            for container in pod["containers"].as_array_mut().unwrap() {
                let container = container.as_object_mut().unwrap();
                container
                    .entry("imagePullPolicy")
                    .or_insert(json!("IfNotPresent"));
                container
                    .entry("terminationMessagePath")
                    .or_insert(json!("/dev/termination-log"));
                container.entry("resources").or_insert(json!({}));
            }
        }
    }
    live
}

fn live_list(replicas: Option<u64>) -> Vec<u8> {
    let state = State::new();
    let (code, stdout, stderr) = state.run(
        None,
        &[
            "render",
            "charts/demo",
            "--env",
            "production",
            "-o",
            "json",
            "--no-save",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let list: Value = serde_json::from_str(&stdout).unwrap();
    let items: Vec<Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let mut live = as_live(item);
            if let (Some(replicas), "Deployment") = (replicas, item["kind"].as_str().unwrap()) {
                live["spec"]["replicas"] = json!(replicas);
            }
            live
        })
        .collect();
    serde_json::to_vec(&json!({"apiVersion": "v1", "kind": "List", "items": items})).unwrap()
}

// Item 7: fields the API server fills in (clusterIP, sessionAffinity, strategy, ...) showed as removals.
#[test]
fn against_a_cluster_only_what_the_render_sets_is_compared() {
    let args = [
        "diff",
        "charts/demo",
        "--env",
        "production",
        "--against",
        "-",
        "--detailed-exitcode",
    ];
    let (code, stdout, stderr) = run_with_stdin(&args, &live_list(None));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("Plan: 0 to add, 0 to change, 0 to destroy."),
        "{stdout}"
    );
    // A field the render sets still shows when the cluster differs.
    let (code, stdout, _) = run_with_stdin(&args, &live_list(Some(7)));
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("-  replicas: 7\n+  replicas: 3"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("clusterIP") && !stdout.contains("strategy"),
        "{stdout}"
    );
}

// Item 8: the markdown had no chart / env / release in its heading.
#[test]
fn the_markdown_heading_names_what_was_diffed_and_the_plan_comes_first() {
    let state = State::new();
    let render = [
        "render",
        "charts/demo",
        "--env",
        "production",
        "--release-name",
        "shop",
    ];
    assert_eq!(state.run(None, &render).0, 0);
    let (code, stdout, _) = state.run(
        None,
        &[
            "diff",
            "charts/demo",
            "--env",
            "production",
            "--release-name",
            "shop",
            "--set",
            "replicas=5",
            "-o",
            "markdown",
        ],
    );
    assert_eq!(code, 0);
    let mut lines = stdout.lines().filter(|l| !l.is_empty());
    assert_eq!(
        lines.next(),
        Some(
            "### bosun diff: chart `demo` · env `production` · release `shop` · namespace `default`"
        )
    );
    assert_eq!(
        lines.next(),
        Some("**Plan: 0 to add, 1 to change, 0 to destroy.** (6 unchanged)")
    );
}

// Item 8: one change across a big chart gave a 246 KB comment; GitHub refuses over 65,536 characters.
#[test]
fn a_big_markdown_diff_stays_under_githubs_limit() {
    let state = State::new();
    let chart = fixture("many");
    assert_eq!(state.run(None, &["render", &chart, "--no-validate"]).0, 0);
    let (code, stdout, stderr) = state.run(
        None,
        &[
            "diff",
            &chart,
            "--no-validate",
            "--set",
            "count=0",
            "-o",
            "markdown",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, unified, stderr) =
        state.run(None, &["diff", &chart, "--no-validate", "--set", "count=0"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        unified.len() > 200_000,
        "the whole diff is big: {}",
        unified.len()
    );
    assert!(
        stdout.chars().count() <= 65_536,
        "{} characters",
        stdout.chars().count()
    );
    assert!(stdout.contains("**Plan: 0 to add, 0 to change, 1000 to destroy.**"));
    assert!(
        stdout.contains("of 1000 resources are cut or left out") && stdout.contains("`-o unified`"),
        "{}",
        &stdout[stdout.len() - 500..]
    );
}

// Item 3: with the namespace in the record's path, `-n ../x` wrote outside the state folder.
#[test]
fn a_namespace_or_release_cannot_leave_the_state_folder() {
    let state = State::new();
    for args in [
        &["render", "charts/demo", "-n", "../../escape"][..],
        &["diff", "charts/demo", "--release-name", "../escape"],
    ] {
        let (code, stdout, stderr) = state.run(None, args);
        assert_eq!((code, stdout.as_str()), (1, ""), "{args:?}: {stderr}");
        assert!(stderr.contains("error: invalid"), "{stderr}");
    }
    assert!(!state.path().join("escape").exists());
    assert!(!state.path().join("state").exists());
}

// Items 1 and 3: a record in the old layout may hold Secret values in plain text; say so.
#[test]
fn a_record_in_the_old_layout_is_pointed_out() {
    let state = State::new();
    let legacy = state.path().join("state/_no-env/demo.yaml");
    std::fs::create_dir_all(legacy.parent().unwrap()).unwrap();
    std::fs::write(&legacy, "---\napiVersion: v1\nkind: ConfigMap\n").unwrap();
    let (code, _, stderr) = state.run(None, &["render", "charts/demo"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !stderr.contains("earlier bosun"),
        "no Secret, no warning: {stderr}"
    );
    std::fs::write(&legacy, "---\napiVersion: v1\nkind: Secret\n").unwrap();
    let (code, _, stderr) = state.run(None, &["render", "charts/demo"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("_no-env/demo.yaml` is a record from an earlier bosun")
            && stderr.contains("rotate those secrets"),
        "{stderr}"
    );
}

// Item 1: a Secret inside a `kind: List` (named, as bosun requires) reached the record with its
// values in plain text.
#[test]
fn a_list_of_secrets_is_recorded_sealed_and_diffed_without_values() {
    let state = State::new();
    let chart = state.path().join("listed");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: listed\nengine: jinja\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("values.yaml"), "password: hunter2\n").unwrap();
    std::fs::write(
        chart.join("templates/list.yaml"),
        "apiVersion: v1\nkind: List\nmetadata:\n  name: bundle\nitems:\n  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: creds\n    stringData:\n      password: {{ values.password | quote }}\n",
    )
    .unwrap();
    let chart = chart.display().to_string();
    for key in [Some(KEY), None] {
        let (code, _, stderr) = state.run(key, &["render", &chart, "--no-validate"]);
        assert_eq!(code, 0, "{stderr}");
        let record = state.records();
        assert!(record.contains("kind: List"), "{record}");
        assert_no_trace(&record, "hunter2");
    }
    assert_eq!(
        state.run(Some(KEY), &["render", &chart, "--no-validate"]).0,
        0
    );
    let (code, stdout, stderr) = state.run(
        Some(KEY),
        &[
            "diff",
            &chart,
            "--no-validate",
            "--set",
            "password=swordfish",
            "--detailed-exitcode",
        ],
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stdout.contains("~ change"), "{stdout}");
    for secret in ["hunter2", "swordfish"] {
        assert!(!stdout.contains(secret), "{secret} leaked:\n{stdout}");
    }
}

//! Random and key-generating functions in Helm charts: certificates that parse and verify,
//! and `--random-seed-file` / `BOSUN_RANDOM_SEED`, which make passwords, keys and
//! certificates the same on every render of a release without ever being printed.

use std::path::Path;

use base64::Engine as _;
use serde_json::Value;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

use crate::bosun;

const CHART: &str = "tests/fixtures/charts/helm-random";
const SEED: &str = "test-seed-0123456789abcdef";

/// `bosun render CHART ARGS -o json` with `seed` in `BOSUN_RANDOM_SEED` (unset when `None`):
/// exit code, stdout, stderr.
fn render(seed: Option<&str>, args: &[&str]) -> (i32, String, String) {
    let mut command = bosun(["render", CHART, "--no-save", "-o", "json"]);
    command.args(args).env_remove("BOSUN_RANDOM_SEED");
    if let Some(seed) = seed {
        command.env("BOSUN_RANDOM_SEED", seed);
    }
    let output = command.output().expect("bosun runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The rendered documents of a render that must succeed (validation on).
#[track_caller]
fn documents(seed: Option<&str>, args: &[&str]) -> Vec<Value> {
    let (code, stdout, stderr) = render(seed, args);
    assert_eq!(code, 0, "{stderr}");
    let list: Value = serde_json::from_str(&stdout).expect("JSON");
    list["items"].as_array().expect("items").clone()
}

fn secret<'a>(docs: &'a [Value], name_suffix: &str) -> &'a Value {
    docs.iter()
        .find(|d| {
            d["metadata"]["name"]
                .as_str()
                .is_some_and(|n| n.ends_with(name_suffix))
        })
        .unwrap_or_else(|| panic!("no Secret named *{name_suffix}"))
}

fn password(docs: &[Value]) -> String {
    secret(docs, "vault-lite")["stringData"]["admin-password"]
        .as_str()
        .expect("a password")
        .to_string()
}

/// The DER of the PEM certificate under `data.KEY` (base64) of the TLS Secret.
fn certificate_der(docs: &[Value], key: &str) -> Vec<u8> {
    let b64 = secret(docs, "-tls")["data"][key]
        .as_str()
        .expect("cert data");
    let pem = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("base64");
    let pem = String::from_utf8(pem).expect("text");
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"), "{pem}");
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("PEM body")
}

#[test]
fn gen_signed_cert_makes_a_leaf_its_gen_ca_verifies() {
    let docs = documents(None, &["--release-name", "web", "-n", "shop"]);
    let ca_der = certificate_der(&docs, "ca.crt");
    let leaf_der = certificate_der(&docs, "tls.crt");
    let (_, ca) = X509Certificate::from_der(&ca_der).expect("the CA parses");
    let (_, leaf) = X509Certificate::from_der(&leaf_der).expect("the leaf parses");

    let cn = |c: &X509Certificate| {
        c.subject()
            .iter_common_name()
            .next()
            .and_then(|n| n.as_str().ok())
            .map(str::to_string)
    };
    assert_eq!(cn(&ca).as_deref(), Some("web-vault-lite-ca"));
    assert_eq!(cn(&leaf).as_deref(), Some("web-vault-lite"));
    assert_eq!(leaf.issuer(), ca.subject());
    assert!(ca.is_ca(), "genCA makes a CA");
    assert!(!leaf.is_ca(), "genSignedCert makes a leaf");
    leaf.verify_signature(Some(ca.public_key()))
        .expect("the leaf is signed by the CA's key");

    let names: Vec<String> = leaf
        .subject_alternative_name()
        .expect("one SAN extension")
        .expect("SANs")
        .value
        .general_names
        .iter()
        .map(|name| match name {
            GeneralName::DNSName(dns) => dns.to_string(),
            GeneralName::IPAddress(ip) => format!("{ip:?}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        names,
        [
            "web-vault-lite",
            "web-vault-lite.shop.svc",
            "[127, 0, 0, 1]"
        ]
    );
    let validity = leaf.validity();
    let days = (validity.not_after.timestamp() - validity.not_before.timestamp()) / 86_400;
    assert_eq!(days, 365);
    assert!(validity.is_valid(), "valid now");
}

#[test]
fn the_same_seed_renders_the_same_bytes_and_they_validate() {
    let (code, first, stderr) = render(Some(SEED), &[]);
    assert_eq!(code, 0, "{stderr}");
    let (code, second, stderr) = render(Some(SEED), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(first, second);
    // Loops and includes still draw a value per call, not one value for all.
    let docs: Value = serde_json::from_str(&first).unwrap();
    let data = &secret(docs["items"].as_array().unwrap(), "vault-lite")["stringData"];
    assert_ne!(data["replica-0-token"], data["replica-1-token"]);
}

#[test]
fn another_release_or_seed_gets_other_passwords_and_certificates() {
    let base = documents(Some(SEED), &[]);
    let other_release = documents(Some(SEED), &["--release-name", "other"]);
    let other_namespace = documents(Some(SEED), &["-n", "other"]);
    let other_seed = documents(Some("another-seed-0123456789"), &[]);
    for other in [&other_release, &other_namespace, &other_seed] {
        assert_ne!(password(&base), password(other));
        assert_ne!(
            certificate_der(&base, "ca.crt"),
            certificate_der(other, "ca.crt")
        );
    }
}

#[test]
fn without_a_seed_every_render_draws_fresh_values() {
    let first = documents(None, &[]);
    let second = documents(None, &[]);
    assert_ne!(password(&first), password(&second));
    assert_ne!(
        certificate_der(&first, "tls.crt"),
        certificate_der(&second, "tls.crt")
    );
}

#[test]
fn a_seed_file_works_like_the_variable_and_wins_over_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seed");
    std::fs::write(&file, format!("{SEED}\n")).unwrap();
    let file = file.to_str().unwrap();
    let from_variable = documents(Some(SEED), &[]);
    let from_file = documents(
        Some("ignored-when-a-file-is-given"),
        &["--random-seed-file", file],
    );
    assert_eq!(password(&from_variable), password(&from_file));
}

#[test]
fn err_a_short_or_empty_seed_is_refused_without_printing_it() {
    for seed in ["", "short-seed"] {
        let (code, stdout, stderr) = render(Some(seed), &[]);
        assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "error: cannot read `BOSUN_RANDOM_SEED`: the random seed is {} bytes; use at least 16",
                seed.len()
            )),
            "{stderr}"
        );
        if !seed.is_empty() {
            assert!(!stderr.contains(seed), "{stderr}");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seed");
    std::fs::write(&file, "tiny\n").unwrap();
    let (code, stdout, stderr) = render(None, &["--random-seed-file", file.to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("the random seed is 4 bytes"), "{stderr}");
    assert!(!stderr.contains("tiny"), "{stderr}");
}

#[test]
fn the_seed_never_appears_in_output_records_or_diffs() {
    let state = tempfile::tempdir().unwrap();
    let state_dir = state.path().to_str().unwrap();
    let mut printed = Vec::new();
    for command in ["render", "diff"] {
        let output = bosun([command, CHART, "--state-dir", state_dir])
            .env("BOSUN_RANDOM_SEED", SEED)
            .output()
            .unwrap();
        assert_ne!(output.status.code(), Some(1), "bosun {command} failed");
        printed.extend(output.stdout);
        printed.extend(output.stderr);
    }
    assert!(!String::from_utf8_lossy(&printed).contains(SEED));
    let records = walk(state.path());
    assert!(!records.is_empty(), "the render is recorded");
    for record in records {
        let text = std::fs::read(&record).unwrap();
        assert!(!String::from_utf8_lossy(&text).contains(SEED), "{record:?}");
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// `render` then `diff --detailed-exitcode` of the chart, with Secret values compared under a
/// secret key: the diff's exit code.
fn diff_after_render(seed: Option<&str>) -> i32 {
    let state = tempfile::tempdir().unwrap();
    let state_dir = state.path().to_str().unwrap();
    let mut code = 0;
    for command in ["render", "diff"] {
        let mut run = bosun([command, CHART, "--state-dir", state_dir]);
        run.env("BOSUN_SECRET_KEY", "a-secret-key-for-the-record-0123")
            .env_remove("BOSUN_RANDOM_SEED");
        if command == "diff" {
            run.arg("--detailed-exitcode");
        }
        if let Some(seed) = seed {
            run.env("BOSUN_RANDOM_SEED", seed);
        }
        let output = run.output().unwrap();
        code = output.status.code().unwrap_or(-1);
        assert_ne!(code, 1, "{}", String::from_utf8_lossy(&output.stderr));
    }
    code
}

#[test]
fn with_a_seed_the_diff_of_an_unchanged_chart_is_quiet() {
    assert_eq!(diff_after_render(Some(SEED)), 0, "no changes with a seed");
    assert_eq!(diff_after_render(None), 2, "Helm's churn without one");
}

//! The `secret-literal` rule: a plain env value or a ConfigMap key that holds what looks like a
//! secret, by its name (`DB_PASSWORD`) or its value (a private key, a URL with a password).

use super::checks::all_containers;
use super::{Linter, RuleId};

/// Names of env vars or ConfigMap keys that hold secrets.
fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "CREDENTIAL",
    ]
    .iter()
    .any(|word| upper.contains(word))
}

/// Values that are secrets whatever their name: keys, and URLs with a password in them.
fn secret_value(value: &str) -> bool {
    value.contains("-----BEGIN")
        || (value.starts_with("AKIA") && value.len() == 20)
        || value
            .split_once("://")
            .and_then(|(_, rest)| rest.split_once('@'))
            .is_some_and(|(credentials, _)| credentials.contains(':'))
}

pub(super) fn secret_literals(linter: &mut Linter) {
    let mut findings = Vec::new();
    for (i, object) in linter.objects.iter().enumerate() {
        if let Some(pod) = object.pod_template() {
            for container in all_containers(pod) {
                for env in container["env"].as_array().into_iter().flatten() {
                    let (Some(name), Some(value)) = (env["name"].as_str(), env["value"].as_str())
                    else {
                        continue;
                    };
                    if !value.is_empty() && (secret_name(name) || secret_value(value)) {
                        findings.push((i, format!(
                            "env `{name}` holds a literal that looks secret; it ends up in git and in `kubectl describe`; use secretKeyRef"
                        )));
                    }
                }
            }
        }
        if object.kind() == "ConfigMap" {
            for (key, value) in object.value["data"].as_object().into_iter().flatten() {
                let value = value.as_str().unwrap_or("");
                if !value.is_empty() && (secret_name(key) || secret_value(value)) {
                    findings.push((i, format!(
                        "key `{key}` holds a literal that looks secret; ConfigMaps are not encrypted and anyone who reads the namespace sees it; use a Secret or an ExternalSecret"
                    )));
                }
            }
        }
    }
    for (i, message) in findings {
        linter.report(RuleId::SecretLiteral, i, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_looking_values() {
        assert!(secret_value("postgres://app:s3cret@db:5432/app"));
        assert!(!secret_value("postgres://db:5432/app"));
        assert!(secret_value("-----BEGIN RSA PRIVATE KEY-----"));
        assert!(secret_name("DB_PASSWORD") && secret_name("api_key") && !secret_name("LOG_LEVEL"));
    }
}

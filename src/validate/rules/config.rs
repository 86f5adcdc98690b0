//! ConfigMaps and Secrets: keys, sizes, Secret data as base64, the keys each Secret type needs,
//! as `pkg/apis/core/validation/validation.go` `ValidateConfigMap` and `ValidateSecret` check
//! them. A Secret's values are never quoted in a message.

use std::borrow::Cow;
use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::Value;

use super::Field;
use super::{Doc, Out, Rule, at, entries, formats, str_at};

pub static KEYS: Rule = Rule {
    id: "config/keys",
    kinds: "ConfigMap, Secret",
    mirrors: "pkg/apis/core/validation/validation.go ValidateConfigMap, ValidateSecret (IsConfigMapKey, duplicate keys)",
};
pub static SIZE: Rule = Rule {
    id: "config/size",
    kinds: "ConfigMap, Secret",
    mirrors: "pkg/apis/core/validation/validation.go ValidateConfigMap, ValidateSecret (MaxSecretSize, 1 MiB)",
};
pub static BASE64: Rule = Rule {
    id: "secret/base64",
    kinds: "Secret",
    mirrors: "staging/src/k8s.io/api/core/v1/types.go Secret.Data ([]byte: base64 in JSON, encoding/json)",
};
pub static TYPE_KEYS: Rule = Rule {
    id: "secret/type-keys",
    kinds: "Secret",
    mirrors: "pkg/apis/core/validation/validation.go ValidateSecret (per type: tls, dockerconfigjson, dockercfg, basic-auth, ssh-auth, service-account-token)",
};

pub static RULES: &[&Rule] = &[&KEYS, &SIZE, &BASE64, &TYPE_KEYS];

const MAX_SIZE: usize = 1024 * 1024;

/// Go's `base64.StdEncoding`: padded, but lenient about trailing bits; newlines are skipped.
const GO_STD: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
);

/// A value's bytes once stored: borrowed from the document, or decoded from base64.
type Stored<'a> = Cow<'a, [u8]>;

pub(super) fn check(doc: &Doc, out: &mut Out) {
    let secret = doc.is("", "Secret");
    if !secret && !doc.is("", "ConfigMap") {
        return;
    }
    let sections: &[&str] = if secret {
        &["data", "stringData"]
    } else {
        &["data", "binaryData"]
    };
    // Every key with its size in bytes once stored; stringData lands in data.
    let mut keys: BTreeMap<&str, (usize, Option<Stored>)> = BTreeMap::new();
    let mut size = 0;
    for section in sections {
        for (key, value) in entries(doc.value, section) {
            // Written only for a finding: most keys have none.
            let path = || at(&format!("/{section}"), key);
            if let Some(problem) = formats::config_key(key) {
                out.push(&KEYS, path(), format!("key `{key}` {problem}"));
            }
            // A value of the wrong type is the schema's to report; the key still counts.
            let Some(text) = value.as_str() else {
                keys.entry(key).or_insert((0, None));
                continue;
            };
            let decoded = if (secret && *section == "data") || *section == "binaryData" {
                let clean: String = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
                match GO_STD.decode(clean) {
                    Ok(bytes) => Some(Cow::Owned(bytes)),
                    Err(_) => {
                        out.push(&BASE64, path(), format!("the value of `{key}` is not valid base64 (Secret `data` holds base64; put plain text under `stringData`)"));
                        continue;
                    }
                }
            } else {
                Some(Cow::Borrowed(text.as_bytes()))
            };
            let len = decoded.as_ref().map_or(0, |bytes| bytes.len());
            size += len;
            if !secret && keys.contains_key(key.as_str()) {
                out.push(
                    &KEYS,
                    path(),
                    format!("key `{key}` is in both `data` and `binaryData`"),
                );
            }
            keys.insert(key, (len, decoded));
        }
    }
    let kind = if secret { "Secret" } else { "ConfigMap" };
    if size > MAX_SIZE {
        let section = sections
            .iter()
            .find(|k| doc.value.field(k).is_some())
            .unwrap_or(&"data");
        out.push(
            &SIZE,
            format!("/{section}"),
            format!("a {kind} may hold at most 1048576 bytes of data (this one holds {size})"),
        );
    }
    if !secret {
        return;
    }
    // A missing key is reported where the keys are, so the report can show a line.
    let anchor = ["data", "stringData", "type"]
        .into_iter()
        .find(|k| doc.value.field(k).is_some())
        .map_or("/data".to_string(), |k| format!("/{k}"));
    let anchor = anchor.as_str();
    let has = |key: &str| keys.contains_key(key);
    let missing = |key: &str| {
        format!(
            "a Secret of type `{}` needs the key `{key}`",
            str_at(doc.value, "type").unwrap_or_default()
        )
    };
    match str_at(doc.value, "type").unwrap_or("Opaque") {
        "kubernetes.io/tls" => {
            for key in ["tls.crt", "tls.key"] {
                if !has(key) {
                    out.push(&TYPE_KEYS, anchor, missing(key));
                }
            }
        }
        "kubernetes.io/dockerconfigjson" => match keys.get(".dockerconfigjson") {
            None => out.push(&TYPE_KEYS, anchor, missing(".dockerconfigjson")),
            Some((_, Some(bytes))) if serde_json::from_slice::<Value>(bytes).is_err() => out.push(
                &TYPE_KEYS,
                "/data/.dockerconfigjson",
                "`.dockerconfigjson` must hold JSON",
            ),
            Some(_) => {}
        },
        "kubernetes.io/dockercfg" if !has(".dockercfg") => {
            out.push(&TYPE_KEYS, anchor, missing(".dockercfg"))
        }
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => out.push(
            &TYPE_KEYS,
            anchor,
            "a Secret of type `kubernetes.io/basic-auth` needs the key `username` or `password`",
        ),
        "kubernetes.io/ssh-auth" if !has("ssh-privatekey") => {
            out.push(&TYPE_KEYS, anchor, missing("ssh-privatekey"))
        }
        "kubernetes.io/service-account-token" => {
            let named = doc
                .value
                .pointer("/metadata/annotations/kubernetes.io~1service-account.name")
                .and_then(Value::as_str)
                .is_some_and(|n| !n.is_empty());
            if !named {
                out.push(&TYPE_KEYS, "/metadata", "a Secret of type `kubernetes.io/service-account-token` needs the annotation `kubernetes.io/service-account.name`");
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn messages(doc: Value) -> Vec<String> {
        super::super::check(&doc)
            .into_iter()
            .map(|f| format!("{} {}: {}", f.rule.id, f.path, f.message))
            .collect()
    }

    #[test]
    fn config_maps() {
        let cm = |data: Value, binary: Value| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": data, "binaryData": binary});
        assert!(
            messages(cm(
                json!({"app.properties": "a=1", "A_B-c": ""}),
                json!({"logo.png": "aGk="})
            ))
            .is_empty()
        );
        assert_eq!(
            messages(cm(json!({"a b": "x", "x": "1"}), json!({"x": "aGk="}))),
            vec![
                "config/keys /data/a b: key `a b` must be letters, digits, `-`, `_` and `.`",
                "config/keys /binaryData/x: key `x` is in both `data` and `binaryData`",
            ]
        );
    }

    #[test]
    fn secrets_never_quote_values() {
        let secret = |kind: &str, data: Value, string: Value| {
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                                                                   "type": kind, "data": data, "stringData": string})
        };
        assert!(
            messages(secret(
                "Opaque",
                json!({"a": "c2VjcmV0\n", "b": "c2VjcmV0MQ=="}),
                json!({"c": "plain"})
            ))
            .is_empty()
        );
        assert!(
            messages(secret(
                "kubernetes.io/tls",
                json!({"tls.crt": "eA=="}),
                json!({"tls.key": "k"})
            ))
            .is_empty()
        );
        assert!(
            messages(secret(
                "kubernetes.io/dockerconfigjson",
                json!({}),
                json!({".dockerconfigjson": "{\"auths\": {}}"})
            ))
            .is_empty()
        );
        let found = messages(secret(
            "kubernetes.io/tls",
            json!({"tls.crt": "hunter2!"}),
            json!({}),
        ));
        assert_eq!(
            found,
            vec![
                "secret/base64 /data/tls.crt: the value of `tls.crt` is not valid base64 (Secret `data` holds base64; put plain text under `stringData`)",
                "secret/type-keys /data: a Secret of type `kubernetes.io/tls` needs the key `tls.crt`",
                "secret/type-keys /data: a Secret of type `kubernetes.io/tls` needs the key `tls.key`",
            ]
        );
        assert!(found.iter().all(|m| !m.contains("hunter2")));
        assert_eq!(
            messages(secret(
                "kubernetes.io/dockerconfigjson",
                json!({".dockerconfigjson": "bm90IGpzb24="}),
                json!({})
            )),
            vec!["secret/type-keys /data/.dockerconfigjson: `.dockerconfigjson` must hold JSON"]
        );
        assert_eq!(
            messages(secret(
                "kubernetes.io/basic-auth",
                json!({}),
                json!({"user": "x"})
            ))
            .len(),
            1
        );
    }
}

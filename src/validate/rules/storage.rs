//! PersistentVolumeClaims: access modes and the storage request, as
//! `pkg/apis/core/validation/validation.go` `ValidatePersistentVolumeClaimSpec` checks them.

use serde_json::Value;

use super::{Doc, Out, Rule, quantity, scalar, str_at};
use super::{Field, Follow};

pub static ACCESS_MODES: Rule = Rule {
    id: "pvc/access-modes",
    kinds: "PersistentVolumeClaim",
    mirrors: "pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaimSpec",
};
pub static STORAGE: Rule = Rule {
    id: "pvc/storage",
    kinds: "PersistentVolumeClaim",
    mirrors: "pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaimSpec, validateBasicResource",
};

pub static RULES: &[&Rule] = &[&ACCESS_MODES, &STORAGE];

const MODES: [&str; 4] = [
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];

pub(super) fn check(doc: &Doc, out: &mut Out) {
    if !doc.is("", "PersistentVolumeClaim") {
        return;
    }
    let Some(spec) = doc.value.field("spec").filter(|s| s.is_object()) else {
        return;
    };
    let modes: Vec<&str> = spec
        .field("accessModes")
        .and_then(Value::as_array)
        .map(|m| m.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if spec
        .field("accessModes")
        .is_none_or(|m| m.as_array().is_some_and(Vec::is_empty))
    {
        out.push(
            &ACCESS_MODES,
            "/spec/accessModes",
            "at least one access mode is required",
        );
    }
    for (i, mode) in modes.iter().enumerate() {
        if !MODES.contains(mode) {
            out.push(
                &ACCESS_MODES,
                format!("/spec/accessModes/{i}"),
                format!(
                    "unsupported access mode `{mode}`: supported values are `{}`",
                    MODES.join("`, `")
                ),
            );
        }
    }
    if modes.contains(&"ReadWriteOncePod") && modes.len() > 1 {
        out.push(
            &ACCESS_MODES,
            "/spec/accessModes",
            "`ReadWriteOncePod` may not be combined with other access modes",
        );
    }
    if let Some(mode) = str_at(spec, "volumeMode")
        && !["Filesystem", "Block"].contains(&mode)
    {
        out.push(
            &ACCESS_MODES,
            "/spec/volumeMode",
            format!("unsupported volumeMode `{mode}`: supported values are `Filesystem`, `Block`"),
        );
    }
    match spec.follow("/resources/requests/storage") {
        None => out.push(
            &STORAGE,
            "/spec/resources/requests/storage",
            "resources.requests.storage is required",
        ),
        Some(amount) => match quantity::parse(amount) {
            Err(problem) => out.push(
                &STORAGE,
                "/spec/resources/requests/storage",
                format!("storage `{}` {problem}", scalar(amount)),
            ),
            Ok(v) if v <= 0.0 => out.push(
                &STORAGE,
                "/spec/resources/requests/storage",
                "storage must be greater than zero",
            ),
            Ok(_) => {}
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn messages(spec: Value) -> Vec<String> {
        let doc = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"}, "spec": spec});
        super::super::check(&doc)
            .into_iter()
            .map(|f| format!("{} {}: {}", f.rule.id, f.path, f.message))
            .collect()
    }

    #[test]
    fn claims() {
        assert!(messages(json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}})).is_empty());
        assert_eq!(
            messages(json!({"accessModes": [], "resources": {"requests": {"storage": "0"}}})),
            vec![
                "pvc/access-modes /spec/accessModes: at least one access mode is required",
                "pvc/storage /spec/resources/requests/storage: storage must be greater than zero",
            ]
        );
        assert_eq!(
            messages(json!({"accessModes": ["ReadWriteOncePod", "ReadOnlyMany"]})),
            vec![
                "pvc/access-modes /spec/accessModes: `ReadWriteOncePod` may not be combined with other access modes",
                "pvc/storage /spec/resources/requests/storage: resources.requests.storage is required",
            ]
        );
    }
}

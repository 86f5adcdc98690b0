//! RBAC: policy rules, role references and subjects, as `pkg/apis/rbac/validation/validation.go`
//! checks them after `pkg/apis/rbac/v1/defaults.go` fills in empty API groups.

use serde_json::Value;

use super::Field;
use super::{Doc, Out, Rule, formats, items, str_at};

pub static POLICY_RULES: Rule = Rule {
    id: "rbac/policy-rules",
    kinds: "Role, ClusterRole",
    mirrors: "pkg/apis/rbac/validation/validation.go validatePolicyRule",
};
pub static ROLE_REF: Rule = Rule {
    id: "rbac/role-ref",
    kinds: "RoleBinding, ClusterRoleBinding",
    mirrors: "pkg/apis/rbac/validation/validation.go ValidateRoleBinding, ValidateClusterRoleBinding",
};
pub static SUBJECTS: Rule = Rule {
    id: "rbac/subjects",
    kinds: "RoleBinding, ClusterRoleBinding",
    mirrors: "pkg/apis/rbac/validation/validation.go validateRoleBindingSubject",
};

pub static RULES: &[&Rule] = &[&POLICY_RULES, &ROLE_REF, &SUBJECTS];

const GROUP: &str = "rbac.authorization.k8s.io";

fn count(value: &Value, key: &str) -> usize {
    value
        .field(key)
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

pub(super) fn check(doc: &Doc, out: &mut Out) {
    if doc.group != GROUP {
        return;
    }
    match doc.kind {
        "Role" | "ClusterRole" => check_rules(doc.value, doc.kind == "Role", out),
        "RoleBinding" | "ClusterRoleBinding" => {
            check_binding(doc.value, doc.kind == "RoleBinding", out);
        }
        _ => {}
    }
}

fn check_rules(role: &Value, namespaced: bool, out: &mut Out) {
    for (i, rule) in items(role, "rules") {
        let path = format!("/rules/{i}");
        if !rule.is_object() {
            continue;
        }
        if count(rule, "verbs") == 0 {
            out.push(
                &POLICY_RULES,
                format!("{path}/verbs"),
                "verbs must contain at least one value",
            );
        }
        if count(rule, "nonResourceURLs") > 0 {
            if namespaced {
                out.push(
                    &POLICY_RULES,
                    format!("{path}/nonResourceURLs"),
                    "a Role's rules cannot apply to non-resource URLs (only a ClusterRole's can)",
                );
            }
            if count(rule, "apiGroups") + count(rule, "resources") + count(rule, "resourceNames")
                > 0
            {
                out.push(
                    &POLICY_RULES,
                    format!("{path}/nonResourceURLs"),
                    "a rule cannot apply to both resources and non-resource URLs",
                );
            }
            continue;
        }
        if count(rule, "apiGroups") == 0 {
            out.push(
                &POLICY_RULES,
                format!("{path}/apiGroups"),
                "resource rules must supply at least one api group (`\"\"` for the core group)",
            );
        }
        if count(rule, "resources") == 0 {
            out.push(
                &POLICY_RULES,
                format!("{path}/resources"),
                "resource rules must supply at least one resource",
            );
        }
        if count(rule, "resourceNames") > 0 && count(rule, "resources") > 1 {
            out.push(
                &POLICY_RULES,
                format!("{path}/resourceNames"),
                "resource names cannot apply to multiple resources",
            );
        }
    }
}

fn check_binding(binding: &Value, namespaced: bool, out: &mut Out) {
    if let Some(role_ref) = binding.field("roleRef").filter(|r| r.is_object()) {
        let group = str_at(role_ref, "apiGroup").unwrap_or(GROUP);
        if group != GROUP {
            out.push(
                &ROLE_REF,
                "/roleRef/apiGroup",
                format!("unsupported roleRef.apiGroup `{group}`: supported value is `{GROUP}`"),
            );
        }
        let allowed: &[&str] = if namespaced {
            &["Role", "ClusterRole"]
        } else {
            &["ClusterRole"]
        };
        if let Some(kind) = str_at(role_ref, "kind").or(role_ref.field("kind").map(|_| ""))
            && !allowed.contains(&kind)
        {
            out.push(
                &ROLE_REF,
                "/roleRef/kind",
                format!(
                    "unsupported roleRef.kind `{kind}`: supported values are `{}`",
                    allowed.join("`, `")
                ),
            );
        }
        match str_at(role_ref, "name") {
            None => out.push(&ROLE_REF, "/roleRef/name", "roleRef.name is required"),
            Some(name) => {
                if let Some(problem) = formats::path_segment(name) {
                    out.push(
                        &ROLE_REF,
                        "/roleRef/name",
                        format!("roleRef.name `{name}` {problem}"),
                    );
                }
            }
        }
    }
    for (i, subject) in items(binding, "subjects") {
        let path = format!("/subjects/{i}");
        if !subject.is_object() {
            continue;
        }
        let name = str_at(subject, "name");
        if name.is_none() {
            out.push(
                &SUBJECTS,
                format!("{path}/name"),
                "a subject's `name` is required",
            );
        }
        let group = str_at(subject, "apiGroup");
        match str_at(subject, "kind").unwrap_or_default() {
            "ServiceAccount" => {
                if let Some(name) = name
                    && let Some(problem) = formats::dns1123_subdomain(name)
                {
                    out.push(&SUBJECTS, format!("{path}/name"), format!("ServiceAccount name `{name}` {problem}"));
                }
                if let Some(group) = group {
                    out.push(&SUBJECTS, format!("{path}/apiGroup"), format!("a ServiceAccount subject's apiGroup must be empty, not `{group}`"));
                }
                if !namespaced && str_at(subject, "namespace").is_none() {
                    out.push(&SUBJECTS, format!("{path}/namespace"), "a ServiceAccount subject of a ClusterRoleBinding needs a `namespace`");
                }
            }
            "User" | "Group" => {
                if let Some(group) = group
                    && group != GROUP
                {
                    out.push(&SUBJECTS, format!("{path}/apiGroup"), format!("unsupported apiGroup `{group}`: supported value is `{GROUP}`"));
                }
            }
            other => out.push(&SUBJECTS, format!("{path}/kind"), format!("unsupported subject kind `{other}`: supported values are `ServiceAccount`, `User`, `Group`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn messages(kind: &str, body: Value) -> Vec<String> {
        let mut doc = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": {"name": "r"}});
        doc.as_object_mut()
            .unwrap()
            .extend(body.as_object().unwrap().clone());
        super::super::check(&doc)
            .into_iter()
            .map(|f| format!("{} {}: {}", f.rule.id, f.path, f.message))
            .collect()
    }

    #[test]
    fn roles() {
        assert!(
            messages(
                "Role",
                json!({"rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]})
            )
            .is_empty()
        );
        assert!(
            messages(
                "ClusterRole",
                json!({"rules": [{"nonResourceURLs": ["/healthz"], "verbs": ["get"]}]})
            )
            .is_empty()
        );
        assert!(
            messages(
                "ClusterRole",
                json!({"aggregationRule": {"clusterRoleSelectors": []}})
            )
            .is_empty()
        );
        assert_eq!(
            messages(
                "Role",
                json!({"rules": [{"resources": ["pods", "secrets"], "resourceNames": ["a"], "verbs": []},
                                                     {"nonResourceURLs": ["/x"], "verbs": ["get"]}]})
            ),
            vec![
                "rbac/policy-rules /rules/0/verbs: verbs must contain at least one value",
                "rbac/policy-rules /rules/0/apiGroups: resource rules must supply at least one api group (`\"\"` for the core group)",
                "rbac/policy-rules /rules/0/resourceNames: resource names cannot apply to multiple resources",
                "rbac/policy-rules /rules/1/nonResourceURLs: a Role's rules cannot apply to non-resource URLs (only a ClusterRole's can)",
            ]
        );
    }

    #[test]
    fn bindings() {
        let ok = json!({"roleRef": {"kind": "ClusterRole", "name": "system:auth-delegator"},
                        "subjects": [{"kind": "ServiceAccount", "name": "web", "namespace": "shop"},
                                     {"kind": "User", "name": "jane"}, {"kind": "Group", "name": "devs", "apiGroup": "rbac.authorization.k8s.io"}]});
        assert!(messages("ClusterRoleBinding", ok.clone()).is_empty());
        assert!(messages("RoleBinding", ok).is_empty());
        assert!(messages("RoleBinding", json!({"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
                                               "subjects": [{"kind": "ServiceAccount", "name": "web"}]})).is_empty());
        assert_eq!(
            messages(
                "ClusterRoleBinding",
                json!({"roleRef": {"kind": "Role", "name": "r"},
                                                         "subjects": [{"kind": "ServiceAccount", "name": "web", "apiGroup": "v1"}, {"kind": "Team", "name": "x"}]})
            ),
            vec![
                "rbac/role-ref /roleRef/kind: unsupported roleRef.kind `Role`: supported values are `ClusterRole`",
                "rbac/subjects /subjects/0/apiGroup: a ServiceAccount subject's apiGroup must be empty, not `v1`",
                "rbac/subjects /subjects/0/namespace: a ServiceAccount subject of a ClusterRoleBinding needs a `namespace`",
                "rbac/subjects /subjects/1/kind: unsupported subject kind `Team`: supported values are `ServiceAccount`, `User`, `Group`",
            ]
        );
    }
}

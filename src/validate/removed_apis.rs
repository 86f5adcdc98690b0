//! Known API removals up to the oldest bundled schema version, with what replaced them: the
//! versions bosun carries schemas for cannot say what was removed before them. Also the custom
//! resource versions their project no longer serves (its CRD keeps them with `served: false`).

/// `(apiVersion, kind, removed in, replacement)`; an empty replacement: nothing replaced it.
#[rustfmt::skip]
pub(super) const REMOVED_BEFORE_BUNDLE: &[(&str, &str, &str, &str)] = &[
    ("policy/v1beta1",                        "PodDisruptionBudget",             "1.25",  "policy/v1"),
    ("policy/v1beta1",                        "PodSecurityPolicy",               "1.25",  ""),
    ("autoscaling/v2beta1",                   "HorizontalPodAutoscaler",         "1.25",  "autoscaling/v2"),
    ("batch/v1beta1",                         "CronJob",                         "1.25",  "batch/v1"),
    ("discovery.k8s.io/v1beta1",              "EndpointSlice",                   "1.25",  "discovery.k8s.io/v1"),
    ("events.k8s.io/v1beta1",                 "Event",                           "1.25",  "events.k8s.io/v1"),
    ("node.k8s.io/v1beta1",                   "RuntimeClass",                    "1.25",  "node.k8s.io/v1"),
    ("extensions/v1beta1",                    "Ingress",                         "1.22",  "networking.k8s.io/v1"),
    ("networking.k8s.io/v1beta1",             "Ingress",                         "1.22",  "networking.k8s.io/v1"),
    ("networking.k8s.io/v1beta1",             "IngressClass",                    "1.22",  "networking.k8s.io/v1"),
    ("extensions/v1beta1",                    "Deployment",                      "1.16",  "apps/v1"),
    ("extensions/v1beta1",                    "DaemonSet",                       "1.16",  "apps/v1"),
    ("extensions/v1beta1",                    "ReplicaSet",                      "1.16",  "apps/v1"),
    ("extensions/v1beta1",                    "NetworkPolicy",                   "1.16",  "networking.k8s.io/v1"),
    ("extensions/v1beta1",                    "PodSecurityPolicy",               "1.16",  ""),
    ("apps/v1beta1",                          "Deployment",                      "1.16",  "apps/v1"),
    ("apps/v1beta1",                          "StatefulSet",                     "1.16",  "apps/v1"),
    ("apps/v1beta2",                          "Deployment",                      "1.16",  "apps/v1"),
    ("apps/v1beta2",                          "StatefulSet",                     "1.16",  "apps/v1"),
    ("apps/v1beta2",                          "DaemonSet",                       "1.16",  "apps/v1"),
    ("apps/v1beta2",                          "ReplicaSet",                      "1.16",  "apps/v1"),
    ("rbac.authorization.k8s.io/v1beta1",     "Role",                            "1.22",  "rbac.authorization.k8s.io/v1"),
    ("rbac.authorization.k8s.io/v1beta1",     "RoleBinding",                     "1.22",  "rbac.authorization.k8s.io/v1"),
    ("rbac.authorization.k8s.io/v1beta1",     "ClusterRole",                     "1.22",  "rbac.authorization.k8s.io/v1"),
    ("rbac.authorization.k8s.io/v1beta1",     "ClusterRoleBinding",              "1.22",  "rbac.authorization.k8s.io/v1"),
    ("apiextensions.k8s.io/v1beta1",          "CustomResourceDefinition",        "1.22",  "apiextensions.k8s.io/v1"),
    ("admissionregistration.k8s.io/v1beta1",  "MutatingWebhookConfiguration",    "1.22",  "admissionregistration.k8s.io/v1"),
    ("admissionregistration.k8s.io/v1beta1",  "ValidatingWebhookConfiguration",  "1.22",  "admissionregistration.k8s.io/v1"),
    ("scheduling.k8s.io/v1beta1",             "PriorityClass",                   "1.22",  "scheduling.k8s.io/v1"),
    ("storage.k8s.io/v1beta1",                "StorageClass",                    "1.22",  "storage.k8s.io/v1"),
    ("coordination.k8s.io/v1beta1",           "Lease",                           "1.22",  "coordination.k8s.io/v1"),
];

/// `(apiVersion, kind, project, removed in its release, replacement)`: custom resource versions
/// whose project's CRDs no longer serve them. Only when no schema is known for them: a chart's
/// `crds/` or `--crd` that still serves one (an older operator) wins.
#[rustfmt::skip]
pub(super) const UNSERVED_CUSTOM: &[(&str, &str, &str, &str, &str)] = &[
    // external-secrets v0.17 stopped serving v1beta1; v2.9's bundle.yaml keeps it with served: false.
    ("external-secrets.io/v1beta1",  "ExternalSecret",         "external-secrets",  "0.17",  "external-secrets.io/v1"),
    ("external-secrets.io/v1beta1",  "SecretStore",            "external-secrets",  "0.17",  "external-secrets.io/v1"),
    ("external-secrets.io/v1beta1",  "ClusterSecretStore",     "external-secrets",  "0.17",  "external-secrets.io/v1"),
    ("external-secrets.io/v1beta1",  "ClusterExternalSecret",  "external-secrets",  "0.17",  "external-secrets.io/v1"),
];

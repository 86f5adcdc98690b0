//! The bundled custom resource schemas against what upstream serves today (schemas/crds/,
//! DIFFERENCES.md there): versions upstream stopped serving, fields newer releases added, and
//! the kinds added for Gateway API and Istio security with the CEL rules they mirror.

use crate::run_with_stdin;

/// The JSON verdicts of `bosun validate -o json -` on `yaml`, plus `extra` arguments.
fn verdicts(yaml: &str, extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut args = vec!["validate", "-o", "json"];
    args.extend_from_slice(extra);
    args.push("-");
    let (code, stdout, stderr) = run_with_stdin(args, yaml.as_bytes());
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stdout}{stderr}"));
    (code, report["resources"].as_array().unwrap().clone())
}

/// The (path, message) of every error of one verdict.
fn errors(resource: &serde_json::Value) -> Vec<(String, String)> {
    resource["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    (
                        e["path"].as_str().unwrap_or_default().to_string(),
                        e["message"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[track_caller]
fn assert_all_valid(yaml: &str) {
    let (code, resources) = verdicts(yaml, &[]);
    for resource in &resources {
        assert_eq!(
            resource["status"], "valid",
            "{} {}: {:?}",
            resource["kind"], resource["name"], resource["errors"]
        );
    }
    assert_eq!(code, 0);
}

/// The one error of a one-document `yaml`.
#[track_caller]
fn single_error(yaml: &str) -> (String, String) {
    let (code, resources) = verdicts(yaml, &[]);
    assert_eq!(code, 1, "{resources:?}");
    let errors = errors(&resources[0]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors[0].clone()
}

#[test]
fn external_secrets_v1beta1_is_refused_as_no_longer_served_naming_v1() {
    for kind in ["ExternalSecret", "SecretStore", "ClusterSecretStore"] {
        let yaml = format!(
            "apiVersion: external-secrets.io/v1beta1\nkind: {kind}\nmetadata: {{name: a, namespace: shop}}\nspec: {{}}\n"
        );
        let (path, message) = single_error(&yaml);
        assert_eq!(path, "/apiVersion");
        assert_eq!(
            message,
            format!(
                "external-secrets.io/v1beta1 {kind} is not served by external-secrets (removed in 0.17); use apiVersion: external-secrets.io/v1"
            )
        );
    }
}

/// A CRD given with `--crd` whose v1beta1 is `served: true` (an operator older than 0.17) is
/// what the cluster serves: its schema wins over bosun's "no longer served". One that keeps
/// v1beta1 with `served: false`, as external-secrets v2 does, does not bring it back.
#[test]
fn a_crd_still_serving_v1beta1_wins_and_one_with_served_false_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let crd = |served: bool| {
        format!(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {{name: externalsecrets.external-secrets.io}}\nspec:\n  group: external-secrets.io\n  names: {{kind: ExternalSecret, plural: externalsecrets}}\n  scope: Namespaced\n  versions:\n    - name: v1beta1\n      served: {served}\n      storage: false\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec: {{type: object, x-kubernetes-preserve-unknown-fields: true}}\n"
        )
    };
    let document = "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: a, namespace: shop}\nspec: {refreshInterval: 1h}\n";
    let old = dir.path().join("old.yaml");
    std::fs::write(&old, crd(true)).unwrap();
    let (code, resources) = verdicts(document, &["--crd", old.to_str().unwrap()]);
    assert_eq!(code, 0, "{resources:?}");
    assert_eq!(resources[0]["status"], "valid");

    let new = dir.path().join("new.yaml");
    std::fs::write(&new, crd(false)).unwrap();
    let (code, resources) = verdicts(document, &["--crd", new.to_str().unwrap()]);
    assert_eq!(code, 1);
    let errors = errors(&resources[0]);
    assert!(
        errors[0].1.contains("is not served by external-secrets"),
        "{errors:?}"
    );
}

/// Regression: fields that external-secrets v2.9, prometheus-operator v0.93, cert-manager v1.21,
/// Istio 1.30 and Argo Rollouts 1.9 accept were refused as unknown by the older schemas.
#[test]
fn fields_of_the_current_upstream_releases_are_not_refused() {
    assert_all_valid(
        r#"apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: db, namespace: shop}
spec:
  refreshInterval: 1h
  secretStoreRef: {name: aws, kind: ClusterSecretStore}
  target:
    name: db
    creationPolicy: CreateOrMerge
    manifest: {apiVersion: v1, kind: ConfigMap}
    template:
      metadata: {finalizers: [shop.example.com/keep]}
      templateFrom:
        - target: spec.data
          literal: "{{ .password }}"
          valuesDecodingStrategy: Base64
  data:
    - secretKey: password
      remoteRef: {key: shop/db, property: password, nullBytePolicy: Fail}
  dataFrom:
    - extract: {key: shop/extra}
      rewrite:
        - merge: {strategy: JSON, conflictPolicy: Error}
  syncWindows:
    kind: deny
    windows:
      - {schedule: "0 22 * * *", duration: 8h}
---
apiVersion: external-secrets.io/v1
kind: SecretStore
metadata: {name: aws, namespace: shop}
spec:
  refreshInterval: 1h
  provider:
    aws:
      service: CertificateManager
      region: us-east-1
      sessionTagsPolicy: Custom
      customSessionTags: {team: shop}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  serviceDiscoveryRole: EndpointSlice
  selectorMechanism: RoleSelector
  fallbackScrapeProtocol: PrometheusText0.0.4
  endpoints:
    - {port: http, scheme: HTTPS}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web, namespace: shop}
spec:
  secretName: web-tls
  dnsNames: [shop.example.com]
  issuerRef: {name: letsencrypt, kind: ClusterIssuer}
  signatureAlgorithm: ECDSAWithSHA384
  keystores:
    pkcs12: {create: true, password: changeit, profile: Modern2026}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  hosts: [web]
  http:
    - route:
        - destination: {host: web}
      retries: {attempts: 3, backoff: 25ms, retryIgnorePreviousHosts: true}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: shop}
spec:
  host: web
  trafficPolicy:
    retryBudget: {percent: 20, minRetryConcurrency: 5}
"#,
    );
}

#[test]
fn a_certificate_keystore_needs_exactly_one_password_source() {
    let (path, _) = single_error(
        "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: web, namespace: shop}\nspec:\n  secretName: web-tls\n  issuerRef: {name: ca}\n  keystores:\n    jks: {create: true}\n",
    );
    assert_eq!(path, "/spec/keystores/jks");
}

/// The CEL rules of the Gateway API and Istio security CRDs that a JSON Schema can say, each
/// with the message upstream gives: the document the API server refuses is refused here too.
#[test]
fn gateway_api_and_istio_security_cel_rules_bosun_mirrors() {
    let gateway = |listener: &str| {
        format!(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {{name: public, namespace: gateway}}\nspec:\n  gatewayClassName: istio\n  listeners:\n    - {listener}\n"
        )
    };
    // "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"
    let (path, _) = single_error(&gateway(
        "{name: http, port: 80, protocol: HTTP, tls: {certificateRefs: [{name: cert}]}}",
    ));
    assert_eq!(path, "/spec/listeners/0");
    // "tls mode must be set for protocol TLS" (a missing tls, since the mode has a default)
    let (path, _) = single_error(&gateway("{name: tls, port: 443, protocol: TLS}"));
    assert_eq!(path, "/spec/listeners/0/tls");
    // "hostname must not be specified for protocols ['TCP', 'UDP']"
    let (path, _) = single_error(&gateway(
        "{name: db, port: 5432, protocol: TCP, hostname: db.example.com}",
    ));
    assert_eq!(path, "/spec/listeners/0");

    let route = |rule: &str| {
        format!(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: web, namespace: shop}}\nspec:\n  parentRefs: [{{name: public}}]\n  rules:\n    - {rule}\n"
        )
    };
    // "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"
    let (path, _) = single_error(&route(
        "{matches: [{path: {type: PathPrefix, value: api}}], backendRefs: [{name: web, port: 80}]}",
    ));
    assert_eq!(path, "/spec/rules/0/matches/0/path/value");
    // "must not contain '//' when type one of ['Exact', 'PathPrefix']"
    let (path, _) = single_error(&route(
        "{matches: [{path: {value: /api//v1}}], backendRefs: [{name: web, port: 80}]}",
    ));
    assert_eq!(path, "/spec/rules/0/matches/0/path/value");
    // "filter.requestRedirect must be specified for RequestRedirect filter.type"
    let (path, _) = single_error(&route(
        "{filters: [{type: RequestRedirect, urlRewrite: {hostname: example.com}}]}",
    ));
    assert_eq!(path, "/spec/rules/0/filters/0/requestRedirect");
    // A RegularExpression path is not held to the absolute-path rules.
    assert_all_valid(&route(
        "{matches: [{path: {type: RegularExpression, value: '.*//x'}}], backendRefs: [{name: web, port: 80}]}",
    ));

    // "only one of targetRefs or selector can be set"
    let (path, _) = single_error(
        "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: a, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: public}]\n",
    );
    assert_eq!(path, "/spec");
    // "wildcard not allowed in label key match"
    let (path, _) = single_error(
        "apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata: {name: a, namespace: shop}\nspec:\n  selector: {matchLabels: {'app*': web}}\n",
    );
    assert!(path.starts_with("/spec/selector/matchLabels"), "{path}");
    // The same rule on a DestinationRule's workloadSelector ("wildcard not allowed in label
    // value match").
    let (path, _) = single_error(
        "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: a, namespace: shop}\nspec:\n  host: web\n  workloadSelector: {matchLabels: {app: 'web*'}}\n",
    );
    assert_eq!(path, "/spec/workloadSelector/matchLabels/app");
}

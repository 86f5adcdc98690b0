//! The CEL rules (`x-kubernetes-validations`) of custom resource schemas: for each rule bosun
//! adds to its bundled schemas (schemas/crds/cel-rules.yaml), a manifest the API server refuses
//! and its valid twin, with the message expected; and a CRD's own rules, from `--crd` and from a
//! chart's crds/ folder, with messageExpression, fieldPath, reason and the rules bosun skips.

use std::fmt::Write as _;

use crate::{root, run};

/// One rule: a document it refuses (`bad`) and the twin it accepts (`good`), each the `spec`
/// under `header`, and where and what the refusal says.
struct Case {
    rule: &'static str,
    header: &'static str,
    bad: String,
    good: String,
    path: &'static str,
    message: &'static str,
}

const GATEWAY: &str = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: NAME, namespace: shop}\nspec:\n  gatewayClassName: public\n";
const HTTPROUTE: &str = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: NAME, namespace: shop}\nspec:\n";
const GRPCROUTE: &str = "apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: NAME, namespace: shop}\nspec:\n";
const ISSUER: &str =
    "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: NAME}\nspec:\n";
const STORE: &str = "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: NAME, namespace: shop}\nspec:\n  provider:\n";

const LISTENER: &str = "  listeners:\n    - {name: http, port: 80, protocol: HTTP}\n";
const PARENT: &str = "  parentRefs:\n    - {name: public}\n";

fn case(
    rule: &'static str,
    header: &'static str,
    bad: &str,
    good: &str,
    path: &'static str,
    message: &'static str,
) -> Case {
    Case {
        rule,
        header,
        bad: bad.to_string(),
        good: good.to_string(),
        path,
        message,
    }
}

/// A route whose `rules` hold `matches` matches each, `rules` times.
fn many_matches(rules: usize, matches: usize, grpc: bool) -> String {
    let mut spec = format!("{PARENT}  rules:\n");
    for _ in 0..rules {
        spec.push_str("    - matches:\n");
        for m in 0..matches {
            if grpc {
                writeln!(
                    spec,
                    "        - method: {{service: shop.Orders, method: M{m}}}"
                )
                .unwrap();
            } else {
                writeln!(spec, "        - path: {{type: PathPrefix, value: /p{m}}}").unwrap();
            }
        }
        spec.push_str("      backendRefs:\n        - {name: web, port: 80}\n");
    }
    spec
}

/// An HTTPRoute with one rule holding `filters` (list items at 8 spaces) and `rest`.
fn http_rule(filters: &str, rest: &str) -> String {
    format!("{PARENT}  rules:\n    - filters:\n{filters}{rest}")
}

/// `filters` list items moved from under a rule (8 spaces) to under a backendRef (10).
fn indent(filters: &str) -> String {
    filters.lines().map(|line| format!("  {line}\n")).collect()
}

fn cases() -> Vec<Case> {
    let header_mod = "        - type: RequestHeaderModifier\n          requestHeaderModifier: {set: [{name: x-a, value: \"1\"}]}\n";
    let response_mod = "        - type: ResponseHeaderModifier\n          responseHeaderModifier: {set: [{name: x-b, value: \"1\"}]}\n";
    let redirect = "        - type: RequestRedirect\n          requestRedirect: {scheme: https}\n";
    let rewrite = "        - type: URLRewrite\n          urlRewrite: {hostname: new.example.com}\n";
    let backend = "      backendRefs:\n        - {name: web, port: 80}\n";
    let prefix_redirect = "        - type: RequestRedirect\n          requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}\n";
    let prefix_rewrite = "        - type: URLRewrite\n          urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}\n";
    let two_prefix_matches = "      matches:\n        - path: {type: PathPrefix, value: /a}\n        - path: {type: PathPrefix, value: /b}\n";
    let one_prefix_match = "      matches:\n        - path: {type: PathPrefix, value: /a}\n";
    let mirror = |numerator: u32| {
        format!(
            "        - type: RequestMirror\n          requestMirror: {{backendRef: {{name: mirror, port: 80}}, fraction: {{numerator: {numerator}}}}}\n"
        )
    };
    let grpc_rule = |filters: &str| {
        format!(
            "{PARENT}  rules:\n    - filters:\n{filters}      backendRefs:\n        - {{name: orders, port: 50051}}\n"
        )
    };
    vec![
        case(
            "gateway/listener-names-unique",
            GATEWAY,
            "  listeners:\n    - {name: web, port: 80, protocol: HTTP}\n    - {name: web, port: 8080, protocol: HTTP}\n",
            "  listeners:\n    - {name: web, port: 80, protocol: HTTP}\n    - {name: web-alt, port: 8080, protocol: HTTP}\n",
            "/spec/listeners",
            "Listener name must be unique within the Gateway",
        ),
        case(
            "gateway/listener-port-protocol-hostname-unique",
            GATEWAY,
            "  listeners:\n    - {name: a, port: 80, protocol: HTTP, hostname: a.example.com}\n    - {name: b, port: 80, protocol: HTTP, hostname: a.example.com}\n",
            "  listeners:\n    - {name: a, port: 80, protocol: HTTP, hostname: a.example.com}\n    - {name: b, port: 80, protocol: HTTP, hostname: b.example.com}\n",
            "/spec/listeners",
            "Combination of port, protocol and hostname must be unique for each listener",
        ),
        case(
            "gateway/ip-addresses-unique",
            GATEWAY,
            &format!(
                "{LISTENER}  addresses:\n    - {{value: 10.0.0.1}}\n    - {{type: IPAddress, value: 10.0.0.1}}\n"
            ),
            &format!(
                "{LISTENER}  addresses:\n    - {{value: 10.0.0.1}}\n    - {{type: IPAddress, value: 10.0.0.2}}\n"
            ),
            "/spec/addresses",
            "IPAddress values must be unique",
        ),
        case(
            "gateway/hostname-addresses-unique",
            GATEWAY,
            &format!(
                "{LISTENER}  addresses:\n    - {{type: Hostname, value: lb.example.com}}\n    - {{type: Hostname, value: lb.example.com}}\n"
            ),
            &format!(
                "{LISTENER}  addresses:\n    - {{type: Hostname, value: lb.example.com}}\n    - {{type: Hostname, value: lb2.example.com}}\n"
            ),
            "/spec/addresses",
            "Hostname values must be unique",
        ),
        case(
            "gateway/tls-per-port-unique",
            GATEWAY,
            &format!(
                "{LISTENER}  tls:\n    frontend:\n      perPort:\n        - {{port: 443}}\n        - {{port: 443}}\n"
            ),
            &format!(
                "{LISTENER}  tls:\n    frontend:\n      perPort:\n        - {{port: 443}}\n        - {{port: 8443}}\n"
            ),
            "/spec/tls/frontend/perPort",
            "Port for TLS configuration must be unique within the Gateway",
        ),
        case(
            "route/parent-section-name-required",
            HTTPROUTE,
            "  parentRefs:\n    - {name: public, sectionName: https}\n    - {name: public}\n",
            "  parentRefs:\n    - {name: public, sectionName: https}\n    - {name: public, sectionName: http}\n",
            "/spec/parentRefs",
            "sectionName must be specified when parentRefs includes 2 or more references to the same parent",
        ),
        case(
            "route/parent-section-name-unique",
            HTTPROUTE,
            "  parentRefs:\n    - {name: public}\n    - {name: public, kind: Gateway, group: gateway.networking.k8s.io}\n",
            "  parentRefs:\n    - {name: public}\n    - {name: public, namespace: other}\n",
            "/spec/parentRefs",
            "sectionName must be unique when parentRefs includes 2 or more references to the same parent",
        ),
        case(
            "route/parent-section-name-required",
            GRPCROUTE,
            "  parentRefs:\n    - {name: public, sectionName: grpc}\n    - {name: public}\n",
            "  parentRefs:\n    - {name: public, sectionName: grpc}\n    - {name: public, sectionName: grpcs}\n",
            "/spec/parentRefs",
            "sectionName must be specified when parentRefs includes 2 or more references to the same parent",
        ),
        case(
            "httproute/matches-at-most-128",
            HTTPROUTE,
            &many_matches(3, 43, false),
            &many_matches(3, 42, false),
            "/spec/rules",
            "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128",
        ),
        case(
            "grpcroute/matches-at-most-128",
            GRPCROUTE,
            &many_matches(3, 43, true),
            &many_matches(3, 42, true),
            "/spec/rules",
            "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128",
        ),
        case(
            "httproute/redirect-without-backends",
            HTTPROUTE,
            &http_rule(redirect, backend),
            &http_rule(redirect, ""),
            "/spec/rules/0",
            "RequestRedirect filter must not be used together with backendRefs",
        ),
        case(
            "httproute/redirect-prefix-needs-one-prefix-match",
            HTTPROUTE,
            &http_rule(prefix_redirect, two_prefix_matches),
            &http_rule(prefix_redirect, one_prefix_match),
            "/spec/rules/0",
            "When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
        ),
        case(
            "httproute/rewrite-prefix-needs-one-prefix-match",
            HTTPROUTE,
            &http_rule(prefix_rewrite, &format!("{two_prefix_matches}{backend}")),
            &http_rule(prefix_rewrite, &format!("{one_prefix_match}{backend}")),
            "/spec/rules/0",
            "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
        ),
        case(
            "httproute/backend-redirect-prefix-needs-one-prefix-match",
            HTTPROUTE,
            &format!(
                "{PARENT}  rules:\n    -{}      backendRefs:\n        - name: web\n          port: 80\n          filters:\n{}",
                &two_prefix_matches[5..],
                indent(prefix_redirect)
            ),
            &format!(
                "{PARENT}  rules:\n    -{}      backendRefs:\n        - name: web\n          port: 80\n          filters:\n{}",
                &one_prefix_match[5..],
                indent(prefix_redirect)
            ),
            "/spec/rules/0",
            "Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
        ),
        case(
            "httproute/backend-rewrite-prefix-needs-one-prefix-match",
            HTTPROUTE,
            &format!(
                "{PARENT}  rules:\n    -{}      backendRefs:\n        - name: web\n          port: 80\n          filters:\n{}",
                &two_prefix_matches[5..],
                indent(prefix_rewrite)
            ),
            &format!(
                "{PARENT}  rules:\n    -{}      backendRefs:\n        - name: web\n          port: 80\n          filters:\n{}",
                &one_prefix_match[5..],
                indent(prefix_rewrite)
            ),
            "/spec/rules/0",
            "Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
        ),
        case(
            "httproute/filters-not-repeated",
            HTTPROUTE,
            &http_rule(&format!("{header_mod}{header_mod}"), backend),
            &http_rule(header_mod, backend),
            "/spec/rules/0/filters",
            "RequestHeaderModifier filter cannot be repeated",
        ),
        case(
            "httproute/filters-not-repeated",
            HTTPROUTE,
            &http_rule(&format!("{response_mod}{response_mod}"), backend),
            &http_rule(&format!("{response_mod}{header_mod}"), backend),
            "/spec/rules/0/filters",
            "ResponseHeaderModifier filter cannot be repeated",
        ),
        case(
            "httproute/filters-not-repeated",
            HTTPROUTE,
            &http_rule(&format!("{redirect}{redirect}"), ""),
            &http_rule(redirect, ""),
            "/spec/rules/0/filters",
            "RequestRedirect filter cannot be repeated",
        ),
        case(
            "httproute/filters-not-repeated",
            HTTPROUTE,
            &http_rule(&format!("{rewrite}{rewrite}"), backend),
            &http_rule(rewrite, backend),
            "/spec/rules/0/filters",
            "URLRewrite filter cannot be repeated",
        ),
        case(
            "httproute/redirect-or-rewrite",
            HTTPROUTE,
            &http_rule(&format!("{redirect}{rewrite}"), ""),
            &http_rule(rewrite, ""),
            "/spec/rules/0/filters",
            "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both",
        ),
        case(
            "httproute/backend-timeout-within-request",
            HTTPROUTE,
            &format!(
                "{PARENT}  rules:\n    - timeouts: {{request: 10s, backendRequest: 1m}}\n{backend}"
            ),
            &format!(
                "{PARENT}  rules:\n    - timeouts: {{request: 1m, backendRequest: 10s}}\n{backend}"
            ),
            "/spec/rules/0/timeouts",
            "backendRequest timeout cannot be longer than request timeout",
        ),
        case(
            "httproute/mirror-fraction",
            HTTPROUTE,
            &http_rule(&mirror(150), backend),
            &http_rule(&mirror(50), backend),
            "/spec/rules/0/filters",
            "numerator must be less than or equal to denominator",
        ),
        case(
            "grpcroute/filters-not-repeated",
            GRPCROUTE,
            &grpc_rule(&format!("{header_mod}{header_mod}")),
            &grpc_rule(header_mod),
            "/spec/rules/0/filters",
            "RequestHeaderModifier filter cannot be repeated",
        ),
        case(
            "grpcroute/filters-not-repeated",
            GRPCROUTE,
            &grpc_rule(&format!("{response_mod}{response_mod}")),
            &grpc_rule(response_mod),
            "/spec/rules/0/filters",
            "ResponseHeaderModifier filter cannot be repeated",
        ),
        case(
            "clusterissuer/venafi-one-mode",
            ISSUER,
            "  venafi:\n    zone: shop\n    tpp: {url: https://tpp.example.com/vedsdk, credentialsRef: {name: tpp}}\n    cloud: {apiTokenSecretRef: {name: vaas, key: token}}\n",
            "  venafi:\n    zone: shop\n    tpp: {url: https://tpp.example.com/vedsdk, credentialsRef: {name: tpp}}\n",
            "/spec/venafi",
            "exactly one of tpp, cloud, or ngts must be configured",
        ),
        case(
            "secretstore/crd-auth",
            STORE,
            "    crd: {serviceUrl: https://secrets.example.com}\n",
            "    crd: {serviceUrl: https://secrets.example.com, auth: {serviceAccount: {name: eso}}}\n",
            "/spec/provider/crd",
            "one of auth or authRef is required",
        ),
        case(
            "secretstore/crd-auth",
            STORE,
            "    crd: {auth: {serviceAccount: {name: eso}}, authRef: {name: creds}}\n",
            "    crd: {authRef: {name: creds}}\n",
            "/spec/provider/crd",
            "at most one of the fields in [auth authRef] may be set",
        ),
        case(
            "secretstore/doppler-auth",
            STORE,
            "    doppler:\n      auth: {secretRef: {dopplerToken: {name: d, key: t}}, oidcConfig: {identity: i}}\n",
            "    doppler:\n      auth: {secretRef: {dopplerToken: {name: d, key: t}}}\n",
            "/spec/provider/doppler/auth",
            "Exactly one of 'secretRef' or 'oidcConfig' must be specified",
        ),
        case(
            "secretstore/pulumi-auth",
            STORE,
            "    pulumi: {organization: shop, project: web, environment: prod}\n",
            "    pulumi: {organization: shop, project: web, environment: prod, accessToken: {secretRef: {name: p, key: t}}}\n",
            "/spec/provider/pulumi",
            "Exactly one of 'auth' or deprecated 'accessToken' must be specified",
        ),
        case(
            "secretstore/pulumi-auth",
            STORE,
            "    pulumi: {organization: shop, project: web, environment: prod, auth: {}}\n",
            "    pulumi: {organization: shop, project: web, environment: prod, auth: {oidcConfig: {organization: shop}}}\n",
            "/spec/provider/pulumi/auth",
            "Exactly one of 'accessToken' or 'oidcConfig' must be specified",
        ),
        case(
            "secretstore/secretserver-auth",
            STORE,
            "    secretserver: {serverURL: https://ss.example.com, username: {value: eso}}\n",
            "    secretserver: {serverURL: https://ss.example.com, username: {value: eso}, password: {secretRef: {name: ss, key: p}}}\n",
            "/spec/provider/secretserver",
            "either token, or both username and password, must be set",
        ),
        case(
            "secretstore/openbao-auth",
            STORE,
            "    openBao:\n      server: https://bao.example.com\n      auth: {appRole: {path: approle, roleId: web}, userPass: {path: userpass}}\n",
            "    openBao:\n      server: https://bao.example.com\n      auth: {appRole: {path: approle, roleId: web}}\n",
            "/spec/provider/openBao/auth",
            "exactly one of the fields in [appRole tokenSecretRef userPass] must be set",
        ),
        case(
            "secretstore/openbao-approle",
            STORE,
            "    openBao:\n      server: https://bao.example.com\n      auth: {appRole: {path: approle}}\n",
            "    openBao:\n      server: https://bao.example.com\n      auth: {appRole: {path: approle, roleRef: {name: bao, key: role}}}\n",
            "/spec/provider/openBao/auth/appRole",
            "exactly one of the fields in [roleId roleRef] must be set",
        ),
        case(
            "secretstore/nebius-auth",
            STORE,
            "    nebiusmysterybox: {apiDomain: api.example.com, auth: {}}\n",
            "    nebiusmysterybox: {apiDomain: api.example.com, auth: {tokenSecretRef: {name: n, key: t}}}\n",
            "/spec/provider/nebiusmysterybox/auth",
            "either serviceAccountCredsSecretRef or tokenSecretRef must be set",
        ),
        case(
            "secretstore/secretserver-credential",
            STORE,
            "    secretserver: {serverURL: https://ss.example.com, token: {value: t, secretRef: {name: ss, key: t}}}\n",
            "    secretserver: {serverURL: https://ss.example.com, token: {secretRef: {name: ss, key: t}}}\n",
            "/spec/provider/secretserver/token",
            "exactly one of value or secretRef must be set",
        ),
        case(
            "secretstore/secretserver-credential",
            STORE,
            "    secretserver: {serverURL: https://ss.example.com, username: {value: eso}, password: {}}\n",
            "    secretserver: {serverURL: https://ss.example.com, username: {value: eso}, password: {value: p}}\n",
            "/spec/provider/secretserver/password",
            "exactly one of value or secretRef must be set",
        ),
        case(
            "secretstore/secretserver-credential",
            STORE,
            "    secretserver: {serverURL: https://ss.example.com, username: {}, password: {value: p}}\n",
            "    secretserver: {serverURL: https://ss.example.com, username: {secretRef: {name: ss, key: u}}, password: {value: p}}\n",
            "/spec/provider/secretserver/username",
            "exactly one of value or secretRef must be set",
        ),
        case(
            "secretstore/openbao-ca",
            STORE,
            "    openBao: {server: https://bao.example.com, caBundle: Y2E=, caProvider: {type: Secret, name: ca}}\n",
            "    openBao: {server: https://bao.example.com, caBundle: Y2E=}\n",
            "/spec/provider/openBao",
            "at most one of the fields in [caBundle caProvider] may be set",
        ),
        case(
            "secretstore/onepassword-sdk-vault",
            STORE,
            "    onepasswordSDK: {vault: shop, environment: prod}\n",
            "    onepasswordSDK: {vault: shop}\n",
            "/spec/provider/onepasswordSDK",
            "at most one of the fields in [vault environment] may be set",
        ),
    ]
}

/// `bosun validate -o json` on `text` written to a file: the exit code and each document's
/// verdict, in order.
fn validate(name: &str, text: &str, extra: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let mut args = vec!["validate", "-o", "json", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(args);
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stdout}{stderr}"));
    (
        code,
        report["resources"].as_array().unwrap().clone(),
        stderr,
    )
}

#[test]
fn each_bundled_cel_rule_refuses_its_bad_manifest_and_accepts_the_twin() {
    let cases = cases();
    let stream = |pick: fn(&Case) -> &String| {
        cases
            .iter()
            .enumerate()
            .map(|(i, case)| {
                format!(
                    "{}{}",
                    case.header.replace("NAME", &format!("case-{i}")),
                    pick(case)
                )
            })
            .collect::<Vec<_>>()
            .join("---\n")
    };
    let (code, good, stderr) = validate("good.yaml", &stream(|c| &c.good), &[]);
    for (case, verdict) in cases.iter().zip(&good) {
        assert_eq!(verdict["status"], "valid", "{}: {verdict}", case.rule);
    }
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("not evaluated"), "{stderr}");

    let (code, bad, _) = validate("bad.yaml", &stream(|c| &c.bad), &[]);
    assert_eq!(code, 1);
    assert_eq!(bad.len(), cases.len());
    for (case, verdict) in cases.iter().zip(&bad) {
        let errors = verdict["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: accepted, expected `{}`", case.rule, case.message));
        assert_eq!(errors.len(), 1, "{}: {errors:?}", case.rule);
        assert_eq!(errors[0]["path"], case.path, "{}", case.rule);
        let message = errors[0]["message"].as_str().unwrap();
        assert!(
            message.starts_with(case.message),
            "{}: {message}",
            case.rule
        );
    }
}

#[test]
fn the_v1beta1_gateway_kinds_carry_the_same_rules() {
    let text = "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: Gateway\nmetadata: {name: g, namespace: shop}\nspec:\n  gatewayClassName: public\n  listeners:\n    - {name: web, port: 80, protocol: HTTP}\n    - {name: web, port: 8080, protocol: HTTP}\n";
    let (code, verdicts, _) = validate("gateway.yaml", text, &[]);
    assert_eq!(code, 1);
    assert!(
        verdicts[0]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Listener name must be unique within the Gateway")
    );
}

const WIDGET_CRD: &str = "tests/fixtures/cel/widget-crd.yaml";

fn widget(spec: &str) -> String {
    format!(
        "apiVersion: demo.example/v1\nkind: Widget\nmetadata: {{name: w, namespace: shop}}\nspec:\n{spec}"
    )
}

#[test]
fn a_crds_own_rules_refuse_with_message_message_expression_field_path_and_reason() {
    let cases = [
        (
            "  replicas: {min: 5, max: 2}\n",
            "/spec/replicas",
            "min (5) must not exceed max (2)",
        ),
        (
            "  replicas: {min: 1, max: 2}\n  endpoint: ftp://example.com\n",
            "/spec/endpoint",
            "endpoint must be an http or https URL",
        ),
        (
            "  replicas: {min: 1, max: 2}\n  mode: Exclusive\n",
            "/spec/owner",
            "Required value: owner is required in Exclusive mode",
        ),
        (
            "  replicas: {min: 1, max: 2}\n  memory: 64Mi\n",
            "/spec/memory",
            "memory must be at least 128Mi",
        ),
        (
            "  replicas: {min: 1, max: 2}\n  peers: [10.0.0.1, not-an-ip]\n",
            "/spec/peers",
            "failed rule: self.all(p, isIP(p))",
        ),
        (
            "  replicas: {min: 1, max: 2}\n  timeout: 500us\n",
            "/spec/timeout",
            "timeout must be at least 1ms",
        ),
    ];
    for (spec, path, message) in cases {
        let (code, verdicts, stderr) = validate("w.yaml", &widget(spec), &["--crd", WIDGET_CRD]);
        assert_eq!(code, 1, "{spec}: {verdicts:?}");
        let errors = verdicts[0]["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{spec}: {errors:?}");
        assert_eq!(errors[0]["path"], path, "{spec}");
        assert_eq!(
            errors[0]["message"],
            format!("{message} (schema: CRD widgets.demo.example)"),
            "{spec}"
        );
        assert!(stderr.contains("note: 2 CEL rules of Widget not evaluated offline: 1 transition rule (oldSelf: it needs the stored object), 1 rule bosun cannot compile"), "{stderr}");
    }
}

#[test]
fn a_crds_rules_accept_the_valid_twins_and_skip_what_they_cannot_evaluate() {
    // Every field the rules read, valid. `mode` is required and defaults to `Shared`: the
    // default fills it in before the schema is checked (regression: a required field with a
    // default was refused), and in `Shared` mode no `owner` is needed.
    let spec = "  replicas: {min: 2, max: 2}\n  endpoint: https://example.com:8443/hook\n  memory: 1Gi\n  peers: [10.0.0.1, 'fd00::1']\n  timeout: 1.5s\n";
    let (code, verdicts, stderr) = validate("w.yaml", &widget(spec), &["--crd", WIDGET_CRD]);
    assert_eq!(code, 0, "{verdicts:?}{stderr}");
    assert_eq!(verdicts[0]["status"], "valid");
    // A rule that reads a field the document lacks errors when it runs: skipped, not refused.
    let (code, verdicts, _) =
        validate("w.yaml", &widget("  memory: 1Gi\n"), &["--crd", WIDGET_CRD]);
    assert_eq!(code, 0, "{verdicts:?}");
}

#[test]
fn render_refuses_a_custom_resource_its_charts_crd_rule_refuses() {
    let chart = root().join("tests/fixtures/cel/chart");
    let chart = chart.to_str().unwrap();
    let (code, stdout, stderr) = run(["render", chart, "--no-save", "--set", "replicas.min=5"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "", "a refused render writes nothing");
    assert!(
        stderr.contains("min (5) must not exceed max (3)"),
        "{stderr}"
    );
    assert!(stderr.contains("templates/widget.yaml"), "{stderr}");
    let (code, stdout, stderr) = run(["render", chart, "--no-save"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("kind: Widget"));
}

#[test]
fn a_crd_document_with_descriptions_and_list_extensions_is_valid() {
    // Regression: the bundled Kubernetes schemas had lost JSONSchemaProps' `description` and
    // `x-kubernetes-*` properties (the bundle builder dropped them as keywords), so every CRD
    // rendered from templates/ (kube-prometheus's) was refused.
    let crd = std::fs::read_to_string(root().join(WIDGET_CRD)).unwrap().replace(
        "            spec:\n              type: object\n              # Required",
        "            spec:\n              type: object\n              description: What the widget should be.\n              x-kubernetes-map-type: atomic\n              # Required",
    );
    assert!(crd.contains("description: What"), "the fixture changed");
    let (code, verdicts, stderr) = validate("crd.yaml", &crd, &[]);
    assert_eq!(code, 0, "{verdicts:?}{stderr}");
    assert_eq!(verdicts[0]["status"], "valid");
}

#[test]
fn a_null_field_reads_as_unset_as_the_api_server_decodes_it() {
    // Regression: Bitnami charts render `port: null` in NetworkPolicies and `labels: null` in
    // PrometheusRules when a value is unset; the API server reads both as unset, bosun refused.
    let text = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n    - ports:\n        - port: 8080\n        - port: null\n---\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: rules, namespace: shop}\nspec:\n  groups:\n    - name: web\n      rules:\n        - alert: Down\n          expr: up == 0\n          labels: null\n";
    let (code, verdicts, stderr) = validate("nulls.yaml", text, &[]);
    assert_eq!(code, 0, "{verdicts:?}{stderr}");
    // A required field left null is still refused: unset is what the API server sees.
    let text = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: null\n";
    let (code, verdicts, _) = validate("hpa.yaml", text, &[]);
    assert_eq!(code, 1, "{verdicts:?}");
    assert_eq!(verdicts[0]["errors"][0]["path"], "/spec/maxReplicas");
}

//! The bundled CEL rules' cases: for each rule of schemas/crds/cel-rules.yaml, a `spec` the
//! API server refuses, its valid twin, and where and what the refusal says.

use std::fmt::Write as _;

/// One rule: a document it refuses (`bad`) and the twin it accepts (`good`), each the `spec`
/// under `header`, and where and what the refusal says.
pub struct Case {
    pub rule: &'static str,
    pub header: &'static str,
    pub bad: String,
    pub good: String,
    pub path: &'static str,
    pub message: &'static str,
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

pub fn cases() -> Vec<Case> {
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

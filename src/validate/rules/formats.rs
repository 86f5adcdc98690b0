//! String formats Kubernetes checks in `k8s.io/apimachinery/pkg/util/validation`: DNS names,
//! qualified names and label values, port names, config keys, environment variable names, IPs
//! and CIDRs. Each returns why a string fails, in bosun's words, or `None` when it passes.

fn alnum_lower(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// A DNS-1123 label's characters, by bytes: a byte outside ASCII fails as its character would.
fn label_like(part: &[u8]) -> bool {
    let lower = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    part.first().is_some_and(lower)
        && part.last().is_some_and(lower)
        && part.iter().all(|b| lower(b) || *b == b'-')
}

/// `IsDNS1123Label`: at most 63 lowercase letters, digits and `-`, alphanumeric at both ends.
pub fn dns1123_label(s: &str) -> Option<String> {
    if s.len() > 63 {
        return Some(format!(
            "must be no more than 63 characters (it has {})",
            s.len()
        ));
    }
    (!label_like(s.as_bytes())).then(|| {
        "must be a DNS-1123 label: lowercase letters, digits and `-`, starting and ending with a letter or digit".to_string()
    })
}

/// `IsDNS1123Subdomain`: at most 253 characters, dot-separated DNS-1123 labels.
pub fn dns1123_subdomain(s: &str) -> Option<String> {
    if s.len() <= 253 && subdomain_ok(s.as_bytes()) {
        return None;
    }
    dns1123_subdomain_why(s)
}

/// [`dns1123_subdomain`] without the one-pass scan in front: the check part by part, which
/// says what is wrong.
fn dns1123_subdomain_why(s: &str) -> Option<String> {
    if s.len() > 253 {
        return Some(format!(
            "must be no more than 253 characters (it has {})",
            s.len()
        ));
    }
    (!s.as_bytes().split(|&b| b == b'.').all(label_like)).then(|| {
        "must be a DNS-1123 subdomain: lowercase letters, digits, `-` and `.`, each dot-separated part starting and ending with a letter or digit".to_string()
    })
}

/// Whether `s` is a valid DNS-1123 subdomain of any length, in one pass over its bytes: each
/// `.` and `-` is checked against the byte before it instead of splitting into parts (the
/// common, valid, label key prefix then costs a fifth of the instructions it did). The
/// functions that say why a string fails run only when this says no.
fn subdomain_ok(s: &[u8]) -> bool {
    let mut previous = b'.';
    for &b in s {
        let fits = match b {
            b'a'..=b'z' | b'0'..=b'9' => true,
            b'-' => previous != b'.',
            b'.' => previous != b'.' && previous != b'-',
            _ => false,
        };
        if !fits {
            return false;
        }
        previous = b;
    }
    previous != b'.' && previous != b'-'
}

/// The label keys nearly every chart writes on every object, its Pod templates and its
/// selectors (Kubernetes' recommended labels and Helm's): found here with a few length
/// compares and one `memcmp` instead of a scan of each byte. Each is a valid qualified name
/// (`formats_common_tests` holds them to the full check).
const COMMON_KEYS: &[&str] = &[
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/version",
    "app.kubernetes.io/managed-by",
    "app.kubernetes.io/component",
    "app.kubernetes.io/part-of",
    "helm.sh/chart",
];

/// Whether `s` is a valid qualified name (`[prefix/]name`); a second `/` fails the name part.
fn qualified_ok(s: &str) -> bool {
    if COMMON_KEYS.contains(&s) {
        return true;
    }
    match s.bytes().position(|b| b == b'/') {
        Some(at) => at <= 253 && subdomain_ok(&s.as_bytes()[..at]) && name_part(&s[at + 1..]),
        None => name_part(s),
    }
}

/// `IsWildcardDNS1123Subdomain` or `IsDNS1123Subdomain`: `*.example.com` or `example.com`.
pub fn host(s: &str) -> Option<String> {
    match s.strip_prefix("*.") {
        Some(rest) => dns1123_subdomain(rest)
            .map(|_| "a wildcard host must be `*.` followed by a DNS-1123 subdomain".to_string()),
        None => dns1123_subdomain(s),
    }
}

fn name_part(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.len() <= 63
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// `IsQualifiedName`: `[prefix/]name`, the prefix a DNS-1123 subdomain, the name at most 63
/// letters, digits, `-`, `_` and `.`, alphanumeric at both ends. Label and annotation keys.
pub fn qualified_name(s: &str) -> Option<String> {
    if qualified_ok(s) {
        return None;
    }
    qualified_name_why(s)
}

/// [`qualified_name`] without the one-pass scan in front: the check part by part, which says
/// what is wrong.
fn qualified_name_why(s: &str) -> Option<String> {
    let (prefix, name) = match s.bytes().position(|b| b == b'/') {
        Some(at) => (Some(&s[..at]), &s[at + 1..]),
        None => (None, s),
    };
    if name.bytes().any(|b| b == b'/') {
        return Some("may hold at most one `/`, between a prefix and a name".into());
    }
    if let Some(prefix) = prefix {
        if prefix.is_empty() {
            return Some("has an empty prefix before `/`".into());
        }
        if dns1123_subdomain(prefix).is_some() {
            return Some(format!("prefix `{prefix}` must be a DNS-1123 subdomain"));
        }
    }
    if name.len() > 63 {
        return Some(format!(
            "name part must be no more than 63 characters (it has {})",
            name.len()
        ));
    }
    (!name_part(name)).then(|| {
        "name part must be letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit".to_string()
    })
}

/// `IsValidLabelValue`: empty, or at most 63 letters, digits, `-`, `_` and `.`, alphanumeric at
/// both ends.
pub fn label_value(s: &str) -> Option<String> {
    if s.is_empty() || name_part(s) {
        return None;
    }
    label_value_why(s)
}

/// [`label_value`] without the check of a valid value in front: the checks in the order that
/// says what is wrong.
fn label_value_why(s: &str) -> Option<String> {
    if s.is_empty() {
        return None;
    }
    if s.len() > 63 {
        return Some(format!(
            "must be no more than 63 characters (it has {})",
            s.len()
        ));
    }
    (!name_part(s)).then(|| {
        "must be letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit"
            .to_string()
    })
}

/// `IsValidPortName`: an IANA service name, at most 15 lowercase letters, digits and `-`, with a
/// letter, no `-` at either end and no `--`.
pub fn port_name(s: &str) -> Option<String> {
    if s.len() > 15 {
        return Some(format!(
            "must be no more than 15 characters (it has {})",
            s.len()
        ));
    }
    let ok = !s.is_empty()
        && s.chars().all(|c| alnum_lower(c) || c == '-')
        && s.chars().any(|c| c.is_ascii_lowercase())
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--");
    (!ok).then(|| {
        "must be an IANA service name: lowercase letters, digits and `-`, with at least one letter, no `-` at either end and no `--`".to_string()
    })
}

/// `IsValidPortNum`: 1 to 65535.
pub fn port_number(n: i64) -> Option<String> {
    (!(1..=65535).contains(&n)).then(|| "must be between 1 and 65535, inclusive".to_string())
}

/// A port given by number or by IANA name (int-or-string), as container probes, Service target
/// ports and NetworkPolicy ports take it.
pub fn port_number_or_name(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Number(n) => n.as_i64().and_then(port_number),
        serde_json::Value::String(s) => port_name(s),
        _ => None,
    }
}

/// `IsConfigMapKey`: at most 253 letters, digits, `-`, `_` and `.`, not `.`, `..` or starting
/// with `..`.
pub fn config_key(s: &str) -> Option<String> {
    if s.len() > 253 {
        return Some(format!(
            "must be no more than 253 characters (it has {})",
            s.len()
        ));
    }
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Some("must be letters, digits, `-`, `_` and `.`".into());
    }
    if s == "." || s == ".." || s.starts_with("..") {
        return Some("must not be `.` or `..` or start with `..`".into());
    }
    None
}

/// `IsRelaxedEnvVarName` (what every supported Kubernetes accepts, at least): printable ASCII
/// but `=`.
pub fn env_var_name(s: &str) -> Option<String> {
    (s.is_empty() || !s.chars().all(|c| (' '..='~').contains(&c) && c != '='))
        .then(|| "must be printable ASCII characters other than `=`".to_string())
}

/// `IsValidPathSegmentName`: not `.` or `..`, without `/` or `%`. RBAC object names.
pub fn path_segment(s: &str) -> Option<String> {
    if s == "." || s == ".." {
        return Some(format!("may not be `{s}`"));
    }
    (s.contains('/') || s.contains('%')).then(|| "may not contain `/` or `%`".to_string())
}

/// An IPv4 address the way Kubernetes' sloppy parser reads it (leading zeros allowed).
fn ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.chars().all(|c| c.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// Whether `s` is an IP address (v4 or v6).
pub fn is_ip(s: &str) -> bool {
    ipv4(s) || (s.contains(':') && s.parse::<std::net::Ipv6Addr>().is_ok())
}

/// `ParseCIDRSloppy`: an address and a prefix length that fits it.
pub fn cidr(s: &str) -> Option<String> {
    let bad = || Some("must be a valid CIDR (e.g. `10.0.0.0/16` or `fd00::/64`)".to_string());
    let Some((address, length)) = s.split_once('/') else {
        return bad();
    };
    if length.is_empty() || !length.chars().all(|c| c.is_ascii_digit()) {
        return bad();
    }
    let Ok(length) = length.parse::<u16>() else {
        return bad();
    };
    let fits = if ipv4(address) {
        length <= 32
    } else if address.contains(':') && address.parse::<std::net::Ipv6Addr>().is_ok() {
        length <= 128
    } else {
        false
    };
    if fits { None } else { bad() }
}

#[cfg(test)]
mod tests {
    use super::{
        cidr, config_key, dns1123_label, dns1123_subdomain, env_var_name, host, is_ip, label_value,
        path_segment, port_name, port_number, qualified_name,
    };

    #[test]
    fn names() {
        assert!(dns1123_label("web-1").is_none());
        assert!(dns1123_label("Web").is_some());
        assert!(dns1123_label(&"a".repeat(64)).is_some());
        assert!(dns1123_subdomain("a.b-c.d").is_none());
        assert!(dns1123_subdomain("a..b").is_some());
        assert!(host("*.example.com").is_none());
        assert!(host("foo.*.com").is_some());
        assert!(path_segment("system:auth-delegator").is_none());
        assert!(path_segment("a/b").is_some());
    }

    #[test]
    fn labels_and_keys() {
        assert!(qualified_name("app.kubernetes.io/name").is_none());
        assert!(qualified_name("Name_1.x").is_none());
        assert!(qualified_name("a/b/c").is_some());
        assert!(qualified_name("/x").is_some());
        assert!(qualified_name("Example.com/x").is_some());
        assert!(qualified_name("-x").is_some());
        assert!(label_value("").is_none());
        assert!(label_value("v1.2_3-a").is_none());
        assert!(label_value("1.0+build").is_some());
        assert!(label_value(&"x".repeat(64)).is_some());
        assert!(config_key("app.properties").is_none());
        assert!(config_key("..data").is_some());
        assert!(config_key("a b").is_some());
        assert!(env_var_name("MY.VAR-1").is_none());
        assert!(env_var_name("A=B").is_some());
    }

    #[test]
    fn ports_and_addresses() {
        assert!(port_name("http").is_none());
        assert!(port_name("http-metrics-123").is_some());
        assert!(port_name("8080").is_some());
        assert!(port_name("a--b").is_some());
        assert!(port_number(0).is_some());
        assert!(port_number(65535).is_none());
        assert!(cidr("10.0.0.0/8").is_none());
        assert!(cidr("010.000.0.0/8").is_none());
        assert!(cidr("fd00::/64").is_none());
        assert!(cidr("10.0.0.0/33").is_some());
        assert!(cidr("10.0.0.0").is_some());
        assert!(cidr("300.0.0.0/8").is_some());
        assert!(is_ip("1.2.3.4"));
        assert!(!is_ip("example.com"));
    }
}

#[cfg(test)]
#[path = "formats_bytes_tests.rs"]
mod bytes_tests;

#[cfg(test)]
#[path = "formats_fast_tests.rs"]
mod fast_tests;

#[cfg(test)]
#[path = "formats_common_tests.rs"]
mod common_tests;

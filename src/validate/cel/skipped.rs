//! The rules bosun does not evaluate (transition rules, rules that do not compile, read
//! escaped field names or call a Kubernetes library function bosun lacks), and the stderr note
//! that counts them for the kinds a run checked.

/// Kubernetes CEL library functions (`k8s.io/apiserver/pkg/cel/library`) and CEL timestamp
/// accessors bosun does not implement: a rule that calls one is skipped when it compiles.
pub const UNSUPPORTED: &[&str] = &[
    "find",
    "findAll",
    "semver",
    "isSemver",
    "major",
    "minor",
    "patch",
    "family",
    "isCanonical",
    "isLoopback",
    "isGlobalUnicast",
    "isLinkLocalMulticast",
    "isLinkLocalUnicast",
    "isUnspecified",
    "containsIP",
    "containsCIDR",
    "prefixLength",
    "masked",
    "asInteger",
    "isInteger",
    "sign",
    "add",
    "sub",
    "getQuery",
    "timestamp",
    "getFullYear",
    "getMonth",
    "getDayOfMonth",
    "getDayOfYear",
    "getDayOfWeek",
    "getDate",
    "getHours",
    "getMinutes",
    "getSeconds",
    "getMilliseconds",
    "validate",
    "authorizer",
];

/// Why a rule is not evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// It reads `oldSelf`: it compares an update with the stored object.
    Transition,
    /// It does not compile (the parser's message).
    Compile(String),
    /// It calls a function bosun lacks (its name).
    Unsupported(String),
}

/// A rule the schema has that bosun does not evaluate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// JSON pointer to the schema node, `*` for any item or key.
    pub at: String,
    pub rule: String,
    pub reason: SkipReason,
}

/// The note bosun prints on stderr when rules of the kinds it checked went unevaluated:
/// `note: 3 CEL rules of Gateway, Widget not evaluated offline: 2 transition rules (oldSelf), 1
/// that does not compile`.
pub fn note(skipped: &[(String, Skipped)]) -> Option<String> {
    if skipped.is_empty() {
        return None;
    }
    let mut kinds: Vec<&str> = skipped
        .iter()
        .map(|(key, _)| key.rsplit('/').next().unwrap_or(key))
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let transition = skipped
        .iter()
        .filter(|(_, s)| s.reason == SkipReason::Transition)
        .count();
    let unsupported = skipped
        .iter()
        .filter(|(_, s)| matches!(s.reason, SkipReason::Unsupported(_)))
        .count();
    let broken = skipped.len() - transition - unsupported;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if transition > 0 {
        parts.push(plural(
            transition,
            "transition rule (oldSelf: it needs the stored object)",
            "transition rules (oldSelf: they need the stored object)",
        ));
    }
    if unsupported > 0 {
        let mut names: Vec<&str> = skipped
            .iter()
            .filter_map(|(_, s)| match &s.reason {
                SkipReason::Unsupported(name) => Some(name.as_str()),
                _ => None,
            })
            .collect();
        names.sort_unstable();
        names.dedup();
        parts.push(format!(
            "{} ({})",
            plural(
                unsupported,
                "rule calling a function bosun lacks",
                "rules calling functions bosun lacks"
            ),
            names.join(", ")
        ));
    }
    if broken > 0 {
        parts.push(plural(
            broken,
            "rule bosun cannot compile",
            "rules bosun cannot compile",
        ));
    }
    Some(format!(
        "note: {} of {} not evaluated offline: {}",
        plural(skipped.len(), "CEL rule", "CEL rules"),
        kinds.join(", "),
        parts.join(", ")
    ))
}

//! The rules bosun does not evaluate (transition rules, rules that do not compile or read
//! escaped field names), and the stderr note that counts them for the kinds a run checked.

/// Why a rule is not evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// It reads `oldSelf`: it compares an update with the stored object.
    Transition,
    /// It does not compile (the parser's message).
    Compile(String),
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
    let broken = skipped.len() - transition;
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

//! Helm's version ranges (the Masterminds semver syntax): `^1.2`, `~1.2.3`, `>=1, <2`,
//! `1.2.x`, `*`, `1.2 - 1.4.5`, and `||` between alternatives. A prerelease version matches
//! only a range that names a prerelease, as in Helm.

use semver::{Prerelease, Version};

/// A parsed range: any one of the alternatives, each a list of comparisons that must all hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    alternatives: Vec<Vec<Comparison>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Comparison {
    op: Op,
    version: Version,
}

/// A version as written in a range: missing or `x` parts are wildcards.
struct Partial {
    major: Option<u64>,
    minor: Option<u64>,
    patch: Option<u64>,
    pre: Prerelease,
}

impl Partial {
    fn parse(text: &str) -> Result<Partial, String> {
        let text = text.trim_start_matches(['v', 'V']);
        let core_end = text.find(['-', '+']).unwrap_or(text.len());
        let (core, rest) = text.split_at(core_end);
        let pre = match rest.strip_prefix('-') {
            Some(pre) => {
                let pre = pre.split('+').next().unwrap_or(pre);
                Prerelease::new(pre).map_err(|e| format!("`{text}`: {e}"))?
            }
            None => Prerelease::EMPTY,
        };
        let parts: Vec<&str> = core.split('.').collect();
        if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            return Err(format!("`{text}` is not a version"));
        }
        let mut numbers = [None; 3];
        for (slot, part) in numbers.iter_mut().zip(&parts) {
            *slot = match *part {
                "x" | "X" | "*" => None,
                digits => Some(
                    digits
                        .parse::<u64>()
                        .map_err(|_| format!("`{text}` is not a version"))?,
                ),
            };
        }
        // After a wildcard, every later part is a wildcard too (`1.x.3` is `1.x`).
        let [major, mut minor, mut patch] = numbers;
        if major.is_none() {
            minor = None;
        }
        if minor.is_none() {
            patch = None;
        }
        Ok(Partial {
            major,
            minor,
            patch,
            pre,
        })
    }

    fn is_exact(&self) -> bool {
        self.patch.is_some()
    }

    /// The lowest version the partial covers (`1.2` → 1.2.0).
    fn floor(&self) -> Version {
        let mut v = Version::new(
            self.major.unwrap_or(0),
            self.minor.unwrap_or(0),
            self.patch.unwrap_or(0),
        );
        v.pre = self.pre.clone();
        v
    }

    /// The first version past what the partial covers (`1.2` → 1.3.0), if bounded.
    fn ceiling(&self) -> Option<Version> {
        match (self.major, self.minor, self.patch) {
            (None, _, _) => None,
            (Some(major), None, _) => Some(Version::new(major + 1, 0, 0)),
            (Some(major), Some(minor), None) => Some(Version::new(major, minor + 1, 0)),
            (Some(major), Some(minor), Some(patch)) => Some(Version::new(major, minor, patch + 1)),
        }
    }
}

fn cmp(op: Op, version: Version) -> Comparison {
    Comparison { op, version }
}

/// `floor <= v < ceiling` (no upper bound when there is no ceiling).
fn span(floor: Version, ceiling: Option<Version>) -> Vec<Comparison> {
    let mut out = vec![cmp(Op::Ge, floor)];
    out.extend(ceiling.map(|c| cmp(Op::Lt, c)));
    out
}

fn atom(op: &str, version: &str) -> Result<Vec<Comparison>, String> {
    let p = Partial::parse(version)?;
    let floor = p.floor();
    Ok(match op {
        "" | "=" if p.is_exact() => vec![cmp(Op::Eq, floor)],
        "" | "=" => span(floor, p.ceiling()),
        "!=" => vec![cmp(Op::Ne, floor)],
        ">" if p.is_exact() => vec![cmp(Op::Gt, floor)],
        ">" => p
            .ceiling()
            .map(|c| vec![cmp(Op::Ge, c)])
            .unwrap_or_else(|| {
                // `> *` matches nothing.
                vec![cmp(Op::Lt, Version::new(0, 0, 0))]
            }),
        ">=" | "=>" => vec![cmp(Op::Ge, floor)],
        "<" => vec![cmp(Op::Lt, floor)],
        "<=" | "=<" if p.is_exact() => vec![cmp(Op::Le, floor)],
        "<=" | "=<" => span(Version::new(0, 0, 0), p.ceiling()),
        "~" | "~>" => {
            let ceiling = match (p.major, p.minor) {
                (Some(major), Some(minor)) => Some(Version::new(major, minor + 1, 0)),
                (Some(major), None) => Some(Version::new(major + 1, 0, 0)),
                _ => None,
            };
            span(floor, ceiling)
        }
        "^" => {
            let ceiling = match (p.major, p.minor, p.patch) {
                (None, _, _) => None,
                (Some(major), _, _) if major > 0 => Some(Version::new(major + 1, 0, 0)),
                (Some(_), None, _) => Some(Version::new(1, 0, 0)),
                (Some(_), Some(minor), _) if minor > 0 => Some(Version::new(0, minor + 1, 0)),
                (Some(_), Some(_), None) => Some(Version::new(0, 1, 0)),
                (Some(_), Some(_), Some(patch)) => Some(Version::new(0, 0, patch + 1)),
            };
            span(floor, ceiling)
        }
        other => return Err(format!("unknown operator `{other}`")),
    })
}

const OPERATORS: [&str; 11] = [">=", "=>", "<=", "=<", "!=", "~>", ">", "<", "=", "~", "^"];

fn split_operator(token: &str) -> (&str, &str) {
    for op in OPERATORS {
        if let Some(rest) = token.strip_prefix(op) {
            return (op, rest);
        }
    }
    ("", token)
}

impl Constraint {
    /// Parses a range as Helm reads Chart.yaml's `version` of a dependency.
    pub fn parse(text: &str) -> Result<Constraint, String> {
        let mut alternatives = Vec::new();
        for alternative in text.split("||") {
            let tokens: Vec<&str> = alternative
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|t| !t.is_empty())
                .collect();
            if tokens.is_empty() {
                return Err(format!("`{text}` has an empty alternative"));
            }
            let mut comparisons = Vec::new();
            let mut i = 0;
            while i < tokens.len() {
                // `1.2 - 1.4.5`: an inclusive span.
                if tokens.get(i + 1) == Some(&"-") {
                    let low = tokens[i];
                    let high = tokens
                        .get(i + 2)
                        .ok_or_else(|| format!("`{text}`: a span needs an end after `-`"))?;
                    comparisons.extend(atom(">=", low)?);
                    comparisons.extend(atom("<=", high)?);
                    i += 3;
                    continue;
                }
                let (op, version) = split_operator(tokens[i]);
                if version.is_empty() {
                    // `>= 1.2`: the operator stands apart from its version.
                    let next = tokens
                        .get(i + 1)
                        .ok_or_else(|| format!("`{text}`: `{op}` needs a version"))?;
                    comparisons.extend(atom(op, next)?);
                    i += 2;
                } else {
                    comparisons.extend(atom(op, version)?);
                    i += 1;
                }
            }
            alternatives.push(comparisons);
        }
        Ok(Constraint { alternatives })
    }

    /// True when `version` is in the range.
    pub fn matches(&self, version: &Version) -> bool {
        self.alternatives.iter().any(|all| {
            let allows_pre = all.iter().any(|c| !c.version.pre.is_empty());
            (version.pre.is_empty() || allows_pre)
                && all.iter().all(|c| {
                    let order = version.cmp_precedence(&c.version);
                    match c.op {
                        Op::Eq => order.is_eq(),
                        Op::Ne => order.is_ne(),
                        Op::Gt => order.is_gt(),
                        Op::Ge => order.is_ge(),
                        Op::Lt => order.is_lt(),
                        Op::Le => order.is_le(),
                    }
                })
        })
    }

    /// Where the range starts (its first alternative's first bound): what "nearest" means
    /// when no version matches.
    pub fn anchor(&self) -> Option<&Version> {
        self.alternatives.first()?.first().map(|c| &c.version)
    }

    /// The newest of `versions` in the range.
    pub fn best<'a>(&self, versions: impl IntoIterator<Item = &'a Version>) -> Option<&'a Version> {
        versions
            .into_iter()
            .filter(|v| self.matches(v))
            .max_by(|a, b| a.cmp_precedence(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(range: &str, version: &str) -> bool {
        Constraint::parse(range)
            .unwrap()
            .matches(&Version::parse(version).unwrap())
    }

    #[test]
    fn helm_ranges_match_as_helm_documents_them() {
        for (range, yes, no) in [
            ("^1.2", "1.9.0", "2.0.0"),
            ("^1.2.3", "1.2.3", "1.2.2"),
            ("^0.2.3", "0.2.9", "0.3.0"),
            ("^0.0.3", "0.0.3", "0.0.4"),
            ("~1.2.3", "1.2.9", "1.3.0"),
            ("~1", "1.9.9", "2.0.0"),
            (">=1, <2", "1.5.0", "2.0.0"),
            (">= 1.0 < 2", "1.0.0", "0.9.0"),
            ("1.2.x", "1.2.7", "1.3.0"),
            ("*", "3.4.5", "1.0.0-rc.1"),
            ("1.2 - 1.4.5", "1.4.5", "1.4.6"),
            ("<1 || >=3", "3.0.0", "2.0.0"),
            ("1.2.3", "1.2.3", "1.2.4"),
            ("!=1.2.3", "1.2.4", "1.2.3"),
            (">1.2", "1.3.0", "1.2.9"),
            ("<=1.2", "1.2.9", "1.3.0"),
            (">=1.0.0-0", "1.0.0-rc.1", "0.9.0"),
        ] {
            assert!(allows(range, yes), "{range} should allow {yes}");
            assert!(!allows(range, no), "{range} should not allow {no}");
        }
    }

    #[test]
    fn nonsense_is_refused() {
        for bad in ["", ">=", "1.2.3.4", "abc", "1 -", "1 || "] {
            assert!(Constraint::parse(bad).is_err(), "{bad:?} parsed");
        }
    }
}

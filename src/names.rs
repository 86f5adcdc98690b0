//! The names Kubernetes and Helm refuse, refused up front: a release name (`--release-name`) and
//! a namespace (`--namespace`) are checked when the command line is read, with the rule broken.

/// Helm's limit on a release name: it ends up in the names of the objects a chart makes.
const MAX_RELEASE_NAME: usize = 53;
/// A DNS-1123 label, what Kubernetes accepts as a namespace.
const MAX_NAMESPACE: usize = 63;

const RELEASE_RULE: &str = "a release name is at most 53 characters: lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit, with a letter or digit on each side of every `.` (Helm's rule)";
const NAMESPACE_RULE: &str = "a namespace is a DNS-1123 label: at most 63 characters, lowercase letters, digits and `-`, starting and ending with a letter or digit";

/// Checks a release name as Helm does, saying what breaks the rule.
pub fn release_name(name: &str) -> Result<String, String> {
    let problem = if name.len() > MAX_RELEASE_NAME {
        Some(format!("it is {} characters long", name.chars().count()))
    } else {
        name.split('.').find_map(label_problem)
    };
    match problem {
        Some(problem) => Err(format!("{problem}; {RELEASE_RULE}")),
        None => Ok(name.to_string()),
    }
}

/// Checks a namespace (a DNS-1123 label), saying what breaks the rule.
pub fn namespace(name: &str) -> Result<String, String> {
    let problem = if name.len() > MAX_NAMESPACE {
        Some(format!("it is {} characters long", name.chars().count()))
    } else {
        label_problem(name)
    };
    match problem {
        Some(problem) => Err(format!("{problem}; {NAMESPACE_RULE}")),
        None => Ok(name.to_string()),
    }
}

/// What is wrong with one DNS-1123 label, if anything.
fn label_problem(label: &str) -> Option<String> {
    let Some(first) = label.chars().next() else {
        return Some("it has an empty part".into());
    };
    if let Some(bad) = label
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Some(if bad.is_ascii_uppercase() {
            format!("`{bad}` is uppercase")
        } else {
            format!("`{bad}` is not allowed")
        });
    }
    let last = label.chars().last().unwrap_or(first);
    if first == '-' || last == '-' {
        return Some("it starts or ends with `-`".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_names_follow_helm() {
        for good in ["web", "my-app.v2", "a", "0x", &"a".repeat(53)] {
            assert!(release_name(good).is_ok(), "{good}");
        }
        for (bad, why) in [
            ("Bad_Name", "`B` is uppercase"),
            ("bad_name", "`_` is not allowed"),
            ("-web", "starts or ends with `-`"),
            ("web.", "empty part"),
            ("a..b", "empty part"),
            ("", "empty part"),
            (&"a".repeat(54), "54 characters"),
        ] {
            let error = release_name(bad).unwrap_err();
            assert!(error.contains(why), "{bad}: {error}");
            assert!(error.contains("at most 53"), "{error}");
        }
    }

    #[test]
    fn namespaces_are_dns_labels() {
        assert!(namespace("shop-prod").is_ok());
        assert!(namespace(&"n".repeat(63)).is_ok());
        for bad in ["Bad_NS", "a.b", "ns-", "", &"n".repeat(64)] {
            let error = namespace(bad).unwrap_err();
            assert!(error.contains("DNS-1123 label"), "{bad}: {error}");
        }
    }
}

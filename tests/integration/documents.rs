//! Helpers the render tests share: the documents of a render by identity, whether a fixture's
//! documents are held by a render, and a render shown as a unified diff against another.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::run;

/// How a rendered object is found: kind, namespace (empty for cluster-scoped kinds), name.
pub type Key = (String, String, String);

/// The key of `kind` `namespace/name`.
pub fn key(kind: &str, namespace: &str, name: &str) -> Key {
    (kind.into(), namespace.into(), name.into())
}

pub fn key_of(doc: &Value) -> Key {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    (
        text(&doc["kind"]),
        text(&doc["metadata"]["namespace"]),
        text(&doc["metadata"]["name"]),
    )
}

/// `Kind ns/name`, or `Kind name` for a cluster-scoped object.
pub fn show(key: &Key) -> String {
    match key.1.as_str() {
        "" => format!("{} {}", key.0, key.2),
        ns => format!("{} {ns}/{}", key.0, key.2),
    }
}

/// The stdout of a `bosun` run that must succeed with nothing on stderr.
#[track_caller]
pub fn quiet_stdout(args: &[String]) -> String {
    let (code, stdout, stderr) = run(args);
    assert_eq!((code, stderr.as_str()), (0, ""), "bosun {args:?}");
    stdout
}

/// The documents of `bosun render ARGS -o json`, by key; the render must succeed, and no object
/// may be rendered twice (kubectl would keep only the last).
#[track_caller]
pub fn documents(args: &[String]) -> BTreeMap<Key, Value> {
    documents_and_stderr(args).0
}

/// [`documents`], and what the render said on stderr.
#[track_caller]
pub fn documents_and_stderr(args: &[String]) -> (BTreeMap<Key, Value>, String) {
    let mut all = args.to_vec();
    all.extend(["-o".into(), "json".into()]);
    let (code, stdout, stderr) = run(&all);
    assert_eq!(code, 0, "bosun {all:?} failed:\n{stderr}");
    let list: Value = serde_json::from_str(&stdout).expect("render -o json prints JSON");
    let mut docs = BTreeMap::new();
    for doc in list["items"].as_array().expect("a List has items") {
        let key = key_of(doc);
        let shown = show(&key);
        assert!(
            docs.insert(key, doc.clone()).is_none(),
            "bosun {all:?} renders {shown} twice; kubectl would keep only the last"
        );
    }
    (docs, stderr)
}

/// Where `expected` is not a subset of `actual`, one line per difference. Maps: every
/// expected key present with a subset value. Lists of maps that all have a `name`: matched by
/// name. Other lists: element by element (the render may have more). Scalars: equal.
pub fn subset_differences(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (k, v) in want {
                let here = format!("{path}.{k}");
                match got.get(k) {
                    Some(a) => subset_differences(v, a, &here, out),
                    None => out.push(format!("{here}: missing, expected {}", compact(v))),
                }
            }
        }
        (Value::Array(want), Value::Array(got)) => {
            let named = |items: &Vec<Value>| {
                items
                    .iter()
                    .all(|i| i.get("name").is_some_and(Value::is_string))
            };
            if !want.is_empty() && named(want) {
                for item in want {
                    let name = &item["name"];
                    let here = format!("{path}[name={}]", name.as_str().unwrap_or_default());
                    match got.iter().find(|g| g.get("name") == Some(name)) {
                        Some(a) => subset_differences(item, a, &here, out),
                        None => out.push(format!("{here}: missing, expected {}", compact(item))),
                    }
                }
            } else {
                if got.len() < want.len() {
                    out.push(format!(
                        "{path}: {} items rendered, expected at least {}: {}",
                        got.len(),
                        want.len(),
                        compact(actual)
                    ));
                }
                for (i, (w, g)) in want.iter().zip(got).enumerate() {
                    subset_differences(w, g, &format!("{path}[{i}]"), out);
                }
            }
        }
        (w, g) if w == g => {}
        (w, g) => out.push(format!(
            "{path}:\n      - expected {}\n      + rendered {}",
            compact(w),
            compact(g)
        )),
    }
}

fn compact(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 200 {
        format!("{}…", text.chars().take(200).collect::<String>())
    } else {
        text
    }
}

/// What `new` changes of `old`, as a unified diff with three lines of context (the way
/// `bosun diff` shows a change), headed by the two names. Identical texts give an empty string.
pub fn unified_diff(old_name: &str, old: &str, new_name: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string()
}

/// The command line `bosun ARGS` as a snapshot header names it.
pub fn command_line(args: &[String]) -> String {
    format!("bosun {}", args.join(" "))
}

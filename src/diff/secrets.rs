//! How a Secret shows in a diff: each `data` / `stringData` key is added, removed, changed,
//! unchanged or (when the record's sealed values cannot be checked) not compared, and its value
//! never shows unless asked. A record holds sealed values (see [`crate::state::seal`]); a fresh
//! render and other manifests hold plain ones.

use serde_json::{Map, Value};

use crate::manifest::Document;
use crate::state::{self, Recorded, SecretKey};
use crate::yaml;

/// Why a recorded value could not be compared with the rendered one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Why {
    /// The record was written without a key: it knows only that the key exists.
    Unkeyed,
    /// The record is sealed, and no key is set here.
    NoKey,
    /// The record is sealed with another key than the one set here.
    OtherKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    Added,
    Removed,
    Changed,
    Unchanged,
    NotCompared(Why),
}

/// The two sides of a Secret, as compared and as shown.
pub(super) struct Compared {
    /// The texts with every value replaced by a label: equal when nothing that can be told
    /// apart has changed.
    pub masked: (String, String),
    /// `masked` as parsed values, for the consequences of the change.
    pub masked_values: (Option<Value>, Option<Value>),
    /// What to show: `masked`, or with `--show-secrets` the values themselves.
    pub shown: (String, String),
    /// One reason per value that could not be compared.
    pub not_compared: Vec<Why>,
    /// Each key of either side once, with what happened to it.
    pub keys: Vec<(String, Status)>,
}

/// Compares a Secret's two sides (either may be absent: added or destroyed).
pub(super) fn compare(
    old: Option<&Document>,
    new: Option<&Document>,
    key: Option<&SecretKey>,
    show_secrets: bool,
) -> Compared {
    let old_value = old.map(Document::value);
    let new_value = new.map(Document::value);
    let mut masked = (old_value.clone(), new_value.clone());
    let mut shown = (old_value.clone(), new_value.clone());
    let mut not_compared = Vec::new();
    let mut keys: Vec<(String, Status)> = Vec::new();
    for field in ["data", "stringData"] {
        let map = |v: &Option<Value>| v.as_ref().and_then(|v| v[field].as_object()).cloned();
        let (old_map, new_map) = (map(&old_value), map(&new_value));
        let status = |name: &str| match (
            old_map.as_ref().and_then(|m| m.get(name)),
            new_map.as_ref().and_then(|m| m.get(name)),
        ) {
            (Some(before), Some(after)) => compare_value(field, name, before, after, key),
            (None, _) => Status::Added,
            (_, None) => Status::Removed,
        };
        if let Some(old_map) = &old_map {
            let mut masked_map = Map::new();
            let mut shown_map = Map::new();
            for (name, secret) in old_map {
                let status = status(name);
                if let Status::NotCompared(why) = status {
                    not_compared.push(why);
                }
                keys.push((name.clone(), status));
                let label = old_label(status);
                shown_map.insert(
                    name.clone(),
                    match (show_secrets, status) {
                        (false, _) => Value::String(label.clone()),
                        // Unchanged: the plain value is the rendered one.
                        (true, Status::Unchanged) => new_map
                            .as_ref()
                            .and_then(|m| m.get(name))
                            .cloned()
                            .unwrap_or(Value::Null),
                        (true, _) => secret.clone(),
                    },
                );
                masked_map.insert(name.clone(), Value::String(label));
            }
            set(&mut masked.0, field, masked_map);
            set(&mut shown.0, field, shown_map);
        }
        if let Some(new_map) = &new_map {
            let mut masked_map = Map::new();
            let mut shown_map = Map::new();
            for (name, secret) in new_map {
                let status = status(name);
                if status == Status::Added {
                    keys.push((name.clone(), status));
                }
                let label = new_label(status);
                shown_map.insert(
                    name.clone(),
                    if show_secrets {
                        secret.clone()
                    } else {
                        Value::String(label.clone())
                    },
                );
                masked_map.insert(name.clone(), Value::String(label));
            }
            set(&mut masked.1, field, masked_map);
            set(&mut shown.1, field, shown_map);
        }
    }
    let text = |v: &Option<Value>| v.as_ref().map(yaml::to_string).unwrap_or_default();
    Compared {
        masked: (text(&masked.0), text(&masked.1)),
        shown: (text(&shown.0), text(&shown.1)),
        masked_values: masked,
        not_compared,
        keys,
    }
}

fn set(document: &mut Option<Value>, field: &str, map: Map<String, Value>) {
    if let Some(document) = document {
        document[field] = Value::Object(map);
    }
}

/// Compares one value as recorded (sealed, unkeyed or plain) with the rendered one.
fn compare_value(
    field: &str,
    name: &str,
    before: &Value,
    after: &Value,
    key: Option<&SecretKey>,
) -> Status {
    let (before, after) = (state::plain_text(before), state::plain_text(after));
    let same = match state::recorded(&before) {
        Recorded::Plain => before == after,
        Recorded::Unkeyed => return Status::NotCompared(Why::Unkeyed),
        Recorded::Sealed { key_id } => match key {
            None => return Status::NotCompared(Why::NoKey),
            Some(key) if key.id != key_id => return Status::NotCompared(Why::OtherKey),
            Some(key) => key.seal_value(field, name, &after) == before,
        },
    };
    if same {
        Status::Unchanged
    } else {
        Status::Changed
    }
}

/// A Secret value as a diff shows it on the old side: never the value, nor its size (a
/// password's length is worth knowing to whoever guesses it, and a pull-request comment is as
/// public as the record).
fn old_label(status: Status) -> String {
    match status {
        Status::NotCompared(_) => "(hidden, not compared)".to_string(),
        _ => "(hidden)".to_string(),
    }
}

/// The new side: a changed value says so, so the two sides differ exactly when it changed.
fn new_label(status: Status) -> String {
    match status {
        Status::NotCompared(_) => "(hidden, not compared)".to_string(),
        Status::Changed => "(hidden, changed)".to_string(),
        Status::Unchanged | Status::Added | Status::Removed => "(hidden)".to_string(),
    }
}

/// Says why `count` values of `resource` were not compared, and what to do.
pub(super) fn note(resource: &str, why: Why, count: usize, key: Option<&SecretKey>) -> String {
    let values = if count == 1 {
        "1 value".to_string()
    } else {
        format!("{count} values")
    };
    let key_file = state::key_file()
        .map(|p| format!(" or the file `{}`", crate::paths::shown(&p)))
        .unwrap_or_default();
    let reason = match why {
        Why::Unkeyed => format!(
            "the record was written without a secret key, so it holds only which keys exist; set `{}`{key_file} (at least 16 random bytes, kept out of the repository) and render again",
            state::KEY_VARIABLE
        ),
        Why::NoKey => format!(
            "the record's values are sealed with a secret key and none is set here; set the same key in `{}`{key_file}",
            state::KEY_VARIABLE
        ),
        Why::OtherKey => format!(
            "the record was sealed with another key than the one from {}; use the key that wrote the record, or render again to reseal it",
            key.map_or("here", |k| k.origin.as_str())
        ),
    };
    format!(
        "{resource}: {values} not compared: cannot tell changed from unchanged, because {reason}"
    )
}

/// The keys of a Secret that changed, as a consequence (never a value), if any did.
pub(super) fn consequence(keys: &[(String, Status)]) -> Option<super::Consequence> {
    let with = |wanted: fn(&Status) -> bool| -> Vec<String> {
        let mut names: Vec<String> = keys
            .iter()
            .filter(|(_, status)| wanted(status))
            .map(|(name, _)| name.clone())
            .collect();
        names.dedup();
        names
    };
    let added = with(|s| *s == Status::Added);
    let removed = with(|s| *s == Status::Removed);
    let changed = with(|s| *s == Status::Changed);
    let not_compared = with(|s| matches!(s, Status::NotCompared(_)));
    if added.is_empty() && removed.is_empty() && changed.is_empty() {
        return None;
    }
    Some(super::Consequence::SecretChange {
        added,
        removed,
        changed,
        not_compared,
    })
}

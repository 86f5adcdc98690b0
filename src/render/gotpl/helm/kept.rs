//! `fromYaml` and its kin answer the same text with the same value, and Bitnami's `common`
//! asks them about the same few texts over and over (every `common.labels.standard` reads its
//! custom labels back through `fromYaml`, mostly `{}`). Each thread keeps the answers for short
//! texts and hands out a fresh copy of one, so a template that changes the map it got
//! (sprig's `set`, `merge`) changes only its own copy, as with a parse of its own.

use std::cell::RefCell;
use std::collections::HashMap;

use gotmpl::{Map, Value};

/// Texts longer than this are parsed every time (a whole template read back by
/// `common.utils.checksumTemplate` is seldom read twice).
const TEXT_MAX: usize = 4096;

/// How many answers a thread keeps; later texts are parsed every time.
const KEPT_MAX: usize = 1024;

/// A text, and which of the four functions read it.
type Key = (Box<str>, u8);

thread_local! {
    static KEPT: RefCell<HashMap<Key, Value>> = RefCell::new(HashMap::new());
}

/// `read(text)`'s value, from this thread's answers when it has `text` under `kind`.
pub(super) fn read_kept(text: &str, kind: u8, read: impl FnOnce(&str) -> Value) -> Value {
    if text.len() > TEXT_MAX {
        return read(text);
    }
    let key = (Box::<str>::from(text), kind);
    if let Some(value) = KEPT.with(|kept| kept.borrow().get(&key).map(fresh)) {
        return value;
    }
    let value = read(text);
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        if kept.len() < KEPT_MAX {
            kept.insert(key, fresh(&value));
        }
    });
    value
}

/// A copy of a value a text was read into, sharing no map with it; unlike
/// [`Value::deep_copy`], at any depth (the value is a finite tree: it was parsed).
fn fresh(value: &Value) -> Value {
    match value {
        Value::Map(map) => Value::Map(Map::new(
            map.iter().map(|(key, item)| (key, fresh(&item))).collect(),
        )),
        Value::List(items) => Value::list(items.iter().map(fresh).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use gotmpl::{Engine, Options, Value};

    fn render(template: &str) -> String {
        let mut engine = Engine::with_options(Options::helm());
        sprig::register_with(&mut engine, &sprig::Options::default());
        super::super::register(&mut engine);
        engine.add_template("t", template).unwrap();
        engine.render("t", &Value::Nil).unwrap()
    }

    #[test]
    fn a_map_changed_after_from_yaml_leaves_the_next_read_of_its_text_alone() {
        let out = render(
            r#"{{ $a := fromYaml "x: 1\ny: {z: 2}" }}{{ $_ := set $a "x" 3 }}{{ $b := fromYaml "x: 1\ny: {z: 2}" }}{{ $_ := set $b.y "z" 4 }}{{ $c := fromYaml "x: 1\ny: {z: 2}" }}{{ $c.x }} {{ $c.y.z }} {{ $a.x }} {{ $b.y.z }}"#,
        );
        assert_eq!(out, "1 2 3 4");
    }

    #[test]
    fn a_list_read_twice_gives_maps_of_its_own_each_time() {
        let out = render(
            r#"{{ $a := fromJsonArray "[{\"k\": 1}]" }}{{ $_ := set (index $a 0) "k" 5 }}{{ $b := fromJsonArray "[{\"k\": 1}]" }}{{ (index $b 0).k }} {{ (index $a 0).k }}"#,
        );
        assert_eq!(out, "1 5");
    }

    #[test]
    fn the_same_text_read_by_each_function_keeps_each_answer() {
        let out = render(
            r#"{{ fromYaml "[1]" }}|{{ fromYamlArray "[1]" }}|{{ fromJson "[1]" }}|{{ fromJsonArray "[1]" }}|{{ fromYaml "[1]" }}|{{ fromYamlArray "[1]" }}"#,
        );
        let not_a_map = "map[Error:the text is not a map]";
        let expected = [not_a_map, "[1]", not_a_map, "[1]", not_a_map, "[1]"].join("|");
        assert_eq!(out, expected);
    }
}

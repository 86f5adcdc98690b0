//! Frozen data (`Value::freeze`): renders share it, each sees its own changes to its maps and
//! no other render's, as if each had been given a deep copy (what bosun did before freezing).

use gotmpl::{Engine, Value};
use serde_json::json;

#[path = "frozen/into_frozen.rs"]
mod into_frozen;

/// An engine with Go-map `set` (as sprig's: changes the map in place and returns it) and
/// Helm's `include`, and the templates given.
fn engine(templates: &[(&str, &str)]) -> Engine {
    let mut engine = Engine::new();
    engine.add_function("set", |_, args| match &args[0] {
        Value::Map(map) => {
            map.insert(args[1].to_string(), args[2].clone());
            Ok(args[0].clone())
        }
        other => Ok(other.clone()),
    });
    engine.add_function("include", |ctx, args| {
        ctx.execute_template(&args[0].to_string(), &args[1])
            .map(Value::from)
    });
    for (name, text) in templates {
        engine.add_template(name, text).unwrap();
    }
    engine
}

fn frozen_data() -> Value {
    Value::from(json!({"a": {"b": {"c": "original"}}, "list": [{"k": "v"}]})).freeze()
}

#[test]
fn a_change_to_frozen_data_stays_in_the_render_that_made_it() {
    let engine = engine(&[
        ("change", r#"{{$_ := set .a.b "c" "changed"}}{{.a.b.c}}"#),
        ("read", "{{.a.b.c}}"),
    ]);
    let data = frozen_data();
    assert_eq!(engine.render("change", &data).unwrap(), "changed");
    assert_eq!(engine.render("read", &data).unwrap(), "original");
    // The same render again starts from the data as frozen, not from the last render's copy.
    assert_eq!(engine.render("change", &data).unwrap(), "changed");
    assert_eq!(engine.render("read", &data).unwrap(), "original");
}

#[test]
fn every_holder_of_a_frozen_map_in_a_render_sees_its_change() {
    let engine = engine(&[
        ("show", "{{.c}}"),
        (
            "main",
            r#"{{$b := .a.b}}{{$_ := set $b "c" "changed"}}{{.a.b.c}} {{$b.c}} {{include "show" .a.b}} {{$_ := set .a "new" 1}}{{.a.new}}"#,
        ),
    ]);
    let data = frozen_data();
    assert_eq!(
        engine.render("main", &data).unwrap(),
        "changed changed changed 1"
    );
    assert_eq!(
        engine
            .render("show", &Value::from(json!({"c": "x"})))
            .unwrap(),
        "x"
    );
}

#[test]
fn maps_inside_lists_of_frozen_data_are_frozen_too() {
    let engine = engine(&[
        (
            "change",
            r#"{{range .list}}{{$_ := set . "k" "w"}}{{.k}}{{end}}"#,
        ),
        ("read", "{{range .list}}{{.k}}{{end}}"),
    ]);
    let data = frozen_data();
    assert_eq!(engine.render("change", &data).unwrap(), "w");
    assert_eq!(engine.render("read", &data).unwrap(), "v");
}

#[test]
fn renders_on_many_threads_never_see_each_others_changes() {
    let engine = engine(&[(
        "main",
        r#"{{$_ := set .a.b "c" (printf "%v-%v" .a.b.c $.n)}}{{.a.b.c}}"#,
    )]);
    let data = frozen_data();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|n| {
                let (engine, data) = (&engine, &data);
                scope.spawn(move || {
                    let Value::Map(top) = data else {
                        unreachable!("the data is a map")
                    };
                    // Each thread renders with its own top level around the shared `.a`.
                    let mut entries = top.entries();
                    entries.insert("n".into(), Value::Int(n));
                    let data = Value::map(entries);
                    (0..50)
                        .map(|_| engine.render("main", &data).unwrap())
                        .all(|out| out == format!("original-{n}"))
                })
            })
            .collect();
        assert!(handles.into_iter().all(|h| h.join().unwrap()));
    });
}

#[test]
fn a_deep_copy_of_frozen_data_can_change_outside_a_render() {
    let data = frozen_data();
    let copy = data.deep_copy();
    let (Value::Map(original), Value::Map(copied)) = (&data, &copy) else {
        unreachable!("both are maps")
    };
    copied.insert("a".into(), Value::from("replaced"));
    assert_eq!(copied.get("a"), Some(Value::from("replaced")));
    assert!(matches!(original.get("a"), Some(Value::Map(_))));
}

//! The Rust side of the engine: host functions and objects, `include`/`tpl` through the
//! context, options, limits against hostile templates, errors as values, JSON conversion.

use std::collections::BTreeMap;

use gotmpl::{Engine, Error, ErrorKind, MissingKey, Object, Options, Value};
use serde_json::json;

/// Helm's `.Capabilities.APIVersions`: a list with a `Has` method.
#[derive(Debug)]
struct ApiVersions(Vec<String>);

impl Object for ApiVersions {
    fn type_name(&self) -> &str {
        "chartutil.VersionSet"
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, Error>> {
        match name {
            "Has" => Some(match args {
                [Value::String(v)] => Ok(Value::Bool(self.0.iter().any(|a| a == &**v))),
                _ => Err(Error::new(format!(
                    "wrong number of args for Has: want 1 got {}",
                    args.len()
                ))),
            }),
            _ => None,
        }
    }
    fn as_value(&self) -> Option<Value> {
        Some(Value::list(
            self.0.iter().map(|v| Value::from(v.as_str())).collect(),
        ))
    }
}

/// Helm's `.Capabilities`: fields only.
#[derive(Debug)]
struct Capabilities;

impl Object for Capabilities {
    fn type_name(&self) -> &str {
        "*chartutil.Capabilities"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "APIVersions" => Some(Value::object(ApiVersions(vec![
                "v1".into(),
                "apps/v1".into(),
            ]))),
            "KubeVersion" => Some(Value::from("v1.31.0")),
            _ => None,
        }
    }
}

/// Helm's `.Files`: a method that can fail.
#[derive(Debug)]
struct Files;

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, Error>> {
        (name == "Get").then(|| match args.first().and_then(Value::as_str) {
            Some("a.txt") => Ok(Value::from("contents of a")),
            Some(other) => Err(Error::new(format!("file {other} not found"))),
            None => Err(Error::new("Get needs a file name")),
        })
    }
}

fn helm_root() -> Value {
    let mut root = BTreeMap::new();
    root.insert("Capabilities".to_string(), Value::object(Capabilities));
    root.insert("Files".to_string(), Value::object(Files));
    root.insert(
        "Values".to_string(),
        Value::from_json_as_float64(&json!({"port": 8080, "name": "web"})),
    );
    Value::map(root)
}

fn render(engine: &mut Engine, text: &str, data: &Value) -> Result<String, Error> {
    engine.add_template("t", text)?;
    engine.render("t", data)
}

#[test]
fn object_fields_and_methods() {
    let mut engine = Engine::new();
    let text = r#"{{ .Capabilities.KubeVersion }} {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "x/v9" }} {{ .Files.Get "a.txt" }} {{ .Capabilities.APIVersions }}"#;
    let out = render(&mut engine, text, &helm_root()).unwrap();
    assert_eq!(out, "v1.31.0 true false contents of a [v1 apps/v1]");
}

#[test]
fn object_method_in_if_and_pipeline() {
    let mut engine = Engine::new();
    let text =
        r#"{{ if .Capabilities.APIVersions.Has "v1" }}yes{{ end }} {{ "a.txt" | .Files.Get }}"#;
    assert_eq!(
        render(&mut engine, text, &helm_root()).unwrap(),
        "yes contents of a"
    );
}

#[test]
fn object_method_error_is_located() {
    let mut engine = Engine::new();
    let err = render(&mut engine, "x\n  {{ .Files.Get \"b.txt\" }}", &helm_root()).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"template: t:2:11: executing "t" at <.Files.Get>: error calling Get: file b.txt not found"#
    );
    assert_eq!(err.kind(), ErrorKind::Execution);
    let location = err.location().unwrap();
    assert_eq!(
        (location.parse_name.as_str(), location.line, location.column),
        ("t", 2, 11)
    );
}

#[test]
fn object_unknown_field() {
    let mut engine = Engine::new();
    let err = render(&mut engine, "{{ .Capabilities.Nope }}", &helm_root()).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"template: t:1:16: executing "t" at <.Capabilities.Nope>: can't evaluate field Nope in type *chartutil.Capabilities"#
    );
}

#[test]
fn field_with_arguments_is_an_error() {
    let mut engine = Engine::new();
    let err = render(
        &mut engine,
        "{{ .Capabilities.KubeVersion 1 }}",
        &helm_root(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .ends_with("KubeVersion has arguments but cannot be invoked as function"),
        "{err}"
    );
}

/// Helm's `include`, written on the context as bosun will write it.
fn add_include(engine: &mut Engine) {
    engine.add_function("include", |ctx, args| {
        let [Value::String(name), data] = args else {
            return Err(Error::new("include needs a name and a value"));
        };
        ctx.execute_template(name, data).map(Value::from)
    });
}

#[test]
fn include_executes_a_named_template_into_a_string() {
    let mut engine = Engine::new();
    add_include(&mut engine);
    let text = r#"{{ define "label" }}app: {{ .name }}{{ end }}{{ include "label" .Values | printf "%q" }}"#;
    assert_eq!(
        render(&mut engine, text, &helm_root()).unwrap(),
        r#""app: web""#
    );
}

#[test]
fn include_error_wraps_the_inner_error() {
    let mut engine = Engine::with_options(Options::helm());
    add_include(&mut engine);
    let text = "{{ define \"bad\" }}\n{{ .x.y }}{{ end }}{{ include \"bad\" .Values }}";
    let err = render(&mut engine, text, &helm_root()).unwrap_err();
    assert_eq!(
        err.to_string(),
        concat!(
            r#"template: t:2:22: executing "t" at <include "bad" .Values>: error calling include: "#,
            r#"template: t:2:5: executing "bad" at <.x.y>: nil pointer evaluating interface {}.y"#
        )
    );
    let source = std::error::Error::source(&err).expect("the inner error is kept as the source");
    assert!(
        source
            .to_string()
            .starts_with("template: t:2:5: executing \"bad\""),
        "{source}"
    );
}

/// A host draws the failing line from the error alone, even for text parsed at run time under
/// another template's name (Helm's `tpl`): the location carries the text it counts in.
#[test]
fn an_error_in_text_run_by_a_function_carries_that_text() {
    let mut engine = Engine::with_options(Options::helm());
    engine.add_function("tpl", |ctx, args| {
        let text = args[0].as_str().unwrap_or_default().to_string();
        ctx.execute_text("t", &text, &args[1]).map(Value::from)
    });
    let text = "line one\n{{ tpl \"a\\nb {{ .x.y }}\" .Values }}";
    let err = render(&mut engine, text, &helm_root()).unwrap_err();
    let outer = err.location().expect("the call is located");
    assert_eq!((outer.line, outer.column, &*outer.text), (2, 3, text));
    let inner = err
        .cause()
        .expect("the failure inside the text is the cause");
    let at = inner.location().expect("the failure is located");
    assert_eq!((at.parse_name.as_str(), at.line, at.column), ("t", 2, 7));
    assert_eq!(&*at.text, "a\nb {{ .x.y }}");
    assert!(inner.cause().is_none());
}

#[test]
fn include_of_missing_template() {
    let mut engine = Engine::new();
    add_include(&mut engine);
    let err = render(&mut engine, r#"{{ include "nope" . }}"#, &Value::Nil).unwrap_err();
    assert!(
        err.to_string().ends_with(
            r#"error calling include: template: no template "nope" associated with template "nope""#
        ),
        "{err}"
    );
}

#[test]
fn tpl_parses_text_with_the_current_templates() {
    let mut engine = Engine::new();
    engine.add_function("tpl", |ctx, args| {
        let [Value::String(text), data] = args else {
            return Err(Error::new("tpl needs text and a value"));
        };
        ctx.execute_text("gotpl", text, data).map(Value::from)
    });
    let data = Value::from(
        json!({"t": "{{ template \"shared\" . }}-{{ define \"own\" }}O{{ end }}{{ template \"own\" }}", "n": 1}),
    );
    let text = r#"{{ define "shared" }}S{{ .n }}{{ end }}{{ tpl .t . }}"#;
    assert_eq!(render(&mut engine, text, &data).unwrap(), "S1-O");
    // The text's own definitions do not outlive the call.
    assert!(!engine.has_template("own"));
}

#[test]
fn render_text_runs_once_without_keeping_the_template() {
    let engine = Engine::new();
    assert_eq!(
        engine
            .render_text("once", "{{ . }}", &Value::from("x"))
            .unwrap(),
        "x"
    );
    assert!(!engine.has_template("once"));
}

#[test]
fn host_function_overrides_and_is_checked_at_parse_time() {
    let mut engine = Engine::new();
    let err = engine.add_template("t", "{{ shout . }}").unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"template: t:1: function "shout" not defined"#
    );
    assert_eq!(err.kind(), ErrorKind::Syntax);
    engine.add_function("shout", |_, args| Ok(Value::from(format!("{}!", args[0]))));
    engine.add_function("len", |_, _| Ok(Value::from("host len")));
    assert_eq!(
        render(&mut engine, "{{ shout . }} {{ len . }}", &Value::from("hi")).unwrap(),
        "hi! host len"
    );
}

#[test]
fn host_function_error_gets_go_prefix() {
    let mut engine = Engine::new();
    engine.add_function("fail", |_, args| Err(Error::new(format!("{}", args[0]))));
    let err = render(&mut engine, r#"{{ fail "boom" }}"#, &Value::Nil).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"template: t:1:3: executing "t" at <fail "boom">: error calling fail: boom"#
    );
    assert_eq!(err.message(), "error calling fail: boom");
    assert_eq!(err.template(), Some("t"));
    assert_eq!(err.context(), Some(r#"fail "boom""#));
}

#[test]
fn call_invokes_function_values() {
    let mut engine = Engine::new();
    let mut data = BTreeMap::new();
    data.insert(
        "add".to_string(),
        Value::func(|args| Ok(Value::Int(args.iter().filter_map(Value::as_int).sum()))),
    );
    data.insert("bad".to_string(), Value::func(|_| Err(Error::new("no"))));
    let data = Value::map(data);
    assert_eq!(
        render(&mut engine, "{{ call .add 1 2 3 }}", &data).unwrap(),
        "6"
    );
    let err = render(&mut engine, "{{ call .bad }}", &data).unwrap_err();
    assert!(err.to_string().ends_with("error calling call: no"), "{err}");
}

#[test]
fn helm_options_remove_no_value_and_use_zero_missing_keys() {
    let mut engine = Engine::with_options(Options::helm());
    assert_eq!(engine.options().missing_key, MissingKey::Zero);
    assert_eq!(
        render(&mut engine, "[{{ .a }}]", &Value::from(json!({}))).unwrap(),
        "[]"
    );
    let mut go = Engine::new();
    assert_eq!(
        render(&mut go, "[{{ .a }}]", &Value::from(json!({}))).unwrap(),
        "[<no value>]"
    );
}

#[test]
fn missingkey_error() {
    let mut engine = Engine::new();
    engine.options_mut().missing_key = MissingKey::Error;
    let err = render(&mut engine, "{{ .a }}", &Value::from(json!({}))).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"template: t:1:3: executing "t" at <.a>: map has no entry for key "a""#
    );
}

#[test]
fn recursion_stops_at_the_depth_limit() {
    let mut engine = Engine::new();
    let err = render(
        &mut engine,
        r#"{{ define "loop" }}{{ template "loop" . }}{{ end }}{{ template "loop" . }}"#,
        &Value::Nil,
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    assert!(
        err.to_string()
            .contains("exceeded maximum template depth (1000)"),
        "{err}"
    );
}

#[test]
fn include_recursion_stops_at_the_depth_limit() {
    let mut engine = Engine::new();
    add_include(&mut engine);
    let err = render(
        &mut engine,
        r#"{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}"#,
        &Value::Nil,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("exceeded maximum template depth"),
        "{err}"
    );
}

#[test]
fn a_huge_range_stops_at_the_step_limit() {
    let mut engine = Engine::new();
    engine.options_mut().max_steps = 10_000;
    let err = render(
        &mut engine,
        "{{ range 1000000000000 }}{{ end }}",
        &Value::Nil,
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    assert!(err.to_string().contains("exceeded 10000 steps"), "{err}");
}

#[test]
fn output_growth_stops_at_the_output_limit() {
    let mut engine = Engine::new();
    engine.options_mut().max_output = 1 << 20;
    add_include(&mut engine);
    // Each level doubles the text: 2^40 bytes if nothing stopped it.
    let mut text = String::from(r#"{{ define "l0" }}xxxxxxxxxxxxxxxx{{ end }}"#);
    for i in 1..40 {
        text.push_str(&format!(r#"{{{{ define "l{i}" }}}}{{{{ include "l{p}" . }}}}{{{{ include "l{p}" . }}}}{{{{ end }}}}"#, p = i - 1));
    }
    text.push_str(r#"{{ include "l39" . }}"#);
    let err = render(&mut engine, &text, &Value::Nil).unwrap_err();
    assert!(err.to_string().contains("output exceeded"), "{err}");
}

#[test]
fn deep_nesting_is_a_parse_error_not_a_stack_overflow() {
    let mut engine = Engine::new();
    let text = format!("{{{{ {}1{} }}}}", "(".repeat(10_000), ")".repeat(10_000));
    let err = engine.add_template("t", &text).unwrap_err();
    assert!(
        err.to_string().contains("nesting deeper than 100 levels"),
        "{err}"
    );
    let text = format!(
        "{}x{}",
        "{{ if true }}".repeat(5_000),
        "{{ end }}".repeat(5_000)
    );
    assert!(engine.add_template("t", &text).is_err());
}

#[test]
fn printf_widths_are_bounded() {
    let mut engine = Engine::new();
    assert_eq!(
        render(&mut engine, r#"{{ printf "%2000000d" 1 }}"#, &Value::Nil).unwrap(),
        "%!(BADWIDTH)1"
    );
}

#[test]
fn json_round_trip() {
    let json = json!({"a": [1, 2.5, "s", true, null], "b": {"c": {}}});
    let value = Value::from(&json);
    assert_eq!(value.to_json(), json);
    assert_eq!(value.type_name(), "map[string]interface {}");
    let floats = Value::from_json_as_float64(&json!({"n": 3}));
    let Value::Map(map) = &floats else {
        panic!("a map")
    };
    assert!(matches!(map.get("n"), Some(Value::Float(f)) if f == 3.0));
}

#[test]
fn templates_added_later_replace_earlier_unless_empty() {
    let mut engine = Engine::new();
    engine
        .add_template("a", r#"{{ define "x" }}one{{ end }}"#)
        .unwrap();
    engine
        .add_template("b", r#"{{ define "x" }}two{{ end }}"#)
        .unwrap();
    engine
        .add_template("c", r#"{{ define "x" }}{{ end }}"#)
        .unwrap();
    engine.add_template("t", r#"{{ template "x" }}"#).unwrap();
    assert_eq!(engine.render("t", &Value::Nil).unwrap(), "two");
    assert_eq!(engine.template_names(), vec!["a", "b", "c", "t", "x"]);
    let err = engine.render("nope", &Value::Nil).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"template: no template "nope" associated with template "nope""#
    );
}

#[test]
fn errors_in_defined_templates_point_at_the_file_they_came_from() {
    let mut engine = Engine::new();
    engine
        .add_template(
            "_helpers.tpl",
            "{{ define \"h\" }}\n\n  {{ .a.b }}{{ end }}",
        )
        .unwrap();
    engine
        .add_template("deployment.yaml", r#"{{ template "h" .Values }}"#)
        .unwrap();
    let err = engine
        .render(
            "deployment.yaml",
            &Value::from(json!({"Values": {"a": null}})),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"template: _helpers.tpl:3:7: executing "h" at <.a.b>: nil pointer evaluating interface {}.b"#
    );
}

#[test]
fn readme_example() -> Result<(), Error> {
    let mut engine = Engine::with_options(Options::helm());
    engine.add_function("include", |ctx, args| match args {
        [Value::String(name), data] => ctx.execute_template(name, data).map(Value::from),
        _ => Err(Error::new("include needs a template name and a value")),
    });
    engine.add_template(
        "mychart/templates/_helpers.tpl",
        r#"{{ define "name" }}{{ .Values.name }}{{ end }}"#,
    )?;
    engine.add_template(
        "mychart/templates/cm.yaml",
        r#"name: {{ include "name" . }}"#,
    )?;
    let root = Value::from_json_as_float64(&json!({"Values": {"name": "web"}}));
    assert_eq!(
        engine.render("mychart/templates/cm.yaml", &root)?,
        "name: web"
    );
    Ok(())
}

#[test]
fn object_with_a_plain_value_ranges_indexes_and_prints_as_it() {
    let mut engine = Engine::new();
    let text = r#"{{ range .Capabilities.APIVersions }}<{{ . }}>{{ end }} {{ len .Capabilities.APIVersions }} {{ index .Capabilities.APIVersions 1 }} {{ slice .Capabilities.APIVersions 1 }} {{ printf "%v|%T" .Capabilities.APIVersions .Capabilities.APIVersions }}"#;
    let out = render(&mut engine, text, &helm_root()).unwrap();
    assert_eq!(
        out,
        "<v1><apps/v1> 2 apps/v1 [apps/v1] [v1 apps/v1]|chartutil.VersionSet"
    );
}

#[test]
fn an_engine_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Engine>();
    let mut engine = Engine::new();
    engine.add_template("t", "{{ . }}").unwrap();
    let outputs: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let engine = engine.clone();
                scope.spawn(move || engine.render("t", &Value::Int(i)).unwrap())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(outputs, ["0", "1", "2", "3"]);
}

#[test]
fn deep_nesting_at_every_recursion_level_fits_the_stack() {
    // Close to the worst a template can ask for within the default limits: 90 nested blocks
    // and parentheses in a template that calls itself 1,000 deep, on a 2 MiB test thread.
    let mut engine = Engine::new();
    let mut body = String::new();
    for _ in 0..45 {
        body.push_str("{{ if true }}{{ with 1 }}");
    }
    body.push_str(r#"{{ template "r" (print (print (print (print .)))) }}"#);
    for _ in 0..45 {
        body.push_str("{{ end }}{{ end }}");
    }
    let text = format!(r#"{{{{ define "r" }}}}{body}{{{{ end }}}}{{{{ template "r" . }}}}"#);
    let err = render(&mut engine, &text, &Value::Nil).unwrap_err();
    assert!(
        err.to_string().contains("exceeded maximum template depth"),
        "{err}"
    );
}

#[test]
fn a_string_doubled_in_a_variable_stops_at_the_output_limit() {
    let mut engine = Engine::new();
    engine.options_mut().max_output = 1 << 20;
    let text = r#"{{ $s := "xxxxxxxx" }}{{ range 64 }}{{ $s = print $s $s }}{{ end }}{{ len $s }}"#;
    let err = render(&mut engine, text, &Value::Nil).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    assert!(
        err.to_string().contains("output exceeded 1048576 bytes"),
        "{err}"
    );
}

/// A host object that stands for an empty map is false, as Helm's empty `.Files.Glob` result is.
#[test]
fn an_object_standing_for_an_empty_map_is_false() {
    #[derive(Debug)]
    struct Empty;
    impl gotmpl::Object for Empty {
        fn type_name(&self) -> &str {
            "chart.Files"
        }
        fn as_value(&self) -> Option<Value> {
            Some(Value::map(Default::default()))
        }
    }
    let mut engine = gotmpl::Engine::new();
    engine
        .add_template("t", "{{ if .g }}yes{{ else }}no{{ end }}")
        .unwrap();
    let data = Value::map(
        [("g".to_string(), Value::object(Empty))]
            .into_iter()
            .collect(),
    );
    assert_eq!(engine.render("t", &data).unwrap(), "no");
}

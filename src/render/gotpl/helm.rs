//! The functions Helm itself adds to Go templates (sprig's come from the `sprig` crate):
//! `include`, `tpl`, `required`, `fail`, `toYaml`, `toJson`, `fromYaml`, `fromJson` and their
//! array forms, and `lookup`, which answers as `helm template` does (an empty map).

use gotmpl::{Context, Engine, Error, Param, Signature, Value};

use super::go_json;
use crate::yaml;

mod kept;

/// A host function as the engine takes it.
type HostFn = fn(&mut Context<'_, '_>, &[Value]) -> Result<Value, Error>;

/// Adds Helm's own functions to `engine`, each with its Go parameter types, so a wrong
/// argument is reported in Go's words (`wrong number of args for include: want 2 got 1`,
/// `wrong type for value; expected string; got interface {}`) as Helm reports it.
pub fn register(engine: &mut Engine) {
    use Param::{Any, String as Str};
    let typed = |engine: &mut Engine, name: &str, params: &[Param], f: HostFn| {
        engine.add_function_with_signature(name, Signature::new(params), f);
    };
    typed(engine, "include", &[Str, Any], |ctx, args| {
        let name = text(&args[0]);
        if !ctx.has_template(&name) {
            // Helm's templates hang off one root named `gotpl`, which Go's message names.
            return Err(Error::new(format!(
                "template: no template {name:?} associated with template \"gotpl\""
            )));
        }
        ctx.execute_template(&name, &args[1]).map(Value::from)
    });
    typed(engine, "tpl", &[Str, Any], tpl);
    typed(engine, "required", &[Str, Any], |_, args| match &args[1] {
        Value::Nil => Err(Error::new(text(&args[0]))),
        Value::String(s) if s.is_empty() => Err(Error::new(text(&args[0]))),
        other => Ok(other.clone()),
    });
    typed(engine, "fail", &[Str], |_, args| {
        Err(Error::new(text(&args[0])))
    });
    typed(engine, "toYaml", &[Any], |_, args| {
        Ok(Value::from(to_yaml(&args[0])))
    });
    typed(engine, "toYamlPretty", &[Any], |_, args| {
        Ok(Value::from(to_yaml(&args[0])))
    });
    typed(engine, "toJson", &[Any], |_, args| {
        Ok(Value::from(to_json(&args[0])))
    });
    typed(engine, "mustToJson", &[Any], |_, args| {
        Ok(Value::from(to_json(&args[0])))
    });
    typed(engine, "fromYaml", &[Str], |_, args| {
        Ok(from_text(&text(&args[0]), false, Shape::Map))
    });
    typed(engine, "fromYamlArray", &[Str], |_, args| {
        Ok(from_text(&text(&args[0]), false, Shape::List))
    });
    typed(engine, "fromJson", &[Str], |_, args| {
        Ok(from_text(&text(&args[0]), true, Shape::Map))
    });
    typed(engine, "fromJsonArray", &[Str], |_, args| {
        Ok(from_text(&text(&args[0]), true, Shape::List))
    });
    // `helm template` has no cluster to ask: every lookup finds nothing.
    engine.add_function("lookup", |_, _| Ok(Value::map(Default::default())));
    // Known to Helm, not to bosun: a chart that only mentions it (behind a flag that is off)
    // parses and renders; a chart that calls it stops at that line, saying so.
    engine.add_function("getHostByName", |_, _| {
        Err(Error::new(
            "`getHostByName` (a DNS lookup) is not supported by bosun, which renders offline",
        ))
    });
}

/// A value as Go's `%v` would print it where a string is expected.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.to_string(),
        Value::Nil => String::new(),
        other => other.to_string(),
    }
}

/// `tpl TEXT DATA`: TEXT parsed as a template and run with DATA, `<no value>` removed.
fn tpl(ctx: &mut Context<'_, '_>, args: &[Value]) -> Result<Value, Error> {
    let data = &args[1];
    let name = match data {
        Value::Map(map) => map
            .get("Template")
            .and_then(|t| match t {
                Value::Map(t) => t.get("Name").and_then(|n| n.as_str().map(str::to_string)),
                _ => None,
            })
            .unwrap_or_else(|| "tpl".to_string()),
        _ => "tpl".to_string(),
    };
    let out = ctx.execute_text(&name, &text(&args[0]), data)?;
    Ok(Value::from(out.replace("<no value>", "")))
}

/// A value as plain JSON, with Helm's numbers: a float64 that holds an integer prints as one.
fn plain_json(value: &Value) -> serde_json::Value {
    fn integral(json: serde_json::Value) -> serde_json::Value {
        match json {
            serde_json::Value::Number(n) => match n.as_f64() {
                Some(f)
                    if n.is_f64()
                        && f.fract() == 0.0
                        && f.abs() < 9.007_199_254_740_992e15
                        && !(f == 0.0 && f.is_sign_negative()) =>
                {
                    serde_json::Value::from(f as i64)
                }
                _ => serde_json::Value::Number(n),
            },
            serde_json::Value::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(integral).collect())
            }
            serde_json::Value::Object(map) => {
                serde_json::Value::Object(map.into_iter().map(|(k, v)| (k, integral(v))).collect())
            }
            other => other,
        }
    }
    integral(value.to_json())
}

/// `toYaml`: Go's YAML writer's text (see [`super::go_yaml`]), its one trailing newline
/// trimmed as Helm trims it.
fn to_yaml(value: &Value) -> String {
    let text = super::go_yaml::to_string(&plain_json(value));
    text.strip_suffix('\n').unwrap_or(&text).to_string()
}

/// `toJson`: compact, with `<`, `>` and `&` escaped as Go's encoder escapes them.
fn to_json(value: &Value) -> String {
    go_json::to_string(&plain_json(value))
}

/// Whether `text` ends inside a literal or folded block without a final line break (text an
/// `include` or `toYaml` gave, whose last newline Helm trims): Go's reader then ends the block
/// without one, where bosun's YAML reader adds it.
fn block_ends_the_text(text: &str) -> bool {
    // A block's lines are indented under their key or dash; a last line that is not (`---`,
    // a key, a flow collection) ends no block.
    let last = text.lines().last().unwrap_or("");
    let content = last.trim();
    !text.ends_with('\n')
        && last.starts_with(' ')
        && !content.is_empty()
        && !content.starts_with('#')
        && !content.ends_with(['"', '\''])
}

/// Drops the line break ending the last scalar, in document order, if it ends with one.
fn drop_last_line_break(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) if s.ends_with('\n') => {
            s.pop();
        }
        serde_json::Value::Array(items) => {
            if let Some(last) = items.last_mut() {
                drop_last_line_break(last);
            }
        }
        serde_json::Value::Object(map) => {
            if let Some((_, last)) = map.iter_mut().last() {
                drop_last_line_break(last);
            }
        }
        _ => {}
    }
}

enum Shape {
    Map,
    List,
}

/// `fromYaml` / `fromJson` and the array forms: Helm puts a parse error under `Error` (a map)
/// or as the only item (a list) instead of failing. A short text read before on this thread is
/// answered from what it was read into (`helm/kept.rs`).
fn from_text(text: &str, json: bool, shape: Shape) -> Value {
    let kind = (u8::from(json) << 1) | u8::from(matches!(shape, Shape::List));
    kept::read_kept(text, kind, |text| read_text(text, json, shape))
}

/// [`from_text`]'s reading itself.
fn read_text(text: &str, json: bool, shape: Shape) -> Value {
    let parsed: Result<serde_json::Value, String> = if json {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else {
        // Go's YAML reader reads the first document of a stream and ignores the rest, and
        // a repeated key keeps its last value.
        yaml::parse_stream_lenient(text)
            .map(|documents| {
                let single = documents.len() == 1;
                let mut first = documents.into_iter().next().unwrap_or_default();
                if single && block_ends_the_text(text) {
                    drop_last_line_break(&mut first);
                }
                first
            })
            .map_err(|e| e.message)
    };
    match (shape, parsed) {
        (Shape::Map, Ok(value @ serde_json::Value::Object(_))) => {
            Value::from_json_as_float64(&value)
        }
        (Shape::List, Ok(value @ serde_json::Value::Array(_))) => {
            Value::from_json_as_float64(&value)
        }
        (Shape::Map, Ok(serde_json::Value::Null)) => Value::map(Default::default()),
        (Shape::Map, Ok(_)) => error_map("the text is not a map"),
        (Shape::Map, Err(e)) => error_map(&e),
        (Shape::List, Ok(_)) => Value::list(vec![Value::from("the text is not a list")]),
        (Shape::List, Err(e)) => Value::list(vec![Value::from(e)]),
    }
}

fn error_map(message: &str) -> Value {
    Value::map(
        [("Error".to_string(), Value::from(message))]
            .into_iter()
            .collect(),
    )
}

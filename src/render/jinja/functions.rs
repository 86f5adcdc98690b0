//! Filters and functions under Helm's names, lower-cased: `toyaml`, `indent`, `quote`,
//! `required`, `tpl`, `semver_compare`, ... Where Helm's behaviour is a known trap, bosun's
//! differs and says so: `default` does not replace `false` or `0`.

use std::borrow::Cow;

use base64::Engine as _;
use minijinja::value::{Kwargs, Rest, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State};
use sha2::Digest as _;

use crate::render::jinja::merge;
use crate::render::jinja::plain_json::plain_json;
use crate::yaml;

/// Adds every bosun filter and function to `env`.
pub fn register(env: &mut Environment<'static>) {
    env.add_filter("toyaml", toyaml);
    env.add_filter("fromyaml", fromyaml);
    env.add_filter("tojson", tojson);
    env.add_filter("fromjson", fromjson);
    env.add_filter("indent", indent);
    env.add_filter("nindent", nindent);
    env.add_filter("quote", quote);
    env.add_filter("squote", squote);
    env.add_filter("b64enc", b64enc);
    env.add_filter("b64dec", b64dec);
    env.add_filter("sha256sum", sha256sum);
    env.add_filter("required", required);
    env.add_filter("default", default);
    env.add_filter("trunc", trunc);
    env.add_filter("trimprefix", trimprefix);
    env.add_filter("trimsuffix", trimsuffix);
    env.add_filter("kebabcase", kebabcase);
    env.add_filter("dictsort", crate::render::jinja::dictsort::dictsort);
    env.add_function("fail", fail);
    env.add_function("required", |v: &Value, msg: String| required(v, msg));
    env.add_function("semver_compare", semver_compare);
    env.add_function("tpl", tpl);
    env.add_function("merge", merge);
    env.add_function("coalesce", coalesce);
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, message.into())
}

/// The JSON value behind a template value; undefined is an error (strict mode).
fn to_json(value: &Value) -> Result<serde_json::Value, Error> {
    if value.is_undefined() {
        return Err(Error::from(ErrorKind::UndefinedError));
    }
    if let Some(json) = plain_json(value) {
        return Ok(json);
    }
    serde_json::to_value(value).map_err(|e| Error::new(ErrorKind::BadSerialization, e.to_string()))
}

/// The text of a value: strings as they are (borrowed), everything else as YAML prints it.
fn text_of(value: &Value) -> Result<Cow<'_, str>, Error> {
    match value.kind() {
        ValueKind::Undefined => Err(Error::from(ErrorKind::UndefinedError)),
        ValueKind::None => Ok(Cow::Borrowed("")),
        ValueKind::Bool => Ok(Cow::Borrowed(if value.is_true() {
            "true"
        } else {
            "false"
        })),
        ValueKind::String => Ok(Cow::Borrowed(value.as_str().unwrap_or_default())),
        ValueKind::Map | ValueKind::Seq => Ok(Cow::Owned(
            serde_json::to_string(&to_json(value)?).map_err(|e| invalid(e.to_string()))?,
        )),
        _ => Ok(Cow::Owned(value.to_string())),
    }
}

/// Block YAML without the trailing newline, like Helm's `toYaml`.
fn toyaml(value: &Value) -> Result<String, Error> {
    let json = to_json(value)?;
    let mut text = yaml::to_string(&json);
    text.truncate(text.trim_end_matches('\n').len());
    Ok(text)
}

pub(super) fn fromyaml(text: &str) -> Result<Value, Error> {
    yaml::parse_value(text)
        .map(|v| Value::from(minijinja::value::Serde(&v)))
        .map_err(|e| invalid(format!("fromyaml: {e}")))
}

fn tojson(value: &Value) -> Result<String, Error> {
    serde_json::to_string(&to_json(value)?).map_err(|e| invalid(e.to_string()))
}

pub(super) fn fromjson(text: &str) -> Result<Value, Error> {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|v| Value::from(minijinja::value::Serde(&v)))
        .map_err(|e| invalid(format!("fromjson: {e}")))
}

/// Indents every non-empty line, the first included, like Helm's `indent`.
fn indent(value: &Value, width: usize) -> Result<String, Error> {
    indented(String::new(), value, width)
}

/// A newline, then the value indented: written in one buffer, not copied after `indent`.
fn nindent(value: &Value, width: usize) -> Result<String, Error> {
    indented(String::from("\n"), value, width)
}

/// Spaces copied in runs by [`indented`], rather than pushed one `char` at a time.
const SPACES: &str = "                                                                ";

/// `out` followed by `value`'s text with every non-empty line indented by `width` spaces.
fn indented(mut out: String, value: &Value, width: usize) -> Result<String, Error> {
    let text = text_of(value)?;
    let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    out.reserve(text.len() + width * (breaks + 1));
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
    let mut start = 0;
    for end in ends {
        if start > 0 {
            out.push('\n');
        }
        let line = &text[start..end];
        start = end + 1;
        if !line.is_empty() {
            let mut left = width;
            while left > 0 {
                let run = left.min(SPACES.len());
                out.push_str(&SPACES[..run]);
                left -= run;
            }
            out.push_str(line);
        }
    }
    Ok(out)
}

/// Double quotes with JSON escapes, which YAML reads back as the same string.
fn quote(value: &Value) -> Result<String, Error> {
    serde_json::to_string(&text_of(value)?).map_err(|e| invalid(e.to_string()))
}

fn squote(value: &Value) -> Result<String, Error> {
    Ok(format!("'{}'", text_of(value)?.replace('\'', "''")))
}

fn b64enc(value: &Value) -> Result<String, Error> {
    Ok(base64::engine::general_purpose::STANDARD.encode(text_of(value)?.as_bytes()))
}

fn b64dec(text: &str) -> Result<String, Error> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|e| invalid(format!("b64dec: {e}")))?;
    String::from_utf8(bytes).map_err(|_| invalid("b64dec: the decoded bytes are not UTF-8 text"))
}

fn sha256sum(value: &Value) -> Result<String, Error> {
    // The digest's own lower-case hex formatting, one write (not a `format!` per byte).
    Ok(format!(
        "{:x}",
        sha2::Sha256::digest(text_of(value)?.as_bytes())
    ))
}

fn is_empty(value: &Value) -> bool {
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => true,
        ValueKind::String => value.as_str().is_some_and(str::is_empty),
        ValueKind::Seq | ValueKind::Map => value.len() == Some(0),
        _ => false,
    }
}

/// Fails with `message` when the value is undefined, none or empty.
fn required(value: &Value, message: String) -> Result<Value, Error> {
    if is_empty(value) {
        Err(invalid(message))
    } else {
        Ok(value.clone())
    }
}

/// `value | default(other)`: `other` when the value is undefined, none, or an empty string,
/// list or map. Unlike Helm, `false` and `0` are kept: they are real settings.
fn default(value: &Value, other: Option<Value>) -> Value {
    if is_empty(value) {
        other.unwrap_or_else(|| Value::from(""))
    } else {
        value.clone()
    }
}

/// The first `n` characters, or the last `-n` when `n` is negative.
fn trunc(text: &str, n: i64) -> String {
    let count = text.chars().count();
    if n >= 0 {
        text.chars().take(n as usize).collect()
    } else {
        let keep = n.unsigned_abs() as usize;
        text.chars().skip(count.saturating_sub(keep)).collect()
    }
}

fn trimprefix(text: &str, prefix: &str) -> String {
    text.strip_prefix(prefix).unwrap_or(text).to_string()
}

fn trimsuffix(text: &str, suffix: &str) -> String {
    text.strip_suffix(suffix).unwrap_or(text).to_string()
}

/// `someName_here` to `some-name-here`: names that must be DNS labels.
fn kebabcase(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut previous_lower = false;
    for c in text.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c == '_' || c == ' ' || c == '.' {
            out.push('-');
            previous_lower = false;
        } else {
            out.push(c);
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

fn fail(message: String) -> Result<Value, Error> {
    Err(invalid(message))
}

/// `semver_compare(">=1.30", capabilities.kube_version.version)`: true when the version meets
/// the constraint. `||` separates alternatives; spaces or commas join comparators.
fn semver_compare(constraint: &str, version: &str) -> Result<bool, Error> {
    let version = parse_version(version)
        .ok_or_else(|| invalid(format!("semver_compare: `{version}` is not a version")))?;
    for alternative in constraint.split("||") {
        let joined = alternative
            .split([' ', ','])
            .filter(|part| !part.is_empty())
            .map(full_comparator)
            .collect::<Vec<_>>()
            .join(", ");
        let requirement = semver::VersionReq::parse(&joined).map_err(|e| {
            invalid(format!(
                "semver_compare: `{constraint}` is not a constraint: {e}"
            ))
        })?;
        let mut candidate = version.clone();
        // A `-0` suffix in a constraint admits pre-releases, as in Helm charts.
        if joined.contains("-0") && !candidate.pre.is_empty() {
            candidate.pre = semver::Prerelease::EMPTY;
        }
        if requirement.matches(&candidate) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `>=1.21-0` to `>=1.21.0-0`: the semver crate wants all three numbers before a pre-release.
fn full_comparator(comparator: &str) -> String {
    let split = comparator
        .find(|c: char| !matches!(c, '<' | '>' | '=' | '~' | '^' | '!'))
        .unwrap_or(comparator.len());
    let (op, version) = comparator.split_at(split);
    let version = version.trim_start_matches('v');
    match version.find(['-', '+']) {
        Some(i) => {
            let (core, rest) = version.split_at(i);
            let mut parts: Vec<&str> = core.split('.').collect();
            while parts.len() < 3 {
                parts.push("0");
            }
            format!("{op}{}{rest}", parts.join("."))
        }
        None => format!("{op}{version}"),
    }
}

fn parse_version(text: &str) -> Option<semver::Version> {
    let text = text.trim().trim_start_matches('v');
    let (core, rest) = match text.find(['-', '+']) {
        Some(i) => text.split_at(i),
        None => (text, ""),
    };
    let mut parts: Vec<&str> = core.split('.').collect();
    while parts.len() < 3 {
        parts.push("0");
    }
    semver::Version::parse(&format!("{}{rest}", parts.join("."))).ok()
}

/// Renders `text` as a template with the current variables (or the map given).
fn tpl(state: &State, text: &str, context: Option<Value>) -> Result<String, Error> {
    let context = match context {
        Some(value) => value,
        None => Value::from(
            [
                "values",
                "release",
                "chart",
                "capabilities",
                "environment",
                "files",
                "template",
            ]
            .into_iter()
            .filter_map(|name| state.lookup(name).map(|v| (name, v)))
            .collect::<std::collections::BTreeMap<&str, Value>>(),
        ),
    };
    state.env().render_named_str("tpl", text, context)
}

/// Deep merge of maps where the leftmost wins, like Helm's `merge`: plain maps as they are
/// ([`merge::merge_plain`]), anything else through JSON.
fn merge(maps: Rest<Value>) -> Result<Value, Error> {
    match merge::merge_plain(&maps) {
        Some(merged) => Ok(merged),
        None => merge_as_json(&maps),
    }
}

/// [`merge`] through JSON: each map turned into JSON, merged, and the result turned back.
pub(super) fn merge_as_json(maps: &[Value]) -> Result<Value, Error> {
    let mut result = serde_json::Value::Object(Default::default());
    for value in maps.iter().rev() {
        if value.is_none() {
            continue;
        }
        let json = to_json(value)?;
        if !json.is_object() {
            return Err(invalid(format!("merge takes maps, not {}", value.kind())));
        }
        merge_json(&mut result, json);
    }
    Ok(Value::from(minijinja::value::Serde(&result)))
}

fn merge_json(base: &mut serde_json::Value, top: serde_json::Value) {
    match (base, top) {
        (serde_json::Value::Object(base), serde_json::Value::Object(top)) => {
            for (key, value) in top {
                match base.get_mut(&key) {
                    Some(existing) => merge_json(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (slot, top) => *slot = top,
    }
}

/// The first argument that is not empty.
fn coalesce(values: Rest<Value>, _kwargs: Kwargs) -> Value {
    values
        .iter()
        .find(|v| !is_empty(v))
        .cloned()
        .unwrap_or(Value::from(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str) -> Result<String, Error> {
        let env = crate::render::jinja::environment();
        env.render_str(
            template,
            minijinja::context! { m => Value::from(minijinja::value::Serde(serde_json::json!({"a": {"b": [1, 2]}, "f": false, "z": 0, "e": ""}))) },
        )
    }

    #[test]
    fn helm_style_text_filters() {
        assert_eq!(render("{{ 'a\nb' | indent(2) }}").unwrap(), "  a\n  b");
        assert_eq!(render("x:{{ 'a' | nindent(2) }}").unwrap(), "x:\n  a");
        assert_eq!(
            render(r#"{{ 'say "hi"' | quote }}"#).unwrap(),
            r#""say \"hi\"""#
        );
        assert_eq!(render("{{ \"it's\" | squote }}").unwrap(), "'it''s'");
        assert_eq!(
            render("{{ 'abcdef' | trunc(3) }}|{{ 'abcdef' | trunc(-2) }}").unwrap(),
            "abc|ef"
        );
        assert_eq!(render("{{ 'v1.2' | trimprefix('v') }}").unwrap(), "1.2");
        assert_eq!(
            render("{{ 'aGVsbG8=' | b64dec }}={{ 'hello' | b64enc }}").unwrap(),
            "hello=aGVsbG8="
        );
        assert_eq!(
            render("{{ 'abc' | sha256sum }}").unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            render("{{ 'myService_name' | kebabcase }}").unwrap(),
            "my-service-name"
        );
    }

    #[test]
    fn yaml_and_json_round_trips() {
        assert_eq!(render("{{ m.a | toyaml }}").unwrap(), "b:\n- 1\n- 2");
        assert_eq!(render("{{ (m.a | tojson | fromjson).b[1] }}").unwrap(), "2");
        assert_eq!(render("{{ ('x: on' | fromyaml).x }}").unwrap(), "true");
    }

    #[test]
    fn default_keeps_false_and_zero() {
        assert_eq!(render("{{ m.f | default(true) }}").unwrap(), "false");
        assert_eq!(render("{{ m.z | default(3) }}").unwrap(), "0");
        assert_eq!(render("{{ m.e | default('x') }}").unwrap(), "x");
        assert_eq!(render("{{ m.missing | default('x') }}").unwrap(), "x");
    }

    #[test]
    fn required_and_fail_stop_the_render() {
        let err = render("{{ m.missing | required('image.tag is required') }}").unwrap_err();
        assert_eq!(err.detail(), Some("image.tag is required"));
        assert!(render("{{ fail('nope') }}").is_err());
    }

    #[test]
    fn semver_constraints() {
        assert!(semver_compare(">=1.30", "v1.35.0").unwrap());
        assert!(!semver_compare(">=1.36", "1.35").unwrap());
        assert!(semver_compare("<1.20 || >=1.30", "1.31").unwrap());
        assert!(semver_compare(">=1.21-0", "v1.25.3-eks-1").unwrap());
        assert!(semver_compare(">=1.0 <2.0", "1.5.0").unwrap());
        assert!(semver_compare("nonsense", "1.0").is_err());
    }

    #[test]
    fn merge_leftmost_wins_deeply() {
        assert_eq!(
            render("{{ merge({'a': {'x': 1}}, {'a': {'x': 2, 'y': 3}, 'b': 4}) | tojson }}")
                .unwrap(),
            r#"{"a":{"x":1,"y":3},"b":4}"#
        );
        assert_eq!(render("{{ coalesce(none, '', 'z') }}").unwrap(), "z");
    }

    #[test]
    fn tpl_renders_with_the_current_variables() {
        let env = crate::render::jinja::environment();
        let out = env
            .render_str("{{ tpl(values.t) }}", minijinja::context! { values => minijinja::context! { t => "{{ values.n }}-x", n => 3 } })
            .unwrap();
        assert_eq!(out, "3-x");
    }
}

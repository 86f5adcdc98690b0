//! Checking the merged values against the chart's `values.schema.json` (which may `$ref` files
//! of the chart and its dependencies). A violation points at the key in the values file it came
//! from, or names the `--set` flag; an unknown key gets the nearest allowed one, the allowed
//! keys, and where the schema defines them.

use serde_json::Value;

use super::{Violation, offending_field};
use crate::diagnostics::SourceSnippet;

/// Resolves `$ref`s to JSON files of the chart itself or of its dependencies (so a chart's
/// schema can be `{"$ref": "../../templates/service/values.schema.json"}`), and to the built-in
/// library's (`{"$ref": "bosun://service/values.schema.json"}`), and nothing else.
struct ChartFiles {
    roots: Vec<std::path::PathBuf>,
}

impl jsonschema::Retrieve for ChartFiles {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        if let Some(text) = builtin_file(uri.as_str()) {
            return Ok(serde_json::from_str(text)?);
        }
        let path = std::path::Path::new(uri.path().as_str());
        let real = path.canonicalize()?;
        if uri.scheme().as_str() != "file" || !self.roots.iter().any(|root| real.starts_with(root))
        {
            return Err(format!("`{uri}` is outside the chart and its dependencies").into());
        }
        let text = std::fs::read_to_string(&real)?;
        serde_json::from_str(&text)
            .map_err(|error| Box::new(NotJson::new(crate::paths::shown(path), text, &error)) as _)
    }
}

/// A file of the built-in library named by its `bosun://service/...` address.
fn builtin_file(address: &str) -> Option<&'static str> {
    let path = address.strip_prefix(crate::library::REPOSITORY)?;
    crate::library::file(path.trim_start_matches('/'))
}

/// A schema file that does not parse, kept whole so that the report can point at its line and
/// column.
#[derive(Debug, Clone, thiserror::Error)]
#[error("`{path}` is not valid JSON: {message}")]
struct NotJson {
    path: String,
    text: String,
    line: usize,
    column: usize,
    message: String,
}

impl NotJson {
    fn new(path: String, text: String, error: &serde_json::Error) -> NotJson {
        // serde_json's message ends with " at line 3 column 18", which the snippet shows.
        let message = error.to_string();
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        NotJson {
            path,
            text,
            line: error.line(),
            column: error.column(),
            message,
        }
    }

    fn into_error(self) -> crate::error::Error {
        crate::error::Error::Json {
            snippet: Some(Box::new(SourceSnippet::new(
                &self.path,
                &self.text,
                self.line,
                self.column,
                1,
                "here",
            ))),
            path: self.path,
            message: self.message,
        }
    }
}

/// The error for a schema that does not compile: a `$ref`d file that is not JSON is reported
/// at its line; anything else names the chart's schema.
fn schema_error(
    chart: &crate::chart::Chart,
    shown: &str,
    error: jsonschema::ValidationError,
) -> crate::error::Error {
    if let jsonschema::error::ValidationErrorKind::Referencing(reference) = error.kind() {
        let mut cause = std::error::Error::source(reference);
        while let Some(inner) = cause {
            if let Some(not_json) = inner.downcast_ref::<NotJson>() {
                return not_json.clone().into_error();
            }
            cause = inner.source();
        }
    }
    crate::error::Error::Chart {
        path: chart.dir.clone(),
        reason: format!("`{shown}` is not a valid JSON Schema: {error}"),
        snippet: None,
    }
}

fn dependency_roots(chart: &crate::chart::Chart, out: &mut Vec<std::path::PathBuf>) {
    out.push(chart.root.clone());
    for dependency in &chart.dependencies {
        dependency_roots(&dependency.chart, out);
    }
}

/// Checks merged values against the chart's `values.schema.json`. A violation points at the
/// key in the values file it came from (or names the `--set` flag); an unknown key gets the
/// nearest allowed one and the list of allowed keys, with where the schema defines them.
///
/// A subchart's section (`postgresql:` for a dependency `postgresql`) belongs to the subchart:
/// unless the parent's schema names it among its top-level `properties`, it is left out, so a
/// parent's schema that allows no other keys need not list its dependencies.
pub fn check_values(
    chart: &crate::chart::Chart,
    values: &crate::values::Node,
) -> Result<(), crate::error::Error> {
    check_values_at(chart, values, "")
}

/// [`check_values`] for a subchart, whose values the user knows under `at` (`postgresql.`,
/// ending with a dot), as the report names them.
pub fn check_values_at(
    chart: &crate::chart::Chart,
    values: &crate::values::Node,
    at: &str,
) -> Result<(), crate::error::Error> {
    let schemas: Vec<_> = [chart.dir.join("values.schema.json")]
        .into_iter()
        .filter(|p| p.is_file())
        .collect();
    // Most charts have no schema: their values (thousands of lines for a large fleet) are
    // then not copied into a JSON tree at all.
    if schemas.is_empty() {
        return Ok(());
    }
    let mut value = values.to_value();
    for path in schemas {
        let shown = crate::paths::shown(&path);
        let text = std::fs::read_to_string(&path).map_err(|source| crate::error::Error::Read {
            path: path.clone(),
            source,
        })?;
        let schema: Value = serde_json::from_str(&text)
            .map_err(|e| NotJson::new(shown.clone(), text.clone(), &e).into_error())?;
        without_subchart_sections(chart, &schema, &mut value);
        if vouched(&schema, &value) {
            continue;
        }
        let mut roots = Vec::new();
        dependency_roots(chart, &mut roots);
        let base = format!("file://{}", chart.root.join("values.schema.json").display());
        let validator = jsonschema::options()
            .with_base_uri(base)
            .with_retriever(ChartFiles { roots })
            .build(&schema)
            .map_err(|e| schema_error(chart, &shown, e))?;
        let mut schema_files = SchemaFiles::default();
        let mut violations: Vec<Violation> = validator
            .iter_errors(&value)
            .flat_map(|error| values_violations(values, &error, &mut schema_files))
            .collect();
        // In reading order: file by file, line by line, then those set by flags.
        violations.sort_by(|a, b| {
            let place = |v: &Violation| {
                let file = v.snippet.as_ref().map(|s| s.path.clone());
                (file.is_none(), file, v.line)
            };
            place(a).cmp(&place(b))
        });
        if !violations.is_empty() {
            return Err(crate::error::Error::ValuesSchema {
                help: schema_files.readable(&schema, &shown),
                schema: shown,
                violations: violations
                    .into_iter()
                    .map(|v| crate::diagnostics::Finding {
                        title: format!("`{at}{}`: {}", v.path, v.message),
                        snippet: v.snippet,
                        notes: Vec::new(),
                        help: v.help,
                    })
                    .collect(),
            });
        }
    }
    Ok(())
}

/// Whether the structural validator reads `schema` whole (no `$ref` to another file, only
/// keywords it implements) and finds `values` valid: then `jsonschema` would too, and is not
/// compiled (most of what checking a Bitnami chart's values cost). Otherwise `jsonschema`
/// decides, and writes the messages.
fn vouched(schema: &Value, values: &Value) -> bool {
    let library = library_schema(schema);
    super::structural::Structural::compile(library.as_ref().unwrap_or(schema), &|_| None)
        .is_ok_and(|fast| fast.is_valid(values))
}

/// The built-in library's schema, when `schema` is only a `$ref` to it with string
/// annotations beside it, as the repository's charts have it.
fn library_schema(schema: &Value) -> Option<Value> {
    let map = schema.as_object()?;
    let annotations_only = map.iter().all(|(key, value)| match key.as_str() {
        "$ref" => true,
        "$comment" | "description" | "title" => value.is_string(),
        _ => false,
    });
    if !annotations_only {
        return None;
    }
    serde_json::from_str(builtin_file(map.get("$ref")?.as_str()?)?).ok()
}

fn without_subchart_sections(chart: &crate::chart::Chart, schema: &Value, value: &mut Value) {
    let Value::Object(map) = value else {
        return;
    };
    let keys = chart
        .dependencies
        .iter()
        .filter(|d| !crate::library::is_builtin(d.spec.repository.as_deref().unwrap_or_default()))
        .map(|d| d.chart.name())
        .chain(chart.missing.iter().map(|spec| spec.values_key()));
    for key in keys {
        if schema["properties"].get(key).is_none() {
            map.remove(key);
        }
    }
}

/// The violations of one schema error: one for each unknown key it names, else one.
fn values_violations(
    values: &crate::values::Node,
    error: &jsonschema::ValidationError,
    schema_files: &mut SchemaFiles,
) -> Vec<Violation> {
    let at = error.instance_path().as_str();
    let jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } = error.kind()
    else {
        let mut pointer = at.to_string();
        if let Some(field) = offending_field(error.kind()) {
            pointer.push('/');
            pointer.push_str(&escape(&field));
        }
        return vec![violation(values, pointer, error.to_string(), None)];
    };
    let allowed = schema_files.allowed_keys(error);
    unexpected
        .iter()
        .map(|key| {
            let mut message = format!("unknown key `{key}`");
            let allowed_keys = allowed
                .iter()
                .flat_map(|a| a.keys.iter().map(String::as_str));
            if let Some(near) = crate::diagnostics::did_you_mean(key, allowed_keys) {
                message.push_str(&format!("; did you mean `{near}`?"));
            }
            let help = allowed.as_ref().map(ToString::to_string);
            violation(values, format!("{at}/{}", escape(key)), message, help)
        })
        .collect()
}

/// A JSON pointer segment for `key`.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A violation at `pointer`, pointing at the key in the values file it came from, or naming
/// the flag that set it.
fn violation(
    values: &crate::values::Node,
    pointer: String,
    mut message: String,
    help: Option<String>,
) -> Violation {
    let origin = values.origin_of(&pointer);
    let (line, snippet) = match &origin {
        Some(crate::diagnostics::Origin::File { path: file, line }) if *line > 0 => {
            let snippet = std::fs::read_to_string(file).ok().map(|text| {
                let last = pointer.rsplit('/').next().unwrap_or_default();
                let (line, column, len) = key_place(&text, *line, last);
                Box::new(SourceSnippet::new(file, &text, line, column, len, ""))
            });
            (Some(snippet.as_ref().map_or(*line, |s| s.line)), snippet)
        }
        _ => (None, None),
    };
    if let Some(origin) = origin.filter(|_| snippet.is_none()) {
        message.push_str(&format!(" (set by {origin})"));
    }
    Violation {
        path: dotted(&pointer),
        message,
        line,
        snippet,
        help,
    }
}

/// Where `key` is written: its line, 1-based column and length. `line` is the line of the
/// deepest node the values remember, which is `key` itself or, inside a list, the key holding
/// the list; then the key is looked for in that block. The line's first non-blank character
/// when it is not found.
fn key_place(text: &str, line: usize, key: &str) -> (usize, usize, usize) {
    let key = key.replace("~1", "/").replace("~0", "~");
    let patterns = [format!("{key}:"), format!("\"{key}\""), format!("'{key}'")];
    let find = |source: &str| {
        patterns.iter().find_map(|pattern| {
            let at = source.find(pattern.as_str())?;
            let len = if pattern.ends_with(':') {
                key.chars().count()
            } else {
                pattern.chars().count()
            };
            Some((source[..at].chars().count() + 1, len))
        })
    };
    let indent = |source: &str| source.len() - source.trim_start().len();
    let mut lines = text.lines().enumerate().skip(line.saturating_sub(1));
    let Some((_, first)) = lines.next() else {
        return (line, 1, 1);
    };
    if let Some((column, len)) = find(first) {
        return (line, column, len);
    }
    let block = indent(first);
    for (index, source) in lines {
        let trimmed = source.trim_start();
        let inside = trimmed.is_empty()
            || trimmed.starts_with('#')
            || indent(source) > block
            || (indent(source) == block && trimmed.starts_with('-'));
        if !inside {
            break;
        }
        if let Some((column, len)) = find(source) {
            return (index + 1, column, len);
        }
    }
    (line, block + 1, 1)
}

/// The keys a closed object of the schema allows, and where the schema lists them.
struct AllowedKeys {
    keys: Vec<String>,
    /// The schema file, as shown to a person.
    file: String,
    /// JSON pointer in `file` to the object holding `properties`.
    pointer: String,
    /// A document the schema file names in its top-level `description`, such as docs/values.md.
    docs: Option<String>,
}

impl std::fmt::Display for AllowedKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.keys.is_empty() {
            write!(f, "no keys are allowed here")?;
        } else {
            write!(f, "allowed keys: {}", self.keys.join(", "))?;
        }
        write!(
            f,
            "\nthey are defined at `{}#{}/properties`",
            self.file, self.pointer
        )?;
        if let Some(docs) = &self.docs {
            write!(f, "; documented in {docs}")?;
        }
        Ok(())
    }
}

/// The schema files an error may point into, read once each.
#[derive(Default)]
struct SchemaFiles {
    read: std::collections::HashMap<String, Option<Value>>,
}

impl SchemaFiles {
    fn load(&mut self, path: &str) -> Option<&Value> {
        self.read
            .entry(path.to_string())
            .or_insert_with(|| {
                if let Some(text) = builtin_file(path) {
                    return serde_json::from_str(text).ok();
                }
                let text = std::fs::read_to_string(path).ok()?;
                serde_json::from_str(&text).ok()
            })
            .as_ref()
    }

    /// For an `additionalProperties` error: the `properties` next to it, in the file the
    /// keyword was found in (through `$ref`s).
    fn allowed_keys(&mut self, error: &jsonschema::ValidationError) -> Option<AllowedKeys> {
        let location = error.absolute_keyword_location()?;
        let path = if location.scheme().as_str() == "bosun" {
            format!("{}{}", crate::library::REPOSITORY, location.path().as_str())
        } else {
            location.path().as_str().to_string()
        };
        let fragment = location.fragment().map(|f| f.as_str().to_string())?;
        let pointer = fragment.strip_suffix("/additionalProperties")?.to_string();
        let document = self.load(&path)?;
        let object = document.pointer(&pointer)?;
        let keys = object
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let docs = document_named(document);
        Some(AllowedKeys {
            keys,
            file: crate::paths::shown(std::path::Path::new(&path)),
            pointer,
            docs,
        })
    }

    /// Where a person reads the allowed keys: the file a one-line `{"$ref": "..."}` schema
    /// points to (and the document it names), or the chart's own schema.
    fn readable(&mut self, schema: &Value, shown: &str) -> String {
        let Some(reference) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .filter(|r| !r.starts_with('#'))
        else {
            return format!("`{shown}` says which keys and types are allowed");
        };
        let file = reference.split('#').next().unwrap_or_default();
        let target = if builtin_file(file).is_some() {
            file.to_string()
        } else {
            let target = std::path::Path::new(shown)
                .parent()
                .unwrap_or(std::path::Path::new(""))
                .join(file);
            normalize(&target).display().to_string()
        };
        let docs = self
            .load(&target)
            .and_then(document_named)
            .map(|docs| format!(", and {docs} describes them"))
            .unwrap_or_default();
        format!(
            "`{target}` (the schema `{shown}` refers to) says which keys and types are allowed{docs}"
        )
    }
}

/// `a/b/../../c` as `c`, without touching the file system.
fn normalize(path: &std::path::Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A `.md` file the schema's top-level `description` names ("See docs/values.md for ...").
fn document_named(schema: &Value) -> Option<String> {
    schema
        .get("description")?
        .as_str()?
        .split_whitespace()
        .map(|word| word.trim_end_matches(['.', ',', ';', ')']))
        .find(|word| word.ends_with(".md"))
        .map(str::to_string)
}

/// `/a/b/0` as `a.b[0]`, the way values are written on the command line.
fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        if segment.parse::<usize>().is_ok() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment.replace("~1", "/").replace("~0", "~"));
        }
    }
    if out.is_empty() {
        "(top level)".into()
    } else {
        out
    }
}

#[cfg(test)]
#[path = "values_schema_tests.rs"]
mod vouched_tests;

#[cfg(test)]
mod tests {
    use super::{document_named, key_place, normalize};

    #[test]
    fn the_caret_goes_under_the_key() {
        let text = "a:\n  livenes:\n    path: /\nports:\n- name: http\n  portt: 80\nb: 1\n";
        assert_eq!(key_place(text, 2, "livenes"), (2, 3, 7));
        assert_eq!(key_place(text, 4, "portt"), (6, 3, 5));
        assert_eq!(key_place(text, 4, "b"), (4, 1, 1), "not past the block");
        assert_eq!(key_place("{\"x\": 1}", 1, "x"), (1, 2, 3));
    }

    #[test]
    fn a_schema_names_its_document_and_refs_are_normalized() {
        let schema = serde_json::json!({"description": "See docs/values.md for an example."});
        assert_eq!(document_named(&schema).as_deref(), Some("docs/values.md"));
        assert_eq!(
            normalize(std::path::Path::new("charts/a/../../templates/s.json")),
            std::path::PathBuf::from("templates/s.json")
        );
    }
}

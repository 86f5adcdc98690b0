//! The Jinja template engine: a minijinja environment per chart, set up for YAML, behind the
//! render stage's [`TemplateEngine`] seam.
//!
//! Strict undefined, no auto-escaping, `true`/`false`/`null` printed as YAML spells them,
//! `trim_blocks` + `lstrip_blocks` so a line holding only a `{% tag %}` vanishes, and limits
//! (fuel, recursion, output size) so a runaway chart stops with an error instead of hanging CI.

use std::collections::HashMap;
use std::io;
use std::sync::Arc;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Value;
use minijinja::{AutoEscape, ErrorKind, UndefinedBehavior};

use crate::chart::{Chart, TemplateFile};
use crate::diagnostics::SourceSnippet;
use crate::error::Error;
use crate::render::engine::{Inputs, TemplateEngine};
use crate::render::trace::Traced;

mod blocks;
mod context;
#[cfg(test)]
#[path = "context_tests.rs"]
mod context_tests;
mod dictsort;
#[cfg(test)]
#[path = "dictsort_tests.rs"]
mod dictsort_tests;
mod files;
mod functions;
#[cfg(test)]
#[path = "indent_tests.rs"]
mod indent_tests;
mod merge;
#[cfg(test)]
#[path = "merge_tests.rs"]
mod merge_tests;
mod plain_json;
#[cfg(test)]
#[path = "plain_json_tests.rs"]
mod plain_json_tests;
mod trace;
mod values;
#[cfg(test)]
#[path = "values_tests.rs"]
mod values_tests;

/// Instructions one template may run. The 500-service fleet template uses about a tenth.
pub const FUEL: u64 = 100_000_000;
/// Nesting of macro calls, includes and loops.
pub const RECURSION_LIMIT: usize = 200;
/// Bytes one template may write.
pub const MAX_OUTPUT: usize = 64 * 1024 * 1024;

/// A chart's templates, compiled on demand, and what error reports need to quote them.
pub struct Engine {
    env: minijinja::Environment<'static>,
    sources: Arc<HashMap<String, TemplateFile>>,
}

impl Engine {
    /// Sets up the engine for `chart`. Its partials, and those of its library dependencies,
    /// are importable by file name (`_helpers.tpl`) or by `library/_file.tpl`.
    pub fn new(chart: &Chart) -> Engine {
        let mut sources: HashMap<String, TemplateFile> = chart
            .templates
            .iter()
            .map(|(name, file)| (name.clone(), file.clone()))
            .collect();
        add_library_templates(chart, &mut sources);
        let sources = Arc::new(sources);

        let mut env = environment();
        let loader_sources = Arc::clone(&sources);
        env.set_loader(move |name| Ok(loader_sources.get(name).map(|f| f.source.to_string())));
        Engine { env, sources }
    }

    /// Renders the template `name` (relative to `templates/`) with `context`.
    pub fn render(&self, name: &str, context: &Value) -> Result<String, Error> {
        let mut buffer = Vec::new();
        self.render_to(name, context, &mut |data| buffer.extend_from_slice(data))?;
        String::from_utf8(buffer).map_err(|_| Error::Template {
            message: format!("`{}` rendered text that is not UTF-8", self.shown(name)),
            snippet: None,
            help: None,
        })
    }

    /// Renders the template `name` with `context`, handing the text to `out` as it is written.
    pub fn render_to(
        &self,
        name: &str,
        context: &Value,
        out: &mut dyn FnMut(&[u8]),
    ) -> Result<(), Error> {
        let template = self.env.get_template(name).map_err(|e| self.error(e))?;
        let mut output = LimitedWriter {
            out,
            pending: Vec::with_capacity(WRITE_CHUNK),
            written: 0,
            exceeded: false,
        };
        match template.render_captured_to(context.clone(), &mut output) {
            Ok(_) => output.hand_over(),
            Err(_) if output.exceeded => {
                return Err(Error::Template {
                    message: format!(
                        "`{}` rendered more than {} MiB",
                        self.shown(name),
                        MAX_OUTPUT / 1024 / 1024
                    ),
                    snippet: None,
                    help: Some("look for a loop that repeats output without end".into()),
                });
            }
            Err(e) => {
                let near = near_miss(&e, context);
                let mut error = self.error(e);
                if let (Some(near), Error::Template { help, .. }) = (near, &mut error) {
                    *help = Some(match help.take() {
                        Some(rest) => format!("did you mean `{near}`? Otherwise, {rest}"),
                        None => format!("did you mean `{near}`?"),
                    });
                }
                return Err(error);
            }
        }
        Ok(())
    }

    fn shown(&self, name: &str) -> String {
        self.sources
            .get(name)
            .map_or_else(|| name.to_string(), |f| f.path.display().to_string())
    }

    /// Turns a minijinja error into a report that quotes the template line.
    pub fn error(&self, error: minijinja::Error) -> Error {
        template_error(&self.sources, error)
    }
}

/// A chart's Jinja templates and the variables they all see.
pub struct Jinja {
    engine: Engine,
    variables: Value,
}

impl Jinja {
    pub fn new(inputs: Inputs) -> Jinja {
        Jinja {
            engine: Engine::new(inputs.chart),
            variables: context::chart_variables(
                inputs.chart,
                values::from_node(inputs.values),
                inputs.release,
                inputs.capabilities,
                inputs.environment,
            ),
        }
    }
}

impl TemplateEngine for Jinja {
    fn render(&self, name: &str, source: &str) -> Result<String, Error> {
        self.engine
            .render(name, &context::for_template(&self.variables, source))
    }

    fn render_to(&self, name: &str, source: &str, out: &mut dyn FnMut(&[u8])) -> Result<(), Error> {
        self.engine
            .render_to(name, &context::for_template(&self.variables, source), out)
    }

    fn render_traced(&self, name: &str, source: &str) -> Result<Traced, Error> {
        let context = context::for_template(&self.variables, source);
        let text = self.engine.render(name, &context)?;
        Ok(trace::traced(&self.engine, name, &context, text))
    }
}

/// A minijinja environment with bosun's syntax, limits, formatter, filters and functions,
/// and no templates.
pub fn environment() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("the default delimiters are valid"),
    );
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(RECURSION_LIMIT);
    env.set_formatter(format_value);
    env.set_debug(true);
    env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    functions::register(&mut env);
    env
}

fn add_library_templates(chart: &Chart, sources: &mut HashMap<String, TemplateFile>) {
    for dependency in &chart.dependencies {
        let library = &dependency.chart;
        if !library.is_library() {
            continue;
        }
        for (name, file) in &library.templates {
            sources.entry(name.clone()).or_insert_with(|| file.clone());
            sources.insert(format!("{}/{name}", library.name()), file.clone());
        }
        add_library_templates(library, sources);
    }
}

/// Prints values the way YAML reads them back: `true`, `false`, `null`, and maps or lists
/// as JSON flow collections.
fn format_value(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    use minijinja::value::ValueKind;
    match value.kind() {
        ValueKind::Bool => out.write_str(if value.is_true() { "true" } else { "false" })?,
        ValueKind::None => out.write_str("null")?,
        // Auto-escape is off: a string is written as it is, without `Display`'s machinery.
        ValueKind::String => out.write_str(value.as_str().unwrap_or_default())?,
        ValueKind::Map | ValueKind::Seq => {
            let json = serde_json::to_string(value)
                .map_err(|e| minijinja::Error::new(ErrorKind::BadSerialization, e.to_string()))?;
            out.write_str(&json)?;
        }
        _ => minijinja::escape_formatter(out, state, value)?,
    }
    Ok(())
}

/// Bytes gathered before they go to the output: a template writes a few bytes at a time,
/// and each hand-over costs a call through `dyn` and a search for line breaks.
const WRITE_CHUNK: usize = 8 * 1024;

/// Stops the render at [`MAX_OUTPUT`], and hands the text on in pieces of [`WRITE_CHUNK`].
struct LimitedWriter<'a> {
    out: &'a mut dyn FnMut(&[u8]),
    pending: Vec<u8>,
    written: usize,
    exceeded: bool,
}

impl LimitedWriter<'_> {
    /// Hands the text gathered so far to the output.
    fn hand_over(&mut self) {
        if !self.pending.is_empty() {
            (self.out)(&self.pending);
            self.pending.clear();
        }
    }
}

impl io::Write for LimitedWriter<'_> {
    #[inline]
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.written + data.len() > MAX_OUTPUT {
            self.exceeded = true;
            return Err(io::Error::other("output limit reached"));
        }
        self.written += data.len();
        if self.pending.len() + data.len() > WRITE_CHUNK {
            self.hand_over();
        }
        if data.len() > WRITE_CHUNK {
            (self.out)(data);
        } else {
            self.pending.extend_from_slice(data);
        }
        Ok(data.len())
    }
    /// One `write`: it takes every byte or fails, so the default's loop (retrying short
    /// and interrupted writes) only cost time on each of a render's many small writes.
    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.write(data).map(|_| ())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// For an undefined `values.nme`: `values.name`, when the map holding the missing key has a
/// key that is a near miss of it. Only key names are suggested, never values.
fn near_miss(error: &minijinja::Error, context: &Value) -> Option<String> {
    let mut innermost = error;
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        if let Some(e) = inner.downcast_ref::<minijinja::Error>() {
            innermost = e;
        }
        cause = inner.source();
    }
    if innermost.kind() != ErrorKind::UndefinedError {
        return None;
    }
    let detail = innermost.detail()?;
    let expression = detail.split('`').nth(1)?;
    let segments: Vec<&str> = expression.split('.').collect();
    if segments.iter().any(|s| {
        s.is_empty()
            || !s
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    }) {
        return None;
    }
    let mut parent = context.clone();
    for (depth, segment) in segments.iter().enumerate() {
        let child = parent.get_attr(segment).ok().filter(|v| !v.is_undefined());
        match child {
            Some(child) => parent = child,
            None => {
                let keys: Vec<String> = match parent.kind() {
                    minijinja::value::ValueKind::Map => parent
                        .try_iter()
                        .ok()?
                        .filter_map(|key| key.as_str().map(str::to_string))
                        .collect(),
                    _ => return None,
                };
                let near =
                    crate::diagnostics::did_you_mean(segment, keys.iter().map(String::as_str))?;
                let mut path: Vec<&str> = segments[..depth].to_vec();
                path.push(near);
                return Some(path.join("."));
            }
        }
    }
    None
}

fn template_error(sources: &HashMap<String, TemplateFile>, error: minijinja::Error) -> Error {
    // An error inside an imported macro or include wraps the inner one; report the innermost
    // place that has a location, since that is the line to fix.
    let mut innermost = &error;
    let mut cause = std::error::Error::source(&error);
    while let Some(inner) = cause {
        if let Some(e) = inner.downcast_ref::<minijinja::Error>()
            && e.line().is_some()
        {
            innermost = e;
        }
        cause = inner.source();
    }
    let kind = innermost.kind();
    let detail = innermost.detail().unwrap_or_default().to_string();
    let message = match kind {
        ErrorKind::OutOfFuel => {
            format!("template ran out of fuel: it ran more than {FUEL} instructions")
        }
        _ if detail.is_empty() => kind.to_string(),
        _ => format!("{kind}: {detail}"),
    };
    let help = match kind {
        ErrorKind::UndefinedError => Some(
            "set it in values.yaml or the environment's values, or guard it with `is defined`, `| default(...)` or `.get(...)`".to_string(),
        ),
        ErrorKind::OutOfFuel => Some("look for a loop that never ends or grows without bound".into()),
        ErrorKind::TemplateNotFound => {
            let mut partials: Vec<&str> = sources
                .keys()
                .filter(|n| n.rsplit('/').next().is_some_and(|f| f.starts_with('_')))
                .map(String::as_str)
                .collect();
            partials.sort();
            Some(format!("partials this chart can import: {}", partials.join(", ")))
        }
        _ if detail.contains("recursion") => {
            Some("a macro or include calls itself without end".into())
        }
        _ => None,
    };
    let name = innermost.name().unwrap_or("<template>");
    let file = sources.get(name);
    let shown = file.map_or_else(|| name.to_string(), |f| f.path.display().to_string());
    let snippet = file.and_then(|f| {
        let label = match kind {
            ErrorKind::UndefinedError => "undefined here".to_string(),
            _ => kind.to_string(),
        };
        match (innermost.range(), innermost.line()) {
            (Some(range), _) => Some(Box::new(SourceSnippet::at_bytes(
                &shown, &f.source, range, label,
            ))),
            (None, Some(line)) => Some(Box::new(SourceSnippet::new(
                &shown, &f.source, line, 1, 1, label,
            ))),
            _ => None,
        }
    });
    if kind == ErrorKind::SyntaxError
        && let Some(f) = file
        && let Some(error) = unclosed_block(&shown, &f.source, &detail, innermost.range())
    {
        return error;
    }
    let message = match snippet {
        Some(_) => message,
        None => format!("{message} (in `{shown}`)"),
    };
    Error::Template {
        message,
        snippet,
        help,
    }
}

/// A syntax error caused by a block left open, reported at the tag that opened it: the
/// template ended first (`unexpected end of input`), or a closing tag for an outer block came
/// first (`unknown statement endfor`).
fn unclosed_block(
    shown: &str,
    source: &str,
    detail: &str,
    range: Option<std::ops::Range<usize>>,
) -> Option<Error> {
    let (end, found) = if detail.contains("unexpected end of input") {
        (source.len(), None)
    } else if let Some(statement) = detail.strip_prefix("unknown statement end") {
        (range?.start, Some(statement.to_string()))
    } else {
        return None;
    };
    let open = blocks::open_at(source, end)?;
    if found
        .as_deref()
        .is_some_and(|outer| !blocks::is_block(outer) || outer == open.name)
    {
        return None; // a misspelled statement (`endfo`), not a block left open
    }
    let snippet = SourceSnippet::at_bytes(shown, source, open.tag.clone(), "opened here");
    let closing = blocks::closing(&open.name);
    let message = match found {
        Some(outer) => format!(
            "syntax error: `{{% end{outer} %}}` comes while `{{% {} %}}` on line {} is still open",
            open.name, snippet.line
        ),
        None => format!(
            "syntax error: `{{% {} %}}` on line {} is never closed",
            open.name, snippet.line
        ),
    };
    Some(Error::Template {
        message,
        snippet: Some(Box::new(snippet)),
        help: Some(format!(
            "add `{{% {closing} %}}` where the `{}` block ends",
            open.name
        )),
    })
}

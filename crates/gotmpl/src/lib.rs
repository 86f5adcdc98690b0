//! Go's `text/template` language in Rust, written to render Helm charts byte for byte.
//!
//! The flow is Go's: [`lexer`] splits text into tokens with positions, [`parser`] builds the
//! AST ([`ast`]) and checks variables and function names, [`exec`] walks it against a
//! [`Value`], printing values as Go's `fmt` does ([`format`](mod@format)), calling the predefined
//! functions ([`builtins`]) and the ones the host adds. Errors ([`Error`]) carry the template,
//! line and column, and print in Go's words.
//!
//! ```
//! use gotmpl::{Engine, Value};
//!
//! let mut engine = Engine::new();
//! engine.add_function("upper", |_ctx, args| {
//!     Ok(Value::from(args[0].as_str().unwrap_or_default().to_uppercase()))
//! });
//! engine.add_template("page", r#"{{define "item"}}<{{.}}>{{end}}
//! {{- range $i, $v := .items}}{{if $i}}, {{end}}{{template "item" upper $v}}{{end}}"#).unwrap();
//! let data = Value::from(serde_json::json!({"items": ["a", "b"]}));
//! assert_eq!(engine.render("page", &data).unwrap(), "<A>, <B>");
//! ```
//!
//! A host function gets a [`Context`] through which it can execute another template
//! ([`Context::execute_template`], for Helm's `include`) or parse and run text
//! ([`Context::execute_text`], for `tpl`).

pub mod ast;
pub mod builtins;
mod error;
pub mod exec;
pub mod format;
pub mod lexer;
mod parsed_text;
pub mod parser;
#[cfg(test)]
mod space_differential;
#[cfg(test)]
mod stream_differential;
mod value;

use std::sync::Arc;

pub use error::{Error, ErrorKind, Location};
pub use exec::{CallSite, Context, MissingKey, Param, Signature, SourceLine};
pub use parsed_text::ParsedText;
pub use value::{Callable, Map, Object, Value};

use exec::{Run, Template};

/// The engine's tables, looked up by name on every call, `include` and `template`: hashed by
/// foldhash rather than std's SipHash (names are short, and nobody chooses them to collide
/// but the chart's own author).
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A function the host adds: it receives the [`Context`] and the evaluated arguments.
pub type Function =
    Arc<dyn Fn(&mut Context<'_, '_>, &[Value]) -> Result<Value, Error> + Send + Sync>;

/// A host function and, if it declared one, its Go signature.
#[derive(Clone)]
pub(crate) struct HostFunction {
    pub(crate) function: Function,
    pub(crate) signature: Option<Signature>,
}

/// Execution options and the limits that stop a hostile template.
#[derive(Debug, Clone)]
pub struct Options {
    /// Go's `missingkey` option; Helm uses [`MissingKey::Zero`].
    pub missing_key: MissingKey,
    /// Remove every `<no value>` from a render's output, as Helm does after executing.
    pub remove_no_value: bool,
    /// Nesting of `template`, `include` and `tpl` calls. Go allows 100,000; 1,000 is Helm's
    /// own cap on nested `include`s of one name, and charts use a handful. The stack grows on
    /// the heap as needed, so this is a limit on work and memory, not on the thread's stack.
    pub max_depth: usize,
    /// Actions and loop iterations one render may execute.
    pub max_steps: u64,
    /// Bytes one render may write or have functions return as strings (nested outputs
    /// counted too), so neither the output nor a string doubled in a variable exhausts memory.
    pub max_output: usize,
    /// Nesting of `if`/`range`/`with` and parentheses in the source.
    pub max_nesting: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            missing_key: MissingKey::Default,
            remove_no_value: false,
            max_depth: 1000,
            max_steps: 50_000_000,
            max_output: 256 << 20,
            max_nesting: 100,
        }
    }
}

impl Options {
    /// Helm's settings: `missingkey=zero` and `<no value>` removed.
    pub fn helm() -> Self {
        Options {
            missing_key: MissingKey::Zero,
            remove_no_value: true,
            ..Options::default()
        }
    }
}

/// A set of named templates and the functions they may call (Go's `*template.Template`).
/// Cloning is cheap (templates and functions are shared); an engine is `Send` and `Sync`, so
/// one parsed set can render on many threads.
#[derive(Default, Clone)]
pub struct Engine {
    templates: HashMap<String, Arc<Template>>,
    functions: HashMap<String, HostFunction>,
    options: Options,
}

impl Engine {
    /// An engine with Go's predefined functions and default options.
    pub fn new() -> Self {
        Engine::default()
    }

    /// An engine with the given options.
    pub fn with_options(options: Options) -> Self {
        Engine {
            options,
            ..Engine::default()
        }
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    pub fn options_mut(&mut self) -> &mut Options {
        &mut self.options
    }

    /// Adds (or replaces, builtins included, as Go's `Funcs` does) a function. Add functions
    /// before parsing: like Go, the parser rejects calls to functions it does not know.
    pub fn add_function(
        &mut self,
        name: &str,
        f: impl Fn(&mut Context<'_, '_>, &[Value]) -> Result<Value, Error> + Send + Sync + 'static,
    ) {
        let host = HostFunction {
            function: Arc::new(f),
            signature: None,
        };
        self.functions.insert(name.to_string(), host);
    }

    /// Adds a function with Go parameter types: arguments are checked before the call and
    /// mismatches reported in Go's words (`wrong number of args for indent: want 2 got 1`,
    /// `wrong type for value; expected string; got float64`), as Helm reports them for
    /// sprig's typed functions. The function then sees values of the declared types.
    pub fn add_function_with_signature(
        &mut self,
        name: &str,
        signature: Signature,
        f: impl Fn(&mut Context<'_, '_>, &[Value]) -> Result<Value, Error> + Send + Sync + 'static,
    ) {
        let host = HostFunction {
            function: Arc::new(f),
            signature: Some(signature),
        };
        self.functions.insert(name.to_string(), host);
    }

    /// Whether `name` can be called: added by the host or predefined.
    pub fn has_function(&self, name: &str) -> bool {
        self.functions.contains_key(name) || builtins::find(name).is_some()
    }

    /// Parses `text` as the template `name` and adds it with every template it defines. As in
    /// Go, a definition with an empty body does not replace an existing template.
    pub fn add_template(&mut self, name: &str, text: &str) -> Result<(), Error> {
        self.add_template_source(name, Arc::from(text))
    }

    /// [`Engine::add_template`] for text the caller already shares: the templates keep `text`
    /// itself rather than a copy.
    pub fn add_template_source(&mut self, name: &str, text: Arc<str>) -> Result<(), Error> {
        let parsed = self.parse_source(name, text)?;
        self.add_parsed(name, &parsed);
        Ok(())
    }

    /// Parses `text` as the template `name` without adding it (see [`Engine::add_parsed`]).
    /// It takes the engine shared, so that many texts can be parsed on many threads; the parse
    /// depends on the functions the engine has now.
    pub fn parse_source(&self, name: &str, text: Arc<str>) -> Result<ParsedText, Error> {
        let has_func = |f: &str| self.has_function(f);
        let parsed = parser::parse(name, &text, &has_func, self.options.max_nesting)?;
        Ok(ParsedText {
            root: Arc::new(parsed.root),
            defines: (parsed.defines.into_iter())
                .map(|(dname, root)| (dname, Arc::new(root)))
                .collect(),
            text,
        })
    }

    /// Adds a parsed text as the template `name`, with every template it defines, as
    /// [`Engine::add_template`] does. The name may differ from the one it was parsed under
    /// when the text is the same: its templates share the parsed trees.
    pub fn add_parsed(&mut self, name: &str, parsed: &ParsedText) {
        for (tname, tmpl) in Engine::template_set(name, parsed) {
            let keep_old =
                parser::is_empty(&tmpl.root, &tmpl.source) && self.templates.contains_key(&tname);
            if !keep_old {
                self.templates.insert(tname, tmpl);
            }
        }
    }

    /// Whether a template of that name was added or defined.
    pub fn has_template(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }

    /// The names of all templates, sorted.
    pub fn template_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.templates.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// The template `name`, or Go's error for a name nobody defined.
    fn named(&self, name: &str) -> Result<&Arc<Template>, Error> {
        self.templates.get(name).ok_or_else(|| {
            Error::new(format!(
                "template: no template {name:?} associated with template {name:?}"
            ))
        })
    }

    /// Executes the template `name` with `data` as dot.
    pub fn render(&self, name: &str, data: &Value) -> Result<String, Error> {
        let tmpl = self.named(name)?;
        let _scope = value::RenderScope::enter();
        let mut run = Run::new(self);
        let mut out = String::new();
        run.execute(tmpl, data.clone(), &mut out)?;
        Ok(self.finish(out))
    }

    /// Like [`Engine::render`], and for each line of the output (split on `\n`) the template
    /// and line that wrote its first non-blank character (`None` for a blank line), through
    /// `{{template}}` and `include` (see `exec/trace.rs` for how `include` is followed).
    pub fn render_traced(
        &self,
        name: &str,
        data: &Value,
    ) -> Result<(String, Vec<Option<SourceLine>>), Error> {
        let tmpl = self.named(name)?;
        let _scope = value::RenderScope::enter();
        let mut run = Run::new(self);
        run.trace = Some(Box::new(exec::Tracer::new()));
        let mut out = String::new();
        run.execute(tmpl, data.clone(), &mut out)?;
        let lines = run.trace.take().map(|t| t.finish(&out)).unwrap_or_default();
        Ok((self.finish(out), lines))
    }

    /// Parses and executes `text` once under the name `name`, with this engine's templates and
    /// functions, without keeping it.
    pub fn render_text(&self, name: &str, text: &str, data: &Value) -> Result<String, Error> {
        let _scope = value::RenderScope::enter();
        let mut run = Run::new(self);
        let out = Context {
            run: &mut run,
            site: None,
        }
        .execute_text(name, text, data)?;
        Ok(self.finish(out))
    }

    fn finish(&self, out: String) -> String {
        if self.options.remove_no_value && out.contains("<no value>") {
            out.replace("<no value>", "")
        } else {
            out
        }
    }

    /// Parses text into its templates: the text itself under `name`, then its definitions.
    pub(crate) fn parse_set(
        &self,
        name: &str,
        source: Arc<str>,
    ) -> Result<HashMap<String, Arc<Template>>, Error> {
        let parsed = self.parse_source(name, source)?;
        Ok(Engine::template_set(name, &parsed))
    }

    /// The templates of a parsed text added as `name`: the text itself, then its definitions.
    fn template_set(name: &str, parsed: &ParsedText) -> HashMap<String, Arc<Template>> {
        let make = |tname: &str, root: &Arc<ast::List>| {
            Arc::new(Template {
                name: tname.to_string(),
                parse_name: name.to_string(),
                source: Arc::clone(&parsed.text),
                root: Arc::clone(root),
            })
        };
        let mut set = HashMap::default();
        set.insert(name.to_string(), make(name, &parsed.root));
        for (dname, root) in &parsed.defines {
            // Within one text a later definition wins unless it is empty (Go's rule).
            if !(parser::is_empty(root, &parsed.text) && set.contains_key(dname)) {
                set.insert(dname.clone(), make(dname, root));
            }
        }
        set
    }
}

//! Executes a parsed template against data, as Go's `text/template` `exec.go` does: pipelines,
//! field chains with Go's nil and missing-key rules, variable scopes, control flow, function
//! calls, and the limits that keep a hostile template from hanging or exhausting memory.
//! This file holds the walk over nodes; `eval` evaluates pipelines and operands, `context`
//! is what host functions get.

mod context;
mod eval;
mod signature;
mod trace;

pub use context::{CallSite, Context};
pub use signature::{Param, Signature};
pub use trace::SourceLine;
pub(crate) use trace::Tracer;

use std::fmt;
use std::sync::Arc;

use crate::ast::{Arg, Branch, List, Name, Node, Pipe};
use crate::error::{Error, ErrorKind, Location, line_col};
use crate::format;
use crate::value::Value;
use crate::{Engine, HashMap};

/// A named template ready to execute.
#[derive(Debug)]
pub struct Template {
    pub(crate) name: String,
    /// The name of the text it was parsed from (errors point there).
    pub(crate) parse_name: String,
    pub(crate) source: Arc<str>,
    pub(crate) root: Arc<List>,
}

/// What to do when a map has no entry for a field (Go's `missingkey` option).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingKey {
    /// `missingkey=default`: the missing value prints `<no value>`, and fields of it are missing too.
    #[default]
    Default,
    /// `missingkey=zero` (Helm's choice): the value is nil, so `.a.b` on a missing `.a` fails
    /// with "nil pointer evaluating interface {}.b".
    Zero,
    /// `missingkey=error`: "map has no entry for key".
    Error,
}

/// Stack left before the executor asks for more, and how much more it asks for.
pub(super) const RED_ZONE: usize = 64 * 1024;
pub(super) const STACK_GROWTH: usize = 2 * 1024 * 1024;

/// How control leaves a list.
#[derive(PartialEq, Eq)]
enum Flow {
    Normal,
    Break,
    Continue,
}

/// State shared by everything one render executes, nested templates and `include`s included.
pub(crate) struct Run<'e> {
    pub(crate) engine: &'e Engine,
    /// Templates defined by text parsed during this render (`tpl`), searched first.
    pub(crate) overlay: Vec<HashMap<String, Arc<Template>>>,
    depth: usize,
    steps: u64,
    output: usize,
    /// Where each write came from, when the render asked ([`crate::Engine::render_traced`]).
    pub(crate) trace: Option<Box<Tracer>>,
    /// The template this render started from, and how often each call site was reached
    /// (for [`Context::call_site`]).
    root: String,
    calls: HashMap<(String, usize), u64>,
}

thread_local! {
    /// The name of the variable every template starts with, shared by all of them.
    static DOLLAR: Name = Arc::from("$");
}

/// One executing template: its variables.
struct Frame<'t> {
    tmpl: &'t Template,
    /// Name, value, and whether the value is typed `interface {}` (a range element).
    vars: Vec<(Name, Value, bool)>,
    /// Whether dot is a range element, typed `interface {}` in Go (it matters for error text
    /// and for nil: a nil element is a nil pointer, a nil from a pipeline is no value).
    iface_dot: bool,
}

/// The action as Go's `ErrorContext` shows it: the node printed back, in full.
fn node_context(node: &dyn fmt::Display) -> String {
    node.to_string()
}

impl<'e> Run<'e> {
    pub(crate) fn new(engine: &'e Engine) -> Self {
        Run {
            engine,
            overlay: Vec::new(),
            depth: 0,
            steps: 0,
            output: 0,
            trace: None,
            root: String::new(),
            calls: HashMap::default(),
        }
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<Arc<Template>> {
        self.overlay
            .iter()
            .rev()
            .find_map(|set| set.get(name).cloned())
            .or_else(|| self.engine.templates.get(name).cloned())
    }

    pub(crate) fn execute(
        &mut self,
        tmpl: &Template,
        dot: Value,
        out: &mut String,
    ) -> Result<(), Error> {
        // The caller locates the error: a `{{template}}` node, or the function that asked.
        self.check_depth().map_err(Error::limit)?;
        if self.depth == 0 {
            self.root.clone_from(&tmpl.name);
        }
        self.depth += 1;
        let mut frame = Frame {
            tmpl,
            vars: vec![(DOLLAR.with(Arc::clone), dot.clone(), false)],
            iface_dot: false,
        };
        let root = Arc::clone(&tmpl.root);
        let result = self.walk(&mut frame, &root, &dot, out);
        self.depth -= 1;
        result.map(|_| ())
    }

    fn check_depth(&self) -> Result<(), String> {
        let limit = self.engine.options.max_depth;
        if self.depth >= limit {
            return Err(format!("exceeded maximum template depth ({limit})"));
        }
        Ok(())
    }

    fn error(
        &self,
        f: &Frame,
        pos: usize,
        node: &dyn fmt::Display,
        message: impl Into<String>,
    ) -> Error {
        Error::exec(
            ErrorKind::Execution,
            message,
            &f.tmpl.name,
            location(f.tmpl, pos),
            node_context(node),
            None,
        )
    }

    fn step(&mut self, f: &Frame, pos: usize, node: &dyn fmt::Display) -> Result<(), Error> {
        self.steps += 1;
        if self.steps > self.engine.options.max_steps {
            let message = format!(
                "template execution exceeded {} steps",
                self.engine.options.max_steps
            );
            return Err(Error::exec(
                ErrorKind::Limit,
                message,
                &f.tmpl.name,
                location(f.tmpl, pos),
                node_context(node),
                None,
            ));
        }
        Ok(())
    }

    fn write(
        &mut self,
        f: &Frame,
        pos: usize,
        node: &dyn fmt::Display,
        out: &mut String,
        text: &str,
    ) -> Result<(), Error> {
        self.count_bytes(f, pos, node, text.len())?;
        out.push_str(text);
        Ok(())
    }

    /// Counts bytes written or produced by functions against `max_output`, so neither the
    /// output nor a string doubled in a variable can exhaust memory.
    fn count_bytes(
        &mut self,
        f: &Frame,
        pos: usize,
        node: &dyn fmt::Display,
        n: usize,
    ) -> Result<(), Error> {
        self.output += n;
        if self.output > self.engine.options.max_output {
            let message = format!(
                "template output exceeded {} bytes",
                self.engine.options.max_output
            );
            return Err(Error::exec(
                ErrorKind::Limit,
                message,
                &f.tmpl.name,
                location(f.tmpl, pos),
                node_context(node),
                None,
            ));
        }
        Ok(())
    }

    /// Walks a list, first making sure there is stack for it: nested blocks inside nested
    /// templates recurse deeply, and a debug build's frames are large.
    fn walk(
        &mut self,
        f: &mut Frame,
        list: &[Node],
        dot: &Value,
        out: &mut String,
    ) -> Result<Flow, Error> {
        stacker::maybe_grow(RED_ZONE, STACK_GROWTH, || self.walk_list(f, list, dot, out))
    }

    fn walk_list(
        &mut self,
        f: &mut Frame,
        list: &[Node],
        dot: &Value,
        out: &mut String,
    ) -> Result<Flow, Error> {
        for node in list {
            let flow = match node {
                Node::Text(range) => {
                    let tmpl = f.tmpl;
                    let text = &tmpl.source[range.clone()];
                    if let Some(trace) = self.trace.as_mut() {
                        trace.wrote(tmpl, range.start, true, out.len(), text);
                    }
                    self.write(f, 0, &"", out, text)?;
                    Flow::Normal
                }
                Node::Action(pipe) => {
                    self.step(f, pipe.pos, pipe)?;
                    let value = self.eval_pipeline(f, dot, pipe)?;
                    if pipe.decl.is_empty() {
                        let text = match &value {
                            Value::Nil => "<no value>".to_string(),
                            Value::Func(_) => {
                                let message =
                                    format!("can't print {pipe} of type {}", value.type_name());
                                return Err(self.error(f, pipe.pos, pipe, message));
                            }
                            other => format::sprint_v(other),
                        };
                        if let Some(trace) = self.trace.as_mut() {
                            trace.wrote(f.tmpl, pipe.pos, false, out.len(), &text);
                        }
                        self.write(f, pipe.pos, pipe, out, &text)?;
                    }
                    Flow::Normal
                }
                Node::If(branch) => self.if_or_with(f, branch, dot, out, false)?,
                Node::With(branch) => self.if_or_with(f, branch, dot, out, true)?,
                Node::Range(branch) => self.range(f, branch, dot, out)?,
                Node::Template { pos, name, pipe } => {
                    let context = TemplateContext(name, pipe.as_deref());
                    self.step(f, *pos, &context)?;
                    let Some(tmpl) = self.lookup(name) else {
                        return Err(self.error(
                            f,
                            *pos,
                            &context,
                            format!("template {name:?} not defined"),
                        ));
                    };
                    if let Err(message) = self.check_depth() {
                        let location = location(f.tmpl, *pos);
                        let context = node_context(&context);
                        let name = &f.tmpl.name;
                        return Err(Error::exec(
                            ErrorKind::Limit,
                            message,
                            name,
                            location,
                            context,
                            None,
                        ));
                    }
                    let data = match pipe {
                        Some(pipe) => self.eval_pipeline(f, dot, pipe)?,
                        None => Value::Nil,
                    };
                    self.execute(&tmpl, data, out)?;
                    Flow::Normal
                }
                Node::Break(_) => Flow::Break,
                Node::Continue(_) => Flow::Continue,
            };
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn if_or_with(
        &mut self,
        f: &mut Frame,
        b: &Branch,
        dot: &Value,
        out: &mut String,
        with: bool,
    ) -> Result<Flow, Error> {
        self.step(f, b.pos, &b.pipe)?;
        let mark = f.vars.len();
        let value = self.eval_pipeline(f, dot, &b.pipe)?;
        let flow = if value.is_true() {
            let dot = if with { &value } else { dot };
            let saved = f.iface_dot;
            f.iface_dot &= !with;
            let flow = self.walk(f, &b.list, dot, out);
            f.iface_dot = saved;
            flow
        } else if let Some(else_list) = &b.else_list {
            self.walk(f, else_list, dot, out)
        } else {
            Ok(Flow::Normal)
        };
        f.vars.truncate(mark);
        flow
    }

    fn range(
        &mut self,
        f: &mut Frame,
        b: &Branch,
        dot: &Value,
        out: &mut String,
    ) -> Result<Flow, Error> {
        self.step(f, b.pos, &b.pipe)?;
        let mark = f.vars.len();
        let value = self.eval_commands(f, dot, &b.pipe)?;
        if !b.pipe.is_assign {
            for name in &b.pipe.decl {
                f.vars.push((name.clone(), value.clone(), false));
            }
        }
        // Go reports range errors at the node it evaluated last: the last command's operand.
        let at = b
            .pipe
            .cmds
            .last()
            .map_or(&b.pipe.cmds[0].args[0], |c| &c.args[0]);
        let value = value.plain().into_owned();
        let result = self.range_items(f, b, at, dot, &value, mark, out);
        f.vars.truncate(mark);
        result.map(|_| Flow::Normal)
    }

    #[allow(clippy::too_many_arguments)]
    fn range_items(
        &mut self,
        f: &mut Frame,
        b: &Branch,
        at: &Arg,
        dot: &Value,
        value: &Value,
        mark: usize,
        out: &mut String,
    ) -> Result<(), Error> {
        let len = match value {
            Value::List(items) => items.len(),
            Value::Map(map) => map.len(),
            Value::Int(n) | Value::Int64(n) => {
                if b.pipe.decl.len() > 1 {
                    let message = format!("can't use {n} to iterate over more than one variable");
                    return Err(self.error(f, at.pos(), at, message));
                }
                (*n).max(0) as usize
            }
            Value::Nil => 0,
            other => {
                return Err(self.error(
                    f,
                    at.pos(),
                    at,
                    format!("range can't iterate over {}", format::sprint_v(other)),
                ));
            }
        };
        if len == 0 {
            if let Some(else_list) = &b.else_list {
                self.walk(f, else_list, dot, out)?;
            }
            return Ok(());
        }
        let mut keys = match value {
            Value::Map(map) => Some(map.iter()),
            _ => None,
        };
        for i in 0..len {
            self.step(f, b.pos, &b.pipe)?;
            let (index, elem) = match (value, keys.as_mut()) {
                (Value::List(items), _) => (Value::Int(i as i64), items[i].clone()),
                (_, Some(iter)) => match iter.next() {
                    Some((k, v)) => (Value::from(k.as_str()), v.clone()),
                    None => break,
                },
                _ => (Value::Int(i as i64), Value::Int(i as i64)),
            };
            let decl = &b.pipe.decl;
            let elem_iface = !matches!(value, Value::Int(_) | Value::Int64(_));
            if b.pipe.is_assign {
                if decl.len() > 1 {
                    self.set_var(f, &b.pipe, &decl[0], index, false)?;
                    self.set_var(f, &b.pipe, &decl[1], elem.clone(), elem_iface)?;
                } else {
                    self.set_var(f, &b.pipe, &decl[0], elem.clone(), elem_iface)?;
                }
            } else if decl.len() == 1 {
                f.vars[mark] = (decl[0].clone(), elem.clone(), elem_iface);
            } else if decl.len() == 2 {
                f.vars[mark] = (decl[0].clone(), index, false);
                f.vars[mark + 1] = (decl[1].clone(), elem.clone(), elem_iface);
            }
            let iteration = f.vars.len();
            let saved = f.iface_dot;
            f.iface_dot = elem_iface;
            let flow = self.walk(f, &b.list, &elem, out);
            f.iface_dot = saved;
            f.vars.truncate(iteration);
            if flow? == Flow::Break {
                break;
            }
        }
        Ok(())
    }

    fn set_var(
        &self,
        f: &mut Frame,
        pipe: &Pipe,
        name: &str,
        value: Value,
        iface: bool,
    ) -> Result<(), Error> {
        // Go reports it at the node it evaluated last: the last command's operand.
        let at = pipe
            .cmds
            .last()
            .map_or(&pipe.cmds[0].args[0], |c| &c.args[0]);
        match f.vars.iter_mut().rev().find(|(n, ..)| **n == *name) {
            Some(slot) => {
                slot.1 = value;
                slot.2 = iface;
                Ok(())
            }
            None => Err(self.error(f, at.pos(), at, format!("undefined variable: {name}"))),
        }
    }
}

/// `template "name"` as Go shows it in `at <...>`.
struct TemplateContext<'a>(&'a str, Option<&'a Pipe>);

impl fmt::Display for TemplateContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(pipe) => write!(f, "{{{{template {:?} {pipe}}}}}", self.0),
            None => write!(f, "{{{{template {:?}}}}}", self.0),
        }
    }
}

fn location(tmpl: &Template, pos: usize) -> Location {
    let (line, column) = line_col(&tmpl.source, pos);
    Location {
        parse_name: tmpl.parse_name.clone(),
        line,
        column,
        text: Arc::clone(&tmpl.source),
    }
}

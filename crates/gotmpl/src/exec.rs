//! Executes a parsed template against data, as Go's `text/template` `exec.go` does: pipelines,
//! field chains with Go's nil and missing-key rules, variable scopes, control flow, function
//! calls, and the limits that keep a hostile template from hanging or exhausting memory.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::Engine;
use crate::ast::{Arg, Branch, Command, List, Node, Number, Pipe};
use crate::builtins;
use crate::error::{Error, ErrorKind, Location, line_col};
use crate::format;
use crate::value::Value;

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
}

/// One executing template: its variables.
struct Frame<'t> {
    tmpl: &'t Template,
    vars: Vec<(String, Value)>,
    /// Whether dot is a range element, typed `interface {}` in Go (it matters for error text
    /// and for nil: a nil element is a nil pointer, a nil from a pipeline is no value).
    iface_dot: bool,
}

/// What a host function receives besides its arguments: the way back into the engine, so
/// Helm's `include` and `tpl` can be written on top.
pub struct Context<'a, 'e> {
    pub(crate) run: &'a mut Run<'e>,
}

impl Context<'_, '_> {
    /// Executes the template `name` with `data` as dot and returns its output (Helm's `include`).
    pub fn execute_template(&mut self, name: &str, data: &Value) -> Result<String, Error> {
        let tmpl = self.run.lookup(name).ok_or_else(|| {
            Error::new(format!(
                "template: no template {name:?} associated with template {name:?}"
            ))
        })?;
        let mut out = String::new();
        self.run.execute(&tmpl, data.clone(), &mut out)?;
        Ok(out)
    }

    /// Parses `text` under the name `name` and executes it with `data` (Helm's `tpl`); the
    /// templates it defines are visible while it runs.
    pub fn execute_text(&mut self, name: &str, text: &str, data: &Value) -> Result<String, Error> {
        let engine = self.run.engine;
        let set = engine.parse_set(name, text)?;
        let root = set.get(name).cloned();
        self.run.overlay.push(set);
        let mut out = String::new();
        let result = match root {
            Some(tmpl) => self.run.execute(&tmpl, data.clone(), &mut out),
            None => Ok(()),
        };
        self.run.overlay.pop();
        result.map(|()| out)
    }

    /// Whether a template of that name exists (engine or text parsed during this render).
    pub fn has_template(&self, name: &str) -> bool {
        self.run.lookup(name).is_some()
    }

    /// The engine, for its options and functions.
    pub fn engine(&self) -> &Engine {
        self.run.engine
    }
}

/// Go's `ErrorContext` shows at most 20 characters of the action.
fn short_context(node: &dyn fmt::Display) -> String {
    let text = node.to_string();
    if text.chars().count() > 20 {
        let short: String = text.chars().take(20).collect();
        format!("{short}...")
    } else {
        text
    }
}

impl<'e> Run<'e> {
    pub(crate) fn new(engine: &'e Engine) -> Self {
        Run {
            engine,
            overlay: Vec::new(),
            depth: 0,
            steps: 0,
            output: 0,
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
        let limit = self.engine.options.max_depth;
        if self.depth >= limit {
            let message = format!("exceeded maximum template depth ({limit})");
            return Err(Error::exec(
                ErrorKind::Limit,
                message,
                &tmpl.name,
                location(tmpl, 0),
                String::new(),
                None,
            ));
        }
        self.depth += 1;
        let mut frame = Frame {
            tmpl,
            vars: vec![("$".to_string(), dot.clone())],
            iface_dot: false,
        };
        let root = Arc::clone(&tmpl.root);
        let result = self.walk(&mut frame, &root, &dot, out);
        self.depth -= 1;
        result.map(|_| ())
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
            short_context(node),
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
                short_context(node),
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
        self.output += text.len();
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
                short_context(node),
                None,
            ));
        }
        out.push_str(text);
        Ok(())
    }

    fn walk(
        &mut self,
        f: &mut Frame,
        list: &[Node],
        dot: &Value,
        out: &mut String,
    ) -> Result<Flow, Error> {
        for node in list {
            let flow = match node {
                Node::Text(text) => {
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
                        self.write(f, pipe.pos, pipe, out, &text)?;
                    }
                    Flow::Normal
                }
                Node::If(branch) => self.if_or_with(f, branch, dot, out, false)?,
                Node::With(branch) => self.if_or_with(f, branch, dot, out, true)?,
                Node::Range(branch) => self.range(f, branch, dot, out)?,
                Node::Template { pos, name, pipe } => {
                    let context = TemplateContext(name);
                    self.step(f, *pos, &context)?;
                    let Some(tmpl) = self.lookup(name) else {
                        return Err(self.error(
                            f,
                            *pos,
                            &context,
                            format!("template {name:?} not defined"),
                        ));
                    };
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
                f.vars.push((name.clone(), value.clone()));
            }
        }
        // Go reports range errors at the node it evaluated last: the last command's operand.
        let at = b
            .pipe
            .cmds
            .last()
            .map_or(&b.pipe.cmds[0].args[0], |c| &c.args[0]);
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
            if b.pipe.is_assign {
                let (first, second) = if decl.len() > 1 {
                    (index, Some(elem.clone()))
                } else {
                    (elem.clone(), None)
                };
                self.set_var(f, &b.pipe, &decl[0], first)?;
                if let Some(second) = second {
                    self.set_var(f, &b.pipe, &decl[1], second)?;
                }
            } else if decl.len() == 1 {
                f.vars[mark].1 = elem.clone();
            } else if decl.len() == 2 {
                f.vars[mark].1 = index;
                f.vars[mark + 1].1 = elem.clone();
            }
            let iteration = f.vars.len();
            let saved = f.iface_dot;
            f.iface_dot = !matches!(value, Value::Int(_) | Value::Int64(_));
            let flow = self.walk(f, &b.list, &elem, out);
            f.iface_dot = saved;
            f.vars.truncate(iteration);
            if flow? == Flow::Break {
                break;
            }
        }
        Ok(())
    }

    fn set_var(&self, f: &mut Frame, pipe: &Pipe, name: &str, value: Value) -> Result<(), Error> {
        // Go reports it at the node it evaluated last: the last command's operand.
        let at = pipe
            .cmds
            .last()
            .map_or(&pipe.cmds[0].args[0], |c| &c.args[0]);
        match f.vars.iter_mut().rev().find(|(n, _)| n == name) {
            Some(slot) => {
                slot.1 = value;
                Ok(())
            }
            None => Err(self.error(f, at.pos(), at, format!("undefined variable: {name}"))),
        }
    }

    /// Runs the commands of a pipeline, each one's result becoming the last argument of the next.
    fn eval_commands(&mut self, f: &mut Frame, dot: &Value, pipe: &Pipe) -> Result<Value, Error> {
        let mut value = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_command(f, dot, cmd, value)?);
        }
        Ok(value.unwrap_or_default())
    }

    fn eval_pipeline(&mut self, f: &mut Frame, dot: &Value, pipe: &Pipe) -> Result<Value, Error> {
        let value = self.eval_commands(f, dot, pipe)?;
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(f, pipe, name, value.clone())?;
            } else {
                f.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn eval_command(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        cmd: &Command,
        last: Option<Value>,
    ) -> Result<Value, Error> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { names, .. } => self.eval_field_chain(
                f,
                dot,
                Some(dot.clone()),
                f.iface_dot,
                first,
                names,
                &cmd.args,
                last,
            ),
            Arg::Chain { node, fields, .. } => {
                let base = self.eval_chain_base(f, dot, first, node)?;
                let at = last_evaluated(node);
                self.eval_field_chain(f, dot, Some(base), false, at, fields, &cmd.args, last)
            }
            Arg::Variable { name, fields, pos } => {
                self.eval_variable(f, dot, *pos, first, name, fields, &cmd.args, last)
            }
            Arg::Identifier { name, pos } => {
                self.eval_function(f, dot, name, *pos, cmd, &cmd.args, last)
            }
            Arg::Pipe(pipe) => {
                self.not_a_function(f, &cmd.args, &last)?;
                self.eval_pipeline(f, dot, pipe)
            }
            Arg::Nil(pos) => Err(self.error(f, *pos, first, "nil is not a command")),
            literal => {
                self.not_a_function(f, &cmd.args, &last)?;
                self.eval_arg(f, dot, literal)
            }
        }
    }

    fn not_a_function(&self, f: &Frame, args: &[Arg], last: &Option<Value>) -> Result<(), Error> {
        if args.len() > 1 || last.is_some() {
            let message = format!("can't give argument to non-function {}", args[0]);
            return Err(self.error(f, args[0].pos(), &args[0], message));
        }
        Ok(())
    }

    fn eval_chain_base(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        chain: &Arg,
        node: &Arg,
    ) -> Result<Value, Error> {
        if let Arg::Nil(_) = node {
            return Err(self.error(
                f,
                chain.pos(),
                chain,
                format!("indirection through explicit nil in {chain}"),
            ));
        }
        self.eval_arg(f, dot, node)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_variable(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        pos: usize,
        node: &Arg,
        name: &str,
        fields: &[String],
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Value, Error> {
        let Some(value) = f
            .vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
        else {
            return Err(self.error(f, pos, node, format!("undefined variable: {name}")));
        };
        if fields.is_empty() {
            self.not_a_function(f, args, &last)?;
            return Ok(value);
        }
        self.eval_field_chain(f, dot, Some(value), false, node, fields, args, last)
    }

    /// `receiver.a.b.c`: the middle fields take no arguments, the last one gets the command's.
    #[allow(clippy::too_many_arguments)]
    fn eval_field_chain(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        receiver: Option<Value>,
        iface: bool,
        node: &Arg,
        names: &[String],
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Value, Error> {
        let mut receiver = receiver;
        let (final_name, middle) = names
            .split_last()
            .expect("a field chain has at least one field");
        // Values inside maps and lists are Go interfaces; the first receiver may be concrete.
        let mut iface = iface;
        for name in middle {
            receiver = self.eval_field(f, dot, name, node, &[], None, receiver, iface)?;
            iface = true;
        }
        Ok(self
            .eval_field(f, dot, final_name, node, args, last, receiver, iface)?
            .unwrap_or_default())
    }

    /// One field step. `None` is Go's invalid value: a missing key under `missingkey=default`,
    /// or a nil that came out of a pipeline (Go unwraps those to invalid values). `iface` says
    /// whether the receiver is typed `interface {}` (a map value, a range element) or concrete.
    #[allow(clippy::too_many_arguments)]
    fn eval_field(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        name: &str,
        node: &Arg,
        args: &[Arg],
        last: Option<Value>,
        receiver: Option<Value>,
        iface: bool,
    ) -> Result<Option<Value>, Error> {
        let pos = node.pos();
        let missing_key = self.engine.options.missing_key;
        let receiver = receiver.filter(|r| iface || !matches!(r, Value::Nil));
        let Some(receiver) = receiver else {
            if missing_key == MissingKey::Error {
                return Err(self.error(
                    f,
                    pos,
                    node,
                    format!("nil data; no entry for key {name:?}"),
                ));
            }
            return Ok(None);
        };
        let has_args = args.len() > 1 || last.is_some();
        match &receiver {
            Value::Map(map) => {
                if has_args {
                    return Err(self.error(
                        f,
                        pos,
                        node,
                        format!("{name} is not a method but has arguments"),
                    ));
                }
                match map.get(name) {
                    Some(v) => Ok(Some(v.clone())),
                    None => match missing_key {
                        MissingKey::Default => Ok(None),
                        MissingKey::Zero => Ok(Some(Value::Nil)),
                        MissingKey::Error => Err(self.error(
                            f,
                            pos,
                            node,
                            format!("map has no entry for key {name:?}"),
                        )),
                    },
                }
            }
            Value::Object(object) => {
                let argv = self.eval_call_args(f, dot, args, last)?;
                if let Some(result) = object.call_method(name, &argv) {
                    return result
                        .map(Some)
                        .map_err(|e| self.call_error(f, pos, node, name, e));
                }
                match object.field(name) {
                    Some(_) if has_args => Err(self.error(
                        f,
                        pos,
                        node,
                        format!("{name} has arguments but cannot be invoked as function"),
                    )),
                    Some(v) => Ok(Some(v)),
                    None => Err(self.error(
                        f,
                        pos,
                        node,
                        format!("can't evaluate field {name} in type {}", object.type_name()),
                    )),
                }
            }
            Value::Nil => Err(self.error(
                f,
                pos,
                node,
                format!("nil pointer evaluating interface {{}}.{name}"),
            )),
            other => {
                let type_name = if iface {
                    "interface {}"
                } else {
                    other.type_name()
                };
                let message = format!("can't evaluate field {name} in type {type_name}");
                Err(self.error(f, pos, node, message))
            }
        }
    }

    /// The arguments after the first (the function or method itself), then the piped value.
    fn eval_call_args(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Vec<Value>, Error> {
        let mut argv = Vec::with_capacity(args.len());
        for arg in args.iter().skip(1) {
            argv.push(self.eval_arg(f, dot, arg)?);
        }
        argv.extend(last);
        Ok(argv)
    }

    fn call_error(
        &self,
        f: &Frame,
        pos: usize,
        node: &dyn fmt::Display,
        name: &str,
        e: Error,
    ) -> Error {
        let kind = if e.kind() == ErrorKind::Limit {
            ErrorKind::Limit
        } else {
            ErrorKind::Execution
        };
        let location = location(f.tmpl, pos);
        if e.is_bare() {
            let message = format!("error calling {name}: {}", e.message());
            Error::exec(
                kind,
                message,
                &f.tmpl.name,
                location,
                short_context(node),
                None,
            )
        } else {
            let message = format!("error calling {name}: ");
            Error::exec(
                kind,
                message,
                &f.tmpl.name,
                location,
                short_context(node),
                Some(e),
            )
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_function(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        name: &str,
        pos: usize,
        cmd: &dyn fmt::Display,
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Value, Error> {
        let ident = &args[0];
        if let Some(func) = self.engine.functions.get(name).cloned() {
            let argv = self.eval_call_args(f, dot, args, last)?;
            let cmd_pos = ident.pos();
            let mut context = Context { run: self };
            return func(&mut context, &argv)
                .map_err(|e| self.call_error(f, cmd_pos, cmd, name, e));
        }
        let Some(builtin) = builtins::find(name) else {
            return Err(self.error(f, pos, ident, format!("{name:?} is not a defined function")));
        };
        let got = args.len() - 1 + usize::from(last.is_some());
        if got < builtin.fixed || (!builtin.variadic && got != builtin.fixed) {
            let at_least = if builtin.variadic { "at least " } else { "" };
            let message = format!(
                "wrong number of args for {name}: want {at_least}{} got {got}",
                builtin.fixed
            );
            return Err(self.error(f, pos, ident, message));
        }
        if name == "and" || name == "or" {
            return self.and_or(f, dot, name == "and", args, last);
        }
        if name == "printf"
            && let Some(literal @ (Arg::Number { .. } | Arg::Bool(..) | Arg::Dot(_))) = args.get(1)
        {
            // Go checks a literal against the parameter's type before calling.
            let message = format!("expected string; found {literal}");
            return Err(self.error(f, literal.pos(), literal, message));
        }
        let argv = self.eval_call_args(f, dot, args, last)?;
        if name == "call" && !matches!(argv[0], Value::Nil | Value::Func(_)) {
            let callee = args
                .get(1)
                .map_or_else(|| "pipeline".to_string(), ToString::to_string);
            let message = format!("non-function {callee} of type {}", argv[0].type_name());
            return Err(self.call_error(f, pos, cmd, name, Error::new(message)));
        }
        if name == "printf" && !matches!(argv[0], Value::String(_)) {
            let message = match &argv[0] {
                Value::Nil => "invalid value; expected string".to_string(),
                other => format!(
                    "wrong type for value; expected string; got {}",
                    other.type_name()
                ),
            };
            let node = args.get(1).unwrap_or(ident);
            return Err(self.error(f, node.pos(), node, message));
        }
        (builtin.run)(&argv)
            .map_err(|message| self.call_error(f, pos, cmd, name, Error::new(message)))
    }

    /// `and`/`or`: evaluate left to right and stop at the first value that decides.
    fn and_or(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        is_and: bool,
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Value, Error> {
        let mut value = Value::Nil;
        let n = args.len() - 1;
        for (i, arg) in args.iter().skip(1).enumerate() {
            value = self.eval_arg(f, dot, arg)?;
            let is_last = i + 1 == n && last.is_none();
            if value.is_true() != is_and || is_last {
                return Ok(value);
            }
        }
        Ok(last.unwrap_or(value))
    }

    fn eval_arg(&mut self, f: &mut Frame, dot: &Value, arg: &Arg) -> Result<Value, Error> {
        match arg {
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => Ok(Value::Nil),
            Arg::Bool(_, b) => Ok(Value::Bool(*b)),
            Arg::Number {
                value: Number::Int(i),
                ..
            } => Ok(Value::Int(*i)),
            Arg::Number {
                value: Number::Float(x),
                ..
            } => Ok(Value::Float(*x)),
            Arg::String { value, .. } => Ok(Value::from(value.as_str())),
            Arg::Field { names, .. } => self.eval_field_chain(
                f,
                dot,
                Some(dot.clone()),
                f.iface_dot,
                arg,
                names,
                std::slice::from_ref(arg),
                None,
            ),
            Arg::Variable { name, fields, pos } => self.eval_variable(
                f,
                dot,
                *pos,
                arg,
                name,
                fields,
                std::slice::from_ref(arg),
                None,
            ),
            Arg::Pipe(pipe) => self.eval_pipeline(f, dot, pipe),
            Arg::Identifier { name, pos } => {
                self.eval_function(f, dot, name, *pos, arg, std::slice::from_ref(arg), None)
            }
            Arg::Chain { node, fields, .. } => {
                let base = self.eval_chain_base(f, dot, arg, node)?;
                self.eval_field_chain(
                    f,
                    dot,
                    Some(base),
                    false,
                    last_evaluated(node),
                    fields,
                    std::slice::from_ref(arg),
                    None,
                )
            }
        }
    }
}

/// The node Go evaluated last in `arg` (its `s.at`), where it reports errors of a chain built
/// on it: for `(print "x").y`, the `"x"`.
fn last_evaluated(arg: &Arg) -> &Arg {
    match arg {
        Arg::Pipe(pipe) => match pipe.cmds.last() {
            Some(cmd) => last_evaluated(cmd.args.last().unwrap_or(arg)),
            None => arg,
        },
        _ => arg,
    }
}

/// `template "name"` as Go shows it in `at <...>`.
struct TemplateContext<'a>(&'a str);

impl fmt::Display for TemplateContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{{template {:?}}}}}", self.0)
    }
}

fn location(tmpl: &Template, pos: usize) -> Location {
    let (line, column) = line_col(&tmpl.source, pos);
    Location {
        parse_name: tmpl.parse_name.clone(),
        line,
        column,
    }
}

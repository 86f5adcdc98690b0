//! Evaluation of pipelines and operands, as Go's `exec.go` does it: commands and their piped
//! values, field chains with Go's nil and missing-key rules, variables, function calls with
//! Go's argument checks, and the short-circuit `and`/`or`.

use std::fmt;

use crate::ast::{Arg, Command, Name, Number, Pipe};
use crate::builtins;
use crate::error::{Error, ErrorKind};
use crate::value::Value;

use super::{Context, Frame, MissingKey, RED_ZONE, Run, STACK_GROWTH, location, node_context};

impl Run<'_> {
    /// Runs the commands of a pipeline, each one's result becoming the last argument of the next.
    pub(super) fn eval_commands(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        pipe: &Pipe,
    ) -> Result<Value, Error> {
        let mut value = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_command(f, dot, cmd, value)?);
        }
        Ok(value.unwrap_or_default())
    }

    pub(super) fn eval_pipeline(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        pipe: &Pipe,
    ) -> Result<Value, Error> {
        // Parentheses nest pipelines; make sure there is stack for one more.
        stacker::maybe_grow(RED_ZONE, STACK_GROWTH, || {
            self.eval_pipeline_inner(f, dot, pipe)
        })
    }

    fn eval_pipeline_inner(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        pipe: &Pipe,
    ) -> Result<Value, Error> {
        let value = self.eval_commands(f, dot, pipe)?;
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(f, pipe, name, value.clone(), false)?;
            } else {
                f.vars.push((name.clone(), value.clone(), false));
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
        fields: &[Name],
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Value, Error> {
        let Some((value, iface)) = f
            .vars
            .iter()
            .rev()
            .find(|(n, ..)| **n == *name)
            .map(|(_, v, iface)| (v.clone(), *iface))
        else {
            return Err(self.error(f, pos, node, format!("undefined variable: {name}")));
        };
        if fields.is_empty() {
            self.not_a_function(f, args, &last)?;
            return Ok(value);
        }
        self.eval_field_chain(f, dot, Some(value), iface, node, fields, args, last)
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
        names: &[Name],
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
                    Some(v) => Ok(Some(v)),
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
                node_context(node),
                None,
            )
        } else {
            let message = format!("error calling {name}: ");
            Error::exec(
                kind,
                message,
                &f.tmpl.name,
                location,
                node_context(node),
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
        let engine = self.engine;
        if let Some(host) = engine.functions.get(name) {
            let argv = match &host.signature {
                Some(signature) => self.eval_typed_args(f, dot, name, signature, args, last)?,
                None => self.eval_call_args(f, dot, args, last)?,
            };
            let func = &host.function;
            let cmd_pos = ident.pos();
            let tmpl = f.tmpl;
            let mut context = Context {
                run: self,
                site: Some((tmpl.parse_name.as_str(), cmd_pos)),
            };
            let result =
                func(&mut context, &argv).map_err(|e| self.call_error(f, cmd_pos, cmd, name, e))?;
            return self.count_result(f, cmd_pos, cmd, result);
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
        let result = (builtin.run)(&argv)
            .map_err(|message| self.call_error(f, pos, cmd, name, Error::new(message)))?;
        self.count_result(f, pos, cmd, result)
    }

    /// A string a function made counts against the output budget before it can be doubled.
    fn count_result(
        &mut self,
        f: &Frame,
        pos: usize,
        cmd: &dyn fmt::Display,
        result: Value,
    ) -> Result<Value, Error> {
        if let Value::String(s) = &result {
            self.count_bytes(f, pos, cmd, s.len())?;
        }
        Ok(result)
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

    pub(super) fn eval_arg(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        arg: &Arg,
    ) -> Result<Value, Error> {
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
            Arg::String { value, .. } => Ok(Value::String(value.clone())),
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

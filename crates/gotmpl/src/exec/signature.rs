//! Go's argument checks for host functions that declare parameter types: the count, literals
//! checked against the parameter (`expected integer; found "x"`), values against the type
//! (`wrong type for value; expected string; got float64`), and nil (`cannot assign nil to
//! string`, `invalid value; expected string`). Sprig's functions are typed in Go, so Helm
//! reports these for `indent`, `upper` and the like.

use crate::ast::{Arg, Number};
use crate::error::Error;
use crate::value::Value;

use super::{Frame, Run};

/// A Go parameter type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// `interface{}`: anything, nil included.
    Any,
    String,
    /// Go `int`.
    Int,
    /// Go `int64`.
    Int64,
    Float64,
    Bool,
    /// `[]interface{}` (nil allowed).
    List,
    /// `map[string]interface{}` (nil allowed).
    Map,
}

impl Param {
    fn go_name(self) -> &'static str {
        match self {
            Param::Any => "interface {}",
            Param::String => "string",
            Param::Int => "int",
            Param::Int64 => "int64",
            Param::Float64 => "float64",
            Param::Bool => "bool",
            Param::List => "[]interface {}",
            Param::Map => "map[string]interface {}",
        }
    }

    fn can_be_nil(self) -> bool {
        matches!(self, Param::Any | Param::List | Param::Map)
    }

    fn accepts(self, value: &Value) -> bool {
        matches!(
            (self, value),
            (Param::Any, _)
                | (Param::String, Value::String(_))
                | (Param::Int, Value::Int(_))
                | (Param::Int64, Value::Int64(_))
                | (Param::Float64, Value::Float(_))
                | (Param::Bool, Value::Bool(_))
                | (Param::List, Value::List(_))
                | (Param::Map, Value::Map(_))
        )
    }
}

/// The parameters of a host function: fixed ones, then optionally a variadic tail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signature {
    pub params: Vec<Param>,
    pub variadic: Option<Param>,
}

impl Signature {
    /// Fixed parameters only.
    pub fn new(params: &[Param]) -> Self {
        Signature {
            params: params.to_vec(),
            variadic: None,
        }
    }

    /// Fixed parameters and a variadic tail.
    pub fn variadic(params: &[Param], rest: Param) -> Self {
        Signature {
            params: params.to_vec(),
            variadic: Some(rest),
        }
    }

    fn param(&self, i: usize) -> Param {
        self.params
            .get(i)
            .copied()
            .or(self.variadic)
            .unwrap_or(Param::Any)
    }
}

impl Run<'_> {
    /// Evaluates a typed function's arguments as Go's `evalCall` does.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn eval_typed_args(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        name: &str,
        signature: &Signature,
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Vec<Value>, Error> {
        let ident = &args[0];
        let got = args.len() - 1 + usize::from(last.is_some());
        let fixed = signature.params.len();
        if got < fixed || (signature.variadic.is_none() && got != fixed) {
            let at_least = if signature.variadic.is_some() {
                "at least "
            } else {
                ""
            };
            let message =
                format!("wrong number of args for {name}: want {at_least}{fixed} got {got}");
            return Err(self.error(f, ident.pos(), ident, message));
        }
        let mut argv = Vec::with_capacity(got);
        for (i, arg) in args.iter().skip(1).enumerate() {
            argv.push(self.eval_typed_arg(f, dot, arg, signature.param(i))?);
        }
        if let Some(value) = last {
            // Go reports a bad piped value at the node it evaluated last.
            let at = args.last().unwrap_or(ident);
            let param = signature.param(got - 1);
            argv.push(self.check_value(f, at, value, param, false)?);
        }
        Ok(argv)
    }

    fn eval_typed_arg(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        arg: &Arg,
        param: Param,
    ) -> Result<Value, Error> {
        let found = |run: &Run, what: &str| {
            Err(run.error(f, arg.pos(), arg, format!("expected {what}; found {arg}")))
        };
        match (arg, param) {
            (_, Param::Any) => self.eval_arg(f, dot, arg),
            (Arg::Nil(_), p) if p.can_be_nil() => Ok(Value::Nil),
            (Arg::Nil(_), p) => Err(self.error(
                f,
                arg.pos(),
                arg,
                format!("cannot assign nil to {}", p.go_name()),
            )),
            (Arg::String { value, .. }, Param::String) => Ok(Value::String(value.clone())),
            (Arg::Bool(_, b), Param::Bool) => Ok(Value::Bool(*b)),
            (Arg::Number { value, .. }, Param::Int | Param::Int64) => {
                let int = match value {
                    Number::Int(i) => Some(*i),
                    Number::Float(x) if x.fract() == 0.0 && x.abs() < 9.2e18 => Some(*x as i64),
                    Number::Float(_) => None,
                };
                match int {
                    Some(i) if param == Param::Int => Ok(Value::Int(i)),
                    Some(i) => Ok(Value::Int64(i)),
                    None => found(self, "integer"),
                }
            }
            (Arg::Number { value, .. }, Param::Float64) => Ok(Value::Float(match value {
                Number::Int(i) => *i as f64,
                Number::Float(x) => *x,
            })),
            (Arg::Bool(..) | Arg::Number { .. }, Param::String) => found(self, "string"),
            (Arg::String { .. } | Arg::Bool(..), Param::Int | Param::Int64) => {
                found(self, "integer")
            }
            (Arg::String { .. } | Arg::Bool(..), Param::Float64) => found(self, "float"),
            (Arg::String { .. } | Arg::Number { .. }, Param::Bool) => found(self, "bool"),
            (Arg::String { .. } | Arg::Bool(..) | Arg::Number { .. }, p) => {
                let message = format!("can't handle {arg} for arg of type {}", p.go_name());
                Err(self.error(f, arg.pos(), arg, message))
            }
            _ => {
                // A nil from a map or a function is a typed `interface {}` nil in Go; one from
                // a pipeline, a variable or a missing key is no value at all.
                let iface_nil = match arg {
                    Arg::Field { .. } | Arg::Chain { .. } | Arg::Identifier { .. } => {
                        self.engine.options.missing_key != super::MissingKey::Default
                            || !matches!(arg, Arg::Field { .. })
                    }
                    Arg::Variable { fields, .. } => !fields.is_empty(),
                    Arg::Dot(_) => f.iface_dot,
                    _ => false,
                };
                let value = self.eval_arg(f, dot, arg)?;
                self.check_value(f, arg, value, param, iface_nil)
            }
        }
    }

    /// Go's `validateType`.
    fn check_value(
        &self,
        f: &Frame,
        at: &Arg,
        value: Value,
        param: Param,
        iface_nil: bool,
    ) -> Result<Value, Error> {
        if param.accepts(&value) || (matches!(value, Value::Nil) && param.can_be_nil()) {
            return Ok(value);
        }
        let expected = param.go_name();
        let message = match &value {
            Value::Nil if !iface_nil => format!("invalid value; expected {expected}"),
            Value::Nil => format!("wrong type for value; expected {expected}; got interface {{}}"),
            other => format!(
                "wrong type for value; expected {expected}; got {}",
                other.type_name()
            ),
        };
        Err(self.error(f, at.pos(), at, message))
    }
}

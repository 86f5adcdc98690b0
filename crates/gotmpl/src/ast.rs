//! The parsed form of a template: a list of nodes per template, with byte positions for errors.
//! `Display` prints nodes as Go's `String()` methods do, for the `at <...>` part of errors.

use std::fmt;
use std::sync::Arc;

/// A field, variable or function name. One parse shares each distinct name among all its uses
/// (`.Values` appears thousands of times in a Helm chart's templates), so a name costs the AST
/// no allocation of its own and copying it into a running template's variables is a count.
pub type Name = Arc<str>;

/// A sequence of nodes (a template body, a branch, a loop body).
pub type List = Vec<Node>;

#[derive(Debug, Clone)]
pub enum Node {
    /// Literal text: where it is in the source the template was parsed from (which the
    /// template keeps), so parsing copies none of a template's text.
    Text(std::ops::Range<usize>),
    /// `{{pipeline}}`: printed unless it declares variables.
    Action(Pipe),
    // The large parts are boxed so that a node, most often text or an action, is 64 bytes
    // rather than 128: every list of a chart's templates is an array of them.
    If(Box<Branch>),
    With(Box<Branch>),
    Range(Box<Branch>),
    /// `{{template "name" pipeline}}`.
    Template {
        pos: usize,
        name: String,
        pipe: Option<Box<Pipe>>,
    },
    Break(usize),
    Continue(usize),
}

/// The shared shape of `if`, `with` and `range`.
#[derive(Debug, Clone)]
pub struct Branch {
    pub pos: usize,
    pub pipe: Pipe,
    pub list: List,
    pub else_list: Option<List>,
}

/// A pipeline: optional variable declarations, then commands joined by `|`.
#[derive(Debug, Clone)]
pub struct Pipe {
    pub pos: usize,
    pub decl: Vec<Name>,
    /// `=` rather than `:=`.
    pub is_assign: bool,
    pub cmds: Vec<Command>,
}

/// One stage of a pipeline: a function or value followed by arguments.
#[derive(Debug, Clone)]
pub struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

/// An operand.
#[derive(Debug, Clone)]
pub enum Arg {
    /// `.a.b`: the field names.
    Field {
        pos: usize,
        names: Vec<Name>,
    },
    /// `$x.a.b`: the variable and the field names after it.
    Variable {
        pos: usize,
        name: Name,
        fields: Vec<Name>,
    },
    /// `(pipeline).a.b` or another term followed by fields.
    Chain {
        pos: usize,
        node: Box<Arg>,
        fields: Vec<Name>,
    },
    Identifier {
        pos: usize,
        name: Name,
    },
    Pipe(Box<Pipe>),
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    Number {
        pos: usize,
        text: String,
        value: Number,
    },
    String {
        pos: usize,
        /// As written; one parse shares it among the literal's uses, as it does names.
        quoted: Arc<str>,
        /// Shared with every value the literal evaluates to.
        value: Arc<str>,
    },
}

/// A number literal's Go type: an integer constant becomes `int`, anything with `.`, `e` or
/// `p` (or too large for an int) a `float64`.
#[derive(Debug, Clone, Copy)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Dot(pos)
            | Arg::Nil(pos)
            | Arg::Bool(pos, _)
            | Arg::Number { pos, .. }
            | Arg::String { pos, .. } => *pos,
            Arg::Pipe(pipe) => pipe.pos,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { names, .. } => names.iter().try_for_each(|n| write!(f, ".{n}")),
            Arg::Variable { name, fields, .. } => {
                f.write_str(name)?;
                fields.iter().try_for_each(|n| write!(f, ".{n}"))
            }
            Arg::Chain { node, fields, .. } => {
                if let Arg::Pipe(pipe) = node.as_ref() {
                    write!(f, "({pipe})")?;
                } else {
                    write!(f, "{node}")?;
                }
                fields.iter().try_for_each(|n| write!(f, ".{n}"))
            }
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Pipe(pipe) => write!(f, "({pipe})"),
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number { text, .. } => f.write_str(text),
            Arg::String { quoted, .. } => f.write_str(quoted),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{arg}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, name) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                f.write_str(name)?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, cmd) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{cmd}")?;
        }
        Ok(())
    }
}

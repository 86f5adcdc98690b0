//! Errors of parsing and executing, carrying the template, line and column, printed in Go's
//! words (`template: x:1:2: executing "x" at <.a.b>: nil pointer evaluating interface {}.b`).

use std::fmt;
use std::sync::Arc;

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The template text does not parse.
    Syntax,
    /// Executing failed (a nil pointer, a bad comparison, a failing function, ...).
    Execution,
    /// A host function reported a failure; it gets a location when it reaches the executor.
    Function,
    /// A safety limit was hit (nesting depth, steps, output size).
    Limit,
}

/// Where in a template's source something is: the file it was parsed from, 1-based line and
/// Go's 0-based byte column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The name the text was parsed under (Go's `ParseName`, e.g. the chart file).
    pub parse_name: String,
    pub line: usize,
    pub column: usize,
    /// The text the line and column count in: a host can draw the line even when the text was
    /// parsed at run time (Helm's `tpl`) under a file's name.
    pub text: Arc<str>,
}

/// A parse or execution error (boxed: errors are rare and results stay small).
#[derive(Debug)]
pub struct Error(Box<Inner>);

#[derive(Debug)]
struct Inner {
    kind: ErrorKind,
    message: String,
    /// The template being executed (a `define`'s name inside a file).
    template: Option<String>,
    location: Option<Location>,
    /// The action text Go shows between `<` and `>`.
    context: Option<String>,
    source: Option<Error>,
}

impl Error {
    /// An error for a host function to return; the executor adds where it happened and
    /// `error calling NAME:` as Go does.
    pub fn new(message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            kind: ErrorKind::Function,
            message: message.into(),
            template: None,
            location: None,
            context: None,
            source: None,
        }))
    }

    /// A limit hit where the caller adds the location.
    pub(crate) fn limit(message: String) -> Error {
        Error(Box::new(Inner {
            kind: ErrorKind::Limit,
            message,
            template: None,
            location: None,
            context: None,
            source: None,
        }))
    }

    pub(crate) fn syntax(message: impl Into<String>, location: Location) -> Error {
        Error(Box::new(Inner {
            kind: ErrorKind::Syntax,
            message: message.into(),
            template: None,
            location: Some(location),
            context: None,
            source: None,
        }))
    }

    pub(crate) fn exec(
        kind: ErrorKind,
        message: impl Into<String>,
        template: &str,
        location: Location,
        context: String,
        source: Option<Error>,
    ) -> Error {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            template: Some(template.to_string()),
            location: Some(location),
            context: Some(context),
            source,
        }))
    }

    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The message alone, without the location prefix.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The template being executed when the error happened.
    pub fn template(&self) -> Option<&str> {
        self.0.template.as_deref()
    }

    pub fn location(&self) -> Option<&Location> {
        self.0.location.as_ref()
    }

    /// The action Go names in `at <...>`.
    pub fn context(&self) -> Option<&str> {
        self.0.context.as_deref()
    }

    /// The error that made this one: what failed inside the template an `include` or `tpl`
    /// ran, whose message then ends with `error calling include: `.
    pub fn cause(&self) -> Option<&Error> {
        self.0.source.as_ref()
    }

    /// Whether this error was made by [`Error::new`] and has not passed through the executor.
    pub(crate) fn is_bare(&self) -> bool {
        self.0.location.is_none()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.0.location, self.0.kind) {
            (None, _) => f.write_str(&self.0.message),
            (Some(loc), ErrorKind::Syntax) => {
                write!(
                    f,
                    "template: {}:{}: {}",
                    loc.parse_name, loc.line, self.0.message
                )
            }
            (Some(loc), _) => {
                write!(
                    f,
                    "template: {}:{}:{}: ",
                    loc.parse_name, loc.line, loc.column
                )?;
                write!(
                    f,
                    "executing {:?} at <{}>: ",
                    self.0.template.as_deref().unwrap_or(""),
                    self.0.context.as_deref().unwrap_or("")
                )?;
                f.write_str(&self.0.message)?;
                if let Some(inner) = &self.0.source {
                    write!(f, "{inner}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Line (1-based) and Go's column (0-based bytes) of byte offset `pos` in `text`.
pub(crate) fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let before = &text[..pos.min(text.len())];
    let line = 1 + before.matches('\n').count();
    let col = match before.rfind('\n') {
        Some(nl) => pos - nl - 1,
        None => pos,
    };
    (line, col)
}

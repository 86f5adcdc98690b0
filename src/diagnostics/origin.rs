//! Where a value came from, for `bosun values --explain` and for errors about a value.

/// Where a value came from: a file and line, or a command-line flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File { path: String, line: usize },
    Flag { flag: &'static str, arg: String },
    Unknown,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::File { path, line: 0 } => f.write_str(path),
            Origin::File { path, line } => write!(f, "{path}:{line}"),
            Origin::Flag { flag, arg } => write!(f, "{flag} {arg}"),
            Origin::Unknown => f.write_str("(unknown)"),
        }
    }
}

//! Every way bosun can fail, as one enum, and the report a person reads:
//! `error: <what>`, `--> file:line:col`, a snippet with a caret, `help: <what to do>`.

use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::color::{self, paint};
use crate::paths::shown;

/// A place in a source text to point at, with a few lines around it.
///
/// Only a window of the source is kept, so an error about a 4 MB render stays small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSnippet {
    /// What to call the source: a file path, or a template plus "(rendered)".
    pub path: String,
    /// 1-based line of the error.
    pub line: usize,
    /// 1-based column (in characters) of the error.
    pub column: usize,
    /// What the caret says.
    pub label: String,
    window: String,
    window_first_line: usize,
    span: std::ops::Range<usize>,
}

const CONTEXT_LINES: usize = 2;

impl SourceSnippet {
    /// Points at `line:column` (both 1-based) of `source`, marking `len` characters.
    pub fn new(
        path: impl Into<String>,
        source: &str,
        line: usize,
        column: usize,
        len: usize,
        label: impl Into<String>,
    ) -> Self {
        let line = line.max(1);
        let first = line.saturating_sub(CONTEXT_LINES).max(1);
        let mut window = String::new();
        let mut span = 0..0;
        for (index, text) in source.lines().enumerate().skip(first - 1) {
            let number = index + 1;
            if number > line + CONTEXT_LINES {
                break;
            }
            if number == line {
                let start_chars = column.saturating_sub(1).min(text.chars().count());
                let start = window.len() + char_to_byte(text, start_chars);
                let end_chars = (start_chars + len.max(1)).min(text.chars().count());
                let end = window.len() + char_to_byte(text, end_chars);
                span = start..end.max(start);
            }
            window.push_str(text);
            window.push('\n');
        }
        Self {
            path: path.into(),
            line,
            column: column.max(1),
            label: label.into(),
            window,
            window_first_line: first,
            span,
        }
    }

    /// Like [`SourceSnippet::new`] for `part`, a piece of a larger text that starts on its line
    /// `first_line`: `line` counts in the whole text, but only lines of `part` are shown (the
    /// document before may be a Secret).
    pub fn in_part(
        path: impl Into<String>,
        part: &str,
        first_line: usize,
        line: usize,
        column: usize,
        len: usize,
        label: impl Into<String>,
    ) -> Self {
        let offset = first_line.max(1) - 1;
        let mut snippet = Self::new(path, part, line.saturating_sub(offset), column, len, label);
        snippet.line += offset;
        snippet.window_first_line += offset;
        snippet
    }

    /// Points at a byte range of `source`.
    pub fn at_bytes(
        path: impl Into<String>,
        source: &str,
        range: std::ops::Range<usize>,
        label: impl Into<String>,
    ) -> Self {
        let start = range.start.min(source.len());
        let before = &source[..floor_char_boundary(source, start)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        let end = floor_char_boundary(source, range.end.min(source.len()).max(start));
        let len = source[floor_char_boundary(source, start)..end]
            .lines()
            .next()
            .map_or(1, |l| l.chars().count().max(1));
        Self::new(path, source, line, column, len, label)
    }

    /// The line of the snippet that the error points at.
    pub fn source_line(&self) -> &str {
        self.window
            .lines()
            .nth(self.line - self.window_first_line)
            .unwrap_or("")
    }
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

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

/// Every error bosun reports. Each variant carries what a person needs to fix it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read `{}`", shown(path))]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("cannot write `{}`", shown(path))]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("the schema in `{path}` cannot be used: {reason}")]
    BadSchema { path: String, reason: String },

    #[error("`{}` cannot be the output folder: {reason}", shown(path))]
    OutputDir { path: PathBuf, reason: String },

    #[error("`{path}` is not valid YAML: {message}")]
    Yaml {
        path: String,
        message: String,
        snippet: Option<Box<SourceSnippet>>,
    },

    #[error("`{}` is not a chart: {reason}", shown(path))]
    Chart {
        path: PathBuf,
        reason: String,
        snippet: Option<Box<SourceSnippet>>,
    },

    #[error("unknown environment `{name}`")]
    UnknownEnvironment {
        name: String,
        known: Vec<String>,
        looked_for: Vec<PathBuf>,
    },

    #[error("invalid environment name `{name}`: use letters, digits, `-`, `_` and `.`")]
    EnvironmentName { name: String },

    #[error(
        "invalid {what} `{name}`: a namespace takes lowercase letters, digits and `-`, a release name letters, digits, `-`, `_` and `.`; each starts with a letter or digit, at most {max} characters"
    )]
    ReleaseName {
        what: &'static str,
        name: String,
        max: usize,
    },

    #[error("bad {flag} syntax in `{arg}`: {message}")]
    SetSyntax {
        flag: &'static str,
        arg: String,
        /// Byte offset in `arg` where parsing stopped.
        position: usize,
        message: String,
    },

    #[error("{message}")]
    Template {
        message: String,
        snippet: Option<Box<SourceSnippet>>,
        help: Option<String>,
    },

    #[error("`{template}` rendered invalid YAML: {message}")]
    RenderedYaml {
        template: String,
        message: String,
        snippet: Option<Box<SourceSnippet>>,
    },

    #[error("`{template}` holds a document that is not a Kubernetes object: {reason}")]
    NotAnObject {
        template: String,
        reason: String,
        snippet: Option<Box<SourceSnippet>>,
    },

    #[error("--show-only `{name}` matches no rendered template")]
    ShowOnly {
        name: String,
        available: Vec<String>,
    },

    #[error("invalid --kube-version `{0}`: expected MAJOR.MINOR, such as 1.35")]
    KubeVersion(String),

    #[error("dependency `{name}` of chart `{chart}`: {reason}")]
    Dependency {
        chart: String,
        name: String,
        reason: String,
    },

    #[error("{} failed validation against Kubernetes {kube_version}", count(failures.len(), "document"))]
    Invalid {
        kube_version: String,
        /// Each failing document's outcome.
        failures: Vec<crate::validate::Outcome>,
        /// `--require-schemas` turned these skipped kinds into failures.
        missing_schemas: Vec<String>,
    },

    #[error("the values do not match `{schema}`: {} found", count(violations.len(), "problem"))]
    ValuesSchema {
        schema: String,
        violations: Vec<crate::validate::Violation>,
        /// Where to read the allowed keys and types.
        help: String,
    },

    #[error("`{path}` is not valid JSON: {message}")]
    Json {
        path: String,
        message: String,
        snippet: Option<Box<SourceSnippet>>,
    },

    /// A command line bosun understands but does not take, such as a Helm habit.
    #[error("{message}")]
    Usage { message: String, help: String },

    #[error(transparent)]
    Schemas(#[from] crate::schema::UnknownVersion),
    /// Reaching a chart repository or registry, or reading what it serves.
    #[error(transparent)]
    Fetch(#[from] crate::dependency::Error),
    #[error("cannot write the {what} as JSON")]
    WriteJson {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
}

/// The candidate nearest to `word`, when it is near enough to be a typo of it (`nme` for
/// `name`, `protcol` for `protocol`, `replicsa` for `replicas`) or `word` is an abbreviation
/// of it (`repo` for `repository`).
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let length = word.chars().count();
    let allowed = match length {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    };
    let candidates: Vec<&str> = candidates.into_iter().collect();
    if candidates.contains(&word) {
        return None;
    }
    let typo = candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), *candidate))
        .filter(|(distance, _)| *distance <= allowed)
        .min()
        .map(|(_, candidate)| candidate);
    typo.or_else(|| {
        candidates
            .iter()
            .filter(|candidate| length >= 3 && candidate.starts_with(word))
            .min_by_key(|candidate| (candidate.len(), **candidate))
            .copied()
    })
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

impl Error {
    /// The snippet to draw under the message, if the error points into a source.
    pub fn snippet(&self) -> Option<&SourceSnippet> {
        match self {
            Error::Yaml { snippet, .. }
            | Error::Chart { snippet, .. }
            | Error::Template { snippet, .. }
            | Error::RenderedYaml { snippet, .. }
            | Error::NotAnObject { snippet, .. }
            | Error::Json { snippet, .. } => snippet.as_deref(),
            _ => None,
        }
    }

    /// One line on what to do about it, where there is one.
    pub fn help(&self) -> Option<String> {
        match self {
            Error::UnknownEnvironment {
                name,
                known,
                looked_for,
            } => {
                let files = looked_for
                    .iter()
                    .map(|p| format!("`{}`", shown(p)))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut help = match did_you_mean(name, known.iter().map(String::as_str)) {
                    Some(k) => format!("did you mean `{k}`? "),
                    None => String::new(),
                };
                if known.is_empty() {
                    help.push_str("no environment has values files");
                } else {
                    help.push_str(&format!("known environments: {}", known.join(", ")));
                }
                help.push_str(&format!("\n      looked for {files}"));
                Some(help)
            }
            Error::SetSyntax { flag, .. } => Some(format!(
                "{flag} takes `key.path=value` pairs separated by commas, such as `image.tag=1.2,ports[0].port=80`"
            )),
            Error::Template { help, .. } => help.clone(),
            Error::RenderedYaml { .. } => Some(
                "check the indentation the template produces, for example `| nindent(4)` after a multi-line value".into(),
            ),
            Error::OutputDir { .. } => Some(
                "--output-dir replaces the folder with exactly the render, so it must be new, empty, or one bosun wrote: remove it or name another".into(),
            ),
            Error::Usage { help, .. } => Some(help.clone()),
            Error::Fetch(e) => e.help(),
            Error::Schemas(_) => Some(
                "give one of those to --kube-version, or render without schemas with --no-validate"
                    .into(),
            ),
            Error::ShowOnly { available, .. } => Some(format!(
                "templates that rendered documents: {}",
                available.join(", ")
            )),
            _ => None,
        }
    }

    /// The full report: message, cause chain, snippet and help.
    pub fn report(&self, color: bool) -> String {
        if let Some(report) = self.report_many(color) {
            return report;
        }
        let mut title = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(inner) = cause {
            let _ = write!(title, ": {inner}");
            cause = inner.source();
        }
        let mut out = match self.snippet() {
            Some(snippet) => {
                let renderer = if color {
                    Renderer::styled()
                } else {
                    Renderer::plain()
                };
                let group = Group::with_title(Level::ERROR.primary_title(title.as_str())).element(
                    Snippet::source(snippet.window.as_str())
                        .line_start(snippet.window_first_line)
                        .path(snippet.path.as_str())
                        .annotation(
                            AnnotationKind::Primary
                                .span(snippet.span.clone())
                                .label(snippet.label.as_str()),
                        ),
                );
                renderer.render(&[group])
            }
            None => format!(
                "{}{}",
                paint("error", color::ERROR, color),
                paint(&format!(": {title}"), color::EMPHASIS, color)
            ),
        };
        if let Some(help) = self.help() {
            out.push('\n');
            out.push_str(&paint("help", color::HELP, color));
            out.push_str(": ");
            out.push_str(&help);
        }
        out
    }
}

impl Error {
    /// Errors made of many findings print one block per finding, then a summary.
    fn report_many(&self, color: bool) -> Option<String> {
        type Block<'a> = (String, Option<&'a SourceSnippet>, Option<&'a str>);
        let (blocks, help): (Vec<Block>, String) = match self {
            Error::Invalid {
                failures,
                missing_schemas,
                ..
            } => {
                let mut blocks = Vec::new();
                for outcome in failures {
                    if let crate::validate::Verdict::Error { message, line } = &outcome.verdict {
                        let line = line.map(|l| format!(":{l}")).unwrap_or_default();
                        blocks.push((
                            format!(
                                "{} ({}{line}): {message}",
                                outcome.resource(),
                                outcome.source
                            ),
                            None,
                            None,
                        ));
                    }
                    if let crate::validate::Verdict::Invalid { errors } = &outcome.verdict {
                        for violation in errors {
                            let at = if violation.path.is_empty() {
                                "/"
                            } else {
                                &violation.path
                            };
                            blocks.push((
                                format!(
                                    "{} ({}) at `{at}`: {}",
                                    outcome.resource(),
                                    outcome.source,
                                    violation.message
                                ),
                                violation.snippet.as_deref(),
                                violation.help.as_deref(),
                            ));
                        }
                    }
                }
                for missing in missing_schemas {
                    blocks.push((
                        format!("{missing}: no schema, and --require-schemas asks for one"),
                        None,
                        None,
                    ));
                }
                (
                    blocks,
                    "fix the template or values, pick the target with --kube-version, give custom resource schemas with --crd or --schema-location, or skip the check with --no-validate".into(),
                )
            }
            Error::ValuesSchema {
                violations, help, ..
            } => (
                violations
                    .iter()
                    .map(|v| {
                        (
                            format!("`{}`: {}", v.path, v.message),
                            v.snippet.as_deref(),
                            v.help.as_deref(),
                        )
                    })
                    .collect(),
                help.clone(),
            ),
            _ => return None,
        };
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut out = String::new();
        for (title, snippet, help) in &blocks {
            let mut group = Group::with_title(Level::ERROR.primary_title(title.as_str()));
            if let Some(snippet) = snippet {
                group = group.element(
                    Snippet::source(snippet.window.as_str())
                        .line_start(snippet.window_first_line)
                        .path(snippet.path.as_str())
                        .annotation(AnnotationKind::Primary.span(snippet.span.clone())),
                );
            }
            if let Some(help) = help {
                let mut lines = help.lines();
                if let Some(first) = lines.next() {
                    group = group.element(Level::HELP.message(first));
                }
                for note in lines {
                    group = group.element(Level::NOTE.message(note));
                }
            }
            out.push_str(&renderer.render(&[group]));
            out.push('\n');
        }
        out.push_str(&format!(
            "{}: {self}\n{}: {help}",
            paint("error", color::ERROR, color),
            paint("help", color::HELP, color)
        ));
        Some(out)
    }
}

/// A result with bosun's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_keeps_a_window_and_points_at_the_column() {
        let source = "a\nb\nc: 1\nd: [\ne\nf\ng\n";
        let snippet = SourceSnippet::new("x.yaml", source, 4, 4, 1, "here");
        assert_eq!(snippet.window, "b\nc: 1\nd: [\ne\nf\n");
        assert_eq!(snippet.source_line(), "d: [");
        assert_eq!(&snippet.window[snippet.span.clone()], "[");
    }

    #[test]
    fn did_you_mean_takes_a_near_typo_or_an_abbreviation() {
        let keys = ["name", "namespace", "port", "protocol"];
        assert_eq!(did_you_mean("nme", keys), Some("name"));
        assert_eq!(did_you_mean("protcol", keys), Some("protocol"));
        assert_eq!(did_you_mean("replicas", keys), None);
        assert_eq!(
            did_you_mean("repo", ["repository", "tag"]),
            Some("repository")
        );
        assert_eq!(
            did_you_mean("name", keys),
            None,
            "a word that exists needs no suggestion"
        );
    }

    #[test]
    fn snippet_from_bytes_finds_line_and_column() {
        let source = "one\ntwo three\n";
        let snippet = SourceSnippet::at_bytes("t", source, 8..13, "x");
        assert_eq!((snippet.line, snippet.column), (2, 5));
    }
}

//! Every way bosun can fail, as one enum, and the report a person reads:
//! `error: <what>`, `--> file:line:col`, a snippet with a caret, `help: <what to do>`.

use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;

use annotate_snippets::{Group, Level, Renderer};

use crate::diagnostics::color::{self, paint};
use crate::diagnostics::{Finding, SourceSnippet, did_you_mean};
use crate::paths::shown;

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

    #[error("chart `{chart}` needs {} not under `{}`: {}", if names.len() == 1 { "a dependency" } else { "dependencies" }, dir.join("charts").display(), names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "))]
    MissingDependencies {
        chart: String,
        /// The chart's folder, as the user named it.
        dir: PathBuf,
        names: Vec<String>,
    },

    #[error("dependency `{name}` of chart `{chart}`: {reason}")]
    Dependency {
        chart: String,
        name: String,
        reason: String,
    },

    #[error("{} failed validation against Kubernetes {kube_version}", count(*documents, "document"))]
    Invalid {
        kube_version: String,
        /// How many documents failed.
        documents: usize,
        /// Each violation or error of those documents, then each kind that `--require-schemas`
        /// wanted a schema for.
        findings: Vec<Finding>,
    },

    #[error("the values do not match `{schema}`: {} found", count(violations.len(), "problem"))]
    ValuesSchema {
        schema: String,
        violations: Vec<Finding>,
        /// Where to read the allowed keys and types.
        help: String,
    },

    #[error("`{path}` is not valid JSON: {message}")]
    Json {
        path: String,
        message: String,
        snippet: Option<Box<SourceSnippet>>,
    },

    /// The repository's releases: its releases file (`bosun.yaml`), a release that failed in
    /// `--all`, or `git` for `--changed-since`.
    #[error("{message}")]
    Repository {
        message: String,
        snippet: Option<Box<SourceSnippet>>,
        help: Option<String>,
    },

    /// A command line bosun understands but does not take, such as a Helm habit.
    #[error("{message}")]
    Usage { message: String, help: String },

    #[error("no schemas for Kubernetes {version}: bosun carries {available}")]
    UnknownKubeVersion { version: String, available: String },
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
            | Error::Json { snippet, .. }
            | Error::Repository { snippet, .. } => snippet.as_deref(),
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
                "check the indentation the template produces, for example `nindent` after a multi-line value (`| nindent(4)` in Jinja, `| nindent 4` in Go templates)".into(),
            ),
            Error::OutputDir { .. } => Some(
                "--output-dir replaces the folder with exactly the render, so it must be new, empty, or one bosun wrote: remove it or name another".into(),
            ),
            Error::Usage { help, .. } => Some(help.clone()),
            Error::Repository { help, .. } => help.clone(),
            Error::Fetch(e) => e.help(),
            Error::UnknownKubeVersion { .. } => Some(
                "give one of those to --kube-version, or render without schemas with --no-validate"
                    .into(),
            ),
            Error::MissingDependencies { dir, .. } => Some(format!(
                "run `bosun dep build {}` to fetch them from the repositories Chart.yaml names, or turn them off with their `condition`",
                dir.display()
            )),
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
                let group = Group::with_title(Level::ERROR.primary_title(title.as_str()))
                    .element(snippet.drawn(true));
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
        type Block<'a> = (
            String,
            Option<&'a SourceSnippet>,
            &'a [String],
            Option<&'a str>,
        );
        let (blocks, help): (Vec<Block>, String) = match self {
            Error::Invalid { findings, .. } => (
                findings.iter().map(Finding::block).collect(),
                "fix the template or values, pick the target with --kube-version, give custom resource schemas with --crd or --schema-location, or skip the check with --no-validate".into(),
            ),
            Error::ValuesSchema {
                violations, help, ..
            } => (
                violations.iter().map(Finding::block).collect(),
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
        for (title, snippet, notes, help) in &blocks {
            let mut group = Group::with_title(Level::ERROR.primary_title(title.as_str()));
            if let Some(snippet) = snippet {
                group = group.element(snippet.drawn(false));
            }
            for note in notes.iter() {
                group = group.element(Level::NOTE.message(note.as_str()));
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

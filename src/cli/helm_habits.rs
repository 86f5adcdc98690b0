//! Helm habits on bosun's command line — a Helm flag bosun does not take, or Helm's
//! `template NAME CHART` order — said in bosun's terms, with what to type instead.

use std::ffi::OsString;

use clap::CommandFactory;

use super::Cli;
use crate::error::Error;

/// What bosun does instead of a Helm flag it does not take.
const HELM_FLAGS: &[(&str, &str, &str)] = &[
    (
        "--validate",
        "`--validate` is not a bosun flag: bosun validates by default (the values against values.schema.json, every document against the Kubernetes schemas)",
        "drop `--validate`; `--no-validate` skips validation",
    ),
    (
        "--debug",
        "`--debug` is not a bosun flag: every error already names the file and line, with a snippet",
        "drop `--debug`; to see documents that fail validation use `--no-validate`, and to see where each value comes from use `bosun values CHART --explain`",
    ),
    (
        "--skip-crds",
        "`--skip-crds` is not a bosun flag: bosun leaves the chart's CRDs out unless `--include-crds` asks for them",
        "drop `--skip-crds`",
    ),
];

/// A usage error that comes from a Helm habit, said in bosun's terms: a Helm flag bosun does
/// not take, or Helm's `template NAME CHART` order.
pub(super) fn helm_habit(args: &[OsString], error: &clap::Error) -> Option<Error> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if error.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(unknown)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let flag = unknown.split('=').next().unwrap_or(unknown);
    if let Some((_, message, help)) = HELM_FLAGS.iter().find(|(f, ..)| *f == flag) {
        return Some(Error::Usage {
            message: (*message).into(),
            help: (*help).into(),
        });
    }
    let mut command = Cli::command();
    command.build();
    let sub = command.find_subcommand(args.get(1)?.to_str()?)?;
    if !sub
        .get_arguments()
        .any(|a| a.get_long() == Some("release-name"))
    {
        return None;
    }
    let positionals = positionals(sub, &args[2..]);
    match positionals.as_slice() {
        [name, chart, ..] if !is_chart(name) && is_chart(chart) => Some(Error::Usage {
            message: format!(
                "bosun takes the chart first: `{}` is a chart, `{}` is not",
                chart.to_string_lossy(),
                name.to_string_lossy()
            ),
            help: format!(
                "the release name is a flag: `bosun {} {} --release-name {}`",
                args.get(1)?.to_string_lossy(),
                chart.to_string_lossy(),
                name.to_string_lossy()
            ),
        }),
        _ => None,
    }
}

fn is_chart(path: &OsString) -> bool {
    std::path::Path::new(path).join("Chart.yaml").is_file()
}

/// The positional arguments of a subcommand's command line, skipping options and their
/// values (as the subcommand's own definition says which options take one).
fn positionals<'a>(sub: &clap::Command, args: &'a [OsString]) -> Vec<&'a OsString> {
    let takes_value = |arg: &clap::Arg| arg.get_action().takes_values();
    let mut out = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let text = arg.to_string_lossy();
        if text == "--" {
            out.extend(rest.by_ref());
            break;
        }
        let option = if let Some(long) = text.strip_prefix("--") {
            (!long.contains('='))
                .then(|| sub.get_arguments().find(|a| a.get_long() == Some(long)))
                .flatten()
        } else if let Some(short) = text.strip_prefix('-').filter(|s| s.chars().count() == 1) {
            let short = short.chars().next();
            sub.get_arguments().find(|a| a.get_short() == short)
        } else if text.starts_with('-') && text.len() > 1 {
            None
        } else {
            out.push(arg);
            continue;
        };
        if option.is_some_and(takes_value) {
            rest.next();
        }
    }
    out
}

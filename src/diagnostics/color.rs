//! Whether to colour output, decided in one place: `--color auto|always|never`, then the
//! `NO_COLOR` and `CLICOLOR_FORCE` conventions and whether the stream is a terminal, as anstream
//! reads them. The styles every report uses live here too, so no other module writes an escape.

use std::io::IsTerminal;

use anstyle::{AnsiColor, Style};

/// `--color`: when to colour output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum When {
    /// Colour when the stream is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always colour, even into a pipe or file.
    Always,
    /// Never colour.
    Never,
}

/// Makes `when` the choice for the rest of the process.
pub fn set(when: When) {
    let choice = match when {
        When::Auto => anstream::ColorChoice::Auto,
        When::Always => anstream::ColorChoice::Always,
        When::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

/// Whether text written to stdout should be coloured.
pub fn stdout() -> bool {
    enabled(&std::io::stdout())
}

/// Whether text written to stderr should be coloured.
pub fn stderr() -> bool {
    enabled(&std::io::stderr())
}

fn enabled<S: anstream::stream::RawStream + IsTerminal>(stream: &S) -> bool {
    anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never
}

/// `error` in a report's title.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// `help` before a suggestion.
pub const HELP: Style = AnsiColor::Cyan.on_default().bold();
/// The rest of a report's title.
pub const EMPHASIS: Style = Style::new().bold();
/// A removed line in a diff.
pub const REMOVED: Style = AnsiColor::Red.on_default();
/// An added line in a diff.
pub const ADDED: Style = AnsiColor::Green.on_default();
/// A changed resource in a diff's plan.
pub const CHANGED: Style = AnsiColor::Yellow.on_default();
/// A hunk header or a resource's heading in a diff.
pub const HEADING: Style = AnsiColor::Cyan.on_default();

/// `text` in `style` when `color` is on, else `text` as it is.
pub fn paint(text: &str, style: Style, color: bool) -> String {
    if color {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

//! Holds `indent` and `nindent` (written with byte searches and runs of spaces) to the
//! line-by-line answer they replaced, over generated text: empty lines, trailing newlines,
//! widths past the run of spaces copied at once.

use minijinja::value::Value;
use proptest::prelude::*;

/// The answer the filters gave before: each non-empty line, split on `\n`, after `width`
/// spaces pushed one by one.
fn reference(prefix: &str, text: &str, width: usize) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| match line {
            "" => String::new(),
            _ => format!("{}{line}", " ".repeat(width)),
        })
        .collect();
    format!("{prefix}{}", lines.join("\n"))
}

fn render(filter: &str, text: &str, width: usize) -> String {
    crate::render::jinja::environment()
        .render_str(
            &format!("{{{{ t | {filter}({width}) }}}}"),
            minijinja::context! { t => Value::from(text) },
        )
        .unwrap()
}

proptest! {
    #[test]
    fn indent_and_nindent_match_the_line_by_line_answer(
        text in "[a-z é\\n\\r]{0,40}",
        width in 0usize..150,
    ) {
        prop_assert_eq!(render("indent", &text, width), reference("", &text, width));
        prop_assert_eq!(render("nindent", &text, width), reference("\n", &text, width));
    }
}

#[test]
fn nindent_wider_than_one_run_of_spaces_indents_every_line() {
    assert_eq!(
        render("nindent", "a\n\nb\n", 70),
        format!("\n{0}a\n\n{0}b\n", " ".repeat(70))
    );
}

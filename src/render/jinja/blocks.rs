//! Finding the block tag a syntax error is really about: minijinja reports an unclosed
//! `{% if %}` where the template ends (or at a closing tag meant for an outer block), but the
//! line to fix is the `if`.

use std::ops::Range;

/// A block tag left open: its name (`if`) and the byte range of the whole tag in the source.
#[derive(Debug, PartialEq, Eq)]
pub struct Open {
    pub name: String,
    pub tag: Range<usize>,
}

/// True for a tag that opens a block: `{% if %}`, `{% for %}`, ... `body` is the tag's text.
fn opens_block(name: &str, body: &str) -> bool {
    match name {
        "if" | "for" | "macro" | "call" | "filter" | "with" | "autoescape" | "block" => true,
        // `{% set x = 1 %}` is a statement; `{% set x %}...{% endset %}` is a block.
        "set" => !body.contains('='),
        _ => false,
    }
}

/// True for the name of a tag that opens a block (`if`, `for`, ...).
pub fn is_block(name: &str) -> bool {
    opens_block(name, "")
}

/// The closing tag for an opening one: `endif` for `if`.
pub fn closing(name: &str) -> String {
    format!("end{name}")
}

/// The innermost block still open at byte `end` of `source`.
pub fn open_at(source: &str, end: usize) -> Option<Open> {
    let mut stack: Vec<Open> = Vec::new();
    let mut at = 0;
    let end = end.min(source.len());
    while let Some(found) = source[at..end].find(['{']) {
        let start = at + found;
        let rest = &source[start..end];
        if rest.starts_with("{#") {
            at = match rest.find("#}") {
                Some(close) => start + close + 2,
                None => end,
            };
            continue;
        }
        if !rest.starts_with("{%") {
            at = start + 1;
            continue;
        }
        let Some(close) = rest.find("%}") else {
            break;
        };
        let tag = start..start + close + 2;
        let body = rest[2..close]
            .trim_start_matches(['-', '+'])
            .trim_end_matches(['-', '+'])
            .trim();
        let name = body.split_whitespace().next().unwrap_or_default();
        at = tag.end;
        if name == "raw" {
            // Nothing inside `{% raw %}` is a tag.
            let after = &source[at..end];
            at = match after.find("endraw") {
                Some(i) => after[i..].find("%}").map_or(end, |j| at + i + j + 2),
                None => end,
            };
            continue;
        }
        if opens_block(name, body) {
            stack.push(Open {
                name: name.to_string(),
                tag,
            });
        } else if let Some(opened) = name.strip_prefix("end") {
            if stack.last().is_some_and(|open| open.name == opened) {
                stack.pop();
            } else {
                // A closer that does not match: the error is there, not an open block.
                return stack.pop();
            }
        }
    }
    stack.pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_innermost_open_block() {
        let source = "a\n{% for x in y %}\n{% if x %}\nb\n{% endfor %}\n";
        let open = open_at(source, source.find("{% endfor").unwrap()).unwrap();
        assert_eq!(open.name, "if");
        assert_eq!(&source[open.tag], "{% if x %}");
    }

    #[test]
    fn closed_blocks_comments_raw_and_set_statements_are_not_open() {
        let source = "{% if a %}{% endif %}{# {% if %} #}{% raw %}{% for %}{% endraw %}{% set x = 1 %}{%- with y = 2 -%}";
        let open = open_at(source, source.len()).unwrap();
        assert_eq!(open.name, "with");
        assert_eq!(open_at("{% if a %}{% endif %}", 21), None);
    }
}

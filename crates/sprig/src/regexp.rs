//! sprig's regular-expression functions. Go's RE2 syntax and Rust's `regex` (and `regex-lite`,
//! see `regexp/pattern.rs`) agree on the patterns charts use; replacement templates (`$1`,
//! `${name}`) expand the same way. The plain forms fail on a bad pattern as Go's `MustCompile`
//! panics; the `must*` forms return the error.

mod pattern;

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use gotmpl::{Error, Param};
use pattern::Pattern;

use crate::{Registry, n, s, strings_value};

use Param::{Int, String as Str};

/// Patterns kept compiled; past this many the cache starts over.
const CACHED: usize = 256;

/// Charts match the same few patterns thousands of times in a render (Bitnami's common
/// helpers do in every template), and compiling one costs more than matching it. One cache
/// for the process: templates render on several threads, and each compiling the same
/// patterns again was wasted (a compiled pattern is shared across threads cheaply).
static COMPILED: LazyLock<Mutex<HashMap<String, Pattern>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn compile(pattern: &str, must: bool) -> Result<Pattern, Error> {
    let cached = |cache: &HashMap<String, Pattern>| cache.get(pattern).cloned();
    if let Some(re) = cached(&COMPILED.lock().unwrap_or_else(PoisonError::into_inner)) {
        return Ok(re);
    }
    // Compiled without the lock held: another thread may compile the same pattern meanwhile,
    // which only costs time.
    let re = compile_uncached(pattern, must)?;
    let mut cache = COMPILED.lock().unwrap_or_else(PoisonError::into_inner);
    if cache.len() >= CACHED {
        cache.clear();
    }
    cache.insert(pattern.to_string(), re.clone());
    Ok(re)
}

fn compile_uncached(pattern: &str, must: bool) -> Result<Pattern, Error> {
    Pattern::new(pattern).map_err(|e| {
        let detail = match e {
            regex::Error::Syntax(text) => text.lines().last().unwrap_or_default().to_string(),
            other => other.to_string(),
        };
        let detail = go_error_code(detail.trim_start_matches("error: "));
        if must {
            Error::new(format!("error parsing regexp: {detail}: `{pattern}`"))
        } else {
            Error::new(format!(
                "regexp: Compile(`{pattern}`): error parsing regexp: {detail}: `{pattern}`"
            ))
        }
    })
}

pub(crate) fn register(r: &mut Registry<'_>) {
    for must in [false, true] {
        let name = |base: &str| {
            if must {
                let mut c = base.chars();
                let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or_default();
                format!("must{first}{}", c.as_str())
            } else {
                base.to_string()
            }
        };
        r.typed(&name("regexMatch"), &[Str, Str], move |a| {
            match compile(s(a, 0), must) {
                Ok(re) => Ok(re.is_match(s(a, 1)).into()),
                Err(e) if must => Err(e),
                Err(_) => Ok(false.into()),
            }
        });
        r.typed(&name("regexFindAll"), &[Str, Str, Int], move |a| {
            let re = compile(s(a, 0), must)?;
            let limit = usize::try_from(n(a, 2)).unwrap_or(usize::MAX);
            let text = s(a, 1);
            Ok(strings_value(
                re.find_iter(text).take(limit).map(|m| &text[m]),
            ))
        });
        r.typed(&name("regexFind"), &[Str, Str], move |a| {
            let re = compile(s(a, 0), must)?;
            let text = s(a, 1);
            Ok(re.find_iter(text).next().map_or("", |m| &text[m]).into())
        });
        r.typed(&name("regexReplaceAll"), &[Str, Str, Str], move |a| {
            let re = compile(s(a, 0), must)?;
            Ok(re.replace_all(s(a, 1), s(a, 2), true).into())
        });
        r.typed(
            &name("regexReplaceAllLiteral"),
            &[Str, Str, Str],
            move |a| {
                let re = compile(s(a, 0), must)?;
                Ok(re.replace_all(s(a, 1), s(a, 2), false).into())
            },
        );
        r.typed(&name("regexSplit"), &[Str, Str, Int], move |a| {
            let re = compile(s(a, 0), must)?;
            Ok(strings_value(split(&re, s(a, 1), n(a, 2))))
        });
    }
    r.typed("regexQuoteMeta", &[Str], |a| {
        let mut out = String::new();
        for c in s(a, 0).chars() {
            if "\\.+*?()|[]{}^$".contains(c) {
                out.push('\\');
            }
            out.push(c);
        }
        Ok(out.into())
    });
}

/// Go's `Regexp.Split`.
fn split(re: &Pattern, text: &str, limit: i64) -> Vec<String> {
    if limit == 0 {
        return Vec::new();
    }
    if !re.as_str().is_empty() && text.is_empty() {
        return vec![String::new()];
    }
    let max = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut out = Vec::new();
    let (mut beg, mut end) = (0, 0);
    for m in re.find_iter(text).take(max) {
        if limit > 0 && out.len() == max - 1 {
            break;
        }
        end = m.start;
        if m.end != 0 {
            out.push(text[beg..end].to_string());
        }
        beg = m.end;
    }
    if end != text.len() {
        out.push(text[beg..].to_string());
    }
    out
}

/// Go's words for the syntax errors charts make; others keep the `regex` crate's words.
fn go_error_code(detail: &str) -> &str {
    match detail {
        "unclosed group" => "missing closing )",
        "unclosed character class" => "missing closing ]",
        "unopened group" => "unexpected )",
        "repetition operator missing expression" => "missing argument to repetition operator",
        other => other,
    }
}

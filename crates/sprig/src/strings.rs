//! sprig's string functions: trimming, case, truncation, wrapping, quoting, indenting,
//! splitting and joining. Positions and lengths count bytes, as Go's do.

use gotmpl::{Param, Value};

use crate::cast::strval;

mod case;
#[cfg(test)]
mod indent_same;

use crate::random::Source;
use crate::{Registry, n, s, strings_value};
use case::{camelcase, go_lower, go_upper, snakecase};

use Param::{Any, Int, String as Str};

pub(crate) fn register(r: &mut Registry<'_>, rng: &Source) {
    r.typed("trim", &[Str], |a| Ok(s(a, 0).trim().into()));
    r.typed("trimAll", &[Str, Str], |a| {
        let cutset = s(a, 0);
        Ok(s(a, 1).trim_matches(|c| cutset.contains(c)).into())
    });
    r.typed("trimPrefix", &[Str, Str], |a| {
        Ok(s(a, 1).strip_prefix(s(a, 0)).unwrap_or(s(a, 1)).into())
    });
    r.typed("trimSuffix", &[Str, Str], |a| {
        Ok(s(a, 1).strip_suffix(s(a, 0)).unwrap_or(s(a, 1)).into())
    });
    r.typed("upper", &[Str], |a| Ok(s(a, 0).to_uppercase().into()));
    r.typed("lower", &[Str], |a| Ok(s(a, 0).to_lowercase().into()));
    r.typed("title", &[Str], |a| Ok(title(s(a, 0)).into()));
    r.typed("untitle", &[Str], |a| Ok(untitle(s(a, 0)).into()));
    r.typed("repeat", &[Int, Str], |a| {
        let count = usize::try_from(n(a, 0))
            .map_err(|_| gotmpl::Error::new("strings: negative Repeat count"))?;
        crate::check_len("repeat", count as u128 * s(a, 1).len() as u128)?;
        Ok(s(a, 1).repeat(count).into())
    });
    r.typed("substr", &[Int, Int, Str], |a| {
        substr(n(a, 0), n(a, 1), s(a, 2))
    });
    r.typed("nospace", &[Str], |a| {
        Ok(s(a, 0)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .into())
    });
    r.typed("trunc", &[Int, Str], |a| Ok(trunc(n(a, 0), s(a, 1)).into()));
    r.typed("abbrev", &[Int, Str], |a| {
        Ok(abbrev(n(a, 0), s(a, 1)).into())
    });
    r.typed("abbrevboth", &[Int, Int, Str], |a| {
        Ok(abbrevboth(n(a, 0), n(a, 1), s(a, 2)).into())
    });
    r.typed("initials", &[Str], |a| {
        Ok(s(a, 0)
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .collect::<String>()
            .into())
    });
    r.typed("wrap", &[Int, Str], |a| {
        Ok(wrap(s(a, 1), n(a, 0), "\n", false).into())
    });
    r.typed("wrapWith", &[Int, Str, Str], |a| {
        Ok(wrap(s(a, 2), n(a, 0), s(a, 1), true).into())
    });
    r.typed("contains", &[Str, Str], |a| {
        Ok(s(a, 1).contains(s(a, 0)).into())
    });
    r.typed("hasPrefix", &[Str, Str], |a| {
        Ok(s(a, 1).starts_with(s(a, 0)).into())
    });
    r.typed("hasSuffix", &[Str, Str], |a| {
        Ok(s(a, 1).ends_with(s(a, 0)).into())
    });
    r.variadic("quote", &[], Any, |a| {
        let quoted: Vec<String> = a
            .iter()
            .filter(|v| !matches!(v, Value::Nil))
            .map(|v| gotmpl::format::quote(&strval(v), false))
            .collect();
        Ok(quoted.join(" ").into())
    });
    r.variadic("squote", &[], Any, |a| {
        let quoted: Vec<String> = a
            .iter()
            .filter(|v| !matches!(v, Value::Nil))
            .map(|v| format!("'{}'", strval(v)))
            .collect();
        Ok(quoted.join(" ").into())
    });
    r.variadic("cat", &[], Any, |a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !matches!(v, Value::Nil))
            .map(Value::to_string)
            .collect();
        Ok(parts.join(" ").into())
    });
    r.typed("indent", &[Int, Str], |a| {
        Ok(indent(n(a, 0), s(a, 1), false)?.into())
    });
    r.typed("nindent", &[Int, Str], |a| {
        Ok(indent(n(a, 0), s(a, 1), true)?.into())
    });
    r.typed("replace", &[Str, Str, Str], |a| {
        Ok(s(a, 2).replace(s(a, 0), s(a, 1)).into())
    });
    r.typed("plural", &[Str, Str, Int], |a| {
        Ok(if n(a, 2) == 1 { s(a, 0) } else { s(a, 1) }.into())
    });
    r.typed("snakecase", &[Str], |a| Ok(snakecase(s(a, 0), '_').into()));
    r.typed("kebabcase", &[Str], |a| Ok(snakecase(s(a, 0), '-').into()));
    r.typed("camelcase", &[Str], |a| Ok(camelcase(s(a, 0)).into()));
    r.typed("swapcase", &[Str], |a| {
        Ok(s(a, 0)
            .chars()
            .map(|c| {
                if c.is_uppercase() {
                    go_lower(c)
                } else if c.is_lowercase() {
                    go_upper(c)
                } else {
                    c
                }
            })
            .collect::<String>()
            .into())
    });
    r.random("shuffle", &[Str], rng, |draw, a| {
        let mut chars: Vec<char> = s(a, 0).chars().collect();
        rand::seq::SliceRandom::shuffle(chars.as_mut_slice(), draw);
        Ok(chars.into_iter().collect::<String>().into())
    });
    r.typed("toString", &[Any], |a| Ok(strval(&a[0]).into()));
    r.typed("toStrings", &[Any], |a| Ok(strings_value(strslice(&a[0]))));
    r.typed("join", &[Str, Any], |a| {
        Ok(strslice(&a[1]).join(s(a, 0)).into())
    });
    r.typed("splitList", &[Str, Str], |a| {
        Ok(strings_value(go_split(s(a, 1), s(a, 0), -1)))
    });
    r.typed("split", &[Str, Str], |a| {
        Ok(indexed_map(go_split(s(a, 1), s(a, 0), -1)))
    });
    r.typed("splitn", &[Str, Int, Str], |a| {
        Ok(indexed_map(go_split(s(a, 2), s(a, 0), n(a, 1))))
    });
    r.typed("sortAlpha", &[Any], |a| match &*a[0].plain() {
        Value::List(_) => {
            let mut items = strslice(&a[0]);
            items.sort();
            Ok(strings_value(items))
        }
        other => Ok(strings_value([strval(other)])),
    });
}

/// sprig's `strslice`: the items of a list as strings, nil items dropped; a non-list is one item.
pub fn strslice(value: &Value) -> Vec<String> {
    match &*value.plain() {
        Value::Nil => Vec::new(),
        Value::List(items) => items
            .iter()
            .filter(|v| !matches!(v, Value::Nil))
            .map(strval)
            .collect(),
        other => vec![strval(other)],
    }
}

/// Go's `strings.SplitN(s, sep, n)` (`n < 0`: all parts; an empty separator splits characters).
pub fn go_split(text: &str, sep: &str, limit: i64) -> Vec<String> {
    if limit == 0 {
        return Vec::new();
    }
    let max = usize::try_from(limit).unwrap_or(usize::MAX);
    if sep.is_empty() {
        let chars: Vec<char> = text.chars().collect();
        let mut out: Vec<String> = Vec::new();
        for (i, c) in chars.iter().enumerate() {
            if out.len() + 1 == max {
                out.push(chars[i..].iter().collect());
                return out;
            }
            out.push(c.to_string());
        }
        return out;
    }
    text.splitn(max, sep).map(str::to_string).collect()
}

fn indexed_map(parts: Vec<String>) -> Value {
    Value::map(
        parts
            .into_iter()
            .enumerate()
            .map(|(i, p)| (format!("_{i}"), Value::from(p)))
            .collect(),
    )
}

/// `indent` (and `nindent`, with a line break first): `spaces` spaces before every line of
/// `text`, written into one string of the size it needs (Bitnami's charts pass nearly every
/// `include` through `nindent`).
fn indent(spaces: i64, text: &str, break_first: bool) -> Result<String, gotmpl::Error> {
    let width = usize::try_from(spaces).unwrap_or(0);
    let lines = text.matches('\n').count() + 1;
    crate::check_len("indent", text.len() as u128 + lines as u128 * width as u128)?;
    let mut out = String::with_capacity(usize::from(break_first) + text.len() + lines * width);
    if break_first {
        out.push('\n');
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.extend(std::iter::repeat_n(' ', width));
        out.push_str(line);
    }
    Ok(out)
}

/// Go's `strings.Title`: a letter after a separator (space, ASCII punctuation) is upper-cased.
fn title(text: &str) -> String {
    let mut prev = ' ';
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_separator(prev) {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev = c;
    }
    out
}

fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphanumeric() {
        return false;
    }
    c.is_whitespace()
}

/// sprig's `untitle`: the first letter of each space-separated word lower-cased.
fn untitle(text: &str) -> String {
    let mut prev_space = true;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if prev_space && c.is_uppercase() {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
        prev_space = c.is_whitespace();
    }
    out
}

fn slice_bounds(text: &str, start: usize, end: usize) -> crate::Result {
    if start > end || end > text.len() {
        return Err(gotmpl::Error::new(format!(
            "runtime error: slice bounds out of range [{start}:{end}]"
        )));
    }
    Ok(String::from_utf8_lossy(&text.as_bytes()[start..end])
        .into_owned()
        .into())
}

fn substr(start: i64, end: i64, text: &str) -> crate::Result {
    let len = text.len() as i64;
    if start < 0 {
        if end < 0 {
            return Err(gotmpl::Error::new(format!(
                "runtime error: slice bounds out of range [:{end}]"
            )));
        }
        if end > len {
            return Err(gotmpl::Error::new(format!(
                "runtime error: slice bounds out of range [:{end}] with length {len}"
            )));
        }
        return slice_bounds(text, 0, end as usize);
    }
    if end < 0 || end > len {
        if start > len {
            return Err(gotmpl::Error::new(format!(
                "runtime error: slice bounds out of range [{start}:{len}]"
            )));
        }
        return slice_bounds(text, start as usize, len as usize);
    }
    slice_bounds(text, start as usize, end as usize)
}

fn byte_str(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn trunc(c: i64, text: &str) -> String {
    let len = text.len() as i64;
    if c < 0 && len + c > 0 {
        return byte_str(&text.as_bytes()[(len + c) as usize..]);
    }
    if c >= 0 && len > c {
        return byte_str(&text.as_bytes()[..c as usize]);
    }
    text.to_string()
}

fn abbrev(width: i64, text: &str) -> String {
    if width < 4 || text.len() as i64 <= width {
        return text.to_string();
    }
    format!("{}...", byte_str(&text.as_bytes()[..(width - 3) as usize]))
}

fn abbrevboth(left: i64, right: i64, text: &str) -> String {
    if right < 4 || left > 0 && right < 7 {
        return text.to_string();
    }
    let len = text.len() as i64;
    if len <= right {
        return text.to_string();
    }
    let b = text.as_bytes();
    let mut offset = left.max(0).min(len);
    if len - offset < right - 3 {
        offset = len - (right - 3);
    }
    if offset <= 4 {
        return format!("{}...", byte_str(&b[..(right - 3) as usize]));
    }
    if offset + right - 3 < len {
        return format!("...{}", abbrev(right - 3, &byte_str(&b[offset as usize..])));
    }
    format!("...{}", byte_str(&b[(len - (right - 3)) as usize..]))
}

/// goutils' `WrapCustom` (Apache Commons' `WordUtils.wrap`), on bytes as Go's is.
fn wrap(text: &str, width: i64, newline: &str, long_words: bool) -> String {
    if text.is_empty() {
        return String::new();
    }
    let width = usize::try_from(width.max(1)).unwrap_or(1);
    let b = text.as_bytes();
    let len = b.len();
    let mut offset = 0;
    let mut out: Vec<u8> = Vec::with_capacity(len + 8);
    while len - offset > width {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = (width + offset + 1).min(len);
        match b[offset..end].iter().rposition(|&c| c == b' ') {
            Some(i) => {
                out.extend_from_slice(&b[offset..offset + i]);
                out.extend_from_slice(newline.as_bytes());
                offset += i + 1;
            }
            None if long_words => {
                out.extend_from_slice(&b[offset..offset + width]);
                out.extend_from_slice(newline.as_bytes());
                offset += width;
            }
            None => {
                let end = width + offset;
                match b[end..].iter().position(|&c| c == b' ') {
                    None => {
                        out.extend_from_slice(&b[offset..]);
                        offset = len;
                    }
                    Some(i) => {
                        out.extend_from_slice(&b[offset..end + i]);
                        out.extend_from_slice(newline.as_bytes());
                        offset = end + i + 1;
                    }
                }
            }
        }
    }
    out.extend_from_slice(&b[offset..]);
    byte_str(&out)
}

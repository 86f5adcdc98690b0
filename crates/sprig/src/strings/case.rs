//! The case conversions sprig takes from xstrings (`snakecase`, `kebabcase`, `camelcase`),
//! and Go's one-character case mapping that `swapcase` uses too.

/// Go's `unicode.ToUpper`: one character for one; a character whose upper case is longer
/// (`ß`) stays as it is.
pub(super) fn go_upper(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

pub(super) fn go_lower(c: char) -> char {
    let mut low = c.to_lowercase();
    match (low.next(), low.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || c.is_whitespace()
}

/// Go's `unicode.IsPunct` on ASCII (connectors are tested first).
fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() && !"$+<=>^`|~".contains(c)
}

/// xstrings' notion of a letter: any letter but CJK ideographs.
fn is_alphabet(c: char) -> bool {
    c.is_alphabetic() && !('\u{3400}'..='\u{9fff}').contains(&c)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Word {
    /// Past the end.
    End,
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

/// Splits text into xstrings' words: runs of connectors, punctuation, digits, lower-case
/// letters, an upper-case letter with the lower-case ones after it, or a run of capitals (less
/// the last when a lower-case letter follows, so `HTTPServer` is `HTTP`, `Server`).
fn split_words(text: &str) -> Vec<(Word, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        i += 1;
        let run = |i: &mut usize, keep: &dyn Fn(char) -> bool| {
            while *i < chars.len() && keep(chars[*i]) {
                *i += 1;
            }
        };
        let kind = if is_connector(c) {
            run(&mut i, &is_connector);
            Word::Connector
        } else if is_punct(c) {
            run(&mut i, &is_punct);
            Word::Punct
        } else if c.is_uppercase() {
            if i < chars.len() && chars[i].is_uppercase() {
                run(&mut i, &|c: char| c.is_uppercase());
                if i < chars.len() && is_alphabet(chars[i]) {
                    i -= 1;
                }
            } else {
                run(&mut i, &|c: char| is_alphabet(c) && !c.is_uppercase());
            }
            Word::Upper
        } else if is_alphabet(c) {
            run(&mut i, &|c: char| is_alphabet(c) && !c.is_uppercase());
            Word::Alphabet
        } else if c.is_numeric() {
            run(&mut i, &|c: char| c.is_numeric());
            Word::Number
        } else {
            run(&mut i, &|c: char| {
                !(is_connector(c) || is_alphabet(c) || c.is_numeric() || is_punct(c))
            });
            Word::Other
        };
        words.push((kind, chars[start..i].iter().collect()));
    }
    words
}

/// xstrings' `ToSnakeCase`/`ToKebabCase`: words lower-cased and joined by `sep`; a number
/// joins the word before it unless lower-case letters follow it (`bld4_floor_3rd`,
/// `http_2xx`); punctuation is kept, and separators become `sep`.
pub(super) fn snakecase(text: &str, sep: char) -> String {
    let words = split_words(text);
    if words.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(text.len() + 4);
    let lower = |out: &mut String, kind: Word, word: &str| {
        if kind != Word::Upper && kind != Word::Connector {
            out.push_str(word);
            return;
        }
        for c in word.chars() {
            out.push(if is_connector(c) { sep } else { go_lower(c) });
        }
    };
    let mut next = 1;
    let take = |next: &mut usize| -> (Word, String) {
        let word = words
            .get(*next)
            .cloned()
            .unwrap_or((Word::End, String::new()));
        *next += 1;
        word
    };
    let (mut kind, mut word) = words[0].clone();
    let ends_word = |k: Word| !matches!(k, Word::End | Word::Punct | Word::Connector);
    while next < words.len() {
        if kind != Word::Connector {
            lower(&mut out, kind, &word);
        }
        let (prev, last) = (kind, word.clone());
        (kind, word) = take(&mut next);
        match prev {
            Word::Number => {
                while matches!(kind, Word::Alphabet | Word::Number) {
                    lower(&mut out, kind, &word);
                    (kind, word) = take(&mut next);
                }
                if ends_word(kind) {
                    out.push(sep);
                }
            }
            Word::Connector => lower(&mut out, prev, &last),
            Word::Punct => {}
            _ => {
                if kind != Word::Number {
                    if !matches!(kind, Word::Connector | Word::Punct) {
                        out.push(sep);
                    }
                    continue;
                }
                if next >= words.len() {
                    continue;
                }
                let number = word.clone();
                (kind, word) = take(&mut next);
                if kind != Word::Alphabet {
                    lower(&mut out, Word::Number, &number);
                    if !matches!(kind, Word::Connector | Word::Punct) {
                        out.push(sep);
                    }
                    continue;
                }
                out.push(sep);
                lower(&mut out, Word::Number, &number);
                while matches!(kind, Word::Alphabet | Word::Number) {
                    lower(&mut out, kind, &word);
                    (kind, word) = take(&mut next);
                }
                if ends_word(kind) {
                    out.push(sep);
                }
            }
        }
    }
    lower(&mut out, kind, &word);
    out
}

/// xstrings' `ToCamelCase`: separators (`_`, `-`, spaces) dropped and the next character
/// upper-cased; a word that starts with a capital has the rest lower-cased; a run of
/// separators keeps all but one, and separators at either end stay.
pub(super) fn camelcase(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() && is_connector(chars[i]) {
        out.push(chars[i]);
        i += 1;
    }
    if i == chars.len() {
        // xstrings writes the last separator twice here (`_` becomes `__`).
        if let Some(&last) = chars.last() {
            out.push(last);
        }
        return out;
    }
    let mut lower_rest = chars[i].is_uppercase();
    let mut pending = go_upper(chars[i]);
    for &c in &chars[i + 1..] {
        if is_connector(c) && is_connector(pending) {
            out.push(pending);
            pending = c;
        } else if is_connector(pending) {
            lower_rest = c.is_uppercase();
            pending = go_upper(c);
        } else {
            out.push(pending);
            pending = if lower_rest { go_lower(c) } else { c };
        }
    }
    out.push(pending);
    out
}

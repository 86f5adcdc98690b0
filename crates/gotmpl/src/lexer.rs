//! Splits template text into tokens with their byte positions, as Go's `text/template/parse`
//! lexer does: text between actions, and inside `{{ }}` the words of the language.
//! `{{-` and `-}}` trimming and `{{/* */}}` comments are resolved here.

use std::borrow::Cow;

/// One token and the byte offset where it starts. Its words are borrowed from the source, so
/// the parser can look at tokens again without copying them. It is `Copy`: the parser takes
/// every token by value, and a derived `Clone` of the enum was a `match` on its variant each
/// time (an eighth of the parser's own instructions on airflow's templates).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Token<'s> {
    pub kind: Tok<'s>,
    pub pos: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tok<'s> {
    Text(&'s str),
    LeftDelim,
    RightDelim,
    Space,
    Identifier(&'s str),
    /// `.name` (without the dot).
    Field(&'s str),
    /// `$name` or `$` (with the dollar).
    Variable(&'s str),
    Dot,
    /// The literal as written; the parser interprets it.
    Number(&'s str),
    /// The literal with its quotes, checked; [`string_value`] unquotes it. Keeping only the
    /// slice keeps a token at 32 bytes (with the unquoted value beside it, 56), and the token
    /// list's fresh pages are a good part of what parsing a chart's templates costs.
    Str(&'s str),
    /// A character constant as written, and its code point.
    Char(&'s str, u32),
    Bool(bool),
    Nil,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    Comma,
    Keyword(Keyword),
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Range,
    Template,
    With,
}

impl Keyword {
    pub fn name(self) -> &'static str {
        match self {
            Keyword::Block => "block",
            Keyword::Break => "break",
            Keyword::Continue => "continue",
            Keyword::Define => "define",
            Keyword::Else => "else",
            Keyword::End => "end",
            Keyword::If => "if",
            Keyword::Range => "range",
            Keyword::Template => "template",
            Keyword::With => "with",
        }
    }
}

/// A lexing failure: message in Go's words and the offset it refers to.
#[derive(Debug)]
pub struct LexError {
    pub message: String,
    pub pos: usize,
    /// Where the action the error is in started, if it is in one.
    pub action: Option<usize>,
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

pub(crate) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// How many bytes of space start `text`. Every space is one ASCII byte, and no byte of a
/// longer character is one, so the bytes are read without decoding characters.
pub(crate) fn space_len(text: &str) -> usize {
    text.bytes()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .unwrap_or(text.len())
}

/// How many bytes of space end `text` (see [`space_len`]).
pub(crate) fn trailing_space_len(text: &str) -> usize {
    text.bytes()
        .rev()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .unwrap_or(text.len())
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Which ASCII bytes continue a word (letters, digits, `_`): one load per byte, where the
/// range tests took several compares for each byte of every name in a chart's templates.
static WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};

/// Which ASCII bytes may follow a word: space, punctuation, and `}` (checked further for the
/// right delimiter).
static TERMINATOR_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b" \t\r\n.,|:)(=";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// Where the first `{{` of `text` starts: a search for its first byte, which is rare in
/// templates' text, rather than a substring search set up anew for every action.
fn find_left(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'{', &bytes[from..]) {
        let at = from + i;
        if bytes.get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// About how many tokens `src` makes: one per four bytes inside actions, and a few for each
/// action's delimiters and the text before it. Counted over Bitnami's 9,267 templates, this
/// falls short for 59 of them and leaves the list 1.43x the tokens needed; counting ten per
/// action instead fell short for half of them, and every shortfall copies the list into one
/// twice its size (0.49x of all tokens copied, and the list 1.52x). Sized by all bytes (a token
/// per four), the list was twice too large, and the kernel zeroing its fresh pages was a fifth
/// of the CPU of rendering a small chart.
fn estimate_tokens(src: &str) -> usize {
    let mut actions = 0;
    let mut inside = 0;
    let mut rest = src;
    while let Some(at) = find_left(rest) {
        actions += 1;
        let action = &rest[at + LEFT.len()..];
        let len = memchr::memmem::find(action.as_bytes(), RIGHT.as_bytes()).unwrap_or(action.len());
        inside += len;
        rest = &action[len..];
    }
    inside / 4 + actions * 2 + 2
}

/// The value of a string literal the lexer accepted (`raw` with its quotes): a raw string
/// without its carriage returns, an interpreted one unquoted.
pub fn string_value(raw: &str) -> Cow<'_, str> {
    let inner = &raw[1..raw.len() - 1];
    if raw.starts_with('`') {
        match inner.contains('\r') {
            true => Cow::Owned(inner.replace('\r', "")),
            false => Cow::Borrowed(inner),
        }
    } else if inner.contains('\\') {
        // Checked by the lexer already, so this cannot fail; were it to, the text as written.
        Cow::Owned(unquote(inner).unwrap_or_else(|_| inner.to_string()))
    } else {
        Cow::Borrowed(inner)
    }
}

/// Tokenizes a whole template.
pub fn lex(src: &str) -> Result<Vec<Token<'_>>, LexError> {
    lex_into(src, Vec::new())
}

/// [`lex`] into `tokens`, an empty list whose room is reused: one list kept for all of a
/// process's parses touches fresh memory once, where a list per template took fresh pages for
/// each of its sizes.
pub fn lex_into<'s>(src: &'s str, mut tokens: Vec<Token<'s>>) -> Result<Vec<Token<'s>>, LexError> {
    tokens.clear();
    tokens.reserve(estimate_tokens(src));
    let mut lexer = Lexer::new(src, tokens);
    lexer.run()?;
    Ok(lexer.tokens)
}

/// Tokens lexed an action at a time, for a parser that reads them as it goes: its list holds
/// the tokens of the last few actions rather than the whole text's, so it stays small and in
/// the cache, where a whole text's list took fresh pages the kernel had to zero.
pub(crate) struct Stream<'s> {
    lexer: Lexer<'s>,
    /// Whether the end (or an error) has been reached: no more tokens will come.
    done: bool,
    /// The first lexing error, which a parse reports before any error of its own.
    error: Option<LexError>,
    /// Where the tokens of the last step start in the list.
    step_start: usize,
    /// The list is shortened, when it has grown past this many tokens, to the last step's.
    keep: usize,
}

/// How many tokens a parse's list grows to before the tokens read are dropped from it.
pub(crate) const STREAM_KEEP: usize = 512;

impl<'s> Stream<'s> {
    /// A stream over `src` into `tokens`, an empty list whose room is reused, shortened once
    /// it holds more than `keep` tokens.
    pub(crate) fn new(src: &'s str, mut tokens: Vec<Token<'s>>, keep: usize) -> Self {
        tokens.clear();
        Stream {
            lexer: Lexer::new(src, tokens),
            done: false,
            error: None,
            step_start: 0,
            keep,
        }
    }

    /// The whole text lexed up front, as parses read it before there was a stream.
    #[cfg(test)]
    pub(crate) fn whole(src: &'s str) -> Self {
        let mut lexer = Lexer::new(src, Vec::new());
        let error = lexer.run().err();
        if error.is_some() {
            lexer.emit(Tok::Eof, src.len());
        }
        Stream {
            lexer,
            done: true,
            error,
            step_start: 0,
            keep: usize::MAX,
        }
    }

    /// Whether the end (or an error) has been reached.
    pub(crate) fn is_done(&self) -> bool {
        self.done
    }

    /// The tokens lexed so far, less those dropped by [`Stream::more`].
    pub(crate) fn tokens(&self) -> &[Token<'s>] {
        &self.lexer.tokens
    }

    /// Lexes one more action unless the end was reached; tokens before the last step's may be
    /// dropped first, and the number dropped is returned (the reader's index moves back by as
    /// many). A lexing error ends the list with an end token and is kept for [`Stream::finish`].
    pub(crate) fn more(&mut self) -> usize {
        if self.done {
            return 0;
        }
        let mut dropped = 0;
        if self.lexer.tokens.len() > self.keep {
            dropped = self.step_start;
            self.lexer.tokens.drain(..dropped);
        }
        self.step_start = self.lexer.tokens.len();
        match self.lexer.step() {
            Ok(more) => self.done = !more,
            Err(e) => {
                self.error = Some(e);
                self.done = true;
                let end = self.lexer.src.len();
                self.lexer.emit(Tok::Eof, end);
            }
        }
        dropped
    }

    /// Lexes what is left (its tokens are not kept) and hands back the list for reuse, with
    /// the first lexing error of the whole text if there was one.
    pub(crate) fn finish(mut self) -> (Vec<Token<'s>>, Option<LexError>) {
        while !self.done {
            self.lexer.tokens.clear();
            self.step_start = 0;
            self.more();
        }
        (self.lexer.tokens, self.error)
    }
}

struct Lexer<'s> {
    src: &'s str,
    pos: usize,
    tokens: Vec<Token<'s>>,
    paren_depth: usize,
    /// Whether the last action ended with `-}}`, trimming the text after it.
    trim_next: bool,
}

impl<'s> Lexer<'s> {
    fn new(src: &'s str, tokens: Vec<Token<'s>>) -> Self {
        Lexer {
            src,
            pos: 0,
            tokens,
            paren_depth: 0,
            trim_next: false,
        }
    }

    fn rest(&self) -> &'s str {
        &self.src[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn emit(&mut self, kind: Tok<'s>, pos: usize) {
        self.tokens.push(Token { kind, pos });
    }

    fn err<T>(&self, message: impl Into<String>, pos: usize) -> Result<T, LexError> {
        Err(LexError {
            message: message.into(),
            pos,
            action: None,
        })
    }

    fn run(&mut self) -> Result<(), LexError> {
        while self.step()? {}
        Ok(())
    }

    /// Lexes the text up to the next action and that action, or the rest of the source and
    /// its end; says whether there is more to lex.
    fn step(&mut self) -> Result<bool, LexError> {
        loop {
            let start = self.pos;
            let (text_end, found) = match find_left(self.rest()) {
                Some(i) => (self.pos + i, true),
                None => (self.src.len(), false),
            };
            let after = text_end + LEFT.len();
            let left_trim = found
                && self.src[after..].starts_with('-')
                && self.src[after + 1..].starts_with(is_space);
            let mut text = &self.src[start..text_end];
            let mut text_pos = start;
            if self.trim_next {
                let spaces = space_len(text);
                text_pos += spaces;
                text = &text[spaces..];
            }
            if left_trim {
                text = &text[..text.len() - trailing_space_len(text)];
            }
            if !text.is_empty() {
                self.emit(Tok::Text(text), text_pos);
            }
            if !found {
                self.emit(Tok::Eof, self.src.len());
                return Ok(false);
            }
            self.pos = if left_trim { after + 2 } else { after };
            let delim_pos = text_end;
            // A comment must follow the delimiter (and its trim marker) directly.
            if self.rest().starts_with("/*") {
                self.trim_next = self.comment(delim_pos)?;
                continue;
            }
            self.emit(Tok::LeftDelim, delim_pos);
            self.trim_next = self.inside_action().map_err(|e| LexError {
                action: Some(delim_pos),
                ..e
            })?;
            return Ok(true);
        }
    }

    /// Skips `/* ... */` and the closing delimiter; returns whether it trims what follows.
    fn comment(&mut self, delim_pos: usize) -> Result<bool, LexError> {
        let Some(end) = self.rest().find("*/") else {
            return self.err("unclosed comment", delim_pos);
        };
        self.pos += end + 2;
        if self.rest().starts_with(RIGHT) {
            self.pos += RIGHT.len();
            return Ok(false);
        }
        if self.rest().starts_with(" -}}")
            || self.rest().starts_with("\t-}}")
            || self.rest().starts_with("\n-}}")
            || self.rest().starts_with("\r-}}")
        {
            self.pos += 4;
            return Ok(true);
        }
        self.err("comment ends before closing delimiter", delim_pos)
    }

    /// Lexes up to and including the right delimiter; returns whether it was `-}}`.
    fn inside_action(&mut self) -> Result<bool, LexError> {
        let bytes = self.src.as_bytes();
        loop {
            let start = self.pos;
            // Bytes first: nearly everything inside an action is ASCII, and a byte is read
            // without slicing the rest of the text and decoding a character from it.
            let Some(&b) = bytes.get(start) else {
                return self.err("unclosed action", start);
            };
            if b == b'}' && bytes.get(start + 1) == Some(&b'}') {
                if self.paren_depth > 0 {
                    return self.err("unclosed left paren", self.pos);
                }
                self.emit(Tok::RightDelim, self.pos);
                self.pos += RIGHT.len();
                return Ok(false);
            }
            let c = match b.is_ascii() {
                true => char::from(b),
                false => self.peek().expect("a byte is left, so a character is"),
            };
            if is_space(c) {
                let spaces = space_len(self.rest());
                self.pos += spaces;
                if self.rest().starts_with("-}}") {
                    if self.paren_depth > 0 {
                        return self.err("unclosed left paren", self.pos);
                    }
                    if spaces > 1 {
                        self.emit(Tok::Space, start);
                    }
                    self.emit(Tok::RightDelim, self.pos);
                    self.pos += 3;
                    return Ok(true);
                }
                self.emit(Tok::Space, start);
                continue;
            }
            self.pos += c.len_utf8();
            match c {
                '=' => self.emit(Tok::Assign, start),
                ':' => {
                    if self.peek() != Some('=') {
                        return self.err("expected :=", start);
                    }
                    self.pos += 1;
                    self.emit(Tok::Declare, start);
                }
                '|' => self.emit(Tok::Pipe, start),
                ',' => self.emit(Tok::Comma, start),
                '"' => self.quoted(start)?,
                '`' => self.raw_quoted(start)?,
                '\'' => self.char_constant(start)?,
                '$' => {
                    self.word();
                    self.check_terminator()?;
                    self.emit(Tok::Variable(&self.src[start..self.pos]), start);
                }
                '.' => {
                    if self.peek().is_some_and(|d| d.is_ascii_digit()) {
                        self.pos = start;
                        self.number(start)?;
                    } else {
                        let name = self.word();
                        self.check_terminator()?;
                        if name.is_empty() {
                            self.emit(Tok::Dot, start);
                        } else {
                            self.emit(Tok::Field(name), start);
                        }
                    }
                }
                '(' => {
                    self.paren_depth += 1;
                    self.emit(Tok::LeftParen, start);
                }
                ')' => {
                    if self.paren_depth == 0 {
                        return self.err("unexpected right paren", start);
                    }
                    self.paren_depth -= 1;
                    self.emit(Tok::RightParen, start);
                }
                '+' | '-' | '0'..='9' => {
                    self.pos = start;
                    self.number(start)?;
                }
                c if is_alnum(c) => {
                    self.pos = start;
                    let word = self.word();
                    self.check_terminator()?;
                    let kind = match word {
                        "true" => Tok::Bool(true),
                        "false" => Tok::Bool(false),
                        "nil" => Tok::Nil,
                        "block" => Tok::Keyword(Keyword::Block),
                        "break" => Tok::Keyword(Keyword::Break),
                        "continue" => Tok::Keyword(Keyword::Continue),
                        "define" => Tok::Keyword(Keyword::Define),
                        "else" => Tok::Keyword(Keyword::Else),
                        "end" => Tok::Keyword(Keyword::End),
                        "if" => Tok::Keyword(Keyword::If),
                        "range" => Tok::Keyword(Keyword::Range),
                        "template" => Tok::Keyword(Keyword::Template),
                        "with" => Tok::Keyword(Keyword::With),
                        _ => Tok::Identifier(word),
                    };
                    self.emit(kind, start);
                }
                c => return self.err(format!("bad character {}", go_u(c)), start),
            }
        }
    }

    fn word(&mut self) -> &'s str {
        let rest = self.rest();
        let bytes = rest.as_bytes();
        // Words are nearly always ASCII: bytes first, characters only past a non-ASCII one
        // (Go's words take any Unicode letter or digit).
        let mut len = bytes
            .iter()
            .position(|&b| !WORD_BYTE[usize::from(b)])
            .unwrap_or(bytes.len());
        if !bytes.get(len).is_none_or(u8::is_ascii) {
            len += rest[len..]
                .find(|c: char| !is_alnum(c))
                .unwrap_or(rest.len() - len);
        }
        let word = &rest[..len];
        self.pos += len;
        word
    }

    /// Go requires a word to be followed by a space, a delimiter or punctuation.
    fn check_terminator(&self) -> Result<(), LexError> {
        match self.src.as_bytes().get(self.pos) {
            None => return Ok(()),
            Some(&b) if TERMINATOR_BYTE[usize::from(b)] => return Ok(()),
            // ASCII other than `}`: a bad character, reported below.
            Some(&b) if b.is_ascii() && b != b'}' => {}
            Some(_) if self.rest().starts_with(RIGHT) => return Ok(()),
            Some(_) => {}
        }
        match self.peek() {
            None => Ok(()),
            Some(c) if is_space(c) || matches!(c, '.' | ',' | '|' | ':' | ')' | '(' | '=') => {
                Ok(())
            }
            Some(_) if self.rest().starts_with(RIGHT) => Ok(()),
            Some(c) => self.err(format!("bad character {}", go_u(c)), self.pos),
        }
    }

    fn number(&mut self, start: usize) -> Result<(), LexError> {
        let bytes = self.src.as_bytes();
        let mut i = self.pos;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            i += 1;
        }
        let mut digits: &[u8] = b"0123456789_";
        let mut exp = b"eE";
        if bytes[i..].starts_with(b"0x") || bytes[i..].starts_with(b"0X") {
            i += 2;
            digits = b"0123456789abcdefABCDEF_";
            exp = b"pP";
        } else if bytes[i..].starts_with(b"0o") || bytes[i..].starts_with(b"0O") {
            i += 2;
            digits = b"01234567_";
        } else if bytes[i..].starts_with(b"0b") || bytes[i..].starts_with(b"0B") {
            i += 2;
            digits = b"01_";
        }
        while i < bytes.len() && digits.contains(&bytes[i]) {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            while i < bytes.len() && digits.contains(&bytes[i]) {
                i += 1;
            }
        }
        if i < bytes.len() && exp.contains(&bytes[i]) {
            i += 1;
            if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
                i += 1;
            }
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
        }
        let text = &self.src[start..i];
        self.pos = i;
        if self.peek().is_some_and(is_alnum) || text == "+" || text == "-" {
            let end = self.pos
                + self
                    .rest()
                    .find(|c: char| !is_alnum(c))
                    .unwrap_or(self.rest().len());
            return self.err(
                format!("bad number syntax: {:?}", &self.src[start..end]),
                start,
            );
        }
        self.emit(Tok::Number(text), start);
        Ok(())
    }

    fn quoted(&mut self, start: usize) -> Result<(), LexError> {
        loop {
            // Jump to the next byte that matters; the others are the string's own characters
            // (all three are ASCII, so the jump lands on a character's start).
            let rest = &self.src.as_bytes()[self.pos..];
            self.pos += memchr::memchr3(b'"', b'\\', b'\n', rest).unwrap_or(rest.len());
            match self.peek() {
                None | Some('\n') => return self.err("unterminated quoted string", start),
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        None | Some('\n') => return self.err("unterminated quoted string", start),
                        Some(c) => self.pos += c.len_utf8(),
                    }
                }
                Some('"') => {
                    self.pos += 1;
                    break;
                }
                Some(c) => self.pos += c.len_utf8(),
            }
        }
        let raw = &self.src[start..self.pos];
        let inner = &raw[1..raw.len() - 1];
        if inner.contains('\\') {
            unquote(inner).map_err(|message| LexError {
                message,
                pos: start,
                action: None,
            })?;
        }
        self.emit(Tok::Str(raw), start);
        Ok(())
    }

    fn raw_quoted(&mut self, start: usize) -> Result<(), LexError> {
        let Some(end) = self.rest().find('`') else {
            return self.err("unterminated raw quoted string", start);
        };
        let raw = &self.src[start..self.pos + end + 1];
        self.pos += end + 1;
        self.emit(Tok::Str(raw), start);
        Ok(())
    }

    fn char_constant(&mut self, start: usize) -> Result<(), LexError> {
        loop {
            match self.peek() {
                None | Some('\n') => return self.err("unterminated character constant", start),
                Some('\\') => {
                    self.pos += 1;
                    if let Some(c) = self.peek() {
                        self.pos += c.len_utf8();
                    }
                }
                Some('\'') => {
                    self.pos += 1;
                    break;
                }
                Some(c) => self.pos += c.len_utf8(),
            }
        }
        let raw = &self.src[start..self.pos];
        let inner = unquote(&raw[1..raw.len() - 1]).map_err(|message| LexError {
            message,
            pos: start,
            action: None,
        })?;
        let mut chars = inner.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => {
                self.emit(Tok::Char(raw, c as u32), start);
                Ok(())
            }
            _ => self.err(format!("malformed character constant: {raw}"), start),
        }
    }
}

/// Go's `%#U` of a character, as the lexer's "bad character" message uses it.
fn go_u(c: char) -> String {
    format!("U+{:04X} '{}'", c as u32, c)
}

/// Interprets Go string escapes (`strconv.Unquote` on the inside of a double-quoted literal).
pub fn unquote(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next().ok_or_else(|| "invalid syntax".to_string())?;
        let hex = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
                   n: usize|
         -> Result<u32, String> {
            let digits: String = (0..n).filter_map(|_| chars.next()).collect();
            if digits.len() != n {
                return Err("invalid syntax".to_string());
            }
            u32::from_str_radix(&digits, 16).map_err(|_| "invalid syntax".to_string())
        };
        let ch = match e {
            'a' => '\u{7}',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\u{b}',
            '\\' => '\\',
            '"' => '"',
            '\'' => '\'',
            'x' => char::from_u32(hex(&mut chars, 2)?).ok_or("invalid syntax")?,
            'u' => char::from_u32(hex(&mut chars, 4)?).ok_or("invalid syntax")?,
            'U' => char::from_u32(hex(&mut chars, 8)?).ok_or("invalid syntax")?,
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    let d = chars
                        .next()
                        .and_then(|d| d.to_digit(8))
                        .ok_or("invalid syntax")?;
                    v = v * 8 + d;
                }
                char::from_u32(v)
                    .filter(|_| v <= 255)
                    .ok_or("invalid syntax")?
            }
            _ => return Err("invalid syntax".to_string()),
        };
        out.push(ch);
    }
    Ok(out)
}

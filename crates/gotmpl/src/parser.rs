//! Builds the AST from tokens, following Go's `text/template/parse`: the same grammar, the same
//! variable scoping checks, and its error messages.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Arc;

use crate::ast::{Arg, Branch, Command, List, Name, Node, Number, Pipe};
use crate::error::{Error, Location, line_col};
use crate::lexer::{Keyword, LexError, STREAM_KEEP, Stream, Tok, Token, string_value};

/// A parsed text: its own body and the templates it defines (`define` and `block`).
#[derive(Debug)]
pub struct Parsed {
    pub root: List,
    pub defines: Vec<(String, List)>,
}

/// How a list ended.
enum Item {
    Node(Node),
    End,
    /// `{{else}}`, with an `if` or `with` pending right after it.
    Else(Option<Keyword>),
}

/// Parses `src` as Go would under the name `name`; `has_func` says which functions exist.
pub fn parse(
    name: &str,
    src: &str,
    has_func: &dyn Fn(&str) -> bool,
    max_nesting: usize,
) -> Result<Parsed, Error> {
    let tokens = Stream::new(src, spare_tokens(), STREAM_KEEP);
    parse_from(tokens, name, src, has_func, max_nesting)
}

/// [`parse`] reading its tokens from `tokens`, a stream over `src`.
pub(crate) fn parse_from<'a>(
    tokens: Stream<'a>,
    name: &'a str,
    src: &'a str,
    has_func: &'a dyn Fn(&str) -> bool,
    max_nesting: usize,
) -> Result<Parsed, Error> {
    let mut parser = Parser {
        tokens,
        i: 0,
        src,
        name,
        has_func,
        vars: vec!["$"],
        range_depth: 0,
        nesting: 0,
        max_nesting,
        defines: Vec::new(),
        names: HashMap::default(),
        strings: HashMap::default(),
        scratch: Scratch::default(),
    };
    let root = parser.top();
    // A lexing error anywhere in the text is reported before any error of the parse, as
    // when the whole text was lexed first: the rest is lexed to find one.
    let (tokens, lex_error) = parser.tokens.finish();
    keep_tokens(tokens);
    if let Some(e) = lex_error {
        return Err(lex_syntax_error(name, src, e));
    }
    Ok(Parsed {
        root: root?,
        defines: parser.defines,
    })
}

/// A lexing error as a syntax error of the text named `name`.
fn lex_syntax_error(name: &str, src: &str, e: LexError) -> Error {
    // Go names the action's first line when the error is on a later one.
    let line = line_col(src, e.pos).0;
    let message = match e.action.map(|a| line_col(src, a).0) {
        Some(start) if start != line && e.message.ends_with(" action") => {
            format!("{} started at {name}:{start}", e.message)
        }
        Some(start) if start != line => {
            format!("{} in action started at {name}:{start}", e.message)
        }
        _ => e.message,
    };
    syntax_error(name, src, e.pos, message)
}

thread_local! {
    /// The token list of this thread's last parse, emptied, for the next one to fill.
    static SPARE_TOKENS: Cell<Vec<Token<'static>>> = const { Cell::new(Vec::new()) };
}

/// A list kept longer than this many tokens (32 bytes each) is freed after its parse.
const SPARE_TOKENS_MAX: usize = 1 << 18;

/// The spare token list, empty, for tokens borrowing from any text.
fn spare_tokens<'s>() -> Vec<Token<'s>> {
    SPARE_TOKENS.take()
}

/// Empties `tokens` and keeps its room for this thread's next parse. Collecting an empty list
/// into one of the same layout keeps its allocation (std's in-place `collect`), and the
/// `filter_map` is what turns its tokens' borrow into `'static` without a token to convert.
#[expect(
    clippy::unnecessary_filter_map,
    reason = "the type changes, not the tokens"
)]
fn keep_tokens(mut tokens: Vec<Token<'_>>) {
    if tokens.capacity() > SPARE_TOKENS_MAX {
        return;
    }
    tokens.clear();
    let spare: Vec<Token<'static>> = tokens.into_iter().filter_map(|_| None).collect();
    SPARE_TOKENS.set(spare);
}

fn syntax_error(name: &str, src: &str, pos: usize, message: String) -> Error {
    let (line, column) = line_col(src, pos);
    Error::syntax(
        message,
        Location {
            parse_name: name.to_string(),
            line,
            column,
            text: Arc::from(src),
        },
    )
}

struct Parser<'a> {
    tokens: Stream<'a>,
    i: usize,
    src: &'a str,
    name: &'a str,
    has_func: &'a dyn Fn(&str) -> bool,
    vars: Vec<&'a str>,
    range_depth: usize,
    nesting: usize,
    max_nesting: usize,
    defines: Vec<(String, List)>,
    /// Every name parsed so far, shared by its uses.
    names: HashMap<&'a str, Name, foldhash::fast::FixedState>,
    /// Every string literal parsed so far (as written, and its value), shared by its uses.
    strings: HashMap<&'a str, (Arc<str>, Arc<str>), foldhash::fast::FixedState>,
    scratch: Scratch,
}

/// The lists being built, one stack each: a list under construction sits at the top of its
/// stack (the lists nested in it above it, until they are done), and a finished list is moved
/// off into an allocation of exactly its length, where a list grown by pushes took one
/// allocation per doubling, copied its items at each, and kept up to half its room unused.
#[derive(Default)]
struct Scratch {
    nodes: Vec<Node>,
    cmds: Vec<Command>,
    args: Vec<Arg>,
}

/// The items of `stack` from `start` on, moved into a list of exactly their number.
fn take_from<T>(stack: &mut Vec<T>, start: usize) -> Vec<T> {
    stack.drain(start..).collect()
}

impl<'a> Parser<'a> {
    fn name(&mut self, name: &'a str) -> Name {
        Arc::clone(self.names.entry(name).or_insert_with(|| Arc::from(name)))
    }

    /// Lexes on until the token at the reader's index is there (or the text has ended).
    fn fill(&mut self) {
        while self.i >= self.tokens.tokens().len() && !self.tokens.is_done() {
            self.i -= self.tokens.more();
        }
    }

    fn next(&mut self) -> Token<'a> {
        self.fill();
        let tokens = self.tokens.tokens();
        let tok = tokens[self.i.min(tokens.len() - 1)];
        self.i = (self.i + 1).min(tokens.len());
        tok
    }

    fn backup(&mut self) {
        self.i -= 1;
    }

    fn peek(&mut self) -> &Token<'a> {
        self.fill();
        let tokens = self.tokens.tokens();
        &tokens[self.i.min(tokens.len() - 1)]
    }

    fn next_non_space(&mut self) -> Token<'a> {
        loop {
            let tok = self.next();
            if !matches!(tok.kind, Tok::Space) {
                return tok;
            }
        }
    }

    fn peek_non_space(&mut self) -> Token<'a> {
        let tok = self.next_non_space();
        self.backup();
        tok
    }

    fn error<T>(&self, message: impl Into<String>, pos: usize) -> Result<T, Error> {
        Err(syntax_error(self.name, self.src, pos, message.into()))
    }

    fn unexpected<T>(&self, tok: &Token, context: &str) -> Result<T, Error> {
        self.error(
            format!("unexpected {} in {}", describe(tok), context),
            tok.pos,
        )
    }

    fn enter(&mut self, pos: usize) -> Result<(), Error> {
        self.nesting += 1;
        if self.nesting > self.max_nesting {
            return self.error(
                format!("nesting deeper than {} levels", self.max_nesting),
                pos,
            );
        }
        Ok(())
    }

    fn top(&mut self) -> Result<List, Error> {
        let start = self.scratch.nodes.len();
        loop {
            let tok = *self.peek();
            match tok.kind {
                Tok::Eof => return Ok(take_from(&mut self.scratch.nodes, start)),
                Tok::LeftDelim => {
                    self.next();
                    if matches!(self.peek_non_space().kind, Tok::Keyword(Keyword::Define)) {
                        self.next_non_space();
                        self.definition()?;
                        continue;
                    }
                    self.i -= 1;
                    while !matches!(self.tokens.tokens()[self.i].kind, Tok::LeftDelim) {
                        self.i -= 1;
                    }
                }
                _ => {}
            }
            match self.text_or_action()? {
                Item::Node(node) => self.scratch.nodes.push(node),
                Item::End => return self.error("unexpected {{end}}", tok.pos),
                Item::Else(_) => return self.error("unexpected {{else}}", tok.pos),
            }
        }
    }

    fn definition(&mut self) -> Result<(), Error> {
        const CONTEXT: &str = "define clause";
        let tok = self.next_non_space();
        let name = self.template_name(&tok, CONTEXT)?;
        let end = self.next_non_space();
        if !matches!(end.kind, Tok::RightDelim) {
            return self.unexpected(&end, CONTEXT);
        }
        let saved = std::mem::replace(&mut self.vars, vec!["$"]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let (list, item) = self.item_list()?;
        self.vars = saved;
        self.range_depth = saved_range;
        if !matches!(item, Item::End) {
            return self.error(format!("unexpected {{{{else}}}} in {CONTEXT}"), tok.pos);
        }
        self.add_define(name, list)
    }

    /// Go's `Tree.add`: within one text a name is defined once, empty bodies aside.
    fn add_define(&mut self, name: String, list: List) -> Result<(), Error> {
        match self.defines.iter_mut().find(|(n, _)| *n == name) {
            None => self.defines.push((name, list)),
            Some((_, old)) if is_empty(old, self.src) => *old = list,
            Some(_) if is_empty(&list, self.src) => {}
            Some(_) => {
                let message = format!("template: multiple definition of template {name:?}");
                let pos = self.tokens.tokens()[self.i.saturating_sub(1)].pos;
                return self.error(message, pos);
            }
        }
        Ok(())
    }

    fn template_name(&self, tok: &Token, context: &str) -> Result<String, Error> {
        match &tok.kind {
            Tok::Str(raw) => Ok(string_value(raw).into_owned()),
            _ => self.unexpected(tok, context),
        }
    }

    fn item_list(&mut self) -> Result<(List, Item), Error> {
        let start = self.scratch.nodes.len();
        loop {
            let tok = self.peek();
            if matches!(tok.kind, Tok::Eof) {
                let pos = tok.pos;
                return self.error("unexpected EOF", pos);
            }
            match self.text_or_action()? {
                Item::Node(node) => self.scratch.nodes.push(node),
                other => return Ok((take_from(&mut self.scratch.nodes, start), other)),
            }
        }
    }

    fn text_or_action(&mut self) -> Result<Item, Error> {
        let tok = self.next();
        match tok.kind {
            Tok::Text(text) => Ok(Item::Node(Node::Text(tok.pos..tok.pos + text.len()))),
            Tok::LeftDelim => self.action(),
            _ => self.unexpected(&tok, "input"),
        }
    }

    fn action(&mut self) -> Result<Item, Error> {
        let tok = self.next_non_space();
        match tok.kind {
            Tok::Keyword(Keyword::Block) => self.block().map(Item::Node),
            Tok::Keyword(kw @ (Keyword::Break | Keyword::Continue)) => {
                let end = self.next_non_space();
                if !matches!(end.kind, Tok::RightDelim) {
                    return self.unexpected(&end, &format!("{{{{{}}}}}", kw.name()));
                }
                if self.range_depth == 0 {
                    return self.error(
                        format!("{{{{{}}}}} outside {{{{range}}}}", kw.name()),
                        tok.pos,
                    );
                }
                Ok(Item::Node(if kw == Keyword::Break {
                    Node::Break(tok.pos)
                } else {
                    Node::Continue(tok.pos)
                }))
            }
            Tok::Keyword(Keyword::Else) => {
                let peek = self.peek_non_space();
                if let Tok::Keyword(kw @ (Keyword::If | Keyword::With)) = peek.kind {
                    return Ok(Item::Else(Some(kw)));
                }
                let end = self.next_non_space();
                if !matches!(end.kind, Tok::RightDelim) {
                    return self.unexpected(&end, "else");
                }
                Ok(Item::Else(None))
            }
            Tok::Keyword(Keyword::End) => {
                let end = self.next_non_space();
                if !matches!(end.kind, Tok::RightDelim) {
                    return self.unexpected(&end, "end");
                }
                Ok(Item::End)
            }
            Tok::Keyword(kw @ (Keyword::If | Keyword::Range | Keyword::With)) => {
                self.control(kw, tok.pos).map(Item::Node)
            }
            Tok::Keyword(Keyword::Template) => self.template().map(Item::Node),
            _ => {
                self.backup();
                let pipe = self.pipeline("command", &Tok::RightDelim)?;
                Ok(Item::Node(Node::Action(pipe)))
            }
        }
    }

    fn control(&mut self, kw: Keyword, pos: usize) -> Result<Node, Error> {
        self.enter(pos)?;
        let vars_len = self.vars.len();
        let pipe = self.pipeline(kw.name(), &Tok::RightDelim)?;
        if kw == Keyword::Range {
            self.range_depth += 1;
        }
        let (list, item) = self.item_list()?;
        if kw == Keyword::Range {
            self.range_depth -= 1;
        }
        let else_list = match item {
            Item::End | Item::Node(_) => None,
            Item::Else(Some(next)) if next == kw && kw != Keyword::Range => {
                let tok = self.next_non_space();
                Some(vec![self.control(next, tok.pos)?])
            }
            Item::Else(Some(next)) => {
                let tok = self.next_non_space();
                return self.error(format!("unexpected <{}> in input", next.name()), tok.pos);
            }
            Item::Else(None) => {
                let (list, item) = self.item_list()?;
                if !matches!(item, Item::End) {
                    return self.error("expected end; found {{else}}", pos);
                }
                Some(list)
            }
        };
        self.vars.truncate(vars_len);
        self.nesting -= 1;
        let branch = Box::new(Branch {
            pos,
            pipe,
            list,
            else_list,
        });
        Ok(match kw {
            Keyword::If => Node::If(branch),
            Keyword::With => Node::With(branch),
            _ => Node::Range(branch),
        })
    }

    fn template(&mut self) -> Result<Node, Error> {
        const CONTEXT: &str = "template clause";
        let tok = self.next_non_space();
        let name = self.template_name(&tok, CONTEXT)?;
        let pipe = if matches!(self.next_non_space().kind, Tok::RightDelim) {
            None
        } else {
            self.backup();
            Some(Box::new(self.pipeline(CONTEXT, &Tok::RightDelim)?))
        };
        // Go places the node (and its errors) at the name.
        Ok(Node::Template {
            pos: tok.pos,
            name,
            pipe,
        })
    }

    fn block(&mut self) -> Result<Node, Error> {
        const CONTEXT: &str = "block clause";
        let tok = self.next_non_space();
        let name = self.template_name(&tok, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, &Tok::RightDelim)?;
        let saved = std::mem::replace(&mut self.vars, vec!["$"]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let (list, item) = self.item_list()?;
        self.vars = saved;
        self.range_depth = saved_range;
        if !matches!(item, Item::End) {
            return self.error(format!("unexpected {{{{else}}}} in {CONTEXT}"), tok.pos);
        }
        self.add_define(name.clone(), list)?;
        Ok(Node::Template {
            pos: tok.pos,
            name,
            pipe: Some(Box::new(pipe)),
        })
    }

    fn pipeline(&mut self, context: &str, end: &Tok) -> Result<Pipe, Error> {
        let pos = self.peek_non_space().pos;
        let mut decl = Vec::new();
        let mut is_assign = false;
        loop {
            let tok = self.peek_non_space();
            let Tok::Variable(name) = &tok.kind else {
                break;
            };
            let save = self.i;
            self.next_non_space();
            let next = self.peek_non_space();
            match next.kind {
                Tok::Assign | Tok::Declare => {
                    is_assign = matches!(next.kind, Tok::Assign);
                    self.next_non_space();
                    decl.push(self.name(name));
                    self.vars.push(name);
                    break;
                }
                Tok::Comma => {
                    self.next_non_space();
                    decl.push(self.name(name));
                    self.vars.push(name);
                    if context == "range" && decl.len() < 2 {
                        let peek = self.peek_non_space();
                        match peek.kind {
                            Tok::Variable(_) | Tok::RightDelim | Tok::RightParen => continue,
                            _ => {
                                return self.error("range can only initialize variables", peek.pos);
                            }
                        }
                    }
                    return self.error(format!("too many declarations in {context}"), next.pos);
                }
                _ => {
                    self.i = save;
                    break;
                }
            }
        }
        let start = self.scratch.cmds.len();
        loop {
            let tok = self.next_non_space();
            // `end` is `}}` or `)`, tokens without words: the variant says all, and comparing
            // it alone costs no call to the derived comparison for every token.
            if std::mem::discriminant(&tok.kind) == std::mem::discriminant(end) {
                let cmds = take_from(&mut self.scratch.cmds, start);
                if cmds.is_empty() {
                    return self.error(format!("missing value for {context}"), tok.pos);
                }
                for (i, cmd) in cmds.iter().enumerate().skip(1) {
                    let Command { args, .. } = cmd;
                    if matches!(
                        args[0],
                        Arg::Bool(..)
                            | Arg::Dot(_)
                            | Arg::Nil(_)
                            | Arg::Number { .. }
                            | Arg::String { .. }
                    ) {
                        return self.error(
                            format!("non executable command in pipeline stage {}", i + 1),
                            tok.pos,
                        );
                    }
                }
                return Ok(Pipe {
                    pos,
                    decl,
                    is_assign,
                    cmds,
                });
            }
            match tok.kind {
                Tok::Bool(_)
                | Tok::Char(..)
                | Tok::Dot
                | Tok::Field(_)
                | Tok::Identifier(_)
                | Tok::Number(_)
                | Tok::Nil
                | Tok::Str(..)
                | Tok::Variable(_)
                | Tok::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    self.scratch.cmds.push(cmd);
                }
                _ => return self.unexpected(&tok, context),
            }
        }
    }

    fn command(&mut self) -> Result<Command, Error> {
        let pos = self.peek_non_space().pos;
        let start = self.scratch.args.len();
        loop {
            self.peek_non_space();
            if let Some(arg) = self.operand()? {
                self.scratch.args.push(arg);
            }
            let tok = self.next();
            match tok.kind {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RightParen => self.backup(),
                Tok::Pipe => {}
                _ => return self.unexpected(&tok, "operand"),
            }
            break;
        }
        let args = take_from(&mut self.scratch.args, start);
        if args.is_empty() {
            return self.error("empty command", pos);
        }
        Ok(Command { pos, args })
    }

    fn operand(&mut self) -> Result<Option<Arg>, Error> {
        let Some(term) = self.term()? else {
            return Ok(None);
        };
        if !matches!(self.peek().kind, Tok::Field(_)) {
            return Ok(Some(term));
        }
        let pos = self.peek().pos;
        // Counted first, so that the list is allocated once at its size.
        let count = self.tokens.tokens()[self.i..]
            .iter()
            .take_while(|tok| matches!(tok.kind, Tok::Field(_)))
            .count();
        let first = match &term {
            Arg::Field { names, .. } => names.len(),
            _ => 0,
        };
        let mut fields = Vec::with_capacity(first + count);
        if let Arg::Field { names, .. } = &term {
            fields.extend(names.iter().cloned());
        }
        while let Tok::Field(name) = self.peek().kind {
            fields.push(self.name(name));
            self.next();
        }
        Ok(Some(match term {
            Arg::Field { .. } => Arg::Field { pos, names: fields },
            Arg::Variable { name, .. } => Arg::Variable { pos, name, fields },
            Arg::Bool(..) | Arg::String { .. } | Arg::Number { .. } | Arg::Nil(_) | Arg::Dot(_) => {
                return self.error(
                    format!("unexpected . after term {:?}", term.to_string()),
                    pos,
                );
            }
            node => Arg::Chain {
                pos,
                node: Box::new(node),
                fields,
            },
        }))
    }

    fn term(&mut self) -> Result<Option<Arg>, Error> {
        let tok = self.next_non_space();
        let pos = tok.pos;
        Ok(Some(match tok.kind {
            Tok::Identifier(name) => {
                if !(self.has_func)(name) {
                    return self.error(format!("function {name:?} not defined"), pos);
                }
                Arg::Identifier {
                    pos,
                    name: self.name(name),
                }
            }
            Tok::Dot => Arg::Dot(pos),
            Tok::Nil => Arg::Nil(pos),
            Tok::Variable(name) => {
                if !self.vars.contains(&name) {
                    return self.error(format!("undefined variable {name:?}"), pos);
                }
                Arg::Variable {
                    pos,
                    name: self.name(name),
                    fields: Vec::new(),
                }
            }
            Tok::Field(name) => Arg::Field {
                pos,
                names: vec![self.name(name)],
            },
            Tok::Bool(b) => Arg::Bool(pos, b),
            Tok::Char(text, c) => Arg::Number {
                pos,
                text: text.to_string(),
                value: Number::Int(i64::from(c)),
            },
            Tok::Number(text) => match parse_number(text) {
                Some(value) => Arg::Number {
                    pos,
                    text: text.to_string(),
                    value,
                },
                None => return self.error(format!("illegal number syntax: {text:?}"), pos),
            },
            Tok::LeftParen => {
                self.enter(pos)?;
                let pipe = self.pipeline("parenthesized pipeline", &Tok::RightParen)?;
                self.nesting -= 1;
                Arg::Pipe(Box::new(pipe))
            }
            Tok::Str(raw) => {
                let (quoted, value) = self
                    .strings
                    .entry(raw)
                    .or_insert_with(|| (Arc::from(raw), string_value(raw).into()))
                    .clone();
                Arg::String { pos, quoted, value }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

/// Go's `IsEmptyTree`: nothing but whitespace text (`src` is the text the list was parsed from).
pub fn is_empty(list: &[Node], src: &str) -> bool {
    list.iter()
        .all(|n| matches!(n, Node::Text(range) if src[range.clone()].trim().is_empty()))
}

/// Go's `item.String()` as parse errors quote tokens.
fn describe(tok: &Token) -> String {
    let text = match &tok.kind {
        Tok::Eof => return "EOF".to_string(),
        Tok::Keyword(kw) => return format!("<{}>", kw.name()),
        Tok::Text(t) => t.to_string(),
        Tok::LeftDelim => "{{".to_string(),
        Tok::RightDelim => "}}".to_string(),
        Tok::Space => " ".to_string(),
        Tok::Identifier(n) => n.to_string(),
        Tok::Field(n) => format!(".{n}"),
        Tok::Variable(n) => n.to_string(),
        Tok::Dot => ".".to_string(),
        Tok::Number(t) => t.to_string(),
        Tok::Str(raw) | Tok::Char(raw, _) => raw.to_string(),
        Tok::Bool(b) => b.to_string(),
        Tok::Nil => "nil".to_string(),
        Tok::Pipe => "|".to_string(),
        Tok::LeftParen => "(".to_string(),
        Tok::RightParen => ")".to_string(),
        Tok::Declare => ":=".to_string(),
        Tok::Assign => "=".to_string(),
        Tok::Comma => ",".to_string(),
    };
    if text.chars().count() > 10 {
        let short: String = text.chars().take(10).collect();
        format!("{short:?}...")
    } else {
        format!("{text:?}")
    }
}

/// Go's number literal rules: integers (decimal, `0x`, `0o`, `0b`, legacy octal `0NN`,
/// underscores) become `int`; literals with `.`, an exponent, or too large, `float64`.
fn parse_number(text: &str) -> Option<Number> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let (neg, body) = match clean.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean)),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') && lower.bytes().all(|b| b.is_ascii_digit())
    {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    let is_float = if radix == 16 {
        digits.contains(['.', 'p'])
    } else {
        radix == 10 && digits.contains(['.', 'e'])
    };
    if !is_float {
        if let Ok(v) = i64::from_str_radix(digits, radix) {
            return Some(Number::Int(if neg { -v } else { v }));
        }
        if radix != 10 {
            return None;
        }
    }
    if radix == 16 {
        return None;
    }
    let v: f64 = digits.parse().ok()?;
    Some(Number::Float(if neg { -v } else { v }))
}

#[cfg(test)]
mod spare_tokens_tests {
    use super::{parse, spare_tokens};

    #[test]
    fn a_parse_leaves_its_token_list_for_the_next_one() {
        let has_func = |_: &str| true;
        parse("t", "a {{ .b }} c {{ if .d }}e{{ end }}", &has_func, 100).unwrap();
        let spare = spare_tokens();
        assert!(spare.is_empty());
        assert!(spare.capacity() >= 10, "room kept: {}", spare.capacity());
    }
}

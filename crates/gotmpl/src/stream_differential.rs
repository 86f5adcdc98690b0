//! The parser reading its tokens as they are lexed, an action at a time and with the tokens it
//! has read dropped from its list, gives what it gave reading the whole text's tokens lexed up
//! front: the same tree, or the same error (a lexing error anywhere before any parse error).

use proptest::prelude::*;

use crate::lexer::{STREAM_KEEP, Stream};
use crate::parser::parse_from;

/// Pieces of templates, valid and not, joined at random.
const PIECES: &[&str] = &[
    "text ",
    "\n  ",
    "{{ .a }}",
    "{{ .a.b.c }}",
    "{{- .x -}}",
    "{{ if .a }}",
    "{{ else }}",
    "{{ else if .b }}",
    "{{ end }}",
    "{{ range $i, $v := .l }}",
    "{{ with .w }}",
    "{{ $x := 1 }}",
    "{{ $x.f }}",
    "{{ define \"d\" }}",
    "{{ template \"d\" . }}",
    "{{ (len .a).b }}",
    "{{ printf \"%d\" 3 | quote }}",
    "{{/* c */}}",
    "{{- /* c */ -}}",
    "{{ \"open }}",
    "{{ .a | }}",
    "{{ ( }}",
    "{{ ) }}",
    "{{ break }}",
    "{{ 'x' }}",
    "{{ 0x1F }}",
    "{{ `raw` }}",
    "{{ nil }}",
    "{{ true }}",
    "{{ $undefined }}",
    "{{ @ }}",
    "{{",
    "}}",
    "{{ block \"b\" . }}x{{ end }}",
    "{{ .a := 1 }}",
    "{{ unknown }}",
    "{{ and .a (eq .b \"on\") }}",
];

fn has_func(name: &str) -> bool {
    matches!(name, "len" | "printf" | "quote" | "and" | "eq")
}

fn shown(src: &str, tokens: Stream<'_>) -> String {
    match parse_from(tokens, "t", src, &has_func, 20) {
        Ok(parsed) => format!("{parsed:?}"),
        Err(e) => format!("error: {e}"),
    }
}

fn template() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_streamed_parse_gives_what_a_parse_of_the_whole_token_list_gave(src in template()) {
        let whole = shown(&src, Stream::whole(&src));
        for keep in [0, 3, STREAM_KEEP] {
            prop_assert_eq!(&shown(&src, Stream::new(&src, Vec::new(), keep)), &whole);
        }
    }
}

#[test]
fn a_lexing_error_after_a_parse_error_is_the_one_reported() {
    let src = "{{ end }} {{ 'x' }} {{ \"open }}";
    let streamed = shown(src, Stream::new(src, Vec::new(), 0));
    assert!(
        streamed.contains("unterminated quoted string"),
        "{streamed}"
    );
    assert_eq!(streamed, shown(src, Stream::whole(src)));
}

#[test]
fn a_long_text_is_parsed_through_a_short_token_list() {
    let src = "{{ if .a }}{{ .b.c | quote }}{{ end }}\n".repeat(2000);
    let mut tokens = Stream::new(&src, Vec::new(), STREAM_KEEP);
    let mut longest = 0;
    while !tokens.is_done() {
        tokens.more();
        longest = longest.max(tokens.tokens().len());
    }
    assert!(longest <= STREAM_KEEP + 20, "{longest} tokens held");
    assert_eq!(
        shown(&src, Stream::new(&src, Vec::new(), STREAM_KEEP)),
        shown(&src, Stream::whole(&src))
    );
}

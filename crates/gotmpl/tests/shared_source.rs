//! Parsing keeps no copies of a template's text: text nodes are ranges into the source the
//! template holds, string literals are unquoted from their slice of it when parsed, and names
//! are shared. These properties hold the output to what the text says, as the copies did.

use gotmpl::{Engine, Value};
use proptest::prelude::*;

fn render(src: &str) -> String {
    let mut engine = Engine::new();
    engine.add_template("t", src).unwrap();
    engine
        .render("t", &Value::from(serde_json::json!({"a": {"b": "field"}})))
        .unwrap()
}

proptest! {
    #[test]
    fn text_around_actions_prints_as_written(
        before in "[a-z {}\n\t]{0,20}",
        between in "[a-zé }\n]{0,20}",
        after in "[a-z {}\n]{0,20}",
    ) {
        prop_assume!(![&before, &between, &after].iter().any(|t| t.contains('{')));
        let src = format!("{before}{{{{.a.b}}}}{between}{{{{$x := 1}}}}{after}");
        prop_assert_eq!(render(&src), format!("{before}field{between}{after}"));
    }

    #[test]
    fn trimmed_text_prints_without_the_trimmed_spaces(
        before in "[a-z]{0,8}[ \n\t]{0,4}",
        after in "[ \n\t]{0,4}[a-z]{0,8}",
    ) {
        let src = format!("{before}{{{{- .a.b -}}}}{after}");
        let expected = format!("{}field{}", before.trim_end(), after.trim_start());
        prop_assert_eq!(render(&src), expected);
    }

    #[test]
    fn a_string_literal_prints_its_unquoted_value(value in "[ -~\n\t\u{e9}]{0,20}") {
        // Rust's debug form of these characters is a valid Go interpreted literal.
        let src = format!("{{{{ {value:?} }}}}|{{{{ printf \"%s\" {value:?} }}}}");
        prop_assert_eq!(render(&src), format!("{value}|{value}"));
    }

    #[test]
    fn a_raw_string_prints_without_carriage_returns(value in "[a-z \r\n\"]{0,20}") {
        let src = format!("{{{{ `{value}` }}}}");
        prop_assert_eq!(render(&src), value.replace('\r', ""));
    }
}

#[test]
fn an_empty_redefinition_keeps_the_first_body() {
    let mut engine = Engine::new();
    engine
        .add_template(
            "t",
            "{{define \"d\"}}body{{end}}{{define \"d\"}} \n\t {{end}}{{template \"d\"}}",
        )
        .unwrap();
    assert_eq!(engine.render("t", &Value::Nil).unwrap(), "body");
}

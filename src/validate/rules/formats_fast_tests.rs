//! The one-pass "is it valid" scans in front of the name checks held to the checks behind them
//! (the part-by-part checks bosun had before the scans): the same answer, message included, for
//! any string.

use super::{
    dns1123_subdomain, dns1123_subdomain_why, label_value, label_value_why, qualified_name,
    qualified_name_why,
};
use proptest::prelude::*;

/// Strings near the edges the scans decide on: dots and dashes next to each other or at the
/// ends, one or more `/`, upper case, lengths around 63 and 253, and anything at all.
fn key_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z.-]{0,8}",
        "[a-z0-9.-]{0,12}(/[a-zA-Z0-9._-]{0,10}){0,2}",
        "[a-zA-Z0-9._/-]{0,16}",
        "[a-z0-9-]{60,66}",
        "([a-z]{60}\\.){4}[a-z]{0,16}(/x)?",
        "[-a-z0-9é_.A/ ]{0,10}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    #[test]
    fn one_pass_scans_give_the_answers_and_messages_of_before(text in key_like()) {
        prop_assert_eq!(dns1123_subdomain(&text), dns1123_subdomain_why(&text));
        prop_assert_eq!(qualified_name(&text), qualified_name_why(&text));
        prop_assert_eq!(label_value(&text), label_value_why(&text));
    }
}

#[test]
fn edge_keys_get_the_answers_of_before() {
    let long_prefix = format!("{}/x", "a".repeat(253));
    let too_long_prefix = format!("{}/x", "a".repeat(254));
    let cases = [
        "",
        ".",
        "-",
        "a",
        "a.",
        ".a",
        "a-",
        "-a",
        "a.-b",
        "a-.b",
        "a..b",
        "a--b.c",
        "a/b",
        "/b",
        "a/",
        "a/b/c",
        "a.b/-c",
        "A.b/c",
        "a.b/C_d.e",
        "app.kubernetes.io/name",
        "é/x",
        "x/é",
        &long_prefix,
        &too_long_prefix,
    ];
    for text in cases {
        assert_eq!(
            dns1123_subdomain(text),
            dns1123_subdomain_why(text),
            "{text}"
        );
        assert_eq!(qualified_name(text), qualified_name_why(text), "{text}");
        assert_eq!(label_value(text), label_value_why(text), "{text}");
    }
    // The scans must not only agree: both valid and refused keys are among the cases.
    assert!(qualified_name("app.kubernetes.io/name").is_none());
    assert!(qualified_name("a..b/c").is_some());
}

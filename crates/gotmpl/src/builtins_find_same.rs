//! Holds `find`'s `match` to the table it indexes: every builtin is found under its own name
//! and nothing else is found.

use super::{BUILTINS, find};

#[test]
fn find_returns_the_table_entry_named_for_every_builtin() {
    for builtin in BUILTINS {
        let found = find(builtin.name).map(|b| b.name);
        assert_eq!(found, Some(builtin.name));
    }
}

#[test]
fn find_returns_nothing_for_names_outside_the_table() {
    for name in [
        "", "include", "Eq", "eq ", "printff", "lenn", "toYaml", "urlQuery", "an",
    ] {
        assert!(find(name).is_none(), "{name:?} was found");
    }
}

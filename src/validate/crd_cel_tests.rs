//! Holds `crd::bundled`'s shortcut, a bundled schema whose file schemas/crds/cel-rules.yaml does
//! not name is used without parsing that file, to the answer parsing it gives.

use super::{BUNDLED_CRDS, CEL_RULES, add_cel_rules, cel_rules};

#[test]
fn a_bundled_schema_the_cel_rules_file_does_not_name_gets_no_rule_from_it() {
    let mut unnamed = 0;
    for (path, text) in BUNDLED_CRDS {
        if CEL_RULES.contains(path) {
            continue;
        }
        unnamed += 1;
        let original: serde_json::Value = serde_json::from_str(text).unwrap();
        let mut schema = original.clone();
        let missing = add_cel_rules(cel_rules(), path, &mut schema);
        assert!(missing.is_empty(), "{path}");
        assert_eq!(schema, original, "{path}: cel-rules.yaml adds a rule to it");
    }
    assert!(unnamed > 5, "most bundled schemas have no added rule");
}

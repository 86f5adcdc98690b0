//! A document's kind is looked up once for its schema and its CEL rules together: the rules
//! found that way are the ones [`Catalog::cel_rules`] compiles, and a kind without a schema or
//! without rules gets none.

use std::sync::Arc;

use serde_json::json;

use super::{Catalog, Lookup};
use crate::kube_version::KubeVersion;

fn catalog() -> Catalog {
    Catalog::new(KubeVersion {
        major: 1,
        minor: 35,
    })
    .unwrap()
}

#[test]
fn a_custom_kind_with_rules_gets_the_rules_cel_rules_compiles() {
    let mut catalog = catalog();
    let schema = json!({"type": "object", "properties": {"spec": {"type": "object",
        "x-kubernetes-validations": [{"rule": "self.size > 0", "message": "size"}],
        "properties": {"size": {"type": "integer"}}}}});
    catalog.add_custom("example.com/v1/Widget", schema, "test".into());
    for _ in 0..2 {
        let (found, rules) = catalog.lookup_with_rules("example.com/v1", "Widget");
        assert!(matches!(found, Lookup::Found(..)));
        let rules = rules.expect("the kind's rules");
        let again = catalog.cel_rules("example.com/v1", "Widget").unwrap();
        assert!(Arc::ptr_eq(&rules, &again), "compiled once, shared");
        let failures = rules.check(&json!({"spec": {"size": 0}}));
        assert_eq!(failures.len(), 1);
        assert!(rules.check(&json!({"spec": {"size": 2}})).is_empty());
    }
}

#[test]
fn kinds_without_rules_or_without_a_schema_get_no_rules() {
    let mut catalog = catalog();
    catalog.add_custom(
        "example.com/v1/Plain",
        json!({"type": "object"}),
        "test".into(),
    );
    let (found, rules) = catalog.lookup_with_rules("example.com/v1", "Plain");
    assert!(matches!(found, Lookup::Found(..)) && rules.is_none());
    let (found, rules) = catalog.lookup_with_rules("apps/v1", "Deployment");
    assert!(matches!(found, Lookup::Found(..)) && rules.is_none());
    let (found, rules) = catalog.lookup_with_rules("example.com/v1", "Gadget");
    assert!(matches!(found, Lookup::Missing) && rules.is_none());
    let (found, rules) = catalog.lookup_with_rules("extensions/v1beta1", "Ingress");
    assert!(matches!(found, Lookup::Removed { .. }) && rules.is_none());
}

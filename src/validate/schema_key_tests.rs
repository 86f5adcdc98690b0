//! The catalog finds a kind by its `apiVersion/Kind` key however long the key is: short keys
//! are written on the stack, long ones allocated, and both reach the same schemas.

use serde_json::json;

use super::{Catalog, KEY_BUFFER, Lookup, SchemaSource, joined};
use crate::kube_version::KubeVersion;

#[test]
fn a_kind_with_a_key_longer_than_the_buffer_is_found_as_a_short_one_is() {
    let mut catalog = Catalog::new(KubeVersion {
        major: 1,
        minor: 35,
    })
    .unwrap();
    let long_group = format!("{}.example.com/v1", "a".repeat(KEY_BUFFER));
    let schema = json!({"type": "object", "properties": {"spec": {"type": "object"}}});
    for api_version in ["example.com/v1", long_group.as_str()] {
        catalog.add_custom(
            &format!("{api_version}/Widget"),
            schema.clone(),
            "test".into(),
        );
        let Lookup::Found(validator, SchemaSource::Custom(origin)) =
            catalog.lookup(api_version, "Widget")
        else {
            panic!("{api_version}: not found");
        };
        assert_eq!(&*origin, "test");
        assert!(validator.is_valid(&json!({"spec": {}})));
        assert!(!validator.is_valid(&json!({"spec": 1})));
        // Asked again, the same compiled schema.
        let Lookup::Found(again, _) = catalog.lookup(api_version, "Widget") else {
            panic!("{api_version}: not found the second time");
        };
        assert!(std::sync::Arc::ptr_eq(&validator, &again));
        assert!(matches!(
            catalog.lookup(api_version, "Gadget"),
            Lookup::Missing
        ));
    }
}

#[test]
fn a_key_is_the_api_version_a_slash_and_the_kind() {
    let mut buffer = [0; KEY_BUFFER];
    assert_eq!(
        joined(&mut buffer, "apps/v1", "Deployment"),
        "apps/v1/Deployment"
    );
    let long = "g".repeat(KEY_BUFFER);
    assert_eq!(joined(&mut buffer, &long, "K"), format!("{long}/K"));
    assert_eq!(joined(&mut buffer, "v1", "Ünïcode"), "v1/Ünïcode");
}

//! The common label keys that the qualified-name check accepts without a scan, held to the
//! part-by-part check: each one must pass it, so the shortcut never accepts what it refuses.

use super::{COMMON_KEYS, qualified_name, qualified_name_why};

#[test]
fn every_common_label_key_passes_the_full_check() {
    for key in COMMON_KEYS {
        assert_eq!(qualified_name_why(key), None, "{key}");
        assert_eq!(qualified_name(key), None, "{key}");
    }
}

#[test]
fn keys_near_the_common_ones_are_still_checked() {
    assert!(qualified_name("app.kubernetes.io/name-").is_some());
    assert!(qualified_name("App.kubernetes.io/name").is_some());
    assert!(qualified_name("helm.sh/chart/x").is_some());
}

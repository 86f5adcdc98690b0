//! `dictsort(case_sensitive=true)` on the template's own maps, without minijinja's general
//! path: the fleet sorts every service's maps with it, and the general path looks each key up
//! again (hashing it) to pair it with its value and reads its keyword arguments twice.
//!
//! Only a plain map (the values tree, a map literal, a `merge` result) sorted by key, case
//! sensitive, not reversed, takes this path: its pairs are read in one walk and sorted with
//! the same comparison minijinja uses. Every other call goes to minijinja's own filter, which
//! stays the reference: `dictsort_tests.rs` holds this path to its answers.

use indexmap::IndexMap;
use minijinja::Error;
use minijinja::value::{Kwargs, Value};

/// The map's `(key, value)` pairs sorted by key, as minijinja's `dictsort` gives them.
pub(super) fn dictsort(value: &Value, kwargs: Kwargs) -> Result<Value, Error> {
    if let Some(map) = value.downcast_object_ref::<IndexMap<Value, Value>>()
        && is_case_sensitive_only(&kwargs)
    {
        let mut pairs: Vec<(&Value, &Value)> = map.iter().collect();
        // Keys are unique, so the order is the same whether or not the sort is stable.
        pairs.sort_unstable_by(|a, b| a.0.cmp(b.0));
        return Ok(pairs
            .into_iter()
            .map(|(k, v)| Value::from((k.clone(), v.clone())))
            .collect());
    }
    minijinja::filters::dictsort(value, kwargs)
}

/// True when the only keyword argument is `case_sensitive=true`.
fn is_case_sensitive_only(kwargs: &Kwargs) -> bool {
    let mut names = kwargs.args();
    names.next() == Some("case_sensitive")
        && names.next().is_none()
        && matches!(kwargs.get::<Option<bool>>("case_sensitive"), Ok(Some(true)))
}

//! The names JSON Schema gives meaning to in any draft (3 to 2020-12), the ones `jsonschema`
//! may read. The structural compiler refuses a schema using one it does not implement, and
//! reads past any other name, which `jsonschema` and its meta-schemas treat as an annotation.

/// Every keyword of drafts 3, 4, 6, 7, 2019-09 and 2020-12 (core, applicator, validation,
/// unevaluated, format, content and meta-data vocabularies), sorted.
const KEYWORDS: &[&str] = &[
    "$anchor",
    "$comment",
    "$defs",
    "$dynamicAnchor",
    "$dynamicRef",
    "$id",
    "$recursiveAnchor",
    "$recursiveRef",
    "$ref",
    "$schema",
    "$vocabulary",
    "additionalItems",
    "additionalProperties",
    "allOf",
    "anyOf",
    "const",
    "contains",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "default",
    "definitions",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "deprecated",
    "description",
    "disallow",
    "divisibleBy",
    "else",
    "enum",
    "examples",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "extends",
    "format",
    "id",
    "if",
    "items",
    "maxContains",
    "maxItems",
    "maxLength",
    "maxProperties",
    "maximum",
    "minContains",
    "minItems",
    "minLength",
    "minProperties",
    "minimum",
    "multipleOf",
    "not",
    "oneOf",
    "pattern",
    "patternProperties",
    "prefixItems",
    "properties",
    "propertyNames",
    "readOnly",
    "required",
    "then",
    "title",
    "type",
    "unevaluatedItems",
    "unevaluatedProperties",
    "uniqueItems",
    "writeOnly",
];

/// Whether some draft of JSON Schema gives `name` a meaning.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.binary_search(&name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::{KEYWORDS, is_keyword};

    #[test]
    fn the_keyword_list_is_sorted_so_a_binary_search_finds_each() {
        assert!(KEYWORDS.is_sorted());
        for keyword in KEYWORDS {
            assert!(is_keyword(keyword), "{keyword}");
        }
        for annotation in ["form", "hidden", "sliderMin", "render", "x-kubernetes-foo"] {
            assert!(!is_keyword(annotation), "{annotation}");
        }
    }
}

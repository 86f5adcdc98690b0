//! Compiling a schema into the validator's nodes: every keyword value checked as the
//! meta-schema checks it, `$ref`s resolved once each (recursive schemas included), and `Err`
//! for whatever the validator does not read.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::{
    ANY, ARRAY, BOOLEAN, Bounds, INTEGER, Library, NULL, NUMBER, Node, OBJECT, Pattern, Property,
    Resolve, STRING, Structural, name_order,
};

impl Structural {
    /// Compiles `root`. `Err` names what this validator does not handle (or what `jsonschema`
    /// would refuse): the caller then uses `jsonschema` alone.
    pub fn compile(root: &Value, resolve: Resolve) -> Result<Structural, String> {
        Structural::compile_with(root, resolve, false)
    }

    /// Compiles `root`, a schema bosun ships (schemas/crds/): its patterns are known to build,
    /// so each is built only when a string first meets it.
    pub fn compile_shipped(root: &Value, resolve: Resolve) -> Result<Structural, String> {
        Structural::compile_with(root, resolve, true)
    }

    fn compile_with(root: &Value, resolve: Resolve, shipped: bool) -> Result<Structural, String> {
        let mut compiler = Compiler {
            root,
            resolve,
            library: None,
            shipped,
            nodes: vec![Node::default()],
            refs: HashMap::new(),
        };
        compiler.fill(0, root, true)?;
        for keyword in ["$defs", "definitions"] {
            if let Some(Value::Object(defs)) = root.get(keyword) {
                for name in defs.keys() {
                    compiler.reference(&format!("#/{keyword}/{name}"))?;
                }
            }
        }
        Ok(Structural {
            nodes: compiler.nodes,
            library: None,
        })
    }

    /// The validator of `library`'s definition `name`, which compiles nothing yet: each
    /// definition a document reaches is compiled when a value first meets it, once for every
    /// kind that shares it. `Err` when the library has no such definition.
    pub fn of_definition(name: &str, library: Arc<Library>) -> Result<Structural, String> {
        let number = library
            .number(name)
            .ok_or_else(|| format!("`$ref` #/$defs/{name} points nowhere"))?;
        let root = Node {
            types: ANY,
            definition: Some(number),
            ..Node::default()
        };
        Ok(Structural {
            nodes: vec![root],
            library: Some(library),
        })
    }

    /// Compiles one definition of `library`: its own `$ref`s become nodes that name other
    /// definitions of the library, compiled when first met.
    pub(super) fn compile_in(schema: &Value, library: &Library) -> Result<Structural, String> {
        let mut compiler = Compiler {
            root: &Value::Null,
            resolve: &|_| None,
            library: Some(library),
            shipped: true,
            nodes: vec![Node::default()],
            refs: HashMap::new(),
        };
        compiler.fill(0, schema, false)?;
        Ok(Structural {
            nodes: compiler.nodes,
            library: None,
        })
    }
}

struct Compiler<'a> {
    root: &'a Value,
    resolve: Resolve<'a>,
    /// Where `#/$defs/NAME` points when the root does not hold NAME, instead of `resolve`.
    library: Option<&'a Library>,
    /// A schema bosun ships, whose patterns are known to build: each is built on first use.
    shipped: bool,
    nodes: Vec<Node>,
    refs: HashMap<String, usize>,
}

impl Compiler<'_> {
    fn schema(&mut self, schema: &Value) -> Result<usize, String> {
        let at = self.nodes.len();
        self.nodes.push(Node::default());
        self.fill(at, schema, false)?;
        Ok(at)
    }

    fn schemas(&mut self, list: &Value, keyword: &str) -> Result<Vec<usize>, String> {
        match list {
            Value::Array(items) if !items.is_empty() => {
                items.iter().map(|item| self.schema(item)).collect()
            }
            _ => Err(format!("`{keyword}` is not a non-empty list of schemas")),
        }
    }

    /// The library's number for `reference` when it names one of the library's definitions;
    /// `None` when there is no library (or the root holds a definition of that name).
    fn in_library(&self, reference: &str) -> Result<Option<u32>, String> {
        let Some(library) = self.library else {
            return Ok(None);
        };
        let Some(name) = reference.strip_prefix("#/$defs/") else {
            return Ok(None);
        };
        if self
            .root
            .get("$defs")
            .and_then(|defs| defs.get(name))
            .is_some()
        {
            return Ok(None);
        }
        library
            .number(name)
            .map(Some)
            .ok_or_else(|| format!("`$ref` {reference} points nowhere"))
    }

    fn reference(&mut self, reference: &str) -> Result<usize, String> {
        if let Some(&found) = self.refs.get(reference) {
            return Ok(found);
        }
        let (keyword, name) = reference
            .strip_prefix("#/$defs/")
            .map(|name| ("$defs", name))
            .or_else(|| {
                reference
                    .strip_prefix("#/definitions/")
                    .map(|name| ("definitions", name))
            })
            .filter(|(_, name)| !name.contains(['/', '~', '%']))
            .ok_or_else(|| format!("`$ref` {reference}"))?;
        let target = match self.root.get(keyword).and_then(|defs| defs.get(name)) {
            Some(own) => Arc::new(own.clone()),
            None if keyword == "$defs" => {
                (self.resolve)(name).ok_or_else(|| format!("`$ref` {reference} points nowhere"))?
            }
            None => return Err(format!("`$ref` {reference} points nowhere")),
        };
        let at = self.nodes.len();
        self.nodes.push(Node::default());
        self.refs.insert(reference.to_string(), at);
        self.fill(at, &target, false)?;
        Ok(at)
    }

    fn fill(&mut self, at: usize, schema: &Value, is_root: bool) -> Result<(), String> {
        let map = match schema {
            Value::Bool(allowed) => {
                self.nodes[at].types = ANY;
                self.nodes[at].never = !allowed;
                return Ok(());
            }
            Value::Object(map) => map,
            _ => return Err("a schema that is not an object".into()),
        };
        let mut node = Node {
            types: ANY,
            ..Node::default()
        };
        let mut bounds = Bounds::default();
        let mut properties = Vec::new();
        let mut required = Vec::new();
        for (key, value) in map {
            let count = || {
                value
                    .as_u64()
                    .ok_or_else(|| format!("`{key}` is not a whole number"))
            };
            match key.as_str() {
                "type" => node.types = types(value)?,
                "$ref" => {
                    let reference = value.as_str().ok_or("`$ref` is not a string")?;
                    match self.in_library(reference)? {
                        Some(number) => node.definition = Some(number),
                        None => {
                            let target = self.reference(reference)?;
                            bounds.all.push(target);
                        }
                    }
                }
                "allOf" => bounds.all.extend(self.schemas(value, key)?),
                "anyOf" => bounds.any_of = self.schemas(value, key)?,
                "oneOf" => bounds.one_of = self.schemas(value, key)?,
                "not" => bounds.not = Some(self.schema(value)?),
                "if" => bounds.condition = Some(self.schema(value)?),
                "then" => bounds.then = Some(self.schema(value)?),
                "else" => bounds.otherwise = Some(self.schema(value)?),
                "propertyNames" => bounds.property_names = Some(self.schema(value)?),
                "dependentSchemas" => {
                    let fields = value.as_object().ok_or("`dependentSchemas` is not a map")?;
                    for (field, schema) in fields {
                        let schema = self.schema(schema)?;
                        bounds.dependent.push((field.as_str().into(), schema));
                    }
                }
                "properties" => {
                    let listed = value.as_object().ok_or("`properties` is not a map")?;
                    for (name, property) in listed {
                        let schema = small(self.schema(property)?)?;
                        properties.push(Property {
                            name: name.as_str().into(),
                            schema,
                            required: false,
                        });
                    }
                    properties.sort_by(|a, b| name_order(&a.name, &b.name));
                }
                "additionalProperties" => node.additional = Some(small(self.schema(value)?)?),
                "items" => node.items = Some(small(self.schema(value)?)?),
                "required" => required = names(value)?,
                "enum" => {
                    let list = value.as_array().ok_or("`enum` is not a list")?;
                    bounds.allowed.push(list.clone());
                }
                "const" => bounds.allowed.push(vec![value.clone()]),
                "minLength" => bounds.min_length = Some(count()?),
                "maxLength" => bounds.max_length = Some(count()?),
                "minItems" => bounds.min_items = Some(count()?),
                "maxItems" => bounds.max_items = Some(count()?),
                "minProperties" => bounds.min_properties = Some(count()?),
                "maxProperties" => bounds.max_properties = Some(count()?),
                "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
                    let Value::Number(limit) = value else {
                        return Err(format!("`{key}` is not a number"));
                    };
                    let slot = match key.as_str() {
                        "minimum" => &mut bounds.minimum,
                        "maximum" => &mut bounds.maximum,
                        "exclusiveMinimum" => &mut bounds.exclusive_minimum,
                        _ => &mut bounds.exclusive_maximum,
                    };
                    *slot = Some(limit.clone());
                }
                "uniqueItems" => {
                    bounds.unique_items =
                        value.as_bool().ok_or("`uniqueItems` is not a boolean")?;
                }
                "pattern" => {
                    let text = value.as_str().ok_or("`pattern` is not a string")?;
                    bounds.pattern = Some(Pattern::get(text, !self.shipped)?);
                }
                "$defs" | "definitions" if is_root => {
                    value.as_object().ok_or("`$defs` is not a map")?;
                }
                // The draft bosun validates with anyway (the version-less address names the
                // current draft, as Bitnami's values schemas use it); another draft's keywords
                // differ.
                "$schema"
                    if is_root
                        && matches!(
                            value.as_str(),
                            Some(
                                "https://json-schema.org/draft/2020-12/schema"
                                    | "https://json-schema.org/draft/2020-12/schema#"
                                    | "http://json-schema.org/draft/2020-12/schema"
                                    | "http://json-schema.org/draft/2020-12/schema#"
                                    | "https://json-schema.org/schema"
                                    | "https://json-schema.org/schema#"
                                    | "http://json-schema.org/schema"
                                    | "http://json-schema.org/schema#"
                            )
                        ) => {}
                // Annotations, which `jsonschema` reads past once the meta-schema allows them.
                "format" | "description" | "title" | "$comment" => {
                    value.as_str().ok_or(format!("`{key}` is not a string"))?;
                }
                "deprecated" | "readOnly" | "writeOnly" => {
                    value.as_bool().ok_or(format!("`{key}` is not a boolean"))?;
                }
                "examples" => {
                    value.as_array().ok_or("`examples` is not a list")?;
                }
                // Not JSON Schema keywords: OpenAPI's and Kubernetes' own, ignored.
                "default" | "example" | "nullable" => {}
                other if other.starts_with("x-") => {}
                // A name no draft uses is an annotation `jsonschema` reads past and its
                // meta-schema leaves alone (Bitnami's `form`, `hidden`, `sliderMin`).
                other if !super::keywords::is_keyword(other) => {}
                other => return Err(format!("keyword `{other}`")),
            }
        }
        for name in required {
            match properties.binary_search_by(|property| name_order(&property.name, &name)) {
                Ok(found) => {
                    properties[found].required = true;
                    node.required_listed += 1;
                }
                Err(_) => bounds.required_elsewhere.push(name),
            }
        }
        if !bounds.is_empty() {
            bounds.all.shrink_to_fit();
            node.bounds = Some(Box::new(bounds));
        }
        node.properties = properties.into_boxed_slice();
        self.nodes[at] = node;
        Ok(())
    }
}

/// A node's number as the nodes keep it.
fn small(at: usize) -> Result<u32, String> {
    u32::try_from(at).map_err(|_| "a schema of more than 2^32 nodes".to_string())
}

fn types(value: &Value) -> Result<u8, String> {
    let one = |name: &Value| match name.as_str() {
        Some("null") => Ok(NULL),
        Some("boolean") => Ok(BOOLEAN),
        Some("integer") => Ok(INTEGER),
        Some("number") => Ok(NUMBER | INTEGER),
        Some("string") => Ok(STRING),
        Some("array") => Ok(ARRAY),
        Some("object") => Ok(OBJECT),
        _ => Err(format!("type {name}")),
    };
    match value {
        Value::Array(list) if !list.is_empty() => {
            let mut mask = 0;
            for (i, name) in list.iter().enumerate() {
                if list[..i].contains(name) {
                    return Err("a type listed twice".into());
                }
                mask |= one(name)?;
            }
            Ok(mask)
        }
        Value::Array(_) => Err("an empty `type` list".into()),
        single => one(single),
    }
}

fn names(value: &Value) -> Result<Vec<Box<str>>, String> {
    let list = value.as_array().ok_or("`required` is not a list")?;
    let mut out: Vec<Box<str>> = Vec::with_capacity(list.len());
    for name in list {
        let name = name.as_str().ok_or("`required` lists a non-string")?;
        if out.iter().any(|seen| &**seen == name) {
            return Err("`required` lists a name twice".into());
        }
        out.push(name.into());
    }
    Ok(out)
}

//! The `x-kubernetes-validations` rules of custom resource schemas, evaluated offline with the
//! `cel` crate and the Kubernetes CEL library functions (`library.rs`). A schema's rules are
//! compiled once into a [`Rules`] tree that follows `properties`, `additionalProperties` and
//! `items` down to every node that carries a rule or a `default`; [`Rules::check`] fills in the
//! defaults, as the API server does first, then binds `self` to each value at a node with rules
//! and evaluates them.
//!
//! A valid manifest refused offline is worse than a miss, so only a rule that evaluates to
//! `false` refuses a document. A rule that reads `oldSelf` (a transition rule: nothing to compare
//! with offline), that does not compile or that calls a Kubernetes function bosun lacks is
//! skipped and counted (`skipped.rs`); one that fails while it runs (a field it reads that is
//! absent) is skipped. None is ever reported as a violation.

mod library;
mod skipped;

pub use skipped::{SkipReason, Skipped, note};

use std::sync::{Arc, OnceLock};

use serde_json::Value;

/// How deep `$ref`s are followed while a schema is compiled: Kubernetes' own definitions nest
/// far less, and a recursive schema stops here.
const MAX_DEPTH: usize = 48;

/// The escapes Kubernetes' CEL gives field names (`k8s.io/apiserver/pkg/cel` `Escape`).
const ESCAPES: &[&str] = &[
    "__underscores__",
    "__dot__",
    "__dash__",
    "__slash__",
    "__true__",
    "__false__",
    "__null__",
    "__in__",
    "__as__",
    "__break__",
    "__const__",
    "__continue__",
    "__else__",
    "__for__",
    "__function__",
    "__if__",
    "__import__",
    "__let__",
    "__loop__",
    "__package__",
    "__namespace__",
    "__return__",
    "__var__",
    "__void__",
    "__while__",
];

/// One compiled rule and what to say when it fails.
struct Rule {
    /// The rule as the schema writes it.
    source: String,
    program: cel::Program,
    message: Option<String>,
    message_expression: Option<cel::Program>,
    /// Where the error points, as a JSON pointer relative to the node carrying the rule.
    field_path: String,
    /// `FieldValueForbidden`, `FieldValueRequired`, ...; `None`: `FieldValueInvalid`.
    reason: Option<String>,
}

/// A schema node that carries rules or defaults, or leads to one.
#[derive(Default)]
struct Node {
    rules: Vec<Rule>,
    /// The `default` of each property that has one: the API server fills them in before it
    /// evaluates the rules, so bosun does too.
    defaults: Vec<(String, Value)>,
    properties: Vec<(String, Node)>,
    additional: Option<Box<Node>>,
    items: Option<Box<Node>>,
}

impl Node {
    fn is_empty(&self) -> bool {
        self.rules.is_empty()
            && self.defaults.is_empty()
            && self.properties.is_empty()
            && self.additional.is_none()
            && self.items.is_none()
    }

    fn has_defaults(&self) -> bool {
        !self.defaults.is_empty()
            || self.properties.iter().any(|(_, node)| node.has_defaults())
            || self
                .additional
                .as_ref()
                .is_some_and(|node| node.has_defaults())
            || self.items.as_ref().is_some_and(|node| node.has_defaults())
    }

    /// Fills in the defaults of absent fields, the way the API server's structural defaulting
    /// does before validation.
    fn apply_defaults(&self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (name, default) in &self.defaults {
                    if !map.contains_key(name) {
                        map.insert(name.clone(), default.clone());
                    }
                }
                for (key, child) in map.iter_mut() {
                    let node = self
                        .properties
                        .iter()
                        .find(|(name, _)| name == key)
                        .map(|(_, node)| node)
                        .or(self.additional.as_deref());
                    if let Some(node) = node {
                        node.apply_defaults(child);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(node) = self.items.as_deref() {
                    items.iter_mut().for_each(|item| node.apply_defaults(item));
                }
            }
            _ => {}
        }
    }
}

/// The CEL rules of one kind's schema.
#[derive(Default)]
pub struct Rules {
    root: Node,
    /// Rules compiled and evaluated.
    pub count: usize,
    /// Whether the schema gives any field a `default`.
    defaults: bool,
    pub skipped: Vec<Skipped>,
}

/// A rule a document breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// JSON pointer to the value the rule is about (its `fieldPath` when it has one).
    pub path: String,
    /// The rule's message (or its evaluated `messageExpression`), as the API server prints it
    /// after the field's path.
    pub message: String,
    /// The rule as the schema writes it.
    pub rule: String,
}

impl Rules {
    /// Compiles every `x-kubernetes-validations` rule of `schema` (a JSON Schema or a CRD's
    /// `openAPIV3Schema`). Local `$ref`s (`#/$defs/...`, `#/definitions/...`) are followed.
    pub fn from_schema(schema: &Value) -> Rules {
        let mut rules = Rules::default();
        let mut at = String::new();
        rules.root = rules.node(schema, schema, &mut at, 0);
        rules.defaults = rules.root.has_defaults();
        rules
    }

    /// Whether the schema has no rule, evaluated or skipped, and no default.
    pub fn is_empty(&self) -> bool {
        self.count == 0 && self.skipped.is_empty() && !self.defaults
    }

    /// `document` with the schema's defaults filled in, as the API server stores it before it
    /// validates; `None` when the schema has no default.
    pub fn defaulted(&self, document: &Value) -> Option<Value> {
        self.defaults.then(|| {
            let mut defaulted = document.clone();
            self.root.apply_defaults(&mut defaulted);
            defaulted
        })
    }

    fn node(&mut self, root: &Value, schema: &Value, at: &mut String, depth: usize) -> Node {
        if depth > MAX_DEPTH {
            return Node::default();
        }
        // A `$ref`'s target, then what the node itself says beside it.
        let mut node = match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => match reference.strip_prefix('#').and_then(|p| root.pointer(p)) {
                Some(target) => self.node(root, target, at, depth + 1),
                None => Node::default(),
            },
            None => Node::default(),
        };
        for entry in schema["x-kubernetes-validations"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if let Some(rule) = self.compile(entry, at) {
                node.rules.push(rule);
            }
        }
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            let len = at.len();
            at.push('/');
            at.push_str(&escape(name));
            let child = self.node(root, property, at, depth + 1);
            at.truncate(len);
            // The API server fills in no status on create: a root `status` default is left out.
            let status = at.is_empty() && name == "status";
            if let Some(default) = property.get("default")
                && !status
            {
                node.defaults.push((name.clone(), default.clone()));
            }
            if !child.is_empty() {
                node.properties.push((name.clone(), child));
            }
        }
        let len = at.len();
        at.push_str("/*");
        if schema["additionalProperties"].is_object() {
            let child = self.node(root, &schema["additionalProperties"], at, depth + 1);
            if !child.is_empty() {
                node.additional = Some(Box::new(child));
            }
        }
        if schema["items"].is_object() {
            let child = self.node(root, &schema["items"], at, depth + 1);
            if !child.is_empty() {
                node.items = Some(Box::new(child));
            }
        }
        at.truncate(len);
        node
    }

    fn compile(&mut self, entry: &Value, at: &str) -> Option<Rule> {
        let source = entry["rule"].as_str()?.to_string();
        let skip = |reason| Skipped {
            at: if at.is_empty() { "/".into() } else { at.into() },
            rule: source.clone(),
            reason,
        };
        let program = match env().compile(&source) {
            Ok(program) => program,
            Err(e) => {
                self.skipped.push(skip(SkipReason::Compile(first_line(&e))));
                return None;
            }
        };
        if program.references().has_variable("oldSelf") {
            self.skipped.push(skip(SkipReason::Transition));
            return None;
        }
        // Kubernetes escapes field names that are CEL keywords or hold `-`, `.`, `/`
        // (`self.__namespace__`, `self.__dash__`); bosun's values carry the names as they are,
        // and `has()` on such a name would read as absent.
        if ESCAPES.iter().any(|escape| source.contains(escape)) {
            self.skipped.push(skip(SkipReason::Compile(
                "it reads an escaped field name (`__namespace__`, `__dash__`, ...)".into(),
            )));
            return None;
        }
        let references = program.references();
        if let Some(name) = references
            .functions()
            .into_iter()
            .find(|name| skipped::UNSUPPORTED.contains(name) || name.starts_with("format."))
        {
            self.skipped
                .push(skip(SkipReason::Unsupported(name.to_string())));
            return None;
        }
        self.count += 1;
        Some(Rule {
            program,
            message: entry["message"].as_str().map(str::to_string),
            message_expression: entry["messageExpression"]
                .as_str()
                .and_then(|text| env().compile(text).ok()),
            field_path: entry["fieldPath"]
                .as_str()
                .and_then(field_path_pointer)
                .unwrap_or_default(),
            reason: entry["reason"].as_str().map(str::to_string),
            source,
        })
    }

    /// The rules `document` breaks. Rules that cannot be evaluated on it are left out.
    pub fn check(&self, document: &Value) -> Vec<Failure> {
        let mut failures = Vec::new();
        if self.count == 0 {
            return failures;
        }
        let defaulted = self.defaulted(document);
        let document = defaulted.as_ref().unwrap_or(document);
        let context = library::context(env());
        let mut path = String::new();
        walk(&self.root, document, &context, &mut path, &mut failures);
        failures
    }
}

/// The CEL environment: the standard library with the strings, lists and math extensions
/// (Kubernetes enables the same), built once.
fn env() -> Arc<cel::Env> {
    static ENV: OnceLock<Arc<cel::Env>> = OnceLock::new();
    Arc::clone(ENV.get_or_init(|| {
        let mut env = cel::Env::stdlib();
        // Each extension declares names no other one does; a failure would leave a function
        // undeclared, and a rule using it is then skipped at run time.
        let _ = env.add_extension(cel::extensions::strings);
        let _ = env.add_extension(cel::extensions::lists);
        let _ = env.add_extension(cel::extensions::math);
        Arc::new(env)
    }))
}

fn walk(
    node: &Node,
    value: &Value,
    context: &cel::Context,
    path: &mut String,
    failures: &mut Vec<Failure>,
) {
    if value.is_null() {
        return;
    }
    if !node.rules.is_empty() {
        let mut scope = context.new_inner_scope();
        if scope.add_variable("self", to_cel(value)).is_err() {
            return;
        }
        for rule in &node.rules {
            if let Ok(cel::Value::Bool(false)) = rule.program.execute(&scope) {
                failures.push(Failure {
                    path: format!("{path}{}", rule.field_path),
                    message: message(rule, &scope),
                    rule: rule.source.clone(),
                });
            }
        }
    }
    let len = path.len();
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let node = node
                    .properties
                    .iter()
                    .find(|(name, _)| name == key)
                    .map(|(_, node)| node)
                    .or(node.additional.as_deref());
                if let Some(node) = node {
                    path.push('/');
                    path.push_str(&escape(key));
                    walk(node, child, context, path, failures);
                    path.truncate(len);
                }
            }
        }
        Value::Array(items) => {
            if let Some(node) = node.items.as_deref() {
                for (i, child) in items.iter().enumerate() {
                    path.push_str(&format!("/{i}"));
                    walk(node, child, context, path, failures);
                    path.truncate(len);
                }
            }
        }
        _ => {}
    }
}

/// What the API server says for a failed rule: the evaluated `messageExpression`, else the
/// `message`, else `failed rule: <rule>`; a `reason` other than `FieldValueInvalid` leads it
/// the way Kubernetes' field errors do (`Forbidden: ...`).
fn message(rule: &Rule, scope: &cel::Context) -> String {
    let evaluated =
        rule.message_expression
            .as_ref()
            .and_then(|program| match program.execute(scope) {
                Ok(cel::Value::String(text)) if !text.trim().is_empty() => Some(text.to_string()),
                _ => None,
            });
    let text = evaluated
        .or_else(|| rule.message.clone())
        .unwrap_or_else(|| format!("failed rule: {}", rule.source));
    match rule.reason.as_deref() {
        Some("FieldValueForbidden") => format!("Forbidden: {text}"),
        Some("FieldValueRequired") => format!("Required value: {text}"),
        Some("FieldValueDuplicate") => format!("Duplicate value: {text}"),
        _ => text,
    }
}

/// A JSON value as CEL sees it: integers stay `int`, other numbers are `double`.
fn to_cel(value: &Value) -> cel::Value {
    match value {
        Value::Null => cel::Value::Null,
        Value::Bool(b) => cel::Value::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => cel::Value::Int(i),
            None => match n.as_u64() {
                Some(u) => cel::Value::UInt(u),
                None => cel::Value::Float(n.as_f64().unwrap_or_default()),
            },
        },
        Value::String(s) => cel::Value::String(Arc::new(s.clone())),
        Value::Array(items) => cel::Value::List(Arc::new(items.iter().map(to_cel).collect())),
        Value::Object(map) => {
            let entries: std::collections::HashMap<cel::objects::Key, cel::Value> = map
                .iter()
                .map(|(k, v)| (cel::objects::Key::from(k.as_str()), to_cel(v)))
                .collect();
            cel::Value::from(entries)
        }
    }
}

/// `.spec.ports[0]`, `.metadata.labels['app.kubernetes.io/name']` as a JSON pointer suffix.
fn field_path_pointer(path: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            out.push('/');
            out.push_str(&escape(&after[..end]));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("['") {
            let end = after.find("']")?;
            out.push('/');
            out.push_str(&escape(&after[..end]));
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            out.push('/');
            out.push_str(&after[..end]);
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(out)
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn first_line(error: &impl std::fmt::Display) -> String {
    error
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(schema: Value) -> Rules {
        Rules::from_schema(&schema)
    }

    #[test]
    fn a_false_rule_fails_at_its_node_with_its_message() {
        let rules = rules(
            json!({"properties": {"spec": {"properties": {"items": {"items": {
                "x-kubernetes-validations": [{"rule": "self.min <= self.max", "message": "min must not exceed max"}]
            }}}}}}),
        );
        let failures =
            rules.check(&json!({"spec": {"items": [{"min": 1, "max": 2}, {"min": 3, "max": 2}]}}));
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].path, "/spec/items/1");
        assert_eq!(failures[0].message, "min must not exceed max");
    }

    #[test]
    fn field_path_and_reason_shape_the_report() {
        let rules = rules(json!({"x-kubernetes-validations": [{"rule": "has(self.a)",
            "fieldPath": ".spec['a.b'][0]", "reason": "FieldValueRequired"}]}));
        let failures = rules.check(&json!({"b": 1}));
        assert_eq!(failures[0].path, "/spec/a.b/0");
        assert_eq!(
            failures[0].message,
            "Required value: failed rule: has(self.a)"
        );
    }

    #[test]
    fn transition_broken_and_erroring_rules_never_refuse() {
        let rules = rules(json!({"x-kubernetes-validations": [
            {"rule": "self == oldSelf", "message": "immutable"},
            {"rule": "self.(", "message": "broken"},
            {"rule": "self.missing == 1", "message": "absent field"},
            {"rule": "unknownFunction(self)", "message": "unsupported"},
            {"rule": "self.name.find('[0-9]+') != ''", "message": "a Kubernetes function bosun lacks"}]}));
        assert_eq!(rules.skipped.len(), 3);
        assert_eq!(
            rules.skipped[2].reason,
            SkipReason::Unsupported("find".into())
        );
        assert_eq!(rules.skipped[0].reason, SkipReason::Transition);
        assert!(rules.check(&json!({"a": 1})).is_empty());
    }

    #[test]
    fn defaults_are_filled_in_before_rules_run() {
        let rules = rules(json!({"properties": {"spec": {
            "x-kubernetes-validations": [{"rule": "self.mode == 'Terminate' ? has(self.certs) : true", "message": "certs needed"}],
            "properties": {"mode": {"type": "string", "default": "Terminate"}}}}}));
        assert_eq!(rules.check(&json!({"spec": {}}))[0].message, "certs needed");
        assert!(
            rules
                .check(&json!({"spec": {"mode": "Passthrough"}}))
                .is_empty()
        );
    }

    #[test]
    fn a_ref_and_the_rules_beside_it_both_count() {
        let rules = rules(
            json!({"$defs": {"item": {"x-kubernetes-validations": [{"rule": "self.a > 0", "message": "a"}]}},
            "properties": {"items": {"items": {"$ref": "#/$defs/item",
                "x-kubernetes-validations": [{"rule": "self.b > 0", "message": "b"}]}}}}),
        );
        let failures = rules.check(&json!({"items": [{"a": 0, "b": 0}]}));
        let messages: Vec<&str> = failures.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages, ["a", "b"]);
    }

    #[test]
    fn message_expression_wins_over_message() {
        let rules = rules(json!({"x-kubernetes-validations": [{"rule": "self.n < 3",
            "message": "too many", "messageExpression": "'n is ' + string(self.n) + ', at most 2'"}]}));
        assert_eq!(
            rules.check(&json!({"n": 5}))[0].message,
            "n is 5, at most 2"
        );
    }
}

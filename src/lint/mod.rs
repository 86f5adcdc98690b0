//! `bosun lint`: what a careful reviewer would catch in a render — each workload alone, and the
//! resources against each other (a Service that selects nothing, an Ingress to a Service that is
//! not there, a reference to a Secret nobody makes). Each finding has a rule id, a severity, the
//! resource, the template, and one line on why it matters and how to fix it.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use crate::diagnostics::FieldOrigin;
use crate::kube_version::KubeVersion;
use crate::manifest::Document;
use crate::render::trace::Origins;
use crate::validate::schema::Catalog;
use crate::validate::{Outcome, Verdict};
use crate::values::Node;

mod checks;
pub mod report;
mod secret_literals;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A lint rule, by name: a check reports under one of these, so an id cannot be mistyped.
/// Its id is the kebab-case name (`RuleId::PdbMissing` is `pdb-missing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleId {
    Probes,
    Resources,
    ImageTag,
    SecurityContext,
    Privileged,
    PdbMissing,
    PdbBlocksEviction,
    HpaRange,
    HpaTarget,
    HpaReplicas,
    ServiceSelector,
    ServiceTargetPort,
    IngressBackend,
    MissingReference,
    NetpolDns,
    Duplicate,
    ApiVersion,
    Yaml11Key,
    SecretLiteral,
    Schema,
}

impl RuleId {
    /// The id users write in `.bosun-lint.yaml` and the ignore annotation.
    pub fn id(self) -> &'static str {
        match self {
            RuleId::Probes => "probes",
            RuleId::Resources => "resources",
            RuleId::ImageTag => "image-tag",
            RuleId::SecurityContext => "security-context",
            RuleId::Privileged => "privileged",
            RuleId::PdbMissing => "pdb-missing",
            RuleId::PdbBlocksEviction => "pdb-blocks-eviction",
            RuleId::HpaRange => "hpa-range",
            RuleId::HpaTarget => "hpa-target",
            RuleId::HpaReplicas => "hpa-replicas",
            RuleId::ServiceSelector => "service-selector",
            RuleId::ServiceTargetPort => "service-target-port",
            RuleId::IngressBackend => "ingress-backend",
            RuleId::MissingReference => "missing-reference",
            RuleId::NetpolDns => "netpol-dns",
            RuleId::Duplicate => "duplicate",
            RuleId::ApiVersion => "api-version",
            RuleId::Yaml11Key => "yaml11-key",
            RuleId::SecretLiteral => "secret-literal",
            RuleId::Schema => "schema",
        }
    }

    fn rule(self) -> &'static Rule {
        RULES
            .iter()
            .find(|r| r.id == self)
            .expect("every rule id has a row in RULES")
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// One rule: its id, severity, and what it is about.
pub struct Rule {
    pub id: RuleId,
    pub severity: Severity,
    pub summary: &'static str,
}

/// Every rule bosun lint knows, one a line.
#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    Rule { id: RuleId::Probes,            severity: Severity::Warning, summary: "a container has no readiness or no liveness probe" },
    Rule { id: RuleId::Resources,         severity: Severity::Warning, summary: "a container has no resource requests or limits" },
    Rule { id: RuleId::ImageTag,          severity: Severity::Warning, summary: "an image uses the tag `latest` or no tag" },
    Rule { id: RuleId::SecurityContext,   severity: Severity::Warning, summary: "a pod may run as root, or has no securityContext" },
    Rule { id: RuleId::Privileged,        severity: Severity::Error,   summary: "a container runs privileged" },
    Rule { id: RuleId::PdbMissing,        severity: Severity::Warning, summary: "a workload with more than one replica has no PodDisruptionBudget" },
    Rule { id: RuleId::PdbBlocksEviction, severity: Severity::Error,   summary: "a PodDisruptionBudget can never allow an eviction" },
    Rule { id: RuleId::HpaRange,          severity: Severity::Error,   summary: "an HPA's minReplicas is above its maxReplicas" },
    Rule { id: RuleId::HpaTarget,         severity: Severity::Error,   summary: "an HPA targets a workload that is not rendered" },
    Rule { id: RuleId::HpaReplicas,       severity: Severity::Warning, summary: "a workload an HPA scales also sets spec.replicas" },
    Rule { id: RuleId::ServiceSelector,   severity: Severity::Error,   summary: "a Service's selector matches no pod template" },
    Rule { id: RuleId::ServiceTargetPort, severity: Severity::Error,   summary: "a Service's targetPort is exposed by no matching container" },
    Rule { id: RuleId::IngressBackend,    severity: Severity::Error,   summary: "an Ingress routes to a Service or port not rendered in its namespace" },
    Rule { id: RuleId::MissingReference,  severity: Severity::Warning, summary: "a Secret or ConfigMap is referenced but neither rendered nor made by an ExternalSecret" },
    Rule { id: RuleId::NetpolDns,         severity: Severity::Warning, summary: "a default-deny egress NetworkPolicy leaves no way to DNS" },
    Rule { id: RuleId::Duplicate,         severity: Severity::Error,   summary: "two resources share kind, namespace and name" },
    Rule { id: RuleId::ApiVersion,        severity: Severity::Warning, summary: "an apiVersion is deprecated (or removed) in the target Kubernetes" },
    Rule { id: RuleId::Yaml11Key,         severity: Severity::Warning, summary: "a values key that YAML 1.1 reads as a boolean" },
    Rule { id: RuleId::SecretLiteral,     severity: Severity::Warning, summary: "a secret-looking literal in a plain env value or a ConfigMap" },
    Rule { id: RuleId::Schema,            severity: Severity::Error,   summary: "a document its schema, or the API server's own rules, refuse" },
];

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    /// `Kind namespace/name`, or the values file for value rules.
    pub resource: String,
    /// The template (or values file:line) it came from.
    pub source: String,
    pub message: String,
    /// JSON pointer to the field it is about, when the check names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Where that field came from: rendered line, template line, values line (filled in by
    /// [`locate`]).
    #[serde(skip_serializing_if = "FieldOrigin::is_unknown")]
    pub origin: FieldOrigin,
    /// Set when an annotation or the chart's lint config silences it, with the reason given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub silenced: Option<String>,
}

/// A document with its parsed value, for the checks.
pub(super) struct Object<'a> {
    document: &'a Document,
    value: Value,
}

impl Object<'_> {
    fn kind(&self) -> &str {
        &self.document.resource.kind
    }
    fn namespace(&self) -> &str {
        &self.document.resource.namespace
    }
    fn name(&self) -> &str {
        &self.document.resource.name
    }
    fn resource(&self) -> String {
        self.document.resource.to_string()
    }
    /// The JSON pointer of the workload's pod template, if this is one.
    fn pod_template_pointer(&self) -> Option<&'static str> {
        match self.kind() {
            "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" | "Rollout" => {
                Some("/spec/template")
            }
            "CronJob" => Some("/spec/jobTemplate/spec/template"),
            _ => None,
        }
    }

    /// The JSON pointer of the container (or init container) `name` of the pod template.
    fn container_pointer(&self, name: &str) -> Option<String> {
        let base = self.pod_template_pointer()?;
        let pod = self.pod_template()?;
        ["containers", "initContainers"].iter().find_map(|list| {
            let index = pod["spec"][list]
                .as_array()?
                .iter()
                .position(|c| c["name"] == name)?;
            Some(format!("{base}/spec/{list}/{index}"))
        })
    }

    /// The pod template of a workload, if this is one.
    fn pod_template(&self) -> Option<&Value> {
        match self.kind() {
            "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" | "Rollout" => {
                self.value["spec"].get("template")
            }
            "CronJob" => self.value["spec"]["jobTemplate"]["spec"].get("template"),
            _ => None,
        }
    }
}

pub(super) struct Linter<'a> {
    objects: Vec<Object<'a>>,
    findings: Vec<Finding>,
}

impl Linter<'_> {
    fn report(&mut self, rule: RuleId, object: usize, message: String) {
        self.report_at(rule, object, None, message);
    }

    /// Reports a finding about the field at JSON pointer `path` of the object.
    fn report_at(&mut self, rule: RuleId, object: usize, path: Option<String>, message: String) {
        let o = &self.objects[object];
        self.findings.push(Finding {
            rule,
            severity: rule.rule().severity,
            resource: o.resource(),
            source: o.document.source.clone(),
            message,
            path,
            origin: FieldOrigin::default(),
            silenced: None,
        });
    }
}

/// Lints the documents of one render. `catalog` answers API deprecation questions.
pub fn lint(documents: &[Document], catalog: Option<&Catalog>, kube: KubeVersion) -> Vec<Finding> {
    let objects: Vec<Object> = documents
        .iter()
        .map(|document| Object {
            value: document.value(),
            document,
        })
        .collect();
    let mut linter = Linter {
        objects,
        findings: Vec::new(),
    };
    checks::per_workload(&mut linter);
    checks::pdbs_and_hpas(&mut linter);
    checks::services_and_ingresses(&mut linter);
    checks::references(&mut linter);
    checks::network_policies(&mut linter);
    checks::duplicates(&mut linter);
    checks::api_versions(&mut linter, catalog, kube);
    secret_literals::secret_literals(&mut linter);
    silence_by_annotation(&mut linter);
    linter.findings
}

/// Each violation of each invalid document, as a finding: `bosun lint` reports them with the
/// others (so SARIF carries them) instead of stopping at the first invalid render.
pub fn schema_findings(outcomes: &[Outcome]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for outcome in outcomes {
        let Verdict::Invalid { errors } = &outcome.verdict else {
            continue;
        };
        for violation in errors {
            findings.push(Finding {
                rule: RuleId::Schema,
                severity: RuleId::Schema.rule().severity,
                resource: outcome.resource.to_string(),
                source: outcome.source.clone(),
                message: match violation.help.as_deref().and_then(|h| h.lines().next()) {
                    Some(help) => format!("{}; {help}", violation.message),
                    None => violation.message.clone(),
                },
                path: Some(violation.path.clone()),
                origin: FieldOrigin::default(),
                silenced: None,
            });
        }
    }
    findings
}

/// Fills in where each finding's field came from (template and values lines), for findings
/// that name a field and are not silenced, from `origins`.
pub fn locate(findings: &mut [Finding], documents: &[Document], origins: &mut Origins) {
    for finding in findings.iter_mut().filter(|f| f.silenced.is_none()) {
        let Some(path) = &finding.path else {
            continue;
        };
        let Some(document) = documents
            .iter()
            .find(|d| d.source == finding.source && d.resource.to_string() == finding.resource)
        else {
            continue;
        };
        finding.origin = origins.of(&document.source, &document.resource, path);
    }
}

/// The annotation that silences rules on one resource: `RULE reason[; RULE reason]`.
pub const IGNORE_ANNOTATION: &str = "bosun.dev/lint-ignore";

fn silence_by_annotation(linter: &mut Linter) {
    let ignores: HashMap<String, Vec<(String, String)>> = linter
        .objects
        .iter()
        .filter_map(|o| {
            let text = o.value["metadata"]["annotations"][IGNORE_ANNOTATION].as_str()?;
            let rules = text
                .split(';')
                .filter_map(|entry| {
                    let entry = entry.trim();
                    let (rule, reason) = entry.split_once(' ').unwrap_or((entry, ""));
                    (!rule.is_empty()).then(|| (rule.to_string(), reason.trim().to_string()))
                })
                .collect();
            Some((o.resource(), rules))
        })
        .collect();
    for finding in &mut linter.findings {
        if let Some((_, reason)) = ignores
            .get(&finding.resource)
            .and_then(|rules| rules.iter().find(|(rule, _)| rule == finding.rule.id()))
        {
            finding.silenced = Some(if reason.is_empty() {
                "(annotation, no reason given)".into()
            } else {
                reason.clone()
            });
        }
    }
}

/// Keys of the merged values that YAML 1.1 (kubectl, Helm) reads as booleans: written as
/// `on:` in bosun's values they stay the string "on", but a Helm user's tools would not agree.
pub fn yaml11_keys(values: &Node) -> Vec<Finding> {
    const WORDS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
        "OFF",
    ];
    let mut out = Vec::new();
    for (path, _, origin) in values.leaves() {
        let keys: Vec<&str> = path.split('.').collect();
        if let Some(key) = keys.iter().find(|k| WORDS.contains(k)) {
            out.push(Finding {
                rule: RuleId::Yaml11Key,
                severity: RuleId::Yaml11Key.rule().severity,
                resource: format!("values `{path}`"),
                source: origin.to_string(),
                message: format!(
                    "key `{key}` is a boolean to YAML 1.1 readers (kubectl, Helm's tools), so `{key}` and `true` collide; quote it or rename it"
                ),
                path: None,
                origin: FieldOrigin::default(),
                silenced: None,
            });
        }
    }
    out.dedup_by(|a, b| a.resource == b.resource);
    out
}

/// A chart's lint configuration (`.bosun-lint.yaml`): rules silenced for the whole chart, or
/// for one resource, each with a reason.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub ignore: Vec<Ignore>,
}

/// One silenced rule.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    pub rule: String,
    /// `Kind namespace/name` (or `Kind name`); every resource when absent.
    #[serde(default)]
    pub resource: Option<String>,
    pub reason: String,
}

impl Config {
    /// The configuration in `chart_dir/.bosun-lint.yaml`; none silences nothing.
    pub fn load(chart_dir: &std::path::Path) -> Result<Config, crate::error::Error> {
        let path = chart_dir.join(".bosun-lint.yaml");
        if !path.is_file() {
            return Ok(Config::default());
        }
        let text = std::fs::read_to_string(&path).map_err(|source| crate::error::Error::Read {
            path: path.clone(),
            source,
        })?;
        crate::yaml::parse_typed(&crate::paths::shown(&path), &text)
    }

    /// Marks the findings this configuration silences.
    pub fn apply(&self, findings: &mut [Finding]) {
        for finding in findings.iter_mut().filter(|f| f.silenced.is_none()) {
            if let Some(ignore) = self.ignore.iter().find(|i| {
                i.rule == finding.rule.id()
                    && i.resource.as_ref().is_none_or(|r| *r == finding.resource)
            }) {
                finding.silenced = Some(ignore.reason.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_id_is_unique() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        for rule in RULES {
            // The id a report serializes is the id a config or annotation names.
            assert_eq!(
                serde_json::to_value(rule.id).unwrap(),
                serde_json::Value::from(rule.id.id())
            );
        }
    }
}

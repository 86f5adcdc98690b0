//! bosun's canonical writer against serde-saphyr on every document the repository's charts
//! render: the YAML bosun prints (and records) for an object is what serde-saphyr writes for
//! it, byte for byte.

use std::path::{Path, PathBuf};

use bosun::pipeline::{self, Request};

/// A few services of the benchmark fleet, in the shape `gen-values.py` writes.
const FLEET_VALUES: &str = r#"{"global": {"environment": "production", "imageRegistry": "ghcr.io/acme", "replicas": 2, "clusterIssuer": "letsencrypt-prod", "secretStore": "aws-secrets-manager", "config": {"OTEL_EXPORTER": "otlp"}},
"services": {
"svc-0000": {"image": {"repository": "svc-0000", "tag": "1.0.0"}, "replicas": 2, "port": 8080, "probes": {"startup": "/health/startup", "liveness": "/health/live", "readiness": "/health/ready"}, "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}}, "env": {"ASPNETCORE_ENVIRONMENT": "Production", "RabbitMQ__Host": "rabbitmq.okla.svc.cluster.local", "LOG_LEVEL": "info"}, "secretEnv": {"ConnectionStrings__DefaultConnection": {"secret": "database-secrets", "key": "svc-0000-connection"}, "Redis__ConnectionString": {"secret": "redis-secrets", "key": "connection-string"}}, "config": {"FEATURE_X": "off", "TIMEOUT_MS": "1000"}, "ingress": {"host": "svc-0000.okla.example.com"}, "hpa": {"min": 2, "max": 10, "cpu": 70}},
"svc-0001": {"image": {"repository": "svc-0001", "tag": "1.1.1"}, "replicas": 3, "port": 8080, "probes": {"startup": "/health/startup", "liveness": "/health/live", "readiness": "/health/ready"}, "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}}, "env": {"ASPNETCORE_ENVIRONMENT": "Production", "RabbitMQ__Host": "rabbitmq.okla.svc.cluster.local", "LOG_LEVEL": "info"}, "secretEnv": {"ConnectionStrings__DefaultConnection": {"secret": "database-secrets", "key": "svc-0001-connection"}}, "config": {"FEATURE_X": "on", "TIMEOUT_MS": "1001"}}
}}"#;

/// Every chart folder (one holding `Chart.yaml`) under `dir`.
fn charts_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() && !path.is_symlink() {
            if path.join("Chart.yaml").is_file() {
                found.push(path.clone());
            }
            charts_under(&path, found);
        }
    }
}

/// Each document's YAML, and what serde-saphyr writes for the object it holds.
fn written_both_ways(request: &Request, stdin: &str) -> Option<Vec<(String, String)>> {
    let rendered = pipeline::render(request, &mut stdin.as_bytes()).ok()?;
    Some(
        rendered
            .documents
            .iter()
            .map(|document| {
                let value = document.value();
                let slow = serde_saphyr::to_string(&value).expect("a JSON value serializes");
                (document.yaml.clone(), slow)
            })
            .collect(),
    )
}

#[test]
fn every_rendered_document_is_written_as_serde_saphyr_writes_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut charts = Vec::new();
    for dir in ["charts", "tests/fixtures", "examples"] {
        charts_under(&root.join(dir), &mut charts);
    }
    let mut requests: Vec<(Request, &str)> = charts
        .into_iter()
        .map(|chart| {
            let mut request = Request::new(chart);
            request.validate = false;
            (request, "")
        })
        .collect();
    let mut fleet = Request::new(root.join("bench/fleet"));
    fleet.validate = false;
    fleet.namespace = "okla".into();
    fleet.values.files = vec!["-".into()];
    requests.push((fleet, FLEET_VALUES));

    let (mut rendered_charts, mut documents) = (0, 0);
    for (request, stdin) in &requests {
        let Some(pairs) = written_both_ways(request, stdin) else {
            continue; // a fixture made to fail (err_*), or one that needs more than its defaults
        };
        rendered_charts += 1;
        for (fast, slow) in pairs {
            assert_eq!(fast, slow, "{}", request.chart.display());
            documents += 1;
        }
    }
    assert!(
        rendered_charts >= 20 && documents >= 300,
        "only {rendered_charts} charts and {documents} documents rendered"
    );
}

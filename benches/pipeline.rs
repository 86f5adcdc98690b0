//! Stage timings of the render pipeline on the fleet chart (bench/fleet), 500 services by
//! default (`BOSUN_BENCH_SERVICES`), and the whole of it through the library entry the command
//! line uses ([`bosun::pipeline::render`], validation included). Run: `cargo bench -p
//! bosun-bench`.
//! The comparison with the real Helm binary is `bench/run.sh`.

use std::path::{Path, PathBuf};

use bosun::chart::Chart;
use bosun::manifest;
use bosun::output::{self, Format};
use bosun::pipeline::{self, Request};
use bosun::render::engine::{Capabilities, Release};
use bosun::render::{self, RenderOptions};
use bosun::values::{self, Node, ValueOptions};
use serde_json::json;

fn main() {
    divan::main();
}

/// The same shape of values as `../shared/bench/gen-values.py N`.
fn fleet_values(n: usize) -> serde_json::Value {
    let mut services = serde_json::Map::new();
    for i in 0..n {
        let name = format!("svc-{i:04}");
        let mut svc = json!({
            "image": {"repository": name, "tag": format!("1.{}.{}", i % 7, i % 13)},
            "replicas": 2 + i % 3,
            "port": 8080,
            "probes": {"startup": "/health/startup", "liveness": "/health/live", "readiness": "/health/ready"},
            "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}},
            "env": {"ASPNETCORE_ENVIRONMENT": "Production", "RabbitMQ__Host": "rabbitmq.okla.svc.cluster.local", "LOG_LEVEL": "info"},
            "secretEnv": {
                "ConnectionStrings__DefaultConnection": {"secret": "database-secrets", "key": format!("{name}-connection")},
                "Redis__ConnectionString": {"secret": "redis-secrets", "key": "connection-string"}
            },
            "config": {"FEATURE_X": if i % 2 == 1 { "on" } else { "off" }, "TIMEOUT_MS": (1000 + i).to_string()},
        });
        if i % 2 == 0 {
            svc["ingress"] = json!({"host": format!("{name}.okla.example.com")});
        }
        if i % 3 == 0 {
            svc["hpa"] = json!({"min": 2, "max": 10 + i % 5, "cpu": 70});
        }
        services.insert(name, svc);
    }
    json!({
        "global": {"environment": "production", "imageRegistry": "ghcr.io/acme", "replicas": 2,
                   "clusterIssuer": "letsencrypt-prod", "secretStore": "aws-secrets-manager",
                   "config": {"OTEL_EXPORTER": "otlp"}},
        "services": services,
    })
}

struct Fleet {
    chart: Chart,
    values: Node,
    options: RenderOptions,
}

/// The fleet chart's folder, `bench/fleet` of the repository (this package is `benches/`).
fn fleet_chart() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/fleet")
}

/// The fleet chart and a values file for it; the folder lives as long as the returned guard.
fn fleet_inputs() -> (tempfile::TempDir, Chart, ValueOptions) {
    let n = std::env::var("BOSUN_BENCH_SERVICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("values.json");
    std::fs::write(&file, serde_json::to_string(&fleet_values(n)).unwrap()).unwrap();
    let chart = Chart::load(&fleet_chart()).unwrap();
    let options = ValueOptions {
        files: vec![file.display().to_string()],
        ..ValueOptions::default()
    };
    (dir, chart, options)
}

fn fleet() -> Fleet {
    let (_dir, chart, options) = fleet_inputs();
    let values = values::layer(&chart, &options, &mut std::io::empty()).unwrap();
    Fleet {
        chart,
        values,
        options: RenderOptions {
            release: Release {
                name: "rel".into(),
                namespace: "okla".into(),
                revision: 1,
                is_upgrade: false,
            },
            capabilities: Capabilities::new(bosun::validate::schema::newest_version(), &[]),
            environment: None,
            show_only: Vec::new(),
            include_crds: false,
            random_seed: None,
            lookup: None,
        },
    }
}

#[divan::bench(sample_count = 10)]
fn values_layer(bencher: divan::Bencher) {
    let (_dir, chart, options) = fleet_inputs();
    bencher.bench(|| values::layer(&chart, &options, &mut std::io::empty()).unwrap());
}

#[divan::bench(sample_count = 10)]
fn render_templates(bencher: divan::Bencher) {
    let f = fleet();
    bencher.bench(|| render::render_templates(&f.chart, &f.values, &f.options).unwrap());
}

#[divan::bench(sample_count = 10)]
fn parse_documents(bencher: divan::Bencher) {
    let f = fleet();
    let rendered = render::render_templates(&f.chart, &f.values, &f.options).unwrap();
    bencher.bench(|| manifest::parse(&rendered, None).unwrap());
}

#[divan::bench(sample_count = 10)]
fn parse_and_validate_documents(bencher: divan::Bencher) {
    let f = fleet();
    let rendered = render::render_templates(&f.chart, &f.values, &f.options).unwrap();
    let catalog =
        bosun::validate::schema::Catalog::new(bosun::validate::schema::newest_version()).unwrap();
    let policy = bosun::validate::Policy::default();
    let checks = manifest::Checks {
        catalog: &catalog,
        policy: &policy,
        lenient_keys: false,
    };
    // Compile the validators once, as a real run does before its first document of a kind.
    let (_, outcomes) = manifest::parse(&rendered, Some(&checks)).unwrap();
    assert!(
        outcomes.iter().all(|o| !o.is_invalid()),
        "the fleet validates clean"
    );
    bencher.bench(|| manifest::parse(&rendered, Some(&checks)).unwrap());
}

#[divan::bench(sample_count = 10)]
fn write_stream(bencher: divan::Bencher) {
    let f = fleet();
    let (documents, _) = render::render(&f.chart, &f.values, &f.options, None).unwrap();
    bencher.bench(|| output::to_text(&documents, Format::Yaml));
}

/// `bosun render` without the printing: the library entry the command line calls (values,
/// values-schema check, catalog, render, validation, verdicts), then the stream's text.
#[divan::bench(sample_count = 10)]
fn whole_render(bencher: divan::Bencher) {
    let (_dir, _, options) = fleet_inputs();
    let mut request = Request::new(fleet_chart());
    request.values = options;
    request.release_name = Some("rel".into());
    request.namespace = "okla".into();
    bencher.bench(|| {
        let rendered = pipeline::render(&request, &mut std::io::empty()).unwrap();
        rendered.judge().expect("the fleet validates clean");
        output::to_text(&rendered.documents, Format::Yaml)
    });
}

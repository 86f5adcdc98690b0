//! The library entry the command line calls, `bosun::pipeline::render`, used without a
//! process: it returns what `bosun render` prints, a verdict for every document, the merged
//! values with their origins, and where the record goes.

use bosun::output::{self, Format};
use bosun::pipeline::{self, Request};
use bosun::values::SetArg;
use bosun::values::set::SetKind;

use crate::{root, run_ok};

fn demo_in_production() -> Request {
    let mut request = Request::new(root().join("charts/demo"));
    request.values.env = Some("production".into());
    request.namespace = "shop".into();
    request.state_dir = Some(std::env::temp_dir().join("bosun-tests-state"));
    request
}

#[test]
fn the_library_entry_renders_what_bosun_render_prints() {
    let rendered = pipeline::render(&demo_in_production(), &mut std::io::empty()).unwrap();
    let printed = run_ok([
        "render",
        "charts/demo",
        "--env",
        "production",
        "-n",
        "shop",
        "--no-save",
    ]);
    assert_eq!(output::to_text(&rendered.documents, Format::Yaml), printed);
    assert_eq!(
        rendered.outcomes.len(),
        rendered.documents.len(),
        "every document gets a verdict"
    );
    assert!(rendered.judge().unwrap().is_empty(), "the demo validates");
    assert_eq!(
        rendered.record.path,
        std::env::temp_dir().join("bosun-tests-state/production/shop/demo.yaml")
    );
}

#[test]
fn set_flags_apply_in_the_order_of_the_request_and_each_leaf_knows_its_origin() {
    let mut request = demo_in_production();
    request.values.sets = [
        ("replicas=2", SetKind::Typed),
        ("replicas=5", SetKind::Typed),
    ]
    .map(|(arg, kind)| SetArg {
        kind,
        arg: arg.into(),
    })
    .to_vec();
    let rendered = pipeline::render(&request, &mut std::io::empty()).unwrap();
    let (_, value, origin) = rendered
        .values
        .leaves()
        .into_iter()
        .find(|(path, ..)| path == "replicas")
        .expect("the demo has replicas");
    assert_eq!(
        (value.to_string(), origin.to_string()),
        ("5".into(), "--set replicas=5".into())
    );
}

#[test]
fn an_invalid_document_is_a_verdict_and_judging_it_is_the_error() {
    let mut request = Request::new(root().join("tests/fixtures/charts/err_invalid_manifests"));
    request.state_dir = Some(std::env::temp_dir().join("bosun-tests-state"));
    let rendered = pipeline::render(&request, &mut std::io::empty()).unwrap();
    assert!(rendered.outcomes.iter().any(|o| o.is_invalid()));
    let error = rendered.judge().unwrap_err();
    assert!(error.to_string().contains("failed validation"), "{error}");
}

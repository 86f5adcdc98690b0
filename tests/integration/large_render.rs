//! Large renders, whose documents are parsed while the templates still render: the documents,
//! their order and the first error are those of parsing each template's whole text afterwards.

use std::path::Path;

use bosun::chart::Chart;
use bosun::error::Error;
use bosun::manifest::{self, Document};
use bosun::render::{self, RenderOptions};
use bosun::values::{self, ValueOptions};

use crate::{root, run};

fn options() -> RenderOptions {
    RenderOptions::install("rel", "shop")
}

/// A Jinja chart in `dir` whose templates are `(file name, text)`.
fn jinja_chart(dir: &Path, templates: &[(&str, String)]) {
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: big\nengine: jinja\nversion: 1.0.0\n",
    )
    .unwrap();
    for (name, text) in templates {
        std::fs::write(dir.join("templates").join(name), text).unwrap();
    }
}

/// A template writing `count` ConfigMaps named `<prefix>-<i>`; the one at `broken` (if any)
/// does not parse.
fn config_maps(prefix: &str, count: usize, broken: Option<usize>) -> String {
    format!(
        "{{% for i in range({count}) %}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {prefix}-{{{{ i }}}}\n  labels:\n    - \"x\"\ndata:\n  text: |\n    line one\n    line two\n{{% if i == {broken} %}}  bad: [\n{{% endif %}}{{% endfor %}}\n",
        broken = broken.map_or(-1, |b| b as i64),
    )
}

/// Both readings of a chart: parsed while rendering (`render::render`), and each template's
/// whole text parsed afterwards, in the same install order.
fn both_readings(dir: &Path) -> (Result<Vec<Document>, String>, Result<Vec<Document>, String>) {
    let chart = Chart::load(dir).unwrap();
    let values = values::layer(&chart, &ValueOptions::default(), &mut std::io::empty()).unwrap();
    let options = options();
    let shown = |e: Error| e.to_string();
    let streamed = render::render(&chart, &values, &options, None)
        .map(|(documents, _)| documents)
        .map_err(shown);
    let whole = render::render_templates(&chart, &values, &options)
        .and_then(|texts| manifest::parse(&texts, None))
        .map(|(mut documents, _)| {
            manifest::sort_by_kind(&mut documents);
            // Hooks last, as `helm template` prints them.
            documents.sort_by_key(|d| {
                d.value()["metadata"]["annotations"]
                    .get("helm.sh/hook")
                    .is_some()
            });
            documents
        })
        .map_err(shown);
    (streamed, whole)
}

#[test]
fn documents_parsed_while_rendering_are_those_of_the_whole_text() {
    let dir = tempfile::tempdir().unwrap();
    jinja_chart(
        dir.path(),
        &[
            ("b.yaml", config_maps("b", 300, None)),
            ("a.yaml", config_maps("a", 300, None)),
            ("c.yaml", config_maps("c", 7, None)),
        ],
    );
    let (streamed, whole) = both_readings(dir.path());
    let streamed = streamed.unwrap();
    assert_eq!(streamed.len(), 607);
    assert_eq!(streamed, whole.unwrap());
    // Template order, then the order each template wrote its documents in.
    let names: Vec<&str> = streamed.iter().map(|d| d.resource.name.as_str()).collect();
    assert_eq!(names[..2], ["a-0", "a-1"]);
    assert_eq!(names[299..302], ["a-299", "b-0", "b-1"]);
    assert_eq!(names[606], "c-6");
}

#[test]
fn the_repository_charts_read_the_same_while_rendering() {
    for chart in ["a4co", "demo", "ecommerce", "fastapi", "myapp", "okla"] {
        let (streamed, whole) = both_readings(&root().join("charts").join(chart));
        assert_eq!(streamed, whole, "{chart}");
        assert!(streamed.is_ok_and(|d| !d.is_empty()), "{chart}");
    }
}

#[test]
fn the_first_bad_document_of_a_large_render_is_the_one_reported() {
    let dir = tempfile::tempdir().unwrap();
    jinja_chart(
        dir.path(),
        &[
            ("a.yaml", config_maps("a", 400, Some(350))),
            ("b.yaml", config_maps("b", 400, Some(20))),
        ],
    );
    let (streamed, whole) = both_readings(dir.path());
    let error = streamed.unwrap_err();
    assert_eq!(error, whole.unwrap_err());
    assert!(error.contains("`big/templates/a.yaml`"), "{error}");
    let chart = dir.path().display().to_string();
    let (code, stdout, stderr) = run(["render", &chart, "--no-validate", "--no-save"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    // Each document is 11 lines; document 350 of a.yaml has its `bad:` line 12th.
    let line: usize = stderr
        .split("a.yaml (rendered):")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|line| line.parse().ok())
        .unwrap_or_else(|| panic!("no rendered line in {stderr}"));
    assert!((350 * 11 + 12..=351 * 11 + 1).contains(&line), "{stderr}");
}

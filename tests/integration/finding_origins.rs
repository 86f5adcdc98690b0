//! Every finding names the template line that wrote its field and the values line (or `--set`
//! flag) its value came from, for a Helm (Go template) chart and a Jinja chart written alike
//! (tests/fixtures/charts/origins-helm, origins-jinja): in render's errors, and in lint's text,
//! JSON and SARIF.

use crate::{fixture, run};

/// Each chart, and the line of `templates/deployment.yaml` that writes `replicas:`.
const CHARTS: [(&str, usize); 2] = [("origins-helm", 8), ("origins-jinja", 9)];

fn production(chart: &str) -> String {
    format!("{}/production.yaml", fixture(chart))
}

#[test]
fn a_bad_value_in_a_values_file_names_that_line_and_the_template_line() {
    for (chart, replicas_line) in CHARTS {
        let path = fixture(chart);
        let (code, stdout, stderr) = run(["render", &path, "-f", &production(chart)]);
        assert_eq!(code, 1, "{chart}: {stderr}");
        assert!(stdout.is_empty(), "{chart}: {stdout}");
        assert!(
            stderr.contains(&format!(
                "= note: template: {path}/templates/deployment.yaml:{replicas_line}\n"
            )),
            "{chart}: {stderr}"
        );
        assert!(
            stderr.contains(&format!(
                "= note: value: {path}/production.yaml:5 (`web.replicas`)\n"
            )),
            "{chart}: {stderr}"
        );
    }
}

#[test]
fn a_value_written_through_include_or_a_macro_points_into_the_helper() {
    for (chart, _) in CHARTS {
        let path = fixture(chart);
        let (code, _, stderr) = run(["render", &path, "-f", &production(chart)]);
        assert_eq!(code, 1, "{chart}: {stderr}");
        // `version: {{ .Values.web.version }}` is line 3 of the helper, included with nindent.
        assert!(
            stderr.contains(&format!(
                "at `/metadata/labels/version`: 1.5 is not of types \"null\", \"string\"\n --> {path}/templates/deployment.yaml (rendered):7:5"
            )),
            "{chart}: {stderr}"
        );
        assert!(
            stderr.contains(&format!(
                "= note: template: {path}/templates/_helpers.tpl:3\n"
            )),
            "{chart}: {stderr}"
        );
        assert!(
            stderr.contains(&format!(
                "= note: value: {path}/production.yaml:6 (`web.version`)\n"
            )),
            "{chart}: {stderr}"
        );
    }
}

#[test]
fn a_bad_value_from_set_names_the_flag() {
    for (chart, replicas_line) in CHARTS {
        let path = fixture(chart);
        let (code, stdout, stderr) = run(["render", &path, "--set", "web.replicas=two"]);
        assert_eq!(code, 1, "{chart}: {stderr}");
        assert!(stdout.is_empty(), "{chart}: {stdout}");
        assert!(
            stderr.contains(&format!(
                "= note: template: {path}/templates/deployment.yaml:{replicas_line}\n  = note: value: --set web.replicas=two (`web.replicas`)\n"
            )),
            "{chart}: {stderr}"
        );
    }
}

#[test]
fn sarif_puts_the_values_line_first_and_the_template_line_beside_it() {
    for (chart, replicas_line) in CHARTS {
        let path = fixture(chart);
        let (code, stdout, stderr) = run(["lint", &path, "-f", &production(chart), "-o", "sarif"]);
        assert_eq!(code, 1, "{chart}: {stderr}");
        let sarif: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        let replicas = results
            .iter()
            .find(|r| r["properties"]["path"] == "/spec/replicas" && r["ruleId"] == "schema")
            .unwrap_or_else(|| panic!("{chart}: no schema result at /spec/replicas: {stdout}"));
        assert_eq!(replicas["level"], "error");
        let primary = &replicas["locations"][0]["physicalLocation"];
        assert_eq!(
            primary["artifactLocation"]["uri"],
            format!("{path}/production.yaml"),
            "{chart}"
        );
        assert_eq!(primary["region"]["startLine"], 5, "{chart}");
        let related = &replicas["relatedLocations"][0]["physicalLocation"];
        assert_eq!(
            related["artifactLocation"]["uri"],
            format!("{path}/templates/deployment.yaml"),
            "{chart}"
        );
        assert_eq!(related["region"]["startLine"], replicas_line, "{chart}");
    }
}

#[test]
fn sarif_points_at_the_template_line_when_the_value_is_a_flag() {
    let path = fixture("origins-helm");
    let (code, stdout, _) = run([
        "lint",
        &path,
        "--set",
        "web.image.tag=latest",
        "-o",
        "sarif",
    ]);
    assert_eq!(code, 0, "{stdout}");
    let sarif: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let image = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "image-tag")
        .unwrap_or_else(|| panic!("no image-tag result: {stdout}"));
    let primary = &image["locations"][0]["physicalLocation"];
    assert_eq!(
        primary["artifactLocation"]["uri"],
        format!("{path}/templates/deployment.yaml")
    );
    assert_eq!(primary["region"]["startLine"], 19);
    assert_eq!(
        image["properties"]["value"]["origin"],
        "--set web.image.tag=latest"
    );
    assert!(image.get("relatedLocations").is_none(), "{image}");
}

#[test]
fn lint_json_carries_path_rendered_template_and_value() {
    let path = fixture("origins-jinja");
    let (code, stdout, stderr) = run([
        "lint",
        &path,
        "-f",
        &production("origins-jinja"),
        "-o",
        "json",
    ]);
    assert_eq!(code, 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let finding = report["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "/spec/replicas" && f["rule"] == "schema")
        .unwrap_or_else(|| panic!("no finding at /spec/replicas: {stdout}"));
    assert_eq!(
        finding["origin"],
        serde_json::json!({
            "rendered": format!("{path}/templates/deployment.yaml (rendered):9"),
            "template": format!("{path}/templates/deployment.yaml:9"),
            "value": {
                "key": "web.replicas",
                "origin": format!("{path}/production.yaml:5"),
                "guessed": false,
            },
        })
    );
}

#[test]
fn lint_text_names_the_template_and_value_under_each_finding() {
    let path = fixture("origins-helm");
    let (code, stdout, stderr) = run(["lint", &path, "--set", "web.image.tag=latest"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!(
            "warning[image-tag] Deployment web (shop/templates/deployment.yaml): container `web` runs `nginx:latest`: `latest` (or no tag) changes under you and cannot be rolled back; pin a version or a digest\n    at `/spec/template/spec/containers/0/image`, {path}/templates/deployment.yaml (rendered):20\n    template: {path}/templates/deployment.yaml:19\n    value: --set web.image.tag=latest (`web.image.tag`)\n"
        )),
        "{stdout}"
    );
}

#[test]
fn a_value_found_by_key_and_value_says_it_is_a_guess() {
    // The Jinja chart writes the image from a loop variable (`c.image.tag`), which names no
    // values path: the value is matched by key and value, and says so.
    let path = fixture("origins-jinja");
    let (code, stdout, stderr) = run(["lint", &path, "--set", "web.image.tag=latest"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!(
            "    template: {path}/templates/deployment.yaml:21\n    value: --set web.image.tag=latest (`web.image.tag`, matched by key and value)\n"
        )),
        "{stdout}"
    );
}

#[test]
fn a_set_value_behind_a_secret_finding_is_never_printed() {
    let path = fixture("origins-helm");
    let (code, stdout, stderr) = run(["render", &path, "--set", "db.rotation=918273645"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("= note: value: --set db.rotation=(hidden) (`db.rotation`)"),
        "{stderr}"
    );
    assert!(!stderr.contains("918273645"), "{stderr}");
}

#[test]
fn okla_findings_land_on_the_production_values_line_not_the_one_line_entry_template() {
    // Every okla manifest comes from the built-in library through a one-line template; the
    // SARIF result must point at the values line that set the field instead.
    let values =
        std::fs::read_to_string(crate::root().join("values/production/okla.yaml")).unwrap();
    let defaults = values.lines().position(|l| l == "defaults:").unwrap();
    let replicas_line = values
        .lines()
        .enumerate()
        .skip(defaults)
        .find(|(_, l)| l.trim_start().starts_with("replicas:"))
        .map(|(i, _)| i + 1)
        .unwrap();
    let (code, stdout, stderr) = run([
        "lint",
        "charts/okla",
        "--env",
        "production",
        "--set",
        "services.gateway.pdb.enabled=false",
        "-o",
        "sarif",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let sarif: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let pdb = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "pdb-missing")
        .unwrap_or_else(|| panic!("no pdb-missing result: {stdout}"));
    let primary = &pdb["locations"][0]["physicalLocation"];
    assert_eq!(
        primary["artifactLocation"]["uri"],
        "values/production/okla.yaml"
    );
    assert_eq!(primary["region"]["startLine"], replicas_line);
    assert_eq!(pdb["properties"]["value"]["key"], "defaults.replicas");
    assert_eq!(pdb["properties"]["value"]["guessed"], true);
}

#[test]
fn a_value_from_a_json_values_file_names_its_line() {
    // JSON values files are read without lines (fast); a finding reads its file again.
    let dir = tempfile::tempdir().unwrap();
    let values = dir.path().join("production.json");
    std::fs::write(
        &values,
        "{\n  \"web\": {\n    \"replicas\": \"two\"\n  }\n}\n",
    )
    .unwrap();
    let values = values.to_str().unwrap();
    let (code, _, stderr) = run(["render", &fixture("origins-helm"), "-f", values]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("= note: value: {values}:3 (`web.replicas`)")),
        "{stderr}"
    );
}

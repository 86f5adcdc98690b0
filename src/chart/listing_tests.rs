//! The templates and CRDs a chart's one walk finds, held to the folder-by-folder listing it
//! replaced: over every chart of the repository, and where the walk does not enter a folder
//! (ignored, a link) so that the folder is listed on its own.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Chart, helmignore, list_files, relative_name};

/// Every folder under the repository holding a Chart.yaml (but build output).
fn repository_charts() -> Vec<PathBuf> {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut charts = Vec::new();
    let mut pending: Vec<PathBuf> = ["charts", "tests", "templates", "bench"]
        .iter()
        .map(|name| top.join(name))
        .collect();
    while let Some(folder) = pending.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        if folder.join("Chart.yaml").is_file() {
            charts.push(folder.clone());
        }
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                pending.push(entry.path());
            }
        }
    }
    charts.sort();
    charts
}

/// The names a chart's folder `name` held, listed on its own as before the one walk.
fn listed_alone(root: &Path, name: &str) -> Vec<String> {
    let ignore = helmignore::load(root);
    let folder = root.join(name);
    list_files(root, &folder, &ignore)
        .unwrap()
        .iter()
        .map(|path| relative_name(&folder, path))
        .collect()
}

/// Checks a loaded chart and every subchart against [`listed_alone`].
fn assert_same_listing(chart: &Chart) {
    let templates: Vec<String> = chart.templates.keys().cloned().collect();
    assert_eq!(
        templates,
        listed_alone(&chart.root, "templates"),
        "{}",
        chart.dir.display()
    );
    let crds: Vec<String> = chart.crds.iter().map(|(name, _)| name.clone()).collect();
    let wanted: Vec<String> = listed_alone(&chart.root, "crds")
        .into_iter()
        .map(|name| format!("crds/{name}"))
        .filter(|name| [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e)))
        .collect();
    assert_eq!(crds, wanted, "{}", chart.dir.display());
    for dependency in &chart.dependencies {
        if dependency.chart.root.starts_with(&chart.root) {
            assert_same_listing(&dependency.chart);
        }
    }
}

#[test]
fn every_repository_chart_loads_the_templates_and_crds_its_folders_list() {
    let mut loaded = 0;
    for dir in repository_charts() {
        if let Ok(chart) = Chart::load(&dir) {
            assert_same_listing(&chart);
            loaded += 1;
        }
    }
    assert!(loaded > 10, "only {loaded} charts loaded");
}

fn chart_with_template(dir: &Path) {
    fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
    )
    .unwrap();
    fs::create_dir_all(dir.join("src/nested")).unwrap();
    fs::write(dir.join("src/nested/cm.yaml"), "kind: ConfigMap\n").unwrap();
    fs::create_dir_all(dir.join("crds")).unwrap();
    fs::write(
        dir.join("crds/crd.yaml"),
        "kind: CustomResourceDefinition\n",
    )
    .unwrap();
}

#[test]
fn templates_load_when_helmignore_names_their_folder() {
    let dir = tempfile::tempdir().unwrap();
    chart_with_template(dir.path());
    fs::rename(dir.path().join("src"), dir.path().join("templates")).unwrap();
    fs::write(dir.path().join(".helmignore"), "templates/\ncrds/\n").unwrap();
    let chart = Chart::load(dir.path()).unwrap();
    assert_eq!(
        chart.templates.keys().collect::<Vec<_>>(),
        ["nested/cm.yaml"]
    );
    assert_eq!(chart.crds.len(), 1);
    assert!(!chart.files.iter().any(|f| f.starts_with("templates/")));
}

#[cfg(unix)]
#[test]
fn templates_load_through_a_linked_templates_folder() {
    let dir = tempfile::tempdir().unwrap();
    chart_with_template(dir.path());
    std::os::unix::fs::symlink(dir.path().join("src"), dir.path().join("templates")).unwrap();
    let chart = Chart::load(dir.path()).unwrap();
    assert_eq!(
        chart.templates.keys().collect::<Vec<_>>(),
        ["nested/cm.yaml"]
    );
    assert!(chart.files.iter().any(|f| f == "src/nested/cm.yaml"));
    assert!(!chart.files.iter().any(|f| f.starts_with("templates/")));
}

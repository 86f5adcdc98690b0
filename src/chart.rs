//! Loading a chart from disk: Chart.yaml, default values, templates and partials, CRDs,
//! subcharts (`chart/subcharts.rs`: under `charts/`, at `file://` paths, or the built-in service
//! library from [`crate::library`]), and the `.helmignore` that hides files from all of them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::gitignore::Gitignore;
use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::SourceSnippet;
use crate::error::Error;
use crate::yaml;

mod helmignore;
mod subcharts;

/// Chart.yaml's fields that bosun acts on. All fields, as written, are kept in [`Chart::fields`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    // Missing required fields read as empty, so that the report says which one is missing
    // (see `check_metadata`) rather than the YAML reader's "missing field".
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub app_version: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, rename = "type")]
    pub chart_type: Option<String>,
    // `dependencies:` with nothing after it (a null) is no dependencies, as Helm reads it.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub dependencies: Vec<DependencySpec>,
    /// The template engine: `jinja` (bosun's own) or `gotpl` (Helm's Go templates).
    #[serde(default)]
    pub engine: Option<String>,
}

/// One entry of Chart.yaml's `dependencies`.
#[derive(Debug, Clone, Deserialize)]
pub struct DependencySpec {
    pub name: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub repository: Option<String>,
    #[serde(default)]
    pub condition: Option<String>,
    #[serde(default)]
    pub alias: Option<String>,
    /// Tags that enable or disable the dependency together (`tags.<name>` in values).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub tags: Vec<String>,
    /// Values copied from the subchart into its parent: a name under the child's `exports`,
    /// or a `{child, parent}` pair of paths.
    #[serde(default, rename = "import-values", deserialize_with = "null_as_empty")]
    pub import_values: Vec<ImportValue>,
}

/// One entry of a dependency's `import-values`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ImportValue {
    /// `- data`: the child's `exports.data` map, merged at the top of the parent's values.
    Export(String),
    /// `- {child: a.b, parent: c}`: the child's `a.b` map, merged at the parent's `c`.
    Path { child: String, parent: String },
}

fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

impl DependencySpec {
    /// The key of the subchart's section in its parent's values.
    pub fn values_key(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }
}

/// A template file, by its name relative to `templates/`.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Path on disk, for error reports.
    pub path: PathBuf,
    pub source: Arc<str>,
}

/// A loaded subchart and the Chart.yaml entry that named it.
#[derive(Debug, Clone)]
pub struct Dependency {
    pub spec: DependencySpec,
    pub chart: Chart,
}

/// A chart, read whole into memory (but for `files`, read on demand).
#[derive(Debug, Clone)]
pub struct Chart {
    /// The folder as the user named it (relative paths stay relative in reports).
    pub dir: PathBuf,
    /// The folder, canonical: `files` may not read outside it.
    pub root: PathBuf,
    pub metadata: Metadata,
    /// Every field of Chart.yaml as written, for the `chart` template variable.
    pub fields: Value,
    /// values.yaml, parsed with lines, if the chart has one.
    pub values: Option<yaml::Located>,
    /// Templates and partials, keyed by their path under `templates/` (`deployment.yaml`).
    pub templates: BTreeMap<String, TemplateFile>,
    /// CRD files under `crds/`: (path under the chart, text). Shared, so that the schema
    /// catalog can keep them to read should a document need them (`validate::catalog`).
    pub crds: Vec<(String, Arc<String>)>,
    pub dependencies: Vec<Dependency>,
    /// Dependencies Chart.yaml names that are neither under `charts/` nor at their `file://`
    /// path: an error at render time if they are enabled.
    pub missing: Vec<DependencySpec>,
    /// The temporary folder a chart read from a `.tgz` archive was unpacked into.
    pub unpacked: Option<Arc<tempfile::TempDir>>,
    /// The chart's `.helmignore`, applied to templates, CRDs and `files`.
    pub ignore: Arc<Gitignore>,
    /// Every file of the chart not ignored, relative to its folder with `/` separators: what
    /// the `files` template variable sees. Listed once, at load, so an unreadable folder fails
    /// the load instead of hiding files from templates.
    pub files: Arc<Vec<String>>,
}

/// How deep `file://` dependencies may nest before bosun suspects a cycle.
const MAX_DEPENDENCY_DEPTH: usize = 16;

impl Chart {
    /// Loads the chart in `dir` with its dependencies.
    pub fn load(dir: &Path) -> Result<Chart, Error> {
        load(dir, &mut Vec::new())
    }

    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    pub fn is_library(&self) -> bool {
        self.metadata.chart_type.as_deref() == Some("library")
    }

    /// True for templates that render to documents (not partials, not NOTES.txt).
    pub fn is_rendered(name: &str) -> bool {
        let file = name.rsplit('/').next().unwrap_or(name);
        !file.starts_with('_') && (file.ends_with(".yaml") || file.ends_with(".yml"))
    }

    /// `chart/templates/x.yaml`: what `# Source:` lines and `template.name` show.
    pub fn source_name(&self, prefix: &str, template: &str) -> String {
        format!("{prefix}{}/templates/{template}", self.name())
    }
}

fn chart_error(dir: &Path, reason: impl Into<String>) -> Error {
    Error::Chart {
        path: dir.to_path_buf(),
        reason: reason.into(),
        snippet: None,
    }
}

fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        ),
    })
}

fn load(dir: &Path, stack: &mut Vec<PathBuf>) -> Result<Chart, Error> {
    let root = dir.canonicalize().map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    if !root.is_dir() {
        return Err(chart_error(dir, "not a folder"));
    }
    if stack.contains(&root) || stack.len() > MAX_DEPENDENCY_DEPTH {
        return Err(chart_error(dir, "dependencies form a cycle"));
    }
    let chart_yaml = dir.join("Chart.yaml");
    if !chart_yaml.is_file() {
        return Err(chart_error(dir, "it has no Chart.yaml"));
    }
    let chart_yaml_name = chart_yaml.display().to_string();
    let text = read_text(&chart_yaml)?;
    let (metadata, fields) = read_chart_yaml(&chart_yaml_name, &text)?;
    check_metadata(dir, &chart_yaml_name, &text, &metadata)?;

    let ignore = helmignore::load(&root);
    // values.yaml (most charts' largest file, read with every line's place) is parsed on one
    // core while the other reads the templates and loads the subcharts. Its error still comes
    // first, as when the load went one step after the other.
    let (values, contents) = rayon::join(
        || read_values(dir),
        || read_contents(dir, &root, &metadata, &ignore, stack),
    );
    let values = values?;
    let (templates, crds, found, files) = contents?;

    Ok(Chart {
        dir: dir.to_path_buf(),
        root,
        metadata,
        fields,
        values,
        templates,
        crds,
        dependencies: found.dependencies,
        missing: found.missing,
        unpacked: None,
        ignore,
        files: Arc::new(files),
    })
}

/// values.yaml, parsed with lines, if the chart has one.
fn read_values(dir: &Path) -> Result<Option<yaml::Located>, Error> {
    let values_path = dir.join("values.yaml");
    if !values_path.is_file() {
        return Ok(None);
    }
    let text = read_text(&values_path)?;
    Ok(Some(yaml::parse_located(
        &values_path.display().to_string(),
        &text,
    )?))
}

/// What a chart holds besides its values: templates, CRDs, subcharts and the list of its
/// files, read in that order (the first that fails is the error).
type Contents = (
    BTreeMap<String, TemplateFile>,
    Vec<(String, Arc<String>)>,
    subcharts::Found,
    Vec<String>,
);

fn read_contents(
    dir: &Path,
    root: &Path,
    metadata: &Metadata,
    ignore: &Gitignore,
    stack: &mut Vec<PathBuf>,
) -> Result<Contents, Error> {
    // One walk of the whole chart lists its templates and CRDs as well as its files. A folder
    // the walk did not enter as it is (missing, ignored, a link) is listed on its own, as is
    // every folder when the walk failed: its error comes after theirs, as it always did.
    let walk = list_files(root, root, ignore);
    let walked = |name: &str| {
        walk.as_ref()
            .ok()
            .filter(|_| walked_into(root, name, ignore))
            .map(Vec::as_slice)
    };
    // The subcharts load on another core while the templates are read.
    let ((templates, crds), found) = rayon::join(
        || {
            (
                read_templates(dir, root, ignore, walked("templates")),
                read_crds(dir, root, ignore, walked("crds")),
            )
        },
        || {
            stack.push(root.to_path_buf());
            let found = subcharts::load_dependencies(
                dir,
                root,
                &metadata.name,
                &metadata.dependencies,
                ignore,
                stack,
            );
            stack.pop();
            found
        },
    );
    let (templates, crds, found) = (templates?, crds?, found?);
    let files = walk?.iter().map(|path| relative_name(root, path)).collect();
    Ok((templates, crds, found, files))
}

/// Chart.yaml's fields bosun acts on and all of them. Read once, as plain values, when every
/// field bosun acts on has the type it expects there (a chart's Chart.yaml nearly always);
/// otherwise read again as typed fields, whose reader says which line is wrong.
fn read_chart_yaml(path: &str, text: &str) -> Result<(Metadata, Value), Error> {
    if let Ok(fields) = yaml::parse_value(text)
        && let Ok(metadata) = Metadata::deserialize(&fields)
    {
        return Ok((metadata, fields));
    }
    let metadata: Metadata = yaml::parse_typed(path, text)?;
    let fields = yaml::parse_value(text).map_err(|e| e.into_error(path, text))?;
    Ok((metadata, fields))
}

fn check_metadata(dir: &Path, path: &str, text: &str, metadata: &Metadata) -> Result<(), Error> {
    let point = |key: &str, reason: String| {
        let line = text
            .lines()
            .position(|l| l.starts_with(&format!("{key}:")))
            .map_or(1, |i| i + 1);
        Error::Chart {
            path: dir.to_path_buf(),
            reason: reason.clone(),
            snippet: Some(Box::new(SourceSnippet::new(
                path,
                text,
                line,
                1,
                key.len(),
                reason,
            ))),
        }
    };
    for (key, value, example) in [
        ("apiVersion", &metadata.api_version, "apiVersion: v2"),
        ("name", &metadata.name, "name: <the chart's name>"),
        ("version", &metadata.version, "version: 0.1.0"),
    ] {
        if value.is_empty() && !text.lines().any(|l| l.starts_with(&format!("{key}:"))) {
            return Err(Error::Chart {
                path: dir.to_path_buf(),
                reason: format!("Chart.yaml has no `{key}`"),
                snippet: Some(Box::new(SourceSnippet::new(
                    path,
                    text,
                    1,
                    1,
                    1,
                    format!("add `{example}` to this mapping"),
                ))),
            });
        }
    }
    if !matches!(metadata.api_version.as_str(), "v1" | "v2") {
        return Err(point(
            "apiVersion",
            format!("apiVersion `{}` is not v2", metadata.api_version),
        ));
    }
    if metadata.name.is_empty() || metadata.name.contains(['/', '\\']) {
        return Err(point("name", "name must be a plain, non-empty name".into()));
    }
    if let Some(engine) = &metadata.engine
        && engine != "jinja"
        && engine != "gotpl"
    {
        return Err(point(
            "engine",
            format!(
                "engine `{engine}` is not `jinja` (bosun's templates) or `gotpl` (Helm's Go templates)"
            ),
        ));
    }
    if semver::Version::parse(&metadata.version).is_err() {
        return Err(point(
            "version",
            format!(
                "version `{}` is not SemVer 2 (such as 1.2.3)",
                metadata.version
            ),
        ));
    }
    if let Some(kind) = &metadata.chart_type
        && kind != "application"
        && kind != "library"
    {
        return Err(point(
            "type",
            format!("type `{kind}` is neither `application` nor `library`"),
        ));
    }
    Ok(())
}

/// Lists the regular files under `folder` (relative to `root`), sorted, skipping ignored ones.
/// Symlinks are not followed: a chart cannot pull in files from elsewhere by linking them. A
/// missing `folder` holds no files; a folder that exists but cannot be read is an error, never
/// a silently smaller chart.
pub fn list_files(root: &Path, folder: &Path, ignore: &Gitignore) -> Result<Vec<PathBuf>, Error> {
    let unreadable = |path: &Path, source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) if current == folder && e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(unreadable(&current, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| unreadable(&current, e))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|e| unreadable(&path, e))?;
            let relative = path.strip_prefix(root).unwrap_or(&path);
            if ignore.matched(relative, kind.is_dir()).is_ignore() {
                continue;
            }
            if kind.is_dir() {
                // bosun's own state folder is never part of a chart.
                if entry.file_name() != crate::state::DEFAULT_DIR {
                    pending.push(path);
                }
            } else if kind.is_file() {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Whether a walk of `root` ([`list_files`]) went into its folder `name`: a folder (not a link
/// to one), not ignored, so that the walk's files under it are the ones a listing of it finds.
fn walked_into(root: &Path, name: &str, ignore: &Gitignore) -> bool {
    fs::symlink_metadata(root.join(name)).is_ok_and(|meta| meta.is_dir())
        && !ignore.matched(name, true).is_ignore()
}

/// The files under `folder`: those of a walk of the chart under it, or listed now.
fn files_under(
    root: &Path,
    folder: &Path,
    ignore: &Gitignore,
    walked: Option<&[PathBuf]>,
) -> Result<Vec<PathBuf>, Error> {
    match walked {
        Some(all) => Ok(all
            .iter()
            .filter(|path| path.starts_with(folder))
            .cloned()
            .collect()),
        None => list_files(root, folder, ignore),
    }
}

fn relative_name(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_templates(
    dir: &Path,
    root: &Path,
    ignore: &Gitignore,
    walked: Option<&[PathBuf]>,
) -> Result<BTreeMap<String, TemplateFile>, Error> {
    let folder = root.join("templates");
    let mut templates = BTreeMap::new();
    for path in files_under(root, &folder, ignore, walked)? {
        let name = relative_name(&folder, &path);
        let shown = dir.join("templates").join(&name);
        let source = read_text(&path).map_err(|e| match e {
            Error::Read { source, .. } => Error::Read {
                path: shown.clone(),
                source,
            },
            other => other,
        })?;
        templates.insert(
            name,
            TemplateFile {
                path: shown,
                source: source.into(),
            },
        );
    }
    Ok(templates)
}

fn read_crds(
    dir: &Path,
    root: &Path,
    ignore: &Gitignore,
    walked: Option<&[PathBuf]>,
) -> Result<Vec<(String, Arc<String>)>, Error> {
    let folder = root.join("crds");
    let mut crds = Vec::new();
    for path in files_under(root, &folder, ignore, walked)? {
        let name = relative_name(root, &path);
        if name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json") {
            let text = read_text(&path).map_err(|e| match e {
                Error::Read { source, .. } => Error::Read {
                    path: dir.join(&name),
                    source,
                },
                other => other,
            })?;
            crds.push((name, Arc::new(text)));
        }
    }
    Ok(crds)
}

#[cfg(test)]
#[path = "chart/listing_tests.rs"]
mod listing_tests;

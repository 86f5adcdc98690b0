//! The schema catalog a run validates against: the bundled schemas for the target Kubernetes
//! version, the CRDs of the chart and of `--crd` files, and `--schema-location` folders. A CRD
//! whose schema does not compile is an error naming its file and line: a `--crd` file's found
//! here, a chart's when a document first needs the chart's CRDs ([`catalog`]).

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::chart::Chart;
use crate::error::Error;
use crate::kube_version::KubeVersion;
use crate::manifest;
use crate::validate::chart_crds::ChartCrds;
use crate::validate::crd;
use crate::validate::schema::{self, Catalog, CrdKey, CrdSchema};
use crate::yaml;

/// Where custom resource schemas come from, and how a kind without one is treated.
#[derive(Debug, Clone, Default)]
pub struct SchemaSources {
    /// Files of CustomResourceDefinitions (`--crd`).
    pub crds: Vec<PathBuf>,
    /// Folders of JSON schemas (`--schema-location`).
    pub locations: Vec<PathBuf>,
    /// A kind with no schema is an error, not skipped (`--require-schemas`).
    pub require_schemas: bool,
}

/// `--kube-version`, or the newest version whose schemas are bundled.
pub fn kube_version(given: Option<&str>) -> Result<KubeVersion, Error> {
    match given {
        Some(text) => KubeVersion::parse(text),
        None => Ok(schema::newest_version()),
    }
}

/// The schemas of one CustomResourceDefinition read from a file, or why they could not be
/// made: what the catalog keeps of a CRD document, which is megabytes of parsed YAML when
/// its descriptions are long.
#[derive(Debug)]
pub struct CrdSchemas {
    /// The file, as shown in messages.
    file: String,
    /// The CRD's `metadata.name`.
    name: String,
    /// `apiVersion/Kind` and schema, one per served version ([`crd::from_crd`]).
    schemas: Result<Vec<(String, serde_json::Value)>, String>,
}

/// The CRDs among the documents of the file `file`; the other documents are dropped.
fn crd_schemas(file: &str, documents: Vec<serde_json::Value>) -> Vec<CrdSchemas> {
    documents
        .into_iter()
        .filter(|document| document["kind"] == "CustomResourceDefinition")
        .map(|document| CrdSchemas {
            file: file.to_string(),
            name: document["metadata"]["name"]
                .as_str()
                .unwrap_or("?")
                .to_string(),
            schemas: crd::from_crd(&document),
        })
        .collect()
}

/// The schemas of the CRDs in the file `shown`, whose text is `text`: an error when it is not
/// YAML, or when a CRD of it has no schema that can be made.
pub fn read_crd_file(shown: &str, text: &str) -> Result<Vec<CrdSchema>, Error> {
    let documents = yaml::parse_stream(text).map_err(|e| e.into_error(shown, text))?;
    read_schemas(crd_schemas(shown, documents))
}

/// The CRD files of a chart and its subcharts, in the order they are read: (shown path, text).
pub type ChartCrdFiles = Vec<(String, Arc<String>)>;

/// The CRD files in a chart's crds/ folder and its subcharts', for [`catalog`] to read when a
/// document needs them.
pub fn chart_crds(chart: &Chart) -> ChartCrdFiles {
    let mut files = Vec::new();
    crd_files(chart, &mut files);
    files
}

fn crd_files(chart: &Chart, files: &mut ChartCrdFiles) {
    for (name, text) in &chart.crds {
        files.push((chart.dir.join(name).display().to_string(), Arc::clone(text)));
    }
    for dependency in &chart.dependencies {
        crd_files(&dependency.chart, files);
    }
}

/// The schemas for `version`: bundled, from `--crd` files, from the chart's CRDs (`chart_crds`)
/// and from `--schema-location`.
///
/// `--crd` files are read here, and a CRD of theirs whose schema does not compile is an error
/// even when no document is of its kind: the user named them. The chart's CRD files are read
/// only as documents need them (`chart_crds`); [`check_chart_crds`] reports, after the render,
/// a file read that is not YAML or a schema read that does not compile.
pub fn catalog(
    version: KubeVersion,
    sources: &SchemaSources,
    chart_crds: ChartCrdFiles,
) -> Result<Catalog, Error> {
    let mut catalog = Catalog::new(version)?;
    let mut from_files = Vec::new();
    for file in &sources.crds {
        let text = std::fs::read_to_string(file).map_err(|source| Error::Read {
            path: file.clone(),
            source,
        })?;
        let shown = file.display().to_string();
        let found = yaml::parse_stream(&text).map_err(|e| e.into_error(&shown, &text))?;
        from_files.extend(crd_schemas(&shown, found));
    }
    let mut added = Vec::new();
    for crd in read_schemas(from_files)? {
        catalog.add_custom(&crd.key, crd.schema, format!("CRD {}", crd.name));
        added.push(CrdKey {
            key: crd.key,
            file: crd.file,
            name: crd.name,
        });
    }
    first_broken(&catalog, &added)?;
    catalog.set_chart_crds(ChartCrds::new(chart_crds));
    for dir in &sources.locations {
        catalog.add_schema_location(dir.clone());
    }
    Ok(catalog)
}

/// The chart's CRDs, if a document made `catalog` read them: an error naming the file and line
/// when one did not read, or when a schema of theirs does not compile.
pub fn check_chart_crds(catalog: &Catalog) -> Result<(), Error> {
    let read = catalog.chart_crds_read()?;
    first_broken(catalog, &read)
}

/// The schemas of `crds`, one per kind and served version, or an error for the first CRD that
/// has none that can be made.
fn read_schemas(crds: Vec<CrdSchemas>) -> Result<Vec<CrdSchema>, Error> {
    let mut out = Vec::new();
    for CrdSchemas {
        file,
        name,
        schemas,
    } in crds
    {
        let schemas = schemas.map_err(|reason| Error::BadSchema {
            path: file.clone(),
            reason: format!("CRD `{name}`: {reason}"),
        })?;
        for (key, schema) in schemas {
            out.push(CrdSchema {
                key,
                schema,
                file: file.clone(),
                name: name.clone(),
            });
        }
    }
    Ok(out)
}

/// The first of `keys` (in their order) whose schema in `catalog` does not compile, as an error
/// naming the CRD's file and line. The schemas compile on every core.
fn first_broken(catalog: &Catalog, keys: &[CrdKey]) -> Result<(), Error> {
    let broken = keys
        .par_iter()
        .find_map_first(|CrdKey { key, file, name }| {
            let (api_version, kind) = key.rsplit_once('/')?;
            match catalog.lookup(api_version, kind) {
                schema::Lookup::Broken(broken) => {
                    let version = api_version.rsplit('/').next().unwrap_or(api_version);
                    let path = match crd_line(file, name, version, &broken.pointer) {
                        Some(line) => format!("{file}:{line}"),
                        None => file.to_string(),
                    };
                    Some(Error::BadSchema {
                        path,
                        reason: format!("CRD `{name}`, {api_version} {kind}: {}", broken.reason),
                    })
                }
                _ => None,
            }
        });
    match broken {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// The line of `file` where CRD `name`'s schema for `version` has `pointer` (a JSON pointer into
/// its `openAPIV3Schema`), or the nearest line found. Read again from the file, as only a broken
/// schema needs it.
fn crd_line(file: &str, name: &str, version: &str, pointer: &str) -> Option<usize> {
    let text = std::fs::read_to_string(file).ok()?;
    manifest::split(&text)
        .into_iter()
        .find_map(|(first_line, part)| {
            let crd = yaml::parse_value(part).ok()?;
            if crd["kind"] != "CustomResourceDefinition" || crd["metadata"]["name"] != name {
                return None;
            }
            let index = crd["spec"]["versions"]
                .as_array()?
                .iter()
                .position(|v| v["name"] == version)?;
            let pointer = format!("/spec/versions/{index}/schema/openAPIV3Schema{pointer}");
            let (line, _) = yaml::locate(part, &pointer)?;
            Some(first_line + line - 1)
        })
}

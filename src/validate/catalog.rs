//! The schema catalog a run validates against: the bundled schemas for the target Kubernetes
//! version, the CRDs of the chart and of `--crd` files, and `--schema-location` folders. A CRD
//! whose schema does not compile is an error naming its file and line, found here rather than
//! when a document of its kind turns up (or never, when none does).

use std::path::PathBuf;

use rayon::prelude::*;

use crate::chart::Chart;
use crate::error::Error;
use crate::kube_version::KubeVersion;
use crate::manifest;
use crate::validate::crd;
use crate::validate::schema::{self, Catalog};
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

/// The CRDs of CRD files given as (shown path, text).
fn parse_crd_files(files: &[(String, impl AsRef<str> + Sync)]) -> Result<Vec<CrdSchemas>, Error> {
    // A CRD file is often a megabyte of YAML (kuberay's three are 3 MB): the files are parsed,
    // and their schemas made, on two threads, and the first error in file order is the one
    // reported. The parsed documents are dropped there too. Not on rayon's threads: a render
    // running on one of them waits for this work, so this work must never wait for them (a
    // rayon job it waited for could sit on the waiting thread's own stack).
    let parse = |(shown, text): &(String, _)| -> Result<Vec<CrdSchemas>, Error> {
        let text: &str = AsRef::<str>::as_ref(text);
        let documents = yaml::parse_stream(text).map_err(|e| e.into_error(shown, text))?;
        Ok(crd_schemas(shown, documents))
    };
    let (first, second) = files.split_at(files.len() / 2);
    let parsed: Vec<Result<Vec<CrdSchemas>, Error>> = std::thread::scope(|scope| {
        let other = (!first.is_empty())
            .then(|| scope.spawn(|| first.iter().map(parse).collect::<Vec<_>>()));
        let rest: Vec<_> = second.iter().map(parse).collect();
        let mut parsed = match other {
            Some(other) => other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => Vec::new(),
        };
        parsed.extend(rest);
        parsed
    });
    let mut out = Vec::new();
    for schemas in parsed {
        out.extend(schemas?);
    }
    Ok(out)
}

/// The CRDs in a chart's crds/ folder (and its subcharts'), as their schemas with the file
/// each came from, read on other threads: the caller joins the handle when it needs them.
/// `None` when there are none: no thread is started for nothing.
pub fn chart_crds(
    chart: &Chart,
) -> Option<std::thread::JoinHandle<Result<Vec<CrdSchemas>, Error>>> {
    let mut files = Vec::new();
    crd_files(chart, &mut files);
    if files.is_empty() {
        return None;
    }
    let files: Vec<(String, String)> = files
        .into_iter()
        .map(|(shown, text)| (shown, text.to_string()))
        .collect();
    Some(std::thread::spawn(move || parse_crd_files(&files)))
}

/// The CRD files of `chart` and its subcharts, in the order they are read: (shown path, text).
fn crd_files<'a>(chart: &'a Chart, files: &mut Vec<(String, &'a str)>) {
    for (name, text) in &chart.crds {
        files.push((chart.dir.join(name).display().to_string(), text.as_str()));
    }
    for dependency in &chart.dependencies {
        crd_files(&dependency.chart, files);
    }
}

/// The schemas for `version`: bundled, from `crds` and `--crd` files, and `--schema-location`.
pub fn catalog(
    version: KubeVersion,
    sources: &SchemaSources,
    crds: Vec<CrdSchemas>,
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
    for CrdSchemas {
        file,
        name,
        schemas,
    } in crds.into_iter().chain(from_files)
    {
        let schemas = schemas.map_err(|reason| Error::BadSchema {
            path: file.clone(),
            reason: format!("CRD `{name}`: {reason}"),
        })?;
        for (key, schema) in schemas {
            catalog.add_custom(&key, schema, format!("CRD {name}"));
            added.push((key, file.clone(), name.clone()));
        }
    }
    let broken = added.par_iter().find_map_first(|(key, file, name)| {
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
    if let Some(error) = broken {
        return Err(error);
    }
    for dir in &sources.locations {
        catalog.add_schema_location(dir.clone());
    }
    Ok(catalog)
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

#[cfg(test)]
#[path = "catalog_tests.rs"]
mod tests;

//! Publishing: `bosun package` writes a chart folder as the archive Helm writes, `bosun push`
//! puts an archive into an OCI registry as `helm push` does, readable by Helm.

use std::path::{Path, PathBuf};

use super::http::Http;
use super::{Error, Options, archive, oci};

/// `bosun package`: the chart as `NAME-VERSION.tgz` in `dest`. Returns the archive's path.
pub fn package(chart_dir: &Path, dest: &Path) -> Result<PathBuf, crate::error::Error> {
    let chart = crate::chart::Chart::load(chart_dir)?;
    let data = archive::pack(&chart.root, chart.name(), &chart.files)?;
    let path = dest.join(format!("{}-{}.tgz", chart.name(), chart.metadata.version));
    std::fs::write(&path, data).map_err(|source| crate::error::Error::Write {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// `bosun push`: the archive to `oci://HOST/PATH` as `PATH/NAME:VERSION`. Returns the
/// reference and the manifest digest.
pub fn push(
    archive_path: &Path,
    reference: &str,
    options: &Options,
) -> Result<(String, String), crate::error::Error> {
    let data = std::fs::read(archive_path).map_err(|source| crate::error::Error::Read {
        path: archive_path.to_path_buf(),
        source,
    })?;
    let label = archive_path.display().to_string();
    let (top, entries) = archive::read(&label, &data)?;
    let chart_yaml = entries
        .iter()
        .find(|e| e.path == Path::new("Chart.yaml"))
        .ok_or_else(|| Error::Archive {
            archive: label.clone(),
            entry: format!("{top}/Chart.yaml"),
            reason: "the archive holds no Chart.yaml".into(),
        })?;
    let text = String::from_utf8_lossy(&chart_yaml.data);
    let shown_name = format!("{label}:{top}/Chart.yaml");
    let fields = crate::yaml::parse_value(&text).map_err(|e| e.into_error(&shown_name, &text))?;
    let field = |key: &str| {
        fields
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let (name, version) = (field("name"), field("version"));
    if name.is_empty() || version.is_empty() {
        return Err(Error::Archive {
            archive: label,
            entry: format!("{top}/Chart.yaml"),
            reason: "it has no name or version".into(),
        }
        .into());
    }
    let config = serde_json::to_vec(&fields).unwrap_or_default();
    let http = Http::new();
    let registry = oci::Registry::new(
        &http,
        reference,
        options.plain_http,
        options.credentials.clone(),
    )?;
    let digest = registry.push(&name, &version, &config, &data)?;
    Ok((
        format!(
            "{}/{name}:{}",
            reference.trim_end_matches('/'),
            oci::tag(&version)
        ),
        digest,
    ))
}

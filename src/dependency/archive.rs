//! Chart archives (`.tgz`) are untrusted input. Reading one refuses absolute paths, `..`,
//! links, device files, entries over [`MAX_FILE`] and archives that decompress past
//! [`MAX_TOTAL`], naming the entry; writing one is `bosun package`.

use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use flate2::read::GzDecoder;

use super::Error;

/// The largest file a chart archive may hold (Helm's default `--max-file-size`).
pub const MAX_FILE: u64 = 5 * 1024 * 1024;
/// The most a chart archive may decompress to (Helm's default `--max-chart-size`).
pub const MAX_TOTAL: u64 = 100 * 1024 * 1024;

/// One regular file of an archive, its path with the top folder (the chart's name) removed.
pub struct Entry {
    pub path: PathBuf,
    pub data: Vec<u8>,
}

/// Counts what the decompressor hands out, failing past [`MAX_TOTAL`].
struct Bounded<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > MAX_TOTAL {
            return Err(io::Error::other("bomb"));
        }
        Ok(n)
    }
}

/// Reads every file of the archive `name` (for messages) into memory, checking each entry.
/// The top folder of every entry must be the same (`mychart/...`); it is returned first.
pub fn read(name: &str, bytes: &[u8]) -> Result<(String, Vec<Entry>), Error> {
    let refuse = |entry: &str, reason: &str| Error::Archive {
        archive: name.to_string(),
        entry: entry.to_string(),
        reason: reason.to_string(),
    };
    let bomb = || {
        refuse(
            "(the whole archive)",
            &format!(
                "it decompresses to more than {} MiB, a decompression bomb",
                MAX_TOTAL >> 20
            ),
        )
    };
    let mut archive = tar::Archive::new(Bounded {
        inner: GzDecoder::new(bytes),
        read: 0,
    });
    let broken = |e: io::Error| {
        if e.to_string().contains("bomb") {
            bomb()
        } else {
            refuse("(the whole archive)", &format!("not a gzipped tar: {e}"))
        }
    };
    let mut top: Option<String> = None;
    let mut out = Vec::new();
    for entry in archive.entries().map_err(broken)? {
        let mut entry = entry.map_err(broken)?;
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let kind = entry.header().entry_type();
        use tar::EntryType as T;
        match kind {
            T::Regular | T::Continuous | T::Directory => {}
            T::XGlobalHeader | T::XHeader => continue,
            T::Symlink | T::Link => return Err(refuse(&raw, "it is a link")),
            T::Char | T::Block => return Err(refuse(&raw, "it is a device file")),
            T::Fifo => return Err(refuse(&raw, "it is a named pipe")),
            _ => return Err(refuse(&raw, "it is not a regular file or folder")),
        }
        let path = Path::new(&raw);
        let mut parts = Vec::new();
        for component in path.components() {
            match component {
                Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
                Component::CurDir => {}
                Component::RootDir | Component::Prefix(_) => {
                    return Err(refuse(&raw, "its path is absolute"));
                }
                Component::ParentDir => return Err(refuse(&raw, "its path climbs out with `..`")),
            }
        }
        let Some(first) = parts.first().cloned() else {
            continue;
        };
        match &top {
            None => top = Some(first),
            Some(t) if *t != first => {
                return Err(refuse(
                    &raw,
                    &format!("it lies outside the chart's folder `{t}/`"),
                ));
            }
            Some(_) => {}
        }
        if kind == T::Directory || parts.len() == 1 {
            continue;
        }
        let size = entry.header().size().map_err(broken)?;
        if size > MAX_FILE {
            return Err(refuse(
                &raw,
                &format!(
                    "it is {} bytes, over the {} MiB a chart file may hold",
                    size,
                    MAX_FILE >> 20
                ),
            ));
        }
        let mut data = Vec::with_capacity(size as usize);
        (&mut entry)
            .take(MAX_FILE + 1)
            .read_to_end(&mut data)
            .map_err(broken)?;
        if data.len() as u64 > MAX_FILE {
            return Err(refuse(&raw, "it is larger than its header says"));
        }
        out.push(Entry {
            path: parts[1..].iter().collect(),
            data,
        });
    }
    // Drain what follows the last entry, so padding cannot hide a bomb either.
    let mut rest = archive.into_inner();
    io::copy(&mut rest, &mut io::sink()).map_err(broken)?;
    let top = top.ok_or_else(|| refuse("(the whole archive)", "it holds no chart"))?;
    Ok((top, out))
}

/// Writes `entries` under `dest` (a new, empty folder).
pub fn write_into(dest: &Path, entries: &[Entry]) -> Result<(), crate::error::Error> {
    for entry in entries {
        let path = dest.join(&entry.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| crate::error::Error::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, &entry.data)
            .map_err(|source| crate::error::Error::Write { path, source })?;
    }
    Ok(())
}

/// A gzipped tar of `files` (paths relative to `dir`) under the top folder `top`, as Helm
/// packages a chart.
pub fn pack(dir: &Path, top: &str, files: &[String]) -> Result<Vec<u8>, crate::error::Error> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut builder = tar::Builder::new(gz);
    let mtime = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let failed = |source: io::Error| crate::error::Error::Write {
        path: dir.to_path_buf(),
        source,
    };
    for file in files {
        let path = dir.join(file);
        let data = std::fs::read(&path).map_err(|source| crate::error::Error::Read {
            path: path.clone(),
            source,
        })?;
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(mtime);
        header.set_entry_type(tar::EntryType::Regular);
        builder
            .append_data(&mut header, format!("{top}/{file}"), data.as_slice())
            .map_err(failed)?;
    }
    let gz = builder.into_inner().map_err(failed)?;
    gz.finish().map_err(failed)
}

//! What `bosun validate` reads: files, folders walked for `.yaml`, `.yml` and `.json` files
//! (as a chart's files are listed), or standard input, once.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// Each input's shown name and text; `-` (or no input at all) is standard input, read by
/// `read_stdin`, which may be named once.
pub fn read(
    inputs: &[PathBuf],
    read_stdin: impl Fn() -> Result<String, Error>,
) -> Result<Vec<(String, String)>, Error> {
    let inputs = if inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        inputs.to_vec()
    };
    let stdin_inputs = inputs.iter().filter(|i| i.as_os_str() == "-").count();
    if stdin_inputs > 1 {
        return Err(Error::Read {
            path: "<stdin>".into(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "`-` is given {stdin_inputs} times, but standard input can be read only once"
                ),
            ),
        });
    }
    let mut files: Vec<(String, String)> = Vec::new();
    for input in &inputs {
        if input.as_os_str() == "-" {
            files.push(("<stdin>".into(), read_stdin()?));
        } else if input.is_dir() {
            let ignore = ignore::gitignore::Gitignore::empty();
            for path in crate::chart::list_files(input, input, &ignore)? {
                if path
                    .extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
                {
                    files.push((path.display().to_string(), read_file(&path)?));
                }
            }
        } else {
            files.push((input.display().to_string(), read_file(input)?));
        }
    }
    Ok(files)
}

fn read_file(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })
}

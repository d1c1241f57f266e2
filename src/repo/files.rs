//! Reading a document from the working tree or from where the user names it.

use std::path::Path;

use crate::error::{Error, Result, io_at};

/// Content above this size is refused: a design document this large is a mistake.
pub const MAX_CONTENT_BYTES: u64 = 512 * 1024 * 1024;

/// The git blob id a working file would have, if it can be read.
pub fn working_blob(path: &Path) -> Option<git2::Oid> {
    git2::Oid::hash_file(git2::ObjectType::Blob, path).ok()
}

/// Reads a content file, refusing what is missing, a folder, or too large.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    let metadata = std::fs::metadata(path).map_err(|err| {
        if err.kind() == std::io::ErrorKind::NotFound {
            Error::refused(
                format!("{} does not exist", path.display()),
                "check the path; it is relative to where you run baseline",
            )
        } else {
            io_at(path)(err)
        }
    })?;
    if !metadata.is_file() {
        return Err(Error::refused(
            format!("{} is not a file", path.display()),
            "name the document file itself",
        ));
    }
    if metadata.len() > MAX_CONTENT_BYTES {
        return Err(Error::refused(
            format!(
                "{} is {} bytes, over the {} byte limit for an artefact",
                path.display(),
                metadata.len(),
                MAX_CONTENT_BYTES
            ),
            "split the document, or keep large attachments outside the design repository",
        ));
    }
    std::fs::read(path).map_err(io_at(path))
}

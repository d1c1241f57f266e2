//! Reading a document from the working tree or from where the user names it, and
//! storing it in git's object store as it is read.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::Repo;
use crate::error::{Error, Result, io_at};

/// Content above this size is refused: a design document this large is a mistake.
pub const MAX_CONTENT_BYTES: u64 = 512 * 1024 * 1024;

/// How much of a document is held in memory at once while it is stored.
const CHUNK_BYTES: usize = 1024 * 1024;

/// The git blob id a working file (`relative` to the repository's `root`)
/// would have, if it can be read as one of the repository's files.
pub fn working_blob(root: &Path, relative: &str) -> Option<git2::Oid> {
    refuse_links(root, relative).ok()?;
    git2::Oid::hash_file(git2::ObjectType::Blob, root.join(relative)).ok()
}

/// Refuses a path of the repository (`relative` to its `root`) that passes
/// through a symbolic link or is a special file (a FIFO, socket or device):
/// reading or writing it could reach outside the repository, or never end.
/// A path that does not exist yet is no danger.
pub fn refuse_links(root: &Path, relative: &str) -> Result<()> {
    let mut at = root.to_path_buf();
    for part in Path::new(relative).components() {
        at.push(part);
        let Ok(metadata) = std::fs::symlink_metadata(&at) else {
            return Ok(());
        };
        let kind = metadata.file_type();
        let what = if kind.is_symlink() {
            "a symbolic link"
        } else if kind.is_file() || kind.is_dir() {
            continue;
        } else {
            "a special file (a FIFO, socket or device)"
        };
        let shown = at.strip_prefix(root).unwrap_or(&at).display().to_string();
        return Err(Error::refused(
            format!(
                "{shown} in the design repository is {what}: baseline reads and writes only the repository's own files"
            ),
            format!(
                "replace {shown} with the document itself (a regular file), e.g. `cp --remove-destination TARGET {shown}`"
            ),
        ));
    }
    Ok(())
}

/// Opens a working file of the repository (`relative` to its `root`), refusing
/// one reached through a symbolic link or that is a special file.
pub fn open_working(root: &Path, relative: &str) -> Result<Document> {
    refuse_links(root, relative)?;
    Document::open(&root.join(relative))
}

/// Reads a content file, refusing what is missing, a folder, or too large.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    let mut document = Document::open(path)?;
    let mut bytes = Vec::with_capacity(document.size as usize);
    document.file.read_to_end(&mut bytes).map_err(io_at(path))?;
    Ok(bytes)
}

/// A content file opened to be stored, once its size was found acceptable.
pub struct Document {
    path: PathBuf,
    file: File,
    size: u64,
}

/// A document as stored in git's object store.
pub struct Stored {
    pub blob: git2::Oid,
    pub sha256: String,
    pub size: u64,
}

impl Document {
    /// Opens a content file, refusing what is missing, a folder, or too large.
    pub fn open(path: &Path) -> Result<Document> {
        let missing = |err: std::io::Error| {
            if err.kind() == std::io::ErrorKind::NotFound {
                Error::refused(
                    format!("{} does not exist", path.display()),
                    "check the path; it is relative to where you run baseline",
                )
            } else {
                io_at(path)(err)
            }
        };
        let metadata = std::fs::metadata(path).map_err(missing)?;
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
        let file = File::open(path).map_err(missing)?;
        Ok(Document {
            path: path.to_path_buf(),
            file,
            size: metadata.len(),
        })
    }

    /// Where the document was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open file, to read again from its start what a check needs (a zip
    /// package's directory): the same file that was stored, even if it has been
    /// replaced on disk since.
    pub fn file(&mut self) -> &mut File {
        &mut self.file
    }

    /// Writes the document to git's object store a piece at a time, hashing it
    /// on the way and showing each piece to `inspect`, so that memory does not
    /// grow with the document. The blob, the SHA-256 and whatever `inspect`
    /// learnt all come from the same bytes.
    pub fn store(&mut self, repo: &Repo, mut inspect: impl FnMut(&[u8])) -> Result<Stored> {
        let odb = repo.git.odb()?;
        let mut blob = odb.writer(self.size as usize, git2::ObjectType::Blob)?;
        let path = self.path.clone();
        let sha256 = self.read_through(|piece| {
            blob.write_all(piece).map_err(|err| {
                Error::failed(
                    format!(
                        "could not write {} to git's object store: {err}",
                        path.display()
                    ),
                    "check that the disk has room and that .git/objects is writable",
                )
            })?;
            inspect(piece);
            Ok(())
        })?;
        Ok(Stored {
            blob: blob.finalize()?,
            sha256,
            size: self.size,
        })
    }

    /// Reads the document a piece at a time, showing each piece to `inspect`,
    /// and returns its SHA-256; nothing is written (a dry run).
    pub fn hash(&mut self, mut inspect: impl FnMut(&[u8])) -> Result<String> {
        self.read_through(|piece| {
            inspect(piece);
            Ok(())
        })
    }

    /// The size of the document, as it was when opened.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Reads the whole document, which must keep the size it had when opened,
    /// giving each piece to `each`; returns the SHA-256 of what was read.
    fn read_through(&mut self, mut each: impl FnMut(&[u8]) -> Result<()>) -> Result<String> {
        let mut sha256 = Sha256::new();
        let mut buffer = vec![0; CHUNK_BYTES.min(self.size as usize).max(1)];
        let mut left = self.size;
        while left > 0 {
            let wanted = buffer.len().min(left as usize);
            let read = match self.file.read(&mut buffer[..wanted]) {
                Ok(read) => read,
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(io_at(&self.path)(err)),
            };
            if read == 0 {
                return Err(self.changed_while_read());
            }
            let piece = &buffer[..read];
            sha256.update(piece);
            each(piece)?;
            left -= read as u64;
        }
        if self.file.read(&mut buffer).map_err(io_at(&self.path))? != 0 {
            return Err(self.changed_while_read());
        }
        Ok(base16ct::lower::encode_string(&sha256.finalize()))
    }

    fn changed_while_read(&self) -> Error {
        Error::refused(
            format!(
                "{} changed size while baseline was reading it",
                self.path.display()
            ),
            "wait until the document is saved, then run the command again",
        )
    }
}

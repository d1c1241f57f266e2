//! Staging the few files a transaction wrote in git's index, at a cost that does
//! not grow with the size of the design.
//!
//! libgit2 re-reads, re-sorts and re-hashes the whole index with collision-detecting
//! SHA-1 for any change: on a programme with tens of thousands of records that is
//! most of a `draft`. This module splices the new entries into the index file as
//! bytes instead and hashes it with hardware SHA-1 (the digest is the same). It
//! handles index versions 2 and 3 without merge conflicts or required extensions —
//! what git writes by default — and leaves anything else to libgit2.

use std::path::Path;

use sha1::{Digest, Sha1};

use super::Repo;
use crate::error::{Error, Result, io_at};

/// A file to stage: its path, blob, and whether the working file holds that blob
/// (if not, the entry gets no stat data, so git re-examines the file).
pub struct Staged {
    pub path: String,
    pub blob: git2::Oid,
    pub matches_working_file: bool,
    /// The working file's metadata as of when it was found to hold the blob, to
    /// stage as they are; none: they are read when staging.
    pub checked: Option<std::fs::Metadata>,
}

impl Staged {
    /// The stat data to record: none where the working file does not hold the blob.
    fn stat(&self, root: &Path) -> Option<Stat> {
        if !self.matches_working_file {
            return None;
        }
        match &self.checked {
            Some(metadata) => Stat::of_meta(metadata),
            None => Stat::of(&root.join(&self.path)),
        }
    }
}

const HEADER: usize = 12;
const CHECKSUM: usize = 20;
const FIXED: usize = 62;
const FILE_MODE: u32 = 0o100644;

pub fn stage(repo: &Repo, files: &[Staged]) -> Result<()> {
    let index_path = repo.git.path().join("index");
    // Take git's own lock before reading, so a `git add` cannot slip in between.
    let lock = IndexLock::take(&index_path)?;
    let skip_hash = repo
        .git
        .config()
        .and_then(|c| c.get_bool("index.skipHash"))
        .unwrap_or(false);
    let spliced = match std::fs::read(&index_path) {
        Ok(bytes) => splice(repo.root(), &bytes, files, skip_hash),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(io_at(&index_path)(err)),
    };
    match spliced {
        Some(bytes) => lock.commit(&bytes),
        None => {
            drop(lock);
            stage_with_libgit2(repo, files)
        }
    }
}

/// For what the splice leaves alone. Entries are made from the known blob ids
/// (not by re-reading the files, which would apply git's filters and could stage
/// bytes other than those committed).
fn stage_with_libgit2(repo: &Repo, files: &[Staged]) -> Result<()> {
    let mut index = repo.git.index()?;
    for file in files {
        let stat = file.stat(repo.root()).unwrap_or_default();
        let time = |secs: u32, nanos: u32| git2::IndexTime::new(secs as i32, nanos);
        index.add(&git2::IndexEntry {
            ctime: time(stat.ctime, stat.ctime_ns),
            mtime: time(stat.mtime, stat.mtime_ns),
            dev: stat.dev,
            ino: stat.ino,
            mode: FILE_MODE,
            uid: stat.uid,
            gid: stat.gid,
            file_size: stat.size,
            id: file.blob,
            flags: file.path.len().min(0xfff) as u16,
            flags_extended: 0,
            path: file.path.as_bytes().to_vec(),
        })?;
    }
    index.write()?;
    Ok(())
}

/// Whether git's index says the working file at `path` (relative to the working
/// tree, `/`-separated), whose stat data are `file`, holds blob `blob`, as `git
/// status` decides it: an entry for that blob with those stat data, recorded after
/// the file last changed. Only versions 2 and 3 of the index are read; anything
/// else, or any doubt, is `false`, and the caller hashes the file instead.
pub fn says_clean(git_dir: &Path, path: &str, file: &std::fs::Metadata, blob: &str) -> bool {
    // Elsewhere the stat data are a size alone: too little to trust.
    if !cfg!(unix) {
        return false;
    }
    let Ok(blob) = base16ct::mixed::decode_vec(blob) else {
        return false;
    };
    // The bytes and the time of one index file (git may put another in its place).
    let Some((index, index_meta)) = read_with_metadata(&git_dir.join("index")) else {
        return false;
    };
    let (Some(stat), Some(index_stat)) = (Stat::of_meta(file), Stat::of_meta(&index_meta)) else {
        return false;
    };
    let Some(entry) = find_entry(&index, path.as_bytes()) else {
        return false;
    };
    let recorded = |field: usize| be32(entry.bytes, field * 4);
    let stat_matches = stat
        .entry_fields()
        .iter()
        .enumerate()
        .all(|(field, &value)| recorded(field) == Some(value));
    entry.stage == 0
        && entry.bytes.get(40..60) == Some(&blob[..])
        && stat_matches
        && settled(&stat, &index_stat)
}

/// Whether a file's stat data were recorded after it last changed: a file changed
/// in the same instant the index was written could change again unseen, and git
/// calls it racily clean.
fn settled(file: &Stat, index: &Stat) -> bool {
    (file.mtime, file.mtime_ns) < (index.mtime, index.mtime_ns)
}

/// A file's bytes and its metadata as it was read, from one open file; none if
/// it was written while being read (its stat data changed).
pub(super) fn read_with_metadata(path: &Path) -> Option<(Vec<u8>, std::fs::Metadata)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let before = file.metadata().ok()?;
    let mut bytes = Vec::with_capacity(usize::try_from(before.len()).ok()? + 1);
    file.read_to_end(&mut bytes).ok()?;
    let after = file.metadata().ok()?;
    let unchanged = Stat::of_meta(&before).map(|s| s.entry_fields())
        == Stat::of_meta(&after).map(|s| s.entry_fields());
    unchanged.then_some((bytes, after))
}

/// The stage-0 entry for `path`, if the index is one this module reads.
fn find_entry<'a>(index: &'a [u8], path: &[u8]) -> Option<Entry<'a>> {
    if index.len() < HEADER + CHECKSUM || &index[..4] != b"DIRC" {
        return None;
    }
    let version = be32(index, 4)?;
    if !(2..=3).contains(&version) {
        return None;
    }
    let (entries, _) = parse_entries(index, version, be32(index, 8)?, index.len() - CHECKSUM)?;
    entries
        .into_iter()
        .find(|entry| entry.path == path && entry.stage == 0)
}

/// One entry of the index file as it lies on disk.
struct Entry<'a> {
    bytes: &'a [u8],
    path: &'a [u8],
    stage: u16,
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

/// The new index file, or None when this index is one to leave to libgit2.
/// With `skip_hash` (git's `index.skipHash`), the trailing checksum is left zero.
fn splice(root: &Path, index: &[u8], files: &[Staged], skip_hash: bool) -> Option<Vec<u8>> {
    if index.len() < HEADER + CHECKSUM || &index[..4] != b"DIRC" {
        return None;
    }
    let version = be32(index, 4)?;
    if !(2..=3).contains(&version) {
        return None;
    }
    let body = index.len() - CHECKSUM;
    let trailer = &index[body..];
    if trailer.iter().any(|&b| b != 0) && Sha1::digest(&index[..body]).as_slice() != trailer {
        return None;
    }
    let (entries, extensions_at) = parse_entries(index, version, be32(index, 8)?, body)?;
    let kept_extensions = optional_extensions_to_keep(&index[extensions_at..body])?;

    let mut new: Vec<(&str, Vec<u8>)> = files
        .iter()
        .map(|f| Some((f.path.as_str(), encode_entry(root, f)?)))
        .collect::<Option<_>>()?;
    new.sort_by(|a, b| a.0.cmp(b.0));
    new.dedup_by(|a, b| a.0 == b.0);

    let mut out = Vec::with_capacity(index.len() + new.len() * 128);
    out.extend_from_slice(&index[..8]);
    out.extend_from_slice(&[0; 4]);
    let mut count: u32 = 0;
    let mut pending = new.iter().peekable();
    for entry in &entries {
        while let Some((_, bytes)) = pending.next_if(|(p, _)| p.as_bytes() < entry.path) {
            out.extend_from_slice(bytes);
            count += 1;
        }
        if new.iter().any(|(p, _)| p.as_bytes() == entry.path) {
            if entry.stage != 0 {
                return None;
            }
            continue;
        }
        out.extend_from_slice(entry.bytes);
        count += 1;
    }
    for (_, bytes) in pending {
        out.extend_from_slice(bytes);
        count += 1;
    }
    out[8..12].copy_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&kept_extensions);
    if skip_hash {
        out.extend_from_slice(&[0; CHECKSUM]);
    } else {
        let digest = Sha1::digest(&out);
        out.extend_from_slice(&digest);
    }
    Some(out)
}

fn parse_entries(
    index: &[u8],
    version: u32,
    count: u32,
    body: usize,
) -> Option<(Vec<Entry<'_>>, usize)> {
    let mut entries = Vec::with_capacity((count as usize).min(body / FIXED));
    let mut at = HEADER;
    for _ in 0..count {
        let flags = be16(index, at + 60)?;
        let extended = version >= 3 && flags & 0x4000 != 0;
        let name_at = at + FIXED + if extended { 2 } else { 0 };
        let name_len = match flags & 0xfff {
            0xfff => index.get(name_at..body)?.iter().position(|&b| b == 0)?,
            len => len as usize,
        };
        let size = (name_at - at + name_len + 8) & !7;
        let bytes = index.get(at..at + size)?;
        entries.push(Entry {
            bytes,
            path: index.get(name_at..name_at + name_len)?,
            stage: (flags >> 12) & 0x3,
        });
        at += size;
    }
    (at <= body).then_some((entries, at))
}

/// Extensions to keep: resolve-undo data. Caches that describe entries by position
/// or by tree (TREE, UNTR, FSMN, EOIE, IEOT) are optional and dropped, and git
/// rebuilds them; a required extension (lower-case signature) means libgit2.
fn optional_extensions_to_keep(mut extensions: &[u8]) -> Option<Vec<u8>> {
    let mut kept = Vec::new();
    while !extensions.is_empty() {
        let signature = extensions.get(..4)?;
        let size = be32(extensions, 4)? as usize;
        let whole = extensions.get(..8 + size)?;
        if signature[0].is_ascii_lowercase() {
            return None;
        }
        if signature == b"REUC" {
            kept.extend_from_slice(whole);
        }
        extensions = &extensions[8 + size..];
    }
    Some(kept)
}

fn encode_entry(root: &Path, file: &Staged) -> Option<Vec<u8>> {
    let stat = if file.matches_working_file {
        file.stat(root)?
    } else {
        Stat::default()
    };
    let path = file.path.as_bytes();
    let mut bytes = Vec::with_capacity(FIXED + path.len() + 8);
    for value in stat.entry_fields() {
        bytes.extend_from_slice(&value.to_be_bytes());
    }
    bytes.extend_from_slice(file.blob.as_bytes());
    bytes.extend_from_slice(&(path.len().min(0xfff) as u16).to_be_bytes());
    bytes.extend_from_slice(path);
    let padded = (FIXED + path.len() + 8) & !7;
    bytes.resize(padded, 0);
    Some(bytes)
}

/// The stat data git keeps per entry, truncated to 32 bits as git does.
#[derive(Default)]
struct Stat {
    ctime: u32,
    ctime_ns: u32,
    mtime: u32,
    mtime_ns: u32,
    dev: u32,
    ino: u32,
    uid: u32,
    gid: u32,
    size: u32,
}

impl Stat {
    /// The ten fields an index entry starts with, in its order (the mode is a
    /// regular file's).
    fn entry_fields(&self) -> [u32; 10] {
        [
            self.ctime,
            self.ctime_ns,
            self.mtime,
            self.mtime_ns,
            self.dev,
            self.ino,
            FILE_MODE,
            self.uid,
            self.gid,
            self.size,
        ]
    }

    fn of(path: &Path) -> Option<Stat> {
        Self::of_meta(&std::fs::metadata(path).ok()?)
    }

    #[cfg(unix)]
    fn of_meta(m: &std::fs::Metadata) -> Option<Stat> {
        use std::os::unix::fs::MetadataExt;
        Some(Stat {
            ctime: m.ctime() as u32,
            ctime_ns: m.ctime_nsec() as u32,
            mtime: m.mtime() as u32,
            mtime_ns: m.mtime_nsec() as u32,
            dev: m.dev() as u32,
            ino: m.ino() as u32,
            uid: m.uid(),
            gid: m.gid(),
            size: m.size() as u32,
        })
    }

    #[cfg(not(unix))]
    fn of_meta(m: &std::fs::Metadata) -> Option<Stat> {
        Some(Stat {
            size: m.len() as u32,
            ..Stat::default()
        })
    }
}

/// Git's `index.lock`, taken as git takes it: a git command running at the same
/// moment fails cleanly instead of losing either write. Removed if not committed.
struct IndexLock {
    lock: std::path::PathBuf,
    index: std::path::PathBuf,
    file: Option<std::fs::File>,
    /// Set once the lock file has become the index: from then on it is not ours.
    committed: bool,
}

impl IndexLock {
    fn take(index: &Path) -> Result<IndexLock> {
        let lock = index.with_file_name("index.lock");
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
            .map_err(|err| {
                if err.kind() == std::io::ErrorKind::AlreadyExists {
                    Error::failed(
                        format!("{} exists: another git command is using the index", lock.display()),
                        "wait for it to finish (or remove the file if no git command is running), then run `git status`",
                    )
                } else {
                    io_at(&lock)(err)
                }
            })?;
        Ok(IndexLock {
            lock,
            index: index.to_path_buf(),
            file: Some(file),
            committed: false,
        })
    }

    fn commit(mut self, bytes: &[u8]) -> Result<()> {
        use std::io::Write;
        let mut file = self
            .file
            .take()
            .expect("the lock file is open until committed");
        file.write_all(bytes).map_err(io_at(&self.lock))?;
        drop(file);
        std::fs::rename(&self.lock, &self.index).map_err(io_at(&self.index))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for IndexLock {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.lock);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// The index vouches for a file only when it was written after the file last
    /// changed; written in the same instant, the file is racily clean.
    #[test]
    fn the_index_vouches_only_for_files_older_than_it() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo::open_or_init(dir.path()).unwrap();
        std::fs::write(dir.path().join("f.txt"), "settlement\n").unwrap();
        let blob = repo.git().blob(b"settlement\n").unwrap();
        let file = Staged {
            path: "f.txt".into(),
            blob,
            matches_working_file: true,
            checked: None,
        };
        stage(&repo, &[file]).unwrap();
        let metadata = std::fs::metadata(dir.path().join("f.txt")).unwrap();
        let written = metadata.modified().unwrap();
        let index = repo.git().path().join("index");
        let index_at = |time| {
            std::fs::File::options()
                .write(true)
                .open(&index)
                .unwrap()
                .set_modified(time)
                .unwrap();
        };
        let blob = blob.to_string();
        let vouches = |metadata| says_clean(repo.git().path(), "f.txt", metadata, &blob);
        index_at(written + Duration::from_secs(1));
        assert_eq!(vouches(&metadata), cfg!(unix));
        index_at(written);
        assert!(!vouches(&metadata), "racily clean");
        index_at(written - Duration::from_secs(1));
        assert!(!vouches(&metadata));
        index_at(written + Duration::from_secs(1));
        let other = "0".repeat(40);
        assert!(!says_clean(repo.git().path(), "f.txt", &metadata, &other));
        assert!(!says_clean(repo.git().path(), "g.txt", &metadata, &blob));
    }
}

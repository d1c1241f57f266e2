//! The write-ahead journal that makes a write command all-or-nothing.
//!
//! A transaction writes every object first (harmless if abandoned), then this
//! journal, then moves the branch — the moment the change happens — and only then
//! creates tags and refreshes the working tree and index. If the process dies after
//! the branch moved, the next write command finds the journal and finishes those
//! steps; if it died before, the journal is discarded and nothing happened.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{FILE_MODE, Repo};
use crate::error::{Error, Result, io_at};
use crate::model::paths::Record;

const JOURNAL_FILE: &str = "journal.json";

#[derive(Debug, Serialize, Deserialize)]
pub struct Journal {
    pub description: String,
    pub branch: String,
    pub old_commit: Option<String>,
    pub new_commit: String,
    /// Tag names and the annotated tag objects they must point at.
    pub tags: Vec<(String, String)>,
    /// Tags the change leaves naming no baseline (a renumbered baseline's old
    /// name, now no one's), to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped_tags: Vec<String>,
    /// Files of the new commit to bring into the working tree and index, with
    /// their blob ids.
    pub files: Vec<(String, String)>,
    /// Files the new commit no longer has (a renumbered version's old record,
    /// a file the remote removed), to take out of the working tree and index.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_files: Vec<String>,
    /// Where the command read a large file's bytes from, to copy them rather
    /// than unpack its blob. Not kept in the journal: a command completed later
    /// unpacks the blob, as the source may have changed since.
    #[serde(skip)]
    pub sources: std::collections::HashMap<String, std::path::PathBuf>,
}

fn oid(text: &str) -> Result<git2::Oid> {
    git2::Oid::from_str(text).map_err(|_| {
        Error::failed(
            format!("the transaction journal names `{text}`, which is not an object id"),
            "remove .git/baseline/journal.json, then run `git status` and check the last commit",
        )
    })
}

pub fn pending(repo: &Repo) -> Result<Option<Journal>> {
    let path = repo.state_dir()?.join(JOURNAL_FILE);
    let unusable = |why: String| {
        Error::failed(
            format!("{}: the transaction journal {why}", path.display()),
            "remove it if no baseline command is running, then check `git status`",
        )
    };
    match std::fs::read(&path) {
        Ok(bytes) => {
            let journal: Journal = serde_json::from_slice(&bytes)
                .map_err(|err| unusable(format!("is unreadable: {err}")))?;
            // Its paths are written to: only the repository's own files may be.
            let written = journal.files.iter().map(|(file, _)| file);
            if let Some(file) = written
                .chain(&journal.removed_files)
                .find(|file| !is_own_file(file))
            {
                return Err(unusable(format!(
                    "names `{file}`, which is not a file baseline writes"
                )));
            }
            if !journal.branch.starts_with("refs/heads/") {
                return Err(unusable(format!(
                    "names `{}`, which is not a branch",
                    journal.branch
                )));
            }
            Ok(Some(journal))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(io_at(&path)(err)),
    }
}

/// Whether `path` is a file baseline may write: one of the working tree's
/// (a record, an artefact's content, or any file `sync` brings from the
/// remote), named without `..` or absolute parts, and never inside `.git`.
fn is_own_file(path: &str) -> bool {
    let plain = path
        .split('/')
        .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\\'));
    let first = path.split('/').next().unwrap_or_default();
    plain && !first.eq_ignore_ascii_case(".git")
}

pub fn write(repo: &Repo, journal: &Journal) -> Result<()> {
    let dir = repo.state_dir()?;
    let path = dir.join(JOURNAL_FILE);
    let bytes = serde_json::to_vec_pretty(journal).expect("journal serialises");
    write_durably(&path, &bytes)?;
    sync_dir(dir)
}

pub fn clear(repo: &Repo) -> Result<()> {
    let path = repo.state_dir()?.join(JOURNAL_FILE);
    match std::fs::remove_file(&path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(io_at(&path)(err)),
        _ => Ok(()),
    }
}

/// Completes or discards an interrupted transaction; says what it did.
pub fn recover(repo: &Repo) -> Result<Option<String>> {
    let Some(journal) = pending(repo)? else {
        return Ok(None);
    };
    let new = oid(&journal.new_commit)?;
    // Committed if the branch is at the new commit, or has moved on from it (the
    // user committed with git before running baseline again).
    let committed = repo
        .git
        .refname_to_id(&journal.branch)
        .is_ok_and(|tip| tip == new || repo.git.graph_descendant_of(tip, new).unwrap_or(false));
    if committed {
        finish(repo, &journal, Refresh::KeepUserEdits);
        Ok(Some(format!(
            "completed the interrupted `{}` (its commit was made; its tags and working files are now in place)",
            journal.description
        )))
    } else {
        clear(repo)?;
        Ok(Some(format!(
            "rolled back the interrupted `{}` (it had not committed; nothing was recorded)",
            journal.description
        )))
    }
}

/// How to treat a working file that differs from the commit.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// The command itself wrote the file: put the committed bytes there.
    Overwrite,
    /// Recovering later: the user may have edited content since, so only records
    /// (which only baseline writes) and missing files are written.
    KeepUserEdits,
}

/// The steps after the branch moved. They cannot fail the command — the change is
/// recorded — so whatever cannot be completed is reported with how to complete it,
/// and the journal is cleared so that one such problem never blocks later writes.
pub fn finish(repo: &Repo, journal: &Journal, refresh: Refresh) {
    for name in &journal.dropped_tags {
        if let Err(problem) = remove_tag(repo, name) {
            repo.notices().push(problem);
        }
    }
    for (name, target) in &journal.tags {
        if let Err(problem) = create_tag(repo, name, target, &journal.description) {
            repo.notices().push(problem);
        }
    }
    if let Err(err) = refresh_working_tree(repo, journal, refresh) {
        let paths: Vec<&str> = journal.files.iter().map(|(p, _)| p.as_str()).collect();
        repo.notices().push(format!(
            "the change is committed, but the working files or git's index could not be updated ({}); bring them up to date with `git reset -q -- {paths} && git checkout -- {paths}`",
            err.message,
            paths = paths.join(" ")
        ));
    }
    if let Err(err) = clear(repo) {
        repo.notices().push(format!(
            "could not remove the transaction journal: {}",
            err.message
        ));
    }
}

/// Removes a tag the change left naming no baseline, if it is still there.
fn remove_tag(repo: &Repo, name: &str) -> Result<(), String> {
    let refname = crate::model::paths::tag_ref(name);
    match repo.git.find_reference(&refname) {
        Ok(mut tag) => tag.delete().map_err(|err| {
            format!(
                "could not remove tag {name} ({}); remove it with `git tag -d {name}`",
                err.message()
            )
        }),
        Err(_) => Ok(()),
    }
}

/// Creates a baseline's tag, unless one is there: an existing tag is never moved.
fn create_tag(repo: &Repo, name: &str, target: &str, message: &str) -> Result<(), String> {
    let refname = crate::model::paths::tag_ref(name);
    let wanted = oid(target).map_err(|e| e.message)?;
    match repo.git.refname_to_id(&refname) {
        Ok(existing) if existing == wanted => Ok(()),
        Ok(existing) => Err(format!(
            "tag {name} already exists (at {existing}) and was left as it is, since tags are never moved; the baseline's own tag object is {target}: inspect both with `git show`"
        )),
        Err(_) => repo
            .git
            .reference(&refname, wanted, false, message)
            .map(|_| ())
            .map_err(|err| {
                format!(
                    "could not create tag {name} ({}); create it with `git update-ref {refname} {target}`",
                    err.message()
                )
            }),
    }
}

/// From this size up a file is not staged through `Index::add_path`, which would
/// hash it and compress it into the object store a second time: a few
/// megabytes take longer that way than the second write of git's index that
/// [`refresh_large_files`] costs.
const LARGE_FILE_BYTES: usize = 4 << 20;

fn refresh_working_tree(repo: &Repo, journal: &Journal, refresh: Refresh) -> Result<()> {
    let mut index = repo.git.index()?;
    for path in &journal.removed_files {
        remove_working_file(repo, &mut index, path, refresh)?;
    }
    let odb = repo.git.odb()?;
    let mut large = Vec::new();
    for (path, blob_id) in &journal.files {
        let blob_id = oid(blob_id)?;
        if odb.read_header(blob_id)?.0 >= LARGE_FILE_BYTES {
            stage_without_stat(&mut index, path, blob_id)?;
            large.push((path.as_str(), blob_id));
            continue;
        }
        let blob = repo.git.find_blob(blob_id)?;
        let file = repo.root.join(path);
        let current = std::fs::read(&file).ok();
        let unchanged = current.as_deref() == Some(blob.content());
        let keep_user_edit = current.is_some()
            && refresh == Refresh::KeepUserEdits
            && !Record::is_record_place(path);
        if !unchanged && !keep_user_edit {
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent).map_err(io_at(parent))?;
            }
            replace_file(&file, blob.content())?;
        }
        if keep_user_edit && !unchanged {
            stage_without_stat(&mut index, path, blob_id)?;
        } else {
            stage_working_file(&mut index, path, blob_id)?;
        }
    }
    index.write()?;
    refresh_large_files(repo, &large, &journal.sources, refresh)
}

/// Takes a file the new commit no longer has out of the index and the working
/// tree; recovering later, a file that is not a record is left, as the user
/// may have made it again.
fn remove_working_file(
    repo: &Repo,
    index: &mut git2::Index,
    path: &str,
    refresh: Refresh,
) -> Result<()> {
    if index.get_path(Path::new(path), 0).is_some() {
        index.remove_path(Path::new(path))?;
    }
    if refresh == Refresh::KeepUserEdits && !Record::is_record_place(path) {
        return Ok(());
    }
    let file = repo.root.join(path);
    match std::fs::remove_file(&file) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(io_at(&file)(err)),
        _ => Ok(()),
    }
}

/// Brings large files into the working tree and gives their index entries the
/// files' stat data, without holding any of them in memory: files that already
/// hold their blob are found by hashing them once; others are copied from where
/// the command read them or else written from the object store a piece at a
/// time, and are then hashed once.
fn refresh_large_files(
    repo: &Repo,
    files: &[(&str, git2::Oid)],
    sources: &std::collections::HashMap<String, std::path::PathBuf>,
    refresh: Refresh,
) -> Result<()> {
    let differing = record_stat_data(repo, files.iter().map(|(path, _)| *path))?;
    let mut copied = Vec::new();
    let mut written = Vec::new();
    for &(path, blob) in files.iter().filter(|(path, _)| differing.contains(*path)) {
        let file = repo.root.join(path);
        let keep_user_edit =
            refresh == Refresh::KeepUserEdits && file.exists() && !Record::is_record_place(path);
        if keep_user_edit {
            continue;
        }
        match sources.get(path) {
            Some(source) if copy_file(source, &file).is_ok() => copied.push((path, blob)),
            _ => {
                write_blob(repo, &file, blob)?;
                written.push(path);
            }
        }
    }
    // A source changed since it was read no longer holds the blob.
    let differing = record_stat_data(repo, copied.iter().map(|(path, _)| *path).chain(written))?;
    let mut rewritten = Vec::new();
    for &(path, blob) in copied.iter().filter(|(path, _)| differing.contains(*path)) {
        write_blob(repo, &repo.root.join(path), blob)?;
        rewritten.push(path);
    }
    record_stat_data(repo, rewritten)?;
    Ok(())
}

/// Copies a file over another as [`replace_file`] does.
fn copy_file(source: &Path, file: &Path) -> Result<()> {
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent).map_err(io_at(parent))?;
    }
    let tmp = temporary_sibling(file)?;
    std::fs::copy(source, &tmp).map_err(io_at(&tmp))?;
    std::fs::rename(&tmp, file).map_err(io_at(file))
}

/// Gives the index entries of `paths` whose working files hold the staged blob
/// (in the mode staged, through git's filters) the files' stat data, as
/// `git status` does, and writes the index if it did; returns the paths whose
/// files differ or are missing, whose entries are left without stat data.
fn record_stat_data<'p>(
    repo: &Repo,
    paths: impl IntoIterator<Item = &'p str>,
) -> Result<std::collections::HashSet<String>> {
    let mut options = git2::DiffOptions::new();
    options.update_index(true).disable_pathspec_match(true);
    let mut any = false;
    for path in paths {
        options.pathspec(path);
        any = true;
    }
    if !any {
        return Ok(Default::default());
    }
    let diff = repo.git.diff_index_to_workdir(None, Some(&mut options))?;
    Ok(diff
        .deltas()
        .filter_map(|delta| delta.old_file().path())
        .filter_map(|path| path.to_str().map(str::to_string))
        .collect())
}

/// Writes a blob to a working file a piece at a time, replacing the file as
/// [`replace_file`] does.
fn write_blob(repo: &Repo, file: &Path, blob: git2::Oid) -> Result<()> {
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent).map_err(io_at(parent))?;
    }
    let tmp = temporary_sibling(file)?;
    let mut out = std::fs::File::create(&tmp).map_err(io_at(&tmp))?;
    let odb = repo.git.odb()?;
    match odb.reader(blob) {
        Ok((reader, _, _)) => {
            std::io::copy(
                &mut std::io::BufReader::with_capacity(1 << 20, reader),
                &mut out,
            )
            .map_err(io_at(&tmp))?;
        }
        // Only loose objects can be read as a stream; a packed one is read whole.
        Err(_) => out
            .write_all(repo.git.find_blob(blob)?.content())
            .map_err(io_at(&tmp))?,
    }
    drop(out);
    std::fs::rename(&tmp, file).map_err(io_at(file))
}

/// Stages a working file that holds the committed blob, with its stat data, as
/// `git add` would. Where git's filters (line endings, say) would stage other
/// bytes than those committed, or the file cannot be staged as it is, the
/// committed blob is staged without stat data.
fn stage_working_file(index: &mut git2::Index, path: &str, blob: git2::Oid) -> Result<()> {
    let added = index.add_path(Path::new(path)).is_ok();
    let staged = added
        .then(|| index.get_path(Path::new(path), 0))
        .flatten()
        .map(|entry| (entry.id, entry.mode));
    // A mode git would stage from the file (executable, a link) is not the one
    // committed: the user's next commit would pick it up.
    if staged != Some((blob, FILE_MODE)) {
        stage_without_stat(index, path, blob)?;
    }
    Ok(())
}

/// Stages `blob` at `path` with no stat data, so that git compares the working
/// file's content with it (a user's edit to the file shows as a change).
fn stage_without_stat(index: &mut git2::Index, path: &str, blob: git2::Oid) -> Result<()> {
    let unknown = git2::IndexTime::new(0, 0);
    index.add(&git2::IndexEntry {
        ctime: unknown,
        mtime: unknown,
        dev: 0,
        ino: 0,
        mode: FILE_MODE,
        uid: 0,
        gid: 0,
        file_size: 0,
        id: blob,
        flags: path.len().min(0xfff) as u16,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    })?;
    Ok(())
}

/// Replaces a file by writing a sibling and renaming it over, so that a reader
/// sees the old bytes or the new, never a mix.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temporary_sibling(path)?;
    std::fs::write(&tmp, bytes).map_err(io_at(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io_at(path))
}

/// Where a file's new bytes are written before they are renamed over it:
/// whatever is there is removed first, so that a link planted there is not
/// written through.
fn temporary_sibling(path: &Path) -> Result<std::path::PathBuf> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.baseline-tmp"));
    match std::fs::remove_file(&tmp) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(io_at(&tmp)(err)),
        _ => Ok(tmp),
    }
}

fn write_durably(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&tmp).map_err(io_at(&tmp))?;
    file.write_all(bytes).map_err(io_at(&tmp))?;
    file.sync_all().map_err(io_at(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io_at(path))
}

fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_at(dir))?;
    Ok(())
}

//! What an earlier whole-history verify proved, kept under `.git/` so that the
//! next one checks only what came since: the commit it reached, its counts,
//! and every baseline tag it checked. Written only when that verify found
//! nothing, so that everything before that commit is known clean; records are
//! append-only, so what later commits add is checked as `--range` checks a
//! push. Tags can change without a commit: each is compared with the tag
//! object the cache saw. Discarded when the tool's version changes, when the
//! branch no longer descends from its commit, and in a shallow clone.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::repo::Repo;

/// Which tool wrote a cache: another version of baseline may check more, so
/// it starts again.
const WRITTEN_BY: &str = concat!("baseline ", env!("CARGO_PKG_VERSION"), " verify-cache 1");

/// The state of a verified repository.
#[derive(Debug, Serialize, Deserialize)]
pub struct Cache {
    written_by: String,
    /// The commit verified: every commit it descends from was checked.
    pub head: String,
    pub commits: usize,
    pub versions: usize,
    pub baselines: usize,
    /// Tag name → the baseline it was checked against.
    pub tags: BTreeMap<String, CheckedTag>,
}

/// A baseline tag as verify checked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedTag {
    /// The annotated tag object's id: a tag object never changes, so the same
    /// id is the same tag.
    pub object: String,
    /// The baseline's version record.
    pub record: String,
    /// The commit that recorded the baseline.
    pub commit: String,
}

impl Cache {
    pub fn new(head: git2::Oid, counts: (usize, usize, usize)) -> Cache {
        Cache {
            written_by: WRITTEN_BY.to_string(),
            head: head.to_string(),
            commits: counts.0,
            versions: counts.1,
            baselines: counts.2,
            tags: BTreeMap::new(),
        }
    }

    /// The commit this cache verified, as an id.
    pub fn head_id(&self) -> Option<git2::Oid> {
        git2::Oid::from_str(&self.head).ok()
    }
}

/// Where the cache lives: inside git's own folder, never pushed or cloned.
fn place(repo: &Repo) -> PathBuf {
    repo.git().path().join("baseline").join("verify-cache.json")
}

/// A cache that may be used to verify up to `head`: written by this version
/// of the tool, in a whole clone, for a commit `head` descends from. A cache
/// that cannot be read is no cache.
pub fn usable(repo: &Repo, head: git2::Oid) -> Option<Cache> {
    let git = repo.git();
    if git.is_shallow() {
        return None;
    }
    let path = place(repo);
    // A link could point anywhere: the cache is only ever a plain file.
    if !std::fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    let cache: Cache = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    let verified = cache.head_id()?;
    let descends = verified == head || git.graph_descendant_of(head, verified).ok()?;
    (cache.written_by == WRITTEN_BY && descends).then_some(cache)
}

/// Writes the cache, replacing any earlier one whole (a half-written cache
/// would not parse, and is then no cache). A cache that cannot be written is
/// left out: the next verify checks everything.
pub fn store(repo: &Repo, cache: &Cache) {
    let path = place(repo);
    let Some(folder) = path.parent() else {
        return;
    };
    let links = [folder, path.as_path()]
        .iter()
        .any(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()));
    if links || std::fs::create_dir_all(folder).is_err() {
        return;
    }
    let Ok(text) = serde_json::to_vec(cache) else {
        return;
    };
    let temporary = folder.join("verify-cache.json.tmp");
    if std::fs::write(&temporary, text).is_ok() && std::fs::rename(&temporary, &path).is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
}

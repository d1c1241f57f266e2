//! A derived index from each recorded version to the commit that recorded it.
//!
//! Kept under `.git/baseline/`, never committed, and keyed by the HEAD it was built
//! for: when HEAD moves on, only the new commits are read (their trailers name the
//! version they record); when history was rewritten, it is rebuilt from scratch.
//! It stays as text — one line per version — and is scanned, not loaded into a
//! map: a trace asks it one question, so building a map would cost more.

use std::path::Path;

use super::Repo;
use crate::error::Result;
use crate::model::{VersionNumber, paths, trailers};

const INDEX_FILE: &str = "commits.idx";

pub struct CommitIndex {
    head: Option<git2::Oid>,
    /// Lines of `commit artefact version decisions changes`, oldest first;
    /// decisions and changes are comma-separated (possibly empty).
    lines: String,
}

/// One line of the index.
struct Entry<'a> {
    commit: &'a str,
    artefact: &'a str,
    version: &'a str,
    decisions: &'a str,
    changes: &'a str,
}

impl<'a> Entry<'a> {
    fn parse(line: &'a str) -> Option<Entry<'a>> {
        let mut parts = line.split(' ');
        Some(Entry {
            commit: parts.next()?,
            artefact: parts.next()?,
            version: parts.next()?,
            decisions: parts.next()?,
            changes: parts.next()?,
        })
    }

    fn cites(&self, id: &str) -> bool {
        self.decisions
            .split(',')
            .chain(self.changes.split(','))
            .any(|c| c == id)
    }
}

impl CommitIndex {
    /// Loads the index for the current HEAD, bringing it up to date if needed.
    pub fn load(repo: &Repo) -> Result<CommitIndex> {
        let head = repo.git.head().ok().and_then(|h| h.target());
        let path = repo.state_dir()?.join(INDEX_FILE);
        let mut index = read(&path).unwrap_or(CommitIndex {
            head: None,
            lines: String::new(),
        });
        if index.head == head {
            return Ok(index);
        }
        let Some(head) = head else {
            return Ok(CommitIndex {
                head: None,
                lines: String::new(),
            });
        };
        let mut walk = repo.git.revwalk()?;
        walk.push(head)?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
        match index.head {
            Some(old) if repo.git.graph_descendant_of(head, old).unwrap_or(false) => {
                walk.hide(old)?
            }
            _ => index.lines.clear(),
        }
        for commit in walk {
            let commit = repo.git.find_commit(commit?)?;
            if let Some(line) = index_line(commit.id(), commit.message().unwrap_or("")) {
                index.lines.push_str(&line);
            }
        }
        index.head = Some(head);
        if let Err(err) = index.save(&path) {
            repo.notices()
                .push(format!("could not save the commit index: {}", err.message));
        }
        Ok(index)
    }

    fn entries(&self) -> impl DoubleEndedIterator<Item = Entry<'_>> {
        self.lines.lines().filter_map(Entry::parse)
    }

    /// The commit that recorded a version: the one that added its record, as
    /// verify holds. A commit whose trailers claim the version is believed only
    /// where it did add the record (trailers are text anyone can write); else
    /// history is read.
    pub fn commit_of(
        &self,
        repo: &Repo,
        artefact: &str,
        version: &VersionNumber,
    ) -> Result<Option<git2::Oid>> {
        let version_text = version.to_string();
        let path = paths::version(artefact, version);
        let claimed: Vec<git2::Oid> = self
            .entries()
            .filter(|e| e.artefact == artefact && e.version == version_text)
            .filter_map(|e| git2::Oid::from_str(e.commit).ok())
            .collect();
        for commit in claimed {
            if added(repo, commit, &path)? {
                return Ok(Some(commit));
            }
        }
        let Some(head) = self.head else {
            return Ok(None);
        };
        first_commit_with(repo, head, &path)
    }

    /// Every (artefact, version) whose commit says it cites `id` as a decision or change.
    pub fn citing(&self, id: &str) -> Vec<(String, VersionNumber)> {
        let mut found: Vec<(String, VersionNumber)> = self
            .entries()
            .filter(|e| e.cites(id))
            .filter_map(|e| Some((e.artefact.to_string(), e.version.parse().ok()?)))
            .collect();
        found.sort();
        found.dedup();
        found
    }

    fn save(&self, path: &Path) -> Result<()> {
        let head = self.head.map(|h| h.to_string()).unwrap_or_default();
        super::journal::replace_file(path, format!("head {head}\n{}", self.lines).as_bytes())
    }
}

fn read(path: &Path) -> Option<CommitIndex> {
    let text = std::fs::read_to_string(path).ok()?;
    let (first, rest) = text.split_once('\n')?;
    let head = git2::Oid::from_str(first.strip_prefix("head ")?).ok()?;
    Some(CommitIndex {
        head: Some(head),
        lines: rest.to_string(),
    })
}

/// The index lines for a commit whose trailers say it recorded a version, or
/// (an adoption) several.
fn index_line(commit: git2::Oid, message: &str) -> Option<String> {
    let values = |key: &str| trailers::values(message, key);
    let decisions = values(trailers::DECISION).join(",");
    let adopted = values(trailers::ADOPTED);
    if !adopted.is_empty() {
        let lines: String = adopted
            .iter()
            .filter_map(|value| value.split_once('@'))
            .map(|(artefact, version)| format!("{commit} {artefact} {version} {decisions} \n"))
            .collect();
        return Some(lines);
    }
    let artefact = *values(trailers::ARTEFACT).first()?;
    let version: VersionNumber = values(trailers::VERSION).first()?.parse().ok()?;
    Some(format!(
        "{commit} {artefact} {version} {decisions} {}\n",
        values(trailers::CHANGE).join(",")
    ))
}

/// Follows first parents back from `head` to the commit that added `path`.
/// Whether `commit` added the file at `path`: it has it, and no parent had it.
fn added(repo: &Repo, commit: git2::Oid, path: &str) -> Result<bool> {
    let has = |commit: &git2::Commit<'_>| -> Result<bool> {
        Ok(commit.tree()?.get_path(Path::new(path)).is_ok())
    };
    let Ok(commit) = repo.git.find_commit(commit) else {
        return Ok(false);
    };
    if !has(&commit)? {
        return Ok(false);
    }
    for parent in commit.parents() {
        if has(&parent)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn first_commit_with(repo: &Repo, head: git2::Oid, path: &str) -> Result<Option<git2::Oid>> {
    let has = |commit: &git2::Commit<'_>| -> Result<bool> {
        Ok(commit.tree()?.get_path(Path::new(path)).is_ok())
    };
    let mut commit = repo.git.find_commit(head)?;
    if !has(&commit)? {
        return Ok(None);
    }
    while let Ok(parent) = commit.parent(0) {
        if !has(&parent)? {
            break;
        }
        commit = parent;
    }
    Ok(Some(commit.id()))
}

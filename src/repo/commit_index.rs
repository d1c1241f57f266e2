//! A derived index from each recorded version to the commit that recorded it.
//!
//! Kept under `.git/baseline/`, never committed, and keyed by the HEAD it was built
//! for: when HEAD moves on, only the new commits are read (their trailers name the
//! version they record); when history was rewritten, it is rebuilt from scratch.

use std::collections::HashMap;
use std::path::Path;

use super::Repo;
use crate::error::Result;
use crate::model::{VersionNumber, paths};

const INDEX_FILE: &str = "commits.idx";
pub const ARTEFACT_TRAILER: &str = "Baseline-Artefact";
pub const VERSION_TRAILER: &str = "Baseline-Version";

pub struct CommitIndex {
    head: Option<git2::Oid>,
    commits: HashMap<(String, String), Recorded>,
}

/// What a commit's trailers say it recorded.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub commit: git2::Oid,
    pub decisions: Vec<String>,
    pub changes: Vec<String>,
}

/// The trailers naming what a version cites.
pub const DECISION_TRAILER: &str = "Baseline-Decision";
pub const CHANGE_TRAILER: &str = "Baseline-Change";

impl CommitIndex {
    /// Loads the index for the current HEAD, bringing it up to date if needed.
    pub fn load(repo: &Repo) -> Result<CommitIndex> {
        let head = repo.git.head().ok().and_then(|h| h.target());
        let path = repo.state_dir()?.join(INDEX_FILE);
        let mut index = read(&path).unwrap_or(CommitIndex {
            head: None,
            commits: HashMap::new(),
        });
        if index.head == head {
            return Ok(index);
        }
        let Some(head) = head else {
            return Ok(CommitIndex {
                head: None,
                commits: HashMap::new(),
            });
        };
        let mut walk = repo.git.revwalk()?;
        walk.push(head)?;
        match index.head {
            Some(old) if repo.git.graph_descendant_of(head, old).unwrap_or(false) => {
                walk.hide(old)?
            }
            _ => index.commits.clear(),
        }
        for commit in walk {
            let commit = repo.git.find_commit(commit?)?;
            if let Some((key, recorded)) =
                recorded_version(commit.id(), commit.message().unwrap_or(""))
            {
                index.commits.insert(key, recorded);
            }
        }
        index.head = Some(head);
        if let Err(err) = index.save(&path) {
            crate::notice(&format!("could not save the commit index: {}", err.message));
        }
        Ok(index)
    }

    /// The commit that recorded a version; falls back to reading history for a
    /// version recorded without baseline's trailers.
    pub fn commit_of(
        &self,
        repo: &Repo,
        artefact: &str,
        version: &VersionNumber,
    ) -> Result<Option<git2::Oid>> {
        if let Some(recorded) = self
            .commits
            .get(&(artefact.to_string(), version.to_string()))
        {
            return Ok(Some(recorded.commit));
        }
        let Some(head) = self.head else {
            return Ok(None);
        };
        first_commit_with(repo, head, &paths::version(artefact, version))
    }

    /// Every (artefact, version) whose commit says it cites `id` as a decision or change.
    pub fn citing(&self, id: &str) -> Vec<(String, VersionNumber)> {
        let mut found: Vec<(String, VersionNumber)> = self
            .commits
            .iter()
            .filter(|(_, r)| {
                r.decisions
                    .iter()
                    .chain(&r.changes)
                    .any(|cited| cited == id)
            })
            .filter_map(|((artefact, version), _)| Some((artefact.clone(), version.parse().ok()?)))
            .collect();
        found.sort();
        found
    }

    fn save(&self, path: &Path) -> Result<()> {
        let mut text = format!(
            "head {}\n",
            self.head.map(|h| h.to_string()).unwrap_or_default()
        );
        for ((artefact, version), r) in &self.commits {
            text.push_str(&format!(
                "{} {artefact} {version} {} {}\n",
                r.commit,
                r.decisions.join(","),
                r.changes.join(",")
            ));
        }
        super::journal::replace_file(path, text.as_bytes())
    }
}

fn read(path: &Path) -> Option<CommitIndex> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    let head = git2::Oid::from_str(lines.next()?.strip_prefix("head ")?).ok()?;
    let mut commits = HashMap::new();
    let ids = |field: &str| -> Vec<String> {
        field
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    for line in lines {
        let mut parts = line.split(' ');
        let (commit, artefact, version) = (parts.next()?, parts.next()?, parts.next()?);
        let recorded = Recorded {
            commit: git2::Oid::from_str(commit).ok()?,
            decisions: ids(parts.next()?),
            changes: ids(parts.next()?),
        };
        commits.insert((artefact.to_string(), version.to_string()), recorded);
    }
    Some(CommitIndex {
        head: Some(head),
        commits,
    })
}

/// The (artefact, version) a commit message's trailers say it recorded.
fn recorded_version(commit: git2::Oid, message: &str) -> Option<((String, String), Recorded)> {
    let values = |key: &str| -> Vec<String> {
        message
            .lines()
            .filter_map(|line| {
                line.strip_prefix(key)?
                    .strip_prefix(": ")
                    .map(|v| v.trim().to_string())
            })
            .collect()
    };
    let artefact = values(ARTEFACT_TRAILER).into_iter().next()?;
    let version: VersionNumber = values(VERSION_TRAILER).first()?.parse().ok()?;
    let recorded = Recorded {
        commit,
        decisions: values(DECISION_TRAILER),
        changes: values(CHANGE_TRAILER),
    };
    Some(((artefact, version.to_string()), recorded))
}

/// Follows first parents back from `head` to the commit that added `path`.
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

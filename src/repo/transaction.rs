//! A write command's single transaction: lock, load, check, write objects, move refs.

use serde::Serialize;

use super::Repo;
use super::journal::{self, Journal};
use super::lock::Lock;
use super::snapshot::Snapshot;
use super::tree::TreeEdit;
use crate::error::{Error, Result};
use crate::model::trailers::CommitMessage;
use crate::model::{Config, paths};

pub struct Transaction<'r> {
    repo: &'r Repo,
    description: String,
    snapshot: Snapshot<'r>,
    edit: TreeEdit,
    files: Vec<(String, String)>,
    sources: std::collections::HashMap<String, std::path::PathBuf>,
    /// Tags to make: name, message, and the key that must sign it.
    tags: Vec<(String, String, Option<crate::model::approvers::PublicKey>)>,
    _lock: Lock,
}

impl Repo {
    /// Refuses, before anything is written, an index that libgit2 cannot read
    /// and so cannot update: a commit made with it left stale would drop the
    /// new records from the user's next plain `git commit`.
    fn check_index_writable(&self) -> Result<()> {
        // A copy of its own: the repository's cached index is read once the lock is held.
        let readable = git2::Index::open(&self.git.path().join("index"));
        match readable {
            Ok(_) => Ok(()),
            Err(err) => Err(Error::refused(
                format!(
                    "git's index in this clone is in a form baseline cannot update ({})",
                    err.message()
                ),
                "a split index (core.splitIndex) is the usual cause: run `git config core.splitIndex false && git update-index --no-split-index`, then try again",
            )),
        }
    }

    /// Takes the lock, finishes or discards any interrupted transaction, and loads HEAD.
    pub fn begin(&self, description: impl Into<String>) -> Result<Transaction<'_>> {
        let description = description.into();
        if self.is_bare() {
            return Err(Error::refused(
                format!(
                    "{} is a bare repository, with no working tree to record from",
                    self.git.path().display()
                ),
                "run write commands in a clone; a bare repository can be read and verified",
            ));
        }
        self.check_index_writable()?;
        let mut acquired = Lock::acquire(&self.shared_state_dir()?.join("lock"), &description)?;
        if let Some(holder) = &acquired.stale_holder {
            self.notices().push(format!(
                "the previous baseline command was killed before it finished ({})",
                holder.replace('\n', "; ")
            ));
            self.remove_locks_left_by_the_dead(holder)?;
        }
        if let Some(what) = journal::recover(self)? {
            self.notices().push(what);
        }
        if acquired.stale_holder.is_some() {
            acquired.lock.settle()?;
        }
        Ok(Transaction {
            repo: self,
            description,
            snapshot: Snapshot::at_head(self)?,
            edit: TreeEdit::default(),
            files: Vec::new(),
            sources: Default::default(),
            tags: Vec::new(),
            _lock: acquired.lock,
        })
    }
}

impl Repo {
    /// A killed baseline command may leave git's own lock files behind, which would
    /// block every later write. Only lock files made after it started are removed —
    /// those it made itself, as no other baseline command could run meanwhile;
    /// older ones belong to someone else and are only reported. File times come
    /// from a coarser clock than the one the holder's start was read from, hence
    /// the second of slack.
    fn remove_locks_left_by_the_dead(&self, holder: &str) -> Result<()> {
        // The earliest start named (each holder's line ends with it): a command
        // that died before clearing a killed one's leftovers leaves both named.
        let started: Option<std::time::SystemTime> = holder
            .lines()
            .filter_map(|line| line.rsplit_once(" since "))
            .filter_map(|(_, at)| at.trim().parse::<jiff::Timestamp>().ok())
            .min()
            .map(std::time::SystemTime::from)
            .and_then(|t| t.checked_sub(std::time::Duration::from_secs(1)));
        let mut candidates = vec![
            format!("{}.lock", self.branch_ref()?),
            "index.lock".to_string(),
            "packed-refs.lock".to_string(),
        ];
        if let Some(pending) = journal::pending(self)? {
            candidates.extend(
                pending
                    .tags
                    .iter()
                    .map(|(name, _)| format!("{}.lock", paths::tag_ref(name))),
            );
        }
        for candidate in candidates {
            let path = self.git.path().join(&candidate);
            let Ok(modified) = std::fs::metadata(&path).and_then(|m| m.modified()) else {
                continue;
            };
            if started.is_some_and(|started| modified >= started) {
                std::fs::remove_file(&path).map_err(crate::error::io_at(&path))?;
                self.notices().push(format!(
                    "removed {candidate}, left behind by the killed command"
                ));
            } else {
                self.notices().push(format!(
                    "{} exists and is older than the killed command: if no git command is running, remove it",
                    path.display()
                ));
            }
        }
        Ok(())
    }
}

impl<'r> Transaction<'r> {
    /// The records as they were when the lock was taken.
    pub fn snapshot(&self) -> &Snapshot<'r> {
        &self.snapshot
    }

    pub fn config(&self) -> Result<Config> {
        self.snapshot.config()
    }

    pub fn repo(&self) -> &'r Repo {
        self.repo
    }

    /// Stages a file's new bytes; returns the blob id.
    pub fn write(&mut self, path: &str, bytes: &[u8]) -> Result<git2::Oid> {
        let blob = self.repo.git.blob(bytes)?;
        self.stage(path, blob);
        Ok(blob)
    }

    /// Stages a blob already in the object store (a document stored as it was
    /// read) as a file's new content.
    fn stage(&mut self, path: &str, blob: git2::Oid) {
        self.edit.put(path, blob);
        self.files.push((path.to_string(), blob.to_string()));
    }

    /// Stages a document stored as it was read from `source` as a file's new
    /// content; once committed, the working file is copied from `source` if it
    /// still holds those bytes.
    pub fn stage_document(&mut self, path: &str, blob: git2::Oid, source: &std::path::Path) {
        self.stage(path, blob);
        self.sources.insert(path.to_string(), source.to_path_buf());
    }

    /// Stages a record that must not exist yet: records are written once.
    pub fn create_record<T: Serialize>(&mut self, path: &str, record: &T) -> Result<()> {
        if self.snapshot.exists(path)? {
            return Err(Error::refused(
                format!("{path} already exists, and records are never overwritten"),
                "choose a new id or version number",
            ));
        }
        self.write(path, record_text(record).as_bytes())?;
        Ok(())
    }

    /// Stages the new text of a record that grows by appending (a change's history).
    pub fn append_record<T: Serialize>(&mut self, path: &str, record: &T) -> Result<()> {
        self.write(path, record_text(record).as_bytes())?;
        Ok(())
    }

    /// Asks for an annotated tag on the new commit; tags are never moved.
    pub fn tag(&mut self, name: &str, message: String) -> Result<()> {
        self.tag_signed_by(name, message, None)
    }

    /// Asks for an annotated tag on the new commit, signed with `key` by the
    /// user's git signing setup when one is given.
    pub fn tag_signed_by(
        &mut self,
        name: &str,
        message: String,
        key: Option<crate::model::approvers::PublicKey>,
    ) -> Result<()> {
        if let Ok(existing) = self.repo.git.refname_to_id(&paths::tag_ref(name)) {
            return Err(Error::refused(
                format!("tag {name} already exists (at {existing}), and tags are never moved"),
                "choose another version number with --version, or investigate who made the tag with `git show`",
            ));
        }
        self.tags.push((name.to_string(), message, key));
        Ok(())
    }

    /// Commits everything staged as one commit on the branch, then tags it.
    pub fn commit(self, message: &CommitMessage) -> Result<git2::Oid> {
        // The working files are written once committed: none may lead outside.
        for (path, _) in &self.files {
            super::files::refuse_links(&self.repo.root, path)?;
        }
        let git = &self.repo.git;
        let branch = self.repo.branch_ref()?;
        let signature = self.repo.signature()?;
        let tree = git.find_tree(self.edit.write(git, self.snapshot.tree())?)?;
        let parents: Vec<&git2::Commit<'_>> = self.snapshot.commit().into_iter().collect();
        let commit = git.commit(
            None,
            &signature,
            &signature,
            &message.to_string(),
            &tree,
            &parents,
        )?;
        let target = git.find_object(commit, Some(git2::ObjectType::Commit))?;
        let tags = self
            .tags
            .iter()
            .map(|(name, text, key)| {
                let tag = match key {
                    Some(key) => self.repo.signed_tag(name, commit, text, key)?,
                    None => git.tag_annotation_create(name, &target, &signature, text)?,
                };
                Ok((name.clone(), tag.to_string()))
            })
            .collect::<Result<Vec<_>>>()?;
        let old = self.snapshot.commit().map(|c| c.id());
        let record = Journal {
            description: self.description.clone(),
            branch: branch.clone(),
            old_commit: old.map(|o| o.to_string()),
            new_commit: commit.to_string(),
            tags,
            dropped_tags: Vec::new(),
            files: self.files.clone(),
            removed_files: Vec::new(),
            sources: self.sources.clone(),
        };
        journal::write(self.repo, &record)?;
        failpoint("before-branch-move");
        let moved = match old {
            Some(old) => git.reference_matching(&branch, commit, true, old, &message.subject),
            None => git.reference(&branch, commit, false, &message.subject),
        };
        if let Err(err) = moved {
            journal::clear(self.repo)?;
            return Err(Error::refused(
                format!(
                    "{branch} moved while baseline was working ({})",
                    err.message()
                ),
                "something other than baseline committed at the same moment; run the command again",
            ));
        }
        failpoint("after-branch-move");
        journal::finish(self.repo, &record, journal::Refresh::Overwrite);
        Ok(commit)
    }
}

/// The TOML text of a record, as committed.
pub fn record_text<T: Serialize>(record: &T) -> String {
    toml::to_string(record).expect("records always serialise to TOML")
}

/// Dies on the spot when BASELINE_FAILPOINT names this point: how the tests prove
/// that a process killed between two steps leaves a repository that recovers.
/// Only debug builds (those the tests run) have it; a release binary ignores the
/// variable.
#[cfg(debug_assertions)]
fn failpoint(name: &str) {
    if std::env::var_os("BASELINE_FAILPOINT").is_some_and(|v| v == name) {
        std::process::abort();
    }
}

#[cfg(not(debug_assertions))]
fn failpoint(_name: &str) {}

//! `sync --renumber`: where another clone recorded the same version number
//! first, a local version is given the next free number as it is replayed,
//! and what names it later in the replay (a baseline's `promotes`, a
//! release's entry) follows it. Only version numbers move: a decision, change
//! or other record made twice under one id still collides.

use std::collections::BTreeMap;

use git2::build::TreeUpdateBuilder;
use git2::{Delta, FileMode, Oid};

use super::Repo;
use super::snapshot::{Snapshot, parse_record};
use super::transaction::record_text;
use crate::error::Result;
use crate::model::paths::{self, Record};
use crate::model::trailers;
use crate::model::{Release, Status, VersionNumber, VersionRecord};

/// A local version given a new number.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Renumbered {
    pub artefact: String,
    pub from: VersionNumber,
    pub to: VersionNumber,
}

/// The numbers moved so far in one replay: (artefact, old) → new.
#[derive(Debug, Default)]
pub struct Renumbering {
    pub moved: BTreeMap<(String, VersionNumber), VersionNumber>,
}

impl Renumbering {
    fn number_of(&self, artefact: &str, number: &VersionNumber) -> VersionNumber {
        self.moved
            .get(&(artefact.to_string(), number.clone()))
            .unwrap_or(number)
            .clone()
    }

    /// The new name of the baseline tag `name`, where its version moved.
    pub fn new_tag_name(&self, name: &str) -> Option<String> {
        let (artefact, version) = paths::parse_tag(name)?;
        let moved = self.moved.get(&(artefact.to_string(), version))?;
        Some(paths::tag(artefact, moved))
    }

    pub fn list(&self) -> Vec<Renumbered> {
        self.moved
            .iter()
            .map(|((artefact, from), to)| Renumbered {
                artefact: artefact.clone(),
                from: from.clone(),
                to: to.clone(),
            })
            .collect()
    }
}

/// A commit made ready to replay: itself, or a copy whose versions have their
/// new numbers; and the working files of the versions it renumbered, where
/// its content stands over the other clone's.
pub(super) struct Prepared {
    pub commit: Oid,
    pub content_files: Vec<String>,
}

/// One commit's rewriting, gathered before its tree and message are made.
struct Rewrite<'m> {
    update: TreeUpdateBuilder,
    changed: bool,
    message: String,
    content_files: Vec<String>,
    remote: &'m str,
}

impl Repo {
    /// `commit` as it must be replayed onto `onto` so that none of its
    /// versions takes a number `onto` already holds.
    pub(super) fn renumber(
        &self,
        commit: &git2::Commit<'_>,
        onto: Oid,
        remote: &str,
        renumbering: &mut Renumbering,
    ) -> Result<Prepared> {
        let unchanged = Prepared {
            commit: commit.id(),
            content_files: Vec::new(),
        };
        let Ok(parent) = commit.parent(0) else {
            return Ok(unchanged);
        };
        let onto = Snapshot::at_commit(self, onto)?;
        let diff =
            self.git
                .diff_tree_to_tree(Some(&parent.tree()?), Some(&commit.tree()?), None)?;
        let mut rewrite = Rewrite {
            update: TreeUpdateBuilder::new(),
            changed: false,
            message: commit.message_raw().unwrap_or_default().to_string(),
            content_files: Vec::new(),
            remote,
        };
        for delta in diff.deltas().filter(|d| d.status() == Delta::Added) {
            let Some(path) = delta.new_file().path().and_then(|p| p.to_str()) else {
                continue;
            };
            let blob = delta.new_file().id();
            match Record::parse(path) {
                Some(Record::Version(..)) => {
                    self.renumber_version(&mut rewrite, &onto, path, blob, renumbering)?
                }
                Some(Record::Release(_)) => {
                    self.renumber_release(&mut rewrite, path, blob, renumbering)?
                }
                _ => {}
            }
        }
        if !rewrite.changed {
            return Ok(unchanged);
        }
        let tree = rewrite.update.create_updated(&self.git, &commit.tree()?)?;
        let tree = self.git.find_tree(tree)?;
        let copy = self.git.commit(
            None,
            &commit.author(),
            &commit.committer(),
            &rewrite.message,
            &tree,
            &[&parent],
        )?;
        Ok(Prepared {
            commit: copy,
            content_files: rewrite.content_files,
        })
    }

    fn renumber_version(
        &self,
        rewrite: &mut Rewrite<'_>,
        onto: &Snapshot<'_>,
        path: &str,
        blob: Oid,
        renumbering: &mut Renumbering,
    ) -> Result<()> {
        let was: VersionRecord = parse_record(path, self.git.find_blob(blob)?.content())?;
        let mut now = was.clone();
        let taken = onto.blob_id(path)?.is_some_and(|theirs| theirs != blob);
        if taken {
            let highest = onto.version_numbers(&was.artefact)?.into_iter().max();
            now.version = match was.status {
                Status::Draft => VersionNumber::next_minor(highest.as_ref()),
                _ => VersionNumber::next_major(highest.as_ref()),
            };
            renumbering.moved.insert(
                (was.artefact.clone(), was.version.clone()),
                now.version.clone(),
            );
            rewrite
                .content_files
                .push(paths::content(&was.artefact, &was.file));
        }
        now.promotes = was
            .promotes
            .as_ref()
            .map(|draft| renumbering.number_of(&was.artefact, draft));
        if now.version == was.version && now.promotes == was.promotes {
            return Ok(());
        }
        let why = if taken {
            format!(
                "Renumbered from {} by `baseline sync --renumber`: {} already held a {} {} recorded in another clone.",
                was.version, rewrite.remote, was.artefact, was.version
            )
        } else {
            format!(
                "The draft it promotes was renumbered from {} by `baseline sync --renumber`.",
                was.promotes
                    .as_ref()
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            )
        };
        rewrite.message = trailers::renumbered(&rewrite.message, &was, &now, &why);
        let text = self.git.blob(record_text(&now).as_bytes())?;
        let new_path = paths::version(&now.artefact, &now.version);
        if new_path != path {
            rewrite.update.remove(path);
        }
        rewrite.update.upsert(new_path, text, FileMode::Blob);
        rewrite.changed = true;
        Ok(())
    }

    fn renumber_release(
        &self,
        rewrite: &mut Rewrite<'_>,
        path: &str,
        blob: Oid,
        renumbering: &Renumbering,
    ) -> Result<()> {
        let was: Release = parse_record(path, self.git.find_blob(blob)?.content())?;
        let mut now = was.clone();
        for included in &mut now.artefacts {
            included.version = renumbering.number_of(&included.artefact, &included.version);
        }
        if now == was {
            return Ok(());
        }
        let moved: Vec<String> = was
            .artefacts
            .iter()
            .zip(&now.artefacts)
            .filter(|(was, now)| was.version != now.version)
            .map(|(was, now)| format!("{} {} is now {}", was.artefact, was.version, now.version))
            .collect();
        let mut lines: Vec<String> = rewrite
            .message
            .trim_end()
            .lines()
            .map(String::from)
            .collect();
        trailers::insert_before_trailers(
            &mut lines,
            &format!(
                "Versions renumbered by `baseline sync --renumber`: {}.",
                moved.join(", ")
            ),
        );
        rewrite.message = lines.join("\n") + "\n";
        let text = self.git.blob(record_text(&now).as_bytes())?;
        rewrite.update.upsert(path, text, FileMode::Blob);
        rewrite.changed = true;
        Ok(())
    }
}

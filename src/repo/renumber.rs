//! `sync --renumber`: as local commits are replayed onto the remote's branch,
//! a local version whose number is not above the highest the branch now holds
//! for its artefact (the remote took it, or an earlier local version was
//! itself renumbered past it) takes the next free number, and what names it
//! later in the replay (a baseline's `promotes`, a release's entry) follows
//! it. Only version numbers move: a decision, change or other record made
//! twice under one id still collides.

use std::collections::HashMap;

use git2::build::TreeUpdateBuilder;
use git2::{Delta, FileMode, Oid};

use super::Repo;
use super::snapshot::{Snapshot, parse_record};
use super::transaction::record_text;
use crate::error::{Error, Result};
use crate::model::paths::{self, Record};
use crate::model::trailers;
use crate::model::{Release, Status, VersionNumber, VersionRecord};

/// A local version given a new number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Renumbered {
    pub artefact: String,
    pub from: VersionNumber,
    pub to: VersionNumber,
}

/// What a rewritten commit's message gains, in the caller's words.
pub enum Note<'n> {
    /// The commit recorded `moved`, which now comes after version `after`.
    Version {
        moved: &'n Renumbered,
        after: &'n VersionNumber,
    },
    /// The commit names versions that were renumbered (a baseline's promoted
    /// draft, a release's entries).
    Follows(&'n [Renumbered]),
}

/// Writes the paragraph a rewritten commit's message gains.
pub type Explain<'e> = dyn Fn(Note<'_>) -> String + 'e;

/// The renumbering of one replay so far.
#[derive(Default)]
pub struct Renumbering {
    moved: Vec<Renumbered>,
    /// Each rewritten record's blob → its new path and blob: a merge that
    /// brings a record already replayed brings the very same rewritten one.
    rewritten: HashMap<Oid, (String, Oid)>,
}

impl Renumbering {
    pub fn moved(&self) -> &[Renumbered] {
        &self.moved
    }

    fn number_of(&self, artefact: &str, number: &VersionNumber) -> VersionNumber {
        self.moved
            .iter()
            .find(|m| m.artefact == artefact && &m.from == number)
            .map_or(number, |m| &m.to)
            .clone()
    }

    /// The new name of the baseline tag `name`, where its version moved.
    pub fn new_tag_name(&self, name: &str) -> Option<String> {
        let (artefact, version) = paths::parse_tag(name)?;
        self.moved
            .iter()
            .find(|m| m.artefact == artefact && m.from == version)
            .map(|m| paths::tag(artefact, &m.to))
    }
}

/// A commit made ready to replay: itself, or a copy whose versions have their
/// new numbers; and the working files of the versions it renumbered, which
/// must hold its content whatever the remote's changes to them.
pub(super) struct Prepared {
    pub commit: Oid,
    pub content_files: Vec<String>,
}

/// One commit's rewriting, gathered before its tree and message are made.
struct Rewrite {
    update: TreeUpdateBuilder,
    changed: bool,
    message: String,
    content_files: Vec<String>,
}

impl Repo {
    /// `commit` as it must be replayed onto `onto` so that each of its
    /// versions numbers above what `onto` holds.
    pub(super) fn renumber(
        &self,
        commit: &git2::Commit<'_>,
        onto: Oid,
        explain: &Explain<'_>,
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
        };
        for delta in diff.deltas().filter(|d| d.status() == Delta::Added) {
            let Some(path) = delta.new_file().path().and_then(|p| p.to_str()) else {
                continue;
            };
            let blob = delta.new_file().id();
            match Record::parse(path) {
                Some(Record::Version(..)) => {
                    let version = (path, blob);
                    self.renumber_version(&mut rewrite, &onto, version, explain, renumbering)?
                }
                Some(Record::Release(_)) => {
                    self.renumber_release(&mut rewrite, path, blob, explain, renumbering)?
                }
                _ => {}
            }
        }
        if !rewrite.changed {
            return Ok(unchanged);
        }
        let tree = rewrite.update.create_updated(&self.git, &commit.tree()?)?;
        let tree = self.git.find_tree(tree)?;
        let parents: Vec<git2::Commit<'_>> = commit.parents().collect();
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let copy = self.git.commit(
            None,
            &commit.author(),
            &commit.committer(),
            &rewrite.message,
            &tree,
            &parents,
        )?;
        Ok(Prepared {
            commit: copy,
            content_files: rewrite.content_files,
        })
    }

    fn renumber_version(
        &self,
        rewrite: &mut Rewrite,
        onto: &Snapshot<'_>,
        (path, blob): (&str, Oid),
        explain: &Explain<'_>,
        renumbering: &mut Renumbering,
    ) -> Result<()> {
        if let Some((new_path, new_blob)) = renumbering.rewritten.get(&blob) {
            rewrite.update.remove(path);
            rewrite.update.upsert(new_path, *new_blob, FileMode::Blob);
            rewrite.changed = true;
            return Ok(());
        }
        if onto.blob_id(path)? == Some(blob) {
            return Ok(()); // the remote holds this very record
        }
        let was: VersionRecord = parse_record(path, self.git.find_blob(blob)?.content())?;
        let mut now = was.clone();
        let highest = onto.version_numbers(&was.artefact)?.into_iter().max();
        let after = highest.filter(|highest| was.version <= *highest);
        if let Some(after) = &after {
            refuse_same_content(onto, &was, after)?;
            now.version = match was.status {
                Status::Draft => VersionNumber::next_minor(Some(after)),
                _ => VersionNumber::next_major(Some(after)),
            };
        }
        now.promotes = was
            .promotes
            .as_ref()
            .map(|draft| renumbering.number_of(&was.artefact, draft));
        if now.version == was.version && now.promotes == was.promotes {
            return Ok(());
        }
        let note = match &after {
            Some(after) => {
                let moved = Renumbered {
                    artefact: was.artefact.clone(),
                    from: was.version.clone(),
                    to: now.version.clone(),
                };
                let note = explain(Note::Version {
                    moved: &moved,
                    after,
                });
                renumbering.moved.push(moved);
                rewrite
                    .content_files
                    .push(paths::content(&was.artefact, &was.file));
                note
            }
            None => explain(Note::Follows(&[Renumbered {
                artefact: was.artefact.clone(),
                from: was.promotes.clone().unwrap_or_else(|| was.version.clone()),
                to: now.promotes.clone().unwrap_or_else(|| now.version.clone()),
            }])),
        };
        rewrite.message = trailers::renumbered(&rewrite.message, &was, &now, &note);
        let text = self.git.blob(record_text(&now).as_bytes())?;
        let new_path = paths::version(&now.artefact, &now.version);
        if new_path != path {
            rewrite.update.remove(path);
        }
        rewrite.update.upsert(&new_path, text, FileMode::Blob);
        renumbering.rewritten.insert(blob, (new_path, text));
        rewrite.changed = true;
        Ok(())
    }

    fn renumber_release(
        &self,
        rewrite: &mut Rewrite,
        path: &str,
        blob: Oid,
        explain: &Explain<'_>,
        renumbering: &mut Renumbering,
    ) -> Result<()> {
        if let Some((_, new_blob)) = renumbering.rewritten.get(&blob) {
            rewrite.update.upsert(path, *new_blob, FileMode::Blob);
            rewrite.changed = true;
            return Ok(());
        }
        let was: Release = parse_record(path, self.git.find_blob(blob)?.content())?;
        let mut now = was.clone();
        let mut moved = Vec::new();
        for included in &mut now.artefacts {
            let number = renumbering.number_of(&included.artefact, &included.version);
            if number != included.version {
                moved.push(Renumbered {
                    artefact: included.artefact.clone(),
                    from: included.version.clone(),
                    to: number.clone(),
                });
                included.version = number;
            }
        }
        if moved.is_empty() {
            return Ok(());
        }
        let mut lines: Vec<String> = rewrite.message.lines().map(String::from).collect();
        trailers::insert_before_trailers(&mut lines, &explain(Note::Follows(&moved)));
        rewrite.message = lines.join("\n") + "\n";
        let text = self.git.blob(record_text(&now).as_bytes())?;
        rewrite.update.upsert(path, text, FileMode::Blob);
        renumbering.rewritten.insert(blob, (path.to_string(), text));
        rewrite.changed = true;
        Ok(())
    }
}

/// A local draft whose content is the remote's latest version's, byte for
/// byte, is not a new version: `draft` itself refuses one.
fn refuse_same_content(
    onto: &Snapshot<'_>,
    was: &VersionRecord,
    after: &VersionNumber,
) -> Result<()> {
    let latest = onto.version(&was.artefact, after)?;
    if was.status == Status::Draft && latest.is_some_and(|latest| latest.sha256 == was.sha256) {
        return Err(Error::refused(
            format!(
                "{} {} recorded here holds the same content as {} {} now on the branch (sha256 {}), so it cannot be renumbered as a new version",
                was.artefact,
                was.version,
                was.artefact,
                after,
                &was.sha256[..12]
            ),
            "the other clone recorded it already: set yours aside with `git reset --keep` onto the remote branch and go on from theirs",
        ));
    }
    Ok(())
}

//! Reading records from one commit's tree: only what a command asks for.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::de::DeserializeOwned;

use super::Repo;
use crate::error::{Error, Result};
use crate::model::config::CONFIG_FILE;
use crate::model::{
    Action, Artefact, Change, Config, Correction, Decision, IdKind, Meeting, Release, Status,
    VersionNumber, VersionRecord, paths,
};

pub struct Snapshot<'r> {
    repo: &'r Repo,
    commit: Option<git2::Commit<'r>>,
    tree: Option<git2::Tree<'r>>,
    /// Folders already looked up: libgit2 does not cache large trees (the
    /// `artefacts` folder of a big programme), so every path lookup from the root
    /// would inflate and hash it again.
    folders: RefCell<HashMap<String, git2::Tree<'r>>>,
}

impl<'r> Snapshot<'r> {
    /// The records as of a given commit.
    pub fn at_commit(repo: &'r Repo, id: git2::Oid) -> Result<Snapshot<'r>> {
        let commit = repo.git.find_commit(id)?;
        let tree = commit.tree()?;
        Ok(Snapshot {
            repo,
            commit: Some(commit),
            tree: Some(tree),
            folders: RefCell::default(),
        })
    }

    pub(crate) fn at_head(repo: &'r Repo) -> Result<Snapshot<'r>> {
        let commit = match repo.git.head() {
            Ok(head) => Some(head.peel_to_commit()?),
            Err(err) if err.code() == git2::ErrorCode::UnbornBranch => None,
            Err(err) => return Err(err.into()),
        };
        let tree = commit.as_ref().map(|c| c.tree()).transpose()?;
        Ok(Snapshot {
            repo,
            commit,
            tree,
            folders: RefCell::default(),
        })
    }

    pub fn repo(&self) -> &'r Repo {
        self.repo
    }

    pub fn commit(&self) -> Option<&git2::Commit<'r>> {
        self.commit.as_ref()
    }

    pub(crate) fn tree(&self) -> Option<&git2::Tree<'r>> {
        self.tree.as_ref()
    }

    /// The tree of a folder ("" is the root), if there is one.
    fn folder(&self, dir: &str) -> Result<Option<git2::Tree<'r>>> {
        if dir.is_empty() {
            return Ok(self.tree.clone());
        }
        if let Some(tree) = self.folders.borrow().get(dir) {
            return Ok(Some(tree.clone()));
        }
        let (parent, name) = dir.rsplit_once('/').unwrap_or(("", dir));
        let Some(parent) = self.folder(parent)? else {
            return Ok(None);
        };
        let Some(id) = parent
            .get_name(name)
            .filter(|e| e.kind() == Some(git2::ObjectType::Tree))
            .map(|e| e.id())
        else {
            return Ok(None);
        };
        let tree = self.repo.git.find_tree(id)?;
        self.folders
            .borrow_mut()
            .insert(dir.to_string(), tree.clone());
        Ok(Some(tree))
    }

    fn entry(&self, path: &str) -> Result<Option<git2::TreeEntry<'static>>> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        Ok(self
            .folder(dir)?
            .and_then(|tree| tree.get_name(name).map(|e| e.to_owned())))
    }

    pub fn exists(&self, path: &str) -> Result<bool> {
        Ok(self.entry(path)?.is_some())
    }

    /// The blob id at `path`, if a file is there.
    pub fn blob_id(&self, path: &str) -> Result<Option<git2::Oid>> {
        Ok(self
            .entry(path)?
            .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
            .map(|e| e.id()))
    }

    pub fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        match self.blob_id(path)? {
            Some(id) => Ok(Some(self.blob(id)?)),
            None => Ok(None),
        }
    }

    pub fn blob(&self, id: git2::Oid) -> Result<Vec<u8>> {
        Ok(self.repo.git.find_blob(id)?.content().to_vec())
    }

    /// The names in a folder of the tree, sorted as git sorts them.
    pub fn list(&self, dir: &str) -> Result<Vec<String>> {
        let Some(tree) = self.folder(dir)? else {
            return Ok(Vec::new());
        };
        Ok(tree
            .iter()
            .filter_map(|e| e.name().ok().map(str::to_string))
            .collect())
    }

    /// The folders inside a folder, with their tree ids.
    pub fn folder_entries(&self, dir: &str) -> Result<Vec<(String, git2::Oid)>> {
        let Some(tree) = self.folder(dir)? else {
            return Ok(Vec::new());
        };
        Ok(tree
            .iter()
            .filter(|e| e.kind() == Some(git2::ObjectType::Tree))
            .filter_map(|e| Some((e.name().ok()?.to_string(), e.id())))
            .collect())
    }

    pub fn record<T: DeserializeOwned>(&self, path: &str) -> Result<Option<T>> {
        self.read(path)?
            .map(|bytes| parse_record(path, &bytes))
            .transpose()
    }

    /// Who may sign baselines: the `approvers` file (none while it does not exist).
    pub fn approvers(&self) -> Result<Vec<crate::model::approvers::Approver>> {
        match self.read(crate::model::paths::APPROVERS)? {
            None => Ok(Vec::new()),
            Some(bytes) => crate::model::approvers::parse(&String::from_utf8_lossy(&bytes)),
        }
    }

    pub fn config(&self) -> Result<Config> {
        self.record(CONFIG_FILE)?.ok_or_else(|| {
            Error::refused(
                format!("no {CONFIG_FILE} in the last commit"),
                "run `baseline init` here first",
            )
        })
    }

    pub fn artefact(&self, id: &str) -> Result<Option<Artefact>> {
        let path = paths::artefact(id);
        let Some(artefact) = self.record::<Artefact>(&path)? else {
            return Ok(None);
        };
        // The record names a file that commands read from the working tree: it must
        // stay inside the artefact's folder, whoever edited the record.
        let plain = crate::model::id::check_safe(IdKind::Artefact, &artefact.file).is_ok();
        if artefact.id != id || !plain {
            return Err(Error::failed(
                format!(
                    "{path} is not a record baseline wrote: it names artefact \"{}\" and file \"{}\"",
                    artefact.id.escape_debug(),
                    artefact.file.escape_debug()
                ),
                format!("restore the committed record: see `git log -p -- {path}`"),
            ));
        }
        Ok(Some(artefact))
    }

    pub fn require_artefact(&self, id: &str) -> Result<Artefact> {
        self.artefact(id)?.ok_or_else(|| {
            Error::refused(
                format!("no artefact {id} is registered"),
                "check the id with `baseline list`, or register it with `baseline add`",
            )
        })
    }

    pub fn artefact_ids(&self) -> Result<Vec<String>> {
        self.list(paths::ARTEFACTS)
    }

    /// The numbers of an artefact's recorded versions, lowest first, from the
    /// file names alone (no record is read).
    pub fn version_numbers(&self, artefact: &str) -> Result<Vec<VersionNumber>> {
        let mut numbers: Vec<VersionNumber> = self
            .list(&paths::versions_dir(artefact))?
            .iter()
            .filter_map(|name| paths::record_id(name)?.parse().ok())
            .collect();
        numbers.sort();
        Ok(numbers)
    }

    pub fn version(&self, artefact: &str, number: &VersionNumber) -> Result<Option<VersionRecord>> {
        self.record(&paths::version(artefact, number))
    }

    /// The latest recorded version and the latest baseline, reading as few records
    /// as it can (newest first, stopping at the first baseline).
    pub fn latest_and_baseline(
        &self,
        artefact: &str,
    ) -> Result<(Option<VersionRecord>, Option<VersionRecord>)> {
        let mut latest = None;
        for number in self.version_numbers(artefact)?.iter().rev() {
            let Some(record) = self.version(artefact, number)? else {
                continue;
            };
            if record.status == Status::Baselined {
                return Ok((latest.or_else(|| Some(record.clone())), Some(record)));
            }
            latest.get_or_insert(record);
        }
        Ok((latest, None))
    }

    /// Every recorded version of an artefact, oldest first.
    pub fn versions(&self, artefact: &str) -> Result<Vec<VersionRecord>> {
        let dir = paths::versions_dir(artefact);
        let mut versions = self
            .list(&dir)?
            .iter()
            .filter(|name| paths::record_id(name).is_some())
            .map(|name| {
                let path = format!("{dir}/{name}");
                self.record::<VersionRecord>(&path)?
                    .ok_or_else(|| Error::failed(format!("{path} vanished"), "run `git fsck`"))
            })
            .collect::<Result<Vec<_>>>()?;
        versions.sort_by(|a, b| a.version.cmp(&b.version));
        Ok(versions)
    }

    /// Refuses an id that differs only in case from a record in `folder`: the two
    /// files would clash on Windows and macOS.
    pub fn refuse_case_clash(&self, kind: &str, folder: &str, id: &str) -> Result<()> {
        let clash = self
            .list(folder)?
            .into_iter()
            .filter_map(|name| paths::record_id(&name).map(str::to_string))
            .find(|existing| existing != id && existing.eq_ignore_ascii_case(id));
        match clash {
            Some(existing) => Err(Error::refused(
                format!(
                    "{kind} {existing} is already recorded, and ids differing only in case would clash on Windows and macOS"
                ),
                "use the existing id, or another one",
            )),
            None => Ok(()),
        }
    }

    /// A decision as it stands now: its record with its corrections applied.
    pub fn decision(&self, id: &str) -> Result<Option<Decision>> {
        let Some(recorded) = self.recorded_decision(id)? else {
            return Ok(None);
        };
        Ok(Some(recorded.corrected(self.corrections(id)?)))
    }

    /// A decision as its own record says, before any correction.
    pub fn recorded_decision(&self, id: &str) -> Result<Option<Decision>> {
        self.record(&paths::decision(id))
    }

    /// A decision's corrections, oldest first.
    pub fn corrections(&self, decision: &str) -> Result<Vec<Correction>> {
        let dir = paths::corrections_dir(decision);
        let mut numbered: Vec<u32> = self
            .list(&dir)?
            .iter()
            .filter_map(|name| paths::record_id(name)?.parse().ok())
            .collect();
        numbered.sort_unstable();
        numbered
            .into_iter()
            .filter_map(|n| self.record(&paths::correction(decision, n)).transpose())
            .collect()
    }

    pub fn require_decision(&self, id: &str) -> Result<Decision> {
        self.decision(id)?.ok_or_else(|| {
            Error::refused(
                format!("no decision {id} is recorded"),
                format!("record it first with `baseline decision add {id} --date … --outcome … --text …`, or check the id with `baseline decision list`"),
            )
        })
    }

    pub fn change(&self, id: &str) -> Result<Option<Change>> {
        self.record(&paths::change(id))
    }

    pub fn require_change(&self, id: &str) -> Result<Change> {
        self.change(id)?.ok_or_else(|| {
            Error::refused(
                format!("no change {id} is recorded"),
                format!("raise it first with `baseline change add {id} --title … --affects …`, or check the id with `baseline change list`"),
            )
        })
    }

    fn all_records<T: DeserializeOwned>(&self, dir: &str) -> Result<Vec<T>> {
        self.list(dir)?
            .iter()
            .filter(|name| paths::record_id(name).is_some())
            .filter_map(|name| self.record(&format!("{dir}/{name}")).transpose())
            .collect()
    }

    /// Every decision as it stands now.
    pub fn decisions(&self) -> Result<Vec<Decision>> {
        self.list(paths::DECISIONS)?
            .iter()
            .filter_map(|name| paths::record_id(name))
            .filter_map(|id| self.decision(id).transpose())
            .collect()
    }

    /// The decisions `id` superseded: those whose corrections say it superseded them.
    pub fn decisions_superseded_by(&self, id: &str) -> Result<Vec<String>> {
        let mut older = Vec::new();
        for decision in self.list(paths::CORRECTIONS)? {
            let corrections = self.corrections(&decision)?;
            if corrections
                .iter()
                .any(|c| c.superseded_by.as_deref() == Some(id))
            {
                older.push(decision);
            }
        }
        Ok(older)
    }

    pub fn changes(&self) -> Result<Vec<Change>> {
        self.all_records(paths::CHANGES)
    }

    pub fn meetings(&self) -> Result<Vec<Meeting>> {
        self.all_records(paths::MEETINGS)
    }

    pub fn require_meeting(&self, id: &str) -> Result<Meeting> {
        self.record(&paths::meeting(id))?.ok_or_else(|| {
            Error::refused(
                format!("no meeting {id} is recorded"),
                "meetings come from `baseline import report FILE`; check the id with `baseline meeting list`",
            )
        })
    }

    /// Every release, oldest first (by date, then by when it was recorded).
    pub fn releases(&self) -> Result<Vec<Release>> {
        let mut releases: Vec<Release> = self.all_records(paths::RELEASES)?;
        releases.sort_by_key(|r| (r.date, r.recorded_at));
        Ok(releases)
    }

    pub fn require_release(&self, id: &str) -> Result<Release> {
        self.record(&paths::release(id))?.ok_or_else(|| {
            Error::refused(
                format!("no release {id} is recorded"),
                "check the id with `baseline release list`",
            )
        })
    }

    pub fn actions(&self) -> Result<Vec<Action>> {
        self.all_records(paths::ACTIONS)
    }

    pub fn require_action(&self, id: &str) -> Result<Action> {
        self.record(&paths::action(id))?.ok_or_else(|| {
            Error::refused(
                format!("no action {id} is recorded"),
                "actions come from `baseline import report FILE`; check the id with `baseline action list`",
            )
        })
    }
}

/// Parses a record, naming the file and line when it is not what the tool wrote.
pub fn parse_record<T: DeserializeOwned>(path: &str, bytes: &[u8]) -> Result<T> {
    let text = std::str::from_utf8(bytes).map_err(|err| {
        Error::failed(
            format!("{path} is not UTF-8 text (byte {})", err.valid_up_to()),
            format!(
                "restore the record with `git checkout HEAD -- {path}` or `git log -p -- {path}`"
            ),
        )
    })?;
    toml::from_str(text).map_err(|err| {
        let line = err
            .span()
            .map(|span| text[..span.start].matches('\n').count() + 1)
            .map_or(String::new(), |line| format!(" at line {line}"));
        Error::failed(
            format!("{path}{line}: {}", err.message()),
            format!("records are written by baseline and never edited: see `git log -p -- {path}` and restore the committed text"),
        )
    })
}

/// The latest version with the given status, from a list sorted oldest first.
pub fn latest_with_status(versions: &[VersionRecord], status: Status) -> Option<&VersionRecord> {
    versions.iter().rev().find(|v| v.status == status)
}

/// The version with the given number, if recorded.
pub fn find_version<'v>(
    versions: &'v [VersionRecord],
    number: &VersionNumber,
) -> Option<&'v VersionRecord> {
    versions.iter().find(|v| &v.version == number)
}

//! Replaying local record commits onto the remote's branch, as `git rebase`
//! would but in memory: nothing here touches a ref or a file until
//! [`Repo::move_to`], which moves the branch, the replayed baseline tags and
//! the working files together, through the transaction journal.

use std::collections::HashMap;

use git2::Oid;

use super::Repo;
use super::journal::{self, Journal, Refresh};
use super::renumber::{Explain, Prepared, Renumbering};
use super::snapshot::Snapshot;
use crate::error::{Error, Result};
use crate::model::paths;

/// The local commits replayed onto the remote's head.
pub struct Replayed {
    pub head: Oid,
    /// Each local commit and the commit that replays it; a commit whose
    /// changes the remote already holds maps to none.
    pub commits: HashMap<Oid, Option<Oid>>,
    /// The versions given new numbers on the way.
    pub renumbering: Renumbering,
}

/// A local commit whose changes meet the remote's on the same files.
pub struct Collision {
    pub local: Oid,
    pub paths: Vec<String>,
}

impl Repo {
    /// The commits on `local` that `onto` lacks, oldest first (merges
    /// included: a merge is replayed as the change it made to its first parent).
    pub fn unpublished(&self, local: Oid, onto: Option<Oid>) -> Result<Vec<Oid>> {
        let mut walk = self.git.revwalk()?;
        walk.push(local)?;
        if let Some(onto) = onto {
            walk.hide(onto)?;
        }
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
        Ok(walk.collect::<std::result::Result<_, _>>()?)
    }

    /// Replays `commits` onto `onto`, keeping each one's author and message;
    /// stops at the first that collides with what `onto` holds. Where
    /// `renumber` is given (it words the note a rewritten commit gains), a
    /// version numbered no higher than `onto` holds takes the next free
    /// number instead of colliding.
    pub fn replay(
        &self,
        commits: &[Oid],
        onto: Oid,
        renumber: Option<&Explain<'_>>,
    ) -> Result<std::result::Result<Replayed, Collision>> {
        let committer = self.signature()?;
        let mut head = self.git.find_commit(onto)?;
        let mut replayed = HashMap::new();
        let mut renumbering = Renumbering::default();
        for &id in commits {
            let original = self.git.find_commit(id)?;
            let prepared = match renumber {
                Some(explain) => self.renumber(&original, head.id(), explain, &mut renumbering)?,
                None => Prepared {
                    commit: id,
                    content_files: Vec::new(),
                },
            };
            let commit = self.git.find_commit(prepared.commit)?;
            let mainline = u32::from(commit.parent_count() > 1);
            let mut index = self.git.cherrypick_commit(&commit, &head, mainline, None)?;
            keep_replayed_content(&mut index, &commit.tree()?, &prepared.content_files)?;
            if index.has_conflicts() {
                let paths = index
                    .conflicts()?
                    .filter_map(|c| c.ok())
                    .filter_map(|c| c.our.or(c.their).or(c.ancestor))
                    .map(|entry| String::from_utf8_lossy(&entry.path).into_owned())
                    .collect();
                return Ok(Err(Collision { local: id, paths }));
            }
            let tree = self.git.find_tree(index.write_tree_to(&self.git)?)?;
            if tree.id() == head.tree_id() {
                replayed.insert(id, None);
                continue;
            }
            let message = commit.message_raw().unwrap_or_default();
            let new =
                self.git
                    .commit(None, &commit.author(), &committer, message, &tree, &[&head])?;
            replayed.insert(id, Some(new));
            head = self.git.find_commit(new)?;
        }
        Ok(Ok(Replayed {
            head: head.id(),
            commits: replayed,
            renumbering,
        }))
    }

    /// The baseline tag `tag` made again as `name` on `commit` (a replayed
    /// commit): same tagger, with the message the record there asks for (a
    /// renumbered baseline's, or one whose promoted draft was renumbered,
    /// differs from the old). A signed tag is signed again, with the same key,
    /// by the user's setup: the signature covers the commit it names.
    pub fn retag(&self, name: &str, tag: Oid, commit: Oid) -> Result<Oid> {
        let tag = self.git.find_tag(tag)?;
        let tagger = match tag.tagger() {
            Some(tagger) => tagger.to_owned(),
            None => self.signature()?,
        };
        let snapshot = Snapshot::at_commit(self, commit)?;
        let (artefact, version) = paths::parse_tag(name).ok_or_else(|| {
            Error::failed(
                format!("{name} is not a baseline tag's name"),
                "report this: sync renumbers only baseline tags",
            )
        })?;
        let record = snapshot.version(artefact, &version)?.ok_or_else(|| {
            Error::failed(
                format!("the replayed commit {commit} holds no record of {artefact} {version}"),
                "report this: a renumbered baseline's commit holds its record",
            )
        })?;
        let title = snapshot.require_artefact(artefact)?.title;
        let message = record.tag_message(&title);
        let target = self
            .git
            .find_object(commit, Some(git2::ObjectType::Commit))?;
        let (_, signature) =
            crate::model::approvers::split_signed(tag.message_bytes().unwrap_or_default());
        if let Some(signature) = signature {
            use crate::model::approvers::SignatureFormat;
            let key = match signature.format {
                SignatureFormat::Ssh => {
                    crate::model::approvers::ssh_signature_key(&signature.armored)
                }
                // The key the record names (or the signature's issuer): the
                // user's gpg must hold its secret half.
                SignatureFormat::Openpgp => {
                    let named = record
                        .signed_by
                        .as_ref()
                        .map(|s| s.key.clone())
                        .or_else(|| crate::model::openpgp::signature_issuer(&signature.armored));
                    match named {
                        Some(fingerprint) => Some(self.openpgp_secret_key(&fingerprint)?),
                        None => None,
                    }
                }
                // The certificate the record names; the user's gpgsm must
                // hold its secret key.
                SignatureFormat::X509 => match record.signed_by.as_ref() {
                    Some(signer) => Some(self.x509_secret_key(&signer.key)?),
                    None => None,
                },
            };
            let Some(key) = key else {
                return Err(Error::refused(
                    format!(
                        "tag {name} carries a signature baseline cannot sign again (neither the signature nor the record names a key it can read)"
                    ),
                    "make the baseline again on the new commit, signed with an approver's SSH key, OpenPGP key or X.509 certificate",
                ));
            };
            return self.signed_tag(name, commit, &message, &key);
        }
        Ok(self
            .git
            .tag_annotation_create(name, &target, &tagger, &message)?)
    }

    /// Moves the branch from `old` to `new` with the baseline tags given
    /// (name → tag object; an existing local tag of that name is replaced),
    /// removes the `dropped` tags, and brings the working files up to date,
    /// as one journalled step.
    pub fn move_to(
        &self,
        description: &str,
        (old, new): (Option<Oid>, Oid),
        tags: &[(String, Oid)],
        dropped: &[String],
    ) -> Result<()> {
        let branch = self.branch_ref()?;
        let files = self.changed_files(old, new)?;
        let removed_files = self.removed_files(old, new)?;
        let record = Journal {
            description: description.to_string(),
            branch: branch.clone(),
            old_commit: old.map(|o| o.to_string()),
            new_commit: new.to_string(),
            tags: tags
                .iter()
                .map(|(n, t)| (n.clone(), t.to_string()))
                .collect(),
            dropped_tags: dropped.to_vec(),
            files,
            removed_files,
            sources: HashMap::new(),
        };
        journal::write(self, &record)?;
        let moved = match old {
            Some(old) => self
                .git
                .reference_matching(&branch, new, true, old, description),
            None => self.git.reference(&branch, new, true, description),
        };
        if let Err(err) = moved {
            journal::clear(self)?;
            return Err(Error::refused(
                format!(
                    "{branch} moved while baseline was syncing ({})",
                    err.message()
                ),
                "something other than baseline committed at the same moment; run `baseline sync` again",
            ));
        }
        // Only now are the replaced tags removed, for `finish` to make them
        // again: killed before, the old tags stay, and verify reports each as
        // left by the rewrite, which `verify --repair` moves. `finish` removes
        // the dropped ones.
        for (name, _) in tags {
            if let Ok(mut existing) = self.git.find_reference(&crate::model::paths::tag_ref(name)) {
                existing.delete()?;
            }
        }
        journal::finish(self, &record, Refresh::Overwrite);
        Ok(())
    }

    /// The files `new` adds or changes against `old`, with their blobs.
    fn changed_files(&self, old: Option<Oid>, new: Oid) -> Result<Vec<(String, String)>> {
        let old_tree = old.map(|o| self.git.find_commit(o)?.tree()).transpose()?;
        let new_tree = self.git.find_commit(new)?.tree()?;
        let diff = self
            .git
            .diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), None)?;
        Ok(diff
            .deltas()
            .filter(|d| d.new_file().exists())
            .filter_map(|d| {
                let path = d.new_file().path()?.to_str()?.to_string();
                Some((path, d.new_file().id().to_string()))
            })
            .collect())
    }

    /// Of `paths`, those with changes git sees in the working tree or the
    /// index (or an untracked file in the way): edits not yet recorded.
    pub fn edited_files(&self, paths: &[String]) -> Result<Vec<String>> {
        let mut edited = Vec::new();
        for path in paths {
            let status = match self.git.status_file(std::path::Path::new(path)) {
                Ok(status) => status,
                Err(err) if err.code() == git2::ErrorCode::NotFound => continue,
                Err(err) => return Err(err.into()),
            };
            if !status.is_empty() && !status.is_ignored() {
                edited.push(path.clone());
            }
        }
        Ok(edited)
    }

    /// The commit HEAD's branch is at.
    pub fn head_commit(&self) -> Result<Oid> {
        Ok(self.git.refname_to_id(&self.branch_ref()?)?)
    }

    /// The annotated baseline tags under `prefix` (`refs/tags/`), by name.
    pub fn baseline_tags(&self, prefix: &str) -> Result<HashMap<String, Oid>> {
        let mut tags = HashMap::new();
        for reference in self.git.references_glob(&format!("{prefix}*"))? {
            let reference = reference?;
            let (Ok(name), Some(target)) = (reference.name(), reference.target()) else {
                continue;
            };
            let name = name.trim_start_matches(prefix);
            let annotated = self.git.find_tag(target).is_ok();
            if annotated && crate::model::paths::parse_tag(name).is_some() {
                tags.insert(name.to_string(), target);
            }
        }
        Ok(tags)
    }

    /// The newest commit from `head` (not reaching `hide`) that changed `path`.
    pub fn last_commit_touching(
        &self,
        head: Oid,
        hide: Option<Oid>,
        path: &str,
    ) -> Result<Option<Oid>> {
        let mut walk = self.git.revwalk()?;
        walk.push(head)?;
        if let Some(hide) = hide {
            walk.hide(hide)?;
        }
        let blob_at = |commit: &git2::Commit<'_>| {
            commit
                .tree()
                .ok()
                .and_then(|t| t.get_path(std::path::Path::new(path)).ok())
                .map(|e| e.id())
        };
        for id in walk {
            let commit = self.git.find_commit(id?)?;
            let before = commit.parent(0).ok().and_then(|p| blob_at(&p));
            if blob_at(&commit) != before {
                return Ok(Some(commit.id()));
            }
        }
        Ok(None)
    }

    /// The blob at `path` in commit `at`, if any.
    pub fn blob_at(&self, at: Oid, path: &str) -> Result<Option<Oid>> {
        let tree = self.git.find_commit(at)?.tree()?;
        Ok(tree
            .get_path(std::path::Path::new(path))
            .ok()
            .map(|e| e.id()))
    }

    /// Whether `commit` is `head` or in its history.
    pub fn reaches(&self, head: Oid, commit: Oid) -> Result<bool> {
        Ok(head == commit || self.git.graph_descendant_of(head, commit)?)
    }

    /// Whether `commit` added the baseline record a tag named `name` stands
    /// for: only such a tag is moved or sent; verify reports any other.
    pub fn records_baseline(&self, commit: Oid, name: &str) -> Result<bool> {
        let Some((artefact, version)) = paths::parse_tag(name) else {
            return Ok(false);
        };
        if !self.adds(commit, &paths::version(artefact, &version))? {
            return Ok(false);
        }
        let record = Snapshot::at_commit(self, commit)?.version(artefact, &version);
        Ok(matches!(record, Ok(Some(record)) if record.status == crate::model::Status::Baselined))
    }

    /// Whether `commit` added `path` (its first parent lacks it).
    pub fn adds(&self, commit: Oid, path: &str) -> Result<bool> {
        let parent = self.git.find_commit(commit)?.parent_id(0).ok();
        let before = match parent {
            Some(parent) => self.blob_at(parent, path)?,
            None => None,
        };
        Ok(self.blob_at(commit, path)?.is_some() && before.is_none())
    }

    /// The files `old` has and `new` does not.
    fn removed_files(&self, old: Option<Oid>, new: Oid) -> Result<Vec<String>> {
        let Some(old) = old else {
            return Ok(Vec::new());
        };
        let old_tree = self.git.find_commit(old)?.tree()?;
        let new_tree = self.git.find_commit(new)?.tree()?;
        let diff = self
            .git
            .diff_tree_to_tree(Some(&old_tree), Some(&new_tree), None)?;
        Ok(diff
            .deltas()
            .filter(|d| !d.new_file().exists())
            .filter_map(|d| Some(d.old_file().path()?.to_str()?.to_string()))
            .collect())
    }

    /// The paths `new` adds, changes or removes against `old`.
    pub fn changed_paths(&self, old: Option<Oid>, new: Oid) -> Result<Vec<String>> {
        let mut paths: Vec<String> = self
            .changed_files(old, new)?
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        paths.extend(self.removed_files(old, new)?);
        Ok(paths)
    }
}

/// Puts `tree`'s content (the replayed commit's) at `paths`, the working
/// files of renumbered versions, conflicting or merged: the version now comes
/// after the other clone's, so its working file holds exactly what it recorded.
fn keep_replayed_content(
    index: &mut git2::Index,
    tree: &git2::Tree<'_>,
    paths: &[String],
) -> Result<()> {
    for path in paths {
        let Ok(entry) = tree.get_path(std::path::Path::new(path)) else {
            continue;
        };
        if index.has_conflicts() {
            index.conflict_remove(std::path::Path::new(path)).ok();
        }
        index.add(&git2::IndexEntry {
            ctime: git2::IndexTime::new(0, 0),
            mtime: git2::IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: entry.filemode() as u32,
            uid: 0,
            gid: 0,
            file_size: 0,
            id: entry.id(),
            flags: 0,
            flags_extended: 0,
            path: path.as_bytes().to_vec(),
        })?;
    }
    Ok(())
}

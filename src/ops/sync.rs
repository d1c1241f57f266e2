//! `baseline sync`: one command to share records with the team's repository.
//! It fetches, replays the local record commits onto the remote's branch (as
//! `git pull --rebase` would, in memory), moves unpublished baseline tags onto
//! the replayed commits, pushes the branch and the new tags atomically, and
//! only then brings the local branch, tags and working files up to date. Two
//! people's records that meet on one file are a collision: refused, naming
//! both sides, with nothing changed here.

use std::collections::HashMap;

use git2::Oid;

use crate::error::{Error, Result};
use crate::model::paths::{self, Record};
use crate::repo::Repo;
use crate::repo::remote::{Pushed, Upstream, printable};
use crate::repo::replay::Collision;

/// How many times the remote may move under a sync before it gives up.
const ATTEMPTS: usize = 5;

/// What a sync did.
#[derive(Debug, serde::Serialize)]
pub struct Synced {
    pub remote: String,
    pub branch: String,
    /// Commits the remote had that this clone lacked.
    pub received: usize,
    /// Local commits published (replayed onto the remote's where it had moved on).
    pub sent: usize,
    /// Baseline tags pushed.
    pub tags_sent: Vec<String>,
    /// Baseline tags made here from the remote's.
    pub tags_received: Vec<String>,
    /// The branch's commit, here and on the remote.
    pub head: String,
}

pub fn sync(repo: &Repo, remote: Option<&str>) -> Result<Synced> {
    if repo.git().state() != git2::RepositoryState::Clean {
        return Err(Error::refused(
            "git is in the middle of a merge, rebase, cherry-pick or revert here",
            "finish it or abort it (`git merge --abort`, `git rebase --abort`) first, then sync",
        ));
    }
    let upstream = repo.upstream(remote)?;
    // Held throughout: no other baseline command writes while the branch is replayed.
    let _lock = repo.begin(format!("sync with {}", upstream.remote))?;
    for _ in 0..ATTEMPTS {
        repo.fetch(&upstream)?;
        if let Some(synced) = attempt(repo, &upstream)? {
            return Ok(synced);
        }
    }
    Err(Error::refused(
        format!(
            "{} kept moving while this clone synced with it ({ATTEMPTS} attempts)",
            upstream.remote
        ),
        "run `baseline sync` again in a moment",
    ))
}

/// One fetch-integrate-push; none when the remote moved before the push landed.
fn attempt(repo: &Repo, upstream: &Upstream) -> Result<Option<Synced>> {
    let git = repo.git();
    let local = repo.head_commit().map_err(|_| {
        Error::refused(
            "this clone has no commit to share yet",
            "record something first (`baseline init` makes the first commit), then sync",
        )
    })?;
    let remote = git.refname_to_id(&upstream.tracking_ref()).ok();
    let unpublished = repo.unpublished(local, remote)?;
    let received = match remote {
        Some(remote) => git.graph_ahead_behind(local, remote)?.1,
        None => 0,
    };
    let (head, replayed) = integrate(repo, upstream, local, remote, &unpublished)?;
    let tags = Tags::plan(repo, upstream, &replayed, head)?;
    if head != local {
        let changed = repo.changed_paths(Some(local), head)?;
        let edited = repo.edited_files(&changed)?;
        if !edited.is_empty() {
            return Err(Error::refused(
                format!(
                    "{} brings new versions of files changed here and not recorded: {}",
                    upstream.remote,
                    edited.join(", ")
                ),
                "record them first with `baseline draft`, or set them aside (`git stash`), then sync again",
            ));
        }
    }
    let to_send = remote != Some(head) || !tags.to_push.is_empty();
    if to_send && let Pushed::RemoteMoved = repo.push(upstream, head, &tags.to_push)? {
        return Ok(None);
    }
    if head != local || !tags.to_set.is_empty() {
        let description = format!("sync with {}", upstream.remote);
        repo.move_to(&description, Some(local), head, &tags.to_set)?;
    }
    Ok(Some(Synced {
        remote: upstream.remote.clone(),
        branch: upstream.branch.clone(),
        received,
        sent: unpublished.len(),
        tags_sent: tags.to_push.into_iter().map(|(name, _)| name).collect(),
        tags_received: tags.received,
        head: head.to_string(),
    }))
}

/// The branch's new head, and for each unpublished commit the commit that now
/// holds its changes (itself, when no replay was needed).
fn integrate(
    repo: &Repo,
    upstream: &Upstream,
    local: Oid,
    remote: Option<Oid>,
    unpublished: &[Oid],
) -> Result<(Oid, HashMap<Oid, Option<Oid>>)> {
    let unchanged = || unpublished.iter().map(|&c| (c, Some(c))).collect();
    let Some(remote) = remote else {
        return Ok((local, unchanged()));
    };
    if unpublished.is_empty() {
        return Ok((remote, HashMap::new()));
    }
    if repo.git().graph_descendant_of(local, remote)? {
        return Ok((local, unchanged()));
    }
    match repo.replay(unpublished, remote)? {
        Ok(replayed) => Ok((replayed.head, replayed.commits)),
        Err(collision) => Err(collision_error(repo, upstream, local, remote, &collision)),
    }
}

/// Which baseline tags to push, and which to set here.
struct Tags {
    /// Name → tag object, as the remote must have it.
    to_push: Vec<(String, Oid)>,
    /// Name → tag object, made or replaced here.
    to_set: Vec<(String, Oid)>,
    received: Vec<String>,
}

impl Tags {
    fn plan(
        repo: &Repo,
        upstream: &Upstream,
        replayed: &HashMap<Oid, Option<Oid>>,
        head: Oid,
    ) -> Result<Tags> {
        let remote_tags = repo.baseline_tags(&upstream.tags_namespace())?;
        let local_tags = repo.baseline_tags("refs/tags/")?;
        let mut tags = Tags {
            to_push: Vec::new(),
            to_set: Vec::new(),
            received: Vec::new(),
        };
        for (name, &tag) in &local_tags {
            let commit = repo.git().find_tag(tag)?.target_id();
            let Some(record) = record_of(name) else {
                continue;
            };
            match (remote_tags.get(name), replayed.get(&commit)) {
                (Some(&theirs), _) if theirs == tag => {}
                // Both sides made it: only where both record the very same
                // baseline is the remote's taken; otherwise people must look.
                (Some(&theirs), _) => {
                    let their_commit = repo.git().find_tag(theirs)?.target_id();
                    if repo.blob_at(their_commit, &record)? != repo.blob_at(commit, &record)? {
                        return Err(Error::refused(
                            format!(
                                "tag {name} is on {} at {their_commit} and here at {commit}, over different records",
                                upstream.remote
                            ),
                            "a baseline tag is never moved: find out which is right with `git show` on both before syncing",
                        ));
                    }
                    tags.to_set.push((name.clone(), theirs));
                    tags.received.push(name.clone());
                }
                (None, Some(Some(new))) if *new != commit => {
                    let moved = repo.retag(name, tag, *new)?;
                    tags.to_set.push((name.clone(), moved));
                    tags.to_push.push((name.clone(), moved));
                }
                (None, Some(None)) => {}
                // Sent only where its commit is on the branch and added its record.
                (None, _) if repo.reaches(head, commit)? && repo.adds(commit, &record)? => {
                    tags.to_push.push((name.clone(), tag));
                }
                (None, _) => {} // verify reports it
            }
        }
        for (name, &theirs) in &remote_tags {
            if !local_tags.contains_key(name) {
                tags.to_set.push((name.clone(), theirs));
                tags.received.push(name.clone());
            }
        }
        tags.to_push.sort_by(|a, b| a.0.cmp(&b.0));
        tags.received.sort();
        Ok(tags)
    }
}

/// A collision named by the records on both sides, the local and the remote
/// commits that made them, and how to settle it.
fn collision_error(
    repo: &Repo,
    upstream: &Upstream,
    local: Oid,
    remote: Oid,
    collision: &Collision,
) -> Error {
    let base = repo.git().merge_base(local, remote).ok();
    let ours = describe_commit(repo, collision.local);
    let lines: Vec<String> = collision
        .paths
        .iter()
        .map(|path| {
            let theirs = repo
                .last_commit_touching(remote, base, path)
                .ok()
                .flatten()
                .map_or("a commit there".to_string(), |c| describe_commit(repo, c));
            format!(
                "{} was recorded both here ({ours}) and on {} ({theirs})",
                what(path),
                upstream.remote
            )
        })
        .collect();
    Error::refused(
        format!("{}; nothing was changed here or there", lines.join("; ")),
        format!(
            "agree with whoever made the other which one stands; to keep theirs, set yours aside with `git reset --keep {}/{}` and record your work again on top (a new version number, or a decision or change under a new id)",
            upstream.remote, upstream.branch
        ),
    )
}

/// The version record a baseline tag's name stands for.
fn record_of(tag: &str) -> Option<String> {
    let (artefact, version) = paths::parse_tag(tag)?;
    Some(paths::version(artefact, &version))
}

fn what(path: &str) -> String {
    match Record::parse(path) {
        Some(Record::Version(artefact, version)) => format!("{artefact} v{version}"),
        Some(Record::Decision(id)) => format!("decision {id}"),
        Some(Record::Change(id)) => format!("change {id}"),
        Some(Record::Action(id)) => format!("action {id}"),
        Some(Record::Meeting(id)) => format!("meeting {id}"),
        Some(Record::Release(id)) => format!("release {id}"),
        Some(Record::Correction(decision, number)) => {
            format!("correction {number} of decision {decision}")
        }
        Some(Record::Artefact(id)) => format!("artefact {id}"),
        Some(Record::Config) => paths::CONFIG.to_string(),
        Some(Record::Approvers) => paths::APPROVERS.to_string(),
        None => format!("the file {path}"),
    }
}

fn describe_commit(repo: &Repo, id: Oid) -> String {
    let Ok(commit) = repo.git().find_commit(id) else {
        return format!("commit {id}");
    };
    let short = &id.to_string()[..10];
    format!(
        "commit {short} by {}: \"{}\"",
        printable(commit.author().name().unwrap_or("?")),
        printable(commit.summary().ok().flatten().unwrap_or_default())
    )
}

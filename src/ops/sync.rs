//! `baseline sync`: one command to share records with the team's repository.
//! It fetches, replays the local record commits onto the remote's branch (as
//! `git pull --rebase` would, in memory), moves unpublished baseline tags onto
//! the replayed commits, pushes the branch and the new tags atomically, and
//! only then brings the local branch, tags and working files up to date. Two
//! people's records that meet on one file are a collision: refused, naming
//! both sides, with nothing changed here.

use std::collections::{HashMap, HashSet};

use git2::Oid;

use crate::audit::verify::{self, Scope};
use crate::error::{Error, Result};
use crate::model::paths::{self, Record};
use crate::repo::Repo;
use crate::repo::remote::{Pushed, Upstream, printable};
use crate::repo::renumber::{Explain, Note, Renumbered, Renumbering};
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
    /// Local versions given the next free number (`--renumber`): numbered no
    /// higher than the remote's branch held once its records came first.
    pub renumbered: Vec<Renumbered>,
    /// The branch's commit, here and on the remote.
    pub head: String,
}

/// How to sync.
#[derive(Debug, Default, Clone, Copy)]
pub struct SyncOptions<'a> {
    /// The remote (default: the branch's upstream, else origin).
    pub remote: Option<&'a str>,
    /// Give each local version numbered no higher than the remote's branch
    /// holds the next free number, instead of refusing.
    pub renumber: bool,
}

pub fn sync(repo: &Repo, options: SyncOptions<'_>) -> Result<Synced> {
    if repo.git().state() != git2::RepositoryState::Clean {
        return Err(Error::refused(
            "git is in the middle of a merge, rebase, cherry-pick or revert here",
            "finish it or abort it (`git merge --abort`, `git rebase --abort`) first, then sync",
        ));
    }
    let upstream = repo.upstream(options.remote)?;
    // Held throughout: no other baseline command writes while the branch is replayed.
    let _lock = repo.begin(format!("sync with {}", upstream.remote))?;
    for _ in 0..ATTEMPTS {
        repo.fetch(&upstream)?;
        if let Some(synced) = attempt(repo, &upstream, options.renumber)? {
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
fn attempt(repo: &Repo, upstream: &Upstream, renumber: bool) -> Result<Option<Synced>> {
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
    let integrated = integrate(repo, upstream, local, remote, &unpublished, renumber)?;
    let head = integrated.head;
    if let Some(remote) = remote
        && integrated.replayed_any()
    {
        check_replayed(repo, upstream, remote, head)?;
    }
    let tags = Tags::plan(repo, upstream, &integrated, head)?;
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
    if head != local || !tags.to_set.is_empty() || !tags.dropped.is_empty() {
        let description = format!("sync with {}", upstream.remote);
        repo.move_to(
            &description,
            (Some(local), head),
            &tags.to_set,
            &tags.dropped,
        )?;
    }
    Ok(Some(Synced {
        remote: upstream.remote.clone(),
        branch: upstream.branch.clone(),
        received,
        sent: unpublished.len(),
        tags_sent: tags.to_push.into_iter().map(|(name, _)| name).collect(),
        tags_received: tags.received,
        renumbered: integrated.renumbering.moved().to_vec(),
        head: head.to_string(),
    }))
}

/// Where integration leaves the branch.
struct Integrated {
    head: Oid,
    /// Each unpublished commit and the commit that now holds its changes
    /// (itself, when no replay was needed; none when the remote had them).
    replayed: HashMap<Oid, Option<Oid>>,
    renumbering: Renumbering,
}

impl Integrated {
    fn replayed_any(&self) -> bool {
        self.replayed.iter().any(|(old, new)| *new != Some(*old))
    }
}

fn integrate(
    repo: &Repo,
    upstream: &Upstream,
    local: Oid,
    remote: Option<Oid>,
    unpublished: &[Oid],
    renumber: bool,
) -> Result<Integrated> {
    let unchanged = |head| Integrated {
        head,
        replayed: unpublished.iter().map(|&c| (c, Some(c))).collect(),
        renumbering: Renumbering::default(),
    };
    let Some(remote) = remote else {
        return Ok(unchanged(local));
    };
    if unpublished.is_empty() {
        return Ok(unchanged(remote));
    }
    if repo.git().graph_descendant_of(local, remote)? {
        return Ok(unchanged(local));
    }
    let explain = |note: Note<'_>| renumber_note(upstream, note);
    let renumber: Option<&Explain<'_>> = if renumber { Some(&explain) } else { None };
    match repo.replay(unpublished, remote, renumber)? {
        Ok(replayed) => Ok(Integrated {
            head: replayed.head,
            replayed: replayed.commits,
            renumbering: replayed.renumbering,
        }),
        Err(collision) => Err(collision_error(
            repo,
            upstream,
            local,
            remote,
            &collision,
            renumber.is_some(),
        )),
    }
}

/// The paragraph a commit rewritten by `--renumber` gains.
fn renumber_note(upstream: &Upstream, note: Note<'_>) -> String {
    let place = format!("{}/{}", upstream.remote, upstream.branch);
    match note {
        Note::Version { moved, after } => format!(
            "Renumbered from {} by `baseline sync --renumber`: once the records of {place} came first, the highest version of {} was {after}.",
            moved.from, moved.artefact
        ),
        Note::Follows(moved) => {
            let moves: Vec<String> = moved
                .iter()
                .map(|m| format!("{} {} is now {}", m.artefact, m.from, m.to))
                .collect();
            format!(
                "Versions renumbered by `baseline sync --renumber` onto {place}: {}.",
                moves.join(", ")
            )
        }
    }
}

/// Replayed records stand after the remote's, which may break a rule they
/// kept where they were made (a date before the remote's latest version, a
/// baseline now under change control): what verify would find in the
/// replayed commits is refused before anything is pushed. Their tags are
/// left out: sync moves them itself.
fn check_replayed(repo: &Repo, upstream: &Upstream, remote: Oid, head: Oid) -> Result<()> {
    let range = format!("{remote}..{head}");
    let scope = Scope {
        range: Some(&range),
        use_cache: false,
    };
    let report = verify::verify(repo, scope, &|_, _| {})?;
    let problems: Vec<String> = report
        .findings
        .iter()
        .filter(|finding| finding.check() != "tag")
        .map(|finding| format!("{}: {}", finding.record, finding.message()))
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::refused(
        format!(
            "your records would break the rules once placed after those on {}: {}; nothing was changed here or there",
            upstream.remote,
            problems.join("; ")
        ),
        format!(
            "take theirs with `git reset --keep {}/{}` (your commits stay in `git reflog`) and record yours again on top, as the rules now ask (a later date, an approved change once the artefact is under change control)",
            upstream.remote, upstream.branch
        ),
    ))
}

/// Which baseline tags to push, and which to set here.
#[derive(Default)]
struct Tags {
    /// Name → tag object, as the remote must have it.
    to_push: Vec<(String, Oid)>,
    /// Name → tag object, made or replaced here.
    to_set: Vec<(String, Oid)>,
    /// Local tags left naming no baseline, removed here.
    dropped: Vec<String>,
    received: Vec<String>,
}

impl Tags {
    fn plan(repo: &Repo, upstream: &Upstream, integrated: &Integrated, head: Oid) -> Result<Tags> {
        let replayed = &integrated.replayed;
        let remote_tags = repo.baseline_tags(&upstream.tags_namespace())?;
        let local_tags = repo.baseline_tags("refs/tags/")?;
        let mut tags = Tags::default();
        let new_names: HashSet<String> = integrated
            .renumbering
            .moved()
            .iter()
            .map(|m| paths::tag(&m.artefact, &m.to))
            .collect();
        for (name, &tag) in &local_tags {
            let commit = repo.git().find_tag(tag)?.target_id();
            let Some(record) = record_of(name) else {
                continue;
            };
            if let Some(renamed) = integrated.renumbering.new_tag_name(name)
                && let Some(Some(new)) = replayed.get(&commit)
                && repo.records_baseline(commit, name)?
            {
                tags.renumbered(repo, name, (tag, *new), renamed, &remote_tags, &new_names)?;
                continue;
            }
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
                (None, Some(Some(new)))
                    if *new != commit && repo.records_baseline(commit, name)? =>
                {
                    let moved = repo.retag(name, tag, *new)?;
                    tags.to_set.push((name.clone(), moved));
                    tags.to_push.push((name.clone(), moved));
                }
                (None, Some(None)) => {}
                // Sent only where its commit is on the branch and added its record.
                (None, _)
                    if repo.reaches(head, commit)? && repo.records_baseline(commit, name)? =>
                {
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

impl Tags {
    /// A local baseline given a new number: its tag is made again under the
    /// new name, on its replayed commit, with the message its record now asks
    /// for. The old name becomes the remote's tag, or another renumbered
    /// baseline's, or (where the remote's version of that number is a draft)
    /// no one's.
    fn renumbered(
        &mut self,
        repo: &Repo,
        name: &str,
        (tag, commit): (Oid, Oid),
        new_name: String,
        remote_tags: &HashMap<String, Oid>,
        new_names: &HashSet<String>,
    ) -> Result<()> {
        let moved = repo.retag(&new_name, tag, commit)?;
        self.to_set.push((new_name.clone(), moved));
        self.to_push.push((new_name, moved));
        match remote_tags.get(name) {
            Some(&theirs) => {
                self.to_set.push((name.to_string(), theirs));
                self.received.push(name.to_string());
            }
            None if new_names.contains(name) => {}
            None => self.dropped.push(name.to_string()),
        }
        Ok(())
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
    renumbering: bool,
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
    let versions_collide = collision
        .paths
        .iter()
        .any(|path| matches!(Record::parse(path), Some(Record::Version(..))));
    let renumber = if versions_collide && !renumbering {
        "if both versions are to stand, `baseline sync --renumber` gives yours the next free number; otherwise "
    } else {
        ""
    };
    Error::refused(
        format!("{}; nothing was changed here or there", lines.join("; ")),
        format!(
            "{renumber}agree with whoever made the other which one stands; to keep theirs, set yours aside with `git reset --keep {}/{}` and record your work again on top (a new version number, or a decision or change under a new id)",
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

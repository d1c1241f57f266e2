//! The audit: proves from the repository alone that every version is exactly what
//! was recorded and approved, and that no record was altered or removed since.
//!
//! It walks history once, oldest commit first, noting where each record file was
//! added and catching any later edit or deletion; then checks every version's
//! content against its hash, every baseline against its tag and the rules, and
//! every cross-reference. `--range OLD..NEW` checks only what those commits added.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{Status, VersionNumber, VersionRecord, paths};
use crate::repo::{Repo, Snapshot};
use crate::rules::{self, BaselineRequest};

use super::history::Change;

/// One thing wrong, with the record it concerns.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// What kind of check failed: content, tag, history, order, rule, reference,
    /// record or leftover.
    pub check: &'static str,
    /// The record file or tag concerned.
    pub record: String,
    /// The commit where it happened, where one is known.
    pub commit: Option<String>,
    pub message: String,
    /// Whether `verify --repair` can put it right.
    pub repairable: bool,
}

/// The JSON shape of `baseline verify --format json`.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub head: Option<String>,
    pub range: Option<String>,
    pub commits: usize,
    pub versions: usize,
    pub baselines: usize,
    pub findings: Vec<Finding>,
    /// What `--repair` did.
    pub repaired: Vec<String>,
}

struct Audit<'r> {
    repo: &'r Repo,
    report: Report,
    /// Record path → (commit that added it, blob it added).
    added: HashMap<String, (git2::Oid, git2::Oid)>,
    /// Records that gained steps in the commits walked.
    grown: std::collections::HashSet<String>,
    /// Versions in the order history added them, per artefact.
    order: BTreeMap<String, Vec<(VersionNumber, git2::Oid)>>,
    /// Each artefact's content file name, from its record.
    content_files: HashMap<String, String>,
    /// Version record path → the content blob its commit held.
    content_at: HashMap<String, Option<git2::Oid>>,
}

fn is_record(path: &str) -> bool {
    path == "baseline.toml"
        || path.ends_with("/artefact.toml")
        || (path.starts_with("artefacts/")
            && path.contains("/versions/")
            && path.ends_with(".toml"))
        || (path.starts_with("decisions/") && path.ends_with(".toml"))
        || (path.starts_with("changes/") && path.ends_with(".toml"))
        || (path.starts_with("meetings/") && path.ends_with(".toml"))
        || (path.starts_with("actions/") && path.ends_with(".toml"))
}

/// Records whose history may gain steps; every other record is written once.
fn may_grow(path: &str) -> bool {
    path.starts_with("changes/") || path.starts_with("actions/")
}

impl<'r> Audit<'r> {
    fn find(
        &mut self,
        check: &'static str,
        record: impl Into<String>,
        commit: Option<git2::Oid>,
        message: impl Into<String>,
    ) {
        self.report.findings.push(Finding {
            check,
            record: record.into(),
            commit: commit.map(|c| c.to_string()),
            message: message.into(),
            repairable: false,
        });
    }

    fn blob_text(&self, id: git2::Oid) -> Result<Vec<u8>> {
        Ok(self.repo.git().find_blob(id)?.content().to_vec())
    }

    /// Every commit from oldest to newest (in `range`, if given): where each record
    /// was added, and every edit or deletion of one.
    fn walk(
        &mut self,
        range: Option<(Option<git2::Oid>, git2::Oid)>,
        head: git2::Oid,
        progress: &dyn Fn(usize, usize),
    ) -> Result<()> {
        let git = self.repo.git();
        let mut walk = git.revwalk()?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
        match range {
            Some((old, new)) => {
                walk.push(new)?;
                if let Some(old) = old {
                    walk.hide(old)?;
                }
            }
            None => walk.push(head)?,
        }
        let commits: Vec<git2::Oid> = walk.collect::<std::result::Result<_, _>>()?;
        self.report.commits = commits.len();
        let odb = git.odb()?;
        let mut differ = super::history::Differ::new(&odb);
        for (n, id) in commits.iter().enumerate() {
            progress(n, commits.len());
            let commit = git.find_commit(*id)?;
            let parents: Vec<git2::Oid> = commit.parent_ids().collect();
            for delta in merged_deltas(&mut differ, git, &parents, commit.tree_id())? {
                if let (Change::Added, Some((artefact, _))) =
                    (delta.change, version_of(&delta.path))
                    && let Some(file) = self.content_files.get(&artefact)
                {
                    let blob =
                        differ.blob_at(commit.tree_id(), &paths::content(&artefact, file))?;
                    self.content_at.insert(delta.path.clone(), blob);
                }
                self.record_change(&delta.path, *id, delta.change, delta.old, delta.new)?;
            }
        }
        progress(commits.len(), commits.len());
        Ok(())
    }

    fn record_change(
        &mut self,
        path: &str,
        commit: git2::Oid,
        change: Change,
        old: Option<git2::Oid>,
        new: Option<git2::Oid>,
    ) -> Result<()> {
        match (change, old, new) {
            (Change::Added, _, Some(new)) => {
                self.added.insert(path.to_string(), (commit, new));
                if let Some(version) = version_of(path) {
                    self.order
                        .entry(version.0)
                        .or_default()
                        .push((version.1, commit));
                }
            }
            (Change::Deleted, ..) => self.find(
                "history",
                path,
                Some(commit),
                "the record was deleted; records are never removed",
            ),
            (Change::Modified, None, _) => self.find(
                "history",
                path,
                Some(commit),
                "a merge changed the record; records are written once",
            ),
            (Change::Modified, Some(old), Some(new)) if may_grow(path) => {
                self.grown.insert(path.to_string());
                self.check_grew(path, commit, old, new)?
            }
            (Change::Modified, ..) if path == "baseline.toml" => {}
            _ => self.find(
                "history",
                path,
                Some(commit),
                "the record was edited after it was committed; records are written once",
            ),
        }
        Ok(())
    }

    /// A change or action record may only grow: the same fields, and its old
    /// history as the start of its new one.
    fn check_grew(
        &mut self,
        path: &str,
        commit: git2::Oid,
        old: git2::Oid,
        new: git2::Oid,
    ) -> Result<()> {
        let parse = |bytes: Vec<u8>| {
            std::str::from_utf8(&bytes)
                .ok()
                .and_then(|text| text.parse::<toml::Table>().ok())
        };
        let (Some(mut before), Some(mut after)) =
            (parse(self.blob_text(old)?), parse(self.blob_text(new)?))
        else {
            return Ok(());
        };
        let steps = |table: &mut toml::Table| match table.remove("history") {
            Some(toml::Value::Array(steps)) => steps,
            _ => Vec::new(),
        };
        let (old_steps, new_steps) = (steps(&mut before), steps(&mut after));
        if before != after || !new_steps.starts_with(&old_steps) {
            self.find(
                "history",
                path,
                Some(commit),
                "the record was rewritten; its history may only gain new steps",
            );
        }
        Ok(())
    }
}

/// What a commit changed among the records, against all its parents: a merge
/// adds a record only if no parent had it, edits one only if it differs from every
/// parent that had it, and deletes one a parent had. A record a merge brings in
/// unchanged from one parent was checked where that parent's history made it.
fn merged_deltas(
    differ: &mut super::history::Differ<'_>,
    git: &git2::Repository,
    parents: &[git2::Oid],
    tree: git2::Oid,
) -> Result<Vec<super::history::Delta>> {
    let parent_tree = |id: &git2::Oid| -> Result<git2::Oid> { Ok(git.find_commit(*id)?.tree_id()) };
    match parents {
        [] => differ.diff(None, tree),
        [only] => differ.diff(Some(parent_tree(only)?), tree),
        [first, rest @ ..] => {
            let mut deltas = differ.diff(Some(parent_tree(first)?), tree)?;
            for other in rest {
                let against: HashMap<String, Change> = differ
                    .diff(Some(parent_tree(other)?), tree)?
                    .into_iter()
                    .map(|d| (d.path, d.change))
                    .collect();
                deltas.retain_mut(|d| match against.get(&d.path) {
                    // Unchanged from this parent: it brought the record in.
                    None => false,
                    // This parent had it too: an edit, not an addition.
                    Some(Change::Modified) if d.change == Change::Added => {
                        d.change = Change::Modified;
                        true
                    }
                    Some(_) => true,
                });
            }
            Ok(deltas)
        }
    }
}

/// (artefact, version) for a version record's path.
fn version_of(path: &str) -> Option<(String, VersionNumber)> {
    let rest = path.strip_prefix("artefacts/")?;
    let (artefact, file) = rest.split_once("/versions/")?;
    Some((
        artefact.to_string(),
        file.strip_suffix(".toml")?.parse().ok()?,
    ))
}

/// Runs the audit. `range` is `OLD..NEW`; `progress` hears (done, total) commits.
pub fn verify(repo: &Repo, range: Option<&str>, progress: &dyn Fn(usize, usize)) -> Result<Report> {
    let range_ids = range.map(|r| parse_range(repo, r)).transpose()?;
    // A range is checked as of its newest commit (in a pre-receive hook, not yet
    // the branch's tip).
    let snapshot = match range_ids {
        Some((_, new)) => Snapshot::at_commit(repo, new)?,
        None => repo.snapshot()?,
    };
    let head = snapshot.commit().map(|c| c.id()).ok_or_else(|| {
        Error::refused(
            "the design repository has no commits",
            "run `baseline init` first",
        )
    })?;
    let content_files = snapshot
        .artefact_ids()?
        .into_iter()
        .filter_map(|id| Some((id.clone(), snapshot.artefact(&id).ok()??.file)))
        .collect();
    let mut audit = Audit {
        repo,
        report: Report::default(),
        added: HashMap::new(),
        grown: std::collections::HashSet::new(),
        order: BTreeMap::new(),
        content_files,
        content_at: HashMap::new(),
    };
    audit.report.head = Some(head.to_string());
    audit.report.range = range.map(str::to_string);
    audit.walk(range_ids, head, progress)?;
    if let Some((Some(old), _)) = range_ids {
        seed_order(&mut audit, &Snapshot::at_commit(repo, old)?)?;
    }
    check_order(&mut audit);
    check_versions(&mut audit, &snapshot, range_ids.is_some())?;
    check_references(&mut audit, &snapshot, range_ids.is_some())?;
    check_lifecycles(&mut audit, &snapshot, range_ids.is_some())?;
    if range_ids.is_none() {
        check_stray_tags(&mut audit, &snapshot)?;
        if !repo.is_bare() {
            check_leftovers(&mut audit)?;
        }
    }
    Ok(audit.report)
}

/// `OLD..NEW`; an empty OLD (`..NEW`) means everything up to NEW.
fn parse_range(repo: &Repo, text: &str) -> Result<(Option<git2::Oid>, git2::Oid)> {
    let bad = || {
        Error::usage(
            format!("`{text}` is not a range"),
            "write OLD..NEW, e.g. origin/main..HEAD or two commit ids",
        )
    };
    let (old, new) = text.split_once("..").ok_or_else(bad)?;
    let resolve = |spec: &str| -> Result<git2::Oid> {
        Ok(repo
            .git()
            .revparse_single(spec)
            .map_err(|_| {
                Error::refused(
                    format!("`{spec}` names no commit"),
                    "give a branch, tag or commit id",
                )
            })?
            .peel_to_commit()?
            .id())
    };
    let old = if old.is_empty() {
        None
    } else {
        Some(resolve(old)?)
    };
    Ok((old, resolve(new)?))
}

/// Versions are added in increasing order.
/// For a range: each artefact's versions continue from the highest one recorded
/// before it, so a push cannot slip in a number below an existing version.
fn seed_order(audit: &mut Audit<'_>, before: &Snapshot<'_>) -> Result<()> {
    let Some(commit) = before.commit().map(|c| c.id()) else {
        return Ok(());
    };
    for (artefact, added) in audit.order.iter_mut() {
        if let Some(highest) = before.version_numbers(artefact)?.into_iter().max() {
            added.insert(0, (highest, commit));
        }
    }
    Ok(())
}

fn check_order(audit: &mut Audit<'_>) {
    let mut found = Vec::new();
    for (artefact, added) in &audit.order {
        for pair in added.windows(2) {
            if pair[1].0 <= pair[0].0 {
                found.push((
                    paths::version(artefact, &pair[1].0),
                    pair[1].1,
                    format!(
                        "version {} was recorded after {}; version numbers only increase",
                        pair[1].0, pair[0].0
                    ),
                ));
            }
        }
    }
    for (record, commit, message) in found {
        audit.find("order", record, Some(commit), message);
    }
}

/// Every version's content and, for baselines, tag and rules.
fn check_versions(audit: &mut Audit<'_>, snapshot: &Snapshot<'_>, only_added: bool) -> Result<()> {
    let current = match snapshot.config() {
        Ok(config) => config.policy,
        Err(err) => {
            audit.find("record", "baseline.toml", None, err.message);
            crate::model::config::Policy::default()
        }
    };
    let artefacts: Vec<String> = if only_added {
        let mut ids: Vec<String> = audit
            .added
            .keys()
            .filter_map(|p| version_of(p))
            .map(|(a, _)| a)
            .collect();
        ids.sort();
        ids.dedup();
        ids
    } else {
        snapshot.artefact_ids()?
    };
    for id in artefacts {
        let versions = match snapshot.versions(&id) {
            Ok(v) => v,
            Err(err) => {
                audit.find("record", paths::versions_dir(&id), None, err.message);
                continue;
            }
        };
        check_file_names(audit, snapshot, &id, &versions)?;
        let title = snapshot
            .artefact(&id)
            .ok()
            .flatten()
            .map(|a| a.title)
            .unwrap_or_default();
        for (n, record) in versions.iter().enumerate() {
            let path = paths::version(&id, &record.version);
            let added = audit.added.get(&path).copied();
            if only_added && added.is_none() {
                continue;
            }
            audit.report.versions += 1;
            check_content(audit, &path, record, added.map(|a| a.0));
            if record.status == Status::Baselined {
                audit.report.baselines += 1;
                check_tag(audit, &path, record, added.map(|a| a.0), only_added, &title);
                // A baseline answers to the policy in force when it was recorded.
                let policy = match added {
                    Some((commit, _)) => Snapshot::at_commit(audit.repo, commit)?
                        .config()
                        .map(|c| c.policy)
                        .unwrap_or_else(|_| current.clone()),
                    None => current.clone(),
                };
                check_rules(audit, snapshot, &path, record, &versions[..n], &policy)?;
            }
        }
    }
    Ok(())
}

/// Each version file holds the version its name says, of the artefact whose
/// folder it is in: a record under another name would borrow that version's
/// commit and tag.
fn check_file_names(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    id: &str,
    versions: &[VersionRecord],
) -> Result<()> {
    let expected: std::collections::HashSet<String> = versions
        .iter()
        .map(|v| format!("{}.toml", v.version))
        .collect();
    for name in snapshot.list(&paths::versions_dir(id))? {
        if name.ends_with(".toml") && !expected.contains(&name) {
            audit.find(
                "record",
                format!("{}/{name}", paths::versions_dir(id)),
                None,
                "the file's name is not the version it holds",
            );
        }
    }
    for record in versions.iter().filter(|v| v.artefact != id) {
        audit.find(
            "record",
            paths::version(id, &record.version),
            None,
            format!("the record names artefact {}, not {id}", record.artefact),
        );
    }
    Ok(())
}

fn check_content(
    audit: &mut Audit<'_>,
    path: &str,
    record: &VersionRecord,
    commit: Option<git2::Oid>,
) {
    if let Err(err) = audit.repo.version_content(record) {
        audit.find("content", path, commit, err.message);
        return;
    }
    // A draft's commit holds its content at the artefact's file.
    if let (Status::Draft, Some(commit)) = (record.status, commit) {
        let at = audit
            .content_at
            .get(path)
            .copied()
            .flatten()
            .map(|id| id.to_string());
        if at.as_deref() != Some(record.blob.as_str()) {
            audit.find(
                "content",
                path,
                Some(commit),
                format!(
                    "the commit that recorded it holds {} at {}, not blob {}",
                    at.unwrap_or_else(|| "nothing".into()),
                    record.file,
                    record.blob
                ),
            );
        }
    }
}

/// `tag_may_follow`: checking a range (a push), whose tags may arrive with it.
fn check_tag(
    audit: &mut Audit<'_>,
    path: &str,
    record: &VersionRecord,
    commit: Option<git2::Oid>,
    tag_may_follow: bool,
    title: &str,
) {
    let name = paths::tag(&record.artefact, &record.version);
    let reference = audit
        .repo
        .git()
        .find_reference(&format!("refs/tags/{name}"));
    let Ok(reference) = reference else {
        if tag_may_follow {
            return;
        }
        let mut finding = Finding {
            check: "tag",
            record: path.to_string(),
            commit: commit.map(|c| c.to_string()),
            message: format!("the baseline has no tag {name}"),
            repairable: commit.is_some(),
        };
        if commit.is_none() {
            finding
                .message
                .push_str(" (and no commit in history recorded it)");
        }
        audit.report.findings.push(finding);
        return;
    };
    let message = reference.peel(git2::ObjectType::Tag).ok().and_then(|tag| {
        tag.as_tag()
            .and_then(|t| t.message().ok().flatten().map(str::to_string))
    });
    let target = reference.peel_to_commit().ok().map(|c| c.id());
    match message {
        None => audit.find(
            "tag",
            &name,
            commit,
            "the tag is not an annotated tag (it was replaced by hand)",
        ),
        // The message names the decisions and the hash: it must be the record's.
        Some(message) if message.trim_end() != record.tag_message(title).trim_end() => audit.find(
            "tag",
            &name,
            commit,
            "the tag's message does not match the version record (decisions, date or hash differ)",
        ),
        Some(_) => {}
    }
    match (target, commit) {
        (Some(t), Some(c)) if t != c => audit.find(
            "tag",
            &name,
            Some(t),
            format!("the tag points at {t}, but {c} recorded the baseline: the tag was moved"),
        ),
        (_, None) => audit.find(
            "tag",
            &name,
            target,
            "no commit in history added this baseline's record",
        ),
        _ => {}
    }
}

fn check_rules(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    path: &str,
    record: &VersionRecord,
    earlier: &[VersionRecord],
    policy: &crate::model::config::Policy,
) -> Result<()> {
    let decisions = record
        .decisions
        .iter()
        .map(|id| Ok((id.clone(), snapshot.decision(id)?)))
        .collect::<Result<Vec<_>>>()?;
    let changes = record
        .changes
        .iter()
        .map(|id| Ok((id.clone(), snapshot.change(id)?)))
        .collect::<Result<Vec<_>>>()?;
    let request = BaselineRequest {
        artefact: &record.artefact,
        versions: earlier,
        draft: record.promotes.as_ref(),
        version: Some(&record.version),
        date: record.date,
        decisions: &decisions,
        changes: &changes,
        policy,
    };
    match rules::check_baseline(&request) {
        Err(err) => audit.find(
            "rule",
            path,
            None,
            format!("the baseline breaks a rule: {}", err.message),
        ),
        Ok(plan) if plan.promotes.sha256 != record.sha256 || plan.promotes.blob != record.blob => {
            audit.find(
                "rule",
                path,
                None,
                format!(
                    "the baseline is not byte-identical to draft {}",
                    plan.promotes.version
                ),
            )
        }
        Ok(_) => {}
    }
    Ok(())
}

/// Every id a record names resolves.
fn check_references(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    only_added: bool,
) -> Result<()> {
    let artefacts: std::collections::HashSet<String> =
        snapshot.artefact_ids()?.into_iter().collect();
    let in_scope = |path: &str| !only_added || audit.added.contains_key(path);
    let mut missing = Vec::new();
    let mut broken = Vec::new();
    let mut decisions = Vec::new();
    for name in snapshot.list("decisions")? {
        let Some(id) = name.strip_suffix(".toml") else {
            continue;
        };
        if !in_scope(&paths::decision(id)) {
            continue;
        }
        match snapshot.decision(id) {
            Ok(Some(decision)) => decisions.push(decision),
            Ok(None) => {}
            Err(err) => broken.push((paths::decision(id), err.message)),
        }
    }
    let mut changes = Vec::new();
    for name in snapshot.list("changes")? {
        let Some(id) = name.strip_suffix(".toml") else {
            continue;
        };
        if !in_scope(&paths::change(id)) {
            continue;
        }
        match snapshot.change(id) {
            Ok(Some(change)) => changes.push(change),
            Ok(None) => {}
            Err(err) => broken.push((paths::change(id), err.message)),
        }
    }
    for decision in decisions {
        let path = paths::decision(&decision.id);
        missing.extend(
            decision
                .artefacts
                .iter()
                .filter(|a| !artefacts.contains(*a))
                .map(|a| {
                    (
                        path.clone(),
                        format!("names artefact {a}, which is not registered"),
                    )
                }),
        );
        for change in &decision.changes {
            if !snapshot.exists(&paths::change(change))? {
                missing.push((
                    path.clone(),
                    format!("names change {change}, which is not recorded"),
                ));
            }
        }
    }
    for change in changes {
        let path = paths::change(&change.id);
        missing.extend(
            change
                .affects
                .iter()
                .filter(|a| !artefacts.contains(*a))
                .map(|a| {
                    (
                        path.clone(),
                        format!("affects artefact {a}, which is not registered"),
                    )
                }),
        );
        for id in change.history.iter().filter_map(|s| s.decision.as_ref()) {
            if !snapshot.exists(&paths::decision(id))? {
                missing.push((
                    path.clone(),
                    format!("a step cites decision {id}, which is not recorded"),
                ));
            }
        }
    }
    for (record, message) in missing {
        audit.find("reference", record, None, message);
    }
    for (record, message) in broken {
        audit.find(
            "record",
            record,
            None,
            format!("the record does not parse: {message}"),
        );
    }
    Ok(())
}

/// Every change and action history (in a range: those the range added or grew)
/// keeps its lifecycle: a step approving a change without a decision, say, added
/// by hand, is found even though the record only grew.
fn check_lifecycles(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    only_touched: bool,
) -> Result<()> {
    let touched =
        |path: &str| !only_touched || audit.added.contains_key(path) || audit.grown.contains(path);
    let changes: Vec<crate::model::Change> = match snapshot.changes() {
        Ok(changes) => changes,
        Err(_) => return Ok(()),
    };
    let mut findings = Vec::new();
    for change in changes.iter().filter(|c| touched(&paths::change(&c.id))) {
        let decision = |id: &str| snapshot.decision(id).ok().flatten();
        let exclusive = |id: &str| {
            changes.iter().any(|other| {
                other.id != change.id
                    && (other.excludes.contains(&change.id) || change.excludes.contains(&other.id))
                    && other.history.iter().any(|s| {
                        s.state == crate::model::ChangeState::Approved
                            && s.decision.as_deref() == Some(id)
                    })
            })
        };
        if let Err(why) = rules::check_history(change, &decision, &exclusive) {
            findings.push((paths::change(&change.id), why));
        }
    }
    for action in snapshot.actions().unwrap_or_default() {
        let path = paths::action(&action.id);
        match rules::check_action_history(&action) {
            Err(why) if touched(&path) => findings.push((path, why)),
            _ => {}
        }
    }
    for (path, why) in findings {
        audit.find(
            "lifecycle",
            path,
            None,
            format!("the history breaks the lifecycle: {why}"),
        );
    }
    Ok(())
}

/// Tags of baselines whose record is gone.
fn check_stray_tags(audit: &mut Audit<'_>, snapshot: &Snapshot<'_>) -> Result<()> {
    let names: Vec<String> = audit
        .repo
        .git()
        .tag_names(Some("*/v*"))?
        .iter()
        .flatten()
        .flatten()
        .map(str::to_string)
        .collect();
    for name in names {
        let Some((artefact, version)) = name.split_once("/v") else {
            continue;
        };
        if !snapshot.exists(&paths::artefact(artefact))? {
            continue;
        }
        let Ok(version) = version.parse::<VersionNumber>() else {
            continue;
        };
        let record = snapshot.version(artefact, &version).ok().flatten();
        if record.is_none_or(|r| r.status != Status::Baselined) {
            audit.find(
                "tag",
                &name,
                None,
                format!(
                    "the tag names a baseline, but {} is not a baselined version record",
                    paths::version(artefact, &version)
                ),
            );
        }
    }
    Ok(())
}

/// Work a killed command left: a pending journal, or record files in the working
/// tree that were never committed or differ from the commit.
fn check_leftovers(audit: &mut Audit<'_>) -> Result<()> {
    if crate::repo::pending_transaction(audit.repo)?.is_some() {
        audit.report.findings.push(Finding {
            check: "leftover",
            record: ".git/baseline/journal.json".into(),
            commit: None,
            message: "an interrupted command left its commit unfinished (tags or working files)"
                .into(),
            repairable: true,
        });
    }
    let mut options = git2::StatusOptions::new();
    options.include_untracked(true).recurse_untracked_dirs(true);
    for dir in [
        "baseline.toml",
        "artefacts",
        "decisions",
        "changes",
        "meetings",
        "actions",
    ] {
        options.pathspec(dir);
    }
    let statuses = audit.repo.git().statuses(Some(&mut options))?;
    let leftovers: Vec<(String, git2::Status)> = statuses
        .iter()
        .filter_map(|s| Some((s.path().ok()?.to_string(), s.status())))
        .filter(|(path, _)| is_record(path))
        .collect();
    for (path, status) in leftovers {
        let message = if status.contains(git2::Status::WT_NEW) {
            "a record file that was never committed (half-written)"
        } else {
            "the record file differs from the committed one"
        };
        audit.report.findings.push(Finding {
            check: "leftover",
            record: path,
            commit: None,
            message: message.into(),
            repairable: true,
        });
    }
    Ok(())
}

/// Puts right what `verify` found repairable, inside one locked transaction:
/// finishes an interrupted command, makes missing tags on the commits that
/// recorded their baselines, and rolls back record files never committed.
pub fn repair(repo: &Repo, report: &Report) -> Result<Vec<String>> {
    let mut done = Vec::new();
    let tx = repo.begin("verify --repair")?;
    if report
        .findings
        .iter()
        .any(|f| f.check == "leftover" && f.record.ends_with("journal.json"))
    {
        done.push("finished the interrupted command's tags and working files".to_string());
    }
    let snapshot = tx.snapshot();
    let signature = repo.identity_signature()?;
    for finding in report.findings.iter().filter(|f| f.repairable) {
        match finding.check {
            "tag" => {
                let (Some((artefact, version)), Some(commit)) =
                    (version_of(&finding.record), finding.commit.as_deref())
                else {
                    continue;
                };
                let Some(record) = snapshot.version(&artefact, &version)? else {
                    continue;
                };
                let title = snapshot
                    .artefact(&artefact)?
                    .map(|a| a.title)
                    .unwrap_or_default();
                let name = paths::tag(&artefact, &version);
                let target = repo
                    .git()
                    .find_object(git2::Oid::from_str(commit)?, Some(git2::ObjectType::Commit))?;
                repo.git().tag(
                    &name,
                    &target,
                    &signature,
                    &record.tag_message(&title),
                    false,
                )?;
                done.push(format!("made the missing tag {name} on {commit}"));
            }
            "leftover" if !finding.record.ends_with("journal.json") => {
                let file = repo.root().join(&finding.record);
                // The index entry goes back to the commit's too, or git would
                // still hold the half-written record.
                if let Some(head) = snapshot.commit() {
                    repo.git()
                        .reset_default(Some(head.as_object()), [finding.record.as_str()])?;
                }
                match snapshot.read(&finding.record)? {
                    Some(bytes) => {
                        crate::repo::journal::replace_file(&file, &bytes)?;
                        done.push(format!("restored {} as committed", finding.record));
                    }
                    None => {
                        match std::fs::remove_file(&file) {
                            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                                return Err(crate::error::io_at(&file)(err));
                            }
                            _ => {}
                        }
                        done.push(format!(
                            "removed {}, which was never committed",
                            finding.record
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(done)
}

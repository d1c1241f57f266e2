//! What `verify` can find: one variant per kind of finding, each with a stable
//! code that scripts and CI may match on, and the sentence a person reads.

use serde::{Serialize, Serializer};

/// One thing wrong, with the record it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    /// The record file or tag concerned.
    pub record: String,
    /// The commit where it happened, where one is known.
    pub commit: Option<String>,
}

/// Every kind of finding. The code of each (see [`FindingKind::code`]) is stable:
/// renaming one breaks whoever matches on it, so codes are only ever added.
///
/// | code | check | what was found |
/// |---|---|---|
/// | `record-deleted` | history | a committed record was deleted |
/// | `record-edited` | history | a write-once record was edited after it was committed |
/// | `record-edited-in-merge` | history | a merge changed a record that one side had committed |
/// | `history-rewritten` | history | a change or action record lost or altered steps instead of only gaining them |
/// | `version-order` | order | a version was recorded after a higher (or equal) one |
/// | `config-unreadable` | record | baseline.toml does not parse |
/// | `versions-unreadable` | record | an artefact's version records do not parse |
/// | `record-unparsable` | record | a decision or change record does not parse |
/// | `name-case-clash` | record | a record's path differs only in case from another's: on Windows and macOS one hides the other |
/// | `record-not-a-file` | record | a record's place in a commit holds a symbolic link or a submodule, not a file |
/// | `file-name-mismatch` | record | a version file's name is not the version it holds |
/// | `wrong-artefact` | record | a version record names another artefact than its folder |
/// | `content-mismatch` | content | a version's content does not hash to its sha256 or blob, or is missing |
/// | `commit-content-mismatch` | content | the commit that recorded a draft holds other content at the artefact's file |
/// | `rule-broken` | rule | a baseline breaks a rule (decisions, changes, dates, numbering) |
/// | `baseline-not-draft` | rule | a baseline is not byte-identical to the draft it promotes |
/// | `tag-missing` | tag | a baseline has no tag (repairable when its commit is known) |
/// | `tag-not-annotated` | tag | a baseline's tag is a lightweight tag |
/// | `tag-message-mismatch` | tag | a baseline's tag message differs from its record |
/// | `tag-moved` | tag | a baseline's tag points at another commit than the one that recorded it |
/// | `tag-not-on-commit` | tag | a baseline's tag points at a tree, a blob or another tag, not at a commit |
/// | `baseline-unrecorded` | tag | no commit in history added the baseline's record |
/// | `stray-tag` | tag | a baseline tag whose version record is missing or not a baseline |
/// | `policy-unrecorded` | history | baseline.toml was edited by a commit that is not a `policy set` citing an approved decision |
/// | `policy-edited-baseline` | rule | a baseline was made while such an edit was in force |
/// | `object-replaced` | history | a `git replace` ref makes git show other content than the object recorded (baseline reads the recorded one) |
/// | `text-bidi` | record | a record's text holds a bidirectional override, which makes it read in another order than it is stored |
/// | `date-out-of-range` | record | a record's date is before 1900 or after 2200 |
/// | `dangling-reference` | reference | a record names an artefact, change or decision that does not exist |
/// | `lifecycle-broken` | lifecycle | a change's or action's history breaks its lifecycle |
/// | `leftover-journal` | leftover | an interrupted command left its journal (repairable) |
/// | `leftover-uncommitted` | leftover | a record file in the working tree was never committed (repairable) |
/// | `leftover-modified` | leftover | a record file in the working tree differs from the commit (repairable) |
/// | `tag-left-by-rewrite` | tag | a baseline's tag points at a commit no longer on the branch that recorded the same record, left behind by a rebase or amend (repairable while that commit is on no remote) |
/// | `record-unmerged` | leftover | git left a record unmerged: two sides made it with different content (never settled by repair) |
/// | `approvers-unrecorded` | history | the approvers file was edited by a commit that is not an `approver add`/`remove` citing an approved decision |
/// | `baseline-unsigned` | tag | a baseline's tag is not signed, though the policy in force or its record requires it |
/// | `signature-bad` | tag | a baseline tag's signature does not hold over the tag's content |
/// | `signer-unknown` | tag | a baseline's tag is signed by a key no approver had when it was made |
/// | `signer-outside-validity` | tag | the signing approver's key was not valid on the baseline's date |
/// | `signer-role-unsuitable` | tag | the signing approver's role may not sign baselines under the policy |
/// | `tag-resigned` | tag | a baseline's tag is signed by another key than its record names |
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingKind {
    RecordDeleted,
    RecordEdited,
    RecordEditedInMerge,
    HistoryRewritten,
    RecordNotAFile {
        what: String,
    },
    NameCaseClash {
        other: String,
    },
    VersionOrder {
        version: String,
        after: String,
    },
    ConfigUnreadable {
        error: String,
    },
    VersionsUnreadable {
        error: String,
    },
    RecordUnparsable {
        error: String,
    },
    FileNameMismatch,
    WrongArtefact {
        named: String,
        folder: String,
    },
    ContentMismatch {
        error: String,
    },
    CommitContentMismatch {
        held: Option<String>,
        file: String,
        blob: String,
    },
    RuleBroken {
        error: String,
    },
    BaselineNotDraft {
        draft: String,
    },
    /// `recorded`: a commit in history added the baseline's record, so the tag
    /// can be made on it.
    TagMissing {
        tag: String,
        recorded: bool,
    },
    TagNotAnnotated,
    TagMessageMismatch,
    TagMoved {
        points_at: String,
        recorded_by: String,
    },
    TagNotOnCommit {
        /// What the tag points at: "tree", "blob" or "tag".
        kind: String,
        points_at: String,
    },
    BaselineUnrecorded,
    ObjectReplaced {
        by: String,
    },
    PolicyUnrecorded {
        why: String,
    },
    TextBidi {
        field: String,
    },
    DateOutOfRange {
        field: String,
        date: String,
    },
    PolicyEditedBaseline {
        setting: String,
        value: String,
        recorded: String,
    },
    /// A baseline that `decision`, as it stood when the baseline was made,
    /// approved; a later correction (`number`) no longer covers its artefact.
    DecisionCorrectedAfterBaseline {
        decision: String,
        number: u32,
        artefacts: Vec<String>,
    },
    /// A baseline citing `change`, which affected its artefact when the
    /// baseline was made; a later amendment no longer lists it.
    ChangeAmendedAfterBaseline {
        change: String,
        affects: Vec<String>,
    },
    StrayTag {
        record: String,
    },
    DanglingReference(Dangling),
    LifecycleBroken {
        why: String,
    },
    LeftoverJournal,
    LeftoverUncommitted,
    LeftoverModified,
    /// `published`: the old commit is on a remote-tracking branch (or this is
    /// the server), so the tag may be in other clones and is not moved.
    TagLeftByRewrite {
        points_at: String,
        recorded_by: String,
        published: bool,
    },
    RecordUnmerged,
    ApproversUnrecorded {
        why: String,
    },
    /// `required_by`: "the policy" or "its record".
    BaselineUnsigned {
        required_by: String,
    },
    SignatureBad {
        why: String,
    },
    SignerUnknown {
        why: String,
    },
    SignerOutsideValidity {
        name: String,
        validity: String,
        date: String,
    },
    /// The record names a signer (name and role) that is not the approver
    /// whose key signed.
    SignerMisnamed {
        recorded: String,
        approver: String,
    },
    SignerRoleUnsuitable {
        name: String,
        role: String,
        roles: String,
    },
    TagResigned {
        recorded: Option<String>,
        /// The key that signed it; none: an X.509 certificate none of the
        /// approvers had (a CMS signature names it by issuer and serial).
        signed_with: Option<String>,
    },
}

/// A cross-reference that resolves to nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dangling {
    /// A decision approves an artefact that is not registered.
    DecisionArtefact(String),
    /// A decision decides a change that is not recorded.
    DecisionChange(String),
    /// A change affects an artefact that is not registered.
    ChangeAffects(String),
    /// A step of a change's history cites a decision that is not recorded.
    StepDecision(String),
    /// A decision's correction says it was superseded by one not recorded.
    SupersededBy(String),
}

impl FindingKind {
    /// The stable, kebab-case code of this kind of finding.
    pub fn code(&self) -> &'static str {
        use FindingKind::*;
        match self {
            RecordDeleted => "record-deleted",
            RecordEdited => "record-edited",
            RecordEditedInMerge => "record-edited-in-merge",
            HistoryRewritten => "history-rewritten",
            RecordNotAFile { .. } => "record-not-a-file",
            NameCaseClash { .. } => "name-case-clash",
            VersionOrder { .. } => "version-order",
            ConfigUnreadable { .. } => "config-unreadable",
            VersionsUnreadable { .. } => "versions-unreadable",
            RecordUnparsable { .. } => "record-unparsable",
            FileNameMismatch => "file-name-mismatch",
            WrongArtefact { .. } => "wrong-artefact",
            ContentMismatch { .. } => "content-mismatch",
            CommitContentMismatch { .. } => "commit-content-mismatch",
            RuleBroken { .. } => "rule-broken",
            BaselineNotDraft { .. } => "baseline-not-draft",
            TagMissing { .. } => "tag-missing",
            TagNotAnnotated => "tag-not-annotated",
            TagMessageMismatch => "tag-message-mismatch",
            TagMoved { .. } => "tag-moved",
            TagNotOnCommit { .. } => "tag-not-on-commit",
            BaselineUnrecorded => "baseline-unrecorded",
            ObjectReplaced { .. } => "object-replaced",
            PolicyUnrecorded { .. } => "policy-unrecorded",
            TextBidi { .. } => "text-bidi",
            DateOutOfRange { .. } => "date-out-of-range",
            PolicyEditedBaseline { .. } => "policy-edited-baseline",
            DecisionCorrectedAfterBaseline { .. } => "decision-corrected-after-baseline",
            ChangeAmendedAfterBaseline { .. } => "change-amended-after-baseline",
            StrayTag { .. } => "stray-tag",
            DanglingReference(_) => "dangling-reference",
            LifecycleBroken { .. } => "lifecycle-broken",
            LeftoverJournal => "leftover-journal",
            LeftoverUncommitted => "leftover-uncommitted",
            LeftoverModified => "leftover-modified",
            TagLeftByRewrite { .. } => "tag-left-by-rewrite",
            RecordUnmerged => "record-unmerged",
            ApproversUnrecorded { .. } => "approvers-unrecorded",
            BaselineUnsigned { .. } => "baseline-unsigned",
            SignatureBad { .. } => "signature-bad",
            SignerUnknown { .. } => "signer-unknown",
            SignerOutsideValidity { .. } => "signer-outside-validity",
            SignerMisnamed { .. } => "signer-misnamed",
            SignerRoleUnsuitable { .. } => "signer-role-unsuitable",
            TagResigned { .. } => "tag-resigned",
        }
    }

    /// The family of checks that found it, as the report has always named them.
    pub fn check(&self) -> &'static str {
        use FindingKind::*;
        match self {
            RecordDeleted
            | RecordEdited
            | RecordEditedInMerge
            | HistoryRewritten
            | ObjectReplaced { .. }
            | PolicyUnrecorded { .. }
            | ApproversUnrecorded { .. } => "history",
            VersionOrder { .. } => "order",
            ConfigUnreadable { .. }
            | VersionsUnreadable { .. }
            | RecordUnparsable { .. }
            | RecordNotAFile { .. }
            | NameCaseClash { .. }
            | FileNameMismatch
            | WrongArtefact { .. }
            | TextBidi { .. }
            | DateOutOfRange { .. } => "record",
            ContentMismatch { .. } | CommitContentMismatch { .. } => "content",
            RuleBroken { .. }
            | BaselineNotDraft { .. }
            | PolicyEditedBaseline { .. }
            | DecisionCorrectedAfterBaseline { .. }
            | ChangeAmendedAfterBaseline { .. } => "rule",
            TagMissing { .. }
            | TagNotAnnotated
            | TagMessageMismatch
            | TagMoved { .. }
            | TagNotOnCommit { .. }
            | BaselineUnrecorded
            | TagLeftByRewrite { .. }
            | StrayTag { .. }
            | BaselineUnsigned { .. }
            | SignatureBad { .. }
            | SignerUnknown { .. }
            | SignerOutsideValidity { .. }
            | SignerMisnamed { .. }
            | SignerRoleUnsuitable { .. }
            | TagResigned { .. } => "tag",
            DanglingReference(_) => "reference",
            LifecycleBroken { .. } => "lifecycle",
            LeftoverJournal | LeftoverUncommitted | LeftoverModified | RecordUnmerged => "leftover",
        }
    }

    /// Whether `verify --repair` can put it right: finishing or rolling back
    /// half-written work, and making a tag on the commit that recorded its
    /// baseline. Anything else needs the records restored from a trusted clone.
    pub fn repairable(&self) -> bool {
        use FindingKind::*;
        matches!(
            self,
            TagMissing { recorded: true, .. }
                | LeftoverJournal
                | LeftoverUncommitted
                | LeftoverModified
                | TagLeftByRewrite {
                    published: false,
                    ..
                }
        )
    }

    /// The sentence the report prints after the record's name.
    pub fn message(&self) -> String {
        use FindingKind::*;
        match self {
            RecordDeleted => "the record was deleted; records are never removed".into(),
            RecordEdited => {
                "the record was edited after it was committed; records are written once".into()
            }
            RecordEditedInMerge => "a merge changed the record; records are written once".into(),
            HistoryRewritten => {
                "the record was rewritten; its history may only gain new steps".into()
            }
            VersionOrder { version, after } => format!(
                "version {version} was recorded after {after}; version numbers only increase"
            ),
            ConfigUnreadable { error } | VersionsUnreadable { error } => error.clone(),
            RecordUnparsable { error } => format!("the record does not parse: {error}"),
            NameCaseClash { other } => format!(
                "the path differs only in case from {other}: on Windows and macOS they are one file, and a checkout shows only one of them"
            ),
            RecordNotAFile { what } => format!(
                "the commit holds a {what} where the record belongs; baseline writes records only as files"
            ),
            FileNameMismatch => "the file's name is not the version it holds".into(),
            WrongArtefact { named, folder } => {
                format!("the record names artefact {named}, not {folder}")
            }
            ContentMismatch { error } => error.clone(),
            CommitContentMismatch { held, file, blob } => format!(
                "the commit that recorded it holds {} at {file}, not blob {blob}",
                held.as_deref().unwrap_or("nothing")
            ),
            RuleBroken { error } => format!("the baseline breaks a rule: {error}"),
            BaselineNotDraft { draft } => {
                format!("the baseline is not byte-identical to draft {draft}")
            }
            TagMissing { tag, recorded: true } => format!("the baseline has no tag {tag}"),
            TagMissing {
                tag,
                recorded: false,
            } => format!(
                "the baseline has no tag {tag} (and no commit in history recorded it)"
            ),
            TagNotAnnotated => "the tag is not an annotated tag (it was replaced by hand)".into(),
            TagMessageMismatch => "the tag's message does not match the version record (decisions, date or hash differ)".into(),
            TagMoved {
                points_at,
                recorded_by,
            } => format!(
                "the tag points at {points_at}, but {recorded_by} recorded the baseline: the tag was moved"
            ),
            TagNotOnCommit { kind, points_at } => format!(
                "the tag points at the {kind} {points_at}, not at the commit that recorded the baseline: it was made again by hand"
            ),
            BaselineUnrecorded => "no commit in history added this baseline's record".into(),
            TextBidi { field } => format!(
                "its {field} holds a bidirectional override (U+202A–U+202E, U+2066–U+2069): it reads in another order than it is stored"
            ),
            DateOutOfRange { field, date } => format!(
                "its {field} {date} is outside the dates a record may carry (1900-01-01 to 2200-12-31)"
            ),
            PolicyUnrecorded { why } => format!(
                "baseline.toml was changed outside `baseline policy set`: {why}"
            ),
            PolicyEditedBaseline {
                setting,
                value,
                recorded,
            } => format!(
                "made while baseline.toml had {setting} = {value} by an unrecorded edit (the recorded policy says {recorded})"
            ),
            DecisionCorrectedAfterBaseline {
                decision,
                number,
                artefacts,
            } => format!(
                "approved by {decision} as it stood then; its correction {number}, made since, approves only {}",
                artefacts.join(", ")
            ),
            ChangeAmendedAfterBaseline { change, affects } => format!(
                "made under {change}, which then affected it; an amendment made since says it affects only {}",
                affects.join(", ")
            ),
            ObjectReplaced { by } => format!(
                "`git replace` makes git show {by} in place of this object: git and baseline read different records"
            ),
            StrayTag { record } => format!(
                "the tag names a baseline, but {record} is not a baselined version record"
            ),
            DanglingReference(reference) => reference.message(),
            LifecycleBroken { why } => format!("the history breaks the lifecycle: {why}"),
            LeftoverJournal => {
                "an interrupted command left its commit unfinished (tags or working files)".into()
            }
            LeftoverUncommitted => "a record file that was never committed (half-written)".into(),
            LeftoverModified => "the record file differs from the committed one".into(),
            TagLeftByRewrite {
                points_at,
                recorded_by,
                published: false,
            } => format!(
                "the tag points at {points_at}, a commit left behind when history was rewritten here (a `git pull --rebase` or an amend): {recorded_by} now records the same baseline, and the tag was never published; `baseline verify --repair` moves it there"
            ),
            TagLeftByRewrite {
                points_at,
                recorded_by,
                published: true,
            } => format!(
                "the tag points at {points_at}, which is on a remote, while {recorded_by} on this branch records the same baseline: shared history was rewritten here; go back to the remote's (`git reset --keep origin/main`) and use `baseline sync`"
            ),
            ApproversUnrecorded { why } => format!(
                "the approvers file was changed outside `baseline approver add|remove`: {why}"
            ),
            BaselineUnsigned { required_by } => format!(
                "the baseline's tag is not signed, and {required_by} requires a signature by an approver"
            ),
            SignatureBad { why } => format!(
                "the tag's signature does not hold: {why}; what it signed is not what the tag says now"
            ),
            SignerUnknown { why } => format!(
                "the tag is signed by someone who was not an approver when the baseline was made: {why}"
            ),
            SignerOutsideValidity {
                name,
                validity,
                date,
            } => format!(
                "the tag is signed by {name}, whose key may sign {validity}, and the baseline is dated {date}: every one of these days must be in it"
            ),
            SignerMisnamed { recorded, approver } => format!(
                "the record says it was signed by {recorded}, but the key that signed is {approver}'s"
            ),
            SignerRoleUnsuitable { name, role, roles } => format!(
                "the tag is signed by {name} as {role}, and the policy lets only {roles} sign baselines"
            ),
            TagResigned {
                recorded,
                signed_with,
            } => format!(
                "the tag is signed with {}, but its record names {}: the tag was signed again",
                signed_with
                    .as_deref()
                    .map_or("a certificate no approver had".to_string(), |key| format!("key {key}")),
                recorded
                    .as_deref()
                    .map_or("no signer".to_string(), |key| format!("key {key}"))
            ),
            RecordUnmerged => "git left the record unmerged: two sides made it with different content. Agree which one stands; `git merge --abort` (or `git rebase --abort`) and `baseline sync` name both sides".into(),
        }
    }
}

impl Dangling {
    fn message(&self) -> String {
        match self {
            Dangling::DecisionArtefact(id) => {
                format!("names artefact {id}, which is not registered")
            }
            Dangling::DecisionChange(id) => format!("names change {id}, which is not recorded"),
            Dangling::ChangeAffects(id) => {
                format!("affects artefact {id}, which is not registered")
            }
            Dangling::StepDecision(id) => {
                format!("a step cites decision {id}, which is not recorded")
            }
            Dangling::SupersededBy(id) => {
                format!("is said to be superseded by decision {id}, which is not recorded")
            }
        }
    }
}

impl Finding {
    pub fn new(kind: FindingKind, record: impl Into<String>, commit: Option<git2::Oid>) -> Self {
        Finding {
            kind,
            record: record.into(),
            commit: commit.map(|c| c.to_string()),
        }
    }

    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    pub fn check(&self) -> &'static str {
        self.kind.check()
    }

    pub fn message(&self) -> String {
        self.kind.message()
    }

    pub fn repairable(&self) -> bool {
        self.kind.repairable()
    }
}

/// The JSON shape of a finding: the fields it has always had, and its code.
#[derive(Serialize)]
struct FindingJson<'a> {
    code: &'static str,
    check: &'static str,
    record: &'a str,
    commit: Option<&'a str>,
    message: String,
    repairable: bool,
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        FindingJson {
            code: self.code(),
            check: self.check(),
            record: &self.record,
            commit: self.commit.as_deref(),
            message: self.message(),
            repairable: self.repairable(),
        }
        .serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON keeps every field readers already use, and adds the code.
    #[test]
    fn a_finding_serialises_with_its_code_and_the_old_fields() {
        let finding = Finding::new(
            FindingKind::TagMissing {
                tag: "DOC/v1.0".into(),
                recorded: true,
            },
            "artefacts/DOC/versions/1.0.toml",
            None,
        );
        let json = serde_json::to_value(&finding).unwrap();
        assert_eq!(json["code"], "tag-missing");
        assert_eq!(json["check"], "tag");
        assert_eq!(json["record"], "artefacts/DOC/versions/1.0.toml");
        assert_eq!(json["commit"], serde_json::Value::Null);
        assert_eq!(json["message"], "the baseline has no tag DOC/v1.0");
        assert_eq!(json["repairable"], true);
    }

    /// A missing tag can be made only where history says which commit recorded it.
    #[test]
    fn a_missing_tag_is_repairable_only_when_its_commit_is_known() {
        let missing = |recorded| FindingKind::TagMissing {
            tag: "DOC/v1.0".into(),
            recorded,
        };
        assert!(missing(true).repairable());
        assert!(!missing(false).repairable());
        assert!(
            missing(false)
                .message()
                .ends_with("(and no commit in history recorded it)")
        );
        assert!(!FindingKind::RecordEdited.repairable());
    }
}

//! Commit messages and their trailers: what a commit says it recorded, in words
//! for people and in trailers (`Baseline-Artefact: DES196`) for the tool.

use std::fmt;

use super::VersionRecord;

pub const COMMAND: &str = "Baseline-Command";
pub const ARTEFACT: &str = "Baseline-Artefact";
pub const VERSION: &str = "Baseline-Version";
pub const STATUS: &str = "Baseline-Status";
pub const SHA256: &str = "Baseline-Sha256";
pub const PROMOTES: &str = "Baseline-Promotes";
pub const REGISTERED: &str = "Baseline-Registered";
/// A version adopted from a register (`DES138@5.6.1`), one per version: an
/// adoption commit records many.
pub const ADOPTED: &str = "Baseline-Adopted";
/// The trailers naming what a version cites, or what a command touched.
pub const DECISION: &str = "Baseline-Decision";
pub const CHANGE: &str = "Baseline-Change";
pub const MEETING: &str = "Baseline-Meeting";
pub const ACTION: &str = "Baseline-Action";
/// The trailers naming the records a command made.
pub const DECISION_RECORDED: &str = "Baseline-Decision-Recorded";
pub const CHANGE_RECORDED: &str = "Baseline-Change-Recorded";
pub const CHANGE_STEP: &str = "Baseline-Change-Step";
pub const CHANGE_AMENDED: &str = "Baseline-Change-Amended";
/// A decision's correction (`DAG-DEC57/2`), and the decision a supersede
/// commit names as the newer one.
pub const DECISION_CORRECTED: &str = "Baseline-Decision-Corrected";
pub const SUPERSEDED_BY: &str = "Baseline-Superseded-By";
pub const MEETING_RECORDED: &str = "Baseline-Meeting-Recorded";
pub const RELEASE_RECORDED: &str = "Baseline-Release-Recorded";
/// The policy setting a `policy set` commit changed, and the date it took effect.
pub const POLICY: &str = "Baseline-Policy";
pub const DATE: &str = "Baseline-Date";
/// The approver an `approver add` or `approver remove` commit added or removed.
pub const APPROVER_ADDED: &str = "Baseline-Approver-Added";
pub const APPROVER_REMOVED: &str = "Baseline-Approver-Removed";

/// A commit message: a subject that says what happened, a body, and trailers a
/// machine can read (`Baseline-Artefact: DES196`).
#[derive(Debug, Default)]
pub struct CommitMessage {
    pub subject: String,
    pub body: Vec<String>,
    pub trailers: Vec<(&'static str, String)>,
}

impl CommitMessage {
    pub fn new(subject: impl Into<String>) -> Self {
        Self {
            subject: subject.into(),
            ..Self::default()
        }
    }

    pub fn line(mut self, line: impl Into<String>) -> Self {
        self.body.push(line.into());
        self
    }

    pub fn trailer(mut self, key: &'static str, value: impl fmt::Display) -> Self {
        self.trailers.push((key, value.to_string()));
        self
    }

    pub fn trailers<I: IntoIterator<Item = T>, T: fmt::Display>(
        mut self,
        key: &'static str,
        values: I,
    ) -> Self {
        for value in values {
            self = self.trailer(key, value);
        }
        self
    }
}

impl CommitMessage {
    /// The trailers of the commit of `command` that records `version`: what the
    /// commit index and `trace` read back.
    pub fn version_trailers(self, command: &str, version: &VersionRecord) -> Self {
        self.trailer(COMMAND, command)
            .trailer(ARTEFACT, &version.artefact)
            .trailer(VERSION, &version.version)
            .trailer(STATUS, version.status)
            .trailers(PROMOTES, &version.promotes)
            .trailer(SHA256, &version.sha256)
            .trailers(DECISION, &version.decisions)
            .trailers(CHANGE, &version.changes)
    }
}

impl fmt::Display for CommitMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.subject)?;
        if !self.body.is_empty() {
            writeln!(f)?;
            for line in &self.body {
                writeln!(f, "{line}")?;
            }
        }
        if !self.trailers.is_empty() {
            writeln!(f)?;
            for (key, value) in &self.trailers {
                writeln!(f, "{key}: {value}")?;
            }
        }
        Ok(())
    }
}

/// What a `policy set` commit says it changed: the setting, the decision
/// that changed it and the date it took effect.
pub struct PolicySet {
    pub key: String,
    pub decision: String,
    pub date: super::Date,
}

/// The policy change a commit message records, if it is one (the new value is
/// in the commit's `baseline.toml`, not in its trailers).
pub fn policy_set(message: &str) -> Option<PolicySet> {
    if values(message, COMMAND).first() != Some(&"policy") {
        return None;
    }
    Some(PolicySet {
        key: values(message, POLICY).first()?.to_string(),
        decision: values(message, DECISION).first()?.to_string(),
        date: values(message, DATE).first()?.parse().ok()?,
    })
}

/// A change of the `approvers` file, as its commit's trailers record it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApproverChange {
    /// The approver added (true) or removed (false).
    pub added: bool,
    pub name: String,
    pub decision: String,
    pub date: super::Date,
}

/// The approvers change a commit message records, if it is one.
pub fn approver_change(message: &str) -> Option<ApproverChange> {
    if values(message, COMMAND).first() != Some(&"approver") {
        return None;
    }
    let added = values(message, APPROVER_ADDED);
    let removed = values(message, APPROVER_REMOVED);
    let (added, name) = match (added.as_slice(), removed.as_slice()) {
        ([name], []) => (true, name),
        ([], [name]) => (false, name),
        _ => return None,
    };
    Some(ApproverChange {
        added,
        name: name.to_string(),
        decision: values(message, DECISION).first()?.to_string(),
        date: values(message, DATE).first()?.parse().ok()?,
    })
}

/// The values of trailer `key` in a commit message, in order. Trailers are the
/// message's last paragraph: text a user wrote (a note, a decision's text) stands
/// earlier in the body and can never pose as one. A value with a space or comma
/// is not an id and is left out.
pub fn values<'m>(message: &'m str, key: &str) -> Vec<&'m str> {
    let trailers = message.trim_end().rsplit("\n\n").next().unwrap_or("");
    trailers
        .lines()
        .filter_map(|line| line.strip_prefix(key)?.strip_prefix(": ").map(str::trim))
        .filter(|v| !v.is_empty() && !v.contains([' ', ',']))
        .collect()
}

/// A version commit's message once `sync --renumber` gave its version (or
/// the draft it promotes) a new number: the subject, the sentence `approve`
/// writes about the promoted draft and the trailers say the new numbers, and
/// `why` stands as its own paragraph before the trailers. Anything else (a
/// note that mentions a number) is left as written.
pub fn renumbered(message: &str, was: &VersionRecord, now: &VersionRecord, why: &str) -> String {
    let number =
        |v: &Option<super::VersionNumber>| v.as_ref().map_or(String::new(), |v| v.to_string());
    let replacements = [
        (
            format!("{VERSION}: {}", was.version),
            format!("{VERSION}: {}", now.version),
        ),
        (
            format!("{PROMOTES}: {}", number(&was.promotes)),
            format!("{PROMOTES}: {}", number(&now.promotes)),
        ),
    ];
    let mut lines: Vec<String> = message.trim_end().lines().map(String::from).collect();
    let trailers_start = lines
        .iter()
        .rposition(|line| line.is_empty())
        .map_or(lines.len(), |b| b + 1);
    for line in &mut lines[trailers_start..] {
        if let Some((_, new)) = replacements.iter().find(|(old, _)| line == old) {
            *line = new.clone();
        }
    }
    if let Some(subject) = lines.first_mut() {
        *subject = subject.replacen(
            &format!("{} v{}", was.artefact, was.version),
            &format!("{} v{}", now.artefact, now.version),
            1,
        );
    }
    let promoted = format!("Promotes draft {} of ", number(&was.promotes));
    if let Some(line) = lines[..trailers_start]
        .iter_mut()
        .find(|line| line.starts_with(&promoted) && line.ends_with(" byte for byte."))
    {
        *line = line.replacen(
            &promoted,
            &format!("Promotes draft {} of ", number(&now.promotes)),
            1,
        );
    }
    insert_before_trailers(&mut lines, why);
    lines.join("\n") + "\n"
}

/// Adds `paragraph` before a message's trailers (its last paragraph).
pub fn insert_before_trailers(lines: &mut Vec<String>, paragraph: &str) {
    match lines.iter().rposition(|line| line.is_empty()) {
        Some(blank) => {
            let trailers = blank + 1;
            lines.splice(trailers..trailers, [paragraph.to_string(), String::new()]);
        }
        None => lines.extend([String::new(), paragraph.to_string()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_written_read_back_and_the_body_cannot_pose_as_one() {
        let message = CommitMessage::new("Draft DES196 v0.2")
            .line("Baseline-Artefact: FORGED")
            .trailer(ARTEFACT, "DES196")
            .trailers(CHANGE, ["CR017", "CR027"])
            .to_string();
        assert_eq!(values(&message, ARTEFACT), ["DES196"]);
        assert_eq!(values(&message, CHANGE), ["CR017", "CR027"]);
        assert!(values(&message, DECISION).is_empty());
    }

    /// A baseline of DES196 numbered `version`, promoting `promotes`.
    fn baseline(version: &str, promotes: &str) -> VersionRecord {
        VersionRecord {
            artefact: "DES196".into(),
            version: version.parse().unwrap(),
            status: crate::model::Status::Baselined,
            date: "2023-07-12".parse().unwrap(),
            recorded_by: "A <a@example.org>".into(),
            recorded_at: "2023-07-12T10:00:00Z".parse().unwrap(),
            sha256: "ab".repeat(32),
            blob: "cd".repeat(20),
            file: "des196.csv".into(),
            size: 10,
            promotes: Some(promotes.parse().unwrap()),
            adopted: None,
            decisions: vec!["DAG-DEC57".into()],
            changes: vec!["CR027".into(), "CR018".into()],
            note: None,
            signed_by: None,
        }
    }

    #[test]
    fn a_version_commit_says_what_it_recorded() {
        let baseline = baseline("2.0", "1.1");
        let message = CommitMessage::new("Baseline DES196 v2.0 (DAG-DEC57)")
            .version_trailers("approve", &baseline)
            .to_string();
        assert!(message.ends_with(&format!(
            "\n\nBaseline-Command: approve\nBaseline-Artefact: DES196\nBaseline-Version: 2.0\n\
             Baseline-Status: baselined\nBaseline-Promotes: 1.1\nBaseline-Sha256: {}\n\
             Baseline-Decision: DAG-DEC57\nBaseline-Change: CR027\nBaseline-Change: CR018\n",
            "ab".repeat(32)
        )));
        let draft = VersionRecord {
            status: crate::model::Status::Draft,
            promotes: None,
            adopted: None,
            decisions: Vec::new(),
            changes: Vec::new(),
            ..baseline
        };
        let message = CommitMessage::new("Draft DES196 v2.0")
            .version_trailers("draft", &draft)
            .to_string();
        assert_eq!(values(&message, STATUS), ["draft"]);
        assert!(values(&message, PROMOTES).is_empty());
        assert!(values(&message, DECISION).is_empty());
    }

    #[test]
    fn a_renumbered_version_commit_says_its_new_numbers_and_why() {
        let was = VersionRecord {
            changes: Vec::new(),
            ..baseline("1.0", "0.2")
        };
        let message = CommitMessage::new("Baseline DES196 v1.0 (DAG-DEC57)")
            .line("Promotes draft 0.2 of D-Flow byte for byte.")
            .line("Baseline-Version: 1.0 was reviewed by QA")
            .version_trailers("approve", &was)
            .to_string();
        let now = VersionRecord {
            version: "2.0".parse().unwrap(),
            promotes: Some("1.1".parse().unwrap()),
            ..was.clone()
        };
        let message = renumbered(&message, &was, &now, "Renumbered.");
        assert!(message.starts_with(
            "Baseline DES196 v2.0 (DAG-DEC57)\n\nPromotes draft 1.1 of D-Flow byte for byte.\nBaseline-Version: 1.0 was reviewed by QA\n\nRenumbered.\n\nBaseline-Command: approve\n"
        ), "{message}");
        assert_eq!(values(&message, VERSION), ["2.0"]);
        assert_eq!(values(&message, PROMOTES), ["1.1"]);
        let mut bare = vec!["Subject only".to_string()];
        insert_before_trailers(&mut bare, "Why.");
        assert_eq!(bare.join("\n"), "Subject only\n\nWhy.");
    }
}

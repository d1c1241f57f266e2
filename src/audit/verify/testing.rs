//! A real design repository in a temporary directory for the unit tests of each
//! family of checks: built with the tool's own commands, then altered with the
//! `git` program as someone working around the tool would.

use std::path::Path;

use crate::model::{ChangeKind, ChangeState, Date, Outcome};
use crate::ops;
use crate::repo::Repo;

use super::Report;

pub(super) struct Design {
    pub dir: tempfile::TempDir,
}

impl Design {
    /// An initialised repository with artefact DOC and its draft 0.1.
    pub fn with_draft() -> Design {
        let dir = tempfile::tempdir().unwrap();
        git_in(dir.path(), &["init", "--quiet"]);
        // The tool signs with the repository's identity; the environment's may
        // be absent where the tests run.
        git_in(dir.path(), &["config", "user.name", "Test Designer"]);
        git_in(
            dir.path(),
            &["config", "user.email", "designer@example.org"],
        );
        let design = Design { dir };
        let repo = Repo::open_or_init(design.path()).unwrap();
        ops::init::init(&repo, Some("Test")).unwrap();
        design.write("in/doc.md", "# Scope\n\nThe first text.\n");
        let add = ops::add::AddOptions {
            id: "DOC",
            file: Path::new("in/doc.md"),
            title: "A document",
            kind: None,
            owner: None,
            key: None,
        };
        ops::add::add(&repo, design.path(), &add).unwrap();
        design.draft("2023-06-01");
        design
    }

    /// As [`Design::with_draft`], with decision DEC1 approving DOC and the draft
    /// baselined as 1.0 (tag `DOC/v1.0`).
    pub fn with_baseline() -> Design {
        let design = Design::with_draft();
        design.decision("DEC1", "2023-06-02", Outcome::Approved, &["DOC".into()]);
        let approve = ops::approve::ApproveOptions {
            artefact: "DOC",
            decisions: &["DEC1".into()],
            changes: &[],
            draft: None,
            version: None,
            date: Some(date("2023-06-03")),
            message: None,
            sign: false,
        };
        ops::approve::approve(&design.repo(), &approve).unwrap();
        design
    }

    /// Records the working content of DOC as a draft dated `on`.
    pub fn draft(&self, on: &str) {
        let draft = ops::draft::DraftOptions {
            artefact: "DOC",
            file: None,
            message: None,
            changes: &[],
            date: Some(date(on)),
            version: None,
            allow_same_content: false,
        };
        ops::draft::draft(&self.repo(), self.path(), &draft).unwrap();
    }

    /// Records decision `id`, approving `artefacts` where it is approved; its
    /// text is its outcome ("Approved.", "Noted.").
    pub fn decision(&self, id: &str, on: &str, outcome: Outcome, artefacts: &[String]) {
        let word = outcome.as_str();
        let text = format!("{}{}.", word[..1].to_uppercase(), &word[1..]);
        let decision = ops::decision::NewDecision {
            id,
            date: date(on),
            outcome,
            text: &text,
            meeting: None,
            authority: None,
            area: None,
            artefacts,
            changes: &[],
        };
        ops::decision::add(&self.repo(), &decision).unwrap();
    }

    /// Raises change `id` affecting DOC on `on`.
    pub fn change(&self, id: &str, on: &str) {
        let change = ops::change::NewChange {
            id,
            title: "A change",
            affects: &["DOC".into()],
            kind: ChangeKind::Cr,
            excludes: &[],
            date: Some(date(on)),
        };
        ops::change::add(&self.repo(), &change).unwrap();
    }

    /// Moves change `id` to `state` on `on`.
    pub fn change_state(&self, id: &str, state: ChangeState, on: &str) {
        let step = ops::change::Step {
            id,
            state,
            decision: None,
            date: Some(date(on)),
            release: None,
            note: None,
        };
        ops::change::set(&self.repo(), &step).unwrap();
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap()
    }

    /// Writes a file and commits it with plain git, as a hand edit would be.
    pub fn commit_by_hand(&self, rel: &str, text: &str) {
        self.write(rel, text);
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "-m", &format!("By hand: {rel}")]);
    }

    pub fn repo(&self) -> Repo {
        Repo::discover(self.path()).unwrap()
    }

    pub fn verify(&self) -> Report {
        super::verify(&self.repo(), super::Scope::default(), &|_, _| {}).unwrap()
    }

    /// Each finding of a whole-history audit as "code record".
    pub fn findings(&self) -> Vec<String> {
        codes(&self.verify())
    }
}

/// Each finding of a report as "code record".
pub(super) fn codes(report: &Report) -> Vec<String> {
    report
        .findings
        .iter()
        .map(|f| format!("{} {}", f.code(), f.record))
        .collect()
}

pub(super) fn git_in(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test Designer")
        .env("GIT_AUTHOR_EMAIL", "designer@example.org")
        .env("GIT_COMMITTER_NAME", "Test Designer")
        .env("GIT_COMMITTER_EMAIL", "designer@example.org")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

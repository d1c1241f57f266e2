//! A real design repository in a temporary directory for the unit tests of each
//! family of checks: built with the tool's own commands, then altered with the
//! `git` program as someone working around the tool would.

use std::path::Path;

use clap::Parser;

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
        design.run(&["init", "--programme", "Test"]);
        design.write("in/doc.md", "# Scope\n\nThe first text.\n");
        design.run(&["add", "DOC", "--title", "A document", "in/doc.md"]);
        design.run(&["draft", "DOC", "--date", "2023-06-01"]);
        design
    }

    /// As [`Design::with_draft`], with decision DEC1 approving DOC and the draft
    /// baselined as 1.0 (tag `DOC/v1.0`).
    pub fn with_baseline() -> Design {
        let design = Design::with_draft();
        design.run(&[
            "decision",
            "add",
            "DEC1",
            "--date",
            "2023-06-02",
            "--outcome",
            "approved",
            "--text",
            "Approved.",
            "--artefact",
            "DOC",
        ]);
        design.run(&[
            "approve",
            "DOC",
            "--decision",
            "DEC1",
            "--date",
            "2023-06-03",
        ]);
        design
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs a `baseline` command line in the repository; it must succeed.
    pub fn run(&self, args: &[&str]) {
        let path = self.path().to_str().unwrap();
        let line = ["baseline", "-C", path]
            .into_iter()
            .chain(args.iter().copied());
        let cli = crate::cli::Cli::try_parse_from(line).unwrap();
        crate::cli::run(cli).unwrap_or_else(|err| panic!("{args:?}: {}", err.message));
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
        super::verify(&self.repo(), None, &|_, _| {}).unwrap()
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

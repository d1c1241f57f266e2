//! A design repository in a temporary directory, driven through the real binary.
#![allow(dead_code)]

pub mod signing;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use assert_cmd::Command;

pub const WHO: &str = "Test Designer <designer@example.org>";

pub struct Design {
    pub dir: tempfile::TempDir,
}

/// What a refused command must leave untouched.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    head: String,
    tags: String,
    status: String,
    count: String,
}

pub fn baseline_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("baseline").unwrap();
    cmd.current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test Designer")
        .env("GIT_AUTHOR_EMAIL", "designer@example.org")
        .env("GIT_COMMITTER_NAME", "Test Designer")
        .env("GIT_COMMITTER_EMAIL", "designer@example.org")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

/// The DAG026 example (examples/dag026/run.sh), built once per test process.
struct Example {
    /// The folder run.sh was given; the repository is its `dag026`.
    base: PathBuf,
    /// What run.sh printed.
    printed: String,
}

static EXAMPLE: OnceLock<Example> = OnceLock::new();

/// A private copy of the DAG026 example repository, in `dag026` inside the
/// returned directory (removed when it drops), and what run.sh printed.
///
/// The script runs once per test process; every caller gets its own copy, so a
/// test may alter its repository freely. Even tests that only read get a copy:
/// read commands refresh the caches in `.git/baseline`, so no repository is
/// truly read-only.
pub fn example() -> (tempfile::TempDir, PathBuf, String) {
    let example = EXAMPLE.get_or_init(build_example);
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("dag026");
    copy_dir(&example.base.join("dag026"), &repo);
    (dir, repo, example.printed.clone())
}

fn build_example() -> Example {
    let base = example_root().join(std::process::id().to_string());
    if base.exists() {
        std::fs::remove_dir_all(&base).unwrap();
    }
    std::fs::create_dir_all(&base).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dag026/run.sh");
    let run = std::process::Command::new("bash")
        .arg(&script)
        .arg(&base)
        .env("BASELINE_BIN", assert_cmd::cargo::cargo_bin("baseline"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "examples/dag026/run.sh failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    Example {
        base,
        printed: String::from_utf8(run.stdout).unwrap(),
    }
}

/// Where the built examples live: one folder per test process, named by its id,
/// in Cargo's scratch folder for integration tests. A static is never dropped,
/// so instead of removing its own folder at exit each process removes those of
/// processes that have ended (where `/proc` says which are running).
fn example_root() -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dag026-examples");
    std::fs::create_dir_all(&root).unwrap();
    if Path::new("/proc/self").exists() {
        for entry in std::fs::read_dir(&root).unwrap().flatten() {
            let name = entry.file_name();
            let ended = name
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|pid| !Path::new("/proc").join(pid.to_string()).exists());
            if ended {
                // Another process may be removing it too.
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    root
}

/// Copies the folder `from` to `to` (which must not exist), files with their
/// permissions. A repository the tool made holds no symbolic links.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_dir(&source, &target);
        } else {
            assert!(
                !kind.is_symlink(),
                "{} is a symbolic link",
                source.display()
            );
            std::fs::copy(&source, &target).unwrap();
        }
    }
}

/// `text` compressed as git stores a loose object.
pub fn zlib(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap()
}

pub fn git_in(dir: &Path, args: &[&str]) -> String {
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

/// Every repository a test makes must pass `git fsck`, whatever the test did to it.
impl Drop for Design {
    fn drop(&mut self) {
        if !std::thread::panicking() && self.path().join(".git").exists() {
            self.assert_fsck_clean();
        }
    }
}

impl Design {
    /// An initialised design repository, empty of records.
    pub fn new() -> Design {
        let design = Design {
            dir: tempfile::tempdir().unwrap(),
        };
        design.ok(&["init", "--programme", "Test Programme"]);
        design
    }

    /// A repository with a registered markdown artefact DOC and table TAB, each with draft 0.1.
    pub fn with_artefacts() -> Design {
        let design = Design::new();
        design.write("in/doc.md", "# 1 Scope\n\nThe first text.\n");
        design.write("in/tab.csv", "D-Flow,Name\nD0012,Reading\nD0300,Dispute\n");
        design.ok(&["add", "DOC", "--title", "A document", "in/doc.md"]);
        design.ok(&[
            "add",
            "TAB",
            "--title",
            "A table",
            "--key",
            "D-Flow",
            "in/tab.csv",
        ]);
        design.ok(&["draft", "DOC", "--date", "2023-06-01"]);
        design.ok(&["draft", "TAB", "--date", "2023-06-01"]);
        design
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.file(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.file(rel)).unwrap()
    }

    pub fn cmd(&self) -> Command {
        baseline_in(self.path())
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs a command that must succeed; returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "baseline {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut args = args.to_vec();
        args.extend(["--format", "json"]);
        serde_json::from_str(&self.ok(&args)).unwrap()
    }

    /// Runs a command that must be refused (exit 1) without changing anything;
    /// returns its standard error, which must carry a hint.
    pub fn refused(&self, args: &[&str]) -> String {
        let before = self.snapshot();
        let output = self.run(args);
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "baseline {args:?} should be refused:\n{stderr}"
        );
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains("\nhint: "), "no hint in:\n{stderr}");
        assert_eq!(
            before,
            self.snapshot(),
            "baseline {args:?} changed the repository"
        );
        stderr
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args)
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            head: self.git(&["rev-parse", "HEAD"]),
            tags: self.git(&["for-each-ref", "refs/tags"]),
            status: self.git(&["status", "--porcelain", "--untracked-files=all"]),
            count: self.git(&["rev-list", "--count", "HEAD"]),
        }
    }

    pub fn commit_count(&self) -> usize {
        self.git(&["rev-list", "--count", "HEAD"])
            .trim()
            .parse()
            .unwrap()
    }

    /// `git fsck` finds nothing wrong.
    pub fn assert_fsck_clean(&self) {
        let output = std::process::Command::new("git")
            .args(["fsck", "--strict", "--no-dangling"])
            .current_dir(self.path())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "git fsck: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            output.stdout.is_empty() && output.stderr.is_empty(),
            "git fsck: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Baselines `artefact` under `decision` on `date`.
    pub fn approve(&self, artefact: &str, decision: &str, date: &str) -> String {
        self.ok(&["approve", artefact, "--decision", decision, "--date", date])
    }

    /// Records a decision approving `artefacts` (none: any) on `date`.
    pub fn decision(&self, id: &str, date: &str, outcome: &str, artefacts: &[&str]) {
        let mut args = vec![
            "decision",
            "add",
            id,
            "--date",
            date,
            "--outcome",
            outcome,
            "--text",
            "Decided.",
        ];
        for a in artefacts {
            args.extend(["--artefact", a]);
        }
        self.ok(&args);
    }
}

/// LibreOffice's `soffice`, where it runs here. Without it the caller's test
/// says so and passes, unless `BASELINE_REQUIRE_LIBREOFFICE=1` is set (as
/// `.ci/run` does): then it fails.
pub fn libreoffice() -> Option<&'static str> {
    let found = ["soffice", "libreoffice"].into_iter().find(|name| {
        std::process::Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("BASELINE_REQUIRE_LIBREOFFICE").is_none_or(|v| v != "1"),
            "BASELINE_REQUIRE_LIBREOFFICE=1 but LibreOffice does not run here \
             (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)"
        );
        eprintln!(
            "skipped: no LibreOffice on this machine (apt-get install libreoffice-writer-nogui \
             to run it; BASELINE_REQUIRE_LIBREOFFICE=1 makes this a failure)"
        );
    }
    found
}

/// Has LibreOffice convert `file` (`--convert-to TO`, e.g. "pdf") into a new
/// temporary folder, which is returned; the conversion must succeed.
pub fn convert_with_libreoffice(soffice: &str, file: &Path, to: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let converted = std::process::Command::new(soffice)
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(out.path())
        .arg(file)
        .env("HOME", out.path())
        .output()
        .unwrap();
    assert!(
        converted.status.success(),
        "LibreOffice could not convert {}: {}",
        file.display(),
        String::from_utf8_lossy(&converted.stderr)
    );
    out
}

/// A red-lined Word document holds exactly `new` with every change accepted,
/// and exactly `old` with every change rejected, as the redline reads text.
pub fn assert_accepts_to_new_and_rejects_to_old(red: &[u8], old: &[u8], new: &[u8]) {
    use baseline::redline::docx;
    use baseline::redline::tracked::review::{Resolve, resolve};
    let text = |bytes: &[u8]| docx::read(bytes).expect("a readable Word document").text;
    assert_eq!(
        text(&resolve(red, Resolve::AcceptAll).unwrap()),
        text(new),
        "accept all"
    );
    assert_eq!(
        text(&resolve(red, Resolve::RejectAll).unwrap()),
        text(old),
        "reject all"
    );
}

/// `baseline verify --format json` with `options`, in `repo`: its exit code
/// and its report (null where it printed none).
pub fn verify_report(repo: &Path, options: &[&str]) -> (i32, serde_json::Value) {
    let out = baseline_in(repo)
        .args(["verify", "--format", "json"])
        .args(options)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap_or(-1), report)
}

/// A verify report's findings as "code record" lines.
pub fn finding_codes(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap(),
                f["record"].as_str().unwrap()
            )
        })
        .collect()
}

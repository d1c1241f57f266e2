//! `baseline hook install`: real bare repositories guarded by the installed
//! pre-receive hook, pushed to by real clones over file:// and git://, and a
//! clone's pre-push hook refusing before anything is sent.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{Design, baseline_in, git_in};

/// A bare repository in a temporary folder, as on a server.
struct Server {
    dir: tempfile::TempDir,
}

impl Server {
    /// A bare repository with `baseline hook install` run in it.
    fn guarded() -> Server {
        let server = Server::unguarded();
        let said = install(&server.bare());
        assert!(said.contains("Installed the pre-receive hook"), "{said}");
        server
    }

    fn unguarded() -> Server {
        let dir = tempfile::tempdir().unwrap();
        git_in(
            dir.path(),
            &[
                "init",
                "-q",
                "--bare",
                "--initial-branch=main",
                "design.git",
            ],
        );
        Server { dir }
    }

    fn bare(&self) -> PathBuf {
        self.dir.path().join("design.git")
    }

    fn url(&self) -> String {
        format!("file://{}", self.bare().display())
    }

    /// Every ref and what it names: what a refused push must leave as it was.
    fn refs(&self) -> String {
        git_in(&self.bare(), &["for-each-ref"])
    }
}

/// Runs `baseline hook install` in `dir`, which must succeed; what it printed.
fn install(dir: &Path) -> String {
    let out = baseline_in(dir).args(["hook", "install"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A design with DOC baselined as 1.0 under DEC1, and TAB's draft 0.1, pushed
/// with its tag to `server` as `origin`.
fn pushed_design(server: &Server) -> Design {
    let design = Design::with_artefacts();
    design.decision("DEC1", "2023-06-02", "approved", &[]);
    design.approve("DOC", "DEC1", "2023-06-03");
    design.git(&["remote", "add", "origin", &server.url()]);
    accepted(design.path(), &["origin", "main", "--follow-tags"]);
    assert!(server.refs().contains("refs/tags/DOC/v1.0"));
    design
}

/// `git push ARGS` from `dir`, with no BASELINE set: the hook runs the
/// binary that installed it.
fn push(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new("git")
        .arg("push")
        .args(args)
        .current_dir(dir)
        .env_remove("BASELINE")
        .output()
        .unwrap()
}

fn accepted(dir: &Path, args: &[&str]) {
    let out = push(dir, args);
    assert!(
        out.status.success(),
        "git push {args:?} was refused:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `git push ARGS` from `dir` must fail, saying each of `reasons` on the
/// pusher's stderr, and leave every ref of `server` as it was.
fn refused(server: &Server, dir: &Path, args: &[&str], reasons: &[&str]) -> String {
    let before = server.refs();
    let out = push(dir, args);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "git push {args:?} was accepted");
    for reason in reasons {
        assert!(said.contains(reason), "no {reason:?} in:\n{said}");
    }
    assert_eq!(
        before,
        server.refs(),
        "git push {args:?} changed the server"
    );
    said
}

/// Writes TAB 1.0 by hand, baselining its draft 0.1 under `decision`, and
/// commits it with plain git.
fn hand_made_baseline(design: &Design, decision: &str) {
    let draft = design.read("artefacts/TAB/versions/0.1.toml");
    let baseline = draft
        .replace("version = \"0.1\"", "version = \"1.0\"")
        .replace("status = \"draft\"", "status = \"baselined\"")
        + &format!("promotes = \"0.1\"\ndecisions = [\"{decision}\"]\n");
    design.write("artefacts/TAB/versions/1.0.toml", &baseline);
    design.git(&["add", "artefacts/TAB/versions/1.0.toml"]);
    design.git(&["commit", "-qm", "Baseline TAB v1.0"]);
}

#[test]
fn a_push_of_new_records_and_their_baseline_tag_is_accepted() {
    let server = Server::guarded();
    let design = pushed_design(&server);
    design.approve("TAB", "DEC1", "2023-06-03");
    accepted(design.path(), &["origin", "main", "--follow-tags"]);
    let refs = server.refs();
    assert!(refs.contains("refs/tags/TAB/v1.0"), "{refs}");
    assert_eq!(
        git_in(&server.bare(), &["rev-parse", "main"]),
        design.git(&["rev-parse", "HEAD"])
    );
}

#[test]
fn a_push_moving_or_deleting_a_baseline_tag_is_refused() {
    let server = Server::guarded();
    let design = pushed_design(&server);
    design.git(&["tag", "-f", "-a", "-m", "moved", "DOC/v1.0", "HEAD~1"]);
    let moved = ["origin", "--force", "refs/tags/DOC/v1.0"];
    refused(&server, design.path(), &moved, &["DOC/v1.0", "never moved"]);
    let deleted = ["origin", ":refs/tags/DOC/v1.0"];
    refused(&server, design.path(), &deleted, &["DOC/v1.0", "deleted"]);
}

#[test]
fn a_push_adding_a_baseline_without_an_approved_decision_is_refused() {
    let server = Server::guarded();
    let design = pushed_design(&server);
    hand_made_baseline(&design, "DEC9");
    let push = ["origin", "main"];
    refused(&server, design.path(), &push, &["DEC9", "does not verify"]);

    design.git(&["reset", "-q", "--hard", "HEAD~1"]);
    design.decision("DEC2", "2023-06-02", "rejected", &[]);
    hand_made_baseline(&design, "DEC2");
    let said = refused(&server, design.path(), &push, &["DEC2", "does not verify"]);
    assert!(said.contains("rejected"), "{said}");
}

#[test]
fn a_push_editing_a_record_is_refused() {
    let server = Server::guarded();
    let design = pushed_design(&server);
    let record = design.read("decisions/DEC1.toml");
    design.write(
        "decisions/DEC1.toml",
        &record.replace("Decided.", "Decided otherwise."),
    );
    design.git(&["commit", "-qam", "Quiet correction"]);
    let push = ["origin", "main"];
    refused(
        &server,
        design.path(),
        &push,
        &["decisions/DEC1.toml", "does not verify"],
    );
}

/// `git daemon` serving `base` on a free port of 127.0.0.1, with pushes
/// allowed; stopped when dropped.
struct Daemon {
    child: std::process::Child,
    port: u16,
}

impl Daemon {
    fn serve(base: &Path) -> Daemon {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // git-daemon itself, not `git daemon`: killing the `git` wrapper would
        // leave the daemon running (and holding whatever it inherited).
        let exec_path = std::process::Command::new("git")
            .arg("--exec-path")
            .output()
            .expect("git runs");
        let exec_path = String::from_utf8(exec_path.stdout).unwrap();
        let child = std::process::Command::new(Path::new(exec_path.trim()).join("git-daemon"))
            .arg("--export-all")
            .arg("--enable=receive-pack")
            .arg(format!("--base-path={}", base.display()))
            .arg(format!("--port={port}"))
            .args(["--reuseaddr", "--listen=127.0.0.1"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("git daemon runs (it ships with git: /usr/lib/git-core/git-daemon)");
        let mut daemon = Daemon { child, port };
        daemon.wait_until_listening();
        daemon
    }

    fn wait_until_listening(&mut self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut said = String::new();
                std::io::Read::read_to_string(self.child.stderr.as_mut().unwrap(), &mut said)
                    .unwrap();
                panic!("git daemon ended ({status}): {said}");
            }
            assert!(
                std::time::Instant::now() < deadline,
                "git daemon is not listening on port {}",
                self.port
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    fn url(&self, repo: &str) -> String {
        format!("git://127.0.0.1:{}/{repo}", self.port)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn over_git_daemon_a_good_push_is_accepted_and_tampering_refused() {
    let server = Server::guarded();
    let daemon = Daemon::serve(server.dir.path());
    let design = Design::with_artefacts();
    design.decision("DEC1", "2023-06-02", "approved", &[]);
    design.approve("DOC", "DEC1", "2023-06-03");
    design.git(&["remote", "add", "origin", &daemon.url("design.git")]);
    accepted(design.path(), &["origin", "main", "--follow-tags"]);
    assert!(server.refs().contains("refs/tags/DOC/v1.0"));

    design.git(&["tag", "-f", "-a", "-m", "moved", "DOC/v1.0", "HEAD~1"]);
    let moved = ["origin", "--force", "refs/tags/DOC/v1.0"];
    refused(&server, design.path(), &moved, &["DOC/v1.0", "never moved"]);

    hand_made_baseline(&design, "DEC9");
    let push = ["origin", "main"];
    refused(&server, design.path(), &push, &["DEC9", "does not verify"]);
}

#[test]
fn a_clones_pre_push_hook_refuses_a_tampered_commit_before_sending_it() {
    // The server has no hook: whatever is refused, the clone refused.
    let server = Server::unguarded();
    let design = pushed_design(&server);
    let clone = tempfile::tempdir().unwrap();
    git_in(clone.path(), &["clone", "-q", &server.url(), "design"]);
    let clone = clone.path().join("design");
    let said = install(&clone);
    assert!(said.contains("Installed the pre-push hook"), "{said}");
    drop(design);

    baseline_in(&clone)
        .args([
            "approve",
            "TAB",
            "--decision",
            "DEC1",
            "--date",
            "2023-06-03",
        ])
        .assert()
        .success();
    accepted(&clone, &["origin", "main", "--follow-tags"]);

    let record = clone.join("decisions/DEC1.toml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, text.replace("Decided.", "Decided otherwise.")).unwrap();
    git_in(&clone, &["commit", "-qam", "Quiet correction"]);
    let said = refused(
        &server,
        &clone,
        &["origin", "main"],
        &["decisions/DEC1.toml", "nothing was pushed"],
    );
    assert!(!said.contains("remote:"), "the server was reached:\n{said}");

    git_in(&clone, &["reset", "-q", "--hard", "HEAD~1"]);
    git_in(
        &clone,
        &["tag", "-f", "-a", "-m", "moved", "TAB/v1.0", "HEAD~1"],
    );
    let moved = ["origin", "--force", "refs/tags/TAB/v1.0"];
    refused(&server, &clone, &moved, &["TAB/v1.0", "never moved"]);
}

#[test]
fn install_follows_core_hooks_path_and_leaves_another_hook_alone() {
    let design = Design::new();
    design.git(&["config", "core.hooksPath", ".githooks"]);
    design.write(".githooks/pre-push", "#!/bin/sh\necho theirs\n");

    let stderr = design.refused(&["hook", "install"]);
    assert!(
        stderr.contains(".githooks/pre-push") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        design.read(".githooks/pre-push"),
        "#!/bin/sh\necho theirs\n"
    );
    design.refused(&["hook", "remove"]);

    let said = design.ok(&["hook", "install", "--force"]);
    assert!(said.contains("Replaced"), "{said}");
    let written = design.read(".githooks/pre-push");
    assert_eq!(written, design.ok(&["hook", "show"]));
    assert!(!written.contains('\r'));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(design.file(".githooks/pre-push"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755);
    }
    assert!(!design.file(".git/hooks/pre-push").exists());

    let again = design.ok(&["hook", "install"]);
    assert!(again.starts_with("Already installed"), "{again}");
    assert_eq!(design.read(".githooks/pre-push"), written);

    design.ok(&["hook", "remove"]);
    assert!(!design.file(".githooks/pre-push").exists());
    let gone = design.ok(&["hook", "remove"]);
    assert!(gone.starts_with("There is no pre-push hook"), "{gone}");
}

/// The CI examples in docs/ci are YAML that runs `baseline verify --range` on
/// every push and merge or pull request, over the whole history and its tags.
#[test]
fn the_ci_examples_are_yaml_that_verify_every_push() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci");
    for (file, full_history) in [
        ("github-actions.yml", "fetch-depth: 0"),
        ("gitlab-ci.yml", "GIT_DEPTH: 0"),
    ] {
        let text = std::fs::read_to_string(docs.join(file)).unwrap();
        let parsed: Result<serde_norway::Value, _> = serde_norway::from_str(&text);
        assert!(parsed.is_ok(), "{file}: {parsed:?}");
        for needed in ["baseline verify --range", full_history, "cargo install"] {
            assert!(text.contains(needed), "{file} lacks {needed:?}");
        }
    }
}

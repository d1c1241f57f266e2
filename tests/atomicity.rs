//! All or nothing, even when killed; one version number per version, even when
//! racing; a lock left by a dead process is explained, not waited on forever.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::Design;

/// DOC with draft 0.1, approved decision DEC1 and approved change CR1 affecting DOC.
fn design() -> Design {
    let design = Design::with_artefacts();
    design.decision("DEC1", "2023-07-01", "approved", &[]);
    design.ok(&[
        "change",
        "add",
        "CR1",
        "--title",
        "t",
        "--affects",
        "DOC",
        "--date",
        "2023-06-01",
    ]);
    design.ok(&[
        "change",
        "set",
        "CR1",
        "impact-assessment",
        "--date",
        "2023-06-02",
    ]);
    design.ok(&[
        "change",
        "set",
        "CR1",
        "approved",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-01",
    ]);
    design
}

/// The binary as a plain child process (to run several at once, or to kill),
/// committing as `who`.
fn child(design: &Design, args: &[&str], who: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("baseline"));
    cmd.args(args)
        .current_dir(design.path())
        .env("GIT_AUTHOR_NAME", who)
        .env(
            "GIT_AUTHOR_EMAIL",
            format!("{}@example.org", who.to_lowercase()),
        )
        .stdout(Stdio::null());
    cmd
}

/// Runs a small write command (raising change `id`) and returns its output.
fn add_change(design: &Design, id: &str) -> std::process::Output {
    design
        .cmd()
        .args([
            "change",
            "add",
            id,
            "--title",
            "t",
            "--affects",
            "DOC",
            "--date",
            "2023-07-03",
        ])
        .output()
        .unwrap()
}

fn versions(design: &Design) -> Vec<serde_json::Value> {
    design.json(&["log", "DOC"]).as_array().unwrap().clone()
}

fn journal_pending(design: &Design) -> bool {
    design.file(".git/baseline/journal.json").exists()
}

/// Every baseline's tag exists and points at the commit that recorded it.
fn assert_tags_match(design: &Design) {
    for v in versions(design)
        .iter()
        .filter(|v| v["status"] == "baselined")
    {
        let reference = format!("DOC@{}", v["version"].as_str().unwrap());
        let trace = design.json(&["trace", &reference]);
        assert_eq!(
            trace["tag"]["matches"], true,
            "{reference}: {}",
            trace["tag"]
        );
    }
}

#[test]
fn parallel_drafts_never_share_a_version_number() {
    let design = design();
    let children: Vec<_> = (0..8)
        .map(|i| {
            design.write(
                &format!("in/v{i}.md"),
                &format!("# Version from writer {i}\n"),
            );
            let file = format!("in/v{i}.md");
            child(
                &design,
                &["draft", "DOC", &file, "--date", "2023-07-02"],
                "Racer",
            )
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut numbers: Vec<String> = versions(&design)
        .iter()
        .map(|v| v["version"].as_str().unwrap().to_string())
        .collect();
    numbers.reverse();
    assert_eq!(
        numbers,
        [
            "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"
        ]
    );
    let shas: std::collections::HashSet<_> = versions(&design)
        .iter()
        .map(|v| v["sha256"].to_string())
        .collect();
    assert_eq!(shas.len(), 9, "every draft recorded distinct content");
    assert_eq!(
        design
            .git(&["rev-list", "--merges", "--count", "HEAD"])
            .trim(),
        "0"
    );
    assert_eq!(design.git(&["status", "--porcelain", "artefacts"]), "");
    design.assert_fsck_clean();
}

#[test]
fn parallel_approvals_baseline_once() {
    let design = design();
    let children: Vec<_> = (0..4)
        .map(|_| {
            let approve = [
                "approve",
                "DOC",
                "--decision",
                "DEC1",
                "--date",
                "2023-07-02",
            ];
            child(&design, &approve, "Racer")
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outcomes: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    assert_eq!(outcomes.iter().filter(|o| o.status.success()).count(), 1);
    for refused in outcomes.iter().filter(|o| !o.status.success()) {
        assert!(String::from_utf8_lossy(&refused.stderr).contains("already baselined"));
    }
    assert_eq!(design.git(&["tag", "-l"]), "DOC/v1.0\n");
    assert_tags_match(&design);
}

/// A cheap, repeatable sequence of delays.
fn delays(seed: u64) -> impl Iterator<Item = Duration> {
    let mut state = seed;
    std::iter::repeat_with(move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        Duration::from_micros((state >> 33) % 14_000)
    })
}

#[test]
fn killed_at_random_moments_the_repository_stays_whole() {
    let design = design();
    let mut kills = 0;
    for (round, delay) in delays(7).take(40).enumerate() {
        design.write("artefacts/DOC/doc.md", &format!("# Round {round}\n"));
        let args: Vec<String> = if round % 3 == 2 {
            [
                "approve",
                "DOC",
                "--decision",
                "DEC1",
                "--change",
                "CR1",
                "--date",
                "2023-07-02",
            ]
            .map(String::from)
            .to_vec()
        } else {
            ["draft", "DOC", "--date", "2023-07-02"]
                .map(String::from)
                .to_vec()
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut running = child(&design, &args, "Killed")
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if running.try_wait().unwrap().is_none() {
            kills += 1;
        }
        let _ = running.kill();
        running.wait().unwrap();

        design.assert_fsck_clean();
        let recorded = versions(&design);
        let numbers: Vec<String> = recorded
            .iter()
            .rev()
            .map(|v| v["version"].as_str().unwrap().to_string())
            .collect();
        let mut unique = numbers.clone();
        unique.dedup();
        assert_eq!(
            numbers, unique,
            "round {round}: a version number was recorded twice"
        );
        if !journal_pending(&design) {
            assert_eq!(
                design.git(&["status", "--porcelain", "artefacts/DOC/versions"]),
                "",
                "round {round}"
            );
            assert_tags_match(&design);
        }
    }
    assert!(
        kills > 5,
        "only {kills} of 40 runs were killed mid-way; the test proves little"
    );
    design.write("artefacts/DOC/doc.md", "# After the storm\n");
    design.ok(&["draft", "DOC", "--date", "2023-07-03"]);
    assert!(!journal_pending(&design));
    assert_tags_match(&design);
    assert_eq!(
        design.git(&[
            "status",
            "--porcelain",
            "artefacts",
            "baseline.toml",
            "decisions",
            "changes"
        ]),
        ""
    );
}

#[test]
fn killed_after_the_commit_the_next_command_completes_the_work() {
    let design = design();
    let before = design.git(&["rev-parse", "HEAD"]);
    let out = design
        .cmd()
        .args([
            "approve",
            "DOC",
            "--decision",
            "DEC1",
            "--date",
            "2023-07-02",
        ])
        .env("BASELINE_FAILPOINT", "after-branch-move")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_ne!(
        design.git(&["rev-parse", "HEAD"]),
        before,
        "the commit was made"
    );
    assert_eq!(design.git(&["tag", "-l"]), "", "but the tag was not");
    assert!(journal_pending(&design));

    let status = design.cmd().arg("status").output().unwrap();
    assert!(
        String::from_utf8_lossy(&status.stderr)
            .contains("an interrupted baseline command left work to finish")
    );

    let out = add_change(&design, "CR2");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("completed the interrupted `approve DOC`"),
        "{err}"
    );
    assert!(err.contains("was killed before it finished"), "{err}");
    assert_eq!(design.git(&["tag", "-l"]), "DOC/v1.0\n");
    assert_tags_match(&design);
    assert!(!journal_pending(&design));
    assert_eq!(design.git(&["status", "--porcelain", "artefacts"]), "");
}

/// A design whose `draft DOC` died just after its commit (its journal pending).
fn draft_killed_after_its_commit() -> Design {
    let design = design();
    design.write("artefacts/DOC/doc.md", "# Revised\n");
    let out = design
        .cmd()
        .args(["draft", "DOC", "--date", "2023-07-02"])
        .env("BASELINE_FAILPOINT", "after-branch-move")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        journal_pending(&design),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    design
}

/// Runs the next write command, checks it completed the killed draft and left
/// the records as committed, and returns what it said.
fn completes_the_killed_draft(design: &Design) -> String {
    let out = add_change(design, "CR2");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("completed the interrupted `draft DOC`"),
        "{err}"
    );
    assert!(!journal_pending(design));
    assert_eq!(design.git(&["status", "--porcelain", "artefacts"]), "");
    err
}

#[test]
fn a_command_killed_while_naming_itself_over_a_killed_one_leaves_both_named() {
    // The first command dies after its commit, with git's index lock still taken;
    // the second dies having added its own name to the lock file, before clearing
    // anything. The third must still see that the first died (not only the
    // second, started later), clear the index lock, and complete the work.
    let design = draft_killed_after_its_commit();
    let lock = design.file(".git/baseline/lock");
    let first = std::fs::read_to_string(&lock).unwrap();
    assert!(first.contains(" since "), "{first}");
    std::fs::write(
        &lock,
        format!("{first}pid 1 running `change add CR1` since 2099-01-01T00:00:00Z\n"),
    )
    .unwrap();
    std::fs::write(design.file(".git/index.lock"), b"left by the first command").unwrap();

    let err = completes_the_killed_draft(&design);
    assert!(err.contains("was killed before it finished"), "{err}");
    assert!(err.contains("removed index.lock"), "{err}");
    assert!(!design.file(".git/index.lock").exists());
}

#[test]
fn a_command_that_fails_while_clearing_a_killed_ones_leftovers_keeps_it_named() {
    let design = draft_killed_after_its_commit();
    // A git lock the next command cannot remove (a folder), so it stops with an error.
    let git_lock = design.file(".git/index.lock");
    std::fs::create_dir(&git_lock).unwrap();
    let out = add_change(&design, "CR2");
    assert!(!out.status.success());
    let lock = std::fs::read_to_string(design.file(".git/baseline/lock")).unwrap();
    assert!(lock.contains("running `draft DOC`"), "{lock}");

    std::fs::remove_dir(&git_lock).unwrap();
    let err = completes_the_killed_draft(&design);
    assert!(err.contains("running `draft DOC`"), "{err}");
}

#[test]
fn a_lock_file_cut_inside_a_character_is_read_all_the_same() {
    let design = design();
    std::fs::write(
        design.file(".git/baseline/lock"),
        b"pid 1 running `import report r\xc3",
    )
    .unwrap();
    let out = add_change(&design, "CR2");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("was killed before it finished"), "{err}");
    assert_eq!(
        std::fs::read(design.file(".git/baseline/lock")).unwrap(),
        b"",
        "the lock file is emptied when the command ends"
    );
}

#[test]
fn killed_before_the_commit_nothing_happened() {
    let design = design();
    let before = design.snapshot();
    design.write("artefacts/DOC/doc.md", "changed\n");
    let out = design
        .cmd()
        .args(["draft", "DOC", "--date", "2023-07-02"])
        .env("BASELINE_FAILPOINT", "before-branch-move")
        .output()
        .unwrap();
    assert!(!out.status.success());
    design.write("artefacts/DOC/doc.md", "# 1 Scope\n\nThe first text.\n");
    assert_eq!(before, design.snapshot());
    let out = design
        .cmd()
        .args(["draft", "DOC", "in/tab.csv", "--date", "2023-07-02"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rolled back the interrupted `draft DOC`"),
        "{err}"
    );
}

#[test]
fn a_lock_held_by_a_live_command_is_named_not_waited_on_forever() {
    let design = design();
    let lock_path = design.file(".git/baseline/lock");
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(&lock_path)
        .unwrap();
    lock.lock().unwrap();
    std::fs::write(
        &lock_path,
        "pid 4242 running `approve DOC` since 2023-07-12T10:00:00Z\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let out = design
        .cmd()
        .args(["change", "add", "CR2", "--title", "t", "--affects", "DOC"])
        .env("BASELINE_LOCK_TIMEOUT", "0.5")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("another baseline command holds the repository lock")
            && err.contains("pid 4242 running `approve DOC`"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(lock);
    design.ok(&["change", "add", "CR2", "--title", "t", "--affects", "DOC"]);
}

#[test]
fn work_left_by_a_killed_command_is_completed_even_after_a_git_commit() {
    let design = design();
    let out = design
        .cmd()
        .args([
            "approve",
            "DOC",
            "--decision",
            "DEC1",
            "--date",
            "2023-07-02",
        ])
        .env("BASELINE_FAILPOINT", "after-branch-move")
        .output()
        .unwrap();
    assert!(!out.status.success());
    design.write("notes.txt", "the user's own work\n");
    design.git(&["add", "notes.txt"]);
    design.git(&["commit", "-qm", "User work on top"]);
    let out = add_change(&design, "CR2");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("completed the interrupted `approve DOC`")
    );
    assert_tags_match(&design);
    assert!(!journal_pending(&design));
}

#[test]
fn a_tag_in_the_way_is_reported_and_never_blocks_later_work() {
    let design = design();
    design.git(&["tag", "-a", "-m", "made by hand", "DOC/v1.0", "HEAD"]);
    let err = design.refused(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-02",
    ]);
    assert!(err.contains("tag DOC/v1.0 already exists"), "{err}");
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-02",
        "--version",
        "1.1",
    ]);
    let baselined = design.git(&["rev-parse", "HEAD"]);
    design.ok(&[
        "change",
        "add",
        "CR2",
        "--title",
        "t",
        "--affects",
        "DOC",
        "--date",
        "2023-07-03",
    ]);
    let record = design.read("artefacts/DOC/versions/1.1.toml");
    assert!(record.contains("status = \"baselined\"\n"), "{record}");
    assert!(!design.file("artefacts/DOC/versions/1.0.toml").exists());
    assert_eq!(design.git(&["tag", "-l"]), "DOC/v1.0\nDOC/v1.1\n");
    assert_eq!(
        design
            .git(&["tag", "-l", "--format=%(contents)", "DOC/v1.0"])
            .trim(),
        "made by hand",
        "the tag in the way is left as it was"
    );
    assert_eq!(design.git(&["rev-parse", "DOC/v1.1^{commit}"]), baselined);
    assert_tags_match(&design);
    assert_eq!(design.json(&["change", "show", "CR2"])["id"], "CR2");
}

#[test]
fn a_journal_naming_a_file_outside_the_repository_is_not_followed() {
    let design = design();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("planted.txt");
    let head = design.git(&["rev-parse", "HEAD"]);
    let blob = design.git(&["rev-parse", "HEAD:baseline.toml"]);
    let escape = format!(
        "../{}/planted.txt",
        outside.path().file_name().unwrap().to_string_lossy()
    );
    std::fs::write(
        design.file(".git/baseline/journal.json"),
        serde_json::json!({
            "description": "planted",
            "branch": "refs/heads/main",
            "old_commit": null,
            "new_commit": head.trim(),
            "tags": [],
            "files": [[escape, blob.trim()], [target.to_string_lossy(), blob.trim()]],
        })
        .to_string(),
    )
    .unwrap();
    let output = design.run(&["draft", "DOC"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the transaction journal names `../"),
        "{stderr}"
    );
    assert!(
        stderr.contains("which is not a file baseline writes"),
        "{stderr}"
    );
    assert!(!target.exists());
}

//! Many people, one shared repository (issue 18, points 1, 2 and 5): clones of
//! a bare repository sync through `baseline sync`, which replays local records
//! onto the remote, moves unpublished baseline tags with them, pushes all or
//! nothing, and refuses two people's colliding records without changing
//! anything.

mod common;

use std::path::Path;

use common::{Design, git_in};

/// A bare repository holding A's design (DOC and TAB with drafts 0.1), and
/// A's clone of it with `origin` set.
fn team() -> (tempfile::TempDir, Design) {
    let server = tempfile::tempdir().unwrap();
    git_in(
        server.path(),
        &["init", "--quiet", "--bare", "--initial-branch=main"],
    );
    let a = Design::with_artefacts();
    a.git(&["remote", "add", "origin", server.path().to_str().unwrap()]);
    a.ok(&["sync"]);
    (server, a)
}

/// Another clone of the server.
fn clone(server: &Path) -> Design {
    let dir = tempfile::tempdir().unwrap();
    git_in(
        dir.path(),
        &["clone", "--quiet", server.to_str().unwrap(), "."],
    );
    Design { dir }
}

fn refs(repo: &Path) -> String {
    git_in(
        repo,
        &[
            "for-each-ref",
            "--format=%(refname) %(objectname)",
            "refs/heads",
            "refs/tags",
        ],
    )
}

fn add_decision(design: &Design, id: &str, text: &str) {
    design.ok(&[
        "decision",
        "add",
        id,
        "--date",
        "2023-07-01",
        "--outcome",
        "approved",
        "--text",
        text,
    ]);
}

#[test]
fn records_and_baseline_tags_go_to_the_server_and_come_back() {
    let (server, a) = team();
    add_decision(&a, "DEC1", "DOC approved.");
    a.approve("DOC", "DEC1", "2023-07-01");
    let said = a.ok(&["sync"]);
    assert!(
        said.contains("Synced with origin/main: 0 commit(s) received, 2 sent; tags sent: DOC/v1.0"),
        "{said}"
    );
    assert!(
        refs(server.path()).contains("refs/tags/DOC/v1.0 "),
        "the tag went too"
    );

    let b = clone(server.path());
    add_decision(&b, "DEC2", "TAB approved.");
    b.approve("TAB", "DEC2", "2023-07-02");
    b.ok(&["sync"]);

    // A records meanwhile, then syncs: B's records arrive, A's are replayed on them.
    a.ok(&[
        "change",
        "add",
        "CR1",
        "--title",
        "A change",
        "--affects",
        "DOC",
        "--date",
        "2023-07-03",
    ]);
    let status = a.json(&["status"]);
    assert_eq!(status["remote"]["ahead"], 1);
    let said = a.ok(&["sync"]);
    assert!(
        said.contains("2 commit(s) received, 1 sent; tags sent: none; tags received: TAB/v1.0"),
        "{said}"
    );
    let status = a.json(&["status"]);
    assert_eq!(
        (
            status["remote"]["ahead"].as_u64(),
            status["remote"]["behind"].as_u64()
        ),
        (Some(0), Some(0))
    );
    assert_eq!(
        refs(a.path()),
        refs(server.path()),
        "A and the server agree"
    );
    assert!(
        a.file("decisions/DEC2.toml").exists(),
        "B's decision is in A's working tree"
    );
    assert_eq!(b.ok(&["sync"]).lines().count(), 1);
    assert_eq!(refs(b.path()), refs(server.path()));

    let fresh = clone(server.path());
    let (code, report) = common::verify_report(fresh.path(), &["--no-cache"]);
    assert_eq!((code, common::finding_codes(&report)), (0, vec![]));
    let (code, report) = common::verify_report(a.path(), &["--no-cache"]);
    assert_eq!((code, common::finding_codes(&report)), (0, vec![]));
}

#[test]
fn an_unpublished_baseline_is_replayed_and_its_tag_follows_it() {
    let (server, a) = team();
    let b = clone(server.path());
    add_decision(&a, "DEC1", "DOC approved.");
    a.approve("DOC", "DEC1", "2023-07-01");
    let recorded_at = a.git(&["rev-parse", "DOC/v1.0^{commit}"]);
    add_decision(&b, "DEC2", "Another decision.");
    b.ok(&["sync"]);

    let said = a.ok(&["sync"]);
    assert!(said.contains("tags sent: DOC/v1.0"), "{said}");
    let now_at = a.git(&["rev-parse", "DOC/v1.0^{commit}"]);
    assert_ne!(
        now_at, recorded_at,
        "the tag moved with its replayed commit"
    );
    assert_eq!(now_at, a.git(&["rev-parse", "HEAD"]));
    let message = a.git(&["tag", "-l", "--format=%(contents)", "DOC/v1.0"]);
    assert!(message.contains("DEC1"), "{message}");
    for repo in [a.path(), clone(server.path()).path()] {
        let (code, report) = common::verify_report(repo, &["--no-cache"]);
        assert_eq!((code, common::finding_codes(&report)), (0, vec![]));
    }
}

#[test]
fn two_people_making_the_same_version_collide_and_nothing_changes() {
    let (server, a) = team();
    let b = clone(server.path());
    add_decision(&a, "DEC1", "DOC approved.");
    add_decision(&b, "DEC1", "DOC approved.");
    b.git(&["config", "user.name", "Bea"]);
    b.cmd()
        .args(["sync"])
        .env("GIT_AUTHOR_NAME", "Bea")
        .assert()
        .success();
    a.approve("DOC", "DEC1", "2023-07-01");
    b.cmd()
        .args([
            "approve",
            "DOC",
            "--decision",
            "DEC1",
            "--date",
            "2023-07-01",
        ])
        .env("GIT_AUTHOR_NAME", "Bea")
        .assert()
        .success();
    b.cmd()
        .args(["sync"])
        .env("GIT_AUTHOR_NAME", "Bea")
        .assert()
        .success();

    let (before_a, before_server) = (refs(a.path()), refs(server.path()));
    let stderr = a.refused(&["sync"]);
    assert!(
        stderr.contains("DOC v1.0 was recorded both here (commit "),
        "{stderr}"
    );
    assert!(
        stderr.contains("and on origin (commit ") && stderr.contains("by Bea"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nothing was changed here or there"),
        "{stderr}"
    );
    assert_eq!(refs(a.path()), before_a);
    assert_eq!(refs(server.path()), before_server);
}

#[test]
fn the_same_decision_id_with_different_content_collides() {
    let (server, a) = team();
    let b = clone(server.path());
    add_decision(&a, "DEC1", "DOC approved.");
    add_decision(&b, "DEC1", "TAB approved.");
    b.ok(&["sync"]);
    let stderr = a.refused(&["sync"]);
    assert!(
        stderr.contains("decision DEC1 was recorded both here"),
        "{stderr}"
    );
    // The same record made on both sides, byte for byte, is no collision.
    let c = clone(server.path());
    add_decision(&c, "DEC7", "Same.");
    let d = clone(server.path());
    d.write("decisions/DEC7.toml", &c.read("decisions/DEC7.toml"));
    d.git(&["add", "decisions/DEC7.toml"]);
    d.git(&["commit", "--quiet", "-m", "Record decision DEC7"]);
    c.ok(&["sync"]);
    d.ok(&["sync"]);
    assert_eq!(
        d.git(&["rev-parse", "HEAD"]),
        c.git(&["rev-parse", "HEAD"]),
        "D's copy was already there"
    );
}

#[test]
fn unrecorded_edits_the_remote_would_overwrite_are_refused() {
    let (server, a) = team();
    let b = clone(server.path());
    b.write("artefacts/DOC/doc.md", "# 1 Scope\n\nB's text.\n");
    b.ok(&["draft", "DOC", "--date", "2023-06-02"]);
    b.ok(&["sync"]);
    a.write(
        "artefacts/DOC/doc.md",
        "# 1 Scope\n\nA's unrecorded text.\n",
    );
    let stderr = a.refused(&["sync"]);
    assert!(stderr.contains("artefacts/DOC/doc.md"), "{stderr}");
    assert_eq!(
        a.read("artefacts/DOC/doc.md"),
        "# 1 Scope\n\nA's unrecorded text.\n"
    );
}

/// `baseline sync` started in `dir`, its output captured.
fn spawn_sync(dir: &Path) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_baseline"))
        .arg("sync")
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test Designer")
        .env("GIT_AUTHOR_EMAIL", "designer@example.org")
        .env("GIT_COMMITTER_NAME", "Test Designer")
        .env("GIT_COMMITTER_EMAIL", "designer@example.org")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// `n` clones each register, draft and baseline an artefact of their own and
/// sync in turns; then each records a decision and all sync at once, again
/// until each has synced. Every record ends on the server once, every clone
/// at the server's head with every tag, and a fresh clone verifies clean.
fn many_clones_sync_in_turns_and_at_once(n: usize) {
    let (server, a) = team();
    let clones: Vec<Design> = (0..n).map(|_| clone(server.path())).collect();
    for (i, c) in clones.iter().enumerate() {
        let id = format!("ART{i}");
        c.write(&format!("in/{id}.md"), &format!("# {id}\n\nText {i}.\n"));
        c.ok(&["add", &id, "--title", "An artefact", &format!("in/{id}.md")]);
        c.ok(&["draft", &id, "--date", "2023-07-01"]);
        add_decision(c, &format!("DEC{i}"), &format!("{id} approved."));
        c.approve(&id, &format!("DEC{i}"), "2023-07-01");
    }
    for c in &clones {
        c.ok(&["sync"]);
    }
    for (i, c) in clones.iter().enumerate() {
        add_decision(c, &format!("LATER{i}"), "Noted.");
    }
    let mut pending: Vec<&Design> = clones.iter().collect();
    let mut failures = Vec::new();
    for _round in 0..10 {
        let children: Vec<_> = pending.iter().map(|c| spawn_sync(c.path())).collect();
        let outputs: Vec<_> = children
            .into_iter()
            .map(|child| child.wait_with_output().unwrap())
            .collect();
        failures.extend(
            outputs
                .iter()
                .filter(|o| !o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stderr).into_owned()),
        );
        pending = pending
            .into_iter()
            .zip(&outputs)
            .filter(|(_, o)| !o.status.success())
            .map(|(c, _)| c)
            .collect();
        if pending.is_empty() {
            break;
        }
    }
    assert!(
        pending.is_empty(),
        "{} clone(s) never synced: {failures:?}",
        pending.len()
    );
    for c in clones.iter().chain([&a]) {
        c.ok(&["sync"]);
    }
    let head = git_in(server.path(), &["rev-parse", "main"]);
    let tags = git_in(server.path(), &["tag", "-l"]);
    assert_eq!(tags.lines().count(), n, "{tags}");
    for c in clones.iter().chain([&a]) {
        assert_eq!(c.git(&["rev-parse", "HEAD"]), head);
        assert_eq!(c.git(&["tag", "-l"]), tags);
    }
    let fresh = clone(server.path());
    let decisions = std::fs::read_dir(fresh.file("decisions")).unwrap().count();
    assert_eq!(decisions, 2 * n, "each decision once");
    let log = fresh.git(&["log", "--format=%s"]);
    assert_eq!(
        log.lines()
            .filter(|s| s.starts_with("Baseline ART"))
            .count(),
        n,
        "each baseline once:\n{log}"
    );
    let (code, report) = common::verify_report(fresh.path(), &["--no-cache"]);
    assert_eq!((code, common::finding_codes(&report)), (0, vec![]));
}

#[test]
fn two_clones_sync_in_turns_and_at_once() {
    many_clones_sync_in_turns_and_at_once(2);
}

#[test]
fn four_clones_sync_in_turns_and_at_once() {
    many_clones_sync_in_turns_and_at_once(4);
}

#[test]
fn eight_clones_sync_in_turns_and_at_once() {
    many_clones_sync_in_turns_and_at_once(8);
}

/// `verify --format json` findings as (code, record, repairable).
fn findings(repo: &Path) -> Vec<(String, String, bool)> {
    let (_, report) = common::verify_report(repo, &["--no-cache"]);
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["record"].as_str().unwrap().to_string(),
                f["repairable"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn after_a_plain_pull_rebase_verify_says_what_happened_and_repair_moves_the_unpublished_tag() {
    let (server, a) = team();
    let b = clone(server.path());
    add_decision(&a, "DEC1", "DOC approved.");
    a.approve("DOC", "DEC1", "2023-07-01");
    add_decision(&b, "DEC2", "Another decision.");
    b.ok(&["sync"]);
    a.git(&["pull", "--quiet", "--rebase", "origin", "main"]);
    assert_eq!(
        findings(a.path()),
        [(
            "tag-left-by-rewrite".to_string(),
            "DOC/v1.0".to_string(),
            true
        )]
    );
    let said = a.ok(&["verify", "--repair"]);
    assert!(said.contains("moved the tag DOC/v1.0 from "), "{said}");
    assert_eq!(findings(a.path()), []);
    assert_eq!(
        a.git(&["rev-parse", "DOC/v1.0^{commit}"]),
        a.git(&["rev-parse", "HEAD"])
    );

    // A published commit rewritten afterwards (an amend after a push): the tag
    // may be in other clones, so it is reported and never moved.
    let c = clone(server.path());
    add_decision(&c, "DEC3", "TAB approved.");
    c.approve("TAB", "DEC3", "2023-07-02");
    c.git(&["push", "--quiet", "origin", "main"]);
    c.git(&[
        "commit",
        "--quiet",
        "--amend",
        "-m",
        "Baseline TAB v1.0 (DEC3), reworded",
    ]);
    let found = findings(c.path());
    assert_eq!(
        found,
        [(
            "tag-left-by-rewrite".to_string(),
            "TAB/v1.0".to_string(),
            false
        )]
    );
    let before = c.git(&["rev-parse", "TAB/v1.0"]);
    c.run(&["verify", "--repair"]);
    assert_eq!(c.git(&["rev-parse", "TAB/v1.0"]), before);
}

#[test]
fn a_record_git_left_unmerged_is_reported_and_never_settled_by_repair() {
    let (server, a) = team();
    let b = clone(server.path());
    add_decision(&a, "DEC1", "DOC approved.");
    add_decision(&b, "DEC1", "TAB approved.");
    b.ok(&["sync"]);
    let pull = std::process::Command::new("git")
        .args([
            "pull",
            "--quiet",
            "--no-rebase",
            "--no-edit",
            "origin",
            "main",
        ])
        .current_dir(a.path())
        .output()
        .unwrap();
    assert!(!pull.status.success(), "the two DEC1 records conflict");
    assert_eq!(
        findings(a.path()),
        [(
            "record-unmerged".to_string(),
            "decisions/DEC1.toml".to_string(),
            false
        )]
    );
    a.run(&["verify", "--repair"]);
    assert!(
        a.git(&["status", "--porcelain"])
            .contains("AA decisions/DEC1.toml"),
        "left for the people to settle"
    );
    let stderr = a.refused(&["sync"]);
    assert!(stderr.contains("in the middle of a merge"), "{stderr}");
    a.git(&["merge", "--abort"]);
}

#[test]
fn a_branch_tracking_another_name_syncs_with_that_branch() {
    let (server, a) = team();
    a.git(&["switch", "--quiet", "-c", "work"]);
    a.git(&["branch", "--quiet", "--set-upstream-to=origin/main"]);
    add_decision(&a, "DEC1", "Recorded on work.");
    let said = a.ok(&["sync"]);
    assert!(said.contains("Synced with origin/main"), "{said}");
    assert_eq!(
        git_in(server.path(), &["rev-parse", "main"]),
        a.git(&["rev-parse", "HEAD"])
    );
    assert!(
        git_in(server.path(), &["branch", "--list", "work"]).is_empty(),
        "no stray branch"
    );
}

/// A and B both drafted DOC 0.2 from the shared 0.1; B synced first.
fn both_drafted_the_same_number() -> (tempfile::TempDir, Design, Design) {
    let (server, a) = team();
    let b = clone(server.path());
    b.write("artefacts/DOC/doc.md", "# 1 Scope\n\nB's text.\n");
    b.ok(&["draft", "DOC", "--date", "2023-06-02"]);
    b.ok(&["sync"]);
    a.write("artefacts/DOC/doc.md", "# 1 Scope\n\nA's text.\n");
    a.ok(&["draft", "DOC", "--date", "2023-06-03"]);
    (server, a, b)
}

#[test]
fn renumber_gives_a_colliding_draft_and_what_follows_it_the_next_free_numbers() {
    let (server, a, b) = both_drafted_the_same_number();
    let stderr = a.refused(&["sync"]);
    assert!(
        stderr.contains("DOC v0.2 was recorded both here") && stderr.contains("sync --renumber"),
        "{stderr}"
    );
    // A baselines its draft meanwhile: the baseline must follow the draft.
    add_decision(&a, "DEC1", "DOC approved.");
    a.approve("DOC", "DEC1", "2023-07-01");
    let a_draft = a.read("artefacts/DOC/versions/0.2.toml");

    let said = a.ok(&["sync", "--renumber"]);
    assert!(said.contains("tags sent: DOC/v1.0"), "{said}");
    assert!(
        said.contains("Renumbered DOC 0.2 is now DOC 0.3, after the records of origin/main"),
        "{said}"
    );
    let log = a.json(&["log", "DOC"]);
    let versions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["1.0", "0.3", "0.2", "0.1"], "newest first");
    // B's 0.2 is B's; A's draft is now 0.3, byte for byte the same content.
    assert_eq!(a.ok(&["cat", "DOC@0.2"]), "# 1 Scope\n\nB's text.\n");
    assert_eq!(a.ok(&["cat", "DOC@0.3"]), "# 1 Scope\n\nA's text.\n");
    assert_eq!(a.ok(&["cat", "DOC@1.0"]), "# 1 Scope\n\nA's text.\n");
    assert_eq!(a.read("artefacts/DOC/doc.md"), "# 1 Scope\n\nA's text.\n");
    let renumbered = a.read("artefacts/DOC/versions/0.3.toml");
    assert_eq!(
        renumbered,
        a_draft.replace("version = \"0.2\"", "version = \"0.3\""),
        "only the number changed"
    );
    assert!(
        a.read("artefacts/DOC/versions/1.0.toml")
            .contains("promotes = \"0.3\"")
    );
    let message = a.git(&["log", "-1", "--format=%B", "--grep=^Draft DOC"]);
    assert!(
        message.starts_with("Draft DOC v0.3\n\nRenumbered from 0.2 by `baseline sync --renumber`"),
        "{message}"
    );
    assert!(message.contains("Baseline-Version: 0.3\n"), "{message}");
    let message = a.git(&["log", "-1", "--format=%B", "HEAD"]);
    assert!(
        message.contains("Promotes draft 0.3 of") && message.contains("Baseline-Promotes: 0.3\n"),
        "{message}"
    );
    let tag = a.git(&["tag", "-l", "--format=%(contents)", "DOC/v1.0"]);
    assert!(tag.contains("Promotes: 0.3\n"), "{tag}");

    assert_eq!(refs(a.path()), refs(server.path()));
    b.ok(&["sync"]);
    assert_eq!(b.read("artefacts/DOC/doc.md"), "# 1 Scope\n\nA's text.\n");
    for repo in [a.path(), b.path(), clone(server.path()).path()] {
        let (code, report) = common::verify_report(repo, &["--no-cache"]);
        assert_eq!((code, common::finding_codes(&report)), (0, vec![]));
    }
}

#[test]
fn renumber_gives_a_colliding_baseline_the_next_major_and_a_tag_of_that_name() {
    let (server, a, b) = team_without_change_control();
    b.approve("DOC", "DEC1", "2023-07-01");
    b.ok(&["sync"]);
    a.approve("DOC", "DEC1", "2023-07-02");
    let ours = a.git(&["rev-parse", "DOC/v1.0^{commit}"]);
    a.ok(&[
        "release",
        "create",
        "IR1",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-02",
        "--include",
        "DOC@1.0",
    ]);

    let said = a.ok(&["sync", "--renumber"]);
    assert!(
        said.contains("tags sent: DOC/v2.0; tags received: DOC/v1.0"),
        "{said}"
    );
    assert_eq!(
        a.git(&["rev-parse", "DOC/v1.0"]),
        b.git(&["rev-parse", "DOC/v1.0"]),
        "DOC/v1.0 is B's tag, untouched"
    );
    assert_ne!(a.git(&["rev-parse", "DOC/v1.0^{commit}"]), ours);
    assert_eq!(
        a.git(&["rev-parse", "DOC/v2.0^{commit}"]),
        a.git(&[
            "log",
            "-1",
            "--format=%H",
            "--grep=^Baseline DOC v2.0 (DEC1)$"
        ]),
        "the new tag is on the replayed baseline"
    );
    let tag = a.git(&["tag", "-l", "--format=%(contents)", "DOC/v2.0"]);
    assert!(tag.starts_with("DOC v2.0 baselined: A document"), "{tag}");
    assert!(
        a.read("artefacts/DOC/versions/2.0.toml")
            .contains("promotes = \"0.1\"")
    );
    let release = a.json(&["release", "show", "IR1"]);
    assert_eq!(
        release["artefacts"][0]["version"], "2.0",
        "the release follows its baseline"
    );
    let message = a.git(&["log", "-1", "--format=%B", "--grep=IR1"]);
    assert!(
        message.contains("Versions renumbered by `baseline sync --renumber` onto origin/main: DOC 1.0 is now 2.0."),
        "{message}"
    );
    assert_eq!(refs(a.path()), refs(server.path()));
    for repo in [a.path(), clone(server.path()).path()] {
        let (code, report) = common::verify_report(repo, &["--no-cache"]);
        assert_eq!((code, common::finding_codes(&report)), (0, vec![]));
    }
}

#[test]
fn a_renumbered_baseline_the_rules_now_refuse_is_refused_before_anything_moves() {
    let (server, a) = team();
    let b = clone(server.path());
    add_decision(&a, "DEC1", "DOC approved.");
    a.ok(&["sync"]);
    b.ok(&["sync"]);
    b.approve("DOC", "DEC1", "2023-07-01");
    b.ok(&["sync"]);
    a.approve("DOC", "DEC1", "2023-07-02");
    let (before_a, before_server) = (refs(a.path()), refs(server.path()));
    // B's 1.0 put DOC under change control: A's 2.0 would need an approved change.
    let stderr = a.refused(&["sync", "--renumber"]);
    assert!(
        stderr.contains("would break the rules once placed after those on origin")
            && stderr.contains("artefacts/DOC/versions/2.0.toml")
            && stderr.contains("change"),
        "{stderr}"
    );
    assert_eq!(refs(a.path()), before_a);
    assert_eq!(refs(server.path()), before_server);
}

#[test]
fn renumber_never_settles_two_records_under_one_id() {
    let (server, a) = team();
    let b = clone(server.path());
    add_decision(&a, "DEC1", "DOC approved.");
    add_decision(&b, "DEC1", "TAB approved.");
    b.ok(&["sync"]);
    let stderr = a.refused(&["sync", "--renumber"]);
    assert!(
        stderr.contains("decision DEC1 was recorded both here"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("gives yours the next free number"),
        "{stderr}"
    );
}

/// A's and B's clones with change control off, so that a renumbered baseline
/// needs no approved change.
fn team_without_change_control() -> (tempfile::TempDir, Design, Design) {
    let (server, a) = team();
    add_decision(&a, "DEC1", "DOC approved.");
    a.ok(&[
        "policy",
        "set",
        "change_control",
        "false",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-01",
    ]);
    a.ok(&["sync"]);
    let b = clone(server.path());
    (server, a, b)
}

fn versions_of(design: &Design, artefact: &str) -> Vec<String> {
    let log = design.json(&["log", artefact]);
    let mut versions: Vec<String> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap().to_string())
        .collect();
    versions.reverse();
    versions
}

fn assert_verifies_here_and_in_a_fresh_clone(design: &Design, server: &Path) {
    for repo in [design.path(), clone(server).path()] {
        let (code, report) = common::verify_report(repo, &["--no-cache"]);
        assert_eq!((code, common::finding_codes(&report)), (0, vec![]));
    }
}

#[test]
fn renumber_moves_every_later_version_of_the_artefact_past_the_remote() {
    let (server, a, b) = team_without_change_control();
    a.approve("DOC", "DEC1", "2023-07-01");
    a.ok(&["sync"]);
    b.approve("DOC", "DEC1", "2023-07-02");
    b.write("artefacts/DOC/doc.md", "# 1 Scope\n\nB's second text.\n");
    b.ok(&["draft", "DOC", "--date", "2023-07-03"]);
    b.approve("DOC", "DEC1", "2023-07-04");
    b.ok(&["sync", "--renumber"]);
    assert_eq!(versions_of(&b, "DOC"), ["0.1", "1.0", "2.0", "2.1", "3.0"]);
    assert!(
        b.read("artefacts/DOC/versions/3.0.toml")
            .contains("promotes = \"2.1\"")
    );
    for (tag, subject) in [
        ("DOC/v2.0", "Baseline DOC v2.0 (DEC1)"),
        ("DOC/v3.0", "Baseline DOC v3.0 (DEC1)"),
    ] {
        assert_eq!(b.git(&["log", "-1", "--format=%s", tag]).trim(), subject);
    }
    assert_eq!(
        b.git(&["rev-parse", "DOC/v1.0"]),
        a.git(&["rev-parse", "DOC/v1.0"]),
        "1.0 is A's"
    );
    assert_eq!(refs(b.path()), refs(server.path()));
    assert_verifies_here_and_in_a_fresh_clone(&b, server.path());
}

#[test]
fn renumber_replays_a_merge_once_and_keeps_the_renumbered_content_exactly() {
    let (server, a, b) = team_without_change_control();
    let lines = |first: &str, last: &str| format!("{first}\n2\n3\n4\n5\n6\n7\n{last}\n");
    a.write("artefacts/DOC/doc.md", &lines("1", "8"));
    a.ok(&["draft", "DOC", "--date", "2023-07-02"]);
    a.ok(&["sync"]);
    b.ok(&["sync"]);
    // A changes the first line, B on a branch the last: git would merge them.
    a.write("artefacts/DOC/doc.md", &lines("A1", "8"));
    a.ok(&["draft", "DOC", "--date", "2023-07-03"]);
    a.ok(&["sync"]);
    b.git(&["checkout", "--quiet", "-b", "feature"]);
    b.write("artefacts/DOC/doc.md", &lines("1", "B8"));
    b.ok(&["draft", "DOC", "--date", "2023-07-03"]);
    b.git(&["checkout", "--quiet", "main"]);
    b.write("notes.txt", "notes\n");
    b.git(&["add", "notes.txt"]);
    b.git(&["commit", "--quiet", "-m", "Notes"]);
    b.git(&[
        "merge",
        "--quiet",
        "--no-ff",
        "feature",
        "-m",
        "Merge feature",
    ]);

    let said = b.ok(&["sync", "--renumber"]);
    assert!(said.contains("Renumbered DOC 0.3 is now DOC 0.4"), "{said}");
    assert_eq!(versions_of(&b, "DOC"), ["0.1", "0.2", "0.3", "0.4"]);
    assert_eq!(b.ok(&["cat", "DOC@0.4"]), lines("1", "B8"));
    assert_eq!(
        b.read("artefacts/DOC/doc.md"),
        lines("1", "B8"),
        "not git's merge of both"
    );
    assert_verifies_here_and_in_a_fresh_clone(&b, server.path());
}

#[test]
fn a_baseline_renumbered_past_a_remote_draft_of_its_number_leaves_no_tag_behind() {
    let (server, a, b) = team_without_change_control();
    a.write("artefacts/DOC/doc.md", "# 1 Scope\n\nA's text.\n");
    a.ok(&["draft", "DOC", "--version", "1.0", "--date", "2023-07-01"]);
    a.ok(&["sync"]);
    b.approve("DOC", "DEC1", "2023-07-02");
    b.ok(&["sync", "--renumber"]);
    assert_eq!(b.git(&["tag", "-l"]).trim(), "DOC/v2.0");
    assert_eq!(refs(b.path()), refs(server.path()));
    assert_verifies_here_and_in_a_fresh_clone(&b, server.path());
}

#[test]
fn a_renumbered_draft_holding_the_remote_drafts_content_is_refused() {
    let (_server, a, b) = team_without_change_control();
    for (design, date) in [(&a, "2023-07-02"), (&b, "2023-07-03")] {
        design.write("artefacts/DOC/doc.md", "# 1 Scope\n\nThe same text.\n");
        design.ok(&["draft", "DOC", "--date", date]);
    }
    a.ok(&["sync"]);
    let stderr = b.refused(&["sync", "--renumber"]);
    assert!(
        stderr
            .contains("DOC 0.2 recorded here holds the same content as DOC 0.2 now on the branch"),
        "{stderr}"
    );
}

#[test]
fn a_tag_made_by_hand_on_a_draft_is_neither_moved_nor_sent() {
    let (server, a, b) = team_without_change_control();
    add_decision(&a, "DEC2", "Noted.");
    a.ok(&["sync"]);
    b.write("artefacts/DOC/doc.md", "# 1 Scope\n\nB's text.\n");
    b.ok(&["draft", "DOC", "--date", "2023-07-02"]);
    b.git(&["tag", "-a", "DOC/v0.2", "-m", "by hand"]);
    let made = b.git(&["rev-parse", "DOC/v0.2"]);
    b.ok(&["sync"]);
    assert_eq!(b.git(&["rev-parse", "DOC/v0.2"]), made, "left where it was");
    assert!(!refs(server.path()).contains("DOC/v0.2"), "not sent");
}

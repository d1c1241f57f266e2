//! The tamper suite: build the example repository, alter it with plain git and a
//! text editor, and check that `baseline verify` catches each change and names the
//! record. A clean repository verifies clean.

mod common;

use std::path::{Path, PathBuf};

use common::{baseline_in, git_in, zlib};

/// A private copy of the DAG026 example repository (built once per process).
fn example() -> (tempfile::TempDir, PathBuf) {
    let (dir, repo, _) = common::example();
    (dir, repo)
}

fn verify(repo: &Path) -> (i32, serde_json::Value) {
    verify_with(repo, &[])
}

fn verify_with(repo: &Path, options: &[&str]) -> (i32, serde_json::Value) {
    common::verify_report(repo, options)
}

/// The findings as "check record" lines.
fn findings(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|f| {
                    format!(
                        "{} {}",
                        f["check"].as_str().unwrap(),
                        f["record"].as_str().unwrap()
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What `verify` failed to report about `tampering`: nothing when it refused the
/// repository with every `expected` finding, both from its cache (the example
/// ends with a clean verify) and checking everything again. An object altered
/// in place in the object store is no commit: only `--no-cache`, which reads
/// every version's content again, can see it (docs/verify.md says so).
fn missed(repo: &Path, tampering: &str, expected: &[&str]) -> Vec<String> {
    let mut missed = missed_by(repo, tampering, expected, &["--no-cache"]);
    if !tampering.contains("in the object store") {
        missed.extend(missed_by(repo, tampering, expected, &[]));
    }
    missed
}

fn missed_by(repo: &Path, tampering: &str, expected: &[&str], options: &[&str]) -> Vec<String> {
    let tampering = format!("{tampering} (verify {})", options.join(" "));
    let (code, report) = verify_with(repo, options);
    if code != 1 {
        return vec![format!("{tampering}: verify exited {code}: {report}")];
    }
    let found = findings(&report);
    expected
        .iter()
        .filter(|wanted| !found.iter().any(|f| f == *wanted))
        .map(|wanted| format!("{tampering}: no finding `{wanted}` in {found:?}"))
        .collect()
}

fn assert_caught(repo: &Path, tampering: &str, expected: &[&str]) {
    let missed = missed(repo, tampering, expected);
    assert!(missed.is_empty(), "{missed:#?}");
}

/// Deletes a tag and makes it again, with the same name and message, on `target`.
fn remake_tag(repo: &Path, tag: &str, target: &str) {
    let message = git_in(repo, &["tag", "-l", "--format=%(contents)", tag]);
    let object = git_in(repo, &["rev-parse", target]);
    git_in(repo, &["tag", "-d", tag]);
    git_in(
        repo,
        &["tag", "-a", "-m", message.trim_end(), tag, object.trim()],
    );
}

fn edit(repo: &Path, path: &str, from: &str, to: &str) {
    let file = repo.join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "{path} has no `{from}`");
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_clean_repository_verifies_clean() {
    let (_dir, repo) = example();
    let (code, report) = verify(&repo);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["versions"], 16);
    assert_eq!(report["baselines"], 6);
    let human = baseline_in(&repo).arg("verify").output().unwrap();
    assert!(String::from_utf8_lossy(&human.stdout).contains("No findings"));
}

#[test]
fn every_tampering_is_caught_and_named() {
    /// A tampering: its name, what it does, and the findings it must cause.
    type Tampering = (&'static str, fn(&Path), Vec<&'static str>);
    let tamperings: Vec<Tampering> = vec![
        (
            "change a baselined content blob in the object store",
            |repo| {
                let blob = git_in(
                    repo,
                    &[
                        "rev-parse",
                        "DES196/v1.0^{commit}:artefacts/DES196/des196.csv",
                    ],
                );
                let object = repo
                    .join(".git/objects")
                    .join(&blob.trim()[..2])
                    .join(&blob.trim()[2..]);
                let mut perms = std::fs::metadata(&object).unwrap().permissions();
                #[allow(clippy::permissions_set_readonly_false)]
                perms.set_readonly(false);
                std::fs::set_permissions(&object, perms).unwrap();
                let tampered =
                    git_in(repo, &["cat-file", "blob", blob.trim()]).replace("D0300", "D0301");
                let compressed = zlib(&format!("blob {}\0{tampered}", tampered.len()));
                std::fs::write(&object, compressed).unwrap();
            },
            vec!["content artefacts/DES196/versions/1.0.toml"],
        ),
        (
            "edit a version record's sha256",
            |repo| {
                edit(
                    repo,
                    "artefacts/DES196/versions/1.0.toml",
                    "sha256 = \"d",
                    "sha256 = \"e",
                );
                git_in(repo, &["commit", "-qam", "Fix a hash"]);
            },
            vec![
                "history artefacts/DES196/versions/1.0.toml",
                "content artefacts/DES196/versions/1.0.toml",
            ],
        ),
        (
            "delete a decision",
            |repo| {
                git_in(repo, &["rm", "-q", "decisions/DAG-DEC57.toml"]);
                git_in(repo, &["commit", "-qm", "Tidy"]);
            },
            vec![
                "history decisions/DAG-DEC57.toml",
                "rule artefacts/DES196/versions/1.0.toml",
            ],
        ),
        (
            // DAG-DEC57, not DAG-DEC56: the example corrects DAG-DEC56 (to link
            // its artefacts), and verify judges a baseline by a corrected
            // decision as it stood when the baseline was made.
            "edit a decision's outcome",
            |repo| {
                edit(
                    repo,
                    "decisions/DAG-DEC57.toml",
                    "outcome = \"approved\"",
                    "outcome = \"deferred\"",
                );
                git_in(repo, &["commit", "-qam", "Correct the outcome"]);
            },
            vec![
                "history decisions/DAG-DEC57.toml",
                "rule artefacts/DES196/versions/1.0.toml",
            ],
        ),
        (
            "break a record's TOML",
            |repo| {
                edit(
                    repo,
                    "decisions/DAG-DEC58.toml",
                    "outcome = \"approved\"",
                    "outcome = approved",
                );
                git_in(repo, &["commit", "-qam", "Quick edit"]);
            },
            vec![
                "record decisions/DAG-DEC58.toml",
                "history decisions/DAG-DEC58.toml",
            ],
        ),
        (
            "file a record under another version's name",
            |repo| {
                std::fs::copy(
                    repo.join("artefacts/OC/versions/0.1.toml"),
                    repo.join("artefacts/OC/versions/0.3.toml"),
                )
                .unwrap();
                git_in(repo, &["add", "artefacts/OC/versions/0.3.toml"]);
                git_in(repo, &["commit", "-qm", "Record 0.3"]);
            },
            vec!["record artefacts/OC/versions/0.3.toml"],
        ),
        (
            "move a tag",
            |repo| {
                git_in(
                    repo,
                    &["tag", "-f", "-a", "-m", "moved", "DES196/v1.0", "HEAD"],
                );
            },
            vec!["tag DES196/v1.0"],
        ),
        (
            "re-make a tag on the right commit with a forged message",
            |repo| {
                let commit = git_in(repo, &["rev-parse", "DES196/v1.0^{commit}"]);
                let message = git_in(repo, &["tag", "-l", "--format=%(contents)", "DES196/v1.0"]);
                let forged = message.replace("Decisions: DAG-DEC57", "Decisions: DAG-DEC56");
                assert_ne!(forged, message);
                git_in(repo, &["tag", "-d", "DES196/v1.0"]);
                git_in(
                    repo,
                    &["tag", "-a", "-m", &forged, "DES196/v1.0", commit.trim()],
                );
                assert_eq!(git_in(repo, &["rev-parse", "DES196/v1.0^{commit}"]), commit);
            },
            vec!["tag DES196/v1.0"],
        ),
        (
            "re-make a tag with its message on the commit's tree",
            |repo| remake_tag(repo, "DES196/v1.0", "DES196/v1.0^{tree}"),
            vec!["tag DES196/v1.0"],
        ),
        (
            "re-make a tag with its message on a blob",
            |repo| remake_tag(repo, "DES196/v1.0", "DES196/v1.0:baseline.toml"),
            vec!["tag DES196/v1.0"],
        ),
        (
            "re-make a tag with its message on another tag of the commit",
            |repo| {
                git_in(
                    repo,
                    &[
                        "tag",
                        "-a",
                        "-m",
                        "inner",
                        "inner-tag",
                        "DES196/v1.0^{commit}",
                    ],
                );
                remake_tag(repo, "DES196/v1.0", "inner-tag");
            },
            vec!["tag DES196/v1.0"],
        ),
        (
            "delete a tag",
            |repo| {
                git_in(repo, &["tag", "-d", "DIP-PKI-POL/v1.0"]);
            },
            vec!["tag artefacts/DIP-PKI-POL/versions/1.0.toml"],
        ),
        (
            "rewrite history with a rebase that alters a baselined file",
            |repo| {
                let recorded = git_in(repo, &["rev-parse", "DES196/v1.0^{commit}"]);
                let draft = git_in(
                    repo,
                    &["rev-list", "-1", "--grep=^Draft DES196 v0.2$", "HEAD"],
                );
                let script = "sed -i '1s/^pick/edit/' \"$1\"";
                std::fs::write(repo.join("editor.sh"), script).unwrap();
                let out = std::process::Command::new("git")
                    .args(["rebase", "-q", "-i", &format!("{}~1", draft.trim())])
                    .env(
                        "GIT_SEQUENCE_EDITOR",
                        format!("sh {}", repo.join("editor.sh").display()),
                    )
                    .current_dir(repo)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                std::fs::remove_file(repo.join("editor.sh")).unwrap();
                let csv = repo.join("artefacts/DES196/des196.csv");
                let text = std::fs::read_to_string(&csv)
                    .unwrap()
                    .replace("D0379", "D0380");
                std::fs::write(&csv, text).unwrap();
                git_in(repo, &["commit", "-q", "--amend", "-a", "--no-edit"]);
                let out = std::process::Command::new("git")
                    .args(["rebase", "--continue"])
                    .env("GIT_EDITOR", "true")
                    .current_dir(repo)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                assert_ne!(
                    git_in(
                        repo,
                        &["log", "-1", "--format=%H", "--grep=^Baseline DES196"]
                    ),
                    recorded
                );
            },
            vec![
                "tag DES196/v1.0",
                "content artefacts/DES196/versions/0.2.toml",
            ],
        ),
        (
            "add a baseline record by hand without a decision",
            |repo| {
                let draft =
                    std::fs::read_to_string(repo.join("artefacts/OC/versions/0.2.toml")).unwrap();
                let forged = draft
                    .replace("version = \"0.2\"", "version = \"1.0\"")
                    .replace("status = \"draft\"", "status = \"baselined\"");
                std::fs::write(repo.join("artefacts/OC/versions/1.0.toml"), forged).unwrap();
                git_in(repo, &["add", "artefacts/OC/versions/1.0.toml"]);
                git_in(repo, &["commit", "-qm", "Baseline OC"]);
            },
            vec![
                "rule artefacts/OC/versions/1.0.toml",
                "tag artefacts/OC/versions/1.0.toml",
            ],
        ),
        (
            "reuse a version number",
            |repo| {
                git_in(repo, &["rm", "-q", "artefacts/OC/versions/0.2.toml"]);
                git_in(repo, &["commit", "-qm", "Drop 0.2"]);
                let first =
                    std::fs::read_to_string(repo.join("artefacts/OC/versions/0.1.toml")).unwrap();
                std::fs::write(
                    repo.join("artefacts/OC/versions/0.2.toml"),
                    first.replace("version = \"0.1\"", "version = \"0.2\""),
                )
                .unwrap();
                git_in(repo, &["add", "artefacts/OC/versions/0.2.toml"]);
                git_in(repo, &["commit", "-qm", "Record 0.2 again"]);
            },
            vec![
                "history artefacts/OC/versions/0.2.toml",
                "order artefacts/OC/versions/0.2.toml",
            ],
        ),
        (
            "approve a change by hand, with no decision",
            |repo| {
                let file = repo.join("changes/CR024.toml");
                let mut text = std::fs::read_to_string(&file).unwrap();
                text.push_str(
                    "\n[[history]]\nstate = \"approved\"\ndate = \"2023-07-20\"\nrecorded_by = \"Someone <s@example.invalid>\"\nrecorded_at = \"2023-07-20T09:00:00Z\"\n",
                );
                std::fs::write(&file, text).unwrap();
                git_in(repo, &["commit", "-qam", "CR024 approved"]);
            },
            vec!["lifecycle changes/CR024.toml"],
        ),
        (
            "move an imported action's due date in place",
            |repo| {
                edit(
                    repo,
                    "actions/DAG26-01.toml",
                    "due = \"2023-08-09\"",
                    "due = \"2023-12-31\"",
                );
                git_in(repo, &["commit", "-qam", "More time"]);
            },
            vec!["history actions/DAG26-01.toml"],
        ),
    ];
    // Written out, not counted from the list: a tampering dropped from the list
    // by mistake fails here.
    assert_eq!(
        tamperings.len(),
        17,
        "docs/development.md lists seventeen tamperings"
    );
    let mut caught = 0;
    let mut missed_all = Vec::new();
    for (name, tamper, expected) in &tamperings {
        let (_dir, repo) = example();
        tamper(&repo);
        let missed = missed(&repo, name, expected);
        if missed.is_empty() {
            caught += 1;
        }
        missed_all.extend(missed);
    }
    println!("caught {caught} of 17 tamperings");
    assert!(missed_all.is_empty(), "{missed_all:#?}");
    assert_eq!(caught, 17);
}

#[test]
fn half_written_work_is_found_and_repaired() {
    let (_dir, repo) = example();
    let forged = std::fs::read_to_string(repo.join("artefacts/OC/versions/0.2.toml")).unwrap();
    std::fs::write(
        repo.join("artefacts/OC/versions/0.3.toml"),
        forged.replace("0.2", "0.3"),
    )
    .unwrap();
    git_in(&repo, &["tag", "-d", "DES196/v1.0"]);
    assert_caught(
        &repo,
        "leftovers",
        &[
            "leftover artefacts/OC/versions/0.3.toml",
            "tag artefacts/DES196/versions/1.0.toml",
        ],
    );
    let out = baseline_in(&repo)
        .args(["verify", "--repair"])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        printed.contains(
            "repaired: removed artefacts/OC/versions/0.3.toml, which was never committed"
        ),
        "{printed}"
    );
    assert!(
        printed.contains("repaired: made the missing tag DES196/v1.0"),
        "{printed}"
    );
    assert_eq!(verify(&repo).0, 0);
}

#[test]
fn a_range_checks_only_what_it_adds() {
    let (_dir, repo) = example();
    let before = git_in(&repo, &["rev-parse", "HEAD"]);
    edit(
        &repo,
        "artefacts/OC/operational-choreography.md",
        "Operational",
        "Operational (revised)",
    );
    baseline_in(&repo)
        .args(["draft", "OC", "--date", "2023-07-21"])
        .assert()
        .success();
    let range = format!("{}..HEAD", before.trim());
    let out = baseline_in(&repo)
        .args(["verify", "--range", &range, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["commits"], 1);
    assert_eq!(report["versions"], 1);

    let before = git_in(&repo, &["rev-parse", "HEAD"]);
    let record = std::fs::read_to_string(repo.join("artefacts/OC/versions/0.1.toml")).unwrap();
    std::fs::write(
        repo.join("artefacts/OC/versions/0.2.5.toml"),
        record.replace("version = \"0.1\"", "version = \"0.2.5\""),
    )
    .unwrap();
    git_in(&repo, &["add", "artefacts/OC/versions/0.2.5.toml"]);
    git_in(&repo, &["commit", "-qm", "Slip a lower version in"]);
    let range = format!("{}..HEAD", before.trim());
    let out = baseline_in(&repo)
        .args(["verify", "--range", &range, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        findings(&report).contains(&"order artefacts/OC/versions/0.2.5.toml".to_string()),
        "{report}"
    );
}

#[test]
fn merged_work_from_two_clones_verifies_clean() {
    let (_dir, repo) = example();
    let other_dir = tempfile::tempdir().unwrap();
    let other = other_dir.path().join("other");
    git_in(
        other_dir.path(),
        &["clone", "-q", repo.to_str().unwrap(), "other"],
    );
    edit(
        &other,
        "artefacts/OC/operational-choreography.md",
        "Operational",
        "Operational (other clone)",
    );
    baseline_in(&other)
        .args(["draft", "OC", "--date", "2023-07-21"])
        .assert()
        .success();
    edit(
        &repo,
        "artefacts/DIP-PKI-POL/dip-pki-policy.md",
        "DIP",
        "DIP (revised)",
    );
    baseline_in(&repo)
        .args(["draft", "DIP-PKI-POL", "--date", "2023-07-21"])
        .assert()
        .success();
    git_in(
        &repo,
        &[
            "pull",
            "-q",
            "--no-rebase",
            "--no-ff",
            "--no-edit",
            other.to_str().unwrap(),
            "HEAD",
        ],
    );
    assert_eq!(
        git_in(&repo, &["rev-list", "--merges", "--count", "HEAD"]).trim(),
        "1"
    );
    let (code, report) = verify(&repo);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["versions"], 18);
}

#[test]
fn a_pre_receive_hook_refuses_a_tampered_push() {
    let (_dir, repo) = example();
    let server = tempfile::tempdir().unwrap();
    git_in(server.path(), &["init", "-q", "--bare", "design.git"]);
    let bare = server.path().join("design.git");
    let hook = bare.join("hooks/pre-receive");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hooks/pre-receive"),
        &hook,
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("baseline");
    let push = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("push")
            .args(args)
            .current_dir(&repo)
            .env("BASELINE", &bin)
            .output()
            .unwrap()
    };
    let remote = bare.to_str().unwrap();
    let first = push(&[remote, "HEAD:refs/heads/main", "--tags"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );

    edit(
        &repo,
        "decisions/DAG-DEC57.toml",
        "outcome = \"approved\"",
        "outcome = \"rejected\"",
    );
    git_in(&repo, &["commit", "-qam", "Quiet correction"]);
    let tampered = push(&[remote, "HEAD:refs/heads/main"]);
    assert!(!tampered.status.success(), "the tampered push was accepted");
    let said = String::from_utf8_lossy(&tampered.stderr);
    assert!(
        said.contains("decisions/DAG-DEC57.toml") && said.contains("does not verify"),
        "{said}"
    );

    git_in(&repo, &["reset", "-q", "--hard", "HEAD~1"]);
    git_in(
        &repo,
        &["tag", "-f", "-a", "-m", "moved", "DES196/v1.0", "HEAD"],
    );
    let moved = push(&[remote, "--force", "refs/tags/DES196/v1.0"]);
    assert!(!moved.status.success(), "the moved tag was accepted");
    assert!(String::from_utf8_lossy(&moved.stderr).contains("never moved"));
}

#[test]
fn a_shallow_clone_verifies_what_it_has_and_refuses_to_repair() {
    let (dir, repo) = example();
    let shallow = dir.path().join("shallow");
    let url = format!("file://{}", repo.display());
    let cloned = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "3", "--no-single-branch", &url])
        .arg(&shallow)
        .output()
        .unwrap();
    assert!(
        cloned.status.success(),
        "{}",
        String::from_utf8_lossy(&cloned.stderr)
    );
    git_in(
        &shallow,
        &[
            "fetch",
            "-q",
            "--depth",
            "3",
            "origin",
            "refs/tags/*:refs/tags/*",
        ],
    );

    // No false tampering: what was recorded before the history here begins is
    // checked as found, and the report says where the history begins.
    let (code, report) = verify(&shallow);
    assert_eq!(code, 0, "{report}");
    let from = report["shallow_from"].as_array().unwrap();
    assert_eq!(from.len(), 1, "{report}");
    let printed = baseline_in(&shallow).arg("verify").output().unwrap();
    let printed = String::from_utf8(printed.stdout).unwrap();
    assert!(
        printed.contains("the history here is incomplete (a shallow clone): it begins at commit "),
        "{printed}"
    );

    // What its own history changes is still caught.
    edit(
        &shallow,
        "decisions/DAG-DEC57.toml",
        "outcome = \"approved\"",
        "outcome = \"rejected\"",
    );
    git_in(&shallow, &["commit", "-qam", "Rejected after all"]);
    assert_caught(
        &shallow,
        "edit a decision in a shallow clone",
        &["history decisions/DAG-DEC57.toml"],
    );

    let repair = baseline_in(&shallow)
        .args(["verify", "--repair"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(repair.stderr).unwrap();
    assert_eq!(repair.status.code(), Some(1));
    assert!(
        stderr.starts_with(
            "error: verify --repair needs the whole history, and this clone is shallow"
        ),
        "{stderr}"
    );
}

#[test]
fn policy_changes_outside_policy_set_are_found_with_the_baselines_made_under_them() {
    let design = common::Design::new();
    design.write("in/doc.md", "# Scope\n\nFirst.\n");
    design.ok(&["add", "DOC", "--title", "A document", "in/doc.md"]);
    design.ok(&["draft", "DOC", "--date", "2023-06-01"]);
    design.decision("DEC1", "2023-06-02", "approved", &["DOC"]);
    design.approve("DOC", "DEC1", "2023-06-02");
    // A recorded change is clean.
    design.decision("DEC2", "2023-06-03", "approved", &[]);
    let out = design.ok(&[
        "policy",
        "set",
        "ids.change",
        "(CR|DIN|RFC)[0-9]+",
        "--decision",
        "DEC2",
        "--date",
        "2023-06-03",
    ]);
    assert_eq!(
        out,
        "Set ids.change to (CR|DIN|RFC)[0-9]+ under DEC2 on 2023-06-03\n"
    );
    let (code, report) = verify(design.path());
    assert_eq!(code, 0, "{report}");
    let shown = design.json(&["policy", "show"]);
    assert_eq!(shown[3]["key"], "ids.change");
    assert_eq!(shown[3]["changed"]["decision"], "DEC2");

    // Change control switched off by a plain commit, a baseline made without a
    // change request, and the switch put back.
    edit(
        design.path(),
        "baseline.toml",
        "change_control = true",
        "change_control = false",
    );
    design.git(&["commit", "-qam", "Pilot: no change control"]);
    design.write("artefacts/DOC/doc.md", "# Scope\n\nSecond.\n");
    design.ok(&["draft", "DOC", "--date", "2023-06-10"]);
    design.decision("DEC3", "2023-06-11", "approved", &["DOC"]);
    design.approve("DOC", "DEC3", "2023-06-11");
    edit(
        design.path(),
        "baseline.toml",
        "change_control = false",
        "change_control = true",
    );
    design.git(&["commit", "-qam", "Back to normal"]);

    let (code, report) = verify(design.path());
    assert_eq!(code, 1, "{report}");
    let codes = common::finding_codes(&report);
    assert_eq!(
        codes,
        [
            "policy-unrecorded baseline.toml",
            "policy-unrecorded baseline.toml",
            "policy-edited-baseline artefacts/DOC/versions/2.0.toml"
        ],
        "{report}"
    );
    let message = report["findings"][2]["message"].as_str().unwrap();
    assert!(message.contains("change_control = false"), "{message}");

    // policy set refuses a decision that could not make the change.
    design.decision("DEC4", "2023-06-20", "rejected", &[]);
    let stderr = design.refused(&[
        "policy",
        "set",
        "change_control",
        "false",
        "--decision",
        "DEC4",
        "--date",
        "2023-06-21",
    ]);
    assert!(
        stderr.contains(
            "decision DEC4 (rejected on 2023-06-20) cannot change the policy on 2023-06-21"
        ),
        "{stderr}"
    );
}

/// Commits no command makes: a record's place holding a symbolic link (to a
/// file outside the repository) or a submodule, and a decision whose file name
/// differs from another's only in case (on Windows and macOS a checkout shows
/// one and hides the other). Each is found, with and without the cache.
#[test]
fn records_in_forms_baseline_never_writes_are_found() {
    type Attack = (&'static str, fn(&Path), &'static str);
    let attacks: Vec<Attack> = vec![
        (
            "a decision committed as a symbolic link",
            |repo| {
                let target = git_hash(repo, "../../../etc/passwd");
                index_entry(repo, "120000", &target, "decisions/DEC-LINK.toml");
            },
            "record-not-a-file decisions/DEC-LINK.toml",
        ),
        (
            "a decision committed as a submodule",
            |repo| {
                let head = git_in(repo, &["rev-parse", "HEAD"]);
                index_entry(repo, "160000", head.trim(), "decisions/DEC-SUB.toml");
            },
            "record-not-a-file decisions/DEC-SUB.toml",
        ),
        (
            "a decision whose name differs from another's only in case",
            |repo| {
                let text = std::fs::read_to_string(repo.join("decisions/DAG-DEC57.toml")).unwrap();
                let twin = text
                    .replace("DAG-DEC57", "dag-dec57")
                    .replace("approved", "rejected");
                let blob = git_hash(repo, &twin);
                index_entry(repo, "100644", &blob, "decisions/dag-dec57.toml");
            },
            "name-case-clash decisions/dag-dec57.toml",
        ),
    ];
    for (name, attack, wanted) in attacks {
        for options in [&[][..], &["--no-cache"]] {
            let (_dir, repo) = example();
            attack(&repo);
            let (code, report) = verify_with(&repo, options);
            assert_eq!(code, 1, "{name} {options:?}: {report}");
            let codes = common::finding_codes(&report);
            assert!(
                codes.iter().any(|c| c == wanted),
                "{name} {options:?}: {codes:?}"
            );
        }
    }
}

/// Writes `text` to the object store; its blob id.
fn git_hash(repo: &Path, text: &str) -> String {
    let file = repo.join(".git/attack-input");
    std::fs::write(&file, text).unwrap();
    let id = git_in(repo, &["hash-object", "-w", file.to_str().unwrap()]);
    std::fs::remove_file(file).unwrap();
    id.trim().to_string()
}

/// Commits an index entry of any mode, as `git update-index` makes it.
fn index_entry(repo: &Path, mode: &str, object: &str, path: &str) {
    git_in(
        repo,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("{mode},{object},{path}"),
        ],
    );
    git_in(repo, &["commit", "-q", "-m", "by hand"]);
}

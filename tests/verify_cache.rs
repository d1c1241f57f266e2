//! verify's cache: a clean whole-history verify is remembered under `.git/`,
//! and the next one checks only the commits since, with every baseline tag.
//! What changes without a commit (tags) or undoes the cached history (a
//! rewrite) must still be found; a cache that is not the tool's own is no cache.

mod common;

use std::path::Path;

use common::{baseline_in, finding_codes as codes, git_in, verify_report as verify};

const CACHE: &str = ".git/baseline/verify-cache.json";

fn head(repo: &Path) -> String {
    git_in(repo, &["rev-parse", "HEAD"]).trim().to_string()
}

fn commit_count(repo: &Path) -> u64 {
    git_in(repo, &["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

/// The example's repository, verified clean so that its cache is at HEAD.
fn verified_example() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let (dir, repo, _) = common::example();
    let (code, report) = verify(&repo, &["--no-cache"]);
    assert_eq!(code, 0, "{report}");
    assert!(
        repo.join(CACHE).is_file(),
        "a clean verify leaves its cache"
    );
    let verified = head(&repo);
    (dir, repo, verified)
}

/// Registers NEW, drafts it, and baselines it under a decision of its own:
/// one new baseline, five commits.
fn one_new_baseline(repo: &Path) {
    let run = |args: &[&str]| {
        let out = baseline_in(repo).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    std::fs::write(repo.join("new.md"), "# New\n\nA new design note.\n").unwrap();
    run(&["add", "NEW", "--title", "A new note", "new.md"]);
    run(&["draft", "NEW", "--date", "2023-08-01"]);
    run(&[
        "decision",
        "add",
        "DEC-NEW",
        "--date",
        "2023-08-02",
        "--outcome",
        "approved",
        "--text",
        "Approved.",
        "--artefact",
        "NEW",
    ]);
    run(&[
        "approve",
        "NEW",
        "--decision",
        "DEC-NEW",
        "--date",
        "2023-08-02",
    ]);
}

#[test]
fn after_a_new_baseline_only_the_new_commits_are_read_and_the_counts_are_whole() {
    let (_dir, repo, verified) = verified_example();
    let (_, whole) = verify(&repo, &["--no-cache"]);
    one_new_baseline(&repo);

    let (code, report) = verify(&repo, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["cached"], verified.as_str());
    assert_eq!(report["commits"], commit_count(&repo));
    assert_eq!(report["versions"], whole["versions"].as_u64().unwrap() + 2);
    assert_eq!(
        report["baselines"],
        whole["baselines"].as_u64().unwrap() + 1
    );

    // The same as checking everything again, which says it used no cache.
    let (code, again) = verify(&repo, &["--no-cache"]);
    assert_eq!(code, 0, "{again}");
    assert_eq!(again["cached"], serde_json::Value::Null);
    for count in ["commits", "versions", "baselines"] {
        assert_eq!(again[count], report[count], "{count}");
    }

    // The terminal says what was not read again.
    let printed = baseline_in(&repo).arg("verify").output().unwrap();
    let printed = String::from_utf8(printed.stdout).unwrap();
    assert!(
        printed.contains(&format!(
            "history up to commit {} was found clean by an earlier verify",
            &head(&repo)[..12]
        )),
        "{printed}"
    );
}

#[test]
fn tags_changed_since_the_cache_are_found_with_it() {
    let (_dir, repo, _) = verified_example();
    // Moved: deleted and made again on another commit, same message.
    let message = git_in(&repo, &["tag", "-l", "--format=%(contents)", "DES196/v1.0"]);
    git_in(&repo, &["tag", "-d", "DES196/v1.0"]);
    git_in(
        &repo,
        &[
            "tag",
            "-a",
            "-m",
            message.trim_end(),
            "DES196/v1.0",
            "HEAD~1",
        ],
    );
    // Deleted.
    git_in(&repo, &["tag", "-d", "DIP-ICC/v1.0"]);
    // Made for a version that is no baseline.
    git_in(&repo, &["tag", "-a", "-m", "forged", "DES196/v0.1", "HEAD"]);

    let (code, report) = verify(&repo, &[]);
    assert_eq!(code, 1, "{report}");
    let found = codes(&report);
    for wanted in [
        "tag-moved DES196/v1.0",
        "tag-missing artefacts/DIP-ICC/versions/1.0.toml",
        "stray-tag DES196/v0.1",
    ] {
        assert!(
            found.iter().any(|f| f == wanted),
            "no {wanted} in {found:?}"
        );
    }
    // Found since the cache, then checked again from the start.
    assert_eq!(report["cached"], serde_json::Value::Null);
}

#[test]
fn a_record_edited_since_the_cache_is_reported_with_its_consequences() {
    let (_dir, repo, _) = verified_example();
    let path = repo.join("decisions/DAG-DEC57.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("outcome = \"approved\"", "outcome = \"rejected\""),
    )
    .unwrap();
    git_in(&repo, &["commit", "-qam", "a plain edit"]);
    let (code, report) = verify(&repo, &[]);
    assert_eq!(code, 1, "{report}");
    let found = codes(&report);
    assert!(
        found.contains(&"record-edited decisions/DAG-DEC57.toml".to_string()),
        "{found:?}"
    );
    // The baseline the decision approved breaks its rule: that needs the
    // whole check, which a finding since the cache brings on.
    assert!(
        found.contains(&"rule-broken artefacts/DES196/versions/1.0.toml".to_string()),
        "{found:?}"
    );
}

#[test]
fn history_rewritten_past_the_cached_commit_is_checked_whole() {
    let (_dir, repo, _) = verified_example();
    git_in(
        &repo,
        &["commit", "-q", "--amend", "-m", "the same, reworded"],
    );
    let (_, report) = verify(&repo, &[]);
    assert_eq!(report["cached"], serde_json::Value::Null, "{report}");
    assert_eq!(report["commits"], commit_count(&repo));
}

#[test]
fn a_cache_that_is_not_the_tools_own_is_no_cache() {
    let (_dir, repo, _) = verified_example();
    let cache = repo.join(CACHE);
    let text = std::fs::read_to_string(&cache).unwrap();
    let garbled = [
        "not json".to_string(),
        text.replace(
            "\"written_by\":\"baseline ",
            "\"written_by\":\"baseline 0.0.0 ",
        ),
        text.replace("\"head\":\"", "\"head\":\"0"),
    ];
    for written in garbled {
        std::fs::write(&cache, &written).unwrap();
        let (code, report) = verify(&repo, &[]);
        assert_eq!(code, 0, "{report}");
        assert_eq!(report["cached"], serde_json::Value::Null, "used: {written}");
        assert_eq!(report["commits"], commit_count(&repo));
    }
}

#[test]
fn a_cache_that_is_a_link_is_neither_read_nor_written_through() {
    let (dir, repo, _) = verified_example();
    let cache = repo.join(CACHE);
    let outside = dir.path().join("outside.json");
    std::fs::rename(&cache, &outside).unwrap();
    let before = std::fs::read(&outside).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, &cache).unwrap();
    #[cfg(windows)]
    std::os::windows::fs::symlink_file(&outside, &cache).unwrap();
    one_new_baseline(&repo);
    let (code, report) = verify(&repo, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["cached"], serde_json::Value::Null);
    assert_eq!(
        std::fs::read(&outside).unwrap(),
        before,
        "written through the link"
    );
}

#[test]
fn no_cache_and_range_do_not_go_together() {
    let (_dir, repo, _) = verified_example();
    let out = baseline_in(&repo)
        .args(["verify", "--no-cache", "--range", "HEAD~1..HEAD"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("--no-cache") && stderr.contains("--range"),
        "{stderr}"
    );
}

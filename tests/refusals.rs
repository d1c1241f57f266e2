//! Every rule the tool enforces: refused with an error that names the record and a
//! hint, exit code 1, and the repository exactly as it was (no commit, tag or file).

mod common;

use common::Design;

/// DOC and TAB with drafts 0.1, and approved decision DEC1 (2023-07-01, any artefact).
fn design() -> Design {
    let design = Design::with_artefacts();
    design.decision("DEC1", "2023-07-01", "approved", &[]);
    design
}

#[test]
fn unknown_decision() {
    let err = design().refused(&[
        "approve",
        "DOC",
        "--decision",
        "DEC404",
        "--date",
        "2023-07-01",
    ]);
    assert!(err.contains("no decision DEC404 is recorded"), "{err}");
}

#[test]
fn decision_that_did_not_approve() {
    let design = design();
    for outcome in ["rejected", "deferred", "noted"] {
        let id = format!("DEC-{outcome}");
        design.decision(&id, "2023-07-01", outcome, &[]);
        let err = design.refused(&["approve", "DOC", "--decision", &id, "--date", "2023-07-01"]);
        assert!(
            err.contains(&format!("decision {id} has outcome `{outcome}`")),
            "{err}"
        );
    }
}

#[test]
fn decision_dated_after_the_baseline() {
    let err = design().refused(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-30",
    ]);
    assert!(
        err.contains("decision DEC1 is dated 2023-07-01, after the baseline date 2023-06-30"),
        "{err}"
    );
}

#[test]
fn decision_that_lists_other_artefacts() {
    let design = design();
    design.decision("DEC-TAB", "2023-07-01", "approved", &["TAB"]);
    let err = design.refused(&[
        "approve",
        "DOC",
        "--decision",
        "DEC-TAB",
        "--date",
        "2023-07-01",
    ]);
    assert!(
        err.contains("decision DEC-TAB approves TAB, not DOC"),
        "{err}"
    );
}

#[test]
fn second_baseline_without_an_approved_change() {
    let design = design();
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-01",
    ]);
    design.write("artefacts/DOC/doc.md", "revised\n");
    design.ok(&["draft", "DOC", "--date", "2023-07-02"]);
    let err = design.refused(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-03",
    ]);
    assert!(
        err.contains("DOC is under change control (baselined at 1.0)"),
        "{err}"
    );

    design.ok(&[
        "change",
        "add",
        "CR1",
        "--title",
        "t",
        "--affects",
        "DOC",
        "--date",
        "2023-07-02",
    ]);
    let err = design.refused(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--change",
        "CR1",
        "--date",
        "2023-07-03",
    ]);
    assert!(err.contains("change CR1 is raised, not approved"), "{err}");

    design.ok(&[
        "change",
        "add",
        "CR2",
        "--title",
        "t",
        "--affects",
        "TAB",
        "--date",
        "2023-07-02",
    ]);
    let err = design.refused(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--change",
        "CR2",
        "--date",
        "2023-07-03",
    ]);
    assert!(err.contains("change CR2 does not affect DOC"), "{err}");
}

#[test]
fn change_control_can_be_switched_off_by_policy() {
    let design = design();
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-01",
    ]);
    // A recorded policy change: its own commit, citing the decision.
    design.ok(&[
        "policy",
        "set",
        "change_control",
        "false",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-01",
    ]);
    assert!(
        design
            .read("baseline.toml")
            .contains("change_control = false")
    );
    design.write("artefacts/DOC/doc.md", "revised\n");
    design.ok(&["draft", "DOC", "--date", "2023-07-02"]);
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-03",
    ]);

    // The second baseline was made as any other, citing no change.
    let record = design.read("artefacts/DOC/versions/2.0.toml");
    for line in [
        "version = \"2.0\"\n",
        "status = \"baselined\"\n",
        "date = \"2023-07-03\"\n",
        "promotes = \"1.1\"\n",
        "decisions = [\"DEC1\"]\n",
    ] {
        assert!(record.contains(line), "no `{}` in:\n{record}", line.trim());
    }
    assert!(!record.contains("changes"), "a change is cited:\n{record}");
    assert_eq!(design.git(&["tag", "-l"]), "DOC/v1.0\nDOC/v2.0\n");
    assert_eq!(design.git(&["cat-file", "-t", "DOC/v2.0"]).trim(), "tag");
    assert_eq!(
        design.git(&["rev-parse", "DOC/v2.0^{commit}"]),
        design.git(&["rev-parse", "HEAD"]),
        "the tag is on the commit that recorded the baseline"
    );
    assert_eq!(
        design.git(&["log", "-1", "--format=%s"]).trim(),
        "Baseline DOC v2.0 (DEC1)"
    );
    let tag = design.git(&["tag", "-l", "--format=%(contents)", "DOC/v2.0"]);
    assert!(tag.contains("Decisions: DEC1\n"), "{tag}");
    let trace = design.json(&["trace", "DOC@2.0"]);
    assert_eq!(trace["tag"]["matches"], true, "{trace}");
    assert_eq!(trace["changes"], serde_json::json!([]), "{trace}");
    assert_eq!(trace["promoted_draft"]["identical"], true, "{trace}");
    // verify judges the baseline by the policy of its day: no finding.
    let report = design.json(&["verify"]);
    assert_eq!(report["findings"], serde_json::json!([]), "{report}");
    assert_eq!(report["baselines"], 2, "{report}");
}

#[test]
fn rejected_or_withdrawn_change_cited() {
    let design = design();
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
        "add",
        "CR2",
        "--title",
        "t",
        "--affects",
        "DOC",
        "--date",
        "2023-06-01",
    ]);
    design.decision("DEC-NO", "2023-06-05", "rejected", &[]);
    design.ok(&[
        "change",
        "set",
        "CR1",
        "rejected",
        "--decision",
        "DEC-NO",
        "--date",
        "2023-06-05",
    ]);
    design.ok(&["change", "set", "CR2", "withdrawn", "--date", "2023-06-05"]);
    design.write("artefacts/DOC/doc.md", "revised\n");
    for (cr, state) in [("CR1", "rejected"), ("CR2", "withdrawn")] {
        let err = design.refused(&["draft", "DOC", "--change", cr, "--date", "2023-07-02"]);
        assert!(
            err.contains(&format!("change {cr} is {state} and can never be cited")),
            "{err}"
        );
        let err = design.refused(&[
            "approve",
            "DOC",
            "--decision",
            "DEC1",
            "--change",
            cr,
            "--date",
            "2023-07-02",
        ]);
        assert!(err.contains(&format!("change {cr} is {state}")), "{err}");
    }
}

#[test]
fn version_number_not_higher_than_all_existing() {
    let design = design();
    design.write("artefacts/DOC/doc.md", "revised\n");
    for version in ["0.1", "0.0.9", "0.1.0"] {
        let err = design.refused(&["draft", "DOC", "--version", version, "--date", "2023-07-02"]);
        assert!(err.contains("is not higher than 0.1"), "{err}");
    }
    design.ok(&["draft", "DOC", "--version", "0.5", "--date", "2023-07-02"]);
    let err = design.refused(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--version",
        "0.4",
        "--date",
        "2023-07-02",
    ]);
    assert!(err.contains("version 0.4 is not higher than 0.5"), "{err}");
}

#[test]
fn nothing_changed_since_the_latest_version() {
    let err = design().refused(&["draft", "DOC", "--date", "2023-07-02"]);
    assert!(
        err.contains("nothing changed: DOC's working file is identical to version 0.1"),
        "{err}"
    );
}

#[test]
fn baseline_with_no_draft_or_an_already_baselined_latest() {
    let design = design();
    design.write("in/new.md", "x\n");
    design.ok(&["add", "NEW", "--title", "New", "in/new.md"]);
    let err = design.refused(&[
        "approve",
        "NEW",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-02",
    ]);
    assert!(
        err.contains("NEW has no recorded draft to baseline"),
        "{err}"
    );
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-02",
    ]);
    let err = design.refused(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-02",
    ]);
    assert!(
        err.contains("latest version 1.0 is already baselined"),
        "{err}"
    );
    let err = design.refused(&[
        "approve",
        "TAB",
        "--decision",
        "DEC1",
        "--draft",
        "0.7",
        "--date",
        "2023-07-02",
    ]);
    assert!(err.contains("TAB has no version 0.7"), "{err}");
}

#[test]
fn dates_out_of_order() {
    let design = design();
    let err = design.refused(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-05-01",
    ]);
    assert!(
        err.contains("cannot promote draft 0.1, recorded for 2023-06-01"),
        "{err}"
    );
    design.write("artefacts/DOC/doc.md", "revised\n");
    let err = design.refused(&["draft", "DOC", "--date", "2023-05-01"]);
    assert!(
        err.contains("before 2023-06-01, the date of version 0.1"),
        "{err}"
    );
}

#[test]
fn duplicate_ids() {
    let design = design();
    let err = design.refused(&["add", "DOC", "--title", "Again", "in/doc.md"]);
    assert!(err.contains("artefact DOC is already registered"), "{err}");
    let err = design.refused(&["add", "doc", "--title", "Again", "in/doc.md"]);
    assert!(err.contains("artefact DOC is already registered"), "{err}");
    let err = design.refused(&[
        "decision",
        "add",
        "DEC1",
        "--date",
        "2023-07-01",
        "--outcome",
        "noted",
        "--text",
        "t",
    ]);
    assert!(err.contains("decision DEC1 is already recorded"), "{err}");
    design.ok(&["change", "add", "CR1", "--title", "t", "--affects", "DOC"]);
    let err = design.refused(&["change", "add", "CR1", "--title", "t", "--affects", "DOC"]);
    assert!(err.contains("change CR1 is already recorded"), "{err}");
}

#[test]
fn hostile_ids() {
    let design = design();
    for id in [
        "../x",
        "a/b",
        "",
        "x\u{1b}[31m",
        "tab\there",
        "..",
        "a\\b",
        "x.lock",
    ] {
        let err = design.refused(&["add", id, "--title", "Hostile", "in/doc.md"]);
        assert!(err.contains("is not allowed"), "{id:?}: {err}");
        let err = design.refused(&[
            "decision",
            "add",
            id,
            "--date",
            "2023-07-01",
            "--outcome",
            "noted",
            "--text",
            "t",
        ]);
        assert!(
            err.contains("is not allowed") || err.contains("does not match"),
            "{id:?}: {err}"
        );
    }
    let err = design.refused(&["change", "add", "XY1", "--title", "t", "--affects", "DOC"]);
    assert!(
        err.contains("does not match the programme's pattern"),
        "{err}"
    );
    assert!(!design.file("x").exists() && !design.file("../x").exists());
}

#[test]
fn files_that_do_not_exist_or_are_not_text() {
    let design = design();
    let err = design.refused(&["add", "NEW", "--title", "New", "in/missing.md"]);
    assert!(err.contains("in/missing.md does not exist"), "{err}");
    std::fs::write(
        design.file("in/binary.txt"),
        [0x89, b'P', b'N', b'G', 0, 0xff, 0xfe],
    )
    .unwrap();
    let err = design.refused(&["add", "NEW", "--title", "New", "in/binary.txt"]);
    assert!(err.contains("is not UTF-8 text"), "{err}");
    let err = design.refused(&["add", "NEW", "--title", "New", "in/photo.png"]);
    assert!(err.contains("does not know this kind of file"), "{err}");
    let err = design.refused(&["draft", "DOC", "in/binary.txt"]);
    assert!(err.contains("is not UTF-8 text"), "{err}");
    std::fs::remove_file(design.file("artefacts/DOC/doc.md")).unwrap();
    let output = design.run(&["draft", "DOC"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("artefacts/DOC/doc.md does not exist")
    );
}

#[test]
fn table_without_its_key_column() {
    let design = design();
    design.write("in/t.csv", "Flow,Name\nD1,a\n");
    let err = design.refused(&["add", "T2", "--title", "T", "--key", "D-Flow", "in/t.csv"]);
    assert!(
        err.contains("the table has no key column \"D-Flow\" (its columns are Flow, Name)"),
        "{err}"
    );
    let err = design.refused(&["draft", "TAB", "in/t.csv"]);
    assert!(err.contains("no key column"), "{err}");
}

#[test]
fn unknown_artefacts_and_changes() {
    let design = design();
    let err = design.refused(&["draft", "NOPE"]);
    assert!(err.contains("no artefact NOPE is registered"), "{err}");
    let err = design.refused(&["change", "add", "CR1", "--title", "t", "--affects", "NOPE"]);
    assert!(err.contains("no artefact NOPE is registered"), "{err}");
    let err = design.refused(&[
        "decision",
        "add",
        "DEC2",
        "--date",
        "2023-07-01",
        "--outcome",
        "approved",
        "--text",
        "t",
        "--change",
        "CR404",
    ]);
    assert!(err.contains("no change CR404 is recorded"), "{err}");
    let err = design.refused(&["trace", "NOTHING"]);
    assert!(
        err.contains("NOTHING is not a recorded decision, change, meeting, release or artefact"),
        "{err}"
    );
}

#[test]
fn a_hand_edited_record_is_named_with_its_line() {
    let design = design();
    let record = design
        .read("artefacts/DOC/versions/0.1.toml")
        .replace("status = \"draft\"", "status = \"final\"");
    design.write("artefacts/DOC/versions/0.1.toml", &record);
    design.git(&["commit", "-qam", "Edit by hand"]);
    let err = design.refused(&["log", "DOC"]);
    assert!(
        err.contains("artefacts/DOC/versions/0.1.toml at line 3"),
        "{err}"
    );
    assert!(err.contains("unknown variant `final`"), "{err}");
}

#[test]
fn outside_a_design_repository() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::baseline_in(dir.path())
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("hint: run `baseline init`"), "{err}");
    common::git_in(dir.path(), &["init", "-q"]);
    let out = common::baseline_in(dir.path())
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds no design repository"));
}

#[test]
fn without_a_git_identity() {
    let design = design();
    let home = tempfile::tempdir().unwrap();
    let before = design.snapshot();
    let out = design
        .cmd()
        .args(["change", "add", "CR1", "--title", "t", "--affects", "DOC"])
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("git config --global user.name"));
    assert_eq!(before, design.snapshot());
}

#[test]
fn bad_usage_exits_with_two() {
    let design = design();
    for args in [
        vec!["approve", "DOC"],
        vec!["draft", "DOC", "--date", "12/07/2023"],
        vec!["draft", "DOC", "--date", "1823-07-12"],
        vec!["draft", "DOC", "--date", "2223-07-12"],
        vec!["frobnicate"],
        vec!["draft", "DOC", "--version", "1"],
    ] {
        assert_eq!(design.run(&args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn one_line_fields_refuse_line_breaks() {
    let design = design();
    let out = design.run(&["add", "NEW", "--title", "two\nlines", "in/doc.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds a line break"));
    let out = design.run(&[
        "change",
        "add",
        "CR9",
        "--title",
        "x\u{1b}[2J",
        "--affects",
        "DOC",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn ids_differing_only_in_case_are_refused() {
    let design = design();
    design.decision("DEC-A", "2023-07-01", "noted", &[]);
    let err = design.refused(&[
        "decision",
        "add",
        "DEC-a",
        "--date",
        "2023-07-01",
        "--outcome",
        "noted",
        "--text",
        "t",
    ]);
    assert!(err.contains("decision DEC-A is already recorded"), "{err}");
}

#[test]
fn a_record_pointing_outside_its_folder_is_refused() {
    let design = design();
    let record = design
        .read("artefacts/DOC/artefact.toml")
        .replace("file = \"doc.md\"", "file = \"../../../etc/passwd\"");
    design.write("artefacts/DOC/artefact.toml", &record);
    design.git(&["commit", "-qam", "Hand edit"]);
    let err = design.refused(&["cat", "DOC@working"]);
    assert!(
        err.contains("artefacts/DOC/artefact.toml is not a record baseline wrote"),
        "{err}"
    );
}

#[test]
fn a_change_step_is_recorded_once() {
    let design = design();
    design.ok(&[
        "change",
        "add",
        "CR7",
        "--title",
        "Rename",
        "--affects",
        "DOC",
        "--date",
        "2023-06-01",
    ]);
    design.ok(&[
        "change",
        "set",
        "CR7",
        "impact-assessment",
        "--date",
        "2023-07-01",
    ]);
    let stderr = design.refused(&[
        "change",
        "set",
        "CR7",
        "impact-assessment",
        "--date",
        "2023-07-01",
    ]);
    assert!(
        stderr.starts_with("error: change CR7 is already impact-assessment on 2023-07-01: that step is recorded\nhint: "),
        "{stderr}"
    );
    // A later assessment is another step.
    design.ok(&[
        "change",
        "set",
        "CR7",
        "impact-assessment",
        "--date",
        "2023-07-08",
    ]);
}

#[test]
fn control_characters_in_records_and_names_are_shown_not_obeyed() {
    let design = design();
    // A decision committed by hand, by an author whose name clears the screen.
    let hostile = "Approved.\u{1b}[2J\u{1b}]0;pwned\u{7}\rForged \u{202e}txt.exe";
    design.write(
        "decisions/DEC-X.toml",
        &format!(
            "id = \"DEC-X\"\ndate = \"2023-07-01\"\noutcome = \"approved\"\ntext = {:?}\nrecorded_by = \"Mallory \\u001b[31m <m@example.org>\"\nrecorded_at = \"2023-07-01T10:00:00Z\"\n",
            hostile
        )
        .replace("\\u{1b}", "\\u001b")
        .replace("\\u{7}", "\\u0007")
        .replace("\\u{202e}", "\\u202e"),
    );
    design.git(&["add", "-A"]);
    design.git(&["commit", "-q", "-m", "a decision by hand"]);
    for args in [
        &["decision", "show", "DEC-X"][..],
        &["decision", "list"],
        &["trace", "DEC-X"],
    ] {
        let out = design.ok(args);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\r') && !out.contains('\u{7}'),
            "{args:?}: {out:?}"
        );
        assert!(!out.contains('\u{202e}'), "{args:?}: {out:?}");
        assert!(out.contains("<U+1B>"), "{args:?}: {out}");
    }
    let shown = design.ok(&["decision", "show", "DEC-X"]);
    assert!(
        shown.contains("Approved.<U+1B>[2J<U+1B>]0;pwned<U+7><U+D>Forged <U+202E>txt.exe"),
        "{shown}"
    );
    assert!(
        shown.contains("by Mallory <U+1B>[31m <m@example.org>"),
        "{shown}"
    );
}

#[test]
fn an_index_baseline_cannot_update_is_refused_before_anything_is_written() {
    let design = design();
    design.git(&["config", "core.splitIndex", "true"]);
    design.git(&["update-index", "--split-index"]);
    design.write("artefacts/DOC/doc.md", "# 1 Scope\n\nThe second text.\n");
    let stderr = design.refused(&["draft", "DOC"]);
    assert!(
        stderr.starts_with("error: git's index in this clone is in a form baseline cannot update (unsupported mandatory extension: 'link')\nhint: a split index (core.splitIndex) is the usual cause"),
        "{stderr}"
    );
    // As the hint says, and the draft is recorded and stays in the next plain commit.
    design.git(&["config", "core.splitIndex", "false"]);
    design.git(&["update-index", "--no-split-index"]);
    design.ok(&["draft", "DOC"]);
    design.write("notes.txt", "x\n");
    design.git(&["add", "notes.txt"]);
    design.git(&["commit", "-q", "-m", "a plain commit"]);
    assert!(
        design
            .git(&["ls-files"])
            .contains("artefacts/DOC/versions/0.2.toml")
    );
}

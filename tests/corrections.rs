//! Corrections, append-only: a change's title and affected artefacts amended,
//! a decision corrected or superseded — never a record edited in place — and
//! what show, trace, approve and verify make of them.

mod common;

use common::{Design, finding_codes, verify_report};

/// DOC and TAB (draft 0.1 each); DEC1 approves DOC on 2023-06-02.
fn design() -> Design {
    let design = Design::with_artefacts();
    design.decision("DEC1", "2023-06-02", "approved", &["DOC"]);
    design
}

fn findings(design: &Design) -> Vec<String> {
    finding_codes(&verify_report(design.path(), &["--no-cache"]).1)
}

/// Standard error of a command that must fail without changing anything, with a hint.
fn refused_any(design: &Design, args: &[&str]) -> String {
    let before = design.snapshot();
    let output = design.run(args);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!output.status.success(), "{args:?} should fail");
    assert!(stderr.contains("\nhint: "), "no hint in:\n{stderr}");
    assert_eq!(before, design.snapshot(), "{args:?} changed the repository");
    stderr
}

#[test]
fn a_change_amended_twice_shows_the_latest_and_keeps_every_amendment() {
    let design = design();
    design.ok(&[
        "change",
        "add",
        "CR027",
        "--title",
        "Wrong",
        "--affects",
        "DOC",
        "--date",
        "2023-06-01",
    ]);
    let commits = design.commit_count();
    design.ok(&[
        "change", "amend", "CR027", "--title", "Better", "--reason", "typo",
    ]);
    design.ok(&[
        "change",
        "amend",
        "CR027",
        "--title",
        "Right",
        "--affects",
        "DOC",
        "--affects",
        "TAB",
        "--reason",
        "the impact assessment found TAB",
    ]);
    assert_eq!(
        design.commit_count(),
        commits + 2,
        "one commit per amendment"
    );
    assert_says(
        &last_message(&design),
        &[
            "Baseline-Command: change amend",
            "Baseline-Change-Amended: CR027",
        ],
    );

    let json = design.json(&["change", "show", "CR027"]);
    assert_eq!(
        json["title"], "Wrong",
        "the record keeps the title it was raised with"
    );
    assert_eq!(json["current"]["title"], "Right");
    assert_eq!(
        json["current"]["affects"],
        serde_json::json!(["DOC", "TAB"])
    );
    let amendments = json["amendments"].as_array().unwrap();
    assert_eq!(amendments.len(), 2);
    assert_eq!(amendments[0]["title"], "Better");
    assert_eq!(amendments[0]["reason"], "typo");
    assert!(amendments[0]["affects"].is_null());
    assert_eq!(amendments[1]["affects"], serde_json::json!(["DOC", "TAB"]));
    let list = design.json(&["change", "list"]);
    assert_eq!(list[0]["current"]["title"], "Right");

    let shown = design.ok(&["change", "show", "CR027"]);
    assert!(shown.contains("CR CR027 — Right (raised)"), "{shown}");
    assert!(shown.contains("affects:  DOC, TAB"), "{shown}");
    assert!(shown.contains("raised as \"Wrong\""), "{shown}");
    assert!(shown.contains("title \"Better\""), "{shown}");
    assert!(shown.contains("the impact assessment found TAB"), "{shown}");

    // The amended artefacts are the ones rules use: TAB's draft may now cite it.
    design.write("artefacts/TAB/tab.csv", "D-Flow,Name\nD0012,Reading\n");
    design.ok(&["draft", "TAB", "--change", "CR027", "--date", "2023-06-03"]);
    assert_eq!(findings(&design), Vec::<String>::new());
}

#[test]
fn an_amendment_that_changes_nothing_or_names_unknown_records_is_refused() {
    let design = design();
    design.ok(&["change", "add", "CR1", "--title", "T", "--affects", "DOC"]);
    let same = refused_any(&design, &["change", "amend", "CR1", "--title", "T"]);
    assert!(same.contains("changes nothing"), "{same}");
    let none = refused_any(&design, &["change", "amend", "CR1"]);
    assert!(none.contains("CR1"), "{none}");
    let unknown = design.refused(&["change", "amend", "CR9", "--title", "X"]);
    assert!(unknown.contains("no change CR9"), "{unknown}");
    let artefact = design.refused(&["change", "amend", "CR1", "--affects", "NOPE"]);
    assert!(artefact.contains("no artefact NOPE"), "{artefact}");
}

#[test]
fn hand_editing_an_amendment_is_history_rewritten() {
    let design = design();
    design.ok(&["change", "add", "CR1", "--title", "T", "--affects", "DOC"]);
    design.ok(&["change", "amend", "CR1", "--title", "U", "--reason", "r"]);
    let text = design
        .read("changes/CR1.toml")
        .replace("title = \"U\"", "title = \"V\"");
    design.write("changes/CR1.toml", &text);
    design.git(&["commit", "-qam", "edit by hand"]);
    assert_eq!(findings(&design), ["history-rewritten changes/CR1.toml"]);
}

#[test]
fn a_decision_corrected_to_another_artefact_approves_that_one_only() {
    let design = design();
    design.ok(&[
        "decision",
        "correct",
        "DEC1",
        "--artefact",
        "TAB",
        "--reason",
        "minuted against the wrong artefact",
        "--date",
        "2023-06-02",
    ]);
    assert_eq!(
        design.git(&["ls-files", "corrections"]).trim(),
        "corrections/DEC1/1.toml"
    );
    assert_says(
        &last_message(&design),
        &[
            "Baseline-Command: decision correct",
            "Baseline-Decision-Corrected: DEC1/1",
            "Baseline-Decision: DEC1",
        ],
    );

    let old = design.refused(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-03",
    ]);
    assert!(
        old.contains("decision DEC1 approves TAB since correction 1, not DOC"),
        "{old}"
    );
    design.approve("TAB", "DEC1", "2023-06-03");

    let json = design.json(&["decision", "show", "DEC1"]);
    assert_eq!(json["artefacts"], serde_json::json!(["TAB"]));
    assert_eq!(json["text"], "Decided.");
    let correction = &json["corrections"][0];
    assert_eq!(correction["number"], 1);
    assert_eq!(correction["decision"], "DEC1");
    assert_eq!(correction["reason"], "minuted against the wrong artefact");
    assert_eq!(correction["artefacts"], serde_json::json!(["TAB"]));
    assert!(correction["text"].is_null());
    assert!(json["superseded_by"].is_null());
    assert_eq!(json["supersedes"], serde_json::json!([]));
    let shown = design.ok(&["decision", "show", "DEC1"]);
    assert!(shown.contains("correction 1 on 2023-06-02"), "{shown}");
    assert!(
        shown.contains("minuted against the wrong artefact"),
        "{shown}"
    );
    assert_eq!(findings(&design), Vec::<String>::new());
}

#[test]
fn a_baseline_made_before_its_decision_was_corrected_away_is_reported() {
    let design = design();
    design.approve("DOC", "DEC1", "2023-06-03");
    design.ok(&[
        "decision",
        "correct",
        "DEC1",
        "--artefact",
        "TAB",
        "--text",
        "Approves the table.",
        "--reason",
        "minuted against the wrong artefact",
    ]);
    let (code, report) = verify_report(design.path(), &["--no-cache"]);
    assert_eq!(code, 1);
    assert_eq!(
        finding_codes(&report),
        ["decision-corrected-after-baseline artefacts/DOC/versions/1.0.toml"]
    );
    let finding = &report["findings"][0];
    assert_eq!(finding["check"], "rule");
    assert_eq!(finding["repairable"], false);
    let text = finding["message"].as_str().unwrap_or_default().to_string()
        + finding["detail"].as_str().unwrap_or_default();
    let human = String::from_utf8(design.run(&["verify", "--no-cache"]).stdout).unwrap();
    assert!(
        human.contains("DEC1") && human.contains("correction 1"),
        "{human}\n{text}"
    );
}

#[test]
fn a_baseline_made_under_a_change_later_amended_away_from_it_is_reported() {
    let design = design();
    design.approve("DOC", "DEC1", "2023-06-03");
    let change = |args: &[&str]| design.ok(&[&["change"][..], args].concat());
    change(&[
        "add",
        "CR1",
        "--title",
        "Scope",
        "--affects",
        "DOC",
        "--date",
        "2023-06-04",
    ]);
    design.decision("DEC2", "2023-06-05", "approved", &["DOC"]);
    change(&["set", "CR1", "impact-assessment", "--date", "2023-06-04"]);
    change(&[
        "set",
        "CR1",
        "approved",
        "--decision",
        "DEC2",
        "--date",
        "2023-06-05",
    ]);
    design.write("artefacts/DOC/doc.md", "# 1 Scope\n\nThe second text.\n");
    design.ok(&["draft", "DOC", "--date", "2023-06-05"]);
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC2",
        "--change",
        "CR1",
        "--date",
        "2023-06-06",
    ]);
    assert_eq!(findings(&design), Vec::<String>::new());

    change(&[
        "amend",
        "CR1",
        "--affects",
        "TAB",
        "--reason",
        "assessed against the wrong artefact",
    ]);
    let (code, report) = verify_report(design.path(), &["--no-cache"]);
    assert_eq!(code, 1);
    assert_eq!(
        finding_codes(&report),
        ["change-amended-after-baseline artefacts/DOC/versions/2.0.toml"],
        "judged by CR1 as it stood, the baseline broke no rule"
    );
    assert_eq!(report["findings"][0]["check"], "rule");
    let message = report["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("CR1") && message.contains("affects only TAB"),
        "{message}"
    );
}

#[test]
fn hand_editing_a_decision_or_its_correction_is_still_record_edited() {
    let design = design();
    design.ok(&[
        "decision", "correct", "DEC1", "--text", "Better.", "--reason", "typo",
    ]);
    let text = design
        .read("decisions/DEC1.toml")
        .replace("Decided.", "Edited.");
    design.write("decisions/DEC1.toml", &text);
    let text = design
        .read("corrections/DEC1/1.toml")
        .replace("Better.", "Edited.");
    design.write("corrections/DEC1/1.toml", &text);
    design.git(&["commit", "-qam", "edit by hand"]);
    assert_eq!(
        findings(&design),
        [
            "record-edited corrections/DEC1/1.toml",
            "record-edited decisions/DEC1.toml"
        ]
    );
}

#[test]
fn corrections_that_change_nothing_or_name_unknown_records_are_refused() {
    let design = design();
    let output = design.run(&["decision", "correct", "DEC1", "--text", "X"]);
    assert_eq!(output.status.code(), Some(2), "--reason is required");
    let same = refused_any(
        &design,
        &[
            "decision",
            "correct",
            "DEC1",
            "--artefact",
            "DOC",
            "--reason",
            "r",
        ],
    );
    assert!(same.contains("correcting DEC1 changes nothing"), "{same}");
    let unknown = design.refused(&[
        "decision", "correct", "DEC9", "--text", "X", "--reason", "r",
    ]);
    assert!(unknown.contains("no decision DEC9"), "{unknown}");
    let artefact = design.refused(&[
        "decision",
        "correct",
        "DEC1",
        "--artefact",
        "NOPE",
        "--reason",
        "r",
    ]);
    assert!(artefact.contains("no artefact NOPE"), "{artefact}");
}

#[test]
fn a_superseded_decision_is_shown_both_ways_and_approves_nothing_new() {
    let design = design();
    design.approve("DOC", "DEC1", "2023-06-03");
    design.decision("DEC2", "2023-06-10", "approved", &["DOC", "TAB"]);
    design.ok(&["decision", "supersede", "DEC1", "--by", "DEC2"]);
    let message = last_message(&design);
    assert!(
        message.starts_with("Decision DEC1 superseded by DEC2"),
        "{message}"
    );
    assert_says(
        &message,
        &[
            "Baseline-Command: decision supersede",
            "Baseline-Superseded-By: DEC2",
        ],
    );

    let old = design.json(&["decision", "show", "DEC1"]);
    assert_eq!(old["superseded_by"], "DEC2");
    assert_eq!(old["corrections"][0]["date"], "2023-06-10");
    let new = design.json(&["decision", "show", "DEC2"]);
    assert_eq!(new["supersedes"], serde_json::json!(["DEC1"]));
    assert!(new["superseded_by"].is_null());
    assert!(design.ok(&["trace", "DEC1"]).contains("superseded by DEC2"));
    assert!(design.ok(&["trace", "DEC2"]).contains("supersedes: DEC1"));
    assert_eq!(design.json(&["trace", "DEC1"])["superseded_by"], "DEC2");
    assert_eq!(
        design.json(&["trace", "DEC2"])["supersedes"],
        serde_json::json!(["DEC1"])
    );
    // The version baselined under DEC1 still names it, and says it was superseded.
    assert!(
        design
            .ok(&["trace", "DOC@1.0"])
            .contains("superseded by DEC2")
    );

    let refused = design.refused(&[
        "approve",
        "TAB",
        "--decision",
        "DEC1",
        "--date",
        "2023-06-11",
    ]);
    assert!(
        refused.contains("decision DEC1 was superseded by DEC2"),
        "{refused}"
    );
    design.approve("TAB", "DEC2", "2023-06-11");
    assert_eq!(
        findings(&design),
        Vec::<String>::new(),
        "the old baseline stays valid"
    );
}

#[test]
fn superseding_by_itself_an_unknown_decision_or_in_a_loop_is_refused() {
    let design = design();
    design.decision("DEC2", "2023-06-10", "approved", &[]);
    design.decision("DEC3", "2023-06-11", "approved", &[]);
    let itself = refused_any(&design, &["decision", "supersede", "DEC1", "--by", "DEC1"]);
    assert!(itself.contains("DEC1 cannot supersede itself"), "{itself}");
    let unknown = design.refused(&["decision", "supersede", "DEC1", "--by", "DEC9"]);
    assert!(unknown.contains("no decision DEC9"), "{unknown}");
    design.ok(&["decision", "supersede", "DEC1", "--by", "DEC2"]);
    design.ok(&["decision", "supersede", "DEC2", "--by", "DEC3"]);
    let again = design.refused(&["decision", "supersede", "DEC1", "--by", "DEC3"]);
    assert!(again.contains("already superseded by DEC2"), "{again}");
    let looped = design.refused(&["decision", "supersede", "DEC3", "--by", "DEC1"]);
    assert!(
        looped.contains("would make a loop: DEC3 → DEC1 → DEC2 → DEC3"),
        "{looped}"
    );
    assert_eq!(findings(&design), Vec::<String>::new());
}

#[test]
fn a_correction_made_by_hand_naming_an_unrecorded_newer_decision_is_reported() {
    let design = design();
    design.decision("DEC2", "2023-06-10", "approved", &[]);
    design.ok(&["decision", "supersede", "DEC1", "--by", "DEC2"]);
    let made = design.read("corrections/DEC1/1.toml");
    assert!(made.contains("superseded_by = \"DEC2\""), "{made}");

    let forged = self::design();
    forged.write(
        "corrections/DEC1/1.toml",
        &made.replace("\"DEC2\"", "\"DEC-GHOST\""),
    );
    forged.git(&["add", "corrections"]);
    forged.git(&["commit", "--quiet", "-m", "Supersede DEC1"]);
    let (_, report) = verify_report(forged.path(), &["--no-cache"]);
    assert_eq!(
        finding_codes(&report),
        ["dangling-reference decisions/DEC1.toml"]
    );
    assert!(
        report["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("superseded by decision DEC-GHOST, which is not recorded"),
        "{report}"
    );
    // A push holding only the correction is checked too.
    let (_, pushed) = verify_report(forged.path(), &["--range", "HEAD~1..HEAD"]);
    assert_eq!(
        finding_codes(&pushed),
        ["dangling-reference decisions/DEC1.toml"]
    );
}

/// The last commit's message.
fn last_message(design: &Design) -> String {
    design.git(&["log", "-1", "--format=%B"])
}

/// `message` holds each of `lines`.
fn assert_says(message: &str, lines: &[&str]) {
    for line in lines {
        assert!(message.contains(line), "{line:?} not in:\n{message}");
    }
}

//! Interim releases (issue 17, point 1): a release records baselined versions
//! under an approved decision, with the approved changes it implements; it is
//! written once, never reuses an id, and verify holds it to that.

mod common;

use common::Design;

/// DOC and TAB baselined (1.0) under DEC1 on 2023-07-01; CR1, affecting DOC,
/// approved by DEC2 on 2023-07-02; CR2, affecting TAB, only raised.
fn design() -> Design {
    let design = Design::with_artefacts();
    design.decision("DEC1", "2023-07-01", "approved", &["DOC", "TAB"]);
    design.approve("DOC", "DEC1", "2023-07-01");
    design.approve("TAB", "DEC1", "2023-07-01");
    for (cr, affects) in [("CR1", "DOC"), ("CR2", "TAB")] {
        design.ok(&[
            "change",
            "add",
            cr,
            "--title",
            "A change",
            "--affects",
            affects,
            "--date",
            "2023-07-01",
        ]);
    }
    design.ok(&[
        "change",
        "set",
        "CR1",
        "impact-assessment",
        "--date",
        "2023-07-01",
    ]);
    design.ok(&[
        "decision",
        "add",
        "DEC2",
        "--date",
        "2023-07-02",
        "--outcome",
        "approved",
        "--text",
        "CR1 approved.",
        "--change",
        "CR1",
    ]);
    design.ok(&[
        "change",
        "set",
        "CR1",
        "approved",
        "--decision",
        "DEC2",
        "--date",
        "2023-07-02",
    ]);
    design
}

/// Records release `id` under `decision` on `date`, with `more` arguments.
fn release(design: &Design, id: &str, decision: &str, date: &str, more: &[&str]) -> String {
    let mut args = vec![
        "release",
        "create",
        id,
        "--decision",
        decision,
        "--date",
        date,
    ];
    args.extend(more);
    design.ok(&args)
}

/// Records DOC's next draft, with new text.
fn revise_doc(design: &Design, text: &str, date: &str) {
    design.write("artefacts/DOC/doc.md", text);
    design.ok(&["draft", "DOC", "--date", date]);
}

#[test]
fn a_release_records_its_baselines_decisions_and_changes_in_one_commit() {
    let design = design();
    let commits = design.commit_count();
    let said = release(
        &design,
        "IR1",
        "DEC2",
        "2023-07-03",
        &[
            "--title",
            "Interim Release 1",
            "--include",
            "DOC@1.0",
            "--change",
            "CR1",
        ],
    );
    assert_eq!(
        said,
        "Recorded release IR1 (2023-07-03): 1 artefact version, approved by DEC2\n"
    );
    assert_eq!(design.commit_count(), commits + 1);
    let message = design.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.contains("Baseline-Command: release create"),
        "{message}"
    );
    assert!(
        message.contains("Baseline-Release-Recorded: IR1"),
        "{message}"
    );

    let shown = design.json(&["release", "show", "IR1"]);
    assert_eq!(shown["id"], "IR1");
    assert_eq!(shown["title"], "Interim Release 1");
    assert_eq!(shown["decisions"], serde_json::json!(["DEC2"]));
    assert_eq!(shown["changes"], serde_json::json!(["CR1"]));
    assert_eq!(shown["artefacts"][0]["artefact"], "DOC");
    assert_eq!(shown["artefacts"][0]["version"], "1.0");
    let content = design.run(&["cat", "DOC@1.0"]).stdout;
    assert_eq!(
        shown["artefacts"][0]["sha256"],
        baseline::model::sha256_hex(&content)
    );
    assert!(shown["previous"].is_null());

    // The next release follows the latest one, and --all-baselined takes
    // every artefact's latest baseline.
    release(&design, "IR2", "DEC1", "2023-07-04", &["--all-baselined"]);
    let listed = design.json(&["release", "list"]);
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["IR1", "IR2"]);
    assert_eq!(listed[1]["previous"], "IR1");
    let artefacts: Vec<String> = listed[1]["artefacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{}@{}",
                i["artefact"].as_str().unwrap(),
                i["version"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(artefacts, ["DOC@1.0", "TAB@1.0"]);
    let table = design.ok(&["release", "list"]);
    assert!(table.contains("IR2") && table.contains("IR1"), "{table}");

    // A clean repository stays clean.
    let verified = design.ok(&["verify", "--no-cache"]);
    assert!(verified.contains("No findings"), "{verified}");
}

#[test]
fn a_release_that_breaks_a_rule_is_refused_and_nothing_is_written() {
    let design = design();
    release(&design, "IR1", "DEC1", "2023-07-03", &["--all-baselined"]);
    revise_doc(&design, "# 1 Scope\n\nThe next text.\n", "2023-07-05");
    design.decision("DEC-NOTED", "2023-07-01", "noted", &[]);
    let refusals: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["IR1", "--decision", "DEC1", "--all-baselined"],
            "release IR1 is already recorded",
        ),
        (
            vec!["ir1", "--decision", "DEC1", "--all-baselined"],
            "does not match the programme's pattern",
        ),
        (
            vec!["IR2", "--decision", "DEC1", "--include", "DOC@1.1"],
            "DOC v1.1 is a draft, not a baseline",
        ),
        (
            vec!["IR2", "--decision", "DEC1", "--include", "DOC@7.0"],
            "DOC has no version 7.0",
        ),
        (
            vec!["IR2", "--decision", "DEC1", "--include", "NOPE@1.0"],
            "NOPE",
        ),
        (
            vec![
                "IR2",
                "--decision",
                "DEC1",
                "--include",
                "DOC@1.0",
                "--include",
                "DOC@1.0",
            ],
            "DOC is included twice",
        ),
        (
            vec!["IR2", "--decision", "DEC-NOTED", "--all-baselined"],
            "only an approved decision can approve a release",
        ),
        (
            vec!["IR2", "--decision", "NO-SUCH", "--all-baselined"],
            "no decision NO-SUCH is recorded",
        ),
        (
            vec![
                "IR2",
                "--decision",
                "DEC2",
                "--date",
                "2023-07-01",
                "--all-baselined",
            ],
            "decision DEC2 is dated 2023-07-02, after the release date 2023-07-01",
        ),
        (
            vec![
                "IR2",
                "--decision",
                "DEC1",
                "--all-baselined",
                "--change",
                "CR2",
            ],
            "CR2 is raised, and a release implements only approved changes",
        ),
        (
            vec![
                "IR2",
                "--decision",
                "DEC1",
                "--include",
                "TAB@1.0",
                "--change",
                "CR1",
            ],
            "CR1 affects DOC, none of which the release includes",
        ),
        (
            vec![
                "IR2",
                "--decision",
                "DEC1",
                "--date",
                "2023-07-02",
                "--all-baselined",
            ],
            "release IR1 is dated 2023-07-03, after this release's date 2023-07-02",
        ),
    ];
    for (args, wanted) in refusals {
        let mut line = vec!["release", "create"];
        line.extend(args.iter().copied());
        if !args.contains(&"--date") {
            line.extend(["--date", "2023-07-10"]);
        }
        let stderr = design.refused(&line);
        assert!(stderr.contains(wanted), "{line:?}: {stderr}");
    }
    // Neither --include nor --all-baselined: a usage error from the parser.
    let out = design.run(&["release", "create", "IR2", "--decision", "DEC1"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_release_record_edited_by_hand_is_found_by_verify() {
    let design = design();
    release(&design, "IR1", "DEC1", "2023-07-03", &["--all-baselined"]);
    let text = design
        .read("releases/IR1.toml")
        .replace("2023-07-03", "2023-07-09");
    design.write("releases/IR1.toml", &text);
    design.git(&["commit", "-qam", "redate the release"]);
    let (code, report) = common::verify_report(design.path(), &["--no-cache"]);
    assert_eq!(code, 1, "{report}");
    let findings = common::finding_codes(&report);
    assert_eq!(findings, ["record-edited releases/IR1.toml"]);
}

#[test]
fn trace_follows_a_release_and_names_the_releases_of_a_version() {
    let design = design();
    release(
        &design,
        "IR1",
        "DEC2",
        "2023-07-03",
        &["--include", "DOC@1.0", "--change", "CR1"],
    );
    release(&design, "IR2", "DEC1", "2023-07-04", &["--all-baselined"]);
    let traced = design.json(&["trace", "IR1"]);
    assert_eq!(traced["kind"], "release");
    assert_eq!(traced["release"]["id"], "IR1");
    assert_eq!(traced["decisions"][0]["id"], "DEC2");
    assert_eq!(traced["changes"][0]["id"], "CR1");
    assert_eq!(traced["changes"][0]["state"], "approved");
    assert_eq!(traced["versions"][0]["artefact"], "DOC");
    assert_eq!(traced["versions"][0]["status"], "baselined");

    assert_eq!(
        design.json(&["trace", "DOC@1.0"])["releases"],
        serde_json::json!(["IR1", "IR2"])
    );
    assert_eq!(
        design.json(&["trace", "TAB@1.0"])["releases"],
        serde_json::json!(["IR2"])
    );
    let printed = design.ok(&["trace", "IR2"]);
    assert!(printed.contains("Versions it contains"), "{printed}");
    assert!(printed.contains("TAB@1.0"), "{printed}");
}

/// A release committed by hand, not through `release create`, is held to the
/// same rules: a draft slipped in, a hash that is not the version's, an
/// unapproved change.
#[test]
fn a_release_committed_by_hand_that_breaks_the_rules_is_found() {
    let design = design();
    revise_doc(&design, "# 1 Scope\n\nThe next text.\n", "2023-07-05");
    let doc_draft = design.json(&["show", "DOC@1.1"]);
    let sha = |v: &serde_json::Value| {
        v["sha256"]
            .as_str()
            .or_else(|| v["version"]["sha256"].as_str())
            .unwrap()
            .to_string()
    };
    let record = format!(
        "id = \"IR9\"\ndate = \"2023-07-06\"\ndecisions = [\"DEC1\"]\nchanges = [\"CR2\"]\n\
         recorded_by = \"Someone <s@example.org>\"\nrecorded_at = \"2023-07-06T09:00:00Z\"\n\n\
         [[artefacts]]\nartefact = \"DOC\"\nversion = \"1.1\"\nsha256 = \"{}\"\n\n\
         [[artefacts]]\nartefact = \"TAB\"\nversion = \"1.0\"\nsha256 = \"{}\"\n",
        sha(&doc_draft),
        "0".repeat(64)
    );
    design.write("releases/IR9.toml", &record);
    design.git(&["add", "releases/IR9.toml"]);
    design.git(&["commit", "-qm", "a release by hand"]);
    for options in [&["--no-cache"][..], &[]] {
        let mut args = vec!["verify", "--format", "json"];
        args.extend(options);
        let out = design.run(&args);
        assert_eq!(out.status.code(), Some(1), "{options:?}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let messages: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "rule-broken" && f["record"] == "releases/IR9.toml")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect();
        let all = messages.join("\n");
        for wanted in [
            "DOC v1.1 is a draft, not a baseline",
            "the release gives TAB v1.0 the sha256 0000",
            "CR2 is raised, and a release implements only approved changes",
        ] {
            assert!(all.contains(wanted), "{options:?}: no `{wanted}` in\n{all}");
        }
    }
}

#[test]
fn a_redline_of_two_releases_lists_each_artefact_and_redlines_the_changed_ones() {
    let design = design();
    release(
        &design,
        "IR1",
        "DEC1",
        "2023-07-03",
        &["--include", "DOC@1.0"],
    );
    revise_doc(&design, "# 1 Scope\n\nThe revised text.\n", "2023-07-05");
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--change",
        "CR1",
        "--date",
        "2023-07-06",
    ]);
    release(
        &design,
        "IR2",
        "DEC2",
        "2023-07-07",
        &["--all-baselined", "--change", "CR1"],
    );

    let json = design.json(&["redline", "--release", "IR1", "IR2"]);
    assert_eq!(json["from"]["id"], "IR1");
    assert_eq!(json["to"]["id"], "IR2");
    assert_eq!(
        json["artefacts"],
        serde_json::json!([
            {"artefact": "DOC", "change": "changed", "from": "1.0", "to": "2.0"},
            {"artefact": "TAB", "change": "added", "from": null, "to": "1.0"},
        ])
    );
    assert_eq!(json["changes"], serde_json::json!(["CR1"]));
    assert_eq!(json["decisions"], serde_json::json!(["DEC2"]));
    let redlines = json["redlines"].as_array().unwrap();
    assert_eq!(redlines.len(), 1);
    assert_eq!(redlines[0]["from"]["version"], "1.0");
    assert_eq!(redlines[0]["to"]["version"], "2.0");

    let printed = design.ok(&["redline", "--release", "IR1", "IR2"]);
    assert!(
        printed.contains("Release IR2 (2023-07-07) against IR1 (2023-07-03)"),
        "{printed}"
    );
    assert!(
        printed.contains("revised"),
        "the DOC redline is shown: {printed}"
    );
    let stderr = design.refused(&["redline", "--release", "IR2", "IR1"]);
    assert!(
        stderr.contains("name the older release first: --release IR1 IR2"),
        "{stderr}"
    );
    let out = design.run(&["redline", "--release", "IR1", "IR2", "--format", "docx"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "one Word file cannot hold a release"
    );
}

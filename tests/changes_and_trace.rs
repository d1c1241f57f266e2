//! Change requests through their lifecycle, mutual exclusion, and traces in all
//! three directions (human and JSON).

mod common;

use common::Design;

/// DOC (draft 0.1) and OC (draft 0.1); CR017 and CR018 (excludes CR017) affect
/// OC and are in impact assessment; DEC60 decides both.
fn design() -> Design {
    let design = Design::with_artefacts();
    design.write("in/oc.md", "# OC\n\nTimeframes.\n");
    design.ok(&[
        "add",
        "OC",
        "--title",
        "Operational Choreography",
        "in/oc.md",
    ]);
    design.ok(&["draft", "OC", "--date", "2023-05-10"]);
    design.ok(&[
        "change",
        "add",
        "CR017",
        "--title",
        "Alternative",
        "--affects",
        "OC",
        "--date",
        "2023-01-11",
    ]);
    design.ok(&[
        "change",
        "add",
        "CR018",
        "--title",
        "Near real time",
        "--affects",
        "OC",
        "--excludes",
        "CR017",
        "--date",
        "2023-01-25",
    ]);
    design.ok(&[
        "change",
        "set",
        "CR017",
        "impact-assessment",
        "--date",
        "2023-02-08",
    ]);
    design.ok(&[
        "change",
        "set",
        "CR018",
        "impact-assessment",
        "--date",
        "2023-02-08",
    ]);
    design.ok(&[
        "decision",
        "add",
        "DEC60",
        "--date",
        "2023-07-14",
        "--outcome",
        "approved",
        "--meeting",
        "DAG026",
        "--authority",
        "SRO",
        "--text",
        "The SRO approved CR018",
        "--change",
        "CR018",
        "--change",
        "CR017",
    ]);
    design
}

#[test]
fn approving_a_change_rejects_what_it_excludes_in_the_same_commit() {
    let design = design();
    let before = design.commit_count();
    let out = design.ok(&[
        "change",
        "set",
        "CR018",
        "approved",
        "--decision",
        "DEC60",
        "--date",
        "2023-07-14",
        "--release",
        "IR4",
    ]);
    assert!(out.contains("CR017 is now rejected"), "{out}");
    assert_eq!(design.commit_count(), before + 1);
    let files = design.git(&["show", "--name-only", "--format=%s", "HEAD"]);
    assert_eq!(
        files,
        "CR018 approved by DEC60; CR017 rejected\n\nchanges/CR017.toml\nchanges/CR018.toml\n"
    );

    let cr017 = design.json(&["change", "show", "CR017"]);
    let last = cr017["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["state"], "rejected");
    assert_eq!(last["decision"], "DEC60");
    assert_eq!(last["date"], "2023-07-14");
    let cr018 = design.json(&["change", "show", "CR018"]);
    let states: Vec<&str> = cr018["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["raised", "impact-assessment", "approved"]);
    assert_eq!(cr018["history"][2]["release"], "IR4");
}

#[test]
fn exclusion_works_from_either_side() {
    let design = design();
    design.ok(&[
        "change",
        "set",
        "CR017",
        "approved",
        "--decision",
        "DEC60",
        "--date",
        "2023-07-14",
    ]);
    let approved = design.json(&["change", "show", "CR017"]);
    assert_eq!(approved["history"][2]["state"], "approved", "{approved}");
    let rejected = design.json(&["change", "show", "CR018"]);
    let step = &rejected["history"][2];
    assert_eq!(step["state"], "rejected", "{rejected}");
    assert_eq!(step["decision"], "DEC60", "{rejected}");
    assert_eq!(step["date"], "2023-07-14", "{rejected}");
    assert_eq!(
        rejected["history"].as_array().unwrap().len(),
        3,
        "{rejected}"
    );
}

#[test]
fn lifecycle_rules_are_enforced() {
    let design = design();
    let err = design.refused(&["change", "set", "CR018", "approved", "--date", "2023-07-14"]);
    assert!(err.contains("can only be approved by a decision"), "{err}");
    let err = design.refused(&[
        "change",
        "set",
        "CR018",
        "approved",
        "--decision",
        "DEC60",
        "--date",
        "2023-07-13",
    ]);
    assert!(
        err.contains("decision DEC60 is dated 2023-07-14, after this step's date 2023-07-13"),
        "{err}"
    );
    let err = design.refused(&[
        "change",
        "set",
        "CR018",
        "impact-assessment",
        "--date",
        "2023-01-01",
    ]);
    assert!(err.contains("before its last step"), "{err}");
    design.ok(&[
        "decision",
        "add",
        "DEC61",
        "--date",
        "2023-07-14",
        "--outcome",
        "noted",
        "--text",
        "Noted",
    ]);
    let err = design.refused(&[
        "change",
        "set",
        "CR018",
        "approved",
        "--decision",
        "DEC61",
        "--date",
        "2023-07-14",
    ]);
    assert!(
        err.contains("decision DEC61 has outcome `noted`, so it cannot approve CR018"),
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
        "2023-07-01",
    ]);
    let err = design.refused(&[
        "change",
        "set",
        "CR1",
        "approved",
        "--decision",
        "DEC60",
        "--date",
        "2023-07-14",
    ]);
    assert!(err.contains("cannot go from raised to approved"), "{err}");
    design.ok(&[
        "change",
        "set",
        "CR1",
        "impact-assessment",
        "--date",
        "2023-07-14",
    ]);
    let err = design.refused(&[
        "change",
        "set",
        "CR1",
        "approved",
        "--decision",
        "DEC60",
        "--date",
        "2023-07-14",
    ]);
    assert!(
        err.contains("decision DEC60 decides CR018, CR017, not CR1"),
        "{err}"
    );
    design.ok(&[
        "change",
        "set",
        "CR018",
        "approved",
        "--decision",
        "DEC60",
        "--date",
        "2023-07-14",
    ]);
    let err = design.refused(&[
        "change",
        "set",
        "CR017",
        "impact-assessment",
        "--date",
        "2023-07-15",
    ]);
    assert!(
        err.contains("cannot go from rejected to impact-assessment"),
        "{err}"
    );
    let err = design.refused(&[
        "change",
        "set",
        "CR017",
        "approved",
        "--decision",
        "DEC60",
        "--date",
        "2023-07-15",
    ]);
    assert!(err.contains("cannot go from rejected to approved"), "{err}");
}

#[test]
fn trace_a_version_back_to_its_decisions_and_changes() {
    let design = design();
    design.ok(&[
        "change",
        "set",
        "CR018",
        "approved",
        "--decision",
        "DEC60",
        "--date",
        "2023-07-14",
    ]);
    design.write("artefacts/OC/oc.md", "# OC\n\nNear real time.\n");
    design.ok(&["draft", "OC", "--change", "CR018", "--date", "2023-07-20"]);
    design.ok(&[
        "decision",
        "add",
        "DEC70",
        "--date",
        "2023-08-09",
        "--outcome",
        "approved",
        "--artefact",
        "OC",
        "--text",
        "Baseline the OC",
    ]);
    design.ok(&[
        "approve",
        "OC",
        "--decision",
        "DEC70",
        "--change",
        "CR018",
        "--date",
        "2023-08-09",
    ]);
    let head = design.git(&["rev-parse", "HEAD"]).trim().to_string();

    let t = design.json(&["trace", "OC@1.0"]);
    assert_eq!(t["kind"], "version");
    assert_eq!(t["artefact"]["id"], "OC");
    assert_eq!(t["version"]["version"], "1.0");
    assert_eq!(t["version"]["status"], "baselined");
    assert_eq!(t["version"]["recorded_by"], common::WHO);
    assert_eq!(t["commit"], head);
    assert_eq!(t["tag"]["name"], "OC/v1.0");
    assert_eq!(t["tag"]["target"], head);
    assert_eq!(t["tag"]["matches"], true);
    assert_eq!(t["promoted_draft"]["version"], "0.2");
    assert_eq!(t["promoted_draft"]["identical"], true);
    assert_eq!(t["decisions"][0]["id"], "DEC70");
    assert_eq!(t["decisions"][0]["text"], "Baseline the OC");
    assert_eq!(t["changes"][0]["id"], "CR018");
    assert_eq!(t["changes"][0]["state"], "approved");
    assert_eq!(t["changes"][0]["approved"]["decision"], "DEC60");
    assert_eq!(t["previous"]["version"], "0.2");
    assert!(t["next"].is_null());
    let blob = design.git(&["rev-parse", "HEAD:artefacts/OC/oc.md"]);
    assert_eq!(t["version"]["blob"], blob.trim());

    let draft = design.json(&["trace", "OC@0.2"]);
    assert_eq!(
        draft["commit"],
        design.git(&["rev-parse", "HEAD~2"]).trim(),
        "the draft was recorded before DEC70"
    );
    assert!(draft["tag"].is_null());
    assert_eq!(draft["next"]["version"], "1.0");

    let human = design.ok(&["trace", "OC@baseline"]);
    for text in [
        "OC 1.0 — Operational Choreography",
        "tag:         OC/v1.0 (points at that commit)",
        "draft:       0.2 (byte-identical)",
        "DEC70 — approved on 2023-08-09",
        "CR CR018 — Near real time (approved, approved 2023-07-14 by DEC60)",
    ] {
        assert!(human.contains(text), "{text:?} missing from\n{human}");
    }
}

#[test]
fn trace_a_decision_and_a_change_forward() {
    let design = design();
    design.ok(&[
        "change",
        "set",
        "CR018",
        "approved",
        "--decision",
        "DEC60",
        "--date",
        "2023-07-14",
    ]);
    design.write("artefacts/OC/oc.md", "# OC\n\nNear real time.\n");
    design.ok(&["draft", "OC", "--change", "CR018", "--date", "2023-07-20"]);
    design.ok(&[
        "approve",
        "OC",
        "--decision",
        "DEC60",
        "--change",
        "CR018",
        "--date",
        "2023-07-21",
    ]);

    let d = design.json(&["trace", "DEC60"]);
    assert_eq!(d["kind"], "decision");
    assert_eq!(d["decision"]["meeting"], "DAG026");
    let versions: Vec<String> = d["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            format!(
                "{}@{}",
                v["artefact"].as_str().unwrap(),
                v["version"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(versions, ["OC@1.0"]);
    let steps: Vec<String> = d["change_steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s["change"].as_str().unwrap(),
                s["step"]["state"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(steps, ["CR017 rejected", "CR018 approved"]);

    let c = design.json(&["trace", "CR018"]);
    assert_eq!(c["kind"], "change");
    assert_eq!(c["change"]["history"].as_array().unwrap().len(), 3);
    assert_eq!(c["decisions"][0]["id"], "DEC60");
    let versions: Vec<&str> = c["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["0.2", "1.0"]);
    let cr017 = design.json(&["trace", "CR017"]);
    assert_eq!(cr017["excluded_by"][0], "CR018");
    assert!(cr017["versions"].as_array().unwrap().is_empty());

    let human = design.ok(&["trace", "DEC60"]);
    assert!(
        human.contains("OC@1.0") && human.contains("CR017 rejected on 2023-07-14"),
        "{human}"
    );
}

#[test]
fn trace_index_survives_history_made_elsewhere() {
    let design = design();
    design.write("artefacts/OC/oc.md", "# OC\n\nv2\n");
    design.ok(&["draft", "OC", "--date", "2023-07-20"]);
    design.ok(&["trace", "OC@0.2"]);
    design.write("unrelated.txt", "x\n");
    design.git(&["add", "unrelated.txt"]);
    design.git(&["commit", "-qm", "Unrelated work"]);
    design.write("artefacts/OC/oc.md", "# OC\n\nv3\n");
    design.ok(&["draft", "OC", "--date", "2023-07-21"]);
    let t = design.json(&["trace", "OC@0.3"]);
    assert_eq!(t["commit"], design.git(&["rev-parse", "HEAD"]).trim());
    let old = design.json(&["trace", "OC@0.2"]);
    assert_eq!(old["commit"], design.git(&["rev-parse", "HEAD~2"]).trim());
    std::fs::remove_file(design.path().join(".git/baseline/commits.idx")).unwrap();
    assert_eq!(design.json(&["trace", "OC@0.2"])["commit"], old["commit"]);
}

#[test]
fn decision_and_change_registers() {
    let design = design();
    let decisions = design.json(&["decision", "list"]);
    assert_eq!(decisions[0]["id"], "DEC60");
    assert_eq!(decisions[0]["authority"], "SRO");
    let shown = design.ok(&["decision", "show", "DEC60"]);
    assert!(
        shown.contains("meeting:   DAG026") && shown.contains("text:      The SRO approved CR018"),
        "{shown}"
    );
    let changes = design.ok(&["change", "list"]);
    assert!(
        changes
            .lines()
            .any(|l| l.starts_with("CR018") && l.contains("impact-assessment") && l.contains("OC")),
        "{changes}"
    );
    let json = design.json(&["change", "list"]);
    assert_eq!(json.as_array().unwrap().len(), 2);
}

#[test]
fn trace_believes_only_the_commit_that_recorded_the_version() {
    let design = Design::with_artefacts();
    design.decision("DEC1", "2023-07-01", "approved", &["DOC"]);
    design.approve("DOC", "DEC1", "2023-07-01");
    let recorded = design.git(&["rev-parse", "DOC/v1.0^{commit}"]);
    // A later commit whose trailers claim it recorded DOC 1.0 (it records nothing).
    design.git(&[
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "Baseline DOC 1.0\n\nBaseline-Command: approve\nBaseline-Artefact: DOC\nBaseline-Version: 1.0\nBaseline-Status: baselined\nBaseline-Decision: DEC-FORGED",
    ]);
    let trace = design.json(&["trace", "DOC@1.0"]);
    assert_eq!(trace["commit"], recorded.trim(), "{trace}");
    assert_eq!(trace["tag"]["matches"], true, "{trace}");
}

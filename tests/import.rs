//! `baseline import report` on the real DAG026 headline report and variations of
//! it, and the meeting and action commands over what it records.

mod common;

use common::Design;
use serde_json::{Value, json};

fn reference() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/dag026/DAG026-headline-report.txt"),
    )
    .unwrap()
}

/// A repository with the artefacts DAG026 baselined registered, so decisions can
/// name them.
fn design() -> Design {
    let design = Design::new();
    for (id, title, file) in [
        ("DIP-ICC", "Interface Code of Connections", "icc.md"),
        ("DIP-PKI-CP", "DIP PKI Certificate Profiles", "cp.md"),
        ("DIP-PKI-POL", "DIP PKI Policy", "pol.md"),
        ("DES196", "D-Flow and Interface Mapping", "des196.md"),
    ] {
        design.write(&format!("in/{file}"), &format!("# {title}\n"));
        design.ok(&["add", id, "--title", title, &format!("in/{file}")]);
    }
    design
}

fn import(design: &Design, name: &str, text: &str, extra: &[&str]) -> Value {
    design.write(&format!("reports/{name}"), text);
    let path = format!("reports/{name}");
    let mut args = vec!["import", "report", path.as_str()];
    args.extend(extra);
    design.json(&args)
}

/// What importing `text` would record, without recording it.
fn dry_run(design: &Design, name: &str, text: &str) -> Value {
    import(design, name, text, &["--dry-run"])
}

/// The warnings of an import's plan.
fn warnings(plan: &Value) -> &Vec<Value> {
    plan["warnings"].as_array().unwrap()
}

fn records<'v>(plan: &'v Value, kind: &str) -> Vec<&'v Value> {
    plan[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| &item["record"])
        .collect()
}

fn find<'v>(plan: &'v Value, kind: &str, id: &str) -> &'v Value {
    records(plan, kind)
        .into_iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no {kind} {id} in {plan:#}"))
}

/// A record without who recorded it and when: what the report itself says.
fn essence(record: &Value) -> Value {
    let mut record = record.clone();
    if let Some(map) = record.as_object_mut() {
        map.remove("recorded_at");
        map.remove("recorded_by");
        map.remove("report");
        if let Some(Value::Array(steps)) = map.get_mut("history") {
            for step in steps {
                let step = step.as_object_mut().unwrap();
                step.remove("recorded_at");
                step.remove("recorded_by");
            }
        }
    }
    record
}

/// The plan warns `message` at `line`.
fn assert_warned(plan: &Value, line: usize, message: &str) {
    let warned = json!({"line": line, "message": message});
    assert!(
        warnings(plan).contains(&warned),
        "no {warned} in {:#}",
        plan["warnings"]
    );
}

fn essences(plan: &Value, kind: &str) -> Vec<Value> {
    records(plan, kind).into_iter().map(essence).collect()
}

#[test]
fn the_reference_report_is_imported_field_by_field() {
    let design = design();
    let before = design.commit_count();
    let plan = import(&design, "DAG026.txt", &reference(), &[]);
    assert_eq!(plan["recorded"], true);
    assert_eq!(
        design.commit_count(),
        before + 1,
        "one commit for the whole import"
    );

    let meeting = &plan["meeting"]["record"];
    assert_eq!(
        essence(meeting),
        json!({
            "id": "DAG026",
            "body": "MHHS Design Advisory Group (DAG)",
            "date": "2023-07-12",
            "time": "10:00-13:00",
            "venue": "Virtual – MS Teams",
            "classification": "Public",
            "decisions": ["DAG-DEC55", "DAG-DEC56", "DAG-DEC57", "DAG-DEC58", "DAG-DEC59", "DAG-DEC60"],
            "actions": ["DAG26-01", "DAG26-02", "DAG26-03", "DAG26-04", "DAG20.1-12", "DAG20.1-04", "DAG20-03", "DAG17-02"],
            "next_meeting": "2023-08-09"
        })
    );
    assert_eq!(meeting["report"]["issued"], "2023-07-14");
    assert_eq!(meeting["report"]["file"], "DAG026.txt");

    let decisions = [
        (
            "DAG-DEC55",
            "Minutes and actions",
            "approved",
            None,
            "2023-07-12",
            "Minutes and Headline Report of DAG meeting held 14 June 2023 approved with no amendments",
            json!([]),
            json!([]),
        ),
        (
            "DAG-DEC56",
            "DIP Design Documents",
            "approved",
            Some("SRO"),
            "2023-07-12",
            "The SRO approved the baselining of the Interface Code of Connections, the DIP PKI Certificate Profiles, and DIP PKI Policy",
            // Named by title, not id: suggested (below), never linked.
            json!([]),
            json!([]),
        ),
        (
            "DAG-DEC57",
            "D-Flow and Interface Mapping (DES196)",
            "approved",
            Some("SRO"),
            "2023-07-12",
            "The SRO approved the baselining of the DES196 D-Flow and Interface Mapping",
            json!(["DES196"]),
            json!([]),
        ),
        (
            "DAG-DEC58",
            "CR027 Impact Assessment",
            "approved",
            Some("DAG"),
            "2023-07-12",
            "The DAG approved the issuance of Programme Change Requests (CR) 027 to Impact Assessment",
            json!([]),
            json!(["CR027"]),
        ),
        (
            "DAG-DEC59",
            "CR024 & CR025 Decision",
            "approved",
            Some("SRO"),
            "2023-07-12",
            "The SRO approved CR025, subject to the agreed implementation approach (Data Integration Platform (DIP) Interface Name Changes)",
            json!([]),
            json!(["CR025"]),
        ),
        (
            "DAG-DEC60",
            "CR017 & CR018 Next Steps",
            "approved",
            Some("DAG Chair (post-meeting determination)"),
            "2023-07-14",
            "The SRO approved CR018. Post-meeting update: The DAG Chair determined CR018 should be approved, and CR017 rejected. Further rationale for the decision will be provided within the meeting minutes.",
            json!([]),
            json!(["CR018", "CR017"]),
        ),
    ];
    assert_eq!(records(&plan, "decisions").len(), decisions.len());
    for (id, area, outcome, authority, date, text, artefacts, changes) in decisions {
        let d = find(&plan, "decisions", id);
        assert_eq!(d["area"], area, "{id} area");
        assert_eq!(d["outcome"], outcome, "{id} outcome");
        assert_eq!(d["authority"], json!(authority), "{id} authority");
        assert_eq!(d["date"], date, "{id} date");
        assert_eq!(d["text"], text, "{id} text");
        assert_eq!(d["meeting"], "DAG026", "{id} meeting");
        assert_eq!(
            d.get("artefacts").cloned().unwrap_or(json!([])),
            artefacts,
            "{id} artefacts"
        );
        assert_eq!(
            d.get("changes").cloned().unwrap_or(json!([])),
            changes,
            "{id} changes"
        );
    }

    let actions = [
        (
            "DAG26-01",
            "DES-196 D-Flow and Interface Mapping",
            "Programme (Matt McKeon)",
            "2023-08-09",
            "Programme to seek clarity on whether/how D-Flows will be available for System Integration Testing (SIT) and return to DAG for discussion",
        ),
        (
            "DAG26-02",
            "CR027 Impact Assessment",
            "Programme (PMO)",
            "2023-07-14",
            "PMO to ensure the attachment to CR027 is included when the CR is issued for Impact Assessment and published alongside the CR on the MHHS website.",
        ),
        (
            "DAG26-03",
            "CR024 & CR025 Decision",
            "RECCo (Sarah Jones)",
            "ASAP",
            "RECCO to amend CR024 with updates agreed by DAG, and provide a version 2.0 to Programme",
        ),
        (
            "DAG26-04",
            "CR024 & CR025 Decision",
            "Programme (PMO)",
            "ASAP",
            "Programme to re-issue CR024 for a five working day Impact Assessment with specific question on delivery/implementation timescale impacts, following receipt of amended CR from RECCo",
        ),
        (
            "DAG20.1-12",
            "Previous Meeting(s)",
            "Programme (Ian Smith)",
            "2023-04-12",
            "Programme to consider how to provide clarity on the data services for import/export meters and how Programme Participants can be given visibility of this",
        ),
        (
            "DAG20.1-04",
            "Previous Meeting(s)",
            "Programme (Ian Smith)",
            "2023-02-15",
            "Programme to confirm which role code MDS would use (current presumption is SVA code)",
        ),
        (
            "DAG20-03",
            "Previous Meeting(s)",
            "DAG Members",
            "2023-04-12",
            "DAG members to provide any views on the role of DAG post M5 Work-Off Plan completion to support review of DAG ToR",
        ),
        (
            "DAG17-02",
            "Previous Meeting(s)",
            "Chair",
            "2022-12-14",
            "Chair to review the DAG Terms of Reference to ensure there is clarity over the role of DAG post-M5",
        ),
    ];
    assert_eq!(records(&plan, "actions").len(), actions.len());
    for (id, area, owner, due, text) in actions {
        let a = find(&plan, "actions", id);
        assert_eq!(a["area"], area, "{id} area");
        assert_eq!(a["owner"], owner, "{id} owner");
        assert_eq!(a["due"], due, "{id} due");
        assert_eq!(a["text"], text, "{id} text");
        assert_eq!(a["meeting"], "DAG026", "{id} meeting");
        assert_eq!(a["history"][0]["state"], "open", "{id} state");
    }
    assert_eq!(
        find(&plan, "actions", "DAG20-03")["history"][0]["note"],
        "Actions retained as ongoing pending updates to the DAG Terms of Reference."
    );
    assert_eq!(
        find(&plan, "actions", "DAG26-03")["changes"],
        json!(["CR024"])
    );

    let steps = |id: &str| -> Vec<(String, String)> {
        find(&plan, "changes", id)["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["state"].as_str().unwrap().to_string(),
                    s["decision"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let step = |state: &str, decision: &str| (state.to_string(), decision.to_string());
    assert_eq!(
        steps("CR027"),
        [step("raised", ""), step("impact-assessment", "DAG-DEC58")]
    );
    assert_eq!(
        steps("CR025"),
        [
            step("raised", ""),
            step("impact-assessment", ""),
            step("approved", "DAG-DEC59")
        ]
    );
    assert_eq!(
        steps("CR018"),
        [
            step("raised", ""),
            step("impact-assessment", ""),
            step("approved", "DAG-DEC60")
        ]
    );
    assert_eq!(
        steps("CR017"),
        [step("raised", ""), step("rejected", "DAG-DEC60")]
    );
    assert_eq!(steps("CR024"), [step("raised", "")]);
    assert_eq!(
        find(&plan, "changes", "CR017")["history"][1]["date"],
        "2023-07-14"
    );

    let warnings: Vec<(Value, String)> = warnings(&plan)
        .iter()
        .map(|w| {
            (
                w["line"].clone(),
                w["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(warnings.contains(&(
        json!(186),
        "an action reference names no action id (cut off in extraction?): \"(ACTION DAG. Elexon advised their build …\"".to_string()
    )), "{warnings:#?}");
    assert!(
        warnings
            .iter()
            .any(|(line, m)| *line == json!(291) && m.starts_with("a vote table"))
    );
    assert!(
        warnings.contains(&(
            json!(130),
            "change CR024 was not recorded: created, with no title or affected artefacts yet; complete it with `baseline change amend CR024 --title TITLE --affects ARTEFACT --reason REASON`"
                .to_string()
        ))
    );
    // The Chair's summary of the vote on CR018 (the vote table's marks are lost).
    assert_eq!(
        find(&plan, "decisions", "DAG-DEC60")["votes"],
        json!({"approve": 4, "reject": 6, "abstain": 2, "absent": 1})
    );
    assert_eq!(
        plan["not_understood"],
        json!([{"decision": "DAG-DEC60", "line": 330,
            "sentence": "Further rationale for the decision will be provided within the meeting minutes."}])
    );
    assert_eq!(
        plan["suggestions"],
        json!([{"decision": "DAG-DEC56", "line": 110,
            "artefacts": [{"id": "DIP-ICC", "title": "Interface Code of Connections"}, {"id": "DIP-PKI-CP", "title": "DIP PKI Certificate Profiles"}, {"id": "DIP-PKI-POL", "title": "DIP PKI Policy"}],
            "command": "baseline decision correct DAG-DEC56 --artefact DIP-ICC --artefact DIP-PKI-CP --artefact DIP-PKI-POL --reason \"the DAG026 headline report names them by title\""}])
    );

    // The records are in the repository as the plan showed them.
    let dec60: toml::Table = design.read("decisions/DAG-DEC60.toml").parse().unwrap();
    assert_eq!(
        dec60["authority"].as_str(),
        Some("DAG Chair (post-meeting determination)")
    );
    let files = design.git(&["ls-files", "meetings", "actions", "decisions", "changes"]);
    assert_eq!(files.lines().count(), 1 + 8 + 6 + 5, "{files}");
    let message = design.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with(
            "Import the DAG026 headline report: 6 decision(s), 8 action(s), 11 change step(s)"
        ),
        "{message}"
    );
    assert!(message.contains("Baseline-Meeting-Recorded: DAG026"));
    design.ok(&["verify"]);
}

#[test]
fn a_dry_run_records_nothing_and_a_second_import_nothing_new() {
    let design = design();
    let before = design.snapshot();
    let dry = dry_run(&design, "DAG026.txt", &reference());
    assert_eq!(
        (dry["dry_run"].clone(), dry["recorded"].clone()),
        (json!(true), json!(false))
    );
    design.git(&["clean", "-fdxq", "reports"]);
    assert_eq!(
        design.snapshot(),
        before,
        "a dry run changed the repository"
    );
    assert!(
        dry["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["status"] == "new")
    );

    let first = import(&design, "DAG026.txt", &reference(), &[]);
    assert_eq!(essences(&first, "decisions"), essences(&dry, "decisions"));
    assert_eq!(essences(&first, "actions"), essences(&dry, "actions"));
    assert_eq!(essences(&first, "changes"), essences(&dry, "changes"));

    let count = design.commit_count();
    let again = import(&design, "DAG026.txt", &reference(), &[]);
    assert_eq!(again["recorded"], false);
    assert_eq!(design.commit_count(), count);
    for kind in ["decisions", "actions", "changes"] {
        assert!(
            again[kind]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["status"] == "unchanged"),
            "{kind}: {again:#}"
        );
    }
    let human = design.ok(&["import", "report", "reports/DAG026.txt"]);
    assert!(
        human.contains("Nothing new to record: DAG026 is already imported as the report has it."),
        "{human}"
    );
    // Another copy of the same report (here with Windows line endings) is the same.
    let copy = import(
        &design,
        "DAG026-copy.txt",
        &reference().replace('\n', "\r\n"),
        &[],
    );
    assert_eq!(copy["recorded"], false);
    assert_eq!(design.commit_count(), count);
}

#[test]
fn a_report_that_contradicts_the_records_is_refused_with_the_difference() {
    let design = design();
    import(&design, "DAG026.txt", &reference(), &[]);
    let changed = reference().replace(
        "The SRO approved the baselining of the DES196 D-Flow and Interface Mapping",
        "The SRO approved the baselining of the DES196 D-Flow Mapping",
    );
    design.write("reports/changed.txt", &changed);
    design.git(&["add", "reports"]);
    design.git(&["commit", "-qm", "reports"]);
    let stderr = design.refused(&["import", "report", "reports/changed.txt"]);
    assert!(
        stderr.contains(
            "decision DAG-DEC57 (line 120) text:\n    recorded:  The SRO approved the baselining of the DES196 D-Flow and Interface Mapping\n    in report: The SRO approved the baselining of the DES196 D-Flow Mapping"
        ),
        "{stderr}"
    );
    let stderr = design.refused(&["import", "report", "reports/changed.txt", "--dry-run"]);
    assert!(
        stderr.contains("decision DAG-DEC57 (line 120) text:"),
        "{stderr}"
    );
}

/// Rewraps every line longer than `width` at word boundaries, as a narrower page
/// would.
fn rewrap(text: &str, width: usize) -> String {
    let mut out = Vec::new();
    for line in text.split('\n') {
        if line.trim_end().chars().count() <= width {
            out.push(line.to_string());
            continue;
        }
        let mut current = String::new();
        for word in line.split_whitespace() {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push(current);
    }
    out.join("\n")
}

/// Inserts a page footer (with pdftotext's form feed) before the first line that
/// starts with `before`.
fn footer_before(text: &str, before: &str) -> String {
    let at = text
        .find(&format!("\n{before}"))
        .unwrap_or_else(|| panic!("{before:?}"))
        + 1;
    format!(
        "{}\u{c}© Elexon Limited 2023  Page 9 of 9 \n\n{}",
        &text[..at],
        &text[at..]
    )
}

fn assert_same_records(original: &Value, variation: &Value, what: &str) {
    for kind in ["decisions", "actions", "changes"] {
        assert_eq!(
            essences(variation, kind),
            essences(original, kind),
            "{what}: the {kind} differ"
        );
    }
    assert_eq!(
        essence(&variation["meeting"]["record"]),
        essence(&original["meeting"]["record"]),
        "{what}: the meeting differs"
    );
}

#[test]
fn variations_of_the_report_import_the_same_records() {
    let design = design();
    let original = dry_run(&design, "DAG026.txt", &reference());
    // What every variation must match is the whole report, not an empty plan.
    assert_eq!(original["meeting"]["record"]["id"], "DAG026");
    assert_eq!(records(&original, "decisions").len(), 6);
    assert_eq!(records(&original, "actions").len(), 8);
    assert_eq!(records(&original, "changes").len(), 5);
    let report = reference();
    let mut variations = vec![
        (
            "Windows line endings".to_string(),
            report.replace('\n', "\r\n"),
        ),
        (
            "page footers inside a decision, an action and a post-meeting update".to_string(),
            footer_before(
                &footer_before(
                    &footer_before(&report, "Changes) "),
                    "Testing (SIT) and return",
                ),
                "provided within the meeting minutes",
            ),
        ),
        (
            "no form feeds or footers at all".to_string(),
            report.replace("© Elexon Limited 2023  Page 1 of 5", ""),
        ),
    ];
    for width in (40..=120).step_by(5) {
        variations.push((
            format!("lines rewrapped at {width} columns"),
            rewrap(&report, width),
        ));
    }
    assert_eq!(variations.len(), 20);
    for (n, (what, text)) in variations.iter().enumerate() {
        assert_ne!(text, &report, "{what}: the report is unchanged");
        let plan = dry_run(&design, &format!("variation-{n}.txt"), text);
        assert_same_records(&original, &plan, what);
    }
}

#[test]
fn missing_sections_import_what_is_there_and_say_what_is_missing() {
    let design = design();
    let report = reference();
    let cut = |from: &str, to: &str| {
        let (a, b) = (report.find(from).unwrap(), report.find(to).unwrap());
        format!("{}{}", &report[..a], &report[b..])
    };

    let no_actions = dry_run(
        &design,
        "no-actions.txt",
        &cut("Actions \n", "Decisions \n"),
    );
    assert!(records(&no_actions, "actions").is_empty());
    assert_eq!(records(&no_actions, "decisions").len(), 6);
    assert!(warnings(&no_actions).iter().any(|w| {
        w["line"].is_null()
            && w["message"] == "the report has no \"Actions\" section: no actions imported"
    }));

    let no_discussion = dry_run(
        &design,
        "no-discussion.txt",
        &report[..report.find("Key Discussion Items").unwrap()],
    );
    let dec60 = find(&no_discussion, "decisions", "DAG-DEC60");
    assert_eq!(dec60["text"], "The SRO approved CR018");
    assert_eq!(dec60["authority"], "SRO");
    assert_eq!(dec60["date"], "2023-07-12");
    assert!(warnings(&no_discussion).iter().any(|w| {
        w["message"]
            .as_str()
            .unwrap()
            .starts_with("the report has no \"Key Discussion Items\" section")
    }));

    let no_decisions = dry_run(
        &design,
        "no-decisions.txt",
        &cut("Decisions \n", "Key Discussion Items"),
    );
    assert!(records(&no_decisions, "decisions").is_empty());
    assert_eq!(records(&no_decisions, "actions").len(), 8);
    // The discussion still names DAG-DEC55 … DAG-DEC60: each is reported where it is.
    let unlisted: Vec<&Value> = warnings(&no_decisions)
        .iter()
        .filter(|w| {
            w["message"]
                .as_str()
                .unwrap()
                .contains("which the decisions table does not list")
        })
        .collect();
    assert!(unlisted.len() >= 6, "{unlisted:#?}");
    assert!(unlisted.iter().all(|w| w["line"].is_u64()));
}

#[test]
fn what_the_parser_cannot_place_is_warned_with_its_line() {
    let design = design();
    // Each case: a file name, a change to the report, the line the warning is
    // at (the first the test picks), and the warning.
    type Case = (
        &'static str,
        (&'static str, &'static str),
        fn(&str) -> bool,
        &'static str,
    );
    let cases: [Case; 3] = [
        (
            "typo.txt",
            (
                "(ACTION DAG26-03 & ACTION DAG26-04)",
                "(ACTION DAG26-03 & ACTION DAG26-09)",
            ),
            |l| l.contains("DAG26-09"),
            "the discussion names action DAG26-09, which the actions table does not list",
        ),
        // The due date on the line before the owner's end: "Jones)" is not an area.
        (
            "owner-after-due.txt",
            (
                "provide a version 2.0 to Programme RECCo (Sarah \n\nJones) \nASAP",
                "provide a version 2.0 to Programme RECCo (Sarah ASAP\n\nJones)",
            ),
            |l| l.starts_with("Jones)"),
            "\"Jones)\" after action DAG26-03's due date closes a bracket it does not open: read as the next area, it may be the end of DAG26-03's owner",
        ),
        (
            "no-due.txt",
            ("09/08/2023 \n", "\n"),
            |l| l.starts_with("DAG26-01"),
            "action DAG26-01 has no due date (a day/month/year date, ASAP or TBC)",
        ),
    ];
    for (name, (from, to), at, message) in cases {
        let text = reference().replace(from, to);
        assert_ne!(text, reference(), "{name}: the change applies");
        let line = text.lines().position(at).unwrap() + 1;
        let plan = dry_run(&design, name, &text);
        assert_warned(&plan, line, message);
    }
}

#[test]
fn text_that_is_not_a_report_is_refused() {
    let design = design();
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "empty.txt",
            b"\n \n",
            "empty.txt: this is not a headline report: it is empty",
        ),
        (
            "report.pdf",
            b"%PDF-1.7\n\x00\x01\x02binary",
            "report.pdf: this is not a headline report: it is not UTF-8 text",
        ),
        (
            "notes.md",
            b"# Notes\n\nSome other document.\n\nActions\n\nNone.\n",
            "notes.md: this is not a headline report: its heading has no \"Meeting Number\"",
        ),
        (
            "prose.txt",
            b"Just some text.\nMeeting Number DAG026\n",
            "neither a \"Decisions\" nor an \"Actions\" section",
        ),
    ];
    for (name, bytes, expected) in cases {
        std::fs::create_dir_all(design.file("reports")).unwrap();
        std::fs::write(design.file(&format!("reports/{name}")), bytes).unwrap();
        let stderr = design.refused(&["import", "report", &format!("reports/{name}")]);
        assert!(stderr.contains(expected), "{name}: {stderr}");
    }
    let stderr = design.refused(&["import", "report", "reports/missing.txt"]);
    assert!(stderr.contains("does not exist"), "{stderr}");
}

#[test]
fn another_bodys_decision_ids_are_read_by_configuration() {
    let design = design();
    let text = reference().replace("DAG-DEC", "PAB-D");
    let plan = dry_run(&design, "pab.txt", &text);
    assert!(records(&plan, "decisions").is_empty());
    assert!(warnings(&plan).iter().any(|w| w["message"]
        == "the Decisions section lists no decision id that matches the [import] decision pattern"));

    let config = design.read("baseline.toml");
    let config = config.replace("decision = \"DAG-DEC[0-9]+\"", "decision = \"PAB-D[0-9]+\"");
    assert!(config.contains("PAB-D"), "{config}");
    design.write("baseline.toml", &config);
    design.git(&[
        "commit",
        "-qam",
        "Read the Programme Advisory Board's decision ids",
    ]);
    let plan = import(&design, "pab.txt", &text, &[]);
    let ids: Vec<&str> = records(&plan, "decisions")
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "PAB-D55", "PAB-D56", "PAB-D57", "PAB-D58", "PAB-D59", "PAB-D60"
        ]
    );
    assert_eq!(
        find(&plan, "decisions", "PAB-D60")["authority"],
        "DAG Chair (post-meeting determination)"
    );
    assert_eq!(
        design.json(&["decision", "show", "PAB-D57"])["artefacts"],
        json!(["DES196"])
    );
}

#[test]
fn actions_are_listed_shown_and_closed() {
    let design = design();
    import(&design, "DAG026.txt", &reference(), &[]);
    let open = design.json(&["action", "list", "--open"]);
    assert_eq!(open.as_array().unwrap().len(), 8);
    let overdue = design.json(&["action", "list", "--overdue", "--as-of", "2023-08-09"]);
    let ids: Vec<&str> = overdue
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "DAG17-02",
            "DAG20-03",
            "DAG20.1-04",
            "DAG20.1-12",
            "DAG26-02"
        ],
        "ASAP is never overdue, DAG26-01 is due that day"
    );

    let before = design.commit_count();
    let out = design.ok(&[
        "action",
        "close",
        "DAG26-03",
        "--date",
        "2023-07-19",
        "--note",
        "CR024 v2.0 provided",
    ]);
    assert_eq!(out, "Closed action DAG26-03 on 2023-07-19\n");
    assert_eq!(design.commit_count(), before + 1);
    let action = design.json(&["action", "show", "DAG26-03"]);
    assert_eq!(action["history"][1]["state"], "closed");
    assert_eq!(action["history"][1]["note"], "CR024 v2.0 provided");
    assert_eq!(
        design
            .json(&["action", "list", "--open"])
            .as_array()
            .unwrap()
            .len(),
        7
    );
    let stderr = design.refused(&["action", "close", "DAG26-03", "--note", "again"]);
    assert!(
        stderr.contains("action DAG26-03 is already closed"),
        "{stderr}"
    );
    let stderr = design.refused(&[
        "action",
        "close",
        "DAG26-04",
        "--date",
        "2023-01-01",
        "--note",
        "early",
    ]);
    assert!(stderr.contains("before its last step"), "{stderr}");

    let status = design.json(&["status"]);
    let overdue: Vec<&str> = status["overdue_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        overdue,
        [
            "DAG17-02",
            "DAG20.1-04",
            "DAG20-03",
            "DAG20.1-12",
            "DAG26-02",
            "DAG26-01"
        ],
        "dated, open and past due (DAG26-03 is closed, DAG26-04 is ASAP)"
    );
    assert!(
        design
            .ok(&["status"])
            .contains("6 overdue action(s): DAG17-02 (due 2022-12-14)")
    );

    // Importing the report again leaves it closed.
    let again = import(&design, "DAG026.txt", &reference(), &[]);
    assert_eq!(again["recorded"], false);
    design.ok(&["verify"]);

    let meeting = design.json(&["meeting", "show", "DAG026"]);
    assert_eq!(meeting["decisions"].as_array().unwrap().len(), 6);
    assert_eq!(meeting["actions"][2]["id"], "DAG26-03");
    let listed = design.json(&["meeting", "list"]);
    assert_eq!(listed[0]["id"], "DAG026");
    let human = design.ok(&["meeting", "show", "DAG026"]);
    assert!(
        human.contains("venue:          Virtual – MS Teams"),
        "{human}"
    );
}

#[test]
fn an_action_record_rewritten_in_place_is_found_by_verify() {
    let design = design();
    import(&design, "DAG026.txt", &reference(), &[]);
    let text = design
        .read("actions/DAG26-01.toml")
        .replace("2023-08-09", "2023-12-31");
    design.write("actions/DAG26-01.toml", &text);
    design.git(&["commit", "-qam", "quietly move a due date"]);
    let output = design.run(&["verify"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("actions/DAG26-01.toml"), "{stdout}");
    assert!(
        stdout.contains("its history may only gain new steps"),
        "{stdout}"
    );
}

/// The report of another meeting that lists the same actions: no decisions, and
/// the given meeting number, date and replacements.
fn later_report(meeting: &str, date: &str, replacements: &[(&str, &str)]) -> String {
    let report = reference();
    let (a, b) = (
        report.find("Decisions \n").unwrap(),
        report.find("Key Discussion Items").unwrap(),
    );
    let mut text = format!("{}{}", &report[..a], &report[b..])
        .replace(
            "Meeting Number DAG026",
            &format!("Meeting Number {meeting}"),
        )
        .replace("12 July 2023 10:00-13:00", &format!("{date} 10:00-13:00"));
    for (from, to) in replacements {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    text
}

#[test]
fn a_later_report_moves_due_dates_and_a_repeat_records_nothing() {
    let design = design();
    import(&design, "DAG026.txt", &reference(), &[]);
    let dag027 = later_report("DAG027", "9 August 2023", &[("09/08/2023", "06/09/2023")]);
    let plan = import(&design, "DAG027.txt", &dag027, &[]);
    assert_eq!(plan["recorded"], true);
    let moved = plan["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["record"]["id"] == "DAG26-01")
        .unwrap();
    assert_eq!(moved["status"], "updated");
    assert_eq!(
        essence(&moved["new_steps"][0]),
        json!({"state": "open", "date": "2023-08-09", "meeting": "DAG027", "due": "2023-09-06"})
    );
    let unchanged = plan["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["record"]["id"] == "DAG26-02")
        .unwrap();
    assert_eq!(unchanged["status"], "unchanged");
    let action = design.json(&["action", "show", "DAG26-01"]);
    assert_eq!(
        action["due"], "2023-08-09",
        "the first due date stays on record"
    );
    assert_eq!(action["history"].as_array().unwrap().len(), 2);
    let overdue = design.json(&["action", "list", "--overdue", "--as-of", "2023-08-10"]);
    assert!(
        !overdue
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == "DAG26-01"),
        "moved to September"
    );

    let count = design.commit_count();
    for (name, text) in [("DAG027.txt", dag027.clone()), ("DAG026.txt", reference())] {
        let again = import(&design, name, &text, &[]);
        assert_eq!(again["recorded"], false, "{name} again");
    }
    assert_eq!(design.commit_count(), count);

    // An older report cannot move an action back.
    let dag025 = later_report(
        "DAG025",
        "14 June 2023",
        &[("DAG Members 12/04/2023", "DAG Members 01/07/2023")],
    );
    let plan = dry_run(&design, "DAG025.txt", &dag025);
    let line = dag025.lines().position(|l| l.trim() == "DAG20-03").unwrap() + 1;
    assert_warned(
        &plan,
        line,
        "action DAG20-03: its last step is later than this report's meeting, so the report's due date and notes are not applied",
    );
    design.ok(&["verify"]);
}

#[test]
fn a_post_meeting_update_is_placed_only_on_the_decision_it_settles() {
    let design = design();
    let text = reference().replace(
        "(DECISION DAG-DEC60). ",
        ". The DAG agreed CR030 should be issued to IA (DECISION DAG-DEC61). ",
    );
    let plan = dry_run(&design, "borrowed.txt", &text);
    assert_eq!(
        find(&plan, "decisions", "DAG-DEC60")["text"],
        "The SRO approved CR018",
        "the update names no decision of its own"
    );
    let messages: Vec<&str> = warnings(&plan)
        .iter()
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"a post-meeting update settles decision DAG-DEC61, which the decisions table does not list"),
        "{messages:#?}"
    );

    // Borrowing the reference of a decision the table does list, about other changes.
    let text = reference().replace(
        "(DECISION DAG-DEC60). ",
        ". The DAG agreed CR030 should be issued to IA (DECISION DAG-DEC59). ",
    );
    let plan = dry_run(&design, "borrowed-59.txt", &text);
    assert_eq!(
        find(&plan, "decisions", "DAG-DEC59")["text"],
        "The SRO approved CR025, subject to the agreed implementation approach (Data Integration Platform (DIP) Interface Name Changes)"
    );
    let line = text
        .lines()
        .position(|l| l.starts_with("POST MEETING UPDATE"))
        .unwrap()
        + 1;
    assert_warned(
        &plan,
        line,
        "a post-meeting update speaks of CR018, CR017, CR030, which decision DAG-DEC59 (named after it) does not: not placed",
    );
}

#[test]
fn a_baseline_traces_to_its_meeting_and_the_meeting_to_its_baselines() {
    let design = design();
    design.ok(&["draft", "DES196", "--date", "2023-07-10"]);
    design.ok(&["draft", "DIP-ICC", "--date", "2023-07-10"]);
    import(&design, "DAG026.txt", &reference(), &[]);
    design.ok(&[
        "approve",
        "DES196",
        "--decision",
        "DAG-DEC57",
        "--date",
        "2023-07-12",
    ]);
    let refused = design.refused(&[
        "approve",
        "DIP-ICC",
        "--decision",
        "DAG-DEC57",
        "--date",
        "2023-07-12",
    ]);
    assert!(refused.contains("DAG-DEC57 approves DES196"), "{refused}");

    let version = design.json(&["trace", "DES196@1.0"]);
    assert_eq!(version["meetings"][0]["id"], "DAG026");
    assert_eq!(version["meetings"][0]["venue"], "Virtual – MS Teams");

    let meeting = design.json(&["trace", "DAG026"]);
    assert_eq!(meeting["kind"], "meeting");
    let dec57 = meeting["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["decision"]["id"] == "DAG-DEC57")
        .unwrap();
    assert_eq!(dec57["versions"][0]["artefact"], "DES196");
    assert_eq!(dec57["versions"][0]["version"], "1.0");
    let dec60 = meeting["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["decision"]["id"] == "DAG-DEC60")
        .unwrap();
    let steps: Vec<(&str, &str)> = dec60["change_steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["change"].as_str().unwrap(),
                s["step"]["state"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(steps, [("CR017", "rejected"), ("CR018", "approved")]);
    assert_eq!(meeting["actions"].as_array().unwrap().len(), 8);
    let human = design.ok(&["trace", "DAG026"]);
    assert!(
        human.contains("  → DES196@1.0 baselined on 2023-07-12"),
        "{human}"
    );
}

//! `baseline import report` on headline reports it was not built on: DAG028,
//! DAG029 and DAG030 (tests/fixtures/import/), written in the layout of the real
//! DAG026 report with the same extraction damage, imported one after another
//! after DAG026 as a programme office would. Every record and step each must
//! produce is checked field by field.

mod common;

use common::Design;
use serde_json::{Value, json};

fn fixture(name: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = if name == "DAG026" {
        root.join("examples/dag026/DAG026-headline-report.txt")
    } else {
        root.join(format!("tests/fixtures/import/{name}-headline-report.txt"))
    };
    std::fs::read_to_string(path).unwrap()
}

/// The artefacts the reports speak of, registered; DES097 has a title that is
/// part of DES196's, and must never be linked by it.
fn design() -> Design {
    let design = Design::new();
    for (id, title) in [
        ("DIP-ICC", "Interface Code of Connections"),
        ("DIP-PKI-CP", "DIP PKI Certificate Profiles"),
        ("DIP-PKI-POL", "DIP PKI Policy"),
        ("DES196", "D-Flow and Interface Mapping"),
        ("DES138", "Interface Catalogue"),
        ("DES210", "DIP Onboarding Guidance"),
        ("DES215", "DIP Message Size Limits"),
        ("DES097", "Interface Mapping"),
    ] {
        let file = format!("in/{}.md", id.to_lowercase());
        design.write(&file, &format!("# {title}\n"));
        design.ok(&["add", id, "--title", title, &file]);
    }
    design
}

fn import(design: &Design, name: &str, text: &str, extra: &[&str]) -> Value {
    let path = format!("reports/{name}.txt");
    design.write(&path, text);
    let mut args = vec!["import", "report", path.as_str()];
    args.extend(extra);
    design.json(&args)
}

/// A repository with `reports` imported in order.
fn after(reports: &[&str]) -> Design {
    let design = design();
    for name in reports {
        let plan = import(&design, name, &fixture(name), &[]);
        assert_eq!(plan["recorded"], true, "{name}");
    }
    design
}

fn items<'v>(plan: &'v Value, kind: &str) -> &'v Vec<Value> {
    plan[kind].as_array().unwrap()
}

fn item<'v>(plan: &'v Value, kind: &str, id: &str) -> &'v Value {
    items(plan, kind)
        .iter()
        .find(|i| i["record"]["id"] == id)
        .unwrap_or_else(|| panic!("no {kind} {id} in {plan:#}"))
}

/// A record or step without who recorded it and when.
fn essence(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(map) = value.as_object_mut() {
        map.remove("recorded_at");
        map.remove("recorded_by");
        for steps in ["history", "new_steps"] {
            if let Some(Value::Array(steps)) = map.get_mut(steps) {
                *steps = steps.iter().map(essence).collect();
            }
        }
    }
    value
}

/// Each field of `actual` is as expected, and it has no other.
fn assert_fields(what: &str, actual: &Value, expected: &Value) {
    let (actual, expected) = (essence(actual), essence(expected));
    let (a, e) = (actual.as_object().unwrap(), expected.as_object().unwrap());
    for (field, value) in e {
        assert_eq!(a.get(field), Some(value), "{what}: {field}");
    }
    for field in a.keys() {
        assert!(
            e.contains_key(field),
            "{what}: unexpected {field} = {}",
            a[field]
        );
    }
}

/// The plan's records of `kind` are exactly `expected` (status, record), in order.
fn assert_records(plan: &Value, kind: &str, expected: &[(&str, Value)]) {
    let ids: Vec<&Value> = items(plan, kind)
        .iter()
        .map(|i| &i["record"]["id"])
        .collect();
    let wanted: Vec<&Value> = expected.iter().map(|(_, r)| &r["id"]).collect();
    assert_eq!(ids, wanted, "{kind}");
    for (status, record) in expected {
        let id = record["id"].as_str().unwrap();
        let found = item(plan, kind, id);
        assert_eq!(found["status"], *status, "{kind} {id} status");
        assert_fields(&format!("{kind} {id}"), &found["record"], record);
    }
}

/// The steps the plan adds to `id` (a change or action): (state, date, then
/// decision for a change or due and note for an action).
fn assert_new_steps(plan: &Value, kind: &str, id: &str, expected: &[Value]) {
    let steps: Vec<Value> = item(plan, kind, id)["new_steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(essence)
        .collect();
    assert_eq!(steps, expected, "{kind} {id} new steps");
}

fn decision(
    id: &str,
    area: &str,
    (outcome, date, authority): (&str, &str, Option<&str>),
    text: &str,
    meeting: &str,
    extra: Value,
) -> Value {
    let mut record = json!({
        "id": id, "area": area, "outcome": outcome, "date": date, "text": text, "meeting": meeting
    });
    if let Some(authority) = authority {
        record["authority"] = json!(authority);
    }
    for (field, value) in extra.as_object().unwrap() {
        record[field] = value.clone();
    }
    record
}

fn raised(date: &str, meeting: &str) -> Value {
    json!({"state": "raised", "date": date, "note": format!("first named in the {meeting} headline report")})
}

fn change_step(state: &str, date: &str, decision: &str) -> Value {
    json!({"state": state, "date": date, "decision": decision})
}

fn new_change(id: &str, kind: &str, meeting: &str, steps: &[Value]) -> Value {
    json!({
        "id": id, "kind": kind, "affects": [],
        "title": format!("{id} (named in the {meeting} headline report; title to be confirmed)"),
        "history": steps,
    })
}

fn action_step(
    state: &str,
    date: &str,
    meeting: &str,
    due: Option<&str>,
    note: Option<&str>,
) -> Value {
    let mut step = json!({"state": state, "date": date, "meeting": meeting});
    if let Some(due) = due {
        step["due"] = json!(due);
    }
    if let Some(note) = note {
        step["note"] = json!(note);
    }
    step
}

#[test]
fn dag028_is_imported_field_by_field() {
    let design = after(&["DAG026"]);
    let plan = import(&design, "DAG028", &fixture("DAG028"), &[]);
    assert_eq!(plan["recorded"], true);
    assert_fields(
        "meeting",
        &plan["meeting"]["record"],
        &json!({
            "id": "DAG028", "body": "MHHS Design Advisory Group (DAG)", "date": "2023-09-06",
            "time": "10:00-12:30", "venue": "Virtual – MS Teams", "classification": "Public",
            "report": plan["meeting"]["record"]["report"].clone(),
            "decisions": ["DAG-DEC64", "DAG-DEC65", "DAG-DEC66", "DAG-DEC67", "DAG-DEC68", "DAG-DEC69"],
            "actions": ["DAG28-01", "DAG28-02", "DAG26-01", "DAG20-03", "DAG17-02", "DAG26-02", "DAG26-03", "DAG26-04"],
            "next_meeting": "2023-10-04"
        }),
    );
    assert_eq!(plan["meeting"]["record"]["report"]["issued"], "2023-09-08");
    let m = "DAG028";
    assert_records(
        &plan,
        "decisions",
        &[
            (
                "new",
                decision(
                    "DAG-DEC64",
                    "Minutes and actions",
                    ("approved", "2023-09-06", None),
                    "Minutes and Headline Reports of DAG meetings held 12 July 2023 and 9 August 2023 approved with no amendments",
                    m,
                    json!({}),
                ),
            ),
            // Taken by correspondence before the meeting: its own date.
            (
                "new",
                decision(
                    "DAG-DEC65",
                    "CR024 Decision (ex-committee)",
                    ("approved", "2023-07-21", Some("SRO")),
                    "Decided by correspondence on 21 July 2023: the SRO approved CR024 version 2.0 following its second Impact Assessment",
                    m,
                    json!({"changes": ["CR024"]}),
                ),
            ),
            // A baseline that incorporates an approved change: a relationship, no second approval.
            (
                "new",
                decision(
                    "DAG-DEC66",
                    "DES138 Interface Catalogue",
                    ("approved", "2023-09-06", Some("SRO")),
                    "The SRO approved the baselining of DES138 Interface Catalogue v5.7, incorporating the changes from CR025",
                    m,
                    json!({"artefacts": ["DES138"], "relates_to": [{"change": "CR025", "relation": "incorporates"}]}),
                ),
            ),
            (
                "new",
                decision(
                    "DAG-DEC67",
                    "CR029 Impact Assessment",
                    ("approved", "2023-09-06", Some("DAG")),
                    "The DAG agreed CR029 should be issued to Impact Assessment",
                    m,
                    json!({"changes": ["CR029"]}),
                ),
            ),
            // Its text runs over a page break, with the table's heading repeated.
            (
                "new",
                decision(
                    "DAG-DEC68",
                    "CR028 Decision",
                    ("deferred", "2023-09-06", Some("DAG")),
                    "The DAG deferred its decision on CR028 until Ofgem has published the outcome of its consultation on market-wide data access",
                    m,
                    json!({"changes": ["CR028"]}),
                ),
            ),
            (
                "new",
                decision(
                    "DAG-DEC69",
                    "DIN005",
                    ("noted", "2023-09-06", Some("DAG")),
                    "The DAG noted DIN005, issued by the Programme to correct the length of a field in the DES138 Interface Catalogue",
                    m,
                    json!({"artefacts": ["DES138"], "relates_to": [{"change": "DIN005", "relation": "notes"}]}),
                ),
            ),
        ],
    );
    let open = |date| action_step("open", date, m, None, None);
    assert_records(
        &plan,
        "actions",
        &[
            (
                "new",
                json!({"id": "DAG28-01", "meeting": m, "area": "CR029 Impact Assessment",
                "text": "Programme to issue CR029 for a ten working day Impact Assessment and collate responses for the October DAG",
                "owner": "Programme (PMO)", "due": "2023-09-20", "changes": ["CR029"], "history": [open("2023-09-06")]}),
            ),
            // "Cata-" / "logue": a word split by hyphenation.
            (
                "new",
                json!({"id": "DAG28-02", "meeting": m, "area": "DES138 Interface Catalogue",
                "text": "Programme to set out the timetable for the next version of the DES138 Interface Catalogue, including the column added for CR025",
                "owner": "Programme (Design)", "due": "TBC", "changes": ["CR025"], "history": [open("2023-09-06")]}),
            ),
            (
                "updated",
                item(&plan, "actions", "DAG26-01")["record"].clone(),
            ),
            (
                "updated",
                item(&plan, "actions", "DAG20-03")["record"].clone(),
            ),
            (
                "updated",
                item(&plan, "actions", "DAG17-02")["record"].clone(),
            ),
            (
                "updated",
                item(&plan, "actions", "DAG26-02")["record"].clone(),
            ),
            (
                "updated",
                item(&plan, "actions", "DAG26-03")["record"].clone(),
            ),
            (
                "updated",
                item(&plan, "actions", "DAG26-04")["record"].clone(),
            ),
        ],
    );
    let d = "2023-09-06";
    let carried = "Actions carried over pending the review of the DAG Terms of Reference.";
    for (id, step) in [
        (
            "DAG26-01",
            action_step(
                "open",
                d,
                m,
                Some("2023-10-04"),
                Some("Due date moved to 04/10/2023 as the SIT approach is still being agreed."),
            ),
        ),
        ("DAG20-03", action_step("open", d, m, None, Some(carried))),
        ("DAG17-02", action_step("open", d, m, None, Some(carried))),
        // Closed actions drop out of the table: the discussion closes them.
        (
            "DAG26-02",
            action_step("closed", d, m, None, Some("Actions closed.")),
        ),
        (
            "DAG26-03",
            action_step("closed", d, m, None, Some("Actions closed.")),
        ),
        (
            "DAG26-04",
            action_step(
                "closed",
                d,
                m,
                None,
                Some(
                    "Action closed; CR024 version 2.0 was issued for a second Impact Assessment on 24 July 2023.",
                ),
            ),
        ),
    ] {
        assert_new_steps(&plan, "actions", id, &[step]);
    }
    assert_records(
        &plan,
        "changes",
        &[
            ("updated", item(&plan, "changes", "CR024")["record"].clone()),
            (
                "unchanged",
                item(&plan, "changes", "CR025")["record"].clone(),
            ),
            (
                "new",
                new_change(
                    "CR029",
                    "cr",
                    m,
                    &[
                        raised(d, m),
                        change_step("impact-assessment", d, "DAG-DEC67"),
                    ],
                ),
            ),
            (
                "new",
                new_change(
                    "CR028",
                    "cr",
                    m,
                    &[raised(d, m), change_step("deferred", d, "DAG-DEC68")],
                ),
            ),
            ("new", new_change("DIN005", "din", m, &[raised(d, m)])),
        ],
    );
    assert_new_steps(
        &plan,
        "changes",
        "CR024",
        &[
            json!({"state": "impact-assessment", "date": "2023-07-21",
                "note": "inferred: DAG-DEC65 decided it, so it had been through impact assessment"}),
            change_step("approved", "2023-07-21", "DAG-DEC65"),
        ],
    );
    // An auditor tracing CR025 finds the baseline decision that incorporates it.
    let trace = design.json(&["trace", "CR025"]);
    let related: Vec<&Value> = trace["related_decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["id"])
        .collect();
    assert_eq!(related, [&json!("DAG-DEC66")]);
    assert_eq!(trace["decisions"].as_array().unwrap().len(), 1);
    assert_eq!(
        trace["decisions"][0]["id"], "DAG-DEC59",
        "decided by DAG-DEC59 alone"
    );
    assert_eq!(
        items(&plan, "not_understood").len(),
        0,
        "{:#}",
        plan["not_understood"]
    );
    assert_eq!(
        items(&plan, "suggestions").len(),
        0,
        "{:#}",
        plan["suggestions"]
    );
    design.ok(&["verify"]);
}

#[test]
fn dag029_is_imported_field_by_field() {
    let design = after(&["DAG026", "DAG028"]);
    let plan = import(&design, "DAG029", &fixture("DAG029"), &[]);
    let m = "DAG029";
    let d = "2023-10-04";
    assert_eq!(
        plan["meeting"]["record"]["venue"],
        "Elexon, 350 Euston Road, London and MS Teams"
    );
    assert_eq!(plan["meeting"]["record"]["next_meeting"], "2023-11-01");
    assert_records(
        &plan,
        "decisions",
        &[
            (
                "new",
                decision(
                    "DAG-DEC70",
                    "Minutes and actions",
                    ("approved", d, None),
                    "Minutes and Headline Report of DAG meeting held 6 September 2023 approved with no amendments",
                    m,
                    json!({}),
                ),
            ),
            // The authority named in the middle of the sentence; "subject to".
            (
                "new",
                decision(
                    "DAG-DEC71",
                    "CR029 Decision",
                    ("approved", d, Some("SRO")),
                    "Following the second Impact Assessment, CR029 was approved by the SRO, subject to the Programme confirming the Interim Release for its implementation",
                    m,
                    json!({"changes": ["CR029"]}),
                ),
            ),
            // The votes, from the Chair's summary in the discussion.
            (
                "new",
                decision(
                    "DAG-DEC72",
                    "CR028 Decision",
                    ("rejected", d, Some("SRO")),
                    "Following a vote of DAG members, the SRO rejected CR028",
                    m,
                    json!({"changes": ["CR028"], "votes": {"approve": 3, "reject": 7, "abstain": 2}}),
                ),
            ),
            // Withdrawn by its raiser; the DAG noted it.
            (
                "new",
                decision(
                    "DAG-DEC73",
                    "CR030",
                    ("noted", d, Some("DAG")),
                    "The DAG noted that UKPN, as the raiser, had withdrawn CR030",
                    m,
                    json!({"changes": ["CR030"]}),
                ),
            ),
            // "DES-196" names DES196; "Interface Mapping" inside its title names nothing.
            (
                "new",
                decision(
                    "DAG-DEC74",
                    "DES196 D-Flow and Interface Mapping",
                    ("approved", d, Some("SRO")),
                    "The SRO endorsed version 1.1 of the DES-196 D-Flow and Interface Mapping for baselining. The Programme will publish it with IR4",
                    m,
                    json!({"artefacts": ["DES196"]}),
                ),
            ),
            // Named by title only: not linked, suggested.
            (
                "new",
                decision(
                    "DAG-DEC75",
                    "DIP Onboarding Guidance",
                    ("approved", d, Some("SRO")),
                    "The SRO approved the baselining of the DIP Onboarding Guidance",
                    m,
                    json!({}),
                ),
            ),
            (
                "new",
                decision(
                    "DAG-DEC76",
                    "CR031 Impact Assessment",
                    ("approved", d, Some("DAG")),
                    "The DAG approved the issuance of CR031 to Impact Assessment",
                    m,
                    json!({"changes": ["CR031"]}),
                ),
            ),
        ],
    );
    assert_records(
        &plan,
        "actions",
        &[
            // Its due date and the next row's area were joined on one line.
            (
                "new",
                json!({"id": "DAG29-01", "meeting": m, "area": "CR029 Decision",
                "text": "Programme to confirm the Interim Release in which CR029 will be implemented and update the change log",
                "owner": "Programme (PMO)", "due": "2023-10-18", "changes": ["CR029"],
                "history": [action_step("open", d, m, None, None)]}),
            ),
            (
                "new",
                json!({"id": "DAG29-02", "meeting": m, "area": "DIP Onboarding Guidance",
                "text": "Programme to publish the DIP Onboarding Guidance consultation responses alongside the baselined document",
                "owner": "Programme (Design)", "due": "2023-10-11",
                "history": [action_step("open", d, m, None, None)]}),
            ),
            (
                "updated",
                item(&plan, "actions", "DAG28-02")["record"].clone(),
            ),
            (
                "updated",
                item(&plan, "actions", "DAG26-01")["record"].clone(),
            ),
            (
                "updated",
                item(&plan, "actions", "DAG28-01")["record"].clone(),
            ),
            (
                "updated",
                item(&plan, "actions", "DAG17-02")["record"].clone(),
            ),
            (
                "updated",
                item(&plan, "actions", "DAG20-03")["record"].clone(),
            ),
        ],
    );
    let tor = "Actions closed following the approval of the revised DAG Terms of Reference.";
    for (id, step) in [
        (
            "DAG28-02",
            action_step("open", d, m, Some("2023-11-01"), None),
        ),
        (
            "DAG26-01",
            action_step(
                "closed",
                d,
                m,
                None,
                Some(
                    "Action closed. The Programme confirmed D-Flows will not be available in SIT.",
                ),
            ),
        ),
        (
            "DAG28-01",
            action_step("closed", d, m, None, Some("Action closed.")),
        ),
        ("DAG17-02", action_step("closed", d, m, None, Some(tor))),
        ("DAG20-03", action_step("closed", d, m, None, Some(tor))),
    ] {
        assert_new_steps(&plan, "actions", id, &[step]);
    }
    assert_records(
        &plan,
        "changes",
        &[
            ("updated", item(&plan, "changes", "CR029")["record"].clone()),
            ("updated", item(&plan, "changes", "CR028")["record"].clone()),
            (
                "new",
                new_change(
                    "CR030",
                    "cr",
                    m,
                    &[raised(d, m), change_step("withdrawn", d, "DAG-DEC73")],
                ),
            ),
            (
                "new",
                new_change(
                    "CR031",
                    "cr",
                    m,
                    &[
                        raised(d, m),
                        change_step("impact-assessment", d, "DAG-DEC76"),
                    ],
                ),
            ),
            (
                "unchanged",
                item(&plan, "changes", "CR025")["record"].clone(),
            ),
        ],
    );
    assert_new_steps(
        &plan,
        "changes",
        "CR029",
        &[change_step("approved", d, "DAG-DEC71")],
    );
    assert_new_steps(
        &plan,
        "changes",
        "CR028",
        &[change_step("rejected", d, "DAG-DEC72")],
    );
    let line = |start: &str| {
        fixture("DAG029")
            .lines()
            .position(|l| l.starts_with(start))
            .unwrap()
            + 1
    };
    assert_eq!(
        plan["not_understood"],
        json!([{"decision": "DAG-DEC74", "line": line("The SRO endorsed version 1.1"),
            "sentence": "The Programme will publish it with IR4"}])
    );
    assert_eq!(
        plan["suggestions"],
        json!([{"decision": "DAG-DEC75", "line": line("DAG-DEC75"),
            "artefacts": [{"id": "DES210", "title": "DIP Onboarding Guidance"}],
            "command": "baseline decision correct DAG-DEC75 --artefact DES210 --reason \"the DAG029 headline report names them by title\""}])
    );
    design.ok(&["verify"]);
}

#[test]
fn dag030_is_imported_field_by_field() {
    let design = after(&["DAG026", "DAG028", "DAG029"]);
    let plan = import(&design, "DAG030", &fixture("DAG030"), &[]);
    let m = "DAG030";
    let d = "2023-11-01";
    assert_records(
        &plan,
        "decisions",
        &[
            (
                "new",
                decision(
                    "DAG-DEC77",
                    "Minutes and actions",
                    ("approved", d, None),
                    "Minutes and Headline Report of DAG meeting held 4 October 2023 approved with no amendments",
                    m,
                    json!({}),
                ),
            ),
            // Sent back for further impact assessment: a step.
            (
                "new",
                decision(
                    "DAG-DEC78",
                    "CR031 Impact Assessment",
                    ("approved", d, Some("DAG")),
                    "The DAG agreed CR031 should be sent back for further impact assessment on the revised onboarding timeline",
                    m,
                    json!({"changes": ["CR031"]}),
                ),
            ),
            // More analysis asked for: a relationship; a footer inside its line is taken out.
            (
                "new",
                decision(
                    "DAG-DEC79",
                    "CR032",
                    ("noted", d, Some("DAG")),
                    "The DAG requested further analysis of the costs of CR032 from the raiser before it is considered again",
                    m,
                    json!({"relates_to": [{"change": "CR032", "relation": "asks-for-assessment"}]}),
                ),
            ),
            // By correspondence between meetings; "ex-" / "committee" keeps its hyphen.
            (
                "new",
                decision(
                    "DAG-DEC80",
                    "DIP PKI Policy (ex-committee)",
                    ("approved", "2023-10-18", Some("SRO")),
                    "Ex-committee decision taken by correspondence on 18/10/2023: the SRO approved the baselining of version 1.1 of the DIP PKI Policy",
                    m,
                    json!({}),
                ),
            ),
            (
                "new",
                decision(
                    "DAG-DEC81",
                    "CR033 Decision",
                    ("rejected", d, Some("SRO")),
                    "The SRO did not approve CR033, as the change is not required for go-live; CR033 is rejected",
                    m,
                    json!({"changes": ["CR033"]}),
                ),
            ),
            // A vote counted in the table's own text.
            (
                "new",
                decision(
                    "DAG-DEC82",
                    "DIP Message Size",
                    ("approved", d, Some("SRO")),
                    "Following a DAG vote (eight to approve, three to reject, one abstention) the SRO approved the baselining of the DES215 DIP Message Size Limits incorporating CR029",
                    m,
                    json!({"artefacts": ["DES215"], "relates_to": [{"change": "CR029", "relation": "incorporates"}],
                    "votes": {"approve": 8, "reject": 3, "abstain": 1}}),
                ),
            ),
        ],
    );
    assert_records(
        &plan,
        "actions",
        &[
            (
                "new",
                json!({"id": "DAG30-01", "meeting": m, "area": "CR031 Impact Assessment",
                "text": "Programme to re-issue CR031 for a further Impact Assessment covering the revised onboarding timeline",
                "owner": "Programme (PMO)", "due": "2023-11-15", "changes": ["CR031"],
                "history": [action_step("open", d, m, None, None)]}),
            ),
            (
                "updated",
                item(&plan, "actions", "DAG29-01")["record"].clone(),
            ),
            (
                "updated",
                item(&plan, "actions", "DAG29-02")["record"].clone(),
            ),
            (
                "updated",
                item(&plan, "actions", "DAG28-02")["record"].clone(),
            ),
        ],
    );
    assert_eq!(
        item(&plan, "actions", "DAG29-01")["record"]["area"],
        "CR029 Decision",
        "as first recorded"
    );
    for (id, step) in [
        (
            "DAG29-01",
            action_step(
                "closed",
                d,
                m,
                None,
                Some("Action closed; CR029 will be implemented in IR4."),
            ),
        ),
        (
            "DAG29-02",
            action_step("closed", d, m, None, Some("Action closed.")),
        ),
        (
            "DAG28-02",
            action_step(
                "open",
                d,
                m,
                Some("2023-12-06"),
                Some("Due date moved to 06/12/2023 to align with the IR4 timetable."),
            ),
        ),
    ] {
        assert_new_steps(&plan, "actions", id, &[step]);
    }
    assert_records(
        &plan,
        "changes",
        &[
            ("updated", item(&plan, "changes", "CR031")["record"].clone()),
            ("new", new_change("CR032", "cr", m, &[raised(d, m)])),
            (
                "new",
                new_change(
                    "CR033",
                    "cr",
                    m,
                    &[raised(d, m), change_step("rejected", d, "DAG-DEC81")],
                ),
            ),
            (
                "unchanged",
                item(&plan, "changes", "CR029")["record"].clone(),
            ),
        ],
    );
    assert_new_steps(
        &plan,
        "changes",
        "CR031",
        &[change_step("impact-assessment", d, "DAG-DEC78")],
    );
    assert_eq!(plan["not_understood"], json!([]));
    assert_eq!(plan["suggestions"][0]["decision"], "DAG-DEC80");
    assert_eq!(
        plan["suggestions"][0]["artefacts"],
        json!([{"id": "DIP-PKI-POL", "title": "DIP PKI Policy"}])
    );
    design.ok(&["verify"]);
    let action = design.json(&["action", "show", "DAG28-02"]);
    assert_eq!(
        action["history"].as_array().unwrap().len(),
        3,
        "opened, re-dated twice"
    );
    let open = design.json(&["action", "list", "--open"]);
    let ids: Vec<&str> = open
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["DAG20.1-04", "DAG20.1-12", "DAG28-02", "DAG30-01"]);
}

/// Rewraps every line longer than `width` at word boundaries, as a narrower page
/// would; a page's footer and title are blocks, never broken.
fn rewrap(text: &str, width: usize) -> String {
    let footer = regex::Regex::new(
        r"© Elexon Limited 2023  Page [0-9]+ of [0-9]+|MHHS Design Advisory Group \(DAG\) Headline Report",
    )
    .unwrap();
    let glued = footer.replace_all(text, |m: &regex::Captures| m[0].replace(' ', "\u{1}"));
    rewrap_words(&glued, width).replace('\u{1}', " ")
}

fn rewrap_words(text: &str, width: usize) -> String {
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

/// What a report says, without who imports it or where its lines fall.
fn records_of(plan: &Value) -> Value {
    let mut all = json!({});
    for kind in ["decisions", "actions", "changes"] {
        all[kind] = Value::Array(
            items(plan, kind)
                .iter()
                .map(|i| json!({"status": i["status"], "record": essence(&i["record"]), "new_steps": essence(&json!({"history": i["new_steps"]}))["history"]}))
                .collect(),
        );
    }
    all["meeting"] = essence(&plan["meeting"]["record"]);
    all["meeting"].as_object_mut().unwrap().remove("report");
    // Line numbers move as lines are broken otherwise; what is suggested does not.
    all["suggestions"] = Value::Array(
        items(plan, "suggestions")
            .iter()
            .map(|s| json!([s["decision"], s["command"]]))
            .collect(),
    );
    all["not_understood"] = Value::Array(
        items(plan, "not_understood")
            .iter()
            .map(|s| json!([s["decision"], s["sentence"]]))
            .collect(),
    );
    all
}

#[test]
fn each_report_reads_the_same_however_extraction_breaks_its_lines() {
    let design = design();
    for name in ["DAG026", "DAG028", "DAG029", "DAG030"] {
        let report = fixture(name);
        let original = records_of(&import(&design, name, &report, &["--dry-run"]));
        let mut variations = vec![
            (
                "Windows line endings".to_string(),
                report.replace('\n', "\r\n"),
            ),
            (
                "no page footers".to_string(),
                report.replace("© Elexon Limited 2023  Page ", "Page "),
            ),
        ];
        // An area wrapped over two lines, its last joined to the row's id.
        for (from, to) in [
            (
                "DES138 Interface Catalogue DAG-DEC66",
                "DES138 Interface \n\nCatalogue DAG-DEC66",
            ),
            (
                "DIP Message Size DAG-DEC82",
                "DIP Message \n\nSize DAG-DEC82",
            ),
            ("CR028 Decision DAG-DEC72", "CR028 \n\nDecision DAG-DEC72"),
        ] {
            if report.contains(from) {
                variations.push((
                    format!("area wrapped onto {}", &from[from.len() - 9..]),
                    report.replace(from, to),
                ));
            }
        }
        variations.push((
            "decision ids broken at their hyphen".to_string(),
            report.replace("DAG-DEC", "DAG-\n\nDEC"),
        ));
        for width in (40..=120).step_by(10) {
            variations.push((
                format!("lines rewrapped at {width} columns"),
                rewrap(&report, width),
            ));
        }
        for (what, text) in &variations {
            assert_ne!(text, &report, "{name}, {what}: the report is unchanged");
            let plan = records_of(&import(
                &design,
                &format!("{name}-variation"),
                text,
                &["--dry-run"],
            ));
            for part in [
                "meeting",
                "decisions",
                "actions",
                "changes",
                "suggestions",
                "not_understood",
            ] {
                assert_eq!(plan[part], original[part], "{name}, {what}: {part}");
            }
        }
        import(&design, name, &report, &[]);
    }
}

#[test]
fn importing_again_writes_nothing_and_a_conflicting_report_is_refused_whole() {
    let design = after(&["DAG026", "DAG028", "DAG029", "DAG030"]);
    let count = design.commit_count();
    for name in ["DAG026", "DAG028", "DAG029", "DAG030"] {
        let again = import(&design, name, &fixture(name), &[]);
        assert_eq!(again["recorded"], false, "{name}");
        let human = design.ok(&["import", "report", &format!("reports/{name}.txt")]);
        assert!(
            human.ends_with(&format!(
                "Nothing new to record: {name} is already imported as the report has it.\n"
            )),
            "{name}: {human}"
        );
    }
    assert_eq!(design.commit_count(), count);

    // Two records contradicted, and a new decision besides: refused as a whole,
    // each contradiction named, nothing written (`refused` checks the repository).
    let changed = fixture("DAG029")
        .replace("the SRO rejected CR028", "the SRO approved CR028")
        .replace("Programme (Design) 11/10/2023", "Programme (PMO) 12/10/2023")
        .replace(
            "DAG-DEC76 The DAG approved the issuance of CR031 to Impact Assessment",
            "DAG-DEC76 The DAG approved the issuance of CR031 to Impact Assessment \n\nCR034 DAG-DEC83 The DAG approved the issuance of CR034 to Impact Assessment",
        );
    design.write("reports/DAG029-changed.txt", &changed);
    design.git(&["add", "reports"]);
    design.git(&["commit", "-qm", "reports"]);
    let line = |start: &str| changed.lines().position(|l| l.starts_with(start)).unwrap() + 1;
    let (dec72, dag29_02) = (line("CR028 Decision DAG-DEC72"), line("Guidance") + 1);
    for extra in [&[][..], &["--dry-run"][..]] {
        let mut args = vec!["import", "report", "reports/DAG029-changed.txt"];
        args.extend(extra);
        let stderr = design.refused(&args);
        for conflict in [
            format!(
                "decision DAG-DEC72 (line {dec72}) text:\n    recorded:  Following a vote of DAG members, the SRO rejected CR028\n    in report: Following a vote of DAG members, the SRO approved CR028"
            ),
            format!(
                "decision DAG-DEC72 (line {dec72}) outcome:\n    recorded:  rejected\n    in report: approved"
            ),
            format!(
                "action DAG29-02 (line {dag29_02}) owner:\n    recorded:  Programme (Design)\n    in report: Programme (PMO)"
            ),
            format!(
                "action DAG29-02 (line {dag29_02}) due:\n    recorded:  2023-10-11\n    in report: 2023-10-12"
            ),
        ] {
            assert!(stderr.contains(&conflict), "{conflict}\nnot in:\n{stderr}");
        }
        assert!(
            stderr.contains("hint: records are never edited"),
            "{stderr}"
        );
    }
    assert!(design.run(&["decision", "show", "DAG-DEC83"]).status.code() == Some(1));
}

#[test]
fn what_is_not_understood_and_what_is_suggested_are_shown_and_the_suggestion_applies() {
    let design = after(&["DAG026", "DAG028"]);
    let line = fixture("DAG029")
        .lines()
        .position(|l| l.starts_with("The SRO endorsed version 1.1"))
        .unwrap()
        + 1;
    let not_understood = format!(
        "Not understood (1): kept word for word in the decision's text; check them against the minutes\n  line {line} DAG-DEC74: The Programme will publish it with IR4\n"
    );
    let command = "baseline decision correct DAG-DEC75 --artefact DES210 --reason \"the DAG029 headline report names them by title\"";
    design.write("reports/DAG029.txt", &fixture("DAG029"));
    for extra in [&["--dry-run"][..], &[][..]] {
        let mut args = vec!["import", "report", "reports/DAG029.txt"];
        args.extend(extra);
        let out = design.ok(&args);
        assert!(out.contains(&not_understood), "{extra:?}: {out}");
        assert!(
            out.contains("DAG-DEC75 names DIP Onboarding Guidance (DES210):"),
            "{out}"
        );
        assert!(out.contains(command), "{out}");
    }
    // The sentence is kept in the decision's text as the report gives it.
    let dec74 = design.json(&["decision", "show", "DAG-DEC74"]);
    assert!(
        dec74["text"]
            .as_str()
            .unwrap()
            .ends_with("The Programme will publish it with IR4")
    );
    // DAG-DEC75 names no artefact by id, so it may approve any; once the
    // suggested correction is made, it approves DES210 only.
    let args: Vec<&str> = vec![
        "decision",
        "correct",
        "DAG-DEC75",
        "--artefact",
        "DES210",
        "--reason",
        "the DAG029 headline report names them by title",
        "--date",
        "2023-10-04",
    ];
    design.ok(&args);
    let dec75 = design.json(&["decision", "show", "DAG-DEC75"]);
    assert_eq!(dec75["artefacts"], json!(["DES210"]));
    design.ok(&["draft", "DES210", "--date", "2023-10-02"]);
    design.ok(&["draft", "DES138", "--date", "2023-10-02"]);
    let refused = design.refused(&[
        "approve",
        "DES138",
        "--decision",
        "DAG-DEC75",
        "--date",
        "2023-10-04",
    ]);
    assert!(refused.contains("DAG-DEC75 approves DES210"), "{refused}");
    design.approve("DES210", "DAG-DEC75", "2023-10-04");
    design.ok(&["verify"]);
}

#[test]
fn a_change_the_import_created_is_completed_with_change_amend() {
    let design = after(&["DAG026"]);
    let created = design.json(&["change", "show", "CR027"]);
    assert_eq!(created["affects"], json!([]));
    design.ok(&[
        "change",
        "amend",
        "CR027",
        "--title",
        "New DIP flow for e-billing of site specific DUoS charging",
        "--affects",
        "DIP-ICC",
        "--reason",
        "title and scope from the CR form",
        "--date",
        "2023-07-13",
    ]);
    let amended = design.json(&["change", "show", "CR027"]);
    assert_eq!(
        amended["title"], "CR027 (named in the DAG026 headline report; title to be confirmed)",
        "the title raised stays on record"
    );
    assert_eq!(
        amended["amendments"][0]["title"],
        "New DIP flow for e-billing of site specific DUoS charging"
    );
    assert_eq!(amended["amendments"][0]["affects"], json!(["DIP-ICC"]));
    assert_eq!(
        amended["history"].as_array().unwrap().last().unwrap()["state"],
        "impact-assessment"
    );
    let list = design.ok(&["change", "list"]);
    let row = list.lines().find(|l| l.starts_with("CR027")).unwrap();
    assert!(
        row.contains("DIP-ICC") && row.contains("New DIP flow for e-billing"),
        "{list}"
    );
    // Importing the report again leaves the amended change as it is.
    assert_eq!(
        import(&design, "DAG026", &fixture("DAG026"), &[])["recorded"],
        false
    );
    design.ok(&["verify"]);
}

#[test]
fn a_dry_run_in_json_lists_every_record_and_step_the_import_writes() {
    let design = after(&["DAG026"]);
    let dry = import(&design, "DAG028", &fixture("DAG028"), &["--dry-run"]);
    assert_eq!(dry["dry_run"], true);
    let before = design.commit_count();
    import(&design, "DAG028", &fixture("DAG028"), &[]);
    assert_eq!(design.commit_count(), before + 1);
    // Every new or updated record is in the repository as the dry run gave it,
    // and holds exactly the steps it listed after those recorded before.
    for (kind, folder, command) in [
        ("decisions", "decisions", "decision"),
        ("actions", "actions", "action"),
        ("changes", "changes", "change"),
    ] {
        for entry in items(&dry, kind) {
            let id = entry["record"]["id"].as_str().unwrap();
            let shown = design.json(&[command, "show", id]);
            if entry["status"] == "unchanged" {
                continue;
            }
            assert!(
                design.file(&format!("{folder}/{id}.toml")).exists(),
                "{kind} {id}"
            );
            if kind == "decisions" {
                let (shown, listed) = (essence(&shown), essence(&entry["record"]));
                for (field, value) in listed.as_object().unwrap() {
                    assert_eq!(&shown[field], value, "decision {id} {field}");
                }
                continue;
            }
            let history: Vec<Value> = shown["history"]
                .as_array()
                .unwrap()
                .iter()
                .map(essence)
                .collect();
            let steps: Vec<Value> = entry["new_steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(essence)
                .collect();
            assert!(!steps.is_empty(), "{kind} {id}: no steps listed");
            assert_eq!(
                history[history.len() - steps.len()..],
                steps[..],
                "{kind} {id}"
            );
        }
    }
    let written = design.git(&["show", "--stat", "--format=", "HEAD"]);
    let files = written.lines().filter(|l| l.contains(".toml")).count();
    let listed = 1 + ["decisions", "actions", "changes"]
        .iter()
        .map(|k| {
            items(&dry, k)
                .iter()
                .filter(|e| e["status"] != "unchanged")
                .count()
        })
        .sum::<usize>();
    assert_eq!(files, listed, "{written}");
}

#[test]
fn a_decisions_own_date_and_undecidable_changes_are_read_from_the_report() {
    let design = after(&["DAG026", "DAG028", "DAG029"]);
    // The table says only "by correspondence": the discussion gives the date.
    let undated = fixture("DAG030").replace(
        "by correspondence on 18/10/2023: the SRO",
        "by correspondence: the SRO",
    );
    let plan = import(&design, "undated", &undated, &["--dry-run"]);
    assert_eq!(
        item(&plan, "decisions", "DAG-DEC80")["record"]["date"],
        "2023-10-18"
    );
    // Neither gives one: the meeting's date, and a warning.
    let no_date = undated.replace("by correspondence on 18 October 2023", "by correspondence");
    let plan = import(&design, "no-date", &no_date, &["--dry-run"]);
    assert_eq!(
        item(&plan, "decisions", "DAG-DEC80")["record"]["date"],
        "2023-11-01"
    );
    let line = no_date
        .lines()
        .position(|l| l.starts_with("DAG-DEC80"))
        .unwrap()
        + 1;
    assert!(
        items(&plan, "warnings").contains(&json!({"line": line,
            "message": "decision DAG-DEC80 was taken by correspondence on a date the report does not give: it takes the meeting's date"})),
        "{:#}",
        plan["warnings"]
    );
    // An area naming two changes, a text naming none: nothing moved, and said.
    let two = fixture("DAG030")
        .replace("CR033 Decision DAG-DEC81 The SRO did not approve CR033, as the change is not required for go-live; CR033 is rejected",
            "CR033 & CR034 Decision DAG-DEC81 The SRO did not approve the change");
    let plan = import(&design, "two", &two, &["--dry-run"]);
    let dec81 = &item(&plan, "decisions", "DAG-DEC81")["record"];
    assert_eq!(dec81["outcome"], "rejected");
    assert_eq!(dec81.get("changes"), None);
    assert_eq!(
        dec81["relates_to"],
        json!([{"change": "CR033", "relation": "mentions"}, {"change": "CR034", "relation": "mentions"}])
    );
    assert!(items(&plan, "warnings").iter().any(|w| w["message"]
        == "decision DAG-DEC81: its text names no change and its area names CR033, CR034: which it decides cannot be told, so none is moved"));
}

#[test]
fn a_post_meeting_update_that_gives_its_date_is_dated_so() {
    let design = design();
    let text = fixture("DAG026").replace(
        "POST MEETING UPDATE: The DAG Chair determined",
        "POST MEETING UPDATE: On 13 July 2023 the DAG Chair determined",
    );
    let plan = import(&design, "DAG026", &text, &["--dry-run"]);
    let dec60 = &item(&plan, "decisions", "DAG-DEC60")["record"];
    assert_eq!(dec60["date"], "2023-07-13");
    assert_eq!(dec60["changes"], json!(["CR018", "CR017"]));
}

#[test]
fn an_action_closed_in_its_due_cell_and_votes_counted_twice_otherwise() {
    let design = after(&["DAG026", "DAG028", "DAG029"]);
    let text = fixture("DAG030")
        .replace("(PMO) \n18/10/2023", "(PMO) \nClosed")
        .replace(
            "DAG29-01: Action closed; CR029 will be implemented in IR4. \n",
            "",
        )
        .replace(
            "eight voted to approve, three",
            "seven voted to approve, four",
        );
    let plan = import(&design, "DAG030", &text, &["--dry-run"]);
    assert_new_steps(
        &plan,
        "actions",
        "DAG29-01",
        &[action_step("closed", "2023-11-01", "DAG030", None, None)],
    );
    let dec82 = &item(&plan, "decisions", "DAG-DEC82")["record"];
    assert_eq!(
        dec82["votes"],
        json!({"approve": 8, "reject": 3, "abstain": 1}),
        "the table's count"
    );
    let line = text
        .lines()
        .position(|l| l.starts_with("DIP Message Size DAG-DEC82"))
        .unwrap()
        + 1;
    assert!(items(&plan, "warnings").contains(&json!({"line": line,
        "message": "decision DAG-DEC82: the discussion counts its votes otherwise (7 to approve, 4 to reject, 1 abstained); the decisions table's count is kept"})),
        "{:#}", plan["warnings"]);
}

/// Each report imported on its own, into a repository that has none of the
/// reports before it: every change it is first to name is raised by its
/// earliest step (a decision by correspondence may come before the meeting),
/// and verify finds nothing.
#[test]
fn each_report_imported_alone_leaves_a_repository_verify_accepts() {
    for name in ["DAG028", "DAG029", "DAG030"] {
        let design = after(&[name]);
        let (code, report) = common::verify_report(design.path(), &["--no-cache"]);
        assert_eq!(
            (code, common::finding_codes(&report)),
            (0, vec![]),
            "{name}"
        );
    }
}

/// Two reports a reviewer wrote to break the importer (other phrasings:
/// capitals, "agreed to defer", a date without its year, an id broken at its
/// hyphen, a CR "will be implemented", an action row on one line), imported
/// in order: the records the reviewer said they must give.
#[test]
fn reports_written_to_break_the_importer_give_the_records_they_should() {
    let design = reviewer_design();
    for name in ["DAG045", "DAG046"] {
        let plan = import(&design, name, &fixture(name), &[]);
        assert_eq!(plan["recorded"], true, "{name}");
    }
    let decision = |id: &str| design.json(&["decision", "show", id]);
    let relations = |id: &str| {
        decision(id)["relates_to"]
            .as_array()
            .map(|all| {
                all.iter()
                    .map(|r| {
                        format!(
                            "{} {}",
                            r["change"].as_str().unwrap(),
                            r["relation"].as_str().unwrap()
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let dec151 = decision("DAG-DEC151");
    assert_eq!(
        (&dec151["date"], &dec151["authority"], &dec151["artefacts"]),
        (&json!("2025-03-03"), &json!("DAG"), &json!(["DES220"])),
        "by email on 3 March, the year from the meeting"
    );
    assert_eq!(
        decision("DAG-DEC152")["authority"],
        "DAG",
        "The DAG APPROVED"
    );
    assert_eq!(
        decision("DAG-DEC156")["outcome"],
        "deferred",
        "agreed to defer"
    );
    assert_eq!(
        relations("DAG-DEC158"),
        ["CR041 incorporates", "CR043 incorporates"]
    );
    let dec161 = decision("DAG-DEC161");
    assert_eq!(
        (&dec161["outcome"], &dec161["authority"]),
        (&json!("rejected"), &json!("SRO"))
    );
    assert_eq!(
        relations("DAG-DEC165"),
        ["CR041 mentions"],
        "will be implemented in IR6"
    );
    let steps = |id: &str| {
        design.json(&["change", "show", id])["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                format!(
                    "{} {}",
                    s["state"].as_str().unwrap(),
                    s["decision"].as_str().unwrap_or("-")
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        steps("CR047"),
        ["raised -", "impact-assessment DAG-DEC163"],
        "DAG-/DEC163"
    );
    assert!(!steps("CR041").iter().any(|s| s.ends_with("DAG-DEC165")));
    assert_eq!(
        design.json(&["action", "show", "DAG43-05"])["owner"],
        "Chair"
    );
    let (code, report) = common::verify_report(design.path(), &["--no-cache"]);
    assert_eq!((code, common::finding_codes(&report)), (0, vec![]));
}

/// The artefacts the reviewer's reports speak of too, registered.
fn reviewer_design() -> Design {
    let design = design();
    for (id, title) in [
        ("DES220", "Load Shaping Service Specification"),
        ("DES231", "Data Retention Policy"),
        ("OC", "Operational Choreography Design Artefact"),
    ] {
        let file = format!("in/{}.md", id.to_lowercase());
        design.write(&file, &format!("# {title}\n"));
        design.ok(&["add", id, "--title", title, &file]);
    }
    design
}

/// The last decision's text runs on over lines that look like an area: no
/// row follows it, so they are its text.
#[test]
fn the_last_decisions_text_keeps_its_last_lines() {
    let design = reviewer_design();
    import(&design, "DAG045", &fixture("DAG045"), &[]);
    let last_row = "CR041 Implementation DAG-DEC165 The DAG ratified the Programme’s confirmation that CR041 will be implemented in IR6 \n";
    let report = fixture("DAG046");
    assert!(report.contains(last_row));
    let plan = import(
        &design,
        "DAG046-short",
        &report.replace(last_row, ""),
        &["--dry-run"],
    );
    let text = item(&plan, "decisions", "DAG-DEC164")["record"]["text"].clone();
    assert!(
        text.as_str()
            .unwrap()
            .ends_with("baselining of DES231 Data Retention Policy v1.0"),
        "{text}"
    );
}

/// A later report that shortens a carried-over action's text is not a
/// contradiction: the import goes ahead, says so, and the action keeps the
/// words it was raised with.
#[test]
fn a_carried_over_action_worded_otherwise_keeps_its_words_and_is_said() {
    let design = after(&["DAG026", "DAG028"]);
    let raised = design.json(&["action", "show", "DAG28-02"])["text"].clone();
    let shortened = fixture("DAG029").replace(
        "Programme to set out the timetable for the next version of the DES138 Interface Catalogue, including the \n\ncolumn added for CR025",
        "Programme to set out the timetable for the next DES138 version",
    );
    assert_ne!(shortened, fixture("DAG029"));
    let plan = import(&design, "DAG029", &shortened, &[]);
    assert_eq!(plan["recorded"], true);
    let said = plan["warnings"].to_string();
    assert!(
        said.contains("action DAG28-02 is listed with another text (\\\"Programme to set out the timetable for the next DES138 version\\\"); it keeps the text it was raised with"),
        "{said}"
    );
    assert_eq!(design.json(&["action", "show", "DAG28-02"])["text"], raised);
}

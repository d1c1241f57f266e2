//! `baseline import register`: a programme's existing register (CSV or
//! workbook) adopted in one commit, at the versions it gives, or refused row by
//! row with nothing written.

mod common;

use common::{Design, finding_codes, verify_report};

const POLICY: &str = "# DIP PKI Policy\n\nCertificates are issued by the DIP.\n";
const MAPPING: &str = "D-Flow,Name\nD0012,Reading\nD0300,Dispute\n";

/// A design with decision DAG-DEC64 (approved 2024-03-01) and, in `in/files`,
/// the programme's files under the names its register uses.
fn design() -> Design {
    let design = Design::new();
    design.decision("DAG-DEC64", "2024-03-01", "approved", &[]);
    design.write("in/files/DIP PKI Policy v2.1.md", POLICY);
    design.write(
        "in/files/Mappings/DES196 D-Flow Mapping v1.0.3.csv",
        MAPPING,
    );
    design
}

const HEADER: &str = "Doc Number,Short Name,Sub Type,Status,Version,File\n";
const GOOD_ROWS: &str = "DIP-PKI-POL,DIP PKI Policy,Policy,Baselined,2.1,DIP PKI Policy v2.1.md\n\
     DES196,D-Flow and Interface Mapping,Design Artefact,Approved,v1.0.3,Mappings/DES196 D-Flow Mapping v1.0.3.csv\n";

/// `import register REGISTER --files in/files --decision DAG-DEC64 --date
/// 2024-03-02`, then `more`.
fn adopt_args<'a>(register: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "import",
        "register",
        register,
        "--files",
        "in/files",
        "--decision",
        "DAG-DEC64",
        "--date",
        "2024-03-02",
    ];
    args.extend(more);
    args
}

fn adopt(design: &Design, register: &str, more: &[&str]) -> std::process::Output {
    design.run(&adopt_args(register, more))
}

fn adopted(design: &Design, register: &str) -> String {
    let output = adopt(design, register, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_csv_register_is_adopted_in_one_commit_at_its_versions() {
    let design = design();
    design.write("in/register.csv", &format!("{HEADER}{GOOD_ROWS}"));
    let commits = design.commit_count();
    let printed = adopted(&design, "in/register.csv");
    assert!(printed.contains("Adopted 2 artefact(s)"), "{printed}");
    assert_eq!(design.commit_count(), commits + 1);
    let record = design.read("artefacts/DES196/versions/1.0.3.toml");
    for expected in [
        "status = \"baselined\"",
        "date = \"2024-03-02\"",
        "file = \"des196.csv\"",
        "decisions = [\"DAG-DEC64\"]",
        "[adopted]",
        "register = \"register.csv\"",
        "row = 3",
        "source_file = \"Mappings/DES196 D-Flow Mapping v1.0.3.csv\"",
    ] {
        assert!(record.contains(expected), "{expected} in\n{record}");
    }
    assert!(!record.contains("promotes"), "{record}");
    let artefact = design.read("artefacts/DIP-PKI-POL/artefact.toml");
    assert!(
        artefact.contains("title = \"DIP PKI Policy\"") && artefact.contains("kind = \"Policy\""),
        "{artefact}"
    );
    assert_eq!(
        design.git(&["tag", "-l"]),
        "DES196/v1.0.3\nDIP-PKI-POL/v2.1\n"
    );
    assert_eq!(design.ok(&["cat", "DES196@1.0.3"]), MAPPING);
    assert_eq!(design.ok(&["cat", "DIP-PKI-POL@baseline"]), POLICY);
    assert_eq!(design.read("artefacts/DIP-PKI-POL/dip-pki-pol.md"), POLICY);
    assert_eq!(
        design.git(&["status", "--porcelain", "--", "artefacts"]),
        "",
        "the working tree and index hold what was committed"
    );
    let (code, report) = verify_report(design.path(), &["--no-cache"]);
    assert_eq!((code, finding_codes(&report)), (0, vec![]), "{report}");
    let trace = design.json(&["trace", "DAG-DEC64"]);
    assert_eq!(
        trace["versions"].as_array().unwrap().len(),
        2,
        "the decision's trace lists what it adopted: {trace}"
    );
}

#[test]
fn a_workbook_register_is_adopted_and_work_continues_under_change_control() {
    let design = design();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Artefacts").unwrap();
    for (column, header) in [
        "Doc Number",
        "Short Name",
        "Sub Type",
        "Status",
        "Version",
        "File",
    ]
    .iter()
    .enumerate()
    {
        sheet.write(0, column as u16, *header).unwrap();
    }
    sheet
        .write_row(
            1,
            0,
            [
                "DIP-PKI-POL",
                "DIP PKI Policy",
                "Policy",
                "Published",
                "5.6.1",
                "DIP PKI Policy v2.1.md",
            ],
        )
        .unwrap();
    book.save(design.file("in/register.xlsx")).unwrap();
    adopted(&design, "in/register.xlsx");
    let record = design.read("artefacts/DIP-PKI-POL/versions/5.6.1.toml");
    assert!(record.contains("sheet = \"Artefacts\""), "{record}");

    design.write(
        "artefacts/DIP-PKI-POL/dip-pki-pol.md",
        "# DIP PKI Policy\n\nRevised.\n",
    );
    let drafted = design.ok(&["draft", "DIP-PKI-POL", "--date", "2024-04-01"]);
    assert!(drafted.contains("DIP-PKI-POL 5.7"), "{drafted}");
    let refused = design.refused(&[
        "approve",
        "DIP-PKI-POL",
        "--decision",
        "DAG-DEC64",
        "--date",
        "2024-04-02",
    ]);
    assert!(refused.contains("under change control"), "{refused}");
    design.ok(&[
        "change",
        "add",
        "CR030",
        "--title",
        "Revise the policy",
        "--affects",
        "DIP-PKI-POL",
        "--date",
        "2024-04-01",
    ]);
    design.ok(&[
        "change",
        "set",
        "CR030",
        "impact-assessment",
        "--date",
        "2024-04-01",
    ]);
    design.decision("DAG-DEC70", "2024-04-02", "approved", &["DIP-PKI-POL"]);
    design.ok(&[
        "change",
        "set",
        "CR030",
        "approved",
        "--decision",
        "DAG-DEC70",
        "--date",
        "2024-04-02",
    ]);
    let approved = design.ok(&[
        "approve",
        "DIP-PKI-POL",
        "--decision",
        "DAG-DEC70",
        "--change",
        "CR030",
        "--date",
        "2024-04-02",
    ]);
    assert!(approved.contains("DIP-PKI-POL 6.0"), "{approved}");
    let (code, report) = verify_report(design.path(), &["--no-cache"]);
    assert_eq!((code, finding_codes(&report)), (0, vec![]), "{report}");
}

#[test]
fn every_bad_row_is_reported_with_its_row_and_nothing_is_written() {
    let design = design();
    design.write("in/oc.md", "# Operational Choreography\n");
    design.ok(&[
        "add",
        "OC",
        "--title",
        "Operational Choreography",
        "in/oc.md",
    ]);
    design.write("in/files/Design Note.md", "# Note\n");
    design.write("outside.md", "# Outside\n");
    std::os::unix::fs::symlink(design.file("outside.md"), design.file("in/files/link.md")).unwrap();
    design.write(
        "in/register.csv",
        &format!(
            "{HEADER}{GOOD_ROWS}\
             DES1,Missing,,Baselined,1.0,Not There.md\n\
             DES196,Again,,Baselined,2.0,Design Note.md\n\
             DES3,Bad version,,Baselined,1.0.x,Design Note.md\n\
             DES4,Escapes,,Baselined,1.0,../../outside.md\n\
             DES5,Linked,,Baselined,1.0,link.md\n\
             oc,Registered,,Baselined,1.0,/etc/passwd\n\
             DES7,Draft,,Draft,0.3,Design Note.md\n\
             bad id,Spaces,,Baselined,1.0,Design Note.md\n"
        ),
    );
    let stderr = design.refused(&adopt_args("in/register.csv", &[]));
    for expected in [
        "register.csv: 8 row(s) cannot be adopted, so nothing was recorded",
        "row 4, File: there is no Not There.md in",
        "row 5, Doc Number: DES196 is listed again: row 3 has it too",
        "row 6, Version: `1.0.x` is not a version number",
        "row 7, File: \"../../outside.md\" leads out of the --files folder",
        "row 8, File: \"link.md\" passes through a symbolic link",
        "row 9, Doc Number: artefact OC is already registered",
        "row 9, File: \"/etc/passwd\" is an absolute path",
        "row 10, Status: \"Draft\" is not a baselined status",
        "row 11, Doc Number: artefact id \"bad id\" is not allowed",
        "row 11, File: Design Note.md is named again: row 5 names it too",
        "hint: correct those rows",
    ] {
        assert!(stderr.contains(expected), "{expected:?} in\n{stderr}");
    }
    assert!(!design.file("artefacts/DES196").exists());
}

#[test]
fn json_lists_the_plan_or_the_problems_and_a_dry_run_writes_nothing() {
    let design = design();
    design.write("in/register.csv", &format!("{HEADER}{GOOD_ROWS}"));
    let before = design.snapshot();
    let plan = design.json(&adopt_args("in/register.csv", &["--dry-run"]));
    assert_eq!(before, design.snapshot(), "a dry run writes nothing");
    assert_eq!(plan["dry_run"], true);
    assert_eq!(plan["recorded"], false);
    assert_eq!(plan["register"]["file"], "register.csv");
    assert_eq!(plan["decisions"][0], "DAG-DEC64");
    let first = &plan["artefacts"][0];
    assert_eq!(first["row"], 2);
    assert_eq!(first["id"], "DIP-PKI-POL");
    assert_eq!(first["version"], "2.1");
    assert_eq!(first["file"], "dip-pki-pol.md");
    assert_eq!(first["source_file"], "DIP PKI Policy v2.1.md");
    assert_eq!(first["tag"], "DIP-PKI-POL/v2.1");
    assert_eq!(plan["problems"].as_array().unwrap().len(), 0);

    design.write(
        "in/bad.csv",
        &format!("{HEADER}DES9,Nine,,Baselined,1.0,none.md\n"),
    );
    let before = design.snapshot();
    let output = design
        .cmd()
        .args(adopt_args("in/bad.csv", &["--format", "json"]))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let refused: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(refused["recorded"], false);
    assert_eq!(refused["problems"][0]["row"], 2);
    assert_eq!(refused["problems"][0]["column"], "File");
    assert_eq!(before, design.snapshot());
}

#[test]
fn the_decision_must_be_recorded_approved_and_not_later_than_the_adoption() {
    let design = design();
    design.write("in/register.csv", &format!("{HEADER}{GOOD_ROWS}"));
    design.decision("DAG-DEC65", "2024-03-01", "rejected", &[]);
    // A decision that lists artefacts can only name registered ones.
    design.write("in/oc.md", "# Operational Choreography\n");
    design.ok(&[
        "add",
        "OC",
        "--title",
        "Operational Choreography",
        "in/oc.md",
    ]);
    design.decision("DAG-DEC66", "2024-03-01", "approved", &["OC"]);
    let run = |decision: &str, date: &str| {
        design.refused(&[
            "import",
            "register",
            "in/register.csv",
            "--files",
            "in/files",
            "--decision",
            decision,
            "--date",
            date,
        ])
    };
    assert!(run("DAG-DEC99", "2024-03-02").contains("no decision DAG-DEC99 is recorded"));
    assert!(run("DAG-DEC65", "2024-03-02").contains("has outcome `rejected`"));
    assert!(run("DAG-DEC64", "2024-02-28").contains("after the adoption date 2024-02-28"));
    let listing = run("DAG-DEC66", "2024-03-02");
    assert!(
        listing.contains("row 2, Doc Number: decision DAG-DEC66 approves OC, not DIP-PKI-POL"),
        "{listing}"
    );
}

#[test]
fn a_register_without_its_required_columns_is_refused() {
    let design = design();
    design.write(
        "in/register.csv",
        "Doc Number,Title,File\nDES1,One,one.md\n",
    );
    let stderr = design.refused(&[
        "import",
        "register",
        "in/register.csv",
        "--files",
        "in/files",
        "--decision",
        "DAG-DEC64",
    ]);
    assert!(
        stderr.contains("register.csv: the header (row 1) has no column Version"),
        "{stderr}"
    );
}

/// Adopted baselines are not signed: where the policy requires every baseline
/// to be, the adoption is refused before anything is written (issue 20).
#[test]
fn a_register_is_not_adopted_while_signed_baselines_are_required() {
    let design = design();
    design.ok(&[
        "policy",
        "set",
        "require_signed_baselines",
        "true",
        "--decision",
        "DAG-DEC64",
        "--date",
        "2024-03-01",
    ]);
    design.write("in/register.csv", &format!("{HEADER}{GOOD_ROWS}"));
    let said = design.refused(&adopt_args("in/register.csv", &[]));
    assert!(
        said.contains("a register's adopted baselines are not signed"),
        "{said}"
    );
    assert!(
        said.contains("hint: adopt the register before switching the policy on"),
        "{said}"
    );
}

//! The DAG026 scenario runs as the README says, and leaves the repository the
//! headline report describes.

mod common;

use std::path::Path;

fn json(repo: &Path, args: &[&str]) -> serde_json::Value {
    let out = common::baseline_in(repo)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_dag026_meeting_is_recorded_as_the_report_says() {
    let (_dir, repo, printed) = common::example();
    assert!(
        printed.contains("(refused as expected)"),
        "the refusal is shown"
    );

    let register = json(&repo, &["list"]);
    let baselines: Vec<(String, String, String)> = register
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["baseline"].is_null())
        .map(|r| {
            (
                r["id"].as_str().unwrap().into(),
                r["baseline"]["version"].as_str().unwrap().into(),
                r["baseline"]["decisions"][0].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        baselines,
        [
            ("DES138".into(), "5.6.1".into(), "DAG-DEC62".into()),
            ("DES196".into(), "1.0".into(), "DAG-DEC57".into()),
            ("DIP-ICC".into(), "2.0".into(), "DAG-DEC62".into()),
            ("DIP-PKI-CP".into(), "1.0".into(), "DAG-DEC56".into()),
            ("DIP-PKI-POL".into(), "1.0".into(), "DAG-DEC56".into()),
        ]
    );
    let oc = register
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "OC")
        .unwrap();
    assert!(oc["baseline"].is_null());
    assert_eq!(oc["pending_draft"]["changes"][0], "CR018");

    let cat = |reference: &str| {
        let out = common::baseline_in(&repo)
            .args(["cat", reference])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let draft = cat("DES196@0.1");
    let baseline = cat("DES196@1.0");
    assert!(draft.lines().any(|l| l.starts_with("D0012,")));
    assert!(!baseline.lines().any(|l| l.starts_with("D0012,")));
    for kept in ["D0300,", "D0379,", "D0275,"] {
        assert!(baseline.lines().any(|l| l.starts_with(kept)), "{kept} kept");
    }
    assert_eq!(
        baseline,
        cat("DES196@0.2"),
        "1.0 promotes 0.2 byte for byte"
    );

    let last_step = |id: &str| {
        let change = json(&repo, &["change", "show", id]);
        let step = change["history"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        (
            step["state"].as_str().unwrap().to_string(),
            step["decision"].as_str().unwrap_or("").to_string(),
        )
    };
    assert_eq!(last_step("CR017"), ("rejected".into(), "DAG-DEC60".into()));
    assert_eq!(last_step("CR018"), ("approved".into(), "DAG-DEC60".into()));
    assert_eq!(last_step("CR025"), ("approved".into(), "DAG-DEC59".into()));
    assert_eq!(
        last_step("CR027"),
        ("impact-assessment".into(), "DAG-DEC58".into())
    );
    assert_eq!(last_step("CR024"), ("impact-assessment".into(), "".into()));

    let decisions: Vec<String> = json(&repo, &["decision", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        decisions,
        [
            "DAG-DEC55",
            "DAG-DEC56",
            "DAG-DEC57",
            "DAG-DEC58",
            "DAG-DEC59",
            "DAG-DEC60",
            "DAG-DEC61",
            "DAG-DEC62",
            "DAG-DEC63"
        ]
    );

    let trace = json(&repo, &["trace", "DES196@1.0"]);
    assert_eq!(trace["tag"]["matches"], true);
    assert_eq!(trace["decisions"][0]["meeting"], "DAG026");

    assert_eq!(
        common::git_in(&repo, &["tag", "-l"]),
        "DES138/v5.6.1\nDES196/v1.0\nDIP-ICC/v1.0\nDIP-ICC/v2.0\nDIP-PKI-CP/v1.0\nDIP-PKI-POL/v1.0\n"
    );
    assert_eq!(common::git_in(&repo, &["status", "--porcelain"]), "");
    let fsck = std::process::Command::new("git")
        .args(["fsck", "--strict", "--no-dangling"])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert!(fsck.status.success() && fsck.stdout.is_empty() && fsck.stderr.is_empty());
}

/// The example's sample documents, as committed.
fn sample(path: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/dag026/docs")
            .join(path),
    )
    .unwrap()
}

#[test]
fn the_word_and_excel_artefacts_are_recorded_and_redlined() {
    let (_dir, repo, printed) = common::example();
    let cat = |reference: &str| {
        let out = common::baseline_in(&repo)
            .args(["cat", reference])
            .output()
            .unwrap();
        assert!(out.status.success(), "cat {reference}");
        out.stdout
    };

    // Each version is the sample file byte for byte: DIP-ICC 1.0 baselined on
    // DAG-DEC56, 1.1 drafted under CR025; DES138 0.1 and 0.2 drafts.
    for (reference, file) in [
        ("DIP-ICC@1.0", "interface-code-of-connections.docx"),
        ("DIP-ICC@1.1", "cr025/interface-code-of-connections.docx"),
        (
            "DES138@0.1",
            "before-dag026/des138-interface-catalogue.xlsx",
        ),
        ("DES138@0.2", "cr025/des138-interface-catalogue.xlsx"),
    ] {
        assert!(cat(reference) == sample(file), "{reference} is not {file}");
    }
    let register = json(&repo, &["list"]);
    let row = |id: &str| {
        register
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    let (icc, des138) = (row("DIP-ICC"), row("DES138"));
    // DAG027's DAG-DEC62 baselined both with CR025's changes.
    assert_eq!(icc["format"], "docx");
    assert_eq!(icc["baseline"]["version"], "2.0");
    assert_eq!(
        icc["baseline"]["decisions"],
        serde_json::json!(["DAG-DEC62"])
    );
    assert_eq!(icc["baseline"]["changes"], serde_json::json!(["CR025"]));
    assert!(icc["pending_draft"].is_null());
    assert_eq!(des138["format"], "xlsx");
    assert_eq!(des138["baseline"]["version"], "5.6.1");
    assert_eq!(des138["baseline"]["changes"], serde_json::json!(["CR025"]));
    assert!(des138["pending_draft"].is_null());
    let version = json(&repo, &["show", "DIP-ICC@1.1"])["version"].clone();
    assert_eq!(version["status"], "draft");
    assert_eq!(version["date"], "2023-07-26");
    assert_eq!(version["file"], "interface-code-of-connections.docx");

    // The red-lined Word copy: 1.1's document with every change from 1.0 as a
    // tracked change by the example's recorder on 1.1's date.
    let wrote = "Wrote the docx redline of DIP-ICC to ";
    let path = printed
        .lines()
        .find_map(|l| l.strip_prefix(wrote))
        .expect("run.sh writes the Word redline");
    assert!(path.ends_with("/DIP-ICC v1.1 redline.docx"), "{path}");
    let red = std::fs::read(path).unwrap();
    let (old, new) = (cat("DIP-ICC@1.0"), cat("DIP-ICC@1.1"));
    common::assert_accepts_to_new_and_rejects_to_old(&red, &old, &new);
    let document = {
        use std::io::Read;
        let mut package = zip::ZipArchive::new(std::io::Cursor::new(&red)).unwrap();
        let mut part = package.by_name("word/document.xml").unwrap();
        let mut xml = String::new();
        part.read_to_string(&mut xml).unwrap();
        xml
    };
    let by = r#"w:author="MHHS Design Team (example)" w:date="2023-07-26T00:00:00Z""#;
    let (ins, del) = (
        document.matches("<w:ins ").count(),
        document.matches("<w:del ").count(),
    );
    assert!(ins >= 4 && del >= 4, "{ins} insertions, {del} deletions");
    assert_eq!(
        document.matches(by).count(),
        ins + del,
        "every mark is {by}"
    );
    for expected in [
        "<w:delText xml:space=\"preserve\">Update</w:delText>",
        "<w:t xml:space=\"preserve\">Change Notification</w:t>",
        "Redline of DIP-ICC: Interface Code of Connections",
        "From DIP-ICC@1.0 (baselined, 2023-07-12), sha256 ",
        "To DIP-ICC@1.1 (draft, 2023-07-26), sha256 ",
        "DAG-DEC56 (approved 2023-07-12, DAG026, SRO)",
        "CR CR025 (approved): DIP Interface Name Changes",
    ] {
        assert!(document.contains(expected), "{expected} not in the redline");
    }

    // The workbook's redline, sheet by sheet: CR025's column and renames on
    // Interfaces, a row added to Version History, About unchanged.
    let redline = json(&repo, &["redline", "DES138", "0.1", "0.2"]);
    let sections: Vec<&str> = redline["summary"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["section"].as_str().unwrap())
        .collect();
    assert_eq!(sections, ["Interfaces", "Version History"]);
    let hunks = redline["body"]["hunks"].as_array().unwrap();
    let words = |hunk: &serde_json::Value, op: &str| -> Vec<String> {
        hunk["words"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["op"] == op)
            .map(|w| w["text"].as_str().unwrap().trim().to_string())
            .collect()
    };
    let renamed = hunks
        .iter()
        .find(|h| words(h, "delete") == ["Update"])
        .expect("IF-001's old name is deleted");
    assert_eq!(renamed["section"], serde_json::json!(["Interfaces"]));
    assert_eq!(
        words(renamed, "insert"),
        ["Change Notification", "| Registration Data Notice"]
    );
    let added = hunks
        .iter()
        .filter(|h| h["section"] == serde_json::json!(["Version History"]))
        .collect::<Vec<_>>();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0]["kind"], "inserted");
    assert_eq!(
        added[0]["new"],
        serde_json::json!([13, 14]),
        "one row added"
    );
    // What the example prints, and the HTML page it writes.
    for shown in [
        "| IF-021 | Meter Reading [-Notification-]{+Submission+} |",
        "+ {+| 0.2 | 26/07/2023 | CR025 DIP Interface Name Changes: ",
    ] {
        assert!(printed.contains(shown), "{shown} not printed");
    }
    let html = printed
        .lines()
        .find_map(|l| l.strip_prefix("Wrote the html redline of DES138 to "))
        .expect("run.sh writes the workbook's HTML redline");
    let html = std::fs::read_to_string(html).unwrap();
    assert!(
        html.contains(r#"Registration Data <del><span class="sr">deleted: </span>Update </del><ins><span class="sr">inserted: </span>Change Notification </ins>"#),
        "the HTML redline marks IF-001's new name"
    );
    // Cell by cell: the Interfaces sheet's rows pair by Interface ID.
    let interfaces = &redline["sheets"][1];
    assert_eq!(interfaces["sheet"], "Interfaces");
    assert_eq!(interfaces["key"], "Interface ID");
    assert_eq!(
        interfaces["columns_added"],
        serde_json::json!(["Code Drafting Term"])
    );
    assert_eq!(
        interfaces["rows"][0]["cells"][0],
        serde_json::json!({"column": "Interface Name", "old": "Registration Data Update", "new": "Registration Data Change Notification"})
    );
    // The red-lined workbook run.sh writes holds 0.2's sheets between the
    // Redline and Removed sheets, and the old name in a note.
    let xlsx = printed
        .lines()
        .find_map(|l| l.strip_prefix("Wrote the xlsx redline of DES138 to "))
        .expect("run.sh writes the red-lined workbook");
    let xlsx = std::fs::read(xlsx).unwrap();
    let book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(&xlsx[..])).unwrap();
    assert_eq!(
        calamine::Reader::sheet_names(&book),
        [
            "Redline",
            "About",
            "Interfaces",
            "Version History",
            "Removed"
        ]
    );
    let mut package = zip::ZipArchive::new(std::io::Cursor::new(&xlsx[..])).unwrap();
    let mut notes = String::new();
    std::io::Read::read_to_string(
        &mut package.by_name("xl/comments1.xml").unwrap(),
        &mut notes,
    )
    .unwrap();
    assert!(notes.contains("Was: Registration Data Update"), "{notes}");
}

/// DAG027 (an illustrative report) approves Interim Release IR3; its pack
/// holds every version byte for byte and DIP-ICC red-lined from IR2's 1.0 as
/// a Word document, and checks clean offline and in the repository.
#[test]
fn the_example_publishes_interim_release_ir3_and_its_pack_checks_clean() {
    let (dir, repo, printed) = common::example();
    let meeting = json(&repo, &["meeting", "show", "DAG027"]);
    assert_eq!(meeting["meeting"]["date"], "2023-08-09");
    let release = json(&repo, &["release", "show", "IR3"]);
    assert_eq!(release["previous"], "IR2");
    assert_eq!(release["decisions"], serde_json::json!(["DAG-DEC63"]));
    assert_eq!(release["changes"], serde_json::json!(["CR025"]));
    assert!(printed.contains("Published release IR3 to "), "{printed}");
    // Offline, then inside the repository.
    assert!(
        printed.contains("No findings: every file is as the manifest lists it.\n"),
        "{printed}"
    );
    assert!(
        printed.contains(
            "No findings: every file is as the manifest lists it, and the baselined copies are the recorded versions."
        ),
        "{printed}"
    );

    // run.sh wrote the pack beside the repository it was given; this copy of
    // the repository is elsewhere, so publish it again here.
    let pack = dir.path().join("IR3 pack");
    let out = common::baseline_in(&repo)
        .args(["publish", "IR3", pack.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let red = std::fs::read(pack.join(
        "Red-lined Design Artefacts/DIP-ICC Interface Code of Connections v2.0 red-lined from v1.0.docx",
    ))
    .unwrap();
    let (old, new) = (
        common::baseline_in(&repo)
            .args(["cat", "DIP-ICC@1.0"])
            .output()
            .unwrap()
            .stdout,
        common::baseline_in(&repo)
            .args(["cat", "DIP-ICC@2.0"])
            .output()
            .unwrap()
            .stdout,
    );
    common::assert_accepts_to_new_and_rejects_to_old(&red, &old, &new);
    let catalogue = std::fs::read(
        pack.join("Baselined Design Artefacts/DES138 Interface Catalogue v5.6.1.xlsx"),
    )
    .unwrap();
    assert!(catalogue == sample("cr025/des138-interface-catalogue.xlsx"));
    let check = common::baseline_in(&repo)
        .args([
            "verify",
            "--pack",
            pack.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(report["against_repository"], true);
    assert_eq!(report["files"], 12);
}

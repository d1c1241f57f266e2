//! Redlines through the real binary: the exact marks on known inputs, the header's
//! decisions and changes, tables, every format, escaping, and the rebuild property.

mod common;

use std::path::PathBuf;

use common::{Design, zlib};

const SCOPE_V1: &str = "# 3 Scope\n\n## 3.2 Retained flows\n\nD379 will be reviewed.\nD0012 is kept.\n\n## 3.3 Testing\n\nNot covered.\n";
const SCOPE_V2: &str = "# 3 Scope\n\n## 3.2 Retained flows\n\nD379 will be retained.\nD0012 is kept.\n\n## 3.3 Testing\n\nNot covered.\nSIT is out of scope.\n";

/// DOC drafted at 0.1 (SCOPE_V1), baselined 1.0 by DEC1, then 1.1 (SCOPE_V2) for CR1,
/// baselined 2.0 by DEC2 citing CR1.
fn history() -> Design {
    let design = Design::new();
    design.write("in/doc.md", SCOPE_V1);
    design.ok(&["add", "DOC", "--title", "Scope document", "in/doc.md"]);
    design.ok(&["draft", "DOC", "--date", "2023-06-01"]);
    design.decision("DEC1", "2023-07-01", "approved", &["DOC"]);
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC1",
        "--date",
        "2023-07-01",
    ]);
    design.ok(&[
        "change",
        "add",
        "CR1",
        "--title",
        "Retain D379",
        "--affects",
        "DOC",
        "--date",
        "2023-07-02",
    ]);
    design.ok(&[
        "change",
        "set",
        "CR1",
        "impact-assessment",
        "--date",
        "2023-07-03",
    ]);
    design.decision("DEC2", "2023-08-01", "approved", &["DOC"]);
    design.ok(&[
        "change",
        "set",
        "CR1",
        "approved",
        "--decision",
        "DEC2",
        "--date",
        "2023-08-01",
    ]);
    design.write("artefacts/DOC/doc.md", SCOPE_V2);
    design.ok(&["draft", "DOC", "--change", "CR1", "--date", "2023-08-02"]);
    design.ok(&[
        "approve",
        "DOC",
        "--decision",
        "DEC2",
        "--change",
        "CR1",
        "--date",
        "2023-08-03",
    ]);
    design
}

#[test]
fn text_marks_words_and_labels_headings() {
    let design = history();
    let out = design.ok(&["redline", "DOC", "1.0", "2.0"]);
    assert!(
        out.contains("@@ change-1 · 3 Scope › 3.2 Retained flows · modified · line 5 → line 5"),
        "{out}"
    );
    assert!(
        out.contains("~ D379 will be [-reviewed-]{+retained+}."),
        "{out}"
    );
    assert!(
        out.contains("@@ change-2 · 3 Scope › 3.3 Testing · inserted"),
        "{out}"
    );
    assert!(out.contains("+ {+SIT is out of scope.+}"), "{out}");
    assert!(
        out.contains("summary    5 words added, 0 removed, 1 changed"),
        "{out}"
    );
    assert!(
        out.contains("3 Scope › 3.2 Retained flows: 0 words added, 0 removed, 1 changed"),
        "{out}"
    );
}

#[test]
fn the_header_carries_decisions_and_changes_between_the_versions() {
    let design = history();
    let all = design.json(&["redline", "DOC", "0.1", "2.0"]);
    let ids = |key: &str| -> Vec<String> {
        all[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("decisions"), ["DEC1", "DEC2"]);
    assert_eq!(ids("changes"), ["CR1"]);
    assert_eq!(
        all["changes"][0]["versions"],
        serde_json::json!(["1.1", "2.0"])
    );
    // The decisions behind both versions: DEC1 baselined FROM, DEC2 TO.
    let last = design.json(&["redline", "DOC", "1.0", "2.0"]);
    let decisions: Vec<(&str, &serde_json::Value)> = last["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), &d["versions"]))
        .collect();
    assert_eq!(
        decisions,
        [
            ("DEC1", &serde_json::json!(["1.0"])),
            ("DEC2", &serde_json::json!(["2.0"]))
        ]
    );
    // A draft after a baseline is headed by the decision behind that baseline.
    let draft = design.json(&["redline", "DOC", "1.0", "1.1"]);
    assert_eq!(draft["decisions"][0]["id"], "DEC1");
    assert_eq!(draft["changes"][0]["id"], "CR1");
    assert_eq!(last["from"]["status"], "baselined");
    assert_eq!(last["to"]["date"], "2023-08-03");
    assert_eq!(last["to"]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn sides_default_and_parse_every_way() {
    let design = history();
    let default = design.json(&["redline", "DOC"]);
    assert_eq!(
        (
            default["from"]["reference"].as_str(),
            default["to"]["reference"].as_str()
        ),
        (Some("DOC@1.0"), Some("DOC@2.0")),
        "TO is the latest version; FROM the latest baseline before it"
    );
    design.write("artefacts/DOC/doc.md", "# 3 Scope\n\nAll new.\n");
    let working = design.json(&["redline", "DOC"]);
    assert_eq!(working["to"]["reference"], "DOC@working");
    assert_eq!(working["from"]["reference"], "DOC@2.0");
    assert_eq!(working["to"]["status"], "working");
    for (from, to) in [
        ("1.0", "2.0"),
        ("@1.0", "@2.0"),
        ("DOC@1.0", "DOC@baseline"),
        ("DOC@1.0", "latest"),
    ] {
        let r = design.json(&["redline", "DOC", from, to]);
        assert_eq!(
            (
                r["from"]["reference"].as_str(),
                r["to"]["reference"].as_str()
            ),
            (Some("DOC@1.0"), Some("DOC@2.0")),
            "{from} {to}"
        );
    }
    let both = design.json(&["redline", "DOC", "DOC@latest", "DOC@working"]);
    assert_eq!(both["to"]["reference"], "DOC@working");
    assert_eq!(
        design.run(&["redline", "DOC", "OTHER@1.0"]).status.code(),
        Some(2)
    );
    let err = design.refused(&["redline", "DOC", "7.0"]);
    assert!(err.contains("DOC has no version 7.0"), "{err}");
}

#[test]
fn json_operations_rebuild_the_new_version() {
    let design = history();
    let r = design.json(&["redline", "DOC", "0.1", "2.0"]);
    let from = design.ok(&["cat", "DOC@0.1"]);
    let lines: Vec<&str> = from.split_inclusive('\n').collect();
    let mut rebuilt = String::new();
    for op in r["ops"].as_array().unwrap() {
        let range = |v: &serde_json::Value| {
            (
                v[0].as_u64().unwrap() as usize,
                v[1].as_u64().unwrap() as usize,
            )
        };
        match op["op"].as_str().unwrap() {
            "equal" => {
                let (a, b) = range(&op["old"]);
                rebuilt.extend(lines[a..b].iter().copied());
            }
            "delete" => {}
            "insert" | "replace" => rebuilt.push_str(op["text"].as_str().unwrap()),
            other => panic!("unknown op {other}"),
        }
    }
    assert_eq!(rebuilt, design.ok(&["cat", "DOC@2.0"]));
    assert_eq!(r["body"]["kind"], "text");
    assert_eq!(
        r["body"]["hunks"][0]["words"][1],
        serde_json::json!({"op": "delete", "text": "reviewed"})
    );
}

#[test]
fn the_unified_diff_applies_with_git_apply() {
    let design = history();
    let patch = design.ok(&["redline", "DOC", "1.0", "2.0", "--format", "diff"]);
    assert!(
        patch.starts_with("# baseline redline of DOC — Scope document\n"),
        "{patch}"
    );
    assert!(
        patch.contains("# decision DEC2 (approved 2023-08-01): Decided."),
        "{patch}"
    );
    design.write("artefacts/DOC/doc.md", SCOPE_V1);
    design.write("redline.patch", &patch);
    design.git(&["apply", "--check", "redline.patch"]);
    design.git(&["apply", "redline.patch"]);
    assert_eq!(design.read("artefacts/DOC/doc.md"), SCOPE_V2);
}

#[test]
fn line_endings_and_trailing_spaces_are_reported_not_marked() {
    let design = Design::new();
    design.write("in/doc.txt", "one\r\ntwo\r\nthree\r\n");
    design.ok(&["add", "DOC", "--title", "T", "in/doc.txt"]);
    design.ok(&["draft", "DOC", "--date", "2023-06-01"]);
    design.write("artefacts/DOC/doc.txt", "one\ntwo  \nthree\n");
    design.ok(&["draft", "DOC", "--date", "2023-06-02"]);
    let out = design.ok(&["redline", "DOC", "0.1", "0.2"]);
    assert!(
        out.contains("note: 2 line(s) differ only in their line ending (CRLF in FROM, LF in TO)"),
        "{out}"
    );
    assert!(
        out.contains("note: 1 line(s) differ only in trailing whitespace"),
        "{out}"
    );
    assert!(!out.contains("@@"), "no change is marked:\n{out}");
    let r = design.json(&["redline", "DOC", "0.1", "0.2"]);
    assert_eq!(r["summary"]["lines_whitespace_only"], 3);
}

const TABLE_V1: &str = "D-Flow,Name,Retained,Notes\nD0012,Reading,Under review,x\nD0300,Dispute,Under review,\nD0379,HH data,Under review,\nD0275,Scenario,Yes,\n";
const TABLE_V2: &str = "D-Flow,Title,Retained,Owner\nD0275,Scenario,Yes,Programme\nD0300,Dispute,Yes,Programme\nD0379,HH data,Yes,Programme\nD0400,New flow,Yes,Programme\n";

fn table_design(v2: &str) -> Design {
    let design = Design::new();
    design.write("in/t.csv", TABLE_V1);
    design.ok(&[
        "add", "TAB", "--title", "Mapping", "--key", "D-Flow", "in/t.csv",
    ]);
    design.ok(&["draft", "TAB", "--date", "2023-06-01"]);
    design.write("artefacts/TAB/t.csv", v2);
    design.ok(&["draft", "TAB", "--date", "2023-06-02"]);
    design
}

#[test]
fn tables_are_compared_row_by_row_and_cell_by_cell() {
    let design = table_design(TABLE_V2);
    let r = design.json(&["redline", "TAB", "0.1", "0.2"]);
    let body = &r["body"];
    assert_eq!(body["kind"], "table");
    assert_eq!(body["columns_added"], serde_json::json!(["Owner"]));
    assert_eq!(body["columns_removed"], serde_json::json!(["Notes"]));
    assert_eq!(
        body["columns_renamed"],
        serde_json::json!([["Name", "Title"]])
    );
    let rows: Vec<(String, String, bool)> = body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["key"].as_str().unwrap().into(),
                row["kind"].as_str().unwrap().into(),
                row["moved"].as_bool().unwrap(),
            )
        })
        .collect();
    // D0275 moved, and like every row kept it gained a value in the added
    // column: each shows it.
    assert_eq!(
        rows,
        [
            ("D0275".into(), "changed".into(), true),
            ("D0012".into(), "removed".into(), false),
            ("D0300".into(), "changed".into(), false),
            ("D0379".into(), "changed".into(), false),
            ("D0400".into(), "added".into(), false),
        ]
    );
    for n in [0, 2, 3] {
        let owner = body["rows"][n]["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["column"] == "Owner")
            .unwrap_or_else(|| panic!("row {n} shows the added column: {body}"));
        assert_eq!(
            (&owner["old"], &owner["new"]),
            (&"".into(), &"Programme".into())
        );
    }
    let cell = &body["rows"][2]["cells"][0];
    assert_eq!(
        (
            cell["column"].as_str(),
            cell["old"].as_str(),
            cell["new"].as_str()
        ),
        (Some("Retained"), Some("Under review"), Some("Yes"))
    );
    assert_eq!(r["summary"]["rows_added"], 1);
    assert_eq!(r["summary"]["rows_removed"], 1);
    assert_eq!(r["summary"]["rows_changed"], 3);
    assert_eq!(r["summary"]["rows_moved"], 1);
    let term = design.ok(&["redline", "TAB", "0.1", "0.2"]);
    assert!(
        term.contains("~ Retained: [-Under review-] → {+Yes+}"),
        "{term}"
    );
    assert!(term.contains("column [-Name-] renamed {+Title+}"), "{term}");
}

#[test]
fn a_duplicate_key_falls_back_to_text_with_a_warning() {
    let design =
        table_design("D-Flow,Name,Retained,Notes\nD0012,Reading,Yes,x\nD0012,Again,Yes,y\n");
    let r = design.json(&["redline", "TAB", "0.1", "0.2"]);
    assert_eq!(r["body"]["kind"], "text");
    assert_eq!(
        r["warnings"][0],
        "compared as text, not row by row: TO has the key \"D0012\" twice (rows 1 and 2)"
    );
    let term = design.ok(&["redline", "TAB", "0.1", "0.2"]);
    assert!(
        term.contains("warning: compared as text, not row by row"),
        "{term}"
    );
}

#[test]
fn html_is_self_contained_accessible_and_escapes_the_document() {
    let design = Design::new();
    let hostile = "# Title\n\nSafe text.\n";
    let attack =
        "# Title\n\n<script>alert(1)</script> \"><img src=x onerror=alert(2)> </style> & more.\n";
    design.write("in/doc.md", hostile);
    design.ok(&["add", "DOC", "--title", "<b>Title</b>", "in/doc.md"]);
    design.ok(&["draft", "DOC", "--date", "2023-06-01"]);
    design.write("artefacts/DOC/doc.md", attack);
    design.ok(&["draft", "DOC", "--date", "2023-06-02"]);
    for extra in [&[][..], &["--side-by-side"][..]] {
        let mut args = vec!["redline", "DOC", "0.1", "0.2", "--format", "html"];
        args.extend_from_slice(extra);
        let html = design.ok(&args);
        assert!(!html.contains("<script>alert"), "script injected");
        assert!(!html.contains("<img"), "img injected");
        assert!(!html.contains("<b>Title"), "title injected");
        assert_eq!(
            html.matches("</style>").count(),
            1,
            "document text closed the style element"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(
            !html.contains("http://")
                && !html.contains("https://")
                && !html.contains(" src=\"")
                && !html.contains("<link"),
            "fetches nothing"
        );
        assert!(html.contains("<span class=\"sr\">inserted: </span>"));
        assert!(html.contains("id=\"change-1\""));
        assert!(html.contains("href=\"#change-1\""));
        assert!(html.contains("@media print"));
    }
}

#[test]
fn markdown_escapes_and_marks() {
    let design = history();
    let md = design.ok(&["redline", "DOC", "1.0", "2.0", "--format", "md"]);
    assert!(
        md.contains("> D379 will be <del>reviewed</del><ins>retained</ins>."),
        "{md}"
    );
    assert!(
        md.contains("### 1. 3 Scope › 3.2 Retained flows (modified, line 5 → line 5)"),
        "{md}"
    );
    assert!(
        md.contains("- **DEC2** (approved 2023-08-01): Decided."),
        "{md}"
    );
}

#[test]
fn output_can_go_to_a_file_and_binary_content_is_stated_not_diffed() {
    let design = history();
    let out = design.ok(&[
        "redline",
        "DOC",
        "1.0",
        "2.0",
        "--format",
        "html",
        "-o",
        "redline.html",
    ]);
    assert!(
        out.contains("Wrote the html redline of DOC to redline.html"),
        "{out}"
    );
    assert!(design.read("redline.html").starts_with("<!DOCTYPE html>"));
    std::fs::write(design.file("artefacts/DOC/doc.md"), [0xff, 0xfe, 0, 1, 2]).unwrap();
    let r = design.json(&["redline", "DOC", "2.0", "working"]);
    assert_eq!(r["body"]["kind"], "binary");
    assert_eq!(r["to"]["size"], 5);
    assert!(
        r["warnings"][0]
            .as_str()
            .unwrap()
            .contains("not UTF-8 text")
    );
    let term = design.ok(&["redline", "DOC", "2.0", "working"]);
    assert!(
        term.contains("content differs:") && term.contains("bytes → 5 bytes"),
        "{term}"
    );
}

#[test]
fn a_row_longer_than_its_header_is_compared_as_text() {
    let design = table_design("D-Flow,Name,Retained,Notes\nD0012,Reading,Under review,x,extra\n");
    let r = design.json(&["redline", "TAB", "0.1", "0.2"]);
    assert_eq!(r["body"]["kind"], "text");
    assert!(
        r["warnings"][0]
            .as_str()
            .unwrap()
            .contains("TO row 1 has 5 cells, more than the header's 4"),
        "{}",
        r["warnings"]
    );
}

#[test]
fn tables_differing_only_in_quoting_say_so() {
    let quoted = TABLE_V1.replace("Reading", "\"Reading\"");
    let design = table_design(&quoted);
    let r = design.json(&["redline", "TAB", "0.1", "0.2"]);
    assert_eq!(r["body"]["kind"], "table");
    assert!(r["body"]["rows"].as_array().unwrap().is_empty());
    assert!(
        r["notes"][0]
            .as_str()
            .unwrap()
            .contains("differ only in how they are written"),
        "{}",
        r["notes"]
    );
}

/// DOC at 0.1 ("The first text.") and 0.2 ("The second text.").
fn two_drafts() -> Design {
    let design = Design::with_artefacts();
    design.write("artefacts/DOC/doc.md", "# 1 Scope\n\nThe second text.\n");
    design.ok(&["draft", "DOC", "--date", "2023-06-02"]);
    design
}

#[test]
fn a_working_copy_of_a_versions_size_is_not_taken_for_it_unchecked() {
    let design = two_drafts();
    design.write("artefacts/DOC/doc.md", "# 1 Scope\n\nThe secxnd text.\n");
    let redline = design.ok(&["redline", "DOC", "0.1", "0.2", "--format", "json"]);
    assert!(redline.contains("\"second\""), "{redline}");
    assert!(!redline.contains("secxnd"), "{redline}");
    let working = design.ok(&["redline", "DOC", "0.2", "working", "--format", "json"]);
    assert!(working.contains("\"secxnd\""), "{working}");
}

/// A redline of two recorded versions shows the versions' own bytes, never a
/// working copy rewritten behind git's back (here in place, with its old
/// modification time, so that its stat data look unchanged).
#[test]
fn a_large_working_copy_rewritten_with_its_old_time_is_not_taken_for_its_version() {
    let design = Design::with_artefacts();
    let filler = "Settlement data flows between parties.\n".repeat(1000);
    design.write(
        "artefacts/DOC/doc.md",
        &format!("# 1 Scope\n\nThe second text.\n{filler}"),
    );
    design.ok(&["draft", "DOC", "--date", "2023-06-02"]);
    let path = design.file("artefacts/DOC/doc.md");
    let clean = design.ok(&["redline", "DOC", "0.1", "0.2", "--format", "json"]);
    assert!(
        clean.contains("The second text."),
        "the redline shows version 0.2"
    );

    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    design.write(
        "artefacts/DOC/doc.md",
        &format!("# 1 Scope\n\nThe secxnd text.\n{filler}"),
    );
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let redline = design.ok(&["redline", "DOC", "0.1", "0.2", "--format", "json"]);
    assert!(redline == clean, "the version's own bytes are compared");
    assert!(
        !redline.contains("secxnd"),
        "the rewritten working copy is not shown"
    );
}

/// A draft from another file writes the working copy and stages it: git sees
/// the copy as committed.
#[test]
fn a_draft_from_another_file_leaves_the_copy_it_wrote_committed() {
    let design = Design::with_artefacts();
    design.write("elsewhere/doc.md", "# 1 Scope\n\nThe second text.\n");
    design.ok(&["draft", "DOC", "elsewhere/doc.md", "--date", "2023-06-02"]);
    assert_eq!(
        design.read("artefacts/DOC/doc.md"),
        "# 1 Scope\n\nThe second text.\n"
    );
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(design.file(""))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&status.stdout),
        "",
        "git sees the copy as committed"
    );
}

/// Rewrites the loose object of `id`'s `version` with `from` replaced by `to`;
/// returns the object's path and its bytes, to be put back.
fn alter_stored_content(
    design: &Design,
    (id, version): (&str, &str),
    from: &str,
    to: &str,
) -> (PathBuf, Vec<u8>) {
    let record = design.read(&format!("artefacts/{id}/versions/{version}.toml"));
    let blob = record
        .lines()
        .find_map(|line| line.strip_prefix("blob = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("the version record names its blob");
    let object = design.file(&format!(".git/objects/{}/{}", &blob[..2], &blob[2..]));
    let original = std::fs::read(&object).unwrap();
    let content = design.ok(&["cat", &format!("{id}@{version}")]);
    let altered = content.replacen(from, to, 1);
    assert_ne!(altered, content);
    // git writes objects read-only; this one is to be rewritten.
    let mut permissions = std::fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&object, permissions).unwrap();
    std::fs::write(&object, zlib(&format!("blob {}\0{altered}", altered.len()))).unwrap();
    (object, original)
}

/// Each side's bytes are checked against its record before anything is
/// compared: an altered side, FROM or TO, of a text or a table, is refused and
/// nothing of the comparison is printed.
#[test]
fn a_version_whose_stored_content_was_altered_is_refused() {
    let cases = [
        ("DOC", "0.1", "first", "fir5t"),
        ("DOC", "0.2", "second", "sec0nd"),
        ("TAB", "0.1", "Scenario", "Scenari0"),
    ];
    for (id, version, from, to) in cases {
        let design = if id == "DOC" {
            let design = two_drafts();
            // The working file is neither version: both are read from their blobs.
            design.write("artefacts/DOC/doc.md", "# 1 Scope\n\nA third text.\n");
            design
        } else {
            table_design(TABLE_V2)
        };
        let (object, original) = alter_stored_content(&design, (id, version), from, to);

        let out = design.run(&["redline", id, "0.1", "0.2", "--format", "json"]);
        // Put back for the `git fsck` every test repository gets when it is dropped.
        std::fs::write(&object, original).unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "the content of {id} {version} does not match its recorded sha256"
            )),
            "{stderr}"
        );
        assert!(stderr.contains("hint:"), "{stderr}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "", "{id} {version}");
    }
}

/// Versions whose blobs git has packed are read as loose ones are: the redline
/// is the same.
#[test]
fn a_redline_of_packed_versions_is_the_redline_of_loose_ones() {
    for design in [two_drafts(), table_design(TABLE_V2)] {
        let id = if design.path().join("artefacts/DOC").exists() {
            "DOC"
        } else {
            "TAB"
        };
        let loose = design.ok(&["redline", id, "0.1", "0.2", "--format", "json"]);
        design.git(&["gc", "--quiet"]);
        assert!(
            design.git(&["count-objects", "-v"]).contains("count: 0"),
            "every object is packed"
        );
        let packed = design.ok(&["redline", id, "0.1", "0.2", "--format", "json"]);
        assert_eq!(packed, loose, "{id}");
    }
}

#[test]
fn context_lines_are_unchanged_lines_only() {
    let design = Design::new();
    design.write(
        "in/list.txt",
        "alpha\nbravo team\ncharlie\ndelta team\necho\n",
    );
    design.ok(&["add", "LIST", "--title", "A list", "in/list.txt"]);
    design.ok(&["draft", "LIST"]);
    design.write(
        "artefacts/LIST/list.txt",
        "alpha\nbravo squad\ncharlie\ndelta squad\necho\n",
    );
    let term = design.ok(&["redline", "LIST"]);
    // Each change's context stops where the next change begins: the first
    // change is followed by "charlie" alone, not by the second change's new
    // line shown as if it were unchanged.
    let first = term.split("@@ change-2").next().unwrap();
    assert!(
        first.ends_with("~ bravo [-team-]{+squad+}\n  charlie\n\n"),
        "{term}"
    );
    let second = term.split("@@ change-2").nth(1).unwrap();
    assert!(
        second.contains("\n  charlie\n~ delta [-team-]{+squad+}\n  echo\n"),
        "{term}"
    );
    assert!(!second.contains("bravo"), "{term}");
}

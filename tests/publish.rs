//! Publication packs (issue 17, point 3): `baseline publish` writes a release's
//! clean files, red-lined copies, register, release note, index and manifest;
//! `baseline verify --pack` proves a pack is as published, with or without the
//! repository, and names the file that was altered.

mod common;

use std::path::{Path, PathBuf};

use calamine::Reader;
use common::{Design, baseline_in};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/docx")
            .join(name),
    )
    .unwrap()
}

fn catalogue(rows: &[[&str; 2]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Catalogue").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *value).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn write_bytes(design: &Design, rel: &str, bytes: &[u8]) {
    let path = design.file(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// IR1 (2024-01-12): DOC, TAB, ICC (Word) and CAT (Excel) at 1.0. IR2
/// (2024-02-12) under DEC3, implementing CR1: DOC 2.0, ICC 1.0.1, CAT 2.0
/// revised, TAB unchanged.
fn two_releases() -> Design {
    let design = Design::with_artefacts();
    write_bytes(&design, "in/icc.docx", &fixture("icc-1.0.docx"));
    write_bytes(
        &design,
        "in/cat.xlsx",
        &catalogue(&[["D-Flow", "Name"], ["D0012", "Reading"]]),
    );
    design.ok(&[
        "add",
        "ICC",
        "--title",
        "DIP Code of Connection",
        "in/icc.docx",
    ]);
    design.ok(&[
        "add",
        "CAT",
        "--title",
        "Interface Catalogue",
        "in/cat.xlsx",
    ]);
    for id in ["ICC", "CAT"] {
        design.ok(&["draft", id, "--date", "2024-01-10"]);
    }
    design.decision("DEC1", "2024-01-10", "approved", &[]);
    for id in ["DOC", "TAB", "ICC", "CAT"] {
        design.approve(id, "DEC1", "2024-01-10");
    }
    design.decision("DEC2", "2024-01-12", "approved", &[]);
    design.ok(&[
        "release",
        "create",
        "IR1",
        "--decision",
        "DEC2",
        "--date",
        "2024-01-12",
        "--all-baselined",
    ]);

    design.ok(&[
        "change",
        "add",
        "CR1",
        "--title",
        "Tighter incident reporting",
        "--affects",
        "DOC",
        "ICC",
        "CAT",
        "--date",
        "2024-01-20",
    ]);
    design.ok(&[
        "change",
        "set",
        "CR1",
        "impact-assessment",
        "--date",
        "2024-01-21",
    ]);
    design.ok(&[
        "decision",
        "add",
        "DEC3",
        "--date",
        "2024-02-01",
        "--outcome",
        "approved",
        "--text",
        "CR1 approved for IR2.",
        "--change",
        "CR1",
    ]);
    design.ok(&[
        "change",
        "set",
        "CR1",
        "approved",
        "--decision",
        "DEC3",
        "--date",
        "2024-02-01",
    ]);
    design.write("artefacts/DOC/doc.md", "# 1 Scope\n\nThe revised text.\n");
    write_bytes(&design, "artefacts/ICC/icc.docx", &fixture("icc-1.1.docx"));
    write_bytes(
        &design,
        "artefacts/CAT/cat.xlsx",
        &catalogue(&[["D-Flow", "Name"], ["D0012", "Meter reading"]]),
    );
    // The Word document's draft is numbered between its baselines (a
    // programme that baselines 5.6 → 5.6.1 numbers drafts below that).
    for (id, draft) in [("DOC", "1.1"), ("ICC", "1.0.0.1"), ("CAT", "1.1")] {
        design.ok(&[
            "draft",
            id,
            "--date",
            "2024-02-05",
            "--change",
            "CR1",
            "--version",
            draft,
        ]);
    }
    for (id, version) in [("DOC", "2.0"), ("ICC", "1.0.1"), ("CAT", "2.0")] {
        design.ok(&[
            "approve",
            id,
            "--decision",
            "DEC3",
            "--change",
            "CR1",
            "--version",
            version,
            "--date",
            "2024-02-10",
        ]);
    }
    design.ok(&[
        "release",
        "create",
        "IR2",
        "--decision",
        "DEC3",
        "--date",
        "2024-02-12",
        "--title",
        "Interim Release 2",
        "--all-baselined",
        "--change",
        "CR1",
    ]);
    design
}

fn publish(design: &Design, release: &str) -> PathBuf {
    let pack = design.path().join("packs").join(release);
    std::fs::create_dir_all(pack.parent().unwrap()).unwrap();
    design.ok(&["publish", release, pack.to_str().unwrap()]);
    pack
}

/// `verify --pack` run by `command`, which must refuse: its standard error.
fn pack_refused(mut command: assert_cmd::Command, pack: &Path) -> String {
    let out = command
        .args(["verify", "--pack", pack.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr:?}");
    stderr
}

/// `verify --pack DIR --format json` run in `dir`: exit code, report, and
/// findings as "code file" lines.
fn check_pack(dir: &Path, pack: &Path) -> (i32, serde_json::Value, Vec<String>) {
    let out = baseline_in(dir)
        .args([
            "verify",
            "--format",
            "json",
            "--pack",
            pack.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no report: {}", String::from_utf8_lossy(&out.stderr)));
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap(),
                f["file"].as_str().unwrap_or("-")
            )
        })
        .collect();
    (out.status.code().unwrap(), report, findings)
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().unwrap().is_dir() {
            found.extend(
                files_under(&entry.path())
                    .into_iter()
                    .map(|f| format!("{name}/{f}")),
            );
        } else {
            found.push(name);
        }
    }
    found.sort();
    found
}

#[test]
fn a_pack_holds_the_release_as_the_programme_publishes_it() {
    let design = two_releases();
    let pack = publish(&design, "IR2");
    assert_eq!(
        files_under(&pack),
        [
            "Baselined Design Artefacts/CAT Interface Catalogue v2.0.xlsx",
            "Baselined Design Artefacts/DOC A document v2.0.md",
            "Baselined Design Artefacts/ICC DIP Code of Connection v1.0.1.docx",
            "Baselined Design Artefacts/TAB A table v1.0.csv",
            "Red-lined Design Artefacts/CAT Interface Catalogue v2.0 red-lined from v1.0.xlsx",
            "Red-lined Design Artefacts/DOC A document v2.0 red-lined from v1.0.html",
            "Red-lined Design Artefacts/ICC DIP Code of Connection v1.0.1 red-lined from v1.0.docx",
            "index.html",
            "manifest.json",
            "register.csv",
            "register.html",
            "register.xlsx",
            "release-note.html",
            "release-note.md",
        ]
    );
    for (file, version) in [
        ("CAT Interface Catalogue v2.0.xlsx", "CAT@2.0"),
        ("DOC A document v2.0.md", "DOC@2.0"),
        ("ICC DIP Code of Connection v1.0.1.docx", "ICC@1.0.1"),
        ("TAB A table v1.0.csv", "TAB@1.0"),
    ] {
        let copy = std::fs::read(pack.join("Baselined Design Artefacts").join(file)).unwrap();
        assert_eq!(copy, design.run(&["cat", version]).stdout, "{file}");
    }
    let red_word = std::fs::read(pack.join(
        "Red-lined Design Artefacts/ICC DIP Code of Connection v1.0.1 red-lined from v1.0.docx",
    ))
    .unwrap();
    let document = String::from_utf8_lossy(&zip_part(&red_word, "word/document.xml")).into_owned();
    assert!(
        document.contains("<w:ins ") && document.contains("<w:del "),
        "no tracked changes"
    );
    let red_page = std::fs::read_to_string(
        pack.join("Red-lined Design Artefacts/DOC A document v2.0 red-lined from v1.0.html"),
    )
    .unwrap();
    assert!(red_page.contains("revised"), "{red_page}");

    let head = design.git(&["rev-parse", "HEAD"]).trim().to_string();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(pack.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["release"], "IR2");
    assert_eq!(manifest["commit"], head.as_str());
    let listed = manifest["files"].as_array().unwrap();
    assert_eq!(listed.len(), 13, "every file but the manifest");
    for file in listed {
        let bytes = std::fs::read(pack.join(file["path"].as_str().unwrap())).unwrap();
        assert_eq!(file["sha256"], baseline::model::sha256_hex(&bytes));
        assert_eq!(file["size"], bytes.len());
    }
    let icc = listed.iter().find(|f| f["artefact"] == "ICC").unwrap();
    assert_eq!(icc["version"], "1.0.1");

    let (code, report, findings) = check_pack(design.path(), &pack);
    assert_eq!((code, findings), (0, vec![]));
    assert_eq!(report["against_repository"], true);
    assert_eq!(report["files"], 13);
}

fn zip_part(bytes: &[u8], name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut package = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = package.by_name(name).unwrap();
    let mut content = Vec::new();
    part.read_to_end(&mut content).unwrap();
    content
}

#[test]
fn the_register_and_release_note_say_what_changed_and_where_they_came_from() {
    let design = two_releases();
    let pack = publish(&design, "IR2");
    let head = design.git(&["rev-parse", "HEAD"]).trim().to_string();

    let mut csv = csv::Reader::from_path(pack.join("register.csv")).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "Short Name",
            "Doc Number",
            "Title",
            "Kind",
            "Status",
            "Version",
            "Date",
            "Decisions",
            "Changes",
            "SHA-256",
            "File",
            "Made at",
            "From commit",
            "Signed by"
        ]
    );
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    let icc = rows.iter().find(|r| &r[1] == "ICC").unwrap();
    let icc_content = design.run(&["cat", "ICC@1.0.1"]).stdout;
    assert_eq!(&icc[5], "1.0.1");
    assert_eq!(&icc[7], "DEC3");
    assert_eq!(&icc[8], "CR1");
    assert_eq!(&icc[9], baseline::model::sha256_hex(&icc_content));
    assert_eq!(&icc[10], "ICC DIP Code of Connection v1.0.1.docx");
    assert_eq!(&icc[12], head);

    let mut book: calamine::Xlsx<_> = calamine::open_workbook(pack.join("register.xlsx")).unwrap();
    let register = book.worksheet_range("Register").unwrap();
    assert_eq!(register.height(), 5);
    assert_eq!(register.get((0, 1)).unwrap().to_string(), "Doc Number");
    let about = book.worksheet_range("About").unwrap();
    let about: Vec<String> = about
        .rows()
        .map(|r| format!("{}: {}", r[0], r[1]))
        .collect();
    assert!(about.contains(&"Release: IR2".to_string()), "{about:?}");
    assert!(about.contains(&format!("From commit: {head}")), "{about:?}");

    let note = std::fs::read_to_string(pack.join("release-note.md")).unwrap();
    for expected in [
        "# Test Programme release IR2 — Interim Release 2",
        "approved by DEC3, contains 4 baselined artefact version(s). It follows IR1 (2024-01-12).",
        "- **DEC3** (approved, 2024-02-01): CR1 approved for IR2.",
        "## What changed (since IR1)",
        "| ICC | DIP Code of Connection | changed | v1.0 → v1.0.1 | DEC3 | CR1 |",
        "- **CR1** (CR, approved): Tighter incident reporting — in CAT, DOC, ICC",
    ] {
        assert!(note.contains(expected), "{expected:?} not in:\n{note}");
    }
    assert!(!note.contains("| TAB |"), "TAB did not change:\n{note}");
    let index = std::fs::read_to_string(pack.join("index.html")).unwrap();
    assert!(index.contains("href=\"Baselined%20Design%20Artefacts/ICC%20DIP%20Code%20of%20Connection%20v1.0.1.docx\""), "{index}");
    assert!(index.contains("href=\"release-note.html\""));
}

#[test]
fn one_changed_byte_is_named_with_or_without_the_repository() {
    let design = two_releases();
    let pack = publish(&design, "IR2");
    // An auditor who received the zip, far from any repository.
    let received = tempfile::tempdir().unwrap();
    let copy = received.path().join("IR2");
    common::copy_dir(&pack, &copy);
    let (code, report, findings) = check_pack(received.path(), &copy);
    assert_eq!((code, findings), (0, vec![]));
    assert_eq!(report["against_repository"], false);

    let doc = copy.join("Baselined Design Artefacts/DOC A document v2.0.md");
    let mut bytes = std::fs::read(&doc).unwrap();
    bytes[3] ^= 1;
    std::fs::write(&doc, &bytes).unwrap();
    std::fs::write(
        copy.join("Red-lined Design Artefacts/extra.html"),
        "<p>added</p>",
    )
    .unwrap();
    std::fs::remove_file(copy.join("register.html")).unwrap();
    let (code, _, findings) = check_pack(received.path(), &copy);
    assert_eq!(code, 1);
    assert_eq!(
        findings,
        [
            "pack-file-altered Baselined Design Artefacts/DOC A document v2.0.md",
            "pack-file-missing register.html",
            "pack-file-unlisted Red-lined Design Artefacts/extra.html",
        ]
    );

    // Whoever edits a file and its manifest line both fools the manifest
    // alone, not the repository's records.
    let manifest_path = copy.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    for file in manifest["files"].as_array_mut().unwrap() {
        if file["artefact"] == "DOC" {
            file["sha256"] = baseline::model::sha256_hex(&bytes).into();
        }
    }
    manifest["files"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["path"] != "register.html");
    std::fs::remove_file(copy.join("Red-lined Design Artefacts/extra.html")).unwrap();
    std::fs::write(
        &manifest_path,
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();
    let (code, _, findings) = check_pack(received.path(), &copy);
    assert_eq!((code, findings), (0, vec![]));
    let (code, _, findings) = check_pack(design.path(), &copy);
    assert_eq!(code, 1);
    assert_eq!(
        findings,
        ["pack-version-differs Baselined Design Artefacts/DOC A document v2.0.md"]
    );

    // A file of another size is altered, whatever it holds, without reading it.
    bytes.push(b'\n');
    std::fs::write(&doc, &bytes).unwrap();
    let (code, report, findings) = check_pack(received.path(), &copy);
    assert_eq!(code, 1);
    assert_eq!(
        findings,
        ["pack-file-altered Baselined Design Artefacts/DOC A document v2.0.md"]
    );
    let listed = manifest["files"].as_array().unwrap().len();
    assert_eq!(report["files"], listed - 1, "the altered file is not read");
    let message = report["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.ends_with(&format!("the file has {} bytes", bytes.len())),
        "{message}"
    );
}

#[test]
fn a_manifest_cannot_send_the_check_outside_the_pack() {
    let design = two_releases();
    let pack = publish(&design, "IR2");
    std::fs::write(design.file("secret.txt"), "outside").unwrap();
    let manifest_path = pack.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    manifest["files"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "path": "../../secret.txt", "size": 7, "sha256": "0".repeat(64)
        }));
    std::fs::write(&manifest_path, serde_json::to_vec(&manifest).unwrap()).unwrap();
    let (code, _, findings) = check_pack(design.path(), &pack);
    assert_eq!(code, 1);
    assert_eq!(findings, ["pack-path-unsafe ../../secret.txt"]);

    // A listed file replaced by a link is reported, never followed.
    #[cfg(unix)]
    {
        let listed = pack.join("Baselined Design Artefacts/TAB A table v1.0.csv");
        std::fs::remove_file(&listed).unwrap();
        std::os::unix::fs::symlink(design.file("artefacts/TAB/tab.csv"), &listed).unwrap();
        let (_, _, findings) = check_pack(design.path(), &pack);
        assert!(
            findings.contains(
                &"pack-file-special Baselined Design Artefacts/TAB A table v1.0.csv".to_string()
            ),
            "{findings:?}"
        );
    }

    std::fs::write(&manifest_path, "{ not json").unwrap();
    let out = baseline_in(design.path())
        .args(["verify", "--pack", pack.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("manifest.json is not a pack manifest") && stderr.contains("\nhint: "),
        "{stderr}"
    );
}

#[test]
fn a_pack_is_written_whole_into_a_new_folder_or_not_at_all() {
    let design = two_releases();
    let used = design.path().join("packs/used");
    std::fs::create_dir_all(design.path().join("packs")).unwrap();
    std::fs::create_dir_all(&used).unwrap();
    std::fs::write(used.join("keep.txt"), "mine").unwrap();
    let stderr = design.refused(&["publish", "IR2", used.to_str().unwrap()]);
    assert!(
        stderr.contains("already exists and is not empty"),
        "{stderr}"
    );
    assert_eq!(files_under(&used), ["keep.txt"]);
    let stderr = design.refused(&["publish", "IR9", "packs/IR9"]);
    assert!(stderr.contains("IR9"), "{stderr}");
    assert_eq!(files_under(&design.path().join("packs")), ["used/keep.txt"]);

    // The first release has no previous one: nothing is red-lined.
    let pack = publish(&design, "IR1");
    let files = files_under(&pack);
    assert!(
        !files.iter().any(|f| f.starts_with("Red-lined")),
        "{files:?}"
    );
    let note = std::fs::read_to_string(pack.join("release-note.md")).unwrap();
    assert!(note.contains("It is the first release."), "{note}");
    let (code, _, findings) = check_pack(design.path(), &pack);
    assert_eq!((code, findings), (0, vec![]));
}

#[test]
fn a_redline_of_two_releases_is_one_html_page_with_a_contents_list() {
    let design = two_releases();
    let page = design.ok(&["redline", "--release", "IR1", "IR2", "--format", "html"]);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(page.matches("<!DOCTYPE").count(), 1, "one page");
    for id in ["CAT", "DOC", "ICC"] {
        assert!(
            page.contains(&format!("<a href=\"#artefact/{id}\">{id}</a>")),
            "{id} in the contents"
        );
        assert!(
            page.contains(&format!(" id=\"artefact/{id}\"")),
            "{id}'s redline"
        );
    }
    assert!(!page.contains("#artefact/TAB"), "TAB did not change");
    assert!(page.contains("CR1") && page.contains("DEC3"));
    // Every anchor is unique on the page, and every link leads to one.
    let ids: Vec<&str> = page
        .split(" id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
    let links: Vec<&str> = page
        .split("href=\"#")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert!(links.len() > 6, "{links:?}");
    for link in links {
        assert!(ids.contains(&link), "#{link} leads nowhere");
    }
}

/// Versions of three components (and more) work everywhere a version does:
/// records, order, tags, REFs, redlines, releases, the register, verify.
#[test]
fn three_component_versions_work_everywhere() {
    let design = two_releases();
    let log = design.json(&["log", "ICC"]);
    let versions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["1.0.1", "1.0.0.1", "1.0", "0.1"]);
    let trace = design.json(&["trace", "ICC@1.0.1"]);
    assert_eq!(trace["tag"]["name"], "ICC/v1.0.1");
    assert_eq!(trace["tag"]["matches"], true);
    assert_eq!(trace["releases"], serde_json::json!(["IR2"]));
    assert_eq!(trace["previous"]["version"], "1.0.0.1");
    let baseline = design.json(&["show", "ICC@baseline"]);
    assert_eq!(baseline["version"]["version"], "1.0.1");
    let redline = design.json(&["redline", "ICC", "1.0", "1.0.1"]);
    assert_eq!(redline["to"]["reference"], "ICC@1.0.1");
    assert!(
        redline["summary"]["words_added"].as_u64().unwrap() > 0,
        "{}",
        redline["summary"]
    );
    let register = design.json(&["list"]);
    let icc = register
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "ICC")
        .unwrap();
    assert_eq!(icc["baseline"]["version"], "1.0.1");
    let release = design.json(&["release", "show", "IR2"]);
    assert!(
        release["artefacts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["artefact"] == "ICC" && i["version"] == "1.0.1")
    );
    // 1.0.1 and 1.0.10 are different versions, ordered by number, not text.
    write_bytes(&design, "artefacts/ICC/icc.docx", &fixture("icc-1.0.docx"));
    design.ok(&[
        "draft",
        "ICC",
        "--date",
        "2024-03-01",
        "--version",
        "1.0.10",
        "--change",
        "CR1",
    ]);
    assert_eq!(
        design.json(&["show", "ICC@latest"])["version"]["version"],
        "1.0.10"
    );
    assert!(
        design
            .refused(&["draft", "ICC", "--version", "1.0.9", "--allow-same-content"])
            .contains("1.0.10")
    );
    let (code, report) = common::verify_report(design.path(), &["--no-cache"]);
    assert_eq!((code, common::finding_codes(&report)), (0, vec![]));
}

/// Rewrites the pack's manifest with `edit`.
fn edit_manifest(pack: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = pack.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut manifest);
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
}

#[test]
fn a_baselined_copy_swapped_for_another_file_is_found_in_the_repository() {
    let design = two_releases();
    let pack = publish(&design, "IR2");
    // Tampered bytes at DOC's name, the genuine copy moved to another name
    // that claims to be DOC v2.0, and the manifest rewritten to match.
    let doc = "Baselined Design Artefacts/DOC A document v2.0.md";
    let moved = "Baselined Design Artefacts/DOC genuine.md";
    std::fs::rename(pack.join(doc), pack.join(moved)).unwrap();
    std::fs::write(pack.join(doc), "# 1 Scope\n\nTampered.\n").unwrap();
    let tampered = baseline::model::sha256_hex(b"# 1 Scope\n\nTampered.\n");
    edit_manifest(&pack, |manifest| {
        let files = manifest["files"].as_array_mut().unwrap();
        let genuine = files.iter_mut().find(|f| f["path"] == doc).unwrap();
        genuine["path"] = moved.into();
        files.push(serde_json::json!({"path": doc, "size": 21, "sha256": tampered}));
        files.sort_by_key(|f| f["path"].as_str().unwrap().to_string());
    });
    let received = tempfile::tempdir().unwrap();
    let (code, _, findings) = check_pack(received.path(), &pack);
    assert_eq!(
        (code, findings),
        (0, vec![]),
        "the manifest alone is satisfied"
    );
    let (code, _, findings) = check_pack(design.path(), &pack);
    assert_eq!(code, 1);
    assert_eq!(
        findings,
        [
            format!("pack-version-differs {doc}"),
            format!("pack-version-differs {moved}")
        ]
    );
}

#[test]
fn a_hostile_manifest_is_refused_or_reported_never_followed() {
    let design = two_releases();
    let pack = publish(&design, "IR2");
    let received = tempfile::tempdir().unwrap();
    // The same file listed twice (in another case, as Windows sees it).
    edit_manifest(&pack, |manifest| {
        let files = manifest["files"].as_array_mut().unwrap();
        let mut twice = files
            .iter()
            .find(|f| f["path"] == "index.html")
            .unwrap()
            .clone();
        twice["path"] = "INDEX.html".into();
        files.push(twice);
    });
    let (code, _, findings) = check_pack(received.path(), &pack);
    assert_eq!(code, 1);
    assert_eq!(findings, ["pack-path-duplicate INDEX.html"]);

    // A commit that is not a commit id (it would be printed, and cut).
    edit_manifest(&pack, |manifest| {
        manifest["commit"] = "aaaaaaaaaaa\u{e9}\u{1b}[2J".into()
    });
    let stderr = pack_refused(baseline_in(received.path()), &pack);
    assert!(
        stderr.contains("is not a commit id") && stderr.contains("\nhint: "),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");

    // A manifest that is not JSON is refused, saying once where it stopped.
    std::fs::write(pack.join("manifest.json"), "{\n  \"format\": ").unwrap();
    let stderr = pack_refused(baseline_in(received.path()), &pack);
    assert!(stderr.contains("is not a pack manifest"), "{stderr}");
    assert_eq!(stderr.matches("line 2").count(), 1, "{stderr}");

    // A manifest that is a link (to an endless file) is not read.
    #[cfg(unix)]
    {
        std::fs::remove_file(pack.join("manifest.json")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", pack.join("manifest.json")).unwrap();
        let stderr = pack_refused(baseline_in(received.path()), &pack);
        assert!(stderr.contains("it is not a plain file"), "{stderr}");
    }
}

/// Inside the repository the records the pack is compared with are verified
/// first: a release record edited by plain git to vouch for an altered copy
/// does not make the pack check clean.
#[test]
fn a_pack_is_not_checked_clean_against_records_edited_by_plain_git() {
    let design = two_releases();
    let pack = publish(&design, "IR2");
    let doc = "Baselined Design Artefacts/DOC A document v2.0.md";
    let recorded = baseline::model::sha256_hex(&std::fs::read(pack.join(doc)).unwrap());
    let tampered = b"# 1 Scope\n\nTampered.\n";
    std::fs::write(pack.join(doc), tampered).unwrap();
    let sha256 = baseline::model::sha256_hex(tampered);
    edit_manifest(&pack, |manifest| {
        let files = manifest["files"].as_array_mut().unwrap();
        let file = files.iter_mut().find(|f| f["path"] == doc).unwrap();
        file["sha256"] = sha256.clone().into();
        file["size"] = tampered.len().into();
    });
    let (_, _, findings) = check_pack(design.path(), &pack);
    assert_eq!(findings, [format!("pack-version-differs {doc}")]);
    // The release record made to vouch for the tampered copy.
    let record = design.read("releases/IR2.toml");
    assert!(record.contains(&recorded), "{record}");
    design.write("releases/IR2.toml", &record.replace(&recorded, &sha256));
    design.git(&[
        "commit",
        "-qam",
        "By hand: IR2 vouches for the tampered copy",
    ]);
    let (code, _, findings) = check_pack(design.path(), &pack);
    assert_eq!(code, 1);
    assert_eq!(findings, ["pack-records-unverified -"]);
    let stderr = design.refused(&["verify", "--pack", pack.to_str().unwrap()]);
    assert!(
        stderr.contains("hint: run `baseline verify` in the repository"),
        "{stderr}"
    );
}

/// The manifest's programme, release date and commit are the recorded ones.
#[test]
fn a_manifest_misstating_its_release_is_found_in_the_repository() {
    let design = two_releases();
    let pack = publish(&design, "IR2");
    let first = design.git(&["rev-list", "--max-parents=0", "HEAD"]);
    edit_manifest(&pack, |manifest| {
        manifest["programme"] = "OTHER".into();
        manifest["release_date"] = "1999-01-01".into();
        manifest["commit"] = first.trim().into();
    });
    let received = tempfile::tempdir().unwrap();
    assert_eq!(check_pack(received.path(), &pack).2, Vec::<String>::new());
    let (code, report, findings) = check_pack(design.path(), &pack);
    assert_eq!(code, 1);
    assert_eq!(findings, ["pack-release-differs -"; 3]);
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages[0].contains("names programme OTHER"),
        "{messages:?}"
    );
    assert!(messages[1].contains("1999-01-01"), "{messages:?}");
    assert!(messages[2].contains("was not yet recorded"), "{messages:?}");
}

/// `verify --pack` refused, its standard error as a terminal would get it:
/// escape sequences are not stripped for it.
fn refused_on_a_terminal(dir: &Path, pack: &Path) -> String {
    let mut terminal = baseline_in(dir);
    terminal.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
    pack_refused(terminal, pack)
}

/// What a pack's sender chose — its folder's name, a field of its manifest —
/// is quoted in a refusal with its control characters shown as code points:
/// raw, an escape sequence would clear the screen or retitle the window.
#[test]
fn a_packs_names_and_fields_reach_the_terminal_shown_not_raw() {
    let design = two_releases();
    let received = tempfile::tempdir().unwrap();
    let pack = received.path().join("IR2\u{1b}]0;pwned\u{7}");
    std::fs::rename(publish(&design, "IR2"), &pack).unwrap();
    std::fs::write(pack.join("extra.txt"), "added").unwrap();
    let stderr = refused_on_a_terminal(received.path(), &pack);
    assert!(
        stderr.contains("IR2<U+1B>]0;pwned<U+7> has 1 problem(s)"),
        "{stderr:?}"
    );
    edit_manifest(&pack, |manifest| {
        manifest["\u{1b}[2Jall good"] = 1.into();
    });
    let stderr = refused_on_a_terminal(received.path(), &pack);
    assert!(
        stderr.contains("unknown field `<U+1B>[2Jall good`"),
        "{stderr:?}"
    );
    assert!(
        !stderr.contains("\u{1b}[2J") && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
}

/// A file whose name is not UTF-8 cannot be named by a manifest: it is
/// reported, not taken for the listed file its name reads like when its
/// unreadable bytes are replaced.
#[cfg(unix)]
#[test]
fn a_file_named_in_bytes_that_are_not_utf8_is_reported_not_confused() {
    use std::os::unix::ffi::OsStrExt;
    let design = two_releases();
    let pack = publish(&design, "IR2");
    let name = std::ffi::OsStr::from_bytes(b"NOTE \xff.txt");
    std::fs::write(pack.join(name), "MALICIOUS").unwrap();
    let read_as = "NOTE \u{fffd}.txt";
    edit_manifest(&pack, |manifest| {
        let files = manifest["files"].as_array_mut().unwrap();
        let sha256 = baseline::model::sha256_hex(b"MALICIOUS");
        files.push(serde_json::json!({"path": read_as, "size": 9, "sha256": sha256}));
    });
    let received = tempfile::tempdir().unwrap();
    for dir in [received.path(), design.path()] {
        let (code, _, mut findings) = check_pack(dir, &pack);
        findings.sort();
        assert_eq!(code, 1);
        assert_eq!(
            findings,
            [
                format!("pack-file-missing {read_as}"),
                format!("pack-file-unlisted {read_as}"),
            ]
        );
    }
}

#[cfg(unix)]
#[test]
fn a_folder_of_the_pack_replaced_by_a_link_is_not_followed() {
    let design = two_releases();
    let pack = publish(&design, "IR2");
    let outside = tempfile::tempdir().unwrap();
    let folder = pack.join("Red-lined Design Artefacts");
    let copy = outside.path().join("red-lined");
    common::copy_dir(&folder, &copy);
    std::fs::remove_dir_all(&folder).unwrap();
    std::os::unix::fs::symlink(&copy, &folder).unwrap();
    let (code, report, findings) = check_pack(design.path(), &pack);
    assert_eq!(code, 1);
    assert_eq!(
        report["files"], 10,
        "the three files behind the link are not read"
    );
    assert_eq!(
        findings
            .iter()
            .filter(|f| f.starts_with("pack-file-missing Red-lined"))
            .count(),
        3,
        "{findings:?}"
    );
    assert!(
        findings.contains(&"pack-file-unlisted Red-lined Design Artefacts".to_string()),
        "{findings:?}"
    );
}

#[test]
fn the_register_gives_each_version_its_own_decisions_and_packs_stay_out_of_the_records() {
    let design = two_releases();
    let stderr = design.refused(&["publish", "IR2", ".git/IR2"]);
    assert!(
        stderr.contains("inside the repository's .git folder"),
        "{stderr}"
    );
    let stderr = design.refused(&["publish", "IR2", "artefacts/IR2"]);
    assert!(
        stderr.contains("inside the repository's artefacts folder"),
        "{stderr}"
    );
    let stderr = design.refused(&["publish", "IR2", "no/such/folder/IR2"]);
    assert!(
        stderr.contains("no/such/folder to write the pack in"),
        "{stderr}"
    );
    assert!(!design.path().join("no").exists());

    // Run from elsewhere with -C: the folder is the repository's packs/IR2.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(design.path().join("packs")).unwrap();
    let out = baseline_in(elsewhere.path())
        .args([
            "-C",
            design.path().to_str().unwrap(),
            "publish",
            "IR2",
            "packs/IR2",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pack = design.path().join("packs/IR2");
    let mut csv = csv::Reader::from_path(pack.join("register.csv")).unwrap();
    let tab = csv
        .records()
        .map(Result::unwrap)
        .find(|r| &r[1] == "TAB")
        .unwrap();
    assert_eq!(
        (&tab[5], &tab[7], &tab[8]),
        ("1.0", "DEC1", ""),
        "unchanged TAB keeps its decision"
    );
    let names: Vec<String> = std::fs::read_dir(design.path().join("packs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["IR2"], "no hidden folder is left");
    let (code, report) = common::verify_report(design.path(), &["--no-cache"]);
    assert_eq!((code, common::finding_codes(&report)), (0, vec![]));
}

/// A programme that receives a pack can start its own repository from it:
/// the pack's register is one `import register` reads, at the same versions
/// and bytes, and the new repository verifies clean.
#[test]
fn a_pack_register_adopts_the_release_into_a_new_repository() {
    let design = two_releases();
    let pack = publish(&design, "IR2");
    let adopter = Design::new();
    adopter.decision("ADOPT1", "2024-03-01", "approved", &[]);
    for register in ["register.csv", "register.xlsx"] {
        let out = adopter.run(&[
            "import",
            "register",
            pack.join(register).to_str().unwrap(),
            "--files",
            pack.join("Baselined Design Artefacts").to_str().unwrap(),
            "--decision",
            "ADOPT1",
            "--date",
            "2024-03-01",
            "--dry-run",
        ]);
        assert!(
            out.status.success(),
            "{register}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    adopter.ok(&[
        "import",
        "register",
        pack.join("register.xlsx").to_str().unwrap(),
        "--files",
        pack.join("Baselined Design Artefacts").to_str().unwrap(),
        "--decision",
        "ADOPT1",
        "--date",
        "2024-03-01",
    ]);
    for (id, version) in [
        ("CAT", "2.0"),
        ("DOC", "2.0"),
        ("ICC", "1.0.1"),
        ("TAB", "1.0"),
    ] {
        let reference = format!("{id}@{version}");
        assert_eq!(
            adopter.run(&["cat", &reference]).stdout,
            design.run(&["cat", &reference]).stdout,
            "{reference}"
        );
    }
    let titles = adopter.json(&["list"]);
    assert_eq!(titles[2]["title"], "DIP Code of Connection");
    let (code, report) = common::verify_report(adopter.path(), &["--no-cache"]);
    assert_eq!((code, common::finding_codes(&report)), (0, vec![]));
}

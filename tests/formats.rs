//! The programme's other formats: Word, Excel and OpenDocument packages, PDF,
//! YAML and JSON are registered, drafted and returned byte for byte; a file
//! whose content is not what its name says is refused.

mod common;

use std::io::Write;

use common::Design;

/// A zip package holding `parts` (name, content), the first stored as
/// OpenDocument requires of its `mimetype`, the rest deflated, as Office and
/// LibreOffice write them.
fn package(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (n, (name, content)) in parts.iter().enumerate() {
        let method = if n == 0 && *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;

/// A Word document whose one paragraph is `text`.
fn docx(text: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#
    );
    package(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", &document),
    ])
}

/// An Excel workbook with one sheet.
fn xlsx() -> Vec<u8> {
    package(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Catalogue" sheetId="1"/></sheets></workbook>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>"#,
        ),
    ])
}

/// An OpenDocument spreadsheet.
fn ods() -> Vec<u8> {
    package(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        (
            "content.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>"#,
        ),
    ])
}

/// A one-page PDF saying `text`.
fn pdf(text: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
         2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
         3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj\n\
         4 0 obj << /Length {} >> stream\nBT /F1 12 Tf 72 720 Td ({text}) Tj ET\nendstream endobj\n\
         trailer << /Root 1 0 R >>\n%%EOF\n",
        30 + text.len()
    )
    .into_bytes()
}

fn write_bytes(design: &Design, rel: &str, bytes: &[u8]) {
    let path = design.file(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn each_format_is_registered_drafted_and_returned_byte_for_byte() {
    let design = Design::new();
    let files: [(&str, &str, Vec<u8>, &str); 7] = [
        (
            "ICC",
            "icc.docx",
            docx("Interface Code of Connection"),
            "Word document",
        ),
        ("DES138", "des138.xlsx", xlsx(), "Excel workbook"),
        (
            "DES139",
            "des139.xlsm",
            xlsx(),
            "Excel workbook with macros",
        ),
        ("DES140", "des140.ods", ods(), "OpenDocument spreadsheet"),
        ("PKI", "pki.pdf", pdf("DIP PKI Policy"), "PDF document"),
        (
            "E2E003",
            "e2e003.yaml",
            b"scenario: E2E003\nsteps:\n  - submit\n".to_vec(),
            "YAML file",
        ),
        (
            "API",
            "api.json",
            br#"{"flow": "D0012"}"#.to_vec(),
            "JSON file",
        ),
    ];
    for (id, file, bytes, name) in &files {
        write_bytes(&design, &format!("in/{file}"), bytes);
        design.ok(&["add", id, "--title", "An artefact", &format!("in/{file}")]);
        let draft = design.ok(&["draft", id, "--date", "2023-06-01"]);
        assert!(draft.contains(&format!("{} bytes", bytes.len())), "{draft}");
        let shown = design.ok(&["show", id]);
        assert!(shown.contains(&format!("({name})")), "{shown}");
        let out = design
            .cmd()
            .args(["cat", &format!("{id}@0.1")])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(&out.stdout, bytes, "{id}: cat returns the exact bytes");
        let record = design.read(&format!("artefacts/{id}/versions/0.1.toml"));
        assert!(
            record.contains(&format!("size = {}", bytes.len())),
            "{record}"
        );
    }
    assert_eq!(design.json(&["show", "ICC"])["artefact"]["format"], "docx");
}

/// A Word document whose paragraphs are `(style, text)`, written as Word
/// writes them (one run each, the heading styles named Heading1, Heading2).
fn docx_of(paragraphs: &[(Option<&str>, &str)]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|(style, text)| {
            let style = style.map_or(String::new(), |s| {
                format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#)
            });
            format!("<w:p>{style}<w:r><w:t>{text}</w:t></w:r></w:p>")
        })
        .collect();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    package(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", &document),
    ])
}

#[test]
fn a_word_document_is_redlined_word_by_word_under_its_headings() {
    let design = Design::new();
    let v1 = docx_of(&[
        (Some("Heading1"), "4 Connection"),
        (Some("Heading2"), "4.2 Certificates"),
        (None, "Participants renew certificates every two years."),
    ]);
    write_bytes(&design, "in/icc.docx", &v1);
    design.ok(&["add", "ICC", "--title", "Code of Connection", "in/icc.docx"]);
    design.ok(&["draft", "ICC", "--date", "2023-06-01"]);
    let v2 = docx_of(&[
        (Some("Heading1"), "4 Connection"),
        (Some("Heading2"), "4.2 Certificates"),
        (None, "Participants renew certificates every year."),
    ]);
    write_bytes(&design, "artefacts/ICC/icc.docx", &v2);
    design.ok(&["draft", "ICC", "--date", "2023-06-02"]);

    let term = design.ok(&["redline", "ICC", "0.1", "0.2"]);
    assert!(
        term.contains("4 Connection › 4.2 Certificates · modified"),
        "{term}"
    );
    assert!(
        term.contains("Participants renew certificates every [-two years-]{+year+}."),
        "{term}"
    );
    let json = design.json(&["redline", "ICC", "0.1", "0.2"]);
    assert_eq!(json["body"]["kind"], "text");
    assert_eq!(json["summary"]["words_changed"], 1, "{json}");
    assert!(
        json["notes"].as_array().unwrap().iter().any(|n| n
            .as_str()
            .unwrap()
            .starts_with("compared as the documents' text")),
        "{json}"
    );
}

#[test]
fn content_that_is_not_what_its_name_says_is_refused() {
    let design = Design::new();
    let cases: [(&str, Vec<u8>, &str); 6] = [
        (
            "word.xlsx",
            docx("A letter"),
            "named as an Excel workbook, but its content is a Word document",
        ),
        (
            "book.docx",
            xlsx(),
            "named as a Word document, but its content is an Excel workbook",
        ),
        (
            "scan.docx",
            pdf("Scanned"),
            "named as a Word document, but its content is a PDF document",
        ),
        (
            "notes.pdf",
            b"Just some notes\n".to_vec(),
            "named as a PDF document, but its content is text",
        ),
        (
            "other.ods",
            package(&[("readme.txt", "not a spreadsheet")]),
            "named as an OpenDocument spreadsheet, but its content is a zip archive that holds no Word, Excel or OpenDocument spreadsheet",
        ),
        (
            "empty.xlsx",
            Vec::new(),
            "named as an Excel workbook, but its content is empty",
        ),
    ];
    for (file, bytes, said) in cases {
        write_bytes(&design, &format!("in/{file}"), &bytes);
        let stderr = design.refused(&["add", "X", "--title", "Mislabelled", &format!("in/{file}")]);
        assert!(stderr.contains(&format!("{file} is {said}")), "{stderr}");
    }
    // A registered Word document cannot be drafted from a file that is not one.
    write_bytes(&design, "in/icc.docx", &docx("Text"));
    design.ok(&["add", "ICC", "--title", "Code of Connection", "in/icc.docx"]);
    write_bytes(&design, "in/other.docx", &pdf("Not Word"));
    let stderr = design.refused(&["draft", "ICC", "in/other.docx"]);
    assert!(
        stderr.contains("is named as a Word document, but its content is a PDF document"),
        "{stderr}"
    );
}

/// A Word document as Word saves it again without edits: the same body, other
/// document properties, other zip bytes.
fn docx_saved(text: &str, saved_at: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#
    );
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dcterms="http://purl.org/dc/terms/"><dcterms:modified>{saved_at}</dcterms:modified></cp:coreProperties>"#
    );
    package(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("docProps/core.xml", &core),
        ("word/document.xml", &document),
    ])
}

#[test]
fn a_document_saved_again_without_edits_is_refused_unless_allowed() {
    let design = Design::new();
    write_bytes(
        &design,
        "in/icc.docx",
        &docx_saved("Text", "2023-06-01T10:00:00Z"),
    );
    design.ok(&["add", "ICC", "--title", "Code of Connection", "in/icc.docx"]);
    design.ok(&["draft", "ICC", "--date", "2023-06-01"]);

    let resaved = docx_saved("Text", "2023-06-02T09:30:00Z");
    write_bytes(&design, "artefacts/ICC/icc.docx", &resaved);
    let stderr = design.refused(&["draft", "ICC", "--date", "2023-06-02"]);
    assert!(
        stderr.contains(
            "nothing changed in ICC's content: artefacts/ICC/icc.docx differs from version 0.1 only in its packaging or metadata"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--allow-same-content"), "{stderr}");

    let recorded = design.ok(&[
        "draft",
        "ICC",
        "--date",
        "2023-06-02",
        "--allow-same-content",
    ]);
    assert!(recorded.contains("Recorded ICC 0.2"), "{recorded}");
    let out = design.cmd().args(["cat", "ICC@0.2"]).output().unwrap();
    assert_eq!(
        out.stdout, resaved,
        "the re-saved bytes are what is recorded"
    );

    // An edit to the body is a change like any other.
    write_bytes(
        &design,
        "artefacts/ICC/icc.docx",
        &docx_saved("Text, revised", "2023-06-03T09:30:00Z"),
    );
    let edited = design.ok(&["draft", "ICC", "--date", "2023-06-03"]);
    assert!(edited.contains("Recorded ICC 0.3"), "{edited}");
}

/// UTF-16 little-endian with its byte order mark, as Excel saves "Unicode text".
fn utf16(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    bytes
}

#[test]
fn tables_as_excel_writes_them_are_read_and_the_redline_says_how() {
    let design = Design::new();
    // Excel's "CSV": Windows-1252, where é is 0xE9 and € is 0x80.
    write_bytes(
        &design,
        "in/des138.csv",
        b"D-Flow,Name\r\nD0012,R\xe9ading\r\n",
    );
    design.ok(&[
        "add",
        "DES138",
        "--title",
        "Catalogue",
        "--key",
        "D-Flow",
        "in/des138.csv",
    ]);
    design.ok(&["draft", "DES138", "--date", "2023-06-01"]);
    let edited: &[u8] = b"D-Flow,Name\r\nD0012,R\xe9ading \x80\r\n";
    write_bytes(&design, "artefacts/DES138/des138.csv", edited);
    design.ok(&["draft", "DES138", "--date", "2023-06-02"]);
    let out = design.cmd().args(["cat", "DES138@0.2"]).output().unwrap();
    assert_eq!(out.stdout, edited, "the bytes are kept as they were");
    let redline = design.json(&["redline", "DES138", "0.1", "0.2"]);
    let notes: Vec<&str> = redline["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        notes.contains(&"FROM was read as windows-1252 text"),
        "{notes:?}"
    );
    assert!(
        notes.contains(&"TO was read as windows-1252 text"),
        "{notes:?}"
    );
    let cell = &redline["body"]["rows"][0]["cells"][0];
    assert_eq!(cell["old"], "Réading", "{redline}");
    assert_eq!(cell["new"], "Réading €", "{redline}");

    // Excel's "Unicode text": UTF-16 with a byte order mark.
    write_bytes(
        &design,
        "in/des139.tsv",
        &utf16("D-Flow\tName\nD0300\tDisputé\n"),
    );
    design.ok(&[
        "add",
        "DES139",
        "--title",
        "Tabbed",
        "--key",
        "D-Flow",
        "in/des139.tsv",
    ]);
    design.ok(&["draft", "DES139", "--date", "2023-06-01"]);
    write_bytes(
        &design,
        "artefacts/DES139/des139.tsv",
        &utf16("D-Flow\tName\nD0300\tDisputé\nD0301\tAdded\n"),
    );
    design.ok(&["draft", "DES139", "--date", "2023-06-02"]);
    let redline = design.json(&["redline", "DES139", "0.1", "0.2"]);
    assert_eq!(redline["summary"]["rows_added"], 1, "{redline}");
    assert!(
        redline["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "TO was read as UTF-16LE text"),
        "{redline}"
    );

    // Markdown and text stay UTF-8.
    write_bytes(&design, "in/doc.md", b"# Caf\xe9\n");
    let stderr = design.refused(&["add", "DOC", "--title", "Not UTF-8", "in/doc.md"]);
    assert!(
        stderr.contains("is not UTF-8 text (line 1, byte 5)"),
        "{stderr}"
    );
}

#[test]
fn yaml_and_json_are_redlined_as_text_and_as_structure() {
    let design = Design::new();
    design.write(
        "in/e2e003.yaml",
        "scenario: E2E003\nsteps:\n  - submit\n  - validate\nowner: DIP\n",
    );
    design.ok(&["add", "E2E003", "--title", "Scenario", "in/e2e003.yaml"]);
    design.ok(&["draft", "E2E003", "--date", "2023-06-01"]);
    design.write(
        "artefacts/E2E003/e2e003.yaml",
        "scenario: E2E003\nsteps:\n  - submit\n  - settle\n  - report\nversion: 2\n",
    );
    design.ok(&["draft", "E2E003", "--date", "2023-06-02"]);

    let redline = design.json(&["redline", "E2E003", "0.1", "0.2"]);
    assert_eq!(redline["body"]["kind"], "text", "{redline}");
    let structure: Vec<(String, String)> = redline["structure"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["path"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("owner", "removed"),
        ("steps[1]", "changed"),
        ("steps[2]", "added"),
        ("version", "added"),
    ];
    assert_eq!(
        structure,
        expected.map(|(p, k)| (p.to_string(), k.to_string()))
    );
    let term = design.ok(&["redline", "E2E003", "0.1", "0.2"]);
    assert!(
        term.contains("steps[1]: \"validate\" → \"settle\""),
        "{term}"
    );
    let md = design.ok(&["redline", "E2E003", "0.1", "0.2", "--format", "md"]);
    assert!(md.contains("### Structure"), "{md}");
    assert!(md.contains("version added: 2"), "{md}");

    // A side that does not parse leaves the text redline alone.
    design.write("artefacts/E2E003/e2e003.yaml", "scenario: [unclosed\n");
    design.ok(&["draft", "E2E003", "--date", "2023-06-03"]);
    let broken = design.json(&["redline", "E2E003", "0.2", "0.3"]);
    assert!(broken.get("structure").is_none(), "{broken}");
    assert_eq!(broken["body"]["kind"], "text");

    design.write("in/api.json", r#"{"flows": {"D0012": "read"}}"#);
    design.ok(&["add", "API", "--title", "Interface", "in/api.json"]);
    design.ok(&["draft", "API", "--date", "2023-06-01"]);
    design.write(
        "artefacts/API/api.json",
        r#"{"flows": {"D0012": "meter read"}}"#,
    );
    design.ok(&["draft", "API", "--date", "2023-06-02"]);
    let json = design.json(&["redline", "API", "0.1", "0.2"]);
    assert_eq!(json["structure"][0]["path"], "flows.D0012");
    assert_eq!(json["structure"][0]["old"], "\"read\"");
    assert_eq!(json["structure"][0]["new"], "\"meter read\"");
}

/// An Excel workbook written by rust_xlsxwriter: sheet "Catalogue" with these
/// rows (the first is the header), a total formula under them, and any other
/// sheets named.
fn workbook(rows: &[[&str; 2]], other_sheets: &[&str]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Catalogue").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *value).unwrap();
        }
    }
    let count = rows.len() as u32;
    sheet
        .write_formula(count, 1, format!("=COUNTA(B2:B{count})").as_str())
        .unwrap();
    for name in other_sheets {
        book.add_worksheet().set_name(*name).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_workbook_is_redlined_sheet_by_sheet_with_rows_aligned_by_content() {
    let design = Design::new();
    let v1 = workbook(
        &[
            ["D-Flow", "Name"],
            ["D0012", "Reading"],
            ["D0300", "Dispute"],
            ["D0379", "HH data"],
        ],
        &[],
    );
    write_bytes(&design, "in/des138.xlsx", &v1);
    design.ok(&[
        "add",
        "DES138",
        "--title",
        "Interface Catalogue",
        "in/des138.xlsx",
    ]);
    design.ok(&["draft", "DES138", "--date", "2023-06-01"]);
    let v2 = workbook(
        &[
            ["D-Flow", "Name"],
            ["D0012", "Reading"],
            ["D0275", "Scenario"],
            ["D0300", "Dispute raised"],
            ["D0379", "HH data"],
        ],
        &["Notes"],
    );
    write_bytes(&design, "artefacts/DES138/des138.xlsx", &v2);
    design.ok(&["draft", "DES138", "--date", "2023-06-02"]);

    let term = design.ok(&["redline", "DES138", "0.1", "0.2"]);
    // The row inserted in the middle is one added row, the cell edited beside
    // it is marked in its own row, and the rows below are not taken for changed.
    assert!(
        term.contains("@@ change-1 · Catalogue · inserted · after line 3 → line 4"),
        "{term}"
    );
    assert!(term.contains("+ {+| D0275 | Scenario |+}"), "{term}");
    assert!(
        term.contains("@@ change-2 · Catalogue · modified · line 4 → line 5"),
        "{term}"
    );
    assert!(term.contains("~ | D0300 | Dispute {+raised +}|"), "{term}");
    assert!(!term.contains("~ | D0379"), "{term}");
    // The total's formula stands beside its value, and its change is marked.
    assert!(term.contains("(=COUNTA(B2:[-B4-]{+B5+}))"), "{term}");
    assert!(term.contains("~ {+# Notes+}"), "{term}");
    let json = design.json(&["redline", "DES138", "0.1", "0.2"]);
    assert!(
        json["notes"].as_array().unwrap().iter().any(|n| n
            .as_str()
            .unwrap()
            .starts_with("compared as the workbooks' cells")),
        "{json}"
    );
}

/// A workbook of sheets, each a name and rows of cells (a cell starting with
/// `=` is written as a formula).
fn sheets_workbook(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet().set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                if value.starts_with('=') {
                    sheet.write_formula(r as u32, c as u16, *value).unwrap();
                } else {
                    sheet.write_string(r as u32, c as u16, *value).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_keyed_workbook_is_redlined_cell_by_cell_with_sheets_renamed_added_and_removed() {
    let design = Design::new();
    let v1 = sheets_workbook(&[
        (
            "Interfaces",
            &[
                &["Interface ID", "Name", "Status"],
                &["IF-001", "Registration", "Draft"],
                &["IF-002", "Readings", "Draft"],
                &["IF-003", "Disputes", "Baselined"],
            ],
        ),
        (
            "Flows",
            &[
                &["D-Flow", "Name"],
                &["D0010", "Meter readings"],
                &["D0300", "Disputes"],
            ],
        ),
        ("Old notes", &[&["Retired"]]),
    ]);
    write_bytes(&design, "in/des138.xlsx", &v1);
    // A key named for a sheet the workbook does not have is refused.
    let stderr = design.refused(&[
        "add",
        "DES138",
        "--title",
        "Interface Catalogue",
        "--key",
        "Catalogue=Interface ID",
        "in/des138.xlsx",
    ]);
    assert!(
        stderr.contains(
            "the workbook has no sheet \"Catalogue\" (its sheets are Interfaces, Flows, Old notes)"
        ),
        "{stderr}"
    );
    design.ok(&[
        "add",
        "DES138",
        "--title",
        "Interface Catalogue",
        "--key",
        "Interfaces=Interface ID",
        "in/des138.xlsx",
    ]);
    design.ok(&["draft", "DES138", "--date", "2023-06-01"]);
    let v2 = sheets_workbook(&[
        (
            "Interfaces",
            &[
                &["Interface ID", "Owner", "Name", "Status"],
                &["IF-003", "DIP", "Disputes", "Baselined"],
                &["IF-001", "DIP", "Registration", "Baselined"],
                &["IF-004", "Supplier", "Settlement", "Draft"],
            ],
        ),
        (
            "D-Flows",
            &[
                &["D-Flow", "Name"],
                &["D0010", "Meter readings"],
                &["D0300", "Disputes"],
                &["D0379", "=LEN(\"HH data\")"],
            ],
        ),
        ("New notes", &[&["Added"]]),
    ]);
    write_bytes(&design, "artefacts/DES138/des138.xlsx", &v2);
    design.ok(&["draft", "DES138", "--date", "2023-06-02"]);

    let json = design.json(&["redline", "DES138", "0.1", "0.2"]);
    let sheets = json["sheets"].as_array().unwrap();
    let interfaces = &sheets[0];
    assert_eq!(interfaces["sheet"], "Interfaces");
    assert_eq!(interfaces["kind"], "changed");
    assert_eq!(interfaces["key"], "Interface ID");
    assert_eq!(interfaces["columns_added"], serde_json::json!(["Owner"]));
    let rows = interfaces["rows"].as_array().unwrap();
    // Rows pair by key whatever their order: IF-003 moved up is unchanged
    // but for its new cell; IF-001's status changed; IF-004 came; IF-002 went.
    let row = |key: &str| {
        rows.iter()
            .find(|r| r["key"] == key)
            .unwrap_or_else(|| panic!("{key}: {json}"))
    };
    assert_eq!(row("IF-001")["kind"], "changed");
    assert_eq!(row("IF-001")["old_row"], 2);
    assert_eq!(row("IF-001")["new_row"], 3);
    assert_eq!(
        row("IF-001")["cells"],
        serde_json::json!([
            {"column": "Owner", "old": "", "new": "DIP"},
            {"column": "Status", "old": "Draft", "new": "Baselined"}
        ])
    );
    assert_eq!(
        row("IF-003")["cells"],
        serde_json::json!([{"column": "Owner", "old": "", "new": "DIP"}])
    );
    assert_eq!(row("IF-004")["kind"], "added");
    assert_eq!(
        row("IF-004")["values"][1],
        serde_json::json!(["Owner", "Supplier"])
    );
    assert_eq!(row("IF-002")["kind"], "removed");
    assert_eq!(row("IF-002")["old_row"], 3);
    // A sheet renamed is the same sheet, aligned by content; its new row
    // shows its formula beside its value.
    let flows = &sheets[1];
    assert_eq!(
        (flows["sheet"].as_str(), flows["old_name"].as_str()),
        (Some("D-Flows"), Some("Flows"))
    );
    assert_eq!(flows["key"], serde_json::Value::Null);
    assert_eq!(flows["rows"][0]["kind"], "added");
    // (rust_xlsxwriter stores 0 as a formula's value until Excel recalculates.)
    assert_eq!(flows["rows"][0]["values"][1][1], "0 (=LEN(\"HH data\"))");
    assert_eq!(
        (sheets[2]["sheet"].as_str(), sheets[2]["kind"].as_str()),
        (Some("New notes"), Some("added"))
    );
    assert_eq!(
        (sheets[3]["sheet"].as_str(), sheets[3]["kind"].as_str()),
        (Some("Old notes"), Some("removed"))
    );
    assert_eq!(json["summary"]["rows_added"], 2);
    assert_eq!(json["summary"]["rows_removed"], 1);
    assert_eq!(json["summary"]["cells_changed"], 3);

    let term = design.ok(&["redline", "DES138", "0.1", "0.2"]);
    for expected in [
        "sheets: 2 changed, 1 added, 1 removed; 2 rows added, 1 removed, 2 changed (3 cells)",
        "  Sheet Interfaces, rows paired by Interface ID",
        "             columns added: Owner",
        "             IF-001 (row 2 → 3) changed: Owner: \"\" → \"DIP\"; Status: \"Draft\" → \"Baselined\"",
        "             IF-002 (row 3) removed: Interface ID = \"IF-002\"; Name = \"Readings\"; Status = \"Draft\"",
        "  Sheet D-Flows (renamed from Flows)",
        "  Sheet New notes added",
        "  Sheet Old notes removed",
    ] {
        assert!(term.contains(expected), "{expected:?} not in:\n{term}");
    }
    // --key on the redline pairs another sheet's rows for this redline only.
    let json = design.json(&["redline", "DES138", "0.1", "0.2", "--key", "D-Flow"]);
    assert_eq!(json["sheets"][1]["key"], "D-Flow");
    assert_eq!(json["sheets"][0]["key"], serde_json::Value::Null);
    assert!(
        json["sheets"][0]["warnings"][0]
            .as_str()
            .unwrap()
            .starts_with("rows are aligned by content, not by key: FROM has no column \"D-Flow\""),
        "{json}"
    );
}

#[test]
fn a_workbook_redline_is_written_as_a_workbook_with_its_changes_marked() {
    use calamine::{Reader, Xlsx};
    let design = Design::new();
    let v1 = sheets_workbook(&[
        (
            "Interfaces",
            &[
                &["Interface ID", "Name", "Status"],
                &["IF-001", "Registration", "Draft"],
                &["IF-002", "Readings", "Draft"],
            ],
        ),
        ("Old notes", &[&["Retired"]]),
    ]);
    write_bytes(&design, "in/des138.xlsx", &v1);
    design.ok(&[
        "add",
        "DES138",
        "--title",
        "Interface Catalogue",
        "--key",
        "Interface ID",
        "in/des138.xlsx",
    ]);
    design.ok(&["draft", "DES138", "--date", "2023-06-01"]);
    let v2 = sheets_workbook(&[(
        "Interfaces",
        &[
            &["Interface ID", "Name", "Status", "Owner"],
            &["IF-001", "Registration", "Baselined", "DIP"],
            &["IF-003", "Disputes", "Draft", "DIP"],
        ],
    )]);
    write_bytes(&design, "artefacts/DES138/des138.xlsx", &v2);
    design.ok(&["draft", "DES138", "--date", "2023-06-02"]);
    let out = design.ok(&["redline", "DES138", "0.1", "0.2", "-o", "red.xlsx"]);
    assert_eq!(out, "Wrote the xlsx redline of DES138 to red.xlsx\n");

    let red = std::fs::read(design.file("red.xlsx")).unwrap();
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(red.clone())).unwrap();
    assert_eq!(book.sheet_names(), ["Redline", "Interfaces", "Removed"]);
    // The sheet holds TO's cells exactly.
    let mut to: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(v2)).unwrap();
    assert_eq!(
        book.worksheet_range("Interfaces").unwrap(),
        to.worksheet_range("Interfaces").unwrap()
    );
    let header = book.worksheet_range("Redline").unwrap();
    assert_eq!(
        header.get_value((0, 0)).unwrap().to_string(),
        "Redline of DES138: Interface Catalogue"
    );
    let lines: Vec<String> = header.rows().map(|r| r[0].to_string()).collect();
    assert!(
        lines.contains(&"Sheet Interfaces, rows paired by Interface ID".to_string()),
        "{lines:?}"
    );
    let removed = book.worksheet_range("Removed").unwrap();
    let removed: Vec<Vec<String>> = removed
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        removed[1][..4],
        ["Interfaces", "row", "3", "Interface ID = IF-002"]
    );
    assert_eq!(removed[2][..2], ["Old notes", "the whole sheet"]);
    // The changed cell carries its old value in a note.
    let mut package = zip::ZipArchive::new(std::io::Cursor::new(&red[..])).unwrap();
    let mut notes = String::new();
    std::io::Read::read_to_string(
        &mut package.by_name("xl/comments1.xml").unwrap(),
        &mut notes,
    )
    .unwrap();
    assert!(notes.contains("Was: Draft"), "{notes}");

    if let Some(soffice) = common::libreoffice() {
        let out = common::convert_with_libreoffice(soffice, &design.file("red.xlsx"), "pdf");
        assert!(out.path().join("red.pdf").metadata().unwrap().len() > 1000);
    }
}

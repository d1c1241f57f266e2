//! Red-lined copies in the artefact's own format: a Word document with the
//! changes between two versions as real tracked changes, made from Word
//! documents that LibreOffice wrote, read back with every change accepted and
//! every change rejected, and opened by LibreOffice.

mod common;

use std::io::Read;
use std::path::Path;

use common::Design;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/docx")
            .join(name),
    )
    .unwrap()
}

fn parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut package = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..package.len())
        .map(|n| {
            let mut part = package.by_index(n).unwrap();
            let mut content = Vec::new();
            part.read_to_end(&mut content).unwrap();
            (part.name().unwrap().to_string(), content)
        })
        .collect()
}

/// ICC 1.0 baselined on DAG-DEC57, then 1.1 recorded under CR027.
fn code_of_connection() -> Design {
    let design = Design::new();
    std::fs::create_dir_all(design.file("in")).unwrap();
    std::fs::write(design.file("in/icc.docx"), fixture("icc-1.0.docx")).unwrap();
    design.ok(&[
        "add",
        "ICC",
        "--title",
        "DIP Code of Connection",
        "in/icc.docx",
    ]);
    design.ok(&["draft", "ICC", "--date", "2024-01-10"]);
    design.decision("DAG-DEC57", "2024-01-10", "approved", &["ICC"]);
    design.ok(&[
        "approve",
        "ICC",
        "--decision",
        "DAG-DEC57",
        "--date",
        "2024-01-10",
    ]);
    design.ok(&[
        "change",
        "add",
        "CR027",
        "--title",
        "Tighter incident reporting",
        "--affects",
        "ICC",
    ]);
    std::fs::write(
        design.file("artefacts/ICC/icc.docx"),
        fixture("icc-1.1.docx"),
    )
    .unwrap();
    design.ok(&["draft", "ICC", "--date", "2024-02-01", "--change", "CR027"]);
    design
}

#[test]
fn the_word_redline_accepts_to_the_new_version_and_rejects_to_the_old() {
    let design = code_of_connection();
    let out = design.ok(&["redline", "ICC", "1.0", "1.1", "-o", "red.docx"]);
    assert_eq!(out, "Wrote the docx redline of ICC to red.docx\n");
    let red = std::fs::read(design.file("red.docx")).unwrap();
    let (old, new) = (fixture("icc-1.0.docx"), fixture("icc-1.1.docx"));

    common::assert_accepts_to_new_and_rejects_to_old(&red, &old, &new);

    // Every part but the text is the new version's own: styles, numbering,
    // fonts, relationships (the hyperlink's target among them).
    let red_parts = parts(&red);
    for (name, content) in parts(&new) {
        let (_, red_content) = red_parts.iter().find(|(n, _)| *n == name).unwrap();
        if name != "word/document.xml" {
            assert!(
                *red_content == content,
                "{name} differs from the new version's"
            );
        }
    }
    let (_, document) = red_parts
        .iter()
        .find(|(n, _)| n == "word/document.xml")
        .unwrap();
    let document = String::from_utf8(document.clone()).unwrap();
    // The changes are Word's own marks, by whoever recorded 1.1, on its date.
    let recorded_by = design.json(&["show", "ICC@1.1"])["version"]["recorded_by"]
        .as_str()
        .unwrap()
        .to_string();
    let name = recorded_by.split(" <").next().unwrap();
    let by = format!(r#"w:author="{name}" w:date="2024-02-01T00:00:00Z""#);
    for (mark, text) in [
        ("del", "<w:delText xml:space=\"preserve\">24</w:delText>"),
        ("ins", "<w:t xml:space=\"preserve\">4</w:t>"),
    ] {
        let at = document
            .find(text)
            .unwrap_or_else(|| panic!("{text} not in {document}"));
        let opened = document[..at].rfind(&format!("<w:{mark} ")).unwrap();
        assert!(
            document[opened..at].contains(&by),
            "{}",
            &document[opened..at]
        );
    }
    assert!(document.contains(">Penetration testing before go-live</w:t>"));
    // The first page says what is compared and why it changed.
    for expected in [
        "Redline of ICC: DIP Code of Connection",
        "From ICC@1.0 (baselined, 2024-01-10), sha256 ",
        "To ICC@1.1 (draft, 2024-02-01), sha256 ",
        "DAG-DEC57 (approved 2024-01-10): Decided.",
        "CR CR027 (raised): Tighter incident reporting",
    ] {
        assert!(document.contains(expected), "{expected} not in the header");
    }
}

#[test]
fn libreoffice_opens_the_word_redline() {
    let Some(soffice) = common::libreoffice() else {
        return;
    };
    let design = code_of_connection();
    design.ok(&["redline", "ICC", "--format", "docx", "-o", "red.docx"]);
    let out = common::convert_with_libreoffice(
        soffice,
        &design.file("red.docx"),
        "txt:Text (encoded):UTF8",
    );
    let shown = std::fs::read_to_string(out.path().join("red.txt")).unwrap();
    // And prints it, as a reviewer would, to PDF: the header page and the document.
    let printed = common::convert_with_libreoffice(soffice, &design.file("red.docx"), "pdf");
    let pdf = std::fs::read(printed.path().join("red.pdf")).unwrap();
    assert!(
        pdf.starts_with(b"%PDF-") && pdf.len() > 5000,
        "{} bytes",
        pdf.len()
    );
    // LibreOffice shows the document with its changes in place: the header,
    // then both the old and the new text of each change.
    assert!(
        shown.contains("Redline of ICC: DIP Code of Connection"),
        "{shown}"
    );
    assert!(
        shown.contains("Penetration testing before go-live"),
        "{shown}"
    );
    assert!(
        shown.contains("Participants must retain message logs for twelve months."),
        "{shown}"
    );
}

#[test]
fn a_word_redline_is_refused_for_other_formats_and_without_a_file() {
    let design = code_of_connection();
    let stderr =
        String::from_utf8(design.run(&["redline", "ICC", "--format", "docx"]).stderr).unwrap();
    assert!(stderr.starts_with("error: a docx redline is a file, not text for the terminal\nhint: name the file to write"), "{stderr}");
    design.write("in/tab.csv", "D-Flow,Name\nD0012,Reading\n");
    design.ok(&["add", "TAB", "--title", "A table", "in/tab.csv"]);
    design.ok(&["draft", "TAB"]);
    design.write("artefacts/TAB/tab.csv", "D-Flow,Name\nD0012,Readings\n");
    let output = design.run(&["redline", "TAB", "-o", "tab.docx"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("TAB is a CSV table, and only a Word document's redline can be written as a Word document\nhint: write it as --format html"), "{stderr}");
    assert!(!design.file("tab.docx").exists());
}
